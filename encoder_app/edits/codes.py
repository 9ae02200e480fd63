"""Which code set a code on a claim belongs to, from its shape."""

from __future__ import annotations

import re

from encoder_app.codes import normalize

_CPT = re.compile(r"^\d{4}[0-9FTUM]$")
_HCPCS = re.compile(r"^[A-V]\d{4}$")
_PCS = re.compile(r"^[0-9A-HJ-NP-Z]{7}$")


def procedure_system(code: str) -> str | None:
    """cpt, hcpcs or icd10pcs for a procedure line's code; None when it fits no shape."""
    c = normalize(code)
    if _CPT.match(c):
        return "cpt"
    if _HCPCS.match(c):
        return "hcpcs"
    if _PCS.match(c):
        return "icd10pcs"
    return None


#: E/M visit codes (office, hospital, ED, nursing facility, home, consults, preventive).
def is_evaluation_and_management(code: str) -> bool:
    c = normalize(code)
    return c.isdigit() and len(c) == 5 and (99202 <= int(c) <= 99499)
