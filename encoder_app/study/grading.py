"""Grading a student's codes against an answer key, the same rules in the window and on the
command line (README, "How study answers are graded").

- Codes compare case- and dot-insensitively, whitespace trimmed; modifiers as a set.
- Exact matches are made first; each key code and each entered code match at most once. An
  exact match earns 1 point (verdict ``correct``); with ``"sequence": "first"`` the key's first
  code entered anywhere but first earns 0.5 (``sequencing``).
- An optional code entered earns nothing and costs nothing (``optional``).
- An entered code that is a header, unknown, or not valid on the date earns 0 (``not-billable``).
- An entered billable code with the category (first three characters) of a still-unmatched key
  code, or the right code with a wrong or missing modifier, earns 0.5 (``partial``); the reason
  says what differs (7th character, laterality, a further character, modifier).
- Anything else is ``extra``.
- A case's score = points / max(key codes, entered codes that are not optional); a case with no
  answer scores 0. A set's score is the mean over all its cases.

What the codebook says of an entered code comes through ``CodeFacts`` (``code_facts.py`` asks
the database), so these rules are tested without one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from encoder_app.codes import dotted, split_modifiers
from encoder_app.study.exercise_set import Case, ExerciseSet, KeyCode

CORRECT, PARTIAL, SEQUENCING = "correct", "partial", "sequencing"
OPTIONAL, NOT_BILLABLE, EXTRA = "optional", "not-billable", "extra"
POINTS = {CORRECT: 1.0, PARTIAL: 0.5, SEQUENCING: 0.5, OPTIONAL: 0.0, NOT_BILLABLE: 0.0,
          EXTRA: 0.0}
#: More than a student types for one case; past it the list is a paste gone wrong.
MAX_ENTERED = 100


@dataclass(frozen=True)
class CodeFacts:
    """What the codebook says of one code on a date of service."""

    code: str  # as a coder reads it (dotted for ICD-10-CM)
    system: str | None  # None: no loaded release knows it
    billable: bool  # billable and valid on the date
    title: str = ""
    why: str = ""  # why it cannot be billed ("header", "not valid on ..."), for the reason


#: (normalized code, date of service, systems to try first) -> what the codebook says.
FactsLookup = Callable[[str, dt.date, tuple[str, ...]], CodeFacts]


@dataclass(frozen=True)
class GradedCode:
    entered: str  # as typed (trimmed)
    verdict: str
    key: str | None = None  # the key code it was matched with, as the key writes it
    reason: str = ""

    @property
    def points(self) -> float:
        return POINTS[self.verdict]

    def to_json(self) -> dict:
        return {"entered": self.entered, "verdict": self.verdict, "key": self.key,
                "reason": self.reason, "points": self.points}


@dataclass(frozen=True)
class CaseResult:
    case_id: str
    score: float
    codes: tuple[GradedCode, ...] = ()
    missing: tuple[str, ...] = ()  # key codes no entered code matched, as the key writes them
    answered: bool = True

    def to_json(self) -> dict:
        return {"id": self.case_id, "score": round(self.score, 4),
                "codes": [c.to_json() for c in self.codes], "missing": list(self.missing)}


@dataclass(frozen=True)
class SetResult:
    set_name: str
    score: float
    cases: tuple[CaseResult, ...] = field(default_factory=tuple)

    def to_json(self) -> dict:
        return {"set": self.set_name, "score": round(self.score, 4),
                "cases": [c.to_json() for c in self.cases]}


@dataclass(frozen=True)
class _Entered:
    text: str
    code: str  # normalized, modifiers split off
    modifiers: frozenset[str]
    position: int  # 0-based among the codes entered


def _cleaned(entered: Sequence[str]) -> list[_Entered]:
    out = []
    for text in entered:
        text = text.strip()
        if not text:
            continue
        code, modifiers = split_modifiers(text)
        out.append(_Entered(text, code, frozenset(m for m in modifiers if m), len(out)))
    return out


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


_SIDE = re.compile(r"\b(right|left|bilateral|unspecified (?:side|eye|ear|foot|hand|arm|leg|"
                   r"knee|hip|shoulder|elbow|wrist|ankle|lung|kidney|breast))\b", re.I)


def _side(title: str) -> str | None:
    found = _SIDE.search(title or "")
    return found.group(1).lower() if found else None


def _difference(entered: _Entered, facts: CodeFacts, key: KeyCode, key_title: str) -> str:
    """What differs between a partial answer and its key code, in a coder's words."""
    if entered.code == key.code:
        have = "-".join(sorted(entered.modifiers)) or "none"
        want = "-".join(key.modifiers) or "none"
        return f"modifier: entered {have}, the key has {want}"
    a, b = entered.code, key.code
    # Laterality first: in E11.351- the 7th character is the eye, and "left, the key has
    # right" teaches more than "7th character: 2, the key has 1".
    side_a, side_b = _side(facts.title), _side(key_title)
    if side_a and side_b and side_a != side_b:
        return f"laterality: entered {side_a}, the key has {side_b}"
    if len(a) == len(b) == 7 and a[:6] == b[:6]:
        return f"7th character: entered {a[6]}, the key has {b[6]}"
    at = _shared_prefix(a, b)
    system = facts.system or "icd10cm"
    return (f"a further character: {dotted(a, system)} and {dotted(b, system)} differ from "
            f"the {_ordinal(at + 1)} character on")


def grade_case(case: Case, entered: Sequence[str] | None, facts: FactsLookup) -> CaseResult:
    """The verdict on each code entered for one case, and the case's score."""
    key = case.answer
    typed = _cleaned(entered or [])[:MAX_ENTERED]
    if not typed:
        return CaseResult(case.id, 0.0, (), tuple(k.written for k in key.codes), answered=False)
    key_systems = tuple(dict.fromkeys(s for k in key.codes for s in k.systems[:1]))
    verdicts: dict[int, GradedCode] = {}
    unmatched = list(key.codes)
    # Exact matches first, so a partial never takes a key code an exact answer needs.
    for e in typed:
        match = next((k for k in unmatched
                      if k.code == e.code and frozenset(k.modifiers) == e.modifiers), None)
        if match is None:
            continue
        unmatched.remove(match)
        if key.sequence == "first" and match is key.codes[0] and e.position != 0:
            verdicts[e.position] = GradedCode(e.text, SEQUENCING, match.written,
                                              f"{match.written} is sequenced first")
        else:
            verdicts[e.position] = GradedCode(e.text, CORRECT, match.written)
    optional = {k.code: k for k in key.optional}
    for e in typed:
        if e.position in verdicts:
            continue
        if e.code in optional:
            verdicts[e.position] = GradedCode(e.text, OPTIONAL, optional[e.code].written,
                                              "accepted, not required")
            continue
        said = facts(e.code, case.date_of_service, key_systems)
        if not said.billable:
            verdicts[e.position] = GradedCode(e.text, NOT_BILLABLE, None, said.why)
            continue
        near = [k for k in unmatched if k.code == e.code] or \
               [k for k in unmatched if k.code[:3] == e.code[:3]]
        if not near:
            verdicts[e.position] = GradedCode(e.text, EXTRA, None, "not in the key")
            continue
        best = max(near, key=lambda k: _shared_prefix(k.code, e.code))
        unmatched.remove(best)
        key_title = facts(best.code, case.date_of_service, key_systems).title
        verdicts[e.position] = GradedCode(e.text, PARTIAL, best.written,
                                          _difference(e, said, best, key_title))
    graded = tuple(verdicts[e.position] for e in typed)
    points = sum(g.points for g in graded)
    counted = sum(1 for g in graded if g.verdict != OPTIONAL)
    score = points / max(len(key.codes), counted)
    return CaseResult(case.id, score, graded, tuple(k.written for k in unmatched))


def _shared_prefix(a: str, b: str) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                min(len(a), len(b)))


def grade_set(exercise_set: ExerciseSet, answers: Mapping[str, Sequence[str]],
              facts: FactsLookup) -> SetResult:
    """Every case of the set graded; a case with no answer scores 0."""
    results = tuple(grade_case(c, answers.get(c.id), facts) for c in exercise_set.cases)
    score = sum(r.score for r in results) / len(results) if results else 0.0
    return SetResult(exercise_set.name, score, results)
