"""The inpatient fields of the encounter file: the stay's dates and discharge status, POA on a
diagnosis, a date on a procedure; read, checked (each error names its field in a coder's words)
and written back exactly. Outpatient files read as they did before."""

from __future__ import annotations

import datetime as dt

import pytest

from encoder_app.encounters.inpatient import DISCHARGE_STATUSES, POA_INDICATORS
from encoder_app.encounters.serialize import encounter_to_json
from encoder_app.encounters.snapshot import EncounterFormatError, parse_encounter

STAY = {"setting": "inpatient", "admission_date": "2026-04-27", "discharge_date": "2026-05-01",
        "discharge_status": "06",
        "patient": {"name": "Ana Ortega", "sex": "F", "birth_date": "1950-04-28"},
        "diagnoses": [{"code": "I50.23", "poa": "Y"}, "N17.9",
                      {"code": "L89.154", "poa": "n", "site": "sacrum"}],
        "procedures": [{"code": "0DTJ4ZZ", "date": "2026-04-29"}]}


def refused(doc) -> str:
    with pytest.raises(EncounterFormatError) as caught:
        parse_encounter(doc, "stay.json")
    return str(caught.value)


def test_an_inpatient_stay_is_read():
    stay = parse_encounter(STAY)
    assert (stay.setting, stay.admission_date, stay.discharge_date, stay.discharge_status) == \
        ("inpatient", dt.date(2026, 4, 27), dt.date(2026, 5, 1), "06")
    # Code-set validity goes by the discharge date: it is the stay's date of service.
    assert stay.date_of_service == dt.date(2026, 5, 1)
    assert stay.diagnoses == ("I50.23", "N17.9", "L89.154")
    assert stay.diagnosis_poa == ("Y", None, "N")
    assert [stay.poa(i) for i in range(4)] == ["Y", None, "N", None]
    assert stay.procedures[0].date == dt.date(2026, 4, 29)
    assert (stay.age_on(stay.admission_date), stay.age_on_service()) == (75, 76)


def test_an_inpatient_stay_round_trips_exactly():
    stay = parse_encounter(STAY)
    data = encounter_to_json(stay)
    assert data["diagnoses"] == [{"code": "I50.23", "poa": "Y"}, "N17.9",
                                 {"code": "L89.154", "poa": "N", "site": "sacrum"}]
    assert (data["admission_date"], data["discharge_date"], data["discharge_status"]) == \
        ("2026-04-27", "2026-05-01", "06")
    assert data["procedures"][0]["date"] == "2026-04-29"
    again = parse_encounter(data)
    assert again == stay and again.diagnosis_extra == stay.diagnosis_extra


def test_an_outpatient_file_keeps_inpatient_looking_fields_as_unknown_ones():
    # Before inpatient coding these were unknown fields: kept as they are, never read.
    doc = {"date_of_service": "2026-05-01", "setting": "practitioner", "diagnoses": ["E11.9"],
           "discharge_date": "not a date", "discharge_status": "zz",
           "procedures": [{"code": "99213", "date": "whenever"}]}
    visit = parse_encounter(doc)
    assert (visit.discharge_date, visit.discharge_status, visit.procedures[0].date) == \
        (None, None, None)
    assert visit.extra == {"discharge_date": "not a date", "discharge_status": "zz"}
    assert visit.procedures[0].extra == {"date": "whenever"}
    data = encounter_to_json(visit)
    assert data["discharge_date"] == "not a date" and data["diagnoses"] == ["E11.9"]
    assert "date" not in encounter_to_json(parse_encounter(
        {**doc, "procedures": [{"code": "99213"}]}))["procedures"][0]


def test_a_discharge_status_typed_as_a_number_reads_as_its_two_digits():
    assert parse_encounter({**STAY, "discharge_status": 1}).discharge_status == "01"
    assert {"01", "03", "06", "07", "20"} <= set(DISCHARGE_STATUSES)
    assert set(POA_INDICATORS) == {"Y", "N", "U", "W", "1"}


@pytest.mark.parametrize("changes,message", [
    ({"discharge_status": "99"}, 'discharge status: "99" is not a UB-04 patient discharge '
                                 "status of an inpatient stay (01-07, 20, 21, 30, 43, 50, 51, "
                                 "61-66, 69, 70, 81-95)"),
    # 09 (admitted as an inpatient) is a UB-04 status, but not one a discharge ends with.
    ({"discharge_status": "09"}, 'discharge status: "09" is not a UB-04 patient discharge '
                                 "status of an inpatient stay (01-07, 20, 21, 30, 43, 50, 51, "
                                 "61-66, 69, 70, 81-95)"),
    ({"diagnoses": ["I50.9", {"code": "E87.1", "poa": "X"}]},
     'diagnosis 2, POA: "X" is not a present-on-admission indicator: Y, N, U, W or 1'),
    ({"diagnoses": [{"poa": "Y"}]}, "diagnosis 1, code: is required"),
    ({"diagnoses": [{"code": ["I10"]}]}, "diagnosis 1, code: must be text, not a list of 1"),
    ({"discharge_date": "2026-04-01"}, "discharge date: 2026-04-01 is before the admission "
                                       "date, 2026-04-27"),
    ({"admission_date": "2026-13-01"}, 'admission date: "2026-13-01" is not a date (month '
                                       "must be in 1..12)"),
    ({"date_of_service": "2026-04-27"}, "date of service: 2026-04-27 is not the discharge date, "
                                        "2026-05-01: an inpatient stay's date of service is its "
                                        "discharge date"),
    ({"patient": {"birth_date": "2026-04-28"}}, "patient, birth date: 2026-04-28 is after the "
                                                "admission date, 2026-04-27"),
    ({"procedures": [{"code": "0DTJ4ZZ", "date": "29/04/2026"}]},
     'procedure line 1, date: "29/04/2026" is not a date; write YYYY-MM-DD'),
])
def test_each_bad_inpatient_field_is_named_in_words(changes, message):
    assert refused({**STAY, **changes}) == f"stay.json: {message}"
