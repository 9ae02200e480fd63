"""An installed app has every package and the project's own data files, and it runs.

The wheel is built the way a release is (`pip wheel`, offline: the build requirements come with
the `test` extra), installed into a fresh virtual environment, and `encoder-app` is run from
there outside the source tree, so a package or data file missing from the wheel fails here."""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def _run(cmd: list, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{cmd}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from a copy of the sources (a build writes build/ and *.egg-info into
    the folder it builds, which must not be the working tree)."""
    src = tmp_path_factory.mktemp("src")
    tops = {p.split(".")[0] for p in SETUPTOOLS["packages"]} | set(
        SETUPTOOLS.get("package-dir", {}).values())
    junk = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build")
    for top in sorted(tops):
        shutil.copytree(ROOT / top, src / top, ignore=junk)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
          "--no-index", "--quiet", "--wheel-dir", out, src])
    [built] = out.glob("encoder_app-*.whl")
    return built


@pytest.fixture(scope="module")
def wheel_files(wheel) -> set[str]:
    with zipfile.ZipFile(wheel) as whl:
        return set(whl.namelist())


def test_every_python_package_is_in_the_wheel(wheel_files):
    on_disk = {p.relative_to(ROOT).as_posix()
               for top in ("encoder_app", "ui") for p in (ROOT / top).rglob("__init__.py")}
    assert on_disk, "no packages found"
    assert on_disk <= wheel_files, sorted(on_disk - wheel_files)
    assert "encoder_app/codebooks/__init__.py" in wheel_files


def test_shipped_data_is_in_the_wheel(wheel_files):
    assert (ROOT / "codebooks" / "synonyms.tsv").is_file()
    for name in ("encoder_app/codebooks/synonyms.tsv", "encoder_app/codebooks/sample_practice.json",
                 "encoder_app/py.typed"):
        assert name in wheel_files, name
    for study_set in (ROOT / "codebooks" / "study").glob("*.json"):
        assert f"encoder_app/codebooks/study/{study_set.name}" in wheel_files, study_set.name


def test_the_guideline_tables_are_in_the_wheel(wheel_files):
    """The guideline rules read their tables as package data: an install without them would
    start and then fail on the first check."""
    from encoder_app.edits.guidelines import FAMILIES

    assert FAMILIES
    for family in FAMILIES:
        assert (ROOT / "encoder_app" / "edits" / "guidelines" / f"{family}.toml").is_file()
        assert f"encoder_app/edits/guidelines/{family}.toml" in wheel_files, family


def test_the_app_icon_is_in_the_wheel(wheel_files):
    """resources/ ships as ui.resources: the window's icon in every rendered size."""
    from ui.icons import ICON_NAME, ICON_SIZES

    names = [f"{ICON_NAME}.svg"] + [f"{ICON_NAME}-{size}.png" for size in ICON_SIZES]
    for name in names:
        assert (ROOT / "resources" / "icons" / name).is_file(), name
        assert f"ui/resources/icons/{name}" in wheel_files, name


def test_the_installed_command_shows_a_code(wheel, tmp_path):
    """A fresh virtual environment with only the wheel installed; its dependencies are borrowed
    from the test environment's site-packages by a .pth file (installing them from the registry
    would take minutes). The source tree is on no path: encoder_app must come from the wheel.
    The first run builds the default codebook from simple-icd-10-cm into the data folder."""
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
          "--quiet", wheel])
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
                .stdout.strip())
    # Only site-packages: its .pth files (the editable install's finder among them) are not run
    # for a folder a .pth adds, so the working tree stays out of reach.
    deps = dict.fromkeys(sysconfig.get_paths()[k] for k in ("purelib", "platlib"))
    (site / "zz_test_dependencies.pth").write_text("".join(f"{d}\n" for d in deps))

    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "ENCODER_APP_"))}
    env["ENCODER_APP_DATA"] = str(tmp_path / "data")  # encoder_app.settings.DATA_DIR_ENV

    where = json.loads(_run([python, "-c", "import encoder_app, ui, json; print(json.dumps("
                                           "[encoder_app.__file__, ui.__file__]))"],
                            cwd=cwd, env=env).stdout)
    for module_file in where:
        assert Path(module_file).is_relative_to(venv), where
        assert not Path(module_file).is_relative_to(ROOT), where
    # The window's icon is found in the installed package, not the checkout.
    icons = Path(_run([python, "-c", "from ui.icons import icons_dir; print(icons_dir())"],
                      cwd=cwd, env=env).stdout.strip())
    assert icons.is_relative_to(venv) and not icons.is_relative_to(ROOT), icons

    shown = _run([bin_dir / "encoder-app", "code", "show", "E11.9", "--json"], cwd=cwd, env=env)
    detail = json.loads(shown.stdout)
    assert (detail["code"], detail["system"], detail["billable"]) == ("E11.9", "icd10cm", True)
    assert detail["title"] == "Type 2 diabetes mellitus without complications"
    assert [p["code"] for p in detail["parents"]] == ["Chapter 4", "E08-E13", "E11"]
    assert (tmp_path / "data" / "codebook.sqlite3").is_file()
    # The built-in exercise sets come from the wheel too (package data, not the checkout).
    listed = json.loads(_run([bin_dir / "encoder-app", "study", "sets", "--json"], cwd=cwd,
                             env=env).stdout)
    on_disk = {p.stem for p in (ROOT / "codebooks" / "study").glob("*.json")}
    assert {s["name"] for s in listed} == on_disk and all(s["cases"] for s in listed)
