"""Archives in every state: read-only (filesystem, folder, immutable file), full disk,
damaged pages, a busy write lock, files that are no archive. Each reading command reads what
can be read; each state that stops a command gets its own line and exit code, and the
archive is left as it was.

We run as root, for whom chmod proves nothing; the read-only states are made for real with a
read-only bind mount, ``chattr +i`` and a small tmpfs, and each test skips where the
machine does not allow them (not root, no CAP_SYS_ADMIN, no chattr)."""

from __future__ import annotations

import gc
import hashlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from archivetool.archivefile import classify
from archivetool.cli import app
from archivetool.errors import ArchiveBusyError, ExitCode
from conftest import FRUS_DIR, SOURCES

READERS = [
    ["list"], ["list", "--format", "jsonl"], ["search", "Tito"], ["search", "Mihailovic", "--kind", "frus"],
    ["show", "frus-70af"], ["show", "frus-70af", "--revisions"], ["export"], ["export", "--format", "dc"],
    ["stats"], ["persons"], ["cite", "frus-70af"], ["refs", "frus-70af"],
]  # fmt: skip
ONE_NEW_DOCUMENT = FRUS_DIR / "frus1943v06_d192.txt"


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sh(*cmd: str) -> bool:
    return subprocess.run(cmd, capture_output=True).returncode == 0


def _umount(path: Path) -> None:
    gc.collect()  # a connection a failed run left open would keep the mount busy
    if not _sh("umount", str(path)):
        _sh("umount", "-l", str(path))


SOURCE_RECORDS = len(list(SOURCES.glob("*.txt")))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from typer.testing import CliRunner

    folder = tmp_path_factory.mktemp("built")  # the bundled sources: SOURCE_RECORDS records
    archive = folder / "a.sqlite"
    res = CliRunner().invoke(app, ["ingest", "--archive", str(archive), str(SOURCES)])
    assert res.exit_code == 0, res.stderr
    return archive


@pytest.fixture
def copy(built, tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copy(built, folder / "a.sqlite")
    return folder / "a.sqlite"


@pytest.fixture
def readonly_mount(copy, tmp_path):
    """The archive's folder seen through a read-only bind mount: a read-only filesystem."""
    view = tmp_path / "ro"
    view.mkdir()
    if not _sh("mount", "--bind", "-o", "ro", str(copy.parent), str(view)):
        pytest.skip("cannot make a read-only bind mount here (needs root and CAP_SYS_ADMIN)")
    try:
        yield view / copy.name
    finally:
        _umount(view)


@pytest.fixture
def immutable(tmp_path):
    made: list[Path] = []

    def make(path: Path) -> Path:
        if not _sh("chattr", "+i", str(path)):
            pytest.skip("chattr +i is not available here")
        made.append(path)
        return path

    yield make
    for path in made:
        _sh("chattr", "-i", str(path))


def _readers_work(runner, archive):
    for args in READERS:
        res = run(runner, *args, "--archive", archive)
        assert res.exit_code == 0, (args, res.stderr)
        assert res.stdout.strip(), args


# -- read-only archives ---------------------------------------------------------------------


def test_every_reading_command_works_on_a_read_only_filesystem(runner, readonly_mount, copy):
    before = digest(copy)
    _readers_work(runner, readonly_mount)
    assert sorted(p.name for p in copy.parent.iterdir()) == ["a.sqlite"] and digest(copy) == before


def test_ingest_into_a_read_only_filesystem_says_so(runner, readonly_mount, copy):
    before = digest(copy)
    res = run(runner, "ingest", "--archive", readonly_mount, ONE_NEW_DOCUMENT)
    assert res.exit_code == ExitCode.ARCHIVE_READ_ONLY == 5
    assert "cannot be written" in res.stderr and "internal error" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert digest(copy) == before
    res = run(
        runner, "ingest", "--archive", readonly_mount.with_name("new.sqlite"), ONE_NEW_DOCUMENT
    )
    assert res.exit_code == 5 and "cannot make an archive here" in res.stderr


def test_every_reading_command_works_on_an_immutable_file(runner, copy, immutable):
    before = digest(immutable(copy))
    _readers_work(runner, copy)
    res = run(runner, "ingest", "--archive", copy, ONE_NEW_DOCUMENT)
    assert res.exit_code == 5 and "cannot be written" in res.stderr, res.stderr
    assert digest(copy) == before


def test_every_reading_command_works_in_an_immutable_folder(runner, copy, immutable):
    before = digest(copy)
    immutable(copy.parent)  # no -wal or -shm can be made beside the archive
    _readers_work(runner, copy)
    res = run(runner, "ingest", "--archive", copy, ONE_NEW_DOCUMENT)
    assert res.exit_code == 5, res.stderr
    assert digest(copy) == before


def test_an_old_archive_in_a_read_only_place_asks_for_write_access(runner, copy, tmp_path):
    db = sqlite3.connect(copy)
    db.execute("UPDATE meta SET value = '0' WHERE key = 'fold_version'")  # needs a reindex
    db.commit()
    db.close()
    view = tmp_path / "ro"
    view.mkdir()
    if not _sh("mount", "--bind", "-o", "ro", str(copy.parent), str(view)):
        pytest.skip("cannot make a read-only bind mount here")
    try:
        res = run(runner, "list", "--archive", view / copy.name)
    finally:
        _umount(view)
    assert res.exit_code == 5 and "older archivetool" in res.stderr
    # where it can be written, a reading command upgrades it first, then reads
    res = run(runner, "search", "Tito", "--archive", copy)
    assert res.exit_code == 0 and "frus" not in res.stderr and res.stdout


# -- full disk ------------------------------------------------------------------------------


def test_a_full_disk_gets_its_own_line_and_code_and_the_archive_stays_whole(
    runner, built, tmp_path
):
    small = tmp_path / "small"
    small.mkdir()
    if not _sh(
        "mount",
        "-t",
        "tmpfs",
        "-o",
        f"size={built.stat().st_size + 64 * 1024}",
        "tmpfs",
        str(small),
    ):
        pytest.skip("cannot mount a small tmpfs here")
    try:
        archive = small / "a.sqlite"
        shutil.copy(built, archive)
        res = run(runner, "ingest", "--archive", archive, FRUS_DIR)
        assert res.exit_code == ExitCode.ARCHIVE_FULL == 3, res.stderr
        assert "the disk is full" in res.stderr and "internal error" not in res.stderr
        db = sqlite3.connect(archive)
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM records").fetchone() == (SOURCE_RECORDS,)
        db.close()
        res = run(runner, "ingest", "--archive", small / "new.sqlite", FRUS_DIR)
        assert res.exit_code == 3, res.stderr
        assert sorted(p.name for p in small.iterdir()) == ["a.sqlite"]  # no half new archive
    finally:
        _umount(small)


# -- damaged archives -----------------------------------------------------------------------


def _root_page(archive: Path, table: str) -> tuple[int, int]:
    db = sqlite3.connect(archive)
    (page,) = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    return (page - 1) * size, size


@pytest.mark.parametrize("table", ["records", "records_fts_data", "facets"])
def test_a_corrupt_page_is_named_damaged_and_search_does_not_blame_the_query(runner, copy, table):
    offset, size = _root_page(copy, table)
    with copy.open("r+b") as fh:
        fh.seek(offset)
        fh.write(b"\xff" * size)
    before = digest(copy)
    commands = [
        ["search", "Tito", "--kind", "frus"],
        ["search", "Tito"],
        ["list"],
        ["show", "frus-70af"],
    ]
    codes = []
    for args in commands:
        res = run(runner, *args, "--archive", copy)
        codes.append(res.exit_code)
        assert res.exit_code in (0, 4), (args, res.stderr)
        if res.exit_code == 4:
            assert "damaged" in res.stderr and "cannot read 'Tito'" not in res.stderr
            assert "internal error" not in res.stderr
    assert 4 in codes
    res = run(runner, "ingest", "--archive", copy, FRUS_DIR)
    assert res.exit_code in (0, 1, 4) and "internal error" not in res.stderr
    if table == "records":
        assert res.exit_code == 4 and digest(copy) == before


def test_a_damaged_search_index_is_not_blamed_on_the_query(runner, copy):
    db = sqlite3.connect(copy)
    db.execute("UPDATE records_fts_config SET v = 99 WHERE k = 'version'")
    db.commit()
    db.close()
    res = run(runner, "search", "Tito", "--archive", copy)
    assert res.exit_code == ExitCode.ARCHIVE_DAMAGED == 4
    assert "search index is damaged" in res.stderr and "cannot read" not in res.stderr
    assert run(runner, "list", "--archive", copy).exit_code == 0


def test_a_bad_query_on_a_healthy_archive_is_still_the_query(runner, copy):
    res = run(runner, "search", '"Tito', "--archive", copy)
    assert res.exit_code == 2 and "unbalanced quote" in res.stderr


# -- busy -----------------------------------------------------------------------------------


def test_a_held_write_lock_is_named_busy(copy):
    holder = sqlite3.connect(copy, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        other = sqlite3.connect(copy, timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError) as caught:
            other.execute("BEGIN IMMEDIATE")
        other.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    err = classify(caught.value, copy)
    assert isinstance(err, ArchiveBusyError) and err.exit_code == ExitCode.ARCHIVE_BUSY == 6
    assert "another process holds the archive" in str(err)


# -- files that are no archive --------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [b"", b"these are my notes\n", b"SQLite"],
    ids=["empty", "text", "short"],
)
def test_a_file_that_is_not_an_archive_is_never_made_one(runner, tmp_path, content):
    path = tmp_path / "notes.sqlite"
    path.write_bytes(content)
    for args in (["ingest", ONE_NEW_DOCUMENT], ["list"], ["search", "Tito"]):
        res = run(runner, *args, "--archive", path)
        assert res.exit_code == 1 and "not an archive" in res.stderr, (args, res.stderr)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite"]


def test_another_programs_database_is_left_alone(runner, tmp_path):
    path = tmp_path / "other.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE bookmarks (url TEXT)")
    db.commit()
    db.close()
    before = digest(path)
    for args in (["ingest", ONE_NEW_DOCUMENT], ["list"]):
        res = run(runner, *args, "--archive", path)
        assert res.exit_code == 1 and "not an archivetool archive" in res.stderr
    assert digest(path) == before


def test_a_new_archive_appears_whole_and_leaves_nothing_beside_it(runner, tmp_path):
    path = tmp_path / "sub" / "new.sqlite"
    assert run(runner, "ingest", "--archive", path, ONE_NEW_DOCUMENT).exit_code == 0
    assert sorted(p.name for p in path.parent.iterdir()) == ["new.sqlite"]
    assert path.read_bytes()[:16] == b"SQLite format 3\x00"


# -- export --output ------------------------------------------------------------------------


def test_export_into_a_folder_that_cannot_be_written_is_no_usage_error(
    runner, copy, tmp_path, immutable
):
    folder = tmp_path / "locked"
    folder.mkdir()
    immutable(folder)
    res = run(runner, "export", "--output", folder / "out.jsonl", "--archive", copy)
    assert res.exit_code == ExitCode.FAILED == 1 and "cannot write" in res.stderr
    res = run(runner, "export", "--output", tmp_path / "missing" / "out.jsonl", "--archive", copy)
    assert res.exit_code == 1 and "cannot write" in res.stderr


def test_stale_partial_exports_are_cleaned(runner, copy, tmp_path):
    out = tmp_path / "out.jsonl"
    dead = subprocess.Popen(["true"])
    dead.wait()  # a pid that no longer runs, as a killed export's
    stale = [tmp_path / f".out.jsonl.{dead.pid}.partial", tmp_path / ".out.jsonl.partial"]
    running = tmp_path / f".out.jsonl.{os.getppid()}.partial"  # an export still running
    for p in [*stale, running]:
        p.write_text('{"half": ')
    res = run(runner, "export", "--output", out, "--archive", copy)
    assert res.exit_code == 0, res.stderr
    assert not any(p.exists() for p in stale) and running.exists()
    assert len(out.read_text().splitlines()) == SOURCE_RECORDS


def test_a_failure_that_names_no_state_of_the_archive_stays_a_bug(tmp_path):
    db = sqlite3.connect(tmp_path / "x.sqlite")
    db.execute("CREATE TABLE t (a PRIMARY KEY)")
    db.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(sqlite3.IntegrityError) as caught:
        db.execute("INSERT INTO t VALUES (1)")
    db.close()
    assert classify(caught.value, tmp_path / "x.sqlite", known_only=True) is None


def test_leftovers_of_a_killed_creation_are_removed_and_a_running_ones_kept(runner, tmp_path):
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = [tmp_path / f".a.sqlite.{dead.pid}.new{x}" for x in ("", "-wal", "-shm")]
    running = tmp_path / f".a.sqlite.{os.getppid()}.new"
    mine = tmp_path / ".a.sqlite.new"  # not named after a process: not ours to remove
    for p in [*stale, running, mine]:
        p.write_bytes(b"half")
    assert (
        run(runner, "ingest", "--archive", tmp_path / "a.sqlite", ONE_NEW_DOCUMENT).exit_code == 0
    )
    assert not any(p.exists() for p in stale) and running.exists() and mine.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through chmod; the mounts prove it")
def test_every_reading_command_works_on_a_chmod_read_only_archive(runner, copy):
    before = digest(copy)
    copy.chmod(0o444)
    copy.parent.chmod(0o555)
    try:
        _readers_work(runner, copy)
        res = run(runner, "ingest", "--archive", copy, ONE_NEW_DOCUMENT)
        assert res.exit_code == 5, res.stderr
    finally:
        copy.parent.chmod(0o755)
        copy.chmod(0o644)
    assert digest(copy) == before


@pytest.mark.skipif(os.geteuid() != 0, reason="the test above does it as this user")
def test_as_another_user_a_chmod_read_only_archive_is_read(runner, built):
    """As root, chmod binds nobody but other users: a child process becomes nobody (after
    loading what the commands import) and reads a 444 archive in a 555 folder. This is the
    case where SQLite answers READONLY, not CANTOPEN, for the missing -shm."""
    import codecs
    import tempfile

    for args in READERS:
        run(runner, *args, "--archive", built)
    codecs.lookup("utf-8-sig")
    with tempfile.TemporaryDirectory() as tmp:  # pytest's own folder is closed to nobody
        folder = Path(tmp) / "archive"
        folder.mkdir()
        copy = folder / "a.sqlite"
        shutil.copy(built, copy)
        for p in (Path(tmp), folder, copy):
            os.chown(p, 65534, 65534)
        before = digest(copy)
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(read)
                os.setgid(65534)
                os.setuid(65534)
                copy.chmod(0o444)
                folder.chmod(0o555)
                codes = [run(runner, *a, "--archive", copy).exit_code for a in READERS]
                codes.append(run(runner, "ingest", "--archive", copy, ONE_NEW_DOCUMENT).exit_code)
                os.write(write, repr(codes).encode())
            except BaseException as exc:  # reported by the parent
                os.write(write, repr(exc).encode())
            finally:
                os._exit(0)
        os.close(write)
        os.waitpid(pid, 0)
        got = os.read(read, 65536).decode()
        os.close(read)
        folder.chmod(0o755)
        assert got == repr([0] * len(READERS) + [5])
        assert digest(copy) == before


def test_an_export_onto_a_full_disk_leaves_the_earlier_file_and_no_partial(runner, built, tmp_path):
    small = tmp_path / "small"
    small.mkdir()
    if not _sh("mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(small)):
        pytest.skip("cannot mount a small tmpfs here")
    try:
        out = small / "all.jsonl"
        out.write_text("earlier export\n")
        res = run(runner, "export", "--archive", built, "--output", out)
        assert res.exit_code == 1 and "cannot write" in res.stderr, res.stderr
        assert "No space left" in res.stderr and "internal error" not in res.stderr
        assert out.read_text() == "earlier export\n"
        assert sorted(p.name for p in small.iterdir()) == ["all.jsonl"]
    finally:
        _umount(small)
