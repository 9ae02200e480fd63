"""Edits engine speed: NCCI PTP import time and `check` latency with all tables loaded.

    python bench/bench_check.py [--shared ../shared/codebooks] [--db PATH] [--runs 500]

Builds a database with the default FY2026 ICD-10-CM codebook, HCPCS Level II and its modifiers,
the NCCI practitioner PTP (2.5 million rows), MUE and add-on tables and the MCE lists from the
shared files, and prints the PTP import time. With --db an existing database is reused as it is
(or a new one is built there and kept for the next run). Then it checks a 12-diagnosis,
10-procedure encounter (a diabetes, hypertension and CKD follow-up with a knee injection, labs,
venipuncture and an ECG): the first, cold call (empty caches), then the median and p95 of
--runs warm calls. Prints figures; asserts nothing. Targets (2-core machine): PTP import under
60 s, check under 5 ms median.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from percentiles import percentile  # noqa: E402 (bench/ is the script's folder)

from encoder_app.codebook.db import engine_for  # noqa: E402
from encoder_app.codebook.default_build import build_default_codebook, needs_default_build  # noqa: E402
from encoder_app.codebook.releases import list_releases  # noqa: E402
from encoder_app.edits import view as view_module  # noqa: E402
from encoder_app.edits.check import check_encounter  # noqa: E402
from encoder_app.encounters.snapshot import parse_encounter  # noqa: E402
from encoder_app.importers import import_paths  # noqa: E402

PTP = "ncci-2024q3/ncci_ptp_practitioner_2024q3.csv.gz"
OTHER_FILES = [
    "hcpcs-2024q3/HCPC2024_JUL_ANWEB.csv",
    "hcpcs-2024q3/level2_modifiers.csv",
    "ncci-2024q3/mue_practitioner_2024q3.csv",
    "ncci-2024q3/aoc_2024q3.csv",
    "mce-v41/mce_v41_age_sex_manifestation.csv",
]

# Type 2 diabetes with CKD 3a, hypertensive CKD, lipids, obesity, right knee osteoarthritis:
# follow-up visit, steroid injection of the right knee, labs, venipuncture and an ECG.
ENCOUNTER = {
    "date_of_service": "2024-09-16", "setting": "practitioner", "place_of_service": "11",
    "patient": {"name": "Bench Patient", "sex": "F", "birth_date": "1956-03-14"},
    "provider": {"name": "Bench Provider, MD", "npi": "1234567893"},
    "diagnoses": ["E11.22", "I12.9", "N18.31", "E78.5", "M17.11", "Z79.4", "E66.9", "Z68.30",
                  "K21.9", "G47.33", "F17.210", "Z79.899"],
    "procedures": [
        {"code": "99214", "modifiers": ["25"], "diagnosis_pointers": [1, 2, 3, 4], "charge": 165},
        {"code": "20610", "modifiers": ["RT"], "diagnosis_pointers": [5], "charge": 190},
        {"code": "J3301", "units": 4, "diagnosis_pointers": [5], "charge": 24},
        {"code": "36415", "diagnosis_pointers": [1], "charge": 12},
        {"code": "80053", "diagnosis_pointers": [1, 3], "charge": 38},
        {"code": "83036", "diagnosis_pointers": [1], "charge": 30},
        {"code": "80061", "diagnosis_pointers": [4], "charge": 42},
        {"code": "82043", "diagnosis_pointers": [1, 3], "charge": 26},
        {"code": "82570", "diagnosis_pointers": [1, 3], "charge": 18},
        # 20610/93000 is an indicator 1 PTP edit: the ECG is a distinct service, hence 59.
        {"code": "93000", "modifiers": ["59"], "diagnosis_pointers": [2], "charge": 55},
    ],
}


def build(engine, shared: Path) -> None:
    start = time.perf_counter()
    for _ in build_default_codebook(engine):
        pass
    print(f"default build (FY2026 Tabular List): {time.perf_counter() - start:6.1f} s")
    start = time.perf_counter()
    [outcome] = import_paths([shared / PTP], engine)
    seconds = time.perf_counter() - start
    rows = outcome.counts.get("edits", 0)
    print(f"NCCI PTP practitioner import: {seconds:6.1f} s ({rows:,} rows, "
          f"{rows / seconds:,.0f} rows/s)")
    for name in OTHER_FILES:
        start = time.perf_counter()
        import_paths([shared / name], engine)
        print(f"  {Path(name).name:44} {time.perf_counter() - start:6.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "codebooks")
    parser.add_argument("--db", type=Path, help="reuse (or build and keep) this database")
    parser.add_argument("--runs", type=int, default=500)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench_check.sqlite3"
        engine = engine_for(f"sqlite:///{path}")
        if needs_default_build(engine):
            if not args.shared.is_dir():
                sys.exit(f"no shared codebooks at {args.shared}; pass --shared")
            build(engine, args.shared)
        else:
            print(f"reusing {path} (PTP import not timed):")
            for r in list_releases(engine):
                print(f"  {r.label}")

        encounter = parse_encounter(ENCOUNTER, "bench encounter")
        view_module._cache.clear()
        start = time.perf_counter()
        findings = check_encounter(engine, encounter)
        cold = (time.perf_counter() - start) * 1000
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            check_encounter(engine, encounter)
            times.append((time.perf_counter() - start) * 1000)

        print(f"\nencounter: {len(encounter.diagnoses)} diagnoses, "
              f"{len(encounter.procedures)} procedures, {encounter.date_of_service}")
        counts = Counter(f.severity for f in findings)
        print(f"findings: {counts.get('error', 0)} error, {counts.get('warning', 0)} warning, "
              f"{counts.get('info', 0)} info")
        for f in findings:
            print(f"  {f.severity:7} {f.rule:28} {', '.join(f.codes)}")
        print(f"\ncheck latency, cold first call: {cold:8.2f} ms")
        print(f"check latency over {args.runs} warm runs: median {statistics.median(times):.2f} ms,"
              f" p95 {percentile(times, 95):.2f} ms")
        engine.dispose()


if __name__ == "__main__":
    main()
