"""Ingesting the same inputs again changes nothing, and content stored before is recognised
by its hash, many inputs to one question, before anything is parsed (both backends)."""

from __future__ import annotations

import shutil

import pytest

from archivetool import pipeline
from archivetool.ingest import IngestWork, ingest
from archivetool.pipeline import Located, Task
from archivetool.store import open_archive
from conftest import BOTH_BACKENDS, FRUS_DIR, SEED_FRUS

BACKENDS = BOTH_BACKENDS


def _two_copies(folder):
    """Two files of one document in one folder: the second with a word of its body mended,
    so the same record id with other content."""
    folder.mkdir()
    text = SEED_FRUS.read_text(encoding="utf-8")
    (folder / "a.txt").write_text(text, encoding="utf-8")
    words = text.split(" ")
    middle = len(words) // 2
    words[middle] = words[middle] + "x"
    (folder / "b.txt").write_text(" ".join(words), encoding="utf-8")
    return folder


def _state(a):
    """The archive as a reader sees it: each record with its revisions (all their fields)."""
    return [(item.id, item.sha256, item.path, item.data, item.revision, item.updated_at,
             item.revisions) for item in a.iter_stored()]  # fmt: skip


def _no_parsing(monkeypatch):
    def refuse(text):
        raise AssertionError("parsed again")

    for name in list(pipeline.PARSERS):
        monkeypatch.setitem(pipeline.PARSERS, name, refuse)


def test_two_copies_of_one_document_ingested_twice_change_nothing(archive, tmp_path):
    folder = _two_copies(tmp_path / "docs")
    with open_archive(archive) as a:
        first = ingest(a, [str(folder)])
        assert first.counts == {"ingested": 1, "updated": 1, "unchanged": 0, "failed": 0}
        rid = first.files[0].id
        assert first.files[1].id == rid
        before = _state(a)
        assert [r.revision for r in a.revisions(rid)] == [1, 2]
        again = ingest(a, [str(folder)])
        assert again.counts == {"ingested": 0, "updated": 0, "unchanged": 2, "failed": 0}
        assert [f.id for f in again.files] == [rid, rid]
        assert _state(a) == before


def test_an_earlier_revision_is_recognised_before_it_is_parsed(archive, tmp_path, monkeypatch):
    """Both the current version's content and the revision's are known by their hash; the
    warnings reported are those each content gave when it was read."""
    folder = _two_copies(tmp_path / "docs")
    with open_archive(archive) as a:
        first = ingest(a, [str(folder)])
        _no_parsing(monkeypatch)
        again = ingest(a, [str(folder)])
    assert again.counts["unchanged"] == 2
    assert [len(f.warnings) for f in again.files] == [len(f.warnings) for f in first.files]


def test_reingest_with_workers_starts_none_when_all_is_known(archive, tmp_path, monkeypatch):
    """With --jobs 2, inputs recognised never reach a worker: a run whose inputs are all
    stored already starts no worker process at all."""
    folder = tmp_path / "many"
    folder.mkdir()
    files = sorted(FRUS_DIR.glob("*.txt"))[: pipeline.MIN_PARALLEL + 4]
    for p in files:
        shutil.copy(p, folder / p.name)
    with open_archive(archive) as a:
        first = ingest(a, [str(folder)], jobs=2)

        def no_pool(*args, **kwargs):
            raise AssertionError("a worker was started")

        monkeypatch.setattr(pipeline, "_run_chunk", no_pool)
        monkeypatch.setattr("concurrent.futures.ProcessPoolExecutor.submit", no_pool)
        again = ingest(a, [str(folder)], jobs=2)
    assert again.counts["unchanged"] == len(files) - first.counts["failed"]
    assert again.counts["failed"] == first.counts["failed"]
    assert [(f.path, f.id) for f in again.files] == [(f.path, f.id) for f in first.files]


@pytest.mark.sqlite_only
def test_recognise_asks_once_for_many_and_leaves_the_rest_to_run(archive, tmp_path):
    folder = _two_copies(tmp_path / "docs")
    (folder / "c.txt").write_text("not a document at all", encoding="utf-8")
    with open_archive(archive) as a:
        ingest(a, [str(folder / "a.txt")])
    work = IngestWork(archive)
    tasks = [Task(1, loc=Located(str(folder / n)), path=str(folder / n))
             for n in ("a.txt", "b.txt", "c.txt")]  # fmt: skip
    try:
        got = work.recognise(tasks)
    finally:
        work.teardown()
    assert isinstance(got[0], pipeline.Outcome) and got[0].status == "unchanged"
    # the others go to be run, with the bytes read here and the question asked already
    for task, original in zip(got[1:], tasks[1:], strict=True):
        assert isinstance(task, Task) and task.asked
        assert task.data == (folder / original.path.rsplit("/", 1)[1]).read_bytes()
    assert pipeline.run_task(got[2]).status == "failed"  # told why, as before
