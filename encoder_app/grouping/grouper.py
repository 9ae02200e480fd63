"""Grouping an inpatient encounter with the msdrg package (the one module that calls it): the
stay is checked field by field first, so a grouper that would answer a wrong DRG for a missing
sex or an age of 130 (it takes both silently) is never asked; what it cannot take is an
EncounterFormatError naming the field in a coder's words.

Each procedure's O.R. status is asked of the grouper separately (operating_room.py): the
package's own flag says O.R. for every code.
"""

from __future__ import annotations

from encoder_app.encounters.snapshot import EncounterFormatError, EncounterSnapshot
from encoder_app.grouping.engines import engine
from encoder_app.grouping.operating_room import is_operating_room
from encoder_app.grouping.result import DiagnosisResult, DrgResult, MceEdit, ProcedureResult
from encoder_app.grouping.versions import (
    GrouperVersion,
    OutsideCoverage,
    version_for,
)

#: The oldest and youngest ages the grouper and the MCE take (the MCE calls 125 invalid).
MAX_AGE = 124
#: The grouper's sex codes.
SEX_CODES = {"M": 0, "F": 1, "U": 2}
_LEVELS = {"MCC": "MCC", "CC": "CC"}
_USED = ("BOTH", "FINAL")  # drg_impact values that say a code was used for the final DRG

def _plain(code: str) -> str:
    return code.replace(".", "").strip().upper()


def _poa(poa: str | None) -> dict:
    """The package takes Y, N, U, W or none; "1" (exempt, the UB-04's old value) is sent as
    none, which is how CMS reports an exempt code today."""
    return {"poa": poa} if poa in ("Y", "N", "U", "W") else {}


def claim_for(encounter: EncounterSnapshot, source: str = "encounter"
              ) -> tuple[dict, GrouperVersion, int]:
    """The package's claim for an inpatient encounter, the version that takes it and the age
    at admission; EncounterFormatError at the first field the grouper cannot take."""
    def fail(path: str, problem: str):
        raise EncounterFormatError(source, path, problem)

    if encounter.setting != "inpatient":
        fail("$.setting", f"is \"{encounter.setting}\": the MS-DRG grouper groups inpatient "
                          "stays only (setting \"inpatient\")")
    if encounter.discharge_date is None:
        fail("$.discharge_date", "is required to group an inpatient stay: the grouper version "
                                 "goes by it")
    try:
        version = version_for(encounter.discharge_date)
    except OutsideCoverage as exc:
        fail("$.discharge_date", str(exc))
    if encounter.admission_date is None:
        fail("$.admission_date", "is required to group an inpatient stay: the age is taken "
                                 "at admission")
    if encounter.patient.birth_date is None:
        fail("$.patient.birth_date", "is required to group: the grouper takes the age at "
                                     "admission")
    age = encounter.age_on(encounter.admission_date)
    if age > MAX_AGE:
        fail("$.patient.birth_date", f"makes the patient {age} at admission; the grouper "
                                     f"takes ages 0 to {MAX_AGE}")
    if encounter.patient.sex is None:
        fail("$.patient.sex", "is required to group: F, M, or U when unknown")
    if encounter.discharge_status is None:
        fail("$.discharge_status", "is required to group: the UB-04 patient status, such as "
                                   "01 (home) or 20 (expired)")
    if not encounter.diagnoses:
        fail("$.diagnoses", "has no principal diagnosis: the first diagnosis is the principal")
    codes = [{"code": _plain(c), **_poa(encounter.poa(i))}
             for i, c in enumerate(encounter.diagnoses)]
    claim = {"version": version.number, "age": age, "sex": SEX_CODES[encounter.patient.sex],
             "discharge_status": int(encounter.discharge_status),
             "discharge_date": int(encounter.discharge_date.strftime("%Y%m%d")),
             "pdx": codes[0], "sdx": codes[1:],
             "procedures": [{"code": _plain(p.code)} for p in encounter.procedures]}
    return claim, version, age


def _in_input_order(codes: list[str], outputs: list[dict]) -> list[dict]:
    """The package's per-code outputs matched to the input codes: it returns them sorted its
    own way (valid codes first, then by code), not in the order given. A code given twice takes
    its outputs in turn; one the package left out gets an empty output."""
    by_code: dict[str, list[dict]] = {}
    for out in outputs:
        by_code.setdefault(out.get("code", ""), []).append(out)
    return [(by_code.get(code) or [{}]).pop(0) if by_code.get(code) else {} for code in codes]


def _diagnosis(position: int, code: str, poa: str | None, out: dict) -> DiagnosisResult:
    flags = tuple(out.get("flags") or ())
    hacs = tuple(h["hac_list"] for h in out.get("hacs") or ()
                 if h.get("hac_status") == "HAC_CRITERIA_MET")
    return DiagnosisResult(
        position, code, poa, _LEVELS.get(out.get("severity"), "none"), "VALID" in flags,
        any("EXCLUDED" in f for f in flags),
        out.get("drg_impact") in _USED and not hacs, hacs, flags)


def group_encounter(encounter: EncounterSnapshot, source: str = "encounter",
                    with_mce: bool = True) -> DrgResult:
    """The MS-DRG of an inpatient encounter, by the grouper version of its discharge date, and
    (``with_mce``) the Medicare Code Editor's edits of the same claim."""
    claim, version, age = claim_for(encounter, source)
    out = engine("grouper").group(claim)
    mce = engine("mce").edit(claim)["edits"] if with_mce else []
    dx_out = [out.get("pdx_output") or {}] + _in_input_order(
        [d["code"] for d in claim["sdx"]], list(out.get("sdx_output") or ()))
    diagnoses = tuple(_diagnosis(i + 1, code, encounter.poa(i), dx_out[i])
                      for i, code in enumerate(encounter.diagnoses))
    px_out = _in_input_order([p["code"] for p in claim["procedures"]],
                             list(out.get("proc_output") or ()))
    procedures = tuple(
        ProcedureResult(line.line, line.code, line.date, p.get("drg_impact") in _USED,
                        is_operating_room(version.number, px["code"]))
        for px, line, p in zip(claim["procedures"], encounter.procedures, px_out, strict=True))
    return DrgResult(
        out.get("final_drg"), out.get("final_drg_description") or "", out.get("final_mdc"),
        out.get("final_mdc_description") or "", version.name, version.fiscal_year,
        _LEVELS.get(out.get("final_severity"), "none"), out.get("return_code") or "",
        out.get("initial_drg"), age, diagnoses, procedures,
        tuple(MceEdit(e["name"], e["count"], e["code_type"], e["edit_type"]) for e in mce))


def ungroupable_error(result: DrgResult, encounter: EncounterSnapshot,
                      source: str = "encounter") -> EncounterFormatError | None:
    """Why a stay the grouper answered with DRG 999 could not be grouped, at the field to fix
    (the principal diagnosis, a HAC code's POA); None when it was grouped."""
    if result.ok:
        return None
    path = "$"
    if result.return_code in ("INVALID_PDX", "DX_CANNOT_BE_PDX"):
        path = "$.diagnoses[0]"
    elif result.return_code.startswith("HAC"):
        path = next((f"$.diagnoses[{d.position - 1}].poa" for d in result.diagnoses
                     if d.hacs), "$.diagnoses")
    return EncounterFormatError(source, path, f"cannot be grouped ({result.return_code}): "
                                              f"{result.problem}")
