"""Attempts are stored per user, missed items come back on the FSRS schedule, and progress
figures (by chapter, kind, day; weakest areas) and the CSV export read them back."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from encoder_app.study.attempts import Attempt, attempts, due_items, record
from encoder_app.study.progress import attempts_csv, figures, progress


def attempt(user="ana", item="case:s/c1", score=1.0, area="ICD-10-CM Chapter 4: Endocrine",
            kind="case", when=dt.datetime(2026, 5, 1, 10, 0), entered=("E11.9",)):
    return Attempt(user, item, kind, area, score, entered, "study", "s", when)


def test_a_missed_item_gets_a_card_and_comes_back_when_due(engine):
    now = dt.datetime(2026, 5, 1, 10, 0, tzinfo=dt.UTC)
    due = record(engine, attempt(score=0.0, when=now), {"type": "case", "set": "s", "case": "c1"})
    assert due is not None and due > now.replace(tzinfo=None)
    assert due_items(engine, "ana", now) == []  # not yet
    later = due_items(engine, "ana", now + dt.timedelta(days=1))
    assert [d.question for d in later] == [{"type": "case", "set": "s", "case": "c1"}]
    assert due_items(engine, "ben", now + dt.timedelta(days=1)) == []  # per user


def test_an_item_right_first_time_gets_no_card_and_right_answers_push_a_card_out(engine):
    now = dt.datetime(2026, 5, 1, 10, 0, tzinfo=dt.UTC)
    assert record(engine, attempt(item="case:s/ok", when=now), {"q": 1}) is None
    first = record(engine, attempt(score=0.0, when=now), {"q": 2})
    second = record(engine, attempt(score=1.0, when=first.replace(tzinfo=dt.UTC)), {"q": 2})
    third = record(engine, attempt(score=1.0, when=second.replace(tzinfo=dt.UTC)), {"q": 2})
    # FSRS: each good answer lengthens the interval
    assert (third - second) > (second - first)
    assert len(attempts(engine, "ana")) == 4


def test_figures_by_chapter_kind_day_and_weakest():
    history = [
        attempt(score=1.0, area="Ch 4"), attempt(score=0.5, area="Ch 4"),
        attempt(score=0.0, area="Ch 19", when=dt.datetime(2026, 5, 2, 9)),
        attempt(score=0.5, area="Ch 19", when=dt.datetime(2026, 5, 2, 9)),
        attempt(score=0.0, area="Ch 19", kind="seventh-character",
                when=dt.datetime(2026, 5, 2, 9)),
        attempt(score=1.0, area="Ch 9", kind="title"),
    ]
    p = figures("ana", history)
    assert p.attempts == 6 and p.accuracy == pytest.approx(3 / 6)
    assert {t.name: (t.attempts, t.accuracy) for t in p.by_area} == {
        "Ch 4": (2, 0.75), "Ch 19": (3, pytest.approx(1 / 6)), "Ch 9": (1, 1.0)}
    assert {t.name: t.attempts for t in p.by_kind} == {"case": 4, "seventh-character": 1,
                                                       "title": 1}
    assert [(t.name, t.attempts) for t in p.by_day] == [("2026-05-01", 3), ("2026-05-02", 3)]
    # Ch 19 is weak (3 attempts, 17%); Ch 4 has too few attempts to be called weak
    assert [t.name for t in p.weakest] == ["Ch 19"]
    assert figures("ben", []).to_json()["attempts"] == 0


def test_progress_and_csv_read_the_stored_attempts(engine):
    record(engine, attempt(score=0.5, entered=("E11.65", "Z79.4")), {"q": 1})
    record(engine, attempt(user="ben", score=1.0), {"q": 1})
    p = progress(engine, "ana", dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
    assert (p.attempts, p.cards, p.due_now) == (1, 1, 1)
    rows = list(csv.DictReader(io.StringIO(attempts_csv(engine, "ana"))))
    assert rows == [{"user": "ana", "answered_at": "2026-05-01T10:00:00", "mode": "study",
                     "kind": "case", "set": "s", "item": "case:s/c1",
                     "area": "ICD-10-CM Chapter 4: Endocrine", "score": "0.50",
                     "entered": "E11.65 Z79.4", "seconds": ""}]


def test_a_schema_3_database_gains_the_study_tables_and_keeps_its_data(tmp_path):
    import importlib

    from sqlalchemy import create_engine, inspect, text

    from encoder_app.codebook.db import engine_for
    from encoder_app.codebook.models import ADDITIVE_UPGRADES, SCHEMA_VERSION

    # The tables as the migrations' baseline spells them (schema 5, before versioned saves).
    baseline = importlib.import_module("encoder_app.migrations.versions.0005_baseline").META
    assert 3 in ADDITIVE_UPGRADES  # 3 -> 4 only added the study tables
    url = f"sqlite:///{tmp_path / 'v3.sqlite3'}"
    raw = create_engine(url)
    baseline.create_all(raw, tables=[t for t in baseline.sorted_tables
                                     if not t.name.startswith("study_")
                                     and t.name != "poa_exempt_codes"])
    with raw.begin() as conn:
        conn.execute(text("insert into schema_info values (3)"))
        conn.execute(text("insert into favorites (user, system, code, added_at) "
                          "values ('ana', 'icd10cm', 'E119', :at)"), {"at": dt.datetime.now()})
    raw.dispose()
    engine = engine_for(url)
    assert {"study_sets", "study_attempts", "study_cards"} <= set(inspect(engine)
                                                                  .get_table_names())
    with engine.connect() as conn:
        assert conn.execute(text("select version from schema_info")).scalar() == SCHEMA_VERSION
        assert conn.execute(text("select code from favorites")).scalar() == "E119"
    record(engine, attempt(score=0.0), {"q": 1})
    assert len(attempts(engine, "ana")) == 1
