"""Handing PDFs to the spooler and writing files whole: commands and errors, no real printer."""

import subprocess

import pytest

from encoder_app import print_spool
from encoder_app.errors import EncoderError
from encoder_app.files import write_atomically


def test_lp_command_names_printer_and_copies(tmp_path):
    pdf = tmp_path / "visit.pdf"
    assert print_spool.print_command(pdf, "Front_Desk", 2) == \
        ["lp", "-d", "Front_Desk", "-n", "2", "--", str(pdf)]
    assert print_spool.print_command(pdf, None) == ["lp", "--", str(pdf)]


def test_a_refused_job_says_why(tmp_path, monkeypatch):
    monkeypatch.setattr(print_spool.sys, "platform", "linux")
    monkeypatch.setattr(print_spool.shutil, "which", lambda name: "/usr/bin/lp")
    monkeypatch.setattr(print_spool.subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(
        a[0], 1, "", "lp: The printer or class does not exist."))
    with pytest.raises(print_spool.PrintFailed, match="does not exist"):
        print_spool.send_to_printer(tmp_path / "visit.pdf", "Nowhere")


def test_no_spooler_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(print_spool.sys, "platform", "linux")
    monkeypatch.setattr(print_spool.shutil, "which", lambda name: None)
    with pytest.raises(print_spool.PrintFailed, match="no print spooler"):
        print_spool.send_to_printer(tmp_path / "visit.pdf")


def test_a_queued_job_returns_the_spooler_reply(tmp_path, monkeypatch):
    seen = []
    monkeypatch.setattr(print_spool.sys, "platform", "linux")
    monkeypatch.setattr(print_spool.shutil, "which", lambda name: "/usr/bin/lp")

    def run(command, **kwargs):
        seen.append(command)
        return subprocess.CompletedProcess(command, 0, "request id is desk-42 (1 file(s))\n", "")

    monkeypatch.setattr(print_spool.subprocess, "run", run)
    assert print_spool.send_to_printer(tmp_path / "v.pdf", "desk") == \
        "request id is desk-42 (1 file(s))"
    assert seen[0][:3] == ["lp", "-d", "desk"]


def test_write_atomically_keeps_the_old_file_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "visit.pdf"
    write_atomically(target, b"%PDF-old")

    def broken(*_a):
        raise OSError(28, "No space left on device")

    import encoder_app.file_modes as file_modes
    monkeypatch.setattr(file_modes.os, "replace", broken)
    with pytest.raises(EncoderError, match="visit.pdf: could not write"):
        write_atomically(target, b"%PDF-new")
    assert target.read_bytes() == b"%PDF-old"
    assert [p.name for p in tmp_path.iterdir()] == ["visit.pdf"]
