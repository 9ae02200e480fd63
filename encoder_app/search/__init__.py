"""Type-ahead search over every loaded code system: a SearchEngine protocol and its Whoosh index."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from encoder_app.search.engine import Hit, SearchEngine

if TYPE_CHECKING:  # a spawned shard writer imports this package: it has no use for SQLAlchemy
    from sqlalchemy import Engine


def open_search_engine(engine: Engine, index_dir: Path | None = None) -> SearchEngine:
    """The search engine over a database; its index lives in the data folder unless given."""
    from encoder_app.search.whoosh_search import WhooshSearch

    return WhooshSearch(engine, index_dir)


__all__ = ["Hit", "SearchEngine", "open_search_engine"]
