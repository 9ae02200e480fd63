"""What the crash and two-process tests share: running encoder-app as a child process on a data
folder, and checking a data folder after a kill (the database whole, no half release, the
search index whole or absent)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from filelock import FileLock, Timeout

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CLI = [sys.executable, "-m", "encoder_app.cli.main"]
DB_NAME = "codebook.sqlite3"
INDEX_NAME = "search-index"


def child_env(data: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "ENCODER_APP_DB_URL"}
    env["ENCODER_APP_DATA"] = str(data)
    env.update(extra)
    return env


def start_cli(data: Path, *args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen([*CLI, *args], cwd=ROOT, env=child_env(data, **env),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def run_cli(data: Path, *args: str, timeout: float = 180, **env: str):
    return subprocess.run([*CLI, *args], cwd=ROOT, env=child_env(data, **env),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=timeout)


def start_save_loop(db: Path, seed: int, count: int | None = None) -> subprocess.Popen:
    args = [sys.executable, str(HERE / "save_loop.py"), f"sqlite:///{db}", str(seed)]
    if count is not None:
        args.append(str(count))
    return subprocess.Popen(args, cwd=ROOT, env=child_env(db.parent), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def clone_data(base: Path, dest: Path) -> Path:
    """A private copy of a prepared data folder (database and search index)."""
    dest.mkdir(parents=True)
    shutil.copy(base / DB_NAME, dest / DB_NAME)
    if (base / INDEX_NAME).is_dir():
        shutil.copytree(base / INDEX_NAME, dest / INDEX_NAME)
    return dest


def checkpoint(db: Path) -> None:
    """Fold the -wal into the database file, so copying the file alone copies everything."""
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db, timeout=30)
    try:
        return "; ".join(r[0] for r in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


def release_problems(db: Path) -> list[str]:
    """Half releases: a Release row whose counts were never filled in (the runner writes them
    last, in the import's transaction), one with no rows at all, or rows of no release."""
    conn = sqlite3.connect(db, timeout=30)
    try:
        tables = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name != 'releases'")
            if any(col[1] == "release_id"
                   for col in conn.execute(f'PRAGMA table_info("{name}")'))]
        rows: dict[int, int] = {}
        for table in tables:
            for release_id, n in conn.execute(
                    f'SELECT release_id, count(*) FROM "{table}" GROUP BY release_id'):
                rows[release_id] = rows.get(release_id, 0) + n
        problems = []
        releases = conn.execute("SELECT id, label, counts_json FROM releases").fetchall()
        for release_id, label, counts_json in releases:
            counts = json.loads(counts_json or "{}")
            if not counts or not any(counts.values()):
                problems.append(f"release #{release_id} ({label}) has no counts")
            if not rows.get(release_id):
                problems.append(f"release #{release_id} ({label}) has no rows")
        known = {r[0] for r in releases}
        orphans = sorted(set(rows) - known)
        if orphans:
            problems.append(f"rows of releases that do not exist: {orphans}")
        return problems
    finally:
        conn.close()


def gem_releases(db: Path) -> list[tuple[int, dict, int]]:
    """(id, counts, mapping rows) of each GEM release."""
    conn = sqlite3.connect(db, timeout=30)
    try:
        out = []
        for release_id, counts_json in conn.execute(
                "SELECT id, counts_json FROM releases WHERE system = 'gem'"):
            n = conn.execute("SELECT count(*) FROM gem_mappings WHERE release_id = ?",
                             (release_id,)).fetchone()[0]
            out.append((release_id, json.loads(counts_json), n))
        return out
    finally:
        conn.close()


def index_problems(folder: Path) -> list[str]:
    """An index folder is absent or whole: manifest, table and both shards, all agreeing on
    the number of documents. Anything else is a torn index."""
    from encoder_app.search import index_files

    if not folder.exists():
        return []
    manifest = index_files.read_manifest(folder)
    if manifest is None:
        return [f"{folder.name} has no manifest: {sorted(p.name for p in folder.iterdir())}"]
    try:
        table = index_files.load_table(folder)
        shards = index_files.open_shards(folder)
        in_shards = sum(ix.doc_count() for ix in shards)
        for ix in shards:
            ix.close()
    except Exception as exc:  # any failure to read a folder with a manifest is a torn index
        return [f"{folder.name} does not load: {type(exc).__name__}: {exc}"]
    if not manifest["documents"] == len(table["code"]) == in_shards:
        return [f"{folder.name}: manifest {manifest['documents']} documents, table "
                f"{len(table['code'])}, shards {in_shards}"]
    return []


def lock_is_free(path: Path, within: float = 3.0) -> bool:
    """True once nobody holds the lock file (a killed holder's children must not keep it)."""
    lock = FileLock(str(path))
    deadline = time.monotonic() + within
    while True:
        try:
            lock.acquire(timeout=0.1)
        except Timeout:
            if time.monotonic() > deadline:
                return False
            continue
        lock.release()
        return True


def processes_on(data: Path, within: float = 3.0) -> list[int]:
    """Processes that still run on the data folder (its ENCODER_APP_DATA) after `within` seconds:
    a killed builder's shard writers must die with it. Reads /proc: finds none elsewhere."""
    marker = f"ENCODER_APP_DATA={data}".encode()
    deadline = time.monotonic() + within
    while True:
        found = []
        for entry in Path("/proc").glob("[0-9]*"):
            try:
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:  # ended meanwhile, or not ours to read
                continue
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def assert_no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text, text
        assert "database is locked" not in text, text  # SQLite's words, not ours
