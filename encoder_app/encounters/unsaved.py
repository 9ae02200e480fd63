"""Encounters typed while the practice server could not be reached, kept on this workstation
until they are saved: one encounter JSON file each in the data folder's ``unsaved`` folder
(readable by this user only: patient data), named by the encounter's workstation key, removed
once the save goes through. A crash or a closed window in between loses nothing: the file is
an encounter file, opened with File > Import encounter JSON or `encoder-app encounter save`."""

from __future__ import annotations

import json
from pathlib import Path

from encoder_app import settings
from encoder_app.file_modes import private_folder, write_private_text


def unsaved_folder() -> Path:
    return settings.data_dir() / "unsaved"


def keep_unsaved(document: dict, key: str) -> Path:
    """Write the encounter document to the unsaved folder; its path."""
    folder = private_folder(unsaved_folder())
    return write_private_text(folder / f"{key}.json",
                              json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def forget_unsaved(key: str) -> None:
    """The encounter is saved: its kept copy goes."""
    (unsaved_folder() / f"{key}.json").unlink(missing_ok=True)


def list_unsaved() -> list[Path]:
    folder = unsaved_folder()
    return sorted(folder.glob("*.json")) if folder.is_dir() else []
