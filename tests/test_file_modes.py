"""Patient data at rest: the data folder 0700, the database and its -wal/-shm 0600, exports 0600
whatever the umask, and nothing written to the system temp folder."""

from __future__ import annotations

import json
import os
import stat
import sys
import tempfile

import pytest
from sqlalchemy import text

from encoder_app import file_modes, settings
from encoder_app.cli.main import main
from encoder_app.codebook.db import engine_for
from encoder_app.encounters.serialize import save_encounter_file
from encoder_app.encounters.snapshot import parse_encounter
from encoder_app.errors import EncoderError

pytestmark = pytest.mark.skipif(sys.platform.startswith("win"), reason="POSIX modes")

VISIT = {"date_of_service": "2026-04-14", "place_of_service": "11",
         "patient": {"name": "Zoë Müller", "sex": "F", "birth_date": "1961-11-30"},
         "provider": {"name": "Ana Perez", "npi": "1234567893"},
         "diagnoses": ["E11.9", "I10"],
         "procedures": [{"code": "99214", "diagnosis_pointers": [1], "charge": 165}]}


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def loose_umask():
    """A umask of 0: a file left to the umask would come out 0666, a folder 0777."""
    old = os.umask(0)
    yield
    os.umask(old)


@pytest.fixture
def user_db(fy2026_engine, monkeypatch):
    monkeypatch.setenv("ENCODER_APP_DB_URL", str(fy2026_engine.url))
    return fy2026_engine


def test_the_data_folder_is_created_private(isolated_data_dir, loose_umask):
    assert not isolated_data_dir.exists()
    assert settings.data_dir() == isolated_data_dir
    assert mode(isolated_data_dir) == 0o700


def test_a_data_folder_others_can_read_is_tightened(isolated_data_dir):
    isolated_data_dir.mkdir(mode=0o755)
    os.chmod(isolated_data_dir, 0o755)
    settings.data_dir()
    assert mode(isolated_data_dir) == 0o700


def test_a_new_database_and_its_wal_and_shm_are_private(tmp_path, loose_umask):
    path = tmp_path / "new.sqlite3"
    engine = engine_for(f"sqlite:///{path}")
    with engine.begin() as conn:  # a write while connected: the -wal and -shm exist now
        conn.execute(text("CREATE TABLE scratch (x)"))
        conn.execute(text("INSERT INTO scratch VALUES (1)"))
        companions = [p for p in (tmp_path / "new.sqlite3-wal", tmp_path / "new.sqlite3-shm")
                      if p.exists()]
        assert companions, "WAL mode should have made the -wal/-shm files"
        assert {p.name: mode(p) for p in companions} == {p.name: 0o600 for p in companions}
    assert mode(path) == 0o600
    engine.dispose()


def test_an_existing_database_left_world_readable_is_tightened(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite3"
    sqlite3.connect(path).close()
    stale = tmp_path / "old.sqlite3-shm"
    stale.write_bytes(b"")
    os.chmod(path, 0o644)
    os.chmod(stale, 0o644)
    engine_for(f"sqlite:///{path}").dispose()
    assert mode(path) == 0o600
    assert not stale.exists() or mode(stale) == 0o600


def test_write_private_is_0600_whatever_the_umask_and_replaces_a_looser_file(tmp_path,
                                                                             loose_umask):
    target = tmp_path / "visit.pdf"
    target.write_bytes(b"old")
    os.chmod(target, 0o644)
    file_modes.write_private(target, b"%PDF-new")
    assert target.read_bytes() == b"%PDF-new" and mode(target) == 0o600
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left


def test_write_private_keeps_the_old_file_when_the_write_fails(tmp_path, monkeypatch):
    target = tmp_path / "visit.pdf"
    file_modes.write_private(target, b"%PDF-old")
    monkeypatch.setattr(file_modes.os, "replace",
                        lambda *a: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    with pytest.raises(EncoderError, match="visit.pdf: could not write"):
        file_modes.write_private(target, b"%PDF-new")
    assert target.read_bytes() == b"%PDF-old"
    assert list(tmp_path.iterdir()) == [target]


def test_modes_are_left_alone_where_there_are_none(tmp_path, monkeypatch):
    """Windows: no POSIX modes, so the helpers only create and write."""
    monkeypatch.setattr(file_modes, "POSIX_MODES", False)
    target = tmp_path / "visit.json"
    target.write_text("{}")
    os.chmod(target, 0o644)
    file_modes.private_file(target)
    assert mode(target) == 0o644


def test_an_exported_encounter_file_is_private(tmp_path, loose_umask):
    out = save_encounter_file(parse_encounter(VISIT), tmp_path / "visit.json")
    assert json.loads(out.read_text(encoding="utf-8"))["patient"]["name"] == "Zoë Müller"
    assert mode(out) == 0o600


def test_superbill_and_day_sheet_pdfs_from_the_command_line_are_private(user_db, tmp_path,
                                                                       loose_umask, capsys):
    encounter = tmp_path / "visit.json"
    encounter.write_text(json.dumps(VISIT), encoding="utf-8")
    assert main(["superbill", str(encounter), "-o", str(tmp_path / "visit.pdf")]) == 0
    assert main(["report", "daysheet", "--from", "2026-04-14", "--to", "2026-04-14",
                 "-o", str(tmp_path / "day.pdf")]) == 0
    assert (mode(tmp_path / "visit.pdf"), mode(tmp_path / "day.pdf")) == (0o600, 0o600)


def test_no_command_writes_to_the_system_temp_folder(user_db, tmp_path, monkeypatch, capsys):
    system_temp = tmp_path / "system-temp"
    system_temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(system_temp))
    monkeypatch.setattr(tempfile, "tempdir", None)  # forget the folder chosen before
    assert tempfile.gettempdir() == str(system_temp)
    out = tmp_path / "out"
    out.mkdir()
    encounter = out / "visit.json"
    encounter.write_text(json.dumps(VISIT), encoding="utf-8")

    assert main(["check", str(encounter)]) in (0, 1)  # findings or not: it ran
    assert main(["superbill", str(encounter), "-o", str(out / "visit.pdf")]) == 0
    assert main(["report", "daysheet", "--from", "2026-04-01", "--to", "2026-04-30",
                 "-o", str(out / "day.pdf")]) == 0
    assert main(["fees", "export", str(out / "fees.csv")]) == 0
    assert main(["backup", "-o", str(out / "backup.sqlite3")]) == 0
    save_encounter_file(parse_encounter(VISIT), out / "export.json")

    assert list(system_temp.iterdir()) == []
    assert {p.name for p in out.iterdir()} == {"visit.json", "visit.pdf", "day.pdf", "fees.csv",
                                               "backup.sqlite3", "export.json"}
