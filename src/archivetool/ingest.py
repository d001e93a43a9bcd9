"""Ingest: every input through the pipeline into the archive, in batched transactions."""

from __future__ import annotations

from collections.abc import Iterable

from archivetool.pipeline import IngestReport, Outcome, ProgressCallback, iter_outcomes
from archivetool.store import Archive

BATCH_SIZE = 500


def ingest(
    archive: Archive,
    paths: Iterable[str],
    *,
    on_progress: ProgressCallback | None = None,
    batch_size: int = BATCH_SIZE,
) -> IngestReport:
    """Store every input that parses and validates; report the others."""
    return store_outcomes(archive, iter_outcomes(paths, on_progress), batch_size=batch_size)


def store_outcomes(
    archive: Archive, outcomes: Iterable[Outcome], *, batch_size: int = BATCH_SIZE
) -> IngestReport:
    """Write the records of ``outcomes`` to the archive, ``batch_size`` to a transaction.

    An interrupted run rolls back the open batch, so the archive never holds half a
    record; batches already committed stay.
    """
    report = IngestReport()
    pending = 0
    archive.begin()
    try:
        for out in outcomes:
            report.warnings += sum(1 for i in out.issues if i.severity == "warning")
            if out.failed or out.record is None:
                report.counts["failed"] += 1
                report.failures.extend(i for i in out.issues if i.severity == "error")
                continue
            status = archive.put(out.record)
            out.status = status
            report.counts[status] += 1
            pending += 1
            if pending >= batch_size:
                archive.commit()
                archive.begin()
                pending = 0
        archive.commit()
    except BaseException:
        archive.rollback()
        raise
    return report
