"""What the search index covers: the newest release of each code system and Index book, and
the kinds of document it holds (each shown to the user as why a code matched).

Apart from the documents themselves (search/documents.py): a search reads these on every
query, the documents only a build does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from encoder_app.codebook.reading import ReadOnlyCodebook
from encoder_app.codebook.releases import list_releases

if TYPE_CHECKING:
    from sqlalchemy import Engine

#: Where a document's text comes from; shown to the user as why a code matched.
KIND_LABELS = {
    "title": "title",
    "inclusion": "inclusion term",
    "index": "Alphabetic Index",
    "eindex": "External Cause Index",
    "neoplasm": "Neoplasm Table",
    "drug": "Drug Table",
    "descriptor": "descriptor",
}

CODE_SYSTEMS = ("icd10cm", "icd10pcs", "hcpcs", "cpt")
INDEX_BOOKS = ("index", "eindex", "neoplasm", "drug")
HEADINGS = ("chapter", "block", "section", "body_system", "table")


def indexed_releases(engine: Engine | ReadOnlyCodebook) -> list[int]:
    """Ids of the releases the index is built from: the newest of each system and book."""
    newest: dict[tuple[str, str], tuple] = {}
    for r in list_releases(engine):
        if r.system in CODE_SYSTEMS or r.kind in INDEX_BOOKS:
            key = (r.system, r.kind)
            if key not in newest or (r.effective_from, r.id) > newest[key][0]:
                newest[key] = ((r.effective_from, r.id), r.id)
    return sorted(v[1] for v in newest.values())
