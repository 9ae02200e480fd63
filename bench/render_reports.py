"""Write the sample reports and their pages as PNG, to look at them after a layout change.

    python bench/render_reports.py OUT_DIR [--db PATH] [--dpi 60]

Writes into OUT_DIR, with the fictional sample practice, fee schedule and pick list:
  superbill-typical.pdf  3 diagnoses, 3 lines, no open error
  superbill-long.pdf     12 diagnoses (one a header code: the warning box), 20 lines
  superbill-blank.pdf    the check-off form of the sample pick list
  daysheet.pdf           a week of encounters for the three sample providers
and each page as NAME-N.png (pdftoppm, from poppler-utils, if installed). Code titles and
findings come from the user's database (the default codebook is built there on first use), or
from --db.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_superbill import LONG, TYPICAL  # noqa: E402

from encoder_app.codebook.db import default_engine, engine_for  # noqa: E402
from encoder_app.codebook.default_build import (  # noqa: E402
    build_default_codebook,
    needs_default_build,
)
from encoder_app.edits.check import check_encounter  # noqa: E402
from encoder_app.encounters.snapshot import parse_encounter  # noqa: E402
from encoder_app.practice.fee_schedule import sample_fee_schedule  # noqa: E402
from encoder_app.practice.pick_lists import sample_pick_list  # noqa: E402
from encoder_app.practice.sample import sample_practice  # noqa: E402
from encoder_app.reports.blank_superbill import render_blank_superbill  # noqa: E402
from encoder_app.reports.daysheet import daysheet_from  # noqa: E402
from encoder_app.reports.daysheet_layout import render_daysheet  # noqa: E402
from encoder_app.reports.superbill import superbill_from  # noqa: E402
from encoder_app.reports.superbill_data import (  # noqa: E402
    compose_superbill,
    priced_from_schedule,
)
from encoder_app.reports.superbill_layout import render_superbill  # noqa: E402

WEEK_START = dt.date(2026, 4, 13)
PATIENTS = ["José Muñoz", "Zoë Müller", "François Çelik", "Ana Öztürk", "Li Wei",
            "Mary Smith-Jones", "Ngozi Okafor", "Søren Łukasiewicz"]
VISITS = [  # (diagnoses, services) seen during the sample week
    (["I10"], [("99213", [], 1)]),
    (["E11.9", "E78.5"], [("99214", [], 1), ("36415", [], 1), ("82962", [], 1)]),
    (["J02.9"], [("99213", [], 1), ("87880", [], 1)]),
    (["M17.11"], [("99214", ["25"], 1), ("20610", ["RT"], 1), ("J1100", [], 10)]),
    (["Z00.00", "Z23"], [("99396", [], 1), ("90471", [], 1), ("90715", [], 1)]),
    (["H61.23"], [("69210", ["50"], 1)]),
]


def sample_week(providers) -> list:
    """A deterministic week: weekdays only, 2-5 visits a day, providers in turn."""
    encounters, n = [], 0
    for day in range(5):
        for _ in range(2 + (day * 3) % 4):
            dx, services = VISITS[n % len(VISITS)]
            provider = providers[n % len(providers)]
            encounters.append(parse_encounter({
                "date_of_service": (WEEK_START + dt.timedelta(days=day)).isoformat(),
                "patient": {"name": PATIENTS[n % len(PATIENTS)]},
                "provider": {"name": provider.name, "npi": provider.npi},
                "diagnoses": dx,
                "procedures": [{"code": c, "modifiers": m, "units": u, "diagnosis_pointers": [1]}
                               for c, m, u in services]}))
            n += 1
    return encounters


def superbill(engine, data: dict):
    """The superbill with titles and findings from the database, but the sample practice
    and fees (not whatever the database has set up)."""
    encounter = parse_encounter(data)
    findings = check_encounter(engine, priced_from_schedule(encounter, sample_fee_schedule()))
    composed = compose_superbill(engine, encounter, findings)
    dx = {d.code.replace(".", ""): d.title for d in composed.diagnoses}
    px = {line.code: line.description for line in composed.lines}
    place = composed.place_of_service.partition(" ")[2] or None
    return superbill_from(encounter, sample_practice(), sample_fee_schedule(), dx, px, place,
                          composed.findings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the PDFs and PNGs into")
    parser.add_argument("--db", type=Path, help="this database instead of the user's")
    parser.add_argument("--dpi", type=int, default=60, help="PNG resolution (default 60)")
    args = parser.parse_args()

    engine = engine_for(f"sqlite:///{args.db}") if args.db else default_engine()
    if needs_default_build(engine):
        print("building the default codebook first ...")
        for _ in build_default_codebook(engine):
            pass
    practice, fees = sample_practice(), sample_fee_schedule()
    long_visit = {**LONG, "diagnoses": ["E78" if c == "E78.5" else c for c in LONG["diagnoses"]]}
    documents = {
        "superbill-typical": render_superbill(superbill(engine, TYPICAL)),
        "superbill-long": render_superbill(superbill(engine, long_visit)),
        "superbill-blank": render_blank_superbill(sample_pick_list(), practice, fees),
        "daysheet": render_daysheet(daysheet_from(
            sample_week(practice.providers), WEEK_START, WEEK_START + dt.timedelta(days=6),
            fees, practice)),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    pdftoppm = shutil.which("pdftoppm")
    for name, pdf in documents.items():
        path = args.out / f"{name}.pdf"
        path.write_bytes(pdf.data)
        print(f"wrote {path} ({pdf.pages} page{'s' if pdf.pages != 1 else ''})")
        if pdftoppm:
            for old in args.out.glob(f"{name}-*.png"):
                old.unlink()
            subprocess.run([pdftoppm, "-r", str(args.dpi), "-png", str(path),
                            str(args.out / name)], check=True)
    if not pdftoppm:
        print("pdftoppm not found (poppler-utils): PDFs written, no PNG pages")
    engine.dispose()


if __name__ == "__main__":
    main()
