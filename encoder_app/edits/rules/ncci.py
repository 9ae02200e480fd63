"""NCCI edits over the procedure lines: procedure-to-procedure (PTP) pairs, medically unlikely
edits (MUE) and add-on codes without their primary code, from the tables of the encounter's
setting (practitioner or outpatient hospital) in effect on the date of service.

PTP modifier indicators: 0 no modifier bypasses the edit (error); 1 an NCCI-associated modifier
on either line of the pair bypasses it (otherwise error, with the modifier to add on the column 2
line); 9 the edit does not apply (silent). Anatomic modifiers bypass an edit only when both lines
carry them and they name different sites: two lines both marked RT are the same knee, and RT on
one line alone does not show another site. When column 2 is an E/M service, only 25, 57 or 27
on the E/M line bypasses the edit (CMS: 59 and the X modifiers are not used on E/M services).

An MUE of 0 (mostly services Medicare does not cover, such as a child's preventive visit) is a
warning, since the encounter may be billed to another payer. MUE adjudication indicators: 1 is
a line edit (each line on its own; more units go on further lines with a modifier); 2 (policy)
and 3 (clinical) limit the units of the code summed over the date of service, which is the
whole encounter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from encoder_app.codebook.edit_tables import CONTRACTOR_DEFINED, MUE_KINDS, PTP_KINDS
from encoder_app.codes import normalize
from encoder_app.edits.codes import is_evaluation_and_management
from encoder_app.edits.finding import Finding
from encoder_app.edits.registry import rule
from encoder_app.edits.view import CodebookView
from encoder_app.encounters.snapshot import EncounterSnapshot, ProcedureLine

NCCI = "ncci"

#: Modifiers CMS lists as NCCI-associated (NCCI Policy Manual, chapter I, section E):
#: anatomic, global surgery and other modifiers that may bypass a PTP edit with indicator 1.
ANATOMIC_MODIFIERS = frozenset(
    ["E1", "E2", "E3", "E4", "FA", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9",
     "TA", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9",
     "LT", "RT", "LC", "LD", "LM", "RC", "RI"])
GLOBAL_SURGERY_MODIFIERS = frozenset(["24", "25", "57", "58", "78", "79"])
OTHER_NCCI_MODIFIERS = frozenset(["27", "59", "91", "XE", "XS", "XP", "XU"])
NCCI_MODIFIERS = ANATOMIC_MODIFIERS | GLOBAL_SURGERY_MODIFIERS | OTHER_NCCI_MODIFIERS
#: What bypasses an edit whose column 2 code is an E/M service, on the E/M line.
EM_BYPASS_MODIFIERS = frozenset(["25", "57", "27"])
#: Offered on the column 2 line of a non-E/M pair, most general first.
DISTINCT_SERVICE_MODIFIERS = ["59", "XU", "XS", "XE", "XP"]

#: Files a coder imports for each setting (CMS names, and the names of the CSV forms).
PTP_FILES = {"practitioner": "the practitioner PTP edits (ccipra-v...-f1.txt to -f4.txt, or "
                             "ncci_ptp_practitioner_YYYYqN.csv)",
             "outpatient_hospital": "the outpatient hospital PTP edits (ccioph-v...-f1.txt to "
                                    "-f4.txt, or ncci_ptp_outpatient_hospital_YYYYqN.csv)"}
MUE_FILES = {"practitioner": "the practitioner MUE table "
                             "(MCR_MUE_PractitionerServices_Eff_MM-DD-YYYY.csv)",
             "outpatient_hospital": "the outpatient hospital MUE table "
                                    "(MCR_MUE_OutpatientHospitalServices_Eff_MM-DD-YYYY.csv)"}
SETTING_WORDS = {"practitioner": "practitioner", "outpatient_hospital": "outpatient hospital"}


def _lines_by_code(encounter: EncounterSnapshot) -> dict[str, list[ProcedureLine]]:
    """The lines by code; none for an inpatient stay, whose ICD-10-PCS procedures NCCI does
    not edit (its tables are for practitioner and outpatient hospital claims)."""
    if encounter.setting not in SETTING_WORDS:
        return {}
    by_code: dict[str, list[ProcedureLine]] = {}
    for line in encounter.procedures:
        by_code.setdefault(normalize(line.code), []).append(line)
    return by_code


def _quarter_end(start: dt.date) -> dt.date:
    """The last day of the NCCI quarter that starts on `start`."""
    month = start.month + 3
    year = start.year + (month - 1) // 12
    return dt.date(year, (month - 1) % 12 + 1, 1) - dt.timedelta(days=1)


def _line_list(lines: list[ProcedureLine]) -> str:
    numbers = [str(x.line) for x in lines]
    return ("line " if len(numbers) == 1 else "lines ") + ", ".join(numbers)


def _bypass(column1: list[ProcedureLine], column2: list[ProcedureLine],
            em_column2: bool) -> tuple[bool, str]:
    """(bypassed, why not) for an indicator 1 pair, from the modifiers on both codes' lines.

    An E/M column 2 code is bypassed only by 25, 57 or 27 on its own line (59 and the X
    modifiers are not for E/M services). Otherwise any global surgery or other NCCI modifier on
    either line bypasses the edit; anatomic modifiers do when both lines carry them and they
    name different sites (RT on one, LT on the other).
    """
    if em_column2:
        on_em = {m for x in column2 for m in x.modifiers}
        if on_em & EM_BYPASS_MODIFIERS:
            return True, ""
        wrong = sorted(on_em & NCCI_MODIFIERS)
        return False, (f" Modifier {', '.join(wrong)} does not bypass an edit on an E/M service."
                       if wrong else "")
    mods1 = {m for x in column1 for m in x.modifiers}
    mods2 = {m for x in column2 for m in x.modifiers}
    if (mods1 | mods2) & (GLOBAL_SURGERY_MODIFIERS | OTHER_NCCI_MODIFIERS):
        return True, ""
    sites1, sites2 = mods1 & ANATOMIC_MODIFIERS, mods2 & ANATOMIC_MODIFIERS
    if sites1 and sites2 and sites1 != sites2:
        return True, ""
    if sites1 and sites1 == sites2:
        same = ", ".join(sorted(sites1))
        return False, (f" Both codes carry the same anatomic modifier ({same}): the same site, "
                       f"which does not bypass the edit.")
    if sites1 or sites2:
        return False, (f" Only one of the two carries an anatomic modifier "
                       f"({', '.join(sorted(sites1 | sites2))}), which does not show a "
                       f"different site.")
    return False, ""


@rule("ncci.ptp", "error", "NCCI procedure-to-procedure (PTP) edits")
def ptp_pairs(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    by_code = _lines_by_code(encounter)
    if len(by_code) < 2:
        return
    seen: set[tuple[str, str]] = set()
    for pair in view.ptp_pairs(by_code, encounter.setting):
        if pair.modifier_indicator == 9 or (pair.column1, pair.column2) in seen:
            continue
        seen.add((pair.column1, pair.column2))
        column1, column2 = by_code.get(pair.column1), by_code.get(pair.column2)
        if not column1 or not column2:
            continue
        source = (f"{pair.source} (column 1 {pair.column1}, column 2 {pair.column2}, "
                  f"modifier indicator {pair.modifier_indicator})")
        why = f" ({pair.rationale})" if pair.rationale else ""
        target = column2[0]
        if pair.modifier_indicator == 0:
            present = sorted({m for x in column1 + column2 for m in x.modifiers}
                             & NCCI_MODIFIERS)
            note = (f" Modifier {', '.join(present)} does not bypass it." if present else "")
            yield Finding(
                "ncci.ptp", "error", (pair.column1, pair.column2),
                f"{pair.column2} ({_line_list(column2)}) is not reported with {pair.column1} "
                f"({_line_list(column1)}) on the same date: NCCI bundles it into "
                f"{pair.column1}{why} and no modifier allows both (indicator 0).{note} Remove "
                f"line {target.line} unless it was a separate encounter billed on its own claim.",
                source, {"action": "remove_line", "line": target.line, "code": pair.column2})
            continue
        em_column2 = is_evaluation_and_management(pair.column2)
        bypassed, why_not = _bypass(column1, column2, em_column2)
        if bypassed:
            continue
        if em_column2:
            modifier, choices = "25", ["25"]
            advice = (f"Report {pair.column2} only for a significant, separately identifiable "
                      f"E/M service, with modifier 25 on line {target.line}; otherwise remove it.")
        else:
            modifier, choices = "59", DISTINCT_SERVICE_MODIFIERS
            advice = (f"Report {pair.column2} only if it was a distinct service (a different "
                      f"site or organ system, session, incision or lesion), with modifier 59 or "
                      f"the more specific XS, XE, XP or XU (or site modifiers such as LT/RT on "
                      f"both lines) on line {target.line}; otherwise remove it.")
        yield Finding(
            "ncci.ptp", "error", (pair.column1, pair.column2),
            f"{pair.column2} ({_line_list(column2)}) is bundled into {pair.column1} "
            f"({_line_list(column1)}) by an NCCI PTP edit{why}.{why_not} {advice}",
            source, {"action": "add_modifier", "line": target.line, "modifier": modifier,
                     "choices": choices})


@rule("ncci.outdated", "warning", "NCCI quarterly tables: the quarter in effect")
def tables_out_of_date(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    if not _lines_by_code(encounter) or encounter.date_of_service is None:
        return
    newest = view.newest_release(NCCI, PTP_KINDS[encounter.setting])
    if newest is None:
        return
    ends = _quarter_end(newest.effective_from)
    if encounter.date_of_service > ends:
        yield Finding(
            "ncci.outdated", "warning", (),
            f"The newest loaded NCCI PTP tables ({newest.label}) cover dates of service to "
            f"{ends}; this encounter is on {encounter.date_of_service}. The edits were checked "
            f"against those tables, but pairs CMS added or deleted since are not known: import "
            f"the NCCI tables of the quarter of the date of service.",
            f"{newest.label}, in effect {newest.effective_from} to {ends}")


def _mue_source(mue) -> str:
    return (f"{mue.source} ({mue.code}: {mue.units} units, adjudication indicator "
            f"{mue.adjudication_text}, rationale {mue.rationale})")


@rule("ncci.mue", "error", "NCCI medically unlikely edits (MUE)")
def mue_units(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    for code, lines in _lines_by_code(encounter).items():
        mue = view.mue(code, encounter.setting)
        if mue is None:
            continue
        source = _mue_source(mue)
        if mue.units == 0:
            # Mostly services Medicare does not cover (preventive visits for children, IUDs):
            # correct for other payers, so a warning, not an error.
            yield Finding(
                "ncci.mue", "warning", (code,),
                f"{code} ({_line_list(lines)}) has a Medicare MUE of 0 units in the "
                f"{SETTING_WORDS[encounter.setting]} setting (rationale: {mue.rationale}): "
                f"Medicare does not pay it as billed here. Bill it only to a payer that covers "
                f"it, or with the notice the payer requires (e.g. an ABN, modifier GA).", source)
            continue
        if mue.per_line:
            for line in lines:
                if line.units > mue.units:
                    yield Finding(
                        "ncci.mue", "error", (code,),
                        f"Line {line.line}: {line.units} units of {code} is more than the "
                        f"{mue.units} a line may carry (MUE line edit; rationale: "
                        f"{mue.rationale}). Report at most {mue.units} per line; if more were "
                        f"truly given, put the rest on further lines with an appropriate "
                        f"modifier (anatomic, 76, 77 or 91) and keep the documentation.",
                        source, {"action": "split_units", "line": line.line,
                                 "units_per_line": mue.units})
            continue
        total = sum(x.units for x in lines)
        if total <= mue.units:
            continue
        excess = total - mue.units
        last = lines[-1]
        if len(lines) == 1:
            fix = {"action": "set_units", "line": last.line, "units": mue.units}
        elif last.units - excess >= 1:
            fix = {"action": "set_units", "line": last.line, "units": last.units - excess}
        else:
            fix = None
        kind = ("policy: no appeal overrides it" if mue.adjudication == 2 else
                "clinical: more units are paid only on appeal with documentation")
        yield Finding(
            "ncci.mue", "error", (code,),
            f"{total} units of {code} ({_line_list(lines)}) on {view.date} is more than the "
            f"{mue.units} allowed per date of service (MUE {kind}; rationale: {mue.rationale})."
            f" Reduce the units to {mue.units}.", source, fix)


@rule("ncci.addon", "error", "NCCI add-on code edits")
def addon_without_primary(encounter: EncounterSnapshot,
                          view: CodebookView) -> Iterator[Finding]:
    by_code = _lines_by_code(encounter)
    for code, lines in by_code.items():
        primaries = view.addon_primaries(code)
        if not primaries:
            continue
        listed = [p for p in primaries if not p.contractor_defined]
        source = f"{primaries[0].source} (add-on code {code}, edit type " \
                 f"{'/'.join(sorted({str(p.edit_type) for p in primaries}))})"
        if not listed:
            yield Finding(
                "ncci.addon_contractor", "info", (code,),
                f"{code} ({_line_list(lines)}) is an add-on code whose primary codes the "
                f"Medicare contractor (MAC) defines: make sure its primary procedure is on the "
                f"claim.", f"{source}, primary {CONTRACTOR_DEFINED}")
            continue
        if any(p.primary in by_code for p in listed):
            continue
        names = [p.primary for p in listed]
        shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
        yield Finding(
            "ncci.addon", "error", (code,),
            f"{code} ({_line_list(lines)}) is an add-on code and none of its primary codes is "
            f"on the claim ({shown}). Add the primary procedure that was performed, or remove "
            f"the add-on code.", source)


@rule("ncci.not_loaded", "info", "NCCI PTP and MUE tables")
def tables_not_loaded(encounter: EncounterSnapshot, view: CodebookView) -> Iterator[Finding]:
    if not _lines_by_code(encounter):
        return
    setting = encounter.setting
    missing = []
    if view.newest_release(NCCI, PTP_KINDS[setting]) is None:
        missing.append(("PTP", PTP_FILES[setting]))
    if view.newest_release(NCCI, MUE_KINDS[setting]) is None:
        missing.append(("MUE", MUE_FILES[setting]))
    if not missing:
        return
    what = " and ".join(m[0] for m in missing)
    files = " and ".join(m[1] for m in missing)
    yield Finding(
        "ncci.not_loaded", "info", (),
        f"NCCI {what} edits were not checked: no {SETTING_WORDS[setting]} {what} table is "
        f"loaded. Import {files} from the CMS NCCI pages with `encoder-app import`.",
        f"NCCI {what} {SETTING_WORDS[setting]} tables (none loaded)")
