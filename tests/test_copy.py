"""archivetool copy: an archive moved to another location, records and revisions verbatim,
streamed, and resumable (run again, only what is missing is written).

Each test runs for the pairs of backends it makes sense for (``pair``: SQLite → SQLite,
SQLite → PostgreSQL, PostgreSQL → SQLite, PostgreSQL → PostgreSQL, or those with the side it
is about). ``location.source(name)`` and ``location.dest(name)`` give a new archive's
location on the pair's source or destination backend: an SQLite file, or a database of the
session's throwaway cluster (tests/pgcluster.py), dropped at the end. The archives a test
starts from are built once per backend and module and copied for each test (a file copy, or
``CREATE DATABASE … TEMPLATE``), so the PostgreSQL pairs add little to the suite's time.
"""

from __future__ import annotations

import copy as copying_values
import dataclasses
import gc
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import archivetool as at
from archivetool.cli import app
from archivetool.copying import copy_archive, copy_records, open_location, same_location
from archivetool.ingest import ingest
from archivetool.sources import decode_source
from archivetool.store import Archive
from archivetool.stored import StoredRecord, StoredRevision
from conftest import FRUS_DIR, SEED_FRUS, SOURCES, fresh_location, record_from_source

SQ, PG = "sqlite", "postgres"
ALL_PAIRS = [(SQ, SQ), (SQ, PG), (PG, SQ), (PG, PG)]
INTO_EACH = [(SQ, SQ), (SQ, PG)]  # tests of what DEST does
FROM_EACH = [(SQ, SQ), (PG, SQ)]  # tests of how SOURCE is read


def pairs(which):
    return pytest.mark.parametrize("pair", which, indirect=True, ids=lambda p: f"{p[0]}-{p[1]}")


@pytest.fixture
def pair(request) -> tuple[str, str]:
    return getattr(request, "param", (SQ, SQ))


def _cluster(request):
    return request.getfixturevalue("pg_cluster")


class Locations:
    """New archive locations on either side of a pair (see the module's text)."""

    def __init__(self, pair, tmp_path, request):
        self.pair, self.tmp, self.request = pair, tmp_path, request
        self.databases: list[str] = []

    def source(self, name: str, *, migrated: bool = True) -> str:
        return self.on(self.pair[0], name, migrated=migrated)

    def dest(self, name: str, *, migrated: bool = True) -> str:
        return self.on(self.pair[1], name, migrated=migrated)

    def on(
        self, backend: str, name: str, *, migrated: bool = True, template: str | None = None
    ) -> str:
        """A new location; ``migrated=False``: an empty database (no archive in it yet)."""
        if backend == SQ:
            return str(self.tmp / f"{name}.sqlite")
        from conftest import _database

        cluster = _cluster(self.request)
        db = _database(cluster, template or ("archivetool_template" if migrated else "template0"))
        self.databases.append(db)
        return cluster.url(db)

    def drop(self) -> None:
        from conftest import _admin

        for db in self.databases:
            _admin(_cluster(self.request), f"DROP DATABASE {db} WITH (FORCE)")


@pytest.fixture
def location(pair, tmp_path, request):
    made = Locations(pair, tmp_path, request)
    yield made
    made.drop()


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


def _open(loc, *, readonly=False):
    return open_location(loc, create=not readonly, readonly=readonly)


def _corrected(record, n):
    """The record as a corrected transcription would store it: same id, other content."""
    new = copying_values.deepcopy(record)
    new["text"] = record["text"] + f" [correction {n}]"
    new["source"]["sha256"] = f"{n:064x}"
    return new


def _fill_source(loc):
    """The bundled sources and a few FRUS documents, two of them with earlier revisions (one
    with two), so that history, references and persons are there."""
    with _open(loc) as a:
        report = ingest(a, [str(SOURCES), *map(str, sorted(FRUS_DIR.glob("frus1882_*.txt")))])
        assert report.counts["failed"] == 0
        seed = next(r for r in a.iter_records() if r.get("persons") and r.get("references"))
        other = next(r for r in a.iter_records() if r["id"] != seed["id"])
        a.begin()
        assert a.put(_corrected(seed, 1)) == "updated"
        assert a.put(_corrected(seed, 2)) == "updated"
        assert a.put(_corrected(other, 3)) == "updated"
        a.commit()


def _synthetic(loc, n):
    """An archive of ``n`` distinct records (a real one with other ids and hashes)."""
    record = record_from_source(decode_source(str(SEED_FRUS), SEED_FRUS.read_bytes()))
    with _open(loc) as a:
        a.begin()
        for i in range(n):
            r = copying_values.deepcopy(record)
            r["id"] = f"frus-{i * 7919 % n:012x}"  # stored out of id order
            r["source"]["sha256"] = f"{i:064x}"
            a.put(r)
        a.commit()


BUILDERS = {"source": _fill_source, "big": lambda loc: _synthetic(loc, 600)}


@pytest.fixture(scope="module")
def built(tmp_path_factory, request):
    """``built(backend, what)``: the archive ``what`` (BUILDERS) on that backend, built once
    for the module: an SQLite file, or a database name to copy as a template."""
    from conftest import _admin, _database

    made: dict[tuple[str, str], str] = {}
    databases: list[str] = []

    def get(backend: str, what: str) -> str:
        if (backend, what) not in made:
            if backend == SQ:
                loc = str(tmp_path_factory.mktemp("built") / f"{what}.sqlite")
                BUILDERS[what](loc)
                made[backend, what] = loc
            else:
                cluster = _cluster(request)
                name = _database(cluster, "archivetool_template")
                databases.append(name)
                BUILDERS[what](cluster.url(name))
                made[backend, what] = name
        return made[backend, what]

    yield get
    for name in databases:
        _admin(_cluster(request), f"DROP DATABASE {name} WITH (FORCE)")


def _copy_of(built, location, backend, what, name):
    """A new archive holding what ``built(backend, what)`` holds."""
    template = built(backend, what)
    if backend == SQ:
        loc = location.on(SQ, name)
        shutil.copy(template, loc)
        return loc
    return location.on(PG, name, template=template)


@pytest.fixture
def source(pair, built, location):
    """The sources' archive (``_fill_source``) on the pair's source backend."""
    return _copy_of(built, location, pair[0], "source", "source")


@pytest.fixture
def big(pair, built, location):
    """An archive of 600 records on the pair's source backend."""
    return _copy_of(built, location, pair[0], "big", "big")


def _stored(loc):
    with _open(loc, readonly=True) as a:
        return list(a.iter_stored())


_STORED_AT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z")
QUERIES = ("Mihailovic", "Tito", "correction", '"Secretary of State"', "Stalin*")


def _views(runner, loc):
    """What a person sees of an archive: the export, each record's revisions, searches,
    references and persons."""
    export = run(runner, "export", "--format", "jsonl", "--archive", loc)
    assert export.exit_code == 0, export.stderr
    ids = [json.loads(line)["id"] for line in export.stdout.splitlines()]
    out = {"export": export.stdout}
    for rid in ids:
        out[f"revisions {rid}"] = run(
            runner, "show", rid, "--revisions", "--format", "json", "--archive", loc
        ).stdout
        if rid.startswith("frus-"):
            out[f"refs {rid}"] = run(
                runner, "refs", rid, "--format", "json", "--archive", loc
            ).stdout
    for query in QUERIES:
        out[f"search {query}"] = run(runner, "search", query, "-f", "json", "-a", loc).stdout
    out["persons"] = run(runner, "persons", "--format", "json", "--archive", loc).stdout
    out["stats"] = run(runner, "stats", "--format", "json", "--archive", loc).stdout
    return out


def _hits(shown):
    """Search hits as both engines give them: the same hits and snippets; the scores are each
    engine's own, and hits of close rank may come in another order (tests/test_pg_search)."""
    return sorted((h["id"], h["snippet"], json.dumps(h["highlights"])) for h in json.loads(shown))


def _alike(seen, expected, pair):
    """``seen`` (DEST's views) answer as ``expected`` (SOURCE's): the same text, or on
    another backend the same hits of each search."""
    if pair[0] == pair[1]:
        return seen == expected
    for key in seen.keys() | expected.keys():
        if key.startswith("search "):
            if _hits(seen[key]) != _hits(expected[key]):
                return False
        elif seen.get(key) != expected.get(key):
            return False
    return True


@pairs(ALL_PAIRS)
def test_a_copy_holds_the_same_records_revisions_and_answers(runner, pair, source, location):
    dest = location.dest("dest", migrated=False)  # a new file, or an empty database
    res = run(runner, "copy", source, dest)
    assert res.exit_code == 0, res.stderr
    n = len(_stored(source))
    assert res.stderr.splitlines()[-1] == f"copied {n}  extended 0  unchanged 0  differs 0"
    assert res.stdout == ""  # stdout carries data only
    # ids, hashes, JSON, revision numbers, timestamps and every revision, verbatim
    assert _stored(dest) == _stored(source)
    assert sum(len(s.revisions) for s in _stored(dest)) == 3
    seen, expected = _views(runner, dest), _views(runner, source)
    assert _alike(seen, expected, pair)
    assert "[correction 3" in seen["search correction"] and seen["persons"].strip() != "[]"
    assert all(_hits(seen[f"search {q}"]) for q in QUERIES if q != "Stalin*")


@pairs(ALL_PAIRS)
def test_the_copy_and_back_is_the_same_archive(runner, pair, source, location):
    there, back = location.dest("there"), location.on(pair[0], "back")
    assert run(runner, "copy", source, there).exit_code == 0
    assert run(runner, "copy", there, back).exit_code == 0
    assert _stored(back) == _stored(source)


_TIMES = {"ingested_at", "updated_at", "stored_at", "replaced_at"}


def _sqlite_tables(path):
    db = sqlite3.connect(path)
    try:
        cols = [r[1] for r in db.execute("PRAGMA table_xinfo(records)") if r[1] not in _TIMES]
        out = {
            "records": db.execute(f"SELECT {', '.join(cols)} FROM records ORDER BY id").fetchall()
        }
        for name, sql in (
            ("refs", "SELECT * FROM refs ORDER BY record_id, idx"),
            ("persons", "SELECT * FROM persons ORDER BY record_id, idx"),
            ("revisions", "SELECT record_id, revision, sha256, path, data FROM revisions "
                          "ORDER BY record_id, revision"),
            ("facets", "SELECT r.id, f.kind, f.date, f.file_number, f.f_sender, f.f_recipient, "
                       "f.f_place, f.f_language, f.f_authors FROM facets f "
                       "JOIN records r ON r.rowid = f.rowid ORDER BY r.id"),
        ):  # fmt: skip
            out[name] = db.execute(sql).fetchall()
        return out
    finally:
        db.close()


def _pg_tables(url):
    import psycopg

    out = {}
    with psycopg.connect(url) as db:
        for table, order in (("records", "id"), ("revisions", "record_id, revision"),
                             ("refs", "record_id, idx"), ("persons", "record_id, idx"),
                             ("search", "record_id")):  # fmt: skip
            cols = [
                f"{c}::text" if kind == "tsvector" else c
                for c, kind in db.execute(
                    "SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_name = %s ORDER BY ordinal_position", (table,))
                if c not in _TIMES
            ]  # fmt: skip
            out[table] = db.execute(
                f"SELECT {', '.join(cols)} FROM {table} ORDER BY {order}"
            ).fetchall()
    return out


@pairs(ALL_PAIRS)
def test_rows_are_written_as_ingest_writes_them(request, pair, built, source, location):
    """Every column of DEST's tables (those put derives from the JSON, the generated ones),
    references, persons and the search index are what an ingest of the same documents into
    DEST's backend writes (the moments of storing are SOURCE's, compared above)."""
    dest = location.dest("dest")
    copy_archive(source, dest)
    reference = built(pair[1], "source")
    if pair[1] == SQ:
        assert _sqlite_tables(dest) == _sqlite_tables(reference)
    else:
        tables = _pg_tables(dest)
        assert tables == _pg_tables(_cluster(request).url(reference))
        assert all(tables.values())


@pairs(ALL_PAIRS)
def test_copying_again_writes_nothing(runner, pair, source, location):
    dest = location.dest("dest")
    assert run(runner, "copy", source, dest).exit_code == 0
    before = _stored(dest)
    res = run(runner, "copy", source, dest, "--format", "json")
    assert res.exit_code == 0, res.stderr
    report = json.loads(res.stdout)
    assert report["copied"] == report["extended"] == report["differs"] == 0
    assert report["unchanged"] == len(before) and report["differing"] == []
    assert _stored(dest) == before


@pairs(ALL_PAIRS)
def test_a_partial_copy_is_completed_and_a_differing_record_left_alone(runner, pair, source, location):  # fmt: skip
    """DEST holds some records already: one as SOURCE has it, one without an earlier
    revision SOURCE keeps, one ingested there with other content. Only what is missing is
    written; the one that differs is listed, untouched, and the exit status is 1."""
    items = _stored(source)
    with_history = next(s for s in items if len(s.revisions) == 2)
    same = next(s for s in items if not s.revisions)
    other = next(s for s in items if s.id not in (with_history.id, same.id) and not s.revisions)
    dest = location.dest("dest")
    with _open(dest) as d:
        d.begin()
        assert d.put_stored(same) == "copied"
        assert d.put_stored(dataclasses.replace(with_history, revisions=with_history.revisions[1:])) == "copied"  # fmt: skip
        d.put(_corrected(json.loads(other.data), 7))  # ingested there, other content
        d.commit()
    theirs = next(s for s in _stored(dest) if s.id == other.id)

    res = run(runner, "copy", source, dest, "--format", "json")
    assert res.exit_code == 1
    report = json.loads(res.stdout)
    assert report["unchanged"] == 1 and report["extended"] == 1 and report["differs"] == 1
    assert report["copied"] == len(items) - 3
    assert report["differing"] == [other.id]
    assert f"error: {other.id}: {dest} holds this record with other content" in res.stderr
    after = {s.id: s for s in _stored(dest)}
    assert after[other.id] == theirs  # not overwritten
    assert after[with_history.id] == with_history  # the revision it lacked was added
    assert [after[s.id] for s in items if s.id != other.id] == [
        s for s in items if s.id != other.id
    ]
    again = run(runner, "copy", source, dest)
    assert again.exit_code == 1
    assert again.stderr.splitlines()[-1] == f"copied 0  extended 0  unchanged {len(items) - 1}  differs 1"  # fmt: skip


@pairs(INTO_EACH)
def test_a_record_with_a_revision_of_its_own_there_differs(pair, source, location):
    """DEST has a revision under a number SOURCE uses for another text, or one SOURCE does
    not have: its history is not SOURCE's, so nothing is written."""
    item = next(s for s in _stored(source) if s.revisions)
    first = item.revisions[0]
    changed = dataclasses.replace(first, data=first.data.replace("a", "b", 1))
    extra = dataclasses.replace(first, revision=item.revision + 5)
    for k, history in enumerate([(changed, *item.revisions[1:]), (*item.revisions, extra)]):
        dest = location.dest(f"dest{k}")
        with _open(dest) as d:
            d.begin()
            d.put_stored(dataclasses.replace(item, revisions=history))
            d.commit()
        theirs = _stored(dest)
        report = copy_archive(source, dest)
        assert report.differs == [item.id] and report.exit_code == 1
        assert [s for s in _stored(dest) if s.id == item.id] == theirs


@pairs(INTO_EACH)
def test_json_written_in_another_form_is_the_same_version(pair, source, location):
    """A backend that keeps JSON in a form of its own (key order, spacing) holds the same
    record: compared as values, it is unchanged, and so are its revisions."""
    item = next(s for s in _stored(source) if s.revisions)
    respace = lambda text: json.dumps(json.loads(text), indent=1)  # noqa: E731
    respaced = dataclasses.replace(
        item, data=respace(item.data),
        revisions=tuple(dataclasses.replace(r, data=respace(r.data)) for r in item.revisions),
    )  # fmt: skip
    dest = location.dest("dest")
    with _open(dest) as d:
        d.begin()
        assert d.put_stored(item) == "copied"
        assert d.put_stored(respaced) == "unchanged"
        assert d.put_stored(dataclasses.replace(respaced, sha256="0" * 64)) == "differs"
        d.commit()


@pairs(FROM_EACH)
def test_records_are_streamed_in_pages_in_id_order(pair, big):
    src = big
    with _open(src, readonly=True) as a:
        items = list(a.iter_stored(page=250))
        ids = [s.id for s in items]
        assert len(ids) == 600 and ids == sorted(ids) and len(set(ids)) == 600
        assert [s.id for s in a.iter_stored(after=ids[349], page=250)] == ids[350:]
    # pages are read as the copy goes: a record stored meanwhile past the first page is met
    with _open(src) as writer, _open(src, readonly=True) as reader:
        stream = reader.iter_stored(page=250)
        first = next(stream)
        late = dataclasses.replace(items[-1], id="frus-ffffffffffff")
        writer.begin()
        writer.put_stored(late)
        writer.commit()
        rest = [s.id for s in stream]
    assert [first.id, *rest] == [*ids, late.id]


@pairs([(PG, SQ)])
def test_a_server_lists_ids_in_byte_order_whatever_its_collation(pair, request, location):
    """ids in the order SQLite and Python sort them (code points) on a server whose own
    collation sorts otherwise (ICU's English: case and accents second), so that a copy's
    pages and ``after`` mean the same on both backends."""
    import psycopg

    from conftest import _admin

    cluster = _cluster(request)
    name = f"icu_{os.getpid()}"
    try:
        _admin(cluster, f"CREATE DATABASE {name} TEMPLATE template0 LOCALE_PROVIDER icu "
                        "ICU_LOCALE 'en' LOCALE 'C.UTF-8'")  # fmt: skip
    except psycopg.Error as exc:
        pytest.skip(f"no ICU collation on this server ({exc})")
    try:
        url = cluster.url(name)
        with psycopg.connect(url) as db:  # the server's own order is not byte order
            mixed = db.execute("SELECT x FROM unnest(ARRAY['frus-b', 'frus-B', 'frus-é', "
                               "'frus-e', 'frus-z', 'frus-Z']) x ORDER BY x").fetchall()  # fmt: skip
        ids = ["frus-b", "frus-B", "frus-é", "frus-e", "frus-z", "frus-Z"]
        assert [r[0] for r in mixed] != sorted(ids)
        record = record_from_source(decode_source(str(SEED_FRUS), SEED_FRUS.read_bytes()))
        with _open(url) as a:
            a.begin()
            for rid in ids:
                a.put({**record, "id": rid})
            a.commit()
            got = [s.id for s in a.iter_stored(page=2)]
            assert got == sorted(ids)
            assert [s.id for s in a.iter_stored(after="frus-Z", page=2)] == sorted(ids)[2:]
        dest = location.dest("dest")
        copy_archive(url, dest)
        assert [s.id for s in _stored(dest)] == sorted(ids) and _stored(dest) == _stored(url)
    finally:
        _admin(cluster, f"DROP DATABASE {name} WITH (FORCE)")


@pairs(FROM_EACH)
def test_memory_holds_a_page_not_the_archive(pair, big):
    """Reading every record holds one page at a time: the peak of Python's allocations is a
    small part of the records' JSON."""
    import tracemalloc

    with _open(big, readonly=True) as a:
        tracemalloc.start()
        try:
            total = n = 0
            for item in a.iter_stored(page=10):
                total += len(item.data.encode())
                n += 1
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert n == 600
    # about four times a page's JSON (rows, str objects, records) when measured: 1/14 here
    assert peak < total / 4, (peak, total)


def _archive_class(backend):
    if backend == SQ:
        return Archive
    from archivetool.store.postgres import PgArchive

    return PgArchive


@pairs(ALL_PAIRS)
def test_an_interrupted_copy_is_finished_by_running_it_again(pair, big, location, monkeypatch):
    dest = location.dest("dest")
    cls = _archive_class(pair[1])
    calls = {"n": 0}
    real = cls.put_stored

    def interrupted(self, item):
        calls["n"] += 1
        if calls["n"] == 325:
            raise KeyboardInterrupt
        return real(self, item)

    monkeypatch.setattr(cls, "put_stored", interrupted)
    with pytest.raises(KeyboardInterrupt):
        copy_archive(big, dest, batch_size=150)
    monkeypatch.setattr(cls, "put_stored", real)
    assert len(_stored(dest)) == 300  # two batches committed, the third rolled back
    report = copy_archive(big, dest, batch_size=150)
    assert report.counts == {"copied": 300, "extended": 0, "unchanged": 300, "differs": 0}
    assert _stored(dest) == _stored(big)


@pairs(ALL_PAIRS)
def test_a_copy_killed_half_way_is_finished_by_running_it_again(pair, big, location):
    """A real SIGKILL in the middle of a copy (after its third batch): what was committed
    stays, the next run copies the rest."""
    dest = location.dest("dest")
    script = textwrap.dedent(f"""
        import os, signal
        from archivetool.copying import copy_records, open_location

        def progress(done, total, rid):
            if done >= 150:
                os.kill(os.getpid(), signal.SIGKILL)

        with open_location({big!r}, create=False, readonly=True) as s, \\
             open_location({dest!r}, create=True, readonly=False) as d:
            copy_records(s, d, on_progress=progress, batch_size=50)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == -9, proc.stderr
    assert len(_stored(dest)) == 150
    report = copy_archive(big, dest)
    assert report.counts["copied"] == 450 and report.counts["unchanged"] == 150
    assert _stored(dest) == _stored(big)


@pairs(FROM_EACH)
def test_progress_counts_the_records_copied(pair, source, location):
    seen = []
    with _open(source, readonly=True) as s, _open(location.dest("dest")) as d:
        copy_records(s, d, on_progress=lambda done, total, rid: seen.append((done, total)), batch_size=4)  # fmt: skip
    n = len(_stored(source))
    assert seen[-1] == (n, n) and [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_copying_an_archive_onto_itself_is_refused(runner, source, tmp_path):
    before = _stored(source)
    link = tmp_path / "link.sqlite"
    os.symlink(source, link)
    for dest in (source, f"{Path(source).parent}/./{Path(source).name}", link):
        res = run(runner, "copy", source, dest)
        assert res.exit_code == 2
        assert len(res.stderr.strip().splitlines()) == 1
        assert "the source and the destination are the same archive" in res.stderr
    assert _stored(source) == before


@pairs([(PG, PG)])
def test_copying_a_server_database_onto_itself_is_refused(runner, pair, request, source):
    """However the database is named: URL or keywords, localhost or 127.0.0.1, the port
    written out, another account."""
    from pgcluster import PASSWORD, PASSWORD_USER

    before = _stored(source)
    port, name = re.fullmatch(r"postgresql://postgres@127\.0\.0\.1:(\d+)/(\w+)", source).groups()
    for dest in (
        source,
        f"host=127.0.0.1 port={port} dbname={name} user=postgres",
        f"postgresql://localhost:{port}/{name}?user=postgres&connect_timeout=5",
        f"postgresql://{PASSWORD_USER}:{PASSWORD}@127.0.0.1:{port}/{name}",
    ):
        res = run(runner, "copy", source, dest)
        assert res.exit_code == 2, (dest, res.stderr)
        assert len(res.stderr.strip().splitlines()) == 1
        assert "the source and the destination are the same archive" in res.stderr
        assert PASSWORD not in res.stderr
    assert _stored(source) == before


def test_server_locations_are_compared_as_libpq_reads_them(monkeypatch):
    for var in ("PGHOST", "PGPORT", "PGDATABASE", "PGUSER"):
        monkeypatch.delenv(var, raising=False)
    same = [
        ("postgresql://db.example.org/frus", "postgresql://db.example.org:5432/frus"),
        ("postgresql://alice@db.example.org/frus", "dbname=frus host=db.example.org user=bob"),
        ("postgresql:///frus", "postgresql://127.0.0.1/frus"),
        ("postgresql://alice@db.example.org", "postgresql://db.example.org/alice?user=bob"),
    ]
    other = [
        ("postgresql://db.example.org/frus", "postgresql://db.example.org/frus2"),
        ("postgresql://db.example.org/frus", "postgresql://db.example.org:5433/frus"),
        ("postgresql://db.example.org/frus", "postgresql://db2.example.org/frus"),
        ("postgresql://db.example.org/frus", "frus"),
        ("postgresql://alice@db.example.org", "postgresql://bob@db.example.org"),
    ]
    for a, b in same:
        assert same_location(a, b) and same_location(b, a), (a, b)
    for a, b in other:
        assert not same_location(a, b) and not same_location(b, a), (a, b)
    monkeypatch.setenv("PGPORT", "5433")
    assert same_location("postgresql://h/frus", "postgresql://h:5433/frus")
    assert not same_location("postgresql://h/frus", "postgresql://h:5432/frus")


@pairs(FROM_EACH)
def test_a_missing_source_is_refused_and_nothing_made(runner, pair, request, location):
    missing, dest = location.source("missing", migrated=False), location.dest("dest")
    places = [missing]
    if pair[0] == PG:  # an empty database, and one the server does not have
        places.append(_cluster(request).url("no_such_database"))
    for place in places:
        res = run(runner, "copy", place, dest)
        shown = run(runner, "show", "frus-70af", "--archive", place)
        assert res.exit_code == shown.exit_code == 1, res.stderr
        assert len(res.stderr.strip().splitlines()) == 1
        assert res.stderr.splitlines()[0] == shown.stderr.splitlines()[0]
    assert "no archive" in res.stderr if pair[0] == SQ else "no_such_database" in res.stderr
    assert not Path(dest).exists()
    if pair[0] == SQ:
        assert not Path(missing).exists()


@pairs(INTO_EACH)
def test_dest_that_is_no_archive_is_refused(runner, pair, source, location, tmp_path):
    if pair[1] == SQ:
        text = tmp_path / "notes.txt"
        text.write_text("my notes\n")
        res = run(runner, "copy", source, text)
        assert res.exit_code == 1 and "not an archive" in res.stderr
        assert text.read_text() == "my notes\n"
        return
    import psycopg

    dest = location.dest("notes", migrated=False)
    with psycopg.connect(dest, autocommit=True) as db:
        db.execute("CREATE TABLE notes (line text)")
        db.execute("INSERT INTO notes VALUES ('my notes')")
    res = run(runner, "copy", source, dest)
    assert res.exit_code == 1 and "not an archive" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    with psycopg.connect(dest) as db:
        tables = db.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
        assert tables == [("notes",)]


def test_copy_json_is_the_apis_report(runner, source, location):
    res = run(runner, "copy", source, location.dest("one"), "--format", "json")
    assert res.exit_code == 0, res.stderr
    report = at.copy(source, location.dest("two"))
    shown = json.loads(res.stdout)
    assert shown["copied"] == len(_stored(source)) > 0
    assert {k: v for k, v in shown.items() if k != "dest"} == {
        k: v for k, v in report.as_dict().items() if k != "dest"
    }
    assert report.exit_code == 0


def test_quiet_copy_says_nothing(runner, source, location):
    res = run(runner, "copy", "--quiet", source, location.dest("dest"))
    assert res.exit_code == 0 and res.stderr == "" and res.stdout == ""


def test_copy_has_help_ending_with_an_example(runner):
    res = run(runner, "copy", "--help")
    assert res.exit_code == 0
    example = res.stdout.split("Example:")[1]
    assert "archivetool copy archive.sqlite postgresql://" in example
    assert "archivetool copy postgresql://" in example


def _history(record, n):
    """A record with ``n`` earlier revisions, as a source archive would hand it over."""
    revisions = tuple(
        StoredRevision(k, f"{k:064x}", f"copy-{k}.txt", json.dumps({**record, "text": f"v{k}"}),
                       f"1990-01-0{k}T00:00:00Z", f"1990-01-0{k + 1}T00:00:00Z")
        for k in range(1, n + 1)
    )  # fmt: skip
    data = json.dumps(record, ensure_ascii=False)
    return StoredRecord(record["id"], record["source"]["sha256"], record["source"]["path"], data,
                        n + 1, "1990-01-01T00:00:00Z", f"1990-01-0{n + 1}T00:00:00Z", revisions)  # fmt: skip


@pytest.mark.parametrize("backend", [SQ, PG])
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    n=st.integers(0, 4),
    held=st.sets(st.integers(1, 4)),
    changed=st.sets(st.integers(1, 4)),
    same_current=st.booleans(),
)
def test_what_dest_holds_decides_the_outcome(request, backend, tmp_path_factory, n, held, changed, same_current):  # fmt: skip
    """Whatever part of a record's history DEST holds: the revisions it lacks are added when
    all it holds is SOURCE's, else nothing is written and the record differs."""
    record = record_from_source(decode_source(str(SEED_FRUS), SEED_FRUS.read_bytes()))
    item = _history(record, n)
    held = {k for k in held if k <= n}
    changed &= held
    mine = tuple(
        dataclasses.replace(r, data=r.data.replace('"v', '"w')) if r.revision in changed else r
        for r in item.revisions if r.revision in held
    )  # fmt: skip
    theirs = dataclasses.replace(item, revisions=mine)
    if not same_current:
        theirs = dataclasses.replace(theirs, sha256="f" * 64)
    with fresh_location(request, backend, tmp_path_factory) as loc, _open(loc) as d:
        d.begin()
        d.put_stored(theirs)
        outcome = d.put_stored(item)
        d.commit()
        (after,) = list(d.iter_stored())
    if not same_current or changed:
        assert outcome == "differs" and after == theirs
    else:
        assert outcome == ("unchanged" if len(held) == n else "extended") and after == item


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder seen through a read-only bind mount (root cannot be stopped by chmod)."""
    inner, view = tmp_path / "inner", tmp_path / "ro"
    inner.mkdir()
    view.mkdir()
    if subprocess.run(["mount", "--bind", "-o", "ro", inner, view], capture_output=True).returncode:
        pytest.skip("cannot make a read-only bind mount here (needs root and CAP_SYS_ADMIN)")
    try:
        yield inner, view
    finally:
        gc.collect()  # a connection left open would keep the mount busy
        if subprocess.run(["umount", view], capture_output=True).returncode:
            subprocess.run(["umount", "-l", view], capture_output=True)


def test_read_only_places_copy_from_and_not_into(runner, source, location, read_only_folder):
    """SOURCE is only read, so an archive on a read-only filesystem is copied; a DEST there
    is refused with the read-only archive's exit status (5), nothing written."""
    inner, view = read_only_folder
    shutil.copy(source, inner / "a.sqlite")
    dest = location.dest("dest")
    res = run(runner, "copy", view / "a.sqlite", dest)
    assert res.exit_code == 0, res.stderr
    assert _stored(dest) == _stored(source)
    into = run(runner, "copy", source, view / "new.sqlite")
    assert into.exit_code == 5 and "cannot make an archive here" in into.stderr
    assert len(into.stderr.strip().splitlines()) == 1 and not (inner / "new.sqlite").exists()


@pairs([(PG, PG)])
def test_read_only_databases_copy_from_and_not_into(runner, pair, request, source, location):
    """The same on a server: a database whose transactions are read-only (a standby, or
    default_transaction_read_only) is copied from, and refused as DEST with exit 5."""
    import psycopg

    from conftest import _admin

    cluster = _cluster(request)
    dest, frozen = location.dest("dest"), location.dest("frozen")
    for url in (source, frozen):
        _admin(cluster, f"ALTER DATABASE {url.rsplit('/', 1)[1]} SET default_transaction_read_only = on")  # fmt: skip
    res = run(runner, "copy", source, dest)
    assert res.exit_code == 0, res.stderr
    assert _stored(dest) == _stored(source)
    into = run(runner, "copy", source, frozen)
    assert into.exit_code == 5, into.stderr
    assert len(into.stderr.strip().splitlines()) == 1
    with psycopg.connect(frozen) as db:
        assert db.execute("SELECT COUNT(*) FROM records").fetchone() == (0,)
