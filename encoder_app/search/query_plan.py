"""Turning what a coder typed into word groups: each typed word becomes the words that may
stand for it in the codebook (itself, same-stem forms, synonyms, spelling corrections), and the
last, partial word becomes a prefix."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from encoder_app.search.brands import BrandNames
from encoder_app.search.procedure_words import APPROACHES, ProcedureWords
from encoder_app.search.spelling import SpellingIndex
from encoder_app.search.text import FILLER, stem, words

MAX_COMPLETIONS = 40


@dataclass(frozen=True)
class Alternative:
    words: tuple[str, ...]  # all must appear in a document, as whole words
    weight: float
    note: str = ""  # why this stands for the typed word: "synonym: htn = hypertension"


@dataclass
class Group:
    typed: str
    alternatives: list[Alternative] = field(default_factory=list)
    prefix: str | None = None  # a partial last word: any word starting with it matches
    prefix_weight: float = 0.9


class Vocabulary:
    """The words of the indexed documents with their document frequency."""

    def __init__(self, vocab: list[str], df: list[int], stems: dict[str, list[str]]):
        self.words = vocab
        self.df = dict(zip(vocab, df, strict=True))
        self.stems = stems
        self.spelling = SpellingIndex(vocab, df)
        self._completions: dict[str, list[str]] = {}

    def completions(self, prefix: str) -> list[str]:
        """The most frequent words starting with a prefix (asked several times per keystroke
        by planning, estimating and fetching, so remembered)."""
        found = self._completions.get(prefix)
        if found is None:
            if len(self._completions) > 20000:
                self._completions.clear()
            found = self._completions[prefix] = self._find_completions(prefix)
        return found

    def _find_completions(self, prefix: str) -> list[str]:
        start = bisect.bisect_left(self.words, prefix)
        end = bisect.bisect_left(self.words, prefix + "\uffff")
        found = self.words[start:end]
        if len(found) > MAX_COMPLETIONS:
            found = sorted(found, key=lambda w: -self.df[w])[:MAX_COMPLETIONS]
        return found

    def same_stem(self, word: str) -> list[str]:
        return [w for w in self.stems.get(stem(word), ()) if w != word]


class _Phrase:
    """A synonym term to find in a query before it is split into words ("pink eye", "n/v"),
    with no letter or digit beside it. Its pattern is compiled when a query holds the term:
    compiling all of them took a search from the command line 12 ms."""

    __slots__ = ("term", "_pattern")

    def __init__(self, term: str):
        self.term = term
        self._pattern: re.Pattern | None = None

    def _compiled(self) -> re.Pattern:
        if self._pattern is None:
            self._pattern = re.compile(r"(?<![a-z0-9])" + re.escape(self.term) + r"(?![a-z0-9])")
        return self._pattern

    def search(self, text: str) -> re.Match | None:
        # the pattern finds nothing where the term is not even a part of the text
        return self._compiled().search(text) if self.term in text else None

    def sub(self, replacement: str, text: str) -> str:
        return self._compiled().sub(replacement, text)


class SynonymSource:
    """The shipped synonym list (and drug brand names) as the planner needs them; empty when
    the list is missing."""

    def __init__(self, synonyms=None, brands: BrandNames | None = None,
                 procedures: ProcedureWords | None = None):
        self.brands = brands or BrandNames()
        self.procedures = procedures or ProcedureWords()
        self.by_term: dict[str, tuple[str, ...]] = {}
        self.phrases: list[tuple[_Phrase, str]] = []
        self.spelling: SpellingIndex | None = None
        if synonyms is None:
            return
        for entry in synonyms.entries:
            self.by_term[entry.term] = tuple(entry.expansions)
            if words(entry.term) != [entry.term]:
                self.phrases.append((_Phrase(entry.term), entry.term))
        self.phrases.sort(key=lambda p: -len(p[1]))
        # Coders misspell the words they type most, and those are often synonym terms
        # ("tonsilectomy", "zofren", "rocefin"): the terms are a spelling list of their own,
        # asked before the codebook's words (a term is never corrected: "lima" stays LIMA).
        single = [t for t in self.by_term if t.isalpha()]
        self.spelling = SpellingIndex(single, [1] * len(single))

    def corrected(self, word: str) -> list[Alternative]:
        """A misspelled synonym term's expansions, noted as a correction."""
        if self.spelling is None:
            return []
        for term in self.spelling.corrections(word, limit=1):
            return [Alternative(a.words, 0.8, f"spelling: {word} = {term}; {a.note}")
                    for a in self.alternatives(term)]
        return []

    def alternatives(self, term: str) -> list[Alternative]:
        alts = []
        # the first expansion is what the term means; later ones are wider or rarer wordings
        # ("colon cancer": of colon, then of digestive organ, as the family-history Index has)
        for i, expansion in enumerate(self.by_term.get(term, ())):
            kept = tuple(w for w in words(expansion) if w not in FILLER)
            alts.append(Alternative(kept, 0.95 if i == 0 else 0.85,
                                    f"synonym: {term} = {expansion}"))
        return alts


def plan(query: str, vocab: Vocabulary, synonyms: SynonymSource) -> list[Group]:
    raw = query.lower()
    complete_last = raw.endswith((" ", ","))
    groups: list[Group] = []
    for pattern, term in synonyms.phrases:
        if pattern.search(raw):
            raw = pattern.sub(" ", raw)
            _add(groups, Group(term, synonyms.alternatives(term)))
    typed = _read_brands(words(raw), vocab, synonyms, groups)
    if not typed:
        return groups
    complete, partial = (typed, None) if complete_last else (typed[:-1], typed[-1])
    for word in complete:
        if word in FILLER:
            continue
        _add(groups, _complete_group(word, vocab, synonyms))
    if partial and not (partial in FILLER and len(partial) <= 3):
        _add(groups, _partial_group(partial, vocab, synonyms))
    return groups


def _read_brands(tokens: list[str], vocab: Vocabulary, synonyms: SynonymSource,
                 groups: list[Group]) -> list[str]:
    """Each drug brand among the tokens becomes a group of its generics' readings ("lovenox"
    -> enoxaparin sodium, enoxaparin); the tokens left are returned. A synonym term is left to
    the list (its wording wins). A brand the codebook also prints (the Drug Table lists
    Dilaudid and Narcan; an ordinary word may be a brand too) keeps its own word first."""
    rest: list[str] = []
    i = 0
    while i < len(tokens):
        n, generics = synonyms.brands.match(tokens, i)
        brand = tokens[i:i + n]
        name = " ".join(brand)
        if n and name not in synonyms.by_term and name not in FILLER:
            known = all(w in vocab.df for w in brand)
            alts = [Alternative(tuple(brand), 1.0)] if known else []
            alts += [Alternative(reading, weight * (0.85 if known else 1.0),
                                 f"brand: {name} = {generic}")
                     for generic in generics for reading, weight in BrandNames.readings(generic)]
            _add(groups, Group(name, alts))
            i += n
            continue
        rest.append(tokens[i])
        i += 1
    return rest


def _add(groups: list[Group], group: Group | None) -> None:
    # A synonym that expands only to filler words ("w" = "with") asks for nothing.
    if group is not None and (group.prefix or any(a.words for a in group.alternatives)):
        group.alternatives = [a for a in group.alternatives if a.words]
        groups.append(group)


def _procedure_alternatives(word: str, synonyms: SynonymSource) -> list[Alternative]:
    """A scope's approach ("colonoscopy": via natural or artificial opening endoscopic) and the
    root operations the PCS Index leads the word to ("polypectomy": excision)."""
    alts = []
    if word in APPROACHES:
        alts.append(Alternative(APPROACHES[word], 0.9, f"approach: {word}"))
    alts += [Alternative(reading, 0.85, f"PCS Index: {word} = {' '.join(reading)}")
             for reading in synonyms.procedures.root_operations(word)]
    return alts


def _complete_group(word: str, vocab: Vocabulary, synonyms: SynonymSource) -> Group | None:
    alts = synonyms.alternatives(word) + _procedure_alternatives(word, synonyms)
    if word in vocab.df:
        alts.append(Alternative((word,), 1.0))
    alts.extend(Alternative((w,), 0.95) for w in vocab.same_stem(word))
    truncated = len(word) >= 3 and any(w != word for w in vocab.completions(word))
    if not alts and not truncated:  # "fract" is a word start, not a misspelling
        corrections = vocab.spelling.corrections(word)
        alts = synonyms.corrected(word) + [Alternative((c,), 0.75, f"spelling: {word} = {c}")
                                           for c in corrections]
        # "histerectomy" is "hysterectomy", which the PCS Index reads as resection uterus
        alts += [Alternative(a.words, 0.7, f"spelling: {word} = {c}; {a.note}")
                 for c in corrections[:1] for a in _procedure_alternatives(c, synonyms)]
    if not alts and word in synonyms.by_term:
        return None  # a synonym that rewrites to filler only
    # Coders type word starts and go on ("fract fem"): a typed word also matches as a prefix.
    # A word the codebook knows is most likely meant as itself ("ear", not "early").
    prefix = word if len(word) >= 3 and len(vocab.completions(word)) > (word in vocab.df) else None
    return Group(word, alts, prefix=prefix, prefix_weight=0.5 if word in vocab.df else 0.85)


def _partial_group(word: str, vocab: Vocabulary, synonyms: SynonymSource) -> Group | None:
    alts = synonyms.alternatives(word)
    completions = vocab.completions(word)
    if completions:
        # "uri" typed in full is the abbreviation far more often than the start of "uricemia";
        # a word start ("fractu") is no procedure's name yet: the Index is asked of words
        procedure = _procedure_alternatives(word, synonyms) if word in vocab.df else []
        return Group(word, alts + procedure, prefix=word, prefix_weight=0.5 if alts else 0.9)
    alts += _procedure_alternatives(word, synonyms)
    if not alts and len(word) >= 4:
        alts = synonyms.corrected(word) + [Alternative((c,), 0.7, f"spelling: {word} = {c}")
                                           for c in vocab.spelling.corrections(word)]
    return Group(word, alts) if alts else Group(word, [])
