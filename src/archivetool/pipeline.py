"""The one way through: location → raw source → parse → record → validate (→ store).

Every function here yields or returns data (:class:`Outcome`, :class:`IngestReport`);
nothing prints. Inputs are handled one at a time, so memory stays flat for any batch.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archivetool.enrich import enrich
from archivetool.errors import ArchiveToolError, ExitCode, InputError, ParseError
from archivetool.formats import Parsed, ceeol, frus
from archivetool.formats.frus import tei
from archivetool.records import build_record
from archivetool.sources import (
    BIBLIOGRAPHIC,
    FRUS,
    Located,
    RawSource,
    iter_locations,
    read_source,
    sniff_kind,
)
from archivetool.validate import Issue, check_record

PARSERS: dict[str, Callable[[str], Parsed]] = {FRUS: frus.parse, BIBLIOGRAPHIC: ceeol.parse}

ProgressCallback = Callable[[int, int | None, str], None]


@dataclass
class Outcome:
    """What became of one input."""

    path: str
    record: dict[str, Any] | None = None
    issues: list[Issue] = field(default_factory=list)
    status: str = "ok"  # ok | failed; ingest adds ingested | unchanged | updated

    @property
    def failed(self) -> bool:
        return self.record is None or any(i.severity == "error" for i in self.issues)


def record_from_source(
    raw: RawSource, kind: str | None = None, parsed: Parsed | None = None
) -> dict[str, Any]:
    """Parse one raw text into a record (not yet validated). A source read from its
    structure (a TEI document) comes ``parsed`` already, with its kind."""
    kind = kind or sniff_kind(raw.text)
    if kind is None:
        raise InputError(
            f"{raw.path}: text of unknown kind (neither a FRUS document nor a CEEOL record)",
            hint="check that the whole document was copied, heading included",
        )
    parsed = parsed or PARSERS[kind](raw.text)
    return enrich(build_record(raw, kind, parsed.fields, parsed.text, parsed.warnings))


def _failure(path: str, exc: ArchiveToolError) -> Outcome:
    """One failed input; the error's own 'path:' prefix is not repeated in the issue."""
    text = str(exc)
    if text.startswith(f"{path}: "):
        text = text[len(path) + 2 :]
    line = None
    m = re.match(r"line (\d+): ", text)
    if m:
        line, text = int(m.group(1)), text[m.end() :]
    return Outcome(path, None, [Issue(path, text, line=line)], "failed")


def process(loc: Located) -> Outcome:
    """Read, parse and validate one input; never raises for bad input."""
    path = "<stdin>" if loc.is_stdin else loc.path
    try:
        raw = read_source(loc)
    except ArchiveToolError as exc:
        return _failure(path, exc)
    return process_source(raw)


def process_source(
    raw: RawSource, kind: str | None = None, parsed: Parsed | None = None
) -> Outcome:
    """Parse and validate text already read; never raises for bad input."""
    path = raw.path
    try:
        record = record_from_source(raw, kind, parsed)
    except ArchiveToolError as exc:
        return _failure(path, exc)
    except Exception as exc:  # a bug must cost one input, never the batch
        return _failure(path, ParseError(
            f"{path}: archivetool could not read this text ({type(exc).__name__}: {exc})",
            hint="please report it with the file; the other inputs go on",
        ))  # fmt: skip
    issues = check_record(record)
    issues += [Issue(path, w, "warning") for w in record["warnings"]]
    out = Outcome(path, record, issues)
    if out.failed:
        out.status = "failed"
    return out


def iter_outcomes(
    paths: Iterable[str], on_progress: ProgressCallback | None = None
) -> Iterator[Outcome]:
    """Outcomes for every input, in input order; folder contents sorted by path."""
    locations = list(iter_locations(paths))  # paths only: cheap, and gives the total
    total = len(locations)
    for done, loc in enumerate(locations, start=1):
        if isinstance(loc, InputError):
            yield _failure(loc.message.split(": ")[0], loc)
        elif not loc.is_stdin and tei.is_tei(Path(loc.path)):
            yield from _volume_outcomes(Path(loc.path))
        else:
            yield process(loc)
        if on_progress:
            on_progress(done, total, loc.path if isinstance(loc, Located) else "")


def _volume_outcomes(path: Path) -> Iterator[Outcome]:
    """Each document of a TEI volume, read from its elements (never from a text of it)."""
    found = 0
    try:
        for doc in tei.iter_documents(path):
            found += 1
            raw = RawSource(f"{path}#{doc.doc_id}", doc.sha256, doc.segments.text, doc.size)
            yield process_source(raw, FRUS, frus.parse_segments(doc.segments))
    except ArchiveToolError as exc:
        yield _failure(str(path), exc)
        return
    if not found:  # a TEI file that is no volume (a header, a front matter file) says so
        yield _failure(str(path), InputError(
            f"{path}: a TEI file without documents (no <div type=\"document\">)",
            hint="give a FRUS volume as the Office of the Historian publishes it",
        ))  # fmt: skip


@dataclass
class IngestReport:
    counts: dict[str, int] = field(
        default_factory=lambda: {"ingested": 0, "updated": 0, "unchanged": 0, "failed": 0}
    )
    failures: list[Issue] = field(default_factory=list)
    warnings: int = 0

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.FAILED if self.counts["failed"] else ExitCode.OK

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.counts,
            "warnings": self.warnings,
            "failures": [i.as_dict() for i in self.failures],
        }
