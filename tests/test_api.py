"""The Python API, and the command line's JSON being exactly the API's result."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

import archivetool as at
from archivetool.cli import app
from conftest import FRUS_DIR, SEED_FRUS, SOURCES


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def archive(tmp_path):
    path = tmp_path / "a.sqlite"
    with at.open_archive(path) as a:
        report = at.ingest(a, [SOURCES])
    assert report.counts["failed"] == 0
    return path


def test_extract_gives_the_records_the_command_prints(runner):
    paths = [SEED_FRUS, *sorted(FRUS_DIR.glob("frus1882_*.txt"))]
    res = run(runner, "extract", "--format", "json", *paths)
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout) == at.extract(paths).records
    assert list(at.iter_records(paths)) == at.extract(paths).records


def test_extract_reports_a_failed_input_instead_of_raising(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00binary")
    result = at.extract([SEED_FRUS, bad])
    assert len(result.records) == 1 and result.failures[0]["path"] == str(bad)


def test_search_equals_the_commands_json(runner, archive):
    res = run(runner, "search", "Mihailović", "--format", "json", "--archive", archive)
    assert res.exit_code == 0, res.stderr
    with at.open_archive(archive, readonly=True) as a:
        hits = at.search(a, "Mihailović")
    shown = json.loads(res.stdout)
    assert [h["id"] for h in shown] == [h["id"] for h in hits] != []
    assert shown[0]["snippet"] == hits[0]["snippet"]


def test_search_filters_by_kind_in_either_spelling(archive):
    with at.open_archive(archive, readonly=True) as a:
        assert at.search(a, "Tito", kind="bib") == at.search(a, "Tito", kind="bibliographic-record")
        assert all(h["kind"] == "frus-document" for h in at.search(a, "the", kind="frus"))


def test_export_writes_what_the_command_writes(runner, archive):
    res = run(runner, "export", "--format", "jsonl", "--archive", archive)
    assert res.exit_code == 0, res.stderr
    buf = io.StringIO()
    with at.open_archive(archive, readonly=True) as a:
        n = at.export(a, "jsonl", buf)
        first = json.loads(buf.getvalue().splitlines()[0])
        assert at.get(a, first["id"][:10]) == first
    assert buf.getvalue() == res.stdout and n == len(res.stdout.splitlines())


def test_show_json_is_the_stored_record(runner, archive):
    with at.open_archive(archive, readonly=True) as a:
        record = next(a.iter_records())
        res = run(runner, "show", record["id"], "--format", "json", "--archive", archive)
        assert json.loads(res.stdout) == at.get(a, record["id"])


def test_importing_the_package_loads_no_stage():
    code = ("import sys, archivetool; print(archivetool.__version__); "
            "print(sorted(m for m in sys.modules if m.startswith('archivetool.')))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines()[1] == "[]"
