"""GEM lookups: where an ICD-10-CM code maps in ICD-9-CM and back, from the newest GEM release."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select

from encoder_app.codebook.crosswalk_models import GemMapping
from encoder_app.codebook.models import Release
from encoder_app.codes import normalize
from encoder_app.errors import NoRelease

DIRECTIONS = {"10to9": "ICD-10-CM to ICD-9-CM", "9to10": "ICD-9-CM to ICD-10-CM"}


@dataclass(frozen=True)
class GemTarget:
    """One GEM entry for a source code, as a coder reads it in the crosswalk."""

    source: str
    target: str | None  # None when the GEM says there is no equivalent (NoDx)
    approximate: bool
    no_map: bool
    combination: bool  # several targets together express the source (same scenario)
    scenario: int
    choice_list: int
    release_label: str


def gem_targets(engine: Engine, code: str, direction: str) -> list[GemTarget]:
    """The GEM entries for a code ("E11.9" or "E119"), in scenario and choice-list order.

    Answers from the newest loaded GEM release of that direction (GEMs are final since 2018,
    so there is no date of service to pick by). An empty list means the code is not in the GEM.
    Raises NoRelease when no GEM of that direction is loaded.
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
    with engine.connect() as conn:
        release = conn.execute(
            select(Release.id, Release.label).where(Release.system == "gem",
                                                    Release.kind == f"gem_{direction}")
            .order_by(Release.effective_from.desc(), Release.id.desc())).first()
        if release is None:
            raise NoRelease(f"no {DIRECTIONS[direction]} GEMs are loaded; import the CMS GEM file")
        rows = conn.execute(
            select(GemMapping).where(GemMapping.release_id == release.id,
                                     GemMapping.source == normalize(code))
            .order_by(GemMapping.scenario, GemMapping.choice_list, GemMapping.id)).all()
    return [GemTarget(r.source, r.target, r.approximate, r.no_map, r.combination, r.scenario,
                      r.choice_list, release.label) for r in rows]
