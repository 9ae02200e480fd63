"""Who is coding: remembered in the data folder, overridable, never stopped by a damaged file."""

import pytest

from encoder_app import preferences
from encoder_app.errors import EncoderError


def test_defaults_to_the_login_name(monkeypatch):
    monkeypatch.delenv(preferences.USER_ENV, raising=False)
    monkeypatch.setattr(preferences, "_login_name", lambda: "mgarcia")
    assert preferences.user_name() == "mgarcia"


def test_a_chosen_name_is_remembered_and_the_environment_wins(monkeypatch):
    monkeypatch.delenv(preferences.USER_ENV, raising=False)
    assert preferences.set_user_name("  Zoë   Müller ") == "Zoë Müller"
    assert preferences.user_name() == "Zoë Müller"
    monkeypatch.setenv(preferences.USER_ENV, "ana")
    assert preferences.user_name() == "ana"


def test_a_damaged_file_falls_back_and_is_rewritten(isolated_data_dir, monkeypatch):
    monkeypatch.delenv(preferences.USER_ENV, raising=False)
    monkeypatch.setattr(preferences, "_login_name", lambda: "login")
    isolated_data_dir.mkdir(parents=True, exist_ok=True)
    (isolated_data_dir / "preferences.json").write_text("{not json")
    assert preferences.user_name() == "login"
    preferences.set_user_name("ana")
    assert preferences.user_name() == "ana"


@pytest.mark.parametrize("bad", ["", "   ", "x" * 101])
def test_bad_names_are_refused(bad):
    with pytest.raises(EncoderError, match="user name"):
        preferences.set_user_name(bad)
