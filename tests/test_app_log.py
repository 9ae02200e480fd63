"""The log: a private rotating file in the data folder, the terminal with --verbose, imports and
failures in it, and never a patient's data."""

from __future__ import annotations

import json
import logging
import shutil
import stat

import pytest

from encoder_app import app_log
from encoder_app.cli import main as cli_main
from encoder_app.cli.main import main

PATIENT = "Zoë Quillfeather-Abernathy"
VISIT = {"date_of_service": "2026-04-14", "place_of_service": "11",
         "patient": {"name": PATIENT, "sex": "F", "birth_date": "1961-11-30",
                     "member_id": "QZX998877"},
         "provider": {"name": "Ana Perez", "npi": "1234567893"},
         "diagnoses": ["E11.9", "I10"],
         "procedures": [{"code": "99214", "diagnosis_pointers": [1], "charge": 165}]}


@pytest.fixture(autouse=True)
def _closed_handlers():
    yield
    logger = logging.getLogger(app_log.ROOT)
    for handler in list(app_log._handlers):
        logger.removeHandler(handler)
        handler.close()
    app_log._handlers.clear()


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _log_text() -> str:
    return "".join(p.read_text(encoding="utf-8") for p in app_log.log_folder().glob("*.log*"))


@pytest.fixture
def user_db(_fy2026_template, tmp_path, monkeypatch):
    shutil.copy(_fy2026_template, tmp_path / "user.sqlite3")
    monkeypatch.setenv("ENCODER_APP_DB_URL", f"sqlite:///{tmp_path / 'user.sqlite3'}")


def test_an_import_is_logged_to_a_private_file_and_with_verbose_to_the_terminal(
        fixtures, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("ENCODER_APP_DB_URL", f"sqlite:///{tmp_path / 'mini.sqlite3'}")
    from encoder_app.codebook.db import engine_for
    from encoder_app.importers import import_paths

    import_paths([fixtures / "tabular" / "tabular_mini_2031.xml"],
                 engine_for(f"sqlite:///{tmp_path / 'mini.sqlite3'}"))
    assert main(["--verbose", "import", str(fixtures / "hcpcs" / "HCPC2024_JUL_ANWEB.csv")]) == 0
    err = capsys.readouterr().err
    assert "INFO encoder_app.importers.runner: HCPC2024_JUL_ANWEB.csv: imported" in err
    log = app_log.log_file()
    assert (_mode(log), _mode(log.parent)) == (0o600, 0o700)
    text = log.read_text(encoding="utf-8")
    assert "HCPC2024_JUL_ANWEB.csv: imported HCPCS Level II" in text and "5 codes" in text
    assert "search index built" in text  # the rebuild after the import, with its timing
    assert main(["import", str(fixtures / "hcpcs" / "HCPC2024_JUL_ANWEB.csv")]) == 0
    assert "INFO" not in capsys.readouterr().err  # without --verbose the terminal stays quiet


def test_no_patient_data_reaches_the_log(user_db, tmp_path, capsys):
    visit = tmp_path / "visit.json"
    visit.write_text(json.dumps(VISIT), encoding="utf-8")
    assert main(["--verbose", "check", str(visit)]) == 0
    assert main(["--verbose", "superbill", str(visit), "-o", str(tmp_path / "v.pdf")]) == 0
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**VISIT, "patient": {**VISIT["patient"],
                                                    "birth_date": "2027-01-01"}}))
    assert main(["--verbose", "check", str(bad)]) == 1  # its message quotes the birth date
    err = capsys.readouterr().err
    assert "2027-01-01" in err  # the user is told
    text = _log_text()
    assert "check refused: EncounterFormatError" in text
    for secret in (PATIENT, "Quillfeather", "QZX998877", "1961-11-30", "2027-01-01"):
        assert secret not in text


def test_an_unexpected_failure_is_one_line_and_its_frames_go_to_the_log(user_db, capsys,
                                                                       monkeypatch):
    def broken(args):
        raise KeyError(PATIENT)  # a bug whose message happens to quote a patient

    parser = cli_main.build_parser()
    args = parser.parse_args(["code", "show", "E11.9"])
    monkeypatch.setattr(cli_main, "build_parser", lambda _command=None: _Fixed(args, broken))
    assert main(["code", "show", "E11.9"]) == cli_main.EXIT_BUG
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unexpected failure (KeyError)" in err[0]
    assert str(app_log.log_file()) in err[0] and "Traceback" not in err[0]
    text = _log_text()
    assert "Traceback (most recent call last)" in text and "in broken" in text
    assert "KeyError (its message is left out" in text and PATIENT not in text


class _Fixed:
    """A parser that gives back these arguments with `func` swapped for a broken one."""

    def __init__(self, args, func):
        self.args, self.func = args, func

    def parse_args(self, _argv):
        self.args.func = self.func
        return self.args


def test_rotated_files_stay_private(monkeypatch):
    monkeypatch.setattr(app_log, "MAX_BYTES", 200)
    app_log.setup()
    logger = logging.getLogger("encoder_app.test")
    for i in range(40):
        logger.info("line %d of a long import", i)
    files = sorted(app_log.log_folder().glob("encoder-app.log*"))
    assert len(files) == app_log.BACKUPS + 1
    assert {_mode(p) for p in files} == {0o600}
