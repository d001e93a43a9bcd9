"""An export written to a file: beside its place first, moved there only when complete.

The partial file is named after the process writing it (``.NAME.PID.partial``), so two
exports to one name never write into each other's file, and a partial file left by an
export that was killed (its process is gone) is removed by the next export to that name.
A folder that cannot be written is an output error (exit 1), not a usage error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from archivetool.errors import OutputError
from archivetool.leftovers import remove_leftovers

_HINT = "check that the folder exists and can be written, and that there is space"


def clean_stale_partials(path: Path) -> list[Path]:
    """Remove the partial files of ``path`` whose export is no longer running."""
    return remove_leftovers(path, ".partial", unnamed=True)


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
