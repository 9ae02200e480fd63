"""Study mode's speed: generating drill questions and grading a set.

    python bench/bench_study.py [--db PATH] [--shared DIR] [--runs N]

Uses the database bench_search.py builds (--db: reused; built there on first use from the
default codebook and the files in ../shared). Prints, over --runs runs (median, p95, max):

- the time to generate 1,000 questions of each drill kind (a new seed each run);
- the time to grade a set of the first 100 built-in cases (the answers: the key with every
  other case's first code one character off, so partial credit is worked out too), with a new
  codebook lookup cache each run, as `encoder-app study grade` does.

Prints figures; asserts nothing.
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
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import build_database, percentile  # noqa: E402

from encoder_app.study.code_facts import CodebookFacts  # noqa: E402
from encoder_app.study.drills import KINDS, generate  # noqa: E402
from encoder_app.study.exercise_set import ExerciseSet  # noqa: E402
from encoder_app.study.grading import grade_set  # noqa: E402
from encoder_app.study.sets import builtin_sets  # noqa: E402

DAY = dt.date(2026, 5, 1)


def figures(label: str, seconds: list[float]) -> None:
    print(f"{label}: median {statistics.median(seconds):.3f} s, "
          f"p95 {percentile(seconds, 95):.3f} s, max {max(seconds):.3f} s "
          f"({len(seconds)} runs)")


def hundred_cases() -> tuple[ExerciseSet, dict[str, list[str]]]:
    cases = [c for s in builtin_sets() for c in s.cases][:100]
    answers = {}
    for i, case in enumerate(cases):
        codes = [k.written for k in case.answer.codes]
        if i % 2:  # one character off: partial credit, with its reason, is worked out
            first = codes[0]
            codes[0] = first[:-1] + ("1" if first[-1] != "1" else "2")
        answers[case.id] = codes
    return ExerciseSet("bench", "100 built-in cases", tuple(cases)), answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "codebooks")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = build_database(args, tmp)
        for kind in KINDS:
            times, counts = [], []
            for run in range(args.runs):
                t0 = time.perf_counter()
                questions = generate(engine, kind, 1000, run + 1, DAY)
                times.append(time.perf_counter() - t0)
                counts.append(len(questions))
            figures(f"drill {kind:<17} 1,000 questions (made {min(counts):,})", times)
        exercise_set, answers = hundred_cases()
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            result = grade_set(exercise_set, answers, CodebookFacts(engine))
            times.append(time.perf_counter() - t0)
        figures(f"grade a {len(exercise_set.cases)}-case set (score {result.score:.1%})", times)


if __name__ == "__main__":
    main()
