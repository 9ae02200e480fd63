"""What a filled superbill says, worked out before any drawing: diagnoses lettered A-L with
their titles, each service line priced, the totals, and the edit findings still open.

Pure values and arithmetic (Decimal, to the cent), so the money on the page is tested without a
PDF and the layout only prints what is here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from encoder_app.codes import dotted, normalize
from encoder_app.edits.finding import Finding
from encoder_app.encounters.snapshot import EncounterSnapshot, ProcedureLine
from encoder_app.practice.provider_names import NameOnFile, name_on_file
from encoder_app.practice.types import FeeSchedule, Practice
from encoder_app.reports.style import CENT

NOT_IN_CODEBOOK = "(not in the codebook)"
ZERO = Decimal("0.00")
MAX_PRINTED_FINDINGS = 10


def pointer_letter(pointer: int) -> str:
    """Claim forms letter the diagnoses (1 -> A, 12 -> L); past Z the number is kept."""
    return chr(ord("A") + pointer - 1) if 1 <= pointer <= 26 else str(pointer)


def open_errors(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that should stop a bill: the GUI asks "errors remain, print anyway?"."""
    return [f for f in findings if f.severity == "error"]


@dataclass(frozen=True)
class LetteredDiagnosis:
    letter: str  # A-L, what the procedure lines point to
    code: str  # dotted
    title: str


@dataclass(frozen=True)
class PricedLine:
    line: int
    code: str
    modifiers: tuple[str, ...]
    units: int
    pointers: tuple[str, ...]  # diagnosis letters
    description: str  # the codebook's short title when known, else ""
    fee: Decimal | None  # one unit: the line's charge, else the fee schedule's, else None
    total: Decimal | None  # fee x units
    fee_from_schedule: bool = False


@dataclass(frozen=True)
class Superbill:
    encounter: EncounterSnapshot
    practice: Practice | None
    provider_name: str
    provider_credentials: str
    provider_npi: str
    place_of_service: str  # "11 Office", or the bare code when the codebook has no POS list
    diagnoses: tuple[LetteredDiagnosis, ...]
    lines: tuple[PricedLine, ...]
    findings: tuple[Finding, ...] = ()

    @property
    def total_charges(self) -> Decimal:
        return sum((line.total for line in self.lines if line.total is not None), ZERO)

    @property
    def amount_paid(self) -> Decimal:
        return (self.encounter.amount_paid or ZERO).quantize(CENT)

    @property
    def balance_due(self) -> Decimal:
        return self.total_charges - self.amount_paid

    @property
    def open_errors(self) -> list[Finding]:
        return open_errors(self.findings)

    @property
    def name_on_file(self) -> NameOnFile | None:
        """The typed provider name, when it is not the one on file that prints instead: the
        command line says so in a note (the edits engine's finding says it in the window)."""
        return name_on_file(self.encounter.provider, self.practice)

    @property
    def findings_to_print(self) -> list[Finding]:
        """Errors, then warnings, printed in the warning box only when an error remains; at
        most MAX_PRINTED_FINDINGS so the bill itself still starts on page 1 (every error is
        printed; the warnings left out are counted in the box's last line)."""
        if not self.open_errors:
            return []
        warnings = [f for f in self.findings if f.severity == "warning"]
        room = max(0, MAX_PRINTED_FINDINGS - len(self.open_errors))
        return self.open_errors + warnings[:room]

    @property
    def findings_not_printed(self) -> int:
        if not self.open_errors:
            return 0
        return sum(1 for f in self.findings if f.severity in ("error", "warning")) - len(
            self.findings_to_print)


def unit_fee(line: ProcedureLine, fees: FeeSchedule) -> tuple[Decimal | None, bool]:
    """One unit's fee for a service line and whether it came from the fee schedule: the
    line's own charge wins, else the schedule's fee for the code and modifiers, else None."""
    if line.charge is not None:
        return line.charge.quantize(CENT), False
    fee = fees.fee_for(line.code, line.modifiers)
    return (None, False) if fee is None else (fee.quantize(CENT), True)


def superbill_from(encounter: EncounterSnapshot, practice: Practice | None = None,
                   fee_schedule: FeeSchedule | None = None,
                   diagnosis_titles: Mapping[str, str] | None = None,
                   procedure_titles: Mapping[str, str] | None = None,
                   place_name: str | None = None,
                   findings: Iterable[Finding] = ()) -> Superbill:
    """The superbill of an encounter from plain values. Titles are keyed by the code without
    its dot; a diagnosis with no title is printed as not in the codebook."""
    fees = fee_schedule or FeeSchedule()
    dx_titles = diagnosis_titles or {}
    px_titles = procedure_titles or {}
    diagnoses = tuple(
        LetteredDiagnosis(pointer_letter(i), dotted(normalize(code)),
                          dx_titles.get(normalize(code)) or NOT_IN_CODEBOOK)
        for i, code in enumerate(encounter.diagnoses, start=1))
    lines = []
    for line in encounter.procedures:
        fee, scheduled = unit_fee(line, fees)
        lines.append(PricedLine(
            line.line, line.code, line.modifiers, line.units,
            tuple(pointer_letter(p) for p in line.diagnosis_pointers),
            px_titles.get(normalize(line.code), ""),
            fee, None if fee is None else fee * line.units, scheduled))
    provider = encounter.provider
    listed = practice.provider_by_npi(provider.npi) if practice else None
    pos = encounter.place_of_service or ""
    return Superbill(
        encounter=encounter, practice=practice,
        provider_name=listed.name if listed else provider.name,
        provider_credentials=listed.credentials if listed else "",
        provider_npi=provider.npi or "",
        place_of_service=f"{pos} {place_name}" if pos and place_name else pos,
        diagnoses=diagnoses, lines=tuple(lines), findings=tuple(findings))
