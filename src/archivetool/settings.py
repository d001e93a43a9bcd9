"""Settings resolved once per run: flag, then ARCHIVETOOL_* environment, then default."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

ARCHIVE_ENV = "ARCHIVETOOL_ARCHIVE"
DEFAULT_ARCHIVE = Path("archive.sqlite")


# where an archive is: the path of an SQLite file, or a PostgreSQL server's location kept as
# the string it was given (a URL or a libpq keyword string; a Path would fold its "//")
Location = Path | str


@dataclass(frozen=True)
class Settings:
    archive: Location
    debug: bool = False
    quiet: bool = False
    color: bool = True
    verbose: bool = False


def resolve_archive(flag: str | Path | None) -> Location:
    """The archive: ``--archive``, else ``$ARCHIVETOOL_ARCHIVE``, else ./archive.sqlite; a
    server's location stays the string it was given, a file's becomes a Path."""
    given = flag if flag is not None else os.environ.get(ARCHIVE_ENV) or None
    if given is None:
        return DEFAULT_ARCHIVE
    if isinstance(given, Path):
        return given
    return given if is_server_location(given) or location_scheme(given) else Path(given)


def resolve_settings(
    archive: str | Path | None = None, *, debug: bool = False, quiet: bool = False,
    verbose: bool = False,
) -> Settings:  # fmt: skip
    color = "NO_COLOR" not in os.environ
    return Settings(
        archive=resolve_archive(archive), debug=debug, quiet=quiet, color=color,
        verbose=verbose and not quiet,
    )  # fmt: skip


# a location written as a URL (``postgresql://user:pass@host/db``); Path has folded its
# "//" to "/" by the time a location arrives here. Two letters at least: C:/ is a path.
_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]+):/")
_URL_PASSWORD = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+:/+[^/@:]*:)[^/@]*@")
_KEYWORD_PASSWORD = re.compile(r"(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)


def location_scheme(location: Path | str) -> str | None:
    """The scheme of a location written as a URL (``postgresql``), or None for a file path."""
    m = _URL.match(str(location))
    return m.group("scheme").lower() if m else None


# libpq's keyword/value form: "dbname=frus host=db.example.org user=alice"
_KEYWORDS = re.compile(r"^\s*(?:[a-z_]+\s*=\s*(?:'(?:[^'\\]|\\.)*'|[^\s']+)\s*)+$")
_SERVER_KEYWORDS = {"dbname", "host", "hostaddr", "port", "user", "service", "sslmode"}


def is_server_location(location: Path | str) -> bool:
    """Whether a location names a PostgreSQL server: a ``postgresql://`` or ``postgres://``
    URL, or libpq's keyword form (``dbname=frus host=db``); anything else is a file path."""
    if isinstance(location, Path):
        return False
    if location_scheme(location) in ("postgresql", "postgres"):
        return True
    if not _KEYWORDS.match(location):
        return False
    keys = {k.lower() for k in re.findall(r"([a-z_]+)\s*=", location, re.IGNORECASE)}
    return bool(keys & _SERVER_KEYWORDS)


def masked(location: Path | str) -> str:
    """A location as it may be printed: a password in a URL or in libpq's ``password=``
    replaced by ``***``, so an error message never shows it."""
    text = _URL_PASSWORD.sub(r"\1***@", str(location))
    return _KEYWORD_PASSWORD.sub(r"\1***", text)
