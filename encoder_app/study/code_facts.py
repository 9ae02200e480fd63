"""What the codebook says of a code a student entered: which code set, billable on the case's
date or why not, its title. Grading and set validation ask through here, so both answer from the
same book the encoder shows.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from encoder_app.codebook.lookup import code_detail
from encoder_app.codes import HCPCS, ICD10CM, SYSTEM_NAMES, dotted, normalize, systems_of
from encoder_app.errors import NoRelease, UnknownCode
from encoder_app.study.grading import CodeFacts

#: Systems a student's answer can be in: those with billable codes (not modifiers or POS).
ANSWER_SYSTEMS = ("icd10cm", "icd10pcs", "hcpcs", "cpt")


class CodebookFacts:
    """A ``FactsLookup`` over the database, remembering each answer: a set's cases ask about
    the same codes again and again."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._known: dict[tuple[str, dt.date, tuple[str, ...]], CodeFacts] = {}

    def __call__(self, code: str, day: dt.date, prefer: tuple[str, ...] = ()) -> CodeFacts:
        code = normalize(code)
        found = self._known.get((code, day, prefer))
        if found is None:
            found = self._known[(code, day, prefer)] = self._ask(code, day, prefer)
        return found

    def _ask(self, code: str, day: dt.date, prefer: tuple[str, ...]) -> CodeFacts:
        shaped = [s for s in systems_of(code) if s in ANSWER_SYSTEMS]
        if not shaped:
            return CodeFacts(code, None, False, why=f"{code} is not shaped like a code")
        # J1100 fits ICD-10-CM (J11.00) and HCPCS: the case's own code set is asked first.
        order = [s for s in prefer if s in shaped] + [s for s in shaped if s not in prefer]
        first_answer: CodeFacts | None = None
        for system in order:
            try:
                detail = code_detail(self.engine, code, system, day)
            except (UnknownCode, NoRelease):
                continue
            facts = CodeFacts(detail.code, detail.system, detail.billable and detail.valid,
                              detail.title, "" if detail.valid else detail.validity)
            if facts.billable:
                return facts
            first_answer = first_answer or facts
        if first_answer:
            return first_answer
        names = " or ".join(SYSTEM_NAMES[s] for s in order)
        shown = dotted(code, ICD10CM if ICD10CM in order and HCPCS not in order else order[0])
        return CodeFacts(shown, None, False,
                         why=f"{shown} is not a code in any loaded {names} release")
