"""The footnote list at the end of a copy, in each of the website's styles.

``  1. text`` (indented, the website's own), ``- text↩`` (a copy through a Markdown
converter; a note of several paragraphs opens with a bare ``-`` and its ``↩`` may start the
next line) and ``1. text`` (unindented, which is only taken for footnotes when the body
carries a marker for every item: a list of points ends many documents too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archivetool.formats.frus import markers as mk

INDENTED = "indented"
ARROW = "arrow"
PLAIN = "plain"

_FN_INDENTED = re.compile(r"^\s+(\d+)\.\s+(.*)$")
_FN_ARROW = re.compile(r"^-\s+(.*?)\s*↩\s*$")
_FN_ARROW_OPEN = re.compile(r"^-\s*$")  # a note of several paragraphs opens with a bare dash
_FN_PLAIN = re.compile(r"^(\d+)\.\s+(.*)$")
_ARROW_LEAD = re.compile(r"^↩\s*")
# a plain list's items are footnotes only when their markers are this cheap on average
PLAIN_LIST_MAX_MARKER_COST = 1.0


@dataclass
class ListedNote:
    number: int  # the list's own renumbered position (1, 2, …)
    text: str
    line: int
    closed: bool = True  # a '- …↩' note whose arrow was seen


def drop_cut_note(items: list[ListedNote], style: str | None) -> bool:
    """A copy cut inside its last '- …↩' note: that note's text is lost, and is left out."""
    if style == ARROW and items and not items[-1].closed:
        items.pop()
        return True
    return False


def split_footnotes(lines: list[str]) -> tuple[list[str], list[ListedNote], str | None]:
    """The document's own lines, the listed footnotes, and the list's style."""
    start, style = _list_start(lines)
    if start is None:
        return lines, [], None
    reader = _read_arrow if style == ARROW else _read_numbered
    items = reader(lines, start, style or PLAIN)
    if style == PLAIN and not _plain_list_is_footnotes(lines[:start], items):
        return lines, [], None
    return lines[:start], items, style


def _list_start(lines: list[str]) -> tuple[int | None, str | None]:
    for i, line in enumerate(lines):
        # an indented note opens on a space, an arrow note on a dash: other lines (nearly
        # all) are passed over without trying the three patterns
        first = line[:1]
        if first.isspace():
            m = _FN_INDENTED.match(line)
            if m and m.group(1) == "1":
                return i, INDENTED
        elif first == "-" and (
            _FN_ARROW.match(line) or (_FN_ARROW_OPEN.match(line) and _arrow_follows(lines, i))
        ):
            return i, ARROW
    return _plain_start(lines)


def _arrow_follows(lines: list[str], i: int) -> bool:
    """A bare '-' opens a footnote when a '↩' closes it before the next bare dash."""
    for line in lines[i + 1 :]:
        if "↩" in line:
            return True
        if line.startswith("- "):
            return False
    return False


def _read_arrow(lines: list[str], start: int, style: str) -> list[ListedNote]:
    items: list[ListedNote] = []
    for i in range(start, len(lines)):
        line = lines[i].strip()
        if not line:
            continue
        if _ARROW_LEAD.match(line):  # '↩ - next note': the arrow closes the item above
            if items:
                items[-1].closed = True
            line = _ARROW_LEAD.sub("", line)
            if not line:
                continue
        if items and not items[-1].closed or not line.startswith("-"):
            if items:  # a continuation line of the item above
                items[-1].text = (items[-1].text + " " + line.rstrip("↩").strip()).strip()
                items[-1].closed = line.endswith("↩")
            continue
        text = line[1:].strip()
        items.append(
            ListedNote(len(items) + 1, text.rstrip("↩").strip(), i + 1, text.endswith("↩"))
        )
    return items


def _read_numbered(lines: list[str], start: int, style: str) -> list[ListedNote]:
    pattern = _FN_INDENTED if style == INDENTED else _FN_PLAIN
    items: list[ListedNote] = []
    for i in range(start, len(lines)):
        line = lines[i]
        if not line.strip():
            continue
        m = pattern.match(line)
        if m and int(m.group(1)) == len(items) + 1:
            items.append(ListedNote(len(items) + 1, m.group(2).strip(), i + 1))
        elif items:  # a continuation line of the item above
            items[-1].text = (items[-1].text + " " + line.strip()).strip()
    return items


def _plain_start(lines: list[str]) -> tuple[int | None, str | None]:
    """An unindented list '1. …' … 'k. …' that runs to the very end of the text."""
    last = len(lines) - 1
    while last >= 0 and not lines[last].strip():
        last -= 1
    expect = None
    start = None
    for i in range(last, -1, -1):
        m = _FN_PLAIN.match(lines[i])
        if m:
            n = int(m.group(1))
            if expect is None or n == expect:
                expect, start = n - 1, i
                if n == 1:
                    break
        elif lines[i].strip() and expect is None:
            return None, None
    if start is None or expect != 0:
        return None, None
    # a body list (1., 2., …) also ends with its last item: demand footnote-like items
    if any(re.match(r"^\d+\.\s*$", lines[j]) for j in range(start, last)):
        return None, None
    return start, PLAIN


def _plain_list_is_footnotes(lines: list[str], items: list[ListedNote]) -> bool:
    cands = mk.prune(mk.find_candidates("\n".join(lines)), len(items))
    picked = mk.choose_markers(cands, len(items))
    if not picked:
        return False
    return sum(c.cost for c in picked) / len(picked) <= PLAIN_LIST_MAX_MARKER_COST
