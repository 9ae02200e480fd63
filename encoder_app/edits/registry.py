"""Where rules register: an id, a default severity and the source they enforce."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from encoder_app.edits.finding import Finding

RuleFunction = Callable[..., Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    source: str
    function: RuleFunction


RULES: list[Rule] = []


def rule(id: str, severity: str, source: str) -> Callable[[RuleFunction], RuleFunction]:
    """Register `function(snapshot, view)` -> findings under a stable id."""

    def register(function: RuleFunction) -> RuleFunction:
        if any(r.id == id for r in RULES):
            raise ValueError(f"rule id {id!r} registered twice")
        RULES.append(Rule(id, severity, source, function))
        return function

    return register
