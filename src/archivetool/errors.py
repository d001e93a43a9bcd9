"""The small exception tree and the exit codes every command ends with.

Each error carries the one line a person needs: what went wrong and what to do about it.
The CLI's single error boundary turns them into that line on stderr (a traceback only
with ``--debug``).
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FAILED = 1  # some input could not be read, parsed, validated or stored
    USAGE = 2  # the command line itself was wrong
    # the archive's own states, each with its code so that a script can tell them apart
    ARCHIVE_FULL = 3  # the disk (or the quota) is full
    ARCHIVE_DAMAGED = 4  # a corrupt page or header: SQLite cannot read it
    ARCHIVE_READ_ONLY = 5  # read-only file, folder or filesystem, or an immutable file
    ARCHIVE_BUSY = 6  # another process holds the write lock and did not let go
    INTERRUPTED = 130  # Ctrl-C (SIGINT), as shells count it: 128 + 2


class ArchiveToolError(Exception):
    """Base of every error archivetool reports to a person."""

    exit_code = ExitCode.FAILED

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InputError(ArchiveToolError):
    """An input could not be read as UTF-8 text of a known kind."""


class ParseError(ArchiveToolError):
    """The text was read but is not a usable record."""


class SchemaError(ArchiveToolError):
    """A record does not satisfy its JSON Schema."""


class StoreError(ArchiveToolError):
    """The archive could not be opened, migrated, read or written."""


class ArchiveFullError(StoreError):
    """No space left for the archive to grow."""

    exit_code = ExitCode.ARCHIVE_FULL


class ArchiveDamagedError(StoreError):
    """The archive's file is damaged: a corrupt page, header or index."""

    exit_code = ExitCode.ARCHIVE_DAMAGED


class ArchiveReadOnlyError(StoreError):
    """The archive cannot be written: a read-only or immutable file, folder or filesystem."""

    exit_code = ExitCode.ARCHIVE_READ_ONLY


class ArchiveBusyError(StoreError):
    """Another process holds the archive's write lock."""

    exit_code = ExitCode.ARCHIVE_BUSY


class OutputError(ArchiveToolError):
    """The output could not be written (a full disk, a folder without permission)."""


class UsageError(ArchiveToolError):
    """The command line asks for something that cannot be done."""

    exit_code = ExitCode.USAGE


class NotFoundError(ArchiveToolError):
    """A record asked for by id is not in the archive."""
