"""The default codebook comes from the pinned simple-icd-10-cm package, or fails clearly."""

import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from encoder_app.codebook import default_build
from encoder_app.errors import MissingDependency


def test_default_tabular_is_the_cdc_april_2026_file():
    path = default_build.default_tabular_path()
    assert path.name == "icd10c-tabular-April-1-2026.xml"
    assert "<ICD10CM.tabular>" in path.read_text(encoding="utf-8")[:500]


def test_missing_package_names_the_package_and_version(monkeypatch):
    def not_installed(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(default_build.metadata, "version", not_installed)
    with pytest.raises(MissingDependency, match=r"simple-icd-10-cm.*1\.5\.0"):
        default_build.default_tabular_path()


def test_package_without_the_data_file_is_reported(monkeypatch):
    monkeypatch.setattr(default_build, "TABULAR_FILE", "icd10c-tabular-April-1-2099.xml")
    with pytest.raises(MissingDependency, match="does not contain"):
        default_build.default_tabular_path()


def test_needs_default_build_only_until_a_tabular_is_loaded(engine, fixtures):
    from encoder_app.importers import import_paths

    assert default_build.needs_default_build(engine)
    import_paths([fixtures / "tabular" / "tabular_mini_2031.xml"], engine)
    assert not default_build.needs_default_build(engine)


def test_finding_the_bundled_file_does_not_import_the_package():
    """simple_icd_10_cm parses its whole XML when imported (a second holding the interpreter
    lock, the window frozen on a first start); the path must come without that import."""
    probe = ("import sys; from encoder_app.codebook.default_build import default_tabular_path; "
             "path = default_tabular_path(); "
             "print(path.is_file(), 'simple_icd_10_cm' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[2]).stdout.split()
    assert out == ["True", "False"]
