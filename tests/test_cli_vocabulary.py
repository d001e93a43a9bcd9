"""One command-line vocabulary: the same names for the same things on every command, results
a script can act on, exits a pipeline can rely on. Each test is a line of issue 12's list."""

from __future__ import annotations

import json
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
