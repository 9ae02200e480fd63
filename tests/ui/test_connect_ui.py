"""File > Connect to server, as a practice's workstation is set up: a server that cannot be
reached is named and nothing is remembered; a server that answers is remembered and the
window opens again on it; "Use this desk's own database" opens the desk's again."""

from __future__ import annotations

import socket
from types import SimpleNamespace

from PySide6.QtWidgets import QLabel
from sqlalchemy.engine import make_url

from encoder_app import settings
from encoder_app.server_connection import saved_server
from ui.app import open_window as real_open_window


def fill(dialog, host, port, database, user, password=""):
    for field, value in ((dialog.host, host), (dialog.port, str(port)),
                         (dialog.database, database), (dialog.user, user),
                         (dialog.password, password)):
        field.setText(value)


def test_an_unreachable_server_is_named_and_nothing_is_remembered(window):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dialog = window.connect_to_server()
    fill(dialog, "127.0.0.1", port, "practice", "encoder_app", "secret-pw")
    assert not dialog.connect_to()
    assert "could not reach the database on the server" in dialog.result.text()
    assert "secret-pw" not in dialog.result.text() and dialog.isVisible()
    fill(dialog, "127.0.0.1", "not-a-port", "practice", "encoder_app")
    assert not dialog.test() and "port:" in dialog.result.text()
    assert saved_server() is None
    dialog.reject()


def test_connect_reopens_on_the_server_and_the_desk_button_comes_back(window, default_data,
                                                                     postgres_cluster, qtbot,
                                                                     monkeypatch):
    monkeypatch.setenv("PGPASSFILE", "")
    url = make_url(postgres_cluster.new_database())
    opened = []

    def open_window(engine, index_dir=None):  # the server's first start builds a codebook
        opened.append(engine)
        return SimpleNamespace(status=QLabel())

    monkeypatch.setattr("ui.app.open_window", open_window)
    dialog = window.connect_to_server()
    fill(dialog, url.host, url.port, url.database, url.username)
    assert dialog.test() and "empty: opening it creates the schema" in dialog.result.text()
    assert dialog.connect_to()
    assert saved_server().database == url.database
    assert [e.dialect.name for e in opened] == ["postgresql"]
    assert opened[0].url.database == url.database
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)
    assert settings.database_url().startswith("postgresql+psycopg://")

    # The next start (here: a window on the desk) offers the way back.
    monkeypatch.setattr("ui.app.open_window", real_open_window)
    desk = real_open_window(make_engine_for_desk())
    qtbot.addWidget(desk, before_close_func=lambda w: setattr(w.encounters, "may_leave",
                                                              lambda: True))
    dialog = desk.connect_to_server()
    assert dialog.desk_button.isEnabled() and dialog.host.text() == url.host
    dialog.desk_button.click()
    assert saved_server() is None
    assert settings.database_url() == settings.desk_database_url()


def make_engine_for_desk():
    from encoder_app.codebook.db import engine_for

    return engine_for(settings.desk_database_url())
