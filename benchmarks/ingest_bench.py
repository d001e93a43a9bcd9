"""Benchmark: archivetool side by side with sqlite-utils and check-jsonschema, in one run.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/ingest_bench.py --files 20000

Writes N varied copies of the bundled documents (``sources/``, ``tests/data``: other
file-number items, numbers, dates, names and a paragraph each, as in search_bench.py) as
text files into a temporary folder, then times, alternating the two sides round by round:

- ``archivetool ingest`` into a new archive against ``sqlite-utils insert-files --text`` and
  ``sqlite-utils enable-fts`` on the same files (a store that parses nothing);
- ``archivetool ingest`` again on the same files, all unchanged, against the first ingest;
- ``archivetool export --format jsonl`` of the archive against ``sqlite-utils rows --nl``;
- ``archivetool validate`` on the text files against ``check-jsonschema`` on the records
  extracted from them (one JSON file per record, checked against the shipped schemas);
- ``archivetool --version`` / ``--help`` against ``sqlite-utils --version`` / ``--help``.

Each figure is the median of the rounds; peak memory is the largest resident set of the
commands of one side (from the kernel's accounting of each child process).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_bench import _vocabulary, vary  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@dataclass
class Run:
    seconds: float
    peak_mib: float
    cpu: float = 0.0  # user + system seconds of the processes (workers included)


def tool(name: str) -> str:
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if not found:
        sys.exit(f"{name} is not installed: pip install -e '.[bench]'")
    return found


def run(*commands: list[str], cwd: Path | None = None, ok: tuple[int, ...] = (0,)) -> Run:
    """Run commands one after the other; their wall time added, their largest resident set."""
    seconds = 0.0
    peak = 0
    cpu = 0.0
    for cmd in commands:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env()
        )
        assert proc.stderr is not None
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds += time.perf_counter() - start
        if proc.returncode not in ok:
            sys.exit(f"{' '.join(cmd[:3])} … exited {proc.returncode}:\n{err.decode()[-2000:]}")
        peak = max(peak, usage.ru_maxrss)  # KiB on Linux
        cpu += usage.ru_utime + usage.ru_stime
    return Run(seconds, peak / 1024, cpu)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("ARCHIVETOOL_ARCHIVE", None)
    env["NO_COLOR"] = "1"
    return env


def bases() -> list[str]:
    paths = sorted((ROOT / "sources").glob("*.txt"))
    paths += sorted((ROOT / "tests" / "data" / "frus").glob("*.txt"))
    paths += sorted((ROOT / "tests" / "data" / "ceeol").glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths]


def write_corpus(folder: Path, n: int, seed: int = 1948) -> None:
    rng = random.Random(seed)
    texts = bases()
    words, names = _vocabulary(texts)
    folder.mkdir(parents=True)
    for i in range(n):
        text = vary(texts[i % len(texts)], i, rng, words, names)
        (folder / f"{i:06d}.txt").write_text(text, encoding="utf-8")


def median(runs: list[Run]) -> Run:
    return Run(
        statistics.median(r.seconds for r in runs),
        max(r.peak_mib for r in runs),
        statistics.median(r.cpu for r in runs),
    )


def line(label: str, n: int, ours: Run, theirs: Run, their_name: str) -> str:
    rate = f"{n / ours.seconds:6.0f} docs/s" if n else ""
    their_rate = f"{n / theirs.seconds:6.0f} docs/s" if n else ""
    return (
        f"{label:<20} archivetool {ours.seconds:7.3f} s {rate} {ours.peak_mib:4.0f} MiB "
        f"(cpu {ours.cpu:6.2f} s) | {their_name} {theirs.seconds:7.3f} s {their_rate} "
        f"{theirs.peak_mib:4.0f} MiB (cpu {theirs.cpu:6.2f} s) | "
        f"ratio {ours.seconds / theirs.seconds:5.2f}×"
    )


def split_records(jsonl: Path, out: Path) -> dict[str, list[str]]:
    """One JSON file per extracted record, grouped by kind (each kind has its own schema)."""
    out.mkdir()
    by_kind: dict[str, list[str]] = {}
    with jsonl.open(encoding="utf-8") as fh:
        for i, row in enumerate(fh):
            record = json.loads(row)
            name = f"{i:06d}.json"
            (out / name).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
            by_kind.setdefault(record["kind"], []).append(name)
    return by_kind


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=20_000, help="how many text files")
    ap.add_argument("--rounds", type=int, default=3, help="alternated runs of each side")
    ap.add_argument("--jobs", type=int, help="archivetool ingest --jobs (default: its own)")
    ap.add_argument(
        "--skip", default="", help="comma-separated: ingest,reingest,export,validate,cli"
    )
    args = ap.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    at, su, cj = tool("archivetool"), tool("sqlite-utils"), tool("check-jsonschema")
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    n = args.files
    print(f"{n} files, {args.rounds} rounds alternated, {os.cpu_count()} cores, "
          f"{time.strftime('%Y-%m-%d')}, load average {os.getloadavg()[0]:.1f}",
          flush=True)  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="ingest-bench-") as tmp:
        work = Path(tmp)
        corpus = work / "docs"
        start = time.perf_counter()
        write_corpus(corpus, n)
        print(f"corpus written in {time.perf_counter() - start:.1f} s", flush=True)
        archive = work / "archive.sqlite"
        db = work / "files.db"

        def fresh(*paths: Path) -> None:
            for p in paths:
                for q in (p, p.with_name(p.name + "-wal"), p.with_name(p.name + "-shm")):
                    q.unlink(missing_ok=True)

        if not {"ingest", "reingest"} <= skip:
            ours, theirs, again = [], [], []
            for _ in range(args.rounds):
                fresh(archive)
                ours.append(run([at, "-q", "ingest", str(corpus), "-a", str(archive), *jobs]))
                if "reingest" not in skip:
                    again.append(run([at, "-q", "ingest", str(corpus), "-a", str(archive), *jobs]))
                fresh(db)
                theirs.append(run(
                    [su, "insert-files", str(db), "files", str(corpus), "--text", "--silent"],
                    [su, "enable-fts", str(db), "files", "content"],
                ))  # fmt: skip
            print(line("ingest", n, median(ours), median(theirs), "sqlite-utils"), flush=True)
            if "export" not in skip:  # the archive and the database of the last round
                ex_ours, ex_theirs = [], []
                for _ in range(args.rounds):
                    ex_ours.append(run([at, "export", "-f", "jsonl", "-a", str(archive)]))
                    ex_theirs.append(run([su, "rows", str(db), "files", "--nl"]))
                export_line = line("export jsonl", n, median(ex_ours), median(ex_theirs),
                                   "sqlite-utils rows")  # fmt: skip
            if again:
                first, re_run = median(ours), median(again)
                print(
                    f"{'re-ingest unchanged':<20} archivetool {re_run.seconds:7.3f} s "
                    f"{n / re_run.seconds:6.0f} docs/s {re_run.peak_mib:4.0f} MiB "
                    f"(cpu {re_run.cpu:6.2f} s) | first ingest {first.seconds:7.3f} s | "
                    f"{first.seconds / re_run.seconds:5.1f}× faster",
                    flush=True,
                )
            if "export" not in skip:
                print(export_line, flush=True)
        if "validate" not in skip:
            extracted = work / "records.jsonl"
            with extracted.open("w") as fh:
                subprocess.run([at, "extract", "--format", "jsonl", str(corpus)], stdout=fh,
                               stderr=subprocess.DEVNULL, env=_env(), check=False)  # fmt: skip
            records = work / "records"
            by_kind = split_records(extracted, records)
            schemas = work / "schemas"
            schemas.mkdir()
            checks = []
            for kind, names in sorted(by_kind.items()):
                schema = schemas / f"{kind}.json"
                with schema.open("w") as fh:
                    subprocess.run([at, "schema", kind], stdout=fh, env=_env(), check=True)
                checks.append([cj, "--schemafile", str(schema), *names])
            ours, theirs = [], []
            for _ in range(args.rounds):
                ours.append(run([at, "validate", "-f", "json", str(corpus)], ok=(0, 1)))
                theirs.append(run(*checks, cwd=records))
            count = sum(map(len, by_kind.values()))
            print(line("validate", count, median(ours), median(theirs), "check-jsonschema"),
                  flush=True)  # fmt: skip
        if "cli" not in skip:
            for flag in ("--version", "--help"):
                ours, theirs = [], []
                for _ in range(max(10, args.rounds)):
                    ours.append(run([at, flag]))
                    theirs.append(run([su, flag]))
                print(line(flag, 0, median(ours), median(theirs), "sqlite-utils"), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
