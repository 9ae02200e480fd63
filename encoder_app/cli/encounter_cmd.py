"""`encoder-app encounter list|show|export|save|audit|delete`: the saved encounters from the
terminal, through the same store and audit trail as the window. `show --json` and `export`
write the encounter file format (`check` and `superbill` read it; exports are 0600).

A save is audited under the user who is coding (ENCODER_APP_USER, else the name chosen in the
window, else the login name), as the window's saves are. Every file is read before anything is
saved: a malformed one is named with its field, and nothing is saved.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import sys
from decimal import Decimal
from pathlib import Path

from encoder_app.cli.common import date_arg, open_codebook, print_json, print_text
from encoder_app.cli.sign_in import acting_user, signed_in_for
from encoder_app.codes import ICD10CM, POS, dotted, normalize
from encoder_app.edits.codes import procedure_system
from encoder_app.edits.view import CodebookView
from encoder_app.encounters.serialize import encounter_to_json, save_encounter_file
from encoder_app.encounters.snapshot import (
    MAX_DEPTH,
    EncounterFormatError,
    EncounterSnapshot,
    parse_encounter,
)
from encoder_app.encounters.store import (
    EncounterNotFound,
    StoredEncounter,
    audit_trail,
    audited_changes,
    delete_encounter,
    encounters_between,
    list_encounters,
    load_encounter_record,
    save_encounter,
    save_encounter_version,
    search_key,
)
from encoder_app.errors import EncoderError
from encoder_app.json_file import read_json_file
from encoder_app.practice.fee_schedule import load_fee_schedule
from encoder_app.users.roles import OPEN_ENCOUNTERS

#: The fields of an encounter file; a file with none of them is some other file.
_ENCOUNTER_FIELDS = ("date_of_service", "patient", "provider", "diagnoses", "procedures")
_LIST_HINT = "`encoder-app encounter list` shows the saved ones"


def _encounter_id(text: str) -> int:
    try:
        number = int(text.strip().lstrip("#"))
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not an encounter number; {_LIST_HINT}")
    return number


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "encounter", help="saved encounters: list, show, export, save, audit trail, delete",
        description="The encounters saved in the database (the window's File > Open "
                    "encounter): list them, show or export one as an encounter file, save "
                    "files as encounters, read an encounter's audit trail.")
    sub = p.add_subparsers(dest="encounter_command", required=True,
                           metavar="list|show|export|save|audit|delete")
    ls = sub.add_parser(
        "list", help="id, date of service, patient, provider and codes of saved encounters",
        description="Saved encounters by date of service. With --from/--to, every one whose "
                    "date of service falls in the range (both days included); without, the "
                    "--limit most recently saved.")
    ls.add_argument("--from", dest="start", type=date_arg, metavar="YYYY-MM-DD",
                    help="first date of service")
    ls.add_argument("--to", dest="end", type=date_arg, metavar="YYYY-MM-DD",
                    help="last date of service")
    ls.add_argument("--search", metavar="TEXT",
                    help="patients whose name holds every word (case and accents ignored)")
    ls.add_argument("--limit", type=int, default=200, metavar="N",
                    help="without --from/--to, the N most recently saved (default 200)")
    ls.add_argument("--json", action="store_true", help='print {"encounters": [...]}')
    ls.set_defaults(func=run_list, parser=ls)

    show = sub.add_parser("show", help="an encounter as a coder reads it",
                          description="The encounter's header, lettered diagnoses with their "
                                      "titles on the date of service, and priced service "
                                      "lines. --json prints it as an encounter file (what "
                                      "`encoder-app check` reads).")
    show.add_argument("id", type=_encounter_id, help="encounter number (from `encounter list`)")
    show.add_argument("--json", action="store_true", help="print the encounter file's JSON")
    show.set_defaults(func=run_show)

    exp = sub.add_parser("export", help="write an encounter as an encounter JSON file",
                         description="Write the encounter file (readable by you only: it is "
                                     "patient data), to check, print or send.")
    exp.add_argument("id", type=_encounter_id)
    exp.add_argument("-o", "--output", required=True, metavar="FILE.json", help="file to write")
    exp.set_defaults(func=run_export)

    save = sub.add_parser(
        "save", help="save encounter files as new encounters, or one over encounter N",
        description="Save each file as a new encounter and print its number; with --id N, "
                    "save one file over encounter N. Every change is recorded in the audit "
                    "trail under the user coding (ENCODER_APP_USER overrides). All files are "
                    "read first: if one is malformed, nothing is saved.")
    save.add_argument("files", nargs="+", metavar="FILE.json", help="encounter JSON files")
    save.add_argument("--id", type=_encounter_id, metavar="N",
                      help="save over encounter N (one file only)")
    save.add_argument("--if-version", type=_encounter_id, metavar="V",
                      help="with --id: save only if encounter N is still at version V (as "
                           "`encounter show N` said when the file was exported); if someone "
                           "saved it since, nothing is written and the exit status is 1")
    save.set_defaults(func=run_save, parser=save)

    audit = sub.add_parser("audit", help="who changed which code of an encounter, and when")
    audit.add_argument("id", type=_encounter_id)
    audit.add_argument("--json", action="store_true", help='print {"id", "changes": [...]}')
    audit.set_defaults(func=run_audit)

    delete = sub.add_parser("delete", help="remove an encounter from the list (audited)",
                            description="Remove an encounter from the list and the day sheet. "
                                        "Its audit trail is kept, and records the deletion.")
    delete.add_argument("id", type=_encounter_id)
    delete.set_defaults(func=run_delete)


# --- shared ---------------------------------------------------------------------------------

def _record(engine, encounter_id: int) -> StoredEncounter:
    try:
        return load_encounter_record(engine, encounter_id)
    except EncounterNotFound as exc:
        raise EncoderError(f"{exc}; {_LIST_HINT}") from None


def _service(line) -> str:
    """99214-25, J0696 x4: a service as a coder writes it."""
    text = "-".join([line.code, *line.modifiers])
    return f"{text} x{line.units}" if line.units != 1 else text


def _when(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def _summary(s: EncounterSnapshot) -> str:
    seen = s.date_of_service.isoformat() if s.date_of_service else "no date of service"
    return f"{s.patient.name or 'no patient name'}, {seen}"


# --- list -----------------------------------------------------------------------------------

def _listed(engine, args) -> tuple[list[StoredEncounter], bool]:
    """The encounters to list, by date of service, and whether --limit cut the list short."""
    if args.start or args.end:
        stored = encounters_between(engine, args.start or dt.date.min, args.end or dt.date.max)
        words = search_key(args.search or "").split()
        stored = [s for s in stored if all(w in search_key(s.label) for w in words)]
        more = False
    else:
        summaries = list_encounters(engine, args.search, max(args.limit, 0) + 1)
        more = len(summaries) > args.limit
        stored = [load_encounter_record(engine, s.id) for s in summaries[:args.limit]]
    stored.sort(key=lambda s: (s.snapshot.date_of_service or dt.date.max, s.id))
    return stored, more


def _list_json(stored: StoredEncounter) -> dict:
    s = stored.snapshot
    return {"id": stored.id,
            "date_of_service": s.date_of_service.isoformat() if s.date_of_service else None,
            "patient": s.patient.name, "provider": {"name": s.provider.name,
                                                    "npi": s.provider.npi},
            "payer": s.payer, "diagnoses": list(s.diagnoses),
            "procedures": [{"code": p.code, "modifiers": list(p.modifiers), "units": p.units}
                           for p in s.procedures],
            "saved_at": stored.updated_at.isoformat(timespec="seconds")}


def render_list(stored: list[StoredEncounter]) -> str:
    head = ("ID", "Date of service", "Patient", "Provider", "Diagnoses", "Services")
    rows = [(str(e.id),
             e.snapshot.date_of_service.isoformat() if e.snapshot.date_of_service else "-",
             e.snapshot.patient.name or "-",
             e.snapshot.provider.name or e.snapshot.provider.npi or "-",
             ", ".join(e.snapshot.diagnoses) or "-",
             ", ".join(_service(p) for p in e.snapshot.procedures) or "-") for e in stored]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head) - 1)]
    lines = []
    for r in [head, *rows]:
        cells = [r[0].rjust(widths[0]),
                 *(c.ljust(w) for c, w in zip(r[1:-1], widths[1:], strict=True))]
        lines.append("  ".join([*cells, r[-1]]).rstrip())
    return "\n".join(lines) + "\n"


def run_list(args) -> int:
    if args.start and args.end and args.start > args.end:
        args.parser.error(f"--from {args.start} is after --to {args.end}")
    stored, more = _listed(_open_encounters(), args)
    if args.json:
        print_json({"encounters": [_list_json(s) for s in stored]})
        return 0
    if not stored:
        asked = [f"from {args.start}" if args.start else "", f"to {args.end}" if args.end else "",
                 f"patient {args.search!r}" if args.search else ""]
        asked = ", ".join(a for a in asked if a)
        print_text(f"No saved encounter{' matches ' + asked if asked else 's yet'}. "
                   "`encoder-app encounter save FILE.json` saves one.\n")
        return 0
    print_text(render_list(stored))
    count = f"{len(stored)} encounter{'s' if len(stored) != 1 else ''}"
    print_text(f"\n{count}" + (f": the {args.limit} most recently saved; --limit shows more, "
                               "--from/--to lists a range" if more else "") + "\n")
    return 0


# --- show -----------------------------------------------------------------------------------

def _money(value: Decimal | None) -> str:
    return "-" if value is None else f"{value:,.2f}"


def _letter(pointer: int) -> str:
    return chr(ord("A") + pointer - 1) if 1 <= pointer <= 26 else str(pointer)


def render_encounter(engine, stored: StoredEncounter) -> str:
    """The encounter as a coder reads it: header, lettered diagnoses with their titles on the
    date of service, service lines priced (a line without a charge takes the fee schedule's)."""
    s = stored.snapshot
    view = CodebookView(engine, s.date_of_service)
    patient, provider = s.patient, s.provider
    about = [patient.name or "(no name)"]
    if patient.sex:
        about.append({"F": "female", "M": "male"}.get(patient.sex, "sex unknown"))
    if patient.birth_date:
        age = s.age_on_service()
        about.append(f"born {patient.birth_date.isoformat()}"
                     + (f" (age {age} on the date of service)" if age is not None else ""))
    if patient.member_id:
        about.append(f"member id {patient.member_id}")
    place = s.place_of_service or "-"
    if s.place_of_service:
        pos = view.detail(s.place_of_service, POS)
        place += f" {pos.title}" if pos else ""
    by = f" by {stored.updated_by}" if stored.updated_by else ""
    out = [f"Encounter #{stored.id}, version {stored.version}, saved "
           f"{_when(stored.updated_at)}{by}",
           f"  Date of service   {s.date_of_service or '-'}",
           f"  Place of service  {place}"
           + ("  (outpatient hospital)" if s.setting == "outpatient_hospital" else ""),
           f"  Patient           {', '.join(about)}",
           f"  Payer             {s.payer or '-'}",
           f"  Provider          {provider.name or '-'}"
           + (f", NPI {provider.npi}" if provider.npi else ""), "", "Diagnoses"]
    if not s.diagnoses:
        out.append("  none coded")
    for i, code in enumerate(s.diagnoses, start=1):
        detail = view.detail(code, ICD10CM)
        title = detail.title if detail else "(not in the codebook on the date of service)"
        out.append(f"  {_letter(i)}  {dotted(normalize(code)):<9} {title}")
    out += ["", "Services",
            f"  {'#':>2}  {'code':<16}{'units':>5}  {'dx':<8}{'fee':>9}  {'total':>9}"]
    if not s.procedures:
        out.append("  none coded")
    fees = load_fee_schedule(engine)
    total = Decimal("0.00")
    for line in s.procedures:
        fee, note = line.charge, ""
        if fee is None:
            fee = fees.fee_for(line.code, line.modifiers)
            note = " (fee schedule)" if fee is not None else " (no charge or fee)"
        amount = None if fee is None else fee * line.units
        total += amount or 0
        system = procedure_system(line.code)
        detail = view.detail(line.code, system) if system else None
        title = (detail.short_title or detail.title) if detail else ""
        code = "-".join([line.code, *line.modifiers])
        pointers = ",".join(_letter(p) for p in line.diagnosis_pointers) or "-"
        out.append(f"  {line.line:>2}  {code:<16}{line.units:>5}  {pointers:<8}"
                   f"{_money(fee):>9}  {_money(amount):>9}{note}  {title}".rstrip())
    paid = s.amount_paid or Decimal("0.00")
    out += ["", f"  Total charges {_money(total):>12}", f"  Paid at visit {_money(paid):>12}",
            f"  Balance due   {_money(total - paid):>12}"]
    if s.extra:
        out += ["", f"Other fields kept from the file: {', '.join(sorted(s.extra))}"]
    return "\n".join(out) + "\n"


def run_show(args) -> int:
    engine = _open_encounters()
    stored = _record(engine, args.id)
    if args.json:
        print_json(encounter_to_json(stored.snapshot))
    else:
        print_text(render_encounter(engine, stored))
    return 0


def run_export(args) -> int:
    stored = _record(_open_encounters(), args.id)
    save_encounter_file(stored.snapshot, args.output)
    print_text(f"wrote {args.output} (encounter #{stored.id}: {_summary(stored.snapshot)})\n")
    return 0


# --- save -----------------------------------------------------------------------------------

def _paths(names: list[str]) -> list[Path]:
    """The files named; a pattern (week/*.json) is expanded here too, for shells that do not
    (Windows), in name order."""
    paths = []
    for name in names:
        if not Path(name).exists() and glob.has_magic(name):
            matches = sorted(glob.glob(name))
            if not matches:
                raise EncoderError(f"{name}: no file matches")
            paths += [Path(m) for m in matches]
        else:
            paths.append(Path(name))
    return paths


def _read(path: Path) -> EncounterSnapshot:
    """The encounter in a file; EncounterFormatError names the file and the field."""
    data = read_json_file(path, EncounterFormatError, MAX_DEPTH)
    snapshot = parse_encounter(data, path.name)
    if not any(name in data for name in _ENCOUNTER_FIELDS):  # a pick list, an exercise set
        raise EncounterFormatError(path.name, "$", "holds none of an encounter's fields ("
                                   + ", ".join(_ENCOUNTER_FIELDS) + "); is it an encounter "
                                   "file?")
    return snapshot


def _open_encounters():
    """The database, once whoever runs the command may read its encounters (patients' data:
    on a database with accounts, only someone signed in)."""
    engine = open_codebook()
    signed_in_for(engine, OPEN_ENCOUNTERS)
    return engine


def _change_text(field: str, before: str | None, after: str | None) -> str:
    return f"{field}: {before or '(none)'} -> {after or '(removed)'}"


def _save_over(engine, path: Path, snapshot: EncounterSnapshot, encounter_id: int,
               user: str, if_version: int | None = None) -> None:
    old = _record(engine, encounter_id)
    if encounter_to_json(old.snapshot) == encounter_to_json(snapshot):
        print_text(f"encounter #{encounter_id} already holds what {path} says: nothing saved\n")
        return
    # EncounterConflict (someone saved it after version if_version) -> "error: ..." and exit 1
    saved = save_encounter_version(engine, snapshot, encounter_id, user, if_version)
    changes = list(audited_changes(old.snapshot, snapshot))
    recorded = (f"{len(changes)} change{'s' if len(changes) != 1 else ''} recorded in the audit "
                f"trail as {user}" if changes else "no code or patient field changed")
    print_text(f"saved {path} over encounter #{encounter_id} (now version {saved.version}): "
               f"{recorded}\n" + "".join(f"  {_change_text(*c)}\n" for c in changes))


def _same_visit(engine, snapshot: EncounterSnapshot) -> int | None:
    """A saved encounter holding exactly this document on the same date, if any."""
    if snapshot.date_of_service is None:
        return None
    document = encounter_to_json(snapshot)
    day = snapshot.date_of_service
    return next((s.id for s in encounters_between(engine, day, day)
                 if encounter_to_json(s.snapshot) == document), None)


def run_save(args) -> int:
    paths = _paths(args.files)
    if args.id is not None and len(paths) != 1:
        args.parser.error(f"--id saves one file over encounter #{args.id}; {len(paths)} given")
    if args.if_version is not None and args.id is None:
        args.parser.error("--if-version needs --id N: the encounter whose version it is")
    snapshots = [(path, _read(path)) for path in paths]  # all read before anything is saved
    engine = open_codebook()
    user = acting_user(engine)
    if args.id is not None:
        _save_over(engine, *snapshots[0], args.id, user, args.if_version)
        return 0
    for path, snapshot in snapshots:
        twin = _same_visit(engine, snapshot)
        new_id = save_encounter(engine, snapshot, None, user)
        print_text(f"saved {path} as encounter #{new_id} ({_summary(snapshot)})\n")
        if twin is not None:
            print(f"note: encounter #{twin} already held this same visit, so it is now saved "
                  f"twice and counted twice on the day sheet; `encoder-app encounter delete "
                  f"{new_id}` removes the new copy", file=sys.stderr)
    return 0


# --- audit, delete --------------------------------------------------------------------------

def run_audit(args) -> int:
    engine = _open_encounters()
    stored = _record(engine, args.id)
    lines = audit_trail(engine, args.id)
    if args.json:
        print_json({"id": args.id, "changes": [
            {"at": a.at.isoformat(timespec="seconds"), "user": a.user, "field": a.field,
             "before": a.before, "after": a.after} for a in lines]})
        return 0
    out = [f"Audit trail of encounter #{stored.id} ({_summary(stored.snapshot)})"]
    user_width = max((len(a.user) for a in lines), default=0)
    out += [f"  {a.at:%Y-%m-%d %H:%M:%S}  {a.user:<{user_width}}  "
            f"{_change_text(a.field, a.before, a.after)}" for a in lines]
    if not lines:
        out.append("  no change recorded")
    print_text("\n".join(out) + "\n")
    return 0


def run_delete(args) -> int:
    engine = open_codebook()
    user = acting_user(engine)
    stored = _record(engine, args.id)
    delete_encounter(engine, args.id, user)
    print_text(f"deleted encounter #{args.id} ({_summary(stored.snapshot)}); its audit trail "
               f"is kept (`encoder-app encounter audit {args.id}`)\n")
    return 0
