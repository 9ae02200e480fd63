"""Building an ICD-10-PCS code character by character, as a coder reads the PCS Tables.

Characters 1-3 (section, body system, root operation) pick a table; each table row then lists
the values allowed for characters 4-7 (body part, approach, device, qualifier), and only the
combinations within one row are codes. So the values offered for a character are those of the
rows that still hold every value already chosen: choosing body part J (appendix) under 0DT
leaves only the approaches that row allows. Each value carries its PCS definition where the
Definitions file gives one: the root operation's and approach's meaning, the Body Part Key's
"includes" (Vermiform appendix), the Device Key's brand names. Entering a whole code fills the
characters back in, so the same steps explain a code.

Read from the tables release in effect on the date (else the newest, with its caveat), as the
rest of the codebook is.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from sqlalchemy import Engine, select

from encoder_app.codebook.models import Code, Release
from encoder_app.codebook.reference_models import PcsDefinition
from encoder_app.codebook.releases import code_timeline, in_effect
from encoder_app.codes import ICD10PCS, normalize
from encoder_app.errors import NoRelease, UnknownCode

#: Characters 1-3 come from the heading tree; their titles in the Medical and Surgical section.
HEADING_LEVELS = {1: "section", 2: "body_system", 3: "table"}
FIRST_TITLES = {1: "Section", 2: "Body System", 3: "Operation"}


@dataclass(frozen=True)
class PcsValue:
    """One value a character may take: "J" Appendix, with what the Definitions say of it."""

    value: str
    label: str
    definition: str = ""  # a root operation's or approach's definition
    explanation: str = ""
    includes: str = ""  # Body Part Key / Device Key: what the value covers ("Vermiform appendix")


@dataclass(frozen=True)
class PcsStep:
    """The choice of one character: its position (1-7), the axis title, the values allowed."""

    position: int
    title: str
    values: list[PcsValue]

    def value(self, char: str) -> PcsValue | None:
        return next((v for v in self.values if v.value == char.upper()), None)


@dataclass(frozen=True)
class PcsChosen:
    """A character already chosen, as the builder shows it back."""

    position: int
    title: str
    value: PcsValue


@dataclass
class PcsBuild:
    """Where a build stands: the characters chosen, the next choice (None once all 7 are)."""

    chosen: list[PcsChosen] = field(default_factory=list)
    next: PcsStep | None = None

    @property
    def code(self) -> str:
        return "".join(c.value.value for c in self.chosen)

    @property
    def complete(self) -> bool:
        return len(self.chosen) == 7


class PcsBuilder:
    """The PCS Tables of one release, read once, answering each step from memory."""

    def __init__(self, engine: Engine, date: dt.date | None = None):
        self.engine = engine
        with engine.connect() as conn:
            effect = in_effect(code_timeline(conn, ICD10PCS), date or dt.date.today())
            if effect is None:
                raise NoRelease("no ICD-10-PCS release is loaded; import the PCS Tables CMS "
                                "publishes with `encoder-app import FILE`")
            self.release = effect.release.label
            self._release_id = effect.release.id
            self.caveat = effect.caveat or ""
            rows = conn.execute(select(Code.code, Code.title, Code.level, Code.extra_json).where(
                Code.release_id == effect.release.id,
                Code.level.in_(list(HEADING_LEVELS.values())))).all()
            definitions = conn.execute(select(
                PcsDefinition.section, PcsDefinition.axis_pos, PcsDefinition.term,
                PcsDefinition.definition, PcsDefinition.explanation, PcsDefinition.includes,
            ).where(PcsDefinition.release_id == _definitions_release(conn, effect.release))).all()
        self._titles = {(r.level, r.code): r.title for r in rows}
        self._tables = {r.code: json.loads(r.extra_json or "{}") for r in rows
                        if r.level == "table"}
        self._definitions = {(d.section, d.axis_pos, d.term.casefold()): d for d in definitions}

    # -- one step ------------------------------------------------------------------------------
    def step(self, prefix: str) -> PcsStep:
        """The values the next character may take after ``prefix`` (0 to 6 characters)."""
        prefix = normalize(prefix)
        position = len(prefix) + 1
        if position > 7:
            raise ValueError("a PCS code has 7 characters")
        if position <= 3:
            level = HEADING_LEVELS[position]
            values = [self._value(prefix[:1] or code[:1], position, code[-1], title,
                                  self._tables.get(code, {}).get("definition", ""))
                      for (lvl, code), title in self._titles.items()
                      if lvl == level and code.startswith(prefix) and len(code) == position]
            title = self._axis_title(prefix, position)
            return PcsStep(position, title, sorted(values, key=lambda v: _order(v.value)))
        table = self._tables.get(prefix[:3])
        if table is None:
            raise UnknownCode(f"{prefix[:3]} is not an ICD-10-PCS table in {self.release}")
        seen: dict[str, PcsValue] = {}
        title = ""
        for row in table.get("rows", []):
            if not all(any(v == prefix[p - 1] for v, _ in row.get(str(p), {}).get("values", []))
                       for p in range(4, position)):
                continue  # a row that does not hold a value already chosen
            axis = row.get(str(position), {})
            title = title or axis.get("title", "")
            for value, label in axis.get("values", []):
                seen.setdefault(value, self._value(prefix[0], position, value, label))
        if not seen:
            raise UnknownCode(f"no row of table {prefix[:3]} holds {prefix}")
        return PcsStep(position, title, sorted(seen.values(), key=lambda v: _order(v.value)))

    # -- a whole build -------------------------------------------------------------------------
    def build(self, typed: str) -> PcsBuild:
        """The build after typing ``typed``: each character checked against its step, so a
        whole code fills every column back in and a wrong character is named with the values
        that would do."""
        typed = normalize(typed)
        build = PcsBuild()
        for i, char in enumerate(typed[:7]):
            step = self.step(typed[:i])
            value = step.value(char)
            if value is None:
                allowed = ", ".join(v.value for v in step.values)
                raise UnknownCode(f"{typed[:i + 1]}: {char} is not an allowed "
                                  f"{step.title.lower()} after {typed[:i] or 'the start'} in "
                                  f"{self.release} (allowed: {allowed})")
            build.chosen.append(PcsChosen(step.position, step.title, value))
        build.next = None if len(typed) >= 7 else self.step(typed)
        return build

    def title(self, code: str) -> str:
        """The title of a complete code as the importer words it from the table's labels
        ("Resection Appendix, Percutaneous Endoscopic Approach")."""
        with self.engine.connect() as conn:
            found = conn.execute(select(Code.title).where(
                Code.release_id == self._release_id, Code.code == normalize(code),
                Code.level == "code")).scalar()
        if found is None:
            raise UnknownCode(f"{code} is not an ICD-10-PCS code in {self.release}")
        return found

    # -- helpers -------------------------------------------------------------------------------
    def _axis_title(self, prefix: str, position: int) -> str:
        if position == 3 and prefix[:1] != "0":
            # Outside Medical and Surgical the third character is named per section
            # ("Type" in Imaging): the tables say so.
            table = next((t for c, t in self._tables.items() if c.startswith(prefix)), None)
            if table:
                return table.get("axes", {}).get("3", {}).get("title", FIRST_TITLES[3])
        return FIRST_TITLES[position]

    def _value(self, section: str, position: int, value: str, label: str,
               definition: str = "") -> PcsValue:
        found = self._definitions.get((section, position, label.casefold()))
        if found is None:
            return PcsValue(value, label, definition)
        return PcsValue(value, label, found.definition or definition, found.explanation or "",
                        found.includes or "")


def _definitions_release(conn, release) -> int | None:
    """The Definitions file loaded beside the tables (same fiscal year), else the newest."""
    candidates = conn.execute(select(Release.id, Release.version).where(
        Release.system == ICD10PCS, Release.kind == "definitions")
        .order_by(Release.effective_from)).all()
    same_year = [c.id for c in candidates if c.version == release.version]
    return (same_year or [c.id for c in candidates] or [None])[-1]


def _order(value: str) -> tuple[int, str]:
    """PCS values sort digits first, then letters, as the tables print them."""
    return (0 if value.isdigit() else 1, value)
