"""Where the archive is: a file path, or a location written as a URL, which this version
refuses in one line, with any password in it masked and nothing made on disk."""

from __future__ import annotations

import os

import pytest

from archivetool.cli import app
from archivetool.settings import location_scheme, masked
from conftest import SEED_FRUS

URL = "postgresql://alice:s3cret@db.example.org:5432/frus?sslmode=require"


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        (URL, "postgresql://alice:***@db.example.org:5432/frus?sslmode=require"),
        ("postgresql:/alice:s3cret@db/frus", "postgresql:/alice:***@db/frus"),
        ("postgres://alice@db/frus", "postgres://alice@db/frus"),
        ("host=db password=s3cret dbname=frus", "host=db password=*** dbname=frus"),
        ("password='s3 cret' host=db", "password=*** host=db"),
        ("notes/archive.sqlite", "notes/archive.sqlite"),
    ],
)
def test_passwords_are_masked(given, shown):
    assert masked(given) == shown


@pytest.mark.parametrize(
    ("location", "scheme"),
    [(URL, "postgresql"), ("postgres://db/x", "postgres"), ("C:/archive.sqlite", None),
     ("archive.sqlite", None), ("./postgresql.sqlite", None)],
)  # fmt: skip
def test_a_url_is_told_from_a_path(location, scheme):
    assert location_scheme(location) == scheme


@pytest.mark.parametrize("command", [["ingest", str(SEED_FRUS)], ["list"], ["search", "Tito"]])
@pytest.mark.parametrize("by_env", [False, True])
def test_a_server_location_is_refused_masked_and_makes_nothing(
    runner, tmp_path, monkeypatch, command, by_env
):
    monkeypatch.chdir(tmp_path)
    if by_env:
        monkeypatch.setenv("ARCHIVETOOL_ARCHIVE", URL)
        res = runner.invoke(app, command)
    else:
        res = runner.invoke(app, [*command, "--archive", URL])
    assert res.exit_code == 2, res.output
    assert "s3cret" not in res.stderr + res.stdout
    assert "alice:***@db.example.org" in res.stderr
    assert "PostgreSQL server" in res.stderr
    assert "Traceback" not in res.stderr
    assert os.listdir(tmp_path) == []
