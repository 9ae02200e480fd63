"""Building the search index: the documents collected from the database, written as Whoosh
shards (by processes of their own, search/shard_writer.py) and a table of columns
(search/table_file.py), and swapped in whole under the index folder's name.

Documents are sorted best-first (prior, then shorter text) before indexing and dealt to the two
shards alternately, so a document's global id is 2 * docnum + shard and lower ids are better
documents: the first postings of a term are its champions, and a large candidate set is cut
to its best members by taking the smallest ids.
"""

from __future__ import annotations

import heapq
import json
import logging
import os
import secrets
import shutil
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine

from encoder_app.cycle_collection import cycle_collection_paused, drop_in_pieces
from encoder_app.data_lock import index_lock
from encoder_app.progress import Progress
from encoder_app.search.documents import iter_documents
from encoder_app.search.index_files import (
    FORMAT_VERSION,
    KINDS,
    SHARDS,
    SYSTEMS,
    TABLE_FILE,
    is_current,
    release_signature,
    title_columns,
)
from encoder_app.search.shard_writer import ShardWriters
from encoder_app.search.table_file import Numbers, Strings, Value, write_table
from encoder_app.search.text import NOT_EXTRA, normalized, stem, words

log = logging.getLogger(__name__)


def build_index(engine: Engine, folder: Path) -> Iterator[Progress]:
    """Build the whole index into `folder`, replaced only when the new one is complete.

    One build at a time per folder, across processes (data_lock.index_lock): a second build
    waits, yielding Waiting progress, then does nothing when the first left the index current
    for the same releases. A build that is killed leaves the old index (or none) in place and
    its half-written folder beside it, removed by the next build."""
    lock = index_lock(folder)
    waited = yield from lock.acquire()
    try:
        if waited and is_current(engine, folder):
            yield Progress(4, 4, "the search index is current (another encoder-app rebuilt it)")
            return
        _remove_leftovers(folder)
        with cycle_collection_paused():
            yield from _build_index(engine, folder)
    except BaseException:
        _remove_leftovers(folder, old_indexes=False)  # this build's half-written folder
        raise
    finally:
        lock.release()


def _remove_leftovers(folder: Path, old_indexes: bool = True) -> None:
    """Folders of builds that failed or were killed: safe to remove, as every build holds the
    lock."""
    patterns = [f"{folder.name}.building*"] + ([f"{folder.name}.old-*"] if old_indexes else [])
    for pattern in patterns:
        for stale in folder.parent.glob(pattern):
            shutil.rmtree(stale, ignore_errors=True)


def _fsync_tree(root: Path) -> None:
    """Flush every file of the new index to disk before it is renamed into place: after a power
    cut the folder under the index's name is then whole, never a manifest over missing data."""
    for path in root.rglob("*"):
        if path.is_file():
            with open(path, "rb") as f:
                os.fsync(f.fileno())
    for d in [*(p for p in root.rglob("*") if p.is_dir()), root]:
        _fsync_dir(d)


def _fsync_dir(path: Path) -> None:
    if hasattr(os, "O_DIRECTORY"):  # a folder's entries can be flushed on POSIX only
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _swap_in(tmp: Path, folder: Path, unique: str) -> None:
    """Put the complete index `tmp` under `folder`'s name. Renames are atomic: at every moment
    `folder` is the whole old index, the whole new one, or (between the two renames) absent,
    which a reader takes as "no index yet"."""
    old = folder.with_name(f"{folder.name}.old-{unique}")
    try:
        folder.rename(old)
    except FileNotFoundError:
        pass
    try:
        tmp.rename(folder)
    except OSError:
        if old.exists():
            old.rename(folder)  # the old index back: never no index because of a failed swap
        raise
    _fsync_dir(folder.parent)
    shutil.rmtree(old, ignore_errors=True)


#: Keys sorted in one call by _best_first (a few ms each).
_RUN = 16384


def _best_first(docs: list, texts: list[str]) -> list[int]:
    """The documents' positions, best first: higher prior, then fewer words (more specific to
    what is typed), then as read. Sorted in runs and merged: one sorted() of 190,000 keys
    held the interpreter lock for 155 ms, and the window waited that long."""
    keys = [(-doc.prior, text.count(" "), i)
            for i, (doc, text) in enumerate(zip(docs, texts, strict=True))]
    runs = [sorted(keys[start:start + _RUN]) for start in range(0, len(keys), _RUN)]
    return [key[2] for key in heapq.merge(*runs)]


def _build_index(engine: Engine, folder: Path) -> Iterator[Progress]:
    started = time.perf_counter()
    yield Progress(0, 4, "collecting documents")
    # Started now, the writers' start-up (a new interpreter each) runs beside the collecting. A
    # writer dies with the thread that started it (shard_writer): one thread drives a build
    # from start to end anyway, as its lock is the thread's.
    with ShardWriters(SHARDS) as writers:
        # Read before the documents: if an import commits while they are read, the manifest
        # names the releases as they were and the index is stale (rebuilt), never current but
        # missing one.
        releases = release_signature(engine)
        docs, infos = iter_documents(engine)
        # Nemod words follow a "~": they match what is typed but never count as extra words.
        texts = [normalized(d.text) + (f"~ {' '.join(words(d.nemods))} " if d.nemods else "")
                 for d in docs]
        order = _best_first(docs, texts)
        docs = [docs[i] for i in order]
        texts = [texts[i] for i in order]
        yield Progress(1, 4, f"indexing {len(docs):,} documents")
        # A name no other build can have, even one that does not take the lock (an older one).
        unique = f"{os.getpid()}-{secrets.token_hex(4)}"
        tmp = folder.with_name(f"{folder.name}.building-{unique}")
        shard_dirs = [tmp / f"shard{s}" for s in range(SHARDS)]
        for d in shard_dirs:
            d.mkdir(parents=True)
        writers.write([(str(shard_dirs[s]), texts[s::SHARDS]) for s in range(SHARDS)])
    yield Progress(3, 4, "writing the vocabulary")
    df: Counter[str] = Counter()
    for text in texts:
        df.update(set(text.split()))
    df.pop("~", None)
    vocab = sorted(df)
    stems: dict[str, list[str]] = {}
    for word in vocab:
        stems.setdefault(stem(word), []).append(word)
    table = {
        "code": Strings([d.code for d in docs]),
        "system": Numbers("B", [SYSTEMS.index(d.system) for d in docs]),
        "kind": Numbers("B", [KINDS.index(d.kind) for d in docs]),
        "text": Strings(texts),
        "display": Strings([d.display for d in docs]),
        "prior": Numbers("d", [d.prior for d in docs]),
        # words that make a text less specific if nobody typed them (see ranking)
        "core": Numbers("I", [sum(1 for w in t.split("~")[0].split() if w not in NOT_EXTRA)
                              for t in texts]),
        "vocab": Strings(vocab),
        "df": Numbers("I", [df[w] for w in vocab]),
        "stems": Value({k: v for k, v in stems.items() if len(v) > 1}),
        **title_columns(infos),
    }
    write_table(tmp / TABLE_FILE, table)
    # "build" tells a reader whether the table and shards it opened are of one build (below).
    manifest = {"format": FORMAT_VERSION, "build": unique, "releases": releases,
                "documents": len(docs), "seconds": round(time.perf_counter() - started, 1)}
    (tmp / "manifest.json").write_text(json.dumps(manifest))  # last: the folder is whole
    _fsync_tree(tmp)
    _swap_in(tmp, folder, unique)
    count = len(docs)
    log.info("search index built in %s: %s documents in %.1f s", folder, f"{count:,}",
             time.perf_counter() - started)
    # What the build held is on disk now. Dropped with the generator, it was freed in one call
    # that kept the window waiting 370 ms (cycle_collection): the table's lists first (they
    # share strings with the documents), then the documents.
    columns = [getattr(c, "values", None) for c in table.values()]
    del table
    for rows in (*columns, docs, order, df, *infos.values(), infos):
        if isinstance(rows, list | dict):
            drop_in_pieces(rows)
    yield Progress(4, 4, f"indexed {count:,} documents")
