"""What the guideline rules read off a claim: its diagnosis codes in the stored form, in
sequence, and how a code on it reads (dotted, with its title where the codebook knows it)."""

from __future__ import annotations

from encoder_app.codes import dotted, normalize
from encoder_app.edits.view import CodebookView
from encoder_app.encounters.snapshot import EncounterSnapshot


def diagnosis_codes(encounter: EncounterSnapshot, view: CodebookView) -> list[str]:
    """The diagnoses as stored ('E11.9 ' -> 'E119'), first-listed first. A code no loaded
    release knows stays in its place as '' (no code set covers it): the validity rule asks for
    it to be corrected first, and the guideline rules judge what it becomes."""
    return view.stored_diagnoses(encounter.diagnoses)


def shown(code: str) -> str:
    return dotted(normalize(code))


def listed(codes: list[str]) -> str:
    """'I10, N18.31 and I50.9'."""
    names = [shown(c) for c in codes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def titled(view: CodebookView, code: str) -> str:
    """'I12.9 (Hypertensive chronic kidney disease with stage 1 ...)', or the code alone."""
    detail = view.detail(code, "icd10cm")
    return f"{shown(code)} ({detail.title})" if detail else shown(code)


def exists(view: CodebookView, code: str) -> bool:
    """Whether a code a fix would put on the claim is billable on the date of service (a code
    a guideline names may be newer than the release in effect)."""
    detail = view.detail(code, "icd10cm")
    return detail is not None and detail.valid and detail.billable
