"""Connecting a workstation to the practice server (`db connect`, File > Connect to server):
tried first, remembered without the password in server.json, the password in a libpq
password file only this user reads; every command then opens the server; --desk goes back.
A server that cannot be reached is named and nothing is remembered."""

from __future__ import annotations

import os
import socket
import stat

from sqlalchemy.engine import make_url

from encoder_app import settings
from encoder_app.server_connection import password_file, saved_server


def test_connect_remembers_the_server_and_every_command_opens_it(run_cli, postgres_cluster,
                                                                monkeypatch):
    monkeypatch.setenv("PGPASSFILE", "")  # whatever the test sets is undone after
    url = make_url(postgres_cluster.new_database())
    code, out, err = run_cli("db", "connect", url.host, url.database,
                         url.username, "--port", str(url.port), "--password-stdin",
                         stdin="s3cret:pass\n")
    assert code == 0, err
    assert "connected to" in out and "empty: opening it creates the schema" in out
    assert saved_server().database == url.database
    assert "s3cret" not in (settings.data_dir() / "server.json").read_text()
    line = password_file().read_text().strip()
    assert line == f"{url.host}:{url.port}:{url.database}:{url.username}:s3cret\\:pass"
    assert stat.S_IMODE(password_file().stat().st_mode) == 0o600
    assert settings.database_url() == make_url(url).set(password=None).render_as_string(
        hide_password=False)
    assert os.environ["PGPASSFILE"] == str(password_file())
    code, out, err = run_cli("db", "upgrade")
    assert code == 0 and "(postgresql)" not in err and url.database in out, err
    code, out, _ = run_cli("db", "status")
    assert "(postgresql): at the current schema" in out
    code, out, _ = run_cli("db", "connect", "--desk")
    assert code == 0 and settings.database_url().startswith("sqlite:///")


def test_a_server_that_cannot_be_reached_is_named_and_nothing_is_remembered(run_cli):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, out, err = run_cli("db", "connect", "127.0.0.1", "practice",
                         "encoder_app", "--port", str(port), "--password-stdin",
                         stdin="pw-of-the-role\n")
    assert code == 1 and "could not reach the database on the server" in err
    assert "pw-of-the-role" not in err and saved_server() is None
    assert not password_file().exists()
    code, out, err = run_cli("db", "connect", "db.example", "practice",
                         "encoder_app", "--port", "http")
    assert code == 1 and "port: 'http' is not a number" in err
