"""The installed Qt binding is one the window can run on (PySide6 6.12.0 is not: every
QCoreApplication.processEvents() call frees a reference to None until the interpreter aborts)."""

import subprocess
import sys

PROBE = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QCoreApplication
app = QCoreApplication(sys.argv)
before = sys.getrefcount(None)
for _ in range(20000):
    QCoreApplication.processEvents()
print(sys.getrefcount(None) - before)
"""


def test_process_events_does_not_leak_references_to_none():
    run = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr[-500:]
    assert abs(int(run.stdout.strip().splitlines()[-1])) < 100
