"""A student's answers file for `encoder-app study grade`: a JSON object that maps each case id
to the list of codes entered, in the order entered: ``{"diabetes-01": ["E11.22", "N18.31"]}``.

Every problem is named with the file, the case id and the field, all of them at once; a case id
the set does not have is an error (a typo would otherwise score the case 0 in silence).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from encoder_app.errors import LocatedError, ManyErrors
from encoder_app.json_file import read_json_file
from encoder_app.study.exercise_set import ExerciseSet
from encoder_app.study.grading import MAX_ENTERED

MAX_CODE_TEXT = 30
MAX_FILE_BYTES = 20_000_000


class AnswersError(LocatedError):
    """One malformed field of an answers file."""


class AnswersInvalid(ManyErrors):
    """Every problem of one answers file."""


def parse_answers(data: Any, source: str, exercise_set: ExerciseSet) -> dict[str, list[str]]:
    problems: list[LocatedError] = []
    if not isinstance(data, dict):
        raise AnswersInvalid([AnswersError(source, "$", "must be a JSON object mapping each "
                                                        "case id to a list of codes")])
    answers: dict[str, list[str]] = {}
    for case_id, codes in data.items():
        where = f"case {case_id}"
        if case_id not in exercise_set.by_id:
            problems.append(AnswersError(source, where, f"is not a case of set "
                                                        f"{exercise_set.name!r}"))
            continue
        if not isinstance(codes, list):
            problems.append(AnswersError(source, where, "must be a list of codes (texts)"))
            continue
        if len(codes) > MAX_ENTERED:
            problems.append(AnswersError(source, where, f"lists {len(codes):,} codes; at most "
                                                        f"{MAX_ENTERED}"))
            continue
        kept = []
        for i, code in enumerate(codes):
            if not isinstance(code, str):
                problems.append(AnswersError(source, f"{where}[{i}]", "must be a code written "
                                                                      "as text"))
            elif len(code) > MAX_CODE_TEXT or "\x00" in code:
                problems.append(AnswersError(source, f"{where}[{i}]",
                                             f"is not a code (longer than {MAX_CODE_TEXT} "
                                             "characters or holding a NUL)"))
            else:
                kept.append(code)
        answers[case_id] = kept
    if problems:
        raise AnswersInvalid(problems)
    return answers


def load_answers(path: Path | str, exercise_set: ExerciseSet) -> dict[str, list[str]]:
    path = Path(path)
    try:
        data = read_json_file(path, AnswersError, max_bytes=MAX_FILE_BYTES)
    except AnswersError as exc:
        raise AnswersInvalid([exc]) from None
    return parse_answers(data, path.name, exercise_set)
