"""Chronic kidney disease is one stage per claim (Official Guidelines I.C.14.a.1): N18.9 or
N18.30 beside a stage that says more is redundant, ESRD with a stage is N18.6 only, and two
different stages conflict."""

from __future__ import annotations

from collections.abc import Iterator

from encoder_app.codes import normalize
from encoder_app.edits.code_sets import CodeSet
from encoder_app.edits.finding import Finding
from encoder_app.edits.guidelines import table
from encoder_app.edits.guidelines.claim import diagnosis_codes, listed, shown
from encoder_app.edits.registry import rule
from encoder_app.edits.view import CodebookView
from encoder_app.encounters.snapshot import EncounterSnapshot

T = table("kidney")
CKD, ESRD = T.codes("ckd"), T.codes("esrd")
SOURCE = T.section("stages")
UNSPECIFIED = {normalize(r["code"]): (CodeSet.of(r["redundant_with"]), r["what"])
               for r in T.rows("unspecified", "code", "what", "redundant_with")}


@rule("guideline.ckd_stage", "error", SOURCE)
def ckd_stage(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    codes = diagnosis_codes(encounter, view)
    staged = CKD.positions(codes)
    if len(staged) < 2:
        return
    redundant = set()
    for i in staged:
        said = UNSPECIFIED.get(codes[i])
        if said is None:
            continue
        more, what = said
        better = [j for j in staged if j != i and more.covers_stored(codes[j])]
        if better:
            redundant.add(i)
            yield Finding(
                "guideline.ckd_stage_redundant", "warning",
                (shown(codes[i]), shown(codes[better[0]])),
                f"{shown(codes[i])} ({what}) is redundant beside {shown(codes[better[0]])}: "
                f"report one stage of chronic kidney disease", SOURCE,
                {"action": "remove_diagnosis", "index": i})
    kept = [i for i in staged if i not in redundant and codes[i] not in
            [codes[j] for j in staged if j < i]]  # a code twice is the duplicate rule's
    esrd = [i for i in kept if ESRD.covers_stored(codes[i])]
    if esrd:
        for i in kept:
            if i not in esrd:
                yield Finding(
                    "guideline.ckd_stage_esrd", "error", (shown(codes[i]), shown(codes[esrd[0]])),
                    f"{shown(codes[i])} and {shown(codes[esrd[0]])}: when a stage of CKD and "
                    f"end stage renal disease are both documented, assign N18.6 only", SOURCE,
                    {"action": "remove_diagnosis", "index": i})
    elif len(kept) > 1:
        yield Finding(
            "guideline.ckd_stage_conflict", "error", tuple(shown(codes[i]) for i in kept),
            f"{listed([codes[i] for i in kept])} are different stages of chronic kidney disease: "
            f"a claim reports one stage; keep the one the provider documents for this "
            f"encounter", SOURCE)
