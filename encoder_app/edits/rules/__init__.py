"""The rule modules; importing this package registers every rule."""

import importlib

# One module per family of edits. A module not written yet is skipped, not an error.
MODULES = ["validity", "conventions", "age_sex", "ncci", "lines", "claim"]

for _name in MODULES:
    try:
        importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as _exc:
        if _exc.name != f"{__name__}.{_name}":
            raise
