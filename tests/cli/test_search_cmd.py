"""`encoder-app search`: one search reads the database read-only without SQLAlchemy and only
what it needs of the index, and finds what the usual way finds; a database or an index that is
not ready as it is (no index yet, an older schema) goes the usual way, which makes it ready."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from encoder_app.cli import search_cmd
from encoder_app.cli.main import main
from encoder_app.codebook.reading import open_read_only
from encoder_app.codebook.schema_version import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def data(default_data):
    """A data folder holding the default codebook and its current search index."""
    return default_data


def _read_only() -> bool:
    """Whether a search would read the database read-only as it is."""
    codebook = open_read_only()
    if codebook is None:
        return False
    try:
        return search_cmd._read_only_search(codebook) is not None
    finally:
        codebook.close()


def _search(capsys, *argv: str) -> list[dict]:
    assert main(["search", *argv, "--json"]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def test_a_search_reads_read_only_and_finds_what_the_usual_way_finds(data, capsys, monkeypatch):
    queries = [("chest", "pain"), ("afib", "--limit", "5"), ("E11.6",), ("fract", "fem"),
               ("kidney", "complications", "--billable", "--date", "2026-05-01")]
    read_only = [_search(capsys, *q) for q in queries]
    assert "R07.9" in [h["code"] for h in read_only[0]]
    monkeypatch.setattr(search_cmd, "_read_only_search", lambda _codebook: None)  # usual way
    assert [_search(capsys, *q) for q in queries] == read_only


def test_the_read_only_way_is_taken_when_all_is_ready(data, capsys, monkeypatch):
    def usual_way():
        raise AssertionError("the database was opened the usual way")

    monkeypatch.setattr(search_cmd, "open_codebook", usual_way)
    assert _search(capsys, "chest", "pain")


def test_a_search_from_the_command_line_loads_no_sqlalchemy(data):
    script = ("import sys; from encoder_app.cli.main import main; "
              "code = main(['search', 'chest', 'pain', '--json']); "
              "assert 'sqlalchemy' not in sys.modules, 'SQLAlchemy was imported'; "
              "sys.exit(code)")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "R07.9" in [h["code"] for h in json.loads(done.stdout)]


def test_without_an_index_the_usual_way_builds_it_then_the_next_search_reads_it(data, capsys,
                                                                                 monkeypatch):
    shutil.rmtree(data / "search-index")
    first = _search(capsys, "afib")
    assert _read_only()  # now ready as it is
    monkeypatch.setattr(search_cmd, "open_codebook", None)  # the next one must not need it
    assert _search(capsys, "afib") == first


def test_an_older_schema_is_upgraded_the_usual_way_first(data, capsys):
    with sqlite3.connect(data / "codebook.sqlite3") as db:
        # As a schema 3 database was: before migrations (no alembic_version), no versions.
        db.execute("UPDATE schema_info SET version = 3")
        db.execute("DROP TABLE alembic_version")
        db.execute("DROP INDEX ix_encounters_client_key")
        db.execute("DROP TABLE users")
        db.execute("DROP TABLE practice_audit_log")
        for table, column in (("encounters", "version"), ("encounters", "updated_by"),
                              ("encounters", "client_key"), ("audit_log", "workstation")):
            db.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    assert not _read_only()
    assert _search(capsys, "afib")[0]["code"] == "I48.91"
    with sqlite3.connect(data / "codebook.sqlite3") as db:
        assert db.execute("SELECT version FROM schema_info").fetchall() == [(SCHEMA_VERSION,)]
    assert _read_only()


def test_with_no_database_yet_the_read_only_way_creates_none(isolated_data_dir):
    assert open_read_only() is None  # the usual way builds the default one
    assert not (isolated_data_dir / "codebook.sqlite3").exists()


def test_only_a_plain_sqlite_file_is_read_read_only(data, tmp_path, monkeypatch):
    assert open_read_only() is not None  # the data folder's own database
    encrypted = tmp_path / "encrypted.sqlite3"
    encrypted.write_bytes(bytes(range(256)) * 16)  # SQLCipher: no plain header
    for url in (f"sqlite:///{encrypted}", "postgresql://coder@localhost/practice",
                f"sqlite:///{data / 'codebook.sqlite3'}?mode=ro"):
        monkeypatch.setenv("ENCODER_APP_DB_URL", url)
        assert open_read_only() is None, url


# -- the Title column on a terminal ------------------------------------------------------------

LONG = ("displaced fracture of base of neck of right femur subsequent encounter for open "
        "fracture type IIIA with nonunion")


class _Terminal(io.StringIO):
    encoding = "utf-8"

    def isatty(self) -> bool:
        return True


def _lines_of_each_hit(out: str) -> list[list[str]]:
    """The printed lines of each hit: a hit starts at a line that does not start with a space."""
    hits: list[list[str]] = []
    for line in out.splitlines():
        if line.startswith(" "):
            hits[-1].append(line)
        else:
            hits.append([line])
    return hits


def _words(text: str) -> str:
    return " ".join(text.split())


def test_on_a_terminal_a_long_title_wraps_under_the_title_column(data, capsys, monkeypatch):
    hits = _search(capsys, LONG, "--limit", "3")
    assert any(len(h["title"]) > 60 for h in hits)
    out = _Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setenv("COLUMNS", "60")
    assert main(["search", LONG, "--limit", "3"]) == 0
    printed = _lines_of_each_hit(out.getvalue())
    assert [lines[0].split()[0] for lines in printed] == [h["code"] for h in hits]
    for hit, lines in zip(hits, printed, strict=True):
        assert all(len(line) <= 60 for line in lines), lines
        assert all(line[:10].isspace() and line[10] != " " for line in lines[1:]), lines
        assert _words(" ".join(lines)).startswith(_words(f"{hit['code']} {hit['title']}"))


def test_piped_each_title_is_whole_on_one_line(data, capsys, monkeypatch):
    hits = _search(capsys, LONG, "--limit", "3")
    monkeypatch.setenv("COLUMNS", "60")  # not a terminal: the width does not apply
    assert main(["search", LONG, "--limit", "3"]) == 0
    printed = _lines_of_each_hit(capsys.readouterr().out)
    assert [lines[0] for lines in printed] == [f"{h['code']:<9} {h['title']}" for h in hits]
    assert all(len(lines) == 2 for lines in printed)


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal is POSIX")
def test_a_real_terminal_of_60_columns_gets_lines_of_60_at_most(data):
    import fcntl
    import os
    import pty
    import struct
    import termios

    # the terminal's own width, not COLUMNS (which a library may have put in the process's
    # environment behind os.environ's back)
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 60, 0, 0))
    script = f"import sys; from encoder_app.cli.main import main; sys.exit(main(['search', " \
             f"{LONG!r}, '--limit', '3']))"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, stdout=follower,
                          stderr=subprocess.PIPE, env=env, timeout=120)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # EIO: the terminal's other end is closed and all was read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert done.returncode == 0, done.stderr
    lines = b"".join(chunks).decode().replace("\r\n", "\n").splitlines()
    assert len(lines) > 3 and all(len(line) <= 60 for line in lines), lines
