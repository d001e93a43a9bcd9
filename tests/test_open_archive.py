"""The archive opened by other tools as they come: sqlite-utils and Datasette find its
full-text index by their own conventions, search it, and show the main fields as columns,
while archivetool's folded search keeps working on the same index."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from archivetool.ingest import ingest
from archivetool.search import SearchFilters, search
from archivetool.store import Archive
from conftest import CEEOL_DIR, FRUS_DIR, SEED_CEEOL, SEED_FRUS

sqlite_utils = pytest.importorskip("sqlite_utils")
datasette_app = pytest.importorskip("datasette.app")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("open") / "archive.sqlite"
    with Archive(path) as a:
        ingest(a, [str(SEED_FRUS), str(SEED_CEEOL), str(FRUS_DIR), str(CEEOL_DIR)])
    return path


def _sqlite_utils(*args: str) -> Any:
    run = subprocess.run(
        [sys.executable, "-m", "sqlite_utils", *args], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def _datasette(path: Path, url: str) -> Any:
    ds = datasette_app.Datasette([str(path)])

    async def get() -> Any:
        response = await ds.client.get(url)
        assert response.status_code == 200, response.text
        return response.json()

    return asyncio.run(get())


def _archivetool_ids(path: Path, query: str) -> set[str]:
    with Archive(path, readonly=True) as a:
        return {h["id"] for h in search(a, query, SearchFilters(limit=10_000))}


def _count(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT COUNT(*) FROM records").fetchone()[0])


def test_sqlite_utils_finds_the_index_by_its_conventions(built):
    db = sqlite_utils.Database(built)
    assert db["records"].detect_fts() == "records_fts"


@pytest.mark.parametrize("word", ["yovanovitch", "partisans", "telegram", "stalin"])
def test_sqlite_utils_search_finds_what_archivetool_finds(built, word):
    rows = _sqlite_utils("search", str(built), "records", word, "--limit", "10000")
    found = {r["id"] for r in rows}
    assert found, word
    assert len(found) < _count(built)
    # a lower-case word is a whole word for archivetool too: the same records
    assert found == _archivetool_ids(built, word)


def test_the_index_holds_folded_text_so_plain_spellings_find_diacritics(built):
    rows = _sqlite_utils("search", str(built), "records", "Mihailovic", "--limit", "10000")
    assert rows
    assert all("Mihailović" in r["data"] or "Михаиловић" in r["data"] for r in rows)
    assert {r["id"] for r in rows} <= _archivetool_ids(built, "Mihailovic")


def test_datasette_search_box_filters_the_records(built):
    total = _count(built)
    rows = _datasette(built, "/archive/records.json?_search=Stalin&_shape=array&_size=max")
    found = {r["id"] for r in rows}
    assert 0 < len(found) < total
    assert found == _archivetool_ids(built, "stalin")
    none = _datasette(built, "/archive/records.json?_search=zzyzzx&_shape=array")
    assert none == []


def test_main_fields_are_columns_in_datasette_and_sqlite_utils(built):
    with Archive(built, readonly=True) as a:
        seed = next(r for r in a.iter_records() if r["source"]["path"] == str(SEED_FRUS))
        bib = next(r for r in a.iter_records() if r["source"]["path"] == str(SEED_CEEOL))
    rows = _datasette(built, f"/archive/documents.json?id={seed['id']}&_shape=array")
    (row,) = rows
    assert set(row) >= {"id", "kind", "title", "date", "year", "doc_type", "sender", "recipient",
                        "place", "file_number", "volume", "url", "authors", "language"}  # fmt: skip
    assert {k: row[k] for k in ("id", "title", "doc_type", "sender", "recipient", "file_number")} == {
        "id": seed["id"], "title": seed["title"], "doc_type": "telegram", "sender": "Winant",
        "recipient": "Secretary of State", "file_number": "860H.01/478",
    }  # fmt: skip
    assert json.loads(row["warnings"]) == seed["warnings"]
    got = _sqlite_utils("rows", str(built), "documents", "--where", f"id = '{bib['id']}'",
                        "-c", "authors", "-c", "language", "-c", "title")  # fmt: skip
    assert got == [{"authors": json.dumps(bib["authors"], ensure_ascii=False, separators=(",", ":")),
                    "language": bib["language"], "title": bib["title"]}]  # fmt: skip
    # the table itself carries them too, for Datasette's records page
    (record,) = _datasette(built, f"/archive/records.json?id={seed['id']}&_shape=array")
    assert record["sender"] == "Winant" and record["body"] == seed["text"]


def test_archivetool_search_still_folds_script_and_inflection(built):
    # Datasette's search is exact-word; archivetool's own search reads Стаљином for Stalin
    ids = _archivetool_ids(built, "Stalin")
    with Archive(built, readonly=True) as a:
        titles = {a.get(i)["title"] for i in ids}
    assert "Први Титов сусрет са Стаљином" in titles
