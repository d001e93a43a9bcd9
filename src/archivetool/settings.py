"""Settings resolved once per run: flag, then ARCHIVETOOL_* environment, then default."""

from __future__ import annotations

import os
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
