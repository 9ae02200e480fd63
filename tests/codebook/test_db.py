"""Opening databases: new ones get the schema by migration and its stamp, older ones are
upgraded, others are refused clearly."""

import pytest
from sqlalchemy import create_engine, text

from encoder_app.codebook.db import engine_for
from encoder_app.codebook.models import SCHEMA_VERSION
from encoder_app.codebook.schema_version import HEAD_REVISION
from encoder_app.errors import SchemaMismatch


def test_new_database_is_stamped_with_the_schema_version(tmp_path):
    engine = engine_for(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    with engine.connect() as conn:
        assert conn.execute(text("select version from schema_info")).scalar() == SCHEMA_VERSION


def test_database_from_another_schema_is_refused_with_advice(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    raw = create_engine(url)
    with raw.begin() as conn:
        conn.execute(text("create table schema_info (version integer primary key)"))
        conn.execute(text("insert into schema_info values (0)"))
    raw.dispose()
    with pytest.raises(SchemaMismatch, match="move the database aside"):
        engine_for(url)


def test_database_one_additive_upgrade_behind_is_upgraded_in_place(tmp_path):
    from encoder_app.codebook.models import ADDITIVE_UPGRADES

    old = min(ADDITIVE_UPGRADES)
    url = f"sqlite:///{tmp_path / 'older.sqlite3'}"
    raw = create_engine(url)
    with raw.begin() as conn:
        conn.execute(text("create table schema_info (version integer primary key)"))
        conn.execute(text(f"insert into schema_info values ({old})"))
    raw.dispose()
    engine = engine_for(url)
    with engine.connect() as conn:
        assert conn.execute(text("select version from schema_info")).scalar() == SCHEMA_VERSION


def test_schema_stamps_upgrades_and_refusals_are_logged(tmp_path):
    import logging

    from encoder_app.codebook.models import ADDITIVE_UPGRADES

    lines: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    logger = logging.getLogger("encoder_app.codebook.db")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        engine_for(f"sqlite:///{tmp_path / 'new.sqlite3'}")
        for name, version in (("older", min(ADDITIVE_UPGRADES)), ("other", 0)):
            raw = create_engine(f"sqlite:///{tmp_path / name}.sqlite3")
            with raw.begin() as conn:
                conn.execute(text("create table schema_info (version integer primary key)"))
                conn.execute(text(f"insert into schema_info values ({version})"))
            raw.dispose()
            try:
                engine_for(f"sqlite:///{tmp_path / name}.sqlite3")
            except SchemaMismatch:
                pass
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert len(lines) == 3, lines
    assert f"new.sqlite3: new -> {HEAD_REVISION}" in lines[0]
    assert f"older.sqlite3: schema {min(ADDITIVE_UPGRADES)} -> {HEAD_REVISION} (backup: " \
        in lines[1]
    assert "other.sqlite3 refused: the database" in lines[2]
    assert "has schema version 0, which this encoder-app cannot upgrade" in lines[2]
