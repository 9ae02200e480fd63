"""Screenshots of the practice set-up, fee schedule and pick list dialogs, for review.

    ENCODER_APP_DATA=/tmp/shots-data xvfb-run -a -s "-screen 0 1600x1000x24" \\
        python bench/screenshots_practice.py OUT [--dark]

Uses the database of ENCODER_APP_DATA (a scratch folder is best: the fictional sample practice
is loaded into it when it has no practice yet) and saves practice.png, fee-schedule.png and
pick-lists.png into OUT.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PySide6.QtWidgets import QApplication  # noqa: E402
from screenshots import pump  # noqa: E402

from encoder_app.codebook.db import default_engine  # noqa: E402
from encoder_app.practice.sample import load_sample_practice  # noqa: E402
from encoder_app.practice.setup import PracticeError, load_practice  # noqa: E402
from ui.practice.fee_schedule_dialog import FeeScheduleDialog  # noqa: E402
from ui.practice.pick_list_dialog import PickListDialog  # noqa: E402
from ui.practice.practice_dialog import PracticeDialog  # noqa: E402
from ui.theme import apply_theme  # noqa: E402


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not args:
        sys.exit(__doc__)
    out = Path(args[0])
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    apply_theme(app, dark="--dark" in sys.argv)
    engine = default_engine()
    if load_practice(engine) is None:
        try:
            load_sample_practice(engine)
        except PracticeError as exc:  # fees but no practice: show what is there
            print(f"sample not loaded: {exc}")
    for name, make in (("practice", PracticeDialog), ("fee-schedule", FeeScheduleDialog),
                       ("pick-lists", PickListDialog)):
        dialog = make(engine)
        dialog.show()
        pump(0.4)
        dialog.grab().save(str(out / f"{name}.png"))
        dialog.dirty = False  # nothing was edited: close without asking
        dialog.close()
    pump(0.2)
    print("saved to", out)


if __name__ == "__main__":
    main()
