"""The writer's bulk path: a batch's new records written together at its end, the archive the
same as written one by one, and a record that cannot be stored still failing alone."""

from __future__ import annotations

import importlib
import json

from archivetool.store import Archive
from conftest import CEEOL_DIR, FRUS_DIR

ingest_module = importlib.import_module("archivetool.ingest")
store_module = importlib.import_module("archivetool.store.sqlite")

TABLES = {
    "records": "SELECT rowid, id, kind, sha256, path, title, date, year, file_number, container, "
    "parties, data, serial, parser, warnings, revision FROM records ORDER BY rowid",
    "refs": "SELECT * FROM refs ORDER BY record_id, idx",
    "persons": "SELECT * FROM persons ORDER BY record_id, idx",
    "facets": "SELECT * FROM facets ORDER BY rowid",
    "index": "SELECT rowid FROM records_fts WHERE records_fts MATCH 'secretary OR the' ORDER BY rowid",
}


def _contents(path):
    with Archive(path) as a:
        return {name: a.db.execute(sql).fetchall() for name, sql in TABLES.items()}


def test_bulk_and_one_by_one_write_the_same_archive(tmp_path, monkeypatch):
    inputs = [str(FRUS_DIR), str(CEEOL_DIR), str(FRUS_DIR / "frus1882_d66.txt")]
    with Archive(tmp_path / "bulk.sqlite") as a:
        bulk = ingest_module.ingest(a, inputs, batch_size=7)
    real = ingest_module._write_once
    monkeypatch.setattr(
        ingest_module, "_write_once", lambda *args, bulk=False: real(*args, bulk=False)
    )
    with Archive(tmp_path / "alone.sqlite") as a:
        alone = ingest_module.ingest(a, inputs, batch_size=7)
    assert bulk.counts == alone.counts and bulk.counts["ingested"] > 50
    assert json.dumps(bulk.as_dict()) == json.dumps(alone.as_dict())
    assert _contents(tmp_path / "bulk.sqlite") == _contents(tmp_path / "alone.sqlite")


def test_a_record_the_bulk_write_cannot_store_fails_alone(tmp_path, monkeypatch):
    real = store_module._side_rows
    bad = sorted(FRUS_DIR.glob("frus1882_*.txt"))[1]

    def side_rows(rid, record, folded):
        refs, persons = real(rid, record, folded)
        if record["source"]["path"] == str(bad):
            refs = [(rid, 0, "telegram", "1", None, None, None)]  # refs.text is NOT NULL
        return refs, persons

    monkeypatch.setattr(store_module, "_side_rows", side_rows)
    files = [str(p) for p in sorted(FRUS_DIR.glob("frus1882_*.txt"))]
    with Archive(tmp_path / "a.sqlite") as a:
        report = ingest_module.ingest(a, files)
        assert report.counts["failed"] == 1 and a.count() == len(files) - 1
    (failure,) = report.failures
    assert failure.path == str(bad) and "IntegrityError" in failure.message
