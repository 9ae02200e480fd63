"""Several workstations saving encounters at once, on SQLite and on PostgreSQL side by side.

    python bench/bench_server.py [--processes 8] [--saves 500] [--hot-share 0.2]

Each of --processes processes opens its own connection and makes --saves saves: most save an
encounter of its own (a new one, then changes to it), a --hot-share of them change one of 8
encounters every process edits (the front desk, the coder and the biller on one visit). A hot
save starts from the version it read; when another process saved in between, the save is
refused (a conflict), and the process reads the newer version, merges its change and saves
again, as a coder would. Prints, per backend: saves/s, p50 and p95 save latency, conflicts
detected, and encounters lost (must be 0): an own encounter whose last save is not what is
stored, or a hot save reported written that the audit trail does not hold.

PostgreSQL is a throwaway cluster (tests/postgres_cluster.py: Debian's postgresql, run as the
postgres user when root); it is skipped, with the reason, where it cannot be started. Prints
figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from percentiles import percentile  # noqa: E402

HOT = 8


def _visit(marker: str, diagnoses: list[str]) -> dict:
    return {"date_of_service": "2026-05-04", "patient": {"name": f"Patient {marker[:3]}",
                                                         "member_id": marker},
            "diagnoses": diagnoses, "procedures": [{"code": "99213"}]}


def _worker(url: str, number: int, saves: int, hot_share: float, hot_ids: list[int]) -> dict:
    from encoder_app.codebook.db import engine_for
    from encoder_app.data_lock import DatabaseBusy
    from encoder_app.encounters.snapshot import parse_encounter
    from encoder_app.encounters.store import (
        EncounterConflict,
        load_encounter_record,
        save_encounter_version,
    )

    engine = engine_for(url)
    rng = random.Random(number)
    latencies, conflicts, busy = [], 0, 0
    own: dict[int, str] = {}
    hot_written: list[tuple[int, str]] = []
    own_id = None
    for i in range(saves):
        marker = f"w{number}-{i}"
        codes = rng.sample(["E11.9", "I10", "E78.5", "J45.909", "Z79.84", "M54.50"], 2)
        if rng.random() < hot_share:
            target = rng.choice(hot_ids)
            version = load_encounter_record(engine, target).version
            while True:
                start = time.perf_counter()
                try:
                    save_encounter_version(engine, parse_encounter(_visit(marker, codes)),
                                           target, f"user{number}", if_version=version)
                    latencies.append((time.perf_counter() - start) * 1000)
                    hot_written.append((target, marker))
                    break
                except EncounterConflict as exc:  # merge onto theirs and save again
                    latencies.append((time.perf_counter() - start) * 1000)
                    conflicts += 1
                    version = exc.theirs.version
                except DatabaseBusy:
                    busy += 1
        else:
            while True:
                start = time.perf_counter()
                try:
                    saved = save_encounter_version(
                        engine, parse_encounter(_visit(marker, codes)),
                        own_id if i % 4 else None, f"user{number}")
                    latencies.append((time.perf_counter() - start) * 1000)
                    own_id = saved.id
                    own[own_id] = marker
                    break
                except DatabaseBusy:
                    busy += 1
    engine.dispose()
    return {"latencies": latencies, "conflicts": conflicts, "busy": busy, "own": own,
            "hot": hot_written}


def _run(url: str, processes: int, saves: int, hot_share: float) -> dict:
    from encoder_app.codebook.db import engine_for
    from encoder_app.encounters.snapshot import parse_encounter
    from encoder_app.encounters.store import (
        audit_trail,
        load_encounter_record,
        save_encounter_version,
    )

    engine = engine_for(url)
    hot_ids = [save_encounter_version(engine, parse_encounter(_visit(f"hot{h}", ["E11.9"])),
                                      user="front desk").id for h in range(HOT)]
    engine.dispose()
    context = multiprocessing.get_context("spawn")
    start = time.perf_counter()
    with context.Pool(processes) as pool:
        results = pool.starmap(_worker, [(url, n, saves, hot_share, hot_ids)
                                         for n in range(processes)])
    wall = time.perf_counter() - start
    engine = engine_for(url)
    lost = 0
    for result in results:
        for encounter_id, marker in result["own"].items():
            stored = load_encounter_record(engine, encounter_id)
            lost += stored.snapshot.patient.member_id != marker
    trails = {h: {a.after for a in audit_trail(engine, h) if a.field == "patient.member_id"}
              for h in hot_ids}
    for result in results:
        lost += sum(marker not in trails[h] for h, marker in result["hot"])
    engine.dispose()
    latencies = [ms for r in results for ms in r["latencies"]]
    written = processes * saves  # every intended save was written in the end
    return {"saves_per_s": written / wall, "p50": statistics.median(latencies),
            "p95": percentile(latencies, 95), "conflicts": sum(r["conflicts"] for r in results),
            "busy": sum(r["busy"] for r in results), "lost": lost, "saves": written}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--saves", type=int, default=500)
    parser.add_argument("--hot-share", type=float, default=0.2)
    args = parser.parse_args()
    from tests.postgres_cluster import remove_cluster, start_cluster

    print(f"{args.processes} processes x {args.saves} saves, {args.hot_share:.0%} of them on "
          f"{HOT} encounters every process edits")
    rows = {}
    with tempfile.TemporaryDirectory() as folder:
        rows["sqlite"] = _run(f"sqlite:///{folder}/bench.sqlite3", args.processes, args.saves,
                              args.hot_share)
    cluster, why = start_cluster()
    if cluster is None:
        rows["postgresql"] = None
    else:
        try:
            rows["postgresql"] = _run(cluster.new_database(), args.processes, args.saves,
                                      args.hot_share)
        finally:
            remove_cluster(cluster)
    print(f"{'':<12}{'saves/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'conflicts':>11}{'busy':>6}"
          f"{'lost':>6}")
    for name, row in rows.items():
        if row is None:
            print(f"{name:<12}skipped: {why}")
            continue
        print(f"{name:<12}{row['saves_per_s']:>9.0f}{row['p50']:>9.1f}{row['p95']:>9.1f}"
              f"{row['conflicts']:>11}{row['busy']:>6}{row['lost']:>6}")


if __name__ == "__main__":
    main()
