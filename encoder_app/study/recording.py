"""Turning a graded answer into a stored attempt: which item it was, the area of the book it
drills (for progress by chapter), and the question to ask again when it falls due."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from encoder_app.study.areas import area_of
from encoder_app.study.attempts import Attempt, case_item, record
from encoder_app.study.drills import Question
from encoder_app.study.exercise_set import Case, ExerciseSet
from encoder_app.study.grading import CaseResult, GradedCode


def case_area(engine: Engine, case: Case) -> str:
    first = case.answer.codes[0]
    return area_of(engine, first.code, first.systems[0] if first.systems else None,
                   case.date_of_service)


def record_case(engine: Engine, user: str, exercise_set: ExerciseSet, case: Case,
                result: CaseResult, entered: list[str], mode: str = "study",
                seconds: int | None = None, when: dt.datetime | None = None) -> dt.datetime | None:
    """Store a graded case; returns when it is due again (None: not on the schedule)."""
    attempt = Attempt(user, case_item(exercise_set.name, case.id), "case",
                      case_area(engine, case), result.score, tuple(entered), mode,
                      exercise_set.name, when or dt.datetime.now(), seconds)
    return record(engine, attempt, {"type": "case", "set": exercise_set.name, "case": case.id})


def drill_area(engine: Engine, question: Question) -> str:
    code = question.source.get("code") or question.source.get("at", "")
    if question.kind in ("seventh-character", "title"):
        code = question.answer
    return area_of(engine, code, "icd10cm", question.date_of_service)


def record_drill(engine: Engine, user: str, question: Question, graded: GradedCode,
                 mode: str = "study", seconds: int | None = None,
                 when: dt.datetime | None = None) -> dt.datetime | None:
    attempt = Attempt(user, question.item, question.kind, drill_area(engine, question),
                      graded.points, (graded.entered,), mode, None,
                      when or dt.datetime.now(), seconds)
    return record(engine, attempt, {"type": "drill", "question": question.to_json()})
