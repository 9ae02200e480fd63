"""A dose in a query ("Toradol 30 mg IM", "RhoGAM 300 mcg", "Botox 100 units") against the
dose a HCPCS drug descriptor bills by ("per 15 mg", "up to 4 mg", "full dose, 300
micrograms", "1 unit"): which code's unit fits, and how many units to report.

A HCPCS drug code is reported in multiples of its descriptor's amount, rounded up (30 mg of
ketorolac on J1885 "per 15 mg" is 2 units; 1 mg of hydromorphone on J1170 "up to 4 mg" is 1).
A descriptor in the same kind of measure as the dose fits; one whose single unit is many times
the dose given (S0092 "250 mg (loading dose...)" for 1 mg) or in another kind of measure
(units against mg) fits less. Doses are compared in mg, units and ml.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

#: unit word -> (measure, factor to the measure's base)
_UNITS = {
    "mg": ("mass", 1.0), "milligram": ("mass", 1.0), "milligrams": ("mass", 1.0),
    "mcg": ("mass", 0.001), "microgram": ("mass", 0.001), "micrograms": ("mass", 0.001),
    "g": ("mass", 1000.0), "gm": ("mass", 1000.0), "gram": ("mass", 1000.0),
    "grams": ("mass", 1000.0),
    "unit": ("unit", 1.0), "units": ("unit", 1.0), "iu": ("unit", 1.0), "i.u.": ("unit", 1.0),
    "ml": ("volume", 1.0), "cc": ("volume", 1.0),
}
_AMOUNT = r"([0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)\s*"
_UNIT = r"(mg|milligrams?|mcg|micrograms?|grams?|gm|g|units?|i\.u\.|iu|ml|cc)(?![a-z])"
_QUERY_DOSE = re.compile(_AMOUNT + _UNIT)
_DESCRIPTOR_DOSE = re.compile(r"(per |up to )?" + _AMOUNT + _UNIT)

#: How a descriptor's dose fits the query's: same measure, one unit near the dose given.
EXACT, FITS, FITS_LOOSELY, OTHER_MEASURE = 1.3, 1.2, 1.0, 0.85
#: A single unit this many times the dose given is a different product (a loading dose).
TOO_BIG = 4


@dataclass(frozen=True)
class Dose:
    amount: float  # in the measure's base: mg, units, ml
    measure: str
    written: str  # as typed: "30 mg"


def _read(match: re.Match, amount_group: int) -> Dose:
    measure, factor = _UNITS[match.group(amount_group + 1)]
    amount = float(match.group(amount_group).replace(",", "")) * factor
    return Dose(amount, measure, match.group(0).strip())


def query_dose(query: str) -> Dose | None:
    """The first dose a query states: 'Toradol 30 mg IM' -> 30 mg."""
    match = _QUERY_DOSE.search(query.lower())
    return _read(match, 1) if match else None


def descriptor_dose(descriptor: str) -> Dose | None:
    """The amount a HCPCS descriptor bills by: its last dose ('..., per 15 mg' -> 15 mg;
    '300 micrograms (1500 i.u.)' -> 300 mcg, the first of a dose written two ways)."""
    found = list(_DESCRIPTOR_DOSE.finditer(descriptor.lower()))
    if not found:
        return None
    # "300 micrograms (1500 i.u.)": the bracketed equivalent restates the dose before it
    last = found[-1]
    if len(found) > 1 and descriptor.lower()[:last.start()].rstrip().endswith("("):
        last = found[-2]
    return _read(last, 2)


def fit(descriptor: str, dose: Dose) -> tuple[float, int | None]:
    """(how well the descriptor's unit fits the dose, the units to report or None)."""
    per = descriptor_dose(descriptor)
    if per is None or per.amount <= 0:
        return 1.0, None
    if per.measure != dose.measure:
        return OTHER_MEASURE, None
    units = max(1, math.ceil(round(dose.amount / per.amount, 6)))
    if per.amount > TOO_BIG * dose.amount:
        return FITS_LOOSELY, units
    if math.isclose(per.amount, dose.amount):  # RhoGAM 300 mcg: the full dose, not 6 minidoses
        return EXACT, units
    return FITS, units
