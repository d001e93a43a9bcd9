"""Where ingest's CPU goes, per document and stage, in one process.

    .venv/bin/python benchmarks/profile_ingest.py --files 2000
    .venv/bin/python benchmarks/profile_ingest.py --files 2000 --cprofile 30

Builds the varied corpus of ``ingest_bench.py`` and runs each text through the stages of
``archivetool ingest`` by hand, timing each with the process's own CPU clock (so the load of
other programs on the machine hardly moves the figures): read and decode, sniff, parse,
record and enrich, validate, prepare the rows (JSON and folding), pickle the outcome as a
worker sends it, and the writer's share (unpickle and store, one transaction per 500). Each
stage's figure is the least of ``--repeat`` runs. With ``--cprofile N`` it prints the N
functions of most own time over the whole run instead.
"""

from __future__ import annotations

import argparse
import cProfile
import pickle
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest_bench import write_corpus  # noqa: E402

from archivetool import kinds  # noqa: E402
from archivetool.ingest import IngestWork  # noqa: E402
from archivetool.pipeline import PARSERS, Outcome, Task  # noqa: E402
from archivetool.records import build_record  # noqa: E402
from archivetool.sources import Located, read_source, sniff_kind  # noqa: E402
from archivetool.store import Archive, prepare  # noqa: E402

try:  # the worker's lighter payload, where this version has it
    from archivetool.store import put_fields
except ImportError:  # an older tree, profiled for comparison
    put_fields = None  # type: ignore[assignment]
try:  # the pipeline's one round through the model, where this version has it
    from archivetool.records import build_json
except ImportError:  # an older tree: two rounds
    build_json = None  # type: ignore[assignment]
from archivetool.validate import Issue, check_record  # noqa: E402

STAGES = ("read", "sniff", "parse", "enrich", "validate", "prepare", "pickle", "writer")


def stages(paths: list[Path], archive: Path) -> dict[str, float]:
    """CPU seconds per stage over every path."""
    spent: dict[str, float] = defaultdict(float)
    clock = time.process_time
    store = Archive(archive)
    store.limit_cache(8)
    pending: list[bytes] = []

    def flush() -> None:
        t = clock()
        store.begin()
        for blob in pending:
            out = pickle.loads(blob)
            store.put(out.record, out.prepared)
        store.commit()
        spent["writer"] += clock() - t
        pending.clear()

    for path in paths:
        t0 = clock()
        raw = read_source(Located(str(path)))
        t1 = clock()
        kind = sniff_kind(raw.text)
        t2 = clock()
        if kind is None:
            continue
        parsed = PARSERS[kind](raw.text)
        t3 = clock()
        entry = kinds.get(kind)
        if build_json is not None:  # as pipeline.read_json does
            record = entry.enrich_json(build_json(raw, entry, parsed))
        else:
            record = entry.enrich(build_record(raw, entry, parsed)).to_json()
        t4 = clock()
        issues = check_record(record)
        issues += [Issue(raw.path, w, "warning") for w in record["warnings"]]
        t5 = clock()
        prepared = prepare(record)
        t6 = clock()
        sent = put_fields(record) if put_fields else record  # what IngestWork.finish sends
        blob = pickle.dumps(Outcome(raw.path, sent, issues, prepared=prepared))
        t7 = clock()
        marks = (t0, t1, t2, t3, t4, t5, t6, t7)
        for name, a, b in zip(STAGES, marks, marks[1:], strict=False):
            spent[name] += b - a
        pending.append(blob)
        if len(pending) >= 500:
            flush()
    flush()
    store.close()
    return spent


def whole(paths: list[Path], archive: Path) -> None:
    """Ingest's own work in one process (the path ``--jobs 1`` takes), for cProfile."""
    from archivetool.ingest import ingest

    with Archive(archive) as store:
        ingest(store, [str(p) for p in paths], jobs=1)
    _ = IngestWork, Task  # the worker's side, named for the reader of a profile


def _forget() -> None:
    """Empty the caches of what the documents repeat (folded names, the register's answers),
    so that each run pays for them as a first ingest does (the register itself stays)."""
    from archivetool import folding, identify

    for cache in (getattr(folding, "_fold_short", None), getattr(identify, "_resolve", None)):
        if cache is not None:
            cache.cache_clear()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=2000, help="how many text files")
    ap.add_argument("--cprofile", type=int, metavar="N", help="print the N dearest functions")
    ap.add_argument("--sort", default="tottime", help="cProfile sort key (tottime, cumulative)")
    ap.add_argument("--repeat", type=int, default=3, help="runs; each stage's least is kept")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="profile-ingest-") as tmp:
        corpus = Path(tmp) / "docs"
        write_corpus(corpus, args.files)
        paths = sorted(corpus.glob("*.txt"))
        archive = Path(tmp) / "archive.sqlite"
        if args.cprofile:
            prof = cProfile.Profile()
            prof.runcall(whole, paths, archive)
            pstats.Stats(prof).sort_stats(args.sort).print_stats(args.cprofile)
            return 0
        runs = []
        for r in range(args.repeat):
            _forget()
            runs.append(stages(paths, Path(tmp) / f"archive{r}.sqlite"))
        # the least of each stage: what the work costs, with the least of other programs' load
        spent = {name: min(run[name] for run in runs) for name in STAGES}
    n = len(paths)
    total = sum(spent.values())
    print(f"{n} documents, CPU ms per document (process time, one process, least of {args.repeat})")
    for name in STAGES:
        print(f"  {name:<9} {1000 * spent[name] / n:6.3f}")
    print(f"  {'total':<9} {1000 * total / n:6.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
