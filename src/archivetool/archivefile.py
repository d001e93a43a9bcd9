"""The archive as a file: is it one, how it is made, how it is opened for reading, and what
an SQLite error says about its state.

An archive is made whole beside its place and linked there only when complete, so a file
that is not an archive (an empty file, a text file, another program's database) is never
turned into one, and a run killed while making one leaves no half archive behind. Reading
commands open it read-only, which works in a read-only folder or filesystem and on an
immutable file too. A failure of SQLite becomes one line naming the archive's state (full
disk, damaged file, read-only or immutable, held by another process), each with its exit
code.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import overload

from archivetool.errors import (
    ArchiveBusyError,
    ArchiveDamagedError,
    ArchiveFullError,
    ArchiveReadOnlyError,
    StoreError,
)
from archivetool.leftovers import remove_leftovers

SQLITE_HEADER = b"SQLite format 3\x00"
ARCHIVE_HINT = "give the path of an archive made by archivetool, or a new file name to start one"

# SQLite's primary result codes (https://sqlite.org/rescode.html)
_ERROR, _PERM, _BUSY, _LOCKED, _READONLY, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = (
    1, 3, 5, 6, 8, 11, 13, 14, 26,
)  # fmt: skip


def _writable(path: Path) -> bool:
    # os.access sees a read-only filesystem and an immutable file even for root
    return os.access(path, os.W_OK)


def check_is_archive(path: Path) -> None:
    """Refuse an existing file that is not an SQLite database; it is left as it is."""
    if not path.is_file():
        raise StoreError(f"{path}: not a file, so not an archive", hint=ARCHIVE_HINT)
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(
            f"{path}: cannot be read ({exc.strerror})", hint="check its permissions"
        ) from exc
    if head != SQLITE_HEADER:
        what = "an empty file" if not head else "a file of another kind"
        raise StoreError(
            f"{path}: not an archive ({what}); archivetool leaves it as it is", hint=ARCHIVE_HINT
        )


def check_schema(db: sqlite3.Connection, path: Path) -> None:
    """Refuse another program's SQLite database: archivetool adds no tables to it."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if (version == 0 and names) or (version > 0 and "records" not in names):
        raise StoreError(
            f"{path}: an SQLite database, but not an archivetool archive; "
            "archivetool leaves it as it is",
            hint=ARCHIVE_HINT,
        )


def create_archive(path: Path, build: Callable[[Path], None]) -> None:
    """Make a new archive at ``path``: ``build`` makes it complete under a temporary name,
    then it is linked into place. If another process made one there meanwhile, theirs is
    kept and used."""
    try:
        if path.parent and not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _folder_error(path, exc) from exc
    remove_leftovers(path, ".new", extras=("-wal", "-shm"))  # of a creation killed before
    tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
    try:
        build(tmp)
        try:
            os.link(tmp, path)  # fails if the name is taken: an archive made meanwhile stays
        except FileExistsError:
            pass
        except OSError:  # a filesystem without hard links
            if not path.exists():
                os.replace(tmp, path)
    except OSError as exc:
        raise _folder_error(path, exc) from exc
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
            with suppress(OSError):  # a read-only folder, where nothing was made either
                leftover.unlink(missing_ok=True)


def _folder_error(path: Path, exc: OSError) -> StoreError:
    if not _writable(path.parent if path.parent.exists() else Path(".")):
        return ArchiveReadOnlyError(
            f"{path}: cannot make an archive here (the folder is read-only: {exc.strerror})",
            hint="give --archive a path in a writable folder",
        )
    return StoreError(f"{path}: cannot make an archive here ({exc.strerror or exc})",
                      hint="check the folder's space and permissions")  # fmt: skip


def connect_readonly(path: Path) -> sqlite3.Connection:
    """A connection for reading only: nothing is written through it.

    Where the archive can be written, it is an ordinary connection, so that SQLite removes
    its -wal and -shm files when the last one closes, as it does for a writer. Elsewhere it
    is opened read-only (``mode=ro``); in a folder where SQLite cannot make its
    shared-memory file (a read-only folder or filesystem) the file is read as immutable:
    nobody can write it there either.
    """
    if _writable(path) and _writable(path.parent):
        return sqlite3.connect(str(path), isolation_level=None)
    uri = path.absolute().as_uri() + "?mode=ro"
    db = sqlite3.connect(uri, uri=True, isolation_level=None)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.OperationalError as exc:
        db.close()
        # no -shm could be made beside it: SQLite says CANTOPEN (or READONLY_CANTINIT)
        if exc.sqlite_errorcode & 0xFF not in (_CANTOPEN, _READONLY) or _writable(path.parent):
            raise
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise ArchiveReadOnlyError(
            f"{path}: its latest changes are in {wal.name}, which cannot be read in a "
            "read-only folder",
            hint="copy the archive together with its -wal file to a writable folder",
        )
    db = sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None)
    db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return db


@overload
def classify(exc: sqlite3.Error, path: Path) -> StoreError: ...
@overload
def classify(exc: sqlite3.Error, path: Path, *, known_only: bool) -> StoreError | None: ...


def classify(exc: sqlite3.Error, path: Path, *, known_only: bool = False) -> StoreError | None:
    """The one line an SQLite failure deserves, as the error of the archive's state.

    With ``known_only``, None for a failure that names no state of the archive (a constraint,
    a misuse): that is a bug, and stays an internal error to be reported.
    """
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    if code == _FULL:
        return ArchiveFullError(
            f"{path}: the disk is full ({exc})",
            hint="free some space and run again; what was stored before is kept, "
            "the unfinished batch was rolled back",
        )
    if code in (_CORRUPT, _NOTADB):
        return ArchiveDamagedError(
            f"{path}: the archive is damaged ({exc})",
            hint=f"restore it from a backup, or save what can be read: "
            f"sqlite3 {path} .recover | sqlite3 recovered.sqlite",
        )
    folder = path.parent if path.parent.exists() else Path(".")
    cannot_write = not _writable(folder) or (path.exists() and not _writable(path))
    if code in (_READONLY, _PERM, _CANTOPEN) and cannot_write and not path.exists():
        return ArchiveReadOnlyError(
            f"{path}: cannot make an archive here (a read-only folder or filesystem: {exc})",
            hint="give --archive a path in a writable folder",
        )
    if code in (_READONLY, _PERM) or (code == _CANTOPEN and cannot_write):
        return ArchiveReadOnlyError(
            f"{path}: the archive cannot be written (a read-only or immutable file, folder or "
            f"filesystem: {exc})",
            hint="reading commands still work; to store, lift the lock (chmod u+w, chattr -i) "
            "or work on a copy in a writable folder",
        )
    if code in (_BUSY, _LOCKED):
        return ArchiveBusyError(
            f"{path}: another process holds the archive ({exc})",
            hint="wait for it to finish and run again",
        )
    if known_only:
        return None
    return StoreError(f"{path}: not a usable archive ({exc})", hint=ARCHIVE_HINT)
