"""Where the archive is: a file path, or a PostgreSQL server written as a URL or as libpq
keywords. A URL of any other scheme is refused in one line, with any password in it masked
and nothing made on disk."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from archivetool.cli import app
from archivetool.settings import is_server_location, location_scheme, masked, resolve_archive
from conftest import SEED_FRUS

URL = "postgresql://alice:s3cret@db.example.org:5432/frus?sslmode=require"
OTHER = "mysql://alice:s3cret@db.example.org/frus"


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


@pytest.mark.parametrize(
    ("location", "server"),
    [(URL, True), ("postgres://db/x", True), ("dbname=frus host=db", True),
     ("host=db.example.org port=5433 dbname='frus archive' user=alice", True),
     ("service=frus", True), ("archive.sqlite", False), ("notes/a=b.sqlite", False),
     ("colour=blue", False), (OTHER, False), (Path("dbname=frus"), False)],
)  # fmt: skip
def test_a_server_is_told_from_a_file(location, server):
    assert is_server_location(location) is server


def test_a_server_location_stays_the_string_it_was_given(monkeypatch):
    assert resolve_archive(URL) == URL  # not a Path, which would fold its //
    monkeypatch.setenv("ARCHIVETOOL_ARCHIVE", URL)
    assert resolve_archive(None) == URL
    assert resolve_archive("notes/archive.sqlite") == Path("notes/archive.sqlite")


@pytest.mark.parametrize("command", [["ingest", str(SEED_FRUS)], ["list"], ["search", "Tito"]])
@pytest.mark.parametrize("by_env", [False, True])
def test_a_url_of_another_scheme_is_refused_masked_and_makes_nothing(
    runner, tmp_path, monkeypatch, command, by_env
):
    monkeypatch.chdir(tmp_path)
    if by_env:
        monkeypatch.setenv("ARCHIVETOOL_ARCHIVE", OTHER)
        res = runner.invoke(app, command)
    else:
        res = runner.invoke(app, [*command, "--archive", OTHER])
    assert res.exit_code == 2, res.output
    assert "s3cret" not in res.stderr + res.stdout
    assert "alice:***@db.example.org" in res.stderr
    assert "PostgreSQL server" in res.stderr
    assert "Traceback" not in res.stderr
    assert os.listdir(tmp_path) == []


COMMANDS_WITH_ARCHIVE = ["ingest", "show", "list", "export", "cite",
                         "search", "stats", "refs", "persons"]  # fmt: skip


@pytest.mark.parametrize("command", [None, *COMMANDS_WITH_ARCHIVE])
def test_the_archive_option_names_both_kinds_of_location_as_the_readme_does(
    runner, command, monkeypatch
):
    from conftest import SOURCES

    monkeypatch.setenv("COLUMNS", "200")
    res = runner.invoke(app, [*([command] if command else []), "--help"])
    assert res.exit_code == 0
    assert "--archive" in res.stdout and "postgresql://" in res.stdout, res.stdout
    readme = (SOURCES.parent / "README.md").read_text(encoding="utf-8")
    assert "--archive postgresql://" in readme and "ARCHIVETOOL_ARCHIVE" in readme
    assert ".pgpass" in readme and "PGHOST" in readme


@pytest.mark.parametrize(
    "command",
    [["schema", "frus-document"], ["decode", "860H.01/478"], ["who", "Secretary of State",
     "--date", "1943-05-10"], ["extract", str(SEED_FRUS)], ["validate", str(SEED_FRUS)]],
)  # fmt: skip
def test_commands_that_need_no_archive_run_with_a_server_location(runner, command, monkeypatch):
    """They never connect: a server nobody can reach changes nothing for them."""
    unreachable = "postgresql://alice:s3cret@nowhere.invalid/frus"
    res = runner.invoke(app, ["--archive", unreachable, *command])
    assert res.exit_code == 0, res.stderr
    monkeypatch.setenv("ARCHIVETOOL_ARCHIVE", unreachable)
    assert runner.invoke(app, command).stdout == res.stdout
