"""`encoder-app check FILE [--json]`: run every edit over an encounter file.

Exit status: 0 when no finding is an error (warnings and info may be printed), 1 when any finding
is an error, and also 1 when the file cannot be checked (missing, not JSON, or a malformed field:
the message names the field in words, e.g. `procedure line 2, units`), as for every command.
"""

from __future__ import annotations

import json

from encoder_app.cli.common import open_codebook, print_json, print_text
from encoder_app.edits.check import check_encounter
from encoder_app.edits.finding import Finding
from encoder_app.encounters.snapshot import load_encounter


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "check", help="check an encounter file against the code sets and edits",
        description="Check an encounter JSON file: code validity, ICD-10-CM conventions, age and "
                    "sex, NCCI PTP/MUE/add-on edits, procedure lines and claim completeness. "
                    "Exit status 0 when no finding is an error, 1 when any is (or the file "
                    "cannot be read).")
    p.add_argument("file", help="encounter JSON file")
    p.add_argument("--json", action="store_true", help='print {"findings": [...]}')
    p.set_defaults(func=run)


def render(findings: list[Finding]) -> str:
    """One line a finding ("ERROR    icd.excludes1  E11.9, E10.9: ..."), source and fix below."""
    if not findings:
        return "No findings: the encounter passes every edit that was run.\n"
    out = []
    for f in findings:
        codes = f"{', '.join(f.codes)}: " if f.codes else ""
        out.append(f"{f.severity.upper():<8} {f.rule}  {codes}{f.message}")
        out.append(f"         source: {f.source}")
        if f.fix:
            out.append(f"         fix: {json.dumps(f.fix, ensure_ascii=False)}")
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    out.append("")
    out.append(", ".join(f"{n} {s}{'' if n == 1 or s == 'info' else 's'}"
                         for s, n in counts.items()))
    return "\n".join(out) + "\n"


def run(args) -> int:
    encounter = load_encounter(args.file)  # EncounterFormatError -> "error: ..." and exit 1
    findings = check_encounter(open_codebook(), encounter)
    if args.json:
        print_json({"findings": [f.to_json() for f in findings]})
    else:
        print_text(render(findings))
    return 1 if any(f.severity == "error" for f in findings) else 0
