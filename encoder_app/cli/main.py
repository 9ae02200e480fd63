"""`encoder-app` entry point: parses arguments, runs a subcommand, maps core errors to messages."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

from encoder_app import __version__, app_log
from encoder_app.errors import EncoderError, render

log = logging.getLogger(__name__)
#: Exit status of a failure that is a bug, not bad input (sysexits' EX_SOFTWARE).
EXIT_BUG = 70

# Each module has register(subparsers) that adds its parser and sets `func` (args -> exit code).
COMMAND_MODULES = ["import_cmd", "releases_cmd", "code_cmd", "index_cmd", "search_cmd", "check_cmd",
                   "practice_cmd", "superbill_cmd", "report_cmd", "backup_cmd", "study_cmd",
                   "encounter_cmd", "drg_cmd", "db_cmd", "user_cmd"]
#: The module that registers each command. A command names its own and only that one is
#: imported: every module at once brought in the PDF and database libraries, nearly half a
#: second before a search could start. tests/cli/test_commands.py keeps this map whole.
COMMANDS = {
    "import": "import_cmd", "releases": "releases_cmd", "code": "code_cmd", "index": "index_cmd",
    "search": "search_cmd", "check": "check_cmd", "practice": "practice_cmd",
    "fees": "practice_cmd", "picklist": "practice_cmd", "superbill": "superbill_cmd",
    "report": "report_cmd", "backup": "backup_cmd", "restore": "backup_cmd",
    "encrypt": "backup_cmd", "study": "study_cmd", "encounter": "encounter_cmd",
    "drg": "drg_cmd", "db": "db_cmd", "user": "user_cmd",
}


def named_command(argv: list[str]) -> str | None:
    """The command the arguments name: the first that is not an option (the options before a
    command take no value)."""
    return next((a for a in argv if not a.startswith("-")), None)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of only `command` when it is one (its help and errors
    are the same)."""
    parser = argparse.ArgumentParser(
        prog="encoder-app",
        description="Offline medical-coding encoder. With no command, starts the desktop window.")
    parser.add_argument("--version", action="version", version=f"encoder-app {__version__}")
    parser.add_argument("--verbose", action="store_true",
                        help="show the log on the terminal too (it is always written to "
                             "logs/encoder-app.log in the data folder)")
    parser.add_argument("--smoke-test", action="store_true",
                        help="check this install: open the window offscreen on the default "
                             "database, search, open a code, exit 0 (1 on a failure)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in [COMMANDS[command]] if command in COMMANDS else COMMAND_MODULES:
        try:
            module = importlib.import_module(f"encoder_app.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"encoder_app.cli.{name}":
                raise
            continue
        module.register(subparsers)
    return parser


def _start_gui(smoke_test: bool = False) -> int:
    try:
        # Named here, literally: tests/test_core_has_no_qt.py allows the core these two only.
        gui = (importlib.import_module("ui.smoke_test") if smoke_test
               else importlib.import_module("ui.app"))
    except ModuleNotFoundError:
        print("The desktop window is not installed: it comes with the gui extra. In the "
              "project folder run\n  .venv/bin/pip install -e '.[gui]'\nthen start "
              "`encoder-app` again. Every command works without it: `encoder-app --help`.",
              file=sys.stderr)
        return 2
    return gui.run() if smoke_test else gui.main()


def main(argv: list[str] | None = None) -> int:
    # In a frozen build (PyInstaller) a spawned process, such as a search-index shard writer, is
    # this program started again with special arguments: this runs it and exits. Elsewhere it
    # does nothing, so multiprocessing is not even loaded (a search would wait for it).
    if getattr(sys, "frozen", False):
        import multiprocessing

        multiprocessing.freeze_support()
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(named_command(argv))
    args = parser.parse_args(argv)
    if args.smoke_test:
        return _start_gui(smoke_test=True)
    if not getattr(args, "func", None):
        return _start_gui()
    from encoder_app import encryption
    from encoder_app.cli.common import ask_passphrase

    # An encrypted database with no key in the environment or keyring asks at the terminal.
    encryption.set_passphrase_prompt(ask_passphrase)
    log_path = app_log.setup(verbose=args.verbose)
    log.info("encoder-app %s: %s", __version__, args.command)
    try:
        return int(args.func(args) or 0)
    except EncoderError as exc:
        # Only the kind of error: its text may quote an encounter's field (a birth date).
        log.warning("%s refused: %s", args.command, type(exc).__name__)
        print(f"error: {render(exc)}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # `encoder-app ... | head` closed the pipe: not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("interrupted; nothing half-written was kept", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: one line here, the traceback in the log for a report
        log.error("%s failed unexpectedly\n%s", args.command, app_log.bug_report(exc))
        where = f"The traceback is in {log_path}" if log_path else "No log could be written"
        print(f"error: an unexpected failure ({type(exc).__name__}); this is a bug in "
              f"encoder-app. {where}", file=sys.stderr)
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
