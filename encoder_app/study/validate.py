"""Checking an exercise set against the codebook: every key and optional code must exist and be
billable on its case's date of service, or students would be graded against a code they could
never find. `encoder-app study validate` prints what this returns."""

from __future__ import annotations

from sqlalchemy import Engine

from encoder_app.errors import LocatedError
from encoder_app.study.code_facts import CodebookFacts
from encoder_app.study.exercise_set import ExerciseSet, ExerciseSetError


def key_problems(engine: Engine, exercise_set: ExerciseSet,
                 facts: CodebookFacts | None = None) -> list[LocatedError]:
    """One error per key or optional code that is unknown, a header or not valid on its case's
    date, naming the file, the case id and the field."""
    facts = facts or CodebookFacts(engine)
    problems: list[LocatedError] = []
    for case in exercise_set.cases:
        day = case.date_of_service
        for field, codes in (("answer.codes", case.answer.codes),
                             ("answer.optional", case.answer.optional)):
            for i, key in enumerate(codes):
                said = facts(key.code, day, key.systems)
                if not said.billable:
                    problems.append(ExerciseSetError(
                        exercise_set.source, f"case {case.id}: {field}[{i}]",
                        f"{key.written} is not billable on {day.isoformat()}: {said.why}"))
    return problems
