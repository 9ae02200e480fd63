"""Injuries and their external causes (Official Guidelines I.C.19, I.C.20): an external cause
is never first-listed, carries its injury's 7th character, and place, activity and status are
reported once, at the initial encounter. An injury without any external cause is a reminder."""

from __future__ import annotations

from collections.abc import Iterator

from encoder_app.edits.code_sets import CodeSet
from encoder_app.edits.finding import Finding
from encoder_app.edits.guidelines import table
from encoder_app.edits.guidelines.claim import diagnosis_codes, exists, listed, shown
from encoder_app.edits.registry import rule
from encoder_app.edits.view import CodebookView
from encoder_app.encounters.snapshot import EncounterSnapshot

T = table("external_causes")
EXTERNAL, INJURY = T.codes("external_cause"), T.codes("injury")
NEEDS_CAUSE = T.codes("needs_external_cause")
ENCOUNTER_OF = {char: kind for kind, chars in T.value("encounters").items() for char in chars}
#: The 7th character that says each encounter on an external cause code.
SEVENTH_FOR = {"initial": "A", "subsequent": "D", "sequela": "S"}
ONCE = [(CodeSet.of(r["codes"]), r) for r in
        T.rows("once", "codes", "what", "section", "unspecified")]


def encounter_of(code: str) -> str | None:
    """initial, subsequent or sequela from a 7th character ('S52521D' -> subsequent)."""
    return ENCOUNTER_OF.get(code[6]) if len(code) == 7 and code[6].isalpha() else None


@rule("guideline.external_causes", "error", "ICD-10-CM Official Guidelines FY2026, I.C.20")
def external_causes(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    codes = diagnosis_codes(encounter, view)
    causes = EXTERNAL.positions(codes)
    if not causes:
        needing = NEEDS_CAUSE.positions(codes)
        if needing:
            yield Finding(
                "guideline.external_cause_missing", "info",
                tuple(shown(codes[i]) for i in needing),
                f"No external cause code explains {listed([codes[i] for i in needing])}: add "
                f"how it happened (and, at the initial encounter, the place, activity and "
                f"status) where your state or payer asks for them; there is no national "
                f"requirement", T.section("reporting"))
        return
    if causes[0] == 0:
        yield _first_listed(codes, causes)
    injuries = [i for i in INJURY.positions(codes) if encounter_of(codes[i])]
    kinds = {encounter_of(codes[i]) for i in injuries}
    for i in causes:
        kind = encounter_of(codes[i])
        if kind is None or not kinds or kind in kinds:
            continue
        fix = None
        if len(kinds) == 1:
            wanted = codes[i][:6] + SEVENTH_FOR[next(iter(kinds))]
            if exists(view, wanted):
                fix = {"action": "replace_diagnosis", "index": i, "code": shown(wanted)}
        yield Finding(
            "guideline.external_cause_encounter", "warning",
            (shown(codes[i]), *(shown(codes[j]) for j in injuries)),
            f"{shown(codes[i])} is for the {kind} encounter, but "
            f"{listed([codes[j] for j in injuries])} {'is' if len(injuries) == 1 else 'are'} "
            f"for the {' or '.join(sorted(kinds))} encounter: an external cause code carries "
            f"the 7th character of the injury it explains", T.section("seventh_character"), fix)
    yield from _once_at_the_initial_encounter(codes, kinds)


def _first_listed(codes: list[str], causes: list[int]) -> Finding:
    others = [i for i in range(len(codes)) if i not in causes]
    fix = {"action": "move_diagnosis", "from": 0, "to": others[0]} if others else None
    after = (f"list it after {shown(codes[others[0]])}" if others else
             "code the injury or condition it explains first")
    return Finding(
        "guideline.external_cause_first", "error", (shown(codes[0]),),
        f"{shown(codes[0])} is an external cause code: it is never first-listed; {after}",
        T.section("never_first"), fix)


def _once_at_the_initial_encounter(codes: list[str], kinds: set) -> Iterator[Finding]:
    later_encounter = bool(kinds) and "initial" not in kinds
    for codeset, row in ONCE:
        found = codeset.positions(codes)
        source = T.section(row["section"])
        for n, i in enumerate(found):
            code = shown(codes[i])
            if later_encounter:
                yield Finding(
                    "guideline.external_cause_once", "warning", (code,),
                    f"{code} ({row['what']}) is reported once, at the initial encounter; the "
                    f"injuries coded are for the {' or '.join(sorted(kinds))} encounter",
                    source, {"action": "remove_diagnosis", "index": i})
            elif n > 0:
                yield Finding(
                    "guideline.external_cause_once", "warning", (shown(codes[found[0]]), code),
                    f"{shown(codes[found[0]])} and {code}: one {row['what']} code is reported",
                    source, {"action": "remove_diagnosis", "index": i})
            elif code == row["unspecified"]:
                yield Finding(
                    "guideline.external_cause_unspecified", "info", (code,),
                    f"{code} is not assigned when the record does not state the {row['what']}; "
                    f"leave it off rather than report it unspecified", source,
                    {"action": "remove_diagnosis", "index": i})
