"""Encounters typed while the practice server could not be reached, kept on this workstation
until they are saved: one encounter JSON file each in the data folder's ``unsaved`` folder
(readable by this user only: patient data), named by the encounter's workstation key, removed
once the save goes through. Beside each, ``KEY.where.json`` says which saved encounter and
version it was typed on (none for a new one), so reopening it later saves to the same row, with
the same conflict check. A crash or a closed window in between loses nothing; the file is also
an ordinary encounter file (File > Import encounter JSON, `encoder-app encounter save`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from encoder_app import settings
from encoder_app.file_modes import private_folder, write_private_text


@dataclass(frozen=True)
class KeptEncounter:
    key: str
    path: Path
    document: dict
    encounter_id: int | None  # the saved encounter it was typed on; None when new
    version: int | None


def unsaved_folder() -> Path:
    return settings.data_dir() / "unsaved"


def _write(path: Path, data: dict) -> Path:
    return write_private_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def keep_unsaved(document: dict, key: str, encounter_id: int | None = None,
                 version: int | None = None) -> Path:
    """Write the encounter document (and where it belongs) to the unsaved folder; its path."""
    folder = private_folder(unsaved_folder())
    _write(folder / f"{key}.where.json", {"encounter_id": encounter_id, "version": version})
    return _write(folder / f"{key}.json", document)


def forget_unsaved(key: str) -> None:
    """The encounter is saved: its kept copy goes."""
    for name in (f"{key}.json", f"{key}.where.json"):
        (unsaved_folder() / name).unlink(missing_ok=True)


def _age(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # saved (and removed) while the folder was being read
        return 0.0


def list_unsaved() -> list[KeptEncounter]:
    """The kept encounters, oldest first; a file that cannot be read is left where it is."""
    folder = unsaved_folder()
    if not folder.is_dir():
        return []
    kept = []
    for path in sorted(folder.glob("*.json"), key=_age):
        if path.name.endswith(".where.json"):
            continue
        key = path.name.removesuffix(".json")
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            where_path = folder / f"{key}.where.json"
            where = json.loads(where_path.read_text(encoding="utf-8")) \
                if where_path.exists() else {}
        except (OSError, ValueError):
            continue
        kept.append(KeptEncounter(key, path, document, where.get("encounter_id"),
                                  where.get("version")))
    return kept
