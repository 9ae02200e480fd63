"""The area of the book an item drills, for progress by chapter: the ICD-10-CM chapter as the
Tabular List titles it, or the HCPCS Level II section its first letter opens."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from encoder_app.codebook.lookup import code_detail
from encoder_app.codes import HCPCS, ICD10CM, SYSTEM_NAMES
from encoder_app.errors import NoRelease, UnknownCode

#: HCPCS Level II sections by first letter, as the CMS HCPCS Level II book heads them.
HCPCS_SECTIONS = {
    "A": "Transportation, medical and surgical supplies",
    "B": "Enteral and parenteral therapy",
    "C": "Outpatient PPS",
    "D": "Dental procedures",
    "E": "Durable medical equipment",
    "G": "Procedures and professional services",
    "H": "Behavioral health and substance abuse treatment",
    "J": "Drugs administered other than oral method",
    "K": "Temporary codes (DME)",
    "L": "Orthotic and prosthetic procedures and devices",
    "M": "Medical services",
    "P": "Pathology and laboratory services",
    "Q": "Temporary codes",
    "R": "Diagnostic radiology services",
    "S": "Temporary national codes (non-Medicare)",
    "T": "National codes established for state Medicaid agencies",
    "U": "Coronavirus diagnostic panel",
    "V": "Vision, hearing and speech-language pathology services",
}


def area_of(engine: Engine, code: str, system: str | None, day: dt.date) -> str:
    """'ICD-10-CM Chapter 4: Endocrine, nutritional and metabolic diseases (E00-E89)',
    'HCPCS Level II L: Orthotic and prosthetic procedures and devices'."""
    code = code.strip().upper()
    if system == HCPCS:
        return f"HCPCS Level II {code[:1]}: {HCPCS_SECTIONS.get(code[:1], 'other')}"
    if system == ICD10CM:
        try:
            detail = code_detail(engine, code, ICD10CM, day)
        except (UnknownCode, NoRelease):
            return "ICD-10-CM"
        chapter = next((p for p in detail.parents if p.level == "chapter"), None)
        return f"ICD-10-CM {chapter.code}: {chapter.title}" if chapter else "ICD-10-CM"
    return SYSTEM_NAMES.get(system or "", "other")
