"""`encoder-app user` as a practice sets itself up: the first admin, the others added by the
admin, then everyone signing in (ENCODER_APP_USER / ENCODER_APP_PASSWORD) and doing what
their role allows, one command after another on the same database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

VISIT = Path(__file__).resolve().parents[2] / "resources" / "examples" / "visit.json"


@pytest.fixture
def as_user(monkeypatch):
    def sign(name: str | None, password: str | None = None) -> None:
        for env, value in (("ENCODER_APP_USER", name), ("ENCODER_APP_PASSWORD", password)):
            if value is None:
                monkeypatch.delenv(env, raising=False)
            else:
                monkeypatch.setenv(env, value)
    return sign


def test_a_practice_sets_up_accounts_and_each_role_does_its_part(run_cli, default_data, as_user,
                                                                 tmp_path):
    code, out, err = run_cli("user", "add", "Mary", "--role", "coder",
                         "--password-stdin", stdin="mary-password\n")
    assert code == 1 and "first account must be an admin" in err
    code, out, err = run_cli("user", "add", "Ann", "--role", "admin",
                         "--password-stdin", stdin="ann-password\n")
    assert code == 0 and "added Ann (admin)" in out and "everyone signs in" in out
    # From now on nobody is anybody without a password.
    code, out, err = run_cli("user", "add", "Mary", "--role", "coder",
                         "--password-stdin", stdin="mary-password\n")
    assert code == 1 and "ENCODER_APP_PASSWORD" in err
    as_user("ann", "ann-password")
    for name, role in (("Mary", "coder"), ("Fred", "front-desk")):
        code, out, err = run_cli("user", "add", name, "--role", role,
                             "--password-stdin", stdin=f"{name.lower()}-password\n")
        assert code == 0, err
    code, out, _ = run_cli("user", "list")
    assert [line.split()[:2] for line in out.splitlines()] == [
        ["Ann", "admin"], ["Fred", "front-desk"], ["Mary", "coder"]]

    # The front desk opens the visit without codes; the coder codes it; the front desk may not.
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps({**json.loads(VISIT.read_text()), "diagnoses": [],
                                "procedures": []}))
    as_user("fred", "fred-password")
    code, out, err = run_cli("encounter", "save", str(VISIT))
    assert code == 1 and "Fred (front-desk) may not change the codes" in err
    code, out, err = run_cli("encounter", "save", str(bare))
    assert code == 0 and "as encounter #1" in out, err
    as_user("mary", "wrong-password")
    code, out, err = run_cli("encounter", "list")
    assert code == 1 and "wrong user name or password" in err
    as_user("mary", "mary-password")
    code, out, err = run_cli("encounter", "save", str(VISIT), "--id", "1",
                         "--if-version", "1")
    assert code == 0 and "as Mary" in out, err
    as_user("fred", "fred-password")
    code, out, err = run_cli("encounter", "delete", "1")
    assert code == 1 and "may not delete encounters" in err
    code, out, err = run_cli("practice", "load-sample")
    assert code == 1 and "may not change the practice" in err
    code, out, err = run_cli("encounter", "audit", "1")
    assert code == 0
    users = {line.split()[2] for line in out.splitlines()[1:]}
    assert users == {"Fred", "Mary"}

    # The admin's changes, and the accounts, are in the practice trail; a coder cannot read it.
    as_user("ann", "ann-password")
    assert run_cli("practice", "load-sample")[0] == 0
    code, out, err = run_cli("user", "role", "fred", "coder")
    assert code == 0 and "Fred is now coder" in out
    code, out, err = run_cli("practice", "trail", "--limit", "500")
    assert code == 0
    assert "user Fred.role: front-desk -> coder" in out and "fee 99213: (none) -> " in out
    assert "user Mary: (none) -> added as coder" in out
    as_user("mary", "mary-password")
    code, out, err = run_cli("practice", "trail")
    assert code == 1 and "Mary (coder) may not" in err
    # A student's exercise set, imported for everyone: signed in, and named in the trail.
    exercise_set = str(VISIT.parent / "my-set.json")
    as_user("mary", None)
    code, out, err = run_cli("study", "import", exercise_set)
    assert code == 1 and "ENCODER_APP_PASSWORD" in err
    as_user("mary", "mary-password")
    code, out, err = run_cli("study", "import", exercise_set)
    assert code == 0, err
    as_user("ann", "ann-password")
    code, out, err = run_cli("practice", "trail", "--limit", "1")
    assert "Mary" in out and "exercise set my-set: (none) -> imported from my-set.json" in out


def test_a_desk_without_accounts_asks_nothing(run_cli, default_data):
    code, out, err = run_cli("user", "list")
    assert code == 0 and "No accounts" in out
    code, out, err = run_cli("encounter", "save", str(VISIT))
    assert code == 0 and "as encounter #1" in out, err
