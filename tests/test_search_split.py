"""A search split over two connections (the rows up to the middle rowid scored by the
archive's own, the rest by a second one in a thread) gives exactly the hits, scores and
order of the whole query asked at once: for many queries, filters and pages, when the
index changes between the two parts' reading, and when the second connection fails."""

from __future__ import annotations

import gc
import random
import re
import sqlite3
from dataclasses import replace

import pytest

import archivetool.store.sqlite as store_sqlite
from archivetool.errors import ArchiveDamagedError, UsageError
from archivetool.ingest import ingest
from archivetool.search import SearchFilters, index_query, parse_query, search
from archivetool.store import IndexQueryError, open_archive
from conftest import CEEOL_DIR, FRUS_DIR, SEED_CEEOL, SEED_FRUS

INPUTS = [str(SEED_FRUS), str(SEED_CEEOL), str(FRUS_DIR), str(CEEOL_DIR)]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("split") / "a.sqlite"
    with open_archive(path) as a:
        ingest(a, INPUTS)
    return path


@pytest.fixture
def store(built, tmp_path):
    copy = tmp_path / "a.sqlite"
    copy.write_bytes(built.read_bytes())
    with open_archive(copy) as a:
        yield a


def whole(a, q):
    """The index's answer asked as one query, as every search was asked before the split."""
    saved = store_sqlite.SPLIT_FROM
    store_sqlite.SPLIT_FROM = 1 << 62
    try:
        return hits_of(a.search_index(q))
    finally:
        store_sqlite.SPLIT_FROM = saved


def split(a, q, monkeypatch):
    monkeypatch.setattr(store_sqlite, "SPLIT_FROM", 0)
    before = SPLITS[0]
    found = hits_of(a.search_index(q))
    assert SPLITS[0] == before + 1  # the second part was asked
    return found


SPLITS = [0]


@pytest.fixture(autouse=True)
def count_splits(monkeypatch):
    submit = store_sqlite._PartReader.submit

    def counted(self, query):
        SPLITS[0] += 1
        return submit(self, query)

    monkeypatch.setattr(store_sqlite._PartReader, "submit", counted)


def hits_of(rows):
    return [(record["id"], score) for record, score in rows]


def words_of(a):
    """Words of the stored titles and texts: common and rare, Latin and Cyrillic."""
    seen: dict[str, None] = {}
    for record in a.iter_records():
        text = " ".join(str(record.get(k) or "") for k in ("title", "body", "abstract"))
        for w in re.findall(r"\w{3,}", text):
            seen.setdefault(w, None)
    return list(seen)


def queries(words, rng):
    plain = rng.sample(words, 60)
    out = plain[:]
    out += [w.capitalize() for w in plain[:20]]  # names: prefixes
    out += [w[:4] + "*" for w in plain[20:35]]
    out += [f'"{a} {b}"' for a, b in zip(plain[:10], plain[10:20], strict=True)]
    out += [f"{a} OR {b}" for a, b in zip(plain[20:30], plain[30:40], strict=True)]
    out += [f"{a} NOT {b}" for a, b in zip(plain[40:50], plain[50:60], strict=True)]
    out += [
        f"({a} OR {b}) AND {c}"
        for a, b, c in zip(plain[:5], plain[5:10], plain[10:15], strict=True)
    ]
    out += ["the", "of", "and", "Department", "telegram", "Secretary", '"Secretary of State"',
            "Tito", "Stalin", "Mihailovic", "nedic", "government NOT despatch"]  # fmt: skip
    return out


FILTERS = [
    SearchFilters(),
    SearchFilters(limit=5),
    SearchFilters(limit=7, offset=3),
    SearchFilters(limit=50, offset=10),
    SearchFilters(limit=1, offset=40),
    SearchFilters(kind="frus-document"),
    SearchFilters(kind="bibliographic-record", limit=3, offset=2),
    SearchFilters(date_from="1943", date_to="1948"),
    SearchFilters(file_number="860H"),
    SearchFilters(language="Serbian"),
    SearchFilters(place="Belgrade", limit=10, offset=1),
]


def test_the_split_search_gives_the_whole_querys_hits_in_its_order(store, monkeypatch):
    rng = random.Random(1943)
    compared = with_many = 0
    for text in queries(words_of(store), rng):
        for filters in FILTERS:
            try:
                q = index_query(parse_query(text), filters)
            except UsageError:
                continue  # a word with nothing to look for once folded
            expected = whole(store, q)
            assert split(store, q, monkeypatch) == expected, (text, filters)
            compared += 1
            with_many += len(expected) == filters.limit
    assert compared > 500 and with_many > 100  # many queries, many with more matches than shown


def test_the_split_parts_meet_in_the_middle(store, monkeypatch):
    """Ties of score across the middle rowid keep their order by rowid, and the rows of
    both parts are among the hits of a common word."""
    q = index_query(parse_query("the"), SearchFilters(limit=200))
    got = split(store, q, monkeypatch)
    assert got == whole(store, q)
    middle = store._split_point()
    rowids = dict(store.db.execute("SELECT id, rowid FROM records"))
    assert {rowids[i] <= middle for i, _ in got} == {True, False}


def test_a_write_between_the_parts_readings_is_not_mixed_in(store, monkeypatch, tmp_path):
    """The second part read after another writer's commit: the archive's own connection,
    which began reading before it, answers the whole query alone."""
    q = index_query(parse_query("Secretary"), SearchFilters(limit=50))
    expected = whole(store, q)
    new = tmp_path / "new.txt"
    new.write_text(
        SEED_FRUS.read_text(encoding="utf-8").replace("478", "9478") + "\nSecretary " * 40
    )
    read = store_sqlite._PartReader._read

    def write_first(self, query):
        with open_archive(store.path) as other:
            ingest(other, [str(new)])
        return read(self, query)

    monkeypatch.setattr(store_sqlite._PartReader, "_read", write_first)
    monkeypatch.setattr(store_sqlite, "SPLIT_FROM", 0)
    middle = store._split_point()
    rowids = dict(store.db.execute("SELECT id, rowid FROM records"))
    assert {rowids[i] <= middle for i, _ in expected} == {True, False}  # hits in both parts
    assert split(store, q, monkeypatch) == expected  # as of the moment the search began
    monkeypatch.setattr(store_sqlite._PartReader, "_read", read)
    after = split(store, q, monkeypatch)
    assert after != expected and after == whole(store, q)  # the new document now found


def test_a_second_connection_that_cannot_read_leaves_the_search_to_the_first(store, monkeypatch):
    monkeypatch.setattr(store_sqlite._PartReader, "_read", lambda self, query: None)
    q = index_query(parse_query("telegram"), SearchFilters(limit=30, offset=5))
    assert split(store, q, monkeypatch) == whole(store, q)


def test_a_bad_query_and_a_damaged_index_are_told_as_before(store, monkeypatch):
    monkeypatch.setattr(store_sqlite, "SPLIT_FROM", 0)
    with pytest.raises(IndexQueryError):
        store.search_index(replace(index_query(parse_query("Tito"), SearchFilters()), match="AND"))
    db = sqlite3.connect(store.path)
    db.execute("UPDATE records_fts_config SET v = 99 WHERE k = 'version'")
    db.commit()
    db.close()
    with open_archive(store.path) as damaged, pytest.raises(ArchiveDamagedError):
        search(damaged, "Tito")


def test_the_second_connection_goes_with_the_archive(built, tmp_path, monkeypatch):
    """Once the archive is closed and gone, no connection holds its -wal file."""
    monkeypatch.setattr(store_sqlite, "SPLIT_FROM", 0)
    copy = tmp_path / "a.sqlite"
    copy.write_bytes(built.read_bytes())
    a = open_archive(copy)
    assert search(a, "Tito")
    assert a._parts is not None
    a.close()
    del a
    gc.collect()
    assert not (tmp_path / "a.sqlite-wal").exists()
