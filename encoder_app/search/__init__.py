"""Type-ahead search over every loaded code system: a SearchEngine protocol and its Whoosh index."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from encoder_app.search.engine import Hit, SearchEngine

if TYPE_CHECKING:  # a spawned shard writer imports this package: it has no use for SQLAlchemy
    from sqlalchemy import Engine

    from encoder_app.codebook.reading import ReadOnlyCodebook


def open_search_engine(engine: Engine | ReadOnlyCodebook, index_dir: Path | None = None,
                       in_memory: bool = True) -> SearchEngine:
    """The search engine over a database; its index lives in the data folder unless given.
    in_memory=False: only what each search needs is read from the index, for one search (the
    command line); a window keeps it all in memory and answers every keystroke from there."""
    from encoder_app.search.whoosh_search import WhooshSearch

    return WhooshSearch(engine, index_dir, in_memory)


__all__ = ["Hit", "SearchEngine", "open_search_engine"]
