"""Two encoder-apps on one data folder: while one imports, another searches, checks an encounter
and saves encounters; two imports at once; two index rebuilds at once. Everything succeeds or
is refused with a message that says why ("the database is busy: another encoder-app is
importing ..."), never a traceback or SQLite's bare "database is locked"."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time

import pytest
from crash_helpers import (
    DB_NAME,
    INDEX_NAME,
    assert_no_traceback,
    clone_data,
    gem_releases,
    index_problems,
    integrity,
    release_problems,
    run_cli,
    start_cli,
    start_save_loop,
)
from filelock import FileLock, Timeout
from sqlalchemy import event

from encoder_app.codebook.db import engine_for
from encoder_app.data_lock import WAIT_ENV, DatabaseBusy, Waiting
from encoder_app.encounters.snapshot import parse_encounter
from encoder_app.encounters.store import list_encounters, save_encounter
from encoder_app.importers.runner import ImportJob, import_paths
from encoder_app.search import index_files

pytestmark = [pytest.mark.crash, pytest.mark.shared_data]

IMPORTING = "another encoder-app is importing into this database"
ENCOUNTER = {
    "date_of_service": "2026-05-01", "setting": "practitioner", "place_of_service": "11",
    "patient": {"name": "Ana Lee", "sex": "F", "birth_date": "1980-02-03", "member_id": "X1"},
    "provider": {"name": "A. Smith, MD", "npi": "1234567893"},
    "diagnoses": ["A00.0"],
    "procedures": [{"code": "E0100", "units": 1, "diagnosis_pointers": [1], "charge": 20.0}],
    "payer": "Acme",
}

# A stand-in for another encoder-app in the middle of an import: it holds the import lock (or
# not) and SQLite's write lock until its stdin closes.
HOLDER = """
import sqlite3, sys
from filelock import FileLock
db, take_lock = sys.argv[1], sys.argv[2] == "lock"
lock = FileLock(db + ".import.lock")  # kept: a dropped FileLock releases itself
if take_lock:
    lock.acquire()
conn = sqlite3.connect(db, isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("holding", flush=True)
sys.stdin.read()
"""


def hold_database(db, take_lock: bool) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), "lock" if take_lock else "-"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "holding"
    return proc


def release_hold(proc: subprocess.Popen) -> None:
    proc.communicate("", timeout=10)


def quick_engine(db, busy_ms: int = 300):
    """The app's engine for a database, with a short busy timeout so a test need not wait 10 s
    to see what a user sees after it."""
    engine = engine_for(f"sqlite:///{db}")
    event.listen(engine, "connect",
                 lambda conn, _: conn.execute(f"PRAGMA busy_timeout={busy_ms}"))
    engine.dispose()
    return engine


def wait_until_locked(path, proc, within: float = 30) -> None:
    """Until `proc` holds the lock file (probing takes it for an instant, never longer)."""
    lock = FileLock(str(path))
    deadline = time.monotonic() + within
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            return
        lock.release()
        time.sleep(0.05)
    raise AssertionError(f"{proc.args} never took {path.name}")


def test_search_check_and_saves_during_an_import_succeed_or_are_told_busy(
        base_data, long_import_file, tmp_path):
    data = clone_data(base_data, tmp_path / "data")
    db = data / DB_NAME
    encounter_file = tmp_path / "encounter.json"
    encounter_file.write_text(json.dumps(ENCOUNTER))
    importing = start_cli(data, "import", str(long_import_file))
    wait_until_locked(db.with_name(DB_NAME + ".import.lock"), importing)
    time.sleep(1.0)  # well into the import's transaction

    others = {
        "search 1": start_cli(data, "search", "wheelchair", "--json"),
        "search 2": start_cli(data, "search", "cholera", "--system", "icd10cm", "--json"),
        "check": start_cli(data, "check", str(encounter_file), "--json"),
        "saves": start_save_loop(db, seed=7, count=2),
    }
    results = {name: (proc, *proc.communicate(timeout=120)) for name, proc in others.items()}
    overlapped = importing.poll() is None  # the searches finished before the import did
    out, err = importing.communicate(timeout=300)

    assert importing.returncode == 0, err
    assert_no_traceback(out, err)
    assert "imported NCCI PTP edits" in out
    for name, (proc, stdout, stderr) in results.items():
        assert_no_traceback(stdout, stderr)
        if name.startswith("search"):
            assert proc.returncode == 0, stderr
            assert json.loads(stdout), f"{name} found nothing"
        elif name == "check":
            assert proc.returncode in (0, 1), stderr
            assert "findings" in json.loads(stdout)
        else:
            assert proc.returncode == 0, stderr
            lines = stdout.splitlines()
            assert len([line for line in lines if line.startswith(("saved ", "busy "))]) == 2
            for line in lines:
                if line.startswith("busy "):
                    assert f"the database is busy: {IMPORTING}" in line, line
    assert overlapped, "the import finished before the other commands: nothing was tested"
    assert integrity(db) == "ok" and not release_problems(db)


def test_save_while_an_import_holds_the_database_says_so_and_saves_after(tmp_path):
    db = tmp_path / DB_NAME
    engine = quick_engine(db)
    holder = hold_database(db, take_lock=True)
    try:
        with pytest.raises(DatabaseBusy) as refused:
            save_encounter(engine, parse_encounter(ENCOUNTER))
    finally:
        release_hold(holder)
    assert str(refused.value) == (f"the encounter was not saved: the database is busy: "
                                  f"{IMPORTING}; try again when it finishes")
    assert list_encounters(engine) == []
    save_encounter(engine, parse_encounter(ENCOUNTER))
    assert len(list_encounters(engine)) == 1


def test_import_while_another_writer_holds_the_database_is_refused_clearly(
        tmp_path, fixtures):
    db = tmp_path / DB_NAME
    engine = quick_engine(db)
    holder = hold_database(db, take_lock=False)  # a writer that is not an import
    try:
        with pytest.raises(DatabaseBusy) as refused:
            import_paths([fixtures / "tabular" / "tabular_mini_2031.xml"], engine)
    finally:
        release_hold(holder)
    assert str(refused.value) == ("tabular_mini_2031.xml: not imported: the database is busy: "
                                  "another encoder-app is writing to it; try again in a moment")
    [outcome] = import_paths([fixtures / "tabular" / "tabular_mini_2031.xml"], engine)
    assert outcome.status == "imported"


def test_second_import_waits_with_a_message_then_imports(tmp_path, fixtures):
    db = tmp_path / DB_NAME
    engine = engine_for(f"sqlite:///{db}")
    lock = FileLock(str(db) + ".import.lock")  # another encoder-app's import, here
    lock.acquire()
    job = ImportJob([fixtures / "tabular" / "tabular_mini_2031.xml"], engine)
    steps = job.run()
    first = next(steps)
    assert isinstance(first, Waiting)
    assert first.label == f"{IMPORTING}; waiting..."
    lock.release()
    rest = list(steps)
    assert not any(isinstance(s, Waiting) for s in rest)
    assert [o.status for o in job.outcomes] == ["imported"]


def test_second_import_is_refused_after_the_wait(tmp_path, fixtures, monkeypatch):
    db = tmp_path / DB_NAME
    engine = engine_for(f"sqlite:///{db}")
    monkeypatch.setenv(WAIT_ENV, "1")
    lock = FileLock(str(db) + ".import.lock")
    lock.acquire()
    try:
        with pytest.raises(DatabaseBusy, match=f"^{IMPORTING} and has not finished after 1 "
                                               f"seconds; try again when it finishes"):
            import_paths([fixtures / "tabular" / "tabular_mini_2031.xml"], engine)
    finally:
        lock.release()


def test_two_imports_at_once_load_each_file_once(base_data, gem_file, tmp_path):
    data = clone_data(base_data, tmp_path / "data")
    other_gem = gem_file.with_name("icd9toicd10cmgem.csv")
    first = start_cli(data, "import", str(gem_file), str(other_gem))
    second = start_cli(data, "import", str(other_gem), str(gem_file))
    (out1, err1), (out2, err2) = first.communicate(timeout=120), second.communicate(timeout=120)
    assert first.returncode == 0 and second.returncode == 0, err1 + err2
    assert_no_traceback(out1, err1, out2, err2)
    lines = (out1 + out2).splitlines()
    for gem in (gem_file, other_gem):
        said = [line for line in lines if line.startswith(gem.name)]
        assert len(said) == 2, said
        assert sum(": imported " in line for line in said) == 1, said
        assert sum("already loaded" in line for line in said) == 1, said
    db = data / DB_NAME
    assert integrity(db) == "ok" and not release_problems(db)
    assert sorted(n for _, _, n in gem_releases(db)) == [23912, 78838]


def test_two_index_rebuilds_at_once_leave_one_whole_current_index(base_data, tmp_path):
    data = clone_data(base_data, tmp_path / "data")
    folder = data / INDEX_NAME
    shutil.rmtree(folder)
    first = start_cli(data, "search", "wheelchair", "--json")
    time.sleep(0.2)
    second = start_cli(data, "search", "--rebuild-index", "wheelchair", "--json")
    (out1, err1), (out2, err2) = first.communicate(timeout=120), second.communicate(timeout=120)
    assert first.returncode == 0 and second.returncode == 0, err1 + err2
    assert_no_traceback(out1, err1, out2, err2)
    assert json.loads(out1) == json.loads(out2) != []
    assert "another encoder-app is rebuilding the search index; waiting..." in err1 + err2
    assert not index_problems(folder)
    engine = engine_for(f"sqlite:///{data / DB_NAME}")
    assert index_files.is_current(engine, folder)
    engine.dispose()
    # no half-built folder left beside it
    assert sorted(p.name for p in data.glob(INDEX_NAME + "*")) == [INDEX_NAME,
                                                                  INDEX_NAME + ".lock"]
    # and the next search uses it as it is
    again = run_cli(data, "search", "wheelchair", "--json")
    assert again.returncode == 0 and "Building" not in again.stderr


def test_two_processes_opening_a_new_database_at_once_both_get_the_schema(tmp_path):
    """Two encoder-apps started together on a new data folder: before the schema lock, one
    failed in 2 of 3 tries with "table schema_info already exists"."""
    opener = ("import sys; from encoder_app.codebook.db import engine_for; "
              "engine_for(sys.argv[1]).dispose()")
    for attempt in range(4):
        url = f"sqlite:///{tmp_path / f'new{attempt}.sqlite3'}"
        children = [subprocess.Popen([sys.executable, "-c", opener, url],
                                     stderr=subprocess.PIPE, text=True) for _ in range(3)]
        results = [(c.wait(timeout=120), c.stderr.read()) for c in children]
        assert all(code == 0 for code, _ in results), results
