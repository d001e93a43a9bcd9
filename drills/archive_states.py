"""Drill: an archive in every state, at a size the test suite does not reach.

    .venv/bin/python drills/archive_states.py --documents 2000

Builds an archive of varied copies of the bundled documents (benchmarks/search_bench.py's
generator, through the real pipeline), then runs the installed command as a person would,
in separate processes, against the archive made

  read-only    through a read-only bind mount (a read-only filesystem), an immutable file
               and an immutable folder (chattr +i), and chmod 444/555 as the user nobody:
               every reading command must exit 0 with output, ingest must exit 5, the file
               must not change;
  full         on a tmpfs with little room: ingest of more documents must exit 3 with one
               line, the archive must pass integrity_check and keep every record it held;
  damaged      with a page of the records table, the search index or the filter table
               overwritten: every command exits 0 or 4, never 'internal error', and search
               never blames the query;
  no archive   an empty file and a text file given as --archive: refused, left as they are;
  killed       export --output killed with SIGKILL while writing: the earlier complete file
               is left as it was, and the next export removes the stale partial file.

Each line reports what was expected and what was found; the exit status is 1 if any check
failed. Needs root (mount, chattr); the parts it cannot do are reported as skipped.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from search_bench import generate  # noqa: E402

from archivetool.ingest import store_outcomes  # noqa: E402
from archivetool.pipeline import process_source  # noqa: E402
from archivetool.store import Archive  # noqa: E402

READERS = [
    ["list"], ["list", "--format", "csv"], ["search", "Tito"], ["search", "Yugoslav*", "--kind", "frus"],
    ["export"], ["export", "--format", "dc"], ["stats"], ["persons"],
]  # fmt: skip
FAILURES: list[str] = []


def cli(*args: object, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "archivetool", *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def sh(*cmd: str) -> bool:
    return subprocess.run(cmd, capture_output=True).returncode == 0


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check(label: str, ok: bool, found: str) -> None:
    print(f"  {'ok  ' if ok else 'FAIL'} {label}: {found}")
    if not ok:
        FAILURES.append(label)


def count(path: Path) -> int:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(db.execute("SELECT count(*) FROM records").fetchone()[0])
    finally:
        db.close()


def integrity(path: Path) -> str:
    db = sqlite3.connect(path)
    try:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        db.close()


def build(path: Path, n: int) -> None:
    with Archive(path) as archive:
        store_outcomes(archive, (process_source(raw) for raw in generate(n)))


def write_inputs(folder: Path, n: int, seed: int) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    for i, raw in enumerate(generate(n, seed=seed)):
        (folder / f"doc{i:06d}.txt").write_text(raw.text, encoding="utf-8")
    return n


def readers_work(label: str, archive: Path, original: Path) -> None:
    before = digest(original)
    results = [(args, cli(*args, "--archive", archive)) for args in READERS]
    bad = [(a, r.returncode, r.stderr.strip()[:120]) for a, r in results
           if r.returncode != 0 or not r.stdout.strip()]  # fmt: skip
    check(f"{label}: {len(READERS)} reading commands exit 0 with output", not bad,
          f"{len(READERS) - len(bad)} of {len(READERS)}" + (f" {bad[:2]}" if bad else ""))  # fmt: skip
    res = cli(
        "ingest", "--archive", archive, ROOT / "tests" / "data" / "frus" / "frus1943v06_d192.txt"
    )
    check(f"{label}: ingest exits 5 with one line", res.returncode == 5
          and len(res.stderr.strip().splitlines()) == 1, f"exit {res.returncode}: {res.stderr.strip()[:100]}")  # fmt: skip
    check(f"{label}: the archive file is unchanged", digest(original) == before, "sha256 compared")


def drill_read_only(work: Path, built: Path) -> None:
    print("read-only")
    folder = work / "ro-src"
    folder.mkdir()
    shutil.copy(built, folder / "a.sqlite")
    view = work / "ro-view"
    view.mkdir()
    if sh("mount", "--bind", "-o", "ro", str(folder), str(view)):
        try:
            readers_work("read-only filesystem", view / "a.sqlite", folder / "a.sqlite")
        finally:
            sh("umount", str(view)) or sh("umount", "-l", str(view))
    else:
        print("  skipped: read-only bind mount (needs root and CAP_SYS_ADMIN)")
    archive = folder / "a.sqlite"
    if sh("chattr", "+i", str(archive)):
        try:
            readers_work("immutable file", archive, archive)
        finally:
            sh("chattr", "-i", str(archive))
        for p in folder.glob("a.sqlite-*"):
            p.unlink()
        if sh("chattr", "+i", str(folder)):
            try:
                readers_work("immutable folder", archive, archive)
            finally:
                sh("chattr", "-i", str(folder))
    else:
        print("  skipped: chattr +i")


def drill_chmod(work: Path, built: Path) -> None:
    """chmod binds only other users: as root, a child drops to nobody and reads in-process
    (the interpreter may live where nobody can run it, so no new process is started)."""
    print("chmod read-only (as nobody)")
    if os.geteuid() != 0:
        print("  skipped: needs root to become nobody (as another user, the tests do it)")
        return
    import codecs

    from typer.testing import CliRunner

    from archivetool.cli import app

    work.chmod(0o755)  # the temporary folder is root's own: let nobody through
    folder = work / "chmod"
    folder.mkdir()
    archive = folder / "a.sqlite"
    shutil.copy(built, archive)
    runner = CliRunner()
    for args in READERS:  # every module a command imports, loaded while it still can be
        runner.invoke(app, [*args, "--archive", str(built)])
    codecs.lookup("utf-8-sig")
    os.chown(folder, 65534, 65534)
    os.chown(archive, 65534, 65534)
    before = digest(archive)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: nobody, a read-only file in a read-only folder
        try:
            os.close(read)
            os.setgid(65534)
            os.setuid(65534)
            archive.chmod(0o444)
            folder.chmod(0o555)
            codes = [runner.invoke(app, [*a, "--archive", str(archive)]).exit_code for a in READERS]
            res = runner.invoke(app, ["ingest", "--archive", str(archive), str(ROOT / "sources")])
            os.write(write, f"{codes} {res.exit_code}".encode())
        except BaseException as exc:  # reported by the parent
            os.write(write, f"{type(exc).__name__}:{exc} -".encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    codes, ingest = os.read(read, 4096).decode().rsplit(" ", 1)
    os.close(read)
    folder.chmod(0o755)
    check(
        "chmod 444 file in a 555 folder: every reading command exits 0",
        codes == str([0] * len(READERS)),
        codes,
    )
    check("chmod 444 file in a 555 folder: ingest exits 5", ingest == "5", f"exit {ingest}")
    check(
        "chmod 444 file in a 555 folder: the archive file is unchanged",
        digest(archive) == before,
        "sha256 compared",
    )


def drill_full_disk(work: Path, built: Path, more: int) -> None:
    print("full disk")
    small = work / "small"
    small.mkdir()
    size = built.stat().st_size + 256 * 1024
    if not sh("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(small)):
        print("  skipped: tmpfs mount")
        return
    try:
        archive = small / "a.sqlite"
        shutil.copy(built, archive)
        held = count(archive)
        inputs = work / "more"
        write_inputs(inputs, more, seed=1948)
        t = time.monotonic()
        res = cli("ingest", "--archive", archive, inputs)
        print(
            f"  ingest of {more} documents into {size // 1024} KiB took {time.monotonic() - t:.1f} s"
        )
        check("ingest exits 3 with 'the disk is full'",
              res.returncode == 3 and "the disk is full" in res.stderr
              and "internal error" not in res.stderr,
              f"exit {res.returncode}: {res.stderr.strip().splitlines()[-1][:110]}")  # fmt: skip
        check("integrity_check", integrity(archive) == "ok", integrity(archive))
        after = count(archive)
        check("records held before are all there (lost: 0)", after >= held,
              f"before {held}, after {after}, lost {max(0, held - after)}")  # fmt: skip
        res = cli("list", "--archive", archive, "--format", "jsonl")
        check("the full archive still reads", res.returncode == 0
              and len(res.stdout.splitlines()) == after, f"{len(res.stdout.splitlines())} listed")  # fmt: skip
    finally:
        sh("umount", str(small)) or sh("umount", "-l", str(small))


def drill_damaged(work: Path, built: Path) -> None:
    print("damaged")
    for table in ("records", "records_fts_data", "facets"):
        archive = work / f"damaged-{table}.sqlite"
        shutil.copy(built, archive)
        db = sqlite3.connect(archive)
        (page,) = db.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        db.close()
        with archive.open("r+b") as fh:
            fh.seek((page - 1) * page_size)
            fh.write(b"\xff" * page_size)
        before = digest(archive)
        codes = []
        blamed = internal = 0
        for args in [*READERS, ["ingest", ROOT / "sources"]]:
            res = cli(*args, "--archive", archive)
            codes.append(res.returncode)
            blamed += "cannot read 'Tito'" in res.stderr or "cannot read 'Yugoslav" in res.stderr
            internal += "internal error" in res.stderr
        check(f"{table} page overwritten: exits only 0 or 4, no internal error, no blamed query",
              set(codes) <= {0, 4} and 4 in codes and not blamed and not internal,
              f"exit codes {sorted(set(codes))}, internal errors {internal}, blamed {blamed}")  # fmt: skip
        if table == "records":
            check("records page overwritten: the file is left as it was", digest(archive) == before,
                  "sha256 compared")  # fmt: skip


def drill_not_an_archive(work: Path) -> None:
    print("no archive")
    for name, content in (("empty.sqlite", b""), ("notes.sqlite", b"my notes\n")):
        path = work / name
        path.write_bytes(content)
        codes = [
            cli(*a, "--archive", path).returncode for a in (["ingest", ROOT / "sources"], ["list"])
        ]
        check(f"{name}: refused and left as it is", codes == [1, 1] and path.read_bytes() == content,
              f"exit codes {codes}, {path.stat().st_size} bytes")  # fmt: skip


def drill_killed_export(work: Path, built: Path) -> None:
    print("killed export")
    out = work / "export" / "all.jsonl"
    out.parent.mkdir()
    res = cli("export", "--archive", built, "--output", out)
    complete = out.read_bytes()
    lines = len(complete.splitlines())
    check(
        "a first export completes", res.returncode == 0 and lines == count(built), f"{lines} lines"
    )
    cmd = [
        sys.executable,
        "-m",
        "archivetool",
        "export",
        "--archive",
        str(built),
        "--output",
        str(out),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    partial = out.with_name(f".{out.name}.{proc.pid}.partial")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (partial.exists() and partial.stat().st_size > 0):
        time.sleep(0.005)
    written = partial.stat().st_size if partial.exists() else 0
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    check("killed while writing: the earlier file is left as it was",
          out.read_bytes() == complete, f"killed after {written} bytes of the partial file")  # fmt: skip
    res = cli("export", "--archive", built, "--output", out)
    stale = sorted(p.name for p in out.parent.iterdir() if p.name.endswith(".partial"))
    check("the next export removes the stale partial file and completes",
          res.returncode == 0 and not stale and len(out.read_bytes().splitlines()) == lines,
          f"partial files left: {stale or 'none'}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=2000, help="documents in the archive")
    parser.add_argument("--more", type=int, default=2000, help="documents ingested on a full disk")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="archive-states-") as tmp:
        work = Path(tmp)
        built = work / "built.sqlite"
        t = time.monotonic()
        build(built, args.documents)
        print(f"built {count(built)} records in {time.monotonic() - t:.1f} s, "
              f"{built.stat().st_size // 1024} KiB")  # fmt: skip
        drill_read_only(work, built)
        drill_chmod(work, built)
        drill_full_disk(work, built, args.more)
        drill_damaged(work, built)
        drill_not_an_archive(work)
        drill_killed_export(work, built)
    print("all checks passed" if not FAILURES else f"{len(FAILURES)} checks failed: {FAILURES}")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
