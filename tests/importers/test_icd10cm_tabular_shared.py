"""The real Tabular Lists: FY2026 from simple-icd-10-cm and FY2025 from ../shared/codebooks."""

import datetime as dt

import pytest
from sqlalchemy import select

from encoder_app.codebook.lookup import code_detail
from encoder_app.codebook.models import Code
from encoder_app.importers import import_paths


def test_fy2026_billable_codes_equal_the_leaves_of_simple_icd_10_cm(fy2026_engine):
    """simple-icd-10-cm 1.5.0 lists 74,736 leaves: 74,719 codes, plus 12 empty chapter
    sub-headings (e.g. C00-C75) and 5 blocks named like their only category (B20, F99, P84,
    R99, Z66), which are not codes. The codes must match ours exactly."""
    import simple_icd_10_cm as cm

    leaves = [c for c in cm.get_all_codes(with_dots=False) if cm.is_leaf(c)]
    assert len(leaves) == 74_736
    expected = {c for c in leaves if cm.is_category_or_subcategory(c)}
    with fy2026_engine.connect() as conn:
        ours = set(conn.execute(select(Code.code).where(Code.billable.is_(True))).scalars())
    assert len(expected) == 74_719
    assert ours == expected


@pytest.mark.shared_data
def test_fy2025_and_fy2026_live_side_by_side(fy2026_engine, shared_codebooks):
    import_paths([shared_codebooks / "icd10cm-2025" / "icd10cm_tabular_2025.xml"], fy2026_engine)
    june_2025, may_2026 = dt.date(2025, 6, 1), dt.date(2026, 5, 1)
    assert not code_detail(fy2026_engine, "E11.A", date_of_service=june_2025).valid
    assert code_detail(fy2026_engine, "E11.A", date_of_service=may_2026).valid
    g35_2025 = code_detail(fy2026_engine, "G35", date_of_service=june_2025)
    g35_2026 = code_detail(fy2026_engine, "G35", date_of_service=may_2026)
    assert g35_2025.billable and g35_2025.valid
    assert not g35_2026.billable and not g35_2026.valid
    assert "header" in g35_2026.validity
