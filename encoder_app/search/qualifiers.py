""""With" and "without" as a coder means them. "Acute cystitis without hematuria" and "acute
cystitis with hematuria" share every word a search matches on ("with" and "without" are filler),
so both siblings tied and the wrong one often came first. Here the query's stated qualifiers are
read ("without X", "no X", "not X" against "with X"), and a code whose text says the opposite
about X is ranked down, one that says the same is ranked up. A text that does not mention X is
left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from encoder_app.search.text import FILLER, stem, words

_NEGATORS = frozenset({"without", "no", "not", "wo"})
_AFFIRMERS = frozenset({"with", "w"})
#: How far back from a word its qualifier may stand: "without (mention of) coma",
#: "with acute exacerbation", "without perforation or gangrene".
_REACH = 3
AGREES, DISAGREES = 1.2, 0.6
#: A code "with X" when the query never names X: a condition nobody documented. Its sibling
#: "without X" (or the code that does not mention X) is what the record supports.
UNASKED_WITH = 0.9


#: Words of which a query naming one contradicts a text naming the other: a family history is
#: not the patient's own (Z80 against Z85).
_OPPOSITES = {"family": "personal", "personal": "family"}

#: Who is injured in a transport accident. "Pedestrian injured in collision with car" and
#: "Car occupant injured in collision with pedestrian" share every word; the role the query
#: names first is the injured person (V03 for "pedestrian hit by car"), so a text naming it
#: only after "injured" (as what was collided with) has the roles swapped.
_ROLES = ("pedestrian", "pedal", "bicyclist", "cyclist", "motorcycle", "motorcyclist", "car",
          "driver", "passenger", "occupant", "rider", "bus", "truck")


#: Words naming a narrower kind that a query must say to mean it, and how much a text with
#: one loses when the query does not: a vehicle accident is assumed to have occurred on the
#: public highway, a traffic accident, unless another place is specified (ICD-10-CM Tabular,
#: Chapter 20 transport accident definitions, note (c)), so "nontraffic" and "unspecified
#: whether traffic or nontraffic" sink; and a "bicyclist" rides a pedal cycle, not an electric
#: (assisted) bicycle, which has codes of its own.
UNASKED_KINDS = {"nontraffic": 0.85, "electric": 0.8}


@dataclass(frozen=True)
class Qualifiers:
    absent: frozenset[str] = frozenset()  # stems the query says are not there
    present: frozenset[str] = frozenset()  # stems the query says are there ("with X")
    asked: frozenset[str] = frozenset()  # every stem of the query
    opposed: frozenset[str] = frozenset()  # words whose presence in a text contradicts it
    roles: tuple[str, ...] = ()  # the transport roles the query names; the first was injured
    unasked: tuple[tuple[str, float], ...] = ()  # UNASKED_KINDS the query does not name

    def __bool__(self) -> bool:
        return bool(self.asked)


def _polarities(tokens: list[str]) -> list[tuple[str, bool | None]]:
    """Each content word's stem with what the nearest qualifier before it says: True (with),
    False (without, no, not), None (no qualifier within reach)."""
    out = []
    for i, token in enumerate(tokens):
        if token in FILLER or token in _NEGATORS or token in _AFFIRMERS:
            continue
        said = None
        for back in range(i - 1, max(-1, i - 1 - _REACH), -1):
            if tokens[back] in _NEGATORS:
                said = False
                break
            if tokens[back] in _AFFIRMERS:
                said = True
                break
        out.append((stem(token), said))
    return out


def read_qualifiers(query: str) -> Qualifiers:
    """'w/o' reads as 'without' ('w/' as 'with')."""
    text = re.sub(r"\bw/o\b", " without ", query.lower())
    text = re.sub(r"\bw/", " with ", text)
    tokens = words(text)
    said = _polarities(tokens)
    roles = tuple(dict.fromkeys(t for t in tokens if t in _ROLES))
    return Qualifiers(frozenset(s for s, p in said if p is False),
                      frozenset(s for s, p in said if p is True),
                      frozenset(s for s, _p in said),
                      frozenset(_OPPOSITES[t] for t in tokens if t in _OPPOSITES),
                      roles,
                      tuple((w, f) for w, f in UNASKED_KINDS.items() if w not in tokens))


def _swapped_roles(text: str, roles: tuple[str, ...]) -> bool:
    """'Car occupant injured in collision with pedestrian' for a pedestrian hit by a car: the
    injured person is another role the query names, not the first."""
    before, found, _after = text.partition(" injured ")
    if not found:
        return False
    before += " "
    return f" {roles[0]} " not in before and any(f" {r} " in before for r in roles[1:])


def qualifier_factor(text: str, qualifiers: Qualifiers) -> float:
    """How much a code's text agrees with the query's qualifiers: above 1 when it states the
    same, below 1 when it states the opposite or adds a "with X" nobody asked for, 1 when it
    says nothing of them. Runs for every candidate of every keystroke, so a word is stemmed
    only when its answer can matter."""
    if not qualifiers:
        return 1.0
    factor = 1.0
    for word, loss in qualifiers.unasked:
        if f" {word} " in text:
            factor *= loss
    for word in qualifiers.opposed:
        if f" {word} " in text:
            factor *= DISAGREES
    if len(qualifiers.roles) > 1 and _swapped_roles(text, qualifiers.roles):
        factor *= DISAGREES
    stated = qualifiers.absent or qualifiers.present
    if not stated and " with" not in text:
        return factor
    last, last_at = None, -_REACH - 1
    for i, token in enumerate(text.split()):
        if token in _NEGATORS:
            last, last_at = False, i
            continue
        if token in _AFFIRMERS:
            last, last_at = True, i
            continue
        if token in FILLER:
            continue
        said = last if i - last_at <= _REACH else None
        if said is None and not stated:
            continue
        s = stem(token)
        if s in qualifiers.absent:
            factor *= AGREES if said is False else DISAGREES
        elif s in qualifiers.present and said is False:
            factor *= DISAGREES
        elif s in qualifiers.present and said is True:
            factor *= AGREES
        elif said is True and s not in qualifiers.asked:
            factor *= UNASKED_WITH
    return factor
