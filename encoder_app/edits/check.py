"""Running every rule over an encounter: findings sorted errors first, in claim order."""

from __future__ import annotations

from sqlalchemy import Engine

from encoder_app.edits import rules  # noqa: F401  (registers every rule module)
from encoder_app.edits.finding import SEVERITIES, Finding
from encoder_app.edits.registry import RULES
from encoder_app.edits.view import CodebookView
from encoder_app.encounters.snapshot import EncounterSnapshot


def check_encounter(engine: Engine, encounter: EncounterSnapshot) -> list[Finding]:
    view = CodebookView(engine, encounter.date_of_service)
    findings: list[Finding] = []
    for registered in RULES:
        findings.extend(registered.function(encounter, view))
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: order.get(f.severity, 9))
