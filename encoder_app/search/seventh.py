"""One result row per code that takes a 7th character, with the character the query implies;
and a header whose children are all billable leads on to the child the query implies.

The Index and the Drug Table lead to codes that still need their 7th character (T39.311,
S72.301); listing them as headers sends the coder to look again, and listing every completion
(S72.301A, B, C, D, E, F, G, H, J, K, M, N, P, Q, R, S) pushes everything else off the screen.
So a header that needs a 7th character becomes the completion whose encounter words the query
names ("subsequent ... delayed healing" -> G), and when nothing is named, the first the book
lists: initial encounter, closed (a fracture not stated as open is closed, I.C.19.c), the
default a coder applies. Completions of one code that rank separately collapse into the
best-ranked row. Every such row carries all the completions (``Hit.variants``), so the window
can offer them.

A header whose children are all billable codes (E05.0 "Thyrotoxicosis with diffuse goiter",
M92.52 "Juvenile osteochondrosis of tibia tubercle") is where an eponym's Index entry or
inclusion term leads, yet it cannot be reported. Its row becomes the child the query implies:
the one sharing most words with the query, else the one adding fewest words nobody typed, with
"unspecified" free (a bare "Osgood-Schlatter disease" names no leg: M92.529). Its siblings stay
separate rows when they rank on their own; they are choices, not completions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from typing import TYPE_CHECKING, NamedTuple

from encoder_app.codebook.reading import DBAPIConnection, ReadOnlyCodebook, marks, reading, rows
from encoder_app.codebook.releases import in_effect, timeline
from encoder_app.codes import ICD10CM, dotted, normalize
from encoder_app.search.engine import Hit
from encoder_app.search.text import FILLER, stem, words

if TYPE_CHECKING:
    from sqlalchemy import Engine

#: The words of the completion a coder assigns when the record says nothing more: the initial
#: encounter, a closed fracture (I.C.19.c). Unasked, they cost a completion nothing.
_DEFAULT_WORDS = frozenset(stem(w) for w in ("initial", "encounter", "closed", "unspecified"))
_UNSPECIFIED = stem("unspecified")
#: Levels of a header that may lead on to its billable children (chapters, blocks never).
_HEADER_LEVELS = ("category", "subcategory")


class _Header(NamedTuple):
    id: int
    code: str
    title: str
    needs_seventh: bool


class _Parent(NamedTuple):
    """A completion's 7th-character header (``parent``), found from the completion's code."""

    code: str
    id: int
    parent: str
    title: str


class _Child(NamedTuple):
    parent_id: int
    code: str
    title: str
    billable: bool


def _query_stems(query: str) -> set[str]:
    return {stem(w) for w in words(query) if w not in FILLER}


@functools.lru_cache(maxsize=65536)  # asked for the same children on every keystroke
def _encounter_words(title: str, header_title: str) -> frozenset[str]:
    """The words a completion adds to its header's title: its 7th character's meaning ("for
    closed fracture" adds nothing the header's "Torus fracture" did not say but "closed")."""
    extra = title[len(header_title):] if title.startswith(header_title) else title
    said = {stem(w) for w in words(header_title)}
    return frozenset({stem(w) for w in words(extra) if w not in FILLER} - said)


def _best_completion(children: list, header_title: str, asked: set[str]):
    """The completion whose meaning shares most words with the query; on a tie, the one that
    adds fewest words nobody asked for beyond the defaults (initial encounter for closed
    fracture before sequela, or before "open fracture type IIIA, IIIB, or IIIC"), then the
    unspecified one, then the book's first (children come in book order: A before B)."""
    def fit(child) -> tuple[int, int, bool]:
        meaning = _encounter_words(child.title, header_title)
        # a side, a leg, a trimester nobody stated: the unspecified child is what was said
        return (len(meaning & asked), -len(meaning - asked - _DEFAULT_WORDS),
                _UNSPECIFIED in meaning)

    return max(children, key=fit)  # max keeps the first of equals: book order


class Completions:
    """What one search engine has learnt of its database's codes: for each code, whether it is
    a header that needs a 7th character or the completion of one, and each header's
    completions. The codebook does not change under a loaded index, and a coder's keystrokes
    ask about the same codes again and again; the three queries cost a few milliseconds a
    keystroke. Owned by the engine (one database), emptied when it reloads its index."""

    MAX_KNOWN = 50_000

    def __init__(self, engine: Engine | ReadOnlyCodebook):
        self.engine = engine
        self._known: dict[tuple[int, str], tuple] = {}
        self._children: dict[int, list] = {}
        self._releases: dict[dt.date, int | None] = {}

    def forget(self) -> None:
        """The releases changed (the index is rebuilt or reloaded then)."""
        self._known.clear()
        self._children.clear()
        self._releases.clear()

    def _release_id(self, db: DBAPIConnection, day: dt.date) -> int | None:
        if day not in self._releases:
            releases = timeline(db, ICD10CM)
            effect = in_effect(releases, day) if releases else None
            self._releases[day] = effect.release.id if effect else None
        return self._releases[day]

    def groups(self, keys: list[str], day: dt.date):
        """(headers among ``keys`` that need a 7th character or have only billable children,
        the 7th-character header of each completion among ``keys``, every header's billable
        children in book order); None without a release."""
        if len(self._known) > self.MAX_KNOWN:
            self._known.clear()
            self._children.clear()
        with reading(self.engine) as db:
            release_id = self._release_id(db, day)
            if release_id is None:
                return None
            unknown = [k for k in keys if (release_id, k) not in self._known]
            if unknown:
                self._learn(db, release_id, unknown)
        known = {k: self._known[(release_id, k)] for k in keys}
        return ({k: h for k, (h, _p) in known.items() if h is not None},
                {k: p for k, (_h, p) in known.items() if p is not None}, self._children)

    def _learn(self, db: DBAPIConnection, release_id: int, codes: list[str]) -> None:
        headers = {r.code: r for r in map(_Header._make, rows(
            db, f"SELECT id, code, title, needs_seventh FROM codes WHERE release_id = ? "
                f"AND code IN ({marks(codes)}) AND (needs_seventh = TRUE OR billable = FALSE "
                f"AND level IN ({marks(_HEADER_LEVELS)}))",
            [release_id, *codes, *_HEADER_LEVELS]))}
        parents = {r.code: r for r in map(_Parent._make, rows(
            db, f"SELECT codes.code, parent.id, parent.code, parent.title FROM codes "
                f"JOIN codes AS parent ON parent.id = codes.parent_id WHERE codes.release_id = ? "
                f"AND codes.code IN ({marks(codes)}) AND parent.needs_seventh = TRUE",
            [release_id, *codes]))}
        ids = [r.id for r in (*headers.values(), *parents.values())
               if r.id not in self._children]
        for i in ids:
            self._children[i] = []
        if ids:
            partial: set[int] = set()  # headers with a header among their children
            for r in map(_Child._make, rows(
                    db, f"SELECT parent_id, code, title, billable FROM codes "
                        f"WHERE parent_id IN ({marks(ids)}) ORDER BY parent_id, seq, code", ids)):
                if r.billable:
                    self._children[r.parent_id].append(r)
                else:
                    partial.add(r.parent_id)
            for i in partial:  # S72.30's children still need characters: it stays a header
                self._children[i] = []
        for k in codes:
            self._known[(release_id, k)] = (headers.get(k), parents.get(k))


def complete_seventh(completions: Completions, hits: list[Hit], query: str,
                     day: dt.date) -> list[Hit]:
    """``hits`` with each ICD-10-CM header that needs a 7th character, or has only billable
    children, replaced by the child the query implies, and the completions of one code
    collapsed into the best-ranked row."""
    keys = [normalize(h.code) for h in hits if h.system == ICD10CM]
    if not keys:
        return hits
    found = completions.groups(keys, day)
    if found is None:
        return hits
    headers, parents, children = found
    if not headers and not parents:
        return hits
    asked = _query_stems(query)
    out: list[Hit] = []
    shown: set[str] = set()
    for hit in hits:
        key = normalize(hit.code)
        group = None
        if hit.system == ICD10CM and key in headers and children.get(headers[key].id):
            header = headers[key]
            kids = children[header.id]
            best = _best_completion(kids, header.title, asked)
            hit = dataclasses.replace(hit, code=dotted(best.code), title=best.title,
                                      billable=True, variants=tuple(dotted(k.code) for k in kids),
                                      header=dotted(header.code))
            # a 7th character's completions share one row; a header's children do not
            group = header.code if header.needs_seventh else best.code
        elif hit.system == ICD10CM and key in parents and children.get(parents[key].id):
            # A completion ranked on its own: the row shows the one the query implies.
            parent = parents[key]
            kids = children[parent.id]
            best = _best_completion(kids, parent.title, asked)
            hit = dataclasses.replace(hit, code=dotted(best.code), title=best.title,
                                      variants=tuple(dotted(k.code) for k in kids),
                                      header=dotted(parent.parent))
            group = parent.parent
        elif hit.system == ICD10CM:
            group = key  # a child a header above already led to is not listed twice
        if group is not None:
            if group in shown:  # a completion of this code already has its row
                continue
            shown.add(group)
        out.append(hit)
    return out
