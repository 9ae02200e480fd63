"""The search index's shard writers are spawned, not forked: new interpreters that carry neither
the test process's Qt nor its index lock, gone when the build stops; a writer that dies or fails
fails the build (with the writer's traceback) instead of hanging it."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

from encoder_app.codebook.db import engine_for
from encoder_app.data_lock import index_lock
from encoder_app.search import index_build, index_files, shard_writer

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def shard_writers() -> list[int]:
    """This process's spawned children (the resource tracker has no --multiprocessing-fork)."""
    me = str(os.getpid())
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:  # ended meanwhile
            continue
        ppid = stat.rsplit(")", 1)[1].split()[1]  # after the command name, which may hold spaces
        if ppid == me and b"--multiprocessing-fork" in cmdline:
            found.append(int(entry.name))
    return found


def start_build(template: Path, folder: Path):
    """A build stopped where its writers are up and waiting for their shards."""
    engine = engine_for(f"sqlite:///{template / 'codebook.sqlite3'}")
    build = index_build.build_index(engine, folder)
    assert next(build).label == "collecting documents"
    assert next(build).label.startswith("indexing")
    return build


def assert_stopped_cleanly(folder: Path) -> None:
    assert not shard_writers()
    assert not index_lock(folder).held_elsewhere()
    assert not list(folder.parent.glob(folder.name + ".building*"))


def test_writers_are_new_interpreters_without_qt_or_the_lock(_search_template, tmp_path):
    pytest.importorskip("PySide6.QtCore")  # loaded here: a forked writer would carry it along
    folder = tmp_path / "index"
    build = start_build(_search_template, folder)
    try:
        pids = shard_writers()
        assert len(pids) == index_files.SHARDS
        lock = str(folder.with_name(folder.name + ".lock"))
        for pid in pids:
            assert "Qt6" not in Path(f"/proc/{pid}/maps").read_text()
            descriptors = [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()]
            assert lock not in descriptors
    finally:
        build.close()  # a cancelled build: its writers are killed, its folder removed
    assert_stopped_cleanly(folder)
    assert not folder.exists()


def test_a_writer_that_dies_fails_the_build(_search_template, tmp_path):
    folder = tmp_path / "index"
    build = start_build(_search_template, folder)
    os.kill(shard_writers()[0], signal.SIGKILL)
    with pytest.raises(RuntimeError, match="ended before its shard was written"):
        next(build)
    assert_stopped_cleanly(folder)


def test_a_writers_error_is_raised_in_the_builder_with_its_traceback(tmp_path):
    missing = tmp_path / "no such folder"
    with shard_writer.ShardWriters(1) as writers, pytest.raises(OSError) as raised:
        writers.write([(str(missing), ["a text"])])
    assert "in search-index shard writer 0" in str(raised.value.__cause__)
    assert "write_shard" in str(raised.value.__cause__)  # the writer's traceback
    assert not shard_writers()
