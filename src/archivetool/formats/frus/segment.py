"""Cut a FRUS copy from the website into its parts (:class:`Segments`).

The copy shows, each part optional but the heading::

    source line        860H.01/478: Telegram | File No. 763.72/2 | Roosevelt Papers: Telegram
    number             No. 64.  |  110.  |  No. 49            (above the heading)
    heading            The Ambassador in the United Kingdom (Winant) to the Secretary of State
    header             dateline, [Received …], openers (secret, [Telegram], No. 691.])
    body               3341. We inquired of Sir Orme Sargent50 …  [Page 1008] …
    closing            closing dateline, signature, addressee
    enclosures         [Inclosure.] with their own heading, dateline and signature
    footnotes            1. British Deputy Under Secretary of State.   (or "- text↩")

The cutting follows that order of parts and never the wording of one volume. Footnote
markers are then found in the heading, the header and the body at once (they are glued to
words anywhere), and removed from every part.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from archivetool.errors import ParseError
from archivetool.formats.frus import markers as mk
from archivetool.formats.frus.dates import DATE_RE, RECEIVED_OPEN, RECEIVED_RE, find_date
from archivetool.formats.frus.footnotes import ListedNote, drop_cut_note, split_footnotes
from archivetool.formats.frus.lines import (
    AIRGRAM_NUMBER,
    NUMBER_GLUED,
    NUMBER_LINE,
    is_classification,
    is_dateline_fragment,
    is_full_dateline,
    is_handling,
    is_opener_bracket,
    is_paper_number,
    looks_body,
    parse_source_line,
    tidy,
)
from archivetool.formats.frus.parties import known_posts, post_key
from archivetool.formats.frus.segments import Enclosure, Footnote, Segments
from archivetool.formats.frus.tail import (
    find_addressee,
    find_closing_dateline,
    find_signature,
    split_enclosures,
)
from archivetool.formats.frus.vocab import (
    BODY,
    MAX_DATELINE,
    MAX_DATELINE_PIECES,
    MAX_HEADING_PIECE,
    MAX_RECEIVED_PIECES,
    OFFICE_TITLES,
    TIME,
)

PAGE_RE = re.compile(r"\[Page (\d+)\]")
PAGE_MARK = "\ue000"  # private-use characters stand where a page turned and a note was
NOTE_MARK = "\ue001"
_PRINTED_NUMBER = re.compile(r"^No\.\s*(\d+[A-Za-z]?)\.?$")
_DOC_NUMBER = re.compile(r"^\d{1,4}\.$")
_HEADING_OPEN_END = re.compile(
    r"(?:\s(?:to|the|in|at|of|and|for|from|by|on|Mr\.|Mrs\.|Dr\.|Sir)|,|—|–|-)$", re.IGNORECASE
)
# the number opening the body ("3341.", "No. 4634", "DIR 16556.") is the document's own
_BODY_NUMBER = re.compile(r"^\s*(?:No\.\s*|Number\s+)?[A-Z]{0,4}\s?[–-]?\d+\.?\]?")
_HEADING_NUMBER = re.compile(r"^(?:No\.\s*\d+[A-Za-z]?\.?\s*)?(?:\d{1,4}\.\s)?")
_DATE_PIECE = re.compile(r"^\d{1,2}(?=,?\s+\d{4})|\b(?:1[6-9]|20)\d\d\b(?=[.,—–-]|\s*$)")
_HEADER_NUMBER = re.compile(r"\bNo\.\s*[A-Z]?[–-]?\d+|\bNumber\s+\d+")
# mojibake of a copy read in the wrong code page: UTF-8 bytes shown as Latin-1 / cp1250
_MOJIBAKE_LEADS = "ÃĂÂâ"
_MOJIBAKE = re.compile(rf"[{_MOJIBAKE_LEADS}][\u0080-\u00bf\u0100-\u024f\u2018-\u203a]")
# the header's and the opening's tests, compiled once
_LINK_OPENS = re.compile(r"^(?:to|the|and|of|in|at|for|from)\s")
_PARTY_GOES_ON = re.compile(r"^(?:to|and|of)\s+the\b|^\(")
_CLOSED_END = re.compile(r"[).]\d{0,3}$")
_BRACKET_CLOSED = re.compile(r"[\])]\.?\d{0,3}$")
_TIME_OPEN_END = re.compile(r"(?:[—–-]|,)\s*(?:\d{1,2}(?::\d\d)?)?\s*$")
_TIME_REST = re.compile(rf"(?:{TIME}|[ap]\.\s?m\.|\d{{1,2}}(?::\d\d)?)\.?")
_PARAGRAPH_END = re.compile(r"[.:;!?”’)\]]\d{0,3}$")


@dataclass
class _Header:
    """Where the parts before the body stand, as line indices of the document's lines."""

    source: list[int] = field(default_factory=list)
    number: int | None = None
    heading: list[int] = field(default_factory=list)
    openers: list[int] = field(default_factory=list)
    datelines: list[list[int]] = field(default_factory=list)
    received: list[list[int]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)  # "No. 691.]" lines
    end: int = 0  # the first line of the body


def segment(text: str) -> Segments:
    """The parts of a copied FRUS document."""
    warnings: list[str] = []
    text = unicodedata.normalize("NFC", text)
    # the pattern opens on four letters that an English copy rarely holds: asked first
    if any(ch in text for ch in _MOJIBAKE_LEADS) and _MOJIBAKE.search(text):
        text, mended = _mend_mojibake(text)
        if mended:
            warnings.append("text: mojibake mended (UTF-8 read in a single-byte code page)")
    raw_lines = [ln.rstrip() for ln in text.split("\n")]
    lines, notes, style = split_footnotes(raw_lines)
    if drop_cut_note(notes, style):
        warnings.append("footnotes: the copy ends inside the last footnote, which is left out")
    header = read_header(lines)
    body_lines = lines[header.end :]
    return _assemble(lines, header, body_lines, notes, warnings)


def _mend_mojibake(text: str) -> tuple[str, bool]:
    """Each run of mojibake re-read as UTF-8 where that gives real letters."""

    def fix(m: re.Match[str]) -> str:
        for codec in ("cp1252", "latin-1", "cp1250", "iso8859_16"):
            try:
                return m.group().encode(codec).decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
        return m.group()

    mended = re.sub(r"[ÃĂÂâ][\u0080-\u00bf\u0100-\u024f\u2018-\u203a\u02c6-\u02dd]{1,2}", fix, text)
    return mended, mended != text


# --- the header --------------------------------------------------------------------------


def read_header(lines: list[str]) -> _Header:
    """Source line, number, heading, then dateline, received and opener lines."""
    h = _Header()
    n = len(lines)
    i = _skip_blank(lines, 0)
    i = _take_openers(lines, i, h)
    if i < n and parse_source_line(lines[i]):
        h.source.append(i)
        i = _skip_blank(lines, i + 1)
    i = _take_openers(lines, i, h)
    s = lines[i].strip() if i < n else ""
    if i + 1 < n and (_DOC_NUMBER.match(s) or _PRINTED_NUMBER.match(s)):
        h.number = i  # "110." / "No. 64." / "No. 49" on a line of its own above the heading
        i = _skip_blank(lines, i + 1)
    if i >= n:
        raise ParseError(
            "no heading: nothing names the document after its source line",
            hint="copy the document from its heading (the line naming sender and recipient) on",
        )
    h.heading.append(i)
    i += 1
    # a heading broken over lines: 'The Secretary of State to the Ambassador in' / 'Japan (Grew)'
    while i < n and lines[i].strip() and _heading_continues(lines, h.heading, lines[i].strip()):
        h.heading.append(i)
        i += 1
    h.end = _read_header_items(lines, i, h)
    return h


def _skip_blank(lines: list[str], j: int) -> int:
    while j < len(lines) and not lines[j].strip():
        j += 1
    return j


def _take_openers(lines: list[str], i: int, h: _Header) -> int:
    """Opener lines ('secret', '[Extract.]') standing before the source line or heading."""
    while i < len(lines) and (is_classification(lines[i]) or is_opener_bracket(lines[i])):
        h.openers.append(i)
        i = _skip_blank(lines, i + 1)
    return i


def _heading_continues(lines: list[str], taken: list[int], line: str) -> bool:
    """Whether ``line`` goes on with the heading read so far (broken over lines)."""
    previous = " ".join(lines[k].strip() for k in taken)
    if previous.count("(") > previous.count(")"):
        return True
    if len(line) >= MAX_HEADING_PIECE or RECEIVED_OPEN.match(line) or line.startswith("To "):
        return False  # "To His Excellency …" is the address of a note, not the heading
    if _is_header_line(line):
        return False
    open_end = bool(_HEADING_OPEN_END.search(previous))
    if open_end and _LINK_OPENS.match(line):
        return (
            True  # '… Handed by the Peruvian Minister for Foreign Affairs to' / 'the American, …'
        )
    if is_full_dateline(line):
        return False  # 'Mr. Evarts' / 'to the Minister of Foreign Affairs of' / 'Washington, …'
    if open_end or _NAME_EXPECTED.search(previous):
        return (
            True  # 'Mr. King to Mr.' / 'Hay.'; 'The Secretary of State to President' / 'Coolidge'
        )
    if _PARTY_GOES_ON.match(line):
        return True
    return _ends_before_dateline(lines, taken[-1], line, previous)


# an office printed without its article expects the surname: 'to President' / 'Coolidge'
_NAME_EXPECTED = re.compile(rf"\bto\s+{OFFICE_TITLES}$")


def _is_header_line(line: str) -> bool:
    return (
        is_classification(line)
        or is_handling(line)
        or is_paper_number(line)
        or is_opener_bracket(line)
        or bool(NUMBER_LINE.match(line) or AIRGRAM_NUMBER.match(line))
    )


def _ends_before_dateline(lines: list[str], last: int, line: str, previous: str) -> bool:
    """The rest of a heading broken inside a party ('… to Diplomatic' / 'Representatives in
    the American Republics …'), told from a dateline's first piece by the complete dateline
    that follows it."""
    if _CLOSED_END.search(previous) or line.endswith(",") or find_date(line):
        return False
    body_word = BODY.search(line) and len(line.split()) <= 4  # "Department of State"
    if not line[:1].isupper() or looks_body(line) or body_word or _is_post(line):
        return False  # 'Washington' / ', June 4, 1942' is the dateline's place
    k = last + 1  # the line weighed stands right after the heading read so far
    after = [ln.strip() for ln in lines[k + 1 : k + 8] if ln.strip()]
    nxt = next((ln for ln in after if not _is_header_line(ln)), "")  # openers may stand between
    return is_full_dateline(nxt) and not nxt.startswith((",", "."))


def _is_post(line: str) -> bool:
    return post_key(line) in known_posts()


def _read_header_items(lines: list[str], i: int, h: _Header) -> int:
    """Received notes, openers, number lines and the dateline after the heading; returns
    the first line of the body."""
    n = len(lines)
    end = i
    j = i
    pending: list[int] = []
    found_dateline = False
    while j < n:
        s = lines[j].strip()
        if not s:
            j += 1
            continue
        if RECEIVED_OPEN.match(s):
            k = _received_end(lines, j)
            h.received.append(list(range(j, k + 1)))
            j = end = k + 1
            continue
        if (
            is_classification(s)
            or is_handling(s)
            or is_paper_number(s)
            or (is_opener_bracket(s) and not find_date(s))
        ):
            h.openers.append(j)
            j = end = j + 1
            continue
        if NUMBER_LINE.match(s) or AIRGRAM_NUMBER.match(s):
            h.numbers.append(j)
            j = end = j + 1
            continue
        if found_dateline and _repeats_dateline(lines, h, NUMBER_GLUED.sub("", s)):
            h.datelines.append([j])  # the dateline printed twice, as some copies have it
            if NUMBER_GLUED.match(s):
                h.numbers.append(j)  # "No. 2268.]Peking, June 15, 1895."
            j = end = j + 1
            continue
        if (
            found_dateline
            or looks_body(s)
            or not (_open_bracket(lines, pending) or is_dateline_fragment(s))
        ):
            break
        pending.append(j)
        joined = join_broken([lines[k].strip() for k in pending])
        clean = RECEIVED_RE.sub("", joined)
        if "(Received" in clean or "[Received" in clean:
            j += 1  # the received note is broken over lines: read on before deciding
            continue
        if find_date(clean) and not _time_pending(clean, lines, j):
            h.datelines.append(pending)
            pending = []
            found_dateline = True
            j = end = j + 1
            continue
        if len(pending) > MAX_DATELINE_PIECES:
            break
        j += 1
    return max(end, i)


def _repeats_dateline(lines: list[str], h: _Header, line: str) -> bool:
    """A line giving again the date of the dateline just read ('Washington August 16,
    1917, 6 p.m.' twice; 'No. 2268.] Peking, June 15, 1895. (Received July 31.)')."""
    if len(line) > MAX_DATELINE or looks_body(line):
        return False
    first = find_date(join_broken([lines[k].strip() for k in h.datelines[0]]))
    again = find_date(line)
    return bool(first and again and first[1] == again[1])


def _received_end(lines: list[str], j: int) -> int:
    chunk, k = lines[j].strip(), j
    while not _BRACKET_CLOSED.search(chunk) and k + 1 < len(lines) and k - j < MAX_RECEIVED_PIECES:
        k += 1
        chunk += " " + lines[k].strip()
    return k


def _open_bracket(lines: list[str], pending: list[int]) -> bool:
    text = "".join(lines[k] for k in pending)
    return text.count("(") + text.count("[") - text.count(")") - text.count("]") > 0


def _time_pending(joined: str, lines: list[str], j: int) -> bool:
    """A dateline broken inside its time ('…1941—11' / 'a.m.') continues on the next line."""
    if not _TIME_OPEN_END.search(joined):
        return False
    nxt = lines[j + 1].strip() if j + 1 < len(lines) else ""
    return bool(_TIME_REST.fullmatch(nxt))


def join_broken(parts: list[str]) -> str:
    """Pieces of a dateline broken over lines, joined as printed ('Washington' / ', May 5')."""
    out = ""
    for p in parts:
        if not out:
            out = p
        elif p.startswith((",", ".", "—", "–")) or out.endswith(("—", "–")):
            out += p
        else:
            out += " " + p
    return out


# --- markers and assembly ----------------------------------------------------------------


@dataclass
class _Cleaned:
    """The heading, header lines and body with the footnote markers taken out."""

    heading: str
    header: dict[int, str]  # header line index → its text without markers
    body: list[str]  # body lines, note and page marks standing where they were
    footnotes: list[Footnote]
    pages: list[int]
    heading_pages: list[int]


def _take_markers(
    lines: list[str],
    h: _Header,
    body_lines: list[str],
    notes: list[ListedNote],
    warnings: list[str],
) -> _Cleaned:
    """Find the listed footnotes' markers in one search text (the heading, every header line,
    then the body: markers stand in any) and take them out of each part."""
    heading = " ".join(lines[k].strip() for k in h.heading)
    header_idx = sorted({*h.openers, *h.numbers, *(k for d in h.datelines for k in d),
                         *(k for r in h.received for k in r)})  # fmt: skip
    header_idx = [k for k in header_idx if k > h.heading[-1]]
    heading_pages = [int(p) for p in PAGE_RE.findall(heading)]
    heading = PAGE_RE.sub("", heading)
    parts = [heading] + [lines[k].strip() for k in header_idx]
    parts += [PAGE_RE.sub(PAGE_MARK, ln) if "[Page " in ln else ln for ln in body_lines]
    search = "\n".join(parts)
    header_end = len(heading) + 1 + sum(len(lines[k].strip()) + 1 for k in header_idx)
    assigned, footnotes = _resolve_markers(search, parts, len(header_idx), notes, warnings)
    chosen = [c for c in assigned if c is not None]
    cleaned = mk.remove_spans(
        search, [(c.start, c.end, "" if c.start < header_end else NOTE_MARK) for c in chosen]
    ).split("\n")
    in_body = {i for i, c in enumerate(assigned) if c is not None and c.start >= header_end}
    return _Cleaned(
        heading=cleaned[0],
        header=dict(zip(header_idx, cleaned[1 : 1 + len(header_idx)], strict=True)),
        body=cleaned[1 + len(header_idx) :],
        footnotes=[
            f if i in in_body else Footnote(f.n, f.text, f.marker_text, -1)
            for i, f in enumerate(footnotes)
        ],  # fmt: skip
        pages=[int(p) for ln in body_lines if "[Page " in ln for p in PAGE_RE.findall(ln)],
        heading_pages=heading_pages,
    )


def _anchor(footnotes: list[Footnote], note_offsets: list[int]) -> list[Footnote]:
    """Each footnote marked in the body gets its marker's offset in the record's text."""
    offsets = iter(note_offsets)
    out = []
    for f in footnotes:
        offset = None if f.offset == -1 else next(offsets, None)
        out.append(Footnote(f.n, f.text, f.marker_text, offset))
    return out


def _assemble(
    lines: list[str],
    h: _Header,
    body_lines: list[str],
    notes: list[ListedNote],
    warnings: list[str],
) -> Segments:
    c = _take_markers(lines, h, body_lines, notes, warnings)
    text, page_offsets, note_offsets = place_marks("\n".join(c.body), c.pages)
    plain = [ln.replace(PAGE_MARK, "").replace(NOTE_MARK, "") for ln in c.body]
    main, enclosures = split_enclosures(plain)
    signature = find_signature(main)
    if enclosures and not signature and any(e.signature for e in enclosures):
        warnings.append(
            "signed: the document's own text ends without a signature; the enclosure's "
            "signature is not taken for it"
        )
    if parse_source_line(c.heading):
        warnings.append("title: the heading reads like a source line; check that the copy "
                        "begins with the document's heading")  # fmt: skip
    return Segments(
        heading=tidy(c.heading),
        source_lines=tuple(lines[k].strip() for k in h.source),
        number_line=lines[h.number].strip() if h.number is not None else None,
        openers=tuple(c.header.get(k, lines[k].strip()) for k in sorted({*h.openers, *h.numbers})),
        datelines=tuple(join_broken([c.header[k] for k in d]) for d in h.datelines),
        received=_received(h, c.header),
        first_paragraph=_opening(plain),
        salutation=_salutation(plain),
        closing_dateline=find_closing_dateline(main),
        signature=signature,
        addressee=find_addressee(main),
        enclosures=tuple(enclosures),
        footnotes=tuple(_anchor(c.footnotes, note_offsets)),
        text=text,
        page_breaks=tuple(c.heading_pages + c.pages),
        page_offsets=tuple((p, o) for p, o in page_offsets),
        warnings=tuple(warnings),
    )


_WRAP_WIDTH = 60  # a hard-wrapped line is at least this long and ends inside a sentence
_MAX_OPENING_LINES = 5


def _opening(body: list[str]) -> str:
    """The body's first paragraph; in a hard-wrapped copy, its lines joined."""
    lines = [ln.strip() for ln in body]
    start = next((i for i, ln in enumerate(lines) if ln), None)
    if start is None:
        return ""
    taken = [lines[start]]
    for ln in lines[start + 1 : start + _MAX_OPENING_LINES]:
        last = taken[-1]
        if not ln or len(last) < _WRAP_WIDTH or _PARAGRAPH_END.search(last):
            break
        taken.append(ln)
    return " ".join(taken)


def _received(h: _Header, clean_of: dict[int, str]) -> tuple[str, ...]:
    found: list[str] = []
    groups = [*h.received, *h.datelines]  # older volumes print it on the dateline's line
    for group in groups:
        chunk = " ".join(clean_of[k] for k in group)
        found += [m.group(1) for m in RECEIVED_RE.finditer(chunk)]
    return tuple(dict.fromkeys(found))


_SALUTATION = re.compile(
    r"^(?:Sir|Excellency|Your Excellency|Your Imperial Highness|My dear|My Dear|Dear|DEAR|"
    r"Gentlemen|Madam|Monsieur|Mr\. (?:Secretary|President|Minister))\b[^:]{0,60}[:,]"
)


def _salutation(body: list[str]) -> str | None:
    first = next((ln.strip() for ln in body if ln.strip()), "")
    m = _SALUTATION.match(first)
    return m.group() if m else None


def _resolve_markers(
    search: str,
    parts: list[str],
    header_lines: int,
    notes: list[ListedNote],
    warnings: list[str],
) -> tuple[list[mk.Candidate | None], list[Footnote]]:
    """The marker of each listed footnote (None where the copy lost it), chosen among every
    digit run of the text, and the footnotes with the labels printed at their markers."""
    if not notes:
        return list(_unlisted_heading_marker(search, parts, warnings)), []
    # the protected offsets as one set: a look-up per candidate, not a walk of the spans
    protected = {i for s, e in _protected_spans(search, parts, header_lines) for i in range(s, e)}
    cands = [c for c in mk.find_candidates(search, len(parts[0])) if c.start not in protected]
    assigned = _assign(mk.prune(cands, len(notes)), len(notes), warnings)
    for c in assigned:
        if c is not None and c.start > 0 and search[c.start - 1].isdigit():
            warnings.append(
                f"footnotes: marker {c.label} read from the end of the number "
                f"{_run_at(search, c.end)!r}; check that it is not part of the number"
            )
    out = []
    for idx, (note, c) in enumerate(zip(notes, assigned, strict=True)):
        text = " ".join(note.text.split())  # no-break spaces of the web page as plain ones
        if c is not None:
            out.append(Footnote(c.label, text, mk.words_before(search, c.start, PAGE_MARK)))
        else:
            out.append(Footnote(_unmarked_label(assigned, idx, note.number), text))
    return assigned, out


def _assign(cands: list[mk.Candidate], k: int, warnings: list[str]) -> list[mk.Candidate | None]:
    """Each listed note's marker: the cheapest sequence, else one where some notes have none
    (their markers stood on a line the copy lost), else the list's own numbering."""
    if k > mk.MAX_MATCHED_NOTES:
        warnings.append(
            f"footnotes: {k} listed, too many to match to the text; numbered by the list"
        )
        return [None] * k
    picked = mk.choose_markers(cands, k)
    cost = mk.sequence_cost(picked) if picked is not None else float("inf")
    if cost / k <= mk.GOOD_MEAN_COST:
        return list(picked or [])
    gapped, gapped_cost = (
        mk.choose_with_gaps(cands, k) if k <= mk.MAX_GAPPED_NOTES else ([], float("inf"))
    )
    if picked is not None and cost <= gapped_cost and cost / k <= mk.MAX_MEAN_COST:
        return list(picked)
    found = [c for c in gapped if c is not None]
    if found and mk.sequence_cost(found) / len(found) <= mk.MAX_MEAN_COST:
        if len(found) < k:
            warnings.append(
                f"footnotes: no marker in the text for {k - len(found)} of the {k} listed "
                "notes (a line the copy lost held them); numbered from their neighbours"
            )
        return gapped
    warnings.append(
        f"footnotes: {k} listed but no likely marker for them in the text; numbered by the list"
    )
    return [None] * k


def _unmarked_label(assigned: list[mk.Candidate | None], idx: int, listed: int) -> str:
    """A note whose marker is lost gets the number between its neighbours' (1, _, 3 → 2)."""
    before = next((assigned[j] for j in range(idx - 1, -1, -1) if assigned[j]), None)
    if before is not None and before.label.isdigit():
        gap = next(j for j in range(idx - 1, -1, -1) if assigned[j])
        return str(int(before.label) + idx - gap)
    after = next(((j, assigned[j]) for j in range(idx + 1, len(assigned)) if assigned[j]), None)
    if after is not None and after[1] is not None and after[1].label.isdigit():
        value = int(after[1].label) - (after[0] - idx)
        if value > 0:
            return str(value)
    return str(listed)


_GLUED_END = re.compile(r"(?<=[a-z)”’])\d{1,3}$")


def _unlisted_heading_marker(
    search: str, parts: list[str], warnings: list[str]
) -> list[mk.Candidate]:
    """A copy without its footnote list still has the heading's marker glued to the last
    word ('… (Kissinger)1'): taken out of the title, with a warning."""
    m = _GLUED_END.search(parts[0])
    if not m or any(ch.isdigit() for ch in parts[0][m.start() - 1 : m.start()]):
        return []
    warnings.append(
        f"footnotes: the text carries markers (the heading's {m.group()}) but the copy has no "
        "footnote list; copy the page to its end to keep the footnotes"
    )
    return [mk.Candidate(m.start(), m.end(), m.group(), float(m.group()), 0.0)]


def _run_at(text: str, end: int) -> str:
    start = end
    while start > 0 and text[start - 1].isdigit():
        start -= 1
    return text[start:end]


def _protected_spans(search: str, parts: list[str], header_lines: int) -> list[tuple[int, int]]:
    """Numbers that belong to the document, never markers: 'No. 691.]' in the header and
    the number opening the body ('3341.', 'DIR 16556.')."""
    spans: list[tuple[int, int]] = []
    lead = _HEADING_NUMBER.match(parts[0])  # "160. Letter From …", "No. 64. Mr. …"
    if lead:
        spans.append((0, lead.end()))
    spans += [m.span() for m in DATE_RE.finditer(parts[0])]  # "…, September 13, 1941 31"
    offset = len(parts[0]) + 1
    for part in parts[1 : 1 + header_lines]:
        spans += [(offset + m.start(), offset + m.end()) for m in _HEADER_NUMBER.finditer(part)]
        spans += [(offset + m.start(), offset + m.end()) for m in DATE_RE.finditer(part)]
        # a dateline broken over lines: the day opening a piece ('July' / '15, 1943.'), a year
        spans += [(offset + m.start(), offset + m.end()) for m in _DATE_PIECE.finditer(part)]
        offset += len(part) + 1
    for part in parts[1 + header_lines :]:
        if part.strip():
            m = _BODY_NUMBER.match(part)
            if m:
                spans.append((offset, offset + m.end()))
            break
        offset += len(part) + 1
    return spans


_BLANK_LINES = re.compile(r"\n{3,}")  # what place_marks' passes of str.replace do


def _split_marks(text: str) -> list[str]:
    """What ``re.split("([" + PAGE_MARK + NOTE_MARK + "])", text)`` gives (the pieces and
    the marks between them), by two str.split."""
    out: list[str] = []
    for k, page_piece in enumerate(text.split(PAGE_MARK)):
        if k:
            out.append(PAGE_MARK)
        for q, piece in enumerate(page_piece.split(NOTE_MARK)):
            if q:
                out.append(NOTE_MARK)
            out.append(piece)
    return out


def _mend_page_spaces(text: str) -> str:
    """A page mark keeps the space before it and takes the one after it: what
    re.sub(" ?M ?", lambda m: " M" if m starts with " " else "M") does, in one split
    instead of a pattern tried at every character."""
    pieces = text.split(PAGE_MARK)
    return PAGE_MARK.join([pieces[0], *(p[1:] if p.startswith(" ") else p for p in pieces[1:])])


def place_marks(body: str, pages: list[int]) -> tuple[str, list[list[int]], list[int]]:
    """The body without page and note marks; where each page begins; where each note sits."""
    marks = PAGE_MARK + NOTE_MARK
    kept: list[str] = []
    waiting = ""
    for line in body.split("\n"):
        bare = line.strip()
        if bare and not bare.strip(marks).strip():
            waiting += "".join(c for c in line if c in marks)  # marks on a line of their own
            continue
        if waiting and bare:
            line, waiting = waiting + line.lstrip(), ""
        kept.append(line.rstrip())
    text = "\n".join(kept) + waiting
    while "\n\n\n" in text:  # _BLANK_LINES.sub("\n\n", text), without a pattern tried at
        text = text.replace("\n\n\n", "\n\n")  # every character: each pass shortens a run
    text = text.strip("\n")
    if PAGE_MARK not in text and NOTE_MARK not in text:
        return text, [], []  # nothing to place (the pattern below is tried at every character)
    if PAGE_MARK in text:
        text = _mend_page_spaces(text)
    page_offsets: list[list[int]] = []
    note_offsets: list[int] = []
    out: list[str] = []
    length = 0
    k = 0
    for piece in _split_marks(text):
        if piece == PAGE_MARK:
            if k < len(pages):
                page_offsets.append([pages[k], length])
            k += 1
            continue
        if piece == NOTE_MARK:
            note_offsets.append(length)
            continue
        out.append(piece)
        length += len(piece)
    return "".join(out), page_offsets, note_offsets


__all__ = ["Enclosure", "Segments", "segment"]
