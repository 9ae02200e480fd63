"""The window shows every error one way: ui/errors.py renders the core's located errors."""

import ast
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from encoder_app.encounters.snapshot import EncounterFormatError
from encoder_app.errors import LocatedError
from ui import errors as ui_errors
from ui.practice.forms import StatusLine

UI = Path(__file__).resolve().parents[2] / "ui"


def test_a_message_box_puts_the_file_on_its_own_line(qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(
        (title, text)))
    error = EncounterFormatError("visit.json", "$.diagnoses[0]", "'E11.9x' is not a code")
    ui_errors.show_error(None, "Import encounter", error)
    assert shown == [("Import encounter", "visit.json\ndiagnosis 1: 'E11.9x' is not a code")]
    assert ui_errors.field_line(error) == "diagnosis 1: 'E11.9x' is not a code"


def test_a_fatal_error_is_a_critical_box(qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append("warning"))
    ui_errors.show_error(None, "Encoder", "the database is damaged", fatal=True)
    assert shown == ["the database is damaged"]


def test_a_form_status_line_shows_the_error_on_one_line(qtbot):
    line = StatusLine()
    qtbot.addWidget(line)
    line.problem(LocatedError("fee schedule", "row 3", "'99x' is not a CPT code"))
    assert line.text() == "fee schedule: row 3: '99x' is not a CPT code"
    assert line.is_problem and not line.isHidden()


def _message_box_calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Attribute) and node.attr in ("warning", "critical")
                and isinstance(node.value, ast.Name) and node.value.id == "QMessageBox"):
            found.append(f"{path.name}:{node.lineno}")
    return found


def test_no_window_module_opens_its_own_error_box():
    calls = [c for path in sorted(UI.rglob("*.py")) if path.name != "errors.py"
             for c in _message_box_calls(path)]
    assert _message_box_calls(UI / "errors.py"), "the scanner finds the helper's own box"
    assert calls == []
