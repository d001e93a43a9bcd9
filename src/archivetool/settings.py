"""Settings resolved once per run: flag, then ARCHIVETOOL_* environment, then default."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

ARCHIVE_ENV = "ARCHIVETOOL_ARCHIVE"
DEFAULT_ARCHIVE = Path("archive.sqlite")


@dataclass(frozen=True)
class Settings:
    archive: Path
    debug: bool = False
    quiet: bool = False
    color: bool = True
    verbose: bool = False


def resolve_archive(flag: Path | None) -> Path:
    """The archive file: ``--archive``, else ``$ARCHIVETOOL_ARCHIVE``, else ./archive.sqlite."""
    if flag is not None:
        return flag
    env = os.environ.get(ARCHIVE_ENV)
    if env:
        return Path(env)
    return DEFAULT_ARCHIVE


def resolve_settings(
    archive: Path | None = None, *, debug: bool = False, quiet: bool = False,
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


def masked(location: Path | str) -> str:
    """A location as it may be printed: a password in a URL or in libpq's ``password=``
    replaced by ``***``, so an error message never shows it."""
    text = _URL_PASSWORD.sub(r"\1***@", str(location))
    return _KEYWORD_PASSWORD.sub(r"\1***", text)
