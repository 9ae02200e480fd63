"""Diabetes mellitus (Official Guidelines I.A.15 "with" and I.C.4.a): a "without complications"
code beside a complication of the same category, a condition the Index links to diabetes coded
apart from its combination code, and the drug the diabetes is controlled with."""

from __future__ import annotations

from collections.abc import Iterator

from encoder_app.edits.code_sets import CodeSet
from encoder_app.edits.finding import Finding
from encoder_app.edits.guidelines import table
from encoder_app.edits.guidelines.claim import diagnosis_codes, exists, listed, shown, titled
from encoder_app.edits.registry import rule
from encoder_app.edits.view import CodebookView
from encoder_app.encounters.snapshot import EncounterSnapshot

T = table("diabetes")
DIABETES, WITHOUT = T.codes("diabetes"), T.codes("without_complications")
DRUG_CATEGORIES, DRUG_THERAPY = T.codes("drug_categories"), T.codes("drug_therapy")
WITH = [(CodeSet.of(r["condition"]), r) for r in
        T.rows("with", "condition", "what", "suffix", "keep")]


@rule("guideline.diabetes", "warning", "ICD-10-CM Official Guidelines FY2026, I.A.15, I.C.4.a")
def diabetes(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    codes = diagnosis_codes(encounter, view)
    coded = DIABETES.positions(codes)
    if not coded:
        return
    without = [i for i in coded if WITHOUT.covers_stored(codes[i])]
    for i in without:
        others = [j for j in coded if j not in without and codes[j][:3] == codes[i][:3]]
        if others:
            yield Finding(
                "guideline.diabetes_without_complications", "error",
                (shown(codes[i]), *(shown(codes[j]) for j in others)),
                f"{shown(codes[i])} says the diabetes is without complications, but "
                f"{listed([codes[j] for j in others])} codes a complication of it: remove "
                f"{shown(codes[i])}", T.section("combination"),
                {"action": "remove_diagnosis", "index": i})
    yield from _linked_conditions(view, codes, coded, without)
    drugs_asked = any(DRUG_CATEGORIES.covers_stored(codes[i]) for i in coded)
    if drugs_asked and not DRUG_THERAPY.positions(codes):
        first = shown(codes[coded[0]])
        yield Finding(
            "guideline.diabetes_drug_therapy", "info", (first,),
            "If the patient takes diabetes drugs long term, add a code for each kind: insulin "
            "(Z79.4), oral hypoglycemic drugs (Z79.84), injectable non-insulin antidiabetic "
            "drugs (Z79.85); none for insulin given only to control the sugar during this "
            "encounter", T.section("drug_therapy"))


def _linked_conditions(view: CodebookView, codes: list[str], coded: list[int],
                       without: list[int]) -> Iterator[Finding]:
    category = codes[coded[0]][:3]
    own = [i for i in coded if codes[i][:3] == category]
    plain = [i for i in own if i in without]
    for condition, row in WITH:
        found = condition.positions(codes)
        target = category + row["suffix"]
        if not found or target in codes:
            continue
        where = found[0]
        if plain and len(own) == len(plain):  # the only diabetes code says "without"
            fix = ({"action": "replace_diagnosis", "index": plain[0], "code": shown(target)}
                   if row["keep"] else
                   {"action": "combine_diagnoses", "indexes": [plain[0], where],
                    "code": shown(target)})
            instead = f" in place of {shown(codes[plain[0]])}"
        elif row["keep"]:
            fix = {"action": "add_diagnosis", "index": max(own) + 1, "code": shown(target)}
            instead = ""
        else:
            fix = {"action": "replace_diagnosis", "index": where, "code": shown(target)}
            instead = f" in place of {shown(codes[where])}"
        also = f", with {shown(codes[where])} beside it" if row["keep"] else ""
        yield Finding(
            "guideline.diabetes_with", "warning", (shown(codes[own[0]]), shown(codes[where])),
            f"Diabetes and {row['what']} ({shown(codes[where])}) are presumed linked ('with' "
            f"in the Index) unless the provider documents another cause: report "
            f"{titled(view, target)}{instead}{also}", T.section("with"),
            fix if exists(view, target) else None)
