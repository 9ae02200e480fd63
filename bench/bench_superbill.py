"""Superbill speed: PDF generation time for a typical and a long encounter.

    python bench/bench_superbill.py [--db PATH] [--runs 30]

Uses the user's database (building the default FY2026 codebook there on first use), or with
--db that database. For a typical encounter (3 diagnoses, 3 service lines) and a long one (12
diagnoses, 20 lines) it prints the median and p95 of --runs calls of
  - the pure render: the layout of an already composed superbill (sample practice and fees),
  - the full superbill_pdf(engine, encounter): practice, fees, code titles, Place of Service
    name and every edit, then the layout,
plus the first call (cold caches), the one-off font registration, page counts and PDF sizes.
Prints figures; asserts nothing. Target (2-core machine): typical superbill < 150 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from percentiles import percentile  # noqa: E402 (bench/ is the script's folder)

from encoder_app.codebook.db import default_engine, engine_for  # noqa: E402
from encoder_app.codebook.default_build import (  # noqa: E402
    build_default_codebook,
    needs_default_build,
)
from encoder_app.encounters.snapshot import parse_encounter  # noqa: E402
from encoder_app.practice.fee_schedule import has_fees, sample_fee_schedule  # noqa: E402
from encoder_app.practice.sample import sample_practice  # noqa: E402
from encoder_app.practice.setup import load_practice  # noqa: E402
from encoder_app.reports.fonts import report_fonts  # noqa: E402
from encoder_app.reports.style import styles  # noqa: E402
from encoder_app.reports.superbill import superbill_from  # noqa: E402
from encoder_app.reports.superbill_data import compose_superbill, superbill_pdf  # noqa: E402
from encoder_app.reports.superbill_layout import render_superbill  # noqa: E402

PATIENT = {"name": "Zoë Ñúñez-Müller", "sex": "F", "birth_date": "1956-03-14",
           "member_id": "XQZ123456789"}
PROVIDER = {"name": "Dana Whitfield", "npi": "1234567893"}

TYPICAL = {
    "date_of_service": "2026-04-14", "place_of_service": "11", "patient": PATIENT,
    "provider": PROVIDER, "payer": "Example Health Plan", "amount_paid": "30.00",
    "diagnoses": ["E11.9", "I10", "M17.11"],
    "procedures": [
        {"code": "99214", "modifiers": ["25"], "diagnosis_pointers": [1, 2]},
        {"code": "20610", "modifiers": ["RT"], "diagnosis_pointers": [3], "charge": "150.00"},
        {"code": "J1100", "units": 10, "diagnosis_pointers": [3]},
    ],
}

# A diabetes, hypertension and CKD follow-up with a long list of services.
LONG = {
    **TYPICAL,
    "diagnoses": ["E11.22", "I12.9", "N18.31", "E78.5", "M17.11", "Z79.4", "E66.9", "Z68.30",
                  "K21.9", "G47.33", "F17.210", "Z79.899"],
    "procedures": [{"code": code, "modifiers": mods, "units": units,
                    "diagnosis_pointers": pointers}
                   for code, mods, units, pointers in [
                       ("99214", ["25"], 1, [1, 2, 3, 4]), ("20610", ["RT"], 1, [5]),
                       ("J1100", [], 10, [5]), ("36415", [], 1, [1]), ("80053", [], 1, [1, 3]),
                       ("83036", [], 1, [1]), ("80061", [], 1, [4]), ("82043", [], 1, [1, 3]),
                       ("82570", [], 1, [1, 3]), ("93000", ["59"], 1, [2]),
                       ("81002", [], 1, [3]), ("82962", [], 1, [1]), ("96372", [], 1, [5]),
                       ("J3420", [], 1, [1]), ("90471", [], 1, [6]), ("90715", [], 1, [6]),
                       ("94640", [], 1, [10]), ("69210", ["50"], 1, [9]),
                       ("11200", [], 1, [7]), ("99070", [], 1, [8])]],
}


def timed(call, runs: int) -> tuple[float, list[float]]:
    """The first call's time and the times of `runs` more, in milliseconds."""
    start = time.perf_counter()
    call()
    first = (time.perf_counter() - start) * 1000
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return first, times


def figures(label: str, first: float, times: list[float]) -> str:
    return (f"  {label:34} first {first:7.1f} ms   median {statistics.median(times):7.1f} ms"
            f"   p95 {percentile(times, 95):7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="this database instead of the user's")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    engine = engine_for(f"sqlite:///{args.db}") if args.db else default_engine()
    if needs_default_build(engine):
        print("building the default codebook first ...")
        for _ in build_default_codebook(engine):
            pass
    print(f"database: {engine.url}")
    print(f"practice set up: {'yes' if load_practice(engine) else 'no'}; "
          f"fee schedule: {'yes' if has_fees(engine) else 'no (lines without a charge blank)'}")
    practice, fees = sample_practice(), sample_fee_schedule()
    start = time.perf_counter()
    family = report_fonts()
    styles()
    print(f"font registration (once per process): {(time.perf_counter() - start) * 1000:.1f} ms"
          f" ({family.source})")

    for name, data in (("typical (3 dx, 3 lines)", TYPICAL), ("long (12 dx, 20 lines)", LONG)):
        encounter = parse_encounter(data, name)
        # First call cold: the edits' and titles' caches are empty for this encounter.
        full_first, full_times = timed(lambda e=encounter: superbill_pdf(engine, e), args.runs)
        full = superbill_pdf(engine, encounter)
        # The pure render prints what the full path would (titles from the database) with the
        # sample practice and fees, so every column is filled.
        composed = compose_superbill(engine, encounter)
        dx = {d.code.replace(".", ""): d.title for d in composed.diagnoses}
        px = {line.code: line.description for line in composed.lines}
        bill = superbill_from(encounter, practice, fees, dx, px, "Office", composed.findings)
        render_first, render_times = timed(lambda b=bill: render_superbill(b), args.runs)
        pdf = render_superbill(bill)
        print(f"\n{name}: {len(bill.findings)} findings, {len(bill.open_errors)} errors")
        print(figures("pure render (render_superbill)", render_first, render_times))
        print(figures("full superbill_pdf(engine, ...)", full_first, full_times))
        print(f"  pages {pdf.pages}; PDF size {len(pdf.data) / 1024:.1f} KiB (pure render), "
              f"{len(full) / 1024:.1f} KiB (full)")
    engine.dispose()


if __name__ == "__main__":
    main()
