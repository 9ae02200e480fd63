"""`encoder-app user`: the practice's accounts (add, list, role, password, disable, enable).

The first account must be an admin and needs no sign-in; after that every change here is an
admin's (or your own password), signed in as on every command (cli/sign_in.py). A new
password is asked twice on the terminal, or read from the first line of stdin with
--password-stdin for a script (never from the command line, where `ps` and the shell history
would show it).
"""

from __future__ import annotations

import getpass
import sys

from encoder_app.cli.common import open_codebook, print_text
from encoder_app.cli.sign_in import acting_user
from encoder_app.errors import EncoderError
from encoder_app.users.roles import ROLES


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "user", help="practice accounts: add, list, role, password, disable, enable",
        description="Accounts for a practice where several people share one database. Once "
                    "a database has an account, everyone signs in (ENCODER_APP_USER and "
                    "ENCODER_APP_PASSWORD, or asked on the terminal) and may do what their "
                    "role allows: front-desk creates encounters and prints superbills and day "
                    "sheets; coder also changes codes; admin also changes the practice, fees, "
                    "pick lists and accounts.")
    sub = p.add_subparsers(dest="user_command", metavar="add|list|role|password|disable|enable",
                           required=True)
    add = sub.add_parser("add", help="add an account (the first must be an admin)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--password-stdin", action="store_true",
                     help="read the new password from the first line of stdin")
    add.set_defaults(func=run_add)
    sub.add_parser("list", help="every account with its role").set_defaults(func=run_list)
    role = sub.add_parser("role", help="change an account's role")
    role.add_argument("name")
    role.add_argument("role", choices=ROLES)
    role.set_defaults(func=run_role)
    password = sub.add_parser("password", help="set a new password (yours, or any as admin)")
    password.add_argument("name")
    password.add_argument("--password-stdin", action="store_true",
                          help="read the new password from the first line of stdin")
    password.set_defaults(func=run_password)
    for name, active in (("disable", False), ("enable", True)):
        switch = sub.add_parser(name, help=("switch an account off: it can no longer sign in"
                                            if not active else "switch an account on again"))
        switch.add_argument("name")
        switch.set_defaults(func=run_switch, active=active)


def _new_password(args, name: str) -> str:
    if args.password_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise EncoderError("--password-stdin: stdin held no password")
        return line
    if not sys.stdin.isatty():
        raise EncoderError("no terminal to ask the new password on: give it on stdin with "
                           "--password-stdin")
    first = getpass.getpass(f"New password for {name}: ")
    if getpass.getpass("The same password again: ") != first:
        raise EncoderError("the two passwords differ; nothing was changed")
    return first


def run_add(args) -> int:
    from encoder_app.users.accounts import add_user, database_has_accounts

    engine = open_codebook()
    who = acting_user(engine) if database_has_accounts(engine) else None
    account = add_user(engine, args.name, args.role, _new_password(args, args.name), who)
    print_text(f"added {account.name} ({account.role})\n")
    if who is None:
        print_text(f"This database now has accounts: everyone signs in from now on. Add the "
                   f"others as {account.name}: ENCODER_APP_USER={account.name} encoder-app "
                   f"user add NAME --role coder\n")
    return 0


def run_list(args) -> int:
    from encoder_app.users.accounts import list_users

    accounts = list_users(open_codebook())
    if not accounts:
        print("No accounts: this database is a single desk, where whoever runs the app may do "
              "everything. `encoder-app user add NAME --role admin` adds the first.")
        return 0
    width = max(len(a.name) for a in accounts)
    print_text("".join(f"{a.name:<{width}}  {a.role:<10}  "
                       f"{'active' if a.active else 'switched off'}  "
                       f"added {a.created_at:%Y-%m-%d}\n" for a in accounts))
    return 0


def run_role(args) -> int:
    from encoder_app.users.accounts import set_role

    engine = open_codebook()
    account = set_role(engine, args.name, args.role, acting_user(engine))
    print_text(f"{account.name} is now {account.role}\n")
    return 0


def run_password(args) -> int:
    from encoder_app.users.accounts import set_password

    engine = open_codebook()
    who = acting_user(engine)
    set_password(engine, args.name, _new_password(args, args.name), who)
    print_text(f"password of {args.name} changed\n")
    return 0


def run_switch(args) -> int:
    from encoder_app.users.accounts import set_active

    engine = open_codebook()
    account = set_active(engine, args.name, args.active, acting_user(engine))
    print_text(f"{account.name} is {'active' if account.active else 'switched off'}\n")
    return 0
