"""Each grading rule of study mode (README, "How study answers are graded"), over a fake
codebook so a rule's test fails only when that rule breaks."""

from __future__ import annotations

import datetime as dt

import pytest

from encoder_app.codes import normalize
from encoder_app.study.exercise_set import parse_exercise_set
from encoder_app.study.grading import CodeFacts, grade_case, grade_set

DAY = dt.date(2026, 5, 1)
# What the fake codebook knows: code -> (billable on DAY, title).
BOOK = {
    "E1122": (True, "Type 2 diabetes mellitus with diabetic chronic kidney disease"),
    "E119": (True, "Type 2 diabetes mellitus without complications"),
    "E1165": (True, "Type 2 diabetes mellitus with hyperglycemia"),
    "E11": (False, "Type 2 diabetes mellitus"),
    "N1831": (True, "Chronic kidney disease, stage 3a"),
    "N1830": (True, "Chronic kidney disease, stage 3 unspecified"),
    "Z7984": (True, "Long term (current) use of oral hypoglycemic drugs"),
    "I10": (True, "Essential (primary) hypertension"),
    "S52521A": (True, "Torus fracture of lower end of right radius, initial encounter"),
    "S52521D": (True, "Torus fracture of lower end of right radius, subsequent encounter"),
    "S52522A": (True, "Torus fracture of lower end of left radius, initial encounter"),
    "S52521": (False, "Torus fracture of lower end of right radius"),
    "W19XXXA": (True, "Unspecified fall, initial encounter"),
    "L3908": (True, "Wrist hand orthosis, prefabricated"),
    "J1885": (True, "Injection, ketorolac tromethamine, per 15 mg"),
    "J0696": (True, "Injection, ceftriaxone sodium, per 250 mg"),
    "J1030": (False, "Injection, methylprednisolone acetate, 40 mg"),
}


def facts(code, day, prefer=()):
    code = normalize(code)
    if code not in BOOK:
        return CodeFacts(code, None, False, why=f"{code} is not a code in any loaded release")
    billable, title = BOOK[code]
    return CodeFacts(code, "hcpcs" if code[0] in "LJ" else "icd10cm", billable, title,
                     "" if billable else "a header, not billable")


def case(codes, optional=(), sequence="none", cid="c1"):
    data = {"format": "encoder-app/exercise-set", "version": 1, "title": "t",
            "cases": [{"id": cid, "prompt": "p", "date_of_service": DAY.isoformat(),
                       "answer": {"codes": list(codes), "optional": list(optional),
                                  "sequence": sequence}, "rationale": "r"}]}
    return parse_exercise_set(data, "t.json", "t").cases[0]


def verdicts(result):
    return [(c.entered, c.verdict, c.key) for c in result.codes]


def test_codes_compare_case_and_dot_insensitively_trimmed():
    result = grade_case(case(["E11.22", "N18.31"]), [" e1122 ", "n18.31"], facts)
    assert verdicts(result) == [("e1122", "correct", "E11.22"), ("n18.31", "correct", "N18.31")]
    assert result.score == 1.0


def test_exact_match_earns_one_point_each():
    result = grade_case(case(["E11.22", "N18.31"]), ["E11.22"], facts)
    assert result.score == 0.5
    assert result.missing == ("N18.31",)


def test_same_category_earns_half_and_says_which_character_differs():
    result = grade_case(case(["E11.65"]), ["E11.9"], facts)
    assert verdicts(result) == [("E11.9", "partial", "E11.65")]
    assert "differ from the 4th character" in result.codes[0].reason
    assert result.score == 0.5


def test_wrong_seventh_character_is_partial_with_that_reason():
    result = grade_case(case(["S52.521A"]), ["S52.521D"], facts)
    assert result.codes[0].verdict == "partial"
    assert result.codes[0].reason == "7th character: entered D, the key has A"


def test_wrong_side_is_partial_and_named_laterality():
    result = grade_case(case(["S52.521A"]), ["S52.522A"], facts)
    assert result.codes[0].verdict == "partial"
    assert result.codes[0].reason == "laterality: entered left, the key has right"


def test_wrong_or_missing_modifier_is_partial():
    wrong = grade_case(case(["L3908-RT"]), ["L3908-LT"], facts)
    missing = grade_case(case(["L3908-RT"]), ["L3908"], facts)
    assert (wrong.codes[0].verdict, wrong.score) == ("partial", 0.5)
    assert wrong.codes[0].reason == "modifier: entered LT, the key has RT"
    assert missing.codes[0].reason == "modifier: entered none, the key has RT"
    right = grade_case(case(["L3908-RT"]), ["l3908-rt"], facts)
    assert right.codes[0].verdict == "correct"


def test_exact_matches_are_made_before_partial_ones():
    # E11.9 comes first but must not take E11.22's place: the exact E11.22 is matched first.
    result = grade_case(case(["E11.22", "E11.65"]), ["E11.9", "E11.22"], facts)
    assert verdicts(result) == [("E11.9", "partial", "E11.65"), ("E11.22", "correct", "E11.22")]
    assert result.score == 0.75


def test_each_key_code_matches_once():
    result = grade_case(case(["E11.22"]), ["E11.22", "E11.22"], facts)
    assert [c.verdict for c in result.codes] == ["correct", "extra"]
    assert result.score == 0.5  # 1 point over max(1 key code, 2 entered)


def test_optional_codes_earn_nothing_and_cost_nothing():
    with_optional = grade_case(case(["E11.22", "N18.31"], ["Z79.84"]),
                               ["E11.22", "N18.31", "Z79.84"], facts)
    assert with_optional.codes[2].verdict == "optional"
    assert with_optional.score == 1.0


def test_header_or_unknown_code_is_not_billable_and_earns_nothing():
    result = grade_case(case(["E11.22"]), ["E11", "Q99.9X"], facts)
    assert [c.verdict for c in result.codes] == ["not-billable", "not-billable"]
    assert "header" in result.codes[0].reason
    assert "not a code" in result.codes[1].reason
    assert result.score == 0.0


def test_terminated_code_is_not_billable_even_in_the_keys_category():
    result = grade_case(case(["J1040"]), ["J1030"], facts)
    assert result.codes[0].verdict == "not-billable"


def test_any_other_code_is_extra_and_lowers_the_score():
    result = grade_case(case(["E11.22"]), ["E11.22", "I10"], facts)
    assert [c.verdict for c in result.codes] == ["correct", "extra"]
    assert result.score == 0.5


def test_score_divides_by_the_larger_of_key_and_entered():
    result = grade_case(case(["E11.22", "N18.31"]), ["E11.22", "I10", "J1885"], facts)
    assert result.score == pytest.approx(1 / 3)


def test_sequence_first_halves_the_first_code_entered_out_of_place():
    result = grade_case(case(["E11.22", "N18.31"], sequence="first"), ["N18.31", "E11.22"],
                        facts)
    assert verdicts(result) == [("N18.31", "correct", "N18.31"),
                                ("E11.22", "sequencing", "E11.22")]
    assert result.score == 0.75
    in_order = grade_case(case(["E11.22", "N18.31"], sequence="first"), ["E11.22", "N18.31"],
                          facts)
    assert in_order.score == 1.0
    any_order = grade_case(case(["E11.22", "N18.31"]), ["N18.31", "E11.22"], facts)
    assert any_order.score == 1.0


def test_no_answer_scores_zero_and_set_score_is_the_mean():
    data = {"format": "encoder-app/exercise-set", "version": 1, "title": "t", "cases": [
        {"id": i, "prompt": "p", "date_of_service": "2026-05-01",
         "answer": {"codes": [code]}, "rationale": "r"}
        for i, code in (("a", "E11.22"), ("b", "N18.31"), ("c", "I10"))]}
    exercise_set = parse_exercise_set(data, "t.json", "t")
    result = grade_set(exercise_set, {"a": ["E11.22"], "b": ["N18.30"], "c": ["  "]}, facts)
    assert [c.score for c in result.cases] == [1.0, 0.5, 0.0]
    assert result.cases[2].answered is False
    assert result.score == pytest.approx(0.5)
    assert result.to_json()["cases"][1]["codes"][0] == {
        "entered": "N18.30", "verdict": "partial", "key": "N18.31", "points": 0.5,
        "reason": "a further character: N18.30 and N18.31 differ from the 5th character on"}


def test_correct_coding_earns_full_marks_with_no_reasons():
    result = grade_case(case(["S52.521A", "W19.XXXA"], sequence="first"),
                        ["S52.521A", "W19.XXXA"], facts)
    assert result.score == 1.0 and result.missing == ()
    assert all(c.verdict == "correct" and c.reason == "" for c in result.codes)
