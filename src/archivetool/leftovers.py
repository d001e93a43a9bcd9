"""Files a killed run left behind: named after the process that made them, removed once
that process is gone.

An export writes ``.NAME.PID.partial`` and a new archive is built as ``.NAME.PID.new``
(with SQLite's ``-wal`` and ``-shm`` beside it); SIGKILL leaves them. The next run that
would make the same file removes those whose process no longer runs, and never those of a
run still going.
"""

from __future__ import annotations

import os
import re
from contextlib import suppress
from pathlib import Path


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def remove_leftovers(
    path: Path, suffix: str, *, extras: tuple[str, ...] = (), unnamed: bool = False
) -> list[Path]:
    """Remove the ``.NAME.PID<suffix>`` files of ``path`` whose process is gone, with any
    ``extras`` appended to their names (and, with ``unnamed``, the ``.NAME<suffix>`` an older
    archivetool wrote); return what was removed."""
    pid = r"(?:\.(\d+))?" if unnamed else r"\.(\d+)"
    tail = "(?:" + "|".join(map(re.escape, extras)) + ")?" if extras else ""
    pattern = re.compile(rf"\.{re.escape(path.name)}{pid}{re.escape(suffix)}{tail}")
    removed: list[Path] = []
    try:
        candidates = list(path.parent.iterdir())
    except OSError:
        return removed
    for p in candidates:
        m = pattern.fullmatch(p.name)
        if m and (m.group(1) is None or not process_alive(int(m.group(1)))):
            with suppress(OSError):
                p.unlink()
                removed.append(p)
    return removed
