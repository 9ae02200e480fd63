"""Superbills from the database: the practice, its fees, code titles for the date of service,
the place of service's name and the edit findings gathered for the layout. The GUI and the CLI
call these; the layouts themselves take plain values.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Engine

from encoder_app.codes import ICD10CM, POS, normalize
from encoder_app.edits.check import check_encounter
from encoder_app.edits.codes import procedure_system
from encoder_app.edits.finding import Finding
from encoder_app.edits.view import CodebookView
from encoder_app.encounters.snapshot import EncounterSnapshot
from encoder_app.practice.fee_schedule import load_fee_schedule
from encoder_app.practice.pick_lists import get_pick_list
from encoder_app.practice.setup import load_practice
from encoder_app.practice.types import FeeSchedule
from encoder_app.reports.blank_superbill import render_blank_superbill
from encoder_app.reports.page import PrintedPdf
from encoder_app.reports.superbill import Superbill, open_errors, superbill_from
from encoder_app.reports.superbill_layout import render_superbill

__all__ = ["Superbill", "blank_superbill_document", "blank_superbill_pdf", "compose_superbill",
           "open_errors", "superbill_document", "superbill_pdf"]


def _titles(view: CodebookView, snapshot: EncounterSnapshot) -> tuple[dict, dict, str | None]:
    """Diagnosis titles, service short titles and the place of service's name, as of the date
    of service (through the edits' cache, so titles the check just read cost nothing)."""
    diagnoses = {}
    for code in snapshot.diagnoses:
        detail = view.detail(code, ICD10CM)
        if detail is not None:
            diagnoses[normalize(code)] = detail.title
    services = {}
    for line in snapshot.procedures:
        system = procedure_system(line.code)
        detail = view.detail(line.code, system) if system else None
        if detail is not None:
            services[normalize(line.code)] = detail.short_title or detail.title
    pos = snapshot.place_of_service
    place = view.detail(pos, POS) if pos else None
    return diagnoses, services, place.title if place else None


def priced_from_schedule(snapshot: EncounterSnapshot, fees: FeeSchedule) -> EncounterSnapshot:
    """The encounter with each uncharged line given the fee schedule's fee, as it is billed."""
    lines = tuple(line if line.charge is not None or fees.fee_for(line.code, line.modifiers)
                  is None else replace(line, charge=fees.fee_for(line.code, line.modifiers))
                  for line in snapshot.procedures)
    return replace(snapshot, procedures=lines)


def compose_superbill(engine: Engine, snapshot: EncounterSnapshot,
                      findings: list[Finding] | None = None) -> Superbill:
    """Everything the filled superbill prints. ``findings`` may be passed when the caller has
    just checked the encounter; otherwise every edit is run here."""
    fees = load_fee_schedule(engine)
    if findings is None:
        # Checked as billed: a line the fee schedule prices has a charge, not a missing one.
        findings = check_encounter(engine, priced_from_schedule(snapshot, fees))
    view = CodebookView(engine, snapshot.date_of_service)
    diagnoses, services, place = _titles(view, snapshot)
    return superbill_from(snapshot, load_practice(engine), fees,
                          diagnoses, services, place, findings)


def superbill_document(engine: Engine, snapshot: EncounterSnapshot,
                       findings: list[Finding] | None = None) -> tuple[Superbill, PrintedPdf]:
    """The superbill and its PDF (with its page count, for "wrote visit.pdf (2 pages)")."""
    bill = compose_superbill(engine, snapshot, findings)
    return bill, render_superbill(bill)


def superbill_pdf(engine: Engine, snapshot: EncounterSnapshot) -> bytes:
    """The filled superbill of an encounter, as PDF bytes."""
    return superbill_document(engine, snapshot)[1].data


def blank_superbill_document(engine: Engine, pick_list_name: str) -> PrintedPdf:
    """The check-off form of a pick list (UnknownPickList names the lists there are)."""
    pick_list = get_pick_list(engine, pick_list_name)
    return render_blank_superbill(pick_list, load_practice(engine), load_fee_schedule(engine))


def blank_superbill_pdf(engine: Engine, pick_list_name: str) -> bytes:
    """The check-off form of a pick list, as PDF bytes."""
    return blank_superbill_document(engine, pick_list_name).data
