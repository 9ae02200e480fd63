"""The search relevance dev set (bench/search_devset.json) is well-formed: no search, no data.

Whether each accepted code is billable and valid is checked against the real codebooks by
`python bench/bench_search.py --check`.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from encoder_app import codes

DEVSET = Path(__file__).resolve().parents[2] / "bench" / "search_devset.json"
KINDS = {"lay", "abbreviation", "typo", "clinical", "procedure", "supply", "code",
         # the queries of issue 16: what a coder types, qualifiers and doses included
         "qualifier", "default", "shorthand", "eponym", "drug-table", "hcpcs-drug",
         "external-cause", "typo-term", "pcs", "long"}
SYSTEMS = {"icd10cm", "icd10pcs", "hcpcs", "cpt"}
SHAPES = {
    "icd10cm": codes.ICD10CM_DOTTED_SHAPE,  # dotted after 3 chars
    "hcpcs": codes.HCPCS_SHAPE,
    "icd10pcs": codes.ICD10PCS_SHAPE,
    "cpt": codes.CPT_SHAPE,
}


def _system_of(code: str) -> str | None:
    return next((s for s, shape in SHAPES.items() if shape.fullmatch(code)), None)


@pytest.fixture(scope="module")
def devset() -> list[dict]:
    with open(DEVSET, encoding="utf-8") as f:
        return json.load(f)


def test_has_at_least_150_queries_of_every_kind(devset):
    assert isinstance(devset, list) and len(devset) >= 150
    kinds = {e["kind"] for e in devset}
    assert kinds == KINDS
    per_kind = {k: sum(e["kind"] == k for e in devset) for k in KINDS}
    assert all(n >= 5 for n in per_kind.values()), per_kind


def test_queries_are_unique_non_empty_strings(devset):
    queries = [e["query"] for e in devset]
    assert all(isinstance(q, str) and q.strip() == q and q for q in queries)
    assert len({q.lower() for q in queries}) == len(queries)


def test_every_entry_has_known_fields_and_values(devset):
    for e in devset:
        assert set(e) <= {"query", "systems", "accepted", "kind", "date"}, e
        assert e["kind"] in KINDS, e
        systems = e["systems"]
        assert systems is None or (isinstance(systems, list) and systems
                                   and set(systems) <= SYSTEMS), e
        if "date" in e:
            dt.date.fromisoformat(e["date"])


def test_accepted_codes_are_shaped_for_their_systems(devset):
    for e in devset:
        accepted = e["accepted"]
        assert isinstance(accepted, list) and accepted, e
        assert len(set(accepted)) == len(accepted), e
        for code in accepted:
            system = _system_of(code)
            assert system is not None, f"{e['query']!r}: {code!r} is not a code as written"
            if e["systems"] is not None:
                assert system in e["systems"], f"{e['query']!r}: {code} is {system}"


def test_icd10cm_codes_are_written_with_the_dot(devset):
    cm = [c for e in devset for c in e["accepted"] if _system_of(c) == "icd10cm"]
    assert cm and all(len(c) == 3 or c[3] == "." for c in cm)
