"""The guideline tables themselves: every code they name is a FY2026 code, the diabetes "with"
rows are what the real Alphabetic Index says, and a damaged table is named with its key."""

import datetime as dt

import pytest

from encoder_app.codebook.lookup import code_detail
from encoder_app.codes import normalize
from encoder_app.edits.guidelines import (
    FAMILIES,
    GuidelineTable,
    GuidelineTableError,
    table,
)
from encoder_app.importers import import_paths

DAY = dt.date(2026, 5, 1)


def _named_codes():
    """(family, where, code as written) for every code and range end a table names."""
    for family in FAMILIES:
        t = table(family)
        for key, value in t.data.get("sets", {}).items():
            items = value["codes"] + value.get("except", []) if isinstance(value, dict) else value
            for item in items:
                for end in item.split("-"):
                    yield family, f"sets.{key}", end
        for key in ("combination", "requires", "unspecified", "secondary_only", "once"):
            for i, row in enumerate(t.data.get(key, [])):
                for field in ("code", "codes", "unspecified", "redundant_with", "condition"):
                    value = row.get(field)
                    for item in [value] if isinstance(value, str) else value or []:
                        for end in item.split("-"):
                            yield family, f"{key}[{i + 1}].{field}", end
        for i, row in enumerate(t.data.get("with", [])):
            yield family, f"with[{i + 1}].suffix", "E11." + row["suffix"]


def test_every_code_a_table_names_is_in_the_fy2026_tabular(fy2026_engine):
    unknown = []
    for family, where, code in _named_codes():
        try:
            code_detail(fy2026_engine, code, "icd10cm", DAY)
        except Exception as exc:  # UnknownCode
            unknown.append(f"{family}.toml {where}: {code} ({exc})")
    assert not unknown, unknown


def test_combination_and_replacement_codes_are_billable(fy2026_engine):
    targets = [r["code"] for r in table("hypertension").rows("combination")]
    targets += [f"{c}.{r['suffix']}" for r in table("diabetes").rows("with")
                for c in ("E08", "E09", "E10", "E11", "E13")]
    not_billable = [c for c in targets if not code_detail(fy2026_engine, c, "icd10cm", DAY).valid]
    assert not not_billable, not_billable


def test_every_family_cites_its_sections():
    for family in FAMILIES:
        sections = table(family).data["sections"]
        assert sections and all(s.startswith("I.") for s in sections.values()), family


@pytest.mark.shared_data
def test_diabetes_with_rows_follow_the_alphabetic_index(fy2026_engine, shared_codebooks):
    """Each row's combination code is the one the FY2025 Index gives under Diabetes, type 2,
    with, <term>."""
    from encoder_app.codebook.index_lookup import look_up_index

    import_paths([shared_codebooks / "icd10cm-2025" / "icd10cm_index_2025.xml"], fy2026_engine)
    entries = look_up_index(fy2026_engine, "diabetes type 2 with", limit=None,
                            date=dt.date(2025, 5, 1))
    under_with = {e.path[-1]: e.code for e in entries
                  if e.path[:3] == ("Diabetes, diabetic", "type 2", "with") and len(e.path) == 4}
    assert len(under_with) > 30, sorted(under_with)
    for row in table("diabetes").rows("with", "index_term", "suffix"):
        assert normalize(under_with[row["index_term"]]) == "E11" + row["suffix"], row


def test_a_damaged_table_names_the_file_and_key():
    broken = GuidelineTable("hypertension.toml", {"sets": {"ckd": "N18"}, "combination": [{}]})
    with pytest.raises(GuidelineTableError, match=r"hypertension.toml: sets.ckd: must be a list"):
        broken.codes("ckd")
    with pytest.raises(GuidelineTableError, match=r"sets.heart_failure: missing"):
        broken.codes("heart_failure")
    with pytest.raises(GuidelineTableError, match=r"combination\[1\]: missing heart, code"):
        broken.rows("combination", "heart", "code")
