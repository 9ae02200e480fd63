"""`encoder-app db copy --to URL`: a desk's own work copied to a practice server.

What is copied: encounters (deleted ones too, so their trails stay readable) with their whole
audit trail, favorites, the practice set-up (providers, payers), the fee schedule, pick lists,
study sets, attempts and review cards, and the practice accounts with the practice's own
trail. Codebook releases are not: they are imported once
on the server, for every workstation.

It takes nothing away from the source (read only) and writes the server in one transaction
(all or nothing). It is idempotent: each row is matched on the server by what identifies it
to a coder, not by its id (ids differ between databases), and a row already there is left
alone, so running it again copies only what was added since. An encounter is matched by when
it was first saved (to the microsecond) and its patient name; a fee by code and modifier, a
pick list by name, a favorite by user and code. Where the server already holds a different
value (another fee for 99213, another practice set-up) the server's is kept and the report
says so. Counts are verified after the copy: every source row must have its match.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, Table, func, insert, select

from encoder_app.codebook.models import Base

T = Base.metadata.tables


@dataclass
class CopyReport:
    """Per kind of row: how many were copied now, how many were there already."""

    copied: dict[str, int] = field(default_factory=dict)
    already: dict[str, int] = field(default_factory=dict)
    kept_on_server: list[str] = field(default_factory=list)  # differences not overwritten
    verified: dict[str, tuple[int, int]] = field(default_factory=dict)  # kind: (found, of)

    def count(self, kind: str, copied: bool) -> None:
        book = self.copied if copied else self.already
        book[kind] = book.get(kind, 0) + 1

    @property
    def complete(self) -> bool:
        return all(found == of for found, of in self.verified.values())


def _rows(conn: Connection, table: Table, where=None) -> list[dict]:
    query = select(table).order_by(table.c.id)
    if where is not None:
        query = query.where(where)
    return [dict(r._mapping) for r in conn.execute(query)]


def _without_id(row: dict, **changes) -> dict:
    return {**{k: v for k, v in row.items() if k != "id"}, **changes}


def _keyed(rows: list[dict], key: Callable[[dict], tuple]) -> dict[tuple, dict]:
    return {key(r): r for r in rows}


# --- encounters and their audit trail --------------------------------------------------------

def _encounter_key(row: dict) -> tuple:
    return (row["created_at"], row["label"])


def _copy_encounters(source: Connection, target: Connection, report: CopyReport,
                     origin: str) -> None:
    encounters, audit = T["encounters"], T["audit_log"]
    there = _keyed(_rows(target, encounters), _encounter_key)
    for row in _rows(source, encounters):
        if _encounter_key(row) in there:
            report.count("encounters", False)
            continue
        new_id = target.execute(insert(encounters).values(**_without_id(row))
                                .returning(encounters.c.id)).scalar_one()
        trail = _rows(source, audit, audit.c.encounter_id == row["id"])
        entries = [_without_id(a, encounter_id=new_id) for a in trail]
        last = trail[-1] if trail else None
        entries.append({"encounter_id": new_id, "at": last["at"] if last else row["updated_at"],
                        "user": last["user"] if last else row["updated_by"],
                        "field": "copied_from", "before": None,
                        "after": f"{origin} encounter #{row['id']}",
                        "workstation": last.get("workstation") if last else None})
        target.execute(insert(audit), entries)
        report.count("encounters", True)
        report.copied["audit entries"] = report.copied.get("audit entries", 0) + len(trail)


# --- flat tables matched by a natural key ---------------------------------------------------

#: table: (the kind as the report names it, the natural key's columns, columns compared)
FLAT = {
    "favorites": ("favorites", ("user", "system", "code"), ()),
    "fee_schedule": ("fees", ("code", "modifier"), ("fee_cents",)),
    "study_sets": ("study sets", ("name",), ("document",)),
    "study_attempts": ("study attempts", ("user", "item", "answered_at"), ()),
    "study_cards": ("study review cards", ("user", "item"), ()),
    # An account by its name; the server's own account of that name (its role, its password)
    # is kept.
    "users": ("accounts", ("name_key",), ("role", "password_hash", "active")),
    "practice_audit_log": ("practice audit entries", ("at", "user", "subject"), ()),
}


def _copy_flat(source: Connection, target: Connection, report: CopyReport) -> None:
    for name, (kind, key_columns, compared) in FLAT.items():
        table = T[name]

        def key(row, cols=key_columns):
            return tuple(row[c] for c in cols)

        there = _keyed(_rows(target, table), key)
        new = []
        for row in _rows(source, table):
            found = there.get(key(row))
            if found is None:
                new.append(_without_id(row))
                report.count(kind, True)
                continue
            report.count(kind, False)
            if any(found[c] != row[c] for c in compared):
                report.kept_on_server.append(f"{kind} {' '.join(str(k) for k in key(row) if k)}"
                                             f": the server's is kept")
        if new:
            target.execute(insert(table), new)


# --- parents with children -------------------------------------------------------------------

def _copy_children(source: Connection, target: Connection, table: str, parent_column: str,
                   old_parent: int, new_parent: int,
                   then: Callable[[int, int], None] | None = None) -> None:
    child = T[table]
    for row in _rows(source, child, child.c[parent_column] == old_parent):
        new_id = target.execute(insert(child).values(**_without_id(row, **{
            parent_column: new_parent})).returning(child.c.id)).scalar_one()
        if then is not None:
            then(row["id"], new_id)


def _copy_practice(source: Connection, target: Connection, report: CopyReport) -> None:
    practice = T["practice"]
    mine = _rows(source, practice)
    if not mine:
        return
    theirs = _rows(target, practice)
    if theirs:
        report.count("practice set-up", False)
        fields = ("name", "address", "phone", "tax_id", "group_npi")
        if any(theirs[0][f] != mine[0][f] for f in fields):
            report.kept_on_server.append(f"practice set-up: the server's ({theirs[0]['name']}) "
                                         f"is kept, not the desk's ({mine[0]['name']})")
        return
    new_id = target.execute(insert(practice).values(**_without_id(mine[0]))
                            .returning(practice.c.id)).scalar_one()
    for table in ("practice_providers", "practice_payers"):
        _copy_children(source, target, table, "practice_id", mine[0]["id"], new_id)
    report.count("practice set-up", True)


def _copy_pick_lists(source: Connection, target: Connection, report: CopyReport) -> None:
    lists = T["pick_lists"]
    there = {r["name_key"] for r in _rows(target, lists)}
    for row in _rows(source, lists):
        if row["name_key"] in there:
            report.count("pick lists", False)
            continue
        new_id = target.execute(insert(lists).values(**_without_id(row))
                                .returning(lists.c.id)).scalar_one()
        _copy_children(source, target, "pick_list_sections", "pick_list_id", row["id"], new_id,
                       lambda old, new: _copy_children(source, target, "pick_list_items",
                                                       "section_id", old, new))
        report.count("pick lists", True)


# --- verifying -------------------------------------------------------------------------------

def _verify(source: Connection, target: Connection, report: CopyReport) -> None:
    checks = {"encounters": ("encounters", _encounter_key),
              "pick lists": ("pick_lists", lambda r: (r["name_key"],))}
    for name, (kind, key_columns, _compared) in FLAT.items():
        checks[kind] = (name, lambda r, cols=key_columns: tuple(r[c] for c in cols))
    for kind, (table, key) in checks.items():
        mine = [key(r) for r in _rows(source, T[table])]
        there = {key(r) for r in _rows(target, T[table])}
        report.verified[kind] = (sum(k in there for k in mine), len(mine))
    # Each encounter's trail whole: as many entries on the server (besides the copy's own),
    # counted with one grouped query per side, not one per encounter.
    audit = T["audit_log"]

    def trail_sizes(conn: Connection) -> dict[int, int]:
        return dict(conn.execute(select(audit.c.encounter_id, func.count())
                                 .where(audit.c.field != "copied_from")
                                 .group_by(audit.c.encounter_id)).all())

    on_server = {_encounter_key(r): r["id"] for r in _rows(target, T["encounters"])}
    mine_sizes, server_sizes = trail_sizes(source), trail_sizes(target)
    found = total = 0
    for row in _rows(source, T["encounters"]):
        mine = mine_sizes.get(row["id"], 0)
        total += mine
        target_id = on_server.get(_encounter_key(row))
        if target_id is not None:
            found += min(server_sizes.get(target_id, 0), mine)
    report.verified["audit entries"] = (found, total)


def copy_database(source: Engine, target: Engine, origin: str) -> CopyReport:
    """Copy a desk's work from ``source`` into ``target`` (a server), in one transaction on
    the target; ``origin`` names the desk in each copied encounter's trail."""
    report = CopyReport()
    with source.connect() as read, target.begin() as write:
        _copy_encounters(read, write, report, origin)
        _copy_flat(read, write, report)
        _copy_practice(read, write, report)
        _copy_pick_lists(read, write, report)
    with source.connect() as read, target.connect() as check:
        _verify(read, check, report)
    return report
