"""The spelling corrector on small vocabularies: which candidates it looks for and in what order.
These choices are what made the dev set's typo queries rank better than with symspellpy or
RapidFuzz over the whole vocabulary (docs/decisions/spelling.md)."""

from encoder_app.search.spelling import SpellingIndex


def index(**df: int) -> SpellingIndex:
    return SpellingIndex(list(df), list(df.values()))


def test_short_words_and_numbers_are_never_corrected():
    spelling = index(fever=10, **{"12345": 10})
    assert spelling.corrections("fev") == []
    assert spelling.corrections("12346") == []
    assert spelling.corrections("fevr") == ["fever"]


def test_up_to_five_letters_one_edit_longer_words_two():
    spelling = index(fever=10, diabetes=10)
    assert spelling.corrections("feevr") == ["fever"]  # two neighbours swapped: one edit
    assert spelling.corrections("faevr") == []  # two edits
    assert spelling.corrections("diabtis") == ["diabetes"]  # two edits in seven letters


def test_nearest_first_then_most_frequent_then_alphabetical():
    spelling = index(cells=5, cell=50, cella=5, cello=5)
    assert spelling.corrections("celli", limit=10) == ["cell", "cella", "cello", "cells"]
    assert spelling.corrections("celli", limit=2) == ["cell", "cella"]
    assert index(fever=5, fewer=500).corrections("feverr") == ["fever", "fewer"]


def test_a_word_needing_a_transposition_and_a_change_is_not_looked_for():
    # "pneumonic" is two edits from "pnuemonia" (swap, then a changed last letter) and far more
    # frequent; symspellpy and a whole-vocabulary RapidFuzz search offer it, and the dev set's
    # "pnuemonia" then ranked pneumonic plague first.
    assert index(pneumonia=5, pneumonic=50).corrections("pnuemonia") == ["pneumonia"]


def test_two_changed_letters_are_looked_for_from_seven_letters_only():
    # "except" and "excess" are two edits from "excema" as "eczema" is, and more frequent, but
    # only by changing two letters, which the deletion table does not bridge ("eczema" it does:
    # drop the x, add a z). symspellpy offered "except" first and lost the dev set's eczema.
    spelling = SpellingIndex(["eczema", "except", "excess"], [5, 50, 50])
    assert spelling.corrections("excema") == ["eczema"]
    assert index(hypertension=5).corrections("hypertenshun") == ["hypertension"]


def test_a_vocabulary_word_is_not_its_own_correction():
    assert index(magnetically=5).corrections("magnetically") == []


def test_one_correction_without_the_table_finds_what_the_table_finds(search):
    # A search from the command line corrects a word or two: it measures the vocabulary
    # instead of building the deletion table (0.4 s for the biggest codebooks).
    search.document_count()
    words = search.vocab.words
    cold = SpellingIndex(words, [search.vocab.df[w] for w in words])
    warm = SpellingIndex(words, [search.vocab.df[w] for w in words])
    warm.warm()
    typos = ["pnuemonia", "hypertenshun", "excema", "diabtis", "fevr", "celulitis"]
    for i, word in enumerate(words[::53]):  # each kind of edit, somewhere in the word
        at = i % len(word)
        typos += [word[:at] + word[at + 1:], word[:at] + "x" + word[at:],
                  word[:at] + "e" + word[at + 1:], word[::-1]]
    for typo in typos:
        assert cold.corrections(typo, limit=10) == warm.corrections(typo, limit=10), typo
    assert cold._by_delete is None  # never built
