"""The dev volumes' TEI slices (``../shared/corpus/frus-dev-tei/``) as small TEI volumes.

Each volume folder holds untouched 16,000-character slices named by their offset; slices
whose offsets differ by 16,000 join into a contiguous run. The documents lying wholly inside
a run (a balanced ``<div type="document">`` … ``</div>``) are kept, wrapped in a TEI root
that declares the namespaces the slices lack. Used by the dev test and the oracle benchmark.
"""

from __future__ import annotations

import re
from pathlib import Path

SLICE = 16_000
HEAD = (
    '<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:frus="http://history.state.gov/frus/ns/1.0">'
    "<text><body>\n"
)
TAIL = "\n</body></text></TEI>\n"
_DOCUMENT_OPEN = re.compile(r'<div\b[^>]*\btype="document"[^>]*>')
_DIV_TAG = re.compile(r"<div\b[^>]*?(/?)>|</div>")


def runs(volume: Path) -> list[str]:
    """The volume's slices joined into contiguous runs, in file order."""
    out: list[str] = []
    last = None
    for piece in sorted(volume.glob("*.xml"), key=lambda p: int(p.stem)):
        offset, text = int(piece.stem), piece.read_text(encoding="utf-8")
        if last is not None and offset == last + SLICE:
            out[-1] += text
        else:
            out.append(text)
        last = offset
    return out


def complete_documents(run: str) -> list[str]:
    """Every ``<div type="document">`` that opens and closes inside the run."""
    found = []
    for m in _DOCUMENT_OPEN.finditer(run):
        depth = 0
        for tag in _DIV_TAG.finditer(run, m.start()):
            if tag.group().startswith("</"):
                depth -= 1
            elif not tag.group(1):
                depth += 1
            if depth == 0:
                found.append(run[m.start() : tag.end()])
                break
    return found


def write_volume(volume: Path, out_dir: Path) -> Path:
    """A TEI file of the complete documents the volume's slices hold."""
    docs = [doc for run in runs(volume) for doc in complete_documents(run)]
    path = out_dir / f"{volume.name}.xml"
    path.write_text(HEAD + "\n".join(docs) + TAIL, encoding="utf-8")
    return path


def volumes(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.iterdir() if p.is_dir()) if corpus.is_dir() else []
