"""Spelling correction for search words: candidates within two edits of a word in the codebook
vocabulary, found through a table of one-letter deletions (the SymSpell idea) built on demand,
and measured with RapidFuzz's optimal string alignment (Damerau-Levenshtein) distance.

The candidates are chosen here, not by symspellpy or by RapidFuzz over the whole vocabulary:
those find every word within two edits, and the extra ones ("excema" = "except", "pnuemonia" =
"pneumonic") push the right code down the results. See docs/decisions/spelling.md."""

from __future__ import annotations


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


class SpellingIndex:
    """Corrects a word to vocabulary words, nearest first, then the most frequent.

    Words shorter than `min_length` and numbers are never corrected. A word of up to five
    letters may be one edit away from its correction, a longer one two edits (an edit: a letter
    added, removed, replaced, or two neighbours swapped). Candidates come from the deletion
    table: for a six-letter word, two edits that the table cannot bridge (two replaced letters,
    say) are not looked for; from seven letters on, when nothing one edit away was found, the
    words sharing the first two letters are scanned as well ('hypertenshun')."""

    def __init__(self, vocab: list[str], df: list[int], min_length: int = 4):
        self.freq = dict(zip(vocab, df, strict=True))
        self.min_length = min_length
        self._by_delete: dict[str, list[str]] | None = None
        self._buckets: dict[str, list[str]] | None = None

    def warm(self) -> None:
        """Build the deletion table now, for a window that corrects word after word: each
        correction is then a few lookups. Without it (one search from the command line), a
        correction measures the vocabulary instead: building the table for 30,000 words took
        0.4 s, the measuring takes a few milliseconds; both find the same words."""
        self._table()
        from rapidfuzz import process  # noqa: F401  (loaded now, not at the first correction)

    def _table(self) -> dict[str, list[str]]:
        if self._by_delete is None:
            table: dict[str, list[str]] = {}
            for word in self.freq:
                if len(word) >= self.min_length and not word.isdigit():
                    table.setdefault(word, []).append(word)
                    for d in _deletes(word):
                        table.setdefault(d, []).append(word)
            self._by_delete = table
        return self._by_delete

    def corrections(self, word: str, limit: int = 3) -> list[str]:
        if len(word) < self.min_length or word.isdigit():
            return []
        keys = {word} | _deletes(word)
        if len(word) >= 6:  # two edits only where a word is long enough to stay recognisable
            keys |= {d2 for d in list(keys) for d2 in _deletes(d)}
        allowed = 1 if len(word) < 6 else 2
        best = self._ranked(word, self._candidates(word, keys, allowed), allowed)
        if len(word) >= 7 and (not best or best[0][0] == 2):
            best = sorted(set(best) | set(self._ranked(word, self._by_scan(word), 2)))
        return [w for _, _, w in best[:limit]]

    def _candidates(self, word: str, keys: set[str], allowed: int) -> set[str]:
        """The words the deletion table holds under any of the keys (the word and its
        deletions)."""
        if self._by_delete is not None:
            table = self._by_delete
            return {c for key in keys for c in table.get(key, ())}
        # No table: the words near enough, measured at C speed, kept where the table would
        # have held them (those _ranked keeps are near enough anyway).
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        near = process.extract(word, list(self.freq), scorer=OSA.distance,
                               score_cutoff=allowed, limit=None)
        return {w for w, _dist, _i in near if len(w) >= self.min_length and not w.isdigit()
                and (w in keys or not keys.isdisjoint(_deletes(w)))}

    def _ranked(self, word: str, candidates, allowed: int) -> list[tuple[int, int, str]]:
        """(distance, -frequency, candidate) for the candidates 1 to `allowed` edits away."""
        # Here, not at the top: most searches correct nothing, and one from the command line
        # should not wait for RapidFuzz to load.
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        found = process.extract(word, candidates, scorer=OSA.distance, score_cutoff=allowed,
                                limit=None)
        return sorted((dist, -self.freq[w], w) for w, dist, _ in found if dist > 0)

    def _by_scan(self, word: str) -> list[str]:
        """Two substitutions ('hypertenshun') escape the deletion table; for long words, the
        words that share the first two letters are measured instead."""
        if self._by_delete is None:  # one correction: the words looked through once
            return [candidate for candidate in self.freq if candidate[:2] == word[:2]]
        if self._buckets is None:
            self._buckets = {}
            for candidate in self.freq:
                self._buckets.setdefault(candidate[:2], []).append(candidate)
        return self._buckets.get(word[:2], [])
