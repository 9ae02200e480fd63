"""Importing a different file of a release already loaded asks first, and shows both counts."""

from PySide6.QtWidgets import QMessageBox


def _titles(window):
    from encoder_app.codebook.lookup import code_detail

    return code_detail(window.engine, "A0001", "hcpcs").title


def test_a_changed_file_of_a_loaded_release_is_replaced_only_when_the_coder_says_yes(
        window, qtbot, fixtures, tmp_path, monkeypatch):
    shown, asked, answers = [], [], []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[2]))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))

    def question(parent, title, text, *rest):
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    original = fixtures / "hcpcs" / "HCPC2024_JUL_ANWEB.csv"
    window.imports.import_files([str(original)])
    qtbot.waitUntil(lambda: bool(shown), timeout=120000)
    assert "imported HCPCS Level II" in shown[-1]
    qtbot.waitUntil(lambda: window.search.box.isEnabled())

    changed = tmp_path / "HCPC2024_JUL_ANWEB.csv"
    changed.write_text(original.read_text().replace("Test transport alpha, per mile",
                                                    "Test transport alpha, per mile, corrected"))
    # First: the coder says No, and the loaded release is untouched.
    answers.append(QMessageBox.StandardButton.No)
    window.imports.import_files([str(changed)])
    qtbot.waitUntil(lambda: bool(asked), timeout=120000)
    assert "already loaded" in asked[0] and "codes: 5 loaded, 5 in this file (+0)" in asked[0]
    qtbot.waitUntil(lambda: window.search.box.isEnabled())
    assert _titles(window) == "Test transport alpha, per mile"

    # Then the same file again, and Yes: it replaces the release.
    answers.append(QMessageBox.StandardButton.Yes)
    count = len(shown)
    window.imports.import_files([str(changed)])
    qtbot.waitUntil(lambda: len(asked) == 2 and len(shown) > count, timeout=120000)
    assert "replaced HCPCS Level II" in shown[-1]
    qtbot.waitUntil(lambda: window.search.box.isEnabled())
    assert _titles(window) == "Test transport alpha, per mile, corrected"
