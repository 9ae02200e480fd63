"""Checking an exercise set against the codebook: every key and optional code must exist and be
billable on its case's date of service, or students would be graded against a code they could
never find. `encoder-app study validate` prints what this returns."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from encoder_app.codebook.index_lookup import (
    available_books,
    book_name,
    look_up_index,
    path_words,
)
from encoder_app.errors import LocatedError
from encoder_app.study.code_facts import CodebookFacts
from encoder_app.study.exercise_set import ExerciseSet, ExerciseSetError, IndexPath


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


def index_path_found(engine: Engine, path: IndexPath, day: dt.date) -> bool:
    """Whether the path leads somewhere in its book, written as `encoder-app index` prints it
    or without the nonessential modifiers; for a table, whether the row has that column."""
    words = path_words(" > ".join(path.path))
    for entry in look_up_index(engine, words, (path.book,), date=day, limit=None):
        if path.path in (entry.printed_path, tuple(entry.path)):
            return path.column is None or path.column in entry.cell_map
    return False


def index_problems(engine: Engine, exercise_set: ExerciseSet) -> list[LocatedError]:
    """One error per rationale index path its book does not have (books not loaded are not
    checked: the set may be meant for a release this database lacks)."""
    loaded = set(available_books(engine, ("index", "eindex", "neoplasm", "drug")))
    problems: list[LocatedError] = []
    for case in exercise_set.cases:
        for i, path in enumerate(case.rationale.index):
            if path.book in loaded and not index_path_found(engine, path, case.date_of_service):
                where = f" [{path.column}]" if path.column else ""
                problems.append(ExerciseSetError(
                    exercise_set.source, f"case {case.id}: rationale.index[{i}]",
                    f"{' > '.join(path.path)}{where} is not in the {book_name(path.book)}"))
    return problems
