"""Browsing in the window: the Tabular tab opens and assigns codes; the index jumps on see;
the filter box over a book finds main terms the list has not reached."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from encoder_app.importers import import_paths
from ui.browser.filter import FilteredBook
from ui.browser.tabs import add_browser_tabs


def tab(window, title):
    """The tree of a tab, shown (a book's tab holds a filter box above its tree)."""
    for i in range(window.tabs.count()):
        if window.tabs.tabText(i) == title:
            window.tabs.setCurrentIndex(i)
            widget = window.tabs.widget(i)
            return getattr(widget, "view", widget)
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
    window.imports.import_files([str(fixtures / "index" / "icd10cm_index_mini_2031.xml")])
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


def shown_rows(view) -> list[str]:
    model = view.model()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def book_tab(window, title) -> FilteredBook:
    tab(window, title)
    return window.tabs.currentWidget()


def long_index(folder):
    """An index whose Hypertension main terms come after 600 others: past the first batch."""
    fillers = "".join(f"<mainTerm><title>Condition {n:04d}</title><code>R69</code></mainTerm>"
                      for n in range(600))
    path = folder / "icd10cm_index_long_2031.xml"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<ICD10CM.index><version>2031</version>'
        "<title>ICD-10-CM INDEX TO DISEASES and INJURIES</title><letter><title>C</title>"
        f"{fillers}</letter><letter><title>G</title><mainTerm>"
        "<title>Goldblatt's hypertension or kidney</title><code>I70.1</code></mainTerm>"
        "</letter><letter><title>H</title><mainTerm><title>Hypertension, hypertensive"
        "<nemod>(accelerated)</nemod></title><code>I10</code><term level=\"1\">"
        "<title>heart</title><code>I11.9</code></term></mainTerm><mainTerm>"
        "<title>Hypertensive urgency</title><code>I16.0</code></mainTerm>"
        "<mainTerm><title>Hypotension</title><code>I95.9</code></mainTerm></letter>"
        "</ICD10CM.index>", encoding="utf-8")
    return path


@pytest.fixture
def window_with_long_index(window, tmp_path):
    import_paths([long_index(tmp_path)], window.engine)
    add_browser_tabs(window, window.tabs)  # as after an import from the menu
    return window


def test_the_index_filter_box_finds_main_terms_not_paged_in_and_clearing_restores(
        window_with_long_index, qtbot):
    book = book_tab(window_with_long_index, "Index")
    view = book.view
    assert len(shown_rows(view)) == 500 and not any("yperten" in t for t in shown_rows(view))
    queries = []
    job = view.model().filtered_top_job
    view.model().filtered_top_job = lambda text: queries.append(text) or job(text)

    # Typing is debounced: nothing is asked until the coder pauses. Between the keys what they
    # queued (posted events, queued calls, zero timers) runs, but no timer can come due: a
    # qtbot.wait(40) here lasted past the 150 ms pause on a loaded machine, and the filter
    # rightly asked for "hyper".
    qtbot.keyClicks(book.box, "hyper")
    QApplication.sendPostedEvents()
    qtbot.keyClicks(book.box, "ten")
    QApplication.sendPostedEvents()
    assert queries == []
    qtbot.waitUntil(lambda: shown_rows(view) == [
        "Hypertension, hypertensive (accelerated)", "Hypertensive urgency",
        "Goldblatt's hypertension or kidney"], timeout=5000)
    assert queries == ["hyperten"]  # one query, not one per key
    assert book.count.text() == "3 main terms"
    view.expand(view.model().index(0, 0))  # a filtered term still opens on its subterms
    assert view.model().index(0, 0, view.model().index(0, 0)).data() == "heart"

    qtbot.keyClicks(book.box, "x")
    qtbot.waitUntil(lambda: shown_rows(view) == [], timeout=5000)
    assert book.count.text() == "no main term has “hypertenx”"

    qtbot.keyClick(book.box, Qt.Key.Key_Escape)  # clears the box: the whole book again
    qtbot.waitUntil(lambda: len(shown_rows(view)) == 500, timeout=5000)
    assert shown_rows(view)[0] == "Condition 0000" and book.count.text() == ""
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())  # and it pages on as before
    qtbot.waitUntil(lambda: len(shown_rows(view)) == 604, timeout=5000)


def test_a_see_reference_from_a_filtered_list_leads_into_the_whole_book(window_with_index,
                                                                        qtbot):
    book = book_tab(window_with_index, "Index")
    qtbot.keyClicks(book.box, "aband")
    qtbot.waitUntil(lambda: shown_rows(book.view) == ["Abandonment"], timeout=5000)
    qtbot.keyClick(book.box, Qt.Key.Key_Down)  # on to the rows
    assert window_with_index.focusWidget() is book.view and book.view.currentIndex().row() == 0
    qtbot.keyClick(book.view, Qt.Key.Key_Return)  # see Maltreatment
    assert book.view.currentIndex().data() == "Maltreatment"
    assert book.box.text() == "" and len(shown_rows(book.view)) == 10
