"""`encoder-app code show|list`: one code as a coder needs it, or every code of a system."""

from __future__ import annotations

import sys
import textwrap

from encoder_app.cli.common import date_arg, open_codebook, print_json
from encoder_app.cli.wrapping import hanging, terminal_width
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
        sys.stdout.write(render(detail, terminal_width()))
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


#: The width notes are wrapped to when the output is piped (a terminal's own when narrower).
NOTE_WIDTH = 96


def render(d: CodeDetail, width: int | None = None) -> str:
    """The code as a page of the book: breadcrumb, title, status, notes grouped by where printed.
    ``width``: the terminal's, to wrap every title under its own column (None: piped, each
    title whole on its line)."""
    out = []
    for depth, parent in enumerate(d.parents):
        out.append(hanging(f"{'  ' * depth}{parent.code}  ", parent.title, width))
    out.append(hanging(f"{'  ' * len(d.parents)}{d.code}  ",
                       d.title or "(no description in the source file)", width))
    if d.system in LISTS:
        kind = "in use" if d.billable else "not assigned"
    elif d.billable:
        kind = "billable"
    else:
        kind = "header, needs a 7th character" if "7th" in d.validity else "header"
    out.append(hanging("  ", f"{SYSTEM_NAMES.get(d.system, d.system)}, {kind}", width, 4))
    for other in d.also_in:  # J1100: ICD-10-CM J11.00 and HCPCS J1100
        written = dotted(normalize(d.code), other)
        out.append(hanging("  ", f"Also {SYSTEM_NAMES.get(other, other)} {written}: add "
                                 f"--system {other} to show that one", width, 4))
    out.append(hanging("  ", f"{'VALID' if d.valid else 'NOT VALID'} for {d.date_of_service}: "
                             f"{d.validity}", width, 4))
    if d.short_title:
        out.append(hanging("  Short: ", d.short_title, width))
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
        out.append(textwrap.fill(note.text, min(NOTE_WIDTH, max(width or NOTE_WIDTH, 40)),
                                 initial_indent="    ", subsequent_indent="      ",
                                 break_long_words=False, break_on_hyphens=False))
    if d.seventh_characters:
        out.append("")
        out.append("7th characters:")
        out.extend(hanging(f"  {c}  ", label, width) for c, label in d.seventh_characters)
    if d.children and not d.billable:
        out.append("")
        out.append(f"Codes below {d.code}:")
        out.extend(hanging(f"  {c.code}  ", f"{c.title}{'' if c.billable else '  (header)'}",
                           width) for c in d.children[:40])
        if len(d.children) > 40:
            out.append(f"  ... {len(d.children) - 40} more")
    return "\n".join(out) + "\n"
