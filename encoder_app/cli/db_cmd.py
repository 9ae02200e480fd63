"""`encoder-app db status` and `encoder-app db upgrade`: where the database's schema stands, and
bringing it to this encoder-app's schema (codebook/migrate.py).

Opening a database for any other command upgrades it too; these two say what happens, and
`status` changes nothing (it opens the database without the upgrade that opening does).
"""

from __future__ import annotations

from encoder_app import settings
from encoder_app.cli.common import print_json, print_text
from encoder_app.data_lock import server_named


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "db", help="the database's schema: status, upgrade",
        description="The database encoder-app uses (ENCODER_APP_DB_URL, else codebook.sqlite3 "
                    "in the data folder): `status` says which schema revision it is at and "
                    "what an upgrade would run, changing nothing; `upgrade` runs it, after a "
                    "backup beside a SQLite file. A database a newer encoder-app made is "
                    "refused, never written.")
    sub = p.add_subparsers(dest="db_command", required=True,
                           metavar="status|upgrade|copy|connect")
    status = sub.add_parser("status", help="which schema revision the database is at")
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    status.set_defaults(func=run_status)
    upgrade = sub.add_parser("upgrade", help="bring the database to this encoder-app's schema")
    upgrade.set_defaults(func=run_upgrade)
    copy = sub.add_parser(
        "copy", help="copy this desk's encounters, set-up, fees, pick lists to a server",
        description="Copy this database's encounters (with their audit trails), favorites, "
                    "practice set-up, fee schedule, pick lists and study records to another "
                    "database, a practice server: --to postgresql+psycopg://USER:PASSWORD@HOST"
                    "/DATABASE. Nothing is taken from this one. Run it again: only what was "
                    "added since is copied. Codebook releases are not copied; import them on "
                    "the server once.")
    copy.add_argument("--to", required=True, metavar="URL", help="the server's database URL")
    copy.set_defaults(func=run_copy)
    connect = sub.add_parser(
        "connect", help="work on a practice server from now on (or --desk: this desk again)",
        description="Remember a practice server for this workstation, as the window's File > "
                    "Connect to server does: every command and the window then open it "
                    "(ENCODER_APP_DB_URL still wins). The connection is tried first and "
                    "nothing is remembered when it fails. The password is kept in a password "
                    "file in libpq's .pgpass format in the data folder, readable by you only.")
    connect.add_argument("host", nargs="?", help="the server's host name or address")
    connect.add_argument("database", nargs="?", help="the database on it, e.g. practice")
    connect.add_argument("user", nargs="?", help="the login role, e.g. encoder_app")
    connect.add_argument("--port", default="5432")
    connect.add_argument("--password-stdin", action="store_true",
                         help="read the login role's password from the first line of stdin")
    connect.add_argument("--desk", action="store_true",
                         help="forget the server: open this desk's own database again")
    connect.set_defaults(func=run_connect, parser=connect)


def run_status(args) -> int:
    from encoder_app.codebook import migrate
    from encoder_app.encryption import sqlite_path

    url = settings.database_url()
    path = sqlite_path(url)
    if path is not None and not path.exists():  # not created here: it would not be private
        print_text(f"{path}: no database yet; the first start of encoder-app creates it\n")
        return 0
    status = migrate.status_at(url)
    if args.json:
        print_json({"database": status.database, "backend": status.backend,
                    "revision": status.current, "head": status.head, "state": status.state,
                    "legacy_schema": status.legacy_version, "pending": status.pending})
    else:
        print_text(f"{status.database} ({status.backend}): {status.describe()}\n")
    return 1 if status.state == "newer" else 0


def run_upgrade(args) -> int:
    from encoder_app.codebook import migrate
    from encoder_app.codebook.db import engine_for

    url = settings.database_url()
    before = migrate.status_at(url)
    engine = engine_for(url)  # upgrades (backup first on SQLite); SchemaMismatch -> exit 1
    after = migrate.schema_status(engine)
    if not before.pending:
        print_text(f"{after.database}: already {after.describe()}; nothing to do\n")
    else:
        print_text(f"{after.database}: ran {', '.join(before.pending)}; now {after.describe()}"
                   f"\n")
    return 0


def run_copy(args) -> int:
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.engine import make_url

    from encoder_app.cli.sign_in import signed_in_for
    from encoder_app.codebook.db import engine_for
    from encoder_app.errors import EncoderError
    from encoder_app.server_copy import copy_database
    from encoder_app.users.roles import MANAGE_USERS, OPEN_ENCOUNTERS

    url = settings.database_url()
    if make_url(args.to).render_as_string(hide_password=False) == url:
        raise EncoderError("--to names this same database; give the server's URL")
    source = engine_for(url)
    # Patients' data leaves this desk, and lands where accounts may already guard it: on a
    # database with accounts, only someone signed in; on the server, an admin, asked before
    # anything is created or upgraded there.
    signed_in_for(source, OPEN_ENCOUNTERS)
    probe = create_engine(args.to)
    try:
        with server_named(probe, "reach"):
            if "users" in inspect(probe).get_table_names():
                signed_in_for(probe, MANAGE_USERS)
    finally:
        probe.dispose()
    target = engine_for(args.to)  # created or upgraded to this schema first
    origin = source.url.render_as_string(hide_password=True)
    report = copy_database(source, target, origin)
    shown = target.url.render_as_string(hide_password=True)
    out = [f"copied {origin} to {shown}:"]
    for kind in report.verified:
        found, total = report.verified[kind]
        new = report.copied.get(kind, 0)
        out.append(f"  {kind:<20} {new:>6} copied now, {total - new:>6} there already; "
                   f"{found} of {total} found on the server")
    out += [f"  note: {line}" for line in report.kept_on_server]
    print_text("\n".join(out) + "\n")
    if not report.complete:
        raise EncoderError("the copy could not be verified: some rows are not on the server "
                           "(listed above); nothing was taken from this database")
    return 0


def run_connect(args) -> int:
    import getpass
    import sys

    from encoder_app import server_connection as server

    if args.desk:
        server.forget_server()
        print_text(f"this workstation opens its own database again "
                   f"({settings.desk_database_url()})\n")
        return 0
    if not (args.host and args.database and args.user):
        args.parser.error("give HOST DATABASE USER (or --desk)")
    address = server.checked_address(args.host, args.port, args.database, args.user)
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass(f"Password of {address.user} on {address.host}: ")
    else:
        password = ""
    status = server.check_server(address, password)  # ServerUnavailable -> exit 1
    if status.state == "newer":
        print_text(f"{address.shown()}: {status.describe()}; not connected\n")
        return 1
    server.remember_server(address, password)
    print_text(f"connected to {address.shown()} ({status.describe()}); every command and the "
               f"window open it from now on (`encoder-app db connect --desk` to go back)\n")
    return 0
