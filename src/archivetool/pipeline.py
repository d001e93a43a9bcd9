"""The one way through: location → raw source → parse → record → validate (→ store).

Every function here yields or returns data (:class:`Outcome`, :class:`IngestReport`);
nothing prints. Inputs are handled one at a time, so memory stays flat for any batch.

Between the stages a record is a typed value (:mod:`archivetool.model`): the parser's
reading becomes one (:func:`~archivetool.records.build_record`), its kind's enrichment
returns a new one, and it becomes JSON at the edge, where the schema checks it and the
archive and the exporters take it (:attr:`Outcome.record`). What each kind does is its
registry entry's (:mod:`archivetool.kinds`).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any

from archivetool import kinds
from archivetool.errors import ArchiveToolError, ExitCode, InputError, ParseError
from archivetool.formats import frus
from archivetool.formats.frus import tei
from archivetool.model import JSONObject, Parsed, Record
from archivetool.records import build_json, build_record
from archivetool.sources import (
    FRUS,
    Located,
    RawSource,
    decode_source,
    iter_locations,
    read_bytes,
    read_source,
)
from archivetool.validate import Issue, check_record

# each kind's parser, as its registry entry names it (a table, so that a test can swap one)
PARSERS: dict[str, Callable[[str], Parsed]] = {k.name: k.parse for k in kinds.KINDS}

ProgressCallback = Callable[[int, int | None, str], None]


@dataclass
class Outcome:
    """What became of one input."""

    path: str
    # the record as JSON, validated: the edge where the archive and the exporters take it
    record: JSONObject | None = None
    issues: list[Issue] = field(default_factory=list)
    status: str = "ok"  # ok | failed; ingest adds ingested | unchanged | updated
    # what a consumer worked out beforehand, in the worker (ingest: the rows to write)
    prepared: Any = None
    # content recognised by its hash as the stored record ``known_id``, not parsed: the
    # writer confirms it, and reads it after all if the archive changed meanwhile (``raw``
    # for a document of a TEI volume or stdin, else the file at ``path`` again)
    known_id: str | None = None
    raw: RawSource | None = None
    kind: str | None = None
    sha256: str | None = None
    element: bytes | None = None  # a TEI document's element, to read it after all
    # recognised as an earlier revision of ``known_id``: unchanged whatever the record's
    # current version is, so the writer has nothing to confirm
    revision: bool = False

    @property
    def failed(self) -> bool:
        if self.record is None:
            # content recognised as stored, by its hash, is not parsed again
            return self.status != "unchanged"
        return any(i.severity == "error" for i in self.issues)


def read_record(raw: RawSource, kind: str | None = None, parsed: Parsed | None = None) -> Record:
    """Parse one raw text into a record, enriched (not yet validated). A source read from
    its structure (a TEI document) comes ``parsed`` already, with its kind."""
    entry = _kind_of(raw, kind)
    parsed = parsed or PARSERS[entry.name](raw.text)
    return entry.enrich(build_record(raw, entry, parsed))


def read_json(raw: RawSource, kind: str | None = None, parsed: Parsed | None = None) -> JSONObject:
    """:func:`read_record` as the record's JSON, the edge the schema checks: the same
    object as ``read_record(...).to_json()``, made with one round through the typed model
    instead of two (ingest's own path; tests/test_pipeline_json.py holds them alike)."""
    entry = _kind_of(raw, kind)
    parsed = parsed or PARSERS[entry.name](raw.text)
    return entry.enrich_json(build_json(raw, entry, parsed))


def _kind_of(raw: RawSource, kind: str | None) -> kinds.Kind:
    entry = kinds.get(kind) if kind else kinds.sniff(raw.text)
    if entry is None:
        raise InputError(
            f"{raw.path}: text of unknown kind (neither a FRUS document nor a CEEOL record)",
            hint="check that the whole document was copied, heading included",
        )
    return entry


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
    except Exception as exc:  # a bug must cost one input, never the batch
        return _failure(path, _bug(path, exc))
    return process_source(raw)


def _bug(path: str, exc: Exception) -> ParseError:
    return ParseError(
        f"{path}: archivetool could not read this text ({type(exc).__name__}: {exc})",
        hint="please report it with the file; the other inputs go on",
    )


def process_source(
    raw: RawSource, kind: str | None = None, parsed: Parsed | None = None
) -> Outcome:
    """Parse, enrich and validate text already read (or a source read from its structure,
    ``parsed`` already); never raises for bad input.

    Everything done to one input is inside the guard, the semantic checks too: whatever
    goes wrong costs this input one line, never the batch.
    """
    path = raw.path
    try:
        record = read_json(raw, kind, parsed)
        issues = check_record(record)
        issues += [Issue(path, w, "warning") for w in record["warnings"]]
    except ArchiveToolError as exc:
        return _failure(path, exc)
    except Exception as exc:
        return _failure(path, _bug(path, exc))
    out = Outcome(path, record, issues)
    if out.failed:
        out.status = "failed"
    return out


@dataclass(frozen=True)
class Task:
    """One unit of work, small enough to hand to another process: an input to read, one
    document of a TEI volume (its text already read from the volume), or an input that
    could not even be found."""

    location: int  # which location of the command line it comes from (1-based)
    loc: Located | None = None
    raw: RawSource | None = None
    kind: str | None = None
    error: ArchiveToolError | None = None
    path: str = ""
    element: bytes | None = None  # a TEI document's serialised element
    # a file's bytes, read and looked up already by the process that recognises known
    # content (:meth:`Work.recognise`): decoded as they are, not read nor asked again
    data: bytes | None = None
    asked: bool = False  # its hash was looked up already (not found)
    sha256: str | None = None  # the hash of ``data``, not worked out a second time


# the id and warnings of the stored record holding this content (by its hash), else None
KnownContent = Callable[[str], "tuple[str, list[str]] | None"]


class Work:
    """What happens to each task, in whichever process runs it. ``setup`` runs once in
    each worker process (and once in this process when there is no pool); ingest extends
    this with a look-up of content already stored and the preparation of the rows."""

    def setup(self) -> None:
        """Open what a worker needs (a read connection, say)."""

    def teardown(self) -> None:
        """Close what :meth:`setup` opened in this process."""

    def known(self, sha256: str) -> tuple[str, list[str]] | None:
        """The id and warnings of content already in the archive, else None."""
        return None

    def recognise(self, tasks: list[Task]) -> list[Outcome | Task]:
        """In the process that hands out the tasks, before any is run: the outcome of each
        task known without parsing, else the task to run (perhaps with what was read of
        it). Ingest recognises content already stored, for many tasks in one question."""
        return list(tasks)

    def finish(self, out: Outcome) -> None:
        """Add to a good outcome what its consumer needs (ingest: the rows to write)."""

    def __call__(self, task: Task) -> Outcome:
        out = run_task(task, self.known)
        if not out.failed and out.record is not None:
            try:
                self.finish(out)
            except Exception as exc:
                return _failure(out.path, _bug(out.path, exc))
        return out


class ReportWork(Work):
    """For a report of what each input is (validate): a good record comes back as its kind
    alone, since sending the whole record between processes costs more than the report."""

    def finish(self, out: Outcome) -> None:
        assert out.record is not None
        out.record = {"kind": out.record["kind"]}  # a report's row needs nothing else


def run_task(task: Task, known: KnownContent | None = None) -> Outcome:
    """One task's outcome; never raises for bad input.

    With ``known``, content already stored by the same parsers (found by its hash) is
    reported unchanged without being parsed.
    """
    if task.error is not None:
        return _failure(task.path, task.error)
    if task.asked:
        known = None  # looked up already, where the task was recognised
    got: RawSource | Outcome | None = task.raw
    asked = None  # the hash already looked up, not asked again
    if got is None and task.data is not None:
        got = _decoded(task.path, task.data, task.sha256)
    elif got is None and known is not None and task.loc is not None and not task.loc.is_stdin:
        got, asked = _hashed_first(task, task.loc, known)
    if isinstance(got, Outcome):
        return got
    raw = got
    if raw is None:
        assert task.loc is not None
        try:
            raw = read_source(task.loc)
        except ArchiveToolError as exc:
            return _failure(task.path, exc)
        except Exception as exc:
            return _failure(task.path, _bug(task.path, exc))
    if known is not None and raw.sha256 != asked:
        found = known(raw.sha256)
        if found is not None:
            return _unchanged(task, found, raw.sha256, raw)
    if task.element is not None:
        return process_element(raw, task.element)
    return process_source(raw, task.kind)


def _hashed_first(
    task: Task, loc: Located, known: KnownContent
) -> tuple[RawSource | Outcome | None, str | None]:
    """A file's bytes hashed first, so that content stored before is not even decoded: its
    text, or its outcome (unchanged, or why it cannot be read), and the hash asked about."""
    try:
        data = read_bytes(loc.path)
    except OSError:
        return None, None  # read_source says why, in its words
    asked = hashlib.sha256(data).hexdigest()
    found = known(asked)
    if found is not None:
        return _unchanged(task, found, asked), asked
    return _decoded(task.path, data, asked), asked


def _decoded(path: str, data: bytes, sha256: str | None = None) -> RawSource | Outcome:
    """A file's bytes as its text, or the outcome saying why they are none."""
    try:
        return decode_source(path, data, sha256)
    except ArchiveToolError as exc:
        return _failure(path, exc)
    except Exception as exc:
        return _failure(path, _bug(path, exc))


def _unchanged(
    task: Task,
    found: tuple[str, list[str]],
    sha256: str,
    raw: RawSource | None = None,
    *,
    revision: bool = False,
) -> Outcome:
    """A task whose content the archive holds already: unchanged, not parsed (``raw``
    kept for a text not read from a file, so that the writer can read it after all)."""
    rid, warnings = found
    path = raw.path if raw is not None else task.path
    issues = [Issue(path, w, "warning") for w in warnings]
    return Outcome(path, None, issues, "unchanged", known_id=rid, raw=raw, kind=task.kind,
                   sha256=sha256, element=task.element, revision=revision)  # fmt: skip


def process_element(raw: RawSource, element: bytes) -> Outcome:
    """A document of a TEI volume read from its serialised element; never raises."""
    try:
        segments = tei.read_element(element)
        parsed = frus.parse_segments(segments)
    except Exception as exc:  # a bug must cost one document, never the volume
        return _failure(raw.path, _bug(raw.path, exc))
    return process_source(RawSource(raw.path, raw.sha256, segments.text, raw.size), FRUS, parsed)


def iter_tasks(paths: Iterable[str]) -> Iterator[tuple[Task, int]]:
    """Every task in input order, with the number of locations (for progress).

    Standard input is read here (a worker process has none), and a TEI volume is read here
    one document at a time, so that its documents can be parsed elsewhere.
    """
    locations = list(iter_locations(paths))  # paths only: cheap, and gives the total
    total = len(locations)
    for n, loc in enumerate(locations, start=1):
        if isinstance(loc, InputError):
            yield Task(n, error=loc, path=loc.message.split(": ")[0]), total
        elif loc.is_stdin:
            try:
                raw = read_source(loc)
            except ArchiveToolError as exc:
                yield Task(n, error=exc, path="<stdin>"), total
                continue
            yield Task(n, raw=raw, path=raw.path), total
        elif loc.path.lower().endswith(".xml") and tei.is_tei(Path(loc.path)):
            yield from ((t, total) for t in _volume_tasks(n, Path(loc.path)))
        else:
            yield Task(n, loc=loc, path=loc.path), total


def _volume_tasks(n: int, path: Path) -> Iterator[Task]:
    """Each document of a TEI volume, read from its elements (never from a text of it): the
    element travels to the worker, which reads its parts and fields."""
    found = 0
    try:
        for item in tei.iter_elements(path):
            found += 1
            raw = RawSource(f"{path}#{item.doc_id}", item.sha256, "", len(item.xml))
            yield Task(n, raw=raw, kind=FRUS, path=raw.path, element=item.xml)
    except ArchiveToolError as exc:
        yield Task(n, error=exc, path=str(path))
        return
    except Exception as exc:
        yield Task(n, error=_bug(str(path), exc), path=str(path))
        return
    if not found:  # a TEI file that is no volume (a header, a front matter file) says so
        yield Task(n, error=InputError(
            f"{path}: a TEI file without documents (no <div type=\"document\">)",
            hint="give a FRUS volume as the Office of the Historian publishes it",
        ), path=str(path))  # fmt: skip


def default_jobs() -> int:
    """The number of cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# below this many tasks a pool costs more than it saves
MIN_PARALLEL = 16
# tasks sent to a worker at once: each chunk costs both processes a round of the pool's
# queues, threads and wake-ups, so fewer, larger chunks cost less CPU per document
CHUNK = 64
# chunks per worker (256 tasks): enough that the workers keep busy while a batch is written
IN_FLIGHT = 4
_WORK: Work | None = None
_PR_SET_PDEATHSIG = 1  # prctl(2)


def _end_with_parent() -> None:
    """Have the kernel end this worker when the process that started it dies, killed too.
    Forked workers share the task pipe's write end, so a killed ingest's workers would
    never read its end and wait for work for ever (Linux; elsewhere nothing is done)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    parent = multiprocessing.parent_process()
    if parent is not None and os.getppid() != parent.pid:
        os._exit(1)  # it died before the request was made: nothing would send the signal


def _init_worker(work: Work) -> None:
    global _WORK
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is this process's to handle
    _end_with_parent()
    _WORK = work
    work.setup()


def _run_chunk(tasks: list[Task]) -> list[Outcome]:
    assert _WORK is not None
    return [_WORK(t) for t in tasks]


# tasks recognised at once (ingest: one question to the archive for this many hashes)
RECOGNISE = 256
Item = tuple[Task, int]  # a task and the number of locations (for progress)


def _chunks(
    work: Work, tasks: Iterator[Item], size: int
) -> Iterator[tuple[list[Item], list[Outcome] | None]]:
    """The tasks in order, in chunks to run (outcomes None) of at most ``size``, and runs
    of tasks whose outcomes :meth:`Work.recognise` knew without running them."""
    while group := list(islice(tasks, RECOGNISE)):
        recognised = work.recognise([t for t, _ in group])
        todo: list[Item] = []
        done: list[Item] = []
        outcomes: list[Outcome] = []
        for (task, total), got in zip(group, recognised, strict=True):
            if isinstance(got, Outcome):
                if todo:
                    yield todo, None
                    todo = []
                done.append((task, total))
                outcomes.append(got)
                continue
            if done:
                yield done, outcomes
                done, outcomes = [], []
            todo.append((got, total))
            if len(todo) >= size:
                yield todo, None
                todo = []
        if done:
            yield done, outcomes
        if todo:
            yield todo, None


def _parallel(work: Work, tasks: Iterator[Item], jobs: int) -> Iterator[tuple[Task, int, Outcome]]:
    """Tasks run by ``jobs`` worker processes, outcomes in task order. Only a few chunks are
    in flight at a time, so a TEI volume of any size is never held whole. The workers start
    with the first task to run: a run whose inputs are all recognised starts none."""
    from concurrent.futures import Future, ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    window: deque[tuple[list[Item], Future[list[Outcome]] | list[Outcome]]] = deque()
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker,
                             initargs=(work,)) as pool:  # fmt: skip
        try:
            for chunk, done in _chunks(work, tasks, CHUNK):
                if done is None:
                    window.append((chunk, pool.submit(_run_chunk, [t for t, _ in chunk])))
                else:
                    window.append((chunk, done))
                while len(window) >= jobs * IN_FLIGHT:
                    yield from _collect(*window.popleft())
            while window:
                yield from _collect(*window.popleft())
        except BaseException:
            for _, future in window:
                if not isinstance(future, list):
                    future.cancel()
            raise


def _collect(chunk: list[Item], future: Any) -> Iterator[tuple[Task, int, Outcome]]:
    if isinstance(future, list):
        outcomes = future  # recognised without running
    else:
        try:
            outcomes = future.result()
        except Exception as exc:  # a worker died: its inputs fail, each with one line
            outcomes = [_failure(t.path, _bug(t.path, exc)) for t, _ in chunk]
    for (task, total), out in zip(chunk, outcomes, strict=True):
        yield task, total, out


def _serial(work: Work, tasks: Iterator[Item]) -> Iterator[tuple[Task, int, Outcome]]:
    """Tasks run in this process, in order; those recognised are not run."""
    for chunk, done in _chunks(work, tasks, RECOGNISE):
        outcomes = done if done is not None else [work(t) for t, _ in chunk]
        for (task, total), out in zip(chunk, outcomes, strict=True):
            yield task, total, out


def iter_outcomes(
    paths: Iterable[str],
    on_progress: ProgressCallback | None = None,
    *,
    jobs: int = 1,
    work: Work | None = None,
) -> Iterator[Outcome]:
    """Outcomes for every input, in input order; folder contents sorted by path.

    With ``jobs`` > 1 the inputs are read, parsed, enriched and validated by that many
    worker processes; the outcomes come back in the same order as with one.
    """
    work = work or Work()
    tasks = iter_tasks(paths)
    head = list(islice(tasks, MIN_PARALLEL))
    stream = chain(head, tasks)
    if jobs > 1 and len(head) >= MIN_PARALLEL:
        results = _parallel(work, stream, jobs)
    else:
        work.setup()
        results = _serial(work, stream)
    # progress counts locations: a location is done when the next one's first outcome comes
    last: tuple[int, int, str] | None = None
    try:
        for task, total, out in results:
            if on_progress and last and last[0] != task.location:
                on_progress(*last)
            last = (task.location, total, task.path)
            yield out
    finally:
        work.teardown()  # this process's own connections closed (a worker's end with it)
    if on_progress and last:
        on_progress(*last)


@dataclass
class IngestReport:
    counts: dict[str, int] = field(
        default_factory=lambda: {"ingested": 0, "updated": 0, "unchanged": 0, "failed": 0}
    )
    failures: list[Issue] = field(default_factory=list)
    warnings: int = 0
    # what became of each input, with its position in the input order: (position, result)
    results: list[tuple[int, FileResult]] = field(default_factory=list)

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.FAILED if self.counts["failed"] else ExitCode.OK

    @property
    def files(self) -> list[FileResult]:
        """Each input's result in input order (a failure is known before the batch ahead of
        it is written, so they arrive out of order)."""
        return [r for _, r in sorted(self.results, key=lambda pr: pr[0])]

    def add(self, position: int, out: Outcome) -> None:
        warnings = [i for i in out.issues if i.severity == "warning"]
        self.warnings += len(warnings)
        record_id = out.record["id"] if out.record is not None else out.known_id
        if out.failed:
            out.status = "failed"
            self.counts["failed"] += 1
            errors = [i for i in out.issues if i.severity == "error"]
            self.failures.extend(errors)
        else:
            self.counts[out.status] += 1
            errors = []
        self.results.append(
            (position, FileResult(out.path, record_id, out.status, warnings, errors))
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.counts,
            "warnings": self.warnings,
            "failures": [i.as_dict() for i in self.failures],
            "files": [f.as_dict() for f in self.files],
        }


@dataclass(frozen=True)
class FileResult:
    """One input of an ingest: the record it gave (or was recognised as), what became of it
    (ingested, updated, unchanged, failed) and the warnings a person should review."""

    path: str
    id: str | None
    outcome: str
    warnings: list[Issue]
    errors: list[Issue]

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "id": self.id,
            "outcome": self.outcome,
            "warnings": [_issue_fields(i) for i in self.warnings],
            "errors": [_issue_fields(i) for i in self.errors],
        }


def _issue_fields(issue: Issue) -> dict[str, Any]:
    """An issue without its path, which the file's entry already gives."""
    return {k: v for k, v in issue.as_dict().items() if k not in ("path", "severity")}
