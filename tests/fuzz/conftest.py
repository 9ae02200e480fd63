"""Shared by the fuzz suites: a tally per suite, printed at the end of the run.

A suite asks for `fuzz_tally("importers")` and counts outcomes into it ("inputs tried",
"clear errors", "correct imports", "tracebacks", ...); the counts print in pytest's terminal
summary so CI logs show them.
"""

from __future__ import annotations

from collections import Counter

import pytest

_TALLIES: dict[str, Counter] = {}


@pytest.fixture(scope="session")
def fuzz_tally():
    return lambda suite: _TALLIES.setdefault(suite, Counter())


def pytest_terminal_summary(terminalreporter):
    for suite, counts in _TALLIES.items():
        figures = ", ".join(f"{name} {n:,}" for name, n in counts.items())
        terminalreporter.write_line(f"fuzz {suite}: {figures}")
