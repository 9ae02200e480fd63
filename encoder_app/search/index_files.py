"""The search index on disk: Whoosh postings in two shards, plus the document table and the
vocabulary the ranking reads (search/table_file.py), and a manifest saying which releases it
covers. Built by search/index_build.py.

Documents are sorted best-first (prior, then shorter text) before indexing and dealt to the two
shards alternately, so a document's global id is 2 * docnum + shard and lower ids are better
documents: the first postings of a term are its champions, and a large candidate set is cut
to its best members by taking the smallest ids.
"""

from __future__ import annotations

import bisect
import json
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import index as whoosh_index

from encoder_app.codebook.reading import ReadOnlyCodebook
from encoder_app.codebook.releases import list_releases
from encoder_app.search.indexed import KIND_LABELS, indexed_releases

# Indexes written before the writers had their own module name the tokenizer as ours (Whoosh
# pickles the schema): keep the name here, so that they still open.
from encoder_app.search.shard_writer import SplitTokenizer as SplitTokenizer
from encoder_app.search.table_file import Numbers, Strings, TableFile, Value

if TYPE_CHECKING:
    from sqlalchemy import Engine

FORMAT_VERSION = 7  # 7: the table in columns, each read on its own (table_file.py)
SHARDS = 2
SYSTEMS = ["icd10cm", "icd10pcs", "hcpcs", "cpt"]
KINDS = list(KIND_LABELS)
TABLE_FILE = "table.columns"
#: The columns of one entry per document; what else the table holds is read whole.
DOCUMENT_COLUMNS = ("code", "system", "kind", "text", "display", "prior", "core")


def release_signature(engine: Engine | ReadOnlyCodebook) -> list[list]:
    """The indexed releases by id and content hash: another database behind the same data
    folder, or a replaced release, makes the index stale."""
    wanted = set(indexed_releases(engine))
    return [[r.id, r.sha256] for r in list_releases(engine) if r.id in wanted]


def is_current(engine: Engine | ReadOnlyCodebook, folder: Path) -> bool:
    """True when `folder` holds a complete index of this format for the database's releases:
    the manifest is written last, so a folder with one is whole."""
    manifest = read_manifest(folder)
    return bool(manifest) and manifest.get("format") == FORMAT_VERSION and \
        manifest.get("releases") == release_signature(engine)


def read_manifest(folder: Path) -> dict | None:
    try:
        return json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError):
        return None


def load_table(folder: Path, in_memory: bool = True) -> dict:
    """The table by column. In memory: lists, and titles as {system: {code: (title,
    billable)}}, for a window answering keystrokes. Otherwise each column reads from the
    mapped file only the documents a search looks at, and titles the codes it shows."""
    table = TableFile(folder / TABLE_FILE)
    read = table.load if in_memory else table.column
    out = {name: read(name) for name in DOCUMENT_COLUMNS}
    out.update(vocab=table.load("vocab"), df=table.load("df"), stems=table.load("stems"))
    out["titles"] = _titles_in_memory(table) if in_memory else Titles(table)
    return out


def title_columns(infos: dict) -> dict:
    """Every indexed code's title and whether it is billable, by system and then code (sorted,
    so that one code is found by bisection without reading the others)."""
    codes, titles, billable, systems = [], [], [], {}
    for system in sorted(infos):
        first = len(codes)
        for code in sorted(infos[system]):
            info = infos[system][code]
            codes.append(code)
            titles.append(info.title)
            billable.append(bool(info.billable))
        systems[system] = (first, len(codes))
    return {"title_code": Strings(codes), "title_text": Strings(titles),
            "title_billable": Numbers("B", billable), "title_systems": Value(systems)}


def _titles_in_memory(table: TableFile) -> dict[str, dict[str, tuple[str, bool]]]:
    codes, titles = table.load("title_code"), table.load("title_text")
    billable = table.load("title_billable")
    return {system: {codes[i]: (titles[i], bool(billable[i])) for i in range(first, end)}
            for system, (first, end) in table.load("title_systems").items()}


class Titles:
    """{system: {code: (title, billable)}} read from the mapped table one code at a time."""

    def __init__(self, table: TableFile):
        self._codes, self._titles = table.column("title_code"), table.column("title_text")
        self._billable = table.column("title_billable")
        self._systems = table.load("title_systems")

    def __getitem__(self, system: str) -> _SystemTitles:
        first, end = self._systems[system]
        return _SystemTitles(self, first, end)


class _SystemTitles:
    def __init__(self, titles: Titles, first: int, end: int):
        self._all, self._first, self._end = titles, first, end

    def __getitem__(self, code: str) -> tuple[str, bool]:
        titles = self._all
        i = bisect.bisect_left(titles._codes, code, self._first, self._end)
        if i == self._end or titles._codes[i] != code:
            raise KeyError(code)
        return titles._titles[i], bool(titles._billable[i])


def open_shards(folder: Path) -> list:
    return [whoosh_index.open_dir(str(folder / f"shard{s}")) for s in range(SHARDS)]
