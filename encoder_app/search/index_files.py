"""The search index on disk: Whoosh postings in two shards, plus the document table and the
vocabulary the ranking reads into memory, and a manifest saying which releases it covers.

Documents are sorted best-first (prior, then shorter text) before indexing and dealt to the two
shards alternately, so a document's global id is 2 * docnum + shard and lower ids are better
documents: the first postings of a term are its champions, and a large candidate set is cut
to its best members by taking the smallest ids.
"""

from __future__ import annotations

import json
import marshal
import multiprocessing
import shutil
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine
from whoosh import index as whoosh_index
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import TEXT, Schema

from encoder_app.codebook.releases import list_releases
from encoder_app.cycle_collection import cycle_collection_paused
from encoder_app.progress import Progress
from encoder_app.search.documents import KIND_LABELS, indexed_releases, iter_documents
from encoder_app.search.text import NOT_EXTRA, normalized, stem, words

FORMAT_VERSION = 5
SHARDS = 2
SYSTEMS = ["icd10cm", "icd10pcs", "hcpcs", "cpt"]
KINDS = list(KIND_LABELS)


class SplitTokenizer(Tokenizer):
    """Text is normalised before indexing, so splitting on spaces is all Whoosh needs to do;
    this is several times faster than a regex tokenizer over 300,000 documents."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, word in enumerate(value.split()):
            token.text = word
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos + pos
            yield token


def schema() -> Schema:
    return Schema(words=TEXT(analyzer=SplitTokenizer(), phrase=False))


def release_signature(engine: Engine) -> list[list]:
    """The indexed releases by id and content hash: another database behind the same data
    folder, or a replaced release, makes the index stale."""
    wanted = set(indexed_releases(engine))
    return [[r.id, r.sha256] for r in list_releases(engine) if r.id in wanted]


def _write_shard(args: tuple[str, list[str]]) -> int:
    folder, texts = args
    ix = whoosh_index.create_in(folder, schema())
    writer = ix.writer(limitmb=256)
    for text in texts:
        writer.add_document(words=text)
    writer.commit(optimize=True)
    return len(texts)


def build_index(engine: Engine, folder: Path) -> Iterator[Progress]:
    """Build the whole index into `folder` (replaced only when the new one is complete)."""
    with cycle_collection_paused():
        yield from _build_index(engine, folder)


def _build_index(engine: Engine, folder: Path) -> Iterator[Progress]:
    started = time.perf_counter()
    yield Progress(0, 4, "collecting documents")
    docs, infos = iter_documents(engine)
    # Nemod words follow a "~": they match what is typed but never count as extra words.
    texts = [normalized(d.text) + (f"~ {' '.join(words(d.nemods))} " if d.nemods else "")
             for d in docs]
    # Best documents first: higher prior, then fewer words (more specific to what is typed).
    order = sorted(range(len(docs)), key=lambda i: (-docs[i].prior, texts[i].count(" ")))
    docs = [docs[i] for i in order]
    texts = [texts[i] for i in order]
    yield Progress(1, 4, f"indexing {len(docs):,} documents")
    tmp = folder.with_name(folder.name + ".building")
    shutil.rmtree(tmp, ignore_errors=True)
    shard_dirs = [tmp / f"shard{s}" for s in range(SHARDS)]
    for d in shard_dirs:
        d.mkdir(parents=True)
    jobs = [(str(shard_dirs[s]), texts[s::SHARDS]) for s in range(SHARDS)]
    # Two shards written by two processes: Whoosh indexing is CPU-bound Python.
    with multiprocessing.get_context("fork").Pool(SHARDS) as pool:
        pool.map(_write_shard, jobs)
    yield Progress(3, 4, "writing the vocabulary")
    df: Counter[str] = Counter()
    for text in texts:
        df.update(set(text.split()))
    df.pop("~", None)
    vocab = sorted(df)
    stems: dict[str, list[str]] = {}
    for word in vocab:
        stems.setdefault(stem(word), []).append(word)
    # (system, code, title, billable) rows: a list loads in small records (see _write_table)
    titles = [(system, code, info.title, info.billable)
              for system, codes in infos.items() for code, info in codes.items()]
    table = {
        "code": [d.code for d in docs],
        "system": [SYSTEMS.index(d.system) for d in docs],
        "kind": [KINDS.index(d.kind) for d in docs],
        "text": texts,
        "display": [d.display for d in docs],
        "prior": [d.prior for d in docs],
        # words that make a text less specific if nobody typed them (see ranking)
        "core": [sum(1 for w in t.split("~")[0].split() if w not in NOT_EXTRA) for t in texts],
        "vocab": vocab,
        "df": [df[w] for w in vocab],
        "stems": {k: v for k, v in stems.items() if len(v) > 1},
        "titles": titles,
    }
    _write_table(tmp / "table.marshal", table)
    manifest = {"format": FORMAT_VERSION, "releases": release_signature(engine),
                "documents": len(docs), "seconds": round(time.perf_counter() - started, 1)}
    (tmp / "manifest.json").write_text(json.dumps(manifest))
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    yield Progress(4, 4, f"indexed {len(docs):,} documents")


def read_manifest(folder: Path) -> dict | None:
    try:
        return json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError):
        return None


def load_table(folder: Path) -> dict:
    table = _read_table(folder / "table.marshal")
    titles: dict[str, dict[str, tuple[str, bool]]] = {}
    for system, code, title, billable in table["titles"]:
        titles.setdefault(system, {})[code] = (title, billable)
    table["titles"] = titles
    return table


# The table is written as many small marshal records rather than one: loading one record holds
# the interpreter lock, and a single 50 MB record would freeze the window for over a second.
_CHUNK = 5000


def _write_table(path: Path, table: dict) -> None:
    with open(path, "wb") as out:
        marshal.dump(list(table), out)
        for value in table.values():
            if isinstance(value, list):
                pieces = [value[i:i + _CHUNK] for i in range(0, len(value), _CHUNK)] or [[]]
                marshal.dump(("list", len(pieces)), out)
                for piece in pieces:
                    marshal.dump(piece, out)
            else:
                marshal.dump(("value", 1), out)
                marshal.dump(value, out)


def _read_table(path: Path) -> dict:
    table: dict = {}
    with open(path, "rb") as src:
        for key in marshal.load(src):
            kind, count = marshal.load(src)
            if kind == "list":
                value: list = []
                for _ in range(count):
                    value.extend(marshal.load(src))
                    time.sleep(0)  # let the window's thread run between records
            else:
                value = marshal.load(src)
            table[key] = value
    return table


def open_shards(folder: Path) -> list:
    return [whoosh_index.open_dir(str(folder / f"shard{s}")) for s in range(SHARDS)]
