"""Saving encounters in the database, listing them to reopen, and their audit trail.

Every function opens its own short session and returns plain frozen dataclasses, so a window
can keep what it got without holding a session. A save is one transaction: the encounter's row
and the audit entries for every code, modifier, units, pointer or charge that changed are
written together or not at all.

The patient's name, sex, birth date and member id and the date of service are audited too
(``patient.name``, ``date_of_service``...): a trail that shows codes changing under another
patient's name must show the name changing as well. Audit fields name places 1-based, as a
coder reads them: ``diagnoses[2]`` is the second
diagnosis, ``procedures[1].code`` / ``.modifiers`` / ``.units`` / ``.diagnosis_pointers`` /
``.charge`` belong to claim line 1. Values are text: modifiers as ``"25, 59"``, pointers as
``"1,2"``, charges as ``"120.00"``; ``None`` means there was nothing (before) or it was removed
(after). Diagnoses and lines are compared by position, so moving a diagnosis up records each
position whose code changed: sequencing is part of what was coded.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from encoder_app.codes import normalize
from encoder_app.data_lock import busy_as_error
from encoder_app.encounters.models import AuditEntry, EncounterRecord
from encoder_app.encounters.serialize import encounter_to_json
from encoder_app.encounters.snapshot import EncounterSnapshot, ProcedureLine, parse_encounter
from encoder_app.errors import EncoderError
from encoder_app.users import roles
from encoder_app.users.acting import Who, require
from encoder_app.users.trail import workstation_name

_LABEL_LENGTH = 200  # EncounterRecord.label's column width


class EncounterNotFound(EncoderError):
    """No saved encounter has this id (or it was deleted)."""

    def __init__(self, encounter_id: int, deleted: bool = False):
        self.encounter_id = encounter_id
        self.deleted = deleted
        super().__init__(f"encounter #{encounter_id} "
                         + ("was deleted" if deleted else "does not exist"))


@dataclass(frozen=True)
class StoredEncounter:
    """A saved encounter as read back: its id, its snapshot, when and by whom it was saved,
    and its version (each save of a change adds one)."""

    id: int
    snapshot: EncounterSnapshot
    label: str
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int = 1
    updated_by: str = ""


@dataclass(frozen=True)
class SavedVersion:
    """What a save left: the encounter's id and version, and whether anything was written."""

    id: int
    version: int
    written: bool


class EncounterConflict(EncoderError):
    """A save that started from an older version than the one saved: someone else saved the
    encounter in between. Nothing was written; ``theirs`` is what they saved."""

    mine = None  # the refused version's snapshot, when the caller attaches it (the window)

    def __init__(self, encounter_id: int, yours: int, theirs: StoredEncounter):
        self.encounter_id, self.yours, self.theirs = encounter_id, yours, theirs
        who = theirs.updated_by or "another user"
        super().__init__(
            f"encounter #{encounter_id} was changed by {who} at "
            f"{theirs.updated_at:%Y-%m-%d %H:%M:%S} (now version {theirs.version}) after you "
            f"opened version {yours}: your save was not written, so nothing of theirs was "
            f"overwritten")


@dataclass(frozen=True)
class EncounterSummary:
    """One row of the list of encounters to reopen."""

    id: int
    label: str
    date_of_service: dt.date | None
    diagnosis_count: int
    procedure_count: int
    updated_at: dt.datetime
    setting: str = "practitioner"


@dataclass(frozen=True)
class AuditLine:
    """One audited change: who changed which code when, and from what to what."""

    at: dt.datetime
    user: str
    field: str
    before: str | None
    after: str | None


def _now() -> dt.datetime:
    return dt.datetime.now()


def search_key(text: str) -> str:
    """Text as names are matched: case and accents ignored ('Zoë MÜLLER' -> 'zoe muller')."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(plain.split())


def _document(snapshot: EncounterSnapshot) -> str:
    return json.dumps(encounter_to_json(snapshot), ensure_ascii=False)


def _snapshot(record_id: int, document: str) -> EncounterSnapshot:
    return parse_encounter(json.loads(document), f"encounter #{record_id}")


# --- the audit diff -----------------------------------------------------------------------

def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _line_values(line: ProcedureLine | None) -> dict[str, tuple[object, str | None]]:
    """Per audited attribute: the value compared and the text written to the log."""
    if line is None:  # no line: nothing to log, and no modifiers or pointers to compare
        return {"code": (None, None), "modifiers": ((), None), "units": (None, None),
                "diagnosis_pointers": ((), None), "charge": (None, None), "date": (None, None)}
    charge = None if line.charge is None else f"{line.charge:.2f}"
    return {
        "code": (normalize(line.code), _text(line.code)),
        "modifiers": (tuple(m.upper() for m in line.modifiers),
                      ", ".join(line.modifiers) or None),
        "units": (line.units, str(line.units)),
        "diagnosis_pointers": (tuple(line.diagnosis_pointers),
                               ",".join(str(p) for p in line.diagnosis_pointers) or None),
        "charge": (line.charge, charge),
        "date": (line.date, line.date.isoformat() if line.date else None),  # inpatient
    }


#: Header fields the trail records, with how each is read from a snapshot.
_AUDITED_HEADER = {
    "date_of_service": lambda s: s.date_of_service,
    "patient.name": lambda s: s.patient.name,
    "patient.sex": lambda s: s.patient.sex,
    "patient.birth_date": lambda s: s.patient.birth_date,
    "patient.member_id": lambda s: s.patient.member_id,
    # An inpatient stay's dates and discharge status decide its grouper version, the age and
    # the DRG: a change to them is a change to the claim.
    "admission_date": lambda s: s.admission_date,
    "discharge_date": lambda s: s.discharge_date,
    "discharge_status": lambda s: s.discharge_status,
}


def header_changes(old: EncounterSnapshot | None,
                   new: EncounterSnapshot) -> Iterator[tuple[str, str | None, str | None]]:
    """(field, before, after) for each audited patient or date field that differs; with no
    old version, every one that is filled in."""
    for name, read in _AUDITED_HEADER.items():
        before = _text(str(read(old))) if old and read(old) is not None else None
        after = _text(str(read(new))) if read(new) is not None else None
        if before != after:
            yield name, before, after


def audited_changes(old: EncounterSnapshot | None,
                    new: EncounterSnapshot) -> Iterator[tuple[str, str | None, str | None]]:
    """Everything a save writes to the trail: header fields first, then codes."""
    yield from header_changes(old, new)
    yield from code_changes(old, new)


def code_changes(old: EncounterSnapshot | None,
                 new: EncounterSnapshot) -> Iterator[tuple[str, str | None, str | None]]:
    """(field, before, after) for every assigned code, modifier, units, pointer or charge that
    differs between two versions of an encounter; with no old version, everything assigned."""
    old_dx = old.diagnoses if old else ()
    for i in range(max(len(old_dx), len(new.diagnoses))):
        before = old_dx[i] if i < len(old_dx) else None
        after = new.diagnoses[i] if i < len(new.diagnoses) else None
        if normalize(before or "") != normalize(after or ""):
            yield f"diagnoses[{i + 1}]", _text(before), _text(after)
        # Present on admission decides whether a CC/MCC counts (hospital-acquired conditions).
        poa_before = old.poa(i) if old and before is not None else None
        poa_after = new.poa(i) if after is not None else None
        if poa_before != poa_after and (poa_before or poa_after):
            yield f"diagnoses[{i + 1}].poa", poa_before, poa_after
    old_px = old.procedures if old else ()
    for i in range(max(len(old_px), len(new.procedures))):
        before_line = _line_values(old_px[i] if i < len(old_px) else None)
        after_line = _line_values(new.procedures[i] if i < len(new.procedures) else None)
        for name, (before_value, before_text) in before_line.items():
            after_value, after_text = after_line[name]
            if before_value != after_value:
                yield f"procedures[{i + 1}].{name}", before_text, after_text


# --- saving -------------------------------------------------------------------------------

def _copy_into(record: EncounterRecord, snapshot: EncounterSnapshot, document: str,
               now: dt.datetime, user: str) -> None:
    label = snapshot.patient.name.strip()[:_LABEL_LENGTH]
    record.label = label
    record.label_key = search_key(label)[:_LABEL_LENGTH]
    record.date_of_service = snapshot.date_of_service
    record.setting = snapshot.setting
    record.diagnosis_count = len(snapshot.diagnoses)
    record.procedure_count = len(snapshot.procedures)
    record.document = document
    record.updated_at = now
    record.updated_by = user


def _write_audit(session: Session, encounter_id: int, at: dt.datetime, user: str,
                 changes) -> None:
    where = workstation_name()
    session.add_all(AuditEntry(encounter_id=encounter_id, at=at, user=user, field=field,
                               before=before, after=after, workstation=where)
                    for field, before, after in changes)


def save_encounter(engine: Engine, snapshot: EncounterSnapshot, encounter_id: int | None = None,
                   user: Who = "coder", if_version: int | None = None) -> int:
    """Save a new encounter (no id) or a new version of a saved one; returns its id
    (save_encounter_version says more)."""
    return save_encounter_version(engine, snapshot, encounter_id, user, if_version).id


def save_encounter_version(engine: Engine, snapshot: EncounterSnapshot,
                           encounter_id: int | None = None, user: Who = "coder",
                           if_version: int | None = None,
                           client_key: str | None = None) -> SavedVersion:
    """Save a new encounter (no id) or a new version of a saved one.

    ``if_version`` is the version the change was made on: when the saved one is newer (another
    workstation saved in between), EncounterConflict says who and when and nothing is written.
    The check is also the UPDATE's own condition (version_id_col), so two saves racing from the
    same version cannot both be written, on SQLite or on a server.

    ``client_key`` (a new encounter's, made by its workstation) makes the first save safe to
    retry: when the server went away mid-save (ServerUnavailable), the row may already be
    written, and the retry saves over that row instead of writing the encounter twice.

    One transaction: on any failure the previously saved version and its trail stay as they
    were. Saving an unchanged encounter writes nothing (autosave may call this freely). While
    another encoder-app holds the database longer than the busy timeout (an import), raises
    DatabaseBusy saying so; nothing was saved and the same save may simply be tried again.

    ``user`` is who saves (users.acting.Who). On a database with accounts it must be signed
    in, and the role must allow what the save does: create an encounter, change its patient
    and visit, change its codes (PermissionDenied otherwise, nothing written).
    """
    document = _document(snapshot)
    for _attempt in range(3):
        try:
            return _save_once(engine, snapshot, document, encounter_id, user, if_version,
                              client_key)
        except StaleDataError:
            # Saved by someone else between this save's read and its write. Asked to save
            # over a known version: that is a conflict. Asked to save regardless (no
            # if_version): read the newer one and write over it, audited against it.
            theirs = load_encounter_record(engine, encounter_id, include_deleted=True)
            if if_version is not None:
                raise EncounterConflict(encounter_id, if_version, theirs) from None
    raise EncounterConflict(encounter_id, theirs.version, theirs)


#: The trail's fields that are codes (diagnoses[2], procedures[1].units...): changing one
#: takes the right to change codes.
_CODE_FIELDS = ("diagnoses[", "procedures[")


def _may_save(session: Session, who: Who, new_encounter: bool,
              changes: list[tuple[str, str | None, str | None]]) -> str:
    """The name the trail records, once who saves is allowed to make these changes (the
    trail's own list: worked out once per save, for the check and the trail alike)."""
    rights = [roles.CREATE_ENCOUNTERS if new_encounter else roles.EDIT_VISIT]
    if any(field.startswith(_CODE_FIELDS) for field, _before, _after in changes):
        rights.append(roles.CHANGE_CODES)
    return require(session, who, *rights)


def _save_once(engine: Engine, snapshot: EncounterSnapshot, document: str,
               encounter_id: int | None, who: Who, if_version: int | None,
               client_key: str | None = None) -> SavedVersion:
    now = _now()
    with busy_as_error(engine, "the encounter was not saved"), \
            Session(engine, expire_on_commit=False) as session, session.begin():
        if encounter_id is None and client_key is not None:
            # A retried first save: the row it wrote before the server went away, if any.
            encounter_id = session.scalar(select(EncounterRecord.id).where(
                EncounterRecord.client_key == client_key))
        if encounter_id is None:
            changes = list(audited_changes(None, snapshot))
            user = _may_save(session, who, True, changes)
            record = EncounterRecord(created_at=now, deleted=False, client_key=client_key)
            _copy_into(record, snapshot, document, now, user)
            session.add(record)
            session.flush()
        else:
            record = session.get(EncounterRecord, encounter_id, with_for_update=True)
            if record is None or record.deleted:
                raise EncounterNotFound(encounter_id, deleted=record is not None)
            if record.document == document:
                return SavedVersion(record.id, record.version, False)
            if if_version is not None and record.version != if_version:
                raise EncounterConflict(encounter_id, if_version, _stored(record))
            changes = list(audited_changes(_snapshot(record.id, record.document), snapshot))
            user = _may_save(session, who, False, changes)
            _copy_into(record, snapshot, document, now, user)
            session.flush()
        _write_audit(session, record.id, now, user, changes)
        return SavedVersion(record.id, record.version, True)


def delete_encounter(engine: Engine, encounter_id: int, user: Who = "coder") -> None:
    """Hide an encounter from the list (soft delete); its row and audit trail are kept, and
    the deletion itself is audited. Deleting a deleted encounter does nothing."""
    now = _now()
    with busy_as_error(engine, "the encounter was not deleted"), Session(engine) as session, \
            session.begin():
        record = session.get(EncounterRecord, encounter_id, with_for_update=True)
        if record is None:
            raise EncounterNotFound(encounter_id)
        if record.deleted:
            return
        user = require(session, user, roles.DELETE_ENCOUNTERS)
        record.deleted = True
        _write_audit(session, encounter_id, now, user, [("deleted", "no", "yes")])


# --- reading ------------------------------------------------------------------------------

_STORED = (EncounterRecord.id, EncounterRecord.document, EncounterRecord.label,
           EncounterRecord.created_at, EncounterRecord.updated_at, EncounterRecord.version,
           EncounterRecord.updated_by)


def _stored(row) -> StoredEncounter:
    return StoredEncounter(row.id, _snapshot(row.id, row.document), row.label, row.created_at,
                           row.updated_at, row.version, row.updated_by)


def load_encounter_record(engine: Engine, encounter_id: int,
                          include_deleted: bool = False) -> StoredEncounter:
    """A saved encounter by id; a deleted one only with include_deleted."""
    with engine.connect() as conn:
        row = conn.execute(select(*_STORED, EncounterRecord.deleted)
                           .where(EncounterRecord.id == encounter_id)).first()
    if row is None or (row.deleted and not include_deleted):
        raise EncounterNotFound(encounter_id, deleted=row is not None)
    return _stored(row)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_encounters(engine: Engine, search: str | None = None,
                    limit: int = 200) -> list[EncounterSummary]:
    """Saved encounters, most recently saved first; `search` keeps those whose patient name
    holds every word typed, ignoring case and accents ("muller zoe" finds "Zoë Müller")."""
    query = (select(EncounterRecord.id, EncounterRecord.label, EncounterRecord.date_of_service,
                    EncounterRecord.diagnosis_count, EncounterRecord.procedure_count,
                    EncounterRecord.updated_at, EncounterRecord.setting)
             .where(EncounterRecord.deleted.is_(False))
             .order_by(EncounterRecord.updated_at.desc(), EncounterRecord.id.desc())
             .limit(limit))
    for word in search_key(search or "").split():
        query = query.where(EncounterRecord.label_key.like(f"%{_escape_like(word)}%",
                                                           escape="\\"))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [EncounterSummary(r.id, r.label, r.date_of_service, r.diagnosis_count,
                             r.procedure_count, r.updated_at, r.setting) for r in rows]


def encounters_between(engine: Engine, start: dt.date, end: dt.date) -> list[StoredEncounter]:
    """Saved encounters whose date of service falls from start to end inclusive (a day sheet),
    by date of service then in the order they were first saved."""
    query = (select(*_STORED)
             .where(EncounterRecord.deleted.is_(False),
                    EncounterRecord.date_of_service >= start,
                    EncounterRecord.date_of_service <= end)
             .order_by(EncounterRecord.date_of_service, EncounterRecord.id))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [_stored(r) for r in rows]


def audit_trail(engine: Engine, encounter_id: int) -> list[AuditLine]:
    """Every audited change of an encounter, oldest first (deleted encounters included)."""
    with engine.connect() as conn:
        if conn.execute(select(EncounterRecord.id)
                        .where(EncounterRecord.id == encounter_id)).first() is None:
            raise EncounterNotFound(encounter_id)
        rows = conn.execute(select(AuditEntry.at, AuditEntry.user, AuditEntry.field,
                                   AuditEntry.before, AuditEntry.after)
                            .where(AuditEntry.encounter_id == encounter_id)
                            .order_by(AuditEntry.id)).all()
    return [AuditLine(r.at, r.user, r.field, r.before, r.after) for r in rows]
