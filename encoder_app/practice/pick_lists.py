"""Pick lists: the practice's named check-off lists of codes, in ordered sections, as printed on
its superbill. Stored by name (names match whatever their case), and exchanged as JSON files.

The pick list file (``pick_list_to_json`` writes it, ``parse_pick_list`` reads it)::

    {"format": "encoder-app-pick-list/1",
     "name": "Family practice",
     "sections": [
       {"title": "Established patient",
        "items": [{"code": "99213", "label": "Office visit, est., low complexity",
                   "system": "CPT"},
                  {"code": "69210", "label": "Ear wax removal, both ears", "system": "CPT",
                   "modifier": "50"}]},
       {"title": "Common diagnoses",
        "items": [{"code": "E11.9", "label": "Type 2 diabetes", "system": "ICD-10-CM"}]}]}

``system`` is one of CPT, HCPCS, ICD-10-CM; ``modifier`` is optional (services only). A problem
is reported with the file and the field: ``$.sections[2].items[0].code``, which a user reads as
"section 3, line 1, code".

The shipped sample list answers to its own name and to "sample" without being saved; a saved
list of the same name comes first.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from encoder_app.codes import (
    CPT_SHAPE,
    HCPCS_SHAPE,
    ICD10CM,
    ICD10CM_SHAPE,
    MODIFIER_SHAPE,
    dotted,
    normalize,
)
from encoder_app.errors import EncoderError, LocatedError
from encoder_app.files import write_text_atomically
from encoder_app.practice.models import PickItemRecord, PickListRecord, PickSectionRecord
from encoder_app.practice.sample_file import SAMPLE_FILE, sample_document
from encoder_app.practice.set_up_versions import bump, current, pick_list_part
from encoder_app.practice.types import PickItem, PickList, PickSection
from encoder_app.users.acting import Who, require
from encoder_app.users.roles import CHANGE_PRACTICE
from encoder_app.users.trail import record_changes

FORMAT = "encoder-app-pick-list/1"
#: What else the shipped sample list answers to.
SAMPLE_ALIAS = "sample"
NAME_LENGTH = 100  # PickListRecord.name's width
LABEL_LENGTH = 100  # a check-off line holds a short label
#: Each system's code shape, as stored (no dot, upper case).
SHAPES = {"CPT": CPT_SHAPE, "HCPCS": HCPCS_SHAPE, "ICD-10-CM": ICD10CM_SHAPE}
_SYSTEM_KEYS = {"cpt": "CPT", "hcpcs": "HCPCS", "hcpcslevelii": "HCPCS",
                "icd10cm": "ICD-10-CM", "icd10": "ICD-10-CM"}
_A_CODE = {"CPT": "a CPT code", "HCPCS": "an HCPCS code", "ICD-10-CM": "an ICD-10-CM code"}


class PickListError(EncoderError):
    """A pick list cannot be saved, renamed or found."""


class UnknownPickList(PickListError):
    """No pick list has this name; the message lists those there are."""

    def __init__(self, name: str, available: list[str], problem: str | None = None):
        self.name, self.available = name, available
        names = ", ".join(available) if available else "none"
        super().__init__(f"{problem or f'no pick list is named {name!r}'}; "
                         f"pick lists: {names}")


class PickListFormatError(PickListError, LocatedError):
    """A field of a pick list (file) is missing or malformed; names the source and the field,
    kept as its JSON path (``path``) and read as the pick list dialog says it (``place``:
    "section 3, line 1, code")."""

    FIELD_WORDS = {"pick_list": "pick list"}
    ENTRY_WORDS = {"sections": "section", "items": "line"}

    def __init__(self, source: str, path: str, problem: str):
        LocatedError.__init__(self, source, path, problem)

    @property
    def path(self) -> str:
        """The JSON path ($.sections[2].items[0].code): the dialog moves the cursor there."""
        return self.location or "$"


def name_key(name: str) -> str:
    """How names are matched: case ignored, spaces single."""
    return " ".join((name or "").split()).casefold()


# --- JSON ---------------------------------------------------------------------------------

def pick_list_to_json(pick_list: PickList) -> dict:
    """The pick list as the decoded JSON of a pick list file."""
    def item(i: PickItem) -> dict:
        out = {"code": i.code, "label": i.label, "system": i.system}
        if i.modifier:
            out["modifier"] = i.modifier
        return out

    return {"format": FORMAT, "name": pick_list.name,
            "sections": [{"title": s.title, "items": [item(i) for i in s.items]}
                         for s in pick_list.sections]}


class _Reader:
    def __init__(self, source: str):
        self.source = source

    def fail(self, path: str, problem: str):
        raise PickListFormatError(self.source, path, problem)

    def obj(self, value: Any, path: str) -> dict:
        if not isinstance(value, dict):
            self.fail(path, f"must be an object, not {_kind(value)}")
        return value

    def items(self, value: Any, path: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(path, f"must be a list, not {_kind(value)}")
        return value

    def text(self, value: Any, path: str, limit: int | None = None) -> str:
        """Required text, spaces tidied."""
        if value is None or (isinstance(value, str) and not value.strip()):
            self.fail(path, "is required")
        if not isinstance(value, str):
            self.fail(path, f"must be text, not {_kind(value)}")
        text = " ".join(value.split())
        if limit and len(text) > limit:
            self.fail(path, f"is {len(text)} characters; at most {limit} fit")
        return text


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false",
            type(None): "null"}.get(type(value), "a number")


def _item(r: _Reader, data: Any, at: str) -> PickItem:
    data = r.obj(data, at)
    raw_system = data.get("system")
    system = _SYSTEM_KEYS.get(re.sub(r"[^a-z0-9]", "", str(raw_system or "").lower()))
    if system is None:
        r.fail(f"{at}.system", "is required: CPT, HCPCS or ICD-10-CM" if raw_system is None
               else f"{raw_system!r} is not CPT, HCPCS or ICD-10-CM")
    raw_code = data.get("code")
    if isinstance(raw_code, int) and not isinstance(raw_code, bool):
        raw_code = str(raw_code)  # 99213 typed as a number
    code = normalize(r.text(raw_code, f"{at}.code"))
    if not SHAPES[system].fullmatch(code):
        r.fail(f"{at}.code", f"{raw_code!r} is not {_A_CODE[system]}")
    modifier = data.get("modifier") or ""
    if modifier:
        modifier = r.text(modifier, f"{at}.modifier").upper()
        if system == "ICD-10-CM":
            r.fail(f"{at}.modifier", "a diagnosis takes no modifier")
        if not MODIFIER_SHAPE.fullmatch(modifier):
            r.fail(f"{at}.modifier", f"{modifier!r} is not a modifier (two letters or digits)")
    label = r.text(data.get("label"), f"{at}.label", LABEL_LENGTH)
    shown = dotted(code, ICD10CM) if system == "ICD-10-CM" else code
    return PickItem(shown, label, system, modifier)


def parse_pick_list(data: Any, source: str = "pick list", at: str = "$") -> PickList:
    """A PickList from decoded JSON (``at`` is where it sits in a larger document); codes come
    back dotted for diagnoses, upper case for services. Raises PickListFormatError."""
    r = _Reader(source)
    root = r.obj(data, at)
    found = root.get("format")
    if found != FORMAT:
        r.fail(f"{at}.format", f"is required: {FORMAT!r}" if found is None else
               f"{found!r} is not a pick list format this encoder-app reads ({FORMAT!r})")
    name = r.text(root.get("name"), f"{at}.name", NAME_LENGTH)
    sections = []
    for i, section in enumerate(r.items(root.get("sections"), f"{at}.sections")):
        where = f"{at}.sections[{i}]"
        section = r.obj(section, where)
        title = r.text(section.get("title"), f"{where}.title", NAME_LENGTH)
        items = r.items(section.get("items"), f"{where}.items")
        sections.append(PickSection(title, tuple(_item(r, item, f"{where}.items[{j}]")
                                                 for j, item in enumerate(items))))
    return PickList(name, tuple(sections))


def checked_pick_list(pick_list: PickList) -> PickList:
    """The pick list as stored; PickListFormatError names the bad field by its JSON path."""
    return parse_pick_list(pick_list_to_json(pick_list), f"pick list {pick_list.name!r}")


def load_pick_list_file(path: Path | str) -> PickList:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise PickListFormatError(path.name, "$", "no such file") from None
    except UnicodeDecodeError:
        raise PickListFormatError(path.name, "$", "is not a UTF-8 text file") from None
    except json.JSONDecodeError as exc:
        raise PickListFormatError(path.name, f"line {exc.lineno}, column {exc.colno}",
                                  f"is not valid JSON ({exc.msg})") from None
    return parse_pick_list(data, path.name)


def export_pick_list(pick_list: PickList, path: Path | str) -> Path:
    """Write the pick list file; a crash mid-write leaves any previous file whole."""
    text = json.dumps(pick_list_to_json(pick_list), ensure_ascii=False, indent=2) + "\n"
    return write_text_atomically(path, text)


def sample_pick_list() -> PickList:
    """The shipped sample list ("Sample family practice"), not saved anywhere by this call."""
    return parse_pick_list(sample_document()["pick_list"], SAMPLE_FILE, "$.pick_list")


# --- the database -------------------------------------------------------------------------

def _saved_names(session: Session) -> list[str]:
    names = session.scalars(select(PickListRecord.name)).all()
    return sorted(names, key=name_key)


def list_pick_lists(engine: Engine) -> list[str]:
    """The saved lists by name, then the shipped sample unless a saved list has its name."""
    with Session(engine) as session:
        names = _saved_names(session)
    sample = sample_pick_list().name
    if name_key(sample) not in {name_key(n) for n in names}:
        names.append(sample)
    return names


def _is_sample(name: str) -> bool:
    return name_key(name) in (SAMPLE_ALIAS, name_key(sample_pick_list().name))


def _record(session: Session, name: str) -> PickListRecord | None:
    return session.scalars(select(PickListRecord)
                           .where(PickListRecord.name_key == name_key(name))).first()


def _read(session: Session, record: PickListRecord) -> PickList:
    sections = session.scalars(select(PickSectionRecord)
                               .where(PickSectionRecord.pick_list_id == record.id)
                               .order_by(PickSectionRecord.seq)).all()
    items = session.scalars(select(PickItemRecord)
                            .where(PickItemRecord.section_id.in_([s.id for s in sections]))
                            .order_by(PickItemRecord.section_id, PickItemRecord.seq)).all()
    by_section: dict[int, list[PickItem]] = {s.id: [] for s in sections}
    for i in items:
        code = dotted(i.code, ICD10CM) if i.system == "ICD-10-CM" else i.code
        by_section[i.section_id].append(PickItem(code, i.label, i.system, i.modifier))
    return PickList(record.name, tuple(PickSection(s.title, tuple(by_section[s.id]))
                                       for s in sections))


def get_pick_list(engine: Engine, name: str) -> PickList:
    """The saved list of this name, else the shipped sample when the name is its own or
    "sample"; UnknownPickList lists the names there are."""
    with Session(engine) as session:
        record = _record(session, name)
        if record is not None:
            return _read(session, record)
    if _is_sample(name):
        return sample_pick_list()
    raise UnknownPickList(name, list_pick_lists(engine))


def _delete_contents(session: Session, record_id: int) -> None:
    # Explicit rather than ON DELETE CASCADE: a connection without foreign keys on (a plain
    # sqlite3 shell, another tool) would otherwise leave orphan items behind.
    sections = select(PickSectionRecord.id).where(PickSectionRecord.pick_list_id == record_id)
    session.execute(delete(PickItemRecord).where(PickItemRecord.section_id.in_(sections)))
    session.execute(delete(PickSectionRecord).where(PickSectionRecord.pick_list_id == record_id))


def _contents(pick_list: PickList | None) -> str | None:
    """A pick list as its trail entry reads: its size and its codes, in order."""
    if pick_list is None:
        return None
    codes = [f"{i.code}-{i.modifier}" if i.modifier else i.code
             for section in pick_list.sections for i in section.items]
    return (f"{len(pick_list.sections)} sections, {len(codes)} items: "
            + (", ".join(codes) if codes else "none"))


def _audit(session: Session, user: str | None, name: str, before: PickList | None,
           after: PickList | None) -> None:
    if user is not None:
        record_changes(session, user, [(f"pick list {name!r}", _contents(before),
                                        _contents(after))])


def write_pick_list(session: Session, pick_list: PickList, user: str | None = None) -> PickList:
    """Save inside the caller's transaction, replacing the list of the same name; the list as
    stored."""
    pick_list = checked_pick_list(pick_list)
    record = _record(session, pick_list.name)
    if user is not None:
        _audit(session, user, pick_list.name, _read(session, record) if record else None,
               pick_list)
    if record is None:
        record = PickListRecord(name=pick_list.name, name_key=name_key(pick_list.name),
                                updated_at=dt.datetime.now())
        session.add(record)
        session.flush()
    else:
        _delete_contents(session, record.id)
        record.name, record.updated_at = pick_list.name, dt.datetime.now()
    for i, section in enumerate(pick_list.sections):
        row = PickSectionRecord(pick_list_id=record.id, seq=i, title=section.title)
        session.add(row)
        session.flush()
        session.add_all(PickItemRecord(section_id=row.id, seq=j, system=item.system,
                                       code=normalize(item.code), modifier=item.modifier,
                                       label=item.label)
                        for j, item in enumerate(section.items))
    return pick_list


def save_pick_list(engine: Engine, pick_list: PickList, who: Who = None) -> PickList:
    """Check and save the list, replacing the saved list of the same name; one transaction."""
    return save_pick_list_version(engine, pick_list, who)[0]


def save_pick_list_version(engine: Engine, pick_list: PickList, who: Who = None,
                           if_version: int | None = None) -> tuple[PickList, int]:
    """save_pick_list, and the list's new version. With ``if_version`` (the version the
    editor opened; 0 for a list not saved yet), a newer save of the same name by someone else
    is refused (SetUpConflict) and nothing is written."""
    pick_list = checked_pick_list(pick_list)  # a bad item is named before any conflict
    with Session(engine) as session, session.begin():
        user = require(session, who, CHANGE_PRACTICE)
        version = bump(session, pick_list_part(name_key(pick_list.name)),
                       f"pick list {pick_list.name!r}", user, if_version)
        return write_pick_list(session, pick_list, user), version


def pick_list_version(engine: Engine, name: str) -> int:
    """The saved list's version (0: not saved yet), for an editor to save with."""
    return current(engine, pick_list_part(name_key(name))).version


def delete_pick_list(engine: Engine, name: str, who: Who = None) -> None:
    """Delete a saved list. The shipped sample is not saved and cannot be deleted."""
    with Session(engine) as session, session.begin():
        record = _record(session, name)
        if record is not None:
            user = require(session, who, CHANGE_PRACTICE)
            bump(session, pick_list_part(record.name_key), f"pick list {record.name!r}", user,
                 None)
            _audit(session, user, record.name, _read(session, record), None)
            _delete_contents(session, record.id)
            session.delete(record)
            return
        saved = _saved_names(session)
    problem = (f"{name!r} is the shipped sample, which is not saved and cannot be deleted"
               if _is_sample(name) else None)
    raise UnknownPickList(name, saved, problem)


def rename_pick_list(engine: Engine, old: str, new: str, who: Who = None) -> PickList:
    """Rename a saved list (a change of case only is a rename too). Renaming the shipped sample
    saves a copy under the new name, for the practice to make its own."""
    new_name = " ".join((new or "").split())
    if not new_name:
        raise PickListError("a pick list needs a name")
    with Session(engine) as session, session.begin():
        user = require(session, who, CHANGE_PRACTICE)
        record = _record(session, old)
        other = _record(session, new_name)
        if other is not None and (record is None or other.id != record.id):
            raise PickListError(f"a pick list named {other.name!r} already exists; "
                                f"delete or rename it first")
        if record is not None:
            renamed = checked_pick_list(PickList(new_name, _read(session, record).sections))
            for key in {record.name_key, name_key(renamed.name)}:
                bump(session, pick_list_part(key), f"pick list {renamed.name!r}", user, None)
            if renamed.name != record.name:
                record_changes(session, user, [(f"pick list {record.name!r}", record.name,
                                                f"renamed {renamed.name!r}")])
            record.name, record.name_key = renamed.name, name_key(renamed.name)
            record.updated_at = dt.datetime.now()
            return renamed
        if _is_sample(old):
            return write_pick_list(session, PickList(new_name, sample_pick_list().sections),
                                   user)
        saved = _saved_names(session)
    raise UnknownPickList(old, saved)


def import_pick_list(engine: Engine, path: Path | str, who: Who = None) -> PickList:
    """Read a pick list file and save it, replacing a saved list of the same name."""
    return save_pick_list(engine, load_pick_list_file(path), who)
