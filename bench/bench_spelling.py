"""The spelling corrector alone (encoder_app/search/spelling.py) over the real vocabulary.

    python bench/bench_spelling.py [--db PATH] [--shared DIR] [--index DIR] [--repeat N]

Uses the database bench_search.py builds (--db: reused, built there on first use) and its search
index (--index: reused when current, built there otherwise; a temporary one without it), then
prints:

- build: the time to build the correction table over the vocabulary (what opening the index
  does) and the bucket table of the first long-word scan, and the memory both hold;
- per correction: median, p95, max and total time over the dev set's typo words that are not
  codebook words, and over the partial words a coder types on the way to them that no codebook
  word starts with (both reach the corrector), each word timed --repeat times (its median);
- the corrections of each typo word, to compare two versions by eye or by diff.

Prints figures; asserts nothing. docs/decisions/spelling.md has the figures it was written for.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import DEVSET, build_database, load_devset, percentile  # noqa: E402

from encoder_app.search import open_search_engine  # noqa: E402
from encoder_app.search.spelling import SpellingIndex  # noqa: E402
from encoder_app.search.text import words  # noqa: E402


def typed_words(vocab, entries: list[dict]) -> tuple[list[str], list[str]]:
    """The typo words the corrector is asked about, and the partial words typed on the way."""
    whole, partial = [], []
    for e in entries:
        if e["kind"] != "typo":
            continue
        q = e["query"].lower()
        whole += [w for w in words(q) if len(w) >= 4 and w not in vocab.df and w not in whole]
        for end in range(4, len(q) + 1):
            typed = words(q[:end])
            w = typed[-1] if typed else ""
            if len(w) >= 4 and not vocab.completions(w) and w not in partial:
                partial.append(w)
    return whole, partial


def timings(spelling: SpellingIndex, ws: list[str], repeat: int) -> str:
    per_word = []
    for w in ws:
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            spelling.corrections(w)
            times.append((time.perf_counter() - t0) * 1000)
        per_word.append(statistics.median(times))
    return (f"{len(ws)} words: median {statistics.median(per_word):.3f} ms, "
            f"p95 {percentile(per_word, 95):.3f} ms, max {max(per_word):.3f} ms, "
            f"total {sum(per_word):.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "codebooks")
    parser.add_argument("--db", type=Path, help="database to reuse (built there on first use)")
    parser.add_argument("--index", type=Path, help="search index folder to reuse")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        engine = build_database(args, tmp)
        index_dir = args.index or Path(tmp) / "index"
        index_dir.mkdir(parents=True, exist_ok=True)
        se = open_search_engine(engine, index_dir)
        for _ in se.ensure_current():
            pass
        se.document_count()  # loads the vocabulary
        vocab = se.vocab
        df = [vocab.df[w] for w in vocab.words]
        whole, partial = typed_words(vocab, load_devset(DEVSET))

        gc.collect()
        t0 = time.perf_counter()
        spelling = SpellingIndex(vocab.words, df)
        spelling.warm()  # what opening the index does
        table = time.perf_counter() - t0
        t0 = time.perf_counter()
        spelling.corrections("hypertenshun")  # the first long-word scan
        scan = time.perf_counter() - t0
        del spelling
        gc.collect()
        tracemalloc.start()
        spelling = SpellingIndex(vocab.words, df)
        spelling.warm()
        spelling.corrections("hypertenshun")
        held = tracemalloc.get_traced_memory()[0] / 1e6
        tracemalloc.stop()

        print(f"\nvocabulary: {len(vocab.words):,} words")
        print(f"build: correction table {table:.3f} s, first scan {scan:.3f} s; "
              f"memory held {held:.1f} MB")
        print(f"typo words, per correction: {timings(spelling, whole, args.repeat)}")
        print(f"partial words, per correction: {timings(spelling, partial, args.repeat)}")
        print("\ncorrections:")
        for w in whole:
            print(f"  {w}: {', '.join(spelling.corrections(w)) or '-'}")
        close = getattr(se, "close", None)
        if callable(close):
            close()
        engine.dispose()


if __name__ == "__main__":
    main()
