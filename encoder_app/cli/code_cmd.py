"""`encoder-app code show|list`: one code as a coder needs it, or every code of a system."""

from __future__ import annotations

import sys
import textwrap

from encoder_app.cli.common import date_arg, open_codebook, print_json
from encoder_app.codebook.lookup import NOTE_HEADINGS, CodeDetail, code_detail, list_codes
from encoder_app.codes import SYSTEM_NAMES, dotted, normalize

SYSTEMS = [s for s in SYSTEM_NAMES]
# Code sets that are lists of values, not billable codes.
LISTS = {"hcpcs_modifier", "pos"}


def register(subparsers) -> None:
    p = subparsers.add_parser("code", help="show one code or list codes")
    sub = p.add_subparsers(dest="code_command", metavar="show|list", required=True)
    show = sub.add_parser("show", help="a code with validity, parents, notes and 7th characters")
    show.add_argument("code")
    show.add_argument("--system", choices=SYSTEMS, help="code system (default: found by lookup)")
    show.add_argument("--date", type=date_arg, metavar="YYYY-MM-DD",
                      help="date of service (default: today)")
    show.add_argument("--json", action="store_true", help="print a JSON object")
    show.set_defaults(func=run_show)
    lst = sub.add_parser("list", help="one dotted code a line")
    lst.add_argument("--system", choices=SYSTEMS, required=True)
    lst.add_argument("--billable", action="store_true", help="only codes billable on the date")
    lst.add_argument("--date", type=date_arg, metavar="YYYY-MM-DD",
                     help="date of service (default: today)")
    lst.set_defaults(func=run_list)


def run_show(args) -> int:
    detail = code_detail(open_codebook(), args.code, args.system, args.date)
    if detail.caveat:  # once, apart from the code: it is about the releases, not this code
        print(f"note: {caveat_line(detail.caveat)}", file=sys.stderr)
    if args.json:
        print_json(detail.to_json())
    else:
        sys.stdout.write(render(detail))
    return 0


def caveat_line(caveat: str) -> str:
    """The release caveat with what to do about it."""
    if "after the newest" in caveat:
        return (f"{caveat}. Import the newer release's files with `encoder-app import FILE` "
                f"to judge codes on that date by it.")
    return caveat + "."


def run_list(args) -> int:
    codes = list_codes(open_codebook(), args.system, args.billable, args.date)
    sys.stdout.write("".join(f"{c}\n" for c in codes))
    return 0


def _short(title: str, width: int = 70) -> str:
    return title if len(title) <= width else title[: width - 3].rstrip() + "..."


def render(d: CodeDetail) -> str:
    """The code as a page of the book: breadcrumb, title, status, notes grouped by where printed."""
    out = []
    for depth, parent in enumerate(d.parents):
        out.append(f"{'  ' * depth}{parent.code}  {_short(parent.title)}")
    out.append(f"{'  ' * len(d.parents)}{d.code}  "
               f"{d.title or '(no description in the source file)'}")
    if d.system in LISTS:
        kind = "in use" if d.billable else "not assigned"
    elif d.billable:
        kind = "billable"
    else:
        kind = "header, needs a 7th character" if "7th" in d.validity else "header"
    out.append(f"  {SYSTEM_NAMES.get(d.system, d.system)}, {kind}")
    for other in d.also_in:  # J1100: ICD-10-CM J11.00 and HCPCS J1100
        written = dotted(normalize(d.code), other)
        out.append(f"  Also {SYSTEM_NAMES.get(other, other)} {written}: add --system {other} "
                   f"to show that one")
    out.append(f"  {'VALID' if d.valid else 'NOT VALID'} for {d.date_of_service}: {d.validity}")
    if d.short_title:
        out.append(f"  Short: {d.short_title}")
    if d.terminated_on:
        out.append(f"  Terminated: {d.terminated_on}")
    at = None
    heading = None
    for note in d.notes:
        if note.at != at:
            at, heading = note.at, None
            out.append("")
            out.append(f"At {note.at}:" if note.at != d.code else "At this code:")
        if note.kind != heading:
            heading = note.kind
            out.append(f"  {NOTE_HEADINGS.get(note.kind, note.kind)}:")
        out.append(textwrap.fill(note.text, 96, initial_indent="    ", subsequent_indent="      "))
    if d.seventh_characters:
        out.append("")
        out.append("7th characters:")
        out.extend(f"  {c}  {label}" for c, label in d.seventh_characters)
    if d.children and not d.billable:
        out.append("")
        out.append(f"Codes below {d.code}:")
        out.extend(f"  {c.code}  {c.title}{'' if c.billable else '  (header)'}"
                   for c in d.children[:40])
        if len(d.children) > 40:
            out.append(f"  ... {len(d.children) - 40} more")
    return "\n".join(out) + "\n"
