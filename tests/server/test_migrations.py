"""The schema is Alembic's on both backends: from empty, from a database made before
migrations (schema 3 and 5, rows kept, a backup first on SQLite), and a database made by a
newer encoder-app refused, never written."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from encoder_app.codebook import migrate
from encoder_app.codebook.db import engine_for
from encoder_app.codebook.models import Base
from encoder_app.codebook.schema_version import HEAD_REVISION, SCHEMA_VERSION
from encoder_app.errors import SchemaMismatch

BASELINE = importlib.import_module("encoder_app.migrations.versions.0005_baseline")


def test_from_empty_the_migrations_make_exactly_the_models_schema(backend):
    with backend.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        assert conn.execute(text("SELECT version FROM schema_info")).scalar() == SCHEMA_VERSION
    status = migrate.schema_status(backend)
    assert (status.state, status.current, status.pending) == ("current", HEAD_REVISION, [])


def _pre_alembic_database(url: str, schema: int, without: tuple[str, ...] = ()) -> None:
    """A desk database as schema `schema` left it: the baseline's tables (minus `without`),
    a schema_info stamp, no alembic_version, one encounter and one favorite."""
    raw = create_engine(url)
    BASELINE.META.create_all(raw, tables=[t for t in BASELINE.META.sorted_tables
                                          if t.name not in without])
    now = dt.datetime(2026, 3, 2, 9, 30)
    with raw.begin() as conn:
        conn.execute(text("INSERT INTO schema_info (version) VALUES (:v)"), {"v": schema})
        conn.execute(text(
            "INSERT INTO encounters (label, label_key, setting, diagnosis_count, "
            "procedure_count, document, created_at, updated_at, deleted) VALUES ('Ana Ruiz', "
            "'ana ruiz', 'practitioner', 1, 0, :doc, :now, :now, false)"),
            {"doc": '{"date_of_service": "2026-03-02", "patient": {"name": "Ana Ruiz"}, '
                    '"diagnoses": ["E11.9"]}', "now": now})
        conn.execute(text('INSERT INTO favorites ("user", system, code, added_at) '
                          "VALUES ('ana', 'icd10cm', 'E119', :now)"), {"now": now})
    raw.dispose()


@pytest.mark.parametrize("schema,missing", [(5, ()), (3, ("study_sets", "study_attempts",
                                                          "study_cards", "poa_exempt_codes"))])
def test_a_database_made_before_migrations_is_brought_up_and_keeps_its_rows(
        backend_url, schema, missing):
    from encoder_app.encounters.store import load_encounter_record

    _pre_alembic_database(backend_url, schema, missing)
    before = migrate.schema_status(create_engine(backend_url))
    assert (before.state, before.legacy_version) == ("legacy", schema)
    engine = engine_for(backend_url)
    try:
        assert migrate.schema_status(engine).state == "current"
        assert set(missing) <= set(inspect(engine).get_table_names())
        stored = load_encounter_record(engine, 1)
        assert (stored.label, stored.version, stored.snapshot.diagnoses) == (
            "Ana Ruiz", 1, ("E11.9",))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT code FROM favorites")).scalar() == "E119"
        if engine.dialect.name == "sqlite":
            folder = engine.url.database.rsplit("/", 1)[0]
            from pathlib import Path

            backups = list(Path(folder).glob("desk.sqlite3.before-*.bak"))
            assert len(backups) == 1 and f"from-schema{schema}" in backups[0].name
    finally:
        engine.dispose()
        engine_for.cache_clear()


def test_a_database_a_newer_app_made_is_refused_and_left_alone(backend_url):
    engine = engine_for(backend_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
    engine.dispose()
    engine_for.cache_clear()
    with pytest.raises(SchemaMismatch) as refused:
        engine_for(backend_url)
    assert "a newer encoder-app made" in str(refused.value)
    assert "update encoder-app on this workstation" in str(refused.value)
    raw = create_engine(backend_url)
    with raw.connect() as conn:  # nothing was written: still the future revision
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == \
            "0099_from_the_future"
    raw.dispose()
