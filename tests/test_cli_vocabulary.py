"""One command-line vocabulary: the same names for the same things on every command, results
a script can act on, exits a pipeline can rely on. Each test is a line of issue 12's list."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from archivetool.cli import app
from conftest import CEEOL_DIR, FRUS_DIR, SOURCES


def run(*args, input=None):
    return CliRunner().invoke(app, [str(a) for a in args], input=input)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """An archive of the bundled and test records, built once for the read-only tests."""
    from archivetool.ingest import ingest
    from archivetool.store import Archive

    path = tmp_path_factory.mktemp("vocab") / "archive.sqlite"
    with Archive(path) as store:
        ingest(store, [str(SOURCES), str(FRUS_DIR), str(CEEOL_DIR)])
    return path


def _records(archive: Path) -> list[dict]:
    res = run("export", "--archive", archive, "--format", "jsonl")
    assert res.exit_code == 0, res.stderr
    return [json.loads(line) for line in res.stdout.splitlines()]


# -- stats --top --------------------------------------------------------------------------


@pytest.mark.parametrize("top", [1, 3, 10])
def test_stats_top_gives_exactly_n_senders(built, top):
    frus = [r for r in _records(built) if r["kind"] == "frus-document"]
    senders = Counter(
        (r.get("sender") or {}).get("name") or (r.get("sender") or {}).get("role")
        for r in frus
        if isinstance(r.get("sender"), dict)
    )
    senders.pop(None, None)
    senders.pop("", None)
    assert len(senders) > top  # else the test could not see a short list
    res = run("stats", "--archive", built, "--format", "json", "--top", top)
    assert res.exit_code == 0, res.stderr
    got = json.loads(res.stdout)
    assert len(got["senders"]) == top
    assert [s["count"] for s in got["senders"]] == sorted(senders.values(), reverse=True)[:top]


# -- exits a pipeline can rely on -------------------------------------------------------

COMMAND = [sys.executable, "-m", "archivetool"]


@pytest.mark.parametrize(
    "args",
    [
        ["export"],
        ["export", "--format", "csv"],
        ["list"],
        ["list", "--format", "json"],
        ["show", "frus-70af"],
        ["stats"],
    ],
)
def test_a_reader_that_goes_away_is_exit_0(built, args):
    """`archivetool export | head -1`: the pipe is closed before the first write, so every
    write meets EPIPE; the command ends quietly with 0, never 1 (failed input)."""
    read, write = os.pipe()
    proc = subprocess.Popen(
        [*COMMAND, *args, "--archive", str(built)], stdout=write, stderr=subprocess.PIPE
    )
    os.close(write)
    os.close(read)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert b"Traceback" not in err and b"Broken pipe" not in err


def test_ctrl_c_during_ingest_says_so_and_exits_130(tmp_path):
    from archivetool.errors import ExitCode

    folder = tmp_path / "many"
    folder.mkdir()
    seed = (FRUS_DIR / "frus-860H.01-478-telegram.txt").read_text(encoding="utf-8")
    for i in range(3000):
        (folder / f"t{i:04}.txt").write_text(f"{seed}\ncopy {i}\n", encoding="utf-8")
    archive = tmp_path / "a.sqlite"
    proc = subprocess.Popen(
        [*COMMAND, "ingest", "--archive", str(archive), "--jobs", "2", str(folder)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while not archive.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    assert proc.poll() is None, "ingest ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole process group
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == ExitCode.INTERRUPTED == 130
    assert "interrupted" in err and "Traceback" not in err
    assert out == ""
