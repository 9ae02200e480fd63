"""The encounter as the edits engine, the GUI and superbills see it, read from the encounter
JSON file. Unknown fields are kept; malformed ones are reported with their JSON path."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from encoder_app.errors import EncoderError
from encoder_app.money import parse_amount

SETTINGS = ("practitioner", "outpatient_hospital")
SEXES = ("F", "M", "U")
#: Units on one line: the claim form's field holds four digits; more is a typing slip.
MAX_UNITS = 9999


class EncounterFormatError(EncoderError):
    """A field of an encounter file is missing or malformed; names the file and JSON path."""

    def __init__(self, source: str, path: str, problem: str):
        self.source, self.path, self.problem = source, path, problem
        super().__init__(f"{source}: {path}: {problem}")


@dataclass(frozen=True)
class Patient:
    name: str = ""
    sex: str | None = None  # F, M or U (unknown)
    birth_date: dt.date | None = None
    member_id: str | None = None  # the payer's id for the patient, printed on the superbill
    extra: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Provider:
    name: str = ""
    npi: str | None = None
    extra: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class ProcedureLine:
    code: str
    modifiers: tuple[str, ...] = ()
    units: int = 1
    diagnosis_pointers: tuple[int, ...] = ()  # 1-based positions in the diagnosis list
    charge: Decimal | None = None  # the fee for one unit; the line total is charge x units
    line: int = 1  # 1-based position on the claim
    extra: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class EncounterSnapshot:
    date_of_service: dt.date | None
    setting: str = "practitioner"
    place_of_service: str | None = None
    patient: Patient = field(default_factory=Patient)
    provider: Provider = field(default_factory=Provider)
    diagnoses: tuple[str, ...] = ()  # dotted or not, in sequence order (first-listed first)
    procedures: tuple[ProcedureLine, ...] = ()
    payer: str | None = None  # the insurer billed, by name
    amount_paid: Decimal | None = None  # collected at the visit (copay); the superbill subtracts it
    extra: dict = field(default_factory=dict, compare=False)

    def age_on_service(self) -> int | None:
        """Age in whole years on the date of service (None without both dates)."""
        born, seen = self.patient.birth_date, self.date_of_service
        if born is None or seen is None:
            return None
        return seen.year - born.year - ((seen.month, seen.day) < (born.month, born.day))


class _Reader:
    def __init__(self, source: str):
        self.source = source

    def fail(self, path: str, problem: str):
        raise EncounterFormatError(self.source, path, problem)

    def obj(self, value: Any, path: str) -> dict:
        if not isinstance(value, dict):
            self.fail(path, f"must be an object, not {type(value).__name__}")
        return value

    def text(self, value: Any, path: str, required: bool = False) -> str | None:
        if value is None or value == "":
            if required:
                self.fail(path, "is required")
            return None
        if not isinstance(value, str | int) or isinstance(value, bool):
            self.fail(path, f"must be text, not {type(value).__name__}")
        return str(value).strip()

    def date(self, value: Any, path: str) -> dt.date | None:
        text = self.text(value, path)
        if text is None:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            self.fail(path, f"{text!r} is not a date (YYYY-MM-DD)")

    def integer(self, value: Any, path: str, minimum: int, maximum: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value \
                or value in (float("inf"), float("-inf")) or int(value) != value:
            self.fail(path, f"must be a whole number, not {value!r}")
        if value < minimum:
            self.fail(path, f"must be at least {minimum}, not {value}")
        if value > maximum:
            self.fail(path, f"must be at most {maximum:,}, not {value:,}")
        return int(value)

    def money(self, value: Any, path: str, allow_negative: bool = True) -> Decimal | None:
        """An amount typed as a practice writes it ("$1,200.00"); negative charges are read
        so the edits can name them, fractions of a cent and NaN are refused here."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return parse_amount(value, allow_negative)
        except ValueError as exc:
            self.fail(path, f"{value!r} {exc}")

    def list_of(self, value: Any, path: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(path, f"must be a list, not {type(value).__name__}")
        return value


def _rest(data: dict, known: tuple[str, ...]) -> dict:
    return {k: v for k, v in data.items() if k not in known}


def parse_encounter(data: Any, source: str = "encounter") -> EncounterSnapshot:
    """An EncounterSnapshot from the decoded JSON; raises EncounterFormatError with the path."""
    r = _Reader(source)
    root = r.obj(data, "$")
    setting = r.text(root.get("setting"), "$.setting") or "practitioner"
    if setting not in SETTINGS:
        r.fail("$.setting", f"{setting!r} is not one of {', '.join(SETTINGS)}")
    p = r.obj(root.get("patient") or {}, "$.patient")
    sex = r.text(p.get("sex"), "$.patient.sex")
    if sex is not None:
        if sex.lower() in ("f", "m", "u", "female", "male", "unknown"):
            sex = sex.upper()[:1]
        if sex not in SEXES:
            r.fail("$.patient.sex", f"{p.get('sex')!r} is not F, M or U")
    patient = Patient(r.text(p.get("name"), "$.patient.name") or "", sex,
                      r.date(p.get("birth_date"), "$.patient.birth_date"),
                      r.text(p.get("member_id"), "$.patient.member_id"),
                      _rest(p, ("name", "sex", "birth_date", "member_id")))
    v = r.obj(root.get("provider") or {}, "$.provider")
    provider = Provider(r.text(v.get("name"), "$.provider.name") or "",
                        r.text(v.get("npi"), "$.provider.npi"), _rest(v, ("name", "npi")))
    diagnoses = []
    for i, code in enumerate(r.list_of(root.get("diagnoses"), "$.diagnoses")):
        diagnoses.append(r.text(code, f"$.diagnoses[{i}]", required=True))
    procedures = []
    for i, line in enumerate(r.list_of(root.get("procedures"), "$.procedures")):
        at = f"$.procedures[{i}]"
        line = r.obj(line, at)
        raw_modifiers = r.list_of(line.get("modifiers"), f"{at}.modifiers")
        modifiers = tuple(r.text(m, f"{at}.modifiers[{j}]", required=True).upper()
                          for j, m in enumerate(raw_modifiers))
        units = line.get("units", 1)
        pointers = tuple(r.integer(x, f"{at}.diagnosis_pointers[{j}]", 1, 99) for j, x in
                         enumerate(r.list_of(line.get("diagnosis_pointers"),
                                             f"{at}.diagnosis_pointers")))
        procedures.append(ProcedureLine(
            r.text(line.get("code"), f"{at}.code", required=True).upper(), modifiers,
            r.integer(units, f"{at}.units", 0, MAX_UNITS), pointers,
            r.money(line.get("charge"), f"{at}.charge"),
            i + 1, _rest(line, ("code", "modifiers", "units", "diagnosis_pointers", "charge"))))
    paid = r.money(root.get("amount_paid"), "$.amount_paid", allow_negative=False)
    known = ("date_of_service", "setting", "place_of_service", "patient", "provider",
             "diagnoses", "procedures", "payer", "amount_paid")
    return EncounterSnapshot(r.date(root.get("date_of_service"), "$.date_of_service"), setting,
                             r.text(root.get("place_of_service"), "$.place_of_service"), patient,
                             provider, tuple(diagnoses), tuple(procedures),
                             r.text(root.get("payer"), "$.payer"), paid, _rest(root, known))


def load_encounter(path: Path | str) -> EncounterSnapshot:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EncounterFormatError(path.name, "$", "no such file") from None
    except json.JSONDecodeError as exc:
        raise EncounterFormatError(path.name, f"line {exc.lineno}, column {exc.colno}",
                                   f"is not valid JSON ({exc.msg})") from None
    return parse_encounter(data, path.name)
