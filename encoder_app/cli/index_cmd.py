"""`encoder-app index TERM`: look a term up in the Alphabetic Index, its tables, the PCS Index."""

from __future__ import annotations

import sys

from encoder_app.cli.common import date_arg, open_codebook, print_json
from encoder_app.cli.wrapping import hanging, terminal_width
from encoder_app.codebook.index_lookup import (
    IndexEntry,
    available_books,
    book_name,
    look_up_index,
    not_loaded_message,
)
from encoder_app.codes import ICD10CM, ICD10PCS
from encoder_app.errors import NoRelease

DESCRIPTION = """\
Walks the index as a coder does: the first word(s) find the main term, the other words pick
subterms ("fracture femur neck" reaches Fracture, traumatic > femur > ... > neck). Searches the
ICD-10-CM Index to Diseases and Injuries unless told otherwise."""


def register(subparsers) -> None:
    p = subparsers.add_parser("index", help="look a term up in the Alphabetic Index",
                              description=DESCRIPTION)
    p.add_argument("term", nargs="+", metavar="TERM", help="words to look up (no quotes needed)")
    p.add_argument("--external", action="store_true", help="also the External Cause Index")
    p.add_argument("--neoplasm", action="store_true", help="also the Table of Neoplasms")
    p.add_argument("--drug", action="store_true", help="also the Table of Drugs and Chemicals")
    p.add_argument("--all", action="store_true", help="the index, the External Cause Index and "
                   "both tables")
    p.add_argument("--pcs", action="store_true", help="the ICD-10-PCS Index instead")
    p.add_argument("--date", type=date_arg, metavar="YYYY-MM-DD",
                   help="date of service: picks the release in effect (default: the newest)")
    p.add_argument("--limit", type=int, default=40, metavar="N",
                   help="at most N entries from each book (default 40; 0 = all)")
    p.add_argument("--json", action="store_true", help="print a JSON list of entries")
    p.set_defaults(func=run)


def _books(args) -> tuple[str, list[str]]:
    if args.pcs:
        return ICD10PCS, ["index"]
    books = ["index"]
    for book, wanted in (("eindex", args.external), ("neoplasm", args.neoplasm),
                         ("drug", args.drug)):
        if wanted or args.all:
            books.append(book)
    return ICD10CM, books


def run(args) -> int:
    engine = open_codebook()
    system, books = _books(args)
    loaded = available_books(engine, books, system)
    if not loaded:
        raise NoRelease(not_loaded_message(books[0], system))
    for book in books:
        if book not in loaded:  # search what is there, but say what was left out
            print(f"note: {not_loaded_message(book, system)}", file=sys.stderr)
    term = " ".join(args.term)
    entries = look_up_index(engine, term, loaded, system, args.date, args.limit or None)
    if args.json:
        print_json([e.to_json() for e in entries])
    elif not entries:
        names = " or ".join(book_name(b, system) for b in loaded)
        print(f"No entry for {term!r} in the {names}.")
    else:
        sys.stdout.write(render(entries, terminal_width()))
    return 0 if entries else 1


def render(entries: list[IndexEntry], width: int | None = None) -> str:
    """Entries book by book, each as its path from the main term, subterms indented below; on
    a terminal (``width``) a long entry wraps under itself, indented a little further."""
    out: list[str] = []
    release = None
    for entry in entries:
        if entry.release != release:
            release = entry.release
            if out:
                out.append("")
            out.append(f"{release}:")
        indent = "  " * (entry.depth + 1)
        out.append(hanging(indent, "  ".join(p for p in (_path(entry), *_leads(entry)) if p),
                           width, len(indent) + 4))
        if entry.cells:
            out.append(hanging(indent + "    ", " | ".join(f"{h}: {c}" for h, c in entry.cells),
                               width, len(indent) + 6))
    return "\n".join(out) + "\n"


def _path(entry: IndexEntry) -> str:
    """The titles down to this term, its own with the nonessential modifiers in place."""
    return " > ".join(entry.printed_path)


def _leads(entry: IndexEntry) -> list[str]:
    """Where the term sends the coder: the code, a table, or another term."""
    leads = []
    if entry.code:
        leads.append(entry.code + (f" [{entry.manif}]" if entry.manif else ""))
    elif entry.manif:
        leads.append(f"[{entry.manif}]")
    if entry.codes:
        leads.append(f"{entry.codes} (table row)")
    if entry.tab:
        leads.append(f"table {entry.tab}")
    for label, value in (("use", entry.use), ("see", entry.see), ("see also", entry.see_also),
                         ("see category", entry.seecat), ("see subcategory", entry.subcat)):
        if value:
            leads.append(f"{label}: {value}")
    return leads
