"""A file read with the system's calls (:func:`archivetool.sources.read_bytes`) gives what
``Path.read_bytes`` gives, and fails as it does; a folder is listed
(:func:`archivetool.sources.folder_files`) as ``Path.rglob`` lists it."""

from __future__ import annotations

from pathlib import Path

import pytest

from archivetool.sources import FOLDER_SUFFIXES, folder_files, read_bytes

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


def _by_rglob(folder: Path) -> list[str]:
    """How the folder's files were found before folder_files: the definition it keeps to."""
    found = sorted(
        (p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in FOLDER_SUFFIXES),
        key=lambda p: p.parts,
    )
    return [str(p) for p in found]


def _tree(root: Path) -> None:
    names = ["b.txt", "a.txt", "A.TXT", "c.Xml", ".hidden.txt", ".txt", "d.", "e.md", "f.txt.bak",
             "sub/z.txt", "sub/a.xml", "sub/deeper/x.txt", "sub-a/y.txt", "sub.txt/in.txt",
             ".dot/h.txt", "10/n.txt", "9/n.txt", "é/ü.txt"]  # fmt: skip
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x", encoding="utf-8")
    (root / "link.txt").symlink_to(root / "a.txt")
    (root / "broken.txt").symlink_to(root / "nowhere.txt")
    (root / "linked-folder").symlink_to(root / "sub", target_is_directory=True)
    (root / "folder.txt").mkdir()


def test_a_folder_is_listed_as_rglob_lists_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "corpus"
    _tree(root)
    assert folder_files(root) == _by_rglob(root)
    assert len(folder_files(root)) > 10
    monkeypatch.chdir(tmp_path)
    for given in ["corpus", "corpus/", "./corpus", "corpus//sub"]:
        assert folder_files(Path(given)) == _by_rglob(Path(given)), given
    monkeypatch.chdir(root)
    assert folder_files(Path(".")) == _by_rglob(Path("."))
