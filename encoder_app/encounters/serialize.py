"""Writing an encounter back as the encounter JSON file: the inverse of ``parse_encounter``.

``parse_encounter(encounter_to_json(s)) == s`` for every snapshot, and the unknown fields read
from a file (the ``extra`` dicts) are written back where they were found. Reading a file is
``encoder_app.encounters.snapshot.load_encounter``.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

from encoder_app.encounters.snapshot import EncounterSnapshot, ProcedureLine
from encoder_app.file_modes import write_private_text


def _money(value: Decimal | None) -> float | None:
    """A charge as a JSON number rounded to cents (165.0, 12.5, 99.99)."""
    if value is None:
        return None
    return float(Decimal(value).quantize(Decimal("0.01")))


def _with_extra(known: dict, extra: dict) -> dict:
    """The known fields first, then the unknown ones kept from the file (never overriding)."""
    out = dict(known)
    for key, value in extra.items():
        if key not in out:
            out[key] = copy.deepcopy(value)
    return out


def _line_to_json(line: ProcedureLine) -> dict:
    known = {
        "code": line.code,
        "modifiers": list(line.modifiers),
        "units": line.units,
        "diagnosis_pointers": list(line.diagnosis_pointers),
        "charge": _money(line.charge),
    }
    if line.date is not None:  # inpatient: the day performed
        known["date"] = line.date.isoformat()
    return _with_extra(known, line.extra)


def _diagnoses_to_json(snapshot: EncounterSnapshot) -> list:
    """Each diagnosis as its code, or as {"code", "poa", ...} when it has a POA indicator or
    fields of its own."""
    out: list = []
    for i, code in enumerate(snapshot.diagnoses):
        poa = snapshot.poa(i)
        extra = snapshot.diagnosis_extra[i] if i < len(snapshot.diagnosis_extra) else {}
        if poa is None and not extra:
            out.append(code)
        else:
            out.append(_with_extra({"code": code, "poa": poa} if poa else {"code": code}, extra))
    return out


def _stay_to_json(snapshot: EncounterSnapshot) -> dict:
    """The inpatient fields, written for an inpatient encounter only (elsewhere they are
    unknown fields, kept in ``extra``)."""
    if snapshot.setting != "inpatient":
        return {}
    return {
        "admission_date": (snapshot.admission_date.isoformat()
                           if snapshot.admission_date else None),
        "discharge_date": (snapshot.discharge_date.isoformat()
                           if snapshot.discharge_date else None),
        "discharge_status": snapshot.discharge_status,
    }


def encounter_to_json(snapshot: EncounterSnapshot) -> dict:
    """The encounter as the decoded JSON of an encounter file (dates ISO, charges in cents)."""
    patient, provider = snapshot.patient, snapshot.provider
    return _with_extra({
        "date_of_service": (snapshot.date_of_service.isoformat()
                            if snapshot.date_of_service else None),
        "setting": snapshot.setting,
        **_stay_to_json(snapshot),
        "place_of_service": snapshot.place_of_service,
        "patient": _with_extra({
            "name": patient.name,
            "sex": patient.sex,
            "birth_date": patient.birth_date.isoformat() if patient.birth_date else None,
            "member_id": patient.member_id,
        }, patient.extra),
        "provider": _with_extra({"name": provider.name, "npi": provider.npi}, provider.extra),
        "diagnoses": _diagnoses_to_json(snapshot),
        "procedures": [_line_to_json(line) for line in snapshot.procedures],
        "payer": snapshot.payer,
        "amount_paid": _money(snapshot.amount_paid),
    }, snapshot.extra)


def encounter_to_text(snapshot: EncounterSnapshot) -> str:
    """The encounter file's text: UTF-8 friendly (names stay readable), indented by 2."""
    return json.dumps(encounter_to_json(snapshot), ensure_ascii=False, indent=2) + "\n"


def save_encounter_file(snapshot: EncounterSnapshot, path: Path | str) -> Path:
    """Write the encounter file, readable by its owner only (it is patient data); a crash
    mid-write leaves any previous file whole."""
    return write_private_text(path, encounter_to_text(snapshot))
