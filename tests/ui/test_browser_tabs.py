"""Browsing in the window: the Tabular tab opens and assigns codes; the index jumps on see."""

import pytest


def tab(window, title):
    for i in range(window.tabs.count()):
        if window.tabs.tabText(i) == title:
            window.tabs.setCurrentIndex(i)
            return window.tabs.widget(i)
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    raise AssertionError(f"no {title} tab: {titles}")


def test_tabular_tab_browses_to_a_code_shows_and_assigns_it(window, qtbot):
    view = tab(window, "Tabular")
    model = view.model()
    assert model.rowCount() == 22
    target = model.index_for_code("E11.9")
    view.scrollTo(target)
    view.setCurrentIndex(target)
    assert window.detail.current.code == "E11.9"
    view.activated.emit(target)
    assert window.chart.document["diagnoses"] == ["E11.9"]


@pytest.fixture
def window_with_index(window, qtbot, fixtures, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    done = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: done.append(a[2]))
    window.import_files([str(fixtures / "index" / "icd10cm_index_mini_2031.xml")])
    qtbot.waitUntil(lambda: bool(done), timeout=120000)
    return window


def test_index_tab_lists_main_terms_and_jumps_on_see(window_with_index, qtbot):
    view = tab(window_with_index, "Index")
    model = view.model()
    assert model.rowCount() > 0
    titles = [model.index(r, 0).data() for r in range(model.rowCount())]
    see_rows = [r for r in range(model.rowCount())
                if "Fracture, traumatic" in (model.index(r, 2).data() or "")]
    assert titles and see_rows
    view.activated.emit(model.index(see_rows[0], 0))
    assert view.currentIndex().siblingAtColumn(0).data().startswith("Fracture, traumatic")
