"""Running every rule over an encounter: findings sorted errors first, in claim order.

The rules read the codebooks; the one edit about the practice (a provider name that is not the
one on file for the NPI, practice/provider_names.py) is given the practice's set-up here."""

from __future__ import annotations

from sqlalchemy import Engine

from encoder_app.edits import rules  # noqa: F401  (registers every rule module)
from encoder_app.edits.finding import SEVERITIES, Finding
from encoder_app.edits.registry import RULES
from encoder_app.edits.view import CodebookView
from encoder_app.encounters.snapshot import EncounterSnapshot
from encoder_app.practice.provider_names import provider_findings
from encoder_app.practice.setup import load_practice

#: Tabular findings a guideline finding about the same codes says better: N18.5 + N18.6 is an
#: Excludes1 pair, but only the guideline says to keep N18.6; N18.9 has more specific codes,
#: but the guideline finding already names the stage beside it; R65.21 before A41.9 breaks the
#: code-first note, and the guideline adds that it is never first-listed.
SAID_BETTER_BY_A_GUIDELINE = ("icd.excludes1", "icd.unspecified", "icd.code_first_order")
_RANK = {s: i for i, s in enumerate(SEVERITIES)}


def check_encounter(engine: Engine, encounter: EncounterSnapshot) -> list[Finding]:
    view = CodebookView(engine, encounter.date_of_service)
    findings: list[Finding] = []
    for registered in RULES:
        findings.extend(registered.function(encounter, view))
    findings.extend(provider_findings(encounter, load_practice(engine)))
    findings = _without_repeats(findings)
    return sorted(findings, key=lambda f: _RANK.get(f.severity, 9))


def _without_repeats(findings: list[Finding]) -> list[Finding]:
    guideline = [f for f in findings if f.rule.startswith("guideline.")]

    def said_better(f: Finding) -> bool:
        return f.rule in SAID_BETTER_BY_A_GUIDELINE and any(
            set(f.codes) <= set(g.codes) and _RANK[g.severity] <= _RANK[f.severity]
            for g in guideline)

    return [f for f in findings if not said_better(f)]
