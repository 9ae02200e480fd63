"""Hostile exercise sets and answers files: every input ends in a set read or a clear error
naming the file and field, never a traceback."""

from __future__ import annotations

import copy
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from encoder_app.errors import LocatedError
from encoder_app.study.answers import AnswersInvalid, parse_answers
from encoder_app.study.exercise_set import ExerciseSetInvalid, parse_exercise_set

GOOD = {"format": "encoder-app/exercise-set", "version": 1, "title": "T", "cases": [
    {"id": "c1", "prompt": "Type 2 diabetes.", "date_of_service": "2026-05-01",
     "answer": {"codes": ["E11.9", "L3908-RT"], "optional": ["Z79.84"], "sequence": "first"},
     "rationale": {"text": "t", "index": ["Diabetes, diabetic > type 2"], "tabular": ["E11.9"],
                   "guideline": "I.C.4.a"}}]}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
    | st.text(max_size=30) | st.sampled_from(["E11.9", "2026-02-30", "L3908-", "\x00", "first",
                                              "\u202eRTL", "\U0001f600", "../../x"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=12)
PATHS = [("title",), ("cases",), ("cases", 0), ("cases", 0, "id"), ("cases", 0, "prompt"),
         ("cases", 0, "date_of_service"), ("cases", 0, "answer"),
         ("cases", 0, "answer", "codes"), ("cases", 0, "answer", "codes", 1),
         ("cases", 0, "answer", "optional"), ("cases", 0, "answer", "sequence"),
         ("cases", 0, "rationale"), ("cases", 0, "rationale", "index"),
         ("cases", 0, "rationale", "index", 0), ("cases", 0, "rationale", "tabular")]


def _set_at(doc, path, value):
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(st.sampled_from(PATHS), json_values)
def test_a_broken_field_is_a_located_error_or_a_set(path, value):
    doc = copy.deepcopy(GOOD)
    _set_at(doc, path, value)
    json.dumps(doc)  # only values a JSON file can hold
    try:
        parsed = parse_exercise_set(doc, "fuzz.json", "fuzz")
    except ExerciseSetInvalid as exc:
        assert exc.problems and all(isinstance(p, LocatedError) for p in exc.problems)
        assert all(str(p).startswith("fuzz.json: ") for p in exc.problems)
    else:
        assert parsed.cases  # a set that reads has its cases


@settings(max_examples=200, derandomize=True)
@given(json_values)
def test_any_answers_document_is_read_or_refused_clearly(value):
    exercise_set = parse_exercise_set(GOOD, "set.json", "set")
    for doc in (value, {"c1": value}):
        try:
            answers = parse_answers(doc, "answers.json", exercise_set)
        except AnswersInvalid as exc:
            assert all(str(p).startswith("answers.json: ") for p in exc.problems)
        else:
            assert set(answers) <= {"c1"}
            assert all(isinstance(c, str) for codes in answers.values() for c in codes)
