"""NCCI procedure-to-procedure (PTP) edits, practitioner or outpatient hospital, CSV or CMS text.

A quarter's practitioner table holds about 2.5 million column 1 / column 2 pairs, so this is the
one importer written for speed: the csv module, memoised dates, modifiers and rationales, and raw
executemany in large batches into a table with a single index. The two settings' files have the
same columns, so the setting (the release's kind) comes from the file name, as CMS names them:
ccipra / practitioner, ccioph / outpatient hospital.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator

from encoder_app.codebook.reference_models import PtpEdit, PtpRationale
from encoder_app.errors import BadRecord
from encoder_app.importers.base import ReleaseInfo, ReleaseWriter, SourceFile
from encoder_app.importers.ncci_common import (
    _UNSEEN,
    DateCells,
    Header,
    column,
    find_header,
    open_table,
    quarter_for,
)
from encoder_app.progress import Progress

FORMAT = "NCCI PTP edits"
SYSTEM = "ncci"

#: setting -> (release kind, words shown to the coder)
SETTINGS = {
    "practitioner": ("ptp_practitioner", "practitioner"),
    "outpatient_hospital": ("ptp_outpatient_hospital", "outpatient hospital"),
}
_NAME_HINTS = {
    "practitioner": ("ccipra", "practitioner"),
    "outpatient_hospital": ("ccioph", "outpatient", "hospital"),
}

MODIFIER_INDICATORS = {"0": 0, "1": 1, "9": 9}
BATCH_ROWS = 50_000
_COLUMNS = ["release_id", "column1", "column2", "effective", "deletion", "modifier_indicator",
            "rationale_id"]


def _is_header(cells: Header) -> bool:
    # CMS text files may put the header over several lines; the first starts "Column 1, Column 2".
    return (len(cells) >= 6 and cells[0].replace(" ", "") == "column1"
            and cells[1].replace(" ", "") == "column2")


def sniff(source: SourceFile) -> bool:
    return find_header(source, _is_header) is not None


def setting_of(source: SourceFile) -> str:
    """practitioner | outpatient_hospital, from the file name (the content cannot tell)."""
    for name in (source.base_name, source.name):
        lower = name.lower()
        found = {s for s, hints in _NAME_HINTS.items() if any(h in lower for h in hints)}
        if len(found) == 1:
            return found.pop()
    raise BadRecord("file name", "cannot tell whether these PTP edits are for practitioners or "
                    "for outpatient hospitals (both tables have the same columns); rename it to "
                    "contain 'practitioner' or 'outpatient', as CMS names them (ccipra / ccioph)")


def release_info(source: SourceFile) -> ReleaseInfo:
    setting = setting_of(source)
    kind, words = SETTINGS[setting]
    quarter, version, note = quarter_for(source)
    label = f"NCCI PTP {words} {quarter.version}{note}"
    return ReleaseInfo(SYSTEM, kind, version, label, quarter.start)


def _columns(header: Header) -> tuple[list[int], int | None]:
    """Positions of effective, deletion and modifier (required) and rationale (newer files)."""
    wanted = {"effective date": ("effective",), "deletion date": ("deletion",),
              "modifier indicator": ("modifier",)}
    found = []
    for what, words in wanted.items():
        i = column(header, *words)
        if i is None:
            raise BadRecord("header row", f"no {what} column (a PTP table has Column 1, Column 2, "
                            "Effective Date, Deletion Date, Modifier and PTP Edit Rationale)")
        found.append(i)
    return found, column(header, "rationale")


def load(source: SourceFile, writer: ReleaseWriter) -> Iterator[Progress]:
    rid = writer.release_id
    table = PtpEdit.__table__
    rationale_ids: dict[str, int | None] = {}
    next_rationale = writer.id_counter(PtpRationale.__table__)
    effective_dates, deletion_dates = DateCells("Effective Date"), DateCells("Deletion Date")
    eff_seen, del_seen = effective_dates.seen, deletion_dates.seen
    mods = MODIFIER_INDICATORS
    written = deleted = 0
    batch: list[tuple] = []
    add = batch.append

    with open_table(source, _is_header, "PTP edit (Column 1, Column 2, ...)") as (reader, header):
        (eff_i, del_i, mod_i), rat_i = _columns(header)
        fields = [0, 1, eff_i, del_i, mod_i] + ([rat_i] if rat_i is not None else [])
        pick = operator.itemgetter(*fields)
        width = max(fields) + 1

        def where() -> str:
            return f"row {reader.line_num}"

        started = False
        yield Progress(0, 0, "reading PTP edits")
        for row in reader:
            # Fast path: a well-formed row is unpacked, checked and appended with dict lookups
            # only; anything unusual drops to _slow_row, which fixes or rejects it.
            try:
                picked = pick(row)
            except IndexError:
                picked = None
            if picked is None or not started:
                picked = _slow_row(row, picked, width, started, where)
                if picked is None:
                    continue
                started = True
            if rat_i is None:
                c1, c2, eff, dele, mod = picked
                rat = ""
            else:
                c1, c2, eff, dele, mod, rat = picked
            if len(c1) != 5 or len(c2) != 5 or not c1.isalnum() or not c2.isalnum():
                c1, c2 = _codes(c1, c2, where)
            m = mods.get(mod)
            if m is None:
                m = mods.get(mod.strip())
                if m is None:
                    raise BadRecord(where(), f"modifier indicator {mod!r} is not 0 (not allowed),"
                                    " 1 (allowed with a modifier) or 9 (not applicable)")
            e = eff_seen.get(eff, _UNSEEN)
            if e is _UNSEEN:
                e = effective_dates.parse(eff, where)
            d = del_seen.get(dele, _UNSEEN)
            if d is _UNSEEN:
                d = deletion_dates.parse(dele, where)
            if d is not None:
                deleted += 1
            r = rationale_ids.get(rat, _UNSEEN)
            if r is _UNSEEN:
                r = _rationale_id(rat, rationale_ids, next_rationale)
            add((rid, c1, c2, e, d, m, r))
            if len(batch) >= BATCH_ROWS:
                writer.insert_tuples(table, _COLUMNS, batch)
                written += len(batch)
                batch.clear()
                yield Progress(written, 0, f"{written:,} PTP edits written")
    if batch:
        writer.insert_tuples(table, _COLUMNS, batch)
        written += len(batch)
    if not written:
        raise BadRecord("row 2", "the table has a header but no edits")
    texts = {i: text for text, i in rationale_ids.items() if i is not None and text == text.strip()}
    writer.insert(PtpRationale.__table__, (
        dict(id=i, release_id=rid, text=text) for i, text in sorted(texts.items())))
    writer.count("edits", written)
    writer.count("deleted edits", deleted)
    writer.count("rationales", len(texts))
    yield Progress(written, written, f"{written:,} PTP edits written")


def _slow_row(row: list[str], picked: tuple | None, width: int, started: bool,
              where: Callable[[], str]) -> tuple | None:
    """A row off the fast path: header continuation, blank line, or a short (bad) row."""
    if not any(cell.strip() for cell in row):
        return None  # blank line, e.g. at the end of a CMS text file
    if not started and len(row) > 1 and not row[0].strip() and not row[1].strip():
        return None  # second and later lines of a CMS text file's multi-line header
    if picked is None:
        if len(row) < 2 or not row[1].strip():
            raise BadRecord(where(), "column 2 is missing: every PTP edit names two codes")
        raise BadRecord(where(), f"has {len(row)} columns; a PTP edit row has at least {width}")
    return picked


def _rationale_id(raw: str, ids: dict[str, int | None], counter: Iterator[int]) -> int | None:
    """The id of a rationale text, numbering new texts as they first appear; None when empty."""
    text = raw.strip()
    if text not in ids:
        ids[text] = next(counter) if text else None
    ids[raw] = ids[text]
    return ids[text]


def _codes(c1: str, c2: str, where: Callable[[], str]) -> tuple[str, str]:
    """Both codes, tidied, or BadRecord naming the one that is not a CPT/HCPCS code."""
    out = []
    for name, value in (("column 1", c1), ("column 2", c2)):
        code = value.strip().upper()
        if not code:
            raise BadRecord(where(), f"{name} is missing: every PTP edit names two codes")
        if len(code) != 5 or not code.isalnum():
            raise BadRecord(where(), f"{name} {value!r} is not a 5-character CPT/HCPCS code")
        out.append(code)
    return out[0], out[1]
