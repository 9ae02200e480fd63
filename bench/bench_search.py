"""Search relevance and speed over the full data: dev set hit rates, query and keystroke latency.

    python bench/bench_search.py [--shared ../shared/codebooks] [--db PATH] [--limit-queries N]
                                 [--verbose] [--latency-systems entry|all]
    python bench/bench_search.py --check     # validate every accepted code of the dev set only

Builds (or, with --db, reuses) a database holding the default FY2026 codebook plus every file in
../shared/codebooks except the two NCCI PTP tables (no searchable text), builds the search index
in a temporary folder, then prints:

- relevance: top-1 and top-5 hit rates over bench/search_devset.json, overall and per kind
  (KINDS: lay, abbreviation, typo, clinical, procedure, supply, code, and the coder queries of
  issue 16: qualifier, default, shorthand, eponym, drug-table, hcpcs-drug, external-cause,
  typo-term, pcs, long; with --verbose, every miss: the query, the accepted codes, what came first);
- whole-query latency (median, p95, max) over the dev set, warm (each query run once before);
- keystroke latency: every prefix of each dev query from the third character on, each a separate
  search with limit 20, as a type-ahead box sends them; the five slowest keystrokes;
- whole-process latency: `encoder-app search QUERY --limit 20` run as a new process --process-runs
  times (default 15) over a few queries against the same database and index, warm file cache
  (each query run once before): p50 and p95 of the wall time from start to exit; then the
  five top-level imports that took longest in one such run (python -X importtime, cumulative).

Prints figures; asserts nothing. Targets (2-core machine): top-1 >= 80 %, top-5 >= 92 %
(issue 16); p95 under 30 ms per query and per keystroke in-process; one search from the
command line under 0.3 s (p50, whole process); full index build under 90 s.

--check validates the dev set itself: every ICD-10-CM code billable and valid on the entry's
date (default 2026-05-01) in the default FY2026 codebook, every ICD-10-PCS code a valid code of
the 2023 PCS tables, every HCPCS code present in the July 2024 ANWEB file with no TERM DT. A
query of kind "code" may also accept a header (a coder typing J44 expects J44 first). Exits 1
listing the bad entries.
"""

from __future__ import annotations

import argparse
import collections
import csv
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from percentiles import percentile  # noqa: E402 (bench/ is the script's folder)

from encoder_app import codes  # noqa: E402

DEVSET = Path(__file__).resolve().parent / "search_devset.json"
CHECK_DATE = dt.date(2026, 5, 1)
KINDS = ("lay", "abbreviation", "typo", "clinical", "procedure", "supply", "code",
         "qualifier", "default", "shorthand", "eponym", "drug-table", "hcpcs-drug",
         "external-cause", "typo-term", "pcs", "long")
SYSTEMS = ("icd10cm", "icd10pcs", "hcpcs", "cpt")
#: What a coder types at the terminal, one of each kind: words, an abbreviation, a partial
#: word, a brand with its dose, a code.
PROCESS_QUERIES = ("chest pain", "afib", "fract fem", "Lovenox 40 mg subcutaneous", "E11.6")
PCS_TABLES = Path("icd10pcs-2023") / "icd10pcs_tables_2023.xml"
HCPCS_ANWEB = Path("hcpcs-2024q3") / "HCPC2024_JUL_ANWEB.csv"

# How an accepted code is written tells its system: ICD-10-CM dotted after the third character,
# HCPCS Level II, ICD-10-PCS and CPT as stored (encoder_app.codes).
CODE_SHAPES = (
    ("icd10cm", codes.ICD10CM_DOTTED_SHAPE),
    ("hcpcs", codes.HCPCS_SHAPE),
    ("icd10pcs", codes.ICD10PCS_SHAPE),
    ("cpt", codes.CPT_SHAPE),
)


def system_of(code: str) -> str | None:
    """The code system an accepted code belongs to, from how it is written; None if no shape."""
    for system, shape in CODE_SHAPES:
        if shape.fullmatch(code):
            return system
    return None


def key(code: str) -> str:
    return code.strip().upper().replace(".", "").replace(" ", "")


def load_devset(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def entry_date(entry: dict) -> dt.date | None:
    return dt.date.fromisoformat(entry["date"]) if entry.get("date") else None


# ---------------------------------------------------------------------------------------------
# --check


def shape_problems(entries: list[dict]) -> list[str]:
    """What is wrong with the dev set's form, without any database."""
    problems = []
    seen = set()
    for i, e in enumerate(entries):
        where = f"#{i} {e.get('query')!r}"
        q = e.get("query")
        if not isinstance(q, str) or not q.strip():
            problems.append(f"{where}: query must be a non-empty string")
            continue
        if q.strip().lower() in seen:
            problems.append(f"{where}: duplicate query")
        seen.add(q.strip().lower())
        if e.get("kind") not in KINDS:
            problems.append(f"{where}: unknown kind {e.get('kind')!r}")
        systems = e.get("systems")
        if systems is not None and (not isinstance(systems, list) or not systems
                                    or any(s not in SYSTEMS for s in systems)):
            problems.append(f"{where}: systems must be null or a list of {SYSTEMS}")
            systems = None
        if e.get("date") is not None:
            try:
                dt.date.fromisoformat(e["date"])
            except (TypeError, ValueError):
                problems.append(f"{where}: date {e['date']!r} is not YYYY-MM-DD")
        accepted = e.get("accepted")
        if not isinstance(accepted, list) or not accepted:
            problems.append(f"{where}: accepted must be a non-empty list")
            continue
        if len({key(c) for c in accepted if isinstance(c, str)}) != len(accepted):
            problems.append(f"{where}: accepted lists a code twice")
        for code in accepted:
            system = system_of(code) if isinstance(code, str) else None
            if system is None:
                problems.append(f"{where}: {code!r} is not shaped like a code "
                                f"(ICD-10-CM must be dotted)")
            elif systems is not None and system not in systems:
                problems.append(f"{where}: {code} is {system}, not in the entry's systems")
    return problems


def _hcpcs_open_codes(path: Path) -> tuple[set[str], set[str]]:
    """HCPCS codes in the ANWEB file: all of them, and those with no TERM DT."""
    every, open_ = set(), set()
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            code = (row.get("HCPC") or "").strip().upper()
            if not code:
                continue
            every.add(code)
            if not (row.get("TERM DT") or "").strip():
                open_.add(code)
    return every, open_


def check(args) -> int:
    from sqlalchemy import select

    from encoder_app.codebook.db import engine_for
    from encoder_app.codebook.default_build import build_default_codebook, needs_default_build
    from encoder_app.codebook.lookup import code_detail
    from encoder_app.codebook.models import Release
    from encoder_app.errors import EncoderError
    from encoder_app.importers import import_paths

    entries = load_devset(args.devset)
    problems = shape_problems(entries)

    pcs_file = args.shared / PCS_TABLES
    hcpcs_file = args.shared / HCPCS_ANWEB
    for needed in (pcs_file, hcpcs_file):
        if not needed.is_file():
            print(f"--check needs {needed} (from ../shared/codebooks)", file=sys.stderr)
            return 2
    hcpcs_all, hcpcs_open = _hcpcs_open_codes(hcpcs_file)

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "check.sqlite3"
        engine = engine_for(f"sqlite:///{db}")
        t0 = time.perf_counter()
        if needs_default_build(engine):
            for _ in build_default_codebook(engine):
                pass
        with engine.connect() as conn:
            has_pcs = conn.execute(select(Release.id).where(
                Release.system == "icd10pcs", Release.kind == "tables")).first() is not None
        if not has_pcs:
            import_paths([pcs_file], engine)
        print(f"check database ready in {time.perf_counter() - t0:.1f} s ({db})")

        checked = 0
        for i, e in enumerate(entries):
            where = f"#{i} {e.get('query')!r}"
            day = CHECK_DATE
            try:
                day = entry_date(e) or CHECK_DATE
            except (TypeError, ValueError):
                pass  # reported by shape_problems
            for code in e.get("accepted") or []:
                system = system_of(code) if isinstance(code, str) else None
                if system is None:
                    continue  # reported by shape_problems
                checked += 1
                if system == "hcpcs":
                    if code not in hcpcs_all:
                        problems.append(f"{where}: {code} is not in {HCPCS_ANWEB}")
                    elif code not in hcpcs_open:
                        problems.append(f"{where}: {code} has a TERM DT in {HCPCS_ANWEB}")
                    continue
                if system == "cpt":
                    problems.append(f"{where}: {code}: CPT codes cannot be checked (no CPT data)")
                    continue
                try:
                    d = code_detail(engine, code, system, day)
                except EncoderError as exc:
                    problems.append(f"{where}: {code}: {exc}")
                    continue
                if system == "icd10cm" and "2026" not in d.release:
                    problems.append(f"{where}: {code} answered from {d.release}, not FY2026")
                if d.code != code:
                    problems.append(f"{where}: {code} is written {d.code} in the codebook")
                header_ok = (e.get("kind") == "code" and d.level not in ("chapter", "block")
                             and (d.validity.startswith("a header")
                                  or d.validity.startswith("needs a 7th character")))
                if not (d.valid and d.billable) and not header_ok:
                    problems.append(f"{where}: {code} is not billable and valid on {day}: "
                                    f"{d.validity}")
        engine.dispose()

    counts = collections.Counter(e.get("kind") for e in entries)
    print(f"dev set: {len(entries)} queries ("
          + ", ".join(f"{k} {counts.get(k, 0)}" for k in KINDS) + f"), {checked} accepted codes")
    if problems:
        print(f"{len(problems)} problem(s):")
        for p in problems:
            print(f"  {p}")
        return 1
    print("every accepted code checked out")
    return 0


# ---------------------------------------------------------------------------------------------
# the benchmark


def build_database(args, tmp: str):
    from encoder_app.codebook.db import engine_for
    from encoder_app.codebook.default_build import build_default_codebook, needs_default_build
    from encoder_app.errors import EncoderError
    from encoder_app.importers import import_paths

    db = args.db or Path(tmp) / "bench.sqlite3"
    engine = engine_for(f"sqlite:///{db}")
    print(f"database: {db}{' (reused)' if args.db and not needs_default_build(engine) else ''}")
    t0 = time.perf_counter()
    if needs_default_build(engine):
        for _ in build_default_codebook(engine):
            pass
        print(f"default build (FY2026 Tabular List): {time.perf_counter() - t0:.2f} s")
    if not args.shared.is_dir():
        print(f"shared codebooks not found at {args.shared}: only the default codebook is loaded")
        return engine
    files = sorted(p for p in args.shared.rglob("*") if p.is_file()
                   and p.suffix not in (".md", ".xsd") and "ncci_ptp" not in p.name)
    t_all = time.perf_counter()
    for path in files:
        t0 = time.perf_counter()
        try:
            outcomes = import_paths([path], engine)
            what = ", ".join(o.status for o in outcomes)
        except EncoderError as exc:
            what = f"FAILED: {exc}"
        print(f"  import {path.relative_to(args.shared)}: {time.perf_counter() - t0:.2f} s "
              f"({what})")
    print(f"import of {len(files)} shared files (NCCI PTP skipped): "
          f"{time.perf_counter() - t_all:.2f} s")
    return engine


def _systems(entry: dict, override_all: bool):
    from encoder_app.search.engine import SEARCH_SYSTEMS

    if override_all or not entry.get("systems"):
        return SEARCH_SYSTEMS
    return tuple(entry["systems"])


def _first_match(hits, accepted: set[tuple[str, str]]) -> int | None:
    for rank, hit in enumerate(hits, 1):
        if (hit.system, key(hit.code)) in accepted:
            return rank
    return None


def relevance(se, entries: list[dict], verbose: bool) -> None:
    per_kind = collections.defaultdict(lambda: [0, 0, 0])  # queries, top-1, top-5
    misses = []
    for e in entries:
        accepted = {(system_of(c), key(c)) for c in e["accepted"]}
        hits = se.search(e["query"], systems=_systems(e, False), date=entry_date(e), limit=20)
        rank = _first_match(hits, accepted)
        for k in (e["kind"], "all"):
            per_kind[k][0] += 1
            per_kind[k][1] += rank == 1
            per_kind[k][2] += rank is not None and rank <= 5
        if rank != 1:
            misses.append((e, rank, hits[0] if hits else None))

    print("\nrelevance (limit 20; a hit counts when its system and code are accepted)")
    print(f"  {'kind':<15} {'queries':>7} {'top-1':>7} {'top-5':>7}")
    for k in (*KINDS, "all"):
        if k not in per_kind:
            continue
        n, t1, t5 = per_kind[k]
        print(f"  {k:<15} {n:>7} {100 * t1 / n:>6.1f}% {100 * t5 / n:>6.1f}%")
    if verbose and misses:
        print(f"\nmisses at top-1 ({len(misses)}; * = not in the top 5 either):")
        for e, rank, first in misses:
            mark = "*" if rank is None or rank > 5 else " "
            where = f"rank {rank}" if rank else "not in top 20"
            came = (f"{first.code} [{first.system}] {first.title[:70]} ({first.matched})"
                    if first else "nothing")
            print(f" {mark} {e['query']!r} [{e['kind']}] expected "
                  f"{', '.join(e['accepted'][:4])}{' ...' if len(e['accepted']) > 4 else ''}"
                  f" ({where}); first: {came}")


def _timed(se, query: str, systems, date, limit: int) -> float:
    t0 = time.perf_counter()
    se.search(query, systems=systems, date=date, limit=limit)
    return (time.perf_counter() - t0) * 1000


def _summary(times: list[float]) -> str:
    return (f"median {statistics.median(times):.2f} ms, p95 {percentile(times, 95):.2f} ms, "
            f"max {max(times):.2f} ms")


def latency(se, entries: list[dict], all_systems: bool) -> None:
    which = "every system" if all_systems else "each entry's systems"
    for e in entries:  # warm: every query once before timing
        se.search(e["query"], systems=_systems(e, all_systems), date=entry_date(e), limit=20)
    times = [_timed(se, e["query"], _systems(e, all_systems), entry_date(e), 20)
             for e in entries]
    print(f"\nwhole-query latency over {len(times)} dev queries ({which}, limit 20, warm): "
          f"{_summary(times)}")

    strokes: list[tuple[float, str]] = []
    for e in entries:
        q, systems, date = e["query"], _systems(e, all_systems), entry_date(e)
        for end in range(3, len(q) + 1):
            prefix = q[:end]
            strokes.append((_timed(se, prefix, systems, date, 20), prefix))
    times = [t for t, _ in strokes]
    print(f"keystroke latency over {len(times)} keystrokes (every prefix from the 3rd character, "
          f"{which}, limit 20): {_summary(times)}")
    print("  slowest keystrokes: "
          + "; ".join(f"{p!r} {t:.1f} ms" for t, p in sorted(strokes, reverse=True)[:5]))


def _cli(python_flags: tuple[str, ...] = ()) -> list[str]:
    """`encoder-app` as installed beside this interpreter (what a coder runs), else the module
    run by this interpreter from this checkout."""
    script = Path(sys.executable).with_name("encoder-app.exe" if os.name == "nt" else
                                            "encoder-app")
    if script.is_file() and not python_flags:
        return [str(script)]
    return [sys.executable, *python_flags, *([str(script)] if script.is_file() else
                                             ["-m", "encoder_app.cli.main"])]


def _top_imports(importtime: str, count: int = 5) -> tuple[float, list[tuple[float, str]]]:
    """From python -X importtime's lines: the total of the top-level imports (ms) and the
    `count` that took longest, with what they imported in turn (cumulative)."""
    top = []
    for line in importtime.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self, cumulative, name = line[len("import time:"):].split("|")
        if not name.startswith("  "):  # one space after the bar: imported by the program
            top.append((int(cumulative) / 1000, name.strip()))
    return sum(ms for ms, _ in top), sorted(top, reverse=True)[:count]


def whole_process(data: Path, db: Path, runs: int) -> None:
    """One search from the command line as a coder runs it: a new process each time, against
    the database and the index the in-process figures used (`data` holds the index)."""
    env = {**os.environ, "ENCODER_APP_DATA": str(data), "ENCODER_APP_DB_URL": f"sqlite:///{db}"}

    def run(query: str, python_flags: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
        return subprocess.run([*_cli(python_flags), "search", query, "--limit", "20"],
                              env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)

    for query in PROCESS_QUERIES:  # warm: the file cache, and the index must be current
        done = run(query)
        if done.returncode != 0 or "search index" in done.stderr:
            print(f"\nwhole-process run of {query!r} did not just search (exit "
                  f"{done.returncode}): {done.stderr.strip()[:300]}")
            return
    times = []
    for i in range(runs):
        t0 = time.perf_counter()
        run(PROCESS_QUERIES[i % len(PROCESS_QUERIES)])
        times.append((time.perf_counter() - t0) * 1000)
    print(f"\nwhole-process latency of `{' '.join(Path(a).name for a in _cli())} search QUERY "
          f"--limit 20` over {runs} runs of {len(PROCESS_QUERIES)} queries (warm file cache): "
          f"p50 {statistics.median(times):.0f} ms, p95 {percentile(times, 95):.0f} ms, "
          f"min {min(times):.0f} ms, max {max(times):.0f} ms")
    total, top = _top_imports(run(PROCESS_QUERIES[0], ("-X", "importtime")).stderr)
    print(f"  imports of one run (python -X importtime, cumulative): {total:.0f} ms in all; "
          "longest: " + "; ".join(f"{name} {ms:.1f} ms" for ms, name in top))


def bench(args) -> int:
    entries = load_devset(args.devset)
    if args.limit_queries:
        entries = entries[:args.limit_queries]
    with tempfile.TemporaryDirectory() as tmp:
        engine = build_database(args, tmp)
        from encoder_app.search import open_search_engine  # the engine is chosen by the app

        # Where the app keeps it in a data folder: the whole-process runs use it there.
        index_dir = Path(tmp) / "search-index"
        index_dir.mkdir()
        se = open_search_engine(engine, index_dir)
        t0 = time.perf_counter()
        for _ in se.rebuild():
            pass
        took = time.perf_counter() - t0
        count = se.document_count() if hasattr(se, "document_count") else "n/a"
        print(f"\nindex build: {took:.2f} s, {count:,} documents"
              if isinstance(count, int) else f"\nindex build: {took:.2f} s, documents: {count}")

        relevance(se, entries, args.verbose)
        latency(se, entries, args.latency_systems == "all")
        if args.process_runs:
            whole_process(Path(tmp), Path(engine.url.database).resolve(), args.process_runs)
        close = getattr(se, "close", None)
        if callable(close):
            close()
        engine.dispose()
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "codebooks")
    parser.add_argument("--db", type=Path,
                        help="database to reuse (built there on first use) instead of a temp one")
    parser.add_argument("--devset", type=Path, default=DEVSET)
    parser.add_argument("--limit-queries", type=int, metavar="N",
                        help="only the first N dev queries (a quick run)")
    parser.add_argument("--check", action="store_true",
                        help="validate the dev set's accepted codes only, then exit")
    parser.add_argument("--verbose", action="store_true", help="list every relevance miss")
    parser.add_argument("--latency-systems", choices=("entry", "all"), default="entry",
                        help="time searches over each entry's systems (default) or every system")
    parser.add_argument("--process-runs", type=int, default=15, metavar="N",
                        help="whole-process searches to time (0: none)")
    args = parser.parse_args()
    sys.exit(check(args) if args.check else bench(args))


if __name__ == "__main__":
    main()
