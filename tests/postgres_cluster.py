"""A throwaway PostgreSQL cluster for the server tests: Debian's `postgresql` binaries, a data
folder in a temporary directory, `initdb` then `pg_ctl start` on a free local port, stopped and
deleted at the end of the session. PostgreSQL will not run as root, so as root the cluster runs
as the `postgres` user the Debian package creates. Anything missing is a skip with the reason.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "encoder"


@dataclass
class Cluster:
    folder: Path
    port: int
    bin_dir: Path
    run_as: list[str]

    def url(self, database: str = "postgres", user: str = SUPERUSER, password: str = "") -> str:
        who = f"{user}:{password}" if password else user
        return f"postgresql+psycopg://{who}@127.0.0.1:{self.port}/{database}"

    def pg_ctl(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*self.run_as, str(self.bin_dir / "pg_ctl"), "-D",
                               str(self.folder / "data"), *args],
                              capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        done = self.pg_ctl("-l", str(self.folder / "server.log"), "-w", "-o",
                           f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                           f"-c fsync=off -c synchronous_commit=off -c max_connections=60",
                           "start")
        if done.returncode != 0:
            raise RuntimeError(f"pg_ctl start failed: {done.stderr or done.stdout}\n"
                               + (self.folder / "server.log").read_text(errors="replace"))

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("-m", mode, "-w", "stop")

    def new_database(self) -> str:
        """A new, empty database; its URL."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER,
                             dbname="postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def sql(self, statement: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER,
                             dbname=database, autocommit=True) as conn:
            conn.execute(statement)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_cluster() -> tuple[Cluster | None, str]:
    """(the running cluster, "") or (None, why it could not be started)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return None, "psycopg is not installed (pip install -e '.[server]')"
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    initdb = Path(found[-1]) if found else (Path(shutil.which("initdb"))
                                            if shutil.which("initdb") else None)
    if initdb is None:
        return None, "PostgreSQL is not installed (apt-get install postgresql)"
    run_as: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="encoder-pg-"))
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            return None, "running as root and runuser is missing to start PostgreSQL as postgres"
        try:
            shutil.chown(folder, "postgres")
        except (LookupError, PermissionError) as exc:
            return None, f"running as root and there is no postgres user to run it as ({exc})"
        run_as = ["runuser", "-u", "postgres", "--"]
    cluster = Cluster(folder, _free_port(), initdb.parent, run_as)
    made = subprocess.run([*run_as, str(initdb), "-D", str(folder / "data"), "-U", SUPERUSER,
                           "-A", "trust", "-E", "UTF8", "--no-sync", "--locale=C.UTF-8"],
                          capture_output=True, text=True, timeout=300)
    if made.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        return None, f"initdb failed: {made.stderr.strip()[-300:]}"
    try:
        cluster.start()
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        return None, str(exc)[-300:]
    return cluster, ""


def remove_cluster(cluster: Cluster) -> None:
    cluster.stop("immediate")
    shutil.rmtree(cluster.folder, ignore_errors=True)
