"""The Whoosh search engine: candidates from Whoosh postings, ranked for a coder.

Whoosh holds the postings (which documents contain a word). Ranking is ours: a document scores
for each typed word by how rare the matching word is and how it matched (exactly, same stem,
synonym, spelling, prefix), is divided by the words of its text nobody typed (the specific code
for the words typed comes first), and is multiplied by its prior (billable first, headers and
external causes lower). Keystrokes reuse the postings of the words typed before through a cache.
"""

from __future__ import annotations

import datetime as dt
import gc
import heapq
import math
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh.query import Term

from encoder_app import settings
from encoder_app.codebook.reading import ReadOnlyCodebook
from encoder_app.codes import dotted
from encoder_app.cycle_collection import cycle_collection_paused, drop_in_pieces
from encoder_app.progress import Progress
from encoder_app.search import index_files
from encoder_app.search.brands import load_brand_names
from encoder_app.search.code_queries import code_hits, looks_like_code
from encoder_app.search.doses import fit, query_dose
from encoder_app.search.engine import SEARCH_SYSTEMS, Hit
from encoder_app.search.indexed import KIND_LABELS
from encoder_app.search.procedure_words import APPROACHES, ProcedureWords
from encoder_app.search.qualifiers import Qualifiers, qualifier_factor, read_qualifiers
from encoder_app.search.query_plan import Group, SynonymSource, Vocabulary, plan
from encoder_app.search.seventh import Completions, complete_seventh
from encoder_app.search.text import (
    CHART_WORDS,
    DOSE_WORDS,
    ENCOUNTER_WORDS,
    FILLER,
    NOT_EXTRA,
    dose_numbers,
    stem,
    words,
)
from encoder_app.search.validity import mark_validity

if TYPE_CHECKING:
    from sqlalchemy import Engine

CACHE_TERMS = 4096
_UNSTATED = NOT_EXTRA | {"not", "otherwise", "specified"}
_HCPCS = index_files.SYSTEMS.index("hcpcs")
#: The dose words of a HCPCS drug descriptor: how much a unit is, not which drug.
_DOSE_TEXT = DOSE_WORDS | {"micrograms", "milligrams", "i", "u", "per", "up"}
NO_QUALIFIERS = Qualifiers()
#: Above this many candidates, only the best documents (lowest ids) are scored.
SCORE_AT_MOST = 600
#: A word in more documents than this starts the candidates from its champions only.
CHAMPIONS_ABOVE = 40000
CHAMPIONS = 300
CHAMPION_WORDS = 12
#: A long query's informative words lead a partial set too, when they are not too common to
#: narrow quickly (a keystroke of a long query pays for each).
HEAVY_SEED_AT_MOST = 8000


class WhooshSearch:
    def __init__(self, engine: Engine | ReadOnlyCodebook, index_dir: Path | None = None,
                 in_memory: bool = True):
        self.engine = engine
        self.folder = Path(index_dir) if index_dir else settings.data_dir() / "search-index"
        # In memory: the whole table read once (seconds for the biggest codebooks) and every
        # keystroke answered from lists. Otherwise the table is mapped and each search reads
        # only the documents it looks at: one search from the command line.
        self.in_memory = in_memory
        self._loaded = False
        self._postings: OrderedDict[str, frozenset[int]] = OrderedDict()
        self.completions = Completions(engine)

    # -- index lifecycle -------------------------------------------------------------------
    def is_current(self) -> bool:
        manifest = index_files.read_manifest(self.folder)
        return bool(manifest) and manifest.get("format") == index_files.FORMAT_VERSION and \
            manifest.get("releases") == index_files.release_signature(self.engine)

    def rebuild(self) -> Iterator[Progress]:
        # Here, not at the top: a build reads the database through SQLAlchemy, and a search
        # from the command line must not wait for it to load.
        from encoder_app.search.index_build import build_index

        self._close()
        yield from build_index(self.engine, self.folder)

    def ensure_current(self) -> Iterator[Progress]:
        """Rebuild when the index is missing or older than the loaded releases."""
        if not self.is_current():
            yield from self.rebuild()

    def document_count(self) -> int:
        self._load()
        return len(self.codes)

    def _close(self) -> None:
        self.completions.forget()  # a rebuild follows a change of releases
        if self._loaded:
            for s in self.searchers:
                s.close()
            self._loaded = False
            if self.in_memory:
                self._drop_table()
        self._loaded = False
        self._postings.clear()

    #: What _read_index_once loads that is big: the table's lists and dicts.
    _TABLE = ("codes", "systems", "kinds", "texts", "displays", "priors", "core", "titles")

    def _drop_table(self) -> None:
        """The loaded index let go a piece at a time (cycle_collection.drop_in_pieces): a
        rebuild on the worker drops it while the window waits for the interpreter lock."""
        vocab = self.vocab
        spelling = vocab.spelling
        tables = [getattr(self, name) for name in self._TABLE]
        for name in self._TABLE:
            setattr(self, name, [])
        tables += [*tables[-1].values()]  # titles: one dict of codes per system
        tables += [vocab.words, vocab.df, vocab.stems, spelling.freq,
                   spelling._by_delete or {}, spelling._buckets or {}]
        del vocab, spelling, self.vocab
        for rows in tables:
            drop_in_pieces(rows)

    def _load(self) -> None:
        if self._loaded:
            return
        # Millions of new objects would trigger full garbage collections while loading, each a
        # long stretch holding the interpreter lock (a frozen window); nothing here is garbage.
        # Once loaded they are frozen, so no later full collection walks them mid-typing.
        with cycle_collection_paused():
            self._read_index()
            gc.freeze()

    def _read_index(self) -> None:
        # Another encoder-app may swap a new index in while this one reads: the table and the
        # shards must come from one build, so the build id is read before and after, and a
        # read that straddled a swap (or lost a file to it) is done again.
        for attempt in range(5):
            before = index_files.read_manifest(self.folder)
            try:
                self._read_index_once()
            except (OSError, EOFError, ValueError):
                if attempt == 4:
                    raise
                continue
            after = index_files.read_manifest(self.folder)
            if before == after:  # the same build (or no manifest either time: nothing swapped)
                return
            self._close()
        raise OSError(f"the search index in {self.folder} kept changing while it was read")

    def _read_index_once(self) -> None:
        table = index_files.load_table(self.folder, self.in_memory)
        self.codes: list[str] = table["code"]
        self.systems: list[int] = table["system"]
        self.kinds: list[int] = table["kind"]
        self.texts: list[str] = table["text"]
        self.displays: list[str] = table["display"]
        self.priors: list[float] = table["prior"]
        self.core: list[int] = table["core"]
        self._idfs: dict[str, float] = {}
        self.titles: dict[str, dict[str, list]] = table["titles"]
        self.vocab = Vocabulary(table["vocab"], table["df"], table["stems"])
        self.synonyms = SynonymSource(_load_synonyms(), load_brand_names(),
                                      ProcedureWords(self.engine))
        if self.in_memory:  # the correction tables built now, not mid-typing
            self.vocab.spelling.warm()
            if self.synonyms.spelling is not None:
                self.synonyms.spelling.warm()
        self.searchers = [ix.searcher() for ix in index_files.open_shards(self.folder)]
        self.total = len(self.codes)
        self._loaded = True

    # -- postings --------------------------------------------------------------------------
    def _docs(self, word: str) -> frozenset[int]:
        cached = self._postings.get(word)
        if cached is not None:
            self._postings.move_to_end(word)
            return cached
        ids: list[int] = []
        for shard, searcher in enumerate(self.searchers):
            ids.extend(2 * d + shard for d in searcher.docs_for_query(Term("words", word)))
        found = frozenset(ids)
        self._postings[word] = found
        if len(self._postings) > CACHE_TERMS:
            self._postings.popitem(last=False)
        return found

    def _champions(self, word: str, k: int = CHAMPIONS) -> frozenset[int]:
        """The best k documents containing a word: postings are in id order, ids best-first."""
        key = "\0champions:" + word
        cached = self._postings.get(key)
        if cached is not None:
            return cached
        ids: list[int] = []
        for shard, searcher in enumerate(self.searchers):
            reader = searcher.reader()
            if ("words", word) not in reader:
                continue
            matcher = reader.postings("words", word)
            n = 0
            while matcher.is_active() and n < k:
                ids.append(2 * matcher.id() + shard)
                matcher.next()
                n += 1
        found = frozenset(sorted(ids)[:k])
        self._postings[key] = found
        return found

    def _estimate(self, group: Group) -> int:
        if group.prefix:
            return sum(self.vocab.df.get(w, 0) for w in self.vocab.completions(group.prefix)) + \
                sum(min(self.vocab.df.get(w, 0) for w in a.words) for a in group.alternatives)
        return sum(min(self.vocab.df.get(w, 0) for w in a.words) for a in group.alternatives)

    def _group_docs(self, group: Group, champions_only: bool) -> set[int]:
        docs: set[int] = set()
        words = [(a.words,) for a in group.alternatives]
        if group.prefix:
            completions = self.vocab.completions(group.prefix)
            if champions_only:
                completions = completions[:CHAMPION_WORDS]  # the most frequent completions
            typed = {a.words for a in group.alternatives}
            words += [((w,),) for w in completions if (w,) not in typed]
        for (alt_words,) in words:
            if champions_only:
                rarest = min(alt_words, key=lambda w: self.vocab.df.get(w, 0))
                docs |= {d for d in self._champions(rarest) if _has_all(self.texts[d], alt_words)}
                continue
            found = None
            for w in sorted(alt_words, key=lambda w: self.vocab.df.get(w, 0)):
                posting = self._docs(w)
                found = set(posting) if found is None else found & posting
                if not found:
                    break
            docs |= found or set()
        return docs

    def _candidates(self, groups: list[Group]) -> set[int]:
        ordered = sorted(groups, key=self._estimate)
        first = ordered[0]
        cands = self._group_docs(first, champions_only=self._estimate(first) > CHAMPIONS_ABOVE)
        for group in ordered[1:]:
            if not cands:
                break
            if self._estimate(group) < len(cands) // 2:
                cands &= self._group_docs(group, champions_only=False)
            else:
                cands = {d for d in cands if _group_matches(self.texts[d], group)}
        return cands

    def _in_systems(self, groups: list[Group], system_ids: set[int]) -> set[int]:
        cands = self._candidates(groups)
        if len(system_ids) < len(index_files.SYSTEMS):
            cands = {d for d in cands if self.systems[d] in system_ids}
        return cands

    def _matching(self, groups: list[Group], system_ids: set[int]) -> tuple[set[int], list[Group]]:
        """Documents with every typed word; failing that, with all words but one (trying the
        words that match least first), then all but two. A coder's extra word ("mechanical
        ventilation...") should not empty the list."""
        cands = self._in_systems(groups, system_ids)
        tried = groups
        for _ in range(2):
            if cands or len(groups) < 2:
                break
            # a word no document has goes first, then the word that says least: "cataract
            # extraction with IOL right eye" keeps the procedure and loses "eye"
            order = sorted(groups, key=lambda g: (self._estimate(g) > 0, self._weight(g)))
            for drop in order:
                fewer = [g for g in groups if g is not drop]
                cands = self._in_systems(fewer, system_ids)
                if cands:
                    return cands, fewer
            groups = order[1:]
        if cands or len(tried) < 3:
            return cands, groups
        return self._best_partial(tried, system_ids)

    def _weight(self, group: Group) -> float:
        """How much a typed word says: its own rarity when the codebook has it, else the
        rarity of what stands for it (the words of a reading together: "meniscectomy" =
        excision knee joint says more than "knee"). A rare form of a common word ("acutely")
        says no more than the word."""
        if group.typed in self.vocab.df:
            return self._idf(group.typed)
        return max((sum(self._idf(w) for w in a.words) for a in group.alternatives),
                   default=self._idf(group.prefix) if group.prefix else 0.0)

    def _best_partial(self, groups: list[Group], system_ids: set[int]) -> tuple[set[int],
                                                                                list[Group]]:
        """A long query no document has every word of ("68 year old man with persistent
        atrial fibrillation on long term warfarin"): grow a set of words that some documents
        all have, from each of the three rarest words that match anything (and the two that
        say most), adding the others nearest in the query first (a concept's words stand
        together: "type 2 diabetes with diabetic chronic kidney disease") when they keep some
        documents; the set whose words weigh most wins. Never nothing while any one word
        matches."""
        # A chart's framing words ("67 yo male presents ...") name no condition, and a number
        # ("stage 3a", "type 2") only qualifies the word beside it: neither leads a set.
        content = [g for g in groups if g.typed not in CHART_WORDS
                   and not any(c.isdigit() for c in g.typed)] or groups
        place = {id(g): i for i, g in enumerate(groups)}
        rarest = sorted(content, key=self._estimate)
        heaviest = sorted(content, key=self._weight, reverse=True)
        best: tuple[float, set[int], list[Group]] = (0.0, set(), [])
        seeds = [g for g in rarest if self._in_systems([g], system_ids)][:3]
        seeds += [g for g in heaviest if g not in seeds
                  and self._estimate(g) < HEAVY_SEED_AT_MOST
                  and self._in_systems([g], system_ids)][:2]
        for seed in seeds:
            kept, cands = [seed], self._in_systems([seed], system_ids)
            nearest = sorted(content, key=lambda g: abs(place[id(g)] - place[id(seed)]))
            for group in nearest:
                if group is seed:
                    continue
                narrower = {d for d in cands if _group_matches(self.texts[d], group)}
                if narrower:
                    kept.append(group)
                    cands = narrower
            weight = sum(self._weight(g) or 1.0 for g in kept)
            if weight > best[0]:
                best = (weight, cands, kept)
        return best[1], best[2]

    # -- ranking ---------------------------------------------------------------------------
    def _idf(self, word: str) -> float:
        idf = self._idfs.get(word)
        if idf is None:
            idf = self._idfs[word] = math.log(1 + self.total / (1 + self.vocab.df.get(word, 0)))
        return idf

    def _best_first(self, cands: set[int], groups: int) -> list[int]:
        """The candidates worth scoring in full: a cheap estimate from the prior and the
        number of words a text has beyond those typed, then the best SCORE_AT_MOST."""
        if len(cands) <= SCORE_AT_MOST:
            return list(cands)
        priors, core = self.priors, self.core
        return heapq.nlargest(SCORE_AT_MOST, cands,
                              key=lambda d: priors[d] / (1 + 0.12 * max(0, core[d] - groups)))

    def _score(self, doc: int, groups: list[Group],
               qualifiers: Qualifiers = NO_QUALIFIERS) -> tuple[float, list[str]]:
        text = self.texts[doc]
        tokens = text.split()
        used: set[str] = set()
        total = 0.0
        notes: list[str] = []
        for group in groups:
            best, best_words, best_note = 0.0, (), ""
            for alt in group.alternatives:
                if _has_all(text, alt.words):
                    # every form of the typed word found counts as typed ("Hypertension,
                    # hypertensive" is exactly "htn"), not only the best one
                    used.update(alt.words)
                    value = alt.weight * max(self._idf(w) for w in alt.words)
                    if value > best:
                        best, best_words, best_note = value, alt.words, alt.note
            if group.prefix:
                for token in tokens:
                    if token.startswith(group.prefix):
                        value = group.prefix_weight * min(self._idf(token), self._idf(group.prefix)
                                                          if group.prefix in self.vocab.df else 99)
                        value *= (len(group.prefix) / len(token)) ** 0.3
                        if value > best:
                            best, best_words, best_note = value, (token,), ""
                        break
            total += best
            used.update(best_words)
            if best_note:
                notes.append(best_note)
        extra = 0.0
        # "site not specified", "not otherwise specified" say what "unspecified" says
        unstated = _UNSTATED if " not specified " in text or " otherwise specified " in text \
            else NOT_EXTRA
        drug = self.systems[doc] == _HCPCS
        if drug:
            unstated = unstated | _DOSE_TEXT  # "300 micrograms (1500 i.u.)" is how much
        used_stems = None
        for t in tokens:
            if t == "~":
                break  # nonessential modifiers follow
            if t not in used and t not in unstated and not (drug and t.isdigit()):
                if used_stems is None:
                    used_stems = {stem(w) for w in used}
                    used_heads = {w[:7] for w in used if len(w) >= 7}
                # another form of a typed word: the Index writes "Hypertension, hypertensive",
                # "Diabetes, diabetic" (Porter leaves hypertens- and hypertension apart)
                if stem(t) not in used_stems and t[:7] not in used_heads:
                    extra += 1
            elif t == "other":
                extra += 0.5  # "Other X" is a residual code; a bare "X" means "X, unspecified"
        # A text that is exactly what was typed (an Index main term, a short title) is the
        # strongest evidence a coder has.
        exact = 1.1 if extra == 0 else 1.0
        stated = qualifier_factor(text, qualifiers)  # "without hematuria" vs "with hematuria"
        return total / (1 + 0.12 * extra) * self.priors[doc] * exact * stated, notes

    # -- the query -------------------------------------------------------------------------
    def search(self, query: str, systems: Sequence[str] = SEARCH_SYSTEMS,
               date: dt.date | None = None, limit: int = 20,
               billable_only: bool = False) -> list[Hit]:
        query = query.strip() if query.strip() != query.rstrip() else query
        if not query.strip():
            return []
        wanted = [s for s in systems if s in SEARCH_SYSTEMS] or list(SEARCH_SYSTEMS)
        self._load()
        # "dm2" is shaped like a code but is what coders type for type 2 diabetes
        if looks_like_code(query) and query.strip().lower() not in self.synonyms.by_term:
            if "." in query:  # only ICD-10-CM codes are written with a dot
                wanted = [s for s in wanted if s == "icd10cm"] or wanted
            hits = code_hits(self.engine, query, wanted, limit, billable_only)
            if hits:  # judged on today when no date is given, as words are (below)
                return mark_validity(self.engine, hits, date or dt.date.today(),
                                     billable_only, keep_order=True)[:limit]
        groups = plan(query, self.vocab, self.synonyms)
        if not groups:
            return []
        system_ids = {index_files.SYSTEMS.index(s) for s in wanted}
        scoring_groups = groups
        qualifiers = read_qualifiers(query)
        # The encounter words ("initial encounter", "subsequent ... routine healing") pick a
        # 7th character, which the Index and the Drug Table never print: a document need not
        # have them to be found (they still score where a title has them), and the completion
        # they name is chosen afterwards (complete_seventh).
        # A dose and route ("40 mg IM") say how much of a drug, not which one: a number alone
        # must never pull in an unrelated drug of that strength. They score where they match.
        doses = dose_numbers(query)
        # What the query says is absent ("cellulitis ... without abscess", "asthma without
        # exacerbation") a code need not mention: "Cellulitis of right lower limb" and "Mild
        # intermittent asthma, uncomplicated" are those codes. A text that names it is still
        # scored on it, up where it agrees ("without obstruction"), down where it does not.
        # A scope ("colonoscopy", "laparoscopic") says how a procedure was done, which a
        # code's approach says (procedure_words.APPROACHES): scored, not required.
        required = [g for g in groups if g.typed not in ENCOUNTER_WORDS
                    and g.typed not in DOSE_WORDS and g.typed not in doses
                    and g.typed not in APPROACHES
                    and stem(g.typed) not in qualifiers.absent]
        if not required and any(w not in DOSE_WORDS and w not in ENCOUNTER_WORDS
                                and w not in FILLER and w not in doses and w not in APPROACHES
                                for w in words(query)):
            return []  # "Lovenox 40 mg" with Lovenox unknown: not every drug of 40 mg
        if not required:
            # only a scope was typed ("colonoscopy"): it names its procedure, and its approach
            # alone would match every code with that approach
            for g in groups:
                if g.typed in APPROACHES:
                    g.alternatives = [a for a in g.alternatives
                                      if not a.note.startswith("approach:")] or g.alternatives
        required = required or groups
        cands, groups = self._matching(required, system_ids)
        best: dict[tuple[int, str], tuple[float, int, list[str]]] = {}
        for doc in self._best_first(cands, len(groups)):
            key = (self.systems[doc], self.codes[doc])
            # Scored on every typed word, so documents matching more of them still rank higher.
            score, notes = self._score(doc, scoring_groups, qualifiers)
            if key not in best or score > best[key][0]:
                best[key] = (score, doc, notes)
        units = self._fit_dose(best, query)
        ranked = sorted(best.items(), key=lambda item: -item[1][0])
        hits = []
        for key, (score, doc, notes) in ranked:
            system = index_files.SYSTEMS[key[0]]
            title, billable = self.titles[system][key[1]]
            # a header stays until complete_seventh: it may lead on to a billable child
            hits.append(Hit(dotted(key[1], system), system, title, bool(billable), score,
                            self._matched(doc, notes), units=units.get(key)))
            if len(hits) >= limit * 2:
                break
        # Words are judged on a date even when none is given: today, answered by the newest
        # release when today is past it. A code not valid then (J1030, terminated in 2024)
        # never comes first, and billable codes come before headers.
        day = date or dt.date.today()
        hits = complete_seventh(self.completions, hits, query, day)
        if billable_only:
            hits = [h for h in hits if h.billable]
        return mark_validity(self.engine, hits, day, billable_only)[:limit]

    def _fit_dose(self, best: dict, query: str) -> dict[tuple[int, str], int]:
        """With a dose in the query, each HCPCS drug's score weighed by how its descriptor's
        unit fits (search/doses.py), and the units to report noted; {key: units}."""
        dose = query_dose(query)
        if dose is None:
            return {}
        hcpcs = index_files.SYSTEMS.index("hcpcs")
        units = {}
        for key, (score, doc, notes) in best.items():
            if key[0] != hcpcs:
                continue
            factor, count = fit(self.titles["hcpcs"][key[1]][0], dose)
            if count is not None:
                units[key] = count
                notes = [*notes, f"dose {dose.written}: {count} unit{'s' * (count != 1)}"]
            best[key] = (score * factor, doc, notes)
        return units

    def _matched(self, doc: int, notes: list[str]) -> str:
        kind = index_files.KINDS[self.kinds[doc]]
        label = KIND_LABELS[kind]
        if kind not in ("title", "descriptor"):
            label += f": {self.displays[doc] or self.texts[doc].strip()}"
        return "; ".join([label, *notes])


def _has_all(text: str, words: tuple[str, ...]) -> bool:
    if len(words) == 1:
        return f" {words[0]} " in text
    return all(f" {w} " in text for w in words)


def _group_matches(text: str, group: Group) -> bool:
    if group.prefix and f" {group.prefix}" in text:
        return True
    return any(_has_all(text, a.words) for a in group.alternatives)


def _load_synonyms():
    try:
        from encoder_app.search.synonyms import load_synonyms
    except ImportError:
        return None
    return load_synonyms()
