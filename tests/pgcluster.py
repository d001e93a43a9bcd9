"""A throwaway PostgreSQL cluster for the tests: initdb and pg_ctl in a temporary folder.

initdb refuses to run as root, so under root (here and in CI) the cluster belongs to an
unprivileged user (``postgres`` where the Debian package made it, else ``nobody``) and its
programs run through ``runuser``. The server listens on 127.0.0.1 on a free port and on a
socket in its folder; ``postgres`` logs in without a password (trust), ``alice`` only with
hers (scram-sha-256), so that a wrong password can be tested. fsync is off: nothing here
outlives the run.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

PASSWORD_USER, PASSWORD = "alice", "s3cret-w0rd"


def find_bindir() -> Path | None:
    """The newest PostgreSQL (15 or later) server programs installed, or None."""
    found = []
    for candidate in Path("/usr/lib/postgresql").glob("*/bin"):
        try:
            version = int(candidate.parent.name)
        except ValueError:
            continue
        if version >= 15 and (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            found.append((version, candidate))
    if found:
        return max(found)[1]
    initdb = shutil.which("initdb")
    if initdb:
        bindir = Path(initdb).resolve().parent
        if (bindir / "pg_ctl").exists():
            return bindir
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    bindir: Path
    folder: Path
    port: int
    user: str | None  # the unprivileged owner when run by root, else None

    def url(self, database: str, user: str = "postgres", password: str | None = None) -> str:
        who = f"{user}:{password}" if password else user
        return f"postgresql://{who}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = list(args)
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        return subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=self.folder)

    def start(self) -> None:
        data = self.folder / "data"
        self._run(str(self.bindir / "initdb"), "-D", str(data), "-U", "postgres", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync", "--auth=trust")  # fmt: skip
        (data / "pg_hba.conf").write_text(
            f"local all all trust\n"
            f"host all {PASSWORD_USER} 127.0.0.1/32 scram-sha-256\n"
            f"host all all 127.0.0.1/32 trust\n"
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
            "-c shared_buffers=64MB -c deadlock_timeout=200ms"
        )
        self._run(str(self.bindir / "pg_ctl"), "-D", str(data), "-l", str(self.folder / "log"),
                  "-w", "-t", "60", "-o", options, "start")  # fmt: skip

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"), "-m",
                      "immediate", "-w", "stop")  # fmt: skip
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster(bindir: Path) -> Cluster:
    folder = Path(tempfile.mkdtemp(prefix="archivetool-pg-"))
    user = None
    if os.geteuid() == 0:
        for name in ("postgres", "nobody"):
            try:
                entry = pwd.getpwnam(name)
            except KeyError:
                continue
            user = name
            os.chown(folder, entry.pw_uid, entry.pw_gid)
            break
    cluster = Cluster(bindir, folder, _free_port(), user)
    try:
        cluster.start()
    except subprocess.CalledProcessError as exc:
        log = folder / "log"
        detail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"the test cluster did not start: {exc.stderr}{detail}") from exc
    return cluster
