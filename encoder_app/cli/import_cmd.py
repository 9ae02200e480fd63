"""`encoder-app import PATH...`: load CMS/CDC release files (or zips or folders of them)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from encoder_app.cli.common import TerminalProgress, date_arg, open_codebook
from encoder_app.cli.sign_in import signed_in_for
from encoder_app.importers.runner import ImportJob
from encoder_app.search import open_search_engine
from encoder_app.users.roles import IMPORT_RELEASES

HELP = """\
Formats are recognised from the file's content:
  ICD-10-CM Tabular List, Index to Diseases, External Cause Index,
    Neoplasm and Drug tables (CDC XML)
  ICD-10-PCS tables, index and definitions (CMS XML)
  HCPCS Level II (CMS ANWEB .xlsx or .csv) and Level II modifiers (MODIFIER,DESCRIPTION csv)
  Place of Service (csv), ICD-9/ICD-10-CM GEMs (csv or the CMS fixed-width text)
  MCE age/sex/manifestation lists, NCCI PTP, MUE and add-on code tables (csv or .csv.gz)
  your licensed CPT file (csv with a code column and short and/or long descriptors)
A zip or a folder is searched for all of these. Each file is imported all or nothing.

A file of a release that is already loaded (same code set and version) from a different file is
not imported unless you add --replace: the command shows both files' counts and changes nothing.
A file with no records, or far fewer than the loaded releases of its kind, is refused."""


def register(subparsers) -> None:
    p = subparsers.add_parser("import", help="import CMS/CDC release files",
                              description=HELP,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--effective-from", type=date_arg, metavar="YYYY-MM-DD",
                   help="first date of service the release applies to "
                        "(default: read from the file)")
    p.add_argument("--replace", action="store_true",
                   help="replace a loaded release of the same version with this file's content")
    p.set_defaults(func=run)


def run(args) -> int:
    engine = open_codebook()
    # Checked before reading the files (a minute for a big release), and in each release's
    # transaction again: a server's releases serve every workstation.
    who = signed_in_for(engine, IMPORT_RELEASES)
    job = ImportJob(args.paths, engine, args.effective_from, replace=args.replace, who=who)
    bar = TerminalProgress()
    try:
        bar.run(job.run())
    finally:
        for outcome in job.outcomes:
            print(outcome.summary())
    if any(o.status in ("imported", "replaced") for o in job.outcomes):
        # The search index must follow the releases; rebuilding now spares the next search.
        search = open_search_engine(engine)
        if not search.is_current():
            print("Rebuilding the search index...", file=sys.stderr)
            bar.run(search.rebuild())
    # A release left as it was because --replace was missing is a refusal, not a success.
    return 1 if any(o.status == "needs_replace" for o in job.outcomes) else 0
