"""The command line imports only the module of the command it is given; the map that says
which module registers which command is kept whole here."""

import argparse
import importlib

import pytest

from encoder_app.cli import main as cli_main


def _registered(module_name: str) -> set[str]:
    parser = argparse.ArgumentParser()
    subparsers = parser.add_subparsers()
    importlib.import_module(f"encoder_app.cli.{module_name}").register(subparsers)
    return set(subparsers.choices)


def test_every_command_is_mapped_to_the_module_that_registers_it():
    registered = {command: name for name in cli_main.COMMAND_MODULES
                  for command in _registered(name)}
    assert cli_main.COMMANDS == registered


@pytest.mark.parametrize("argv,command", [
    (["search", "afib"], "search"), (["--verbose", "search", "-h"], "search"),
    (["--version"], None), ([], None), (["code", "show", "E11.9"], "code")])
def test_the_command_is_the_first_argument_that_is_not_an_option(argv, command):
    assert cli_main.named_command(argv) == command


def test_one_command_parses_as_it_does_among_all(capsys):
    argv = ["search", "broken", "hip", "--system", "icd10cm", "--limit", "5", "--json"]
    alone = vars(cli_main.build_parser("search").parse_args(argv))
    among_all = vars(cli_main.build_parser().parse_args(argv))
    assert {k: v for k, v in alone.items() if k != "parser"} == \
        {k: v for k, v in among_all.items() if k != "parser"}
    with pytest.raises(SystemExit):
        cli_main.build_parser("search").parse_args(["search", "--help"])
    assert "--rebuild-index" in capsys.readouterr().out
