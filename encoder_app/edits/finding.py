"""A finding: what a rule says about an encounter, where it comes from, and the fix it offers."""

from __future__ import annotations

from dataclasses import dataclass, field

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    rule: str  # stable id, e.g. "icd.excludes1"
    severity: str  # error | warning | info
    codes: tuple[str, ...]  # the codes involved, dotted
    message: str  # plain words a coder can act on
    source: str  # what it enforces: "ICD-10-CM Tabular: Excludes1 at E11", "NCCI PTP ..."
    # A machine-readable suggestion the GUI can apply, e.g.
    # {"action": "replace_diagnosis", "index": 0, "code": "W54.0XXA"}
    fix: dict | None = field(default=None, compare=False)

    def to_json(self) -> dict:
        return {"rule": self.rule, "severity": self.severity, "codes": list(self.codes),
                "message": self.message, "source": self.source, "fix": self.fix}
