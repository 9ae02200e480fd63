"""Medicare Code Editor (MCE) diagnosis lists: age conflicts, sex conflicts, manifestation codes.

Reads the CSV form icd_code, icd_description, icd_conflict_group, icd_conflict_rule, where the
rule is printed as a coder sees it ("Maternity (Ages 9-64)", "Female Only", "Manifestation (Not
Allowed as Principal Diagnosis)"); the ages and the sex are parsed out of it so the edits engine
compares numbers, not words. The file says nothing about its version, so it comes from the name
(mce_v41...: MCE version N is used for fiscal year 1983 + N).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from encoder_app.codebook.reference_models import MceEdit
from encoder_app.codes import ICD10CM_SHAPE, normalize
from encoder_app.errors import BadRecord
from encoder_app.importers.base import ReleaseInfo, ReleaseWriter, SourceFile
from encoder_app.importers.ncci_common import Header, find_header, open_table
from encoder_app.progress import Progress

FORMAT = "MCE age/sex/manifestation lists"
SYSTEM = "mce"
KIND = "mce"
COLUMNS = ("icd_code", "icd_description", "icd_conflict_group", "icd_conflict_rule")

_VERSION = re.compile(r"(?<![a-z0-9])v(\d{2})(?:[._](\d{1,2}))?(?![0-9])")
_AGES = re.compile(r"\(\s*ages?\s+(\d+)\s*(?:-|to)\s*(\d+)\s*\)", re.IGNORECASE)
_AGE_ONLY = re.compile(r"\(\s*age\s+(\d+)\s+only\s*\)", re.IGNORECASE)

# Words in an age rule -> the MCE edit it belongs to.
_AGE_CATEGORIES = (("newborn", "newborn"), ("perinatal", "newborn"), ("pediatric", "pediatric"),
                   ("maternity", "maternity"), ("adult", "adult"))


def _is_header(cells: Header) -> bool:
    return all(c in cells for c in ("icd_code", "icd_conflict_group", "icd_conflict_rule"))


def sniff(source: SourceFile) -> bool:
    return find_header(source, _is_header) is not None


def release_info(source: SourceFile) -> ReleaseInfo:
    m = _VERSION.search(source.name.lower())
    if m:
        major = int(m.group(1))
        version = f"v{major}" + (f".{int(m.group(2))}" if m.group(2) else "")
        fiscal_year = 1983 + major
        label = f"MCE {version} (FY{fiscal_year}) age, sex and manifestation edits"
        return ReleaseInfo(SYSTEM, KIND, version, label, dt.date(fiscal_year - 1, 10, 1))
    # No version: date it to the current fiscal year (the list most likely in use) and say so.
    today = dt.date.today()
    start = dt.date(today.year if today.month >= 10 else today.year - 1, 10, 1)
    label = (f"MCE age, sex and manifestation edits (no version such as 'v41' in the file name: "
             f"dated {start:%Y-%m-%d} unless imported with --effective-from)")
    return ReleaseInfo(SYSTEM, KIND, f"unversioned-{source.sha256[:8]}", label, start)


def parse_rule(group: str, rule: str, where: str) -> dict:
    """The edit group, category, sex and ages a rule states, or BadRecord."""
    group_word, text = group.strip().lower(), " ".join(rule.split())
    lower = text.lower()
    if group_word == "manifestation" or (group_word == "other" and lower.startswith("manifest")):
        return dict(edit_group="manifestation", category="manifestation")
    if group_word == "sex":
        sex = "F" if "female" in lower else "M" if "male" in lower else None
        if sex is None:
            raise BadRecord(where, f"sex rule {text!r} names neither Female nor Male")
        return dict(edit_group="sex", category="female" if sex == "F" else "male", sex=sex)
    if group_word == "age":
        m = _AGES.search(text)
        if m:
            low, high = int(m.group(1)), int(m.group(2))
        else:
            m = _AGE_ONLY.search(text)
            if not m:
                raise BadRecord(where, f"age rule {text!r} gives no ages like '(Ages 15-124)' "
                                "or '(Age 0 Only)'")
            low = high = int(m.group(1))
        if low > high:
            raise BadRecord(where, f"age rule {text!r} has its lowest age above its highest")
        category = next((c for word, c in _AGE_CATEGORIES if word in lower),
                        lower.split("(")[0].strip() or "age")
        return dict(edit_group="age", category=category, age_min=low, age_max=high)
    raise BadRecord(where, f"conflict group {group!r} is not Age, Sex or Manifestation")


def load(source: SourceFile, writer: ReleaseWriter) -> Iterator[Progress]:
    rows = []
    with open_table(source, _is_header, "MCE (" + ", ".join(COLUMNS) + ")") as (reader, header):
        idx = {name: header.index(name) if name in header else None for name in COLUMNS}
        width = max(i for i in idx.values() if i is not None) + 1
        for row in reader:
            if not any(c.strip() for c in row):
                continue
            where = f"row {reader.line_num}"
            if len(row) < width:
                raise BadRecord(where, f"has {len(row)} columns; an MCE row has {width}")
            raw_code = row[idx["icd_code"]]
            code = normalize(raw_code)
            if not ICD10CM_SHAPE.fullmatch(code):
                raise BadRecord(where, f"icd_code {raw_code!r} is not an ICD-10-CM code")
            rule = " ".join(row[idx["icd_conflict_rule"]].split())
            parsed = parse_rule(row[idx["icd_conflict_group"]], rule, where)
            desc_i = idx["icd_description"]
            rows.append({"release_id": writer.release_id, "code": code,
                         "description": row[desc_i].strip() if desc_i is not None else "",
                         "rule": rule, "sex": None, "age_min": None, "age_max": None, **parsed})
    if not rows:
        raise BadRecord("row 2", "the list has a header but no codes")
    yield Progress(0, len(rows), "writing MCE edits")
    writer.insert(MceEdit.__table__, rows)
    for group in ("age", "sex", "manifestation"):
        writer.count(f"{group} edits", sum(1 for r in rows if r["edit_group"] == group))
    yield Progress(len(rows), len(rows), "done")
