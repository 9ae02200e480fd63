"""Code shapes, the stored form and the dotted display form: the one home of each rule
(encoder_app.codes). Places that check a code's shape import these; they are tested here."""

from __future__ import annotations

import csv

import pytest

from encoder_app import codes
from encoder_app.codes import (
    CPT,
    CPT_SHAPE,
    HCPCS,
    HCPCS_MODIFIER,
    HCPCS_SHAPE,
    ICD10CM,
    ICD10CM_DOTTED_SHAPE,
    ICD10CM_SHAPE,
    ICD10PCS,
    ICD10PCS_SHAPE,
    MODIFIER_SHAPE,
    PCS_VALUE,
    POS,
    POS_SHAPE,
    TYPED_CODE_PREFIX,
    dotted,
    normalize,
    systems_of,
)


def _fits(shape, good, bad):
    for code in good:
        assert shape.fullmatch(code), code
    for code in bad:
        assert not shape.fullmatch(code), code


# --- normalize and dotted -----------------------------------------------------------------

@pytest.mark.parametrize(("typed", "stored"), [
    ("e11.9 ", "E119"), ("E11.9", "E119"), (" s72.001a", "S72001A"), ("0dtj4zz", "0DTJ4ZZ"),
    ("j 1100", "J1100"), ("99213", "99213"), ("", ""),
])
def test_normalize_is_upper_case_with_no_dot_or_space(typed, stored):
    assert normalize(typed) == stored


@pytest.mark.parametrize(("stored", "system", "shown"), [
    ("E119", ICD10CM, "E11.9"), ("S72001A", ICD10CM, "S72.001A"), ("I10", ICD10CM, "I10"),
    ("J1100", HCPCS, "J1100"), ("0DTJ4ZZ", ICD10PCS, "0DTJ4ZZ"), ("99213", CPT, "99213"),
])
def test_dotted_puts_the_dot_after_the_icd10cm_category_only(stored, system, shown):
    assert dotted(stored, system) == shown


def test_dotted_defaults_to_icd10cm():
    assert dotted("E119") == "E11.9"


# --- each system's shape ------------------------------------------------------------------

def test_icd10cm_shape_is_letter_digit_character_then_up_to_4_more():
    _fits(ICD10CM_SHAPE,
          good=["I10", "E119", "E1165", "J1100", "S72001A", "T364X5A", "U071", "Z3A01"],
          bad=["E1", "1E11", "EE11", "E11.9", "S72001AB", "e119", "E1\u0661", ""])


def test_icd10cm_dotted_shape_is_the_category_then_a_dot_and_1_to_4():
    _fits(ICD10CM_DOTTED_SHAPE,
          good=["I10", "E11.9", "S72.001A", "J11.00", "Z3A.01"],
          bad=["E119", "E11.", "E1.19", "S72.001AB", "e11.9"])


def test_icd10pcs_shape_is_a_section_then_6_pcs_characters():
    _fits(ICD10PCS_SHAPE,
          good=["0DTJ4ZZ", "0SRC0J9", "BW03ZZZ", "XW033E5", "3E0234Z", "HZ2ZZZZ"],
          # I and O are never PCS characters; S, T, A... are no PCS section (S72001A is CM)
          bad=["0DTJ4Z", "0DTJ4ZZZ", "0DTI4ZZ", "0DTO4ZZ", "S72001A", "A000000", "0dtj4zz"])


def test_pcs_value_is_one_character_of_the_pcs_alphabet():
    _fits(PCS_VALUE, good=["0", "9", "A", "H", "J", "N", "P", "Z"],
          bad=["I", "O", "a", "", "00"])


def test_hcpcs_shape_is_a_level_ii_letter_and_4_digits():
    _fits(HCPCS_SHAPE,
          good=["A0021", "B4034", "C1713", "D0120", "E0114", "G0008", "J1100", "Q4100", "V2020"],
          # F, I, N, O and W-Z start no Level II code
          bad=["F1010", "I2510", "N1830", "O0999", "W1234", "Z0000", "J110", "J11000", "JJ100",
               "99213", "j1100"])


def test_cpt_shape_is_4_digits_then_a_digit_or_f_t_u_m():
    _fits(CPT_SHAPE,
          good=["99213", "00100", "3074F", "0042T", "0001U", "0002M"],
          bad=["9921", "992133", "3074A", "J1100", "3074f", "9921\u0663"])


def test_modifier_shape_is_2_digits_or_letters():
    _fits(MODIFIER_SHAPE, good=["25", "59", "LT", "GA", "F1", "XS"],
          bad=["2", "255", "L", "lt", "-5", ""])


def test_place_of_service_shape_is_2_digits():
    _fits(POS_SHAPE, good=["02", "11", "99"], bad=["2", "011", "1A", "\u0661\u0661"])


def test_typed_code_prefix_is_any_case_and_may_be_unfinished():
    _fits(TYPED_CODE_PREFIX,
          good=["e1", "E11", "E11.", "e11.9", "S72.001A", "0DTJ", "0dtj4zz", "j342"],
          bad=["E11.90001", "E11.9.1", "broken hip", "E11 9", "S72001AB9", ""])


# --- which systems a code can belong to ---------------------------------------------------

@pytest.mark.parametrize(("code", "systems"), [
    # ambiguous undotted codes, in the stable order of codes.SHAPES
    ("J1100", (ICD10CM, HCPCS)),  # J11.00 without its dot, and an HCPCS drug code
    ("E1140", (ICD10CM, HCPCS)),  # E11.40, and an HCPCS wheelchair
    ("D0120", (ICD10CM, HCPCS)),
    ("X72XXXA", (ICD10CM, ICD10PCS)),  # X72.XXXA, and PCS section X (new technology)
    ("25", (HCPCS_MODIFIER, POS)),
    ("11", (HCPCS_MODIFIER, POS)),
    # one system only
    ("J11.00", (ICD10CM,)),  # the dot says ICD-10-CM
    ("j11.00 ", (ICD10CM,)),
    ("I2510", (ICD10CM,)),  # no Level II code starts with I
    ("F1010", (ICD10CM,)),
    ("S72001A", (ICD10CM,)),  # S is no PCS section
    ("E11", (ICD10CM,)),
    ("J110", (ICD10CM,)),  # J11.0 without its dot; HCPCS has 4 digits
    ("0DTJ4ZZ", (ICD10PCS,)),
    ("99213", (CPT,)),
    ("0001U", (CPT,)),
    ("LT", (HCPCS_MODIFIER,)),
    # none
    ("E1.19", ()), ("J11000000", ()), ("", ()), ("broken hip", ()),
])
def test_systems_of_lists_every_candidate_in_a_stable_order(code, systems):
    assert systems_of(code) == systems


def test_systems_of_answers_in_the_order_of_shapes():
    order = list(codes.SHAPES)
    assert order == [ICD10CM, ICD10PCS, HCPCS, HCPCS_MODIFIER, CPT, POS]
    assert set(order) == set(codes.SYSTEM_NAMES)
    for code in ("J1100", "X72XXXA", "25"):
        found = systems_of(code)
        assert list(found) == sorted(found, key=order.index)


# --- the real data fits -------------------------------------------------------------------

@pytest.mark.shared_data
def test_every_code_of_the_cms_hcpcs_file_fits_a_shape(shared_codebooks):
    anweb = shared_codebooks / "hcpcs-2024q3" / "HCPC2024_JUL_ANWEB.csv"
    with open(anweb, encoding="latin-1", newline="") as f:
        rows = list(csv.DictReader(f))
    level2 = [r["HCPC"].strip() for r in rows if len(r["HCPC"].strip()) != 2]
    modifiers = [r["HCPC"].strip() for r in rows if len(r["HCPC"].strip()) == 2]
    assert level2 and all(HCPCS_SHAPE.fullmatch(c) for c in level2)
    assert all(MODIFIER_SHAPE.fullmatch(c) for c in modifiers)
    # every letter HCPCS_SHAPE allows but D (dental, not in ANWEB) starts a code of the file
    assert {c[0] for c in level2} | {"D"} == set(codes.HCPCS_LETTERS)
