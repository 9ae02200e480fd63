"""`encoder-app report daysheet --from YYYY-MM-DD --to YYYY-MM-DD -o out.pdf`: the saved
encounters of a date range with charges per provider and per day, printed to PDF."""

from __future__ import annotations

from encoder_app.cli.common import date_arg, open_codebook
from encoder_app.cli.sign_in import signed_in_for
from encoder_app.files import write_atomically
from encoder_app.reports.daysheet_data import daysheet_document
from encoder_app.users.roles import PRINT


def register(subparsers) -> None:
    p = subparsers.add_parser("report", help="print practice reports (day sheet) to PDF")
    sub = p.add_subparsers(dest="report_command", metavar="daysheet", required=True)
    day = sub.add_parser(
        "daysheet", help="encounters of a date range with charges per provider and per day",
        description="Print the saved encounters whose date of service falls in a range "
                    "(both days included): codes and charges of each, totals per provider, "
                    "per day and overall, and a chart of charges per day.")
    day.add_argument("--from", dest="start", required=True, type=date_arg,
                     metavar="YYYY-MM-DD", help="first date of service")
    day.add_argument("--to", dest="end", required=True, type=date_arg, metavar="YYYY-MM-DD",
                     help="last date of service")
    day.add_argument("-o", "--output", required=True, metavar="PDF", help="PDF file to write")
    day.set_defaults(func=run_daysheet, parser=day)


def run_daysheet(args) -> int:
    if args.start > args.end:
        args.parser.error(f"--from {args.start} is after --to {args.end}")
    engine = open_codebook()
    signed_in_for(engine, PRINT)
    pdf = daysheet_document(engine, args.start, args.end)
    write_atomically(args.output, pdf.data)
    print(f"wrote {args.output} ({pdf.pages} page{'s' if pdf.pages != 1 else ''})")
    return 0
