"""`encoder-app db status` and `encoder-app db upgrade`: where the database's schema stands, and
bringing it to this encoder-app's schema (codebook/migrate.py).

Opening a database for any other command upgrades it too; these two say what happens, and
`status` changes nothing (it opens the database without the upgrade that opening does).
"""

from __future__ import annotations

from encoder_app import settings
from encoder_app.cli.common import print_json, print_text


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "db", help="the database's schema: status, upgrade",
        description="The database encoder-app uses (ENCODER_APP_DB_URL, else codebook.sqlite3 "
                    "in the data folder): `status` says which schema revision it is at and "
                    "what an upgrade would run, changing nothing; `upgrade` runs it, after a "
                    "backup beside a SQLite file. A database a newer encoder-app made is "
                    "refused, never written.")
    sub = p.add_subparsers(dest="db_command", required=True, metavar="status|upgrade")
    status = sub.add_parser("status", help="which schema revision the database is at")
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    status.set_defaults(func=run_status)
    upgrade = sub.add_parser("upgrade", help="bring the database to this encoder-app's schema")
    upgrade.set_defaults(func=run_upgrade)


def _raw_engine(url: str):
    """The database opened without the upgrade engine_for runs (an encrypted file still gets
    its key)."""
    from sqlalchemy import create_engine

    from encoder_app.encryption import engine_options

    return create_engine(url, **engine_options(url))


def run_status(args) -> int:
    from encoder_app.codebook import migrate
    from encoder_app.encryption import sqlite_path

    url = settings.database_url()
    path = sqlite_path(url)
    if path is not None and not path.exists():  # not created here: it would not be private
        print_text(f"{path}: no database yet; the first start of encoder-app creates it\n")
        return 0
    engine = _raw_engine(url)
    try:
        status = migrate.schema_status(engine)
    finally:
        engine.dispose()
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
    engine = _raw_engine(url)
    try:
        before = migrate.schema_status(engine)
    finally:
        engine.dispose()
    engine = engine_for(url)  # upgrades (backup first on SQLite); SchemaMismatch -> exit 1
    after = migrate.schema_status(engine)
    if not before.pending:
        print_text(f"{after.database}: already {after.describe()}; nothing to do\n")
    else:
        print_text(f"{after.database}: ran {', '.join(before.pending)}; now {after.describe()}"
                   f"\n")
    return 0
