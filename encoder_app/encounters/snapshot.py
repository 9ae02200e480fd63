"""The encounter as the edits engine, the GUI and superbills see it, read from the encounter
JSON file. Unknown fields are kept; malformed ones are reported by their JSON path, which a user
reads in words ("$.procedures[0].code": "procedure line 1, code").

A file is whatever a user hands the app, so the reader is also where "this is not an encounter"
is said: every limit below names the field it stops at, and whatever it lets through the edits
can check and a superbill can print on Letter pages.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from encoder_app.encounters.inpatient import DISCHARGE_STATUSES, POA_INDICATORS, STATUS_LIST
from encoder_app.errors import LocatedError
from encoder_app.json_file import read_json_file
from encoder_app.money import parse_amount

SETTINGS = ("practitioner", "outpatient_hospital", "inpatient")
SEXES = ("F", "M", "U")
#: Units on one line: the claim form's field holds four digits; more is a typing slip.
MAX_UNITS = 9999
#: Diagnosis pointers run 1-99, so a 100th diagnosis could never be billed. The claim itself
#: takes 12 (837P / CMS-1500, A-L; 25 on an 837I), but the file may hold more: the claim edit
#: then names the extras and offers to keep the 12 the services point to, which is how a coder
#: trims a problem list. Past 99 the file is an export gone wrong, not a visit (and the pairwise
#: Excludes1 edit over 10,000 codes would run for minutes before saying so).
MAX_DIAGNOSES = 99
#: Service lines: 999 is the 837I's limit, the longest claim any setting sends (an 837P takes
#: 50; a superbill of 999 lines is ~30 pages and prints in seconds).
MAX_LINES = 999
#: A claim line carries 4 modifiers and 4 pointers; the line edits name the extras. A line can
#: point at each of the claim's 12 diagnoses once; past these counts the list is not a typo.
MAX_LINE_MODIFIERS = 10
MAX_LINE_POINTERS = 12
#: Longest text read, in characters. Names: the 837's patient name is 60 + 35 + 25 long, its
#: payer name 60, its member id 80. Codes: the longest is 8 dotted (S72.001A), so 20 leaves
#: room for a slip the edits can name; a modifier is 2 ("-25" and "RT " are slips too). Longer
#: is a note pasted into the wrong field, and would not fit its box on the superbill (a service
#: row cannot break across pages; tests/fuzz prints every field at its limit).
MAX_NAME_LENGTH = 120
MAX_CODE_LENGTH = 20
MAX_MODIFIER_LENGTH = 4
#: An encounter file is four levels deep; unknown fields may nest, but not without end (a
#: RecursionError when the file is saved again).
MAX_DEPTH = 64
#: Characters no name or code holds: controls (a NUL from a C program, form feeds), and the
#: unpaired surrogates a "\ud800" escape makes, which no file or database can store as UTF-8.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # not \d, which matches ٢٠٢٦ too
_SHOWN = 40  # characters of a bad value quoted back in a message


class EncounterFormatError(LocatedError):
    """A field of an encounter file is missing or malformed; names the file and the field,
    kept as its JSON path (``path``) and read in the words of the form (``place``)."""

    FIELD_WORDS = {"date_of_service": "date of service", "place_of_service": "place of service",
                   "birth_date": "birth date", "member_id": "member ID", "npi": "NPI",
                   "amount_paid": "amount paid", "diagnosis_pointers": "diagnosis pointers",
                   "admission_date": "admission date", "discharge_date": "discharge date",
                   "discharge_status": "discharge status", "poa": "POA"}
    ENTRY_WORDS = {"diagnoses": "diagnosis", "procedures": "procedure line",
                   "modifiers": "modifier", "diagnosis_pointers": "diagnosis pointer"}

    def __init__(self, source: str, path: str, problem: str):
        super().__init__(source, path, problem)

    @property
    def path(self) -> str:
        """The JSON path of the field ($.diagnoses[2]), the key a program finds it by; "$" for
        the file as a whole. Users read ``place`` ("diagnosis 3")."""
        return self.location or "$"


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
    date: dt.date | None = None  # inpatient: the day the procedure was performed


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
    # Inpatient (setting "inpatient"): the stay, and each diagnosis's present-on-admission
    # indicator (Y, N, U, W, 1; None where not given), in the order of ``diagnoses``. The date of
    # service of an inpatient stay is its discharge date (code-set validity goes by it).
    admission_date: dt.date | None = None
    discharge_date: dt.date | None = None
    discharge_status: str | None = None  # UB-04 patient status, two digits ("01")
    diagnosis_poa: tuple[str | None, ...] = ()
    # Unknown fields of a diagnosis written as an object, in the order of ``diagnoses``.
    diagnosis_extra: tuple[dict, ...] = field(default=(), compare=False)

    def age_on_service(self) -> int | None:
        """Age in whole years on the date of service (None without both dates)."""
        return self.age_on(self.date_of_service)

    def age_on(self, day: dt.date | None) -> int | None:
        """Age in whole years on ``day`` (None without both dates)."""
        born = self.patient.birth_date
        if born is None or day is None:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def poa(self, index: int) -> str | None:
        """The POA indicator of the diagnosis at ``index`` (0-based), None when not given."""
        return self.diagnosis_poa[index] if index < len(self.diagnosis_poa) else None


def _shown(value: Any) -> str:
    """A bad value as the message quotes it: spelled as in JSON (null, true, "3"), cut short."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return f"a list of {len(value):,}" if value else "an empty list"
    if isinstance(value, str):
        cut = value[:_SHOWN] + ("\u2026" if len(value) > _SHOWN else "")
        return json.dumps(_SURROGATE.sub("\ufffd", cut), ensure_ascii=False)
    if isinstance(value, float) and value != value:
        return "NaN"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    text = json.dumps(value) if value is None or isinstance(value, bool | int | float) \
        else str(value)
    return text if len(text) <= _SHOWN else f"a number of {len(text):,} digits"


class _Reader:
    def __init__(self, source: str):
        self.source = source

    def fail(self, path: str, problem: str):
        raise EncounterFormatError(self.source, path, problem)

    def obj(self, value: Any, path: str, optional: bool = True) -> dict:
        if value is None and optional:
            return {}
        if not isinstance(value, dict):
            self.fail(path, f"must be an object, not {_shown(value)}")
        return value

    def text(self, value: Any, path: str, required: bool = False,
             limit: int = MAX_NAME_LENGTH) -> str | None:
        if value is not None and (not isinstance(value, str | int) or isinstance(value, bool)):
            self.fail(path, f"must be text, not {_shown(value)}")
        text = "" if value is None else str(value).strip()
        if not text:
            if required:
                self.fail(path, "is required")
            return None
        bad = _NOT_TEXT.search(text)
        if bad:
            self.fail(path, f"holds U+{ord(bad.group()):04X} at character {bad.start() + 1}, "
                            "a control character, not text")
        if len(text) > limit:
            self.fail(path, f"is {len(text):,} characters long; at most {limit} fit")
        return text

    def code(self, value: Any, path: str, limit: int = MAX_CODE_LENGTH) -> str:
        """A code as typed (the edits say whether it is one): text, short, upper case."""
        text = self.text(value, path, required=True, limit=limit)
        return text.upper()

    def date(self, value: Any, path: str) -> dt.date | None:
        if isinstance(value, int) and not isinstance(value, bool):
            self.fail(path, f"must be a date as text (\"YYYY-MM-DD\"), not {_shown(value)}")
        text = self.text(value, path)
        if text is None:
            return None
        if not _ISO_DATE.fullmatch(text):
            self.fail(path, f"{_shown(text)} is not a date; write YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(text)
        except ValueError as exc:  # "month must be in 1..12", "day is out of range for month"
            self.fail(path, f"{_shown(text)} is not a date ({exc})")

    def integer(self, value: Any, path: str, minimum: int, maximum: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value \
                or value in (float("inf"), float("-inf")) or int(value) != value:
            self.fail(path, f"must be a whole number, not {_shown(value)}")
        if value < minimum:
            self.fail(path, f"must be at least {minimum}, not {_shown(value)}")
        if value > maximum:
            self.fail(path, f"must be at most {maximum:,}, not {_shown(value)}")
        return int(value)

    def money(self, value: Any, path: str, allow_negative: bool = True) -> Decimal | None:
        """An amount typed as a practice writes it ("$1,200.00"); negative charges are read
        so the edits can name them, fractions of a cent and NaN are refused here."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return parse_amount(value, allow_negative)
        except ValueError as exc:
            self.fail(path, f"{_shown(value)} {exc}")

    def list_of(self, value: Any, path: str, limit: int | None = None,
                what: str = "items") -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(path, f"must be a list, not {_shown(value)}")
        if limit is not None and len(value) > limit:
            self.fail(path, f"has {len(value):,} {what}; at most {limit} are read")
        return value


def _key_path(path: str, key: str) -> str:
    """$.a.b, or $["odd key"] for a key that is not a plain name (shown short, escaped)."""
    if key.isidentifier() and key.isascii() and len(key) <= _SHOWN:
        return f"{path}.{key}"
    return f"{path}[{_shown(key)}]"


#: Paths are spelled out this deep in messages; deeper values are named by this ancestor
#: ("$.referral.plan[0][0]", not 64 levels of "[0]").
_NAMED_DEPTH = 4


def _check_nesting_and_text(r: _Reader, data: Any) -> None:
    """Every value of the document, unknown fields too, walked without recursion: none nested
    past MAX_DEPTH, no unpaired surrogate in any key or text (it could never be saved)."""
    stack = [(data, "$", 0)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, dict):
            items = [(k, _key_path(path, str(k)), v) for k, v in value.items()]
        elif isinstance(value, list):
            items = [(None, f"{path}[{i}]", v) for i, v in enumerate(value)]
        else:
            if isinstance(value, str) and _SURROGATE.search(value):
                r.fail(path, "holds half of a UTF-16 surrogate pair (an escape such as "
                             "\\ud800 alone), which is not text")
            continue
        if depth >= MAX_DEPTH:
            r.fail(path, f"is nested more than {MAX_DEPTH} levels deep")
        for key, child_path, child in items:
            if isinstance(key, str) and _SURROGATE.search(key):
                r.fail(path, "has a field name holding half of a UTF-16 surrogate pair")
            stack.append((child, child_path if depth < _NAMED_DEPTH else path, depth + 1))


def _rest(data: dict, known: tuple[str, ...]) -> dict:
    return {k: v for k, v in data.items() if k not in known}


def parse_encounter(data: Any, source: str = "encounter") -> EncounterSnapshot:
    """An EncounterSnapshot from the decoded JSON; raises EncounterFormatError with the path."""
    r = _Reader(source)
    root = r.obj(data, "$", optional=False)
    _check_nesting_and_text(r, root)
    setting = r.text(root.get("setting"), "$.setting") or "practitioner"
    if setting not in SETTINGS:
        r.fail("$.setting", f"{_shown(root.get('setting'))} is not one of {', '.join(SETTINGS)}")
    p = r.obj(root.get("patient"), "$.patient")
    sex = r.text(p.get("sex"), "$.patient.sex")
    if sex is not None:
        if sex.lower() in ("f", "m", "u", "female", "male", "unknown"):
            sex = sex.upper()[:1]
        if sex not in SEXES:
            r.fail("$.patient.sex", f"{_shown(p.get('sex'))} is not F, M or U")
    patient = Patient(r.text(p.get("name"), "$.patient.name") or "", sex,
                      r.date(p.get("birth_date"), "$.patient.birth_date"),
                      r.text(p.get("member_id"), "$.patient.member_id"),
                      _rest(p, ("name", "sex", "birth_date", "member_id")))
    v = r.obj(root.get("provider"), "$.provider")
    provider = Provider(r.text(v.get("name"), "$.provider.name") or "",
                        r.text(v.get("npi"), "$.provider.npi", limit=MAX_CODE_LENGTH),
                        _rest(v, ("name", "npi")))
    diagnoses, poas, dx_extra = [], [], []
    for i, entry in enumerate(r.list_of(root.get("diagnoses"), "$.diagnoses", MAX_DIAGNOSES,
                                        "diagnoses")):
        code, poa, rest = _diagnosis(r, entry, f"$.diagnoses[{i}]")
        diagnoses.append(code)
        poas.append(poa)
        dx_extra.append(rest)
    inpatient = setting == "inpatient"
    procedures = []
    for i, line in enumerate(r.list_of(root.get("procedures"), "$.procedures", MAX_LINES,
                                       "service lines")):
        at = f"$.procedures[{i}]"
        line = r.obj(line, at, optional=False)
        modifiers = tuple(r.code(m, f"{at}.modifiers[{j}]", MAX_MODIFIER_LENGTH) for j, m in
                          enumerate(r.list_of(line.get("modifiers"), f"{at}.modifiers",
                                              MAX_LINE_MODIFIERS, "modifiers")))
        pointers = tuple(r.integer(x, f"{at}.diagnosis_pointers[{j}]", 1, MAX_DIAGNOSES)
                         for j, x in enumerate(r.list_of(
                             line.get("diagnosis_pointers"), f"{at}.diagnosis_pointers",
                             MAX_LINE_POINTERS, "pointers")))
        line_known = ("code", "modifiers", "units", "diagnosis_pointers", "charge") + \
            (("date",) if inpatient else ())
        procedures.append(ProcedureLine(
            r.code(line.get("code"), f"{at}.code"), modifiers,
            r.integer(line.get("units", 1), f"{at}.units", 0, MAX_UNITS), pointers,
            r.money(line.get("charge"), f"{at}.charge"),
            i + 1, _rest(line, line_known),
            r.date(line.get("date"), f"{at}.date") if inpatient else None))
    paid = r.money(root.get("amount_paid"), "$.amount_paid", allow_negative=False)
    seen = r.date(root.get("date_of_service"), "$.date_of_service")
    stay = _stay(r, root, seen, patient) if inpatient else (None, None, None)
    seen = stay[1] or seen
    if seen and patient.birth_date and patient.birth_date > seen:
        # A negative age would pass every age edit unnoticed; it is a typo in one of the two.
        r.fail("$.patient.birth_date", f"{patient.birth_date.isoformat()} is after the date of "
                                       f"service, {seen.isoformat()}")
    known = ("date_of_service", "setting", "place_of_service", "patient", "provider",
             "diagnoses", "procedures", "payer", "amount_paid") + (INPATIENT_FIELDS * inpatient)
    return EncounterSnapshot(seen, setting,
                             r.text(root.get("place_of_service"), "$.place_of_service",
                                    limit=MAX_CODE_LENGTH),
                             patient, provider, tuple(diagnoses), tuple(procedures),
                             r.text(root.get("payer"), "$.payer"), paid, _rest(root, known),
                             *stay, tuple(poas) if any(poas) else (),
                             tuple(dx_extra) if any(dx_extra) else ())


#: Read only when the setting is "inpatient"; in another setting they are unknown fields, kept.
INPATIENT_FIELDS = ("admission_date", "discharge_date", "discharge_status")


def _diagnosis(r: _Reader, entry: Any, at: str) -> tuple[str, str | None, dict]:
    """A diagnosis: its code as text, or {"code": "I50.23", "poa": "Y"} (other keys kept)."""
    if not isinstance(entry, dict):
        return r.code(entry, at), None, {}
    poa = r.text(entry.get("poa"), f"{at}.poa", limit=MAX_CODE_LENGTH)
    if poa is not None:
        poa = poa.upper()
        if poa not in POA_INDICATORS:
            r.fail(f"{at}.poa", f"{_shown(entry.get('poa'))} is not a present-on-admission "
                                f"indicator: Y, N, U, W or 1")
    return r.code(entry.get("code"), f"{at}.code"), poa, _rest(entry, ("code", "poa"))


def _stay(r: _Reader, root: dict, seen: dt.date | None, patient: Patient
          ) -> tuple[dt.date | None, dt.date | None, str | None]:
    """Admission date, discharge date and discharge status of an inpatient stay. The date of
    service, when given, must be the discharge date (the date code-set validity goes by)."""
    admitted = r.date(root.get("admission_date"), "$.admission_date")
    discharged = r.date(root.get("discharge_date"), "$.discharge_date")
    if admitted and discharged and discharged < admitted:
        r.fail("$.discharge_date", f"{discharged.isoformat()} is before the admission date, "
                                   f"{admitted.isoformat()}")
    if seen and discharged and seen != discharged:
        r.fail("$.date_of_service", f"{seen.isoformat()} is not the discharge date, "
                                    f"{discharged.isoformat()}: an inpatient stay's date of "
                                    "service is its discharge date")
    if admitted and patient.birth_date and patient.birth_date > admitted:
        r.fail("$.patient.birth_date", f"{patient.birth_date.isoformat()} is after the "
                                       f"admission date, {admitted.isoformat()}")
    status = r.text(root.get("discharge_status"), "$.discharge_status", limit=MAX_CODE_LENGTH)
    if status is not None:
        typed, status = status, status.zfill(2)
        if status not in DISCHARGE_STATUSES:
            r.fail("$.discharge_status", f"{_shown(typed)} is not a UB-04 patient discharge "
                                         f"status of an inpatient stay ({STATUS_LIST})")
    return admitted, discharged, status


def load_encounter(path: Path | str) -> EncounterSnapshot:
    path = Path(path)
    return parse_encounter(read_json_file(path, EncounterFormatError, MAX_DEPTH), path.name)
