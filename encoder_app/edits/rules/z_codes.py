"""Where a Z code may stand (Official Guidelines I.C.21.c.16, I.B.14): the encounter Z codes
that may only be first-listed, and the codes that may only be secondary."""

from __future__ import annotations

from collections.abc import Iterator

from encoder_app.edits.code_sets import CodeSet
from encoder_app.edits.finding import Finding
from encoder_app.edits.guidelines import cite, table
from encoder_app.edits.guidelines.claim import diagnosis_codes, shown
from encoder_app.edits.registry import rule
from encoder_app.edits.view import CodebookView
from encoder_app.encounters.snapshot import EncounterSnapshot

T = table("z_codes")
FIRST_ONLY = T.codes("first_listed_only")
SECONDARY_ONLY = [(CodeSet.of(r["codes"]), r) for r in
                  T.rows("secondary_only", "codes", "what", "why", "section")]


def _secondary_only(code: str) -> dict | None:
    return next((row for codeset, row in SECONDARY_ONLY if codeset.covers_stored(code)), None)


@rule("guideline.z_code_position", "warning",
      "ICD-10-CM Official Guidelines FY2026, I.C.21.c.16, I.B.14")
def z_code_position(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    codes = diagnosis_codes(encounter, view)
    if not codes:
        return
    first_only = FIRST_ONLY.positions(codes)
    for i in first_only:
        if i == 0:
            continue
        # Moving it first is the fix unless the first code may only be first-listed too.
        fix = None if 0 in first_only else {"action": "move_diagnosis", "from": i, "to": 0}
        yield Finding(
            "guideline.z_code_first_listed", "warning", (shown(codes[i]),),
            f"{shown(codes[i])} may only be the first-listed diagnosis (unless the records of "
            f"several encounters on the same day are combined): list it first"
            + (f"; {shown(codes[0])} may only be first-listed too, so one of them is not this "
               f"encounter's reason" if fix is None else ""),
            T.section("first_listed"), fix)
    row = _secondary_only(codes[0])
    if row is not None:
        after = next((i for i, c in enumerate(codes) if i > 0 and _secondary_only(c) is None),
                     None)
        yield Finding(
            "guideline.z_code_secondary", "error", (shown(codes[0]),),
            f"{shown(codes[0])} is {row['what']}, never first-listed: {row['why']}"
            + (f"; list {shown(codes[after])} first" if after is not None else
               "; code the condition it goes with first"),
            cite(row["section"]),
            {"action": "move_diagnosis", "from": 0, "to": after} if after is not None else None)
