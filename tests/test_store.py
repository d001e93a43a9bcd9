"""The archive: migrations, idempotence, revisions, transactions, round trips, on both
backends (an SQLite file and a PostgreSQL database)."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archivetool.ingest import ingest
from archivetool.sources import decode_source
from archivetool.store import MIGRATIONS, Archive, Filters, open_archive
from archivetool.validate import check_record
from conftest import (
    BOTH_BACKENDS,
    FRUS_DIR,
    SEED_CEEOL,
    SEED_FRUS,
    fresh_location,
    record_from_source,
)

BACKENDS = BOTH_BACKENDS


def _migrations(archive):
    if isinstance(archive, str):
        from archivetool.store.postgres import MIGRATIONS as PG_MIGRATIONS

        return PG_MIGRATIONS
    return MIGRATIONS


def _record(path):
    return record_from_source(decode_source(str(path), path.read_bytes()))


def test_a_new_archive_is_at_the_latest_schema(archive):
    with open_archive(archive) as a:
        assert a.schema_version == len(_migrations(archive))
    with open_archive(archive) as a:  # reopening migrates nothing twice
        assert a.schema_version == len(_migrations(archive))


@pytest.mark.sqlite_only
def test_an_archive_from_a_newer_tool_is_refused(archive):
    Archive(archive).close()
    db = sqlite3.connect(archive)
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    db.commit()
    db.close()
    from archivetool.errors import StoreError

    with pytest.raises(StoreError, match="newer archivetool"):
        Archive(archive)


def test_ingest_is_idempotent(archive):
    files = [str(p) for p in sorted(FRUS_DIR.glob("*.txt"))[:10]]
    with open_archive(archive) as a:
        first = ingest(a, files)
        second = ingest(a, files)
        assert first.counts["ingested"] == 10
        assert second.counts == {"ingested": 0, "updated": 0, "unchanged": 10, "failed": 0}
        assert a.count() == 10


def test_an_interrupted_batch_leaves_no_half_records(archive, monkeypatch):
    files = [str(p) for p in sorted(FRUS_DIR.glob("*.txt"))[:7]]
    calls = {"n": 0}
    with open_archive(archive) as a, pytest.raises(KeyboardInterrupt):
        real_put = type(a).put

        def flaky_put(self, record, *rest):
            calls["n"] += 1
            if calls["n"] == 6:
                raise KeyboardInterrupt
            return real_put(self, record, *rest)

        monkeypatch.setattr(type(a), "put", flaky_put)
        ingest(a, files, batch_size=4)
    monkeypatch.undo()
    with open_archive(archive) as a:
        # the first batch of four was committed; the fifth record's batch rolled back
        assert a.count() == 4
        for r in a.iter_records():
            assert r["id"] and r["text"]


def test_filters_and_order(archive):
    with open_archive(archive) as a:
        ingest(a, [str(SEED_FRUS), str(SEED_CEEOL), str(FRUS_DIR / "frus1882_d64.txt")])
        assert [r["kind"] for r in a.iter_records(Filters(kind="bibliographic-record"))] == [
            "bibliographic-record"
        ]
        assert [r["date"] for r in a.iter_records(Filters(year=1881))] == ["1881-12-28"]
        dated = [r.get("date") for r in a.iter_records()]
        assert dated[-1] is None  # undated records come last


def test_prefix_ids(archive):
    with open_archive(archive) as a:
        ingest(a, [str(SEED_FRUS)])
        rid = next(a.iter_records())["id"]
        assert a.get(rid[:8])["id"] == rid


_texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=_texts,
    signed=st.one_of(st.none(), _texts),
    breaks=st.lists(st.integers(1, 2000), max_size=5),
)
def test_round_trip_record_archive_record(
    tmp_path_factory, request, backend, title, signed, breaks
):
    """Whatever a record holds comes back from the archive exactly."""
    record = _record(SEED_FRUS)
    record["title"] = title or "x"
    record["signed"] = signed
    record["page_breaks"] = breaks
    record["source"]["sha256"] = "0" * 64
    assert check_record(record) == []
    with fresh_location(request, backend, tmp_path_factory) as path, open_archive(path) as a:
        a.begin()
        a.put(record)
        a.commit()
        assert a.get(record["id"]) == record


def test_a_newer_parser_rereads_unchanged_content(archive, monkeypatch):
    import archivetool.records as records

    with open_archive(archive) as a:
        ingest(a, [str(SEED_FRUS)])
        monkeypatch.setattr(records, "PARSER_VERSION", records.PARSER_VERSION + 1)
        assert ingest(a, [str(SEED_FRUS)]).counts["updated"] == 1
        assert ingest(a, [str(SEED_FRUS)]).counts["unchanged"] == 1
        rid = next(a.iter_records())["id"]
        assert [r.revision for r in a.revisions(rid)] == [1, 2]


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    "filters", [Filters(), Filters(kind="frus-document"), Filters(year=1943, limit=3)]
)
def test_listing_streams_from_an_index_without_sorting_the_records(archive, filters):
    """list and export read in the index's order: no temporary B-tree of the stored JSON,
    so memory does not grow with the archive."""
    with open_archive(archive) as a:
        ingest(a, [str(SEED_FRUS), str(SEED_CEEOL)])
        sql, params = a.records_query(filters)
        plan = " ".join(row[3] for row in a.db.execute("EXPLAIN QUERY PLAN " + sql, params))
        assert "records_order" in plan and "TEMP B-TREE" not in plan


def test_unchanged_content_is_recognised_before_it_is_parsed(archive, monkeypatch):
    from archivetool import pipeline

    files = [str(p) for p in sorted(FRUS_DIR.glob("frus1882_*.txt"))]
    with open_archive(archive) as a:
        first = ingest(a, files)

        def no_parsing(text):
            raise AssertionError("parsed again")

        monkeypatch.setitem(pipeline.PARSERS, "frus-document", no_parsing)
        again = ingest(a, files)
    assert again.counts == {"ingested": 0, "updated": 0, "unchanged": len(files), "failed": 0}
    assert again.warnings == first.warnings
