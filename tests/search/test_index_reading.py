"""One search from the command line reads only what it needs from the index and the database
(the table mapped, the database through sqlite3 read-only); it finds exactly what the window,
with the whole index in memory, finds."""

import datetime as dt
from array import array

import pytest

from encoder_app.codebook.reading import ReadOnlyCodebook
from encoder_app.search import index_files, open_search_engine
from encoder_app.search.table_file import Numbers, Strings, TableFile, Value, write_table

QUERIES = [
    ("afib", None, 20, False),
    ("chest pa", None, 20, False),  # a partial last word
    ("pnuemonia", None, 10, False),  # a spelling correction
    ("E11.6", None, 5, False),  # a code
    ("fract fem", ("icd10cm",), 20, False),
    ("kidney complications", None, 20, True),  # headers led on to their children
    ("torus fracture of right radius subsequent encounter", None, 20, False),  # a 7th character
    ("test transport", ("hcpcs",), 10, False),
    ("epsilon injection 5 mg", None, 10, False),  # a dose: the units to report
    ("advil", None, 10, False),  # a brand read as its generic
    ("68 year old man with persistent atrial fibrillation on long term warfarin", None, 20,
     False),  # no document has every word
]


@pytest.fixture(scope="module")
def both(_search_template):
    from encoder_app.codebook.db import engine_for

    engine = engine_for(f"sqlite:///{_search_template / 'codebook.sqlite3'}")
    codebook = ReadOnlyCodebook(_search_template / "codebook.sqlite3")
    window = open_search_engine(engine, _search_template / "index")
    one_search = open_search_engine(codebook, _search_template / "index", in_memory=False)
    yield window, one_search
    codebook.close()


@pytest.mark.parametrize("query,systems,limit,billable", QUERIES)
def test_reading_what_a_search_needs_finds_what_the_whole_index_finds(both, query, systems,
                                                                      limit, billable):
    window, one_search = both
    kwargs = {"limit": limit, "billable_only": billable, "date": dt.date(2026, 5, 1)}
    if systems:
        kwargs["systems"] = systems
    expected = [h.to_json() for h in window.search(query, **kwargs)]
    assert expected
    assert [h.to_json() for h in one_search.search(query, **kwargs)] == expected


def test_the_index_is_current_for_either_reader(both):
    window, one_search = both
    assert window.is_current() and one_search.is_current()


def test_titles_are_found_by_code_without_reading_the_others(_search_template):
    whole = index_files.load_table(_search_template / "index")
    mapped = index_files.load_table(_search_template / "index", in_memory=False)
    for system, titles in whole["titles"].items():
        for code in list(titles)[::997]:
            assert mapped["titles"][system][code] == titles[code]
        with pytest.raises(KeyError):
            mapped["titles"][system]["not a code"]
    assert len(mapped["text"]) == len(whole["text"])
    assert [mapped["text"][i] for i in range(0, len(whole["text"]), 1013)] == \
        whole["text"][::1013]


def test_a_table_file_reads_back_as_written(tmp_path):
    path = tmp_path / "t.columns"
    strings = ["", "heart", "Ménière's disease", "a\0b", "last"]  # a NUL: read one by one
    write_table(path, {"few": Numbers("B", [0, 3, 255]), "prior": Numbers("d", [0.5, 1e-9]),
                       "words": Strings(strings), "plain": Strings(["x", "", "yz"] * 3000),
                       "stems": Value({"fractur": ["fracture", "fractured"]})})
    table = TableFile(path)
    assert table.load("few") == [0, 3, 255] and list(table.column("few")) == [0, 3, 255]
    assert table.load("prior") == [0.5, 1e-9]
    assert table.load("words") == strings and table.column("words")[2] == "Ménière's disease"
    assert table.load("plain") == ["x", "", "yz"] * 3000  # read a run at a time
    assert table.column("plain")[8999] == "yz"
    assert table.load("stems") == {"fractur": ["fracture", "fractured"]}
    assert "few" in table and "other" not in table
    assert array("I").itemsize == 4  # the string starts' type code holds 4 bytes here


def test_a_file_that_is_not_a_table_is_refused(tmp_path):
    path = tmp_path / "t.columns"
    path.write_bytes(b"not a table at all, just bytes")
    with pytest.raises(ValueError):
        TableFile(path)
