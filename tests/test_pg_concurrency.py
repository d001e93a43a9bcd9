"""Many writers on one PostgreSQL archive, nothing lost: four `archivetool ingest` processes at
once (disjoint and overlapping inputs, in opposite orders, and a corrected transcription of a
document another process stores) end with one record per document and every version kept,
no deadlock reaching the user; an export and a search running meanwhile see whole records."""

from __future__ import annotations

import json
import subprocess
import sys

import psycopg

from archivetool.pipeline import iter_outcomes
from archivetool.search import search
from archivetool.store import open_archive
from conftest import CEEOL_DIR, FRUS_DIR

COMMAND = [sys.executable, "-m", "archivetool", "-q"]


def _consistent(url: str) -> None:
    """Each record has its search row, and the references and persons its JSON lists."""
    with psycopg.connect(url) as db:
        rows = db.execute(
            "SELECT r.id, r.data, (SELECT count(*) FROM refs f WHERE f.record_id = r.id), "
            "(SELECT count(*) FROM persons p WHERE p.record_id = r.id), "
            "(SELECT count(*) FROM search s WHERE s.record_id = r.id) FROM records r"
        ).fetchall()
        for rid, data, refs, persons, search in rows:
            record = json.loads(data)
            assert record["id"] == rid
            assert refs == len(record.get("references") or []), rid
            assert persons == len(record.get("persons") or []), rid
            assert search == 1, rid
        gaps = db.execute(
            "SELECT r.id FROM records r LEFT JOIN revisions v ON v.record_id = r.id "
            "GROUP BY r.id, r.revision HAVING r.revision - 1 <> count(v.revision) "
            "OR COALESCE(max(v.revision), 0) <> r.revision - 1"
        ).fetchall()
        assert gaps == []  # revisions numbered 1 … n-1 below the current n, none lost


def test_four_concurrent_ingests_lose_nothing(pg_database, tmp_path):
    files = sorted(FRUS_DIR.glob("*.txt"))
    seed = FRUS_DIR / "frus-860H.01-478-telegram.txt"
    corrected = tmp_path / "corrected" / "frus-860H.01-478-telegram.txt"
    corrected.parent.mkdir()
    corrected.write_text(
        seed.read_text(encoding="utf-8").replace("little progress", "little  progress"), "utf-8"
    )
    # overlapping (the first two share 100 documents, in opposite orders), disjoint (CEEOL),
    # and one with the corrected transcription
    groups = [
        files[0:150],
        list(reversed(files[50:195])),
        [*sorted(CEEOL_DIR.glob("*.txt")), *files[::7]],
        [*files[::3], corrected],
    ]
    procs = [
        subprocess.Popen(
            [*COMMAND, "ingest", "-a", pg_database, "--jobs", "1", *map(str, group)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for group in groups
    ]
    # a reader meanwhile: every record it exports is whole, every search answers; once
    # through the command line, then by the API (quicker, so it looks more often)
    export = subprocess.run([*COMMAND, "export", "-a", pg_database, "-f", "jsonl"],
                            capture_output=True, text=True)  # fmt: skip
    assert export.returncode == 0, export.stderr
    assert all(json.loads(line)["id"] for line in export.stdout.splitlines())
    seen = 0
    with open_archive(pg_database, readonly=True) as reader:
        while any(p.poll() is None for p in procs):
            for record in reader.iter_records():
                assert record["id"] and record["source"]["sha256"] and record["title"] is not None
                assert len(record.get("references") or []) >= 0
                seen += 1
            for hit in search(reader, "telegram"):
                assert hit["id"] and hit["snippet"]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        assert "deadlock" not in err and "internal error" not in err and "Traceback" not in err
    assert seen > 0
    given = sorted({f for group in groups for f in group if f != corrected})
    expected = {o.record["id"] for o in iter_outcomes([str(f) for f in given])}
    with open_archive(pg_database, readonly=True) as a:
        ids = [r["id"] for r in a.iter_records()]
        assert len(ids) == len(set(ids)) and set(ids) == expected
        seed_id = next(o.record["id"] for o in iter_outcomes([str(seed)]))
        versions = {r.sha256 for r in a.revisions(seed_id)}
    assert len(versions) == 2  # the text as published and the corrected one
    _consistent(pg_database)


def test_writers_on_the_same_documents_in_opposite_orders_retry_their_deadlocks(
    pg_database, tmp_path
):
    """Four writers changing the same 60 documents, two in each order, in batches of 20:
    their row locks cross, PostgreSQL breaks the deadlocks, ingest retries; each document
    ends with one record and a revision for every version written over another."""
    files = sorted(FRUS_DIR.glob("*.txt"))[:60]
    folders = []
    for n in range(4):  # four transcriptions of each document, each a little different
        folder = tmp_path / f"copy{n}"
        folder.mkdir()
        for f in files:
            (folder / f.name).write_text(f.read_text(encoding="utf-8") + f"\n[Copy {n}]\n", "utf-8")
        folders.append(folder)
    procs = []
    for n, folder in enumerate(folders):
        names = sorted(str(p) for p in folder.iterdir())
        procs.append(subprocess.Popen(
            [*COMMAND, "ingest", "-a", pg_database, "--jobs", "1",
             *(names if n % 2 else reversed(names))],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        ))  # fmt: skip
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        assert "deadlock" not in err and "Traceback" not in err
    # the id stands for the document: the four copies of one share it
    per_id: dict[str, int] = {}
    for out in iter_outcomes([str(folders[0])]):
        per_id[out.record["id"]] = per_id.get(out.record["id"], 0) + 1
    with open_archive(pg_database, readonly=True) as a:
        records = list(a.iter_records())
        assert sorted(r["id"] for r in records) == sorted(per_id)
        for record in records:
            revs = a.revisions(record["id"])
            assert [r.revision for r in revs] == list(range(1, len(revs) + 1))
            assert len(revs) == 4 * per_id[record["id"]]  # every version written is kept
    _consistent(pg_database)
    with psycopg.connect(pg_database) as db:
        (deadlocks,) = db.execute(
            "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()"
        ).fetchone()
    print(f"deadlocks broken by the server and retried: {deadlocks}")
