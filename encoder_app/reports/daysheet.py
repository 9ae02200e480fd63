"""What a day sheet says: every encounter seen in a date range with its codes and charges, and
the totals per provider, per day and for the range. Pure values; the layout only prints them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from encoder_app.codes import dotted, normalize
from encoder_app.encounters.snapshot import EncounterSnapshot
from encoder_app.practice.types import FeeSchedule, Practice
from encoder_app.reports.superbill import ZERO, unit_fee

NO_PROVIDER = "(no provider)"


@dataclass(frozen=True)
class DaySheetRow:
    date_of_service: dt.date
    patient: str
    provider: str
    diagnoses: tuple[str, ...]  # dotted, in order
    services: tuple[str, ...]  # "99214-25", "J3301 x4"
    charges: Decimal  # each line's fee x units
    unpriced_lines: int = 0  # lines with no charge and no fee in the schedule: counted as 0


@dataclass(frozen=True)
class Subtotal:
    label: str  # the provider, or the date as printed
    encounters: int
    charges: Decimal


@dataclass(frozen=True)
class DaySheet:
    start: dt.date
    end: dt.date
    rows: tuple[DaySheetRow, ...]
    practice: Practice | None = None  # the header; None prints "practice details not set up"

    @property
    def days(self) -> list[dt.date]:
        """The days of the range that had encounters, in order (the chart's bars)."""
        return sorted({r.date_of_service for r in self.rows})

    def day_total(self, day: dt.date) -> Subtotal:
        rows = [r for r in self.rows if r.date_of_service == day]
        return Subtotal(day.isoformat(), len(rows), sum((r.charges for r in rows), ZERO))

    @property
    def by_day(self) -> list[Subtotal]:
        return [self.day_total(day) for day in self.days]

    @property
    def by_provider(self) -> list[Subtotal]:
        """Per provider, most charges first (ties by name)."""
        totals: dict[str, list] = {}
        for r in self.rows:
            entry = totals.setdefault(r.provider, [0, ZERO])
            entry[0] += 1
            entry[1] += r.charges
        subtotals = [Subtotal(name, n, amount) for name, (n, amount) in totals.items()]
        return sorted(subtotals, key=lambda s: (-s.charges, s.label))

    @property
    def grand_total(self) -> Decimal:
        return sum((r.charges for r in self.rows), ZERO)

    @property
    def unpriced_lines(self) -> int:
        return sum(r.unpriced_lines for r in self.rows)


def _service(code: str, modifiers: tuple[str, ...], units: int) -> str:
    text = "-".join((code, *modifiers))
    return f"{text}\u00a0x{units}" if units != 1 else text  # never "x10" alone on a line


def provider_label(encounter: EncounterSnapshot, practice: Practice | None) -> str:
    """The provider as the practice lists them (with credentials, matched by NPI), else as the
    encounter names them."""
    listed = practice.provider_by_npi(encounter.provider.npi) if practice else None
    if listed:
        return f"{listed.name}, {listed.credentials}" if listed.credentials else listed.name
    return encounter.provider.name or NO_PROVIDER


def daysheet_from(encounters: Iterable[EncounterSnapshot], start: dt.date, end: dt.date,
                  fee_schedule: FeeSchedule | None = None,
                  practice: Practice | None = None) -> DaySheet:
    """The day sheet of the encounters whose date of service is in start..end, by date."""
    fees = fee_schedule or FeeSchedule()
    rows = []
    for e in encounters:
        day = e.date_of_service
        if day is None or not start <= day <= end:
            continue
        charges, unpriced = ZERO, 0
        for line in e.procedures:
            fee, _ = unit_fee(line, fees)
            if fee is None:
                unpriced += 1
            else:
                charges += fee * line.units
        rows.append(DaySheetRow(
            day, e.patient.name, provider_label(e, practice),
            tuple(dotted(normalize(c)) for c in e.diagnoses),
            tuple(_service(p.code, p.modifiers, p.units) for p in e.procedures),
            charges, unpriced))
    rows.sort(key=lambda r: r.date_of_service)  # stable: same-day encounters keep their order
    return DaySheet(start, end, tuple(rows), practice)
