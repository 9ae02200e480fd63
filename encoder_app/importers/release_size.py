"""Whether a file holds enough records to be the release it claims to be.

A cut-off download or an emptied file can still be well-formed: an empty Tabular List is valid
XML, and the first 100 lines of the HCPCS file are a valid CSV. Loading one would hide the real
release behind it for every date it covers, so the runner refuses:

- a file with no records at all (no codes, no edits, no index terms);
- a file with under a tenth of the records of every release of its kind already loaded. Real
  releases of one kind differ by a few percent from year to year; the NCCI tables CMS splits
  into four parts are each about a quarter. A practice's own CPT file may be a short list, so
  CPT is never compared.
"""

from __future__ import annotations

import json
from types import ModuleType

#: Below this share of every loaded release of the same kind, a file is refused.
SMALLEST_SHARE = 0.10
#: Kinds whose files are the user's own lists, which can be any size.
USER_LISTS = {"cpt"}


def main_count(mod: ModuleType, counts: dict[str, int]) -> tuple[str, int]:
    """The count that says how big a release is: the importer's RECORDS, else its first count."""
    key = getattr(mod, "RECORDS", None) or next(iter(counts), "records")
    return key, counts.get(key, 0)


def check(mod: ModuleType, counts: dict[str, int], loaded: list) -> str | None:
    """Why a file with these counts is refused, or None. `loaded` are the Release rows of the
    same system and kind already in the database (any version)."""
    key, found = main_count(mod, counts)
    fmt = getattr(mod, "FORMAT", "release")
    if found == 0:
        return (f"holds no {key} (0 {key} read), so it is not a usable {fmt} file; nothing was "
                f"imported")
    sizes = []
    for release in loaded:
        if release.system in USER_LISTS:
            return None
        size = json.loads(release.counts_json or "{}").get(key, 0)
        if size:
            sizes.append((size, release.label))
    if sizes and all(found < SMALLEST_SHARE * size for size, _ in sizes):
        size, label = min(sizes)
        return (f"holds only {found:,} {key}, where the loaded {label} has {size:,}: the file "
                f"looks cut off or emptied, so it was not imported (a real {fmt} file never "
                f"has under {SMALLEST_SHARE:.0%} of another's {key})")
    return None
