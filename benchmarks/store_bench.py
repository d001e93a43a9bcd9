"""Benchmark: ingest throughput and search latency, SQLite beside another archive location.

    .venv/bin/python benchmarks/store_bench.py --archive postgresql://localhost/bench
    .venv/bin/python benchmarks/store_bench.py --start-cluster
    .venv/bin/python benchmarks/store_bench.py --documents 2000 --search-documents 5000

Two archives are built side by side in one run, the phases alternated between them: an SQLite
file in a temporary folder, and the archive at ``--archive`` (any location archivetool opens:
an SQLite path, or a ``postgresql://`` URL with the PostgreSQL backend; it must be empty, and
a server's database must exist). Without ``--archive`` the second is another temporary SQLite
file, so the run compares SQLite with itself (the spread between the two is the noise).
``--start-cluster`` starts a throwaway PostgreSQL server for the run instead (pg_server.py:
the server programs of the Debian package, fsync on, ``synchronous_commit = off`` as SQLite's
``synchronous = NORMAL``) and compares SQLite with it.

1. ingest, 1 writer: ``--documents`` varied documents (ingest_bench's ``write_corpus``) as
   text files, one ``archivetool ingest`` into the empty archive, ``--jobs`` workers.
2. ingest, 4 writers: as many other documents (another seed), split in four quarters, four
   ``archivetool ingest`` processes at once (``--jobs 1`` each), each taking one quarter;
   with ``--overlap`` each takes two neighbouring quarters (overlapping halves: every
   document is ingested by two writers at once, and must be stored once). The archive holds
   the first phase's records meanwhile.
3. search: the archive filled up to ``--search-documents`` records with search_bench's
   builder (varied copies through the real pipeline, in-process), then search_bench's 20
   queries, ``--rounds`` each after a warm-up round, the two archives alternated query by
   query, in this process: median and 95th percentile of all the timings.

Each line gives one figure for both sides. Documents/s counts the input files over the
wall time from the first writer's start to the last one's end; the record counts after each
phase show that both sides stored the same (nothing lost, nothing doubled).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest_bench import _env, tool, write_corpus  # noqa: E402
from pg_server import server  # noqa: E402
from search_bench import QUERIES, generate, percentile  # noqa: E402

import archivetool as at  # noqa: E402
from archivetool.ingest import store_outcomes  # noqa: E402
from archivetool.pipeline import process_source  # noqa: E402
from archivetool.search import search  # noqa: E402
from archivetool.settings import location_scheme, masked  # noqa: E402

WRITERS = 4
T = TypeVar("T")


def count(location: str) -> int:
    if not location_scheme(location) and not Path(location).exists():
        return 0
    # a server's empty database is made an archive (migrated) here, as ingest would
    with at.open_archive(location, readonly=not location_scheme(location)) as archive:
        return int(archive.count())


def ingest(location: str, folders: list[Path], jobs: int) -> float:
    """Wall seconds for one ``archivetool ingest`` per folder, all started at once."""
    exe = tool("archivetool")
    start = time.perf_counter()
    procs = [
        subprocess.Popen(
            [exe, "-q", "ingest", "--archive", location, "--jobs", str(jobs), str(folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=_env(),
        )
        for folder in folders
    ]
    errors = [(p, p.communicate()[1]) for p in procs]
    seconds = time.perf_counter() - start
    for proc, err in errors:
        if proc.returncode != 0:
            sys.exit(f"archivetool ingest into {masked(location)} exited {proc.returncode}:\n"
                     f"{err.decode()[-2000:]}")  # fmt: skip
    return seconds


def server_version(location: str) -> str:
    """The server's version and the settings that weigh on writes."""
    import psycopg

    with psycopg.connect(location) as db:
        shown = [str(db.execute(f"SHOW {name}").fetchone()[0])  # type: ignore[index]
                 for name in ("server_version", "fsync", "synchronous_commit", "shared_buffers")]  # fmt: skip
    version, fsync, commit, buffers = shown
    return (f"PostgreSQL {version.split()[0]} on this machine (fsync {fsync}, "
            f"synchronous_commit {commit}, shared_buffers {buffers})")  # fmt: skip


def split(corpus: Path, into: Path, overlap: bool) -> list[Path]:
    """The corpus's files in four folders (hard links): quarters, or overlapping halves."""
    files = sorted(corpus.iterdir())
    quarters = [files[k::WRITERS] for k in range(WRITERS)]
    folders = []
    for k in range(WRITERS):
        folder = into / f"writer{k}"
        folder.mkdir(parents=True)
        mine = quarters[k] + (quarters[(k + 1) % WRITERS] if overlap else [])
        for f in mine:
            os.link(f, folder / f.name)
        folders.append(folder)
    return folders


def fill(location: str, target: int) -> int:
    """Records added with search_bench's builder until the archive holds ``target``."""
    have = count(location)
    if have >= target:
        return 0
    with at.open_archive(location) as archive:
        report = store_outcomes(archive, (process_source(r) for r in generate(target - have)))
    return int(report.counts["ingested"])


def timings(locations: list[str], rounds: int) -> list[list[float]]:
    """Milliseconds of every query round on each archive, the archives taken in turn."""
    out: list[list[float]] = [[] for _ in locations]
    with ExitStack() as stack:
        archives = [stack.enter_context(at.open_archive(loc, readonly=True)) for loc in locations]
        for query, filters in QUERIES:  # warm-up round
            for archive in archives:
                search(archive, query, filters)
        for query, filters in QUERIES:
            for r in range(rounds):
                for k, archive in alternate(archives, r):
                    s = time.perf_counter()
                    search(archive, query, filters)
                    out[k].append((time.perf_counter() - s) * 1000)
    return out


def sides(names: list[str], values: list[str]) -> str:
    return " | ".join(f"{n} {v}" for n, v in zip(names, values, strict=True))


def alternate(items: list[T], phase: int) -> Iterator[tuple[int, T]]:
    """Both sides with their index, the first going first in even phases, second in odd."""
    order = list(enumerate(items))
    yield from order if phase % 2 == 0 else order[::-1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--archive", help="the location beside SQLite (default: SQLite again)")
    ap.add_argument("--start-cluster", action="store_true",
                    help="start a throwaway PostgreSQL server and use it as --archive")  # fmt: skip
    ap.add_argument("--documents", type=int, default=20_000, help="documents each ingest phase")
    ap.add_argument("--search-documents", type=int, default=100_000,
                    help="records in the archive when searched")  # fmt: skip
    ap.add_argument("--rounds", type=int, default=5, help="times each query runs on each side")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="ingest --jobs of the single writer (default: the cores)")  # fmt: skip
    ap.add_argument("--overlap", action="store_true",
                    help="4 writers on overlapping halves instead of quarters")  # fmt: skip
    args = ap.parse_args(argv)
    if args.start_cluster:
        if args.archive:
            ap.error("--start-cluster makes the archive: give it without --archive")
        with server() as url:
            args.archive = url
            return run(args, "postgresql")
    return run(args)


def run(args: argparse.Namespace, label: str | None = None) -> int:
    with tempfile.TemporaryDirectory(prefix="store-bench-") as tmp:
        work = Path(tmp)
        locations = [str(work / "sqlite.sqlite"), args.archive or str(work / "sqlite-2.sqlite")]
        names = ["sqlite", label or (masked(args.archive) if args.archive else "sqlite again")]
        held = count(locations[1])
        if held:
            sys.exit(f"{names[1]}: holds {held} records already; give an empty archive")
        width = max(map(len, names))
        names = [n.ljust(width) for n in names]
        print(f"store benchmark {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, load "
              f"average {os.getloadavg()[0]:.1f}: {args.documents} documents per ingest phase, "
              f"{args.search_documents} searched", flush=True)  # fmt: skip
        if location_scheme(locations[1]):
            print(f"beside SQLite: {server_version(locations[1])}", flush=True)
        first, second = work / "first", work / "second"
        write_corpus(first, args.documents, seed=1948)
        write_corpus(second, args.documents, seed=1949)
        halves = "overlapping halves" if args.overlap else "a quarter each"
        folders = split(second, work / "split", args.overlap)

        for phase, (label, inputs, jobs) in enumerate([
            ("ingest, 1 writer", [first], args.jobs),
            (f"ingest, {WRITERS} writers ({halves})", folders, 1),
        ]):  # fmt: skip
            seconds, stored = [0.0, 0.0], [0, 0]
            for k, loc in alternate(locations, phase):
                seconds[k] = ingest(loc, inputs, jobs)
                stored[k] = count(loc)
            print(f"{label:<40} " + sides(names, [
                f"{s:7.1f} s {args.documents / s:6.0f} docs/s ({n} records)"
                for s, n in zip(seconds, stored, strict=True)]), flush=True)  # fmt: skip

        start = time.perf_counter()
        for _, loc in alternate(locations, 0):
            fill(loc, args.search_documents)
        stored = [count(loc) for loc in locations]
        print(f"{'archives filled for search':<40} "
              + sides(names, [f"{n} records" for n in stored])
              + f" ({time.perf_counter() - start:.0f} s)", flush=True)  # fmt: skip
        times = timings(locations, args.rounds)
        for label, figure in (
            ("search median", statistics.median),
            ("search p95", lambda ms: percentile(ms, 95)),
        ):
            print(f"{label + f' ({len(QUERIES)} queries × {args.rounds})':<40} "
                  + sides(names, [f"{figure(ms):7.1f} ms" for ms in times]), flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
