"""A record as an archive holds it, with its history: what ``archivetool copy`` moves from one
archive to another verbatim (id, content hash, JSON, revision number, timestamps), whatever the
backend on either side.

Every backend's archive offers the same two methods over these values:

``iter_stored(after: str | None = None) -> Iterator[StoredRecord]``
    every record in id order, each with all its earlier revisions, streamed (a page of ids at
    a time, never the whole archive in memory); ``after`` starts after that id (resuming).

``put_stored(item: StoredRecord) -> str``
    inside the open transaction, write the record exactly as given (no new timestamps, no new
    revision numbers) with its side rows and search index as ``put`` writes them, and say
    what happened: ``"copied"`` (the id was absent), ``"unchanged"`` (present with the same
    revision, hash and revisions), ``"extended"`` (present, same current version, revisions it
    lacked added), ``"differs"`` (present with other content: nothing is written).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StoredRevision:
    """An earlier version of a record, replaced when its document was ingested again."""

    revision: int
    sha256: str
    path: str
    data: str  # the record's JSON, as stored
    stored_at: str
    replaced_at: str


@dataclass(frozen=True)
class StoredRecord:
    """The current version of a record and the revisions before it, oldest first."""

    id: str
    sha256: str
    path: str
    data: str  # the record's JSON, as stored
    revision: int
    ingested_at: str
    updated_at: str
    revisions: tuple[StoredRevision, ...] = ()
