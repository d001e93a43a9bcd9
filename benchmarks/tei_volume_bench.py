"""The whole edition's bulk path: one large TEI volume ingested, documents/s and memory.

    .venv/bin/python benchmarks/tei_volume_bench.py --documents 50000
    .venv/bin/python benchmarks/tei_volume_bench.py --documents 50000 --slices PATH

builds one well-formed TEI volume of N documents by repeating the documents of the dev
volumes' TEI slices (``../shared/corpus/frus-dev-tei`` where it is, or ``--slices``; else
the bundled volume ``tests/data/tei/frus1948v05p1.xml``), each copy renumbered (every
``xml:id``, ``@n``) and its heading marked so that every document is a record of its own;
then times ``archivetool ingest VOLUME.xml`` into a new archive (``--jobs``, default the
cores), a volume a fifth of the size first, for flatness. Prints seconds, documents/s, peak
resident memory (the largest process: the reader-writer or a worker), the CPU time a
document (the ingest and its workers: what the run costs whatever else the machine does)
and the projection for the whole edition (317,000 documents).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "tests" / "data" / "tei" / "frus1948v05p1.xml"
SLICES = ROOT.parent / "shared" / "corpus" / "frus-dev-tei"
EDITION = 317_000
HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:frus="http://history.state.gov/frus/ns/1.0">'
    "<text><body>\n"
)
TAIL = "\n</body></text></TEI>\n"
_ID = re.compile(r'(<div\b[^>]*\bxml:id=")d(\d+)(")')
_ANY_ID = re.compile(r'(\bxml:id=")([^"]*)(")')
_N = re.compile(r'(<div\b[^>]*\bn=")(\d+)(")')
_HEAD_TAG = re.compile(r"(<head\b[^>]*>)")


def documents(slices: Path | None) -> list[str]:
    """The document divs to repeat."""
    if slices is not None:
        sys.path.insert(0, str(ROOT / "tests"))
        from tei_slices import complete_documents, runs, volumes

        return [d for v in volumes(slices) for run in runs(v) for d in complete_documents(run)]
    text = BUNDLED.read_text(encoding="utf-8")
    return re.findall(r'<div\b[^>]*type="document".*?</div>\s*(?=<div\b[^>]*type="document"|</div>)',
                      text, re.S)  # fmt: skip


def write_volume(path: Path, docs: list[str], n: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD)
        for i in range(n):
            doc = docs[i % len(docs)]
            k = i + 1
            # every other id of the copy (footnotes, pages) its own too: a volume where an
            # id stands twice is not well-formed XML, which the parser refuses
            opening, rest = doc.split(">", 1)
            doc = _ID.sub(rf"\g<1>d{k}\g<3>", opening, count=1) + ">"
            doc += _ANY_ID.sub(rf"\g<1>\g<2>-c{k}\g<3>", rest)
            doc = _N.sub(rf"\g<1>{k}\g<3>", doc, count=1)
            # a copy's own heading, so that no two copies are the same record
            doc = _HEAD_TAG.sub(rf"\g<1>Copy {k}: ", doc, count=1)
            out.write(doc + "\n")
        out.write(TAIL)


def ingest(volume: Path, archive: Path, jobs: int) -> tuple[float, float, float, str]:
    # the summary on stderr, not --format json: the JSON report of 50,000 files is a large
    # document of its own, and its memory would be counted as the ingest's
    command = [str(ROOT / ".venv" / "bin" / "archivetool"), "ingest", "--archive",
               str(archive), "--jobs", str(jobs), str(volume)]  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = max(before.ru_maxrss, after.ru_maxrss) / 1024
    # the CPU time of the ingest and its workers: what the run costs whatever else the
    # machine is doing (its wall time on 2 shared cores is not)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if proc.returncode != 0:
        sys.exit(f"ingest failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return seconds, peak, cpu, proc.stderr


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--documents", type=int, default=50_000)
    ap.add_argument(
        "--slices",
        type=Path,
        default=SLICES if SLICES.is_dir() else None,
        help="the dev volumes' TEI slices to repeat (default: ../shared/corpus/frus-dev-tei "
        "where it is, else the bundled volume's documents)",
    )
    ap.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    args = ap.parse_args(argv)
    docs = documents(args.slices)
    print(
        f"{len(docs)} distinct documents repeated; jobs {args.jobs}; load {os.getloadavg()[0]:.2f}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in (args.documents // 5, args.documents):
            volume = Path(tmp) / f"volume{n}.xml"
            write_volume(volume, docs, n)
            size = volume.stat().st_size / 2**20
            load = os.getloadavg()[0]
            seconds, peak, cpu, report = ingest(volume, Path(tmp) / f"a{n}.sqlite", args.jobs)
            rate = n / seconds
            cores = min(args.jobs, len(os.sched_getaffinity(0)))
            print(
                f"{n:>7} documents ({size:.0f} MiB of TEI): {seconds:7.1f} s, "
                f"{rate:6.0f} documents/s, peak {peak:.0f} MiB; "
                f"the edition ({EDITION:,}) in {EDITION / rate / 60:.1f} min (load {load:.1f})"
            )
            print(f"         CPU {cpu:.1f} s, {1000 * cpu / n:.2f} ms a document: on {cores} idle "
                  f"cores at most {cores * n / cpu:,.0f} documents/s, the edition in "
                  f"{EDITION * cpu / n / cores / 60:.1f} min")  # fmt: skip
            found = re.findall(r"(ingested|updated|unchanged|failed) (\d+)", report)
            counts = {k: int(v) for k, v in found}
            print("         report:", counts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
