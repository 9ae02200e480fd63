"""Claim completeness: the date of service, the rendering provider's NPI and its check digit, and
the patient's sex and birth date when a diagnosis on the claim is on a Medicare Code Editor sex
or age list (the age and sex edits cannot run without them)."""

from __future__ import annotations

from collections.abc import Iterator

from encoder_app.edits.finding import Finding
from encoder_app.edits.registry import rule
from encoder_app.edits.view import CodebookView
from encoder_app.encounters.snapshot import EncounterSnapshot

NPI_SOURCE = "NPI standard (45 CFR 162.406): 10 digits, Luhn check digit with prefix 80840"
#: ISO 7812 issuer prefix of US health identifiers, prepended before the Luhn check.
NPI_PREFIX = "80840"


def luhn_check_digit(digits: str) -> int:
    """The Luhn check digit to append to `digits` (ISO/IEC 7812-1)."""
    total = 0
    # The digit just left of the check digit is doubled, then every second one leftwards.
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def npi_check_digit(npi: str) -> int:
    """The check digit a 10-digit NPI must end with, from its first 9 digits."""
    return luhn_check_digit(NPI_PREFIX + npi[:9])


@rule("claim.date_of_service", "error", "CMS-1500 item 24A / 837 DTP service date")
def date_of_service(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    if encounter.date_of_service is None:
        yield Finding(
            "claim.date_of_service_missing", "error", (),
            f"The encounter has no date of service; enter it (YYYY-MM-DD). Codes and edits were "
            f"checked as of today ({view.date}).", "CMS-1500 item 24A / 837 DTP service date")


#: Diagnosis slots on a CMS-1500 (item 21, lettered A-L) and an 837P claim.
MAX_CLAIM_DIAGNOSES = 12
DIAGNOSIS_SLOTS = "CMS-1500 item 21 / 837P HI segment: 12 diagnoses, A-L"


@rule("claim.diagnosis_count", "error", DIAGNOSIS_SLOTS)
def diagnosis_count(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    if encounter.setting == "inpatient":
        return  # an 837I carries the principal and 24 more; the grouper reads them all
    extra = len(encounter.diagnoses) - MAX_CLAIM_DIAGNOSES
    if extra <= 0:
        return
    beyond = encounter.diagnoses[MAX_CLAIM_DIAGNOSES:]
    pointed = sorted({p for line in encounter.procedures for p in line.diagnosis_pointers
                      if p > MAX_CLAIM_DIAGNOSES})
    where = (f"; lines point at {', '.join(str(p) for p in pointed)}, which have no letter"
             if pointed else "")
    yield Finding(
        "claim.diagnosis_count", "error", tuple(beyond),
        f"The encounter has {len(encounter.diagnoses)} diagnoses; a claim carries "
        f"{MAX_CLAIM_DIAGNOSES} (A-L){where}. Keep the {MAX_CLAIM_DIAGNOSES} that the services "
        f"support and report the rest on a second claim.", DIAGNOSIS_SLOTS)


@rule("claim.npi", "error", NPI_SOURCE)
def npi(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    value = encounter.provider.npi
    if not value:
        yield Finding(
            "claim.npi_missing", "warning", (),
            "The rendering provider has no NPI; a claim is not paid without one.",
            "CMS-1500 item 24J / 837 rendering provider NPI")
        return
    text = value.strip()
    if len(text) != 10 or not text.isdigit():
        yield Finding(
            "claim.npi_invalid", "error", (),
            f"NPI {text!r} is not 10 digits.", NPI_SOURCE)
        return
    expected = npi_check_digit(text)
    if int(text[9]) != expected:
        yield Finding(
            "claim.npi_invalid", "error", (),
            f"NPI {text} fails the NPI check digit: with its first 9 digits the last digit "
            f"must be {expected}, not {text[9]}. Check for a mistyped digit against NPPES.",
            NPI_SOURCE)
    elif text[0] not in "12":
        yield Finding(
            "claim.npi_invalid", "error", (),
            f"NPI {text} starts with {text[0]}; NPIs start with 1 or 2.", NPI_SOURCE)


@rule("claim.patient", "warning", "Medicare Code Editor age and sex lists")
def patient_fields(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    patient = encounter.patient
    need_sex = patient.sex is None
    need_age = patient.birth_date is None
    if not (need_sex or need_age) or not encounter.diagnoses:
        return
    by_sex: dict[str, object] = {}
    by_age: dict[str, object] = {}
    for code in encounter.diagnoses:
        for listing in view.mce(code):
            if listing.group == "sex" and need_sex:
                by_sex.setdefault(code.strip().upper(), listing)
            elif listing.group == "age" and need_age:
                by_age.setdefault(code.strip().upper(), listing)
    if by_sex:
        first = next(iter(by_sex.values()))
        yield Finding(
            "claim.sex_missing", "warning", tuple(by_sex),
            f"The patient's sex is not recorded, so the sex edits for {', '.join(by_sex)} "
            f"({first.rule}) cannot be checked; enter it.",
            f"{first.source}: sex edits")
    if by_age:
        first = next(iter(by_age.values()))
        yield Finding(
            "claim.birth_date_missing", "warning", tuple(by_age),
            f"The patient's birth date is not recorded, so the age edits for "
            f"{', '.join(by_age)} ({first.rule}) cannot be checked; enter it.",
            f"{first.source}: age edits")
