"""`encoder-app report daysheet`: a date range to a PDF; bad dates name the option."""

from __future__ import annotations

import pytest

from encoder_app.cli.main import main
from encoder_app.encounters.snapshot import parse_encounter
from encoder_app.encounters.store import save_encounter


@pytest.fixture
def user_db(fy2026_engine, monkeypatch):
    monkeypatch.setenv("ENCODER_APP_DB_URL", str(fy2026_engine.url))
    return fy2026_engine


def test_writes_the_day_sheet_of_the_saved_encounters(user_db, tmp_path, capsys, read_pdf):
    save_encounter(user_db, parse_encounter({
        "date_of_service": "2026-04-14", "patient": {"name": "Zoë Müller"},
        "provider": {"name": "Ana Perez", "npi": "1234567893"}, "diagnoses": ["I10"],
        "procedures": [{"code": "99213", "charge": "110.5", "units": 2}]}))
    out = tmp_path / "day.pdf"
    assert main(["report", "daysheet", "--from", "2026-04-13", "--to", "2026-04-17",
                 "-o", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote {out} (1 page)\n"
    printed = read_pdf(out.read_bytes())
    assert printed.has_row("04/14/2026", "Zoë Müller", "Ana Perez", "I10", "99213 x2", "221.00")
    assert "Grand total for 04/13/2026 – 04/17/2026: $221.00" in printed.text


def test_an_empty_range_still_writes_a_page(user_db, tmp_path, capsys, read_pdf):
    out = tmp_path / "day.pdf"
    assert main(["report", "daysheet", "--from", "2026-01-01", "--to", "2026-01-01",
                 "-o", str(out)]) == 0
    assert "No encounters with a date of service" in read_pdf(out.read_bytes()).text


@pytest.mark.parametrize(("start", "end", "message"), [
    ("2026-13-01", "2026-04-17", "argument --from: '2026-13-01' is not a date; write YYYY-MM-DD"),
    ("2026-04-13", "17/04/2026", "argument --to: '17/04/2026' is not a date; write YYYY-MM-DD"),
    ("2026-04-17", "2026-04-13", "--from 2026-04-17 is after --to 2026-04-13"),
])
def test_bad_dates_are_usage_errors_naming_the_option(tmp_path, capsys, start, end, message):
    out = tmp_path / "day.pdf"
    with pytest.raises(SystemExit) as exit_:
        main(["report", "daysheet", "--from", start, "--to", end, "-o", str(out)])
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err
    assert not out.exists()
