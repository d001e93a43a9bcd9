"""archivetool copy: an archive moved to another location, records and revisions verbatim,
streamed, and resumable (run again, only what is missing is written).

The archives' locations come from the ``location`` fixture (SQLite files here), so that the
same tests run against every backend once it is parametrised over them.
"""

from __future__ import annotations

import copy as copying_values
import dataclasses
import gc
import json
import os
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
from archivetool.copying import copy_archive, copy_records, open_location
from archivetool.ingest import ingest
from archivetool.pipeline import record_from_source
from archivetool.settings import location_scheme
from archivetool.sources import decode_source
from archivetool.store import Archive
from archivetool.stored import StoredRecord, StoredRevision
from conftest import FRUS_DIR, SEED_FRUS, SOURCES


@pytest.fixture
def location(tmp_path):
    """A new archive location for each name asked for."""

    def make(name: str) -> str:
        return str(tmp_path / f"{name}.sqlite")

    return make


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


@pytest.fixture
def source(location):
    """An archive of the bundled sources and a few FRUS documents, two of them with
    earlier revisions (one with two), so that history, references and persons are there."""
    loc = location("source")
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
    return loc


def _stored(loc):
    with _open(loc, readonly=True) as a:
        return list(a.iter_stored())


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
    for query in ("Mihailovic", "Tito", "correction", '"Secretary of State"', "Stalin*"):
        out[f"search {query}"] = run(runner, "search", query, "-f", "json", "-a", loc).stdout
    out["persons"] = run(runner, "persons", "--format", "json", "--archive", loc).stdout
    out["stats"] = run(runner, "stats", "--format", "json", "--archive", loc).stdout
    return out


def test_a_copy_holds_the_same_records_revisions_and_answers(runner, source, location):
    dest = location("dest")
    res = run(runner, "copy", source, dest)
    assert res.exit_code == 0, res.stderr
    n = len(_stored(source))
    assert res.stderr.splitlines()[-1] == f"copied {n}  extended 0  unchanged 0  differs 0"
    assert res.stdout == ""  # stdout carries data only
    # ids, hashes, JSON, revision numbers, timestamps and every revision, verbatim
    assert _stored(dest) == _stored(source)
    assert sum(len(s.revisions) for s in _stored(dest)) == 3
    seen, expected = _views(runner, dest), _views(runner, source)
    assert seen == expected
    assert "[correction 3" in seen["search correction"] and seen["persons"].strip() != "[]"


def test_the_copy_and_back_is_the_same_archive(runner, source, location):
    there, back = location("there"), location("back")
    assert run(runner, "copy", source, there).exit_code == 0
    assert run(runner, "copy", there, back).exit_code == 0
    assert _stored(back) == _stored(source)


def _rows(path, sql):
    db = sqlite3.connect(path)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def test_sqlite_rows_are_written_as_ingest_writes_them(source, location):
    """Every column of records (those put derives from the JSON, the generated ones),
    references, persons and the filter columns of search are the same as the source's."""
    dest = location("dest")
    if location_scheme(dest):
        pytest.skip("SQLite's own tables")
    copy_archive(source, dest)
    cols = [r[1] for r in _rows(dest, "PRAGMA table_xinfo(records)")]
    records = f"SELECT {', '.join(cols)} FROM records ORDER BY id"
    assert _rows(dest, records) == _rows(source, records)
    for sql in (
        "SELECT * FROM refs ORDER BY record_id, idx",
        "SELECT * FROM persons ORDER BY record_id, idx",
        "SELECT * FROM revisions ORDER BY record_id, revision",
        "SELECT r.id, f.kind, f.date, f.file_number, f.f_sender, f.f_recipient, f.f_place, "
        "f.f_language, f.f_authors FROM facets f JOIN records r ON r.rowid = f.rowid ORDER BY r.id",
    ):
        assert _rows(dest, sql) == _rows(source, sql), sql


def test_copying_again_writes_nothing(runner, source, location):
    dest = location("dest")
    assert run(runner, "copy", source, dest).exit_code == 0
    before = _stored(dest)
    res = run(runner, "copy", source, dest, "--format", "json")
    assert res.exit_code == 0, res.stderr
    report = json.loads(res.stdout)
    assert report["copied"] == report["extended"] == report["differs"] == 0
    assert report["unchanged"] == len(before) and report["differing"] == []
    assert _stored(dest) == before


def test_a_partial_copy_is_completed_and_a_differing_record_left_alone(runner, source, location):
    """DEST holds some records already: one as SOURCE has it, one without an earlier
    revision SOURCE keeps, one ingested there with other content. Only what is missing is
    written; the one that differs is listed, untouched, and the exit status is 1."""
    items = _stored(source)
    with_history = next(s for s in items if len(s.revisions) == 2)
    same = next(s for s in items if not s.revisions)
    other = next(s for s in items if s.id not in (with_history.id, same.id) and not s.revisions)
    dest = location("dest")
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


def test_a_record_with_a_revision_of_its_own_there_differs(source, location):
    """DEST has a revision under a number SOURCE uses for another text: its history is not
    SOURCE's, so nothing is written."""
    item = next(s for s in _stored(source) if s.revisions)
    changed = dataclasses.replace(item.revisions[0], data=item.revisions[0].data.replace("a", "b", 1))  # fmt: skip
    dest = location("dest")
    with _open(dest) as d:
        d.begin()
        d.put_stored(dataclasses.replace(item, revisions=(changed, *item.revisions[1:])))
        d.commit()
    report = copy_archive(source, dest)
    assert report.differs == [item.id] and report.exit_code == 1


def test_json_written_in_another_form_is_the_same_version(source, location):
    """A backend that keeps JSON in a form of its own (key order, spacing) holds the same
    record: compared as values, it is unchanged."""
    item = _stored(source)[0]
    respaced = dataclasses.replace(item, data=json.dumps(json.loads(item.data), indent=1))
    dest = location("dest")
    with _open(dest) as d:
        d.begin()
        assert d.put_stored(item) == "copied"
        assert d.put_stored(respaced) == "unchanged"
        d.commit()


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


def test_records_are_streamed_in_pages_in_id_order(location):
    src = location("big")
    _synthetic(src, 2500)
    with _open(src, readonly=True) as a:
        items = list(a.iter_stored(page=1000))
        ids = [s.id for s in items]
        assert len(ids) == 2500 and ids == sorted(ids) and len(set(ids)) == 2500
        assert [s.id for s in a.iter_stored(after=ids[1499], page=1000)] == ids[1500:]
    # pages are read as the copy goes: a record stored meanwhile past the first page is met
    with _open(src) as writer, _open(src, readonly=True) as reader:
        stream = reader.iter_stored(page=1000)
        first = next(stream)
        late = dataclasses.replace(items[-1], id="frus-ffffffffffff")
        writer.begin()
        writer.put_stored(late)
        writer.commit()
        rest = [s.id for s in stream]
    assert [first.id, *rest] == [*ids, late.id]


def test_memory_holds_a_page_not_the_archive(location):
    """Reading every record holds one page at a time: the peak of Python's allocations is a
    small part of the records' JSON."""
    import tracemalloc

    src = location("big")
    _synthetic(src, 2500)
    with _open(src, readonly=True) as a:
        tracemalloc.start()
        try:
            total = n = 0
            for item in a.iter_stored(page=50):
                total += len(item.data.encode())
                n += 1
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert n == 2500
    assert peak < total / 4, (peak, total)  # a twelfth when measured


def test_an_interrupted_copy_is_finished_by_running_it_again(runner, location, monkeypatch):
    src, dest = location("big"), location("dest")
    _synthetic(src, 1200)
    calls = {"n": 0}
    real = Archive.put_stored

    def interrupted(self, item):
        calls["n"] += 1
        if calls["n"] == 650:
            raise KeyboardInterrupt
        return real(self, item)

    monkeypatch.setattr(Archive, "put_stored", interrupted)
    with pytest.raises(KeyboardInterrupt):
        copy_archive(src, dest, batch_size=300)
    monkeypatch.setattr(Archive, "put_stored", real)
    assert len(_stored(dest)) == 600  # two batches committed, the third rolled back
    report = copy_archive(src, dest, batch_size=300)
    assert report.counts == {"copied": 600, "extended": 0, "unchanged": 600, "differs": 0}
    assert _stored(dest) == _stored(src)


def test_a_copy_killed_half_way_is_finished_by_running_it_again(location):
    """A real SIGKILL in the middle of a copy (after its third batch): what was committed
    stays, the next run copies the rest."""
    src, dest = location("big"), location("dest")
    _synthetic(src, 900)
    script = textwrap.dedent(f"""
        import os, signal
        from archivetool.copying import copy_records, open_location

        def progress(done, total, rid):
            if done >= 300:
                os.kill(os.getpid(), signal.SIGKILL)

        with open_location({src!r}, create=False, readonly=True) as s, \\
             open_location({dest!r}, create=True, readonly=False) as d:
            copy_records(s, d, on_progress=progress, batch_size=100)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == -9, proc.stderr
    assert len(_stored(dest)) == 300
    report = copy_archive(src, dest)
    assert report.counts["copied"] == 600 and report.counts["unchanged"] == 300
    assert _stored(dest) == _stored(src)


def test_progress_counts_the_records_copied(source, location):
    seen = []
    with _open(source, readonly=True) as s, _open(location("dest")) as d:
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


def test_a_missing_source_is_refused_and_nothing_made(runner, location):
    missing, dest = location("missing"), location("dest")
    res = run(runner, "copy", missing, dest)
    shown = run(runner, "show", "frus-70af", "--archive", missing)
    assert res.exit_code == shown.exit_code == 1
    assert "no archive here" in res.stderr and len(res.stderr.strip().splitlines()) == 1
    if not location_scheme(dest):
        assert not Path(dest).exists() and not Path(missing).exists()


def test_dest_that_is_no_archive_is_refused(runner, source, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("my notes\n")
    res = run(runner, "copy", source, text)
    assert res.exit_code == 1 and "not an archive" in res.stderr
    assert text.read_text() == "my notes\n"


def test_copy_json_is_the_apis_report(runner, source, location):
    res = run(runner, "copy", source, location("one"), "--format", "json")
    assert res.exit_code == 0, res.stderr
    report = at.copy(source, location("two"))
    shown = json.loads(res.stdout)
    assert shown["copied"] == len(_stored(source)) > 0
    assert {k: v for k, v in shown.items() if k != "dest"} == {
        k: v for k, v in report.as_dict().items() if k != "dest"
    }
    assert report.exit_code == 0


def test_quiet_copy_says_nothing(runner, source, location):
    res = run(runner, "copy", "--quiet", source, location("dest"))
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


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    n=st.integers(0, 4),
    held=st.sets(st.integers(1, 4)),
    changed=st.sets(st.integers(1, 4)),
    same_current=st.booleans(),
)
def test_what_dest_holds_decides_the_outcome(tmp_path_factory, n, held, changed, same_current):
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
    loc = str(tmp_path_factory.mktemp("h") / "dest.sqlite")
    with _open(loc) as d:
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
    if location_scheme(location("x")):
        pytest.skip("files on a read-only filesystem")
    inner, view = read_only_folder
    shutil.copy(source, inner / "a.sqlite")
    dest = location("dest")
    res = run(runner, "copy", view / "a.sqlite", dest)
    assert res.exit_code == 0, res.stderr
    assert _stored(dest) == _stored(source)
    into = run(runner, "copy", source, view / "new.sqlite")
    assert into.exit_code == 5 and "cannot make an archive here" in into.stderr
    assert len(into.stderr.strip().splitlines()) == 1 and not (inner / "new.sqlite").exists()
