"""Applying a finding's fix to an encounter document (the encounter JSON as a dict).

Pure: returns a new document and leaves the given one alone, so the GUI can offer undo.
Lines are 1-based as the findings name them; diagnosis indexes are 0-based list positions.
"""

from __future__ import annotations

import copy

from encoder_app.errors import EncoderError


class FixNotApplicable(EncoderError):
    """The fix no longer fits the encounter (it changed since the finding was made)."""


def _recoded(entry, code: str):
    """A diagnosis given a new code: an inpatient one ({"code", "poa"}) keeps its POA and its
    other fields."""
    return {**entry, "code": code} if isinstance(entry, dict) else code


def apply_fix(document: dict, fix: dict, choice: str | None = None) -> dict:
    """The document with `fix` applied; `choice` picks one of fix["choices"] where offered."""
    doc = copy.deepcopy(document)
    diagnoses: list = doc.setdefault("diagnoses", [])
    procedures: list = doc.setdefault("procedures", [])
    action = fix.get("action")

    def line_at(number: int) -> dict:
        if not 1 <= number <= len(procedures):
            raise FixNotApplicable(f"procedure line {number} is no longer on the encounter")
        return procedures[number - 1]

    def diagnosis_index(index: int) -> int:
        if not 0 <= index < len(diagnoses):
            raise FixNotApplicable(f"diagnosis {index + 1} is no longer on the encounter")
        return index

    if action == "replace_diagnosis":
        code = choice or fix.get("code") or (fix.get("choices") or [None])[0]
        if not code:
            raise FixNotApplicable("no replacement code was offered")
        at = diagnosis_index(fix["index"])
        diagnoses[at] = _recoded(diagnoses[at], code)
    elif action == "remove_diagnosis":
        removed = diagnosis_index(fix["index"]) + 1
        del diagnoses[removed - 1]
        for line in procedures:  # pointers follow the diagnoses they point at
            kept = [p for p in line.get("diagnosis_pointers", []) if p != removed]
            line["diagnosis_pointers"] = [p - 1 if p > removed else p for p in kept]
    elif action == "combine_diagnoses":
        # Several codes become one combination code (I10 + I12.9 -> I12.9; I11.9 + I12.9 ->
        # I13.10): it takes the place of the first, and lines that pointed at any of them
        # point at it.
        indexes = sorted({diagnosis_index(i) for i in fix["indexes"]})
        if not fix.get("code") or not indexes:
            raise FixNotApplicable("no combination code was offered")
        kept = indexes[0]
        diagnoses[kept] = _recoded(diagnoses[kept], fix["code"])
        gone = set(indexes[1:])
        new_position, shift = {}, 0
        for old in range(len(diagnoses)):
            if old in gone:
                shift += 1
                new_position[old + 1] = kept + 1
            else:
                new_position[old + 1] = old + 1 - shift
        doc["diagnoses"] = [d for i, d in enumerate(diagnoses) if i not in gone]
        for line in procedures:
            pointers = [new_position.get(p, p) for p in line.get("diagnosis_pointers", [])]
            line["diagnosis_pointers"] = list(dict.fromkeys(pointers))
    elif action == "add_diagnosis":
        if not fix.get("code"):
            raise FixNotApplicable("no code to add was offered")
        at = max(0, min(fix.get("index", len(diagnoses)), len(diagnoses)))
        diagnoses.insert(at, fix["code"])
        for line in procedures:  # the codes after it moved down one place
            line["diagnosis_pointers"] = [p + 1 if p > at else p
                                          for p in line.get("diagnosis_pointers", [])]
    elif action == "move_diagnosis":
        source, target = diagnosis_index(fix["from"]), fix["to"]
        target = max(0, min(target, len(diagnoses) - 1))
        order = list(range(len(diagnoses)))
        order.insert(target, order.pop(source))
        doc["diagnoses"] = [diagnoses[i] for i in order]
        new_position = {old + 1: new + 1 for new, old in enumerate(order)}
        for line in procedures:
            pointers = line.get("diagnosis_pointers", [])
            line["diagnosis_pointers"] = [new_position[p] for p in pointers if p in new_position]
    elif action == "add_modifier":
        line = line_at(fix["line"])
        modifier = choice or fix["modifier"]
        modifiers = line.setdefault("modifiers", [])
        if modifier not in modifiers:
            if len(modifiers) >= 4:
                raise FixNotApplicable(f"line {fix['line']} already has 4 modifiers")
            modifiers.append(modifier)
    elif action == "remove_modifier":
        line = line_at(fix["line"])
        modifiers = line.get("modifiers", [])
        if fix["modifier"] in modifiers:
            modifiers.remove(fix["modifier"])  # one copy: a duplicate keeps the other
    elif action == "set_units":
        line_at(fix["line"])["units"] = fix["units"]
    elif action == "split_units":
        line = line_at(fix["line"])
        per_line = fix["units_per_line"]
        units = line.get("units", 1)
        if per_line < 1 or units <= per_line:
            raise FixNotApplicable(f"line {fix['line']} has {units} units; nothing to split")
        pieces = []
        while units > 0:
            piece = copy.deepcopy(line)
            piece["units"] = min(per_line, units)
            units -= piece["units"]
            pieces.append(piece)
        index = fix["line"] - 1
        procedures[index:index + 1] = pieces
    elif action == "set_pointers":
        line_at(fix["line"])["diagnosis_pointers"] = list(fix["pointers"])
    elif action == "clear_poa":
        # An exempt code's present-on-admission indicator is left blank: the entry becomes the
        # bare code again unless it carries other fields.
        at = diagnosis_index(fix["index"])
        entry = diagnoses[at]
        if isinstance(entry, dict):
            rest = {k: v for k, v in entry.items() if k != "poa"}
            diagnoses[at] = rest if set(rest) - {"code"} else rest.get("code", "")
    elif action == "set_procedure_date":
        line_at(fix["line"])["date"] = fix["date"]
    elif action == "set_provider_name":
        if not fix.get("name"):
            raise FixNotApplicable("no provider name was offered")
        provider = doc.get("provider")
        doc["provider"] = {**(provider if isinstance(provider, dict) else {}),
                           "name": fix["name"]}
    elif action == "remove_line":
        line_at(fix["line"])
        del procedures[fix["line"] - 1]
    else:
        raise FixNotApplicable(f"unknown fix action {action!r}")
    return doc
