"""Additional codes a guideline rule asks for beside another code (N18 beside I12, I50 beside
I11.0, Z79.4/Z79.84/Z79.85 beside E11, Z3A beside a pregnancy code). The Tabular's own "use
additional code" reminder for the same codes is left to that rule, so a coder reads one
finding, with its guideline, not two."""

from __future__ import annotations

from functools import cache

from encoder_app.edits.code_sets import CodeSet
from encoder_app.edits.guidelines import FAMILIES, table
from encoder_app.edits.references import Instruction


@cache
def requirements() -> tuple[tuple[CodeSet, CodeSet], ...]:
    """(codes the requirement is for, the additional codes it asks for), from every family's
    `[[requires]]` rows."""
    found = []
    for family in FAMILIES:
        t = table(family)
        if "requires" not in t.data:
            continue
        for row in t.rows("requires", "codes", "add"):
            found.append((CodeSet.of(row["codes"]), t.codes(row["add"])))
    return tuple(found)


def said_by_a_guideline(code: str, instruction: Instruction) -> bool:
    """Whether a guideline rule asks for everything this Tabular instruction at `code` asks."""
    return bool(instruction.refs) and any(
        covered.covers(code) and all(needed.includes_reference(r) for r in instruction.refs)
        for covered, needed in requirements())
