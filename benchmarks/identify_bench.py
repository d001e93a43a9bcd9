#!/usr/bin/env python3
"""What identifying senders and recipients against the register costs, and what it finds.

    .venv/bin/python benchmarks/identify_bench.py ../shared/corpus/frus-dev ../shared/corpus/frus-wild-dev

reads every FRUS document of the folders through the real pipeline, then times
``identify_parties`` and ``link_footnote_persons`` (all that identification adds to
enrichment) on copies of the records (the register loaded once before, its
load timed apart), and prints the cost per document, the count of parties resolved (by
evidence) and unresolved (by reason), and with ``--list`` every party and its reading.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import time
from collections import Counter
from typing import Any

from archivetool.authority import load_register
from archivetool.enrich import document_year
from archivetool.identify import document_date, identify_parties, link_footnote_persons
from archivetool.pipeline import iter_outcomes


def parties(record: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for field in ("sender", "recipient"):
        value = record.get(field)
        for p in value if isinstance(value, list) else [value] if value else []:
            out.append((field, p))
    return out


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--list", action="store_true", help="print every party and its reading")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    load_register()
    load_ms = (time.perf_counter() - t0) * 1000
    records = [
        o.record
        for o in iter_outcomes(args.paths)
        if o.record and o.record["kind"] == "frus-document"
    ]
    bare = []
    for r in records:
        c = copy.deepcopy(r)
        for _, p in parties(c):
            p.pop("person", None)
            p.pop("person_unresolved", None)
        for p in c.get("persons") or []:
            p.pop("register_id", None)
        bare.append(c)

    per_doc = []
    for _ in range(args.rounds):
        batch = copy.deepcopy(bare)
        t = time.perf_counter()
        for r in batch:
            identify_parties(r)
            link_footnote_persons(r, document_year(r))
        per_doc.append((time.perf_counter() - t) / len(batch) * 1e6)

    resolved: Counter[str] = Counter()
    unresolved: Counter[str] = Counter()
    lines = []
    for r in records:
        for field, p in parties(r):
            label = f"{p.get('role') or ''} ({p.get('name')})" if p.get("name") else p.get("role")
            head = f"{r['source']['path'].rsplit('/', 1)[-1]:28} {document_date(r) or '—':10} {field:9} {label}"
            if "person" in p:
                resolved[p["person"]["how"]] += 1
                lines.append(
                    f"{head} → {p['person']['name']} [{p['person']['id']}], {p['person']['office']} "
                    f"{p['person']['start']}–{p['person']['end']} ({p['person']['how']})"
                )
            else:
                unresolved[p["person_unresolved"]["reason"]] += 1
                lines.append(
                    f"{head} ✗ {p['person_unresolved']['reason']}: {p['person_unresolved']['note']}"
                )
    if args.list:
        print("\n".join(lines))
    total = sum(resolved.values()) + sum(unresolved.values())
    print(
        f"{len(records)} FRUS documents, {total} parties: {sum(resolved.values())} resolved, "
        f"{sum(unresolved.values())} unresolved",
        file=sys.stderr,
    )
    print(
        "resolved by " + ", ".join(f"{k} {v}" for k, v in resolved.most_common()), file=sys.stderr
    )
    print(
        "unresolved: " + ", ".join(f"{k} {v}" for k, v in unresolved.most_common()), file=sys.stderr
    )
    print(
        f"register load {load_ms:.1f} ms (once per process); identification per document: "
        f"median {statistics.median(per_doc):.1f} µs, worst round {max(per_doc):.1f} µs "
        f"({args.rounds} rounds of {len(bare)} documents)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
