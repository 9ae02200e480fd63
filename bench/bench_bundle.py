"""Size and start-up time of the PyInstaller bundle (installer/build.sh builds it).

    python bench/bench_bundle.py [--bundle installer/dist/encoder-app] [--runs 7] [--no-archive]

Prints:
- the bundle's size on disk, its file count, and the size of a .tar.gz of it (what a user
  downloads);
- the first start on a new data folder (builds the default FY2026 codebook and its search
  index), to the window answering a search;
- the cold start on that data folder, a new process each run, to the window answering a search
  (median and p95): the goal is under 3 s. Where this user may (root on Linux), the page cache
  is dropped before each run, so the bundle's files are read from disk as after a reboot; the
  output says whether it was.

Each run is `encoder-app --smoke-test` (offscreen), which prints each step's time since
ENCODER_APP_T0, the moment just before the process was started.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from percentiles import percentile  # bench/ is the script's folder

ROOT = Path(__file__).resolve().parents[1]
STEP = re.compile(r"^\s*([0-9.]+) s  (.*)$")
#: The smoke test's steps, as its lines begin (ui/smoke_test.py).
STEPS = ("window shown", "search ready", "search answered", "opened", "smoke test passed")


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def drop_page_cache() -> bool:
    """Empty the OS file cache (Linux, root only): the next start reads the bundle from disk."""
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def smoke_run(exe: Path, data: Path) -> dict[str, float]:
    """One `--smoke-test` in a clean environment (no Python on PATH, no venv): each step's
    seconds since the process was started."""
    env = {"HOME": os.environ.get("HOME", "/tmp"), "PATH": "/nonexistent",
           "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen", "ENCODER_APP_DATA": str(data)}
    env["ENCODER_APP_T0"] = repr(time.time())
    done = subprocess.run([str(exe), "--smoke-test"], capture_output=True, text=True, env=env,
                          timeout=900)
    if done.returncode != 0:
        sys.exit(f"the smoke test failed (exit {done.returncode}):\n{done.stdout}{done.stderr}")
    steps = {}
    for line in done.stdout.splitlines():
        m = STEP.match(line)
        name = next((s for s in STEPS if m and m.group(2).startswith(s)), None)
        if name:
            steps[name] = float(m.group(1))
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "installer" / "dist" / "encoder-app")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-archive", action="store_true", help="skip the .tar.gz size")
    args = parser.parse_args()
    exe = args.bundle / ("encoder-app.exe" if os.name == "nt" else "encoder-app")
    if not exe.is_file():
        sys.exit(f"no bundle at {args.bundle}: build it with bash installer/build.sh")

    size, count = folder_size(args.bundle)
    print(f"bundle: {args.bundle}")
    print(f"  size on disk: {size / 1e6:.0f} MB in {count:,} files")
    if not args.no_archive:
        with tempfile.TemporaryDirectory() as tmp:
            archive = Path(tmp) / "encoder-app.tar.gz"
            started = time.perf_counter()
            with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
                tar.add(args.bundle, arcname="encoder-app")
            print(f"  as .tar.gz: {archive.stat().st_size / 1e6:.0f} MB "
                  f"(packed in {time.perf_counter() - started:.0f} s)")

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        first = smoke_run(exe, data)
        print("first start, new data folder (builds the FY2026 codebook and search index):")
        print(f"  window shown {first['window shown']:.2f} s, search ready "
              f"{first['search ready']:.2f} s, search answered {first['search answered']:.2f} s")
        dropped = drop_page_cache()
        answered, shown = [], []
        for _ in range(args.runs):
            drop_page_cache()
            steps = smoke_run(exe, data)
            answered.append(steps["search answered"])
            shown.append(steps["window shown"])
        print(f"cold start, {args.runs} runs, existing data folder "
              f"(page cache dropped before each: {'yes' if dropped else 'no, not permitted'}):")
        print(f"  window shown: median {statistics.median(shown):.2f} s, "
              f"p95 {percentile(shown, 95):.2f} s")
        print(f"  window answers a search: median {statistics.median(answered):.2f} s, "
              f"p95 {percentile(answered, 95):.2f} s (goal: under 3 s)")


if __name__ == "__main__":
    main()
