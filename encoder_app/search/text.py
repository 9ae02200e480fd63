"""How search text is normalised: lower-case words, Porter stems, words too common to rank on."""

from __future__ import annotations

import re
import unicodedata

from whoosh.lang.porter import stem as porter_stem

_WORD = re.compile(r"[a-z0-9]+")

#: Words that say little about which code is meant; they neither count as extra words in a
#: title nor need to be typed.
FILLER = frozenset("""a an and as at by due for from in into of on or other the to with without
    nos nec""".split())

#: Words a coder need not type and that do not make a title less specific to what was typed:
#: 7th-character wording ("initial encounter for closed fracture") and "unspecified", which
#: is exactly what a bare term means.
NOT_EXTRA = FILLER | frozenset("""unspecified initial encounter subsequent sequela closed open
    routine delayed healing nonunion malunion type i ii iiia iiib iiic site""".split()) \
    | frozenset(("accidental", "unintentional"))  # a poisoning of unstated intent (I.C.19.e.5.b)


#: Words that say which 7th character a code takes, not which code: a search finds the code
#: without them and picks the completion they name (search/seventh.py).
ENCOUNTER_WORDS = frozenset("""initial encounter subsequent sequela routine delayed healing
    nonunion malunion""".split())


#: Units and routes of a dose ("Toradol 30 mg IM"): how much and how, not which drug. The
#: number of a dose is the one just before its unit; other numbers ("stage 4", "type 2") stay.
DOSE_WORDS = frozenset("""mg mcg g gm gram grams ml cc unit units iu meq im iv sc sq subq po
    intramuscular intravenous subcutaneous oral injection inj dose""".split())

#: How a chart frames a patient and a visit: words a long query carries that name no
#: condition; the partial match of a long query leaves them out (whoosh_search._best_partial).
CHART_WORDS = frozenset("""yo y o year years old month months man woman male female pt patient
    presents presenting seen here visit c dx hx elderly today follow up came""".split())


_DOSE = re.compile(r"\b([0-9]+)(?:\.([0-9]+))?\s*(?:mg|mcg|g|gm|grams?|ml|cc|units?|iu|meq)\b")


def dose_numbers(query: str) -> frozenset[str]:
    """The numbers of the doses in a query, as words: 'Toradol 30 mg IM' -> {'30'}; 'Narcan
    0.4 mg' -> {'0', '4'} (a decimal is two words)."""
    return frozenset(n for m in _DOSE.finditer(query.lower()) for n in m.groups() if n)


def words(text: str) -> list[str]:
    """'Neck of femur (S72.0-)' -> ['neck', 'of', 'femur', 's72', '0']; accents folded
    ("Ménière's" is typed "meniere")."""
    text = text.lower()
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text)
                       if not unicodedata.combining(c))
    return _WORD.findall(text)


def normalized(text: str) -> str:
    """The words of a text joined by single spaces, with a space at both ends so that
    ' word ' and ' prefix' substring checks find whole words and word starts."""
    return " " + " ".join(words(text)) + " "


_stems: dict[str, str] = {}


def stem(word: str) -> str:
    cached = _stems.get(word)
    if cached is None:
        cached = _stems[word] = porter_stem(word)
    return cached
