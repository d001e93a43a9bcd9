"""The end of a document's own text: enclosures split off, closing dateline, signature.

An enclosure (``[Inclosure.]``, an enclosed note with its own heading) carries its own
signature, which is never taken for the document's.
"""

from __future__ import annotations

import re

from archivetool.formats.frus.dates import find_date, read_dateline
from archivetool.formats.frus.segments import Enclosure
from archivetool.formats.frus.vocab import (
    CLOSING_DATELINE_WINDOW,
    ENCLOSURE,
    MAX_CLOSING_DATELINE,
    MAX_SIGNATURE_LINE,
    MAX_SIGNATURE_LINES,
)

_CLOSING = re.compile(
    r"(?:yours|truly|faithfully|sincerely|respectfully|regards|&c\.|\[etc\.?\]|etc\.|"
    r"consideration|honor|cordially|as ever|ever)[,.]?$|^I (?:have|am)\b|^Accept\b|^Believe me\b",
    re.IGNORECASE,
)
_ADDRESSEE = re.compile(
    r"^(?:Hon\.|Honorable|The Honorable|To the\b|To his\b|His Excellency|Her Excellency|"
    r"Their Excellencies)|\bEsq\."
)
_ADDRESSEE_OPENS = ("Hon.", "Honorable", "The Honorable", "To the", "To his", "His Excellency",
                    "Her Excellency", "Their Excellencies")  # fmt: skip


def _addressee(line: str) -> bool:
    """An addressee line; the pattern is searched only in a line that opens with one of its
    words or holds 'Esq.' (a search of a long last paragraph tries every character)."""
    return (line.startswith(_ADDRESSEE_OPENS) or "Esq." in line) and bool(_ADDRESSEE.search(line))


_LOWER_WORD_END = re.compile(r"\b[a-z]+$")
_OFFICE_WORD = re.compile(r"\b(?:of|in|at|for|to|ad|and)\b")
_EDITORS_NOTE = re.compile(r"^\[[^\]]{20,}\]\.?$")
_ADDRESSED = re.compile(r"^(?:Mr|Mrs|Messrs)\.\s")  # "Mr. Thorp Concurs.": a sentence, no signature
_FOR_LINE = re.compile(r"^For the\b.*:$|^By direction\b|^In the absence\b")
_NAME_TOKEN = re.compile(
    r"^(?:[A-Z][\w’'.\-]*|[A-Z]?\[[\w’'.]+\]\.?|[A-Z]\.|de|da|van|von|y|del|of|for|the|and|Jr\.?,?)$"
)
# an enclosed piece without a label: a short heading 'X to Y.' followed by its dateline
_NO_STOP = r"(?:[^.]|(?<=Mr|Dr|St|Jr|Sr)\.|(?<=Mrs)\.|(?<=\b[A-Z])\.)"  # abbreviations' stops
_INNER_HEADING = re.compile(
    rf"^(?:The |Mr\. |[A-Z][\w.]+ ){_NO_STOP}{{0,120}}\bto\b{_NO_STOP}{{0,120}}\.?$"
)
_INNER_HEADING_MIN_BODY = 1
_OPEN_END = re.compile(r"\s(?:to|the|of|in|at|and|with|for|by|on|a|an)$", re.IGNORECASE)
_INNER_SALUTATION = re.compile(
    r"^(?:Sir|Gentlemen|Excellency|Your Excellency|Monsieur)\b[^:]{0,40}:"
)  # lines of the document's own before such a heading


def split_enclosures(lines: list[str]) -> tuple[list[str], list[Enclosure]]:
    """The document's own lines, and each enclosure after them."""
    starts = [i for i, ln in enumerate(lines) if "[" in ln and ENCLOSURE.match(ln.strip())]
    if not starts:
        own = 0  # the document's own non-blank lines before line i
        for i, line in enumerate(lines):
            if own >= _INNER_HEADING_MIN_BODY and _inner_heading_at(lines, i):
                starts = [i]
                break
            own += bool(line.strip())
    if not starts:
        return lines, []
    enclosures = []
    for k, start in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else len(lines)
        part = [ln for ln in lines[start:stop]]
        label = part[0].strip() if ENCLOSURE.match(part[0].strip()) else None
        rest = [ln.strip() for ln in (part[1:] if label else part) if ln.strip()]
        heading = rest[0] if rest and not find_date(rest[0]) else None
        enclosures.append(Enclosure(label, heading, find_signature(part)))
    return lines[: starts[0]], enclosures


def _inner_heading_at(lines: list[str], i: int) -> bool:
    s = lines[i].strip()
    # the cheap tests first: this runs on every line of a document without an enclosure,
    # and the heading pattern backtracks over a long line (most lines are long)
    if len(s) > MAX_CLOSING_DATELINE or "to" not in s or not _INNER_HEADING.match(s):
        return False
    if _OPEN_END.search(s):
        return False
    above = lines[i - 1].strip() if i else ""
    if above and not _name_like(above):
        return False  # the middle of a paragraph (a hard-wrapped line), not a new piece
    nxt = [ln.strip() for ln in lines[i + 1 : i + 4] if ln.strip()]
    if any(find_date(ln) and len(ln) <= MAX_CLOSING_DATELINE for ln in nxt[:2]):
        return True
    # an enclosed letter straight after the document's signature: 'Sir:' opens it
    return bool(nxt and _INNER_SALUTATION.match(nxt[0]) and find_signature(lines[:i]))


def find_closing_dateline(main: list[str]) -> str | None:
    """A dateline printed after the text ('Washington, [September 17, 1948.]'), as notes,
    aide-mémoire and many letters have it: a short line of place and date at the end."""
    tail = [ln.strip() for ln in main if ln.strip()][-CLOSING_DATELINE_WINDOW:]
    for line in reversed(tail):
        if len(line) > MAX_CLOSING_DATELINE:
            continue
        found = find_date(line)
        if found and len(line) - (found[0].end() - found[0].start()) < 40 and read_dateline(line):
            return line
    return None


def _name_like(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > MAX_SIGNATURE_LINE or s.endswith(":") or any(ch.isdigit() for ch in s):
        return False
    if s.startswith(("[", "(", "“", '"', "-", "•")):
        return False
    tokens = s.replace(",", " ").split()
    if not 1 <= len(tokens) <= 7:
        return False
    return all(_NAME_TOKEN.match(t) for t in tokens)


def find_addressee(lines: list[str]) -> tuple[str, ...]:
    """The addressee printed under the signature in older volumes ('Hon. William H. Seward,' /
    'Secretary of State.')."""
    for j in _last_filled(lines, 4):
        if _addressee(lines[j].strip()):
            return tuple(ln.strip() for ln in lines[j:] if ln.strip())
    return ()


def _last_filled(lines: list[str], n: int) -> list[int]:
    """The indices of the last ``n`` non-blank lines, in order (found from the end, not by
    stripping every line of the document)."""
    found: list[int] = []
    j = len(lines) - 1
    while j >= 0 and len(found) < n:
        if lines[j].strip():
            found.append(j)
        j -= 1
    found.reverse()
    return found


def _wrapped(line: str) -> bool:
    """A long line ending inside a sentence, on a lower-case word: it goes on below."""
    return len(line) > MAX_SIGNATURE_LINE and bool(_LOWER_WORD_END.search(line))


_MAX_NOTE_LINES = 12  # a hard-wrapped editors' note spans at most this many lines


def _above_editors_notes(main: list[str], k: int) -> int:
    while k >= 0:
        s = main[k].strip()
        if not s or _EDITORS_NOTE.match(s):
            k -= 1
            continue
        if s.endswith(("]", "].")) and "[" not in s:
            top = next((j for j in range(k - 1, max(-1, k - _MAX_NOTE_LINES), -1)
                        if main[j].strip().startswith("[")), None)  # fmt: skip
            if top is not None and not any("]" in main[j] for j in range(top, k)):
                k = top - 1
                continue
        return k
    return k


def find_signature(lines: list[str]) -> tuple[str, ...]:
    """The signature as printed: the name-like lines that end the text given."""
    main = list(lines)
    # older volumes print the addressee under the signature ("Hon. William H. Seward," /
    # "Secretary of State."): the signature stands above it
    for j in _last_filled(main, 4):
        if _addressee(main[j].strip()):
            main = main[:j]
            break
    # blank lines and the editors' bracketed notes after the signature ("[Only the portion
    # of these inclosures …]", also hard-wrapped over lines) stand below it
    k = _above_editors_notes(main, len(main) - 1)
    block: list[str] = []
    while k >= 0:
        s = main[k].strip()
        if not s:
            if block:
                break
            k -= 1
            continue
        # the name test first: it refuses a long line by its length, where the closing
        # pattern would be tried at each of its characters
        if not _name_like(s) or _FOR_LINE.match(s) or _CLOSING.search(s) or _ADDRESSED.match(s):
            break
        block.insert(0, s)
        k -= 1
        if len(block) >= MAX_SIGNATURE_LINES:
            break
    if block and block[-1].endswith(".") and k >= 0 and _wrapped(main[k].strip()):
        return ()  # the tail of a hard-wrapped paragraph ('… in' / 'Guatemala.'), no signature
    # a title line under a full name ("Counselor of Embassy") is the signer's office, not
    # part of the signature; a rank under an initial ("G" / "Brigadier General USA") is
    while (
        len(block) > 1
        and _OFFICE_WORD.search(block[-1])
        and len(block[0].replace(".", "").split()) >= 2
    ):
        block.pop()
    return tuple(block)
