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


@pytest.mark.parametrize(("change", "path", "words"), [
    ({"date_of_service": "2026-02-30"}, "$.date_of_service", "date of service"),
    ({"setting": "home_health"}, "$.setting", "setting"),
    ({"patient": {"sex": "X"}}, "$.patient.sex", "patient, sex"),
    ({"patient": {"birth_date": "1980-13-01"}}, "$.patient.birth_date", "patient, birth date"),
    ({"patient": {"member_id": ["W1"]}}, "$.patient.member_id", "patient, member ID"),
    ({"provider": {"npi": 12.5}}, "$.provider.npi", "provider, NPI"),
    ({"place_of_service": {"code": 11}}, "$.place_of_service", "place of service"),
    ({"diagnoses": "E11.9"}, "$.diagnoses", "diagnoses"),
    ({"diagnoses": ["E11.9", 7.5]}, "$.diagnoses[1]", "diagnosis 2"),
    ({"procedures": [{"code": "99213", "units": "two"}]}, "$.procedures[0].units",
     "procedure line 1, units"),
    ({"procedures": [{"code": "99213", "diagnosis_pointers": [0]}]},
     "$.procedures[0].diagnosis_pointers[0]", "procedure line 1, diagnosis pointer 1"),
    ({"procedures": [{"code": "99213", "diagnosis_pointers": "1"}]},
     "$.procedures[0].diagnosis_pointers", "procedure line 1, diagnosis pointers"),
    ({"procedures": [{"code": "99213", "modifiers": ["25", ["59"]]}]},
     "$.procedures[0].modifiers[1]", "procedure line 1, modifier 2"),
    ({"procedures": [{"code": "99213", "charge": "ten"}]}, "$.procedures[0].charge",
     "procedure line 1, charge"),
    ({"procedures": [{"code": "99213"}, {"units": 1}]}, "$.procedures[1].code",
     "procedure line 2, code"),
    ({"payer": {"name": "Acme"}}, "$.payer", "payer"),
    ({"amount_paid": "lots"}, "$.amount_paid", "amount paid"),
    ({"amount_paid": -5}, "$.amount_paid", "amount paid"),
    ({"amount_paid": "NaN"}, "$.amount_paid", "amount paid"),
    ({"amount_paid": "12.345"}, "$.amount_paid", "amount paid"),
    ({"procedures": [{"code": "99213", "charge": "Infinity"}]}, "$.procedures[0].charge",
     "procedure line 1, charge"),
    ({"procedures": [{"code": "99213", "units": 1e300}]}, "$.procedures[0].units",
     "procedure line 1, units"),
    ({"procedures": [{"code": "99213", "units": 10 ** 26}]}, "$.procedures[0].units",
     "procedure line 1, units"),
    ({"procedures": [{"code": "99213", "units": float("nan")}]}, "$.procedures[0].units",
     "procedure line 1, units"),
    ({"referral": {"notes": ["ok", "bad\ud800"]}}, "$.referral.notes[1]",
     "referral, notes item 2"),
])
def test_malformed_fields_are_kept_by_json_path_and_said_in_words(change, path, words):
    with pytest.raises(EncounterFormatError) as err:
        parse_encounter({**GOOD, **change}, "visit.json")
    assert err.value.path == path  # the key a program finds the field by
    assert err.value.place == words
    assert str(err.value).startswith(f"visit.json: {words}: ")
    assert "$" not in str(err.value) and "[" not in str(err.value)


def test_the_file_as_a_whole_is_no_place(tmp_path):
    with pytest.raises(EncounterFormatError) as err:
        parse_encounter(["E11.9"], "visit.json")
    assert err.value.path == "$" and err.value.place is None
    assert str(err.value) == "visit.json: must be an object, not a list of 1"
    with pytest.raises(EncounterFormatError) as err:
        load_encounter(tmp_path / "nowhere.json")
    assert str(err.value) == "nowhere.json: no such file"


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
