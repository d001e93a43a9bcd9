"""An export written to a file: beside its place first, moved there only when complete.

The partial file is named after the process writing it (``.NAME.PID.partial``), so two
exports to one name never write into each other's file, and a partial file left by an
export that was killed (its process is gone) is removed by the next export to that name.
A folder that cannot be written is an output error (exit 1), not a usage error.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from archivetool.errors import OutputError

_HINT = "check that the folder exists and can be written, and that there is space"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def clean_stale_partials(path: Path) -> list[Path]:
    """Remove the partial files of ``path`` whose export is no longer running."""
    removed: list[Path] = []
    pattern = re.compile(rf"\.{re.escape(path.name)}(?:\.(\d+))?\.partial")
    try:
        candidates = list(path.parent.iterdir())
    except OSError:
        return removed
    for p in candidates:
        m = pattern.fullmatch(p.name)
        if m and (m.group(1) is None or not _alive(int(m.group(1)))):
            try:
                p.unlink()
                removed.append(p)
            except OSError:
                pass
    return removed


@contextmanager
def open_output(path: Path | None) -> Iterator[TextIO]:
    """stdout, or a file written beside its place and moved there only when complete."""
    if path is None:
        yield sys.stdout
        return
    clean_stale_partials(path)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        handle = partial.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})", hint=_HINT) from exc
    try:
        with handle:
            yield handle
        os.replace(partial, path)
    except OSError as exc:
        raise OutputError(
            f"{path}: cannot write ({exc.strerror or exc})",
            hint=f"{_HINT}; the file was left as it was",
        ) from exc
    finally:
        partial.unlink(missing_ok=True)
