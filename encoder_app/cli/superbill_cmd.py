"""`encoder-app superbill`: print an encounter's superbill, or a blank check-off form, to PDF.

    encoder-app superbill ENCOUNTER.json -o visit.pdf
    encoder-app superbill --blank [--picklist NAME] -o form.pdf

The PDF is written whole or not at all: through a temporary file in the output's folder,
renamed once complete, so a failure leaves no PDF (or the previous one, untouched). A superbill
is printed even when edit errors remain (they are boxed on the page and noted here); exit
status 0 once the file is written.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from encoder_app.cli.common import open_codebook, print_text
from encoder_app.encounters.snapshot import load_encounter
from encoder_app.errors import EncoderError
from encoder_app.files import write_atomically
from encoder_app.reports.page import ReportDoesNotFit
from encoder_app.reports.superbill_data import blank_superbill_document, superbill_document


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "superbill", help="print an encounter's superbill, or a blank check-off form, to PDF",
        description="Print the filled superbill of an encounter JSON file (practice header, "
                    "patient, lettered diagnoses, priced services, totals, open edit errors), "
                    "or with --blank the practice's check-off form from a pick list.")
    p.add_argument("file", nargs="?", metavar="ENCOUNTER.json", help="encounter JSON file")
    p.add_argument("-o", "--output", required=True, metavar="PDF", help="PDF file to write")
    p.add_argument("--blank", action="store_true",
                   help="a blank check-off form instead of a filled superbill")
    p.add_argument("--picklist", metavar="NAME",
                   help='the pick list of the blank form (default "sample", the shipped one)')
    p.set_defaults(func=run, parser=p)


def pages(count: int) -> str:
    return f"{count} page{'s' if count != 1 else ''}"


def _same_file(encounter: str, output: str) -> bool:
    """Whether -o would overwrite the encounter being printed (by any name: a link, ../)."""
    try:
        return os.path.samefile(encounter, output)
    except OSError:  # the output does not exist yet
        return False


def run(args) -> int:
    if args.blank and args.file:
        args.parser.error("give an ENCOUNTER.json or --blank, not both")
    if not args.blank and not args.file:
        args.parser.error("give the ENCOUNTER.json to print, or --blank for a check-off form")
    if args.picklist and not args.blank:
        args.parser.error("--picklist chooses the list of a --blank form")
    if args.blank:
        pdf = blank_superbill_document(open_codebook(), args.picklist or "sample")
        write_atomically(args.output, pdf.data)
        print_text(f"wrote {args.output} ({pages(pdf.pages)})\n")
        return 0
    encounter = load_encounter(args.file)  # EncounterFormatError -> "error: ..." and exit 1
    if _same_file(args.file, args.output):
        raise EncoderError(f"{Path(args.output).name}: -o names the encounter file itself; "
                           "the PDF would replace it (give the PDF another name)")
    try:
        bill, pdf = superbill_document(open_codebook(), encounter)
    except ReportDoesNotFit as exc:
        raise EncoderError(f"{Path(args.file).name}: the superbill {exc}") from None
    write_atomically(args.output, pdf.data)
    print_text(f"wrote {args.output} ({pages(pdf.pages)})\n")
    if bill.name_on_file:  # the typed name is not the one printed: never silently
        print(f"note: {bill.name_on_file.note}", file=sys.stderr)
    errors = bill.open_errors
    if errors:
        print(f"note: {len(errors)} edit error{'s' if len(errors) != 1 else ''} remain on this "
              f"encounter; they are listed in a box on the superbill "
              f"(`encoder-app check {args.file}` shows them)", file=sys.stderr)
    return 0
