"""The browser's tree view as a coder drives it: a row's level is fetched before the row opens
(by mouse, keyboard or a jump), and the top of a long book pages in as the view needs it."""

from types import SimpleNamespace

import pytest
from PySide6.QtCore import QPoint, Qt

from encoder_app.importers import import_paths
from ui.browser.models import IndexTreeModel, TabularTreeModel
from ui.browser.source import BrowseSource
from ui.browser.tabs import BrowserView


@pytest.fixture
def books_engine(engine, fixtures):
    import_paths([fixtures / "index" / "icd10cm_index_mini_2031.xml"], engine)
    return engine


def shown_view(qtbot, model, system="icd10cm") -> BrowserView:
    window = SimpleNamespace(open_code=lambda *a: None, assign_code=lambda *a: None)
    view = BrowserView(window, model, system)
    qtbot.addWidget(view)
    view.resize(800, 600)
    with qtbot.waitExposed(view):  # a context manager: called bare it waited for nothing
        view.show()
    return view


def row_named(model, text):
    return next(model.index(r, 0) for r in range(model.rowCount())
                if model.index(r, 0).data() == text)


class OpenWhenFetched:
    """Records, for each batch of rows that arrives, whether its parent row was open then."""

    def __init__(self, view):
        self.opened: list[bool] = []
        view.model().rowsInserted.connect(
            lambda parent, *_: parent.isValid() and self.opened.append(view.isExpanded(parent)))


def test_a_click_on_the_arrow_fetches_the_level_before_the_row_opens(books_engine, qtbot):
    model = IndexTreeModel(BrowseSource(books_engine))
    view = shown_view(qtbot, model)
    spy = OpenWhenFetched(view)
    fracture = row_named(model, "Fracture, traumatic (abduction) (adduction)")
    rect = view.visualRect(fracture)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(rect.x() - view.indentation() // 2, rect.center().y()))
    assert view.isExpanded(fracture)
    assert model.index(0, 0, fracture).data() == "femur, femoral"
    assert spy.opened == [False]  # fetched while still closed: no relayout of the whole tree


def test_the_right_arrow_key_and_expand_fetch_before_opening_too(books_engine, qtbot):
    model = IndexTreeModel(BrowseSource(books_engine))
    view = shown_view(qtbot, model)
    spy = OpenWhenFetched(view)
    amyloidosis = row_named(model, "Amyloidosis")
    view.setCurrentIndex(amyloidosis)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.isExpanded(amyloidosis) and model.index(0, 0, amyloidosis).data() == "heart"
    fracture = row_named(model, "Fracture, traumatic (abduction) (adduction)")
    view.expand(fracture)
    assert view.isExpanded(fracture)
    assert spy.opened == [False, False]


def test_a_level_longer_than_ahead_opens_with_ahead_rows_and_the_rest_follows(fy2026_engine,
                                                                             qtbot):
    model = TabularTreeModel(BrowseSource(fy2026_engine))
    model.ahead = 5  # Chapter 4 has 19 blocks
    view = shown_view(qtbot, model)
    chapter4 = row_named(model, "Chapter 4")
    model.fetch_before_open(chapter4)
    assert model.rowCount(chapter4) == 5 and model.canFetchMore(chapter4)
    view.expand(chapter4)
    qtbot.waitUntil(lambda: not model.canFetchMore(chapter4), timeout=5000)
    blocks = [model.index(r, 0, chapter4).data() for r in range(model.rowCount(chapter4))]
    assert blocks[:3] == ["E00-E07", "E08-E13", "E15-E16"] and len(blocks) > 5
    assert len(set(blocks)) == len(blocks)


def test_a_view_taller_than_its_first_batch_pages_until_full(books_engine, qtbot):
    model = IndexTreeModel(BrowseSource(books_engine))
    model.batch = 2  # the mini book's 10 main terms fit the view many times over
    shown_view(qtbot, model)
    # No scroll ever happens (nothing to scroll), yet the rows the view has room for arrive.
    qtbot.waitUntil(lambda: model.rowCount() == 10, timeout=5000)
    assert not model.more_at_top()
