"""ICD-10-CM conventions across the whole encounter: duplicates, Excludes1, etiology and
manifestation (code first), use additional code, and unspecified codes with specific siblings."""

from __future__ import annotations

from collections.abc import Iterator

from encoder_app.codebook.lookup import CodeDetail
from encoder_app.codes import normalize
from encoder_app.edits.finding import Finding
from encoder_app.edits.references import references_in
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
        notes = [n for n in b.notes if n.kind == "code_first"]
        refs = [r for n in notes for r in references_in(n.text)]
        manifestation = _is_manifestation(b)
        if manifestation and j == 0:
            yield Finding("icd.manifestation_first", "error", (b.code,),
                          f"{b.code} is a manifestation code ('in diseases classified "
                          f"elsewhere'): it is never first-listed; list the underlying condition "
                          f"first", f"{TABULAR}: etiology/manifestation convention at {b.code}",
                          {"action": "move_diagnosis", "from": 0, "to": len(details) - 1}
                          if len(details) > 1 else None)
        if not refs:
            continue
        present = [i for i, a in enumerate(details) if a is not None and i != j
                   and any(r.covers(a.code) for r in refs)]
        later = [i for i in present if i > j]
        if later and not [i for i in present if i < j]:
            a = details[later[0]]
            yield Finding("icd.code_first_order", "warning", (b.code, a.code),
                          f"{a.code} should be listed before {b.code}: the note at "
                          f"{notes[0].at} says code first {notes[0].text}",
                          f"{TABULAR}: code first at {notes[0].at}",
                          {"action": "move_diagnosis", "from": later[0], "to": j})
        elif not present and manifestation:
            yield Finding("icd.code_first_missing", "warning", (b.code,),
                          f"{b.code} needs its underlying condition coded first: "
                          f"{'; '.join(n.text for n in notes)[:300]}",
                          f"{TABULAR}: code first at {notes[0].at}")


@rule("icd.use_additional_code", "info", f"{TABULAR}: use additional code notes")
def use_additional_code(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    details = _details(encounter, view)
    codes = [d.code for d in details if d is not None]
    for d in details:
        if d is None:
            continue
        notes = [n for n in d.notes if n.kind == "use_additional_code"]
        refs = [r for n in notes for r in references_in(n.text)]
        if not refs or any(r.covers(c) for r in refs for c in codes if c != d.code):
            continue  # nothing to ask for, or one of the additional codes is there
        listed = "; ".join(n.text for n in notes if references_in(n.text))
        yield Finding("icd.use_additional_code", "info", (d.code,),
                      f"Use an additional code with {d.code}, if applicable: {listed[:300]}",
                      f"{TABULAR}: use additional code at {notes[0].at}")


@rule("icd.unspecified", "info", f"{TABULAR}: more specific codes")
def unspecified(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    for d in _details(encounter, view):
        if d is None or not d.valid or "unspecified" not in d.title.lower() or not d.parents:
            continue
        parent = view.detail(d.parents[-1].code, "icd10cm")
        if parent is None:
            continue
        specific = [c.code for c in parent.children
                    if c.code != d.code and "unspecified" not in c.title.lower()]
        if specific:
            yield Finding("icd.unspecified", "info", (d.code,),
                          f"{d.code} is an unspecified code; if the record documents more, "
                          f"{parent.code} has more specific codes ({', '.join(specific[:5])}"
                          f"{', ...' if len(specific) > 5 else ''})",
                          f"{TABULAR}: codes under {parent.code}")
