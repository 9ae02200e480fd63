"""The three roles of a practice and what each may do.

The issue's split, as a small office works: the front desk opens the day's encounters and
prints superbills and day sheets; coders also change the codes on them; admins also change
the practice set-up, its fees and pick lists, and the accounts. Each role may do everything
the one before it may, so an admin covering for the coder needs no second account.
"""

from __future__ import annotations

from encoder_app.errors import EncoderError

FRONT_DESK, CODER, ADMIN = "front-desk", "coder", "admin"
ROLES = (FRONT_DESK, CODER, ADMIN)

# What a right lets someone do, in the words a refusal uses ("mary (front-desk) may not ...").
OPEN_ENCOUNTERS = "open saved encounters"
CREATE_ENCOUNTERS = "create encounters"
EDIT_VISIT = "change an encounter's patient and visit"
PRINT = "print superbills and day sheets"
CHANGE_CODES = "change the codes on an encounter"
DELETE_ENCOUNTERS = "delete encounters"
CHANGE_PRACTICE = "change the practice set-up and pick lists"
CHANGE_FEES = "change the fee schedule"
MANAGE_USERS = "add or change user accounts"
IMPORT_RELEASES = "import codebook releases"
IMPORT_STUDY_SETS = "import exercise sets"  # study mode's, for every student of the database

_FRONT_DESK = frozenset({OPEN_ENCOUNTERS, CREATE_ENCOUNTERS, EDIT_VISIT, PRINT,
                        IMPORT_STUDY_SETS})
_CODER = _FRONT_DESK | {CHANGE_CODES, DELETE_ENCOUNTERS}
_ADMIN = _CODER | {CHANGE_PRACTICE, CHANGE_FEES, MANAGE_USERS, IMPORT_RELEASES}
RIGHTS: dict[str, frozenset[str]] = {FRONT_DESK: _FRONT_DESK, CODER: _CODER, ADMIN: _ADMIN}


class PermissionDenied(EncoderError):
    """The signed-in user's role does not allow this, or nobody is signed in to a database
    with accounts. Nothing was changed."""


def check_role(role: str) -> str:
    """The role as stored; raises EncoderError naming the roles for any other word."""
    role = (role or "").strip().lower().replace("_", "-").replace(" ", "-")
    if role == "frontdesk":
        role = FRONT_DESK
    if role not in ROLES:
        raise EncoderError(f"role: {role or '(empty)'!r} is not a role; "
                           f"one of {', '.join(ROLES)}")
    return role


def may(role: str, right: str) -> bool:
    return right in RIGHTS.get(role, frozenset())
