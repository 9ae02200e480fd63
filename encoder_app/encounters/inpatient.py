"""The inpatient fields of an encounter file: the UB-04 patient discharge status codes the MS-DRG
grouper takes, and the present-on-admission (POA) indicators, each with its meaning.

The statuses are form locator 17 of the UB-04 (NUBC), as CMS lists them for inpatient claims
and as the grouper and the Medicare Code Editor accept them: 09 (admitted as an inpatient) and
the hospice-only 40-42 are not discharge statuses of an inpatient stay, and the MCE calls them
invalid (docs/decisions/ms-drg-grouper.md).
"""

from __future__ import annotations

DISCHARGE_STATUSES: dict[str, str] = {
    "01": "home or self care, routine discharge",
    "02": "short-term general hospital for inpatient care",
    "03": "skilled nursing facility (SNF) with Medicare certification",
    "04": "facility that provides custodial or supportive care",
    "05": "designated cancer center or children's hospital",
    "06": "home under care of an organized home health service",
    "07": "left against medical advice or discontinued care",
    "20": "expired",
    "21": "court or law enforcement",
    "30": "still a patient",
    "43": "federal health care facility",
    "50": "hospice, home",
    "51": "hospice, medical facility",
    "61": "swing bed within this hospital",
    "62": "inpatient rehabilitation facility or rehabilitation unit",
    "63": "long-term care hospital (LTCH)",
    "64": "nursing facility certified under Medicaid, not Medicare",
    "65": "psychiatric hospital or psychiatric unit",
    "66": "critical access hospital (CAH)",
    "69": "designated disaster alternative care site",
    "70": "another type of health care institution",
    "81": "home or self care, with a planned acute care readmission",
    "82": "short-term general hospital, with a planned acute care readmission",
    "83": "SNF with Medicare certification, with a planned acute care readmission",
    "84": "custodial or supportive care, with a planned acute care readmission",
    "85": "cancer center or children's hospital, with a planned acute care readmission",
    "86": "home health service, with a planned acute care readmission",
    "87": "court or law enforcement, with a planned acute care readmission",
    "88": "federal health care facility, with a planned acute care readmission",
    "89": "swing bed, with a planned acute care readmission",
    "90": "rehabilitation facility or unit, with a planned acute care readmission",
    "91": "LTCH, with a planned acute care readmission",
    "92": "Medicaid-certified nursing facility, with a planned acute care readmission",
    "93": "psychiatric hospital or unit, with a planned acute care readmission",
    "94": "CAH, with a planned acute care readmission",
    "95": "another institution, with a planned acute care readmission",
}

#: The codes as a message lists them: runs of consecutive codes joined ("01-07, 20, 21, ...").
STATUS_LIST = "01-07, 20, 21, 30, 43, 50, 51, 61-66, 69, 70, 81-95"

POA_INDICATORS: dict[str, str] = {
    "Y": "present at the time of inpatient admission",
    "N": "not present at the time of inpatient admission",
    "U": "documentation insufficient to determine",
    "W": "clinically undetermined",
    "1": "exempt from POA reporting",
}


def discharge_status_words(code: str) -> str:
    """'06 (home under care of an organized home health service)'."""
    return f"{code} ({DISCHARGE_STATUSES.get(code, 'not a discharge status')})"


def diagnosis_code(entry) -> str:
    """The code of a diagnosis as an encounter document holds it: "I50.23", or the object
    {"code": "I50.23", "poa": "Y"} an inpatient stay writes."""
    return str(entry.get("code") or "") if isinstance(entry, dict) else str(entry)
