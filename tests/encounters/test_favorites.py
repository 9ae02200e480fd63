"""Favorite codes: starred per user, idempotent, listed newest first with current titles."""

import dataclasses
import datetime as dt
import itertools

import pytest
from sqlalchemy import insert

from encoder_app.codebook.models import Code, Release
from encoder_app.encounters import favorites
from encoder_app.encounters.favorites import (
    FavoriteCode,
    add_favorite,
    favorite_keys,
    is_favorite,
    list_favorites,
    remove_favorite,
)
from encoder_app.errors import EncoderError


@pytest.fixture
def clock(monkeypatch):
    ticks = (dt.datetime(2026, 5, 1, 9, 0) + dt.timedelta(minutes=i) for i in itertools.count())
    monkeypatch.setattr(favorites, "_now", lambda: next(ticks))


def test_favorites_are_listed_newest_first_with_dotted_codes_and_titles(fy2026_engine, clock):
    engine = fy2026_engine
    assert add_favorite(engine, "icd10cm", "E11.9") is True
    assert add_favorite(engine, "icd10cm", "i10") is True
    assert add_favorite(engine, "icd10cm", "S72001A") is True
    assert list_favorites(engine) == [
        FavoriteCode("icd10cm", "S72.001A", "Fracture of unspecified part of neck of right "
                     "femur, initial encounter for closed fracture", dt.datetime(2026, 5, 1, 9, 2)),
        FavoriteCode("icd10cm", "I10", "Essential (primary) hypertension",
                     dt.datetime(2026, 5, 1, 9, 1)),
        FavoriteCode("icd10cm", "E11.9", "Type 2 diabetes mellitus without complications",
                     dt.datetime(2026, 5, 1, 9, 0)),
    ]


def test_a_heading_sharing_a_codes_name_does_not_lend_its_title(fy2026_engine):
    add_favorite(fy2026_engine, "icd10cm", "B20")  # block B20 holds category B20
    assert list_favorites(fy2026_engine)[0].title == "Human immunodeficiency virus [HIV] disease"


def test_adding_twice_is_idempotent_per_user(engine, clock):
    assert add_favorite(engine, "icd10cm", "E11.65") is True
    assert add_favorite(engine, "icd10cm", "E1165") is False  # same code, written otherwise
    assert add_favorite(engine, "icd10cm", "e11.65 ", user="lee") is True  # another user
    assert [f.code for f in list_favorites(engine)] == ["E11.65"]
    assert [f.code for f in list_favorites(engine, user="lee")] == ["E11.65"]
    assert list_favorites(engine)[0].added_at == dt.datetime(2026, 5, 1, 9, 0)  # kept
    assert list_favorites(engine, user="nobody") == []


def test_the_same_code_in_two_systems_is_two_favorites(engine):
    assert add_favorite(engine, "hcpcs", "J1100")
    assert add_favorite(engine, "cpt", "J1100")
    assert {(f.system, f.code) for f in list_favorites(engine)} == {
        ("hcpcs", "J1100"), ("cpt", "J1100")}
    assert favorite_keys(engine) == {("hcpcs", "J1100"), ("cpt", "J1100")}


def test_remove_and_is_favorite(engine):
    add_favorite(engine, "icd10cm", "E11.9")
    add_favorite(engine, "icd10cm", "E11.9", user="lee")
    assert is_favorite(engine, "icd10cm", "E119")
    assert not is_favorite(engine, "icd10cm", "I10")
    assert remove_favorite(engine, "icd10cm", "e11.9") is True
    assert remove_favorite(engine, "icd10cm", "E11.9") is False  # already gone
    assert not is_favorite(engine, "icd10cm", "E11.9")
    assert is_favorite(engine, "icd10cm", "E11.9", user="lee")  # lee's star stays


def test_blank_codes_are_refused(engine):
    with pytest.raises(EncoderError, match="needs a code system and a code"):
        add_favorite(engine, "icd10cm", " . ")


def _release(conn, version: str, start: dt.date) -> int:
    return conn.execute(insert(Release).values(
        system="icd10cm", kind="tabular", version=version, label=f"ICD-10-CM {version}",
        effective_from=start, source_file="test", sha256="0" * 64,
        imported_at=dt.datetime(2026, 1, 1))).inserted_primary_key[0]


def test_the_title_comes_from_the_newest_release_that_has_the_code(engine):
    with engine.begin() as conn:
        old = _release(conn, "FY2025", dt.date(2024, 10, 1))
        new = _release(conn, "FY2026", dt.date(2025, 10, 1))
        conn.execute(insert(Code), [
            {"release_id": old, "system": "icd10cm", "code": "E119", "level": "code",
             "title": "Old wording"},
            {"release_id": new, "system": "icd10cm", "code": "E119", "level": "code",
             "title": "New wording"},
            {"release_id": old, "system": "icd10cm", "code": "X999", "level": "code",
             "title": "Deleted since FY2025"},
        ])
    for code in ("E11.9", "X99.9", "Q99.99"):
        add_favorite(engine, "icd10cm", code)
    titles = {f.code: f.title for f in list_favorites(engine)}
    assert titles == {"E11.9": "New wording", "X99.9": "Deleted since FY2025", "Q99.99": None}


def test_listed_favorites_are_plain_frozen_objects(engine):
    add_favorite(engine, "icd10cm", "I10")
    found = list_favorites(engine)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        found.code = "I11"  # type: ignore[misc]
