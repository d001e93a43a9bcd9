"""Many processes, one result: --jobs N gives the archive --jobs 1 gives, concurrent ingests
lose nothing, and one bad document costs that document only."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from archivetool.ingest import ingest
from archivetool.pipeline import MIN_PARALLEL, iter_outcomes
from archivetool.store import Archive
from conftest import CEEOL_DIR, DATA, FRUS_DIR, SOURCES

VOLUME = DATA / "tei" / "frus1948v05p1.xml"
INPUTS = [str(FRUS_DIR), str(CEEOL_DIR), str(VOLUME), str(SOURCES)]


def _contents(path: Path) -> list[tuple]:
    db = sqlite3.connect(path)
    try:
        records = db.execute(
            "SELECT rowid, id, kind, sha256, path, title, date, year, file_number, container, "
            "parties, serial, revision, data FROM records ORDER BY rowid"
        ).fetchall()
        side = db.execute(
            "SELECT 'ref', record_id, idx, number, date, text FROM refs UNION ALL "
            "SELECT 'person', record_id, idx, name, folded, description FROM persons "
            "ORDER BY 1, 2, 3"
        ).fetchall()
        facets = db.execute("SELECT * FROM facets ORDER BY rowid").fetchall()
        revisions = db.execute(
            "SELECT record_id, revision, sha256, path, data FROM revisions ORDER BY 1, 2"
        ).fetchall()
        hits = db.execute(
            "SELECT rowid FROM records_fts WHERE records_fts MATCH 'telegram' ORDER BY rank, rowid"
        ).fetchall()
    finally:
        db.close()
    return [records, side, facets, revisions, hits]


def test_jobs_2_gives_the_archive_and_report_of_jobs_1(tmp_path):
    reports = {}
    for jobs in (1, 2):
        with Archive(tmp_path / f"j{jobs}.sqlite") as a:
            first = ingest(a, INPUTS, jobs=jobs).as_dict()
            again = ingest(a, INPUTS, jobs=jobs).as_dict()
            reports[jobs] = (first, again)
    assert reports[1] == reports[2]
    first, again = reports[1]
    assert first["ingested"] > MIN_PARALLEL and again["unchanged"] > MIN_PARALLEL
    assert _contents(tmp_path / "j1.sqlite") == _contents(tmp_path / "j2.sqlite")


def _outcomes(jobs: int) -> list[tuple]:
    return [
        (o.path, o.status, o.record, [i.as_dict() for i in o.issues])
        for o in iter_outcomes(INPUTS, jobs=jobs)
    ]


def test_jobs_2_gives_the_outcomes_of_jobs_1_in_the_same_order():
    assert _outcomes(1) == _outcomes(2)


def test_extract_and_validate_print_the_same_with_any_jobs(runner):
    from archivetool.cli import app

    for command in (["extract", "--format", "jsonl"], ["validate", "--format", "json"]):
        outs = [runner.invoke(app, [*command, "--jobs", j, *INPUTS]) for j in ("1", "2")]
        assert outs[0].exit_code == outs[1].exit_code
        assert outs[0].stdout == outs[1].stdout and outs[0].stdout


def _with_impossible_date(tmp_path: Path) -> tuple[list[str], Path]:
    good = sorted(FRUS_DIR.glob("*.txt"))[:30]
    # a document whose file number carries a date (8–2748), its dateline made impossible
    text = (SOURCES / "frus1948v05p1_d132.txt").read_text(encoding="utf-8")
    assert "[September 17, 1948.]" in text
    bad = tmp_path / "september-31.txt"
    bad.write_text(text.replace("[September 17, 1948.]", "[September 31, 1948.]"), "utf-8")
    files = [str(p) for p in good]
    files.insert(10, str(bad))
    return files, bad


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_impossible_date_fails_its_document_only(runner, tmp_path, jobs):
    from archivetool.cli import app

    files, bad = _with_impossible_date(tmp_path)
    archive = tmp_path / "a.sqlite"
    res = runner.invoke(app, ["ingest", "-a", str(archive), "-f", "json", "--jobs", jobs, *files])
    assert res.exit_code == 1 and "internal error" not in res.stderr
    report = json.loads(res.stdout)
    assert report["failed"] == 1 and report["ingested"] + report["updated"] == len(files) - 1
    (failure,) = report["failures"]
    assert failure["path"] == str(bad) and failure["field"] == "$.date"
    assert "1948-09-31 is not a day of the calendar" in failure["message"]
    assert [line for line in res.stderr.splitlines() if str(bad) in line] != []
    res = runner.invoke(app, ["extract", "--jobs", jobs, *files])
    assert res.exit_code == 1 and "internal error" not in res.stderr
    assert len(json.loads(res.stdout)) == len(files) - 1  # well-formed, every good record


def test_a_record_that_cannot_be_stored_fails_alone(tmp_path, monkeypatch):
    real_put = Archive.put

    def put(self, record, *rest):
        if record["source"]["path"].endswith("frus1882_d66.txt"):
            raise ValueError("simulated bug in the store")
        return real_put(self, record, *rest)

    monkeypatch.setattr(Archive, "put", put)
    files = [str(p) for p in sorted(FRUS_DIR.glob("frus1882_*.txt"))]
    with Archive(tmp_path / "a.sqlite") as a:
        report = ingest(a, files)
        assert report.counts["failed"] == 1 and a.count() == len(files) - 1
    (failure,) = report.failures
    assert "ValueError: simulated bug in the store" in failure.message


def test_four_concurrent_ingests_lose_nothing(tmp_path):
    """Disjoint and overlapping inputs, one of them a corrected transcription of a document
    another process stores: one record per document, and every version kept."""
    files = sorted(FRUS_DIR.glob("*.txt"))
    seed = FRUS_DIR / "frus-860H.01-478-telegram.txt"
    corrected = tmp_path / "corrected" / "frus-860H.01-478-telegram.txt"
    corrected.parent.mkdir()
    corrected.write_text(
        seed.read_text(encoding="utf-8").replace("little progress", "little  progress"), "utf-8"
    )
    groups = [files[0:40], files[20:60], files[50:88], [*files[::3], corrected]]
    archive = tmp_path / "shared.sqlite"
    command = [sys.executable, "-m", "archivetool", "-q", "ingest", "-a", str(archive)]
    procs = [
        subprocess.Popen(
            [*command, "--jobs", "1", *map(str, group)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for group in groups
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert "locked" not in err and "internal error" not in err
    with Archive(archive) as a:
        given = sorted({f for group in groups for f in group if f != corrected})
        expected = {o.record["id"] for o in iter_outcomes([str(f) for f in given])}
        ids = [r["id"] for r in a.iter_records()]
        assert len(ids) == len(set(ids)) and set(ids) == expected
        seed_id = next(o.record["id"] for o in iter_outcomes([str(seed)]))
        versions = {r.sha256 for r in a.revisions(seed_id)}
    assert len(versions) == 2  # the text as published and the corrected one


def test_kill_9_during_ingest_leaves_a_whole_archive_that_completes(tmp_path):
    """SIGKILL at a moment of an ingest: the archive passes integrity_check and the search
    index's own check, holds no half record, and ingesting again completes it exactly."""
    import signal
    import sqlite3
    import time

    folder = tmp_path / "inputs"
    folder.mkdir()
    sources = sorted(FRUS_DIR.glob("*.txt"))
    for i in range(600):  # copies of the documents, each text different (revisions)
        text = sources[i % len(sources)].read_text(encoding="utf-8")
        (folder / f"doc{i:04d}.txt").write_text(text + f"\n[Copy {i}]\n", encoding="utf-8")
    archive = tmp_path / "a.sqlite"
    command = [sys.executable, "-m", "archivetool", "-q", "ingest", "-a", str(archive)]
    proc = subprocess.Popen([*command, "--jobs", "2", str(folder)], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:  # read only: polling must not make the archive itself
            with sqlite3.connect(f"file:{archive}?mode=ro", uri=True, timeout=1) as db:
                if db.execute("SELECT count(*) FROM records").fetchone()[0] > 0:
                    break
        except sqlite3.Error:
            pass
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    db = sqlite3.connect(archive)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    (fts,) = db.execute(
        "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%fts5%' LIMIT 1"
    ).fetchone()
    db.execute(f"INSERT INTO {fts}({fts}) VALUES ('integrity-check')")  # raises if broken
    half = db.execute("SELECT count(*) FROM records WHERE data IS NULL OR data = ''").fetchone()
    db.close()
    assert half == (0,)
    done = subprocess.run([*command, str(folder)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with Archive(archive) as a:
        expected = {o.record["id"] for o in iter_outcomes([str(folder)])}
        assert {r["id"] for r in a.iter_records()} == expected and a.count() == len(expected)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc (Linux)")
def test_workers_end_when_the_ingest_is_killed(tmp_path):
    """SIGKILL of an ingest leaves no worker behind: forked workers share the task pipe, so
    none would ever read its end and they would wait for work for ever."""
    import contextlib
    import os
    import signal
    import time

    folder = tmp_path / "inputs"
    folder.mkdir()
    sources = sorted(FRUS_DIR.glob("*.txt"))
    for i in range(2000):
        text = sources[i % len(sources)].read_text(encoding="utf-8")
        (folder / f"doc{i:04d}.txt").write_text(text + f"\n[Copy {i}]\n", encoding="utf-8")
    command = [sys.executable, "-m", "archivetool", "-q", "ingest", "-a", str(tmp_path / "a.db")]
    proc = subprocess.Popen([*command, "--jobs", "2", str(folder)], stderr=subprocess.DEVNULL)

    def children() -> set[int]:
        found: set[int] = set()
        for task in Path(f"/proc/{proc.pid}/task").glob("*/children"):
            with contextlib.suppress(OSError):  # a thread that ended meanwhile
                found |= {int(p) for p in task.read_text().split()}
        return found

    deadline = time.monotonic() + 60
    while len(workers := children()) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    assert len(workers) >= 2, "the ingest ended before its workers could be seen"
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    def alive(pid: int) -> bool:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return False
        return state != "Z"  # a zombie has ended; only its parent's wait is missing

    deadline = time.monotonic() + 20
    while any(alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [p for p in workers if alive(p)]
    for pid in left:  # do not leave them to the next test either
        os.kill(pid, signal.SIGKILL)
    assert not left, f"workers {left} outlived the killed ingest"
