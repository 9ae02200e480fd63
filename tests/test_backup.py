"""`encoder-app backup` and `restore`: a whole, checked, private copy even while another process
saves encounters; a restore that keeps the database it replaces; and files that are not a whole
encoder-app database refused with the live one untouched."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from encoder_app.backup import BackupError, backup_database, inspect_database
from encoder_app.cli.main import main
from encoder_app.codebook.db import engine_for
from encoder_app.encounters.snapshot import parse_encounter
from encoder_app.encounters.store import list_encounters, save_encounter
from encoder_app.importers import import_paths

ROOT = Path(__file__).resolve().parents[1]


def visit(name: str) -> dict:
    return {"date_of_service": "2026-04-14", "place_of_service": "11",
            "patient": {"name": name, "sex": "F", "birth_date": "1961-11-30"},
            "provider": {"name": "Ana Perez", "npi": "1234567893"},
            "diagnoses": ["E11.9", "I10"],
            "procedures": [{"code": "99214", "diagnosis_pointers": [1], "charge": 165}]}


@pytest.fixture
def live(tmp_path, fixtures, monkeypatch):
    """The user's database: the mini tabular release and two saved encounters."""
    path = tmp_path / "data" / "codebook.sqlite3"
    path.parent.mkdir()
    url = f"sqlite:///{path}"
    monkeypatch.setenv("ENCODER_APP_DB_URL", url)
    engine = engine_for(url)
    import_paths([fixtures / "tabular" / "tabular_mini_2031.xml"], engine)
    for name in ("Zoë Müller", "Jane Doe"):
        save_encounter(engine, parse_encounter(visit(name)))
    engine.dispose()  # a restore needs the database to itself, as with a closed window
    return path


def names(path: Path) -> list[str]:
    engine = engine_for(f"sqlite:///{path}")
    try:
        return sorted(e.label for e in list_encounters(engine))
    finally:
        engine.dispose()
        engine_for.cache_clear()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_backup_writes_a_checked_private_copy_and_says_what_it_holds(live, tmp_path, capsys):
    out = tmp_path / "backup.sqlite3"
    assert main(["backup", "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"backed up to {out} (")
    assert "1 release, 2 encounters, integrity ok" in said
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    # one self-contained file: no -wal to carry along, nothing left under a temporary name
    # ("appdata" is the data folder, which holds the log)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["appdata", "backup.sqlite3", "data"]
    with sqlite3.connect(out) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert names(out) == ["Jane Doe", "Zoë Müller"]


def test_backup_json(live, tmp_path, capsys):
    out = tmp_path / "backup.sqlite3"
    assert main(["backup", "-o", str(out), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown == {"file": str(out), "bytes": out.stat().st_size, "releases": 1,
                     "encounters": 2, "schema_version": shown["schema_version"],
                     "encrypted": False, "integrity_check": "ok"}


WRITER = """
import itertools, sys
from pathlib import Path
from encoder_app.codebook.db import engine_for
from encoder_app.encounters.snapshot import parse_encounter
from encoder_app.encounters.store import save_encounter
url, stop, document = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
import json
engine = engine_for(url)
for i in itertools.count():
    data = json.loads(document)
    data["patient"]["name"] = f"Patient {i}"
    data["diagnoses"] = ["E11.9", "I10", "E11.9"][: 1 + i % 3]
    save_encounter(engine, parse_encounter(data))
    print(i + 1, flush=True)
    if stop.exists() or i >= 20000:
        break
"""


def test_a_backup_taken_while_another_process_saves_is_whole(live, tmp_path):
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, f"sqlite:///{live}", str(stop), json.dumps(visit("x"))],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert writer.stdout.readline().strip() == "1"  # it is saving
        backups = []
        for n in range(4):
            out = tmp_path / f"backup{n}.sqlite3"
            facts = backup_database(f"sqlite:///{live}", out)
            backups.append((out, facts))
            time.sleep(0.05)
    finally:
        stop.touch()
        writer.wait(timeout=60)
    assert writer.returncode == 0
    counts = [facts.encounters for _, facts in backups]
    assert counts == sorted(counts) and counts[-1] > 2, counts
    for out, facts in backups:
        assert inspect_database(out).encounters == facts.encounters
        with sqlite3.connect(out) as conn:
            # each save is one transaction: an encounter with all its audit lines, or neither
            rows = conn.execute("SELECT e.label, e.diagnosis_count, count(a.id) FROM encounters e "
                                "LEFT JOIN audit_log a ON a.encounter_id = e.id "
                                "GROUP BY e.id").fetchall()
            documents = [json.loads(d) for (d,) in conn.execute("SELECT document FROM encounters")]
        assert len(rows) == facts.encounters == len(documents)
        audits_by_shape: dict[int, set[int]] = {}
        for label, diagnoses, audits in rows:
            if label.startswith("Patient "):
                audits_by_shape.setdefault(diagnoses, set()).add(audits)
        # an encounter of a given shape always has the same, non-zero number of audit lines
        assert all(len(n) == 1 and 0 not in n for n in audits_by_shape.values()), audits_by_shape


def test_restore_round_trip_keeps_the_replaced_database_aside(live, tmp_path, capsys):
    out = tmp_path / "backup.sqlite3"
    assert main(["backup", "-o", str(out)]) == 0
    engine = engine_for(f"sqlite:///{live}")
    save_encounter(engine, parse_encounter(visit("Saved After The Backup")))
    engine.dispose()
    capsys.readouterr()

    assert main(["restore", str(out)]) == 0
    said = capsys.readouterr().out.splitlines()
    asides = list(live.parent.glob("codebook.sqlite3.before-restore-*"))
    assert len(asides) == 1
    assert said == [f"restored {out} into {live} ({said[0].split(' (', 1)[1]}",
                    f"the database it replaced is kept as {asides[0]}"]
    assert "1 release, 2 encounters, integrity ok" in said[0]
    assert names(live) == ["Jane Doe", "Zoë Müller"]
    assert names(asides[0]) == ["Jane Doe", "Saved After The Backup", "Zoë Müller"]
    assert stat.S_IMODE(live.stat().st_mode) == 0o600
    assert stat.S_IMODE(asides[0].stat().st_mode) == 0o600
    # the database opens and saves as before, in WAL mode again
    engine = engine_for(f"sqlite:///{live}")
    save_encounter(engine, parse_encounter(visit("After Restore")))
    assert len(list_encounters(engine)) == 3
    engine.dispose()


def test_restore_json_and_into_a_data_folder_without_a_database(live, tmp_path, capsys,
                                                               monkeypatch):
    out = tmp_path / "backup.sqlite3"
    assert main(["backup", "-o", str(out)]) == 0
    fresh = tmp_path / "fresh" / "codebook.sqlite3"
    fresh.parent.mkdir()
    monkeypatch.setenv("ENCODER_APP_DB_URL", f"sqlite:///{fresh}")
    capsys.readouterr()
    assert main(["restore", str(out), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["restored_from"] == str(out) and shown["previous_database"] is None
    assert shown["database"]["file"] == str(fresh) and shown["database"]["encounters"] == 2
    assert names(fresh) == ["Jane Doe", "Zoë Müller"]


def _junk(tmp_path: Path, kind: str, backup: Path) -> Path:
    path = tmp_path / f"{kind}.sqlite3"
    if kind == "junk":
        path.write_bytes(b"these are not the pages you are looking for\n" * 100)
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "truncated":
        path.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    elif kind == "other-app":
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    elif kind == "newer-schema":
        path.write_bytes(backup.read_bytes())
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE schema_info SET version = 999")
    return path


@pytest.mark.parametrize(("kind", "reason"), [
    ("junk", "not a SQLite database"),
    ("empty", "the file is empty"),
    ("truncated", "not a usable SQLite database"),
    ("other-app", "not an encoder-app one"),
    ("newer-schema", "made by a newer encoder-app"),
    ("missing", "no such file"),
])
def test_restore_refuses_a_file_that_is_not_a_whole_app_database(live, tmp_path, capsys, kind,
                                                                 reason):
    out = tmp_path / "backup.sqlite3"
    assert main(["backup", "-o", str(out)]) == 0
    bad = _junk(tmp_path, kind, out)
    before = digest(live)
    capsys.readouterr()
    assert main(["restore", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {bad}: ") and reason in err
    assert err.count("\n") == 1  # one line
    assert digest(live) == before
    assert not list(live.parent.glob("*before-restore*"))
    assert not list(live.parent.glob(".*.tmp"))
    assert names(live) == ["Jane Doe", "Zoë Müller"]


def test_restore_refuses_while_another_connection_has_the_database_open(live, tmp_path, capsys):
    out = tmp_path / "backup.sqlite3"
    assert main(["backup", "-o", str(out)]) == 0
    other = sqlite3.connect(live)  # a window still open on it
    other.execute("SELECT count(*) FROM encounters").fetchone()
    try:
        before = digest(live)
        capsys.readouterr()
        assert main(["restore", str(out)]) == 1
        assert "open in another encoder-app window or command" in capsys.readouterr().err
        assert digest(live) == before
        assert not list(live.parent.glob(".*.tmp"))
    finally:
        other.close()


def test_backup_refuses_what_it_cannot_do(live, tmp_path, monkeypatch):
    with pytest.raises(BackupError, match="the folder .* does not exist"):
        backup_database(f"sqlite:///{live}", tmp_path / "nowhere" / "backup.sqlite3")
    with pytest.raises(BackupError, match="that is the live database"):
        backup_database(f"sqlite:///{live}", live)
    with pytest.raises(BackupError, match="nothing to back up"):
        backup_database(f"sqlite:///{tmp_path / 'none.sqlite3'}", tmp_path / "b.sqlite3")


def test_another_database_server_is_not_supported(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("ENCODER_APP_DB_URL", "postgresql://coder:secret@localhost/practice")
    assert main(["backup", "-o", str(tmp_path / "b.sqlite3")]) == 1
    err = capsys.readouterr().err
    assert "work on a SQLite database file" in err and "secret" not in err
    assert main(["restore", str(tmp_path / "b.sqlite3")]) == 1
    assert "work on a SQLite database file" in capsys.readouterr().err
