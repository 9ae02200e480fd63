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

from encoder_app.errors import EncoderError

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
    """The code (and its own fields) from theirs when ``whole``, the POA indicator from theirs
    when ``poa``: each as its own row of the conflict view says."""
    if mine is None or theirs is None:  # only one version has a diagnosis here
        return theirs if whole else mine
    base, indicator = (theirs if whole else mine), _poa_of(theirs if poa else mine)
    merged = dict(base) if isinstance(base, dict) else {"code": base}
    if indicator:
        merged["poa"] = indicator
    else:
        merged.pop("poa", None)
    return merged if set(merged) != {"code"} else merged["code"]


class MergeError(EncoderError):
    """A choice of fields that would make a claim no one typed (nothing was merged)."""


#: Fields the audit trail does not follow but a merge must not drop silently: the visit's
#: other fields, compared and offered in the conflict view too.
OTHER_FIELDS = ("provider.name", "provider.npi", "place_of_service", "setting", "payer",
                "amount_paid")


def _value(doc: dict, path: str):
    for key in path.split("."):
        doc = doc.get(key) if isinstance(doc, dict) else None
    return doc


def _text(value) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


def differences(theirs: dict, mine: dict) -> list[tuple[str, str | None, str | None]]:
    """(field, theirs, mine) for every field the two versions disagree on: the audited ones
    (store.audited_changes: patient, dates, codes, lines) and the visit's other fields."""
    from encoder_app.encounters.snapshot import parse_encounter
    from encoder_app.encounters.store import audited_changes

    found = list(audited_changes(parse_encounter(theirs, "theirs"),
                                 parse_encounter(mine, "yours")))
    for path in OTHER_FIELDS:
        if _text(_value(theirs, path)) != _text(_value(mine, path)):
            found.append((path, _text(_value(theirs, path)), _text(_value(mine, path))))
    return found


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
        out, removed = [], None
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
            elif removed is None:
                removed = i
        if kind == "diagnoses" and removed is not None and len(out) > removed:
            # Closing the gap would move every later diagnosis up, and each line's pointers
            # would point at another diagnosis than was typed.
            raise MergeError(
                f"diagnoses[{removed + 1}]: taking theirs removes a diagnosis that others "
                f"follow, so the lines' diagnosis pointers would point at other diagnoses; "
                f"take theirs for the diagnoses after it too, or keep yours")
        merged[kind] = out
    return merged
