"""Upgrading a database the previous release made (schema 7, revision
0007_encounter_client_key: before accounts and set-up versions), on SQLite and PostgreSQL.

The SQLite desk is tests/fixtures/previous-release-desk.sql, dumped from a database the
previous release's code made (tests/fixtures/make_previous_release_desk.py says how). On
PostgreSQL the previous release made its schema with the same revisions 0005-0007 this one
ships: the server is brought to 0007 with them and given the desk's rows, as that release's
`db copy` left a server; then this release opens it. Every row is kept, nothing doubled, and
the new parts start empty: no accounts (a single desk until the first admin), version 0 of
each part of the set-up."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import MetaData, create_engine, func, insert, select, text

from encoder_app.codebook import migrate
from encoder_app.codebook.db import engine_for
from encoder_app.codebook.schema_version import HEAD_REVISION, SCHEMA_VERSION
from encoder_app.encounters.store import audit_trail, list_encounters, load_encounter_record
from encoder_app.practice.fee_schedule import load_fee_schedule, save_fee_schedule
from encoder_app.practice.pick_lists import list_pick_lists
from encoder_app.practice.set_up_versions import FEE_SCHEDULE, current
from encoder_app.practice.setup import load_practice
from encoder_app.users.accounts import add_user, list_users, sign_in

DUMP = Path(__file__).resolve().parents[1] / "fixtures" / "previous-release-desk.sql"
PREVIOUS = "0007_encounter_client_key"
#: The desk's own work, in the order a copy must insert it (parents first).
WORK = ("encounters", "audit_log", "favorites", "practice", "practice_providers",
        "practice_payers", "fee_schedule", "pick_lists", "pick_list_sections",
        "pick_list_items")


def previous_desk(folder: Path) -> Path:
    path = folder / "previous-release.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(DUMP.read_text(encoding="utf-8"))
    return path


def counts(engine) -> dict[str, int]:
    tables = MetaData()
    tables.reflect(engine, only=WORK)
    with engine.connect() as conn:
        return {t: conn.execute(select(func.count()).select_from(tables.tables[t])).scalar()
                for t in WORK}


def previous_server(url: str, desk: Path) -> None:
    """The server as the previous release left it: revisions up to 0007, the desk's rows."""
    server = create_engine(url)
    source = create_engine(f"sqlite:///{desk}")
    try:
        with server.connect() as conn:
            config = migrate._config()
            config.attributes["connection"] = conn
            command.upgrade(config, PREVIOUS)
            conn.commit()
        tables = MetaData()
        tables.reflect(server, only=WORK)
        with source.connect() as read, server.begin() as write:
            for name in WORK:
                rows = [dict(r._mapping) for r in read.execute(text(f'SELECT * FROM "{name}"'))]
                for row in rows:  # SQLite keeps booleans as 0/1
                    for column in tables.tables[name].columns:
                        if column.type.python_type is bool and row.get(column.name) is not None:
                            row[column.name] = bool(row[column.name])
                if rows:
                    write.execute(insert(tables.tables[name]), rows)
            for name in WORK:  # ids were given: the sequences go on after them
                write.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                   f"(SELECT coalesce(max(id), 1) FROM \"{name}\"))"))
    finally:
        server.dispose()
        source.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def upgraded(request, tmp_path):
    desk = previous_desk(tmp_path)
    before = counts(create_engine(f"sqlite:///{desk}"))
    if request.param == "sqlite":
        url = f"sqlite:///{desk}"
    else:
        url = request.getfixturevalue("postgres_cluster").new_database()
        previous_server(url, desk)
    assert migrate.schema_status(create_engine(url)).current == PREVIOUS
    engine = engine_for(url)  # what this release does on opening it
    yield engine, before, desk
    engine.dispose()
    engine_for.cache_clear()


def test_the_previous_releases_database_is_upgraded_and_keeps_every_row(upgraded):
    engine, before, desk = upgraded
    status = migrate.schema_status(engine)
    assert (status.current, status.state) == (HEAD_REVISION, "current")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version FROM schema_info")).scalar() == SCHEMA_VERSION
    assert counts(engine) == before
    assert before["encounters"] == 3 and before["fee_schedule"] == 44
    if engine.dialect.name == "sqlite":  # a copy beside the file before the upgrade
        [backup] = desk.parent.glob("previous-release.sqlite3.before-*.bak")
        assert "from-0007_encounter_client_key" in backup.name
    listed = {s.label: s.id for s in list_encounters(engine)}
    assert set(listed) == {"Ruth Calloway", "Zoë Müller"}  # the deleted one stays hidden
    ruth = load_encounter_record(engine, listed["Ruth Calloway"])
    assert (ruth.version, ruth.updated_by, ruth.snapshot.diagnoses) == (2, "coder",
                                                                       ("E11.9", "I10"))
    assert [a.user for a in audit_trail(engine, ruth.id)][0] == "front desk"
    assert load_practice(engine).name and "Sample family practice" in list_pick_lists(engine)


def test_after_the_upgrade_it_is_a_single_desk_until_the_first_admin(upgraded):
    engine, _before, _desk = upgraded
    assert list_users(engine) == [] and current(engine, FEE_SCHEDULE).version == 0
    fees = load_fee_schedule(engine)
    assert save_fee_schedule(engine, fees, "coder", if_version=0) == 1  # no sign-in asked
    add_user(engine, "Ann", "admin", "ann-password")
    ann = sign_in(engine, "ann", "ann-password")
    assert save_fee_schedule(engine, fees, ann, if_version=1) == 2
