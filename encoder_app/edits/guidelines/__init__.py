"""The ICD-10-CM Official Guidelines as data: one TOML table per family of rules (hypertension,
diabetes, CKD, external causes, Z codes, pregnancy and newborn, sepsis), read once.

A table names code sets ("heart_disease" = I50, I51.4-I51.7, I51.89, I51.9), rows (combination
codes, codes a guideline requires alongside another) and the guideline section each rule
enforces. The rules in `encoder_app/edits/rules/` hold only the logic; a coding lead can read
and correct a table without reading Python."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from encoder_app.edits.code_sets import CodeSet
from encoder_app.errors import LocatedError

#: The edition the tables follow; every guideline finding cites it with its section.
EDITION = "ICD-10-CM Official Guidelines FY2026"

#: Every family, in the order the README lists them.
FAMILIES = ("hypertension", "diabetes", "kidney", "external_causes", "z_codes",
            "pregnancy_newborn", "sepsis")


class GuidelineTableError(LocatedError):
    """A guideline table is missing a key or holds a value of the wrong shape."""


def cite(section: str) -> str:
    """'I.C.9.a.2' -> 'ICD-10-CM Official Guidelines FY2026, I.C.9.a.2'."""
    return f"{EDITION}, {section}"


@dataclass(frozen=True)
class GuidelineTable:
    name: str  # file name, for errors
    data: dict[str, Any]

    def _get(self, path: str) -> Any:
        value: Any = self.data
        for part in path.split("."):
            if not isinstance(value, dict) or part not in value:
                raise GuidelineTableError(self.name, path, "missing")
            value = value[part]
        return value

    def codes(self, key: str) -> CodeSet:
        """The code set `sets.<key>`: a list of codes and ranges, or {codes, except}."""
        value = self._get(f"sets.{key}")
        if isinstance(value, dict):
            items, excepted = value.get("codes"), value.get("except", [])
        else:
            items, excepted = value, []
        if not _strings(items) or not _strings(excepted, empty=True):
            raise GuidelineTableError(self.name, f"sets.{key}", "must be a list of codes")
        return CodeSet.of(items, excepted)

    def section(self, key: str) -> str:
        """The guideline section `sections.<key>`, cited: 'ICD-10-CM Official ... I.C.9.a.2'."""
        value = self._get(f"sections.{key}")
        if not isinstance(value, str):
            raise GuidelineTableError(self.name, f"sections.{key}", "must be text")
        return cite(value)

    def rows(self, key: str, *fields: str) -> list[dict[str, Any]]:
        """The array of tables `[[key]]`, each checked for the fields named."""
        value = self._get(key)
        if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
            raise GuidelineTableError(self.name, key, "must be an array of tables")
        for i, row in enumerate(value):
            missing = [f for f in fields if f not in row]
            if missing:
                raise GuidelineTableError(self.name, f"{key}[{i + 1}]",
                                          f"missing {', '.join(missing)}")
        return value

    def value(self, key: str) -> Any:
        return self._get(key)


def _strings(value: Any, empty: bool = False) -> bool:
    return isinstance(value, list) and (empty or bool(value)) and all(
        isinstance(v, str) and v.strip() for v in value)


@cache
def table(family: str) -> GuidelineTable:
    """The parsed table of one family (`<family>.toml` beside this module)."""
    name = f"{family}.toml"
    try:
        text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GuidelineTableError(name, None, "the guideline table is not installed") from None
    try:
        return GuidelineTable(name, tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise GuidelineTableError(name, None, str(exc)) from None
