"""The dates of an inpatient stay's ICD-10-PCS procedures.

A hospital inpatient claim reports each procedure with the date it was performed (UB-04 form
locators 74 and 74a-e), and the grouper's logic and the HAC edits read them. A procedure with
no date is asked for one; one after the discharge date cannot belong to the stay; one before
admission belongs only when the payment window brings it in: outpatient services a hospital
gives in the 3 days before an inpatient admission (1 day for a hospital outside the IPPS) are
billed on the inpatient claim (42 CFR 412.2(c)(5)), so an earlier date is a warning to check.
"""

from __future__ import annotations

from collections.abc import Iterator

from encoder_app.codes import ICD10PCS_SHAPE, normalize
from encoder_app.edits.finding import Finding
from encoder_app.edits.registry import rule
from encoder_app.edits.view import CodebookView
from encoder_app.encounters.snapshot import EncounterSnapshot

SOURCE = "UB-04 (NUBC) form locators 74, 74a-e: procedure codes and dates"
WINDOW_SOURCE = "CMS 3-day payment window, 42 CFR 412.2(c)(5)"
#: Days before admission the payment window reaches (IPPS hospitals).
PAYMENT_WINDOW_DAYS = 3


@rule("stay.procedure_date", "warning", SOURCE)
def procedure_dates(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    if encounter.setting != "inpatient":
        return
    admitted, discharged = encounter.admission_date, encounter.discharge_date
    for line in encounter.procedures:
        if not ICD10PCS_SHAPE.fullmatch(normalize(line.code)):
            continue  # a CPT or HCPCS line is no inpatient procedure: its dates are not FL 74's
        at = f"line {line.line}: {line.code}"
        if line.date is None:
            same_day = admitted is not None and admitted == discharged
            yield Finding("stay.procedure_date_missing", "warning", (line.code,),
                          f"{at} has no procedure date: enter the day it was performed", SOURCE,
                          {"action": "set_procedure_date", "line": line.line,
                           "date": admitted.isoformat()} if same_day else None)
        elif discharged is not None and line.date > discharged:
            yield Finding("stay.procedure_after_discharge", "error", (line.code,),
                          f"{at} is dated {line.date.isoformat()}, after the discharge date "
                          f"{discharged.isoformat()}: it cannot be part of this stay", SOURCE)
        elif admitted is not None and line.date < admitted:
            before = (admitted - line.date).days
            if before > PAYMENT_WINDOW_DAYS:
                yield Finding(
                    "stay.procedure_before_admission", "warning", (line.code,),
                    f"{at} is dated {line.date.isoformat()}, {before} days before admission "
                    f"({admitted.isoformat()}): outside the {PAYMENT_WINDOW_DAYS}-day payment "
                    f"window, it belongs on its own claim", WINDOW_SOURCE)
