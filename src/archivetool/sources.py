"""Find inputs, read their bytes, hash them and sniff which kind of text they are.

Nothing here parses a record: this stage turns paths into :class:`RawSource` values (or a
:class:`InputError` for the one input that could not be read), one at a time, so that a
batch of any size is streamed.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from archivetool import kinds
from archivetool.errors import InputError

# the kinds' names, for the modules and tests that name one (the registry owns them)
FRUS = kinds.FRUS.name
BIBLIOGRAPHIC = kinds.BIBLIOGRAPHIC.name
KINDS = tuple(kinds.names())

STDIN = "-"
FOLDER_SUFFIXES = (".txt", ".xml")  # copied texts, and TEI volumes


@dataclass(frozen=True)
class RawSource:
    """One input as read: where it came from, its bytes' hash and its text."""

    path: str
    sha256: str
    text: str
    size: int


@dataclass(frozen=True)
class Located:
    """An input path found on the command line or under a folder."""

    path: str
    is_stdin: bool = False


def iter_locations(paths: Iterable[str]) -> Iterator[Located | InputError]:
    """Expand files, folders (recursively, ``*.txt`` and ``*.xml``) and ``-`` in the order given."""
    for raw in paths:
        if raw == STDIN:
            yield Located(STDIN, is_stdin=True)
            continue
        path = Path(raw)
        if path.is_dir():
            found = folder_files(path)
            if not found:
                yield InputError(
                    f"{raw}: folder holds no .txt or .xml files", hint="point at the files to read"
                )
            for p in found:
                yield Located(p)
        elif path.is_file():
            yield Located(str(path))
        elif path.exists():
            yield InputError(f"{raw}: not a regular file", hint="give a text file or a folder")
        else:
            yield InputError(f"{raw}: no such file or folder", hint="check the path")


def folder_files(folder: Path) -> list[str]:
    """The ``.txt`` and ``.xml`` files under ``folder`` at any depth, sorted by their parts:
    what ``sorted((p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in
    FOLDER_SUFFIXES), key=lambda p: p.parts)`` gives as strings, found by os.scandir, which
    knows a file from a folder without a stat or a Path each (a quarter of the CPU for 20,000
    files; tests/test_pipeline_read.py holds the two alike). As rglob does, a link to a
    folder is not followed and a folder that cannot be read is passed over."""
    base = str(folder)
    top = "" if base == "." else base if base.endswith(os.sep) else base + os.sep
    found: list[tuple[tuple[str, ...], str]] = []
    todo: list[tuple[str, tuple[str, ...]]] = [(top, ())]
    while todo:
        prefix, parts = todo.pop()
        try:
            with os.scandir(prefix or ".") as it:
                entries = list(it)
        except PermissionError:
            continue
        for entry in entries:
            name = entry.name
            dot = name.rfind(".")
            suffix = name[dot:].lower() if 0 < dot < len(name) - 1 else ""
            if suffix in FOLDER_SUFFIXES and entry.is_file():
                found.append(((*parts, name), prefix + name))
                continue
            try:
                folder_here = entry.is_dir() and not entry.is_symlink()
            except OSError:
                folder_here = False
            if folder_here:
                todo.append((prefix + name + os.sep, (*parts, name)))
    found.sort(key=lambda f: f[0])
    return [p for _, p in found]


def read_source(loc: Located) -> RawSource:
    """Read one input as UTF-8 text, refusing what would be misread."""
    if loc.is_stdin:
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        name = loc.path
        try:
            data = read_bytes(loc.path)
        except OSError as exc:
            raise InputError(
                f"{name}: cannot be read ({exc.strerror})", hint="check its permissions"
            ) from exc
    return decode_source(name, data)


def read_bytes(path: str) -> bytes:
    """A file's bytes, read with the system's calls: a third of the CPU of
    ``Path.read_bytes`` (no file object, no buffer) for the many small files of a folder."""
    fd = os.open(path, os.O_RDONLY)
    try:
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def decode_source(name: str, data: bytes, sha256: str | None = None) -> RawSource:
    """``data`` read as text; ``sha256`` the bytes' hash when the caller has it already."""
    if not data.strip():
        raise InputError(f"{name}: empty file", hint="copy the document's text into it")
    text = _decode(name, data)
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise InputError(
            f"{name}: line {line}: a NUL character, so binary data, not text",
            hint="give the copied text as a UTF-8 .txt file",
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = sha256 or hashlib.sha256(data).hexdigest()
    return RawSource(path=name, sha256=digest, text=text, size=len(data))


# byte-order marks, longest first: UTF-32's little-endian mark begins with UTF-16's
_BOMS = [(codecs.BOM_UTF32_LE, "UTF-32LE"), (codecs.BOM_UTF32_BE, "UTF-32BE"),
         (codecs.BOM_UTF8, "UTF-8"), (codecs.BOM_UTF16_LE, "UTF-16LE"),
         (codecs.BOM_UTF16_BE, "UTF-16BE")]  # fmt: skip


def _decode(name: str, data: bytes) -> str:
    """The text of ``data``: UTF-8 (a byte-order mark is dropped), or UTF-16 with its mark.
    Anything else is refused with a line naming what it looks like."""
    bom = next((enc for mark, enc in _BOMS if data.startswith(mark)), None)
    if bom and bom.startswith("UTF-32"):
        raise InputError(
            f"{name}: {bom} text (it begins with a {bom} byte-order mark)",
            hint=f"convert it with: iconv -f {bom} -t UTF-8",
        )
    if bom and bom.startswith("UTF-16"):
        try:
            text = data[2:].decode(bom)
        except UnicodeDecodeError as exc:
            line = data[2 : exc.start + 2].decode(bom, errors="replace").count("\n") + 1
            raise InputError(
                f"{name}: line {line}: not valid {bom}, though it begins with a {bom} "
                "byte-order mark",
                hint="the file is damaged or mixes encodings; save it again as UTF-8",
            ) from exc
        if "tei-c.org/ns" in text[:4096] and text.lstrip().startswith("<"):
            raise InputError(
                f"{name}: a TEI XML volume in {bom}, which is read as a volume only in UTF-8",
                hint=f"convert it with: iconv -f {bom} -t UTF-8",
            )
        return text
    utf16 = _utf16_without_bom(data)
    if utf16:
        raise InputError(
            f"{name}: {utf16} text without a byte-order mark, not UTF-8",
            hint=f"convert it with: iconv -f {utf16} -t UTF-8",
        )
    if b"\x00" in data[:8192]:
        raise InputError(
            f"{name}: binary file, not text", hint="give the copied text as a UTF-8 .txt file"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        if bom == "UTF-8":
            raise InputError(
                f"{name}: line {line}: not valid UTF-8, though it begins with a UTF-8 "
                "byte-order mark",
                hint="the file is damaged or mixes encodings; save it again as UTF-8",
            ) from exc
        guess = _guess_legacy_encoding(data)
        hint = (
            f"it looks like {guess}; convert it with: iconv -f {guess} -t utf-8"
            if guess
            else "save it as UTF-8"
        )
        raise InputError(f"{name}: line {line}: not UTF-8 text", hint=hint) from exc


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16LE or UTF-16BE when the NUL bytes of the start stand on one side of the pairs,
    as they do in UTF-16 text of Latin script; None otherwise."""
    head = data[:4096]
    pairs = len(head) // 2
    if pairs < 4:
        return None
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    if odd >= pairs / 4 and even <= odd / 10:
        return "UTF-16LE"
    if even >= pairs / 4 and odd <= even / 10:
        return "UTF-16BE"
    return None


def _guess_legacy_encoding(data: bytes) -> str | None:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return "cp1252"


def sniff_kind(text: str) -> str | None:
    """Which kind of record this text is (its registry entry's detection), or None when it
    is none of them."""
    kind = kinds.sniff(text)
    return kind.name if kind is not None else None
