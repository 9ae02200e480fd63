"""Child process of the crash tests: saves encounters one after another until killed.

    python save_loop.py DATABASE_URL SEED [COUNT]

For every save it prints, flushed, ``saving ID HASH`` before (ID ``new`` for a new encounter)
and ``saved ID HASH`` after save_encounter returned; HASH is encounter_hash() of what was
saved. A save refused because another encoder-app holds the database prints ``busy MESSAGE``
(and the loop goes on); anything else is a traceback, which the tests count as a failure.
Every third save is a new version of an encounter saved earlier, so kills also land in
updates and their audit entries.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys

from encoder_app.codebook.db import engine_for
from encoder_app.data_lock import DatabaseBusy
from encoder_app.encounters.serialize import encounter_to_json
from encoder_app.encounters.snapshot import EncounterSnapshot, parse_encounter
from encoder_app.encounters.store import save_encounter

DIAGNOSES = ["I10", "E11.9", "J06.9", "M54.50", "R51.9", "Z00.00", "K21.9", "N39.0"]
PROCEDURES = ["99213", "99214", "82947", "85025", "93000", "G0439"]


def encounter_hash(snapshot: EncounterSnapshot) -> str:
    """What the tests compare: the encounter as its JSON file would hold it."""
    text = json.dumps(encounter_to_json(snapshot), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def random_encounter(rng: random.Random, n: int) -> EncounterSnapshot:
    diagnoses = rng.sample(DIAGNOSES, rng.randint(1, 4))
    lines = [{"code": code, "units": rng.randint(1, 3), "diagnosis_pointers": [1],
              "charge": round(rng.uniform(10, 300), 2)}
             for code in rng.sample(PROCEDURES, rng.randint(1, 3))]
    return parse_encounter({
        "date_of_service": f"2026-05-{rng.randint(1, 28):02d}", "setting": "practitioner",
        "place_of_service": "11",
        "patient": {"name": f"Patient {n} Zoë", "sex": rng.choice("FM"),
                    "birth_date": "1970-01-01", "member_id": f"M{n}"},
        "provider": {"name": "A. Smith, MD", "npi": "1234567893"},
        "diagnoses": diagnoses, "procedures": lines, "payer": "Acme",
    })


def main() -> int:
    url, seed = sys.argv[1], int(sys.argv[2])
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 10**9
    rng = random.Random(seed)
    engine = engine_for(url)
    saved: list[int] = []
    for n in range(count):
        snapshot = random_encounter(rng, n)
        target = rng.choice(saved) if saved and n % 3 == 2 else None
        digest = encounter_hash(snapshot)
        print(f"saving {target or 'new'} {digest}", flush=True)
        try:
            new_id = save_encounter(engine, snapshot, target)
        except DatabaseBusy as exc:
            print(f"busy {exc}", flush=True)
            continue
        if target is None:
            saved.append(new_id)
        print(f"saved {new_id} {digest}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
