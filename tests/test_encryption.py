"""The database encrypted at rest with SQLCipher: `encoder-app encrypt` with a passphrase or a
random key in the OS keyring, the app opening it with that key, a clear message without one, and
backups that stay encrypted."""

from __future__ import annotations

import json
import stat
import sys

import pytest

pytest.importorskip("sqlcipher3", reason="the encrypt extra (sqlcipher3) is not installed")
keyring = pytest.importorskip("keyring", reason="the encrypt extra (keyring) is not installed")

from keyring.backend import KeyringBackend  # noqa: E402
from keyring.backends import fail  # noqa: E402
from sqlalchemy import text  # noqa: E402

from encoder_app import encryption  # noqa: E402
from encoder_app.cli.main import main  # noqa: E402
from encoder_app.codebook.db import engine_for  # noqa: E402
from encoder_app.encounters.snapshot import parse_encounter  # noqa: E402
from encoder_app.encounters.store import list_encounters, save_encounter  # noqa: E402
from encoder_app.encryption import EncryptionError  # noqa: E402

PATIENT = "Zoë Müller"
VISIT = {"date_of_service": "2026-04-14", "place_of_service": "11",
         "patient": {"name": PATIENT, "sex": "F", "birth_date": "1961-11-30",
                     "member_id": "MB-4471"},
         "provider": {"name": "Ana Perez", "npi": "1234567893"},
         "diagnoses": ["E11.9"], "procedures": [{"code": "99214", "charge": 165}]}


class MemoryKeyring(KeyringBackend):
    """An OS keyring stand-in that lives in this process."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.saved.get((service, username))

    def set_password(self, service, username, password):
        self.saved[(service, username)] = password

    def delete_password(self, service, username):
        self.saved.pop((service, username), None)


@pytest.fixture
def os_keyring():
    before = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(before)


@pytest.fixture
def no_keyring():
    """Headless Linux: keyring finds no backend but its "fail" one."""
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


@pytest.fixture
def live(tmp_path, monkeypatch):
    path = tmp_path / "data" / "codebook.sqlite3"
    path.parent.mkdir()
    url = f"sqlite:///{path}"
    monkeypatch.setenv("ENCODER_APP_DB_URL", url)
    monkeypatch.delenv(encryption.PASSPHRASE_ENV, raising=False)
    engine = engine_for(url)
    save_encounter(engine, parse_encounter(VISIT))
    engine.dispose()
    engine_for.cache_clear()
    return path


def labels(path) -> list[str]:
    engine = engine_for(f"sqlite:///{path}")
    try:
        return [e.label for e in list_encounters(engine)]
    finally:
        engine.dispose()
        engine_for.cache_clear()


def holds_patient_text(path) -> bool:
    data = path.read_bytes()
    return PATIENT.encode("utf-8") in data or b"MB-4471" in data


def test_encrypt_with_a_passphrase_then_open_with_it(live, monkeypatch, capsys):
    assert holds_patient_text(live)  # plain SQLite: the name is readable in the file
    monkeypatch.setenv(encryption.PASSPHRASE_ENV, "correct horse battery")
    assert main(["encrypt"]) == 0
    said = capsys.readouterr().out
    assert "the key is your passphrase" in said and encryption.PASSPHRASE_ENV in said
    assert encryption.is_encrypted(live) and not holds_patient_text(live)
    assert stat.S_IMODE(live.stat().st_mode) == 0o600
    assert labels(live) == [PATIENT]
    # the app keeps working on it: save, and its -wal holds no plain text either
    engine = engine_for(f"sqlite:///{live}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    save_encounter(engine, parse_encounter({**VISIT, "diagnoses": ["I10"]}))
    wal = live.with_name(live.name + "-wal")
    if wal.exists():
        assert stat.S_IMODE(wal.stat().st_mode) == 0o600 and not holds_patient_text(wal)
    engine.dispose()
    engine_for.cache_clear()


def test_without_the_passphrase_the_app_says_what_to_set(live, monkeypatch, no_keyring, capsys):
    monkeypatch.setenv(encryption.PASSPHRASE_ENV, "correct horse battery")
    assert main(["encrypt"]) == 0
    monkeypatch.delenv(encryption.PASSPHRASE_ENV)
    capsys.readouterr()
    assert main(["releases"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {live}: the database is encrypted")
    assert "no OS keyring" in err and encryption.PASSPHRASE_ENV in err
    monkeypatch.setenv(encryption.PASSPHRASE_ENV, "wrong horse")
    with pytest.raises(EncryptionError, match="key from ENCODER_APP_PASSPHRASE does not open it"):
        engine_for(f"sqlite:///{live}")


def test_encrypt_with_a_random_key_kept_in_the_os_keyring(live, os_keyring, capsys):
    assert main(["encrypt", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["encrypted"] is True and shown["encounters"] == 1
    assert shown["key"] == "the OS keyring (MemoryKeyring)"
    ((service, account), key), = os_keyring.saved.items()
    assert service == encryption.KEYRING_SERVICE and account == str(live.resolve())
    assert len(key) == 64
    assert encryption.is_encrypted(live) and not holds_patient_text(live)
    assert labels(live) == [PATIENT]  # no passphrase needed: the keyring has the key


def test_headless_linux_without_a_keyring_falls_back_to_a_passphrase(live, no_keyring,
                                                                     monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", open("/dev/null"))  # CI: nobody to type one
    assert main(["encrypt"]) == 1
    err = capsys.readouterr().err
    assert "no OS keyring here" in err and "using a passphrase instead" in err
    assert f"set {encryption.PASSPHRASE_ENV}" in err
    assert not encryption.is_encrypted(live) and labels(live) == [PATIENT]


def test_encrypting_twice_is_refused(live, monkeypatch, capsys):
    monkeypatch.setenv(encryption.PASSPHRASE_ENV, "correct horse battery")
    assert main(["encrypt"]) == 0
    assert main(["encrypt"]) == 1
    assert "already encrypted" in capsys.readouterr().err


def test_a_backup_of_an_encrypted_database_stays_encrypted_and_restores(live, tmp_path,
                                                                        monkeypatch, capsys):
    monkeypatch.setenv(encryption.PASSPHRASE_ENV, "correct horse battery")
    assert main(["encrypt"]) == 0
    out = tmp_path / "backup.sqlite3"
    assert main(["backup", "-o", str(out)]) == 0
    assert "1 encounter, integrity ok, encrypted" in capsys.readouterr().out
    assert encryption.is_encrypted(out) and not holds_patient_text(out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    engine = engine_for(f"sqlite:///{live}")
    save_encounter(engine, parse_encounter({**VISIT, "diagnoses": ["I10"]}))
    engine.dispose()
    engine_for.cache_clear()

    assert main(["restore", str(out)]) == 0
    assert "encrypted" in capsys.readouterr().out
    assert encryption.is_encrypted(live) and labels(live) == [PATIENT]
    monkeypatch.delenv(encryption.PASSPHRASE_ENV)
    assert main(["restore", str(out)]) == 1  # the backup needs the key too
    assert "not a SQLite database (nor an encrypted one" in capsys.readouterr().err


def test_a_key_never_shows_in_its_repr():
    assert "secret" not in repr(encryption.passphrase_key("secret"))


HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1])
conn.execute("PRAGMA journal_mode=WAL")
conn.execute("SELECT count(*) FROM encounters").fetchone()
print("open", flush=True)
sys.stdin.read()
"""


def test_encrypt_refuses_while_the_database_is_open_elsewhere(live, monkeypatch, capsys):
    """Another process, as a window would be (SQLite's locks are per process: an open
    connection in this same process is not seen by sqlcipher3's own SQLite)."""
    import subprocess

    monkeypatch.setenv(encryption.PASSPHRASE_ENV, "correct horse battery")
    other = subprocess.Popen([sys.executable, "-c", HOLDER, str(live)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "open"
        assert main(["encrypt"]) == 1
        assert "open in another encoder-app window or command" in capsys.readouterr().err
    finally:
        other.communicate("", timeout=30)
    assert not encryption.is_encrypted(live)
    assert not list(live.parent.glob(".*.tmp"))
    assert labels(live) == [PATIENT]
