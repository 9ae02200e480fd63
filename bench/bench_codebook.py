"""Codebook speed and size: default build, import of every shared file, code lookup latency.

    python bench/bench_codebook.py [--shared ../shared/codebooks] [--skip-ptp]

Prints figures; asserts nothing. Targets (2-core machine): default build < 30 s, any single
shared file < 60 s, code lookup < 5 ms median in-process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from percentiles import percentile  # noqa: E402 (bench/ is the script's folder)
from sqlalchemy import select  # noqa: E402

from encoder_app.codebook.db import engine_for  # noqa: E402
from encoder_app.codebook.default_build import build_default_codebook  # noqa: E402
from encoder_app.codebook.lookup import code_detail  # noqa: E402
from encoder_app.codebook.models import Code  # noqa: E402
from encoder_app.errors import EncoderError  # noqa: E402
from encoder_app.importers import import_paths  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "codebooks")
    parser.add_argument("--skip-ptp", action="store_true",
                        help="skip the NCCI PTP tables (~4M rows)")
    parser.add_argument("--lookups", type=int, default=2000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        engine = engine_for(f"sqlite:///{db}")
        t0 = time.perf_counter()
        for _ in build_default_codebook(engine):
            pass
        print(f"default build (FY2026 Tabular List): {time.perf_counter() - t0:.2f} s")

        if args.shared.is_dir():
            for path in sorted(p for p in args.shared.rglob("*") if p.is_file()):
                if path.suffix in (".md", ".xsd"):
                    continue
                if args.skip_ptp and "ptp" in path.name:
                    continue
                t0 = time.perf_counter()
                try:
                    outcomes = import_paths([path], engine)
                    what = ", ".join(o.status for o in outcomes)
                except EncoderError as exc:
                    what = f"FAILED: {exc}"
                took = time.perf_counter() - t0
                print(f"import {path.relative_to(args.shared)}: {took:.2f} s ({what})")
        else:
            print(f"shared codebooks not found at {args.shared}; imports not measured")

        with engine.connect() as conn:
            codes = list(conn.execute(select(Code.code, Code.system).where(
                Code.level.not_in(["chapter", "block", "section", "body_system"]))).all())
        rng = random.Random(7)
        sample = [rng.choice(codes) for _ in range(args.lookups)]
        day = dt.date(2026, 5, 1)
        for code, system in sample[:50]:  # warm the cache the way a running app would be
            code_detail(engine, code, system, day)
        times = []
        for code, system in sample:
            t0 = time.perf_counter()
            code_detail(engine, code, system, day)
            times.append((time.perf_counter() - t0) * 1000)
        print(f"code show in-process over {len(times)} random codes of {len(codes):,}: "
              f"median {statistics.median(times):.2f} ms, p95 {percentile(times, 95):.2f} ms, "
              f"max {max(times):.2f} ms")
        engine.dispose()
        size = sum(p.stat().st_size for p in Path(tmp).glob("bench.sqlite3*"))
        print(f"database size: {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
