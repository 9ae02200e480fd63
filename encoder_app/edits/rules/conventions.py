"""ICD-10-CM conventions across the whole encounter: duplicates, Excludes1, etiology and
manifestation (code first), use additional code, and unspecified codes with specific siblings."""

from __future__ import annotations

import re
from collections.abc import Iterator

from encoder_app.codebook.lookup import CodeDetail
from encoder_app.codes import normalize
from encoder_app.edits.finding import Finding
from encoder_app.edits.guidelines.required import said_by_a_guideline
from encoder_app.edits.references import instructions, references_in
from encoder_app.edits.registry import rule
from encoder_app.edits.view import CodebookView
from encoder_app.encounters.snapshot import EncounterSnapshot

TABULAR = "ICD-10-CM Tabular List"


def _details(encounter: EncounterSnapshot, view: CodebookView) -> list[CodeDetail | None]:
    return [view.detail(code, "icd10cm") for code in encounter.diagnoses]


@rule("icd.duplicate", "error", "ICD-10-CM Official Guidelines: report each code once")
def duplicate(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for index, code in enumerate(encounter.diagnoses):
        key = normalize(code)
        if key in seen:
            yield Finding("icd.duplicate", "error", (code.upper(),),
                          f"{code.upper()} is listed twice (positions {seen[key] + 1} and "
                          f"{index + 1})", "ICD-10-CM Official Guidelines: report each code once",
                          {"action": "remove_diagnosis", "index": index})
        else:
            seen[key] = index


@rule("icd.excludes1", "error", f"{TABULAR}: Excludes1 notes")
def excludes1(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    details = _details(encounter, view)
    reported: set[tuple[int, int]] = set()
    for i, a in enumerate(details):
        if a is None:
            continue
        for note in a.notes:
            if note.kind != "excludes1":
                continue
            refs = references_in(note.text)
            for j, b in enumerate(details):
                if j == i or b is None or (min(i, j), max(i, j)) in reported:
                    continue
                if normalize(b.code) == normalize(a.code):
                    continue
                if any(r.covers(b.code) for r in refs):
                    reported.add((min(i, j), max(i, j)))
                    yield Finding(
                        "icd.excludes1", "error", (a.code, b.code),
                        f"{a.code} and {b.code} may not be reported together: the Tabular's "
                        f"Excludes1 note at {note.at} excludes \"{note.text}\"",
                        f"{TABULAR}: Excludes1 at {note.at}",
                        {"action": "remove_diagnosis", "index": max(i, j)})


def _is_manifestation(detail: CodeDetail) -> bool:
    # "in diseases classified elsewhere", "in other diseases classified elsewhere"
    return "classified elsewhere" in detail.title.lower()


@rule("icd.code_first", "warning", f"{TABULAR}: code first notes (etiology/manifestation)")
def code_first(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    details = _details(encounter, view)
    for j, b in enumerate(details):
        if b is None:
            continue
        notes = [i for i in instructions(b.notes, "code_first") if i.refs]
        manifestation = _is_manifestation(b)
        if manifestation and j == 0:
            yield Finding("icd.manifestation_first", "error", (b.code,),
                          f"{b.code} is a manifestation code ('in diseases classified "
                          f"elsewhere'): it is never first-listed; list the underlying condition "
                          f"first", f"{TABULAR}: etiology/manifestation convention at {b.code}",
                          {"action": "move_diagnosis", "from": 0, "to": len(details) - 1}
                          if len(details) > 1 else None)
        if not notes:
            continue
        present = [(i, note) for note in notes for i, a in enumerate(details)
                   if a is not None and i != j and any(r.covers(a.code) for r in note.refs)]
        later = [(i, note) for i, note in present if i > j]
        if later and not [i for i, _ in present if i < j]:
            i, note = later[0]
            a = details[i]
            yield Finding("icd.code_first_order", "warning", (b.code, a.code),
                          f"{a.code} should be listed before {b.code}: the note at "
                          f"{note.at} says code first {note.text}",
                          f"{TABULAR}: code first at {note.at}",
                          {"action": "move_diagnosis", "from": i, "to": j})
        elif not present and manifestation:
            yield Finding("icd.code_first_missing", "warning", (b.code,),
                          f"{b.code} needs its underlying condition coded first: "
                          f"{'; '.join(n.text for n in notes)}",
                          f"{TABULAR}: code first at {notes[0].at}")


@rule("icd.use_additional_code", "info", f"{TABULAR}: use additional code notes")
def use_additional_code(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    """One reminder per instruction not yet followed: the CKD stage coded at E11.22 does not
    answer the insulin reminder at E11."""
    details = _details(encounter, view)
    codes = [d.code for d in details if d is not None]
    for d in details:
        if d is None:
            continue
        for note in instructions(d.notes, "use_additional_code"):
            if not note.refs or any(r.covers(c) for r in note.refs for c in codes if c != d.code):
                continue  # nothing to ask for, or one of the additional codes is there
            if said_by_a_guideline(d.code, note):
                continue  # its guideline rule says it, citing the guideline
            yield Finding("icd.use_additional_code", "info", (d.code,),
                          f"With {d.code}, use additional {note.text}",
                          f"{TABULAR}: use additional code at {note.at}")


#: "stage 1 through stage 4 chronic kidney disease, or unspecified chronic kidney disease": the
#: code names an unspecified form as one of its alternatives; it is not the unspecified member.
_ALTERNATIVE = re.compile(r"\b(?:or|and/or) unspecified\b")
_QUALIFIER = re.compile(r"\bunspecified\b(?: [a-z]+)?")
UNSPECIFIED_SOURCE = "ICD-10-CM Official Guidelines FY2026, I.B.18"


def unspecified_qualifiers(title: str) -> set[str]:
    """What a title leaves unspecified: 'Fracture of unspecified part of neck of unspecified
    femur' -> {'unspecified part', 'unspecified femur'}; none for a title whose 'unspecified'
    is one alternative among others."""
    text = title.lower()
    if _ALTERNATIVE.search(text):
        return set()
    return {m.group(0) for m in _QUALIFIER.finditer(text)}


def _more_specific_siblings(view: CodebookView, d: CodeDetail) -> tuple[str, list[str]]:
    """(the parent, its codes that specify what `d` leaves unspecified). A code made with a 7th
    character is compared as its 6-character code (S72.009A as S72.009 beside S72.001 and
    S72.002), and the siblings are given with the same 7th character."""
    base, seventh = d, ""
    code = normalize(d.code)
    if len(code) == 7 and d.parents and normalize(d.parents[-1].code) == code[:6]:
        base = view.detail(d.parents[-1].code, "icd10cm")
        seventh = code[6]
        if base is None or not base.parents:
            return "", []
    wanted = unspecified_qualifiers(base.title)
    parent = view.detail(base.parents[-1].code, "icd10cm") if wanted else None
    if parent is None:
        return "", []
    specific = []
    for sibling in parent.children:
        if sibling.code == base.code or not wanted - unspecified_qualifiers(sibling.title):
            continue
        if _ALTERNATIVE.search(sibling.title.lower()):
            continue
        if seventh:
            full = f"{sibling.code}{seventh}"
            if view.known(full, "icd10cm"):
                specific.append(view.detail(full, "icd10cm").code)
        else:
            specific.append(sibling.code)
    return parent.code, specific


@rule("icd.unspecified", "info", f"{TABULAR}: more specific codes")
def unspecified(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    """The unspecified member of a group, where a sibling specifies what it leaves open (a
    site, a side, a type): the Tabular's choice for the coder to check against the record."""
    for d in _details(encounter, view):
        if d is None or not d.valid or not d.parents or "unspecified" not in d.title.lower():
            continue
        parent, specific = _more_specific_siblings(view, d)
        if specific:
            yield Finding("icd.unspecified", "info", (d.code,),
                          f"{d.code} is an unspecified code; if the record documents more, "
                          f"{parent} has more specific codes ({', '.join(specific[:5])}"
                          f"{', ...' if len(specific) > 5 else ''})",
                          f"{TABULAR}: codes under {parent}; {UNSPECIFIED_SOURCE}")
