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
from archivetool.errors import ArchiveReadOnlyError, NotFoundError, StoreError, UsageError
from archivetool.records import party_label
from archivetool.searchindex import COLUMNS as INDEX_COLUMNS
from archivetool.searchindex import FOLD_VERSION, WEIGHTS, filter_values, index_values

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
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def prepare(record: dict[str, Any]) -> Prepared:
    return Prepared(
        _dumps(record),
        index_values(record),
        filter_values(record),
        _persons_folded(record),
    )


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
    _rebuild_index(db)


def _rebuild_index(db: sqlite3.Connection) -> None:
    """(Re)build the search index and filter columns from the stored records."""
    db.execute("INSERT INTO fts(fts) VALUES ('delete-all')")
    # rank hits by bm25 with the column weights, so that ORDER BY rank stays inside FTS5
    db.execute(
        "INSERT INTO fts(fts, rank) VALUES ('rank', ?)", (f"bm25({', '.join(map(str, WEIGHTS))})",)
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
            f"INSERT INTO fts (fts, rowid, {cols}) VALUES ('delete', ?, {marks})",
            (rowid, *index_values(old)),
        )
    values = prepared.index if prepared else index_values(record)
    db.execute(f"INSERT INTO fts (rowid, {cols}) VALUES (?, {marks})", (rowid, *values))
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

# Append only. An archive's PRAGMA user_version counts the migrations applied to it; each
# runs in its own transaction together with the version bump. A migration is SQL, or SQL
# and a function that fills what the SQL added for the records already stored.
Migration = str | tuple[str, Callable[[sqlite3.Connection], None]]
MIGRATIONS: list[Migration] = [
    _MIGRATION_1,
    (_MIGRATION_2, _backfill_2),
    (_MIGRATION_3, _backfill_3),
    _MIGRATION_4,
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


def open_reader(path: Path) -> sqlite3.Connection:
    """A second, read-only connection (a worker's, to recognise content already stored);
    in WAL mode it never blocks the writer nor waits for it."""
    db = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_SECONDS)
    db.execute("PRAGMA query_only = ON")
    return db


def stored_content(
    db: sqlite3.Connection, sha256: str, parsers: list[str]
) -> tuple[str, list[str]] | None:
    """The id and warnings of the record holding exactly this content read by one of
    ``parsers`` (the current ones), or None: found by the content's hash, so that an
    unchanged input is recognised before it is parsed."""
    marks = ",".join("?" * len(parsers))
    row = db.execute(
        f"SELECT id, warnings FROM records WHERE sha256 = ? AND parser IN ({marks}) LIMIT 1",
        (sha256, *parsers),
    ).fetchone()
    return None if row is None else (str(row[0]), list(json.loads(row[1] or "[]")))


class Archive:
    """An open archive. Use as a context manager; writes go through :meth:`batch`.

    ``create=False`` refuses a path where no archive is; ``readonly=True`` (every reading
    command) opens it without writing anything, so a read-only folder, filesystem or file
    can be read, and readers never take a write lock. An archive that needs an upgrade is
    upgraded first when it can be written.
    """

    def __init__(self, path: Path, *, create: bool = True, readonly: bool = False) -> None:
        self.path = path
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

    def holds(self, rid: str, sha256: str) -> bool:
        """Whether record ``rid`` holds this content now (this connection's view, so inside
        the writing transaction it includes what the transaction wrote)."""
        row = self.db.execute(
            "SELECT 1 FROM records WHERE id = ? AND sha256 = ?", (rid, sha256)
        ).fetchone()
        return row is not None

    # -- reading ------------------------------------------------------------------------

    def resolve_id(self, ident: str) -> str:
        """A full id, or a unique prefix of one (as with git)."""
        row = self.db.execute("SELECT id FROM records WHERE id = ?", (ident,)).fetchone()
        if row:
            return str(row[0])
        escaped = ident.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
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
            escaped = folded_query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            sql += " WHERE p.folded LIKE ? ESCAPE '\\'"
            params.append(f"%{escaped}%")
        sql += " GROUP BY p.folded ORDER BY p.folded"
        for _folded, name, full, descriptions, documents in self.db.execute(sql, params):
            yield {"name": name, "full_name": full, "descriptions": json.loads(descriptions),
                   "documents": json.loads(documents)}  # fmt: skip

    def count(self, filters: Filters = Filters()) -> int:
        where, params = self._where(filters)
        return int(self.db.execute(f"SELECT COUNT(*) FROM records{where}", params).fetchone()[0])
