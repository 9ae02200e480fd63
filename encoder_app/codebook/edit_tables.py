"""Lookups the edits engine makes in the NCCI PTP, MUE, add-on code and MCE tables.

Each question is asked for a date of service: the release used is the newest one of its kind in
effect on that date (effective_from on or before it), or, when every loaded release is newer
than the date, the newest one loaded, since a quarter's tables still carry the older edits with
their dates. A quarter CMS splits over several files (ccipra-...-f1 to -f4) is several releases
with the same effective date, and all of them are searched. Answers are plain dataclasses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, and_, or_, select

from encoder_app.codebook.models import Release
from encoder_app.codebook.reference_models import (
    AddOnEdit,
    MceEdit,
    MueLimit,
    PoaExemptCode,
    PtpEdit,
    PtpRationale,
)
from encoder_app.codes import normalize

NCCI = "ncci"
MCE = "mce"
POA = "poa"
CONTRACTOR_DEFINED = "CCCCC"

#: Settings a coder picks -> release kinds. "outpatient" is accepted for outpatient hospital.
PTP_KINDS = {"practitioner": "ptp_practitioner", "outpatient_hospital": "ptp_outpatient_hospital",
             "outpatient": "ptp_outpatient_hospital"}
MUE_KINDS = {"practitioner": "mue_practitioner", "outpatient_hospital": "mue_outpatient_hospital",
             "outpatient": "mue_outpatient_hospital", "dme": "mue_dme"}


@dataclass(frozen=True)
class PtpPair:
    """An NCCI PTP edit in effect: column 2 is not paid with column 1 on the same date."""

    column1: str
    column2: str
    modifier_indicator: int  # 0 no modifier bypasses it, 1 an NCCI-associated modifier may, 9 n/a
    rationale: str | None
    effective: dt.date | None  # None: in effect since before the release's quarter
    deletion: dt.date | None  # None: not deleted
    source: str  # the release label, e.g. "NCCI PTP practitioner 2024Q3"

    @property
    def modifier_allowed(self) -> bool:
        return self.modifier_indicator == 1


@dataclass(frozen=True)
class MueValue:
    """The most units of a code reported for one patient on one date of service."""

    code: str
    units: int
    adjudication: int  # 1 line edit, 2 date of service (policy), 3 date of service (clinical)
    adjudication_text: str
    rationale: str
    source: str

    @property
    def per_line(self) -> bool:
        """A line edit: each claim line is checked alone, so units may be split over lines."""
        return self.adjudication == 1


@dataclass(frozen=True)
class AddOnPrimary:
    """A primary code an add-on code may be reported with."""

    addon: str
    primary: str  # "CCCCC": the Medicare contractor defines the primary codes
    edit_type: int
    source: str

    @property
    def contractor_defined(self) -> bool:
        return self.primary == CONTRACTOR_DEFINED


@dataclass(frozen=True)
class MceListing:
    """A diagnosis on an MCE list, with the ages or sex the list allows."""

    code: str
    group: str  # age | sex | manifestation
    category: str  # newborn | pediatric | maternity | adult | female | male | manifestation
    rule: str  # as printed: "Maternity (Ages 9-64)"
    sex: str | None  # F | M
    age_min: int | None
    age_max: int | None
    description: str
    source: str


def releases_in_effect(conn: Connection, system: str, kind: str,
                       date: dt.date | None) -> dict[int, str]:
    """{release id: label} of the release (or the parts of one) to use for a date of service."""
    rows = conn.execute(select(Release.id, Release.label, Release.effective_from)
                        .where(Release.system == system, Release.kind == kind)).all()
    if not rows:
        return {}
    dates = [r.effective_from for r in rows]
    in_effect = [d for d in dates if date is None or d <= date]
    chosen = max(in_effect or dates)
    return {r.id: r.label for r in rows if r.effective_from == chosen}


def _codes(codes: Iterable[str]) -> list[str]:
    return sorted({normalize(c) for c in codes if c and c.strip()})


def _in_effect_on(effective, deletion, date: dt.date):
    # A deletion date is the last date of service the edit applies to (CMS deletes an edit at a
    # quarter's end: 20231231 for edits gone from January 1).
    return and_(or_(effective.is_(None), effective <= date),
                or_(deletion.is_(None), deletion >= date))


def ptp_edits_between(engine: Engine, codes: Iterable[str], setting: str,
                      date: dt.date) -> list[PtpPair]:
    """The PTP edits in effect on a date between any two of the codes billed together."""
    kind = PTP_KINDS[setting]
    wanted = _codes(codes)
    if len(wanted) < 2:
        return []
    with engine.connect() as conn:
        releases = releases_in_effect(conn, NCCI, kind, date)
        if not releases:
            return []
        # Answered from the (release_id, column1, column2) index.
        rows = conn.execute(
            select(PtpEdit.release_id, PtpEdit.column1, PtpEdit.column2,
                   PtpEdit.modifier_indicator, PtpEdit.effective, PtpEdit.deletion,
                   PtpRationale.text)
            .outerjoin(PtpRationale, PtpRationale.id == PtpEdit.rationale_id)
            .where(PtpEdit.release_id.in_(releases), PtpEdit.column1.in_(wanted),
                   PtpEdit.column2.in_(wanted), PtpEdit.column1 != PtpEdit.column2,
                   _in_effect_on(PtpEdit.effective, PtpEdit.deletion, date))
            .order_by(PtpEdit.column1, PtpEdit.column2)).all()
    return [PtpPair(r.column1, r.column2, r.modifier_indicator, r.text, r.effective, r.deletion,
                    releases[r.release_id]) for r in rows]


def mue_limit(engine: Engine, code: str, setting: str, date: dt.date) -> MueValue | None:
    """The MUE for a code in a setting on a date of service, or None when it has none."""
    kind = MUE_KINDS[setting]
    with engine.connect() as conn:
        releases = releases_in_effect(conn, NCCI, kind, date)
        if not releases:
            return None
        row = conn.execute(select(MueLimit.__table__).where(MueLimit.release_id.in_(releases),
                                                            MueLimit.code == normalize(code))
                           .order_by(MueLimit.release_id.desc()).limit(1)).first()
    if row is None:
        return None
    return MueValue(row.code, row.units, row.adjudication, row.adjudication_text, row.rationale,
                    releases[row.release_id])


def addon_primaries(engine: Engine, code: str, date: dt.date) -> list[AddOnPrimary]:
    """The primary codes an add-on code may be billed with on a date; [] if it is no add-on."""
    with engine.connect() as conn:
        releases = releases_in_effect(conn, NCCI, "addon", date)
        if not releases:
            return []
        rows = conn.execute(
            select(AddOnEdit.release_id, AddOnEdit.addon, AddOnEdit.primary_code,
                   AddOnEdit.edit_type)
            .where(AddOnEdit.release_id.in_(releases), AddOnEdit.addon == normalize(code),
                   _in_effect_on(AddOnEdit.effective, AddOnEdit.deletion, date))
            .order_by(AddOnEdit.primary_code)).all()
    return [AddOnPrimary(r.addon, r.primary_code, r.edit_type, releases[r.release_id])
            for r in rows]


def mce_edits_for(engine: Engine, code: str, date: dt.date | None = None) -> list[MceListing]:
    """The MCE lists a diagnosis is on (age, sex, manifestation); newest MCE without a date."""
    with engine.connect() as conn:
        releases = releases_in_effect(conn, MCE, "mce", date)
        if not releases:
            return []
        rows = conn.execute(select(MceEdit.__table__).where(MceEdit.release_id.in_(releases),
                                                            MceEdit.code == normalize(code))
                            .order_by(MceEdit.edit_group, MceEdit.id)).all()
    return [MceListing(r.code, r.edit_group, r.category, r.rule, r.sex, r.age_min, r.age_max,
                       r.description, releases[r.release_id]) for r in rows]


@dataclass(frozen=True)
class PoaExemption:
    """Which of a stay's diagnoses CMS's POA exempt list in effect exempts, and that list."""

    exempt: frozenset[str]  # stored (undotted) codes
    list_label: str


def poa_exempt(engine: Engine, codes: Iterable[str], date: dt.date | None
               ) -> PoaExemption | None:
    """The codes among ``codes`` on the POA exempt list in effect on a discharge date; None
    when no list is loaded (so the caller can say it cannot tell)."""
    wanted = _codes(codes)
    with engine.connect() as conn:
        releases = releases_in_effect(conn, POA, "exempt", date)
        if not releases:
            return None
        found = conn.execute(select(PoaExemptCode.code).where(
            PoaExemptCode.release_id.in_(releases), PoaExemptCode.code.in_(wanted))).scalars()
        return PoaExemption(frozenset(found), next(iter(releases.values())))
