"""`encoder-app db copy --to URL`: a desk's encounters (with their audit trails, a deleted one
too), favorites, practice set-up, fees and pick list copied to a server, verified, nothing
taken from the desk; run again, nothing is copied twice; a fee the server holds differently
is kept and said."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from encoder_app.cli.main import main
from encoder_app.codebook.db import engine_for
from encoder_app.codebook.models import Base
from encoder_app.encounters.favorites import add_favorite
from encoder_app.encounters.snapshot import parse_encounter
from encoder_app.encounters.store import (
    audit_trail,
    delete_encounter,
    list_encounters,
    load_encounter_record,
    save_encounter,
)
from encoder_app.practice.fee_schedule import load_fee_schedule, set_fee
from encoder_app.practice.sample import load_sample_practice

TABLES = ("encounters", "audit_log", "favorites", "practice", "practice_providers",
          "practice_payers", "fee_schedule", "pick_lists", "pick_list_sections",
          "pick_list_items")


def counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.execute(select(func.count()).select_from(Base.metadata.tables[t]))
                .scalar() for t in TABLES}


@pytest.fixture
def desk(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'front-desk.sqlite3'}"
    monkeypatch.setenv("ENCODER_APP_DB_URL", url)
    engine = engine_for(url)
    load_sample_practice(engine)
    visit = {"date_of_service": "2026-05-04", "patient": {"name": "Ruth Calloway"},
             "diagnoses": ["E11.9"], "procedures": [{"code": "99213"}]}
    first = save_encounter(engine, parse_encounter(visit), user="front desk")
    save_encounter(engine, parse_encounter({**visit, "diagnoses": ["E11.9", "I10"]}), first,
                   user="coder")
    save_encounter(engine, parse_encounter({**visit, "patient": {"name": "Zoë Müller"}}),
                   user="coder")
    gone = save_encounter(engine, parse_encounter({**visit, "patient": {"name": "Wrong"}}))
    delete_encounter(engine, gone, user="coder")
    add_favorite(engine, "icd10cm", "E11.9", user="coder")
    return engine


def copy(capsys, target_url) -> tuple[int, str]:
    code = main(["db", "copy", "--to", target_url])
    return code, capsys.readouterr().out


def test_a_desk_is_copied_whole_and_verified_and_left_as_it_was(desk, backend_url, capsys):
    before = counts(desk)
    code, out = copy(capsys, backend_url)
    assert code == 0, out
    server = engine_for(backend_url)
    assert "encounters                3 copied now,      0 there already; 3 of 3 found" in out
    assert "audit entries" in out and "pick lists" in out
    assert counts(desk) == before  # nothing taken from the desk
    copied = {s.label: s.id for s in list_encounters(server)}
    assert set(copied) == {"Ruth Calloway", "Zoë Müller"}  # and the deleted one, hidden
    ruth = load_encounter_record(server, copied["Ruth Calloway"])
    assert (ruth.snapshot.diagnoses, ruth.version, ruth.updated_by) == (("E11.9", "I10"), 2,
                                                                         "coder")
    trail = audit_trail(server, ruth.id)
    assert [(a.user, a.field) for a in trail][:2] == [("front desk", "date_of_service"),
                                                       ("front desk", "patient.name")]
    assert trail[-1].field == "copied_from" and trail[-1].after.endswith("encounter #1")
    desk_trail = audit_trail(desk, 1)
    assert [(a.at, a.user, a.field, a.before, a.after) for a in trail[:-1]] == [
        (a.at, a.user, a.field, a.before, a.after) for a in desk_trail]
    assert load_fee_schedule(server).entries == load_fee_schedule(desk).entries
    server_counts = counts(server)
    # Run again: nothing new, nothing twice.
    code, out = copy(capsys, backend_url)
    assert code == 0 and "encounters                0 copied now,      3 there already" in out
    assert counts(server) == server_counts


def test_what_was_added_since_is_copied_and_the_servers_fee_is_kept(desk, backend_url,
                                                                      capsys):
    assert copy(capsys, backend_url)[0] == 0
    server = engine_for(backend_url)
    set_fee(server, "99213", Decimal("140.00"))  # the server's fee since
    set_fee(desk, "99213", Decimal("95.00"))
    save_encounter(desk, parse_encounter({"date_of_service": "2026-05-06",
                                          "patient": {"name": "Ana Ruiz"},
                                          "diagnoses": ["J45.909"]}), user="coder")
    code, out = copy(capsys, backend_url)
    assert code == 0
    assert "encounters                1 copied now,      3 there already" in out
    assert "note: fees 99213: the server's is kept" in out
    assert load_fee_schedule(server).fee_for("99213", ()) == Decimal("140.00")
    assert "Ana Ruiz" in {s.label for s in list_encounters(server)}


def test_copying_a_database_onto_itself_is_refused(desk, capsys):
    import os

    code = main(["db", "copy", "--to", os.environ["ENCODER_APP_DB_URL"]])
    assert code == 1 and "same database" in capsys.readouterr().err


def test_accounts_and_the_practice_trail_are_copied_and_sign_in_on_the_server(
        tmp_path, monkeypatch, capsys, backend_url):
    from encoder_app.users.accounts import add_user, list_users, sign_in
    from encoder_app.users.trail import practice_trail

    url = f"sqlite:///{tmp_path / 'desk-with-accounts.sqlite3'}"
    monkeypatch.setenv("ENCODER_APP_DB_URL", url)
    desk = engine_for(url)
    add_user(desk, "Ann", "admin", "ann-password")
    add_user(desk, "Mary", "coder", "mary-password", sign_in(desk, "ann", "ann-password"))
    monkeypatch.setenv("ENCODER_APP_USER", "mary")
    monkeypatch.setenv("ENCODER_APP_PASSWORD", "wrong-password")
    assert main(["db", "copy", "--to", backend_url]) == 1
    assert "wrong user name or password" in capsys.readouterr().err
    monkeypatch.setenv("ENCODER_APP_PASSWORD", "mary-password")
    code, out = copy(capsys, backend_url)
    assert code == 0, out
    assert "accounts" in out and "2 of 2 found on the server" in out
    server = engine_for(backend_url)
    try:
        assert [(a.name, a.role) for a in list_users(server)] == [("Ann", "admin"),
                                                                   ("Mary", "coder")]
        assert sign_in(server, "mary", "mary-password").role == "coder"
        assert {c.subject for c in practice_trail(server)} == {"user Ann", "user Mary"}
        # The server now has accounts: copying into it again takes an admin; Mary is not.
        assert main(["db", "copy", "--to", backend_url]) == 1
        assert "Mary (coder) may not add or change user accounts" in capsys.readouterr().err
        monkeypatch.setenv("ENCODER_APP_USER", "ann")
        monkeypatch.setenv("ENCODER_APP_PASSWORD", "ann-password")
        code, out = copy(capsys, backend_url)
        assert code == 0 and "0 copied now" in out
    finally:
        server.dispose()
