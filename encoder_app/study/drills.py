"""Drill questions generated from the codebook's own data, unlimited and reproducible: the same
kind, count, seed and date give the same questions; another seed gives others.

Each question names its source, so a student can go and read it: for a note, the note exactly
as `encoder-app code show --json` prints it (``at``, ``kind``, ``text``); for an index drill, the
index path; for a title drill, the code's title.

Kinds:
- ``seventh-character``: a code that needs a 7th character and an encounter; answer the full code.
- ``excludes1``: two conditions, one named in a note of the other's code; may both be coded?
  Most come from Excludes1 notes (no); some from Excludes2 notes (yes), so the answer cannot be
  guessed and the difference between the two is what is learned.
- ``code-first``: a code with a "Code first" or "Use additional code" note naming another;
  which is sequenced first?
- ``index``: an Alphabetic Index path; the code it leads to.
- ``title``: a Tabular List title; the code.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, select

from encoder_app.codebook.index_lookup import book_release_id
from encoder_app.codebook.index_models import IndexTerm
from encoder_app.codebook.lookup import HEADING_LEVELS, code_detail
from encoder_app.codebook.models import Code, Note
from encoder_app.codebook.releases import code_timeline, in_effect
from encoder_app.codes import ICD10CM, dotted, normalize
from encoder_app.errors import EncoderError, NoRelease
from encoder_app.study.exercise_set import AnswerKey, Case, KeyCode, Rationale
from encoder_app.study.grading import CORRECT, EXTRA, FactsLookup, GradedCode, grade_case

KINDS = ("seventh-character", "excludes1", "code-first", "index", "title")
MAX_COUNT = 10_000
#: A code a note names in parentheses: "(E85.-)", "(D57.0-D57.8)", "(A32.82)", "(T50.B95-)".
_NOTE_REF = re.compile(r"\(([A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{0,4}-?)?)(?:-[^)]*)?\)")
#: Excludes1 questions in every three drawn from an Excludes2 note instead (answer: yes).
_EXCLUDES2_SHARE = 1 / 3


class DrillError(EncoderError):
    """A drill cannot be made: unknown kind, bad count, or the book it needs is not loaded."""


@dataclass(frozen=True)
class Question:
    kind: str
    prompt: str
    answer: str
    source: dict
    date_of_service: dt.date
    item: str  # a stable name: the same question drawn twice is the same item
    choices: tuple[str, ...] = ()  # the answers offered, for questions that are a choice
    extra: dict = field(default_factory=dict, compare=False)

    def to_json(self) -> dict:
        out = {"kind": self.kind, "prompt": self.prompt, "answer": self.answer,
               "source": self.source, "date_of_service": self.date_of_service.isoformat(),
               "item": self.item}
        if self.choices:
            out["choices"] = list(self.choices)
        return out

    @classmethod
    def from_json(cls, data: dict) -> Question:
        return cls(data["kind"], data["prompt"], data["answer"], data["source"],
                   dt.date.fromisoformat(data["date_of_service"]), data["item"],
                   tuple(data.get("choices", ())))


def _release_id(conn: Connection, system: str, kind: str, day: dt.date) -> int:
    if kind == "tabular":
        effect = in_effect(code_timeline(conn, system), day)
        if effect is None:
            raise NoRelease("no ICD-10-CM Tabular List is loaded; import one with "
                            "`encoder-app import`")
        return effect.release.id
    found = book_release_id(conn, kind, day, system)
    if found is None:
        raise NoRelease("no ICD-10-CM Alphabetic Index is loaded: the index drill needs one; "
                        "import icd10cm_index_YYYY.xml with `encoder-app import`")
    return found


def _note_source(holder: str, kind: str, text: str) -> dict:
    return {"at": holder, "kind": kind, "text": text}


def _seventh(engine: Engine, conn: Connection, rid: int, rng: random.Random, count: int,
             day: dt.date) -> list[Question]:
    ids = conn.execute(select(Code.code).where(Code.release_id == rid, Code.needs_seventh)
                       .order_by(Code.id)).scalars().all()
    out = []
    for code in rng.sample(ids, min(count * 2, len(ids))):
        detail = code_detail(engine, code, ICD10CM, day)
        note = next((n for n in detail.notes if n.kind == "seventh_character_note"), None)
        if not detail.seventh_choices or note is None:
            continue
        choice = rng.choice(detail.seventh_choices)
        prompt = (f"{detail.title}, {choice.meaning.rstrip('.').lower()}. Enter the billable "
                  f"code.")
        out.append(Question("seventh-character", prompt, choice.code,
                            _note_source(note.at, note.kind, note.text), day,
                            f"drill:seventh-character:{choice.code}"))
        if len(out) == count:
            break
    return out


def _notes_with_ref(conn: Connection, rid: int, kinds: tuple[str, ...]):
    rows = conn.execute(select(Code.code, Code.title, Code.billable, Note.kind, Note.text)
                        .join(Note, Note.code_id == Code.id)
                        .where(Code.release_id == rid, Note.kind.in_(kinds),
                               Code.level.not_in(HEADING_LEVELS))
                        .order_by(Note.id)).all()
    return [(r, m) for r in rows if (m := _NOTE_REF.search(r.text))]


#: How a note's words start before the condition they name: "Code first, if applicable, ...",
#: "Use additional code, if applicable, for ...", "... to identify ...".
_LEAD_IN = re.compile(r"^[\s,;:]*(?:code,?\s*)?(?:if applicable,?\s*)?(?:for\s+|to identify\s+)?",
                      re.I)


def _words(text: str, match: re.Match) -> str:
    words = _LEAD_IN.sub("", text[:match.start()]).strip().rstrip(",;:")
    return words or "a condition"


def _named(holder: str, row) -> str:
    """A note's holder as the question names it: a category is "a code from" it."""
    return f"{holder} {row.title}" if row.billable else f"a code from {holder} ({row.title})"


def _excludes(conn: Connection, rid: int, rng: random.Random, count: int,
              day: dt.date) -> list[Question]:
    ones, twos = _notes_with_ref(conn, rid, ("excludes1",)), \
        _notes_with_ref(conn, rid, ("excludes2",))
    out = []
    for _ in range(count):
        pool, answer = (twos, "yes") if rng.random() < _EXCLUDES2_SHARE and twos else \
            (ones, "no")
        row, ref = rng.choice(pool)
        holder = dotted(row.code)
        prompt = (f"The record supports {_named(holder, row)} and {_words(row.text, ref)} "
                  f"({ref.group(1)}). May both be coded for the same encounter? Answer yes "
                  f"or no.")
        out.append(Question("excludes1", prompt, answer,
                            _note_source(holder, row.kind, row.text), day,
                            f"drill:excludes1:{row.code}:{ref.group(1)}", ("yes", "no")))
    return out


def _code_first(conn: Connection, rid: int, rng: random.Random, count: int,
                day: dt.date) -> list[Question]:
    pool = _notes_with_ref(conn, rid, ("code_first", "use_additional_code"))
    out = []
    for row, ref in rng.sample(pool, min(count, len(pool))):
        holder, other = dotted(row.code), ref.group(1)
        first = other if row.kind == "code_first" else holder
        prompt = (f"Both are coded: {_named(holder, row)}, and {_words(row.text, ref)} "
                  f"({other}). Which is sequenced first: {holder} or {other}?")
        out.append(Question("code-first", prompt, first,
                            _note_source(holder, row.kind, row.text), day,
                            f"drill:code-first:{row.code}:{other}", (holder, other)))
    return out


def _index(conn: Connection, rid: int, rng: random.Random, count: int,
           day: dt.date) -> list[Question]:
    rows = conn.execute(select(IndexTerm.id, IndexTerm.path, IndexTerm.code)
                        .where(IndexTerm.release_id == rid, IndexTerm.level >= 1,
                               IndexTerm.code.is_not(None))
                        .order_by(IndexTerm.id)).all()
    # A code printed with a dash needs characters the index does not give: not one answer.
    rows = [r for r in rows if not r.code.endswith("-")]
    out = []
    for row in rng.sample(rows, min(count, len(rows))):
        prompt = f"Alphabetic Index: {row.path}. What code does it lead to?"
        out.append(Question("index", prompt, row.code,
                            {"at": row.path.split(" > ")[0], "kind": "index",
                             "text": row.path, "code": row.code}, day,
                            f"drill:index:{row.id}"))
    return out


def _title(conn: Connection, rid: int, rng: random.Random, count: int,
           day: dt.date) -> list[Question]:
    rows = conn.execute(select(Code.code, Code.title).where(
        Code.release_id == rid, Code.billable.is_(True), Code.level == "code")
        .order_by(Code.id)).all()
    out = []
    for row in rng.sample(rows, min(count, len(rows))):
        code = dotted(row.code)
        out.append(Question("title", f"Find the code: {row.title}", code,
                            {"at": code, "kind": "title", "text": row.title}, day,
                            f"drill:title:{row.code}"))
    return out


def default_day(conn: Connection) -> dt.date:
    """The date drills are asked on when none is given: today, or the last day of the newest
    Tabular List when today is past it (a question dated after its release would be judged
    by a book that may have changed since)."""
    today = dt.date.today()
    timeline = code_timeline(conn, ICD10CM)
    newest = timeline[-1] if timeline else None
    if newest is not None and newest.effective_to and today > newest.effective_to:
        return newest.effective_to
    return today


def generate(engine: Engine, kind: str, count: int, seed: int,
             date_of_service: dt.date | None = None) -> list[Question]:
    """``count`` questions of one kind, the same ones for the same seed."""
    if kind not in KINDS:
        raise DrillError(f"--kind: {kind!r} is not a drill; choose one of {', '.join(KINDS)}")
    if not 1 <= count <= MAX_COUNT:
        raise DrillError(f"--count: must be 1 to {MAX_COUNT:,}, not {count}")
    with engine.connect() as conn:
        day = date_of_service or default_day(conn)
        rng = random.Random(f"{kind}/{seed}/{day.isoformat()}")
        if kind == "index":
            return _index(conn, _release_id(conn, ICD10CM, "index", day), rng, count, day)
        rid = _release_id(conn, ICD10CM, "tabular", day)
        makers: dict[str, Callable[[], list[Question]]] = {
            "seventh-character": lambda: _seventh(engine, conn, rid, rng, count, day),
            "excludes1": lambda: _excludes(conn, rid, rng, count, day),
            "code-first": lambda: _code_first(conn, rid, rng, count, day),
            "title": lambda: _title(conn, rid, rng, count, day),
        }
        return makers[kind]()


def grade_answer(question: Question, entered: str, facts: FactsLookup) -> GradedCode:
    """A drill answer graded by the rules of a case: a choice is right or wrong; a code answer
    earns partial credit as a case's code does (the right category, a wrong 7th character)."""
    entered = (entered or "").strip()
    if question.choices:
        right = normalize(entered) == normalize(question.answer)
        return GradedCode(entered, CORRECT if right else EXTRA, question.answer,
                          "" if right else f"the answer is {question.answer}")
    case = Case(question.item, question.prompt, question.date_of_service,
                AnswerKey((KeyCode.parse(question.answer),)), Rationale(""))
    result = grade_case(case, [entered], facts)
    if not result.codes:
        return GradedCode("", EXTRA, question.answer, f"no answer; it is {question.answer}")
    return result.codes[0]
