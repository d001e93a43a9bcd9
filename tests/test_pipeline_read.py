"""A file read with the system's calls (:func:`archivetool.sources.read_bytes`) gives what
``Path.read_bytes`` gives, and fails as it does."""

from __future__ import annotations

from pathlib import Path

import pytest

from archivetool.sources import read_bytes

DATA = Path(__file__).parent / "data"


def test_a_file_reads_as_path_reads_it(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(bytes(range(256)) * 9000)  # more than one read of 1 MiB
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    for path in [*sorted(DATA.glob("frus/*.txt"))[:20], big, empty]:
        assert read_bytes(str(path)) == path.read_bytes()


def test_a_missing_file_fails_as_path_fails(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    with pytest.raises(OSError) as ours:
        read_bytes(str(missing))
    with pytest.raises(OSError) as theirs:
        missing.read_bytes()
    assert (ours.value.errno, ours.value.strerror) == (theirs.value.errno, theirs.value.strerror)
