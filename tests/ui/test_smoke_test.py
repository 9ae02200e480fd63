"""`encoder-app --smoke-test`, the check CI runs on a built bundle: it opens the window on the
default database, searches, opens the code it must find, and exits 0; a step that does not
happen is exit 1 with what it expected."""



import ui.smoke_test
from encoder_app.cli import main as cli_main


def test_the_smoke_test_searches_opens_the_code_and_passes(qapp, default_data, capsys):
    assert ui.smoke_test.run() == 0
    out = capsys.readouterr().out
    assert "search answered" in out and "opened E11.9: Type 2 diabetes mellitus without" in out
    assert out.rstrip().endswith("smoke test passed")


def test_a_code_the_search_does_not_find_fails_the_smoke_test(qapp, default_data, capsys,
                                                                monkeypatch):
    monkeypatch.setattr(ui.smoke_test, "EXPECTED", ("icd10cm", "A00.0"))
    assert ui.smoke_test.run() == 1
    err = capsys.readouterr().err
    assert "smoke test FAILED: A00.0 is not among the results" in err


def test_the_command_line_flag_runs_the_smoke_test(monkeypatch):
    monkeypatch.setattr(ui.smoke_test, "run", lambda: 7)
    assert cli_main.main(["--smoke-test"]) == 7


def test_a_system_with_no_fonts_fails_the_smoke_test(qapp, default_data, capsys, monkeypatch):
    from PySide6.QtGui import QFontDatabase

    monkeypatch.setattr(QFontDatabase, "families", staticmethod(lambda *a: []))
    assert ui.smoke_test.run() == 1
    assert "Qt found no fonts" in capsys.readouterr().err
