"""Which code set a code on a claim belongs to, from its shape."""

from __future__ import annotations

from encoder_app.codes import CPT_SHAPE, HCPCS_SHAPE, ICD10PCS_SHAPE, normalize


def procedure_system(code: str) -> str | None:
    """cpt, hcpcs or icd10pcs for a procedure line's code; None when it fits no shape."""
    c = normalize(code)
    if CPT_SHAPE.fullmatch(c):
        return "cpt"
    if HCPCS_SHAPE.fullmatch(c):
        return "hcpcs"
    if ICD10PCS_SHAPE.fullmatch(c):
        return "icd10pcs"
    return None


#: E/M visit codes (office, hospital, ED, nursing facility, home, consults, preventive).
def is_evaluation_and_management(code: str) -> bool:
    c = normalize(code)
    return c.isdigit() and len(c) == 5 and (99202 <= int(c) <= 99499)
