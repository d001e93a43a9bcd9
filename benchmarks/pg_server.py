"""A throwaway PostgreSQL server for the benchmarks: started, its URL printed, stopped at the end.

    .venv/bin/python benchmarks/pg_server.py            # prints the URL, Enter stops it

It reuses the test suite's cluster (``tests/pgcluster.py``: initdb and pg_ctl in a temporary
folder, owned by an unprivileged user when run as root, listening on 127.0.0.1 on a free
port), then restarts it with durable settings, since the tests' cluster skips fsync and the
figures should be a server's as a team would run it: fsync and full-page writes on, and
``synchronous_commit = off``, which is what SQLite's WAL with ``synchronous = NORMAL`` (the
archive's setting) also does: a commit is not waited on to reach the disk, a crash may lose
the last transactions but never damages the database. ``store_bench.py --start-cluster``
uses it the same way.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from pgcluster import find_bindir, start_cluster  # noqa: E402

SETTINGS = {
    "fsync": "on",
    "full_page_writes": "on",
    "synchronous_commit": "off",
    "shared_buffers": "512MB",
    "max_connections": "100",
    "max_wal_size": "4GB",
}


@contextlib.contextmanager
def server(database: str = "bench") -> Iterator[str]:
    """A running server with an empty ``database``; its URL, the server stopped on leaving."""
    bindir = find_bindir()
    if bindir is None:
        sys.exit(
            "PostgreSQL server programs (initdb, pg_ctl) not found: apt-get install postgresql"
        )
    import psycopg

    cluster = start_cluster(bindir)
    try:
        data = cluster.folder / "data"
        options = f"-c listen_addresses=127.0.0.1 -c port={cluster.port} " + " ".join(
            f"-c {k}={v}" for k, v in SETTINGS.items()
        )
        options += f" -c unix_socket_directories={cluster.folder}"
        cluster._run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(cluster.folder / "log"),
                     "-w", "-t", "60", "-m", "fast", "-o", options, "restart")  # fmt: skip
        with psycopg.connect(cluster.url("postgres"), autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {database}")
            fsync = admin.execute("SHOW fsync").fetchone()
            if fsync is None or fsync[0] != "on":
                sys.exit(f"the benchmark server did not take its settings (fsync {fsync})")
        yield cluster.url(database)
    finally:
        cluster.stop()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--database", default="bench", help="the empty database made (default bench)")
    args = ap.parse_args(argv)
    with server(args.database) as url:
        print(url, flush=True)
        print("the server runs until Enter (or end of input)", file=sys.stderr)
        with contextlib.suppress(KeyboardInterrupt):
            sys.stdin.readline()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
