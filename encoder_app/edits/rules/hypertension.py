"""Hypertension with heart disease and chronic kidney disease (Official Guidelines I.C.9.a).

The link is presumed, so I10 beside a heart condition or CKD becomes one combination code from
I11-I13; that code must agree with the CKD stage and the heart failure coded beside it, and the
N18 and I50 codes are still reported with it."""

from __future__ import annotations

from collections.abc import Iterator

from encoder_app.codes import normalize
from encoder_app.edits.code_sets import CodeSet
from encoder_app.edits.finding import Finding
from encoder_app.edits.guidelines import table
from encoder_app.edits.guidelines.claim import diagnosis_codes, exists, listed, shown, titled
from encoder_app.edits.registry import rule
from encoder_app.edits.view import CodebookView
from encoder_app.encounters.snapshot import EncounterSnapshot

T = table("hypertension")
ESSENTIAL, COMBINATIONS = T.codes("essential"), T.codes("combinations")
HEART, FAILURE = T.codes("heart_disease"), T.codes("heart_failure")
CKD, LATE_CKD = T.codes("ckd"), T.codes("ckd_stage_5_or_esrd")
ROWS = T.rows("combination", "heart", "ckd", "code", "section")
COMBINATION = {(r["heart"], r["ckd"]): r for r in ROWS}
BY_CODE = {normalize(r["code"]): r for r in ROWS}
REQUIRES = [(CodeSet.of(r["codes"]), T.codes(r["add"]), r["what"], r["section"])
            for r in T.rows("requires", "codes", "add", "what", "section")]

HEART_LEVELS = ("none", "disease", "failure")
CKD_LEVELS = ("none", "stages_1_4", "stage_5_esrd")
CKD_WORDS = {"stages_1_4": "stage 1-4 or unspecified CKD", "stage_5_esrd": "stage 5 CKD or ESRD"}


def _states(codes: list[str]) -> tuple[str, str]:
    """(heart, ckd) as the claim codes them. A combination code speaks for what it includes
    (I13.2 says heart failure and stage 5) except the CKD stage where an N18 code gives it."""
    heart = ("failure" if any(FAILURE.covers_stored(c) for c in codes) else
             "disease" if any(HEART.covers_stored(c) for c in codes) else "none")
    stages = [c for c in codes if CKD.covers_stored(c)]
    ckd = ("none" if not stages else
           "stage_5_esrd" if any(LATE_CKD.covers_stored(c) for c in stages) else "stages_1_4")
    for code in codes:
        implied = BY_CODE.get(code)
        if implied is None:
            continue
        heart = max(heart, implied["heart"], key=HEART_LEVELS.index)
        if not stages:
            ckd = max(ckd, implied["ckd"], key=CKD_LEVELS.index)
    return heart, ckd


@rule("guideline.hypertension", "warning", "ICD-10-CM Official Guidelines FY2026, I.C.9.a")
def hypertension(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    codes = diagnosis_codes(encounter, view)
    coded = sorted(ESSENTIAL.positions(codes) + COMBINATIONS.positions(codes))
    if not coded:
        return
    heart, ckd = _states(codes)
    expected = COMBINATION.get((heart, ckd))
    present = [codes[i] for i in coded]
    if expected is not None and present != [normalize(expected["code"])]:
        yield _combination_finding(view, codes, coded, expected, heart, ckd)
    for i in coded:
        for covered, needed, what, section in REQUIRES:
            if covered.covers_stored(codes[i]) and not any(needed.covers_stored(c) for c in codes):
                yield Finding(
                    "guideline.hypertension_additional", "warning", (shown(codes[i]),),
                    f"{shown(codes[i])} needs {what} reported beside it: the combination "
                    f"code does not replace it", T.section(section))


def _combination_finding(view: CodebookView, codes: list[str], coded: list[int], expected: dict,
                         heart: str, ckd: str) -> Finding:
    target = expected["code"]
    present = [codes[i] for i in coded]
    linked = [c for c in codes if HEART.covers_stored(c) or CKD.covers_stored(c)]
    source = T.section(expected["section"])
    if len(coded) == 1:
        fix = {"action": "replace_diagnosis", "index": coded[0], "code": target}
    else:
        fix = {"action": "combine_diagnoses", "indexes": coded, "code": target}
    if not exists(view, target):
        fix = None
    one = present[0]
    same_category = len(coded) == 1 and one[:3] == normalize(target)[:3]
    implied = BY_CODE.get(one, {})
    if same_category and implied.get("heart") == heart:
        # Only the stage disagrees: the code's title contradicts the N18 code beside it.
        stages = [c for c in codes if CKD.covers_stored(c)]
        return Finding(
            "guideline.hypertension_ckd_stage", "error", (shown(one), *map(shown, stages)),
            f"{shown(one)} is for {CKD_WORDS[implied['ckd']]}, but {listed(stages)} "
            f"is coded ({CKD_WORDS[ckd]}): report {titled(view, target)}", source, fix)
    if same_category and implied.get("ckd") == ckd:
        # Only heart failure disagrees (a code "with" failure implies it, so this is I11.9,
        # I13.10 or I13.11 beside an I50 code).
        failures = [c for c in codes if FAILURE.covers_stored(c)]
        return Finding(
            "guideline.hypertension_combination", "warning", (shown(one), *map(shown, failures)),
            f"{shown(one)} is without heart failure, but {listed(failures)} is coded: report "
            f"{titled(view, target)}", source, fix)
    if all(ESSENTIAL.covers_stored(c) for c in present):
        return Finding(
            "guideline.hypertension_combination", "warning",
            (*map(shown, present), *map(shown, linked)),
            f"Hypertension and {listed(linked)} are presumed linked unless the provider "
            f"documents another cause: report {titled(view, target)} in place of "
            f"{listed(present)}", source, fix)
    others = [c for c in present if c != normalize(target)]
    if len(others) < len(present):
        return Finding(
            "guideline.hypertension_combination", "warning", tuple(map(shown, present)),
            f"{listed(others)} {'is' if len(others) == 1 else 'are'} included in "
            f"{titled(view, target)}: report it alone", source, fix)
    return Finding(
        "guideline.hypertension_combination", "warning", tuple(map(shown, present)),
        f"{listed(present)} with {listed(linked) if linked else 'each other'}: report one "
        f"combination code, {titled(view, target)}", source, fix)
