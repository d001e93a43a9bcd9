"""The archive on a PostgreSQL server (15 or newer), through psycopg 3: one archive that a
whole group ingests into and searches at the same time, from several machines.

The location is passed to libpq as it was given (a ``postgresql://`` URL or a keyword
string), so libpq's own ``PG*`` variables and ``~/.pgpass`` fill in what it leaves out.
Records, revisions, references and persons are stored as in the SQLite file (the record's
JSON verbatim, as text, so it comes back key for key); the search index is a ``tsvector``
column with a GIN index (see :mod:`archivetool.store.pgsearch`). Migrations are numbered
from 1 in ``schema_migrations``, each in its own transaction, under an advisory lock so that
two processes opening a new database at once do not both migrate.

Many writers: a record's row is locked (``FOR UPDATE``) while it is compared and replaced,
and a record new to the archive is inserted with ``ON CONFLICT DO NOTHING`` and read again
when another writer stored it first, so each document has one record and every version a
revision. A deadlock or serialisation failure is retried by ingest (:meth:`is_retryable`).
Readers see committed transactions only: whole records, never half a batch.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from typing import Any, NoReturn

import psycopg
from psycopg import errors as pgerrors

from archivetool import kinds
from archivetool.errors import (
    ArchiveBusyError,
    ArchiveDamagedError,
    ArchiveFullError,
    ArchiveReadOnlyError,
    NotFoundError,
    StoreError,
    UsageError,
)
from archivetool.kinds import Facet
from archivetool.searchindex import FOLD_VERSION, filter_values, index_values
from archivetool.settings import masked
from archivetool.store.pgsearch import RANK_WEIGHTS, QuerySyntaxError, to_tsquery, tsvector_literal
from archivetool.store.types import (
    Filters,
    IndexQuery,
    IndexQueryError,
    Known,
    Prepared,
    Revision,
    _like_escape,
    _now,
    _parties,
    _persons_folded,
    _year,
    pairs,
    prepare,
    the_one,
)
from archivetool.stored import StoredRecord, StoredRevision

_IDLE = psycopg.pq.TransactionStatus.IDLE
# the advisory lock migrations run under (any constant the group's other tools do not use)
_MIGRATION_LOCK = 0x61726368  # "arch"
CONNECT_TIMEOUT = 10  # seconds; libpq's PGCONNECT_TIMEOUT, when set, wins
LOCK_TIMEOUT = "60s"  # another writer holds a record for one short batch at most

_MIGRATION_1 = """
CREATE TABLE records (
    id          text COLLATE "C" PRIMARY KEY,
    kind        text COLLATE "C" NOT NULL,
    sha256      text NOT NULL,
    path        text NOT NULL,
    title       text,
    date        text COLLATE "C",
    year        integer,
    file_number text COLLATE "C",
    container   text,
    parties     text,
    serial      text COLLATE "C",
    parser      text,
    warnings    text NOT NULL DEFAULT '[]',
    data        text NOT NULL,
    revision    integer NOT NULL DEFAULT 1,
    ingested_at text NOT NULL,
    updated_at  text NOT NULL
);
CREATE INDEX records_order ON records ((date IS NULL), date, year, id);
CREATE INDEX records_kind ON records (kind);
CREATE INDEX records_year ON records (year);
CREATE INDEX records_file_number ON records (file_number);
CREATE INDEX records_content ON records (sha256, parser);
CREATE INDEX records_serial ON records (serial, date);
CREATE TABLE revisions (
    record_id   text COLLATE "C" NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    revision    integer NOT NULL,
    sha256      text NOT NULL,
    path        text NOT NULL,
    data        text NOT NULL,
    stored_at   text NOT NULL,
    replaced_at text NOT NULL,
    PRIMARY KEY (record_id, revision)
);
CREATE TABLE refs (
    record_id text COLLATE "C" NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    idx       integer NOT NULL,
    kind      text,
    number    text COLLATE "C",
    date      text COLLATE "C",
    party     text,
    text      text NOT NULL,
    PRIMARY KEY (record_id, idx)
);
CREATE INDEX refs_number ON refs (number, date);
CREATE TABLE persons (
    record_id   text COLLATE "C" NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    idx         integer NOT NULL,
    name        text NOT NULL,
    full_name   text,
    folded      text COLLATE "C" NOT NULL,
    description text,
    footnote    text,
    PRIMARY KEY (record_id, idx)
);
CREATE INDEX persons_folded ON persons (folded);
CREATE TABLE search (
    record_id   text COLLATE "C" PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    document    tsvector NOT NULL,
    kind        text COLLATE "C" NOT NULL,
    date        text COLLATE "C",
    file_number text COLLATE "C",
    f_sender    text,
    f_recipient text,
    f_place     text,
    f_language  text,
    f_authors   text
);
CREATE INDEX search_document ON search USING gin (document);
CREATE TABLE archive_meta (key text PRIMARY KEY, value text NOT NULL);
CREATE VIEW documents AS SELECT id, kind, title, date, year,
    data::jsonb ->> 'doc_type' AS doc_type,
    CASE jsonb_typeof(data::jsonb -> 'sender') WHEN 'object'
        THEN COALESCE(data::jsonb #>> '{sender,name}', data::jsonb #>> '{sender,role}')
        ELSE data::jsonb ->> 'sender' END AS sender,
    CASE jsonb_typeof(data::jsonb -> 'recipient') WHEN 'object'
        THEN COALESCE(data::jsonb #>> '{recipient,name}', data::jsonb #>> '{recipient,role}')
        ELSE data::jsonb ->> 'recipient' END AS recipient,
    parties, data::jsonb ->> 'place' AS place, file_number,
    data::jsonb ->> 'classification' AS classification,
    data::jsonb #>> '{frus_volume,id}' AS volume, data::jsonb #>> '{frus_volume,url}' AS url,
    data::jsonb -> 'authors' AS authors, container, data::jsonb ->> 'language' AS language,
    warnings::jsonb AS warnings, data::jsonb AS record
    FROM records
"""
# search: the index and the short columns its filters read, apart from the records' large
# JSON (as the SQLite archive's facets); documents: the main fields as columns, for the
# group's other tools (a browser, R, a notebook) to read without JSON


# Append only: each runs in its own transaction with its row in schema_migrations; a
# migration is SQL, or SQL and a function filling what it added for the records stored.
Migration = str | tuple[str, Callable[[psycopg.Connection[Any]], None]]
# content stored as an earlier revision is recognised by its hash too (the SQLite archive's
# migration 6): ingesting the same inputs again changes nothing
_MIGRATION_2 = "CREATE INDEX revisions_sha256 ON revisions (sha256)"

MIGRATIONS: list[Migration] = [_MIGRATION_1, _MIGRATION_2]

_STATES = {
    # SQLSTATE class or code → the archive's state
    "53100": "full",  # disk_full
    "53200": "full",  # out_of_memory
    "XX001": "damaged",  # data_corrupted
    "XX002": "damaged",  # index_corrupted
    "25006": "readonly",  # read_only_sql_transaction (a standby, or a read-only default)
    "42501": "readonly",  # insufficient_privilege
    "55P03": "busy",  # lock_not_available
    "53300": "busy",  # too_many_connections
    "57P01": "busy",  # admin_shutdown
    "57P03": "busy",  # cannot_connect_now (starting up, in recovery)
    "08000": "busy",  # connection_exception
    "08003": "busy",  # connection_does_not_exist
    "08006": "busy",  # connection_failure
    "40001": "busy",  # serialization_failure, retries exhausted
    "40P01": "busy",  # deadlock_detected, retries exhausted
}


def classify(
    exc: psycopg.Error, where: str, *, known_only: bool = False, reading: bool = False
) -> StoreError | None:
    """The one line a failure of the server deserves, as the error of the archive's state
    (``where``: the location, masked; ``reading``: a reading command's). With
    ``known_only``, None for a failure that names no state (a constraint, a bug), which
    stays an internal error to be reported."""
    code = exc.sqlstate or ""
    state = _STATES.get(code)
    if reading and code == "42501":
        return StoreError(
            f"{where}: this account may not read the archive ({_first_line(exc)})",
            hint="ask the archive's owner for SELECT on its tables",
        )
    if state is None and isinstance(exc, psycopg.OperationalError) and not code:
        state = "busy"  # the connection was lost
    detail = _first_line(exc)
    if state == "full":
        return ArchiveFullError(
            f"{where}: the server has no space left ({detail})",
            hint="ask the server's administrator for space and run again; what was stored "
            "before is kept, the unfinished batch was rolled back",
        )
    if state == "damaged":
        return ArchiveDamagedError(
            f"{where}: the server reports damaged data ({detail})",
            hint="ask the server's administrator to check and restore the database",
        )
    if state == "readonly":
        return ArchiveReadOnlyError(
            f"{where}: the archive cannot be written with this account ({detail})",
            hint="reading commands still work; ask for INSERT, UPDATE and DELETE on the "
            "archive's tables, or connect as its owner",
        )
    if state == "busy":
        return ArchiveBusyError(
            f"{where}: the server is busy or the connection was lost ({detail})",
            hint="wait a moment and run again",
        )
    if known_only:
        return None
    return StoreError(f"{where}: the server refused ({detail})", hint="run with --debug for more")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0].strip() if text else type(exc).__name__


_PASSWORDS = (
    re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/@:]*:([^/@]*)@"),
    re.compile(r"\bpassword\s*=\s*(?:'((?:[^'\\]|\\.)*)'|(\S+))", re.IGNORECASE),
)


def _scrubbed(text: str, location: str) -> str:
    """libpq's words with the location's password taken out, should they quote it (a
    malformed URL is quoted back)."""
    for pattern in _PASSWORDS:
        m = pattern.search(location)
        secret = next((g for g in m.groups() if g), None) if m else None
        if secret:
            text = text.replace(secret, "***")
    return text


def connect_error(
    exc: psycopg.OperationalError, where: str, sqlstate: str | None = None
) -> StoreError:
    """Why a connection could not be made, in one line: the server unreachable (exit 6, as
    a busy archive: run again later), the account refused, the database missing."""
    text = str(exc)
    low = text.lower()
    code = sqlstate or exc.sqlstate or ""
    if code in ("28P01", "28000") or "password" in low or "authentication" in low:
        return StoreError(
            f"{where}: the server refused the login ({_reason(text)})",
            hint="check the user and password: in ~/.pgpass, PGPASSWORD or the URL",
        )
    if code == "3D000" or ("database" in low and "does not exist" in low):
        return StoreError(
            f"{where}: no such database on the server ({_reason(text)})",
            hint="create it first (createdb -O USER DBNAME), or give the right name",
        )
    if code == "53300" or "too many" in low:
        return ArchiveBusyError(
            f"{where}: the server has no connection free ({_reason(text)})",
            hint="wait a moment and run again",
        )
    return ArchiveBusyError(
        f"{where}: cannot reach the PostgreSQL server ({_reason(text)})",
        hint="check that the server runs and that host and port are right, then run again",
    )


def _reason(text: str) -> str:
    """libpq's own words, without the address it repeats: the gist of the failure."""
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    reason = " ".join(lines[-1:]) if lines else text
    reason = reason.rsplit("failed: ", 1)[-1].strip()
    return reason.removeprefix("FATAL:").strip()


def _connect(location: str, *, readonly: bool) -> psycopg.Connection[Any]:
    """A connection in autocommit mode (transactions are begun and ended explicitly)."""
    options: dict[str, Any] = {"autocommit": True}
    # defaults only: what the location or libpq's variables say wins
    if "application_name" not in location and "PGAPPNAME" not in os.environ:
        options["application_name"] = "archivetool"
    if "connect_timeout" not in location and "PGCONNECT_TIMEOUT" not in os.environ:
        options["connect_timeout"] = CONNECT_TIMEOUT
    try:
        conn = psycopg.connect(location, **options)
    except psycopg.ProgrammingError as exc:  # a malformed URL or keyword string
        reason = _scrubbed(_first_line(exc), location)
        raise UsageError(
            f"{masked(location)}: not a PostgreSQL location libpq can read ({reason})",
            hint="write it as postgresql://user@host:5432/database",
        ) from None
    except psycopg.OperationalError as exc:
        raise connect_error(psycopg.OperationalError(_scrubbed(str(exc), location)),
                            masked(location), exc.sqlstate) from None  # fmt: skip
    try:
        conn.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
        if readonly:
            conn.execute("SET default_transaction_read_only = on")
    except psycopg.Error:
        conn.close()
        raise
    return conn


class PgArchive:
    """An open archive on a PostgreSQL server; the SQLite archive's methods, same answers."""

    def __init__(self, location: str, *, create: bool = True, readonly: bool = False) -> None:
        self._location = location
        self._reading = readonly
        self.path = masked(location)
        self.db = _connect(location, readonly=readonly)
        try:
            self._open(create=create, readonly=readonly)
        except psycopg.Error as exc:
            self.db.close()
            raise self._state(exc) from exc
        except BaseException:
            self.db.close()
            raise

    @property
    def location(self) -> str:
        return self._location

    def _state(self, exc: psycopg.Error) -> StoreError:
        state = classify(exc, self.path, reading=self._reading)
        assert state is not None  # without known_only, every failure has its line
        return state

    # -- opening and migrating --------------------------------------------------------------

    def _open(self, *, create: bool, readonly: bool) -> None:
        version = self._version()
        if version is None and not self._is_empty():
            # another process may have begun the first migration between the two looks:
            # it makes schema_migrations before any other table, so look again
            version = self._version()
        if version is None and not self._is_empty():
            raise StoreError(
                f"{self.path}: a database with tables of its own, but not an archivetool "
                "archive; archivetool leaves it as it is",
                hint="give an empty database (createdb), or a schema of its own with "
                "options=-csearch_path=archivetool",
            )
        if version is None and (readonly or not create):
            raise StoreError(
                f"{self.path}: no archive in this database yet",
                hint="ingest documents first, or give --archive / ARCHIVETOOL_ARCHIVE",
            )
        if version is not None and version > len(MIGRATIONS):
            raise StoreError(
                f"{self.path}: made by a newer archivetool (schema {version})",
                hint="upgrade archivetool to read it",
            )
        if version == len(MIGRATIONS) and self._fold_version() == FOLD_VERSION:
            return
        if readonly:
            # an upgrade writes: through a connection of its own, then read on
            try:
                PgArchive(self._location, create=False).close()
            except ArchiveReadOnlyError:
                raise ArchiveReadOnlyError(
                    f"{self.path}: made by an older archivetool, and upgrading it needs an "
                    "account that may write",
                    hint="run archivetool once as the archive's owner",
                ) from None
            return
        self._migrate()

    def _version(self) -> int | None:
        """The number of migrations applied, or None where archivetool made nothing yet."""
        row = self.db.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
        if row is None or not row[0]:
            return None
        got = self.db.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()
        return int(got[0]) if got else 0

    def _is_empty(self) -> bool:
        row = self.db.execute(
            "SELECT COUNT(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v', 'm', 'p', 'f')"
        ).fetchone()
        return row is not None and int(row[0]) == 0

    def _fold_version(self) -> int | None:
        row = self.db.execute(
            "SELECT value FROM archive_meta WHERE key = 'fold_version'"
        ).fetchone()
        return None if row is None else int(row[0])

    def _migrate(self) -> None:
        # one process at a time: the version is read again under the lock
        self.db.execute("SELECT pg_advisory_lock(%s)", (_MIGRATION_LOCK,))
        try:
            if self._version() is None:
                self.db.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
                    "applied_at timestamptz NOT NULL DEFAULT now())"
                )
            while (version := self._version() or 0) < len(MIGRATIONS):
                script, fill = MIGRATIONS[version], None
                if not isinstance(script, str):
                    script, fill = script
                with self.db.transaction():
                    self.db.execute(script)
                    if fill:
                        fill(self.db)
                    self.db.execute(
                        "INSERT INTO schema_migrations (version) VALUES (%s)", (version + 1,)
                    )
            if self._fold_version() != FOLD_VERSION:
                with self.db.transaction():
                    self._rebuild_index()
        finally:
            self.db.execute("SELECT pg_advisory_unlock(%s)", (_MIGRATION_LOCK,))

    def _rebuild_index(self) -> None:
        """(Re)build the search index from the stored records: a change of folding."""
        self.db.execute("DELETE FROM search")
        with self.db.cursor(name="rebuild") as cur:
            cur.execute("SELECT id, data FROM records ORDER BY id")
            while batch := cur.fetchmany(500):
                with self.db.cursor() as out:
                    out.executemany(_INSERT_SEARCH, [_search_row(rid, json.loads(d), None)
                                                     for rid, d in batch])  # fmt: skip
        self.db.execute(
            "INSERT INTO archive_meta (key, value) VALUES ('fold_version', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            (str(FOLD_VERSION),),
        )

    @property
    def schema_version(self) -> int:
        return self._version() or 0

    # -- lifecycle ------------------------------------------------------------------------

    def __enter__(self) -> PgArchive:
        return self

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        self.close()
        if isinstance(exc, psycopg.Error):
            state = classify(exc, self.path, known_only=True, reading=self._reading)
            if state is not None:
                raise state from exc

    def close(self) -> None:
        self.db.close()

    # -- writing --------------------------------------------------------------------------

    def begin(self, *, bulk: bool = False) -> None:
        # ``bulk`` gathers SQLite's writes for one statement a table; here a record's writes
        # already go to the server in one pipe, so a bulk batch is an ordinary one
        self.db.execute("BEGIN")

    def commit(self) -> None:
        self.db.execute("COMMIT")

    def optimize_index(self) -> None:
        """After a bulk load: fresh statistics for the planner (the GIN index merges its
        pending entries by itself). Nothing changes in the records; a failure is let be."""
        try:
            self.db.execute("ANALYZE records")
        except psycopg.Error:
            self.db.rollback()

    def rollback(self) -> None:
        if self.db.closed:
            return
        if self.db.info.transaction_status != _IDLE:
            self.db.execute("ROLLBACK")

    def is_retryable(self, exc: BaseException) -> bool:
        """A deadlock, a serialisation failure or a lock not granted in time: another writer
        held a record; the batch is worth trying again."""
        return isinstance(
            exc,
            pgerrors.DeadlockDetected | pgerrors.SerializationFailure | pgerrors.LockNotAvailable,
        )

    def is_archive_fault(self, exc: BaseException) -> bool:
        """Whether storing a record failed for the archive's state rather than for the
        record itself (a value the server refuses, a constraint it breaks)."""
        if not isinstance(exc, psycopg.Error):
            return False
        return not isinstance(exc, psycopg.IntegrityError | psycopg.DataError)

    def limit_cache(self, mib: int) -> None:
        """Nothing to do: the server manages its own cache."""

    def hashes(self, ids: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for i in range(0, len(ids), 500):
            rows = self.db.execute(
                "SELECT id, sha256 FROM records WHERE id = ANY(%s)", (ids[i : i + 500],)
            )
            out.update((str(a), str(b)) for a, b in rows)
        return out

    def put(self, record: dict[str, Any], prepared: Prepared | None = None) -> str:
        """Store one record inside the open transaction: 'ingested', 'updated' or 'unchanged'."""
        prepared = prepared or prepare(record)
        rid = record["id"]
        src = record["source"]
        row = self._locked(rid)
        now = _now()
        cols = _columns(record, prepared.data)
        if row is None:
            inserted = self.db.execute(
                f"INSERT INTO records ({_RECORD_COLUMNS}, id, revision, ingested_at, updated_at) "
                f"VALUES ({_MARKS}, %s, 1, %s, %s) ON CONFLICT (id) DO NOTHING RETURNING 1",
                (*cols, rid, now, now),
            ).fetchone()
            if inserted is not None:
                with self.db.pipeline():  # no round trip per statement
                    self._write_side_rows(rid, record, prepared, new=True)
                return "ingested"
            row = self._locked(rid)  # another writer stored it a moment ago
            assert row is not None
        old_sha, old_parser, revision, old_path, old_data, old_updated = row
        if old_sha == src["sha256"] and old_parser == src.get("parser"):
            return "unchanged"
        if self._is_revision(rid, src):
            return "unchanged"  # the current version stays, as in the SQLite archive
        # changed content, or the same content read by a newer parser: the stored version
        # becomes a revision
        with self.db.pipeline():
            self.db.execute(
                "INSERT INTO revisions (record_id, revision, sha256, path, data, stored_at, "
                "replaced_at) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                (rid, revision, old_sha, old_path, old_data, old_updated, now),
            )
            self.db.execute(
                f"UPDATE records SET ({_RECORD_COLUMNS}, revision, updated_at) = "
                f"({_MARKS}, %s, %s) WHERE id = %s",
                (*cols, revision + 1, now, rid),
            )
            self._write_side_rows(rid, record, prepared)
        return "updated"

    def _is_revision(self, rid: str, src: dict[str, Any]) -> bool:
        """Whether this content, read by this parser, is stored as an earlier revision."""
        row = self.db.execute(
            "SELECT 1 FROM revisions WHERE record_id = %s AND sha256 = %s "
            "AND data::json->'source'->>'parser' IS NOT DISTINCT FROM %s LIMIT 1",
            (rid, src["sha256"], src.get("parser")),
        ).fetchone()
        return row is not None

    def _locked(self, rid: str) -> tuple[Any, ...] | None:
        return self.db.execute(
            "SELECT sha256, parser, revision, path, data, updated_at FROM records "
            "WHERE id = %s FOR UPDATE",
            (rid,),
        ).fetchone()

    def _write_side_rows(
        self, rid: str, record: dict[str, Any], prepared: Prepared, *, new: bool = False
    ) -> None:
        """References, persons and the search index of a record (``new``: none to delete)."""
        if not new:
            for table in ("refs", "persons", "search"):
                self.db.execute(f"DELETE FROM {table} WHERE record_id = %s", (rid,))
        with self.db.cursor() as cur:
            refs = [(rid, i, r["kind"], r["number"], r.get("date_iso"), r["party"], _t(r["text"]))
                    for i, r in enumerate(record.get("references") or [])]  # fmt: skip
            if refs:
                cur.executemany(
                    "INSERT INTO refs (record_id, idx, kind, number, date, party, text) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    refs,
                )
            persons = [(rid, i, _t(p["name"]), _t(p.get("full_name")), _t(f),
                        _t(p["description"]), _t(p["footnote"]))
                       for i, (p, f) in enumerate(zip(record.get("persons") or [],
                                                      prepared.persons, strict=True))]  # fmt: skip
            if persons:
                cur.executemany(
                    "INSERT INTO persons (record_id, idx, name, full_name, folded, description, "
                    "footnote) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    persons,
                )
            cur.execute(_INSERT_SEARCH, _search_row(rid, record, prepared))

    # -- reading --------------------------------------------------------------------------

    def resolve_id(self, ident: str) -> str:
        """A full id, or a unique prefix of one (as with git)."""
        row = self.db.execute("SELECT id FROM records WHERE id = %s", (ident,)).fetchone()
        if row:
            return str(row[0])
        rows = self.db.execute(
            "SELECT id FROM records WHERE id LIKE %s ORDER BY id LIMIT 6",
            (_like_escape(ident) + "%",),
        ).fetchall()
        return the_one(ident, [str(r[0]) for r in rows], self.path)

    def get(self, ident: str) -> dict[str, Any]:
        rid = self.resolve_id(ident)
        row = self.db.execute("SELECT data FROM records WHERE id = %s", (rid,)).fetchone()
        if row is None:
            self._gone(rid)
        return dict(json.loads(row[0]))

    def _gone(self, rid: str) -> NoReturn:
        raise NotFoundError(f"{rid}: no record with this id in {self.path}",
                            hint="run 'archivetool list' to see the ids")  # fmt: skip

    def revisions(self, ident: str) -> list[Revision]:
        rid = self.resolve_id(ident)
        with self.db.transaction():  # the revisions and the current version of one moment
            out = [
                Revision(rev, sha, path, stored, replaced, json.loads(data))
                for rev, sha, path, data, stored, replaced in self.db.execute(
                    "SELECT revision, sha256, path, data, stored_at, replaced_at FROM revisions "
                    "WHERE record_id = %s ORDER BY revision",
                    (rid,),
                )
            ]
            row = self.db.execute(
                "SELECT revision, sha256, path, data, updated_at FROM records WHERE id = %s",
                (rid,),
            ).fetchone()
        if row is None:
            self._gone(rid)
        out.append(Revision(row[0], row[1], row[2], row[4], None, json.loads(row[3])))
        return out

    def _where(self, filters: Filters) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if filters.kind:
            clauses.append("kind = %s")
            params.append(filters.kind)
        if filters.year is not None:
            clauses.append("year = %s")
            params.append(filters.year)
        if filters.warnings:
            clauses.append("warnings <> '[]'")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def records_query(self, filters: Filters = Filters()) -> tuple[str, list[Any]]:
        """The SQL of :meth:`iter_records`, in the order of the records_order index (NULLs
        first, as SQLite sorts them)."""
        where, params = self._where(filters)
        sql = f"SELECT data FROM records{where} ORDER BY date IS NULL, date, year NULLS FIRST, id"
        if filters.limit is not None or filters.offset:
            sql += " LIMIT %s OFFSET %s"
            params += [filters.limit, filters.offset]
        return sql, params

    def iter_records(self, filters: Filters = Filters()) -> Iterator[dict[str, Any]]:
        """Stored records in a stable order (date, then id), streamed through a server-side
        cursor: one snapshot (whole records, as committed when it began), flat memory."""
        yield from self._stream(*self.records_query(filters))

    def _stream(self, sql: str, params: list[Any]) -> Iterator[dict[str, Any]]:
        started = self.db.info.transaction_status == _IDLE
        if started:
            self.db.execute("BEGIN")
        try:
            with self.db.cursor(name=f"stream_{id(sql)}_{id(params)}") as cur:
                cur.itersize = 500
                cur.execute(sql, params)
                for (data,) in cur:
                    yield json.loads(data)
        finally:
            idle = self.db.closed or self.db.info.transaction_status == _IDLE
            if started and not idle:
                self.db.execute("COMMIT")

    def by_serial(self, number: str) -> Iterator[dict[str, Any]]:
        for kind in kinds.correspondence():
            for (data,) in self.db.execute(
                # by date, as SQLite reads them from its (serial, date) index
                "SELECT data FROM records WHERE serial = %s AND kind = %s "
                "ORDER BY date NULLS FIRST, id",
                (number, kind),
            ).fetchall():
                yield json.loads(data)

    def citations_of(self, number: str) -> Iterator[tuple[dict[str, Any], int]]:
        rows = self.db.execute(
            "SELECT r.data, f.idx FROM refs f JOIN records r ON r.id = f.record_id "
            "WHERE f.number = %s ORDER BY r.date NULLS FIRST, r.id, f.idx",
            (number,),
        ).fetchall()
        for data, idx in rows:
            yield json.loads(data), int(idx)

    def person_groups(self, folded_query: str | None = None) -> Iterator[dict[str, Any]]:
        """People identified in footnotes, one row per person (grouped by folded name), with
        their descriptions and documents in the order they were stored (as SQLite gives)."""
        where, params = "", []
        if folded_query:
            where = " WHERE p.folded LIKE %s"
            params.append(f"%{_like_escape(folded_query)}%")
        sql = (
            "SELECT p.folded, MIN(p.name), MAX(p.full_name), "
            "array_agg(p.description ORDER BY p.record_id, p.idx), "
            f"array_agg(p.record_id ORDER BY p.record_id, p.idx) FROM persons p{where} "
            "GROUP BY p.folded ORDER BY p.folded"
        )
        for _folded, name, full, descriptions, documents in self.db.execute(sql, params):
            yield {"name": name, "full_name": full, "descriptions": _distinct(descriptions),
                   "documents": _distinct(documents)}  # fmt: skip

    def count(self, filters: Filters = Filters()) -> int:
        where, params = self._where(filters)
        row = self.db.execute(f"SELECT COUNT(*) FROM records{where}", params).fetchone()
        return int(row[0]) if row else 0

    # -- searching ------------------------------------------------------------------------

    def ranked_sql(self, q: IndexQuery) -> tuple[str, list[Any]]:
        """The best rows (record id, rank) under the filters: the tsquery over the GIN index,
        ranked by ts_rank_cd with the index's weights, ties by id."""
        try:
            tsquery = to_tsquery(q.match)
        except QuerySyntaxError as exc:
            raise IndexQueryError(str(exc)) from None
        where = ["s.document @@ q.q"]
        params: list[Any] = [tsquery]
        if q.kind:
            where.append("s.kind = %s")
            params.append(q.kind)
        if q.date_from:
            where.append("(CASE WHEN length(s.date) = 4 THEN s.date >= %s ELSE s.date >= %s END)")
            params += [q.date_from[:4], q.date_from]
        if q.date_to:
            where.append("(CASE WHEN length(s.date) = 4 THEN s.date <= %s ELSE s.date <= %s END)")
            params += [q.date_to[:4], q.date_to]
        for facet, value in q.contains:
            where.append(f"s.{_FACETS[facet]} LIKE %s")
            params.append(f"%{_like_escape(value)}%")
        if q.file_number:
            where.append("s.file_number LIKE %s")
            params.append(f"{_like_escape(q.file_number)}%")
        sql = (
            f"SELECT s.record_id, ts_rank_cd('{RANK_WEIGHTS}', s.document, q.q, {RANK_NORMALISATION}) "
            "AS rank FROM search s, (SELECT %s::tsquery AS q) q "
            f"WHERE {' AND '.join(where)} ORDER BY rank DESC, s.record_id LIMIT %s OFFSET %s"
        )
        return sql, [*params, q.limit, q.offset]

    def search_index(self, q: IndexQuery) -> list[tuple[dict[str, Any], float]]:
        """The best records for a query with their scores (higher is better), best first."""
        inner, params = self.ranked_sql(q)
        sql = (
            f"SELECT r.data, h.rank FROM ({inner}) AS h JOIN records r ON r.id = h.record_id "
            "ORDER BY h.rank DESC, h.record_id"
        )
        try:
            rows = self.db.execute(sql, params).fetchall()
        except (pgerrors.SyntaxError, pgerrors.ProgramLimitExceeded) as exc:
            raise IndexQueryError(_first_line(exc)) from None
        return [(json.loads(data), float(rank)) for data, rank in rows]

    # -- counting -------------------------------------------------------------------------

    def stats(self, top: int = 10) -> dict[str, Any]:
        """Counts over the archive, computed by the server (GROUP BY, jsonb), never in memory."""

        def q(sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
            return self.db.execute(sql, params).fetchall()

        with self.db.transaction():  # one snapshot for all the counts
            by_kind = {str(k): int(c) for k, c in
                       q("SELECT kind, COUNT(*) FROM records GROUP BY kind ORDER BY kind")}  # fmt: skip
            by_year = [{"year": int(y), "count": int(c)} for y, c in
                       q("SELECT year, COUNT(*) FROM records WHERE year IS NOT NULL GROUP BY year ORDER BY year")]  # fmt: skip
            undated = int(q("SELECT COUNT(*) FROM records WHERE year IS NULL")[0][0])

            return {
                "records": sum(by_kind.values()),
                "by_kind": by_kind,
                "by_year": by_year,
                "undated": undated,
                **{f.name: _facet(q, k.name, f, top) for k, f in kinds.facets()},
            }

    def register_ids(self) -> Iterator[tuple[str, str, str]]:
        """``(direction, record id, register id)`` for each FRUS document's sender, recipients
        and the persons its footnotes name with a register id, read by the server."""
        for kind in kinds.correspondence():
            for direction, sql in _REGISTER_QUERIES:
                for rid, pid in self.db.execute(sql, (kind,)).fetchall():
                    if pid:
                        yield direction, str(rid), str(pid)

    # -- copying (archivetool copy) -------------------------------------------------------

    def iter_stored(self, after: str | None = None, *, page: int = 1000) -> Iterator[StoredRecord]:
        """Every record in id order (byte order, as SQLite's: the ids are ``COLLATE "C"``)
        with its earlier revisions, a page of ``page`` ids at a time, each page and its
        revisions read in one transaction; ``after``: start after that id (resuming)."""
        last = after
        while True:
            with self.db.transaction():
                rows = self.db.execute(
                    "SELECT id, sha256, path, data, revision, ingested_at, updated_at FROM records "
                    "WHERE %s::text IS NULL OR id > %s ORDER BY id LIMIT %s",
                    (last, last, page),
                ).fetchall()
                if not rows:
                    return
                revs: dict[str, list[StoredRevision]] = {}
                for rid, *rest in self.db.execute(
                    "SELECT record_id, revision, sha256, path, data, stored_at, replaced_at "
                    "FROM revisions WHERE record_id = ANY(%s) ORDER BY record_id, revision",
                    ([r[0] for r in rows],),
                ):
                    revs.setdefault(rid, []).append(StoredRevision(*rest))
            for rid, sha, path, data, revision, ingested, updated in rows:
                yield StoredRecord(rid, sha, path, data, int(revision), ingested, updated,
                                   tuple(revs.get(rid, ())))  # fmt: skip
            last = rows[-1][0]

    def put_stored(self, item: StoredRecord) -> str:
        """Write a record exactly as given (inside the open transaction): 'copied',
        'unchanged', 'extended' or 'differs' (see :mod:`archivetool.stored`), with the same
        outcomes as the SQLite archive's. Versions are the same when their revision number,
        hash and JSON are, the JSON compared as values where another backend wrote it in a
        form of its own; a revision held here that the given history lacks, or holds with
        another text, makes the record differ."""

        def same(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
            if a == b:
                return True
            if len(a) != len(b) or a[:-1] != b[:-1]:
                return False
            try:
                return bool(json.loads(a[-1]) == json.loads(b[-1]))
            except ValueError:
                return False

        row = self.db.execute(
            "SELECT revision, sha256, data FROM records WHERE id = %s FOR UPDATE", (item.id,)
        ).fetchone()
        if row is None:
            record = json.loads(item.data)
            prepared = _prepared_as_stored(record, item.data)
            inserted = self.db.execute(
                f"INSERT INTO records ({_RECORD_COLUMNS}, id, revision, ingested_at, updated_at) "
                f"VALUES ({_MARKS}, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING RETURNING 1",
                (*_columns(record, item.data, item), item.id, item.revision, item.ingested_at,
                 item.updated_at),
            ).fetchone()  # fmt: skip
            if inserted is None:  # another copy stored it a moment ago
                return self.put_stored(item)
            self._write_side_rows(item.id, record, prepared, new=True)
            self._add_revisions(item.id, item.revisions)
            return "copied"
        if not same((int(row[0]), row[1], row[2]), (item.revision, item.sha256, item.data)):
            return "differs"
        held = {
            int(r): (int(r), s, d)
            for r, s, d in self.db.execute(
                "SELECT revision, sha256, data FROM revisions WHERE record_id = %s", (item.id,)
            )
        }
        given = {r.revision: (r.revision, r.sha256, r.data) for r in item.revisions}
        if any(not same(given.get(rev, ()), v) for rev, v in held.items()):
            return "differs"  # a revision of its own, or another text under its number
        missing = [r for r in item.revisions if r.revision not in held]
        if not missing:
            return "unchanged"
        self._add_revisions(item.id, tuple(missing))
        return "extended"

    def _add_revisions(self, rid: str, revisions: tuple[StoredRevision, ...]) -> None:
        if not revisions:
            return
        with self.db.cursor() as cur:
            cur.executemany(
                "INSERT INTO revisions (record_id, revision, sha256, path, data, stored_at, "
                "replaced_at) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [
                    (rid, r.revision, r.sha256, r.path, r.data, r.stored_at, r.replaced_at)
                    for r in revisions
                ],  # fmt: skip
            )


class PgContentReader:
    """A worker's own connection during ingest: is this content stored already, read by a
    current parser? Read-only; when the server cannot say, the content is parsed."""

    def __init__(self, location: str) -> None:
        try:
            self.db: psycopg.Connection[Any] | None = _connect(location, readonly=True)
        except StoreError:
            self.db = None  # the writer's connection reports the server's state

    def stored_contents(self, hashes: list[str], parsers: list[str]) -> dict[str, Known]:
        """As the SQLite reader's: each hash held as content read by a current parser, with
        its record (current version first, else a revision); a hash left out is parsed."""
        found: dict[str, Known] = {}
        if self.db is None or not hashes:
            return found
        try:
            for sql, current in ((_CURRENT_CONTENT, True), (_REVISION_CONTENT, False)):
                rest = [h for h in dict.fromkeys(hashes) if h not in found]
                if not rest:
                    break
                for sha, rid, warnings in self.db.execute(sql, (rest, parsers)):
                    if sha not in found:
                        found[sha] = Known(str(rid), list(json.loads(warnings or "[]")), current)
        except psycopg.Error:
            pass  # what was found stands; the rest is parsed
        return found

    def close(self) -> None:
        if self.db is not None:
            self.db.close()


_CURRENT_CONTENT = (
    "SELECT sha256, id, warnings FROM records WHERE sha256 = ANY(%s) AND parser = ANY(%s)"
)
_REVISION_CONTENT = (
    "SELECT sha256, record_id, data::json->>'warnings' FROM revisions "
    "WHERE sha256 = ANY(%s) AND data::json->'source'->>'parser' = ANY(%s)"
)

# -- rows ---------------------------------------------------------------------------------

_RECORD_COLUMNS = (
    "kind, sha256, path, title, date, year, file_number, container, parties, data, serial, "
    "parser, warnings"
)
_MARKS = ", ".join(["%s"] * 13)
_FACETS = {"sender": "f_sender", "recipient": "f_recipient", "place": "f_place",
           "authors": "f_authors", "language": "f_language"}  # fmt: skip
_INSERT_SEARCH = (
    "INSERT INTO search (record_id, document, kind, date, file_number, f_sender, f_recipient, "
    "f_place, f_language, f_authors) VALUES (%s, %s::tsvector, %s, %s, %s, %s, %s, %s, %s, %s)"
)
# ts_rank_cd's normalisation: 2 divides by the record's length, as bm25 weighs a match in a
# short record above one in a long record. Of the normalisations (and ts_rank), the closest
# to bm25's order on the test corpus: 91% of the ten best hits the same (tests/test_pg_search)
RANK_NORMALISATION = 2


def _t(value: str | None) -> str | None:
    """A text column's value: PostgreSQL's text holds no NUL (the record's JSON escapes it)."""
    return value.replace("\x00", "\ufffd") if value else value


def _columns(
    record: dict[str, Any], data: str, stored: StoredRecord | None = None
) -> tuple[Any, ...]:
    """The columns a record is listed and filtered by, beside its JSON (the SQLite
    archive's, in the same order)."""
    src = record["source"]
    return (
        record["kind"], stored.sha256 if stored else src["sha256"],
        _t(stored.path if stored else src["path"]), _t(record.get("title")),
        record.get("date") or record.get("date_inferred"), _year(record),
        _t(record.get("file_number")), _t(record.get("container_title")), _t(_parties(record)),
        data, _t(record.get("serial_number")), src.get("parser"),
        json.dumps(record.get("warnings") or [], ensure_ascii=False),
    )  # fmt: skip


def _prepared_as_stored(record: dict[str, Any], data: str) -> Prepared:
    return Prepared(data, index_values(record), filter_values(record), _persons_folded(record))


def _search_row(rid: str, record: dict[str, Any], prepared: Prepared | None) -> tuple[Any, ...]:
    values = prepared.index if prepared else index_values(record)
    f = prepared.filters if prepared else filter_values(record)
    when = record.get("date") or record.get("date_inferred")
    if when is None and record.get("year"):
        when = f"{int(record['year']):04d}"
    vector = prepared.tsvector if prepared else None  # worked out by an ingest worker
    return (rid, vector or tsvector_literal(values), record["kind"], when, _t(record.get("file_number")),
            _t(f["f_sender"]), _t(f["f_recipient"]), _t(f["f_place"]), _t(f["f_language"]),
            _t(f["f_authors"]))  # fmt: skip


def _distinct(values: list[Any]) -> list[Any]:
    """Each value once, in the order first met (json_group_array(DISTINCT …) in SQLite)."""
    return list(dict.fromkeys(values))


_GROUPED = "WHERE v IS NOT NULL AND v <> '' GROUP BY v ORDER BY c DESC, v LIMIT %s"


def _facet(
    q: Callable[[str, tuple[Any, ...]], list[tuple[Any, ...]]], kind: str, f: Facet, top: int
) -> list[dict[str, Any]]:
    """The ``top`` most frequent values of one of a kind's facets (kinds.Facet), counted by
    the server; ties in byte order, as SQLite breaks them."""
    path = ",".join(f.field)
    if f.shape == "person":  # by the register's id: two people of one name stay apart
        rows = q(
            f"SELECT pid, MIN(name), COUNT(*) AS c FROM (SELECT data::jsonb #>> '{{{path},person,id}}' "
            f"COLLATE \"C\" AS pid, data::jsonb #>> '{{{path},person,name}}' AS name FROM records "
            "WHERE kind = %s) x WHERE pid IS NOT NULL GROUP BY pid ORDER BY c DESC, pid LIMIT %s",
            (kind, top),
        )  # fmt: skip
        return pairs((name, c) for _, name, c in rows)
    if f.shape == "each":
        value = f"j.value ->> '{f.member}'" if f.member else "j.value #>> '{}'"
        inner = (f"SELECT {value} COLLATE \"C\" AS v FROM records, "
                 f"jsonb_array_elements(CASE jsonb_typeof(data::jsonb #> '{{{path}}}') WHEN 'array' "
                 f"THEN data::jsonb #> '{{{path}}}' ELSE '[]' END) AS j WHERE kind = %s")  # fmt: skip
    elif f.shape == "party":
        inner = (f"SELECT COALESCE(data::jsonb #>> '{{{path},name}}', data::jsonb #>> "
                 f"'{{{path},role}}') COLLATE \"C\" AS v FROM records WHERE kind = %s")  # fmt: skip
    else:
        inner = (f"SELECT data::jsonb #>> '{{{path}}}' COLLATE \"C\" AS v FROM records "
                 "WHERE kind = %s")  # fmt: skip
    return pairs(q(f"SELECT v, COUNT(*) AS c FROM ({inner}) x {_GROUPED}", (kind, top)))


_REGISTER_QUERIES = (
    ("sent", "SELECT id, data::jsonb #>> '{sender,person,id}' FROM records "
             "WHERE kind = %s AND jsonb_typeof(data::jsonb -> 'sender') = 'object' "
             "ORDER BY id"),
    ("received", "SELECT id, data::jsonb #>> '{recipient,person,id}' FROM records "
                 "WHERE kind = %s AND jsonb_typeof(data::jsonb -> 'recipient') = 'object' "
                 "ORDER BY id"),
    ("received", "SELECT r.id, j.value #>> '{person,id}' FROM records r, "
                 "jsonb_array_elements(r.data::jsonb -> 'recipient') WITH ORDINALITY AS j(value, n) "
                 "WHERE r.kind = %s AND jsonb_typeof(r.data::jsonb -> 'recipient') = 'array' "
                 "ORDER BY r.id, j.n"),
    ("mentioned", "SELECT r.id, j.value ->> 'register_id' FROM records r, "
                  "jsonb_array_elements(CASE jsonb_typeof(r.data::jsonb -> 'persons') WHEN 'array' "
                  "THEN r.data::jsonb -> 'persons' ELSE '[]' END) WITH ORDINALITY AS j(value, n) "
                  "WHERE r.kind = %s ORDER BY r.id, j.n"),
)  # fmt: skip
