"""A sitting of study mode: the items a student works through (cases of a set, drill questions,
or the missed items now due), their answers, and their grades.

Two modes. In a study session each answer is graded as soon as it is given, with the key and the
rationale shown. In an exam nothing is shown until the end (or the time runs out); then every
item is graded and the score report lists what was entered, the key, each verdict and the
rationale. The window and tests drive the same object.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from encoder_app.study.drills import Question, grade_answer
from encoder_app.study.exercise_set import Case, ExerciseSet, Rationale
from encoder_app.study.grading import FactsLookup, GradedCode, grade_case

STUDY, EXAM = "study", "exam"


@dataclass(frozen=True)
class Item:
    """One thing to answer: a case of a set, or a drill question."""

    case: Case | None = None
    exercise_set: ExerciseSet | None = None
    question: Question | None = None

    @property
    def kind(self) -> str:
        return "case" if self.case else self.question.kind

    @property
    def prompt(self) -> str:
        return self.case.prompt if self.case else self.question.prompt

    @property
    def date_of_service(self) -> dt.date:
        return self.case.date_of_service if self.case else self.question.date_of_service

    @property
    def label(self) -> str:
        return self.case.id if self.case else self.question.kind

    @property
    def choices(self) -> tuple[str, ...]:
        return () if self.case else self.question.choices

    @property
    def key(self) -> list[str]:
        if self.case:
            return [k.written for k in self.case.answer.codes]
        return [self.question.answer]

    @property
    def optional(self) -> list[str]:
        return [k.written for k in self.case.answer.optional] if self.case else []

    @property
    def rationale(self) -> Rationale:
        if self.case:
            return self.case.rationale
        s = self.question.source
        return Rationale(f"{s['at']} ({s['kind'].replace('_', ' ')}): {s['text']}",
                         tabular=(s["at"],) if s["kind"] not in ("index",) else ())


@dataclass(frozen=True)
class ItemResult:
    score: float
    codes: tuple[GradedCode, ...]
    missing: tuple[str, ...]


@dataclass
class Session:
    mode: str
    items: list[Item]
    title: str
    started_at: dt.datetime = field(default_factory=dt.datetime.now)
    time_limit: dt.timedelta | None = None  # exams only
    book_only: bool = False  # exams only: no search box, the index and tabular only
    answers: dict[int, list[str]] = field(default_factory=dict)
    results: dict[int, ItemResult] = field(default_factory=dict)
    seconds: dict[int, int] = field(default_factory=dict)
    finished_at: dt.datetime | None = None

    def answer(self, index: int, codes: list[str], seconds: int | None = None) -> None:
        if self.finished_at is not None:
            raise ValueError("this session is over")
        self.answers[index] = [c for c in (x.strip() for x in codes) if c]
        if seconds is not None:
            self.seconds[index] = seconds

    def grade(self, index: int, facts: FactsLookup) -> ItemResult:
        """Grade one item now (a study session grades each answer as it is given)."""
        item, entered = self.items[index], self.answers.get(index, [])
        if item.case:
            result = grade_case(item.case, entered, facts)
            graded = ItemResult(result.score, result.codes, result.missing)
        elif entered:
            code = grade_answer(item.question, entered[0], facts)
            graded = ItemResult(code.points, (code,), () if code.points == 1 else
                                (item.question.answer,))
        else:
            graded = ItemResult(0.0, (), (item.question.answer,))
        self.results[index] = graded
        return graded

    def time_left(self, now: dt.datetime | None = None) -> dt.timedelta | None:
        if self.time_limit is None:
            return None
        return max(dt.timedelta(0), self.started_at + self.time_limit - (now or dt.datetime.now()))

    def finish(self, facts: FactsLookup, now: dt.datetime | None = None) -> float:
        """End the session: every item graded (unanswered ones score 0); the mean score."""
        for i in range(len(self.items)):
            if i not in self.results:
                self.grade(i, facts)
        self.finished_at = now or dt.datetime.now()
        return self.score

    @property
    def score(self) -> float:
        if not self.items:
            return 0.0
        return sum(r.score for r in self.results.values()) / len(self.items)


def from_set(exercise_set: ExerciseSet, mode: str = STUDY, count: int | None = None,
             seed: int | None = None, **options) -> Session:
    """The set's cases in book order, or ``count`` of them drawn with ``seed``."""
    cases = list(exercise_set.cases)
    if count is not None and count < len(cases):
        cases = random.Random(seed).sample(cases, count)
    return Session(mode, [Item(case=c, exercise_set=exercise_set) for c in cases],
                   exercise_set.title, **options)


def from_questions(questions: list[Question], title: str, mode: str = STUDY,
                   **options) -> Session:
    return Session(mode, [Item(question=q) for q in questions], title, **options)
