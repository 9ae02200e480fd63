"""What-if grouping: which code carries the DRG.

Two questions a hospital coder asks before finalising a stay, answered by regrouping variants of
it (each regroup is a fraction of a millisecond):
- each secondary diagnosis taken as the principal: would another reason for admission, if the
  record supports it, group elsewhere? (The principal is still the condition established after
  study, Section II; this shows the stakes, it does not choose.)
- the stay without each secondary diagnosis that is a CC or MCC: which one the DRG depends on,
  so the coder knows which documentation to be sure of.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from encoder_app.encounters.snapshot import EncounterSnapshot
from encoder_app.grouping.grouper import group_encounter
from encoder_app.grouping.result import DrgResult


@dataclass(frozen=True)
class WhatIf:
    kind: str  # "as principal" or "without"
    code: str  # the secondary diagnosis moved first, or left out
    result: DrgResult

    def changes(self, current: DrgResult) -> bool:
        return self.result.drg != current.drg

    def to_json(self, current: DrgResult) -> dict:
        return {"kind": self.kind, "code": self.code, "drg": self.result.drg,
                "title": self.result.title, "severity": self.result.severity,
                "changes_drg": self.changes(current)}


def _reordered(stay: EncounterSnapshot, order: list[int]) -> EncounterSnapshot:
    """The stay with its diagnoses (and their POA and extra fields) in ``order``."""
    def pick(values: tuple) -> tuple:
        return tuple(values[i] for i in order if i < len(values))

    return replace(stay, diagnoses=pick(stay.diagnoses), diagnosis_poa=pick(stay.diagnosis_poa),
                   diagnosis_extra=pick(stay.diagnosis_extra))


def what_if(stay: EncounterSnapshot, current: DrgResult | None = None) -> list[WhatIf]:
    """Each secondary diagnosis as principal, then the stay without each secondary CC or MCC
    (by the level the current grouping gives it), in the stay's order."""
    current = current or group_encounter(stay, with_mce=False)
    count = len(stay.diagnoses)
    found = []
    for i in range(1, count):
        order = [i] + [j for j in range(count) if j != i]
        found.append(WhatIf("as principal", stay.diagnoses[i],
                            group_encounter(_reordered(stay, order), with_mce=False)))
    for d in current.diagnoses[1:]:
        if d.level in ("CC", "MCC"):
            order = [j for j in range(count) if j != d.position - 1]
            found.append(WhatIf("without", d.code,
                                group_encounter(_reordered(stay, order), with_mce=False)))
    return found
