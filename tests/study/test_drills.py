"""Drills come from the codebook's own notes, index and titles: each question's source is found
where it says, its answer is right by the book, and the seed decides the questions."""

from __future__ import annotations

import datetime as dt

import pytest

from encoder_app.codebook.index_lookup import look_up_index
from encoder_app.codebook.lookup import code_detail
from encoder_app.codes import normalize
from encoder_app.study.code_facts import CodebookFacts
from encoder_app.study.drills import KINDS, DrillError, generate, grade_answer

DAY = dt.date(2026, 5, 1)
pytestmark = pytest.mark.shared_data


@pytest.mark.parametrize("kind", KINDS)
def test_same_seed_same_questions_other_seed_others(study_engine_shared, kind):
    first = [q.to_json() for q in generate(study_engine_shared, kind, 15, 7, DAY)]
    again = [q.to_json() for q in generate(study_engine_shared, kind, 15, 7, DAY)]
    other = [q.to_json() for q in generate(study_engine_shared, kind, 15, 8, DAY)]
    assert len(first) == 15 and first == again
    assert {q["item"] for q in first} != {q["item"] for q in other}
    assert all(set(q) >= {"kind", "prompt", "answer", "source"} for q in first)
    assert all(q["kind"] == kind for q in first)


@pytest.mark.parametrize("kind", ["seventh-character", "excludes1", "code-first"])
def test_note_sources_are_printed_by_code_show_exactly(study_engine_shared, kind):
    for q in generate(study_engine_shared, kind, 25, 3, DAY):
        holder = q.source["at"]
        notes = code_detail(study_engine_shared, holder, "icd10cm", DAY).to_json()["notes"]
        assert q.source in notes, (holder, q.source)


def test_seventh_character_answers_are_billable_and_complete_the_code(study_engine_shared):
    for q in generate(study_engine_shared, "seventh-character", 25, 5, DAY):
        detail = code_detail(study_engine_shared, q.answer, "icd10cm", DAY)
        assert detail.billable and detail.valid and len(normalize(q.answer)) == 7
        # the prompt is the code's title without the 7th character's words, then the encounter
        assert detail.title.split(",")[0] in q.prompt


def test_code_first_answer_follows_the_note(study_engine_shared):
    for q in generate(study_engine_shared, "code-first", 40, 2, DAY):
        holder, other = q.choices
        expected = other if q.source["kind"] == "code_first" else holder
        assert q.answer == expected
        assert q.source["kind"] in ("code_first", "use_additional_code")


def test_excludes_answers_no_for_excludes1_yes_for_excludes2(study_engine_shared):
    questions = generate(study_engine_shared, "excludes1", 60, 9, DAY)
    kinds = {q.source["kind"] for q in questions}
    assert kinds == {"excludes1", "excludes2"}  # both, so "no" cannot be guessed
    for q in questions:
        assert q.answer == ("no" if q.source["kind"] == "excludes1" else "yes")


def test_index_questions_lead_where_the_index_says(study_engine_shared):
    for q in generate(study_engine_shared, "index", 20, 4, DAY):
        words = q.source["text"].replace(">", " ")
        entries = look_up_index(study_engine_shared, words, date=DAY, limit=None)
        assert any(" > ".join(e.path) == q.source["text"] and e.code == q.answer
                   for e in entries), q.source


def test_title_questions_answer_with_the_code_of_that_title(study_engine_shared):
    for q in generate(study_engine_shared, "title", 20, 6, DAY):
        assert code_detail(study_engine_shared, q.answer, "icd10cm", DAY).title == \
            q.source["text"]


def test_drill_answers_graded_like_case_codes(study_engine_shared):
    facts = CodebookFacts(study_engine_shared)
    q = generate(study_engine_shared, "seventh-character", 1, 11, DAY)[0]
    assert grade_answer(q, q.answer.lower(), facts).verdict == "correct"
    wrong_seventh = q.answer[:-1] + ("S" if q.answer[-1] != "S" else "A")
    graded = grade_answer(q, wrong_seventh, facts)
    assert graded.verdict in ("partial", "not-billable")
    choice = generate(study_engine_shared, "excludes1", 1, 1, DAY)[0]
    assert grade_answer(choice, choice.answer.upper(), facts).verdict == "correct"
    other = "yes" if choice.answer == "no" else "no"
    assert grade_answer(choice, other, facts).reason == f"the answer is {choice.answer}"


def test_bad_kind_or_count_is_a_clear_error(study_engine_shared):
    with pytest.raises(DrillError, match="--kind: 'spelling' is not a drill"):
        generate(study_engine_shared, "spelling", 5, 1, DAY)
    with pytest.raises(DrillError, match="--count: must be 1 to 10,000, not 0"):
        generate(study_engine_shared, "title", 0, 1, DAY)


def test_without_a_date_drills_are_asked_on_today_or_the_newest_release_end(study_engine_shared):
    q = generate(study_engine_shared, "title", 1, 1)[0]
    # The loaded FY2026 Tabular List (April 1 update) ends 2026-09-30.
    assert q.date_of_service == min(dt.date.today(), dt.date(2026, 9, 30))
