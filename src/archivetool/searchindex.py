"""What the full-text index holds for a record, and the filter columns beside it.

The index is SQLite FTS5 over *folded* text (see :mod:`archivetool.folding`): lower case,
no diacritics, Cyrillic in its Latin form, Slavic digraphs folded, so that ``Mihailovic``
meets ``Mihailović`` and ``Stalin`` meets ``Стаљином``. The table's content is the records
table (the folded text is not stored a second time); a row is deleted by giving its old
values again, which
is why the same function must produce them: a change to the folding bumps ``FOLD_VERSION``
and the archive rebuilds its index when it is next opened.
"""

from __future__ import annotations

from typing import Any

from archivetool import kinds
from archivetool.folding import fold

FOLD_VERSION = 2  # 2: capital Æ/Œ, eth and thorn folded
# the index table and its columns; each column has a namesake in records holding the
# original text (see store's migration 5), as an external-content FTS5 table needs
FTS = "records_fts"
COLUMNS = ("title", "body", "notes", "parties", "extra")
WEIGHTS = (8.0, 1.0, 1.0, 4.0, 2.0)  # bm25 weights: a match in a title counts most


def index_values(record: dict[str, Any]) -> tuple[str, str, str, str, str]:
    """The folded text of each index column (its kind's registry entry says what it holds)."""
    t = kinds.of(record).index_text(record)
    return fold(t.title), fold(t.body), fold(t.notes), fold(t.names), fold(t.extra)


def filter_values(record: dict[str, Any]) -> dict[str, str | None]:
    """Folded columns the search filters compare with."""
    return {k: (fold(v) or None) if v is not None else None
            for k, v in kinds.of(record).filter_text(record).items()}  # fmt: skip
