"""Where exercise sets come from: the built-in sets shipped in ``codebooks/study/`` (installed as
``encoder_app.codebooks``), the sets an instructor imported into the database, and any set file
named on the command line. A set is named by its file's stem; an imported set may not take a
built-in set's name, and replaces one of its own name only when asked to.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from encoder_app.errors import EncoderError
from encoder_app.json_file import read_json_file
from encoder_app.study.exercise_set import (
    MAX_FILE_BYTES,
    ExerciseSet,
    ExerciseSetError,
    ExerciseSetInvalid,
    load_exercise_set,
    parse_exercise_set,
    set_name,
)
from encoder_app.study.models import StudySet
from encoder_app.study.validate import key_problems
from encoder_app.users.acting import Who, require
from encoder_app.users.roles import IMPORT_STUDY_SETS
from encoder_app.users.trail import record_changes

_FOLDER = "study"


class NoSuchSet(EncoderError):
    """A set name that is neither built in, imported nor a file."""


@dataclass(frozen=True)
class SetSummary:
    name: str
    title: str
    cases: int
    origin: str  # "built-in" or "imported"

    def to_json(self) -> dict:
        return {"name": self.name, "title": self.title, "cases": self.cases,
                "origin": self.origin}


def builtin_folder() -> Path:
    """The built-in sets in a checkout's ``codebooks/study``, or their installed copy."""
    in_checkout = Path(__file__).resolve().parents[2] / "codebooks" / _FOLDER
    if in_checkout.is_dir():
        return in_checkout
    return Path(str(resources.files("encoder_app.codebooks").joinpath(_FOLDER)))


def builtin_sets() -> list[ExerciseSet]:
    return [load_exercise_set(p) for p in sorted(builtin_folder().glob("*.json"))]


def _builtin_names() -> set[str]:
    return {p.stem for p in builtin_folder().glob("*.json")}


def _imported(engine: Engine) -> list[StudySet]:
    with Session(engine) as session:
        rows = session.execute(select(StudySet).order_by(StudySet.name)).scalars().all()
        session.expunge_all()
        return list(rows)


def _from_row(row: StudySet) -> ExerciseSet:
    return parse_exercise_set(json.loads(row.document), f"imported set {row.name}", row.name)


def all_sets(engine: Engine) -> list[SetSummary]:
    """The built-in sets, then the imported ones, each with its number of cases."""
    out = [SetSummary(s.name, s.title, len(s.cases), "built-in") for s in builtin_sets()]
    for row in _imported(engine):
        out.append(SetSummary(row.name, row.title, len(_from_row(row).cases), "imported"))
    return out


def find_set(engine: Engine, name_or_file: str) -> ExerciseSet:
    """A set by name (built-in first, then imported) or by the path of a set file."""
    path = Path(name_or_file)
    if path.suffix.lower() == ".json" or path.exists():
        return load_exercise_set(path)
    builtin = builtin_folder() / f"{name_or_file}.json"
    if builtin.is_file():
        return load_exercise_set(builtin)
    for row in _imported(engine):
        if row.name == name_or_file:
            return _from_row(row)
    known = sorted(_builtin_names() | {r.name for r in _imported(engine)})
    raise NoSuchSet(f"{name_or_file!r} is not an exercise set here (sets: {', '.join(known)}); "
                    "give a set file's path, or import it with `encoder-app study import`")


def import_set(engine: Engine, path: Path | str, replace: bool = False,
               who: Who = None) -> ExerciseSet:
    """Store a set file for every student of this database, after it passes validation against
    the codebook: a key code not billable on its date is refused with the rest of the problems,
    and nothing is stored. On a database with accounts ``who`` must be signed in; the import
    is in the practice trail."""
    path = Path(path)
    try:
        data = read_json_file(path, ExerciseSetError, max_bytes=MAX_FILE_BYTES)
    except ExerciseSetError as exc:
        raise ExerciseSetInvalid([exc]) from None
    exercise_set = parse_exercise_set(data, path.name, set_name(path))
    problems = key_problems(engine, exercise_set)
    if problems:
        raise ExerciseSetInvalid(problems)
    name = set_name(path)
    if name in _builtin_names():
        raise EncoderError(f"{Path(path).name}: {name!r} is the name of a built-in set; rename "
                           "the file to import it")
    document = json.dumps(data, ensure_ascii=False)
    with Session(engine) as session, session.begin():
        user = require(session, who, IMPORT_STUDY_SETS)
        row = session.execute(select(StudySet).where(StudySet.name == name)).scalar()
        if row is not None and not replace:
            raise EncoderError(f"{Path(path).name}: a set named {name!r} is already imported "
                               f"({row.title}); use --replace to replace it")
        if row is None:
            row = StudySet(name=name)
            session.add(row)
        row.title, row.document, row.imported_at = exercise_set.title, document, dt.datetime.now()
        record_changes(session, user, [(f"exercise set {name}", None,
                                        f"{'replaced' if replace else 'imported'} from "
                                        f"{path.name}")])
    return exercise_set
