"""Oracle benchmark: the TEI reader checks the text reader on the shapes real copies take.

    .venv/bin/python benchmarks/tei_oracle.py ../shared/corpus/frus-dev-tei
    .venv/bin/python benchmarks/tei_oracle.py VOLUME.xml --shapes arrow_footnotes,hard_wrapped

Each document of the TEI given (a folder of dev slices as ``frus-dev-tei/`` holds them, or
whole volumes) is read from its elements, which is the oracle, and rendered as the
website's text; each copy shape seen in the wild (``frus-wild-dev/README.md``) is applied
to that text, and the text reader (``formats.frus.parse``) reads the result. A shape that
loses a part (a lost dateline, lost opener lines) is compared with the TEI reading of the
same document without that part. Agreement is printed per field and per shape, then the
disagreements.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
import tempfile
import textwrap
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from archivetool.errors import ArchiveToolError
from archivetool.formats.frus import parse, parse_segments
from archivetool.formats.frus.dates import RECEIVED_OPEN, RECEIVED_RE, find_date
from archivetool.formats.frus.lines import is_classification, is_opener_bracket
from archivetool.formats.frus.segments import Segments
from archivetool.formats.frus.tei import iter_documents

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from tei_slices import volumes, write_volume  # noqa: E402  (the dev test's slice joiner)

FIELDS = ["file_number", "doc_type", "title", "sender.name", "sender.role", "recipient.name",
          "recipient.role", "place", "date", "time", "received", "serial_number",
          "classification", "signed", "footnotes"]  # fmt: skip
_PRINTED = re.compile(r"^No\.\s*\d+[A-Za-z]?\.?\s+")
_LISTED = re.compile(r"^  (\d+)\. (.*)$")
_PAGE = re.compile(r"\[Page (\d+)\]")


# --- the shapes: website text → a copy as met in the wild ---------------------------------


def _dateline_at(lines: list[str], seg: Segments) -> int | None:
    """The rendered dateline: the first short line after the heading with a date in it."""
    start = _heading_at(lines, seg) + 1
    for i in range(start, min(start + 8, len(lines))):
        line = lines[i]
        if len(line) <= 90 and find_date(line) and not _LISTED.match(line):
            return i
    return None


def _heading_at(lines: list[str], seg: Segments) -> int:
    key = " ".join(seg.heading.split()[:4])
    return next((i for i, ln in enumerate(lines) if key and key in " ".join(ln.split())), 0)


def arrow_footnotes(text: str, seg: Segments) -> str:
    """The footnote list through a Markdown converter: '- text↩'."""
    return "\n".join(
        f"- {m.group(2)}↩" if (m := _LISTED.match(ln)) else ln for ln in text.split("\n")
    )


def single_newlines(text: str, seg: Segments) -> str:
    return re.sub(r"\n{2,}", "\n", text)


def broken_dateline(text: str, seg: Segments) -> str:
    """'Washington, September 15, 1944.' → 'Washington' / ', September' / '15, 1944.'"""
    lines = text.split("\n")
    i = _dateline_at(lines, seg)
    found = find_date(lines[i]) if i is not None else None
    if i is None or not found:
        return text
    line, start = lines[i], found[0].start()
    place, rest = line[:start].rstrip(), line[start:]
    rest = re.sub(
        r"^([A-Z][a-z]+\.?)\s+(?=\d)", r"\1\n", rest, count=1
    )  # "September" / "15, 1944."
    lines[i] = (place[:-1] + "\n, " + rest) if place.endswith(",") else (place + "\n" + rest)
    return "\n".join(lines)


def lost_dateline(text: str, seg: Segments) -> str:
    """The dateline gone, a received note on it kept on its own line."""
    lines = text.split("\n")
    i = _dateline_at(lines, seg)
    if i is not None:
        kept = [f"[{m.group(1)}]" for m in RECEIVED_RE.finditer(lines[i])]
        lines[i : i + 1] = kept
    return "\n".join(lines)


def _without_dateline(seg: Segments) -> Segments:
    stated = dataclasses.replace(seg.stated, place=None, date=None)
    return dataclasses.replace(seg, datelines=(), stated=stated)


def dateline_slips(text: str, seg: Segments) -> str:
    """No comma after the place, none of a space after the year's comma
    ('Washington August 16, 1917,6 p.m.')."""
    lines = text.split("\n")
    i = _dateline_at(lines, seg)
    if i is not None and (found := find_date(lines[i])):
        start = found[0].start()
        before = re.sub(r",\s*$", " ", lines[i][:start])
        lines[i] = before + re.sub(r"(\d{4}),\s+(?=\d)", r"\1,", lines[i][start:])
    return "\n".join(lines)


def lost_openers(text: str, seg: Segments) -> str:
    """Classification and '[Telegram]' lines gone, a triple newline left."""
    lines = text.split("\n")
    keep = ["" if i < 12 and _lost_opener(ln) else ln for i, ln in enumerate(lines)]
    return re.sub(r"\n{4,}", "\n\n\n", "\n".join(keep))


def _lost_opener(line: str) -> bool:
    return (is_classification(line) or is_opener_bracket(line)) and not RECEIVED_OPEN.match(line)


def _without_openers(seg: Segments) -> Segments:
    return dataclasses.replace(seg, openers=tuple(op for op in seg.openers if not _lost_opener(op)))


def spacing_slips(text: str, seg: Segments) -> str:
    """'( Gauss )' and 'Mr. Bayard .' in the heading."""
    lines = text.split("\n")
    i = _heading_at(lines, seg)
    line = re.sub(r"\(([^()]+)\)", r"( \1 )", lines[i])
    lines[i] = re.sub(r"(?<=\w)\.$", " .", line)
    return "\n".join(lines)


def broken_heading(text: str, seg: Segments) -> str:
    """The heading broken inside the recipient ('Mr. King to Mr.' / 'Hay.')."""
    lines = text.split("\n")
    i = _heading_at(lines, seg)
    m = re.search(r"\sto\s+(\S+)\s+(?=\S)", lines[i])
    if m:
        lines[i] = lines[i][: m.end()].rstrip() + "\n" + lines[i][m.end() :]
    return "\n".join(lines)


def hard_wrapped(text: str, seg: Segments) -> str:
    """Body lines wrapped at 72 columns, inside sentences."""
    lines = text.split("\n")
    start = _heading_at(lines, seg) + 1
    out = lines[:start]
    for line in lines[start:]:
        if len(line) <= 72 or _LISTED.match(line):
            out.append(line)
            continue
        kept = _PAGE.sub(lambda m: f"[Page\u00a0{m.group(1)}]", line)
        wrapped = textwrap.wrap(kept, 72, break_long_words=False, break_on_hyphens=False)
        out += [w.replace("\u00a0", " ") for w in wrapped]
    return "\n".join(out)


def modifier_apostrophe(text: str, seg: Segments) -> str:
    """U+02BC 'ʼ' typed for U+2019 '’'."""
    return text.replace("\u2019", "\u02bc")


def mojibake(text: str, seg: Segments) -> str:
    """Accented letters as UTF-8 read in a single-byte code page ('YamÃªn')."""
    return re.sub("[\u00c0-\u00ff]", lambda m: m.group().encode().decode("latin-1"), text)


def stray_newlines(text: str, seg: Segments) -> str:
    """A leading newline where a source line stood; a cut copy's trailing space."""
    return "\n" + text.rstrip("\n") + " "


def _same(seg: Segments) -> Segments:
    return seg


@dataclasses.dataclass(frozen=True)
class Shape:
    """A copy shape: how it changes the text, what of the TEI reading it loses, and how it
    changes what is printed (a reader keeps 'ʼ' as printed, so the oracle has it too)."""

    change: Callable[[str, Segments], str]
    lose: Callable[[Segments], Segments] = _same
    printed: Callable[[str], str] | None = None


SHAPES: dict[str, Shape] = {
    "website": Shape(lambda text, seg: text),
    "arrow_footnotes": Shape(arrow_footnotes),
    "single_newlines": Shape(single_newlines),
    "broken_dateline": Shape(broken_dateline),
    "lost_dateline": Shape(lost_dateline, _without_dateline),
    "dateline_slips": Shape(dateline_slips),
    "lost_openers": Shape(lost_openers, _without_openers),
    "spacing_slips": Shape(spacing_slips),
    "broken_heading": Shape(broken_heading),
    "hard_wrapped": Shape(hard_wrapped),
    "modifier_apostrophe": Shape(
        modifier_apostrophe, printed=lambda v: v.replace("\u2019", "\u02bc")
    ),
    "mojibake": Shape(mojibake),
    "stray_newlines": Shape(stray_newlines),
}


def _printed(value: Any, fn: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, dict):
        return {k: _printed(v, fn) for k, v in value.items()}
    if isinstance(value, list):
        return [_printed(v, fn) for v in value]
    return value


# --- comparison -------------------------------------------------------------------------


def norm(value: Any) -> Any:
    """As the shared scorer compares: NFC, folded whitespace."""
    if isinstance(value, str):
        return " ".join(unicodedata.normalize("NFC", value).split()) or None
    if isinstance(value, dict):
        return {k: norm(v) for k, v in sorted(value.items())}
    return value


def field_value(fields: dict[str, Any] | None, name: str) -> Any:
    if fields is None:
        return "<no record>"
    if name == "footnotes":
        return sorted({(norm(f["n"]), norm(f["text"])) for f in fields.get("footnotes") or []})
    key, _, part = name.partition(".")
    cur: Any = fields.get(key)
    if part:  # several recipients: each one's name or role
        cur = [p.get(part) for p in cur] if isinstance(cur, list) else (cur or {}).get(part)
    value = norm(cur) if not isinstance(cur, list) else [norm(v) for v in cur]
    return _PRINTED.sub("", value) if name == "title" and isinstance(value, str) else value


def text_fields(text: str) -> dict[str, Any] | None:
    try:
        return parse(text).fields
    except ArchiveToolError:
        return None


@dataclasses.dataclass
class Tally:
    fields: Counter[str] = dataclasses.field(default_factory=Counter)
    field_hits: Counter[str] = dataclasses.field(default_factory=Counter)
    shapes: Counter[str] = dataclasses.field(default_factory=Counter)
    shape_hits: Counter[str] = dataclasses.field(default_factory=Counter)
    docs: Counter[str] = dataclasses.field(default_factory=Counter)
    docs_whole: Counter[str] = dataclasses.field(default_factory=Counter)
    misses: list[tuple[str, str, str, Any, Any]] = dataclasses.field(default_factory=list)

    def add(self, shape: str, doc: str, want: dict[str, Any], got: dict[str, Any] | None) -> None:
        whole = True
        for name in FIELDS:
            a, b = field_value(want, name), field_value(got, name)
            self.fields[name] += 1
            self.shapes[shape] += 1
            if a == b:
                self.field_hits[name] += 1
                self.shape_hits[shape] += 1
            else:
                whole = False
                self.misses.append((shape, doc, name, a, b))
        self.docs[shape] += 1
        self.docs_whole[shape] += whole


def documents(paths: list[Path]) -> Iterator[tuple[str, Segments, str]]:
    """(volume_doc, TEI reading, website text) of every document the paths hold."""
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths:
            files = (
                [path] if path.is_file() else [write_volume(v, Path(tmp)) for v in volumes(path)]
            )
            for file in files:
                for doc in iter_documents(file, with_text=True):
                    yield f"{doc.volume}_{doc.doc_id}", doc.segments, doc.text


def run(paths: list[Path], shapes: list[str]) -> Tally:
    tally = Tally()
    for name, seg, text in documents(paths):
        for shape in shapes:
            how = SHAPES[shape]
            want = parse_segments(how.lose(seg)).fields
            if how.printed:
                want = _printed(want, how.printed)
            tally.add(shape, name, want, text_fields(how.change(text, seg)))
    return tally


def _short(value: Any, width: int = 90) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= width else text[: width - 1] + "…"


def report(tally: Tally, misses: int) -> None:
    total, hits = sum(tally.fields.values()), sum(tally.field_hits.values())
    print(f"TEI oracle: {tally.docs['website']} documents, {len(tally.docs)} shapes")
    print(f"\n{'field':<18} agreement")
    for name in FIELDS:
        n, k = tally.fields[name], tally.field_hits[name]
        print(f"{name:<18} {k / n:.4f}  ({k}/{n})")
    print(f"\n{'shape':<22} {'fields':<22} documents wholly agreeing")
    for shape in tally.docs:
        n, k = tally.shapes[shape], tally.shape_hits[shape]
        d, w = tally.docs[shape], tally.docs_whole[shape]
        print(f"{shape:<22} {k / n:.4f} ({k}/{n}){'':<3} {w}/{d}")
    if misses:
        print(f"\ndisagreements ({len(tally.misses)}; first {min(misses, len(tally.misses))}):")
        for shape, doc, name, want, got in tally.misses[:misses]:
            print(f"  {shape:<20} {doc:<26} {name:<15} tei={_short(want)}  text={_short(got)}")
    print(f"\noverall {hits / total:.4f} ({hits}/{total} fields)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+", type=Path, help="TEI volumes or folders of dev slices")
    ap.add_argument("--shapes", default=",".join(SHAPES), help="comma-separated; default all")
    ap.add_argument("--misses", type=int, default=40, help="disagreements to list")
    ap.add_argument("--json", action="store_true", help="the figures as JSON")
    args = ap.parse_args(argv)
    shapes = [s for s in args.shapes.split(",") if s]
    unknown = [s for s in shapes if s not in SHAPES]
    if unknown:
        ap.error(f"unknown shape(s) {', '.join(unknown)}; known: {', '.join(SHAPES)}")
    tally = run(args.paths, shapes)
    if args.json:
        figures = {
            "fields": {f: tally.field_hits[f] / tally.fields[f] for f in FIELDS},
            "shapes": {s: tally.shape_hits[s] / tally.shapes[s] for s in tally.shapes},
            "misses": [list(m) for m in tally.misses],
        }
        print(json.dumps(figures, ensure_ascii=False, indent=1, default=str))
    else:
        report(tally, args.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
