"""Columns fitted to the terminal: a long title wraps under its own column with no word cut
and no line past the width; piped, each entry stays whole on one line for grep."""

from __future__ import annotations

import io
import sys

import pytest

from encoder_app.cli.main import main
from encoder_app.cli.wrapping import MIN_COLUMN, hanging, terminal_width

TITLE = ("Displaced fracture of base of neck of right femur, subsequent encounter for open "
         "fracture type IIIA, IIIB, or IIIC with nonunion")


class Terminal(io.StringIO):
    """A stdout that says it is a terminal."""

    encoding = "utf-8"

    def isatty(self) -> bool:
        return True


@pytest.fixture
def terminal(monkeypatch):
    """stdout as a 60-column terminal."""
    out = Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setenv("COLUMNS", "60")
    return out


def assert_wrapped(lines: list[str], column: int, words: str, width: int = 60) -> None:
    assert len(lines) > 1
    assert all(len(line) <= width for line in lines), [len(line) for line in lines]
    assert all(line[:column].isspace() and not line[column].isspace() for line in lines[1:])
    assert " ".join(" ".join(lines).split()).endswith(" ".join(words.split()))


def test_a_long_title_wraps_under_its_column_within_the_width():
    lines = hanging("S72.044N  ", TITLE, 60).splitlines()
    assert lines[0].startswith("S72.044N  Displaced fracture")
    assert_wrapped(lines, 10, TITLE)


def test_piped_the_title_is_one_whole_line():
    assert hanging("S72.044N  ", TITLE, None) == f"S72.044N  {TITLE}"


def test_a_word_longer_than_the_column_is_kept_whole():
    long_word = "x" * 70
    lines = hanging("A  ", f"see {long_word} here", 40).splitlines()
    assert lines == ["A  see", f"   {long_word}", "   here"]


def test_a_very_narrow_terminal_still_gives_the_title_a_readable_column():
    lines = hanging(" " * 10, TITLE, 15).splitlines()
    assert max(len(line) for line in lines) <= 10 + MIN_COLUMN


def test_the_width_is_the_terminals_and_none_when_piped(monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    assert terminal_width(Terminal()) == 60
    assert terminal_width(io.StringIO()) is None
    monkeypatch.delenv("COLUMNS")
    assert terminal_width(Terminal()) >= 1  # the terminal's own, or 80 when none says


# -- the commands that print a title column --------------------------------------------------


@pytest.fixture
def mini_db(tmp_path, monkeypatch, fixtures):
    from encoder_app.codebook.db import engine_for
    from encoder_app.importers import import_paths

    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("ENCODER_APP_DB_URL", url)
    import_paths([fixtures / "tabular" / "tabular_mini_2031.xml"], engine_for(url))


def test_code_show_wraps_every_title_on_a_terminal_and_cuts_none_when_piped(mini_db, capsys,
                                                                            monkeypatch):
    assert main(["code", "show", "W54.0", "--date", "2031-03-01"]) == 0
    piped = capsys.readouterr().out
    assert "..." not in piped  # the breadcrumb's titles are whole
    out = Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setenv("COLUMNS", "40")
    assert main(["code", "show", "W54.0", "--date", "2031-03-01"]) == 0
    shown = out.getvalue()
    assert all(len(line) <= 40 for line in shown.splitlines()), shown
    assert " ".join(shown.split()) == " ".join(piped.split())  # the same words, every one


def test_picklist_show_wraps_labels_under_their_column(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("ENCODER_APP_DB_URL", f"sqlite:///{tmp_path / 'p.sqlite3'}")
    assert main(["picklist", "show", "sample"]) == 0
    piped = capsys.readouterr().out
    assert "  [ ] 99213     Office visit, est., low complexity  (CPT)" in piped
    out = Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setenv("COLUMNS", "44")
    assert main(["picklist", "show", "sample"]) == 0
    lines = out.getvalue().splitlines()
    assert all(len(line) <= 44 for line in lines)
    at = lines.index("  [ ] 99213     Office visit, est., low")
    assert lines[at + 1] == " " * 16 + "complexity  (CPT)"
    assert " ".join(out.getvalue().split()) == " ".join(piped.split())
