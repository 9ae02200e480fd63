"""Spelling correction for search words: candidates within two edits of a word in the codebook
vocabulary, found through a table of one-letter deletions (the SymSpell idea), built on demand."""

from __future__ import annotations


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def edit_distance(a: str, b: str, cap: int = 3) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance, stopping early past `cap`."""
    if abs(len(a) - len(b)) > cap:
        return cap + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > cap:
            return cap + 1
        prev2, prev = prev, cur
    return prev[-1]


class SpellingIndex:
    """Corrects a word to the most frequent vocabulary words at the smallest edit distance."""

    def __init__(self, vocab: list[str], df: list[int], min_length: int = 4):
        self.freq = dict(zip(vocab, df, strict=True))
        self.min_length = min_length
        self._by_delete: dict[str, list[str]] | None = None
        self._buckets: dict[str, list[tuple[str, int]]] | None = None

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
        table = self._table()
        keys = {word} | _deletes(word)
        if len(word) >= 6:  # two edits only where a word is long enough to stay recognisable
            keys |= {d2 for d in list(keys) for d2 in _deletes(d)}
        found: dict[str, int] = {}
        for key in keys:
            for candidate in table.get(key, ()):
                if candidate not in found:
                    found[candidate] = edit_distance(word, candidate, 2)
        allowed = 1 if len(word) < 6 else 2
        best = sorted((dist, -self.freq[w], w) for w, dist in found.items()
                      if 0 < dist <= allowed)
        if len(word) >= 7 and (not best or best[0][0] == 2):
            best = sorted(set(best) | set(self._by_scan(word)))
        return [w for _, _, w in best[:limit]]

    def _by_scan(self, word: str) -> list[tuple[int, int, str]]:
        """Two substitutions ('hypertenshun') escape the deletion table; for long words, scan
        the words that share the first two letters and have about the same length."""
        if self._buckets is None:
            self._buckets = {}
            for candidate, freq in self.freq.items():
                self._buckets.setdefault(candidate[:2], []).append((candidate, freq))
        scored = []
        for candidate, freq in self._buckets.get(word[:2], ()):
            if abs(len(candidate) - len(word)) <= 2:
                dist = edit_distance(word, candidate, 2)
                if dist <= 2:
                    scored.append((dist, -freq, candidate))
        return sorted(scored)
