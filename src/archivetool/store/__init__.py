"""The archive: where records are stored, behind one interface (:class:`ArchiveStore`).

The SQLite file (:mod:`archivetool.store.sqlite`) is the embedded default; a PostgreSQL
server (:mod:`archivetool.store.postgres`) keeps one archive for a whole group. The backend
is chosen from the location: a ``postgresql://`` URL or a libpq keyword string names a
server, anything else a file.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archivetool.errors import UsageError
from archivetool.searchindex import FOLD_VERSION
from archivetool.settings import is_server_location, location_scheme, masked
from archivetool.store.base import ArchiveStore, StoredContent
from archivetool.store.sqlite import MIGRATIONS, Archive, ContentReader, _statements
from archivetool.store.types import (
    Filters,
    IndexQuery,
    IndexQueryError,
    Known,
    Prepared,
    Revision,
    prepare,
    put_fields,
)

if TYPE_CHECKING:
    from archivetool.settings import Location


__all__ = [
    "FOLD_VERSION",
    "MIGRATIONS",
    "Archive",
    "ArchiveStore",
    "ContentReader",
    "Filters",
    "IndexQuery",
    "IndexQueryError",
    "Known",
    "Prepared",
    "Revision",
    "StoredContent",
    "_statements",
    "open_archive",
    "open_reader",
    "prepare",
    "prepare_for",
    "put_fields",
]


def _file(location: Location) -> Path:
    """The path of an SQLite archive, refusing a URL of a scheme no backend reads."""
    if isinstance(location, str):
        scheme = location_scheme(location)
        if scheme is not None:
            raise UsageError(
                f"{masked(location)}: a URL ({scheme}:), neither an archive file nor a "
                "PostgreSQL server",
                hint="give the path of an SQLite file, or postgresql://user@host/database",
            )
    return Path(location)


def open_archive(
    location: Location, *, create: bool = True, readonly: bool = False
) -> ArchiveStore:
    """The archive at ``location``: an SQLite file, or a PostgreSQL server's database.

    ``create=False`` refuses a place where no archive is; ``readonly=True`` (every reading
    command) writes nothing. An archive that needs an upgrade is upgraded first when it can
    be written.
    """
    if is_server_location(location):
        from archivetool.store.postgres import PgArchive

        return PgArchive(str(location), create=create, readonly=readonly)
    return Archive(_file(location), create=create, readonly=readonly)


def prepare_for(location: Location) -> Callable[[dict[str, Any]], Prepared]:
    """How an ingest worker prepares a record's rows for the archive at ``location``."""
    return partial(prepare, server=is_server_location(location))


def open_reader(location: Location) -> StoredContent:
    """A worker's own read-only connection to the archive at ``location``."""
    if is_server_location(location):
        from archivetool.store.postgres import PgContentReader

        return PgContentReader(str(location))
    return ContentReader(Path(location))
