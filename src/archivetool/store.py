"""The archive: one SQLite file, linear migrations, real transactions, streamed reads.

A record is stored whole as JSON beside the columns that lists and filters need. When a
document is ingested again with changed content, the stored version moves to
``revisions`` and the new one takes its place, in one transaction.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archivetool.archivefile import (
    check_is_archive,
    check_schema,
    classify,
    connect_readonly,
    create_archive,
)
from archivetool.errors import (
    ArchiveDamagedError,
    ArchiveReadOnlyError,
    NotFoundError,
    StoreError,
    UsageError,
)
from archivetool.records import party_label
from archivetool.searchindex import COLUMNS as INDEX_COLUMNS
from archivetool.searchindex import FOLD_VERSION, FTS, WEIGHTS, filter_values, index_values
from archivetool.settings import location_scheme, masked

_MIGRATION_1 = """
        CREATE TABLE records (
            id          TEXT PRIMARY KEY,
            kind        TEXT NOT NULL,
            sha256      TEXT NOT NULL,
            path        TEXT NOT NULL,
            title       TEXT,
            date        TEXT,
            year        INTEGER,
            file_number TEXT,
            container   TEXT,
            parties     TEXT,
            data        TEXT NOT NULL,
            revision    INTEGER NOT NULL DEFAULT 1,
            ingested_at TEXT NOT NULL,
            updated_at  TEXT NOT NULL
        );
        CREATE INDEX records_kind ON records(kind);
        CREATE INDEX records_year ON records(year);
        CREATE INDEX records_file_number ON records(file_number);
        CREATE INDEX records_sha256 ON records(sha256);
        CREATE TABLE revisions (
            record_id   TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
            revision    INTEGER NOT NULL,
            sha256      TEXT NOT NULL,
            path        TEXT NOT NULL,
            data        TEXT NOT NULL,
            stored_at   TEXT NOT NULL,
            replaced_at TEXT NOT NULL,
            PRIMARY KEY (record_id, revision)
        );
"""

_MIGRATION_2 = """
        ALTER TABLE records ADD COLUMN serial TEXT;
        CREATE INDEX records_serial ON records(serial, date);
        CREATE TABLE refs (
            record_id TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
            idx       INTEGER NOT NULL,
            kind      TEXT,
            number    TEXT,
            date      TEXT,
            party     TEXT,
            text      TEXT NOT NULL,
            PRIMARY KEY (record_id, idx)
        );
        CREATE INDEX refs_number ON refs(number, date);
        CREATE TABLE persons (
            record_id   TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
            idx         INTEGER NOT NULL,
            name        TEXT NOT NULL,
            full_name   TEXT,
            folded      TEXT NOT NULL,
            description TEXT,
            footnote    TEXT,
            PRIMARY KEY (record_id, idx)
        );
        CREATE INDEX persons_folded ON persons(folded);
"""


def _backfill_2(db: sqlite3.Connection) -> None:
    """Fill the new columns and tables for records stored before migration 2."""
    from archivetool.enrich import enrich

    rows = db.execute("SELECT id, data FROM records WHERE kind = 'frus-document'")
    while batch := rows.fetchmany(500):
        for rid, data in batch:
            record = enrich(json.loads(data))
            _write_side_rows(db, rid, record)
            db.execute(
                "UPDATE records SET serial = ?, data = ? WHERE id = ?",
                (record.get("serial_number"), json.dumps(record, ensure_ascii=False), rid),
            )


def _write_side_rows(
    db: sqlite3.Connection,
    rid: str,
    record: dict[str, Any],
    folded: list[str] | None = None,
    *,
    new: bool = False,
) -> None:
    """The rows other questions are answered from: references and persons of a record
    (``new``: a record just inserted, which has none to delete)."""
    if folded is None:
        folded = _persons_folded(record)
    if not new:
        db.execute("DELETE FROM refs WHERE record_id = ?", (rid,))
        db.execute("DELETE FROM persons WHERE record_id = ?", (rid,))
    db.executemany(
        "INSERT INTO refs (record_id, idx, kind, number, date, party, text) VALUES (?,?,?,?,?,?,?)",
        [(rid, i, r["kind"], r["number"], r.get("date_iso"), r["party"], r["text"])
         for i, r in enumerate(record.get("references") or [])],
    )  # fmt: skip
    db.executemany(
        "INSERT INTO persons (record_id, idx, name, full_name, folded, description, footnote) "
        "VALUES (?,?,?,?,?,?,?)",
        [(rid, i, p["name"], p.get("full_name"), f, p["description"], p["footnote"])
         for i, (p, f) in enumerate(zip(record.get("persons") or [], folded, strict=True))],
    )  # fmt: skip


def _persons_folded(record: dict[str, Any]) -> list[str]:
    from archivetool.folding import fold

    return [fold(" ".join(filter(None, [p["name"], p.get("full_name")])))
            for p in record.get("persons") or []]  # fmt: skip


@dataclass(frozen=True)
class Prepared:
    """What the archive writes for a record, worked out before the write lock is taken (in
    a worker process, during ingest): the JSON, the folded text of the search index, the
    filter columns and the persons' folded names. Folding is the dearest part of a write."""

    data: str
    index: tuple[str, ...]
    filters: dict[str, str | None]
    persons: list[str]


def _dumps(record: dict[str, Any]) -> str:
    """The stored JSON: what ``json.dumps(record, ensure_ascii=False, separators=(",", ":"))``
    writes, byte for byte, written by orjson in a seventh of the time. They differ only on
    what a record cannot hold (a fraction in an exponent, NaN: the schemas admit integers
    alone), and on what orjson refuses (a lone surrogate, a huge integer), left to json."""
    import orjson

    try:
        return orjson.dumps(record).decode()
    except TypeError:  # orjson.JSONEncodeError
        return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def prepare(record: dict[str, Any]) -> Prepared:
    return Prepared(
        _dumps(record),
        index_values(record),
        filter_values(record),
        _persons_folded(record),
    )


# the fields Archive.put reads of a record besides its prepared rows (the columns, the side
# rows, the facets): a worker sends the writer these alone, since the whole record is in the
# prepared JSON already, and pickling it twice cost the writer as much as storing it
PUT_FIELDS = ("kind", "id", "source", "title", "date", "date_inferred", "year", "file_number",
              "container_title", "authors", "sender", "recipient", "serial_number", "warnings",
              "references", "persons")  # fmt: skip


def put_fields(record: dict[str, Any]) -> dict[str, Any]:
    """What :meth:`Archive.put` needs of a record whose rows are prepared."""
    return {k: record[k] for k in PUT_FIELDS if k in record}


_MIGRATION_3 = """
        CREATE VIRTUAL TABLE fts USING fts5(
            title, body, notes, names, extra,
            content = '', tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE TABLE facets (
            rowid       INTEGER PRIMARY KEY,
            kind        TEXT NOT NULL,
            date        TEXT,
            file_number TEXT,
            f_sender    TEXT,
            f_recipient TEXT,
            f_place     TEXT,
            f_language  TEXT,
            f_authors   TEXT
        );
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)
"""
# facets: the few short columns search filters read, kept apart from the records' large
# JSON so that filtering thousands of matches never pages through the documents


def _backfill_3(db: sqlite3.Connection) -> None:
    """Nothing now: migration 5 replaces the index migration 3 made, and builds it."""


def _rebuild_index(db: sqlite3.Connection) -> None:
    """(Re)build the search index and filter columns from the stored records."""
    db.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('delete-all')")
    # rank hits by bm25 with the column weights, so that ORDER BY rank stays inside FTS5
    db.execute(
        f"INSERT INTO {FTS}({FTS}, rank) VALUES ('rank', ?)",
        (f"bm25({', '.join(map(str, WEIGHTS))})",),
    )
    rows = db.execute("SELECT rowid, data FROM records")
    while batch := rows.fetchmany(500):
        for rowid, data in batch:
            record = json.loads(data)
            _index(db, rowid, record, None)
    db.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('fold_version', ?)", (str(FOLD_VERSION),)
    )


def _index(
    db: sqlite3.Connection,
    rowid: int,
    record: dict[str, Any],
    old: dict[str, Any] | None,
    prepared: Prepared | None = None,
) -> None:
    """Put a record in the search index, taking out its old version first."""
    cols = ", ".join(INDEX_COLUMNS)
    marks = ", ".join("?" * len(INDEX_COLUMNS))
    if old is not None:
        db.execute(
            f"INSERT INTO {FTS} ({FTS}, rowid, {cols}) VALUES ('delete', ?, {marks})",
            (rowid, *index_values(old)),
        )
    values = prepared.index if prepared else index_values(record)
    db.execute(f"INSERT INTO {FTS} (rowid, {cols}) VALUES (?, {marks})", (rowid, *values))
    f = prepared.filters if prepared else filter_values(record)
    when = record.get("date") or record.get("date_inferred")
    if when is None and record.get("year"):
        when = f"{int(record['year']):04d}"
    db.execute(
        "INSERT OR REPLACE INTO facets (rowid, kind, date, file_number, f_sender, f_recipient, "
        "f_place, f_language, f_authors) VALUES (?,?,?,?,?,?,?,?,?)",
        (rowid, record["kind"], when, record.get("file_number"), f["f_sender"], f["f_recipient"],
         f["f_place"], f["f_language"], f["f_authors"]),
    )  # fmt: skip


# the order records are listed and exported in, as an index: a listing streams from it
# instead of sorting the stored JSON in a temporary B-tree that grows with the archive;
# kind and year ride along so that filtered listings skip rows without reading them
_MIGRATION_4 = """
        CREATE INDEX records_order ON records(date IS NULL, date, year, id, kind);
        ALTER TABLE records ADD COLUMN parser TEXT;
        ALTER TABLE records ADD COLUMN warnings TEXT;
        UPDATE records SET parser = json_extract(data, '$.source.parser'),
                           warnings = json_extract(data, '$.warnings');
        CREATE INDEX records_content ON records(sha256, parser, id, warnings)
"""
# records_content answers "is this content stored, read by the current parser?" from the
# index alone: the columns added after the large JSON would otherwise be read through it

# The search index as sqlite-utils and Datasette expect it: an FTS5 table named
# records_fts whose content table is records (``content="records"``, the spelling their
# detection looks for), so ``sqlite-utils search archive.sqlite records Stalin`` and
# Datasette's ``?_search=`` work on the archive as it is. The index holds the *folded* text
# (archivetool writes it, never a trigger), so a search typed in any case, with or without
# diacritics, meets it; the records' columns of the same names hold the original text, which
# is what a row shows. The main fields become columns too, computed from the JSON (generated
# columns cost no space), so a browser shows sender, place or language without JSON; the
# view documents gathers them (sqlite-utils lists a table's generated columns only in *).
_MIGRATION_5 = f"""
        DROP TABLE fts;
        ALTER TABLE records ADD COLUMN doc_type TEXT
            GENERATED ALWAYS AS (json_extract(data, '$.doc_type')) VIRTUAL;
        ALTER TABLE records ADD COLUMN sender TEXT
            GENERATED ALWAYS AS (CASE json_type(data, '$.sender') WHEN 'object'
                THEN COALESCE(json_extract(data, '$.sender.name'), json_extract(data, '$.sender.role'))
                ELSE json_extract(data, '$.sender') END) VIRTUAL;
        ALTER TABLE records ADD COLUMN recipient TEXT
            GENERATED ALWAYS AS (CASE json_type(data, '$.recipient') WHEN 'object'
                THEN COALESCE(json_extract(data, '$.recipient.name'), json_extract(data, '$.recipient.role'))
                ELSE json_extract(data, '$.recipient') END) VIRTUAL;
        ALTER TABLE records ADD COLUMN place TEXT
            GENERATED ALWAYS AS (json_extract(data, '$.place')) VIRTUAL;
        ALTER TABLE records ADD COLUMN classification TEXT
            GENERATED ALWAYS AS (json_extract(data, '$.classification')) VIRTUAL;
        ALTER TABLE records ADD COLUMN volume TEXT
            GENERATED ALWAYS AS (json_extract(data, '$.frus_volume.id')) VIRTUAL;
        ALTER TABLE records ADD COLUMN url TEXT
            GENERATED ALWAYS AS (json_extract(data, '$.frus_volume.url')) VIRTUAL;
        ALTER TABLE records ADD COLUMN authors TEXT
            GENERATED ALWAYS AS (json_extract(data, '$.authors')) VIRTUAL;
        ALTER TABLE records ADD COLUMN language TEXT
            GENERATED ALWAYS AS (json_extract(data, '$.language')) VIRTUAL;
        ALTER TABLE records ADD COLUMN body TEXT
            GENERATED ALWAYS AS (COALESCE(json_extract(data, '$.text'),
                                          json_extract(data, '$.abstract'))) VIRTUAL;
        ALTER TABLE records ADD COLUMN notes TEXT
            GENERATED ALWAYS AS (COALESCE(json_extract(data, '$.footnotes'),
                                          json_extract(data, '$.keywords'))) VIRTUAL;
        ALTER TABLE records ADD COLUMN extra TEXT
            GENERATED ALWAYS AS (COALESCE(file_number, container)) VIRTUAL;
        CREATE VIEW documents AS SELECT id, kind, title, date, year, doc_type, sender,
            recipient, parties, place, file_number, classification, volume, url, authors,
            container, language, warnings FROM records;
        CREATE VIRTUAL TABLE {FTS} USING fts5(
            {", ".join(INDEX_COLUMNS)},
            content="records", tokenize = 'unicode61 remove_diacritics 2'
        )
"""


def _backfill_5(db: sqlite3.Connection) -> None:
    _rebuild_index(db)


# Append only. An archive's PRAGMA user_version counts the migrations applied to it; each
# runs in its own transaction together with the version bump. A migration is SQL, or SQL
# and a function that fills what the SQL added for the records already stored.
Migration = str | tuple[str, Callable[[sqlite3.Connection], None]]
MIGRATIONS: list[Migration] = [
    _MIGRATION_1,
    (_MIGRATION_2, _backfill_2),
    (_MIGRATION_3, _backfill_3),
    _MIGRATION_4,
    (_MIGRATION_5, _backfill_5),
]


def _statements(script: str) -> list[str]:
    """A migration's statements, to run one by one inside its transaction (executescript
    would commit first)."""
    return [st.strip() for st in script.split(";") if st.strip()]


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parties(record: dict[str, Any]) -> str | None:
    if record["kind"] == "bibliographic-record":
        names = [a["name"] for a in record.get("authors") or []]
        return "; ".join(names) or None

    s, r = party_label(record.get("sender"), " & "), party_label(record.get("recipient"), " & ")
    return f"{s} → {r}" if s or r else None


def _year(record: dict[str, Any]) -> int | None:
    if record.get("year"):
        return int(record["year"])
    for key in ("date", "date_inferred"):
        if record.get(key):
            return int(record[key][:4])
    return None


@dataclass(frozen=True)
class Filters:
    kind: str | None = None
    year: int | None = None
    limit: int | None = None
    warnings: bool = False  # only records whose reading left a warning to review
    offset: int = 0  # leave out this many first (paging with limit)


@dataclass(frozen=True)
class Revision:
    revision: int
    sha256: str
    path: str
    stored_at: str
    replaced_at: str | None
    record: dict[str, Any]


BUSY_SECONDS = 60.0


class ContentReader:
    """A second, read-only connection (a worker's, during ingest), asking one question: is
    this content stored already, read by a current parser? In WAL mode it never blocks the
    writer nor waits for it."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_SECONDS)
        self.db.execute("PRAGMA query_only = ON")

    def stored_content(self, sha256: str, parsers: list[str]) -> tuple[str, list[str]] | None:
        """The id and warnings of the record holding exactly this content read by one of
        ``parsers`` (the current ones), or None, also when the archive cannot say now (the
        content is parsed then, and the writer decides): found by the content's hash, so
        that an unchanged input is recognised before it is parsed."""
        marks = ",".join("?" * len(parsers))
        try:
            row = self.db.execute(
                f"SELECT id, warnings FROM records WHERE sha256 = ? AND parser IN ({marks}) "
                "LIMIT 1",
                (sha256, *parsers),
            ).fetchone()
        except sqlite3.Error:
            return None
        return None if row is None else (str(row[0]), list(json.loads(row[1] or "[]")))

    def close(self) -> None:
        self.db.close()  # the last connection to close checkpoints the WAL


def open_reader(path: Path) -> ContentReader:
    return ContentReader(path)


@dataclass(frozen=True)
class IndexQuery:
    """A search as the index answers it: ``match`` in the index's own query language (FTS5
    over the folded text), the filters with their values folded as the facets are, and how
    many of the best hits to return."""

    match: str
    limit: int
    kind: str | None = None
    date_from: str | None = None  # YYYY-MM-DD, inclusive
    date_to: str | None = None
    # (facet, folded text), the facets: sender, recipient, place, authors, language
    contains: tuple[tuple[str, str], ...] = ()
    file_number: str | None = None  # a prefix
    offset: int = 0  # the hits after the first ``offset`` (paging with limit)


class IndexQueryError(Exception):
    """The index cannot read a query (the engine's message is the argument)."""


_FACETS = {"sender": "f_sender", "recipient": "f_recipient", "place": "f_place",
           "authors": "f_authors", "language": "f_language"}  # fmt: skip
SQLITE_ERROR = 1  # the generic code, given for a query FTS5 cannot parse


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _check_file_location(path: Path) -> None:
    """Refuse a location written as a URL: an archive is an SQLite file here, and a URL taken
    for a path would make folders named after it (its password among them)."""
    scheme = location_scheme(path)
    if scheme is None:
        return
    if scheme in ("postgres", "postgresql"):
        raise UsageError(
            f"{masked(path)}: an archive on a PostgreSQL server; this archivetool keeps "
            "archives in SQLite files only",
            hint="give the path of an SQLite file with --archive or ARCHIVETOOL_ARCHIVE",
        )
    raise UsageError(
        f"{masked(path)}: a URL ({scheme}:), not the path of an archive file",
        hint="give the path of an SQLite file with --archive or ARCHIVETOOL_ARCHIVE",
    )


class Archive:
    """An open archive. Use as a context manager; writes go through :meth:`batch`.

    ``create=False`` refuses a path where no archive is; ``readonly=True`` (every reading
    command) opens it without writing anything, so a read-only folder, filesystem or file
    can be read, and readers never take a write lock. An archive that needs an upgrade is
    upgraded first when it can be written.
    """

    def __init__(self, path: Path, *, create: bool = True, readonly: bool = False) -> None:
        self.path = path
        _check_file_location(path)
        if not create and not path.exists():
            raise StoreError(
                f"{path}: no archive here",
                hint="ingest documents first, or give --archive / ARCHIVETOOL_ARCHIVE",
            )
        try:
            if path.exists():
                check_is_archive(path)
            else:
                create_archive(path, lambda tmp: Archive._open(tmp).close())
            if readonly:
                self.db = self._connect_readonly()
                if self._needs_upgrade():
                    self.db.close()
                    if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
                        raise ArchiveReadOnlyError(
                            f"{path}: made by an older archivetool, and upgrading it needs "
                            "write access",
                            hint="run archivetool once where the archive can be written",
                        )
                    Archive._open(path).close()
                    self.db = self._connect_readonly()
            else:
                self._connect()
        except sqlite3.Error as exc:
            raise classify(exc, path) from exc

    @staticmethod
    def _open(path: Path) -> Archive:
        """A writable archive at a path known to hold one, or an empty temporary one being
        made (the constructor's checks would refuse or re-create it)."""
        archive = object.__new__(Archive)
        archive.path = path
        archive._connect()
        return archive

    def _connect(self) -> None:
        # another writer holds the lock for one short batch at most: wait for it
        self.db = sqlite3.connect(str(self.path), isolation_level=None, timeout=BUSY_SECONDS)
        try:
            check_schema(self.db, self.path)
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            # a 64 MiB page cache: searching a large index reads many pages again and again
            self.db.execute("PRAGMA cache_size = -65536")
            self._migrate()
            self._check_index()
        except BaseException:
            self.db.close()
            raise

    def _connect_readonly(self) -> sqlite3.Connection:
        db = connect_readonly(self.path)
        try:
            check_schema(db, self.path)
            db.execute("PRAGMA cache_size = -65536")
        except BaseException:
            db.close()
            raise
        return db

    def _needs_upgrade(self) -> bool:
        version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        if version > len(MIGRATIONS):
            self.db.close()
            raise StoreError(
                f"{self.path}: made by a newer archivetool (schema {version})",
                hint="upgrade archivetool to read it",
            )
        if version < len(MIGRATIONS):
            return True
        row = self.db.execute("SELECT value FROM meta WHERE key = 'fold_version'").fetchone()
        return row is None or int(row[0]) != FOLD_VERSION

    # -- lifecycle ----------------------------------------------------------------------

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        self.close()
        if isinstance(exc, sqlite3.Error):
            # a failure while reading or writing that names the archive's state (full,
            # damaged, read-only, busy) becomes its one line; any other stays a bug to report
            state = classify(exc, self.path, known_only=True)
            if state is not None:
                raise state from exc

    def close(self) -> None:
        self.db.close()

    def _migrate(self) -> None:
        # the version is read again under the write lock: two processes opening a new
        # archive at once must not both run a migration
        while True:
            if self._version() == len(MIGRATIONS):
                return
            self.db.execute("BEGIN IMMEDIATE")
            try:
                version = self._version()
                if version == len(MIGRATIONS):
                    self.db.execute("COMMIT")
                    return
                script, fill = MIGRATIONS[version], None
                if not isinstance(script, str):
                    script, fill = script
                for statement in _statements(script):
                    self.db.execute(statement)
                if fill:
                    fill(self.db)
                self.db.execute(f"PRAGMA user_version = {version + 1}")
                self.db.execute("COMMIT")
            except BaseException:
                self.rollback()
                raise

    def _version(self) -> int:
        version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{self.path}: made by a newer archivetool (schema {version})",
                hint="upgrade archivetool to read it",
            )
        return version

    def _fold_version(self) -> int | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'fold_version'").fetchone()
        return None if row is None else int(row[0])

    def _check_index(self) -> None:
        if self._fold_version() == FOLD_VERSION:
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            if self._fold_version() != FOLD_VERSION:
                _rebuild_index(self.db)
            self.db.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    # -- writing ------------------------------------------------------------------------

    def begin(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.db.execute("COMMIT")

    def rollback(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    def is_retryable(self, exc: BaseException) -> bool:
        """Whether a failed write is worth trying again: another writer held the archive."""
        if not isinstance(exc, sqlite3.OperationalError):
            return False
        text = str(exc).lower()
        return "locked" in text or "busy" in text

    def is_archive_fault(self, exc: BaseException) -> bool:
        """Whether storing a record failed for the archive's state (busy, full, damaged)
        rather than for the record itself (a constraint it breaks, a bug)."""
        return isinstance(exc, sqlite3.DatabaseError) and not isinstance(
            exc, sqlite3.IntegrityError
        )

    def put(self, record: dict[str, Any], prepared: Prepared | None = None) -> str:
        """Store one record inside the open transaction: 'ingested', 'updated' or 'unchanged'.

        ``prepared`` holds the rows worked out beforehand; without it they are worked out
        here. (No savepoint per record: its statement journal doubled the cost of a write;
        a record that fails makes ingest roll the batch back and write it again without.)
        """
        return self._put(record, prepared)

    def _put(self, record: dict[str, Any], prepared: Prepared | None) -> str:
        rid = record["id"]
        src = record["source"]
        row = self.db.execute(
            "SELECT rowid, sha256, data, revision, path, updated_at FROM records WHERE id = ?",
            (rid,),
        ).fetchone()
        old = None
        if row is not None:
            old = json.loads(row[2])
            if row[1] == src["sha256"] and old["source"].get("parser") == src.get("parser"):
                return "unchanged"
        now = _now()
        data = prepared.data if prepared else _dumps(record)
        folded = prepared.persons if prepared else None
        cols = (
            record["kind"], src["sha256"], src["path"], record.get("title"),
            record.get("date") or record.get("date_inferred"), _year(record),
            record.get("file_number"), record.get("container_title"), _parties(record),
            data, record.get("serial_number"), src.get("parser"),
            json.dumps(record.get("warnings") or [], ensure_ascii=False),
        )  # fmt: skip
        if row is None:
            cursor = self.db.execute(
                "INSERT INTO records (kind, sha256, path, title, date, year, file_number, "
                "container, parties, data, serial, parser, warnings, id, revision, ingested_at, "
                "updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?)",
                (*cols, rid, now, now),
            )
            _write_side_rows(self.db, rid, record, folded, new=True)
            _index(self.db, int(cursor.lastrowid or 0), record, None, prepared)
            return "ingested"
        # changed content (a corrected transcription), or the same content read by a newer
        # parser: the stored version becomes a revision
        rowid, old_sha, old_data, revision, old_path, old_updated = row
        self.db.execute(
            "INSERT INTO revisions (record_id, revision, sha256, path, data, stored_at, replaced_at) "
            "VALUES (?,?,?,?,?,?,?)",
            (rid, revision, old_sha, old_path, old_data, old_updated, now),
        )
        self.db.execute(
            "UPDATE records SET kind=?, sha256=?, path=?, title=?, date=?, year=?, file_number=?, "
            "container=?, parties=?, data=?, serial=?, parser=?, warnings=?, revision=?, "
            "updated_at=? WHERE id=?",
            (*cols, revision + 1, now, rid),
        )
        _write_side_rows(self.db, rid, record, folded)
        _index(self.db, rowid, record, old, prepared)
        return "updated"

    def limit_cache(self, mib: int) -> None:
        """A smaller page cache, for work that touches each page about once (ingest): the
        64 MiB kept for search would only fill with pages not read again."""
        self.db.execute(f"PRAGMA cache_size = {-1024 * int(mib)}")

    def hashes(self, ids: list[str]) -> dict[str, str]:
        """The sha256 of the content each of these records holds now (this connection's
        view: inside the writing transaction, what it wrote too)."""
        out: dict[str, str] = {}
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            marks = ",".join("?" * len(part))
            out.update(
                self.db.execute(f"SELECT id, sha256 FROM records WHERE id IN ({marks})", part)
            )
        return out

    # -- reading ------------------------------------------------------------------------

    def resolve_id(self, ident: str) -> str:
        """A full id, or a unique prefix of one (as with git)."""
        row = self.db.execute("SELECT id FROM records WHERE id = ?", (ident,)).fetchone()
        if row:
            return str(row[0])
        escaped = _like_escape(ident)
        rows = self.db.execute(
            "SELECT id FROM records WHERE id LIKE ? ESCAPE '\\' LIMIT 6", (escaped + "%",)
        ).fetchall()
        if len(rows) == 1:
            return str(rows[0][0])
        if not rows:
            raise NotFoundError(
                f"{ident}: no record with this id in {self.path}",
                hint="run 'archivetool list' to see the ids",
            )
        raise UsageError(
            f"{ident}: more than one record starts so ({', '.join(r[0] for r in rows[:5])} …)",
            hint="give more of the id",
        )

    def get(self, ident: str) -> dict[str, Any]:
        rid = self.resolve_id(ident)
        row = self.db.execute("SELECT data FROM records WHERE id = ?", (rid,)).fetchone()
        return dict(json.loads(row[0]))

    def revisions(self, ident: str) -> list[Revision]:
        rid = self.resolve_id(ident)
        out = []
        for rev, sha, path, data, stored, replaced in self.db.execute(
            "SELECT revision, sha256, path, data, stored_at, replaced_at FROM revisions "
            "WHERE record_id = ? ORDER BY revision",
            (rid,),
        ):
            out.append(Revision(rev, sha, path, stored, replaced, json.loads(data)))
        row = self.db.execute(
            "SELECT revision, sha256, path, data, updated_at FROM records WHERE id = ?", (rid,)
        ).fetchone()
        out.append(Revision(row[0], row[1], row[2], row[4], None, json.loads(row[3])))
        return out

    def _where(self, filters: Filters, *, ordered: bool = False) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if filters.kind:
            clauses.append("kind = ?")
            params.append(filters.kind)
        if filters.year is not None:
            # +year in a listing: compared, not taken for a constant that would make SQLite
            # sort the rest of the order in a temporary B-tree
            clauses.append("+year = ?" if ordered else "year = ?")
            params.append(filters.year)
        if filters.warnings:
            clauses.append("json_array_length(data, '$.warnings') > 0")
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        return where, params

    def records_query(self, filters: Filters = Filters()) -> tuple[str, list[Any]]:
        """The SQL of :meth:`iter_records`: read in the order of the records_order index,
        so memory stays flat however large the archive."""
        where, params = self._where(filters, ordered=True)
        sql = (
            f"SELECT data FROM records INDEXED BY records_order{where} "
            "ORDER BY date IS NULL, date, year, id"
        )
        if filters.limit is not None or filters.offset:
            sql += " LIMIT ? OFFSET ?"  # LIMIT -1: no limit, as SQLite wants one for OFFSET
            params += [-1 if filters.limit is None else filters.limit, filters.offset]
        return sql, params

    def iter_records(self, filters: Filters = Filters()) -> Iterator[dict[str, Any]]:
        """Stored records in a stable order (date, then id), one at a time."""
        # a listing reads each page once: the large page cache kept for search would only
        # fill with pages never read again
        cache = self.db.execute("PRAGMA cache_size").fetchone()[0]
        self.db.execute("PRAGMA cache_size = -8192")
        try:
            cursor = self.db.execute(*self.records_query(filters))
            while True:
                rows = cursor.fetchmany(500)
                if not rows:
                    break
                for (data,) in rows:
                    yield json.loads(data)
        finally:
            with contextlib.suppress(sqlite3.ProgrammingError):  # closed before it was read out
                self.db.execute(f"PRAGMA cache_size = {int(cache)}")

    def by_serial(self, number: str) -> Iterator[dict[str, Any]]:
        """FRUS documents whose own number (telegram, despatch) is ``number``."""
        for (data,) in self.db.execute(
            "SELECT data FROM records WHERE serial = ? AND kind = 'frus-document'", (number,)
        ):
            yield json.loads(data)

    def citations_of(self, number: str) -> Iterator[tuple[dict[str, Any], int]]:
        """Stored documents citing a communication numbered ``number``, with the reference's
        index in each."""
        rows = self.db.execute(
            "SELECT r.data, f.idx FROM refs f JOIN records r ON r.id = f.record_id "
            "WHERE f.number = ? ORDER BY r.date, r.id",
            (number,),
        )
        for data, idx in rows:
            yield json.loads(data), int(idx)

    def person_groups(self, folded_query: str | None = None) -> Iterator[dict[str, Any]]:
        """People identified in footnotes, one row per person (grouped by folded name), with
        their descriptions and documents; SQLite does the grouping."""
        sql = (
            "SELECT p.folded, MIN(p.name), MAX(p.full_name), json_group_array(DISTINCT p.description), "
            "json_group_array(DISTINCT p.record_id) FROM persons p"
        )
        params: list[Any] = []
        if folded_query:
            escaped = _like_escape(folded_query)
            sql += " WHERE p.folded LIKE ? ESCAPE '\\'"
            params.append(f"%{escaped}%")
        sql += " GROUP BY p.folded ORDER BY p.folded"
        for _folded, name, full, descriptions, documents in self.db.execute(sql, params):
            yield {"name": name, "full_name": full, "descriptions": json.loads(descriptions),
                   "documents": json.loads(documents)}  # fmt: skip

    def count(self, filters: Filters = Filters()) -> int:
        where, params = self._where(filters)
        return int(self.db.execute(f"SELECT COUNT(*) FROM records{where}", params).fetchone()[0])

    # -- searching ----------------------------------------------------------------------

    def ranked_sql(self, q: IndexQuery) -> tuple[str, list[Any]]:
        """The bare FTS5 query of a search: the best rows (rowid, rank) under the filters."""
        where: list[str] = []
        params: list[Any] = []
        if q.kind:
            where.append("f.kind = ?")
            params.append(q.kind)
        # a dated record is compared by its date; a record known only by its year (most
        # CEEOL items) by the year
        if q.date_from:
            where.append("(CASE WHEN length(f.date) = 4 THEN f.date >= ? ELSE f.date >= ? END)")
            params += [q.date_from[:4], q.date_from]
        if q.date_to:
            where.append("(CASE WHEN length(f.date) = 4 THEN f.date <= ? ELSE f.date <= ? END)")
            params += [q.date_to[:4], q.date_to]
        for facet, value in q.contains:
            where.append(f"f.{_FACETS[facet]} LIKE ? ESCAPE '\\'")
            params.append(f"%{_like_escape(value)}%")
        if q.file_number:
            where.append("f.file_number LIKE ? ESCAPE '\\'")
            params.append(f"{_like_escape(q.file_number)}%")  # '860H' finds '860H.01/478'
        if not where:
            # no filter: FTS5 picks the best rows by itself, then only those records are read
            inner = (
                f"SELECT rowid, rank FROM {FTS} WHERE {FTS} MATCH ? ORDER BY rank LIMIT ? OFFSET ?"
            )
            return inner, [q.match, q.limit, q.offset]
        inner = (
            f"SELECT {FTS}.rowid AS rowid, {FTS}.rank AS rank FROM {FTS} "
            f"JOIN facets f ON f.rowid = {FTS}.rowid "
            f"WHERE {FTS} MATCH ? AND {' AND '.join(where)} ORDER BY {FTS}.rank LIMIT ? OFFSET ?"
        )
        return inner, [q.match, *params, q.limit, q.offset]

    def search_index(self, q: IndexQuery) -> list[tuple[dict[str, Any], float]]:
        """The best records for a query with their scores (higher is better: bm25 with the
        index's column weights), best first. A query the index cannot read raises
        :class:`IndexQueryError`; a damaged index, :class:`ArchiveDamagedError`."""
        inner, params = self.ranked_sql(q)
        sql = (
            f"SELECT r.data, h.rank FROM ({inner}) AS h JOIN records r ON r.rowid = h.rowid "
            "ORDER BY h.rank"
        )
        try:
            rows = self.db.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            # the query is to blame only when the index reads a plain word well
            if exc.sqlite_errorcode & 0xFF != SQLITE_ERROR:
                raise  # busy, read-only, full: named by the archive
            if not self._index_readable():
                raise ArchiveDamagedError(
                    f"{self.path}: the search index is damaged ({exc})",
                    hint="restore the archive from a backup; listing and showing records still work",
                ) from exc
            raise IndexQueryError(str(exc)) from None
        return [(json.loads(data), -float(rank)) for data, rank in rows]

    def _index_readable(self) -> bool:
        try:
            self.db.execute(f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH '\"a\"' LIMIT 1").fetchall()
        except sqlite3.Error:
            return False
        return True

    # -- counting -----------------------------------------------------------------------

    def stats(self, top: int = 10) -> dict[str, Any]:
        """Counts over the archive, computed by SQLite (GROUP BY, json_each), never in memory."""
        q = self.db.execute
        by_kind = {
            k: int(c)
            for k, c in q("SELECT kind, COUNT(*) FROM records GROUP BY kind ORDER BY kind")
        }
        by_year = [{"year": int(y), "count": int(c)} for y, c in
                   q("SELECT year, COUNT(*) FROM records WHERE year IS NOT NULL GROUP BY year ORDER BY year")]  # fmt: skip
        undated = int(q("SELECT COUNT(*) FROM records WHERE year IS NULL").fetchone()[0])

        def top_json(path: str, kind: str) -> list[dict[str, Any]]:
            return _pairs(q(
                f"SELECT json_extract(data, '{path}') AS v, COUNT(*) AS c FROM records "
                "WHERE kind = ? GROUP BY v HAVING v IS NOT NULL AND v <> '' ORDER BY c DESC, v LIMIT ?", (kind, top)))  # fmt: skip

        def top_each(path: str, member: str | None) -> list[dict[str, Any]]:
            value = f"json_extract(j.value, '$.{member}')" if member else "j.value"
            return _pairs(q(
                f"SELECT {value} AS v, COUNT(*) AS c FROM records, json_each(records.data, '{path}') AS j "
                "WHERE records.kind = 'bibliographic-record' GROUP BY v HAVING v IS NOT NULL AND v <> '' ORDER BY c DESC, v LIMIT ?", (top,)))  # fmt: skip

        def party(path: str) -> list[dict[str, Any]]:
            return _pairs(q(
                f"SELECT COALESCE(json_extract(data, '{path}.name'), json_extract(data, '{path}.role')) AS v, "
                "COUNT(*) AS c FROM records WHERE kind = 'frus-document' GROUP BY v HAVING v IS NOT NULL AND v <> '' ORDER BY c DESC, v LIMIT ?",
                (top,)))  # fmt: skip

        def person(path: str) -> list[dict[str, Any]]:
            # by the register's id: two people of one name stay apart
            return _pairs((name, c) for _, name, c in q(
                f"SELECT json_extract(data, '{path}.person.id') AS pid, "
                f"json_extract(data, '{path}.person.name'), COUNT(*) AS c FROM records "
                "WHERE kind = 'frus-document' AND pid IS NOT NULL GROUP BY pid ORDER BY c DESC, pid LIMIT ?",
                (top,)))  # fmt: skip

        return {
            "records": sum(by_kind.values()),
            "by_kind": by_kind,
            "by_year": by_year,
            "undated": undated,
            "by_doc_type": top_json("$.doc_type", "frus-document"),
            "by_decimal_country": top_json("$.decimal_file.country", "frus-document"),
            "senders": party("$.sender"),
            "recipients": party("$.recipient"),
            "sender_persons": person("$.sender"),
            "recipient_persons": person("$.recipient"),
            "authors": top_each("$.authors", "name"),
            "subjects": top_each("$.subjects", None),
            "languages": top_json("$.language", "bibliographic-record"),
        }

    def register_ids(self) -> Iterator[tuple[str, str, str]]:
        """``(direction, record id, register id)`` for each stored FRUS document's sender
        (``sent``) and recipient (``received``) identified in the register, and each person
        its footnotes name with a register id (``mentioned``); read by SQLite from the
        stored JSON, so nothing but the matches is parsed in Python."""
        for direction, sql in _REGISTER_QUERIES:
            for rid, pid in self.db.execute(sql):
                if pid:
                    yield direction, str(rid), str(pid)


def _pairs(rows: Any) -> list[dict[str, Any]]:
    return [{"value": v, "count": int(c)} for v, c in rows if v not in (None, "")]


_REGISTER_QUERIES = (
    ("sent", "SELECT id, json_extract(data, '$.sender.person.id') FROM records "
             "WHERE kind = 'frus-document' AND json_type(data, '$.sender') = 'object'"),
    ("received", "SELECT id, json_extract(data, '$.recipient.person.id') FROM records "
                 "WHERE kind = 'frus-document' AND json_type(data, '$.recipient') = 'object'"),
    ("received", "SELECT r.id, json_extract(j.value, '$.person.id') FROM records r, "
                 "json_each(r.data, '$.recipient') j WHERE r.kind = 'frus-document' "
                 "AND json_type(r.data, '$.recipient') = 'array'"),
    ("mentioned", "SELECT r.id, json_extract(j.value, '$.register_id') FROM records r, "
                  "json_each(r.data, '$.persons') j WHERE r.kind = 'frus-document'"),
)  # fmt: skip
