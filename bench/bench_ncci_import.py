"""NCCI and MCE import speed (seconds, rows/s) and edit-table lookup latency on the shared files.

    python bench/bench_ncci_import.py [--shared ../shared/codebooks] [--skip-outpatient]

Prints figures; asserts nothing. Target (2-core machine): the 2.5-million-row practitioner PTP
file imports in well under 60 s; each lookup the edits engine makes takes a few milliseconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete  # noqa: E402

from encoder_app.codebook import edit_tables  # noqa: E402
from encoder_app.codebook.db import engine_for  # noqa: E402
from encoder_app.codebook.models import Release  # noqa: E402
from encoder_app.importers.runner import import_paths  # noqa: E402

FILES = [
    "ncci-2024q3/ncci_ptp_practitioner_2024q3.csv.gz",
    "ncci-2024q3/ncci_ptp_outpatient_hospital_2024q3.csv.gz",
    "ncci-2024q3/mue_practitioner_2024q3.csv",
    "ncci-2024q3/mue_outpatient_2024q3.csv",
    "ncci-2024q3/mue_dme_2024q3.csv",
    "ncci-2024q3/aoc_2024q3.csv",
    "mce-v41/mce_v41_age_sex_manifestation.csv",
]
VISIT = dt.date(2024, 8, 15)


def _timed(fn, repeat: int = 200) -> float:
    """Median milliseconds of one call."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "codebooks")
    parser.add_argument("--skip-outpatient", action="store_true",
                        help="leave out the 1.8-million-row outpatient hospital PTP file")
    args = parser.parse_args()
    files = [f for f in FILES if not (args.skip_outpatient and "outpatient_hospital" in f)]

    with tempfile.TemporaryDirectory() as folder:
        engine = engine_for(f"sqlite:///{folder}/bench.sqlite3")
        print(f"{'file':48} {'rows':>10} {'seconds':>8} {'rows/s':>10}")
        for name in files:
            start = time.perf_counter()
            [outcome] = import_paths([args.shared / name], engine)
            seconds = time.perf_counter() - start
            counts = outcome.counts
            rows = (counts.get("edits") or counts.get("MUE values") or counts.get("add-on edits")
                    or sum(counts.values()))  # MCE: the age, sex and manifestation lists
            print(f"{Path(name).name:48} {rows:>10,} {seconds:>8.1f} {rows / seconds:>10,.0f}")

        codes = ["29880", "29881", "29870", "29877", "G0289", "99213", "36415", "20610"]
        print("\nlookup (median of 200 calls)")
        for label, fn in [
            ("ptp_edits_between, 8 codes", lambda: edit_tables.ptp_edits_between(
                engine, codes, "practitioner", VISIT)),
            ("mue_limit", lambda: edit_tables.mue_limit(engine, "36415", "practitioner", VISIT)),
            ("addon_primaries", lambda: edit_tables.addon_primaries(engine, "22614", VISIT)),
            ("mce_edits_for", lambda: edit_tables.mce_edits_for(engine, "O09.511")),
        ]:
            print(f"  {label:32} {_timed(fn):6.2f} ms")

        # Replacing a quarter deletes the old release's rows through the cascade.
        start = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(delete(Release).where(Release.kind == "ptp_practitioner"))
        print(f"\ncascade delete of the practitioner PTP release: "
              f"{time.perf_counter() - start:.1f} s")
        engine.dispose()


if __name__ == "__main__":
    main()
