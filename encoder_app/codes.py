"""How codes are written: the shape of each code set's codes, stored without the dot, shown
with it (ICD-10-CM only).

Every ``*_SHAPE`` pattern is used with ``fullmatch`` on the stored form (:func:`normalize`: upper
case, no dot, no spaces), except :data:`ICD10CM_DOTTED_SHAPE` (the form a coder reads) and
:data:`TYPED_CODE_PREFIX` (a query being typed). Digits are ``[0-9]``, never ``\\d``, which
matches other scripts' digits too.
"""

from __future__ import annotations

import re

ICD10CM = "icd10cm"
ICD10PCS = "icd10pcs"
HCPCS = "hcpcs"
HCPCS_MODIFIER = "hcpcs_modifier"
CPT = "cpt"
POS = "pos"

#: Systems a coder names on the command line, with the words shown to them.
SYSTEM_NAMES = {
    ICD10CM: "ICD-10-CM",
    ICD10PCS: "ICD-10-PCS",
    HCPCS: "HCPCS Level II",
    HCPCS_MODIFIER: "HCPCS modifier",
    CPT: "CPT",
    POS: "Place of Service",
}

#: Upper-case letters and digits (code characters as stored).
_ALNUM = "0-9A-Z"

#: ICD-10-CM as stored: a letter, a digit, a digit or letter (the category: 3 characters alone),
#: then up to 4 more: I10, E119, S72001A.
ICD10CM_SHAPE = re.compile(rf"[A-Z][0-9][{_ALNUM}][{_ALNUM}]{{0,4}}")
#: ICD-10-CM as a coder reads it: the category, then a dot and 1 to 4 more: I10, E11.9.
ICD10CM_DOTTED_SHAPE = re.compile(rf"[A-Z][0-9][{_ALNUM}](?:\.[{_ALNUM}]{{1,4}})?")

#: The characters of ICD-10-PCS: digits and letters except I and O (never mistaken for 1 and 0).
PCS_ALPHABET = "0-9A-HJ-NP-Z"
#: One ICD-10-PCS character (an axis value of a PCS table).
PCS_VALUE = re.compile(f"[{PCS_ALPHABET}]")
#: The ICD-10-PCS sections (first character): 0-9 and B, C, D, F, G, H, X, exactly those of the
#: CMS FY2023 tables. The section keeps 7-character ICD-10-CM codes (S72001A) out of PCS.
PCS_SECTIONS = "0-9BCDFGHX"
#: ICD-10-PCS: a section, then 6 characters of the PCS alphabet: 0DTJ4ZZ.
ICD10PCS_SHAPE = re.compile(f"[{PCS_SECTIONS}][{PCS_ALPHABET}]{{6}}")

#: The first letters HCPCS Level II uses: those of the CMS July 2024 ANWEB file (A B C E G H J K
#: L M P Q R S T U V) and D (dental: CDT codes, left out of ANWEB but billed under HCPCS and
#: listed in the NCCI MUE tables). F, I, N, O and W-Z start no Level II code, so I2510 and F1010
#: can only be ICD-10-CM (I25.10, F10.10). If CMS opens a new letter, add it here.
HCPCS_LETTERS = "ABCDEGHJKLMPQRSTUV"
#: HCPCS Level II: one of those letters and 4 digits: A0021, J1100.
HCPCS_SHAPE = re.compile(f"[{HCPCS_LETTERS}][0-9]{{4}}")

#: CPT: 4 digits, then a digit (Category I), F (Category II), T (Category III), U (PLA) or
#: M (multianalyte assays): 99213, 3074F, 0042T, 0001U, 0002M.
CPT_SHAPE = re.compile(r"[0-9]{4}[0-9FTUM]")

#: HCPCS/CPT modifiers: 2 digits or letters: 25, 59, LT, GA, F1.
MODIFIER_SHAPE = re.compile(f"[{_ALNUM}]{{2}}")

#: Place of Service: 2 digits: 11, 02.
POS_SHAPE = re.compile(r"[0-9]{2}")

#: Looser than any shape above: what a search query looks like when a code is being typed, any
#: case, maybe an unfinished prefix: 'e1', 'E11.', 'e11.9', '0DTJ', 'j342'. Up to 3 characters,
#: then up to 4 more, after a dot or not.
TYPED_CODE_PREFIX = re.compile(r"[A-Za-z0-9]{1,3}(?:\.[A-Za-z0-9]{0,4}|[A-Za-z0-9]{0,4})")

#: Each system's shape (stored form), in the order :func:`systems_of` answers.
SHAPES = {
    ICD10CM: ICD10CM_SHAPE,
    ICD10PCS: ICD10PCS_SHAPE,
    HCPCS: HCPCS_SHAPE,
    HCPCS_MODIFIER: MODIFIER_SHAPE,
    CPT: CPT_SHAPE,
    POS: POS_SHAPE,
}


def systems_of(code: str) -> tuple[str, ...]:
    """Every system a code is shaped for, in the order of :data:`SHAPES`; () for none.

    Some undotted codes fit two: 'J1100' is J11.00 stored without its dot and an HCPCS drug
    code, so -> (icd10cm, hcpcs); '25' is a modifier and a place of service. A code written
    with a dot ('J11.00') can only be ICD-10-CM."""
    text = code.strip().upper()
    if "." in text:
        return (ICD10CM,) if ICD10CM_DOTTED_SHAPE.fullmatch(text) else ()
    text = normalize(text)
    return tuple(system for system, shape in SHAPES.items() if shape.fullmatch(text))


def normalize(code: str) -> str:
    """The stored form: upper case, no dot, no spaces ('e11.9 ' -> 'E119')."""
    return code.strip().upper().replace(".", "").replace(" ", "")


def dotted(code: str, system: str = ICD10CM) -> str:
    """The form a coder reads: 'E119' -> 'E11.9'; other systems have no dot."""
    if system == ICD10CM and len(code) > 3 and code[0].isalpha():
        return f"{code[:3]}.{code[3:]}"
    return code


def split_modifiers(text: str) -> tuple[str, tuple[str, ...]]:
    """A code written with its modifiers after hyphens, as answer keys and pick lists write
    them: 'L3908-RT' -> ('L3908', ('RT',)), 'e0114 - nu' -> ('E0114', ('NU',)). The code is
    normalized; an empty part stays empty ('L3908-' -> ('L3908', ('',))) for the caller to
    name. A trailing dash of an ICD-10-CM category ('S72.9-') is not a modifier: it is the
    book's sign that more characters are needed, and is kept on the code."""
    parts = text.split("-")
    code = normalize(parts[0])
    rest = parts[1:]
    if rest == [""]:  # 'S72.9-' as the book prints it
        return code + "-", ()
    return code, tuple(normalize(m) for m in rest)
