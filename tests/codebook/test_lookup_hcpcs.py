"""HCPCS validity comes from each code's own dates: ADD DT starts it, TERM DT ends it."""

import datetime as dt

import pytest

from encoder_app.codebook.lookup import code_detail, list_codes
from encoder_app.importers import import_paths


@pytest.fixture
def hcpcs(engine, fixtures):
    import_paths([fixtures / "hcpcs" / "HCPC2024_JUL_ANWEB.csv"], engine)
    return engine


def test_code_is_invalid_after_its_termination_date(hcpcs):
    before = code_detail(hcpcs, "A0002", date_of_service=dt.date(2020, 12, 31))
    after = code_detail(hcpcs, "A0002", date_of_service=dt.date(2021, 1, 1))
    assert before.valid
    assert not after.valid and "terminated" in after.validity and "2020-12-31" in after.validity
    assert after.terminated_on == dt.date(2020, 12, 31)


def test_code_is_not_yet_effective_before_its_add_date(hcpcs):
    d = code_detail(hcpcs, "G0001", date_of_service=dt.date(2024, 6, 30))
    assert not d.valid and "not yet effective" in d.validity
    assert code_detail(hcpcs, "G0001", date_of_service=dt.date(2024, 7, 1)).valid


def test_a_later_action_date_does_not_hide_an_older_code(hcpcs):
    # E0001 was added in 1990; its ACT EFF DT (2024-01-01) dates a later change, not its start
    assert code_detail(hcpcs, "E0001", date_of_service=dt.date(2023, 6, 1)).valid


def test_billable_list_drops_terminated_codes(hcpcs):
    codes = list_codes(hcpcs, "hcpcs", billable_only=True, date_of_service=dt.date(2024, 8, 1))
    assert "A0001" in codes and "A0002" not in codes
    assert "A0002" in list_codes(hcpcs, "hcpcs", date_of_service=dt.date(2024, 8, 1))
