"""Copying an archive to another location: every record with its revisions, verbatim.

The source is read in id order, a page at a time (``iter_stored``), and written to the
destination in transactions of ``batch_size`` records (``put_stored``), so memory stays flat
whatever the archive's size and a copy that is stopped (Ctrl-C, a kill, a lost connection)
keeps the batches written before. Running the copy again is how it is resumed: a record the
destination holds already is left as it is (``unchanged``), one it lacks is written
(``copied``), one whose history it lacks in part gets the missing revisions (``extended``),
and one it holds with other content is reported (``differs``) and never overwritten.
"""

from __future__ import annotations

import getpass
import os
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from archivetool.errors import ExitCode, StoreError, UsageError
from archivetool.settings import is_server_location, location_scheme, masked
from archivetool.stored import StoredRecord

if TYPE_CHECKING:
    from archivetool.pipeline import ProgressCallback

BATCH_SIZE = 500
RETRIES = 5
OUTCOMES = ("copied", "extended", "unchanged", "differs")


class StoredArchive(Protocol):
    """What a copy asks of an archive, whatever its backend (see stored.py)."""

    def iter_stored(self, after: str | None = None) -> Iterator[StoredRecord]: ...
    def put_stored(self, item: StoredRecord) -> str: ...
    def count(self) -> int: ...
    def begin(self) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def is_retryable(self, exc: BaseException) -> bool: ...


@dataclass
class CopyReport:
    """What a copy did: how many records each outcome had, and the ids of those the
    destination holds with other content (left as they are there)."""

    source: str
    dest: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    differs: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.FAILED if self.differs else ExitCode.OK

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "dest": self.dest, **self.counts,
                "differing": self.differs}  # fmt: skip


def copy_archive(
    source: str | Path,
    dest: str | Path,
    *,
    on_progress: ProgressCallback | None = None,
    batch_size: int = BATCH_SIZE,
) -> CopyReport:
    """Copy every record of the archive at ``source`` (opened read-only) into the one at
    ``dest`` (made when absent); see the module's text for what is written."""
    if same_location(source, dest):
        raise UsageError(
            f"{masked(source)}: the source and the destination are the same archive",
            hint="give another location as DEST",
        )
    with (
        open_location(source, create=False, readonly=True) as src,
        open_location(dest, create=True, readonly=False) as dst,
    ):
        return copy_records(src, dst, masked(source), masked(dest), on_progress, batch_size)


def copy_records(
    src: StoredArchive,
    dst: StoredArchive,
    source: str = "",
    dest: str = "",
    on_progress: ProgressCallback | None = None,
    batch_size: int = BATCH_SIZE,
) -> CopyReport:
    """Copy between two open archives, ``batch_size`` records to a transaction."""
    report = CopyReport(source, dest)
    total = src.count() if on_progress else None
    done = 0
    batch: list[StoredRecord] = []
    for item in src.iter_stored():
        batch.append(item)
        if len(batch) >= batch_size:
            done += _write(dst, batch, report)
            batch = []
            if on_progress:
                on_progress(done, total, item.id)
    if batch:
        done += _write(dst, batch, report)
        if on_progress:
            on_progress(done, total, batch[-1].id)
    return report


def _write(dst: StoredArchive, batch: list[StoredRecord], report: CopyReport) -> int:
    """One transaction for the batch, tried again while another writer holds the archive;
    the report counts the batch once it is committed."""
    attempt = 0
    while True:
        try:
            dst.begin()
            outcomes = [dst.put_stored(item) for item in batch]
            dst.commit()
            break
        except Exception as exc:
            dst.rollback()
            if not dst.is_retryable(exc):
                raise  # full, read-only, damaged: the archive's own line names it
            attempt += 1
            if attempt == RETRIES:
                raise StoreError(
                    f"{report.dest}: cannot write ({exc})",
                    hint="another program holds the archive; run the copy again later, "
                    "it goes on where it stopped",
                ) from exc
            time.sleep(0.5 * 2 ** (attempt - 1))
    for item, outcome in zip(batch, outcomes, strict=True):
        report.counts[outcome] += 1
        if outcome == "differs":
            report.differs.append(item.id)
    return len(batch)


def open_location(
    location: str | Path, *, create: bool, readonly: bool
) -> AbstractContextManager[Any]:
    """The archive at a location, by its backend (an SQLite file, a PostgreSQL server)."""
    from archivetool.store import open_archive

    return open_archive(location, create=create, readonly=readonly)


def same_location(a: str | Path, b: str | Path) -> bool:
    """Whether two locations name one archive: the same file (by any path, or a hard link),
    or the same database of the same server however its location is spelt (a URL or libpq's
    keywords, the defaults written out or left to libpq, localhost or 127.0.0.1)."""
    if is_server_location(a) or is_server_location(b):
        if not (is_server_location(a) and is_server_location(b)):
            return False
        da, db = server_database(str(a)), server_database(str(b))
        return da is not None and da == db
    if location_scheme(a) or location_scheme(b):
        return str(a).rstrip("/") == str(b).rstrip("/")
    pa, pb = Path(a), Path(b)
    if pa.exists() and pb.exists():
        return os.path.samefile(pa, pb)
    return pa.resolve() == pb.resolve()


_LOOPBACK = {"localhost", "127.0.0.1", "::1", "[::1]"}


def server_database(location: str) -> tuple[str, ...] | None:
    """``(host, port, database)`` as libpq would fill them in for a server location, or None
    when it cannot be read (the open then reports why). The user is left out (two accounts
    reach the same database) but decides the database when none is named, as in libpq."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        params = {k: str(v) for k, v in conninfo_to_dict(location).items() if v is not None}
    except Exception:  # malformed: the open that follows says so
        return None
    if "service" in params:  # a service file's entry: compared as written
        return tuple(sorted(f"{k}={v}" for k, v in params.items() if k != "password"))
    env = os.environ
    # no host: libpq's socket on this machine, taken for the server on localhost's same port
    host = params.get("host") or params.get("hostaddr") or env.get("PGHOST") or "localhost"
    host = "localhost" if host.lower() in _LOOPBACK else host.rstrip("/")
    port = params.get("port") or env.get("PGPORT") or "5432"
    user = params.get("user") or env.get("PGUSER") or getpass.getuser()
    dbname = params.get("dbname") or env.get("PGDATABASE") or user
    return (host, port, dbname)
