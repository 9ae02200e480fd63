"""A sitting from start to stored attempts, and the review of missed items coming back."""

from __future__ import annotations

import datetime as dt

import pytest

from encoder_app.errors import EncoderError
from encoder_app.study.attempts import attempts
from encoder_app.study.code_facts import CodebookFacts
from encoder_app.study.drills import generate
from encoder_app.study.session import EXAM, STUDY, from_questions
from encoder_app.study.sittings import record_item, review_sitting, set_sitting


def test_missed_case_and_drill_come_back_for_review_and_right_ones_do_not(fy2026_engine):
    engine, facts = fy2026_engine, CodebookFacts(fy2026_engine)
    with pytest.raises(EncoderError, match="Nothing is due for review now"):
        review_sitting(engine, "ana")
    sitting = set_sitting(engine, "diabetes", STUDY, count=2, seed=4)
    first, second = sitting.items
    sitting.answer(0, first.key)  # right
    sitting.answer(1, ["E11.9"])  # wrong (unless the key is E11.9 alone)
    for i in range(2):
        sitting.grade(i, facts)
        record_item(engine, "ana", sitting, i)
    question = generate(engine, "title", 1, 5)[0]
    drill = from_questions([question], "Drill: title")
    drill.answer(0, ["Z00.00"])
    drill.grade(0, facts)
    record_item(engine, "ana", drill, 0)
    assert len(attempts(engine, "ana")) == 3

    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    review = review_sitting(engine, "ana", later)
    assert review.title == "Review of missed items"
    labels = [item.label for item in review.items]
    assert second.case.id in labels and first.case.id not in labels
    assert any(item.question == question for item in review.items)


def test_an_exam_grades_every_item_at_the_end_unanswered_ones_zero(fy2026_engine):
    facts = CodebookFacts(fy2026_engine)
    exam = set_sitting(fy2026_engine, "diabetes", EXAM, count=3, seed=1,
                       time_limit=dt.timedelta(minutes=10))
    exam.answer(0, exam.items[0].key)
    assert exam.results == {}  # nothing graded before the end
    score = exam.finish(facts)
    assert [exam.results[i].score for i in range(3)] == [1.0, 0.0, 0.0]
    assert score == pytest.approx(1 / 3)
    with pytest.raises(ValueError):
        exam.answer(1, ["E11.9"])  # over: answers are closed
    for i in range(3):
        record_item(fy2026_engine, "ben", exam, i)
    assert [a.mode for a in attempts(fy2026_engine, "ben")] == ["exam"] * 3
