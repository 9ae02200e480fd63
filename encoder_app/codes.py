"""How codes are written: stored without the dot, shown with it (ICD-10-CM only)."""

from __future__ import annotations

ICD10CM = "icd10cm"
ICD10PCS = "icd10pcs"
HCPCS = "hcpcs"
HCPCS_MODIFIER = "hcpcs_modifier"
CPT = "cpt"
POS = "pos"

#: Systems a coder names on the command line, with the words shown to them.
SYSTEM_NAMES = {
    ICD10CM: "ICD-10-CM",
    ICD10PCS: "ICD-10-PCS",
    HCPCS: "HCPCS Level II",
    HCPCS_MODIFIER: "HCPCS modifier",
    CPT: "CPT",
    POS: "Place of Service",
}


def normalize(code: str) -> str:
    """The stored form: upper case, no dot, no spaces ('e11.9 ' -> 'E119')."""
    return code.strip().upper().replace(".", "").replace(" ", "")


def dotted(code: str, system: str = ICD10CM) -> str:
    """The form a coder reads: 'E119' -> 'E11.9'; other systems have no dot."""
    if system == ICD10CM and len(code) > 3 and code[0].isalpha():
        return f"{code[:3]}.{code[3:]}"
    return code
