"""Age and sex conflicts: a diagnosis the Medicare Code Editor limits to one sex or to an age
range (newborn, pediatric, maternity, adult), against the patient on the date of service."""

from __future__ import annotations

from collections.abc import Iterator

from encoder_app.edits.finding import Finding
from encoder_app.edits.guidelines import table
from encoder_app.edits.registry import rule
from encoder_app.edits.view import CodebookView
from encoder_app.encounters.snapshot import EncounterSnapshot

SEX_WORDS = {"F": "female", "M": "male"}
_AGES = table("pregnancy_newborn").value("ages")
CHILDBEARING = (_AGES["childbearing_from"], _AGES["childbearing_to"])
MATERNAL_RECORD = table("pregnancy_newborn").section("maternal_record")


@rule("icd.age_sex", "error", "Medicare Code Editor age and sex edits")
def age_and_sex(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    if encounter.setting == "inpatient":
        return  # the MCE of the discharge date says it there (rules/mce_inpatient.py)
    sex = encounter.patient.sex
    age = encounter.age_on_service()
    for code in encounter.diagnoses:
        for listing in view.mce(code):
            source = f"{listing.source}: {listing.rule}"
            if listing.group == "sex" and sex in SEX_WORDS and listing.sex and listing.sex != sex:
                yield Finding("icd.sex_conflict", "error", (code.upper(),),
                              f"{code.upper()} ({listing.description}) is for "
                              f"{SEX_WORDS[listing.sex]} patients; this patient is "
                              f"{SEX_WORDS[sex]}", source)
            if listing.group == "age" and age is not None:
                low = listing.age_min if listing.age_min is not None else 0
                high = listing.age_max if listing.age_max is not None else 200
                if not low <= age <= high:
                    yield Finding("icd.age_conflict", "error", (code.upper(),),
                                  f"{code.upper()} ({listing.description}) is for ages "
                                  f"{low}-{high} ({listing.category}); the patient is {age} "
                                  f"on {encounter.date_of_service}", source)


@rule("icd.maternal_record", "error", "ICD-10-CM Tabular: chapter notes on maternal records")
def maternal_record(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    """The Tabular's own word where no MCE list is loaded: Chapter 15 codes are 'for use only
    on maternal records', so never on a male patient, a newborn or a child, nor past the
    childbearing ages of the MCE's maternity edit."""
    sex, age = encounter.patient.sex, encounter.age_on_service()
    for code in encounter.diagnoses:
        if view.mce(code):
            continue  # the MCE lists already speak for this code
        detail = view.detail(code, "icd10cm")
        if detail is None:
            continue
        note = next((n for n in detail.notes if n.kind == "notes"
                     and "only on maternal records" in n.text.lower()), None)
        if note is None:
            continue
        source = f"ICD-10-CM Tabular: note at {note.at}: \"{note.text}\""
        if sex == "M":
            yield Finding("icd.sex_conflict", "error", (detail.code,),
                          f"{detail.code} is a pregnancy code, for maternal records only; this "
                          f"patient is male", source)
        elif age is not None and age < CHILDBEARING[0]:
            yield Finding("icd.age_conflict", "error", (detail.code,),
                          f"{detail.code} is a pregnancy code, for maternal records only, never "
                          f"on a newborn's or child's record; the patient is {age}",
                          f"{source}; {MATERNAL_RECORD}")
        elif age is not None and age > CHILDBEARING[1]:
            yield Finding("icd.age_conflict", "error", (detail.code,),
                          f"{detail.code} is a pregnancy code; the patient is {age}, past the "
                          f"childbearing ages {CHILDBEARING[0]}-{CHILDBEARING[1]} the Medicare "
                          f"Code Editor's maternity edit allows: check the birth date and the "
                          f"code", f"{source}; Medicare Code Editor maternity edit (ages "
                          f"{CHILDBEARING[0]}-{CHILDBEARING[1]})")
