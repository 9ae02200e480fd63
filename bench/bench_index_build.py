"""Search-index build time: the whole build (documents, two shard writers, table, swap), N runs.

    python bench/bench_index_build.py [--runs N] [--db PATH]

Builds the default FY2026 codebook into a temporary data folder (or, with --db, reuses or builds
a database there: `bench/bench_search.py --db PATH` leaves one with every shared codebook), then
builds its search index N times into a temporary folder (each build replaces the last, as a
rebuild does) and prints each build's time, the median and the spread, and the CPU time the
build used in this process and its shard writers (POSIX): other work on the machine stretches
the wall time much more than the CPU time.

Prints figures; asserts nothing. Target (2-core machine): full index build under 90 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (the shard writers)."""
    try:
        import resource
    except ImportError:  # Windows: this process only
        return time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def main() -> int:
    from encoder_app.codebook.db import engine_for
    from encoder_app.codebook.default_build import build_default_codebook, needs_default_build
    from encoder_app.search import index_build, index_files

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, metavar="N")
    parser.add_argument("--db", type=Path, help="database to reuse (built there on first use)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.sqlite3"
        engine = engine_for(f"sqlite:///{db}")
        if needs_default_build(engine):
            t0 = time.perf_counter()
            for _ in build_default_codebook(engine):
                pass
            print(f"default build (FY2026 Tabular List): {time.perf_counter() - t0:.2f} s")
        print(f"database: {db}")
        folder = Path(tmp) / "search-index"
        times, cpus = [], []
        for run in range(1, args.runs + 1):
            t0, cpu0 = time.perf_counter(), cpu_seconds()
            for _ in index_build.build_index(engine, folder):
                pass
            times.append(time.perf_counter() - t0)
            cpus.append(cpu_seconds() - cpu0)
            documents = index_files.read_manifest(folder)["documents"]
            print(f"  build {run}: {times[-1]:.2f} s, CPU {cpus[-1]:.2f} s "
                  f"({documents:,} documents)")
        print(f"index build over {len(times)} runs: median {statistics.median(times):.2f} s, "
              f"min {min(times):.2f} s, max {max(times):.2f} s; CPU median "
              f"{statistics.median(cpus):.2f} s")
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
