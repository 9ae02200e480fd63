"""The list of formats the import command understands, in the order they are sniffed."""

from __future__ import annotations

import importlib
from types import ModuleType

from encoder_app.importers.base import SourceFile

# Module names under encoder_app.importers. More specific sniffers come first.
IMPORTER_MODULES = [
    "icd10cm_tabular",
    "icd10cm_index",  # Alphabetic Index, External Cause Index, Neoplasm and Drug tables
    "icd10pcs_tables",
    "icd10pcs_index",
    "icd10pcs_definitions",
    "hcpcs",
    "hcpcs_modifiers",
    "place_of_service",
    "gems",
    "mce",
    "poa_exempt",
    "ncci_ptp",
    "ncci_mue",
    "ncci_addon",
    "cpt",  # last: a user's CPT file is the loosest CSV shape
]

#: What an open-file dialog offers: the extensions of every format above.
RELEASE_FILE_PATTERNS = "*.xml *.csv *.txt *.xlsx *.zip *.gz"

# Files that travel with releases but hold no codes; named so the user sees why they were skipped.
NOT_RELEASE_SUFFIXES = {
    ".xsd": "an XML schema, not a release file",
    ".pdf": "a PDF document, not a release file",
    ".txt.md5": "a checksum file",
}


def importers() -> list[ModuleType]:
    mods = []
    for name in IMPORTER_MODULES:
        try:
            mods.append(importlib.import_module(f"encoder_app.importers.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"encoder_app.importers.{name}":
                raise
    return mods


def importer_for(source: SourceFile) -> ModuleType | None:
    for mod in importers():
        if mod.sniff(source):
            return mod
    return None


def not_a_release(source: SourceFile) -> str | None:
    """Why a file is skipped rather than failed (a schema or a document beside the data)."""
    lower = source.name.lower()
    if source.head[:4] == b"PK\x03\x04" and lower.endswith(".zip"):
        # Not opened: each level would multiply what a zip bomb can unpack.
        return "a zip inside a zip; unzip it and import the files inside"
    for suffix, why in NOT_RELEASE_SUFFIXES.items():
        if lower.endswith(suffix):
            return why
    from encoder_app.importers.poa_exempt import is_change_list

    if is_change_list(source):
        return ("a list of changes to the POA exempt codes, not the list; import "
                "POAexemptCodes... from the same zip")
    return None
