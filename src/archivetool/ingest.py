"""Ingest: every input through the pipeline into the archive, in short batched transactions.

Reading, parsing, enrichment, validation and the folding of the index text happen in
worker processes (``jobs``), outside the write lock; this process only writes. A batch is
written in one short transaction once its records are ready, so another ingest on the same
archive waits a moment for the lock, never for the parsing.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from archivetool.errors import StoreError
from archivetool.pipeline import (
    IngestReport,
    Outcome,
    ProgressCallback,
    Task,
    Work,
    _bug,
    _failure,
    _unchanged,
    iter_outcomes,
    process,
    process_element,
    process_source,
)
from archivetool.records import current_parsers
from archivetool.sources import Located, read_bytes
from archivetool.store import ArchiveStore as Archive
from archivetool.store import (
    Known,
    StoredContent,
    open_reader,
    prepare,
    prepare_for,
    put_fields,
)

BATCH_SIZE = 500
# after writing at least this share of the archive's records, the search index is merged
# into one segment: a bulk load's index reads faster, and merging costs little beside it
OPTIMIZE_SHARE = 0.25
FLUSH_SECONDS = 2.0  # a slow stream of inputs is still written in short, frequent batches
RETRIES = 5


class IngestWork(Work):
    """The pipeline's work plus what ingest adds: content already stored is recognised by
    its hash before it is parsed, many inputs to one question, in the process that hands
    out the tasks (an input recognised never travels to a worker); in each worker a good
    record's rows are prepared."""

    def __init__(self, archive_path: str | Path, *, empty: bool = False) -> None:
        self.archive_path = archive_path  # a file's path or a server's location
        # an archive empty when the run began has nothing stored from before to look up
        # (an input given twice in the run is told unchanged by the writer)
        self.empty = empty
        self.reader: StoredContent | None = None  # this process's own, opened when asked
        self.parsers = current_parsers()

    def __getstate__(self) -> dict[str, object]:
        return {"archive_path": self.archive_path, "empty": self.empty, "reader": None,
                "parsers": self.parsers}  # fmt: skip

    def setup(self) -> None:
        self.reader = None  # a worker forked from the process that recognises opens its own
        self.prepare = prepare_for(self.archive_path)

    def teardown(self) -> None:
        if self.reader is not None:
            self.reader.close()  # the last connection to close checkpoints the WAL
            self.reader = None

    def _contents(self, hashes: list[str]) -> dict[str, Known]:
        if self.empty or not hashes:
            return {}
        if self.reader is None:
            self.reader = open_reader(self.archive_path)
        return self.reader.stored_contents(hashes, self.parsers)

    def known(self, sha256: str) -> tuple[str, list[str]] | None:
        found = self._contents([sha256]).get(sha256)
        return None if found is None or not found.current else (found.id, found.warnings)

    def recognise(self, tasks: list[Task]) -> list[Outcome | Task]:
        """Each input whose content the archive holds already, read by the current parsers,
        as unchanged; the others to be run, a file with the bytes read here."""
        if self.empty:
            return list(tasks)  # nothing stored before: nothing to read twice for
        read = [_content_hash(task) for task in tasks]
        found = self._contents([sha for sha, _ in read if sha is not None])
        out: list[Outcome | Task] = []
        for task, (sha256, data) in zip(tasks, read, strict=True):
            known = found.get(sha256) if sha256 is not None else None
            if known is not None:
                assert sha256 is not None
                out.append(_unchanged(task, (known.id, known.warnings), sha256, task.raw,
                                      revision=not known.current))  # fmt: skip
            elif sha256 is not None:
                # not asked again, nor hashed again
                out.append(replace(task, data=data, asked=True, sha256=sha256))
            else:
                out.append(task)
        return out

    def finish(self, out: Outcome) -> None:
        assert out.record is not None
        out.prepared = self.prepare(out.record)
        out.record = put_fields(out.record)  # the rest travels in the prepared JSON


def _content_hash(task: Task) -> tuple[str | None, bytes | None]:
    """The hash of a task's content where it can be had without parsing, and the bytes of a
    file read for it (None where the worker reads it: it cannot be read, or stdin)."""
    if task.error is not None:
        return None, None
    if task.raw is not None:
        return task.raw.sha256, None  # stdin, a TEI volume's document: hashed already
    if task.loc is None or task.loc.is_stdin:
        return None, None
    try:
        data = read_bytes(task.loc.path)
    except OSError:
        return None, None  # the worker's read_source says why, in its words
    return hashlib.sha256(data).hexdigest(), data


def ingest(
    archive: Archive,
    paths: Iterable[str],
    *,
    on_progress: ProgressCallback | None = None,
    batch_size: int = BATCH_SIZE,
    jobs: int = 1,
) -> IngestReport:
    """Store every input that parses and validates; report the others."""
    archive.limit_cache(8)  # writing 20,000 records is no faster with 64 MiB of cache
    work = IngestWork(archive.location, empty=archive.count() == 0)
    outcomes = iter_outcomes(paths, on_progress, jobs=jobs, work=work)
    return store_outcomes(archive, outcomes, batch_size=batch_size)


def store_outcomes(
    archive: Archive, outcomes: Iterable[Outcome], *, batch_size: int = BATCH_SIZE
) -> IngestReport:
    """Write the records of ``outcomes`` to the archive, ``batch_size`` to a transaction.

    An interrupted run rolls back the open batch, so the archive never holds half a
    record; batches already committed stay. A record that cannot be stored fails alone.
    """
    report = IngestReport()
    pending: list[Outcome] = []
    positions: list[int] = []  # each pending outcome's place in the input order
    started = time.monotonic()
    for position, out in enumerate(outcomes):
        if out.known_id is None and (out.failed or out.record is None):
            report.add(position, out)
            continue
        pending.append(out)
        positions.append(position)
        if len(pending) >= batch_size or time.monotonic() - started > FLUSH_SECONDS:
            _write(archive, pending, positions, report)
            pending, positions = [], []
            started = time.monotonic()
    if pending:
        _write(archive, pending, positions, report)
    written = report.counts["ingested"] + report.counts["updated"]
    if written and written >= OPTIMIZE_SHARE * archive.count():
        archive.optimize_index()
    return report


def _write(
    archive: Archive, batch: list[Outcome], positions: list[int], report: IngestReport
) -> None:
    """One transaction for the batch, tried again while another writer holds the archive.

    A record that cannot be stored fails alone: the batch is rolled back and written again
    without it (rare, so the common path pays nothing for it)."""
    failed: dict[int, Outcome] = {}
    attempt = 0
    bulk = True
    while True:
        try:
            final = _write_once(archive, batch, failed, bulk=bulk)
            break
        except _RecordFailed as exc:
            failed[exc.index] = exc.outcome
        except _BulkFailed:
            bulk = False  # written again record by record, which finds the one to blame
        except Exception as exc:
            if not archive.is_retryable(exc):
                raise  # full, read-only, damaged: the archive's own line names it
            attempt += 1
            if attempt == RETRIES:
                raise StoreError(
                    f"{archive.path}: cannot write ({exc})",
                    hint="another program holds the archive; the batches before were stored",
                ) from exc
            time.sleep(0.5 * 2 ** (attempt - 1))
    for position, out in zip(positions, final, strict=True):  # one outcome per place
        report.add(position, out)


class _RecordFailed(Exception):
    def __init__(self, index: int, outcome: Outcome) -> None:
        self.index, self.outcome = index, outcome


class _BulkFailed(Exception):
    """The new records of a batch, written together at its end, could not all be stored."""


def _write_once(
    archive: Archive, batch: list[Outcome], failed: dict[int, Outcome], *, bulk: bool = False
) -> list[Outcome]:
    """The batch's outcomes as stored, each with its status; those in ``failed`` (by
    position) left out as failures. ``bulk``: the new records written together at the end
    (one statement a table instead of five a record)."""
    final: list[Outcome] = []
    archive.begin(bulk=bulk)
    try:
        # what the archive holds now for the ids recognised by their hash, read at once;
        # a record written earlier in this batch is the one exception, and is read again
        holding = archive.hashes(
            [o.known_id for o in batch if o.known_id is not None and not o.revision]
        )
        written: set[str] = set()
        for n, out in enumerate(batch):
            if n in failed:
                final.append(failed[n])
                continue
            if out.known_id is not None and out.sha256 is not None:
                if out.revision or (
                    out.known_id not in written and holding.get(out.known_id) == out.sha256
                ):
                    # unchanged, confirmed under the write lock (an earlier revision stays
                    # one whatever the record holds now: revisions are never rewritten)
                    final.append(out)
                    continue
                # the record changed since the worker looked (an earlier input of this
                # run, another writer): read this content after all
                if out.raw is not None and out.element is not None:
                    out = process_element(out.raw, out.element)
                elif out.raw is not None:
                    out = process_source(out.raw, out.kind)
                else:
                    out = process(Located(out.path))
                if out.failed or out.record is None:
                    final.append(out)
                    continue
            assert out.record is not None
            try:
                out.status = archive.put(out.record, out.prepared or prepare(out.record))
                written.add(out.record["id"])
            except Exception as exc:
                if archive.is_archive_fault(exc):
                    raise  # the archive itself: busy, full, corrupt
                # this record only; the batch goes on without it
                raise _RecordFailed(n, _failure(out.path, _bug(out.path, exc))) from exc
            final.append(out)
        try:
            archive.commit()
        except Exception as exc:
            if not bulk or archive.is_archive_fault(exc):
                raise  # busy, full, corrupt: as for a record written alone
            raise _BulkFailed() from exc
    except BaseException:
        archive.rollback()
        raise
    return final
