"""`encoder-app drg FILE [--json]`: the MS-DRG of an inpatient encounter file.

The grouper version is the one of the discharge date (FY2026 discharges: v43). Exit status 0
when the stay was grouped; 1 when it could not be (the message names the field: no discharge
date, an outpatient encounter, a sex or age the grouper cannot take, an invalid principal
diagnosis), as for every command.
"""

from __future__ import annotations

from pathlib import Path

from encoder_app.cli.common import print_json, print_text
from encoder_app.encounters.inpatient import discharge_status_words
from encoder_app.encounters.snapshot import EncounterSnapshot, load_encounter
from encoder_app.grouping import DrgResult, group_encounter, ungroupable_error
from encoder_app.grouping.what_if import WhatIf, what_if


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "drg", help="group an inpatient encounter file into its MS-DRG",
        description="Group an inpatient encounter JSON file (setting \"inpatient\") with the "
                    "MS-DRG grouper of its discharge date: the DRG, its MDC and severity, each "
                    "diagnosis's CC/MCC level and whether it drove the DRG, each procedure's "
                    "O.R. status, and the Medicare Code Editor's edits. Exit status 0 when the "
                    "stay was grouped, 1 when it could not be.")
    p.add_argument("file", help="inpatient encounter JSON file")
    p.add_argument("--json", action="store_true",
                   help="print drg, title, mdc, mdc_title, grouper_version, severity and the "
                        "per-diagnosis and per-procedure details as JSON")
    p.add_argument("--what-if", action="store_true",
                   help="also regroup with each secondary diagnosis as principal and without "
                        "each secondary CC or MCC: which code carries the DRG")
    p.set_defaults(func=run)


def _diagnosis_note(d) -> str:
    if d.principal:
        return "principal"
    if not d.valid:
        return "not a valid code for this version: ignored"
    if d.hacs:
        return f"hospital-acquired ({', '.join(d.hacs)}), not POA: not counted"
    if d.excluded:
        return f"{d.level} excluded by the principal diagnosis"
    if d.drove_drg:
        return "drove the DRG"
    return "not marked: the grouper took another code" if d.level != "none" else ""


#: A procedure's O.R. status as the listing writes it; "O.R. ?" for a code the probe cannot
#: tell (grouping/operating_room.py: an unknown code, a pre-MDC one).
_OR_WORDS = {True: "O.R.", False: "non-O.R.", None: "O.R. ?"}


def render(result: DrgResult, encounter: EncounterSnapshot) -> str:
    out = [f"MS-DRG {result.drg:03d}  {result.title}",
           f"MDC {result.mdc:02d}  {result.mdc_title}" if result.mdc is not None else "MDC -",
           f"Severity: {result.severity}. Grouper v{result.grouper_version} "
           f"(FY{result.fiscal_year}), discharged {encounter.discharge_date.isoformat()}, "
           f"age {result.age} at admission.",
           f"Discharge status {discharge_status_words(encounter.discharge_status)}.",
           "", "Diagnoses"]
    for d in result.diagnoses:
        poa = f"POA {d.poa}" if d.poa else "POA -"
        level = "" if d.principal else d.level
        out.append(f"  {d.position:>2}  {d.code:<9} {poa:<6} {level:<5} "
                   f"{_diagnosis_note(d)}".rstrip())
    if result.procedures:
        out.append("Procedures")
    for p in result.procedures:
        when = p.date.isoformat() if p.date else "-"
        what = "affected the DRG" if p.affected_drg else "did not affect the DRG"
        out.append(f"  {p.line:>2}  {p.code:<9} {when:<10}  {_OR_WORDS[p.operating_room]:<8} "
                   f"{what}")
    edits = ", ".join(f"{e.name} ({e.count})" for e in result.mce_edits)
    out += ["", f"Medicare Code Editor v{result.grouper_version}: {edits or 'no edits'}"]
    return "\n".join(out) + "\n"


def render_what_if(rows: list[WhatIf], current: DrgResult) -> str:
    out = ["", f"What if (now MS-DRG {current.drg:03d})"]
    for row in rows:
        label = (f"{row.code} as principal" if row.kind == "as principal"
                 else f"without {row.code}")
        same = "" if row.changes(current) else "  (same DRG)"
        out.append(f"  {label:<24} MS-DRG {row.result.drg:03d}  {row.result.title}{same}")
    if not rows:
        out.append("  no secondary diagnosis to move or leave out")
    return "\n".join(out) + "\n"


def run(args) -> int:
    encounter = load_encounter(args.file)  # EncounterFormatError -> "error: ..." and exit 1
    source = Path(args.file).name
    result = group_encounter(encounter, source)
    problem = ungroupable_error(result, encounter, source)
    if problem is not None:
        raise problem
    rows = what_if(encounter, result) if args.what_if else None
    if args.json:
        shown = result.to_json()
        if rows is not None:
            shown["what_if"] = [r.to_json(result) for r in rows]
        print_json(shown)
    else:
        print_text(render(result, encounter)
                   + (render_what_if(rows, result) if rows is not None else ""))
    return 0
