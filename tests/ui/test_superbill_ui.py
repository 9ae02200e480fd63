"""Superbills, check-off forms and day sheets from the window: save, print, ask before errors."""

import datetime as dt
from decimal import Decimal

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QMessageBox

from encoder_app.encounters.snapshot import parse_encounter
from encoder_app.encounters.store import save_encounter
from encoder_app.practice.sample import load_sample_practice

VISIT = {
    "date_of_service": "2026-05-04", "setting": "practitioner", "place_of_service": "11",
    "patient": {"name": "Zoë Muñoz", "sex": "F", "birth_date": "1970-06-01",
                "member_id": "MB-77"},
    "provider": {"name": "Dana Whitfield", "npi": "1234567893"},
    "payer": "Example Health Plan", "amount_paid": 20,
    "diagnoses": ["I10"],
    "procedures": [{"code": "99213", "units": 1, "diagnosis_pointers": [1], "charge": 120}],
}


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def idle(window, qtbot) -> None:
    """Every job queued has reported (and what follows a PDF made, its file written, is done):
    what was not made by now is never made."""
    qtbot.waitUntil(lambda: not window.runner._live, timeout=30000)


@pytest.fixture
def asked(monkeypatch):
    """Records each "errors remain" question and answers with the test's choice."""
    answers = {"reply": QMessageBox.StandardButton.No, "asked": []}

    def question(_parent, title, text, *_rest):
        answers["asked"].append(text)
        return answers["reply"]

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: answers["asked"].append(a[2]))
    return answers


def test_save_a_clean_encounters_superbill(window, qtbot, tmp_path, asked):
    window.chart.load_document(VISIT)
    out = tmp_path / "visit.pdf"
    window.superbills.save_superbill(str(out))
    qtbot.waitUntil(out.exists, timeout=30000)
    text = pdf_text(out)
    assert "Zoë Muñoz" in text and "MB-77" in text and "I10" in text and "99213" in text
    assert "Essential (primary) hypertension" in text
    assert asked["asked"] == []  # nothing to ask: no error is open


def test_errors_remain_asks_first_and_no_means_no_file(window, qtbot, tmp_path, asked):
    window.chart.load_document({**VISIT, "diagnoses": ["E11.9", "E10.9"]})  # Excludes1
    out = tmp_path / "visit.pdf"
    window.superbills.save_superbill(str(out))
    qtbot.waitUntil(lambda: bool(asked["asked"]), timeout=30000)  # checked on the worker
    assert len(asked["asked"]) == 1 and "error" in asked["asked"][0]
    idle(window, qtbot)
    assert not out.exists()
    asked["reply"] = QMessageBox.StandardButton.Yes
    window.superbills.save_superbill(str(out))
    qtbot.waitUntil(out.exists, timeout=30000)
    assert "E10.9" in pdf_text(out)


def test_the_check_before_a_superbill_runs_on_the_worker(window, qtbot, tmp_path, asked,
                                                         monkeypatch):
    """The window keeps going while the encounter is checked: the check runs on the worker,
    a timer ticks on the UI thread meanwhile, then the question and the PDF come as before."""
    import threading

    from PySide6.QtCore import QTimer

    import ui.chart.superbill_actions as actions

    real_check, gate, seen, ticks = actions.check_encounter, threading.Event(), [], []

    def slow_check(*args):
        seen.append(threading.current_thread())
        assert gate.wait(30), "the UI thread never ticked while the check ran"
        return real_check(*args)

    monkeypatch.setattr(actions, "check_encounter", slow_check)
    timer = QTimer(interval=10)
    timer.timeout.connect(lambda: (ticks.append(1), len(ticks) >= 3 and seen and gate.set()))
    timer.start()
    window.chart.load_document({**VISIT, "diagnoses": ["E11.9", "E10.9"]})  # Excludes1
    out = tmp_path / "visit.pdf"
    window.superbills.save_superbill(str(out))
    assert asked["asked"] == []  # not asked yet: the check has not run on this thread
    qtbot.waitUntil(lambda: bool(asked["asked"]), timeout=30000)
    timer.stop()
    assert seen and seen[0] is not threading.main_thread() and len(ticks) >= 3
    assert len(asked["asked"]) == 1 and "error" in asked["asked"][0]  # refused: "No"
    idle(window, qtbot)
    assert not out.exists()
    asked["reply"] = QMessageBox.StandardButton.Yes
    window.superbills.save_superbill(str(out))
    qtbot.waitUntil(out.exists, timeout=30000)
    assert "E10.9" in pdf_text(out) and all(t is not threading.main_thread() for t in seen)


def test_a_check_that_fails_is_shown_and_makes_no_pdf(window, qtbot, tmp_path, asked,
                                                      monkeypatch):
    from encoder_app.errors import EncoderError

    def broken(*_args):
        raise EncoderError("the edits tables are missing")

    monkeypatch.setattr("ui.chart.superbill_actions.check_encounter", broken)
    window.chart.load_document(VISIT)
    out = tmp_path / "visit.pdf"
    window.superbills.save_superbill(str(out))
    qtbot.waitUntil(lambda: bool(asked["asked"]), timeout=30000)
    assert "edits tables are missing" in asked["asked"][0]
    idle(window, qtbot)
    assert not out.exists()


class FakePrintDialog:
    """The system print dialog as a coder fills it in: a printer, or "print to file"."""

    choice: dict = {}

    def __init__(self, printer: QPrinter, _parent=None):
        self.printer = printer

    def setWindowTitle(self, _title):  # noqa: N802 (Qt name)
        pass

    def exec(self):
        if "file" in self.choice:
            self.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            self.printer.setOutputFileName(self.choice["file"])
        else:
            self.printer.setPrinterName(self.choice.get("printer", ""))
            self.printer.setCopyCount(self.choice.get("copies", 1))
        return QDialog.DialogCode.Accepted


def test_print_to_file_from_the_print_dialog(window, qtbot, tmp_path, asked, monkeypatch):
    monkeypatch.setattr("ui.pdf_actions.QPrintDialog", FakePrintDialog)
    out = tmp_path / "printed.pdf"
    FakePrintDialog.choice = {"file": str(out)}
    window.chart.load_document(VISIT)
    window.superbills.print_superbill()
    qtbot.waitUntil(out.exists, timeout=30000)
    assert "Zoë Muñoz" in pdf_text(out)


def test_print_to_a_printer_queues_the_pdf(window, qtbot, asked, monkeypatch):
    queued = []
    monkeypatch.setattr("ui.pdf_actions.QPrintDialog", FakePrintDialog)
    monkeypatch.setattr("ui.pdf_actions.send_to_printer",
                        lambda path, printer, copies: queued.append((path, printer, copies))
                        or "request id is desk-1")
    FakePrintDialog.choice = {"printer": "front-desk", "copies": 2}
    window.chart.load_document(VISIT)
    window.superbills.print_superbill()
    qtbot.waitUntil(lambda: bool(queued), timeout=30000)
    path, printer, copies = queued[0]
    assert printer in ("front-desk", None) and copies >= 1  # offscreen Qt may not keep a name
    assert path.name == "superbill-2026-05-04-zoë-muñoz.pdf" and path.read_bytes()[:5] == b"%PDF-"
    qtbot.waitUntil(lambda: "desk-1" in window.status.text(), timeout=5000)


def test_a_real_print_dialog_cancelled_prints_nothing(window, qtbot, asked, monkeypatch):
    shown = []
    monkeypatch.setattr(QPrintDialog, "exec",
                        lambda self: shown.append(self) or QDialog.DialogCode.Rejected)
    sent = []
    monkeypatch.setattr("ui.pdf_actions.send_to_printer", lambda *a: sent.append(a))
    window.chart.load_document(VISIT)
    window.superbills.print_superbill()
    qtbot.waitUntil(lambda: bool(shown), timeout=30000)  # after the check on the worker
    idle(window, qtbot)
    assert len(shown) == 1 and sent == []


def test_blank_check_off_form_of_the_sample_pick_list(window, qtbot, tmp_path):
    out = tmp_path / "form.pdf"
    window.superbills.save_blank_form("sample", str(out))
    qtbot.waitUntil(out.exists, timeout=30000)
    text = pdf_text(out)
    assert "99213" in text and "J3420" in text and "Z00.00" in text


def test_day_sheet_dialog_lists_and_totals_and_saves(window, qtbot, tmp_path):
    day = dt.date(2026, 5, 4)
    save_encounter(window.engine, parse_encounter(VISIT))
    save_encounter(window.engine, parse_encounter(
        {**VISIT, "patient": {"name": "Ñandú Pérez"},
         "procedures": [{"code": "36415", "units": 2, "charge": 15.5}]}))
    save_encounter(window.engine, parse_encounter({**VISIT, "date_of_service": "2026-05-09"}))
    dialog = window.superbills.show_daysheet(day, day)
    assert dialog.table.rowCount() == 2
    assert {dialog.table.item(r, 1).text() for r in range(2)} == {"Zoë Muñoz", "Ñandú Pérez"}
    assert "$151.00" in dialog.totals.text()  # 120.00 + 2 x 15.50
    dialog.end.setDate(dialog.end.date().addDays(7))
    assert dialog.table.rowCount() == 3
    out = tmp_path / "day.pdf"
    dialog.save_pdf(str(out))
    qtbot.waitUntil(out.exists, timeout=30000)
    assert "Ñandú Pérez" in pdf_text(out)
    dialog.start.setDate(dialog.end.date().addDays(1))  # from after to: said, table kept
    assert "ends earlier" in dialog.totals.text() and dialog.table.rowCount() == 3


def test_a_day_sheet_changed_elsewhere_since_shown_is_shown_again_not_printed(window, qtbot,
                                                                               tmp_path):
    """New, new, open the day sheet; another workstation saves a change to one of them; Save
    PDF refuses the stale sheet and shows the current one; saved again, the PDF is the new
    figures, as shown."""
    day = dt.date(2026, 5, 4)
    first = save_encounter(window.engine, parse_encounter(VISIT), user="Fred")
    save_encounter(window.engine, parse_encounter(
        {**VISIT, "patient": {"name": "Ñandú Pérez"}}), user="Fred")
    dialog = window.superbills.show_daysheet(day, day)
    assert "$240.00" in dialog.totals.text()
    save_encounter(window.engine, parse_encounter(
        {**VISIT, "procedures": [{"code": "99214", "charge": 180}]}), first, user="Mary")
    out = tmp_path / "day.pdf"
    assert not dialog.save_pdf(str(out))
    assert "Changed since it was shown" in dialog.totals.text()
    assert f"encounter #{first} saved by Mary" in dialog.totals.text()
    assert "$300.00" in dialog.totals.text() and not out.exists()
    assert dialog.save_pdf(str(out))
    qtbot.waitUntil(out.exists, timeout=30000)
    assert "300.00" in pdf_text(out) and "240.00" not in pdf_text(out)


def test_a_new_line_takes_the_practice_fee_and_a_provider_fills_the_npi(window, qtbot):
    load_sample_practice(window.engine)
    window.chart.practice_changed()
    window.chart.add_code("icd10cm", "I10")
    window.chart.add_code("cpt", "20610")
    assert Decimal(str(window.chart.document["procedures"][0]["charge"])) == Decimal("150.00")
    completer = window.chart.fields["provider.name"].completer()
    assert completer is not None
    completer.activated.emit("Marcus Oyelaran")
    assert window.chart.fields["provider.npi"].text() == "1222222220"
    assert window.chart.fields["payer"].completer().model().rowCount() == 3


def test_a_line_at_the_schedule_fee_follows_its_modifier_a_typed_charge_stays(window):
    load_sample_practice(window.engine)
    window.chart.practice_changed()
    window.chart.add_code("icd10cm", "H61.23")
    window.chart.add_code("cpt", "69210")
    lines = window.chart.lines
    assert lines.item(0, 6).text() == "95.00"
    lines.item(0, 1).setText("50")  # bilateral: the schedule has its own fee
    assert lines.item(0, 6).text() == "142.50"
    assert window.chart.document["procedures"][0]["charge"] == "142.50"
    lines.item(0, 6).setText("130.00")  # the coder's own charge
    lines.item(0, 1).setText("")
    assert lines.item(0, 6).text() == "130.00"


def test_amounts_typed_with_dollar_signs_save_and_bad_ones_are_kept_in_the_table(window, qtbot):
    from encoder_app.encounters.store import load_encounter_record

    window.chart.load_document(VISIT)
    window.chart.fields["amount_paid"].setText("$1,025.50")
    window.chart.lines.item(0, 6).setText("$12")
    assert window.encounters.save()
    qtbot.waitUntil(lambda: window.encounters.encounter_id is not None, timeout=30000)
    stored = load_encounter_record(window.engine, window.encounters.encounter_id).snapshot
    assert str(stored.amount_paid) == "1025.50" and str(stored.procedures[0].charge) == "12.00"
    window.chart.lines.item(0, 6).setText("twelve")
    window.chart.add_code("hcpcs", "G0008")  # rebuilds the table from the document
    assert window.chart.lines.rowCount() == 2 and window.chart.lines.item(0, 6).text() == "twelve"
    assert not window.encounters.save()
    assert window.encounters.unsaved_reason.startswith("procedure line 1, charge: ")


def test_closing_with_a_field_that_cannot_be_saved_asks_first(window, asked):
    window.chart.load_document(VISIT)
    window.chart.fields["date_of_service"].setText("2026-02-30")
    window.close()
    assert window.isVisible() and "date of service: " in asked["asked"][-1]
    assert "$" not in asked["asked"][-1]
    asked["reply"] = QMessageBox.StandardButton.Yes
    window.close()
    assert not window.isVisible()


# -- a typed provider that is not the name on file for the NPI --------------------------------

def provider_findings(window) -> list:
    return [f for f in window.chart.findings_panel.findings if f.rule == "claim.provider_name"]


def test_a_provider_not_the_name_on_file_is_a_finding_with_a_fix(window, qtbot):
    load_sample_practice(window.engine)  # NPI 1234567893 is Dana Whitfield, MD
    window.chart.practice_changed()
    window.chart.load_document({**VISIT, "provider": {"name": "Dr. A. Smith",
                                                      "npi": "1234567893"}})
    window.chart.run_check()
    qtbot.waitUntil(lambda: bool(provider_findings(window)), timeout=30000)
    [finding] = provider_findings(window)
    assert finding.severity == "warning" and '"Dana Whitfield, MD"' in finding.message
    window.chart.apply_fix(finding)  # Apply fix: the name on file
    assert window.chart.fields["provider.name"].text() == "Dana Whitfield"
    window.chart.run_check()
    qtbot.waitUntil(lambda: window.chart.findings_panel.findings and
                    not provider_findings(window), timeout=30000)


def test_before_a_superbill_the_replaced_provider_is_said_and_asked(window, qtbot, tmp_path,
                                                                     asked):
    load_sample_practice(window.engine)
    window.chart.load_document({**VISIT, "provider": {"name": "Dr. A. Smith",
                                                      "npi": "1234567893"}})
    out = tmp_path / "visit.pdf"
    window.superbills.save_superbill(str(out))  # No: the coder fixes the provider first
    qtbot.waitUntil(lambda: bool(asked["asked"]), timeout=30000)
    [question] = asked["asked"]
    assert question.startswith('The provider "Dr. A. Smith" is not the name on file for NPI '
                               '1234567893, "Dana Whitfield, MD"')
    assert question.endswith("Make the superbill with the name on file?")
    idle(window, qtbot)
    assert not out.exists()
    asked["reply"] = QMessageBox.StandardButton.Yes
    window.superbills.save_superbill(str(out))
    qtbot.waitUntil(out.exists, timeout=30000)
    assert "Dana Whitfield, MD" in pdf_text(out) and "A. Smith" not in pdf_text(out)


def test_no_question_when_the_provider_is_the_name_on_file(window, qtbot, tmp_path, asked):
    load_sample_practice(window.engine)
    window.chart.load_document({**VISIT, "provider": {"name": "Dr. Dana Whitfield",
                                                      "npi": "1234567893"}})
    out = tmp_path / "visit.pdf"
    window.superbills.save_superbill(str(out))
    qtbot.waitUntil(out.exists, timeout=30000)
    assert asked["asked"] == []
    assert "Dana Whitfield, MD" in pdf_text(out)


def test_errors_and_a_replaced_provider_are_asked_about_once(window, qtbot, tmp_path, asked):
    load_sample_practice(window.engine)
    window.chart.load_document({**VISIT, "diagnoses": ["E11.9", "E10.9"],
                                "provider": {"name": "Dr. A. Smith", "npi": "1234567893"}})
    window.superbills.save_superbill(str(tmp_path / "visit.pdf"))
    qtbot.waitUntil(lambda: bool(asked["asked"]), timeout=30000)
    idle(window, qtbot)
    [question] = asked["asked"]
    assert "still open" in question and 'Also: The provider "Dr. A. Smith"' in question
