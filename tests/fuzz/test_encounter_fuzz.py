"""Hostile encounter files made from a valid one: `check` and `superbill` end in exit 0 with a
correct result (for `check`, exit 1 when a finding is an error), or exit 1 with one `error:`
line that names the file, the field and what is wrong. Never a traceback, never another exit
status, never a PDF left behind by a failed run.

hypothesis spoils one good visit field by field (wrong JSON types, impossible dates, absurd
units and charges, RTL, emoji, combining and control characters, very long text, thousands of
diagnoses or lines) and byte by byte (empty, binary, truncated, re-encoded, deeply nested). The
seed is fixed, so a failure reproduces with the same command; FUZZ_EXAMPLES and FUZZ_SEED try
more or other inputs locally. The regression tests below pin each defect the fuzzing found.
"""

from __future__ import annotations

import copy
import io
import json
import os
import re
import shutil
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from encoder_app.cli.main import main
from encoder_app.codebook.db import engine_for
from encoder_app.encounters.snapshot import (
    MAX_CODE_LENGTH,
    MAX_DIAGNOSES,
    MAX_LINE_MODIFIERS,
    MAX_LINE_POINTERS,
    MAX_LINES,
    MAX_MODIFIER_LENGTH,
    MAX_NAME_LENGTH,
    EncounterFormatError,
    load_encounter,
)
from encoder_app.errors import render
from encoder_app.importers import import_paths
from encoder_app.practice.sample import load_sample_practice

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NCCI = [FIXTURES / "edits" / "ncci" / name for name in (
    "ncci_ptp_practitioner_2024q3.csv", "mue_practitioner_2024q3.csv", "aoc_2024q3.csv",
    "level2_modifiers.csv")]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "400"))

#: A good visit that reaches most edits and every part of the superbill.
VISIT = {
    "date_of_service": "2026-04-14", "setting": "practitioner", "place_of_service": "11",
    "patient": {"name": "Zoë Müller", "sex": "F", "birth_date": "1961-11-30",
                "member_id": "W123"},
    "provider": {"name": "Ana Perez", "npi": "1234567893"},
    "diagnoses": ["E11.9", "I10", "M17.11"],
    "procedures": [
        {"code": "99214", "modifiers": ["25"], "units": 1, "diagnosis_pointers": [1, 2],
         "charge": 165},
        {"code": "20610", "modifiers": ["RT"], "diagnosis_pointers": [3], "charge": "$180.00"},
        {"code": "36415", "diagnosis_pointers": [1]},
    ],
    "payer": "Aetna", "amount_paid": 25,
}
#: One `error:` line: the file, then the field in a coder's words (procedure line 1, units),
#: or for a file that is not JSON a place in it (line 3, column 7), then what is wrong; never a
#: JSON path ($.procedures[0].units).
ERROR_LINE = re.compile(r"error: visit\.json: (?!\$[.\[:])\S.*")
WROTE = re.compile(r"wrote (?P<path>.+) \((?P<pages>\d+) pages?\)")

# -- the codebooks the commands read -----------------------------------------------------------


@pytest.fixture(scope="module")
def codebooks(_fy2026_template, tmp_path_factory):
    """Two user databases, built once: the FY2026 codebook with the NCCI and modifier tables
    and the sample practice and fees ("set up"), and the bare codebook ("bare": no practice,
    the provider's name heads the page)."""
    home = tmp_path_factory.mktemp("encounter_fuzz")
    urls = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ENCODER_APP_DATA", str(home / "appdata"))
        for name in ("set up", "bare"):
            path = home / f"{name.replace(' ', '_')}.sqlite3"
            shutil.copy(_fy2026_template, path)
            engine = engine_for(f"sqlite:///{path}")
            if name == "set up":
                import_paths(NCCI, engine)
                load_sample_practice(engine)
            engine.dispose()
            urls[name] = f"sqlite:///{path}"
    return urls


def run(argv: list[str], encoding: str = "utf-8") -> tuple[int, str, str]:
    """The CLI in-process: (exit status, stdout, stderr). stdout has an encoding, as a real
    one does (cp1252 when redirected on Windows); SystemExit (argparse) is a failure."""
    raw, err = io.BytesIO(), io.StringIO()
    out = io.TextIOWrapper(raw, encoding=encoding, newline="")
    with redirect_stdout(out), redirect_stderr(err):
        status = main(argv)
    out.flush()
    return status, raw.getvalue().decode(encoding), err.getvalue()


def pdf_text(path: Path) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def error_path(visit: Path, err: str) -> str | None:
    """The JSON path of the field the error line names, as the core keeps it (the line says it
    in words, the same words as the core's error): None for an error not about a field."""
    try:
        load_encounter(visit)
    except EncounterFormatError as exc:
        assert err == f"error: {render(exc)}\n", (err, exc.path)
        return exc.path
    return None


def assert_clear_error(status: int, out: str, err: str) -> None:
    """Exit 1, nothing on stdout, one short `error:` line naming file and field in words."""
    assert status == 1, (status, err[:300])
    assert out == "", out[:300]
    assert err.count("\n") == 1 and err.endswith("\n"), err[:300]
    assert "Traceback" not in err
    assert len(err) < 400, f"the message quotes too much: {err[:120]!r}..."
    assert ERROR_LINE.fullmatch(err.rstrip("\n")), f"not one clear error line: {err[:300]!r}"


def assert_checked(argv: list[str], status: int, out: str, err: str) -> None:
    """`check` ran: its findings printed, exit 1 exactly when one is an error."""
    assert err == "", err[:300]
    if "--json" in argv:
        findings = json.loads(out)["findings"]
        assert status == (1 if any(f["severity"] == "error" for f in findings) else 0)
        assert all(set(f) == {"rule", "severity", "codes", "message", "source", "fix"}
                   for f in findings)
    else:
        last = out.rstrip("\n").splitlines()[-1]
        if last.startswith("No findings"):
            assert status == 0
        else:
            errors = int(re.match(r"(\d+) errors?, \d+ warnings?, \d+ info$", last).group(1))
            assert status == (1 if errors else 0)


def assert_printed(visit: Path, pdf: Path, status: int, out: str, err: str) -> None:
    """`superbill` wrote a whole PDF that opens, with the page count it reported and every
    diagnosis and service of the visit counted on the page."""
    assert status == 0
    wrote = WROTE.fullmatch(out.rstrip("\n"))
    assert wrote and wrote["path"] == str(pdf), out[:300]
    # at most two notes: a provider printed as the name on file, errors that remain
    notes = err.splitlines()
    assert len(notes) <= 2 and all(n.startswith("note: ") for n in notes), err[:300]
    pages, text = pdf_text(pdf)
    assert pages == int(wrote["pages"])
    snapshot = load_encounter(visit)
    assert f"Diagnoses ({len(snapshot.diagnoses)})" in text
    assert f"Services ({len(snapshot.procedures)})" in text


def leftovers(folder: Path) -> list[str]:
    """Temporary files of a PDF write that were not cleaned up."""
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


# -- how a visit is spoiled --------------------------------------------------------------------

DATES = st.sampled_from([
    "2026-02-30", "2026-13-01", "yesterday", "0000-01-01", "9999-12-31", "0001-01-01",
    "2027-01-01", "1900-01-01", "20260414", "2026-W16-2", "2026-4-14", "14/04/2026",
    "2026-04-14T10:00", " 2026-04-14 ", "２０２６-04-14", "٢٠٢٦-٠٤-١٤", "2026-04-14\x00",
    20260414, "",
])
NUMBERS = st.sampled_from([
    1e308, -1e308, -1, 0, 1, 9999, 10000, 10 ** 30, -(10 ** 30), 10 ** 4299, "3", 2.5, -0.0,
    1.0, 2 ** 63, float("nan"), float("inf"), float("-inf"), 5e-324, True, False, "1e308",
    "$1,200.00", "12.345", "-5", "9999999.99", "10000000.00", " ", "0x10", "1_000", "٣",
])
ODD_TEXT = st.sampled_from([
    "مريم العلي", "שרה כהן", "Zoe\u0308 Mu\u0308ller", "Z" + "\u0301" * 60, "👩‍⚕️ 🧑🏽‍🦱 Zoë",
    "\U0001f600" * 40, "A\x00B", "\x00", "\ud800", "a\udfffb", "\t\n", "\x1b[31mred", "\x85",
    "\u202eevil\u202c", "\ufeffZoë", "<b>bold</b> & <i>", "<para><font name='x'>", "&#0;",
    "%", "_", "E11.9'; DROP TABLE codes; --", "x" * 100_000, "W" * MAX_NAME_LENGTH,
    "W" * (MAX_NAME_LENGTH + 1), "W " * 60, "\ufdfd" * 30, "\U00012000" * 50, "𝕳𝖊𝖑𝖑𝖔",
    "E" * MAX_CODE_LENGTH, "25-RT-LT-5", "female", "unknown", "outpatient_hospital",
])
GARBAGE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=12)


def nested(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


HOSTILE = st.one_of(DATES, NUMBERS, ODD_TEXT, GARBAGE, st.text(max_size=40),
                    st.integers(60, 80).map(nested), st.builds(dict), st.builds(list))
DIAGNOSIS_CODES = ["E11.9", "I10", "N18.5", "N18.6", "R65.21", "A41.9", "Z99.999", "O80",
                   "P07.1", "S72.001A", "E11", "e11.9", "M17.11", "I12.9", "Z79.4"]
SERVICE_CODES = ["99214", "20610", "36415", "29880", "29877", "J1100", "96372", "0001U", "A",
                 "99999", "G0008"]


def paths(value, at: str = "$", depth: int = 6) -> list[tuple[str, tuple]]:
    """The places in a document, down to ``depth`` levels (a spoiled field may be 80 deep):
    (its JSON path as the reader spells it, the keys to it)."""
    found, stack = [], [(value, at, ())]
    while stack:
        v, path, keys = stack.pop()
        found.append((path, keys))
        if len(keys) >= depth:
            continue
        if isinstance(v, dict):
            stack += [(child, f"{path}.{k}", (*keys, k)) for k, child in v.items()]
        elif isinstance(v, list):
            stack += [(child, f"{path}[{i}]", (*keys, i)) for i, child in enumerate(v)]
    return found


def _parent(doc, keys: tuple):
    for k in keys[:-1]:
        doc = doc[k]
    return doc


@st.composite
def spoiled_field(draw, doc: dict) -> str:
    """Spoil one place of ``doc`` in place; its JSON path."""
    path, keys = draw(st.sampled_from(paths(doc)))
    how = draw(st.sampled_from(["replace", "replace", "delete", "extra", "append"]))
    target = _parent(doc, keys)[keys[-1]] if keys else doc
    if how == "delete" and keys and isinstance(_parent(doc, keys), dict):
        del _parent(doc, keys)[keys[-1]]
    elif how == "extra" and isinstance(target, dict):
        target[draw(st.text(max_size=12) | ODD_TEXT)] = draw(HOSTILE)
    elif how == "append" and isinstance(target, list):
        target.append(draw(HOSTILE))
    elif keys:
        _parent(doc, keys)[keys[-1]] = draw(HOSTILE)
    else:
        return path  # the whole document replaced: done by the caller
    return path


@st.composite
def long_lists(draw, doc: dict) -> None:
    """Thousands of diagnoses or lines (the claim takes 12 diagnoses, A-L)."""
    n_dx = draw(st.sampled_from([0, 1, 12, 13, 60, 100, 10_000]))
    doc["diagnoses"] = [DIAGNOSIS_CODES[i % len(DIAGNOSIS_CODES)] for i in range(n_dx)]
    n_lines = draw(st.sampled_from([0, 1, 6, 51, 1000, 10_000]))
    doc["procedures"] = [{"code": SERVICE_CODES[i % len(SERVICE_CODES)],
                          "diagnosis_pointers": [1 + i % max(1, min(n_dx, 99))],
                          "charge": 10 + i % 90} for i in range(n_lines)]


def _bytes(doc) -> bytes:
    """The file as an editor saves it (UTF-8); half a surrogate pair as its JSON escape."""
    text = json.dumps(doc, ensure_ascii=False)
    return re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text).encode()


@st.composite
def spoiled_bytes(draw) -> bytes:
    """A file that is not a good JSON object at all."""
    good = _bytes(VISIT)
    how = draw(st.sampled_from([
        "empty", "binary", "truncate", "junk", "nul", "top-level", "deep", "deep-inside",
        "huge-int", "constants", "trailing", "duplicate", "comment", "bom-twice",
    ]))
    at = int(len(good) * draw(st.floats(0, 1)))
    if how == "empty":
        return draw(st.sampled_from([b"", b" ", b"\n\n", b"\xef\xbb\xbf"]))
    if how == "binary":
        return draw(st.binary(min_size=1, max_size=512))
    if how == "truncate":
        return good[:at]
    if how == "junk":
        junk = draw(st.binary(min_size=1, max_size=16))
        return good[:at] + junk + good[at + len(junk):]
    if how == "nul":
        return good[:at] + b"\x00" + good[at:]
    if how == "top-level":
        return draw(st.sampled_from([b"[]", b"[{}]", b"3", b"-0.5", b'"visit"', b"null", b"true",
                                     b"1e999", b"NaN", json.dumps([VISIT]).encode()]))
    if how == "deep":
        n = draw(st.sampled_from([63, 64, 65, 1000, 100_000]))
        opener, closer = draw(st.sampled_from([(b"[", b"]"), (b'{"a":', b"}")]))
        return opener * n + b"1" + closer * n
    if how == "deep-inside":
        n = draw(st.sampled_from([10, 70, 5000, 100_000]))
        return good[:-1] + b', "referral": ' + b"[" * n + b"]" * n + b"}"
    if how == "huge-int":
        digits = draw(st.sampled_from([4300, 4301, 100_000]))
        return good.replace(b'"units": 1', b'"units": ' + b"9" * digits)
    if how == "constants":
        return good.replace(b'"amount_paid": 25', draw(st.sampled_from(
            [b'"amount_paid": NaN', b'"amount_paid": -Infinity', b'"amount_paid": 1e99999'])))
    if how == "trailing":
        return good + draw(st.sampled_from([b"}", b"garbage", b"\x00", b"{}"]))
    if how == "duplicate":
        return good[:-1] + b', "diagnoses": 5}'
    if how == "comment":
        return b"// exported by the EHR\n" + good
    return b"\xef\xbb\xbf\xef\xbb\xbf" + good


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252",
             "latin-1"]


@st.composite
def hostile_encounter(draw) -> tuple[bytes, str | None]:
    """(the file's bytes, the JSON path of the one field spoiled, when only one was)."""
    doc = copy.deepcopy(VISIT)
    kind = draw(st.sampled_from(["field", "field", "field", "fields", "lists", "bytes",
                                 "encoding"]))
    if kind == "field":
        path = draw(spoiled_field(doc))
        return _bytes(doc), path
    if kind == "fields":
        for _ in range(draw(st.integers(2, 4))):
            draw(spoiled_field(doc))
        return _bytes(doc), None
    if kind == "lists":
        draw(long_lists(doc))
        return _bytes(doc), None
    if kind == "bytes":
        return draw(spoiled_bytes()), None
    encoding = draw(st.sampled_from(ENCODINGS))
    return json.dumps(doc, ensure_ascii=False).encode(encoding), None


def related(path: str, changed: str) -> bool:
    """Whether an error at ``path`` is about the field changed at ``changed``: the same
    field, one inside it (a key of an object put there), or the list holding it."""
    dates = {"$.date_of_service", "$.patient.birth_date"}
    if {path, changed} <= dates or (path in dates and changed in ("$", "$.patient")):
        return True  # a birth date after the date of service is an error at the birth date
    return path.startswith(changed) or changed.startswith(path)


# -- the fuzz run ------------------------------------------------------------------------------


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large, HealthCheck.large_base_example])
@seed(int(os.environ.get("FUZZ_SEED", "20260414")))
@given(hostile=hostile_encounter(), database=st.sampled_from(["set up", "bare"]),
       as_json=st.booleans(), pdf_there_before=st.booleans(),
       stdout=st.sampled_from(["utf-8", "cp1252"]))
def test_every_hostile_encounter_ends_in_a_clear_error_or_a_correct_result(
        hostile, database, as_json, pdf_there_before, stdout, codebooks, tmp_path, fuzz_tally,
        monkeypatch):
    data, changed = hostile
    tally = fuzz_tally("encounters")
    monkeypatch.setenv("ENCODER_APP_DB_URL", codebooks[database])
    work = tmp_path / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    visit, pdf = work / "visit.json", work / "visit.pdf"
    visit.write_bytes(data)
    if pdf_there_before:
        pdf.write_bytes(b"the superbill printed yesterday")
    tally["inputs tried"] += 1
    tally["tracebacks"] += 0
    check = ["check", str(visit)] + (["--json"] if as_json else [])
    for argv in (check, ["superbill", str(visit), "-o", str(pdf)]):
        try:
            status, out, err = run(argv, stdout)
        except BaseException:
            tally["tracebacks"] += 1
            raise
        assert status in (0, 1), (argv[0], status, err[:300])
        if err.startswith("error: "):
            assert_clear_error(status, out, err)
            path = error_path(visit, err)
            if changed is not None and path is not None and path.startswith("$"):
                assert related(path, changed), f"{changed} was spoiled; the error names {err}"
            if argv[0] == "superbill":
                assert (pdf.read_bytes() == b"the superbill printed yesterday" if
                        pdf_there_before else not pdf.exists()), "a failed run wrote the PDF"
            tally["clear errors"] += 1
        elif argv[0] == "check":
            assert_checked(argv, status, out, err)
            tally["correct runs"] += 1
        else:
            assert_printed(visit, pdf, status, out, err)
            tally["correct runs"] += 1
        assert not leftovers(work), "a temporary PDF was left behind"


def test_the_fuzz_run_saw_every_kind_of_outcome(fuzz_tally):
    """The counts are only worth printing if hostile inputs reach both ends."""
    tally = fuzz_tally("encounters")
    assert tally["inputs tried"] >= min(EXAMPLES, 100)
    assert tally["clear errors"] > 0 and tally["correct runs"] > 0
    assert tally["tracebacks"] == 0


# -- the defects the fuzzing found, one test each ----------------------------------------------


@pytest.fixture
def user_db(codebooks, monkeypatch):
    monkeypatch.setenv("ENCODER_APP_DB_URL", codebooks["set up"])


def write(tmp_path: Path, doc=None, raw: bytes | None = None) -> Path:
    path = tmp_path / "visit.json"
    path.write_bytes(raw if raw is not None else _bytes(doc))
    return path


def visit_with(**changes) -> dict:
    doc = copy.deepcopy(VISIT)
    for dotted, value in changes.items():
        keys = dotted.split("__")
        target = doc
        for k in keys[:-1]:
            target = target[int(k)] if isinstance(target, list) else target[k]
        target[int(keys[-1]) if isinstance(target, list) else keys[-1]] = value
    return doc


def both(tmp_path: Path, visit: Path) -> list[tuple[int, str, str]]:
    """`check` and `superbill` of one file; the PDF must not exist after a failure."""
    pdf = tmp_path / "visit.pdf"
    results = [run(["check", str(visit)]), run(["superbill", str(visit), "-o", str(pdf)])]
    if results[1][0] != 0:
        assert not pdf.exists() and not leftovers(tmp_path)
    return results


def assert_both_refuse(tmp_path: Path, visit: Path, message: str) -> None:
    for status, out, err in both(tmp_path, visit):
        assert_clear_error(status, out, err)
        assert err.startswith(f"error: visit.json: {message}"), err


def test_a_windows_1252_file_is_refused_at_its_first_odd_byte(user_db, tmp_path):
    # was: UnicodeDecodeError traceback
    raw = json.dumps(VISIT, ensure_ascii=False, indent=1).encode("cp1252")
    assert_both_refuse(tmp_path, write(tmp_path, raw=raw),
                       'line 6, column 14: is not UTF-8 text (byte 0xEB); save the file as UTF-8')


def test_binary_junk_is_not_utf8_text(user_db, tmp_path):
    visit = write(tmp_path, raw=b'{"a": 1}\n\x80\x81\xfe')  # was: UnicodeDecodeError
    assert_both_refuse(tmp_path, visit, "line 2, column 1: is not UTF-8 text (byte 0x80)")


def test_truncated_utf16_is_not_utf16_text(user_db, tmp_path):
    raw = json.dumps(VISIT).encode("utf-16")[:-1]
    assert_both_refuse(tmp_path, write(tmp_path, raw=raw), "line 1, column ")
    assert "is not UTF-16 text" in both(tmp_path, write(tmp_path, raw=raw))[0][2]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32",
                                      "utf-8-sig"])
def test_notepad_encodings_with_a_bom_are_read(user_db, tmp_path, encoding):
    # was: a traceback (UTF-16, UTF-32) and "Unexpected UTF-8 BOM" (UTF-8 with its BOM)
    visit = write(tmp_path, raw=json.dumps(VISIT, ensure_ascii=False).encode(encoding))
    (check, _, _), (printed, out, _) = both(tmp_path, visit)
    assert check == 0 and printed == 0 and out.startswith("wrote ")
    assert "Zoë Müller" in pdf_text(tmp_path / "visit.pdf")[1]


@pytest.mark.parametrize("raw", [b"[" * 100_000 + b"]" * 100_000,
                                 b'{"a":' * 50_000 + b"1" + b"}" * 50_000])
def test_deep_nesting_is_refused_not_a_recursion_error(user_db, tmp_path, raw):
    assert_both_refuse(tmp_path, write(tmp_path, raw=raw), "is nested more than 64 levels")


def test_deep_nesting_in_an_unknown_field_names_the_field(user_db, tmp_path):
    # was accepted, then a RecursionError when the GUI saved the encounter again
    visit = write(tmp_path, visit_with(referral={"plan": nested(100)}))
    assert_both_refuse(tmp_path, visit,
                       "referral, plan item 1, item 1: is nested more than 64 levels")


def test_a_json_error_reads_as_a_sentence(user_db, tmp_path):
    # was: "Unterminated string starting at" and, after two BOMs, "decode using utf-8-sig"
    visit = write(tmp_path, raw=b'{"patient": {"name": "Zo')
    assert_both_refuse(tmp_path, visit, "line 1, column 22: is not valid JSON (Unterminated "
                                        "string)")
    visit = write(tmp_path, raw=b"\xef\xbb\xbf\xef\xbb\xbf" + _bytes(VISIT))
    assert_both_refuse(tmp_path, visit, "line 1, column 1: is not valid JSON (a second "
                                        "byte-order mark)")


def test_a_number_past_4300_digits_is_placed_not_a_traceback(user_db, tmp_path):
    # was: ValueError "Exceeds the limit (4300 digits) for integer string conversion"
    raw = _bytes(VISIT).replace(b'"units": 1', b'"units":\n ' + b"9" * 5000)
    assert_both_refuse(tmp_path, write(tmp_path, raw=raw),
                       "line 2, column 2: has a number of more than 4,300 digits")


@pytest.mark.parametrize("field", ["amount_paid", "procedures__0__charge"])
def test_a_charge_of_30_digits_is_too_large_not_invalid_operation(user_db, tmp_path, field):
    # was: decimal.InvalidOperation traceback (quantize past Decimal's 28 digits)
    visit = write(tmp_path, visit_with(**{field: 10 ** 30}))
    path = "amount paid" if field == "amount_paid" else "procedure line 1, charge"
    assert_both_refuse(tmp_path, visit, f"{path}: 1000000000000000000000000000000 is too large")


@pytest.mark.parametrize(("field", "value", "path"), [
    ("patient__name", "\ud800", "patient, name"),
    ("diagnoses__0", "E11.9\udfff", "diagnosis 1"),
    ("referral", {"note": "\ud83d"}, "referral, note"),
])
def test_an_unpaired_surrogate_is_refused_by_its_path(user_db, tmp_path, field, value, path):
    # was: UnicodeEncodeError in the PDF writer (name) or in SQLite (a code)
    visit = write(tmp_path, visit_with(**{field: value}))
    assert_both_refuse(tmp_path, visit, f"{path}: holds half of a UTF-16 surrogate pair")


@pytest.mark.parametrize(("field", "value", "path"), [
    ("patient__name", "Jane\x00Doe", "patient, name: holds U+0000 at character 5"),
    ("procedures__0__code", "99214\x00", "procedure line 1, code: holds U+0000 at character 6"),
    ("payer", "Ae\x1btna", "payer: holds U+001B at character 3"),
])
def test_control_characters_are_refused_by_their_path(user_db, tmp_path, field, value, path):
    # was: printed into the PDF, or checked as a code with a NUL in it
    assert_both_refuse(tmp_path, write(tmp_path, visit_with(**{field: value})), path)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("patient__name", "A " * 50_000, "patient, name: is 99,999 characters long; at most 120"),
    ("patient__member_id", "9" * 100_000, "patient, member ID: is 100,000 characters long"),
    ("place_of_service", "1" * 100_000, "place of service: is 100,000 characters long"),
    ("diagnoses__0", "E" * 100_000, "diagnosis 1: is 100,000 characters long; at most 20"),
    ("procedures__0__modifiers", ["25"] * 1000,
     "procedure line 1, modifiers: has 1,000 modifiers; at most 10"),
])
def test_text_too_long_to_print_is_refused_by_its_path(user_db, tmp_path, field, value,
                                                       message):
    # was: ReportLab LayoutError or TypeError ("tallest cell %0.1f") from the superbill
    assert_both_refuse(tmp_path, write(tmp_path, visit_with(**{field: value})), message)


@pytest.mark.parametrize("letter", ["W", "\ufdfd", "\U0001f600"])
@pytest.mark.parametrize("database", ["set up", "bare"])
def test_every_field_at_its_longest_still_prints(codebooks, monkeypatch, tmp_path, letter,
                                                 database):
    """What the reader lets through fits the page: the widest glyphs at every limit."""
    monkeypatch.setenv("ENCODER_APP_DB_URL", codebooks[database])
    name, code = letter * MAX_NAME_LENGTH, "9" * MAX_CODE_LENGTH
    doc = visit_with(patient__name=name, patient__member_id=name, payer=name,
                     provider__name=name, provider__npi=code, place_of_service=code,
                     diagnoses=[letter * MAX_CODE_LENGTH] * MAX_LINE_POINTERS)
    doc["procedures"] = [{"code": letter * MAX_CODE_LENGTH,
                          "modifiers": [letter * MAX_MODIFIER_LENGTH] * MAX_LINE_MODIFIERS,
                          "diagnosis_pointers": list(range(1, MAX_LINE_POINTERS + 1)),
                          "units": 9999, "charge": "9999999.99"}] * 3
    visit, pdf = write(tmp_path, doc), tmp_path / "visit.pdf"
    status, out, err = run(["superbill", str(visit), "-o", str(pdf)])
    assert_printed(visit, pdf, status, out, err)


def test_ten_thousand_diagnoses_are_refused_quickly(user_db, tmp_path):
    # was: the pairwise Excludes1 edit ran for many minutes
    started = time.monotonic()
    visit = write(tmp_path, visit_with(diagnoses=["E11.9", "I10"] * 5000))
    assert_both_refuse(tmp_path, visit, "diagnoses: has 10,000 diagnoses; at most 99 are read")
    assert time.monotonic() - started < 5


def test_ten_thousand_lines_are_refused_quickly(user_db, tmp_path):
    started = time.monotonic()
    visit = write(tmp_path, visit_with(procedures=[VISIT["procedures"][0]] * 10_000))
    assert_both_refuse(tmp_path, visit,
                       "procedures: has 10,000 service lines; at most 999 are read")
    assert time.monotonic() - started < 5


def test_the_most_diagnoses_and_lines_read_are_checked_and_printed_in_seconds(user_db,
                                                                              tmp_path):
    doc = visit_with(diagnoses=[DIAGNOSIS_CODES[i % 15] for i in range(MAX_DIAGNOSES)])
    doc["procedures"] = [{"code": SERVICE_CODES[i % len(SERVICE_CODES)], "charge": 10,
                          "diagnosis_pointers": [1 + i % 12]} for i in range(MAX_LINES)]
    visit, pdf = write(tmp_path, doc), tmp_path / "visit.pdf"
    started = time.monotonic()
    status, out, err = run(["check", str(visit), "--json"])
    assert_checked(["--json"], status, out, err)
    assert any("12" in f["message"] for f in json.loads(out)["findings"]
               if f["rule"].startswith("claim."))  # more than the claim's 12 diagnoses
    status, out, err = run(["superbill", str(visit), "-o", str(pdf)])
    assert_printed(visit, pdf, status, out, err)
    assert time.monotonic() - started < 30


def test_a_birth_date_after_the_date_of_service_is_an_error(user_db, tmp_path):
    # was: accepted; a negative age passed every age edit
    visit = write(tmp_path, visit_with(patient__birth_date="2027-01-01"))
    assert_both_refuse(tmp_path, visit, "patient, birth date: 2027-01-01 is after the date of "
                                        "service, 2026-04-14")


@pytest.mark.parametrize(("value", "message"), [
    ("20260414", '"20260414" is not a date; write YYYY-MM-DD'),
    ("2026-W16-2", '"2026-W16-2" is not a date; write YYYY-MM-DD'),
    (20260414, 'must be a date as text ("YYYY-MM-DD"), not 20260414'),
    ("2026-02-30", '"2026-02-30" is not a date (day is out of range for month)'),
])
def test_only_yyyy_mm_dd_is_a_date(user_db, tmp_path, value, message):
    # was: 20260414 and 2026-W16-2 read as dates (Python 3.11's fromisoformat takes them)
    visit = write(tmp_path, visit_with(date_of_service=value))
    assert_both_refuse(tmp_path, visit, f"date of service: {message}")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("patient", 0, "patient: must be an object, not 0"),
    ("provider", False, "provider: must be an object, not false"),
    ("diagnoses__1", "   ", "diagnosis 2: is required"),
    ("procedures__0__units", True, "procedure line 1, units: must be a whole number, not true"),
    ("procedures__0__units", None, "procedure line 1, units: must be a whole number, not null"),
    ("procedures__0__units", [1], "procedure line 1, units: must be a whole number, not a list"),
])
def test_wrong_types_are_named_as_json_spells_them(user_db, tmp_path, field, value, message):
    # was: 0 and false read as an empty patient or provider, a blank diagnosis read as "",
    # and Python's spelling (True, None) in the messages
    assert_both_refuse(tmp_path, write(tmp_path, visit_with(**{field: value})), message)


def test_the_pdf_never_overwrites_the_encounter_file(user_db, tmp_path):
    # was: `superbill visit.json -o visit.json` replaced the visit with its PDF
    visit = write(tmp_path, VISIT)
    before = visit.read_bytes()
    status, out, err = run(["superbill", str(visit), "-o", str(tmp_path / "." / "visit.json")])
    assert (status, out) == (1, "")
    assert err == ("error: visit.json: -o names the encounter file itself; the PDF would "
                   "replace it (give the PDF another name)\n")
    assert visit.read_bytes() == before


def test_a_write_that_fails_midway_leaves_no_pdf(user_db, tmp_path, monkeypatch):
    visit, pdf = write(tmp_path, VISIT), tmp_path / "visit.pdf"
    import encoder_app.file_modes as file_modes

    def full_disk(fd):  # the data was written to the temporary file; flushing it fails
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(file_modes.os, "fsync", full_disk)
    status, out, err = run(["superbill", str(visit), "-o", str(pdf)])
    assert status == 1 and "visit.pdf: could not write (No space left on device)" in err
    assert not pdf.exists() and not leftovers(tmp_path)


def test_a_layout_that_fails_is_a_clear_error_and_writes_nothing(user_db, tmp_path,
                                                                 monkeypatch):
    from reportlab.platypus.doctemplate import LayoutError

    def too_tall(*args, **kwargs):
        raise LayoutError("Flowable <Table@0x7f> too large on page 1")

    monkeypatch.setattr("reportlab.platypus.BaseDocTemplate.build", too_tall)
    visit, pdf = write(tmp_path, VISIT), tmp_path / "visit.pdf"
    status, out, err = run(["superbill", str(visit), "-o", str(pdf)])
    assert_clear_error(status, out, err)
    assert err.startswith("error: visit.json: the superbill does not fit on a Letter page")
    assert not pdf.exists() and not leftovers(tmp_path)


def test_check_writes_an_emoji_code_to_a_cp1252_stdout(user_db, tmp_path):
    # was: UnicodeEncodeError traceback from `check visit.json > findings.txt` on Windows
    visit = write(tmp_path, visit_with(diagnoses__0="\U0001f469"))
    status, text, _ = run(["check", str(visit)], "cp1252")
    assert status == 1 and "\\U0001f469" in text and text.rstrip().endswith("info")
    status, text, _ = run(["check", str(visit), "--json"], "cp1252")
    assert status == 1
    assert any("\U0001f469" in f["codes"] for f in json.loads(text)["findings"])


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="names there are Unicode")
def test_superbill_names_an_output_file_that_is_not_utf8(user_db, tmp_path):
    # was: UnicodeEncodeError after the PDF was written (a Latin-1 file name on Linux)
    pdf = tmp_path / os.fsdecode(b"visit-\xe9.pdf")
    status, text, _ = run(["superbill", str(write(tmp_path, VISIT)), "-o", str(pdf)])
    assert status == 0 and pdf.exists()
    assert text == f"wrote {tmp_path}/visit-\\udce9.pdf (1 page)\n"


def test_a_folder_given_as_the_encounter_is_a_clear_error(user_db, tmp_path):
    # was: IsADirectoryError traceback (only a missing file was reported)
    folder = tmp_path / "visit.json"
    folder.mkdir()
    for status, out, err in both(tmp_path, folder):
        assert_clear_error(status, out, err)
        assert err.startswith("error: visit.json: could not be read ("), err
