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
from pathlib import Path
from typing import Any

from archivetool import kinds
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
    StoreError,
    UsageError,
)
from archivetool.kinds import Facet
from archivetool.searchindex import COLUMNS as INDEX_COLUMNS
from archivetool.searchindex import FOLD_VERSION, FTS, WEIGHTS, filter_values, index_values
from archivetool.settings import location_scheme, masked
from archivetool.store.types import (
    Filters,
    IndexQuery,
    IndexQueryError,
    Known,
    Prepared,
    Revision,
    _dumps,
    _like_escape,
    _now,
    _parties,
    _persons_folded,
    _year,
    pairs,
    the_one,
)
from archivetool.stored import StoredRecord, StoredRevision

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

    # the records of migration 2's day that gained serial numbers and side rows: FRUS ones
    rows = db.execute("SELECT id, data FROM records WHERE kind = ?", (kinds.FRUS.name,))
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
    if not new:
        db.execute("DELETE FROM refs WHERE record_id = ?", (rid,))
        db.execute("DELETE FROM persons WHERE record_id = ?", (rid,))
    refs, persons = _side_rows(rid, record, folded)
    db.executemany(_INSERT_REFS, refs)
    db.executemany(_INSERT_PERSONS, persons)


_INSERT_REFS = (
    "INSERT INTO refs (record_id, idx, kind, number, date, party, text) VALUES (?,?,?,?,?,?,?)"
)
_INSERT_PERSONS = ("INSERT INTO persons (record_id, idx, name, full_name, folded, description, "
                   "footnote) VALUES (?,?,?,?,?,?,?)")  # fmt: skip


def _side_rows(
    rid: str, record: dict[str, Any], folded: list[str] | None
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    if folded is None:
        folded = _persons_folded(record)
    refs = [(rid, i, r["kind"], r["number"], r.get("date_iso"), r["party"], r["text"])
            for i, r in enumerate(record.get("references") or [])]  # fmt: skip
    persons = [(rid, i, p["name"], p.get("full_name"), f, p["description"], p["footnote"])
               for i, (p, f) in enumerate(zip(record.get("persons") or [], folded, strict=True))]  # fmt: skip
    return refs, persons


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
    if old is not None:
        marks = ", ".join("?" * len(INDEX_COLUMNS))
        db.execute(
            f"INSERT INTO {FTS} ({FTS}, rowid, {', '.join(INDEX_COLUMNS)}) "
            f"VALUES ('delete', ?, {marks})",
            (rowid, *index_values(old)),
        )
    text, facets = _index_rows(rowid, record, prepared)
    db.execute(_INSERT_INDEX, text)
    db.execute(_INSERT_FACETS, facets)


_INSERT_INDEX = (f"INSERT INTO {FTS} (rowid, {', '.join(INDEX_COLUMNS)}) "
                 f"VALUES (?, {', '.join('?' * len(INDEX_COLUMNS))})")  # fmt: skip
_INSERT_FACETS = ("INSERT OR REPLACE INTO facets (rowid, kind, date, file_number, f_sender, "
                  "f_recipient, f_place, f_language, f_authors) VALUES (?,?,?,?,?,?,?,?,?)")  # fmt: skip


def _index_rows(
    rowid: int, record: dict[str, Any], prepared: Prepared | None
) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """A record's row of the search index and its row of filter columns."""
    values = prepared.index if prepared else index_values(record)
    f = prepared.filters if prepared else filter_values(record)
    when = record.get("date") or record.get("date_inferred")
    if when is None and record.get("year"):
        when = f"{int(record['year']):04d}"
    facets = (rowid, record["kind"], when, record.get("file_number"), f["f_sender"],
              f["f_recipient"], f["f_place"], f["f_language"], f["f_authors"])  # fmt: skip
    return (rowid, *values), facets


_INSERT_RECORD = (
    "INSERT INTO records (rowid, kind, sha256, path, title, date, year, file_number, container, "
    "parties, data, serial, parser, warnings, id, revision, ingested_at, updated_at) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?)"
)


class _Pending:
    """New records of the open transaction not written yet: written at its end, each table
    with one statement for all of them. Their rowids are given here as SQLite would give
    them (one past the largest), so the archive is the same as when written one by one."""

    def __init__(self, next_rowid: int) -> None:
        self.next_rowid = next_rowid
        self.ids: set[str] = set()
        self.tables: dict[str, list[tuple[Any, ...]]] = {}

    def add(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        self.tables.setdefault(sql, []).extend(rows)

    def write(self, db: sqlite3.Connection) -> None:
        for sql, rows in self.tables.items():
            db.executemany(sql, rows)
        self.ids.clear()
        self.tables.clear()


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


# content stored as an earlier revision of a record is recognised by its hash too, so that
# ingesting the same inputs again changes nothing (two files of one record in one folder
# no longer swap the current version each run)
_MIGRATION_6 = "CREATE INDEX revisions_sha256 ON revisions(sha256)"


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
    _MIGRATION_6,
]


def _statements(script: str) -> list[str]:
    """A migration's statements, to run one by one inside its transaction (executescript
    would commit first)."""
    return [st.strip() for st in script.split(";") if st.strip()]


BUSY_SECONDS = 60.0


class ContentReader:
    """A second, read-only connection (a worker's, during ingest), asking one question: is
    this content stored already, read by a current parser? In WAL mode it never blocks the
    writer nor waits for it."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_SECONDS)
        self.db.execute("PRAGMA query_only = ON")

    def stored_contents(self, hashes: list[str], parsers: list[str]) -> dict[str, Known]:
        """For each of these hashes held by the archive as content read by one of
        ``parsers`` (the current ones), the record holding it: as its current version, else
        as one of its revisions. A hash left out is parsed, also when the archive cannot
        say now (the writer decides then)."""
        found: dict[str, Known] = {}
        try:
            for part in _parts(list(dict.fromkeys(hashes)), 500 - len(parsers)):
                found.update(self._contents(_CURRENT_CONTENT, part, parsers, current=True))
                rest = [h for h in part if h not in found]
                if rest:
                    found.update(self._contents(_REVISION_CONTENT, rest, parsers, current=False))
        except sqlite3.Error:
            pass  # what was found stands; the rest is parsed
        return found

    def _contents(
        self, sql: str, hashes: list[str], parsers: list[str], *, current: bool
    ) -> dict[str, Known]:
        marks, pmarks = ",".join("?" * len(hashes)), ",".join("?" * len(parsers))
        rows = self.db.execute(sql.format(marks, pmarks), (*hashes, *parsers))
        found: dict[str, Known] = {}
        for sha, rid, warnings in rows:
            if sha not in found:
                found[sha] = Known(str(rid), _warnings(warnings), current)
        return found

    def close(self) -> None:
        self.db.close()  # the last connection to close checkpoints the WAL


def open_reader(path: Path) -> ContentReader:
    return ContentReader(path)


_CURRENT_CONTENT = (
    "SELECT sha256, id, warnings FROM records WHERE sha256 IN ({}) AND parser IN ({})"
)
_REVISION_CONTENT = (
    "SELECT sha256, record_id, json_extract(data, '$.warnings') FROM revisions "
    "WHERE sha256 IN ({}) AND json_extract(data, '$.source.parser') IN ({})"
)


def _warnings(stored: str | None) -> list[str]:
    # most records have none: not worth a JSON parse each
    return [] if stored is None or stored == "[]" else list(json.loads(stored))


def _parts(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


_FACETS = {"sender": "f_sender", "recipient": "f_recipient", "place": "f_place",
           "authors": "f_authors", "language": "f_language"}  # fmt: skip
SQLITE_ERROR = 1  # the generic code, given for a query FTS5 cannot parse


def _check_file_location(path: Path) -> None:
    """Refuse a location written as a URL: an archive is an SQLite file here, and a URL taken
    for a path would make folders named after it (its password among them)."""
    scheme = location_scheme(path)
    if scheme is None:
        return
    if scheme in ("postgres", "postgresql"):
        raise UsageError(
            f"{masked(path)}: an archive on a PostgreSQL server, not an SQLite file",
            hint="open it with archivetool.store.open_archive, giving the URL as a string",
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
    def location(self) -> str:
        """Where a worker opens the archive again (its own connection)."""
        return str(self.path)

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    # -- writing ------------------------------------------------------------------------

    _pending: _Pending | None = None

    def begin(self, *, bulk: bool = False) -> None:
        """Open a write transaction. ``bulk``: new records are gathered and written at
        :meth:`commit`, each table in one statement (a failure of one of them then fails
        the commit, not the :meth:`put`: write the batch again without ``bulk`` to find it)."""
        self.db.execute("BEGIN IMMEDIATE")
        if bulk:
            (last,) = self.db.execute("SELECT COALESCE(MAX(rowid), 0) FROM records").fetchone()
            self._pending = _Pending(int(last) + 1)

    def _write_pending(self) -> None:
        if self._pending is not None:
            self._pending.write(self.db)

    def commit(self) -> None:
        try:
            self._write_pending()
        finally:
            self._pending = None
        self.db.execute("COMMIT")

    def rollback(self) -> None:
        self._pending = None
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
        pending = self._pending
        if pending is not None and rid in pending.ids:
            self._write_pending()  # the same record twice in a batch: the first is read back
        row = self.db.execute(
            "SELECT rowid, sha256, data, revision, path, updated_at FROM records WHERE id = ?",
            (rid,),
        ).fetchone()
        old = None
        if row is not None:
            old = json.loads(row[2])
            if row[1] == src["sha256"] and old["source"].get("parser") == src.get("parser"):
                return "unchanged"
            if self._is_revision(rid, src):
                return "unchanged"  # the current version stays: see stored_contents
        now = _now()
        data = prepared.data if prepared else _dumps(record)
        folded = prepared.persons if prepared else None
        cols = self._columns(record, src["sha256"], src["path"], data)
        if row is None and pending is not None:
            rowid = pending.next_rowid
            pending.next_rowid += 1
            pending.ids.add(rid)
            pending.add(_INSERT_RECORD, [(rowid, *cols, rid, now, now)])
            refs, persons = _side_rows(rid, record, folded)
            pending.add(_INSERT_REFS, refs)
            pending.add(_INSERT_PERSONS, persons)
            text, facets = _index_rows(rowid, record, prepared)
            pending.add(_INSERT_INDEX, [text])
            pending.add(_INSERT_FACETS, [facets])
            return "ingested"
        if row is None:
            cursor = self.db.execute(_INSERT_RECORD, (None, *cols, rid, now, now))
            _write_side_rows(self.db, rid, record, folded, new=True)
            _index(self.db, int(cursor.lastrowid or 0), record, None, prepared)
            return "ingested"
        self._write_pending()  # an update: what came before it in the batch written first
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

    def _is_revision(self, rid: str, src: dict[str, Any]) -> bool:
        """Whether this content, read by this parser, is stored as an earlier revision."""
        row = self.db.execute(
            "SELECT 1 FROM revisions WHERE record_id = ? AND sha256 = ? "
            "AND json_extract(data, '$.source.parser') IS ? LIMIT 1",
            (rid, src["sha256"], src.get("parser")),
        ).fetchone()
        return row is not None

    # -- copying between archives (stored.py) -------------------------------------------

    def iter_stored(self, after: str | None = None, *, page: int = 1000) -> Iterator[StoredRecord]:
        """Every record with its revisions, in id order, a page of ``page`` ids at a time
        (keyset paging: each page is found through the primary key, however far in)."""
        while True:
            with self._snapshot():  # a page and its revisions read as of one moment
                rows = self.db.execute(
                    "SELECT id, sha256, path, data, revision, ingested_at, updated_at FROM records "
                    "WHERE id > ? ORDER BY id LIMIT ?",
                    (after or "", page),
                ).fetchall()
                if not rows:
                    return
                revisions: dict[str, list[StoredRevision]] = {}
                for rid, *rest in self.db.execute(
                    "SELECT record_id, revision, sha256, path, data, stored_at, replaced_at "
                    "FROM revisions WHERE record_id >= ? AND record_id <= ? "
                    "ORDER BY record_id, revision",
                    (rows[0][0], rows[-1][0]),
                ):
                    revisions.setdefault(rid, []).append(StoredRevision(*rest))
            for rid, sha, path, data, revision, ingested, updated in rows:
                yield StoredRecord(rid, sha, path, data, revision, ingested, updated,
                                   tuple(revisions.get(rid, ())))  # fmt: skip
            after = rows[-1][0]

    @contextlib.contextmanager
    def _snapshot(self) -> Iterator[None]:
        if self.db.in_transaction:
            yield
            return
        self.db.execute("BEGIN")
        try:
            yield
        finally:
            self.db.execute("COMMIT")

    def put_stored(self, item: StoredRecord) -> str:
        """Write a record as another archive holds it, inside the open transaction:
        'copied', 'unchanged', 'extended' (revisions it lacked added) or 'differs' (other
        content here: nothing written). Versions are the same when their revision number,
        hash and JSON are; their timestamps are kept as they are on either side."""
        row = self.db.execute(
            "SELECT revision, sha256, data FROM records WHERE id = ?", (item.id,)
        ).fetchone()
        if row is not None:
            if not self._same_version(tuple(row), (item.revision, item.sha256, item.data)):
                return "differs"
            held = {rev: (rev, sha, data) for rev, sha, data in self.db.execute(
                "SELECT revision, sha256, data FROM revisions WHERE record_id = ?", (item.id,))}  # fmt: skip
            given = {r.revision: (r.revision, r.sha256, r.data) for r in item.revisions}
            if any(not self._same_version(given.get(rev, ()), v) for rev, v in held.items()):
                return "differs"  # a revision of its own, or another text under its number
            missing = [r for r in item.revisions if r.revision not in held]
            self._put_revisions(item.id, missing)
            return "extended" if missing else "unchanged"
        record = json.loads(item.data)
        cursor = self.db.execute(
            "INSERT INTO records (kind, sha256, path, title, date, year, file_number, "
            "container, parties, data, serial, parser, warnings, id, revision, ingested_at, "
            "updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (*self._columns(record, item.sha256, item.path, item.data), item.id, item.revision,
             item.ingested_at, item.updated_at),
        )  # fmt: skip
        self._put_revisions(item.id, list(item.revisions))
        _write_side_rows(self.db, item.id, record, new=True)
        _index(self.db, int(cursor.lastrowid or 0), record, None)
        return "copied"

    def _put_revisions(self, rid: str, revisions: list[StoredRevision]) -> None:
        self.db.executemany(
            "INSERT INTO revisions (record_id, revision, sha256, path, data, stored_at, replaced_at) "
            "VALUES (?,?,?,?,?,?,?)",
            [(rid, r.revision, r.sha256, r.path, r.data, r.stored_at, r.replaced_at)
             for r in revisions],
        )  # fmt: skip

    @staticmethod
    def _same_version(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
        """Two versions (revision, sha256, JSON) of a record are one: the JSON compared as text,
        or as values where a backend keeps it in a form of its own (key order, spacing)."""
        return a == b or (
            len(a) == len(b) == 3 and a[:2] == b[:2] and json.loads(a[2]) == json.loads(b[2])
        )

    @staticmethod
    def _columns(record: dict[str, Any], sha256: str, path: str, data: str) -> tuple[Any, ...]:
        """The records table's columns worked out from a record (kind to warnings), in the
        order put and put_stored write them."""
        return (
            record["kind"], sha256, path, record.get("title"),
            record.get("date") or record.get("date_inferred"), _year(record),
            record.get("file_number"), record.get("container_title"), _parties(record),
            data, record.get("serial_number"), record["source"].get("parser"),
            json.dumps(record.get("warnings") or [], ensure_ascii=False),
        )  # fmt: skip

    def limit_cache(self, mib: int) -> None:
        """A smaller page cache, for work that touches each page about once (ingest): the
        64 MiB kept for search would only fill with pages not read again."""
        self.db.execute(f"PRAGMA cache_size = {-1024 * int(mib)}")

    def optimize_index(self) -> None:
        """Merge the search index into one segment (FTS5's ``optimize``), in a transaction
        of its own. A bulk load leaves the index in a dozen segments of every size, and a
        query reads each word's entries from every one of them; merged, a common word is
        read in one run. It costs about as much as reading the index once (seconds for
        100,000 records), so it is worth it after writing a large share of the archive.
        It changes no record; should it fail (a full disk, another writer), the index is
        left as it was, whole."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('optimize')")
            self.db.execute("COMMIT")
        except sqlite3.Error:
            self.rollback()
        except BaseException:  # interrupted: the index as it was, and the interruption goes on
            self.rollback()
            raise

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
        return the_one(ident, [str(r[0]) for r in rows], self.path)

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
        for kind in kinds.correspondence():
            for (data,) in self.db.execute(
                "SELECT data FROM records WHERE serial = ? AND kind = ?", (number, kind)
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
        """The bare FTS5 query of a search: the best rows (rowid, score) under the filters.

        Ranked by bm25 with the index's column weights, computed in the query rather than
        read as FTS5's ``rank``: ``ORDER BY rank`` makes FTS5 score *and sort* every match
        before the first row comes out (tens of thousands for a common word), while an
        ``ORDER BY`` of the same bm25 value with a LIMIT keeps only the best rows as they
        are scored. The scores are the same; ties go by rowid (the order of storing), so
        paging with an offset never shows a hit twice.
        """
        score = f"bm25({FTS}, {', '.join(map(str, WEIGHTS))})"
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
            # no filter: the index picks the best rows by itself, then only those records are read
            inner = (
                f"SELECT rowid, {score} AS score FROM {FTS} WHERE {FTS} MATCH ? "
                "ORDER BY score, rowid LIMIT ? OFFSET ?"
            )
            return inner, [q.match, q.limit, q.offset]
        inner = (
            f"SELECT {FTS}.rowid AS rowid, {score} AS score FROM {FTS} "
            f"JOIN facets f ON f.rowid = {FTS}.rowid "
            f"WHERE {FTS} MATCH ? AND {' AND '.join(where)} ORDER BY score, rowid LIMIT ? OFFSET ?"
        )
        return inner, [q.match, *params, q.limit, q.offset]

    def search_index(self, q: IndexQuery) -> list[tuple[dict[str, Any], float]]:
        """The best records for a query with their scores (higher is better: bm25 with the
        index's column weights), best first. A query the index cannot read raises
        :class:`IndexQueryError`; a damaged index, :class:`ArchiveDamagedError`."""
        inner, params = self.ranked_sql(q)
        sql = (
            f"SELECT r.data, h.score FROM ({inner}) AS h JOIN records r ON r.rowid = h.rowid "
            "ORDER BY h.score, h.rowid"
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
        return [(json.loads(data), -float(score)) for data, score in rows]

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

        return {
            "records": sum(by_kind.values()),
            "by_kind": by_kind,
            "by_year": by_year,
            "undated": undated,
            **{f.name: _facet(self.db, k.name, f, top) for k, f in kinds.facets()},
        }

    def register_ids(self) -> Iterator[tuple[str, str, str]]:
        """``(direction, record id, register id)`` for each stored FRUS document's sender
        (``sent``) and recipient (``received``) identified in the register, and each person
        its footnotes name with a register id (``mentioned``); read by SQLite from the
        stored JSON, so nothing but the matches is parsed in Python."""
        for kind in kinds.correspondence():
            for direction, sql in _REGISTER_QUERIES:
                for rid, pid in self.db.execute(sql, (kind,)):
                    if pid:
                        yield direction, str(rid), str(pid)


_GROUPED = "GROUP BY v HAVING v IS NOT NULL AND v <> '' ORDER BY c DESC, v LIMIT ?"


def _facet(db: sqlite3.Connection, kind: str, f: Facet, top: int) -> list[dict[str, Any]]:
    """The ``top`` most frequent values of one of a kind's facets (kinds.Facet)."""
    path = "$." + ".".join(f.field)
    if f.shape == "person":  # by the register's id: two people of one name stay apart
        rows = db.execute(
            f"SELECT json_extract(data, '{path}.person.id') AS pid, "
            f"json_extract(data, '{path}.person.name'), COUNT(*) AS c FROM records "
            "WHERE kind = ? AND pid IS NOT NULL GROUP BY pid ORDER BY c DESC, pid LIMIT ?",
            (kind, top),
        )
        return pairs((name, c) for _, name, c in rows)
    if f.shape == "each":
        value = f"json_extract(j.value, '$.{f.member}')" if f.member else "j.value"
        sql = (f"SELECT {value} AS v, COUNT(*) AS c FROM records, "
               f"json_each(records.data, '{path}') AS j WHERE records.kind = ? {_GROUPED}")  # fmt: skip
    elif f.shape == "party":
        sql = (f"SELECT COALESCE(json_extract(data, '{path}.name'), "
               f"json_extract(data, '{path}.role')) AS v, COUNT(*) AS c FROM records "
               f"WHERE kind = ? {_GROUPED}")  # fmt: skip
    else:
        sql = (f"SELECT json_extract(data, '{path}') AS v, COUNT(*) AS c FROM records "
               f"WHERE kind = ? {_GROUPED}")  # fmt: skip
    return pairs(db.execute(sql, (kind, top)))


_REGISTER_QUERIES = (
    ("sent", "SELECT id, json_extract(data, '$.sender.person.id') FROM records "
             "WHERE kind = ? AND json_type(data, '$.sender') = 'object'"),
    ("received", "SELECT id, json_extract(data, '$.recipient.person.id') FROM records "
                 "WHERE kind = ? AND json_type(data, '$.recipient') = 'object'"),
    ("received", "SELECT r.id, json_extract(j.value, '$.person.id') FROM records r, "
                 "json_each(r.data, '$.recipient') j WHERE r.kind = ? "
                 "AND json_type(r.data, '$.recipient') = 'array'"),
    ("mentioned", "SELECT r.id, json_extract(j.value, '$.register_id') FROM records r, "
                  "json_each(r.data, '$.persons') j WHERE r.kind = ?"),
)  # fmt: skip
