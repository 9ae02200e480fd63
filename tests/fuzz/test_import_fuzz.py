"""Hostile release files made from the real ones: every input ends in a clear error or a correct
import. Never a traceback, never a partial release, never a change to what was loaded before,
never a file written outside the data folder.

The inputs start from the real CMS/CDC files in ../shared/codebooks (their first 256 KB, so a
run stays short) and the project's own fixtures, and hypothesis cuts, corrupts, re-encodes,
re-roots, zips, nests and gzips them. The seed is fixed: a failure here reproduces with the same
command. Set FUZZ_EXAMPLES to try more inputs and FUZZ_SEED for other ones, locally.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import struct
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from encoder_app.codebook.db import engine_for
from encoder_app.codebook.models import Release
from encoder_app.errors import EncoderError
from encoder_app.importers import import_paths

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = Path(os.environ.get("ENCODER_SHARED_CODEBOOKS", ROOT.parent / "shared" / "codebooks"))
HEAD = 256 * 1024
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "1000"))

#: (file name as the importers see it, where its bytes come from)
SHARED_FILES = [
    "icd10cm-2025/icd10cm_tabular_2025.xml",
    "icd10cm-2025/icd10cm_index_2025.xml",
    "icd10cm-2025/icd10cm_eindex_2025.xml",
    "icd10cm-2025/icd10cm_neoplasm_2025.xml",
    "icd10cm-2025/icd10cm_drug_2025.xml",
    "icd10pcs-2023/icd10pcs_tables_2023.xml",
    "icd10pcs-2023/icd10pcs_index_2023.xml",
    "icd10pcs-2023/icd10pcs_definitions_2023.xml",
    "hcpcs-2024q3/HCPC2024_JUL_ANWEB.csv",
    "hcpcs-2024q3/level2_modifiers.csv",
    "ncci-2024q3/aoc_2024q3.csv",
    "ncci-2024q3/mue_practitioner_2024q3.csv",
    "ncci-2024q3/ncci_ptp_practitioner_2024q3.csv.gz",
    "mce-v41/mce_v41_age_sex_manifestation.csv",
    "gems-2018/icd10cmtoicd9gem.csv",
    "pos/place_of_service.csv",
]
FIXTURE_FILES = sorted(p for p in FIXTURES.rglob("*") if p.is_file()
                       and p.suffix in (".xml", ".csv", ".txt", ".gz"))


def _corpus() -> list[tuple[str, bytes]]:
    files = [(p.name, p.read_bytes()) for p in FIXTURE_FILES]
    for rel in SHARED_FILES:
        path = SHARED / rel
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)[:HEAD]
            files.append((path.name[:-3], data))
        else:
            files.append((path.name, data[:HEAD]))
    return files


CORPUS = _corpus()
BASELINE = [FIXTURES / "tabular" / "tabular_mini_2031.xml",
            FIXTURES / "hcpcs" / "HCPC2024_JUL_ANWEB.csv"]

# -- how an input is spoiled -----------------------------------------------------------------


def _truncate(data: bytes, at: float) -> bytes:
    return data[:int(len(data) * at)]


def _junk(data: bytes, at: float, junk: bytes) -> bytes:
    i = int(len(data) * at)
    return data[:i] + junk + data[i + len(junk):]


def _wrong_root(data: bytes, root: str) -> bytes:
    text = data.decode("utf-8", "replace")
    start = text.find("<", text.find("?>") + 1 if text.startswith("<?xml") else 0)
    end = text.find(">", start)
    if start < 0 or end < 0:
        return data
    name = text[start + 1:end].split()[0] if text[start + 1:end].split() else ""
    text = text[:start + 1] + root + text[start + 1 + len(name):]
    return text.replace(f"</{name}>", f"</{root}>").encode("utf-8", "replace")


def _reencode(data: bytes, how: str) -> bytes:
    text = data.decode("utf-8", "replace")
    if how == "utf-16":
        return text.encode("utf-16")
    if how == "cp1252-junk":
        return data.replace(b"a", b"\xe9\x81", 50)  # bytes that are no UTF-8
    return text.encode("latin-1", "replace")


def _csv_columns(data: bytes, how: str, column: int, value: str) -> bytes:
    lines = data.decode("utf-8", "replace").splitlines()
    if not lines:
        return data
    out = []
    for line in lines:
        cells = line.split(",")
        i = column % max(len(cells), 1)
        if how == "drop":
            cells = cells[:i] + cells[i + 1:]
        elif how == "extra":
            cells.insert(i, value)
        elif how == "date" and line is not lines[0]:
            cells[i] = value
        out.append(",".join(cells))
    return ("\n".join(out) + "\n").encode()


def _zip(members: list[tuple[str, bytes]], flag_encrypted: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(name, data)
    out = bytearray(buffer.getvalue())
    if flag_encrypted:
        for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            at = out.find(signature)
            while at >= 0:
                flags = struct.unpack_from("<H", out, at + flag_at)[0] | 0x1
                struct.pack_into("<H", out, at + flag_at, flags)
                at = out.find(signature, at + 4)
    return bytes(out)


BAD_DATES = st.sampled_from(["20240231", "2024-07-01", "abc", "99999999", "00000000", "-1",
                             "19000101", "\x00", "2024070"])
JUNK = st.binary(min_size=1, max_size=64)
ROOTS = st.sampled_from(["ICD10CM.index", "ICD10CM.tabular", "ICD10PCS.tabular", "html",
                         "ICD10CM.drug", "x"])


@st.composite
def hostile_file(draw) -> tuple[str, bytes]:
    """(file name, content) of one spoiled release file."""
    name, data = draw(st.sampled_from(CORPUS))
    how = draw(st.sampled_from(["truncate", "junk", "binary", "empty", "root", "encoding",
                                "csv", "zip", "nested-zip", "encrypted-zip", "traversal",
                                "broken-zip", "gzip", "broken-gzip", "as-is"]))
    at = draw(st.floats(0, 1))
    if how == "truncate":
        return name, _truncate(data, at)
    if how == "junk":
        return name, _junk(data, at, draw(JUNK))
    if how == "binary":
        return name, draw(st.binary(max_size=4096))
    if how == "empty":
        return name, b""
    if how == "root":
        return name, _wrong_root(data, draw(ROOTS))
    if how == "encoding":
        return name, _reencode(data, draw(st.sampled_from(["utf-16", "cp1252-junk", "latin-1"])))
    if how == "csv":
        spoil = draw(st.sampled_from(["drop", "extra", "date"]))
        return name, _csv_columns(data, spoil, draw(st.integers(0, 30)), draw(BAD_DATES))
    if how == "zip":
        return "release.zip", _zip([(name, _truncate(data, max(at, 0.5)))])
    if how == "nested-zip":
        return "outer.zip", _zip([("inner.zip", _zip([(name, data)]))])
    if how == "encrypted-zip":
        return "release.zip", _zip([(name, data)], flag_encrypted=True)
    if how == "traversal":
        member = draw(st.sampled_from(["../../x/", "/abs/", "..\\..\\", "a/../../"])) + name
        return "release.zip", _zip([(member, data)])
    if how == "broken-zip":
        return "release.zip", _junk(_zip([(name, data)]), at, draw(JUNK))
    if how == "gzip":
        return name + ".gz", gzip.compress(_truncate(data, max(at, 0.3)))
    if how == "broken-gzip":
        packed = gzip.compress(data)
        return name + ".gz", packed[:10] + _junk(packed[10:], at, draw(JUNK))
    return name, data


# -- the check -------------------------------------------------------------------------------


def _snapshot(engine) -> list[tuple]:
    with engine.connect() as conn:
        return conn.execute(select(Release.id, Release.sha256, Release.counts_json)
                            .order_by(Release.id)).all()


def _stray(home: Path) -> set[str]:
    """Every file under the fuzz folder that is neither in the data folder nor the input."""
    return {str(p.relative_to(home)) for p in home.rglob("*")
            if p.relative_to(home).parts[0] not in ("appdata", "inbox")}


@pytest.fixture(scope="module")
def fuzz_home(tmp_path_factory):
    """A database with a baseline release loaded, and folders to watch for stray files."""
    home = tmp_path_factory.mktemp("fuzz")
    (home / "appdata").mkdir()
    engine = engine_for(f"sqlite:///{home / 'appdata' / 'fuzz.sqlite3'}")
    import_paths(BASELINE, engine)
    return home, engine


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large, HealthCheck.large_base_example])
@seed(int(os.environ.get("FUZZ_SEED", "20261203")))
@given(hostile=hostile_file())
def test_every_hostile_file_ends_in_a_clear_error_or_a_correct_import(hostile, fuzz_home,
                                                                      fuzz_tally, monkeypatch):
    home, engine = fuzz_home
    tally = fuzz_tally("importers")
    monkeypatch.setenv("ENCODER_APP_DATA", str(home / "appdata"))
    name, data = hostile
    inbox = home / "inbox"
    shutil.rmtree(inbox, ignore_errors=True)
    inbox.mkdir()
    path = inbox / (Path(name).name or "file")
    path.write_bytes(data)
    before, outside = _snapshot(engine), _stray(home)
    tally["inputs tried"] += 1
    tally["tracebacks"] += 0
    try:
        outcomes = import_paths([path], engine)
    except EncoderError as exc:
        message = str(exc)
        assert "\n" not in message and message.startswith(path.name), message
        assert _snapshot(engine) == before, "a failed import changed what was loaded"
        # "import failed: IndexError: ..." names the file but not what is wrong with it: a
        # defect in an importer, not a clear error.
        assert "import failed:" not in message, message
        tally["clear errors"] += 1
    except Exception:
        tally["tracebacks"] += 1
        raise
    else:
        after = _snapshot(engine)
        new = [r for r in after if r not in before]
        for outcome in outcomes:
            assert "\n" not in outcome.summary()
        imported = [o for o in outcomes if o.status in ("imported", "replaced")]
        if imported:
            tally["correct imports"] += 1
        else:
            # skipped, unchanged or a refused replacement: nothing may have changed
            assert after == before
            tally["clear refusals or skips"] += 1
        for release in new:  # never a partial release: its counts say what is in it
            counts = json.loads(release.counts_json)
            assert counts and any(counts.values()), f"release {release.id} holds nothing"
        tally["partial releases"] += 0
    assert _stray(home) == outside, "a file was written outside the data folder"


def test_the_fuzz_run_saw_every_kind_of_outcome(fuzz_home, fuzz_tally):
    """The suite is only worth its counts if hostile inputs reach both ends."""
    tally = fuzz_tally("importers")
    assert tally["inputs tried"] >= min(EXAMPLES, 100)
    assert tally["clear errors"] > 0 and tally["correct imports"] > 0
    assert tally["tracebacks"] == 0
    with fuzz_home[1].connect() as conn:
        assert conn.execute(select(func.count()).select_from(Release)).scalar() >= 2
