"""`encoder-app practice|fees|picklist`: the practice set-up a superbill prints, its fee
schedule (CSV in and out) and its pick lists (JSON in and out)."""

from __future__ import annotations

from encoder_app.cli.common import open_codebook, print_text
from encoder_app.cli.sign_in import acting_user, signed_in_for
from encoder_app.cli.wrapping import hanging, terminal_width
from encoder_app.practice.fee_schedule import export_fee_csv, import_fee_csv, load_fee_schedule
from encoder_app.practice.pick_lists import (
    export_pick_list,
    get_pick_list,
    import_pick_list,
    list_pick_lists,
    sample_pick_list,
)
from encoder_app.practice.sample import load_sample_practice
from encoder_app.practice.setup import load_practice
from encoder_app.practice.types import PickList, Practice


def register(subparsers) -> None:
    p = subparsers.add_parser("practice", help="show the practice set-up or load the sample")
    sub = p.add_subparsers(dest="practice_command", metavar="show|load-sample|trail",
                           required=True)
    sub.add_parser("show", help="name, address, tax id, NPIs, providers and payers"
                   ).set_defaults(func=run_practice_show)
    load = sub.add_parser(
        "load-sample", help="load the fictional sample practice, its fees and pick list",
        description="Save the fictional sample practice (for trying superbills), its fee "
                    "schedule and its pick list into the database. Refused when another "
                    "practice or fees are set up, unless --replace.")
    load.add_argument("--replace", action="store_true",
                      help="replace the practice set-up and the whole fee schedule")
    load.set_defaults(func=run_load_sample)
    trail = sub.add_parser(
        "trail", help="who changed the practice set-up, fees, pick lists and accounts",
        description="The practice's audit trail, newest first: every change to the practice "
                    "set-up, a fee, a pick list or an account, with who made it, on which "
                    "workstation and when. Encounters have their own (`encoder-app encounter "
                    "audit N`).")
    trail.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    trail.set_defaults(func=run_practice_trail)

    f = subparsers.add_parser("fees", help="the fee schedule: show, import or export CSV")
    sub = f.add_subparsers(dest="fees_command", metavar="show|import|export", required=True)
    sub.add_parser("show", help="every fee, by code").set_defaults(func=run_fees_show)
    imp = sub.add_parser("import", help="replace the fee schedule with a CSV file's",
                         description="Read a CSV with a header row (code, optional modifier, "
                                     "fee; CPT/HCPCS, charge and amount are understood too) "
                                     "and replace the whole fee schedule. A bad row changes "
                                     "nothing.")
    imp.add_argument("file", help="CSV file")
    imp.set_defaults(func=run_fees_import)
    exp = sub.add_parser("export", help="write the fee schedule as CSV (code, modifier, fee)")
    exp.add_argument("file", help="CSV file to write")
    exp.set_defaults(func=run_fees_export)

    pl = subparsers.add_parser("picklist", help="pick lists: list, show, import or export")
    sub = pl.add_subparsers(dest="picklist_command", metavar="list|show|export|import",
                            required=True)
    sub.add_parser("list", help="the pick lists' names").set_defaults(func=run_picklist_list)
    show = sub.add_parser("show", help="a pick list's sections and items")
    show.add_argument("name", help='its name ("sample" for the shipped sample)')
    show.set_defaults(func=run_picklist_show)
    exp = sub.add_parser("export", help="write a pick list as a JSON file")
    exp.add_argument("name")
    exp.add_argument("file", help="JSON file to write")
    exp.set_defaults(func=run_picklist_export)
    imp = sub.add_parser("import", help="save a pick list JSON file (replacing its namesake)")
    imp.add_argument("file", help="JSON file")
    imp.set_defaults(func=run_picklist_import)


def render_practice(practice: Practice) -> str:
    lines = [practice.name, *practice.address_lines]
    if practice.phone:
        lines.append(f"Phone {practice.phone}")
    lines.append(f"Tax id (EIN) {practice.tax_id or '-'}   Group NPI {practice.group_npi or '-'}")
    lines.append("Providers:" if practice.providers else "Providers: none")
    lines += [f"  {p.name}{', ' + p.credentials if p.credentials else ''}  NPI {p.npi or '-'}"
              for p in practice.providers]
    lines.append("Payers:" if practice.payers else "Payers: none")
    lines += [f"  {p.name}{'  (payer id ' + p.payer_id + ')' if p.payer_id else ''}"
              for p in practice.payers]
    return "\n".join(lines) + "\n"


def run_practice_show(args) -> int:
    practice = load_practice(open_codebook())
    if practice is None:
        print("No practice is set up. `encoder-app practice load-sample` loads a fictional one "
              "to try superbills with.")
        return 0
    print(render_practice(practice), end="")
    return 0


def run_load_sample(args) -> int:
    engine = open_codebook()
    load_sample_practice(engine, replace=args.replace, who=acting_user(engine))
    print(f"Loaded the fictional sample practice, its fee schedule and the pick list "
          f"{sample_pick_list().name!r}. Do not print its bills for real patients.")
    return 0


def run_fees_show(args) -> int:
    schedule = load_fee_schedule(open_codebook())
    if not schedule.entries:
        print("No fees set. Import a CSV with `encoder-app fees import FILE.csv`.")
        return 0
    for e in schedule.entries:
        print(f"{e.code:<6} {e.modifier:<3} {e.fee:>10,.2f}")
    print(f"{len(schedule.entries)} fees")
    return 0


def run_fees_import(args) -> int:
    engine = open_codebook()
    count = import_fee_csv(engine, args.file, acting_user(engine))
    print(f"Fee schedule replaced: {count} fees from {args.file}.")
    return 0


def run_fees_export(args) -> int:
    count = export_fee_csv(open_codebook(), args.file)
    print(f"Wrote {count} fees to {args.file}.")
    return 0


def run_picklist_list(args) -> int:
    for name in list_pick_lists(open_codebook()):
        print(name)
    return 0


def render_pick_list(pick_list: PickList, width: int | None = None) -> str:
    """The list as its check-off form reads; on a terminal (``width``) a long label wraps
    under the label column."""
    lines = [pick_list.name]
    for section in pick_list.sections:
        lines.append(f"\n{section.title}")
        for item in section.items:
            code = f"{item.code}-{item.modifier}" if item.modifier else item.code
            lines.append(hanging(f"  [ ] {code:<9} ", f"{item.label}  ({item.system})", width))
    return "\n".join(lines) + "\n"


def run_picklist_show(args) -> int:
    print(render_pick_list(get_pick_list(open_codebook(), args.name), terminal_width()), end="")
    return 0


def run_picklist_export(args) -> int:
    pick_list = get_pick_list(open_codebook(), args.name)
    export_pick_list(pick_list, args.file)
    print(f"Wrote the pick list {pick_list.name!r} to {args.file}.")
    return 0


def run_picklist_import(args) -> int:
    engine = open_codebook()
    pick_list = import_pick_list(engine, args.file, acting_user(engine))
    count = sum(len(s.items) for s in pick_list.sections)
    print(f"Saved the pick list {pick_list.name!r}: {len(pick_list.sections)} sections, "
          f"{count} items.")
    return 0


def run_practice_trail(args) -> int:
    from encoder_app.users.roles import MANAGE_USERS
    from encoder_app.users.trail import practice_trail

    engine = open_codebook()
    signed_in_for(engine, MANAGE_USERS)
    changes = practice_trail(engine, args.limit)
    if not changes:
        print("No change to the practice set-up, fees, pick lists or accounts is recorded.")
        return 0
    user_width = max(len(c.user) for c in changes)
    place_width = max(len(c.workstation) for c in changes)
    print_text("".join(f"{c.at:%Y-%m-%d %H:%M:%S}  {c.user:<{user_width}}  "
                       f"{c.workstation:<{place_width}}  {c.subject}: {c.before or '(none)'} -> "
                       f"{c.after or '(removed)'}\n" for c in changes))
    return 0
