from __future__ import annotations

import contextlib
import itertools
import json
import os
import time
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

DATA = Path(__file__).parent / "data"
FRUS_DIR = DATA / "frus"
CEEOL_DIR = DATA / "ceeol"
SOURCES = Path(__file__).parent.parent / "sources"
SEED_FRUS = FRUS_DIR / "frus-860H.01-478-telegram.txt"
SEED_CEEOL = CEEOL_DIR / "ceeol-popovic-2010-chapter.txt"


def record_from_source(raw, kind=None, parsed=None):
    """A raw source read into its record's JSON, as the schema checks it (not validated):
    the pipeline's typed record (pipeline.read_record) at the JSON edge."""
    from archivetool.pipeline import read_record

    return read_record(raw, kind, parsed).to_json()


def norm(value):
    """Compare as the shared scorer does: NFC, folded whitespace, numbers as strings."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return str(int(value))
    if isinstance(value, str):
        return " ".join(unicodedata.normalize("NFC", value).split()) or None
    if isinstance(value, list):
        return [norm(v) for v in value] or None
    if isinstance(value, dict):
        if "name" in value and "role" not in value:
            return norm(value["name"])
        return {k: norm(v) for k, v in sorted(value.items())}
    return str(value)


def dotted(record, path):
    cur = record
    for part in path.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    return cur


def truth_pairs(folder: Path):
    return [
        (txt, json.loads(txt.with_suffix(".json").read_text(encoding="utf-8")))
        for txt in sorted(folder.glob("*.txt"))
        if txt.with_suffix(".json").exists()
    ]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


# -- the archive, on either backend --------------------------------------------------------
#
# A test module setting ``BACKENDS = ("sqlite", "postgres")`` runs each of its tests that use
# the ``archive`` fixture on both: ``archive`` is then an SQLite file's Path or a fresh
# PostgreSQL database's URL (a str). A test marked ``sqlite_only`` (it opens the file
# itself, with sqlite3) runs on SQLite alone.

BOTH_BACKENDS = ("sqlite", "postgres")


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: a test of the SQLite file itself")


def pytest_generate_tests(metafunc):
    backends = getattr(metafunc.module, "BACKENDS", None)
    if "backend" not in metafunc.fixturenames or not backends:
        return
    if metafunc.definition.get_closest_marker("sqlite_only"):
        backends = ("sqlite",)
    metafunc.parametrize("backend", backends, indirect=True)


@pytest.fixture
def backend(request) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture
def archive(backend: str, tmp_path: Path, request) -> Path | str:
    if backend == "postgres":
        return request.getfixturevalue("pg_database")
    return tmp_path / "test.sqlite"


@pytest.fixture(scope="session")
def pg_cluster():
    """A PostgreSQL cluster of its own for the run, with a migrated template database."""
    from pgcluster import PASSWORD, PASSWORD_USER, find_bindir, start_cluster

    bindir = find_bindir()
    if bindir is None:
        why = "PostgreSQL server programs (initdb, pg_ctl) not found: apt-get install postgresql"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{why} (CI runs the PostgreSQL tests, never skips them)")
        pytest.skip(why)
    import psycopg

    from archivetool.store import open_archive

    cluster = start_cluster(bindir)
    try:
        with psycopg.connect(cluster.url("postgres"), autocommit=True) as admin:
            admin.execute(f"CREATE ROLE {PASSWORD_USER} LOGIN PASSWORD '{PASSWORD}'")
            admin.execute("CREATE DATABASE archivetool_template")
        with open_archive(cluster.url("archivetool_template")):
            pass
        yield cluster
    finally:
        cluster.stop()


_databases = itertools.count()


def _admin(cluster, sql: str) -> None:
    import psycopg

    for attempt in range(20):  # the template's last session may take a moment to end
        try:
            with psycopg.connect(cluster.url("postgres"), autocommit=True) as admin:
                admin.execute(sql)
            return
        except psycopg.errors.ObjectInUse:
            if attempt == 19:
                raise
            time.sleep(0.1)


def _database(cluster, template: str):
    name = f"test_{os.getpid()}_{next(_databases)}"
    _admin(cluster, f"CREATE DATABASE {name} TEMPLATE {template}")
    return name


@contextlib.contextmanager
def fresh_location(request, backend: str, tmp_path_factory):
    """An empty archive's location for each example of a hypothesis test (a function
    fixture is shared by all its examples): a new file, or the test's database emptied."""
    if backend != "postgres":
        yield tmp_path_factory.mktemp("rt") / "a.sqlite"
        return
    import psycopg

    url = request.getfixturevalue("pg_database")
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("TRUNCATE records CASCADE")
    yield url


def pg_copy(cluster, template: str):
    """A new database copied from ``template`` (fast: no ingest), dropped at the end."""

    @contextlib.contextmanager
    def copy():
        name = _database(cluster, template)
        try:
            yield cluster.url(name)
        finally:
            _admin(cluster, f"DROP DATABASE {name} WITH (FORCE)")

    return copy()


@pytest.fixture
def pg_database(pg_cluster) -> str:
    """A fresh archive database (a copy of the migrated template), as a URL."""
    name = _database(pg_cluster, "archivetool_template")
    yield pg_cluster.url(name)
    _admin(pg_cluster, f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def pg_empty_database(pg_cluster) -> str:
    """A fresh database with nothing in it, as a URL."""
    name = _database(pg_cluster, "template0")
    yield pg_cluster.url(name)
    _admin(pg_cluster, f"DROP DATABASE {name} WITH (FORCE)")
