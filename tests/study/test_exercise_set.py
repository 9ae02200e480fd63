"""Reading exercise sets and answers files: a broken one gets every problem named with the file,
the case id and the field, never a traceback."""

from __future__ import annotations

import json

import pytest

from encoder_app.study.answers import AnswersInvalid, load_answers
from encoder_app.study.exercise_set import ExerciseSetInvalid, load_exercise_set

GOOD_CASE = {"id": "c1", "prompt": "Type 2 diabetes.", "date_of_service": "2026-05-01",
             "answer": {"codes": ["E11.9"]}, "rationale": "E11.9."}


def write(tmp_path, document, name="set.json"):
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document),
                    encoding="utf-8")
    return path


def problems(tmp_path, document):
    with pytest.raises(ExerciseSetInvalid) as caught:
        load_exercise_set(write(tmp_path, document))
    return [str(p) for p in caught.value.problems]


def a_set(*cases, **fields):
    return {"format": "encoder-app/exercise-set", "version": 1, "title": "T", **fields,
            "cases": list(cases)}


def test_a_good_set_reads_with_modifiers_rationale_and_name(tmp_path):
    case = dict(GOOD_CASE, answer={"codes": ["L3908-rt", "E11.9"], "optional": ["Z79.84"],
                                   "sequence": "first"},
                rationale={"text": "why", "index": ["Diabetes, diabetic > type 2",
                                                    {"book": "drug", "path": "Ibuprofen",
                                                     "column": "Adverse effect"}],
                           "tabular": ["E11.9"], "guideline": "I.C.4.a"})
    exercise_set = load_exercise_set(write(tmp_path, a_set(case), "my-set.json"))
    assert exercise_set.name == "my-set"
    key = exercise_set.cases[0].answer
    assert (key.codes[0].code, key.codes[0].modifiers) == ("L3908", ("RT",))
    assert key.sequence == "first" and key.optional[0].code == "Z7984"
    rationale = exercise_set.cases[0].rationale
    assert rationale.index[1].book == "drug" and rationale.index[1].column == "Adverse effect"
    assert rationale.index[0].path == ("Diabetes, diabetic", "type 2")


def test_every_malformed_field_is_named_with_case_and_field(tmp_path):
    bad = [
        dict(GOOD_CASE, id="c1", date_of_service="2026-02-30"),
        dict(GOOD_CASE, id="c2", answer={"codes": []}),
        dict(GOOD_CASE, id="c3", answer={"codes": ["E11.9", "banana"], "sequence": "last"}),
        dict(GOOD_CASE, id="c4", prompt=""),
        dict(GOOD_CASE, id="c5", answer={"codes": ["L3908-R"]}),
        dict(GOOD_CASE, id="c1"),
        {"prompt": "no id"},
        "not a case",
    ]
    found = problems(tmp_path, a_set(*bad))
    assert found[0] == ("set.json: case c1: date_of_service: 2026-02-30 is not a date on the "
                        "calendar")
    assert "set.json: case c2: answer.codes: must be a list of at least one code" in found
    assert ("set.json: case c3: answer.codes[1]: 'banana' is not shaped like a code of any "
            "code set") in found
    assert any(p.startswith("set.json: case c3: answer.sequence:") for p in found)
    assert "set.json: case c4: prompt: must be a non-empty text" in found
    assert any(p.startswith("set.json: case c5: answer.codes[0]: 'L3908-R'") for p in found)
    assert "set.json: case c1: id: is also the id of cases[0]" in found
    assert any(p.startswith("set.json: cases[6].id:") for p in found)
    assert any(p.startswith("set.json: cases[7]: must be an object") for p in found)
    # the case with only a prompt lacks its id, date, answer and rationale: four problems
    assert sum(p.startswith("set.json: cases[6]") for p in found) == 4
    assert len(found) == 12


@pytest.mark.parametrize("document, expected", [
    ("", "set.json: line 1, column 1: is not valid JSON (Expecting value)"),
    ("[]", "set.json: must be a JSON object (an exercise set)"),
    ({"format": "encoder-app/encounter"}, "set.json: format: must be 'encoder-app/exercise-set'"),
    ({"format": "encoder-app/exercise-set", "version": 2}, "set.json: version: is 2; this"),
    (a_set(), "set.json: cases: must be a list of at least one case"),
])
def test_broken_files_get_one_clear_line(tmp_path, document, expected):
    assert problems(tmp_path, document)[0].startswith(expected)


def test_a_missing_or_binary_file_is_named(tmp_path):
    with pytest.raises(ExerciseSetInvalid, match=r"nope.json: no such file"):
        load_exercise_set(tmp_path / "nope.json")
    path = tmp_path / "bin.json"
    path.write_bytes(b"\xff\xfe\x00\xd8junk")
    with pytest.raises(ExerciseSetInvalid, match="bin.json"):
        load_exercise_set(path)


def test_optional_code_may_not_also_be_required(tmp_path):
    case = dict(GOOD_CASE, answer={"codes": ["E11.9"], "optional": ["e11.9"]})
    assert problems(tmp_path, a_set(case)) == [
        "set.json: case c1: answer.optional[0]: e11.9 is also a required code"]


def test_answers_file_errors_name_file_case_and_field(tmp_path):
    exercise_set = load_exercise_set(write(tmp_path, a_set(GOOD_CASE, dict(GOOD_CASE, id="c2"))))
    answers = write(tmp_path, {"c1": ["E11.9"], "c2": "E11.9", "c9": [], "c1x": [1]},
                    "answers.json")
    with pytest.raises(AnswersInvalid) as caught:
        load_answers(answers, exercise_set)
    assert [str(p) for p in caught.value.problems] == [
        "answers.json: case c2: must be a list of codes (texts)",
        "answers.json: case c9: is not a case of set 'set'",
        "answers.json: case c1x: is not a case of set 'set'",
    ]
    good = write(tmp_path, {"c1": ["E11.9", " "]}, "good.json")
    assert load_answers(good, exercise_set) == {"c1": ["E11.9", " "]}
