"""Present-on-admission indicators on an inpatient stay, against CMS's POA exempt list.

Medicare inpatient claims carry a POA indicator on each diagnosis (UB-04 FL 67): Y, N, U or W.
A code on CMS's list of codes exempt from POA reporting gets none: the Official Guidelines'
Appendix I says to leave the field blank ("1", the UB-04's old exempt value, is still read
here as exempt). With that list imported (`encoder-app import POAexemptCodes....txt`) the rule
says exactly which diagnosis needs an indicator; without it, it asks for one on every diagnosis
left blank and says that exempt codes cannot be told apart.
"""

from __future__ import annotations

from collections.abc import Iterator

from encoder_app.codes import normalize
from encoder_app.edits.finding import Finding
from encoder_app.edits.guidelines import cite
from encoder_app.edits.registry import rule
from encoder_app.edits.view import CodebookView
from encoder_app.encounters.snapshot import EncounterSnapshot

SOURCE = cite("Appendix I (present on admission reporting)")
NO_LIST = "no POA exempt list is imported to tell (CMS's POAexemptCodes file)"


@rule("poa", "warning", SOURCE)
def present_on_admission(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    if encounter.setting != "inpatient" or not encounter.diagnoses:
        return
    exemption = view.poa_exempt(encounter.diagnoses)
    stored = view.stored_diagnoses(tuple(encounter.diagnoses))
    for i, code in enumerate(encounter.diagnoses):
        poa = encounter.poa(i)
        exempt = None if exemption is None else (stored[i] or normalize(code)) \
            in exemption.exempt
        source = SOURCE if exemption is None else f"{SOURCE}; {exemption.list_label}"
        if poa is None and exempt is None:
            yield Finding("poa.missing", "warning", (code,),
                          f"{code} has no present-on-admission indicator: enter Y, N, U or W, "
                          f"or leave it blank if the code is exempt; {NO_LIST}", source)
        elif poa in (None, "1") and exempt is False:
            had = "is marked exempt (1)" if poa == "1" else "has no present-on-admission " \
                                                              "indicator"
            yield Finding("poa.missing", "warning", (code,),
                          f"{code} {had} but is not on the POA exempt list: enter Y, N, U "
                          f"or W", source)
        elif poa in ("Y", "N", "U", "W") and exempt:
            yield Finding("poa.exempt_reported", "info", (code,),
                          f"{code} is exempt from POA reporting: leave its indicator blank "
                          f"(it has {poa})", source,
                          {"action": "clear_poa", "index": i})
