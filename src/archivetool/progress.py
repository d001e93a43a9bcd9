"""Progress drawn by rich on stderr, fed by the core through a callback.

Hidden when stderr is not a terminal, with --quiet, or for short runs (the bar appears
only once a run has taken a moment), so scripts and logs never see it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from archivetool.pipeline import ProgressCallback
from archivetool.safetext import visible

SHOW_AFTER_SECONDS = 0.5


@contextmanager
def progress_reporter(
    console: Console, quiet: bool, label: str = "ingest"
) -> Iterator[ProgressCallback | None]:
    if quiet or not console.is_terminal:
        yield None
        return
    progress = Progress(
        TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        TextColumn("{task.description}", markup=False), console=console, transient=True,
    )  # fmt: skip
    task = None
    started = time.monotonic()

    def update(done: int, total: int | None, path: str) -> None:
        nonlocal task
        if task is None:
            if time.monotonic() - started < SHOW_AFTER_SECONDS:
                return
            progress.start()
            task = progress.add_task(visible(path[-40:], one_line=True), total=total)
        progress.update(task, completed=done, description=visible(path[-40:], one_line=True))

    try:
        yield update
    finally:
        if task is not None:
            progress.stop()
