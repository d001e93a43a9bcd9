"""Counts over the archive: kinds, years, document types, decimal-file countries, the most
frequent senders, recipients, authors and subjects. The archive computes them (SQLite with
GROUP BY and json_each), never in memory."""

from __future__ import annotations

from typing import Any

from archivetool.store import Archive


def archive_stats(archive: Archive, top: int = 10) -> dict[str, Any]:
    return archive.stats(top)
