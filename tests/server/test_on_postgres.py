"""The app's own work on a PostgreSQL database, as a workstation pointed at the server does it:
the default codebook built once on the server, code lookup, search with a workstation's own
index, the edits, and encounters saved, listed and read back for the day sheet."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture(scope="module")
def server_codebook(postgres_cluster, tmp_path_factory):
    from encoder_app.codebook.db import engine_for
    from encoder_app.codebook.default_build import build_default_codebook

    engine = engine_for(postgres_cluster.new_database())
    for _ in build_default_codebook(engine):
        pass
    yield engine
    engine.dispose()
    engine_for.cache_clear()


def test_lookup_search_and_edits_read_the_server(server_codebook, fy2026_engine, tmp_path):
    from encoder_app.codebook.lookup import code_detail
    from encoder_app.edits.check import check_encounter
    from encoder_app.encounters.snapshot import parse_encounter
    from encoder_app.search import open_search_engine

    assert server_codebook.dialect.name == "postgresql"
    detail = code_detail(server_codebook, "E11.9", "icd10cm", dt.date(2026, 5, 1))
    assert detail.title == "Type 2 diabetes mellitus without complications"
    search = open_search_engine(server_codebook, tmp_path / "index")  # this workstation's
    assert not search.is_current()
    for _ in search.rebuild():
        pass
    assert search.is_current()
    assert search.search("type 2 diabetes without complications")[0].code == "E11.9"
    visit = parse_encounter({"date_of_service": "2026-05-01", "diagnoses": ["E11.9", "I10"],
                             "procedures": [{"code": "99213"}]})
    on_server = [(f.rule, f.message) for f in check_encounter(server_codebook, visit)]
    on_desk = [(f.rule, f.message) for f in check_encounter(fy2026_engine, visit)]
    assert on_server == on_desk  # the same codebook gives the same findings on either
    assert "guideline.diabetes_drug_therapy" in {rule for rule, _ in on_server}


def test_encounters_are_saved_listed_and_read_for_the_day_sheet(server_codebook):
    from encoder_app.encounters.snapshot import parse_encounter
    from encoder_app.encounters.store import (
        encounters_between,
        list_encounters,
        save_encounter_version,
    )

    for name, day in (("Zoë Müller", "2026-05-04"), ("Ruth Calloway", "2026-05-05")):
        save_encounter_version(server_codebook, parse_encounter(
            {"date_of_service": day, "patient": {"name": name}, "diagnoses": ["I10"]}))
    assert [s.label for s in list_encounters(server_codebook, "muller zoe")] == ["Zoë Müller"]
    day = encounters_between(server_codebook, dt.date(2026, 5, 4), dt.date(2026, 5, 4))
    assert [s.label for s in day] == ["Zoë Müller"]
