"""Passwords as argon2id hashes (argon2-cffi's defaults: RFC 9106's low-memory profile,
64 MiB and 3 passes, about 0.1 s on a desk PC: slow for a guesser, unnoticed at sign-in)."""

from __future__ import annotations

import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from encoder_app.errors import EncoderError

MIN_LENGTH = 8
_HASHER = PasswordHasher()


def checked_password(password: str) -> str:
    """The password as given; raises EncoderError when it is too short to be one."""
    if len(password or "") < MIN_LENGTH:
        raise EncoderError(f"password: at least {MIN_LENGTH} characters")
    return password


def hash_password(password: str) -> str:
    return _HASHER.hash(checked_password(password))


def password_matches(stored_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def dummy_hash() -> str:
    """Checked against when the name is unknown, so a wrong name takes as long as a wrong
    password and the time taken does not tell which names exist. Made on first use: hashing
    takes 0.1 s, which importing this module should not."""
    return _HASHER.hash("not anyone's password")
