"""Which release answers for a date of service, and the caveat when none covers it exactly."""

import datetime as dt

from encoder_app.codebook.releases import ReleaseSummary, in_effect

NOW = dt.datetime(2026, 1, 1)


def _release(id_, start, end=None):
    return ReleaseSummary(id_, "icd10cm", "tabular", f"v{id_}", f"Release {id_}", start, end,
                          "f.xml", "0" * 64, NOW)


FY25 = _release(1, dt.date(2024, 10, 1), dt.date(2025, 9, 30))
APR26 = _release(2, dt.date(2026, 4, 1), dt.date(2026, 9, 30))


def test_release_covering_the_date_answers_without_caveat():
    answer = in_effect([FY25, APR26], dt.date(2025, 6, 1))
    assert answer.release is FY25 and answer.caveat is None


def test_date_in_a_gap_between_releases_is_answered_by_the_earlier_one_with_a_caveat():
    answer = in_effect([FY25, APR26], dt.date(2025, 11, 1))
    assert answer.release is FY25
    assert "no loaded release covers 2025-11-01" in answer.caveat
    assert "Release 2 starts 2026-04-01" in answer.caveat


def test_date_after_the_newest_release_ended_warns_a_newer_one_may_apply():
    answer = in_effect([FY25, APR26], dt.date(2026, 11, 24))
    assert answer.release is APR26
    assert "newer release may be in effect" in answer.caveat


def test_date_before_every_release_is_answered_by_the_earliest():
    answer = in_effect([FY25, APR26], dt.date(2020, 1, 1))
    assert answer.release is FY25 and "before the earliest" in answer.caveat


def test_no_release_loaded_answers_none():
    assert in_effect([], dt.date(2025, 1, 1)) is None
