"""The built-in exercise sets, checked against the codebook as a student would meet them: at
least 100 cases, every key and optional code billable on its case's date, every rationale with
its index path (found in that book, in that column), its tabular codes and its guideline."""

from __future__ import annotations

import json

import pytest

from encoder_app.codes import HCPCS
from encoder_app.study.code_facts import CodebookFacts
from encoder_app.study.sets import all_sets, builtin_sets
from encoder_app.study.validate import index_problems, key_problems

pytestmark = pytest.mark.shared_data
#: What the issue asks the built-in sets to cover, by set name.
EXPECTED = {"diabetes", "hypertension", "injuries", "pregnancy", "neoplasms", "poisoning",
            "z-codes", "hcpcs"}


def test_at_least_100_cases_across_the_chapters_named():
    sets = builtin_sets()
    assert {s.name for s in sets} >= EXPECTED
    assert sum(len(s.cases) for s in sets) >= 100
    ids = [c.id for s in sets for c in s.cases]
    assert len(ids) == len(set(ids))  # an attempt names its case unambiguously


def test_every_key_code_is_billable_on_its_date(study_engine_shared):
    facts = CodebookFacts(study_engine_shared)
    problems = [str(p) for s in builtin_sets() for p in key_problems(study_engine_shared, s, facts)]
    assert problems == []


def test_every_rationale_teaches_index_tabular_and_guideline():
    for s in builtin_sets():
        for case in s.cases:
            r = case.rationale
            assert len(r.text) >= 80, case.id
            assert r.tabular and r.guideline, case.id
            hcpcs_only = all(HCPCS in k.systems[:1] for k in case.answer.codes)
            assert r.index or hcpcs_only, case.id


def test_every_index_path_is_in_its_book(study_engine_shared):
    missing = [str(p) for s in builtin_sets() for p in index_problems(study_engine_shared, s)]
    assert missing == []


def test_sets_json_lists_name_title_and_cases(study_engine_shared, capsys):
    listed = {s.name: s.to_json() for s in all_sets(study_engine_shared)}
    for s in builtin_sets():
        assert listed[s.name] == {"name": s.name, "title": s.title, "cases": len(s.cases),
                                  "origin": "built-in"}
    assert json.dumps(list(listed.values()))  # JSON-ready as `study sets --json` prints it
