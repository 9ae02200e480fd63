"""The codebook browser's trees as a coder sees them in a QTreeView: levels appear on expand,
main terms in batches as the list scrolls, references and table headings shown."""

import datetime as dt
import time

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QTreeView

from encoder_app.importers import import_paths
from ui.browser.lazy_tree import BillableRole, CodeRole, IdRole, LevelRole, SeeAlsoRole, SeeRole
from ui.browser.models import IndexTreeModel, TableTreeModel, TabularTreeModel
from ui.browser.source import BrowseSource

INDEX_BOOKS = ["icd10cm_index_mini_2031.xml", "icd10cm_eindex_mini_2031.xml",
               "icd10cm_neoplasm_mini_2031.xml", "icd10cm_drug_mini_2031.xml"]


@pytest.fixture
def books(engine, fixtures):
    import_paths([fixtures / "index" / name for name in INDEX_BOOKS], engine)
    return engine


TOP = QModelIndex()


def shown(model, parent=TOP, column=0) -> list[str]:
    return [model.index(row, column, parent).data() for row in range(model.rowCount(parent))]


def row_named(model, text: str, parent=TOP):
    return next(model.index(row, 0, parent) for row in range(model.rowCount(parent))
                if model.index(row, 0, parent).data() == text)


def tree_view(qtbot, model) -> QTreeView:
    view = QTreeView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(800, 600)
    view.show()
    return view


def timed_ms(action) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


# ---- the Tabular tree ----

def test_tabular_tree_opens_on_the_22_chapters_in_order(fy2026_engine, qtbot):
    model = TabularTreeModel(BrowseSource(fy2026_engine))
    elapsed = timed_ms(lambda: tree_view(qtbot, model))
    assert shown(model) == [f"Chapter {n}" for n in range(1, 23)]
    assert model.index(3, 1).data().startswith("Endocrine, nutritional and metabolic diseases")
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in (0, 1)] == ["Code", "Title"]
    print(f"view with the 22 chapters shown in {elapsed:.1f} ms")


def test_expanding_chapter_4_fetches_its_blocks(fy2026_engine, qtbot):
    model = TabularTreeModel(BrowseSource(fy2026_engine))
    view = tree_view(qtbot, model)
    chapter4 = row_named(model, "Chapter 4")
    assert model.hasChildren(chapter4) and model.rowCount(chapter4) == 0  # not fetched yet
    elapsed = timed_ms(lambda: view.expand(chapter4))
    assert view.isExpanded(chapter4)
    assert shown(model, chapter4)[:3] == ["E00-E07", "E08-E13", "E15-E16"]
    assert model.index(1, 0, chapter4).data(LevelRole) == "block"
    print(f"{model.rowCount(chapter4)} blocks of Chapter 4 fetched on expand in {elapsed:.1f} ms")


def test_a_code_chosen_elsewhere_opens_down_to_e11_9(fy2026_engine, qtbot):
    model = TabularTreeModel(BrowseSource(fy2026_engine))
    view = tree_view(qtbot, model)
    e119 = model.index_for_code("E11.9")
    assert e119.isValid() and e119.data() == "E11.9"
    ancestors, up = [], e119.parent()
    while up.isValid():
        ancestors.append(up)
        up = up.parent()
    assert [a.data() for a in ancestors] == ["E11", "E08-E13", "Chapter 4"]
    for index in reversed(ancestors):
        view.expand(index)
    view.setCurrentIndex(e119)
    view.scrollTo(e119)
    assert view.currentIndex().data(CodeRole) == "E11.9"
    assert not view.visualRect(e119).isEmpty()
    assert e119.data(BillableRole) is True
    assert ancestors[0].data(BillableRole) is False
    assert (e119.data(LevelRole), ancestors[0].data(LevelRole)) == ("subcategory", "category")
    assert e119.data(IdRole) == model.source.find_code_id("icd10cm", "E11.9")
    assert not model.hasChildren(e119)
    assert not model.index_for_code("Z99.999").isValid()


def test_hcpcs_tree_groups_codes_by_letter(engine, fixtures, qtbot):
    import_paths([fixtures / "hcpcs" / "HCPC2024_JUL_ANWEB.csv"], engine)
    model = TabularTreeModel(BrowseSource(engine), "hcpcs")
    view = tree_view(qtbot, model)
    assert shown(model) == ["A0001-A0002", "E0001", "G0001", "J0001"]
    assert model.index(0, 0).data(LevelRole) == "group"
    view.expand(model.index(0, 0))
    assert shown(model, model.index(0, 0)) == ["A0001", "A0002"]
    j0001 = model.index_for_code("J0001")
    assert j0001.parent().data() == "J0001" and j0001.data(BillableRole) is True


def test_a_big_level_arrives_a_batch_now_and_the_rest_over_the_event_loop(fy2026_engine,
                                                                          qtbot, monkeypatch):
    """A level bigger than a batch (an HCPCS group holds a thousand codes) is fetched a batch
    at a time, none left behind, and a code past the first batch is still found for a jump."""
    monkeypatch.setattr(TabularTreeModel, "batch", 3)
    model = TabularTreeModel(BrowseSource(fy2026_engine))
    fetched = []
    real_fetch = model._fetch
    monkeypatch.setattr(model, "_fetch", lambda item, offset, limit: fetched.append(
        (item, offset, limit)) or real_fetch(item, offset, limit))
    view = tree_view(qtbot, model)
    while model.more_at_top():  # the top pages too (as the view scrolls); fetch it all
        model.fetch_more_top()
    chapter4 = row_named(model, "Chapter 4")
    view.expand(chapter4)
    qtbot.waitUntil(lambda: not model.canFetchMore(chapter4), timeout=10000)
    assert shown(model)[:5] == ["Chapter 1", "Chapter 2", "Chapter 3", "Chapter 4", "Chapter 5"]
    below = [(offset, limit) for item, offset, limit in fetched if item is not None]
    assert below == [(offset, 3) for offset in range(0, 3 * len(below), 3)]
    whole = browse_children(fy2026_engine, model, chapter4)
    assert shown(model, chapter4) == whole and len(whole) > 3
    e119 = TabularTreeModel(BrowseSource(fy2026_engine))
    monkeypatch.setattr(e119, "batch", 2)
    assert e119.index_for_code("E11.9").data() == "E11.9"


def browse_children(engine, model, parent) -> list[str]:
    from encoder_app.codebook import browse

    return [n.code for n in browse.tabular_children(engine, "icd10cm", model.item(parent).id)]


def test_a_new_date_of_service_shows_that_dates_release(engine, fixtures, qtbot):
    import_paths([fixtures / "tabular" / "tabular_mini_2031.xml",
                  fixtures / "tabular" / "tabular_mini_2032.xml"], engine)
    model = TabularTreeModel(BrowseSource(engine, dt.date(2031, 6, 1)))
    view = tree_view(qtbot, model)

    def a00_codes():
        a00 = model.index_for_code("A00")
        view.scrollTo(a00)  # opens the chapter and block above it
        view.expand(a00)
        return shown(model, a00)
    assert a00_codes() == ["A00.0", "A00.1"]
    model.set_source(BrowseSource(engine, dt.date(2032, 6, 1)))
    assert a00_codes() == ["A00.0", "A00.2"]


# ---- an index book ----

def test_index_main_terms_come_in_batches_as_the_view_asks(books, qtbot):
    model = IndexTreeModel(BrowseSource(books))
    model.batch = 4  # the mini book has 10 main terms; the real one 8,100 in batches of 500
    assert model.rowCount() == 0 and model.canFetchMore(TOP)  # a view's first layout asks
    model.fetchMore(TOP)
    assert model.rowCount() == 4
    # Past the first batch the view's relayouts may not pull more; scrolling does.
    assert not model.canFetchMore(TOP) and model.more_at_top()
    model.fetch_more_top()
    assert model.rowCount() == 8 and model.more_at_top()
    model.fetch_more_top()
    assert model.rowCount() == 10 and not model.more_at_top()
    assert shown(model)[:3] == ["Abandonment", "Abasia (-astasia) (hysterical)",
                                "Abdomen, abdominal"]
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in (0, 1, 2)] == [
        "Term", "Code", "See"]


def test_index_shows_codes_and_see_references_in_their_columns(books, qtbot):
    model = IndexTreeModel(BrowseSource(books))
    view = tree_view(qtbot, model)
    abandonment, abasia = model.index(0, 0), model.index(1, 0)
    assert (model.index(0, 2).data(), abandonment.data(SeeRole)) == (
        "see Maltreatment", "Maltreatment")
    assert model.index(1, 1).data() == "F44.4" and abasia.data(CodeRole) == "F44.4"
    abdomen = row_named(model, "Abdomen, abdominal")
    assert abdomen.data(SeeAlsoRole) == "condition"
    assert model.index(abdomen.row(), 2).data() == "see also condition"
    amyloidosis = row_named(model, "Amyloidosis")
    view.expand(amyloidosis)
    assert [model.index(0, c, amyloidosis).data() for c in (0, 1)] == ["heart", "E85.4 [I43]"]


def test_a_see_reference_jumps_to_the_term_it_names(books, qtbot):
    model = IndexTreeModel(BrowseSource(books))
    model.batch = 2  # the target's main term is in a later batch
    view = tree_view(qtbot, model)
    target = model.index_for_reference("Fracture, femur, upper end, neck")
    assert target.isValid() and target.data() == "neck"
    path, up = [], target.parent()
    while up.isValid():
        path.insert(0, up.data())
        up = up.parent()
    assert path == ["Fracture, traumatic (abduction) (adduction)", "femur, femoral",
                    "upper end"]
    view.scrollTo(target)  # expands the parents
    assert view.isExpanded(target.parent())
    assert not model.index_for_reference("condition").isValid()


def test_external_cause_index_shows_see_category(books, qtbot):
    model = IndexTreeModel(BrowseSource(books), "eindex")
    view = tree_view(qtbot, model)
    suffocation = row_named(model, "Suffocation")
    view.expand(suffocation)
    assert model.index(0, 2, suffocation).data() == "see category T71"


def test_a_book_not_loaded_is_reported_not_raised(engine, qtbot):
    model = IndexTreeModel(BrowseSource(engine))
    with qtbot.waitSignal(model.fetchFailed) as failed:
        model.fetchMore(TOP)
    assert "icd10cm_index_YYYY.xml" in failed.args[0]
    assert model.rowCount() == 0 and not model.canFetchMore(TOP) and not model.more_at_top()


@pytest.mark.shared_data
def test_the_full_index_scrolls_its_8100_main_terms_in_batches(engine, shared_codebooks, qtbot):
    import_paths([shared_codebooks / "icd10cm-2025" / "icd10cm_index_2025.xml"], engine)
    model = IndexTreeModel(BrowseSource(engine))
    first = timed_ms(lambda: tree_view(qtbot, model))
    assert model.rowCount() == 500
    batches = 1
    worst = 0.0
    while model.more_at_top():
        worst = max(worst, timed_ms(model.fetch_more_top))
        batches += 1
    assert model.rowCount() == 8100 and batches == 17
    print(f"first 500 main terms shown in {first:.1f} ms; worst later batch {worst:.1f} ms")


@pytest.mark.shared_data
def test_expanding_terms_leaves_the_top_alone_and_scrolling_pages_it(engine, shared_codebooks,
                                                                     qtbot):
    from types import SimpleNamespace

    from ui.browser.tabs import BrowserView

    import_paths([shared_codebooks / "icd10cm-2025" / "icd10cm_index_2025.xml"], engine)
    model = IndexTreeModel(BrowseSource(engine))
    window = SimpleNamespace(open_code=lambda *a: None, assign_code=lambda *a: None)
    view = BrowserView(window, model, "icd10cm")
    qtbot.addWidget(view)
    view.resize(800, 600)
    with qtbot.waitExposed(view):  # a context manager: called bare it waited for nothing
        view.show()
    assert model.rowCount() == 500
    for row in range(20):  # each expansion relayouts the tree; none may pull main terms
        view.expand(model.index(row, 0))
        qtbot.wait(5)
    assert model.rowCount() == 500
    assert sum(model.rowCount(model.index(r, 0)) for r in range(20)) > 100
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())
    assert model.rowCount() == 1000
    assert model.index(500, 0).data() > model.index(499, 0).data()  # book order carries on


# ---- the Neoplasm and Drug tables ----

def test_neoplasm_grid_has_the_tables_headings_as_columns(books, qtbot):
    model = TableTreeModel(BrowseSource(books), "neoplasm")
    view = tree_view(qtbot, model)
    assert [model.headerData(c, Qt.Orientation.Horizontal)
            for c in range(model.columnCount())] == [
        "Neoplasm", "Malignant Primary", "Malignant Secondary", "Ca in situ", "Benign",
        "Uncertain Behavior", "Unspecified Behavior"]
    assert view.header().count() == 7
    neoplasm = model.index(0, 0)
    assert neoplasm.data() == "Neoplasm, neoplastic"
    assert [model.index(0, c).data() for c in range(1, 7)] == [
        "C80.1", "C79.9", "D09.9", "D36.9", "D48.9", "D49.9"]
    view.expand(neoplasm)
    lung = row_named(model, "lung (see also Neoplasm, bronchus)", neoplasm)
    assert lung.data(SeeAlsoRole) == "Neoplasm, bronchus"
    assert model.index(lung.row(), 1, neoplasm).data(CodeRole) == "C34.9-"
    skin = row_named(model, "skin (of)", neoplasm)
    assert model.index(skin.row(), 3, neoplasm).data() == ""  # a cell the book leaves empty


def test_drug_grid_rows_and_columns(books, qtbot):
    model = TableTreeModel(BrowseSource(books), "drug")
    tree_view(qtbot, model)
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Substance"
    assert model.headerData(5, Qt.Orientation.Horizontal) == "Adverse effect"
    assert shown(model) == ["Acid (corrosive) NEC", "Aspirin (aluminum) (soluble)"]
    assert model.index(1, 5).data() == "T39.015"
    assert model.index_for_row(model.index(1, 0).data(IdRole)) == model.index(1, 0)
