"""Is each code on the encounter a code that may be reported on the date of service?"""

from __future__ import annotations

from collections.abc import Iterator

from encoder_app.codes import (
    ICD10CM_DOTTED_SHAPE,
    ICD10CM_SHAPE,
    SYSTEM_NAMES,
    dotted,
    normalize,
)
from encoder_app.edits.codes import procedure_system
from encoder_app.edits.finding import Finding
from encoder_app.edits.registry import rule
from encoder_app.edits.view import CodebookView
from encoder_app.encounters.snapshot import EncounterSnapshot

TABULAR = "ICD-10-CM Tabular List"
CAVEATS = ("before the earliest", "newer release may be in effect", "no loaded release covers")


def _placeholder_fix(view: CodebookView, code: str) -> str | None:
    """W54.0A -> W54.0XXA when that code exists: the placeholder X a coder left out."""
    c = normalize(code)
    if 4 <= len(c) < 7 and c[-1].isalpha():
        padded = c[:-1].ljust(6, "X") + c[-1]
        if view.known(padded, "icd10cm"):
            return dotted(padded)
    return None


@rule("code.diagnosis_validity", "error", TABULAR)
def diagnosis_validity(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    caveat_said = False
    for index, typed in enumerate(encounter.diagnoses):
        shown = typed.strip().upper()
        if not (ICD10CM_SHAPE.fullmatch(shown) or ICD10CM_DOTTED_SHAPE.fullmatch(shown)):
            yield Finding("code.format", "error", (shown,),
                          f"{shown} is not shaped like an ICD-10-CM code (letter, digit, "
                          f"character, then up to 4 more after the dot)", TABULAR)
            continue
        detail = view.detail(shown, "icd10cm")
        if detail is None:
            padded = _placeholder_fix(view, shown)
            if padded:
                yield Finding("code.placeholder_x", "error", (shown,),
                              f"{shown} needs the placeholder X before its 7th character: "
                              f"{padded}", f"{TABULAR}: 7th character and placeholder X",
                              {"action": "replace_diagnosis", "index": index, "code": padded})
            else:
                yield Finding("code.unknown", "error", (shown,),
                              f"{shown} is not an ICD-10-CM code in any loaded release", TABULAR)
            continue
        source = f"{TABULAR} ({detail.release})"
        why = detail.validity
        if detail.valid:
            if not caveat_said and any(c in why for c in CAVEATS):
                caveat_said = True
                yield Finding("code.release_coverage", "info", (detail.code,),
                              "The date of service is outside the loaded ICD-10-CM releases: "
                              + why.split("; ", 1)[-1], source)
            continue
        billable = [c.code for c in detail.children if c.billable]
        if "7th character" in why:
            yield Finding("code.seventh_character", "error", (detail.code,),
                          f"{detail.code} needs a 7th character: choose one of "
                          f"{', '.join(billable[:6])}{', ...' if len(billable) > 6 else ''}",
                          f"{TABULAR}: 7th characters at {detail.code}",
                          {"action": "replace_diagnosis", "index": index, "choices": billable})
        elif why.startswith("not yet effective"):
            yield Finding("code.not_yet_effective", "error", (detail.code,),
                          f"{detail.code} is not valid on {view.date}: {why}", source)
        elif why.startswith("deleted"):
            yield Finding("code.deleted", "error", (detail.code,),
                          f"{detail.code} is not valid on {view.date}: {why}", source)
        elif detail.children:
            yield Finding("code.header", "error", (detail.code,),
                          f"{detail.code} is a header, not a billable code; pick a more specific "
                          f"code below it ({', '.join(c.code for c in detail.children[:6])}"
                          f"{', ...' if len(detail.children) > 6 else ''})", source,
                          {"action": "replace_diagnosis", "index": index,
                           "choices": billable or [c.code for c in detail.children]})
        else:
            yield Finding("code.not_reportable", "error", (detail.code,),
                          f"{detail.code}: {why}", source)


@rule("code.procedure_validity", "error", "HCPCS Level II, CPT and ICD-10-PCS releases")
def procedure_validity(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    # One finding per code set that is not loaded, naming every line's code it leaves unchecked.
    unloaded: dict[str, list[str]] = {}
    for line in encounter.procedures:
        system = procedure_system(line.code)
        if system is not None and not view.has_codes(system):
            unloaded.setdefault(system, []).append(line.code)
    for system, codes in unloaded.items():
        name = SYSTEM_NAMES[system]
        how = ("CPT is the AMA's and is not shipped: import the CPT file your practice "
               "licenses with `encoder-app import FILE` (docs/cpt-import.md)" if system == "cpt"
               else f"import the {name} files CMS publishes with `encoder-app import FILE`")
        named = tuple(dict.fromkeys(codes))
        what = "this code is" if len(named) == 1 else "these codes are"
        yield Finding("code.system_not_loaded", "info", named,
                      f"No {name} release is loaded, so {what} not "
                      f"checked; {how}", f"{name} releases")
    for line in encounter.procedures:
        system = procedure_system(line.code)
        if system is None:
            yield Finding("code.format", "error", (line.code,),
                          f"line {line.line}: {line.code} is not shaped like a CPT, HCPCS or "
                          f"ICD-10-PCS code", "CPT, HCPCS Level II and ICD-10-PCS code formats")
            continue
        name = SYSTEM_NAMES[system]
        if system in unloaded:
            continue
        detail = view.detail(line.code, system)
        if detail is None:
            yield Finding("code.unknown", "error", (line.code,),
                          f"line {line.line}: {line.code} is not a {name} code in any loaded "
                          f"release", f"{name} releases")
        elif not detail.valid:
            kind = ("code.terminated" if "terminated" in detail.validity else
                    "code.not_yet_effective" if "not yet effective" in detail.validity else
                    "code.deleted" if detail.validity.startswith("deleted") else "code.header")
            yield Finding(kind, "error", (detail.code,),
                          f"line {line.line}: {detail.code} is not valid on {view.date}: "
                          f"{detail.validity}", f"{name} ({detail.release})")
