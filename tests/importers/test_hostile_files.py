"""The defects a tester found with hostile files, each made in a few lines: every one ends in a
one-line error naming the file, and nothing loaded before changes."""

from __future__ import annotations

import gzip
import json
import struct
import zipfile

import pytest
from sqlalchemy import func, select

from encoder_app.cli.main import main
from encoder_app.codebook.models import Code, Release
from encoder_app.errors import ImportFailed
from encoder_app.importers import import_paths, sources

EMPTY_TABULAR = """<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.tabular><version>2026</version>
<introduction><introSection type="title"><title>ICD-10-CM TABULAR LIST</title></introSection>
</introduction>
<chapter><name>1</name><desc>Certain infectious and parasitic diseases (A00-B99)</desc></chapter>
</ICD10CM.tabular>
"""


@pytest.fixture(autouse=True)
def mini_db(tmp_path, monkeypatch, fixtures):
    """The command line on a database holding the mini tabular, so no default build runs."""
    from encoder_app.codebook.db import engine_for

    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("ENCODER_APP_DB_URL", url)
    import_paths([fixtures / "tabular" / "tabular_mini_2031.xml"], engine_for(url))


def _releases(engine) -> list[tuple]:
    with engine.connect() as conn:
        return conn.execute(select(Release.id, Release.sha256, Release.counts_json)
                            .order_by(Release.id)).all()


def _codes(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Code)).scalar()


def _error_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: "), err
    assert "Traceback" not in err[0]
    return err[0]


def test_an_empty_tabular_named_like_the_bundled_file_is_refused_with_its_counts(
        fy2026_engine, tmp_path):
    before, codes = _releases(fy2026_engine), _codes(fy2026_engine)
    empty = tmp_path / "icd10c-tabular-April-1-2026.xml"
    empty.write_text(EMPTY_TABULAR)
    for replace in (False, True):  # even --replace cannot empty the codebook
        with pytest.raises(ImportFailed, match=r"holds no codes \(0 codes read\)"):
            import_paths([empty], fy2026_engine, replace=replace)
    assert _releases(fy2026_engine) == before and _codes(fy2026_engine) == codes
    no_chapters = tmp_path / "icd10cm_tabular_2026.xml"
    no_chapters.write_text(EMPTY_TABULAR.replace(EMPTY_TABULAR[EMPTY_TABULAR.index("<chapter>"):
                                                               EMPTY_TABULAR.index("</ICD10CM")],
                                                 ""))
    with pytest.raises(ImportFailed, match="no <chapter> elements"):
        import_paths([no_chapters], fy2026_engine, replace=True)
    assert _releases(fy2026_engine) == before


@pytest.mark.shared_data
def test_a_truncated_hcpcs_file_never_replaces_the_full_release(engine, shared_codebooks,
                                                                 tmp_path, capsys,
                                                                 monkeypatch):
    full = shared_codebooks / "hcpcs-2024q3" / "HCPC2024_JUL_ANWEB.csv"
    import_paths([full], engine)
    before, codes = _releases(engine), _codes(engine)
    cut = tmp_path / full.name
    with open(full, "rb") as src:
        cut.write_bytes(b"".join(src.readline() for _ in range(100)))
    with pytest.raises(ImportFailed, match=r"holds only 99 codes, where the loaded .* has 8,033"):
        import_paths([cut], engine, replace=True)
    assert _releases(engine) == before and _codes(engine) == codes


def test_the_same_version_from_another_file_needs_replace_on_the_command_line(
        fixtures, tmp_path, capsys):
    capsys.readouterr()
    original = fixtures / "hcpcs" / "HCPC2024_JUL_ANWEB.csv"
    assert main(["import", str(original)]) == 0
    capsys.readouterr()
    changed = tmp_path / original.name
    changed.write_text(original.read_text().replace("Test transport alpha, per mile",
                                                    "Test transport alpha, each mile"))
    assert main(["import", str(changed)]) == 1
    out = capsys.readouterr().out
    assert "not imported" in out and "codes: 5 loaded, 5 in this file (+0)" in out
    assert "--replace" in out
    assert main(["import", "--replace", str(changed)]) == 0
    assert "replaced HCPCS Level II" in capsys.readouterr().out


def test_a_header_only_csv_is_refused(engine, fixtures, tmp_path):
    original = fixtures / "hcpcs" / "HCPC2024_JUL_ANWEB.csv"
    header_only = tmp_path / original.name
    header_only.write_text(original.read_text().splitlines()[0] + "\n")
    with pytest.raises(ImportFailed, match="no codes below the header"):
        import_paths([header_only], engine)
    assert _releases(engine) == []


def test_version_0001_is_an_error_not_a_traceback(fixtures, tmp_path, capsys):
    index = (fixtures / "index" / "icd10cm_index_mini_2031.xml").read_text()
    bad = tmp_path / "index.xml"
    bad.write_text(index.replace("<version>2031</version>", "<version>0001</version>"))
    assert main(["import", str(bad)]) == 1
    line = _error_line(capsys)
    assert "index.xml" in line and "0001 is not a fiscal year" in line


def test_a_gzip_with_a_valid_header_and_junk_data(tmp_path, capsys):
    bad = tmp_path / "ncci_ptp_practitioner_2024q3.csv.gz"
    good = gzip.compress(b"Column 1,Column 2\n" * 1000)
    bad.write_bytes(good[:10] + b"\xff" * 400 + good[-8:])
    assert main(["import", str(bad)]) == 1
    line = _error_line(capsys)
    assert bad.name in line and "damaged" in line


def _zip(path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)


def test_a_zip_with_a_damaged_central_directory(fixtures, tmp_path, capsys):
    bad = tmp_path / "release.zip"
    _zip(bad, {"tabular.xml": (fixtures / "tabular" / "tabular_mini_2031.xml").read_bytes()})
    data = bytearray(bad.read_bytes())
    directory = data.rfind(b"PK\x01\x02")
    data[directory:directory + 30] = b"\x00" * 30  # the central directory entry is gone
    bad.write_bytes(bytes(data))
    assert main(["import", str(bad)]) == 1
    line = _error_line(capsys)
    assert "release.zip" in line and "not a readable zip" in line


def test_a_zip_member_with_a_bad_crc(fixtures, tmp_path, capsys):
    bad = tmp_path / "release.zip"
    with zipfile.ZipFile(bad, "w", zipfile.ZIP_STORED) as z:
        z.writestr("tabular.xml", (fixtures / "tabular" / "tabular_mini_2031.xml").read_bytes())
    data = bytearray(bad.read_bytes())
    data[200] ^= 0xFF  # one byte of the member's content flipped
    bad.write_bytes(bytes(data))
    assert main(["import", str(bad)]) == 1
    line = _error_line(capsys)
    assert "release.zip/tabular.xml" in line and "CRC" in line


def test_a_zip_member_flagged_as_encrypted(fixtures, tmp_path, capsys):
    bad = tmp_path / "release.zip"
    _zip(bad, {"tabular.xml": (fixtures / "tabular" / "tabular_mini_2031.xml").read_bytes()})
    data = bytearray(bad.read_bytes())
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        flags = struct.unpack_from("<H", data, at + flag_at)[0] | 0x1
        struct.pack_into("<H", data, at + flag_at, flags)
    bad.write_bytes(bytes(data))
    assert main(["import", str(bad)]) == 1
    line = _error_line(capsys)
    assert "release.zip/tabular.xml" in line and "encrypted" in line


def test_a_zip_bomb_is_refused_from_its_sizes_before_it_is_unpacked(tmp_path, capsys,
                                                                    monkeypatch):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("HCPC2024_JUL_ANWEB.csv", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(1024):  # 1 GiB of zeros, about 1 MB packed
                member.write(block)
    assert bomb.stat().st_size < 2 << 20
    read = []
    real_scan = sources._scan
    monkeypatch.setattr(sources, "_scan", lambda *a, **k: read.append(a) or real_scan(*a, **k))
    assert main(["import", str(bomb)]) == 1
    line = _error_line(capsys)
    assert "bomb.zip/HCPC2024_JUL_ANWEB.csv" in line and "1.0 GB" in line
    assert "zip bomb" in line and read == []  # refused from the directory, nothing unpacked


def test_a_gzip_bomb_is_refused_while_it_streams(tmp_path, engine):
    bomb = tmp_path / "mue_practitioner_2024q3.csv.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as out:
        block = b"\0" * (1 << 20)
        for _ in range(100):
            out.write(block)
    with pytest.raises(ImportFailed, match="zip bomb"):
        import_paths([bomb], engine)
    assert _releases(engine) == []


def test_a_member_named_with_dot_dots_is_only_a_name(fixtures, tmp_path, engine):
    bundle = tmp_path / "inner" / "release.zip"
    bundle.parent.mkdir()
    _zip(bundle, {"../../escaped.xml": (fixtures / "tabular" / "tabular_mini_2031.xml")
                  .read_bytes()})
    [outcome] = import_paths([bundle], engine)
    assert outcome.status == "imported" and outcome.source == "release.zip/../../escaped.xml"
    assert not (tmp_path / "escaped.xml").exists() and not list(tmp_path.rglob("escaped.xml"))


def test_counts_of_the_refusal_are_what_the_outcome_carries(engine, fixtures, tmp_path):
    path = fixtures / "tabular" / "tabular_mini_2031.xml"
    import_paths([path], engine)
    changed = tmp_path / path.name
    changed.write_text(path.read_text().replace("Cholera eltor", "Cholera El Tor"))
    [refused] = import_paths([changed], engine)
    with engine.connect() as conn:
        stored = json.loads(conn.execute(select(Release.counts_json)).scalar())
    assert refused.old_counts == stored and refused.counts["codes"] == stored["codes"]


def test_a_zip_inside_a_zip_is_skipped_with_a_reason(fixtures, tmp_path, engine):
    inner = tmp_path / "inner.zip"
    _zip(inner, {"tabular.xml": (fixtures / "tabular" / "tabular_mini_2031.xml").read_bytes()})
    outer = tmp_path / "outer.zip"
    _zip(outer, {"inner.zip": inner.read_bytes()})
    [outcome] = import_paths([outer], engine)
    assert outcome.status == "skipped" and "a zip inside a zip" in outcome.summary()
    assert _releases(engine) == []
