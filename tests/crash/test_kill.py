"""SIGKILL at random moments (seeded) of an import, an encounter save loop and a search-index
rebuild: afterwards the database passes integrity_check, no half release is visible, a rerun of
the import gives the full counts, every encounter whose save returned is there as saved, and the
search index is whole or absent, never torn."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import signal
import sqlite3
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
    lock_is_free,
    processes_on,
    release_problems,
    run_cli,
    start_cli,
    start_save_loop,
)

from encoder_app.codebook.db import engine_for
from encoder_app.encounters.serialize import encounter_to_json
from encoder_app.encounters.snapshot import parse_encounter
from encoder_app.importers.runner import import_paths

pytestmark = [pytest.mark.crash, pytest.mark.shared_data,
              pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")]

SEED = 20260501
IMPORT_KILLS = 20
SAVE_KILLS = 20
INDEX_KILLS = 4


def report(capsys, line: str) -> None:
    with capsys.disabled():
        print(f"\n[crash] {line}")


def kill_after(proc, delay: float) -> bool:
    """SIGKILL the process after `delay` seconds; False when it had already finished."""
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        time.sleep(0.01)
    if proc.poll() is not None:
        return False
    proc.send_signal(signal.SIGKILL)
    return True


def test_import_killed_at_random_moments_leaves_no_half_release_and_reruns_whole(
        base_data, gem_file, tmp_path, capsys):
    calibration = clone_data(base_data, tmp_path / "calibration")
    started = time.monotonic()
    proc = start_cli(calibration, "import", str(gem_file))
    lock_file = calibration / (DB_NAME + ".import.lock")
    while not lock_file.exists() and proc.poll() is None:
        time.sleep(0.01)
    import_starts = time.monotonic() - started  # Python and the app loaded, the import begins
    _, err = proc.communicate(timeout=60)
    whole_run = time.monotonic() - started
    assert proc.returncode == 0, err
    [(_, expected, rows)] = gem_releases(calibration / DB_NAME)
    assert rows == expected["mappings"] == 78838

    rng = random.Random(SEED)
    kills = mid_import = integrity_failures = half = 0
    for i in range(IMPORT_KILLS * 3):  # until IMPORT_KILLS kills: a run may finish first
        if kills == IMPORT_KILLS:
            break
        data = clone_data(base_data, tmp_path / f"kill{i}")
        db = data / DB_NAME
        run_started = time.monotonic()
        proc = start_cli(data, "import", str(gem_file))
        # Most kills while the file is read and written, the others anywhere in the run.
        start = import_starts if i % 4 else 0.1
        killed = kill_after(proc, rng.uniform(start, max(start, 0.95 * whole_run)))
        out, err = proc.communicate(timeout=60)
        if killed:
            kills += 1
        else:
            assert proc.returncode == 0, err
            assert_no_traceback(out, err)
            # The calibration run was slower than this one (a busy machine then): aim the
            # next kills within the runs as they take now.
            whole_run = min(whole_run, time.monotonic() - run_started)
        if integrity(db) != "ok":
            integrity_failures += 1
        problems = release_problems(db)
        gems = gem_releases(db)
        half += len(problems) + sum(1 for _, counts, n in gems
                                    if counts != expected or n != expected["mappings"])
        assert not problems, problems
        assert len(gems) <= 1
        # The lock file is made when the import starts: killed after that, before the commit.
        if killed and not gems and db.with_name(DB_NAME + ".import.lock").exists():
            mid_import += 1
        engine = engine_for(f"sqlite:///{db}")
        try:
            [outcome] = import_paths([gem_file], engine)
        finally:
            engine.dispose()
        assert outcome.status == ("unchanged" if gems else "imported"), outcome
        [(_, counts, n)] = gem_releases(db)
        assert counts == expected and n == expected["mappings"]
        assert integrity(db) == "ok"

    report(capsys, f"import: {kills} kills ({mid_import} during the import), integrity "
                   f"failures {integrity_failures}, half releases {half}")
    assert kills == IMPORT_KILLS and mid_import >= IMPORT_KILLS // 4
    assert integrity_failures == 0 and half == 0


def encounter_hashes(db, parse: bool = False) -> dict[int, str]:
    """Every saved encounter's hash, as save_loop.py computes it, read straight from the file
    ("no audit" for one without its audit entries); with parse, each is also read back as an
    encounter."""
    conn = sqlite3.connect(db, timeout=30)
    try:
        rows = conn.execute("SELECT id, document FROM encounters").fetchall()
        audited = {i for (i,) in conn.execute("SELECT DISTINCT encounter_id FROM audit_log")}
    finally:
        conn.close()
    found = {}
    for encounter_id, document in rows:
        data = json.loads(document)
        if parse:  # the stored document is encounter_to_json() of what was saved
            assert encounter_to_json(parse_encounter(data)) == data
        text = json.dumps(data, sort_keys=True, ensure_ascii=False)
        found[encounter_id] = (hashlib.sha256(text.encode()).hexdigest()[:16]
                               if encounter_id in audited else "no audit")
    return found


def test_encounter_saves_killed_at_random_moments_lose_nothing(base_data, tmp_path, capsys):
    data = clone_data(base_data, tmp_path / "saves")
    db = data / DB_NAME
    rng = random.Random(SEED)
    saved: dict[int, str] = {}  # id -> hash of the last version whose save returned
    kills = integrity_failures = lost = returned = 0
    for i in range(SAVE_KILLS):
        proc = start_save_loop(db, SEED + i)
        killed = kill_after(proc, rng.uniform(0.7, 1.4))
        out, err = proc.communicate(timeout=60)
        assert killed, f"the save loop ended by itself: {err}"
        kills += 1
        assert_no_traceback(out, err)
        in_flight = None
        for line in out.splitlines(keepends=True):
            if not line.endswith("\n"):
                break  # cut by the kill
            word, target, digest = line.split()
            if word == "saving":
                in_flight = (target, digest)
            elif word == "saved":
                saved[int(target)] = digest
                returned += 1
                in_flight = None
        if integrity(db) != "ok":
            integrity_failures += 1
            continue
        found = encounter_hashes(db)
        for encounter_id, digest in saved.items():
            now = found.get(encounter_id)
            if now == digest:
                continue
            if in_flight and in_flight == (str(encounter_id), now):
                saved[encounter_id] = now  # the save the kill interrupted had committed
                continue
            lost += 1
        for encounter_id in set(found) - set(saved):
            # only the new encounter being saved at the kill may be there without a "saved"
            assert in_flight and in_flight == ("new", found[encounter_id]), encounter_id
            saved[encounter_id] = found[encounter_id]
            in_flight = None

    assert encounter_hashes(db, parse=True) == saved
    report(capsys, f"encounter saves: {kills} kills, {returned} saves returned, "
                   f"{len(saved)} encounters, integrity failures {integrity_failures}, "
                   f"encounters lost {lost}")
    assert integrity_failures == 0 and lost == 0
    assert returned >= SAVE_KILLS  # the kills did land among saves


def test_index_rebuild_killed_leaves_a_whole_index_or_none(base_data, tmp_path, capsys):
    data = clone_data(base_data, tmp_path / "index")
    folder = data / INDEX_NAME
    lock = data / (INDEX_NAME + ".lock")
    started = time.monotonic()
    done = run_cli(data, "search", "--rebuild-index")
    whole_run = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    manifest = json.loads((folder / "manifest.json").read_text())

    rng = random.Random(SEED)
    kills = torn = 0
    for i in range(INDEX_KILLS + 4):  # until INDEX_KILLS kills: a build may finish first
        if kills == INDEX_KILLS:
            break
        if i % 2 and folder.exists():  # half with no index yet (the first search after import)
            shutil.rmtree(folder)
        proc = start_cli(data, "search", "--rebuild-index")
        kills += kill_after(proc, rng.uniform(0.3, 0.9 * whole_run))
        proc.communicate(timeout=60)
        problems = index_problems(folder)
        torn += bool(problems)
        assert not problems, problems
        # nothing holds the lock, and the killed builder's shard writers died with it (spawned,
        # they never had the lock, so its being free does not show that)
        assert lock_is_free(lock), "the index lock is still held after the builder was killed"
        assert not processes_on(data), "a shard writer outlived the killed builder"
        after = run_cli(data, "search", "wheelchair", "--json")
        assert after.returncode == 0, after.stderr
        assert_no_traceback(after.stdout, after.stderr)
        assert json.loads(after.stdout), "the next search found nothing"
        assert not index_problems(folder)
        assert json.loads((folder / "manifest.json").read_text())["releases"] == \
            manifest["releases"]
        leftovers = sorted(p.name for p in data.glob(INDEX_NAME + ".*") if p != lock)
        assert not leftovers or "Building" not in after.stderr, leftovers

    report(capsys, f"index rebuild: {kills} kills, torn indexes {torn}")
    assert kills == INDEX_KILLS and torn == 0
