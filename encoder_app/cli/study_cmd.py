"""`encoder-app study ...`: study mode for coding students on the command line: the exercise sets,
validating and importing them, grading an answers file, drills generated from the codebook,
progress, and the CSV of a student's attempts. ("practice" is the medical practice.)"""

from __future__ import annotations

import sys

from encoder_app import preferences
from encoder_app.cli.common import date_arg, open_codebook, print_json, print_text
from encoder_app.cli.sign_in import acting_user
from encoder_app.cli.wrapping import hanging, terminal_width
from encoder_app.errors import render
from encoder_app.study import drills
from encoder_app.study.answers import load_answers
from encoder_app.study.code_facts import CodebookFacts
from encoder_app.study.exercise_set import ExerciseSetInvalid, load_exercise_set
from encoder_app.study.grading import SetResult, grade_set
from encoder_app.study.progress import export_attempts, progress
from encoder_app.study.recording import record_case
from encoder_app.study.sets import all_sets, find_set, import_set
from encoder_app.study.validate import index_problems, key_problems


def register(subparsers) -> None:
    p = subparsers.add_parser("study", help="study mode for coding students: exercise sets, "
                                            "grading, drills, progress")
    sub = p.add_subparsers(dest="study_command", required=True,
                           metavar="sets|validate|import|grade|drill|progress|export")
    s = sub.add_parser("sets", help="list the exercise sets (built-in and imported)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=run_sets)
    v = sub.add_parser("validate", help="check a set file: fields, and every key code billable "
                                        "on its case's date")
    v.add_argument("file")
    v.set_defaults(func=run_validate)
    i = sub.add_parser("import", help="import a set file for every student of this database")
    i.add_argument("file")
    i.add_argument("--replace", action="store_true", help="replace an imported set of the "
                                                          "same name")
    i.set_defaults(func=run_import)
    g = sub.add_parser("grade", help="grade an answers file (case id -> codes) against a set")
    g.add_argument("set", help="a set's name (see `study sets`) or a set file")
    g.add_argument("answers", help="JSON: {\"case-id\": [\"E11.9\", ...], ...}")
    g.add_argument("--json", action="store_true")
    g.add_argument("--record", action="store_true",
                   help="also store the graded cases as this user's study attempts")
    g.set_defaults(func=run_grade)
    d = sub.add_parser("drill", help="questions generated from the codebook")
    d.add_argument("--kind", required=True, choices=drills.KINDS)
    d.add_argument("--count", type=int, default=10)
    d.add_argument("--seed", type=int, default=1)
    d.add_argument("--date", type=date_arg, metavar="YYYY-MM-DD",
                   help="date of service: the release drawn from (default: today)")
    d.add_argument("--json", action="store_true")
    d.set_defaults(func=run_drill)
    r = sub.add_parser("progress", help="accuracy by chapter, drill kind and day; weakest areas")
    r.add_argument("--user", help="whose progress (default: who is working on this machine)")
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=run_progress)
    e = sub.add_parser("export", help="a student's attempts as CSV (for an instructor)")
    e.add_argument("--user", help="whose attempts (default: who is working on this machine)")
    e.add_argument("-o", "--output", required=True, metavar="FILE.csv")
    e.set_defaults(func=run_export)


def run_sets(args) -> int:
    sets = all_sets(open_codebook())
    if args.json:
        print_json([s.to_json() for s in sets])
        return 0
    width = terminal_width()
    for s in sets:
        print_text(hanging(f"{s.name:<16} {s.cases:>4} cases  ",
                           f"{s.title}{'  (imported)' if s.origin == 'imported' else ''}",
                           width) + "\n")
    return 0


def run_validate(args) -> int:
    try:
        exercise_set = load_exercise_set(args.file)
    except ExerciseSetInvalid as exc:
        problems = exc.problems
    else:
        engine = open_codebook()
        problems = key_problems(engine, exercise_set) + index_problems(engine, exercise_set)
        if not problems:
            print_text(f"{args.file}: {len(exercise_set.cases)} cases; every key code is "
                       "billable on its case's date and every index path is in its book\n")
            return 0
    for problem in problems:
        print(f"error: {render(problem)}", file=sys.stderr)
    print(f"{args.file}: {len(problems)} problem{'s' if len(problems) != 1 else ''}",
          file=sys.stderr)
    return 1


def run_import(args) -> int:
    engine = open_codebook()
    imported = import_set(engine, args.file, replace=args.replace, who=acting_user(engine))
    print_text(f"imported set {imported.name!r}: {imported.title} ({len(imported.cases)} "
               "cases)\n")
    return 0


def _percent(score: float) -> str:
    return f"{score * 100:.0f}%"


def _render(result: SetResult, width: int | None = None) -> str:
    lines = [f"Set {result.set_name}: {_percent(result.score)} over {len(result.cases)} cases"]
    for case in result.cases:
        if not case.answered:
            lines.append(f"  {case.case_id:<18} {_percent(0):>4}  no answer; key "
                         f"{', '.join(case.missing)}")
            continue
        lines.append(f"  {case.case_id:<18} {_percent(case.score):>4}")
        for code in case.codes:
            key = f" (key {code.key})" if code.key and code.verdict != "correct" else ""
            why = f": {code.reason}" if code.reason else ""
            lines.append(hanging(f"      {code.entered:<12} ", f"{code.verdict}{key}{why}",
                                 width))
        if case.missing:
            lines.append(f"      missing: {', '.join(case.missing)}")
    return "\n".join(lines) + "\n"


def run_grade(args) -> int:
    engine = open_codebook()
    exercise_set = find_set(engine, args.set)
    answers = load_answers(args.answers, exercise_set)
    result = grade_set(exercise_set, answers, CodebookFacts(engine))
    if args.record:
        user = preferences.user_name()
        for case, graded in zip(exercise_set.cases, result.cases, strict=True):
            if graded.answered:
                record_case(engine, user, exercise_set, case, graded, answers[case.id])
    if args.json:
        out = result.to_json()
        out.pop("set")
        print_json({"set": exercise_set.name, **out})
    else:
        print_text(_render(result, terminal_width()))
    return 0


def run_drill(args) -> int:
    questions = drills.generate(open_codebook(), args.kind, args.count, args.seed, args.date)
    if args.json:
        print_json([q.to_json() for q in questions])
        return 0
    width = terminal_width()
    for n, q in enumerate(questions, 1):
        choices = f"  [{' / '.join(q.choices)}]" if q.choices else ""
        print_text(hanging(f"{n}. ", f"{q.prompt}{choices}", width) + "\n" +
                   hanging("   ", f"answer: {q.answer}   (source: {q.source['at']}, "
                                  f"{q.source['kind']}: {q.source['text']})", width, 5) + "\n")
    return 0


def run_progress(args) -> int:
    user = args.user or preferences.user_name()
    figures = progress(open_codebook(), user)
    if args.json:
        print_json(figures.to_json())
        return 0
    if not figures.attempts:
        print_text(f"{user}: no study attempts yet\n")
        return 0
    lines = [f"{user}: {figures.attempts} attempts, {_percent(figures.accuracy)} accuracy; "
             f"{figures.due_now} of {figures.cards} missed items due for review now", "",
             "By chapter:"]
    width = terminal_width()
    lines += [hanging(f"  {_percent(t.accuracy):>4}  {t.attempts:>4}  ", t.name, width)
              for t in figures.by_area]
    lines += ["", "By kind:"]
    lines += [hanging(f"  {_percent(t.accuracy):>4}  {t.attempts:>4}  ", t.name, width)
              for t in figures.by_kind]
    if figures.weakest:
        lines += ["", "Weakest:"]
        lines += [hanging(f"  {_percent(t.accuracy):>4}  ", t.name, width)
                  for t in figures.weakest]
    print_text("\n".join(lines) + "\n")
    return 0


def run_export(args) -> int:
    user = args.user or preferences.user_name()
    rows = export_attempts(open_codebook(), user, args.output)
    print_text(f"wrote {rows} attempts of {user} to {args.output}\n")
    return 0
