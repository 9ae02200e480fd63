"""Starting a sitting from what a student chose (a set, a drill, the items due for review) and
storing its graded items as attempts. The window calls these on its worker; a test calls them
directly."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from encoder_app.errors import EncoderError
from encoder_app.study import drills
from encoder_app.study.attempts import due_items
from encoder_app.study.grading import EXTRA, CaseResult, GradedCode
from encoder_app.study.recording import record_case, record_drill
from encoder_app.study.session import STUDY, Item, Session, from_questions, from_set
from encoder_app.study.sets import NoSuchSet, find_set


def set_sitting(engine: Engine, name: str, mode: str = STUDY, count: int | None = None,
                seed: int | None = None, **options) -> Session:
    return from_set(find_set(engine, name), mode, count, seed, **options)


def drill_sitting(engine: Engine, kind: str, count: int, seed: int, mode: str = STUDY,
                  day: dt.date | None = None, **options) -> Session:
    questions = drills.generate(engine, kind, count, seed, day)
    return from_questions(questions, f"Drill: {kind}", mode, **options)


def review_sitting(engine: Engine, user: str, now: dt.datetime | None = None,
                   limit: int = 50) -> Session:
    """The missed items due now, most overdue first. A case whose set is gone (an imported set
    removed) is left out rather than failing the review."""
    items: list[Item] = []
    sets = {}
    for due in due_items(engine, user, now, limit):
        q = due.question
        if q.get("type") == "drill":
            items.append(Item(question=drills.Question.from_json(q["question"])))
        elif q.get("type") == "case":
            try:
                exercise_set = sets.get(q["set"]) or find_set(engine, q["set"])
            except NoSuchSet:
                continue
            sets[q["set"]] = exercise_set
            case = exercise_set.by_id.get(q["case"])
            if case is not None:
                items.append(Item(case=case, exercise_set=exercise_set))
    if not items:
        raise EncoderError("Nothing is due for review now: missed items come back on their "
                           "schedule (Study > My progress shows how many are waiting).")
    return Session(STUDY, items, "Review of missed items")


def record_item(engine: Engine, user: str, session: Session, index: int) -> dt.datetime | None:
    """Store one graded item of the session as an attempt; returns when it is due again."""
    item, result = session.items[index], session.results[index]
    entered = session.answers.get(index, [])
    seconds = session.seconds.get(index)
    if item.case is not None:
        graded = CaseResult(item.case.id, result.score, result.codes, result.missing)
        return record_case(engine, user, item.exercise_set, item.case, graded, entered,
                           session.mode, seconds)
    code = result.codes[0] if result.codes else \
        GradedCode("", EXTRA, item.question.answer, "no answer")  # scores 0
    return record_drill(engine, user, item.question, code, session.mode, seconds)
