"""A file's bytes are hashed once on their way into a non-empty archive: the hash the
recogniser looked up travels with the bytes to the worker, which does not work it out again,
and the record holds the same hash as when the worker hashes the bytes itself."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest

from archivetool import pipeline, sources
from archivetool.ingest import IngestWork, ingest
from archivetool.pipeline import Located, Task
from archivetool.store import open_archive
from conftest import FRUS_DIR, SEED_FRUS


class _NoHashing:
    def sha256(self, data: bytes) -> object:
        raise AssertionError("hashed a second time")


def test_the_recognised_hash_travels_with_the_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "a.sqlite"
    with open_archive(archive) as a:
        ingest(a, [str(SEED_FRUS)])  # not empty: what comes next is looked up first
    paths = [str(p) for p in sorted(FRUS_DIR.glob("*.txt"))[:5] if p != SEED_FRUS]
    work = IngestWork(archive)
    try:
        got = work.recognise([Task(1, loc=Located(p), path=p) for p in paths])
        expected = [pipeline.run_task(replace_hash(t)) for t in got]  # hashed by the worker
        monkeypatch.setattr(sources, "hashlib", _NoHashing())
        outcomes = [pipeline.run_task(t) for t in got]
    finally:
        work.teardown()
    for path, task, out, slow in zip(paths, got, outcomes, expected, strict=True):
        assert isinstance(task, Task) and task.sha256 is not None
        assert out.record is not None and out.record == slow.record
        assert out.record["source"]["sha256"] == hashlib.sha256(Path(path).read_bytes()).hexdigest()


def replace_hash(task: object) -> Task:
    assert isinstance(task, Task)
    return replace(task, sha256=None)
