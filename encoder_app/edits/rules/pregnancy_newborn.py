"""Pregnancy and the newborn (Official Guidelines I.C.15, I.C.16): perinatal P codes belong to
the newborn's record, and a pregnancy code is reported with the weeks of gestation (Z3A), which
belong to the mother's record only."""

from __future__ import annotations

from collections.abc import Iterator

from encoder_app.edits.finding import Finding
from encoder_app.edits.guidelines import table
from encoder_app.edits.guidelines.claim import diagnosis_codes, listed, shown
from encoder_app.edits.registry import rule
from encoder_app.edits.view import CodebookView
from encoder_app.encounters.snapshot import EncounterSnapshot

T = table("pregnancy_newborn")
PERINATAL, OBSTETRIC = T.codes("perinatal"), T.codes("obstetric")
WEEKS, NEEDS_WEEKS = T.codes("weeks_of_gestation"), T.codes("needs_weeks")
ADULT_FROM = T.value("ages")["adult_from"]


@rule("guideline.pregnancy_newborn", "warning",
      "ICD-10-CM Official Guidelines FY2026, I.C.15, I.C.16")
def pregnancy_newborn(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    codes = diagnosis_codes(encounter, view)
    perinatal, obstetric = PERINATAL.positions(codes), OBSTETRIC.positions(codes)
    age = encounter.age_on_service()
    for i in perinatal:
        code = shown(codes[i])
        if obstetric:
            yield Finding(
                "guideline.newborn_code_maternal_record", "warning",
                (code, shown(codes[obstetric[0]])),
                f"{code} is a perinatal code, for the newborn's record, never the mother's "
                f"({shown(codes[obstetric[0]])} makes this a maternal record): a condition of the "
                f"baby affecting the pregnancy is coded from Chapter 15",
                T.section("newborn_record"))
        elif age is not None and age >= ADULT_FROM and not any(
                listing.group == "age" for listing in view.mce(code)):
            yield Finding(
                "guideline.newborn_code_adult", "warning", (code,),
                f"{code} is a perinatal code and the patient is {age}: keep it only for a "
                f"condition that began in the perinatal period and is still present, which is "
                f"coded with its P code at any age", T.section("later_in_life"))
    weeks = WEEKS.positions(codes)
    needing = NEEDS_WEEKS.positions(codes)
    if needing and not weeks:
        yield Finding(
            "guideline.weeks_of_gestation", "warning", (shown(codes[needing[0]]),),
            f"{listed([codes[i] for i in needing])}: add a Z3A code for the weeks of gestation "
            f"documented (Chapter 15: use additional code from category Z3A)",
            T.section("weeks"))
    if weeks and not obstetric:
        yield Finding(
            "guideline.weeks_without_pregnancy", "warning", (shown(codes[weeks[0]]),),
            f"{shown(codes[weeks[0]])} is for the mother's record, after the pregnancy code it "
            f"goes with: code the obstetric condition or delivery (O09-O60, O80-O82, O94-O9A)",
            f"ICD-10-CM Tabular List: note and code first at Z3A; {T.section('maternal_record')}")
