"""Counts over the archive: kinds, years, document types, decimal-file countries, the most
frequent senders, recipients, authors and subjects. The archive computes them (GROUP BY
over the stored JSON, in SQLite or on the server), never in memory."""

from __future__ import annotations

from typing import Any

from archivetool.store import ArchiveStore as Archive


def archive_stats(archive: Archive, top: int = 10) -> dict[str, Any]:
    return archive.stats(top)
