"""Two versions of one encounter merged field by field: the conflict view's third way.

The fields are the audit trail's (store.audited_changes): ``patient.name``,
``date_of_service``, ``diagnoses[2]``, ``diagnoses[2].poa``, ``procedures[1].modifiers``...
The merge starts from the version typed here and takes, for each field named in
``take_theirs``, the other workstation's value. Diagnoses and lines are matched by position,
as the trail and the side-by-side view match them. A line or diagnosis only one version has
is taken whole or left out whole: half a claim line is not a line.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable

_ENTRY = re.compile(r"(diagnoses|procedures)\[(\d+)\](?:\.(\w+))?$")


def _set_path(doc: dict, path: str, source: dict) -> None:
    """doc's value at a dotted path becomes source's (removed where source has none)."""
    *parents, name = path.split(".")
    into, from_ = doc, source
    for key in parents:
        into = into.setdefault(key, {})
        from_ = (from_ or {}).get(key) or {}
    if name in from_:
        into[name] = copy.deepcopy(from_[name])
    else:
        into.pop(name, None)


def _entry(items: list, index: int):
    return copy.deepcopy(items[index]) if index < len(items) else None


def _code_of(entry) -> str:
    return entry.get("code", "") if isinstance(entry, dict) else entry


def _poa_of(entry) -> str | None:
    return entry.get("poa") if isinstance(entry, dict) else None


def _merge_diagnosis(mine, theirs, whole: bool, poa: bool):
    if whole or mine is None or theirs is None:
        return theirs if whole else mine
    if not poa:
        return mine
    merged = dict(mine) if isinstance(mine, dict) else {"code": mine}
    if _poa_of(theirs):
        merged["poa"] = _poa_of(theirs)
    else:
        merged.pop("poa", None)
    return merged if set(merged) != {"code"} else merged["code"]


def merge_documents(theirs: dict, mine: dict, take_theirs: Iterable[str]) -> dict:
    """The encounter JSON ``mine`` with the fields named in ``take_theirs`` as ``theirs``
    has them."""
    merged = copy.deepcopy(mine)
    entries: dict[tuple[str, int], set[str]] = {}
    for field in take_theirs:
        found = _ENTRY.match(field)
        if found:
            kind, number, part = found.groups()
            entries.setdefault((kind, int(number) - 1), set()).add(part or "")
        else:
            _set_path(merged, field, theirs)
    for kind in ("diagnoses", "procedures"):
        ours, other = mine.get(kind) or [], theirs.get(kind) or []
        out = []
        for i in range(max(len(ours), len(other))):
            m, t = _entry(ours, i), _entry(other, i)
            parts = entries.get((kind, i), set())
            if kind == "diagnoses":
                entry = _merge_diagnosis(m, t, "" in parts, "poa" in parts)
            elif not parts:
                entry = m
            elif m is None or t is None:  # a line only one version has: whole or nothing
                entry = t
            else:
                entry = m
                for part in parts:
                    if part in t:
                        entry[part] = t[part]
                    else:
                        entry.pop(part, None)
            if entry is not None:
                out.append(entry)
        merged[kind] = out
    return merged
