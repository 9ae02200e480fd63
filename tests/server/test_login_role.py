"""The login roles docs/practice-server.md tells an administrator to create, run as written
against a real server: the app's role codes and saves, but cannot edit or delete the audit
trail, cannot change the schema, and says so when the schema is behind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import ProgrammingError

from encoder_app.codebook.db import engine_for
from encoder_app.encounters.snapshot import parse_encounter
from encoder_app.encounters.store import audit_trail, save_encounter_version
from encoder_app.errors import SchemaMismatch
from encoder_app.users.accounts import add_user
from encoder_app.users.trail import practice_trail

DOC = Path(__file__).resolve().parents[2] / "docs" / "practice-server.md"


def sql_blocks() -> list[list[str]]:
    """The doc's ```sql blocks, each as its statements."""
    blocks = re.findall(r"```sql\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    return [[s.strip() for s in block.split(";") if s.strip()] for block in blocks]


@pytest.fixture
def practice(postgres_cluster):
    """The doc's set-up on a fresh cluster database: roles, the owner's upgrade, the grants."""
    create, grants = sql_blocks()
    postgres_cluster.sql("DROP DATABASE IF EXISTS practice")
    for role in ("encoder_app", "encoder_owner"):
        postgres_cluster.sql(f"DROP ROLE IF EXISTS {role}")
    for statement in create:
        postgres_cluster.sql(statement)
    owner = postgres_cluster.url("practice", "encoder_owner", "change-me-owner")
    engine_for(owner).dispose()  # what `encoder-app db upgrade` does as the owner
    engine_for.cache_clear()
    import psycopg

    with psycopg.connect(host="127.0.0.1", port=postgres_cluster.port, user="encoder_owner",
                         password="change-me-owner", dbname="practice",
                         autocommit=True) as conn:
        for statement in grants:
            conn.execute(statement)
    yield postgres_cluster, owner, postgres_cluster.url("practice", "encoder_app",
                                                        "change-me-app")
    engine_for.cache_clear()


def test_the_app_role_saves_and_audits_but_cannot_rewrite_the_trail(practice):
    _cluster, _owner, app_url = practice
    engine = engine_for(app_url)
    try:
        saved = save_encounter_version(engine, parse_encounter(
            {"date_of_service": "2026-05-04", "patient": {"name": "Ruth Calloway"},
             "diagnoses": ["E11.9"]}), user="coder")
        save_encounter_version(engine, parse_encounter(
            {"date_of_service": "2026-05-04", "patient": {"name": "Ruth Calloway"},
             "diagnoses": ["E11.65"]}), saved.id, "coder", if_version=1)
        assert [a.field for a in audit_trail(engine, saved.id)][-1] == "diagnoses[1]"
        add_user(engine, "Ann", "admin", "ann-password")  # writes the practice trail
        assert practice_trail(engine)[0].subject == "user Ann"
        for statement in ("UPDATE audit_log SET after = 'I10'", "DELETE FROM audit_log",
                          "UPDATE practice_audit_log SET after = 'x'",
                          "DELETE FROM practice_audit_log",
                          "CREATE TABLE notes_of_my_own (id integer)",
                          "UPDATE alembic_version SET version_num = 'x'"):
            with engine.connect() as conn, pytest.raises(ProgrammingError) as denied:
                conn.execute(text(statement))
            assert "permission denied" in str(denied.value) or "must be owner" in str(
                denied.value), statement
    finally:
        engine.dispose()


def test_a_schema_behind_is_named_not_half_upgraded_by_the_app_role(practice):
    _cluster, owner_url, app_url = practice
    owner = create_engine(owner_url)
    with owner.begin() as conn:  # as if this database were one revision behind
        conn.execute(text("ALTER TABLE audit_log DROP COLUMN workstation"))
        conn.execute(text("ALTER TABLE encounters DROP COLUMN updated_by"))
        conn.execute(text("ALTER TABLE encounters DROP COLUMN version"))
        conn.execute(text("UPDATE alembic_version SET version_num = '0005_baseline'"))
    owner.dispose()
    with pytest.raises(SchemaMismatch) as refused:
        engine_for(app_url)
    assert "may not change the schema" in str(refused.value)
    assert "encoder-app db upgrade" in str(refused.value)
    check = create_engine(owner_url)
    with check.connect() as conn:  # nothing was half done
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == \
            "0005_baseline"
    check.dispose()
