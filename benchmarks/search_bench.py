"""Benchmark: build a large archive from the bundled corpus and time searches in-process.

    .venv/bin/python benchmarks/search_bench.py --documents 100000

Every document is a varied copy of a real one from tests/data (another file-number item,
telegram number and date, some names swapped, a paragraph of the corpus's own words added),
so no two are alike, and each goes through the real pipeline: parse, enrich, validate,
store and index, in batched transactions. Then a fixed set of queries runs in this process
against the archive, several rounds each, and the median and 95th percentile are reported
with the archive's size on disk and the peak memory of the whole run.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from archivetool.ingest import store_outcomes
from archivetool.pipeline import process_source
from archivetool.search import SearchFilters, index_query, parse_query, search
from archivetool.searchindex import WEIGHTS
from archivetool.sources import RawSource
from archivetool.store import Archive

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"

QUERIES: list[tuple[str, SearchFilters]] = [
    ("Mihailovic", SearchFilters()),
    ("Tito", SearchFilters()),
    ("Stalin", SearchFilters()),
    ('"civil war"', SearchFilters()),
    ("Partisan*", SearchFilters()),
    ("Tito AND Stalin", SearchFilters()),
    ("Shah OR Iran", SearchFilters()),
    ("telegram NOT despatch", SearchFilters()),
    ("nedic", SearchFilters()),
    ("sugar", SearchFilters()),
    ('"Secretary of State"', SearchFilters()),
    ('"Foreign Office"', SearchFilters()),
    ("Yugoslavia", SearchFilters()),
    ("Kabul", SearchFilters()),
    ("Soviet NOT Chinese", SearchFilters()),
    ("government", SearchFilters(kind="frus-document", date_from="1943", date_to="1948")),
    ("Embassy", SearchFilters(place="Tehran")),
    ("Yugoslav*", SearchFilters(file_number="860H")),
    ("history", SearchFilters(kind="bibliographic-record", language="Serbian")),
    ("Stalin", SearchFilters(author="Popovic")),
]

_DATE = re.compile(
    r"(January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+(\d{1,2}),\s*(1[89]\d\d)"
)


def _bases() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((DATA / "frus").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((DATA / "ceeol").glob("*.txt"))]
    return texts


def _vocabulary(texts: list[str]) -> tuple[list[str], list[str]]:
    words = re.findall(r"[A-Za-zÀ-žА-я]{4,}", " ".join(texts))
    names = sorted({w for w in words if w[0].isupper()})
    return words, names


def vary(text: str, i: int, rng: random.Random, words: list[str], names: list[str]) -> str:
    """A document like ``text`` but not the same: other numbers, date, names, one paragraph."""
    lines = text.split("\n")
    if "Summary/Abstract:" in text:
        out = []
        for line in lines:
            if "Page Range:" in line:
                a = rng.randint(1, 400)
                line = f"- Page Range: {a}-{a + rng.randint(4, 40)}"
            elif re.search(r"(Publication|Issue) Year:", line):
                line = re.sub(r"\d{4}", str(rng.randint(1950, 2024)), line)
            elif line.startswith("Summary/Abstract:"):
                line += " " + " ".join(rng.choices(words, k=rng.randint(20, 60))) + "."
            out.append(line)
        out[0] = out[0] + f" {i}"
        return "\n".join(out)
    # FRUS: another item of the same file (source line or Source: note), another telegram
    # number, another date (dateline or heading), other names, other opening words
    text = re.sub(
        r"(?m)(^(?:File No\. )?\d{3}[^\n/]*/|Central Files, [^/\s]+/)(\d+)",
        lambda m: f"{m.group(1)}{int(m.group(2)) + i}",
        text,
        count=1,
    )
    text = re.sub(
        r"(?m)^(\d{1,5})\. (?=[A-Z])", lambda m: f"{rng.randint(1, 9999)}. ", text, count=2
    )
    text = _DATE.sub(
        lambda m: f"{m.group(1)} {rng.randint(1, 28)}, {int(m.group(3)) + rng.randint(-2, 2)}",
        text,
        count=2,
    )
    head, _, body = text.partition("\n")
    for _ in range(rng.randint(1, 4)):
        old, new = rng.choice(names), rng.choice(names)
        body = body.replace(old, new, 2)
    tokens = body.split(" ")
    for k in rng.sample(range(min(len(tokens), 30)), k=min(3, len(tokens))):
        if len(tokens[k]) > 3 and tokens[k].isalpha():
            tokens[k] = rng.choice(words)
    body = " ".join(tokens)
    extra = " ".join(rng.choices(words, k=rng.randint(30, 90))) + "."
    parts = body.split("\n\n")
    parts.insert(min(len(parts), 2), extra)
    return head + "\n" + "\n\n".join(parts)


def generate(n: int, seed: int = 1943) -> Iterator[RawSource]:
    rng = random.Random(seed)
    bases = _bases()
    words, names = _vocabulary(bases)
    for i in range(n):
        text = vary(bases[i % len(bases)], i, rng, words, names)
        data = text.encode("utf-8")
        yield RawSource(f"bench/{i:06d}.txt", hashlib.sha256(data).hexdigest(), text, len(data))


def rank_sorted(sql: str) -> str:
    """The ranked query as FTS5's own ``ORDER BY rank`` gives it (how archivetool asked
    before: the same rows, scored and sorted whole by FTS5 before the first comes out)."""
    score = "bm25(records_fts, " + ", ".join(map(str, WEIGHTS)) + ") AS score"
    return sql.replace(score, "records_fts.rank AS score").replace(
        "ORDER BY score, rowid", "ORDER BY records_fts.rank"
    )


def matches_sql(ranked: tuple[str, list[object]]) -> tuple[str, list[object]]:
    """How many rows the ranked query scores (its matches under the filters): bm25 reads
    each one's positions and length, so this is what a query's time grows with."""
    sql, params = ranked
    body = sql[sql.index(" FROM ") : sql.rindex(" ORDER BY ")]
    return "SELECT COUNT(*)" + body, params[:-2]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--documents", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=10, help="times each query runs")
    ap.add_argument("--archive", type=Path, help="build here (default: a temporary folder)")
    ap.add_argument(
        "--reuse", action="store_true", help="time the queries on an archive built before"
    )
    args = ap.parse_args(argv)
    if args.reuse and (args.archive is None or not args.archive.exists()):
        ap.error("--reuse needs --archive PATH of an archive built before")

    tmp = None
    if args.archive is None:
        tmp = tempfile.TemporaryDirectory()
        args.archive = Path(tmp.name) / "bench.sqlite"
    t0 = time.perf_counter()
    with Archive(args.archive) as archive:
        failed = 0

        def outcomes():
            nonlocal failed
            for k, raw in enumerate(generate(args.documents), start=1):
                out = process_source(raw)
                failed += out.failed
                if k % 10_000 == 0:
                    rate = k / (time.perf_counter() - t0)
                    print(f"  {k:>7} documents  {rate:,.0f}/s", file=sys.stderr, flush=True)
                yield out

        report = store_outcomes(archive, outcomes() if not args.reuse else iter(()))
        build = time.perf_counter() - t0
        archive.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        stored = archive.count()
        timings: list[float] = []
        cpus: list[float] = []
        per_query = []
        for query, filters in QUERIES:  # one round unmeasured: caches warm, as in use
            search(archive, query, filters)
        for query, filters in QUERIES:
            times: list[float] = []
            cpu: list[float] = []  # the process's CPU time of each search
            bare: list[float] = []  # the FTS5 query alone, on the same index and filters
            engine: list[float] = []  # the same ranked by FTS5's own ORDER BY rank
            hits = 0
            inner = archive.ranked_sql(index_query(parse_query(query), filters))
            by_rank = (rank_sorted(inner[0]), inner[1])
            matches = archive.db.execute(*matches_sql(inner)).fetchone()[0]
            for _ in range(args.rounds):  # the three alternated, round by round
                s, c = time.perf_counter(), time.process_time()
                hits = len(search(archive, query, filters))
                times.append((time.perf_counter() - s) * 1000)
                cpu.append((time.process_time() - c) * 1000)
                s = time.perf_counter()
                archive.db.execute(*inner).fetchall()
                bare.append((time.perf_counter() - s) * 1000)
                s = time.perf_counter()
                archive.db.execute(*by_rank).fetchall()
                engine.append((time.perf_counter() - s) * 1000)
            timings += times
            cpus += cpu
            per_query.append((query, filters, times, hits, bare, engine, cpu, matches))
    size = sum(p.stat().st_size for p in args.archive.parent.glob(args.archive.name + "*"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    if args.reuse:
        print(f"archive: {stored:,} records (built before), {size / 2**20:,.0f} MiB on disk")
    else:
        print(f"archive: {stored:,} records ({report.counts}), built in {build:,.0f} s "
              f"({stored / build:,.0f} documents/s), {size / 2**20:,.0f} MiB on disk")  # fmt: skip
    print(f"peak memory of the run: {peak:,.0f} MiB")
    print(
        f"search, {len(QUERIES)} queries × {args.rounds} rounds after one warm-up round, in-process"
        " (ms; bare: the ranked FTS5 query alone, same index and filters; ORDER BY rank: the"
        " same ranked by FTS5's own sort; cpu: the process's CPU time of a search, median):"
    )
    print(
        f"  {'median':>7} {'p95':>7} {'cpu':>6}  {'bare':>6} {'ratio':>6}  {'ORDER BY rank':>13}"
        "  hits  matches  query"
    )
    for query, filters, times, hits, bare, engine, cpu, matches in per_query:
        shown = {k: v for k, v in vars(filters).items() if v and k != "limit"}
        med, b = statistics.median(times), statistics.median(bare)
        print(f"  {med:7.1f} {percentile(times, 95):7.1f} {statistics.median(cpu):6.1f}  "
              f"{b:6.1f} {med / b:5.1f}×  "
              f"{statistics.median(engine):13.1f}  {hits:>4}  {matches:>7,}  {query}  {shown or ''}")  # fmt: skip
    ratio = {q: statistics.median(t) / statistics.median(b) for q, _, t, _, b, _, _, _ in per_query}
    worst = max(ratio, key=lambda q: ratio[q])
    print(f"largest ratio to the bare FTS5 query: {ratio[worst]:.1f}× ({worst})")
    everything = [t for p in per_query for t in p[5]]
    print(
        f"CPU of a search: median {statistics.median(cpus):.1f} ms, p95 {percentile(cpus, 95):.1f} ms"
    )
    print(f"all queries: median {statistics.median(timings):.1f} ms, p95 {percentile(timings, 95):.1f} ms, "
          f"max {max(timings):.1f} ms (ranked by ORDER BY rank alone: median "
          f"{statistics.median(everything):.1f} ms, p95 {percentile(everything, 95):.1f} ms)")  # fmt: skip
    if tmp:
        tmp.cleanup()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
