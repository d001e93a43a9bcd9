"""The archive: where records are stored, behind one interface.

The SQLite file (:mod:`archivetool.store.sqlite`) is the embedded default.
"""

from __future__ import annotations

from archivetool.store.sqlite import (
    FOLD_VERSION,
    MIGRATIONS,
    Archive,
    ContentReader,
    Filters,
    IndexQuery,
    IndexQueryError,
    Prepared,
    Revision,
    _statements,
    open_reader,
    prepare,
)

__all__ = [
    "FOLD_VERSION",
    "MIGRATIONS",
    "Archive",
    "ContentReader",
    "Filters",
    "IndexQuery",
    "IndexQueryError",
    "Prepared",
    "Revision",
    "_statements",
    "open_reader",
    "prepare",
]
