"""Checks on each procedure line: modifiers, diagnosis pointers, units, charges, and modifier 25
on an E/M visit billed with a same-day procedure.

Modifiers: a CPT (Level I) modifier is checked against the fixed list below (the AMA publishes
no file the app could import); any other modifier against the HCPCS Level II modifiers of the
loaded releases. Without a Level II list, other modifiers are not checked and one info finding
says so.

E/M with a same-day procedure: the E/M line needs modifier 25 (or 57, decision for surgery)
when another line is a procedure in the CPT surgery section (10000-69999) or the hydration,
injection, infusion and chemotherapy administration codes (96360-96549). Labs, imaging, ECGs,
vaccines, supplies and drugs do not call for it, nor does blood collection (36415, 36416,
36591, 36592), though CPT prints it in the surgery section. A simple rule of thumb, not the
global surgery policy: it does not know each code's global period.
"""

from __future__ import annotations

from collections.abc import Iterator

from encoder_app.codes import HCPCS_MODIFIER, normalize
from encoder_app.edits.codes import is_evaluation_and_management
from encoder_app.edits.finding import Finding
from encoder_app.edits.registry import rule
from encoder_app.edits.view import CodebookView
from encoder_app.encounters.snapshot import EncounterSnapshot, ProcedureLine

#: CPT (Level I) modifiers, as listed in CPT Appendix A, and the Category II performance
#: measurement modifiers 1P, 2P, 3P and 8P.
CPT_MODIFIERS = frozenset(
    ["22", "23", "24", "25", "26", "27", "32", "33", "47", "50", "51", "52", "53", "54", "55",
     "56", "57", "58", "59", "62", "63", "66", "73", "74", "76", "77", "78", "79", "80", "81",
     "82", "90", "91", "92", "93", "95", "96", "97", "99", "1P", "2P", "3P", "8P"])
MAX_MODIFIERS = 4  # modifier slots on a CMS-1500 / 837P service line
MAX_POINTERS = 4  # diagnosis pointers on a CMS-1500 service line

CLAIM_FORM = "CMS-1500 / 837P service line"
CPT_SOURCE = "CPT Appendix A modifiers"
EM_SOURCE = ("CPT modifier 25 and NCCI Policy Manual ch. I (E/M on the day of a procedure: "
             "surgery 10000-69999, administration 96360-96549)")
EM_BYPASS = ("25", "57")
#: Specimen collection in the surgery range that never calls for modifier 25 on the visit.
COLLECTION_CODES = frozenset(["36415", "36416", "36591", "36592"])


def _modifier_problem(view: CodebookView, modifier: str) -> tuple[str | None, str]:
    """(problem or None, source) for one modifier; problem "unchecked" when no list is loaded."""
    if len(modifier) != 2 or not modifier.isalnum():
        return (f"modifier {modifier!r} is not two letters or digits",
                "CPT and HCPCS Level II modifier format")
    if modifier in CPT_MODIFIERS:
        return None, CPT_SOURCE
    detail = view.detail(modifier, HCPCS_MODIFIER)
    if detail is not None:
        source = f"HCPCS Level II modifiers ({detail.release})"
        if detail.valid:
            return None, source
        return f"modifier {modifier} is not valid on {view.date}: {detail.validity}", source
    if modifier.isdigit():
        return (f"modifier {modifier} is not a CPT modifier", CPT_SOURCE)
    if not view.has_codes(HCPCS_MODIFIER):
        return "unchecked", "HCPCS Level II modifiers (none loaded)"
    return (f"modifier {modifier} is not a CPT or HCPCS Level II modifier",
            f"{CPT_SOURCE}; HCPCS Level II modifiers")


@rule("line.modifier", "error", "CPT and HCPCS Level II modifiers; claim modifier slots")
def modifiers(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    unchecked: list[str] = []
    for line in encounter.procedures:
        seen: set[str] = set()
        for modifier in line.modifiers:
            if modifier in seen:
                yield Finding(
                    "line.modifier_duplicate", "error", (line.code,),
                    f"Line {line.line} ({line.code}) lists modifier {modifier} more than once; "
                    f"report it once.", CLAIM_FORM,
                    {"action": "remove_modifier", "line": line.line, "modifier": modifier})
                continue
            seen.add(modifier)
            problem, source = _modifier_problem(view, modifier)
            if problem == "unchecked":
                if modifier not in unchecked:
                    unchecked.append(modifier)
            elif problem:
                yield Finding(
                    "line.modifier_invalid", "error", (line.code,),
                    f"Line {line.line} ({line.code}): {problem}. Correct or remove it.", source,
                    {"action": "remove_modifier", "line": line.line, "modifier": modifier})
        if len(line.modifiers) > MAX_MODIFIERS:
            yield Finding(
                "line.modifier_count", "error", (line.code,),
                f"Line {line.line} ({line.code}) has {len(line.modifiers)} modifiers; a claim "
                f"line carries at most {MAX_MODIFIERS}. Keep the ones that affect payment "
                f"first, or use modifier 99 (multiple modifiers) as the payer directs.",
                CLAIM_FORM)
    if unchecked:
        yield Finding(
            "line.modifier_not_checked", "info", (),
            f"Modifier{'s' if len(unchecked) > 1 else ''} {', '.join(unchecked)} could not be "
            f"checked: no HCPCS Level II modifier list is loaded. Import the CMS Level II "
            f"modifier list (or the HCPCS ANWEB file) with `encoder-app import`.",
            "HCPCS Level II modifiers (none loaded)")


@rule("line.pointer", "error", "CMS-1500 item 24E diagnosis pointers")
def pointers(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    if encounter.setting == "inpatient":
        return  # an institutional claim's ICD-10-PCS procedures carry no pointers
    count = len(encounter.diagnoses)
    source = "CMS-1500 item 24E diagnosis pointers"
    for line in encounter.procedures:
        if not line.diagnosis_pointers:
            yield Finding(
                "line.pointer_missing", "error", (line.code,),
                f"Line {line.line} ({line.code}) points to no diagnosis; every service line "
                f"needs the diagnosis that supports it."
                + ("" if count else " The claim has no diagnosis either: add one first."),
                source, {"action": "set_pointers", "line": line.line, "pointers": [1]}
                if count else None)
            continue
        past = [p for p in line.diagnosis_pointers if p > count]
        if past:
            kept = [p for p in line.diagnosis_pointers if p <= count] or ([1] if count else [])
            listed = ", ".join(str(p) for p in past)
            yield Finding(
                "line.pointer_invalid", "error", (line.code,),
                f"Line {line.line} ({line.code}) points to diagnosis {listed}, but the claim "
                f"lists {count} diagnos{'is' if count == 1 else 'es'}.", source,
                {"action": "set_pointers", "line": line.line, "pointers": kept[:MAX_POINTERS]}
                if kept else None)
        if len(line.diagnosis_pointers) > MAX_POINTERS:
            yield Finding(
                "line.pointer_count", "warning", (line.code,),
                f"Line {line.line} ({line.code}) has {len(line.diagnosis_pointers)} diagnosis "
                f"pointers; a claim line carries {MAX_POINTERS}. Keep the {MAX_POINTERS} that "
                f"best support the service, the primary reason first.", source,
                {"action": "set_pointers", "line": line.line,
                 "pointers": list(line.diagnosis_pointers[:MAX_POINTERS])})


def _needs_25(code: str) -> bool:
    """A same-day procedure that calls for modifier 25 on the E/M visit."""
    c = normalize(code)
    if len(c) != 5 or not c.isdigit() or c in COLLECTION_CODES:
        return False
    n = int(c)
    return 10000 <= n <= 69999 or 96360 <= n <= 96549


@rule("line.em_modifier_25", "warning", EM_SOURCE)
def em_with_procedure(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    procedures = [x for x in encounter.procedures if _needs_25(x.code)]
    if not procedures:
        return
    for line in encounter.procedures:
        if not is_evaluation_and_management(line.code):
            continue
        if any(m in EM_BYPASS for m in line.modifiers):
            continue
        others = [x for x in procedures if x.line != line.line]
        if not others:
            continue
        codes = list(dict.fromkeys(x.code for x in others))
        yield Finding(
            "line.em_modifier_25", "warning", (line.code, *codes),
            f"Line {line.line}: E/M {line.code} is billed on the same day as "
            f"{', '.join(codes)}. If the visit was significant and separately identifiable "
            f"from the procedure, add modifier 25 to line {line.line}; if it was only the "
            f"decision for a major surgery, modifier 57; otherwise the visit is part of the "
            f"procedure and is not billed.", EM_SOURCE,
            {"action": "add_modifier", "line": line.line, "modifier": "25"})


def _money(line: ProcedureLine) -> str:
    return f"{line.charge:,.2f}"


@rule("line.units_charge", "error", CLAIM_FORM)
def units_and_charges(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    if encounter.setting == "inpatient":
        return  # an inpatient stay is charged by revenue code, not per procedure line
    for line in encounter.procedures:
        if line.units == 0:
            yield Finding(
                "line.units_zero", "error", (line.code,),
                f"Line {line.line} ({line.code}) reports 0 units; a billed service has at "
                f"least 1.", f"{CLAIM_FORM}: item 24G units",
                {"action": "set_units", "line": line.line, "units": 1})
        if line.charge is None:
            yield Finding(
                "line.charge_missing", "warning", (line.code,),
                f"Line {line.line} ({line.code}) has no charge; enter the practice's fee for "
                f"the service (0.00 if it is not charged).", f"{CLAIM_FORM}: item 24F charges")
        elif line.charge < 0:
            yield Finding(
                "line.charge_negative", "error", (line.code,),
                f"Line {line.line} ({line.code}) has a negative charge ({_money(line)}); charges "
                f"are never negative: enter the fee, and post discounts or refunds as "
                f"adjustments.", f"{CLAIM_FORM}: item 24F charges")
