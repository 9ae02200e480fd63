"""MS-DRG regroup latency: what the DRG panel pays on every keystroke.

    python bench/bench_grouping.py [--runs 2000]

Groups a 25-diagnosis, 10-procedure inpatient stay (sepsis with pneumonia, respiratory failure,
heart failure and kidney injury; a ventilator, a central line, a bronchoscopy and more; FY2026
discharge, grouper v43.1) through encoder_app.grouping: the first, cold call (the package opens
its database), then the median and p95 of --runs warm calls, with the Medicare Code Editor and
without it; then the traced MCE, the O.R. flags of 10 codes not seen before, and the what-if.
Prints figures; asserts nothing. Target (2-core machine): under 5 ms median.
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

from encoder_app.encounters.snapshot import parse_encounter  # noqa: E402
from encoder_app.grouping import group_encounter  # noqa: E402

DIAGNOSES = ["A41.9", "R65.20", "J18.9", "J96.01", "I50.23", "I11.0", "N17.9", "E87.1",
             "E11.22", "N18.30", "E78.5", "I48.91", "Z79.01", "D69.6", "E87.2", "K72.00",
             "F17.210", "Z99.81", "R73.9", "E66.9", "Z68.30", "G93.41", "L89.154", "I25.10",
             "Z95.1"]
PROCEDURES = ["5A1955Z", "0BH17EZ", "02HV33Z", "0BJ08ZZ", "3E0436Z", "30233N1", "0DH67UZ",
              "5A1D70Z", "B548ZZA", "0W9930Z"]
STAY = {"setting": "inpatient", "admission_date": "2026-04-20", "discharge_date": "2026-05-01",
        "discharge_status": "03",
        "patient": {"name": "Bench Patient", "sex": "F", "birth_date": "1948-07-14"},
        "diagnoses": [{"code": c, "poa": "N" if c == "L89.154" else "Y"} for c in DIAGNOSES],
        "procedures": [{"code": c, "date": "2026-04-21"} for c in PROCEDURES]}


def _timed(encounter, runs: int, with_mce: bool) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        group_encounter(encounter, with_mce=with_mce)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    args = parser.parse_args()
    encounter = parse_encounter(STAY)
    assert len(encounter.diagnoses) == 25 and len(encounter.procedures) == 10
    start = time.perf_counter()
    result = group_encounter(encounter)
    cold = (time.perf_counter() - start) * 1000
    print(f"stay: 25 diagnoses, 10 procedures -> MS-DRG {result.drg} {result.title} "
          f"(v{result.grouper_version})")
    print(f"cold first call (opens the package's database): {cold:.1f} ms")
    for with_mce in (True, False):
        times = _timed(encounter, args.runs, with_mce)
        what = "grouper + MCE" if with_mce else "grouper only "
        print(f"{what}: median {statistics.median(times):.3f} ms, "
              f"p95 {percentile(times, 95):.3f} ms "
              f"({args.runs} runs)")
    # What the findings and the What if… dialog add on top (each edit traced code by code; each
    # secondary as principal and each CC/MCC left out regrouped).
    # The O.R. flags are cached per version and code: the first regroup of a stay pays one
    # probe per new procedure code, measured here with the cache emptied each time.
    from encoder_app.grouping.mce import traced_mce_edits
    from encoder_app.grouping.operating_room import is_operating_room
    from encoder_app.grouping.what_if import what_if

    def or_flags_uncached():
        is_operating_room.cache_clear()
        for code in PROCEDURES:
            is_operating_room(431, code)

    for what, work in (("MCE traced to codes", lambda: traced_mce_edits(encounter)),
                       ("O.R. flags of 10 new codes", or_flags_uncached),
                       ("what-if (all variants)", lambda: what_if(encounter, result))):
        times = []
        for _ in range(max(20, args.runs // 20)):
            start = time.perf_counter()
            work()
            times.append((time.perf_counter() - start) * 1000)
        print(f"{what}: median {statistics.median(times):.2f} ms, "
              f"p95 {percentile(times, 95):.2f} ms "
              f"({len(times)} runs)")


if __name__ == "__main__":
    main()
