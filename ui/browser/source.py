"""The browse questions the codebook trees ask, for one database and one date of service: the
one door from the browser's models to encoder_app.codebook.browse (the window runs no SQL)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from encoder_app.codebook import browse
from encoder_app.codebook.browse import BrowseNode, IndexNode, TableColumn, TableRow
from encoder_app.codes import ICD10CM


class BrowseSource:
    """The browse questions a tree asks, for one database and one date of service (None: the
    newest releases). Only calls encoder_app.codebook.browse; a new date means a new source."""

    def __init__(self, engine: Engine, date: dt.date | None = None):
        self.engine = engine
        self.date = date

    def tabular_children(self, system: str, parent_id: int | None, offset: int = 0,
                         limit: int | None = None) -> list[BrowseNode]:
        return browse.tabular_children(self.engine, system, parent_id, self.date, offset, limit)

    def tabular_path(self, code_id: int) -> list[int]:
        return browse.tabular_path(self.engine, code_id)

    def find_code_id(self, system: str, code: str) -> int | None:
        return browse.find_code_id(self.engine, system, code, self.date)

    def index_nodes(self, book: str, parent_id: int | None, offset: int = 0,
                    limit: int | None = None, system: str = ICD10CM,
                    containing: str = "") -> list[IndexNode]:
        return browse.index_nodes(self.engine, book, parent_id, self.date, offset, limit, system,
                                  containing)

    def index_path(self, term_id: int) -> list[int]:
        return browse.index_path(self.engine, term_id)

    def main_term_position(self, term_id: int) -> int | None:
        return browse.main_term_position(self.engine, term_id)

    def see_target(self, book: str, reference: str, system: str = ICD10CM) -> int | None:
        return browse.see_target(self.engine, book, reference, self.date, system)

    def table_headings(self, book: str) -> list[TableColumn]:
        return browse.table_headings(self.engine, book, self.date)

    def table_rows(self, book: str, parent_id: int | None, offset: int = 0,
                   limit: int | None = None, containing: str = "") -> list[TableRow]:
        return browse.table_rows(self.engine, book, parent_id, self.date, offset, limit,
                                 containing=containing)[1]
