"""Every `encoder-app` example in the README runs as written, in order, as a new user types it
after the two set-up commands: from a folder laid out as a clone (`resources/` in it, the CMS/CDC
files at `../shared/codebooks`), with the venv's `encoder-app` first on PATH, on a new data
folder. A line fails on an exit status other than the one the README documents (0, or 1 where its
comment says `exits 1`), on a traceback, or when a file it writes with `-o` is missing or not what
its name says (a PDF starts with %PDF).

The lines of the README's ```bash blocks that do not start with `encoder-app ` are not run; they
must be exactly the ones in NOT_RUN, so a new example can never be skipped without saying so.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
#: Commands of the README that this test does not run, and why.
NOT_RUN = {
    "python3 -m venv .venv && .venv/bin/pip install -e '.[gui]' && .venv/bin/encoder-app":
        "the set-up: installs the window into .venv, then opens it",
    "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest":
        "the set-up: installs the tests into .venv, then runs this suite (.ci/run runs it)",
    # .ci/run runs these verbatim (as root, without sudo) before the suite: the package names
    # must exist, and the window's tests then run on exactly the documented set.
    "sudo apt-get install python3 python3-venv libglib2.0-0 libgl1 libegl1 libxkbcommon0 "
    "libfontconfig1 libdbus-1-3 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 "
    "libxcb-shape0 fonts-dejavu-extra":
        "system packages: needs root; .ci/run runs it before the suite",
    # The desktop bundle: .ci/run runs the Desktop install block verbatim after the suite (a
    # minute of PyInstaller, and install.sh writes into the home folder).
    "bash installer/build.sh": "the bundle: .ci/run builds it after the suite",
    "installer/dist/encoder-app/encoder-app --smoke-test": "the bundle: run by .ci/run",
    "bash installer/dist/encoder-app/install.sh": "the bundle: run by .ci/run in a new home",
    # A practice server: tests/server runs the same on a throwaway PostgreSQL cluster.
    ".venv/bin/pip install -e '.[server]'": "the set-up: psycopg, which the test extra has",
    "ENCODER_APP_DB_URL=postgresql+psycopg://encoder_app:PASSWORD@server/practice "
    ".venv/bin/encoder-app": "needs a practice's server; tests/server uses a throwaway one",
}
#: The comment that says an example exits 1 on purpose (`check` finding an error).
EXITS_1 = re.compile(r"^#\s*exits 1\b")
#: Lines whose output is large and uninteresting in a failure message.
SHOWN = 3000


def _without_comment(line: str) -> tuple[str, str]:
    """(command, comment): a `#` starts a comment at the start of a word outside quotes."""
    quote = None
    for i, char in enumerate(line):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip(), line[i:]
    return line.rstrip(), ""


def readme_commands(text: str) -> list[tuple[str, str]]:
    """(command, comment) of every command line of the ```bash blocks, in order; a line ending
    in a backslash continues on the next."""
    commands = []
    for block in re.findall(r"^```bash\n(.*?)^```", text, flags=re.S | re.M):
        pending = ""
        for raw in block.splitlines():
            command, comment = _without_comment(pending + raw.strip())
            if command.endswith("\\"):
                pending = command[:-1] + " "
                continue
            pending = ""
            if command:
                commands.append((command, comment))
    return commands


def test_the_commands_are_read_as_a_shell_reads_them():
    text = ("```bash\nencoder-app search \"a # b\"   # a comment\n# a whole comment line\n"
            "encoder-app check x.json  # exits 1: it finds an error\nencoder-app code \\\n"
            "  show E11.9\n```\n\n```json\n{\"not\": \"run\"}\n```\n")
    assert readme_commands(text) == [
        ('encoder-app search "a # b"', "# a comment"),
        ("encoder-app check x.json", "# exits 1: it finds an error"),
        ("encoder-app code  show E11.9", "")]


def _clone(tmp_path: Path, shared_codebooks: Path) -> Path:
    """A folder laid out as a clone beside ../shared: resources/ copied (examples write nothing
    into the real tree), ../shared/codebooks the real files."""
    clone = tmp_path / "encoder-app"
    clone.mkdir()
    shutil.copytree(ROOT / "resources", clone / "resources")
    for name in ("codebooks", "docs"):
        (clone / name).symlink_to(ROOT / name, target_is_directory=True)
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "codebooks").symlink_to(shared_codebooks, target_is_directory=True)
    return clone


def _environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("ENCODER_APP_") and k != "PYTHONPATH"}
    venv_bin = Path(sys.executable).parent
    assert (venv_bin / "encoder-app").exists(), f"no encoder-app beside {sys.executable}"
    env["PATH"] = os.pathsep.join([str(venv_bin), env.get("PATH", "")])
    env["ENCODER_APP_DATA"] = str(tmp_path / "new-user-data")
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def _outputs(command: str) -> list[str]:
    words = shlex.split(command)
    return [words[i + 1] for i, word in enumerate(words[:-1]) if word in ("-o", "--output")]


def _check_output(clone: Path, name: str) -> str | None:
    """What is wrong with a file an example wrote, or None."""
    path = clone / name
    if not path.is_file() or path.stat().st_size == 0:
        return f"{name} was not written"
    data = path.read_bytes()
    if path.suffix == ".pdf" and not data.startswith(b"%PDF"):
        return f"{name} is not a PDF"
    if path.suffix == ".json":
        try:
            json.loads(data)
        except ValueError as exc:
            return f"{name} is not JSON ({exc})"
    return None


def _report(command: str, why: str, result: subprocess.CompletedProcess) -> str:
    return (f"README example failed: {command}\n{why}\n--- stdout (end) ---\n"
            f"{result.stdout[-SHOWN:]}\n--- stderr (end) ---\n{result.stderr[-SHOWN:]}")


@pytest.mark.shared_data
@pytest.mark.skipif(shutil.which("bash") is None, reason="the README's examples are bash lines")
def test_every_readme_example_runs_as_written(tmp_path, shared_codebooks):
    commands = readme_commands(README.read_text(encoding="utf-8"))
    to_run = [(c, comment) for c, comment in commands if c.startswith("encoder-app ")]
    skipped = {c for c, _ in commands if not c.startswith("encoder-app ")}
    assert skipped == set(NOT_RUN), (
        "README command lines this test would not run; run them (start the line with "
        "`encoder-app `) or list them in NOT_RUN with the reason")
    assert len(to_run) >= 20
    clone = _clone(tmp_path, shared_codebooks)
    env = _environment(tmp_path)
    timings = []
    for command, comment in to_run:
        expected = 1 if EXITS_1.match(comment) else 0
        started = time.perf_counter()
        result = subprocess.run(["bash", "-c", command], cwd=clone, env=env, text=True,
                                capture_output=True, timeout=900, stdin=subprocess.DEVNULL)
        timings.append((time.perf_counter() - started, command))
        if result.returncode != expected:
            pytest.fail(_report(command, f"exit status {result.returncode}, the README says "
                                         f"{expected}", result), pytrace=False)
        if "Traceback" in result.stdout + result.stderr:
            pytest.fail(_report(command, "a traceback was printed", result), pytrace=False)
        for name in _outputs(command):
            wrong = _check_output(clone, name)
            if wrong:
                pytest.fail(_report(command, wrong, result), pytrace=False)
    slowest = sorted(timings, reverse=True)[:5]
    print("slowest README examples:", *(f"{s:6.1f} s  {c}" for s, c in slowest), sep="\n  ")
