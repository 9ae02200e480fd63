"""`encoder-app backup`, `restore` and `encrypt`: the database file as a whole.

    encoder-app backup -o codebook-2026-05-01.sqlite3 [--json]
    encoder-app restore codebook-2026-05-01.sqlite3 [--json]
    encoder-app encrypt [--passphrase] [--json]

A backup is taken while the window may be saving: it is one consistent snapshot, checked, 0600.
Restore refuses a file that is not a whole encoder-app database and keeps the database it
replaces beside it. Encrypt needs the optional SQLCipher extra (docs/encryption.md).
"""

from __future__ import annotations

import getpass
import os
import sys

from encoder_app import backup, encryption, settings
from encoder_app.cli.common import ask_passphrase, print_json
from encoder_app.errors import EncoderError


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "backup", help="copy the database (codebooks and encounters) to a file",
        description="Copy the live database with SQLite's online backup, safe while the window "
                    "is saving; the copy is checked (integrity_check) and readable by you only. "
                    "An encrypted database's backup stays encrypted with the same key.")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="backup file to write")
    p.add_argument("--json", action="store_true", help="print what was written as JSON")
    p.set_defaults(func=run_backup)

    p = subparsers.add_parser(
        "restore", help="replace the database with a backup (the current one is kept aside)",
        description="Check that FILE is a whole encoder-app database, keep the current database "
                    "as codebook.sqlite3.before-restore-<time>, and install FILE. Close the "
                    "window and other encoder-app commands first.")
    p.add_argument("file", metavar="FILE", help="a file written by `encoder-app backup`")
    p.add_argument("--json", action="store_true", help="print what was done as JSON")
    p.set_defaults(func=run_restore)

    p = subparsers.add_parser(
        "encrypt", help="encrypt the database with SQLCipher (key in the OS keyring)",
        description="Encrypt the database in place. The key is a random one kept in the OS "
                    f"keyring, or with --passphrase (or {encryption.PASSPHRASE_ENV} set) derived "
                    "from a passphrase you then give at every start. Needs "
                    "pip install 'encoder-app[encrypt]'. Close the window first.")
    p.add_argument("--passphrase", action="store_true",
                   help=f"use a passphrase (from {encryption.PASSPHRASE_ENV}, else asked twice)")
    p.add_argument("--json", action="store_true", help="print what was done as JSON")
    p.set_defaults(func=run_encrypt)


def _size(count: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:,} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1024
    return str(count)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _holds(facts: backup.DatabaseFacts) -> str:
    return (f"{_size(facts.bytes)}, {_plural(facts.releases, 'release')}, "
            f"{_plural(facts.encounters, 'encounter')}, integrity ok"
            + (", encrypted" if facts.encrypted else ""))


def run_backup(args) -> int:
    encryption.set_passphrase_prompt(ask_passphrase)
    facts = backup.backup_database(settings.database_url(), args.output)
    if args.json:
        print_json(facts.to_json())
    else:
        print(f"backed up to {facts.path} ({_holds(facts)})")
    return 0


def run_restore(args) -> int:
    encryption.set_passphrase_prompt(ask_passphrase)
    done = backup.restore_database(settings.database_url(), args.file)
    if args.json:
        print_json(done.to_json())
        return 0
    print(f"restored {done.source} into {done.installed.path} ({_holds(done.installed)})")
    if done.moved_aside:
        print(f"the database it replaced is kept as {done.moved_aside}")
    return 0


def _passphrase() -> str:
    given = os.environ.get(encryption.PASSPHRASE_ENV)
    if given:
        return given
    if not sys.stdin.isatty():
        raise EncoderError(f"--passphrase: set {encryption.PASSPHRASE_ENV}, or run in a terminal "
                           f"to type it")
    first = getpass.getpass("New passphrase for the database: ")
    if len(first) < 8:
        raise EncoderError("the passphrase needs at least 8 characters")
    if getpass.getpass("The same passphrase again: ") != first:
        raise EncoderError("the two passphrases differ; nothing was changed")
    return first


def run_encrypt(args) -> int:
    encryption.sqlcipher()  # says how to install the extra before anything else
    use_passphrase = args.passphrase or bool(os.environ.get(encryption.PASSPHRASE_ENV))
    if not use_passphrase and encryption.keyring_backend() is None:
        print("note: no OS keyring here (no Secret Service on a Linux without a desktop "
              "session); using a passphrase instead", file=sys.stderr)
        use_passphrase = True
    facts, where = backup.encrypt_database(settings.database_url(),
                                           _passphrase() if use_passphrase else None)
    if args.json:
        print_json({**facts.to_json(), "key": where})
        return 0
    print(f"encrypted {facts.path} ({_holds(facts)}); the key is {where}")
    if use_passphrase:
        print(f"give it at every start: type it when asked (the window asks in a dialog, a "
              f"command in the terminal) or set {encryption.PASSPHRASE_ENV}. A lost passphrase "
              f"cannot be recovered; backups made from now on need it too.")
    return 0
