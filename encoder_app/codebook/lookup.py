"""A code as a coder needs it: title, billable or header, validity for a date of service and why,
its parents, every instructional note that applies (inherited ones included), 7th characters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, bindparam, case, func, literal_column, select

from encoder_app.codebook.models import Code, Note, Release, SeventhCharacter
from encoder_app.codebook.releases import InEffect, code_timeline, in_effect
from encoder_app.codes import CPT, CPT_SHAPE, SYSTEM_NAMES, dotted, normalize
from encoder_app.errors import NoRelease, UnknownCode

#: Rows that organise a book but are not codes a claim can carry.
HEADING_LEVELS = ("chapter", "block", "section", "body_system", "table")

#: How note kinds read in the book, in the order a coder reads them.
NOTE_HEADINGS = {
    "includes": "Includes",
    "inclusion_term": "Inclusion terms",
    "excludes1": "Excludes1",
    "excludes2": "Excludes2",
    "code_first": "Code first",
    "use_additional_code": "Use additional code",
    "code_also": "Code also",
    "notes": "Note",
    "seventh_character_note": "7th character",
}
_NOTE_ORDER = {kind: i for i, kind in enumerate(NOTE_HEADINGS)}


@dataclass(frozen=True)
class CodeRef:
    code: str  # dotted
    title: str
    level: str
    billable: bool = False


@dataclass(frozen=True)
class NoteLine:
    kind: str
    text: str
    at: str  # the code or heading where the note is printed (dotted), e.g. "E11" or "Chapter 4"

    def to_json(self) -> dict:
        return {"kind": self.kind, "text": self.text, "at": self.at}


@dataclass(frozen=True)
class SeventhChoice:
    """A 7th character that completes a billable code: "A", "S72.001A", its meaning."""

    char: str
    code: str  # dotted, placeholder X as the book expands it: "W11.XXXA"
    meaning: str

    def to_json(self) -> dict:
        return {"char": self.char, "code": self.code, "meaning": self.meaning}


@dataclass(frozen=True)
class CodeDetail:
    code: str  # dotted
    system: str
    title: str
    level: str
    billable: bool
    valid: bool
    validity: str  # why valid or not, in a coder's words
    date_of_service: dt.date
    release: str
    parents: list[CodeRef] = field(default_factory=list)  # from the chapter down
    notes: list[NoteLine] = field(default_factory=list)
    # The 7th characters the book defines for the code's category (what they mean) ...
    seventh_characters: list[tuple[str, str]] = field(default_factory=list)
    # ... and the full codes one of them completes from this code: a header that needs a 7th
    # character has its own, a full code its siblings. Empty where more characters come first
    # (S72.30 needs its 6th: S72.301A exists, S72.30XA does not).
    seventh_choices: list[SeventhChoice] = field(default_factory=list)
    children: list[CodeRef] = field(default_factory=list)
    short_title: str | None = None
    added_on: dt.date | None = None  # HCPCS ADD DT
    effective_on: dt.date | None = None  # HCPCS ACT EFF DT: the latest action's date
    terminated_on: dt.date | None = None
    # Other systems with a code written the same way (J1100: HCPCS J1100 beside ICD-10-CM
    # J11.00), when the system was chosen by lookup rather than asked for.
    also_in: list[str] = field(default_factory=list)
    # The date of service against the loaded releases when none covers it ("2026-12-07 is
    # after the newest loaded release ..."); "" when one does.
    caveat: str = ""

    def to_json(self) -> dict:
        return {
            "code": self.code, "system": self.system, "title": self.title, "level": self.level,
            "billable": self.billable, "valid": self.valid, "validity": self.validity,
            "date_of_service": self.date_of_service.isoformat(), "release": self.release,
            "short_title": self.short_title,
            "added_on": self.added_on.isoformat() if self.added_on else None,
            "effective_on": self.effective_on.isoformat() if self.effective_on else None,
            "terminated_on": self.terminated_on.isoformat() if self.terminated_on else None,
            "parents": [{"code": p.code, "title": p.title, "level": p.level} for p in self.parents],
            "notes": [n.to_json() for n in self.notes],
            "seventh_characters": [{"char": c, "label": lbl} for c, lbl in self.seventh_characters],
            "seventh_choices": [c.to_json() for c in self.seventh_choices],
            "children": [{"code": c.code, "title": c.title, "billable": c.billable}
                         for c in self.children],
            "also_in": self.also_in, "caveat": self.caveat,
        }


# Prefer a code over a block that shares its name (block B20 holds category B20).
_LEVEL_RANK = case((Code.level.in_(HEADING_LEVELS), 1), else_=0)


# Statements built once: a lookup runs on every keystroke, so only binding values is per call.
_ROW = (select(Code).where(Code.release_id == bindparam("rid"), Code.code == bindparam("code"))
        .order_by(_LEVEL_RANK).limit(1))
_SYSTEMS = select(Code.system).where(Code.code == bindparam("code")).distinct()
_CHILDREN = select(Code).where(Code.parent_id == bindparam("id")).order_by(Code.seq)
_NOTES = select(Note.code_id, Note.kind, Note.text, Note.seq).where(
    Note.code_id.in_(bindparam("ids", expanding=True)))
_SEVENTHS = (select(SeventhCharacter.code_id, SeventhCharacter.char, SeventhCharacter.label)
             .where(SeventhCharacter.code_id.in_(bindparam("ids", expanding=True)))
             .order_by(SeventhCharacter.id))
_up = select(Code.id, Code.parent_id, literal_column("1").label("depth")).where(
    Code.id == bindparam("pid")).cte("up", recursive=True)
_up = _up.union_all(select(Code.id, Code.parent_id, (_up.c.depth + 1).label("depth"))
                    .join(_up, Code.id == _up.c.parent_id))
_CHAIN = select(Code).join(_up, Code.id == _up.c.id).order_by(_up.c.depth)


def _row_in(conn: Connection, release_id: int, code: str):
    return conn.execute(_ROW, {"rid": release_id, "code": code}).first()


def _systems_with(conn: Connection, code: str) -> list[str]:
    found = conn.execute(_SYSTEMS, {"code": code}).scalars().all()
    order = list(SYSTEM_NAMES)
    return sorted(found, key=lambda s: order.index(s) if s in order else len(order))


def _ref(row) -> CodeRef:
    if row.level == "chapter":
        shown = f"Chapter {row.code}"
    elif row.level == "block":
        shown = row.code  # a range like E08-E13, never dotted
    else:
        shown = dotted(row.code, row.system)
    return CodeRef(shown, row.title, row.level, bool(row.billable))


def _chain(conn: Connection, row) -> list:
    """The row's ancestors, nearest first, in one recursive query."""
    if row.parent_id is None:
        return []
    return list(conn.execute(_CHAIN, {"pid": row.parent_id}))


def _validity(row, day: dt.date, effect: InEffect, children: list[CodeRef]) -> tuple[bool, str]:
    shown = dotted(row.code, row.system)
    if row.level in HEADING_LEVELS:
        return False, f"{shown} is a {row.level.replace('_', ' ')} heading, not a code"
    # HCPCS ACT EFF DT dates the latest action (a change, a termination), not the code's start;
    # ADD DT is when it could first be billed.
    start = row.added_on or row.effective_on
    if start and day < start:
        return False, f"not yet effective: {shown} takes effect on {start}"
    if row.terminated_on and day > row.terminated_on:
        return False, f"terminated: {shown} ended on {row.terminated_on}"
    if row.needs_seventh:
        some = ", ".join(c.code for c in children[:4])
        return False, f"needs a 7th character ({some}{', ...' if len(children) > 4 else ''})"
    if not row.billable and not children:
        return False, f"not reportable: {shown} is not assigned for use in this release"
    if not row.billable:
        return False, (f"a header, not billable: it needs more characters "
                       f"({len(children)} codes below it)")
    # The release caveat (a date past the newest release) is said once, where it matters
    # (CodeDetail.caveat: a banner, one line), not in every code's validity or finding.
    return True, f"valid for {day} ({effect.release.label})"


def _seventh_choices(conn: Connection, row, chain: list, children: list[CodeRef],
                     meanings: dict[str, str]) -> list[SeventhChoice]:
    """The billable codes a 7th character makes from this row, read from the codebook (which
    expands every one, placeholder X included) rather than built by padding the code."""
    if row.needs_seventh:
        codes = children
    elif row.level == "code" and chain and chain[0].needs_seventh:
        codes = [_ref(c) for c in conn.execute(_CHILDREN, {"id": chain[0].id})]
    else:
        return []
    # A 7th character's meaning as the category defines it; the title if it defines none.
    return [SeventhChoice(c.code[-1], c.code, meanings.get(c.code[-1], c.title))
            for c in codes if c.billable and c.level == "code"]


def _other_release_reason(conn: Connection, system: str, code: str, effect: InEffect,
                          timeline) -> tuple[object, str] | None:
    """Where a code missing from the release in effect does exist: added later or deleted."""
    ids = {r.id: r for r in timeline}
    rows = conn.execute(select(Code).join(Release, Release.id == Code.release_id)
                        .where(Code.system == system, Code.code == code, Code.release_id.in_(ids))
                        .order_by(Release.effective_from)).all()
    if not rows:
        return None
    shown = dotted(code, system)
    current = effect.release
    later = [r for r in rows if ids[r.release_id].effective_from > current.effective_from]
    if later:
        r = ids[later[0].release_id]
        return later[0], (f"not yet effective on this date: {shown} first appears in {r.label}, "
                               f"effective {r.effective_from}")
    last = ids[rows[-1].release_id]
    return rows[-1], (f"deleted: {shown} is in {last.label} but not in {current.label}, "
                           f"in effect from {current.effective_from}")


def _suggestion(conn: Connection, system: str, code: str) -> str:
    """A likely intended code: the placeholder X a coder left out (W54.0A -> W54.0XXA)."""
    if system == "icd10cm" and 4 <= len(code) < 7 and code[-1].isalpha():
        padded = code[:-1].ljust(6, "X") + code[-1]
        if conn.execute(select(Code.id).where(Code.system == system, Code.code == padded)).first():
            return f"; did you mean {dotted(padded)} (placeholder X)?"
    return ""


def code_detail(engine: Engine, code: str, system: str | None = None,
                date_of_service: dt.date | None = None) -> CodeDetail:
    """Everything about one code for a date of service (today if none)."""
    day = date_of_service or dt.date.today()
    key = normalize(code)
    with engine.connect() as conn:
        systems = [system] if system else _systems_with(conn, key)
        if not systems and CPT_SHAPE.fullmatch(key) and not code_timeline(conn, CPT):
            raise UnknownCode(
                f"{code.strip()} looks like a CPT code, and no CPT file is loaded: CPT is the "
                f"AMA's and is not shipped. Import the CPT file your practice licenses with "
                f"`encoder-app import FILE` (docs/cpt-import.md says which files)")
        systems = systems or ["icd10cm"]
        sys_name = systems[0]
        timeline = code_timeline(conn, sys_name)
        effect = in_effect(timeline, day)
        if effect is None:
            raise NoRelease(f"no {SYSTEM_NAMES.get(sys_name, sys_name)} release is loaded; "
                            f"import one with `encoder-app import`")
        row = _row_in(conn, effect.release.id, key)
        reason = None
        if row is None:
            elsewhere = _other_release_reason(conn, sys_name, key, effect, timeline)
            if elsewhere is None:
                raise UnknownCode(f"{code.strip()} is not a code in any loaded "
                                  f"{SYSTEM_NAMES.get(sys_name, sys_name)} release"
                                  f"{_suggestion(conn, sys_name, key)}")
            row, reason = elsewhere
        release_label = next(r.label for r in timeline if r.id == row.release_id)
        chain = _chain(conn, row)
        children = [_ref(c) for c in conn.execute(_CHILDREN, {"id": row.id})]
        holders = [row, *chain]
        ids = [h.id for h in holders]
        notes = conn.execute(_NOTES, {"ids": ids}).all()
        defined = conn.execute(_SEVENTHS, {"ids": ids}).all()
        depth = {h.id: i for i, h in enumerate(holders)}
        # The nearest definition wins: a subcategory's own 7th characters override its
        # category's.
        nearest = min((depth[s.code_id] for s in defined), default=None)
        sevenths = [s for s in defined if depth[s.code_id] == nearest]
        choices = _seventh_choices(conn, row, chain, children,
                                   {s.char: s.label for s in sevenths})
        # The other code sets with this code (J1100: ICD-10-CM J11.00 and HCPCS J1100), named
        # whichever one was asked for, so the coder sees the code is not one thing.
        also_in = [s for s in (_systems_with(conn, key) if system else systems)
                   if s != sys_name]
    where = {h.id: _ref(h).code for h in holders}
    notes = sorted(notes, key=lambda n: (depth[n.code_id], _NOTE_ORDER.get(n.kind, 99), n.seq))
    valid, why = (False, reason) if reason else _validity(row, day, effect, children)
    return CodeDetail(
        code=_ref(row).code, system=row.system, title=row.title, level=row.level,
        billable=bool(row.billable), valid=valid, validity=why, date_of_service=day,
        release=release_label, parents=[_ref(c) for c in reversed(chain)],
        notes=[NoteLine(n.kind, n.text, where[n.code_id]) for n in notes],
        seventh_characters=[(s.char, s.label) for s in sevenths], seventh_choices=choices,
        children=children, short_title=row.short_title, added_on=row.added_on,
        also_in=also_in, caveat=effect.caveat or "",
        effective_on=row.effective_on, terminated_on=row.terminated_on)


def list_codes(engine: Engine, system: str, billable_only: bool = False,
               date_of_service: dt.date | None = None) -> list[str]:
    """Dotted codes of the release in effect, in book order; with billable_only, only those
    valid to bill on the date (per-code effective and termination dates applied)."""
    day = date_of_service or dt.date.today()
    with engine.connect() as conn:
        effect = in_effect(code_timeline(conn, system), day)
        if effect is None:
            raise NoRelease(f"no {SYSTEM_NAMES.get(system, system)} release is loaded")
        query = select(Code.code).where(Code.release_id == effect.release.id,
                                        Code.level.not_in(HEADING_LEVELS))
        query = query.order_by(Code.seq, Code.code)
        if billable_only:
            query = query.where(Code.billable.is_(True),
                                func.coalesce(Code.added_on, Code.effective_on).is_(None)
                                | (func.coalesce(Code.added_on, Code.effective_on) <= day),
                                (Code.terminated_on.is_(None)) | (Code.terminated_on >= day))
        return [dotted(c, system) for c in conn.execute(query).scalars()]


_TITLES = select(Code.code, Code.title).where(
    Code.release_id == bindparam("rid"), Code.code.in_(bindparam("codes", expanding=True)),
    Code.level.not_in(HEADING_LEVELS))


def code_titles(engine: Engine, codes: list[str], system: str,
                date_of_service: dt.date | None = None) -> dict[str, str]:
    """Each code's title (keys as given, dotted or not) in the release in effect on the date;
    codes that release lacks are left out. One query, where code_detail per code takes a
    handful: a fix chooser lists up to a hundred codes while the coder waits."""
    keys = {normalize(c): c for c in codes}
    with engine.connect() as conn:
        effect = in_effect(code_timeline(conn, system), date_of_service or dt.date.today())
        if effect is None or not keys:
            return {}
        rows = conn.execute(_TITLES, {"rid": effect.release.id, "codes": list(keys)})
        return {keys[code]: title for code, title in rows}
