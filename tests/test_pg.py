"""The archive on a PostgreSQL server: how it is found (URL, keywords, PG* variables,
.pgpass), how it is made (migrations, once, under a lock), what its failures say (one line,
the password masked, the exit code of the archive's state), and the same outputs as SQLite."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import psycopg
import pytest

from archivetool.cli import app
from archivetool.errors import StoreError
from archivetool.ingest import ingest
from archivetool.store import open_archive
from archivetool.store.postgres import MIGRATIONS
from archivetool.stored import StoredRecord, StoredRevision
from conftest import FRUS_DIR, SEED_CEEOL, SEED_FRUS, SOURCES
from pgcluster import PASSWORD, PASSWORD_USER


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


def _database_of(url: str) -> str:
    return url.rsplit("/", 1)[1]


# -- finding the server -------------------------------------------------------------------


def test_a_keyword_string_and_the_pg_variables_find_the_server(
    runner, pg_cluster, pg_database, monkeypatch
):
    name = _database_of(pg_database)
    keywords = f"host=127.0.0.1 port={pg_cluster.port} dbname={name} user=postgres"
    assert run(runner, "ingest", "-q", "--archive", keywords, SEED_FRUS).exit_code == 0
    # libpq's variables fill in what the URL leaves out
    for var, value in {"PGHOST": "127.0.0.1", "PGPORT": str(pg_cluster.port),
                       "PGUSER": "postgres"}.items():  # fmt: skip
        monkeypatch.setenv(var, value)
    monkeypatch.setenv("ARCHIVETOOL_ARCHIVE", f"postgresql:///{name}")
    listed = run(runner, "list", "-f", "jsonl")
    assert listed.exit_code == 0, listed.stderr
    assert len(listed.stdout.splitlines()) == 1


def test_a_password_comes_from_pgpass(runner, pg_cluster, pg_database, tmp_path, monkeypatch):
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"127.0.0.1:{pg_cluster.port}:*:{PASSWORD_USER}:{PASSWORD}\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    with psycopg.connect(pg_database) as db:
        db.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {PASSWORD_USER}")
    url = pg_cluster.url(_database_of(pg_database), user=PASSWORD_USER)
    res = run(runner, "stats", "--archive", url)
    assert res.exit_code == 0, res.stderr


def test_the_api_opens_a_server_archive(pg_database):
    import archivetool as at

    with at.open_archive(pg_database) as archive:
        report = at.ingest(archive, [SEED_FRUS, SEED_CEEOL])
        assert report.counts["ingested"] == 2
        assert [h["id"] for h in at.search(archive, "Mihailović")]
    with at.open_archive(pg_database, readonly=True) as archive:
        assert archive.count() == 2


# -- failures: one line, masked, the archive's exit code ------------------------------------


def _one_clean_line(res, *, code: int, says: str, hidden: str = PASSWORD) -> None:
    assert res.exit_code == code, res.stderr
    assert hidden not in res.stderr + res.stdout
    assert "Traceback" not in res.stderr
    assert says in res.stderr, res.stderr
    assert res.stdout == ""


def test_a_wrong_password_is_refused_in_one_masked_line(runner, pg_cluster, pg_database):
    url = pg_cluster.url(_database_of(pg_database), user=PASSWORD_USER, password="not-" + PASSWORD)
    res = run(runner, "list", "--archive", url)
    _one_clean_line(res, code=1, says="refused the login", hidden="not-" + PASSWORD)
    assert f"{PASSWORD_USER}:***@127.0.0.1" in res.stderr


@pytest.mark.parametrize(
    "location",
    [
        "postgresql://alice:s3%zzcret@127.0.0.1/frus",
        "host=127.0.0.1 password=s3cret-pw dbname=frus colour=blue",
    ],
)
def test_a_malformed_location_is_a_usage_error_without_its_password(runner, location):
    res = run(runner, "list", "--archive", location)
    assert res.exit_code == 2, res.stderr
    assert "s3%zzcret" not in res.stderr and "s3cret-pw" not in res.stderr
    assert "Traceback" not in res.stderr and "libpq can read" in res.stderr


def test_an_unreachable_server_is_busy_exit_6(runner, pg_cluster):
    closed = pg_cluster.port + 1 if pg_cluster.port < 65535 else 1
    url = f"postgresql://{PASSWORD_USER}:{PASSWORD}@127.0.0.1:{closed}/frus"
    for command in (["list"], ["ingest", str(SEED_FRUS)], ["search", "Tito"]):
        res = run(runner, *command, "--archive", url)
        _one_clean_line(res, code=6, says="cannot reach the PostgreSQL server")
        assert "***@127.0.0.1" in res.stderr


def test_a_missing_database_is_named(runner, pg_cluster):
    res = run(runner, "ingest", "--archive", pg_cluster.url("no_such_db"), SEED_FRUS)
    _one_clean_line(res, code=1, says="no such database")


def test_a_reading_command_on_an_empty_database_writes_nothing(runner, pg_empty_database):
    for command in (["list"], ["show", "frus-1"], ["search", "Tito"], ["stats"], ["persons"]):
        res = run(runner, *command, "--archive", pg_empty_database)
        _one_clean_line(res, code=1, says="no archive in this database")
    with psycopg.connect(pg_empty_database) as db:
        assert db.execute("SELECT to_regclass('schema_migrations')").fetchone() == (None,)


def test_another_programs_database_is_left_as_it_is(runner, pg_empty_database):
    with psycopg.connect(pg_empty_database) as db:
        db.execute("CREATE TABLE invoices (n integer)")
    res = run(runner, "ingest", "--archive", pg_empty_database, SEED_FRUS)
    _one_clean_line(res, code=1, says="not an archivetool archive")
    with psycopg.connect(pg_empty_database) as db:
        assert db.execute("SELECT to_regclass('records')").fetchone() == (None,)


def test_an_account_that_may_only_read_gets_exit_5_on_ingest(runner, pg_cluster, pg_database):
    with psycopg.connect(pg_database, autocommit=True) as db:
        db.execute("DO $$ BEGIN CREATE ROLE reader LOGIN; EXCEPTION WHEN duplicate_object "
                   "THEN NULL; END $$")  # fmt: skip
        db.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader")
    url = pg_cluster.url(_database_of(pg_database), user="reader")
    res = run(runner, "ingest", "--archive", url, SEED_FRUS)
    _one_clean_line(res, code=5, says="cannot be written")
    assert run(runner, "list", "--archive", url).exit_code == 0


def test_an_archive_to_upgrade_tells_a_reader_it_needs_a_writer(runner, pg_cluster, pg_database):
    with psycopg.connect(pg_database, autocommit=True) as db:
        db.execute("DO $$ BEGIN CREATE ROLE reader LOGIN; EXCEPTION WHEN duplicate_object "
                   "THEN NULL; END $$")  # fmt: skip
        db.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader")
        db.execute("UPDATE archive_meta SET value = '0' WHERE key = 'fold_version'")
    url = pg_cluster.url(_database_of(pg_database), user="reader")
    res = run(runner, "list", "--archive", url)
    _one_clean_line(res, code=5, says="upgrading it needs an account that may write")
    assert run(runner, "list", "--archive", pg_database).exit_code == 0  # the owner upgrades
    assert run(runner, "list", "--archive", url).exit_code == 0


def test_an_account_that_may_not_read_is_told_so(runner, pg_cluster, pg_database):
    with psycopg.connect(pg_database, autocommit=True) as db:
        db.execute("DO $$ BEGIN CREATE ROLE stranger LOGIN; EXCEPTION WHEN duplicate_object "
                   "THEN NULL; END $$")  # fmt: skip
    url = pg_cluster.url(_database_of(pg_database), user="stranger")
    res = run(runner, "list", "--archive", url)
    _one_clean_line(res, code=1, says="this account may not read the archive")


def test_a_record_the_server_refuses_fails_alone(pg_database, monkeypatch):
    """A value PostgreSQL refuses (here a year beyond its integer) fails that record only:
    the batch is rolled back and written again without it."""
    import archivetool.store.postgres as pg

    files = [str(p) for p in sorted(FRUS_DIR.glob("frus1882_*.txt"))]
    real_year = pg._year
    victim = {}

    def year(record):
        victim.setdefault("id", record["id"])
        return 10**12 if record["id"] == victim["id"] else real_year(record)

    monkeypatch.setattr(pg, "_year", year)
    with open_archive(pg_database) as a:
        report = ingest(a, files)
        assert report.counts["failed"] == 1 and a.count() == len(files) - 1
    (failure,) = report.failures
    assert "out of range" in failure.message


# -- migrations ---------------------------------------------------------------------------


def test_migrations_are_numbered_from_one_and_run_once(pg_empty_database):
    with open_archive(pg_empty_database) as a:
        assert a.schema_version == len(MIGRATIONS)
    with open_archive(pg_empty_database) as a:
        assert a.schema_version == len(MIGRATIONS)
    with psycopg.connect(pg_empty_database) as db:
        rows = db.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
    assert [r[0] for r in rows] == list(range(1, len(MIGRATIONS) + 1))


def test_processes_opening_a_new_database_at_once_migrate_it_once(pg_empty_database):
    code = (
        "import sys; from archivetool.store import open_archive; open_archive(sys.argv[1]).close()"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code, pg_empty_database],
                              stderr=subprocess.PIPE, text=True) for _ in range(4)]  # fmt: skip
    for p in procs:
        _, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
    with psycopg.connect(pg_empty_database) as db:
        rows = db.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
    assert [r[0] for r in rows] == list(range(1, len(MIGRATIONS) + 1))


def test_an_archive_from_a_newer_tool_is_refused(pg_database):
    with psycopg.connect(pg_database) as db:
        db.execute("INSERT INTO schema_migrations (version) VALUES (%s)", (len(MIGRATIONS) + 5,))
    with pytest.raises(StoreError, match="newer archivetool"):
        open_archive(pg_database)


def test_a_change_of_folding_rebuilds_the_index(pg_database, monkeypatch):
    import archivetool.store.postgres as pg
    from archivetool.search import search

    with open_archive(pg_database) as a:
        ingest(a, [str(SEED_FRUS)])
    monkeypatch.setattr(pg, "FOLD_VERSION", pg.FOLD_VERSION + 1)
    with open_archive(pg_database, readonly=True) as a:  # a reader upgrades it first
        assert a._fold_version() == pg.FOLD_VERSION
        assert search(a, "Sargent")


# -- copying: the methods archivetool copy moves records with ---------------------------------


def test_stored_records_come_back_verbatim_and_resume(pg_database, tmp_path):
    doc = tmp_path / "t.txt"
    text = SEED_FRUS.read_text(encoding="utf-8")
    doc.write_text(text, encoding="utf-8")
    with open_archive(pg_database) as a:
        ingest(a, [str(doc), *map(str, sorted(FRUS_DIR.glob("frus1882_*.txt")))])
        doc.write_text(text.replace("must he satisfied", "must be satisfied"), encoding="utf-8")
        ingest(a, [str(doc)])
        items = list(a.iter_stored())
    assert [i.id for i in items] == sorted(i.id for i in items)
    assert any(i.revisions for i in items)
    # into a second, empty archive on the same server
    name = _database_of(pg_database) + "_copy"
    admin = pg_database.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f"CREATE DATABASE {name} TEMPLATE archivetool_template")
    copy = pg_database.rsplit("/", 1)[0] + "/" + name
    try:
        with open_archive(copy) as c:
            c.begin()
            assert [c.put_stored(i) for i in items] == ["copied"] * len(items)
            c.commit()
            c.begin()
            assert {c.put_stored(i) for i in items} == {"unchanged"}
            with_revision = next(i for i in items if i.revisions)
            extra = StoredRevision(99, "f" * 64, "x.txt", with_revision.data, "then", "later")
            grown = StoredRecord(**{**with_revision.__dict__,
                                    "revisions": (*with_revision.revisions, extra)})  # fmt: skip
            assert c.put_stored(grown) == "extended"
            changed = StoredRecord(**{**items[0].__dict__, "sha256": "0" * 64})
            assert c.put_stored(changed) == "differs"
            c.rollback()
            assert [i.__dict__ for i in c.iter_stored()] == [i.__dict__ for i in items]
            assert [i.id for i in c.iter_stored(after=items[2].id)] == [i.id for i in items[3:]]
            assert json.loads(items[0].data) == c.get(items[0].id)
    finally:
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f"DROP DATABASE {name} WITH (FORCE)")


# -- the same outputs as SQLite ---------------------------------------------------------------

_STORED_AT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


@pytest.fixture(scope="module")
def twins(pg_cluster, tmp_path_factory):
    """The same inputs ingested into an SQLite file and a PostgreSQL database."""
    from typer.testing import CliRunner

    from conftest import _admin, _database

    name = _database(pg_cluster, "archivetool_template")
    pair = (tmp_path_factory.mktemp("twin") / "a.sqlite", pg_cluster.url(name))
    for location in pair:
        res = run(CliRunner(), "ingest", "-q", "--archive", location, SOURCES, FRUS_DIR)
        assert res.exit_code == 0, res.stderr
    yield pair
    _admin(pg_cluster, f"DROP DATABASE {name} WITH (FORCE)")


@pytest.mark.parametrize(
    "command",
    [
        ["list", "-f", "jsonl"],
        ["list"],
        ["list", "--warnings", "-f", "csv"],
        ["list", "--year", "1942", "--limit", "2", "--offset", "1", "-f", "jsonl"],
        ["export", "-f", "bibtex"],
        ["export", "-f", "csv", "--kind", "frus"],
        ["export", "-f", "tei"],
        ["stats", "-f", "json"],
        ["stats"],
        ["persons", "-f", "json"],
        ["persons", "--register", "-f", "json"],
        ["search", "-f", "json", "Secretary", "--limit", "500"],
        ["search", "-f", "json", "Tito OR Stalin", "--limit", "500"],
        ["search", "-f", "json", "telegram", "--from", "1940", "--to", "1950", "--limit", "500"],
        ["show", "-f", "json", "{first}"],
        ["show", "--revisions", "-f", "json", "{first}"],
        ["refs", "-f", "json", "{first}"],
        ["cite", "{first}"],
    ],
    ids=lambda c: " ".join(c),
)
def test_every_command_answers_as_on_sqlite(runner, twins, command):
    outputs = []
    for location in twins:
        first = json.loads(run(runner, "list", "-f", "jsonl", "--archive", location)
                           .stdout.splitlines()[0])["id"]  # fmt: skip
        args = [a.replace("{first}", first) for a in command]
        res = run(runner, *args, "--archive", location)
        assert res.exit_code == 0, res.stderr
        # the moments of storing are each run's own
        outputs.append((_STORED_AT.sub("T", res.stdout), res.stderr.replace(str(location), "A")))
    (out_sqlite, err_sqlite), (out_pg, err_pg) = outputs
    if command[0] == "search":
        # the hits and their snippets are the same; the scores are each engine's own, and
        # the order of hits of close rank may differ (test_pg_search compares them)
        a, b = json.loads(out_sqlite), json.loads(out_pg)
        strip = lambda hits: sorted((h["id"], h["snippet"], json.dumps(h["highlights"]))  # noqa: E731
                                    for h in hits)  # fmt: skip
        assert strip(a) == strip(b)
    else:
        assert out_pg == out_sqlite
    assert err_pg == err_sqlite


def test_ingest_reports_and_warnings_as_on_sqlite(runner, pg_database, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe not text")
    outputs = []
    for location in (tmp_path / "a.sqlite", pg_database):
        res = run(runner, "ingest", "-v", "-f", "json", "--archive", location, SOURCES, bad)
        again = run(runner, "ingest", "--archive", location, SOURCES)
        outputs.append((res.exit_code, res.stdout, res.stderr, again.exit_code, again.stderr))
    assert outputs[0] == outputs[1]


def test_other_tools_read_the_main_fields_as_columns(pg_database):
    """The documents view: what a browser, R or a notebook reads without parsing JSON."""
    with open_archive(pg_database) as a:
        ingest(a, [str(SEED_FRUS), str(SEED_CEEOL)])
        records = {r["id"]: r for r in a.iter_records()}
    with psycopg.connect(pg_database) as db:
        rows = db.execute(
            "SELECT id, kind, title, sender, recipient, place, language, record FROM documents"
        ).fetchall()
    assert {r[0] for r in rows} == set(records)
    for rid, kind, title, sender, recipient, place, language, record in rows:
        assert record == records[rid] and kind == record["kind"] and title == record["title"]
        if kind == "frus-document":
            for shown, party in ((sender, record["sender"]), (recipient, record["recipient"])):
                assert shown == (party.get("name") or party.get("role"))
            assert place == record["place"]
        else:
            assert language == record["language"] and sender is None


def test_every_records_references_and_citations_resolve_as_on_sqlite(twins):
    from archivetool.crossref import cited_by, people, resolve

    answers = []
    for location in twins:
        with open_archive(location, readonly=True) as a:
            answers.append([
                (r["id"], list(resolve(a, r)), list(cited_by(a, r))) for r in a.iter_records()
            ] + [people(a, "bailey")])  # fmt: skip
    assert answers[0] == answers[1]
    assert any(refs for _, refs, _ in answers[0][:-1])
    assert any(cited for _, _, cited in answers[0][:-1])


def test_a_first_migration_begun_between_the_two_looks_is_not_taken_for_foreign_tables(
    pg_empty_database, monkeypatch
):
    # the interleaving four processes met in CI: this one finds no schema_migrations, then
    # another creates it (its first step) before this one asks whether the database is empty
    from archivetool.store import postgres

    real = postgres.PgArchive._version
    looked: list[int] = []

    def racing(self):
        if not looked:
            looked.append(1)
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
                "applied_at timestamptz NOT NULL DEFAULT now())"
            )
            return None
        return real(self)

    monkeypatch.setattr(postgres.PgArchive, "_version", racing)
    postgres.PgArchive(pg_empty_database).close()
    monkeypatch.undo()
    with postgres.PgArchive(pg_empty_database, create=False, readonly=True) as archive:
        assert archive.count() == 0
