"""What the rules may ask of the codebooks for one date of service, answered from caches so a
check can run on every keystroke: a GUI re-checks the same codes again and again."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Iterable

from sqlalchemy import Engine, func, select

from encoder_app.codebook import edit_tables
from encoder_app.codebook.lookup import CodeDetail, code_detail
from encoder_app.codebook.models import Release
from encoder_app.codebook.releases import code_timeline
from encoder_app.codes import normalize
from encoder_app.errors import NoRelease, UnknownCode

_CACHE_SIZE = 20000
_cache: OrderedDict[tuple, object] = OrderedDict()
_MISSING = object()


def _cached(key: tuple, compute: Callable[[], object]):
    value = _cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        _cache[key] = value
        if len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    else:
        _cache.move_to_end(key)
    return value


class CodebookView:
    """The codebooks as of one date of service. Answers are cached per database generation
    (any import changes it), so a stale answer is never given after an import."""

    def __init__(self, engine: Engine, date_of_service: dt.date | None):
        self.engine = engine
        self.date = date_of_service or dt.date.today()
        with engine.connect() as conn:
            generation = tuple(conn.execute(select(func.count(Release.id), func.max(Release.id)))
                               .one())
        self._key = (str(engine.url), generation, self.date)
        self._stored: dict[tuple[str, ...], list[str]] = {}

    def detail(self, code: str, system: str = "icd10cm") -> CodeDetail | None:
        """The code as of the date of service, or None when no loaded release knows it."""
        def compute():
            try:
                return code_detail(self.engine, code, system, self.date)
            except (UnknownCode, NoRelease):
                return None
        return _cached((*self._key, "detail", system, normalize(code)), compute)

    def known(self, code: str, system: str) -> bool:
        return self.detail(code, system) is not None

    def stored_diagnoses(self, diagnoses: tuple[str, ...]) -> list[str]:
        """The claim's diagnoses in the stored form, '' for a code no release knows; worked
        out once per check, though every guideline rule asks."""
        found = self._stored.get(diagnoses)
        if found is None:
            found = self._stored[diagnoses] = [normalize(c) if self.known(c, "icd10cm") else ""
                                               for c in diagnoses]
        return list(found)

    def has_codes(self, system: str) -> bool:
        """Whether any release of a code system is loaded (CPT is only there if imported)."""
        def compute():
            with self.engine.connect() as conn:
                return bool(code_timeline(conn, system))
        return _cached((*self._key, "has", system), compute)

    def ptp_pairs(self, codes: Iterable[str], setting: str) -> list[edit_tables.PtpPair]:
        key = tuple(sorted({normalize(c) for c in codes}))
        return _cached((*self._key, "ptp", setting, key), lambda: edit_tables.ptp_edits_between(
            self.engine, key, setting, self.date))

    def mue(self, code: str, setting: str) -> edit_tables.MueValue | None:
        return _cached((*self._key, "mue", setting, normalize(code)),
                       lambda: edit_tables.mue_limit(self.engine, code, setting, self.date))

    def addon_primaries(self, code: str) -> list[edit_tables.AddOnPrimary]:
        return _cached((*self._key, "aoc", normalize(code)),
                       lambda: edit_tables.addon_primaries(self.engine, code, self.date))

    def mce(self, code: str) -> list[edit_tables.MceListing]:
        return _cached((*self._key, "mce", normalize(code)),
                       lambda: edit_tables.mce_edits_for(self.engine, code, self.date))

    def poa_exempt(self, codes: Iterable[str]) -> edit_tables.PoaExemption | None:
        key = tuple(sorted({normalize(c) for c in codes}))
        return _cached((*self._key, "poa_exempt", key),
                       lambda: edit_tables.poa_exempt(self.engine, key, self.date))

    def newest_release(self, system: str, kind_prefix: str) -> Release | None:
        """The newest loaded release of a kind (NCCI quarters), to warn when it is out of date."""
        def compute():
            with self.engine.connect() as conn:
                return conn.execute(select(Release.label, Release.effective_from, Release.kind)
                                    .where(Release.system == system,
                                           Release.kind.startswith(kind_prefix))
                                    .order_by(Release.effective_from.desc()).limit(1)).first()
        return _cached((*self._key, "newest", system, kind_prefix), compute)
