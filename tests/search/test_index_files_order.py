"""The search index's documents are stored best first: the order the ranking relies on (lower
ids are better documents) is the same whether sorted at once or in runs and merged."""

from types import SimpleNamespace

import encoder_app.search.index_build as index_build


def test_best_first_is_prior_then_fewer_words_then_as_read(monkeypatch):
    monkeypatch.setattr(index_build, "_RUN", 3)  # several runs to merge, from a few documents
    priors = [0.5, 2.0, 0.5, 2.0, 1.0, 0.5, 2.0, 1.0]
    texts = ["a b c", "a b", "a", "a b", "a b c d", "a", "a b c", "a"]
    docs = [SimpleNamespace(prior=p) for p in priors]
    order = index_build._best_first(docs, texts)
    expected = sorted(range(len(docs)), key=lambda i: (-priors[i], texts[i].count(" ")))
    assert order == expected == [1, 3, 6, 7, 4, 2, 5, 0]
