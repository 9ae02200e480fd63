"""The Medicare Code Editor's edits of an inpatient stay, each with the codes it fires on.

msdrg's MCE says which edits fired and how many times, never on which code. A coder needs the
code, so each edit is traced: an edit only a principal diagnosis can trip (external cause,
manifestation, unacceptable or questionable principal) is the principal's; one that repeats the
principal is the secondary equal to it; any other is found by editing each code on its own
(a diagnosis as the only one, a procedure with the principal alone) and seeing which trips it.
Each edit is a fraction of a millisecond, so a stay of 25 codes is traced in a few ms.
"""

from __future__ import annotations

from dataclasses import dataclass

from encoder_app.encounters.snapshot import EncounterSnapshot
from encoder_app.grouping.engines import engine
from encoder_app.grouping.grouper import claim_for

#: Edits about the principal diagnosis only.
PRINCIPAL_ONLY = {"E_CODE_AS_PDX", "MANIFESTATION_AS_PDX", "UNACCEPTABLE_PDX", "NONSPECIFIC_PDX",
                  "QUESTIONABLE_ADMISSION", "QUESTIONABLE_OBSTETRIC_ADMISSION"}


@dataclass(frozen=True)
class TracedEdit:
    name: str  # as the MCE names it: AGE_CONFLICT, NON_COVERED, LIMITED_COVERAGE_LVRS ...
    code_type: str  # DIAGNOSIS, PROCEDURE or BOTH
    edit_type: str  # PREPAYMENT or POSTPAYMENT
    diagnoses: tuple[int, ...]  # 0-based positions of the diagnoses it fires on
    procedures: tuple[int, ...]  # 0-based positions of the procedure lines it fires on


def _names(claim: dict) -> set[str]:
    return {e["name"] for e in engine("mce").edit(claim)["edits"]}


def traced_mce_edits(stay: EncounterSnapshot) -> tuple[str, list[TracedEdit]]:
    """(the MCE version, its edits with the codes each fires on). EncounterFormatError when
    the stay lacks what the MCE needs (the discharge date, the age, the sex)."""
    claim, version, _age = claim_for(stay)
    edits = engine("mce").edit(claim)["edits"]
    alone = {k: v for k, v in claim.items() if k not in ("sdx", "procedures")}
    found = []
    for edit in edits:
        name = edit["name"]
        dx: tuple[int, ...] = ()
        px: tuple[int, ...] = ()
        if name in PRINCIPAL_ONLY:
            dx = (0,)
        elif name == "DUPLICATE_OF_PDX":
            pdx = claim["pdx"]["code"]
            dx = tuple(i + 1 for i, s in enumerate(claim["sdx"]) if s["code"] == pdx)
        else:
            if edit["code_type"] in ("DIAGNOSIS", "BOTH"):
                everyone = [claim["pdx"], *claim["sdx"]]
                dx = tuple(i for i, d in enumerate(everyone)
                           if name in _names({**alone, "pdx": d, "sdx": []}))
            if edit["code_type"] in ("PROCEDURE", "BOTH"):
                baseline = _names({**alone, "sdx": [], "procedures": []})
                px = tuple(i for i, p in enumerate(claim["procedures"])
                           if name in _names({**alone, "sdx": [], "procedures": [p]}) - baseline)
        found.append(TracedEdit(name, edit["code_type"], edit["edit_type"], dx, px))
    return version.name, found
