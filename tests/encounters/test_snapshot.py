"""Reading encounter files: fields, unknown fields kept, malformed fields named by JSON path."""

import json

import pytest

from encoder_app.encounters.snapshot import EncounterFormatError, load_encounter, parse_encounter

GOOD = {"date_of_service": "2026-05-01", "setting": "practitioner", "place_of_service": "11",
        "patient": {"name": "Zoë Müller", "sex": "female", "birth_date": "1980-02-03",
                    "member_id": "X1"},
        "provider": {"name": "A. Smith, MD", "npi": "1234567893"},
        "diagnoses": ["E11.9", "I10"],
        "procedures": [{"code": "99213", "modifiers": ["25"], "units": 1,
                        "diagnosis_pointers": [1, 2], "charge": 120.00}],
        "payer": "Acme"}


def test_a_good_encounter_is_read_whole():
    e = parse_encounter(GOOD)
    assert e.patient.sex == "F" and e.patient.name == "Zoë Müller"
    assert e.age_on_service() == 46
    assert e.diagnoses == ("E11.9", "I10")
    line = e.procedures[0]
    assert (line.code, line.modifiers, line.units, line.diagnosis_pointers, str(line.charge)) == \
        ("99213", ("25",), 1, (1, 2), "120.00")
    assert (e.payer, e.patient.member_id, e.amount_paid) == ("Acme", "X1", None)
    assert e.extra == {} and e.patient.extra == {}


@pytest.mark.parametrize(("change", "path"), [
    ({"date_of_service": "2026-02-30"}, "$.date_of_service"),
    ({"setting": "inpatient"}, "$.setting"),
    ({"patient": {"sex": "X"}}, "$.patient.sex"),
    ({"diagnoses": "E11.9"}, "$.diagnoses"),
    ({"diagnoses": ["E11.9", 7.5]}, "$.diagnoses[1]"),
    ({"procedures": [{"code": "99213", "units": "two"}]}, "$.procedures[0].units"),
    ({"procedures": [{"code": "99213", "diagnosis_pointers": [0]}]},
     "$.procedures[0].diagnosis_pointers[0]"),
    ({"procedures": [{"code": "99213", "charge": "ten"}]}, "$.procedures[0].charge"),
    ({"procedures": [{"units": 1}]}, "$.procedures[0].code"),
    ({"payer": {"name": "Acme"}}, "$.payer"),
    ({"amount_paid": "lots"}, "$.amount_paid"),
    ({"amount_paid": -5}, "$.amount_paid"),
    ({"amount_paid": "NaN"}, "$.amount_paid"),
    ({"amount_paid": "12.345"}, "$.amount_paid"),
    ({"procedures": [{"code": "99213", "charge": "Infinity"}]}, "$.procedures[0].charge"),
    ({"procedures": [{"code": "99213", "units": 1e300}]}, "$.procedures[0].units"),
    ({"procedures": [{"code": "99213", "units": 10 ** 26}]}, "$.procedures[0].units"),
    ({"procedures": [{"code": "99213", "units": float("nan")}]}, "$.procedures[0].units"),
])
def test_malformed_fields_are_named_by_json_path(change, path):
    with pytest.raises(EncounterFormatError) as err:
        parse_encounter({**GOOD, **change}, "visit.json")
    assert str(err.value).startswith(f"visit.json: {path}: ")


def test_broken_json_names_line_and_column(tmp_path):
    broken = tmp_path / "visit.json"
    broken.write_text('{"diagnoses": ["E11.9",]}')
    with pytest.raises(EncounterFormatError, match=r"visit.json: line 1, column \d+"):
        load_encounter(broken)


def test_file_round_trip(tmp_path):
    path = tmp_path / "visit.json"
    path.write_text(json.dumps(GOOD, ensure_ascii=False), encoding="utf-8")
    assert load_encounter(path) == parse_encounter(GOOD)


def test_amounts_are_read_as_the_front_desk_types_them():
    e = parse_encounter({**GOOD, "amount_paid": "$1,025.50",
                         "procedures": [{"code": "99213", "charge": " $120 "},
                                        {"code": "J1100", "charge": -5}]})
    assert str(e.amount_paid) == "1025.50"
    assert [str(p.charge) for p in e.procedures] == ["120.00", "-5.00"]  # the edits name it
