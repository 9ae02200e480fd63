"""Severe sepsis and septic shock (Official Guidelines I.C.1.d): R65.2- follows the underlying
systemic infection, is never first-listed, and R65.21 (with septic shock) already says severe
sepsis, so R65.20 beside it contradicts it."""

from __future__ import annotations

from collections.abc import Iterator

from encoder_app.edits.finding import Finding
from encoder_app.edits.guidelines import table
from encoder_app.edits.guidelines.claim import diagnosis_codes, shown
from encoder_app.edits.registry import rule
from encoder_app.edits.view import CodebookView
from encoder_app.encounters.snapshot import EncounterSnapshot

T = table("sepsis")
SEVERE, WITHOUT_SHOCK, SHOCK = T.codes("severe_sepsis"), T.codes("without_shock"), T.codes(
    "septic_shock")
INFECTION = T.codes("systemic_infection")


def _section(code: str) -> str:
    return T.section("septic_shock" if SHOCK.covers_stored(code) else "severe_sepsis")


@rule("guideline.sepsis", "error", "ICD-10-CM Official Guidelines FY2026, I.C.1.d")
def sepsis(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    codes = diagnosis_codes(encounter, view)
    severe = SEVERE.positions(codes)
    if not severe:
        return
    infections = INFECTION.positions(codes)
    shock = [i for i in severe if SHOCK.covers_stored(codes[i])]
    for i in severe:
        code = shown(codes[i])
        if shock and WITHOUT_SHOCK.covers_stored(codes[i]):
            yield Finding(
                "guideline.sepsis_shock", "error", (code, shown(codes[shock[0]])),
                f"{code} (without septic shock) contradicts {shown(codes[shock[0]])} (severe "
                f"sepsis with septic shock): report {shown(codes[shock[0]])} alone",
                T.section("septic_shock"), {"action": "remove_diagnosis", "index": i})
            continue
        if not infections:
            yield Finding(
                "guideline.sepsis_infection_missing", "warning", (code,),
                f"{code} follows the code of the underlying systemic infection, and none is "
                f"coded: code the infection first (A41.9 when the organism is not documented)",
                _section(codes[i]))
        elif i < infections[0]:
            yield Finding(
                "guideline.sepsis_sequence", "error", (code, shown(codes[infections[0]])),
                f"{code} is never first-listed nor before its infection: list "
                f"{shown(codes[infections[0]])} first, then {code}", _section(codes[i]),
                {"action": "move_diagnosis", "from": i, "to": infections[0]})
