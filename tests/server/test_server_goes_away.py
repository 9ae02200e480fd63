"""Connection trouble is not data loss: with the server stopped, a save fails with a message
naming the server (not a traceback), the workstation keeps what was typed, and when the server
is back the same save goes through once; a first save retried after an unknown outcome (the
row written, the answer lost) is not written twice."""

from __future__ import annotations

import uuid

import pytest

from encoder_app.codebook.db import engine_for
from encoder_app.data_lock import ServerUnavailable
from encoder_app.encounters.snapshot import parse_encounter
from encoder_app.encounters.store import (
    list_encounters,
    load_encounter_record,
    save_encounter_version,
)

VISIT = {"date_of_service": "2026-05-04", "patient": {"name": "Ruth Calloway"},
         "diagnoses": ["E11.9"]}


def test_a_first_save_retried_with_its_key_is_written_once(backend):
    key = str(uuid.uuid4())
    first = save_encounter_version(backend, parse_encounter(VISIT), client_key=key)
    # The answer was lost: the workstation does not know the id and saves again, same key.
    again = save_encounter_version(backend, parse_encounter(
        {**VISIT, "diagnoses": ["E11.9", "I10"]}), client_key=key)
    assert again.id == first.id and again.version == 2
    assert len(list_encounters(backend)) == 1


def test_the_server_stopped_mid_session_then_back_loses_nothing_and_doubles_nothing(
        postgres_cluster):
    url = postgres_cluster.new_database()
    engine = engine_for(url)
    try:
        kept = save_encounter_version(engine, parse_encounter(VISIT), user="coder")
        key = str(uuid.uuid4())
        typed = parse_encounter({**VISIT, "patient": {"name": "Zoë Müller"},
                                 "diagnoses": ["J45.909"]})
        postgres_cluster.stop("fast")
        try:
            with pytest.raises(ServerUnavailable) as down:
                save_encounter_version(engine, typed, user="coder", client_key=key)
            assert "the encounter was not saved: the server 127.0.0.1/" in str(down.value)
            assert "cannot be reached" in str(down.value)
        finally:
            postgres_cluster.start()
        saved = save_encounter_version(engine, typed, user="coder", client_key=key)
        again = save_encounter_version(engine, typed, user="coder", client_key=key)
        assert (again.id, again.written) == (saved.id, False)  # a second retry: no second row
        assert sorted(s.label for s in list_encounters(engine)) == ["Ruth Calloway",
                                                                    "Zoë Müller"]
        assert load_encounter_record(engine, kept.id).snapshot.diagnoses == ("E11.9",)
    finally:
        engine.dispose()
        engine_for.cache_clear()


def test_a_server_that_cannot_be_reached_at_start_is_named_not_a_bug(monkeypatch, capsys):
    from encoder_app.cli.main import main

    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install -e '.[server]')")
    monkeypatch.setenv("ENCODER_APP_DB_URL", "postgresql+psycopg://coder:secret@127.0.0.1:1/x")
    for argv in (["db", "status"], ["encounter", "list"]):
        assert main(argv) == 1, argv
        err = capsys.readouterr().err
        assert "on the server postgresql+psycopg://coder:***@127.0.0.1:1/x" in err
        assert "Connection refused" in err and "secret" not in err
        assert "bug" not in err
