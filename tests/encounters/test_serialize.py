"""Writing encounters back as encounter JSON: the exact inverse of reading, unknown fields kept."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from encoder_app.encounters.serialize import encounter_to_json, save_encounter_file
from encoder_app.encounters.snapshot import (
    EncounterSnapshot,
    Patient,
    ProcedureLine,
    load_encounter,
    parse_encounter,
)

CLEAN = Path(__file__).resolve().parents[1] / "edits" / "clean_encounters"

DOC = {
    "date_of_service": "2026-05-01", "setting": "practitioner", "place_of_service": "11",
    "patient": {"name": "José Muñoz-Müller", "sex": "M", "birth_date": "1975-12-31",
                "member_id": "XÑ-1", "address": {"city": "Zürich"}},
    "provider": {"name": "Renée Côté, MD", "npi": "1234567893", "taxonomy": "207Q00000X"},
    "diagnoses": ["E11.9", "I10"],
    "procedures": [
        {"code": "99213", "modifiers": ["25"], "units": 1, "diagnosis_pointers": [1, 2],
         "charge": 120.0, "ndc": "00002-8215-01"},
        {"code": "82947", "modifiers": [], "units": 2, "diagnosis_pointers": [1],
         "charge": 12.5},
        {"code": "36415", "units": 1, "diagnosis_pointers": []},
    ],
    "payer": "Acme Ñandú", "amount_paid": 25,
    "referral": {"name": "Dr Ñandú", "plan": ["gold"]},
    "notes": "patient prefers español",
}


def _extras(e: EncounterSnapshot):
    """The parts `==` does not compare (extra fields are compare=False)."""
    return (e.extra, e.patient.extra, e.provider.extra, [p.extra for p in e.procedures])


def test_round_trip_is_exact_and_keeps_unknown_fields():
    first = parse_encounter(DOC)
    again = parse_encounter(encounter_to_json(first))
    assert again == first
    assert _extras(again) == _extras(first)
    assert again.patient.name == "José Muñoz-Müller"
    assert again.extra == {"referral": {"name": "Dr Ñandú", "plan": ["gold"]},
                           "notes": "patient prefers español"}
    assert (again.payer, again.amount_paid, again.patient.member_id) == \
        ("Acme Ñandú", Decimal("25.00"), "XÑ-1")
    assert again.procedures[0].extra == {"ndc": "00002-8215-01"}


def test_json_shape_dates_iso_charges_in_cents():
    data = encounter_to_json(parse_encounter(DOC))
    assert data["date_of_service"] == "2026-05-01"
    assert data["patient"]["birth_date"] == "1975-12-31"
    assert [p["charge"] for p in data["procedures"]] == [120.0, 12.5, None]
    assert data["procedures"][0]["modifiers"] == ["25"]
    assert data["procedures"][0]["diagnosis_pointers"] == [1, 2]
    assert list(data)[:7] == ["date_of_service", "setting", "place_of_service", "patient",
                              "provider", "diagnoses", "procedures"]
    json.dumps(data)  # plain JSON types only


def test_charges_round_to_cents_and_survive_the_trip():
    odd = EncounterSnapshot(dt.date(2026, 1, 2), procedures=(
        ProcedureLine("99213", charge=Decimal("0.10")),
        ProcedureLine("99214", charge=Decimal("1234567.89"), line=2),
        ProcedureLine("99215", charge=Decimal("0.00"), line=3)))
    data = encounter_to_json(odd)
    assert [p["charge"] for p in data["procedures"]] == [0.1, 1234567.89, 0.0]
    assert parse_encounter(data) == odd


def test_the_returned_document_does_not_alias_the_snapshot():
    snapshot = parse_encounter(DOC)
    data = encounter_to_json(snapshot)
    data["referral"]["name"] = "changed"
    data["patient"]["address"]["city"] = "changed"
    assert snapshot.extra["referral"]["name"] == "Dr Ñandú"
    assert snapshot.patient.extra["address"]["city"] == "Zürich"


def test_an_empty_encounter_round_trips():
    empty = EncounterSnapshot(None, patient=Patient(""))
    assert parse_encounter(encounter_to_json(empty)) == empty


def test_file_is_utf8_indented_and_reads_back(tmp_path):
    path = tmp_path / "visit.json"
    snapshot = parse_encounter(DOC)
    assert save_encounter_file(snapshot, path) == path
    text = path.read_text(encoding="utf-8")
    assert "José Muñoz-Müller" in text and "\\u00e9" not in text
    assert text.startswith('{\n  "date_of_service": "2026-05-01",')
    back = load_encounter(path)
    assert back == snapshot and _extras(back) == _extras(snapshot)
    assert [p.name for p in tmp_path.iterdir()] == ["visit.json"]  # no temporary file left


def test_saving_over_a_file_replaces_it(tmp_path):
    path = tmp_path / "visit.json"
    path.write_text("old", encoding="utf-8")
    save_encounter_file(parse_encounter(DOC), path)
    assert load_encounter(path).diagnoses == ("E11.9", "I10")


@pytest.mark.parametrize("path", sorted(CLEAN.glob("*.json")), ids=lambda p: p.stem)
def test_every_clean_encounter_file_round_trips(path):
    original = load_encounter(path)
    again = parse_encounter(encounter_to_json(original))
    assert again == original and _extras(again) == _extras(original)
