"""An installed app has every package and the project's own data files."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_python_package_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    on_disk = {".".join(p.parent.relative_to(ROOT).parts)
               for top in ("encoder_app", "ui") for p in (ROOT / top).rglob("__init__.py")}
    assert on_disk <= listed
    assert "encoder_app.codebooks" in listed


def test_shipped_data_is_in_codebooks():
    assert (ROOT / "codebooks" / "synonyms.tsv").is_file()


def test_the_guideline_tables_are_package_data():
    """The guideline rules read their tables as package data: an install without them would
    start and then fail on the first check."""
    from fnmatch import fnmatch

    from encoder_app.edits.guidelines import FAMILIES

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"]["encoder_app.edits.guidelines"]
    folder = ROOT / "encoder_app" / "edits" / "guidelines"
    for family in FAMILIES:
        assert (folder / f"{family}.toml").is_file()
        assert any(fnmatch(f"{family}.toml", p) for p in patterns), family
