"""The practice as superbills and day sheets see it: who bills, what they charge, what they
check off. Plain frozen values, so reports, the GUI and tests can build them without a database;
``setup.py``, ``fee_schedule.py`` and ``pick_lists.py`` store and read them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class PracticeProvider:
    """A rendering provider of the practice: printed in the superbill header."""

    name: str
    credentials: str = ""  # "MD", "DO", "NP-C", ...
    npi: str = ""  # individual (type 1) NPI, check digit validated when saved


@dataclass(frozen=True)
class Payer:
    """An insurer the practice bills; ``payer_id`` is the clearinghouse's id, if known."""

    name: str
    payer_id: str = ""


@dataclass(frozen=True)
class Practice:
    """The billing practice: the header of every superbill."""

    name: str
    address_lines: tuple[str, ...] = ()  # street, then "City, ST 12345"
    phone: str = ""
    tax_id: str = ""  # EIN, "12-3456789"
    group_npi: str = ""  # organisation (type 2) NPI
    providers: tuple[PracticeProvider, ...] = ()
    payers: tuple[Payer, ...] = ()

    def provider_by_npi(self, npi: str | None) -> PracticeProvider | None:
        return next((p for p in self.providers if npi and p.npi == npi), None)


@dataclass(frozen=True)
class FeeEntry:
    """The practice's charge for a code, or for a code with one modifier when that differs
    (a bilateral 50 or a professional-component 26 is priced differently)."""

    code: str  # as billed, without the dot: "99213", "J1100"
    fee: Decimal
    modifier: str = ""  # "" for the code's own fee


@dataclass(frozen=True)
class FeeSchedule:
    """Every fee of the practice; ``fee_for`` is how a procedure line takes its charge."""

    entries: tuple[FeeEntry, ...] = ()
    _by_key: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for entry in self.entries:
            self._by_key[(entry.code.upper(), entry.modifier.upper())] = entry.fee

    def fee_for(self, code: str, modifiers: Iterable[str] = ()) -> Decimal | None:
        """The fee for one unit: the first modifier with its own fee wins, else the code's own
        fee, else None (the practice has no fee for it)."""
        code = code.replace(".", "").upper()
        for modifier in modifiers:
            fee = self._by_key.get((code, modifier.upper()))
            if fee is not None:
                return fee
        return self._by_key.get((code, ""))

    def charge_after_edit(self, old_code: str, old_modifiers: Iterable[str],
                          old_charge: Decimal | None, code: str,
                          modifiers: Iterable[str]) -> Decimal | None:
        """The new charge of a line whose code or modifiers were edited, or None to keep its
        charge: a line still at this schedule's price (or with none) follows the schedule
        (69210 at 95.00 becomes 142.50 with modifier 50); a charge the coder typed stays."""
        if old_charge is not None and old_charge != self.fee_for(old_code, old_modifiers):
            return None
        fee = self.fee_for(code, modifiers)
        return None if fee is None or fee == old_charge else fee


@dataclass(frozen=True)
class PickItem:
    """One line of a check-off list. ``label`` is the practice's own words (never CPT text)."""

    code: str  # dotted for diagnoses ("E11.9"), as billed for services ("99213")
    label: str
    system: str = "CPT"  # "CPT", "HCPCS" or "ICD-10-CM" (see encoder_app.codes.SYSTEM_NAMES)
    modifier: str = ""


@dataclass(frozen=True)
class PickSection:
    title: str  # "New patient", "Established patient", "Procedures", ..., "Common diagnoses"
    items: tuple[PickItem, ...] = ()


@dataclass(frozen=True)
class PickList:
    """A named check-off list: the sections of the practice's printed superbill."""

    name: str
    sections: tuple[PickSection, ...] = ()
