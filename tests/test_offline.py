"""Nothing calls the network: the main commands and the window run with every way of opening a
connection from Python patched to refuse, and none of them tries one."""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat

import pytest

from encoder_app.cli.main import main

VISIT = {"date_of_service": "2026-04-14", "place_of_service": "11",
         "patient": {"name": "Zoë Müller", "sex": "F", "birth_date": "1961-11-30"},
         "provider": {"name": "Ana Perez", "npi": "1234567893"},
         "diagnoses": ["E11.9", "I10"],
         "procedures": [{"code": "99214", "diagnosis_pointers": [1], "charge": 165}]}


@pytest.fixture
def attempts(monkeypatch):
    """Every connection attempt from Python, recorded and refused."""
    tried: list[tuple[str, tuple]] = []

    def refuse(what):
        def blocked(*args, **_kwargs):
            tried.append((what, args))
            raise OSError(f"the test forbids the network ({what})")
        return blocked

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("socket.create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("socket.getaddrinfo"))
    return tried


def test_the_guard_records_and_refuses_a_connection(attempts):
    with pytest.raises(OSError, match="forbids the network"):
        socket.create_connection(("example.org", 443))
    with pytest.raises(OSError), socket.socket() as s:
        s.connect(("127.0.0.1", 9))
    assert [what for what, _ in attempts] == ["socket.create_connection", "socket.connect"]
    attempts.clear()


def test_the_main_commands_run_without_the_network(_ui_template, isolated_data_dir,
                                                   fixtures, tmp_path, monkeypatch, capsys,
                                                   attempts):
    shutil.copy(_ui_template / "db.sqlite3", tmp_path / "user.sqlite3")
    monkeypatch.setenv("ENCODER_APP_DB_URL", f"sqlite:///{tmp_path / 'user.sqlite3'}")
    isolated_data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copytree(_ui_template / "index", isolated_data_dir / "search-index")
    encounter = tmp_path / "visit.json"
    encounter.write_text(json.dumps(VISIT), encoding="utf-8")

    def run(*argv: str) -> str:
        assert main(list(argv)) == 0, capsys.readouterr().err
        return capsys.readouterr().out

    assert "Type 2 diabetes mellitus without complications" in run(
        "code", "show", "E11.9", "--date", "2026-04-14")
    assert "R07.9" in [hit["code"] for hit in json.loads(run("search", "chest", "pain", "--json"))]
    assert "0 errors" in run("check", str(encounter))
    assert run("superbill", str(encounter), "-o", str(tmp_path / "visit.pdf")).startswith("wrote")
    assert "integrity ok" in run("backup", "-o", str(tmp_path / "backup.sqlite3"))
    run("import", str(fixtures / "hcpcs" / "level2_modifiers.csv"))
    assert run("releases").count("#") >= 2
    assert attempts == []
    assert (tmp_path / "visit.pdf").read_bytes().startswith(b"%PDF")


def test_the_window_searches_and_saves_a_superbill_without_the_network(attempts, window,
                                                                       qtbot, tmp_path):
    qtbot.keyClicks(window.search.box, "chest pa")
    qtbot.waitUntil(lambda: window.search.results.topLevelItemCount() > 0, timeout=10000)
    codes = [window.search.results.topLevelItem(i).text(0)
             for i in range(window.search.results.topLevelItemCount())]
    assert "R07.9" in codes[:5]
    window.chart.load_document(VISIT)
    out = tmp_path / "visit.pdf"
    window.superbills.save_superbill(str(out))
    qtbot.waitUntil(out.exists, timeout=30000)
    if os.name == "posix":  # a superbill is patient data
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert attempts == []
