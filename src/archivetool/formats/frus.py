"""Parse a FRUS document as copied from the Office of the Historian's website.

The copied text has, each part optional but the heading:

    source line        860H.01/478: Telegram | File No. 763.72/2 | Roosevelt Papers: Telegram
    heading            The Ambassador in the United Kingdom (Winant) to the Secretary of State
    dateline           London, May 10, 1943—7 p.m.   (often broken over lines)
    received           [Received May 10—5:48 p.m.]
    openers            secret | [Telegram] | No. 691.]
    body               3341. We inquired of Sir Orme Sargent50 …  [Page 1008] …
    signature          Winant
    footnotes            1. British Deputy Under Secretary of State.   (or "- text↩")

The parser follows that structure, never the wording of one volume. It returns plain
fields and a list of warnings; the record around them is built by :mod:`archivetool.records`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from archivetool.errors import ParseError
from archivetool.formats import markers as mk
from archivetool.formats.parties import Party, parse_heading_parties

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
_TIME = (
    r"(?:\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.\s?m\.?|[AP]\.\s?M\.?)|noon|midnight|"
    r"\d{1,2}:\d{2}(?:\s*[ap]\.?\s?m\.?)?|\d{4}Z?)"
)
DATE_RE = re.compile(
    rf"(?P<md>(?P<month>{_MONTH})\s*(?P<day>\d{{1,2}})(?:st|nd|rd|th|d)?,?\s*(?P<year>1[6-9]\d\d|20\d\d))"
    rf"|(?P<dm>(?P<day2>\d{{1,2}})\s+(?P<month2>{_MONTH})\s*,?\s*(?P<year2>1[6-9]\d\d|20\d\d))"
)
TIME_AFTER_DATE = re.compile(rf"^\s*(?:\.?\s*[—–-]+|,)\s*(?P<time>{_TIME})")
PAGE_RE = re.compile(r"\[Page (\d+)\]")
PAGE_MARK = "\ue000"  # private-use characters stand where a page turned and a note was
NOTE_MARK = "\ue001"
RECEIVED_RE = re.compile(r"[\[(]\s*(Received\b[^\])]*)[\])]", re.DOTALL)
CLASSIFICATIONS = [
    "Personal and Secret", "Strictly Confidential", "Top Secret", "Secret", "Confidential",
    "Restricted", "Limited Official Use", "Official Use Only", "Eyes Only", "Personal",
    "Strictly Personal", "Secret and Personal", "Private", "Unclassified",
]  # fmt: skip
_CLASS_LINE = re.compile(
    r"^(?:"
    + "|".join(re.escape(c) for c in CLASSIFICATIONS)
    + r")(?:\s*[;,—–-]\s*\w+(?: \w+)?)*\.?$",
    re.IGNORECASE,
)
_OPENER_BRACKET = re.compile(r"^\[[^\]]{1,45}\]\.?$")
_NUMBER_LINE = re.compile(r"^No\.\s*(?P<n>[A-Z]?[–-]?\d[\w/–-]*?)\.?\]?\.?$")
_AIRGRAM_NUMBER = re.compile(r"^(?P<n>[A-Z]{1,3}[–-]\d+)\.?$")
_PRINTED_NUMBER = re.compile(r"^No\.\s*(\d+)\.$")
# a telegram's number opens its body: "3341.", "A–139.", or a lettered series of the
# 1950s conference delegations ("Secto 312.", "Dulte 3.", "Tosec 45.")
_SERIAL_OPENER = re.compile(r"^(?P<n>(?:[A-Z][a-z]{3,6} )?[A-Z]{0,3}[–-]?\d{1,6})\.\s+\S")
_SALUTATION = re.compile(
    r"^(?:Sir|Excellency|Your Excellency|Your Imperial Highness|My dear|Dear|DEAR|Gentlemen|"
    r"Madam|Mr\. (?:Secretary|President|Minister))\b[^:]{0,60}:"
)
_SECTION_WORDS = re.compile(
    r"^(?:SUBJECT|PARTICIPANTS|OTHERS PRESENT|PRESENT|ATTENDEES|REFERENCE|Subject|Participants)\b"
)
_ENCLOSURE = re.compile(
    r"^\[(?:Inclosure|Enclosure|Annex|Attachment|Subenclosure|Subinclosure|Appendix|Tab)\b"
    r"|^(?:Enclosure|Inclosure|Annex|Attachment)(?:\s+\d+)?$",
    re.IGNORECASE,
)
_INSTITUTION = re.compile(
    r"\b(?:Embassy|Legation|Consulate|Consul|Department|Mission|Office|White House|Pentagon|"
    r"Ministry|Delegation|Headquarters|Secretariat|Residence|Chancery|Hotel|Palace|"
    r"Foreign Office|Quai d’Orsay|Agency|Commission|Conference|Building|Camp)\b"
)
_DECIMAL = re.compile(
    r"^(?P<fn>\d{3}(?:\.[\dA-Z]+)*[A-Z]?(?:\.\w+)?(?:[–-][A-Z]+)?(?:\s+[^/:]+?)?/[\w–-][\w.–-]*)$"
)
# a collection named alone as the source line: "Roosevelt Papers", "Hopkins Papers",
# "Lot 60 D 224", "Yalta Conference File"
_COLLECTION = re.compile(
    r"^(?:[A-Z][\w.’'-]*\s+){1,4}(?:Papers|Files?|Library|Collection|Records|Series|Diaries)\.?$"
    r"|^Lot\s+\d+\s*[A-Z]\s*\d+"
)
_SOURCE_TYPE = re.compile(
    r"^(?P<src>.+?):\s*(?P<type>(?:Circular\s+)?(?:Telegram|Airgram|Despatch|Dispatch|"
    r"Instruction|Memorandum|Note|Letter|Circular|Report|Aide-Mémoire)(?:\s+\w+)?)\.?$",
    re.IGNORECASE,
)
_CLOSING = re.compile(
    r"(?:yours|truly|faithfully|sincerely|respectfully|regards|&c\.|\[etc\.?\]|etc\.|"
    r"consideration|honor|cordially)[,.]?$|^I (?:have|am)\b|^Accept\b|^Believe me\b",
    re.IGNORECASE,
)
_ADDRESSEE = re.compile(
    r"^(?:Hon\.|Honorable|The Honorable|To the\b|To his\b|His Excellency|Her Excellency|"
    r"Their Excellencies)|\bEsq\."
)
_FOR_LINE = re.compile(r"^For the\b.*:$|^By direction\b|^In the absence\b")
_TYPE_WORDS = [
    ("editorial_note", re.compile(r"^Editorial Note\b", re.IGNORECASE)),
    ("memorandum_of_conversation", re.compile(r"^Memorandum of (?:a )?Conversation\b")),
    ("telegram", re.compile(r"^(?:Circular )?Telegram\b")),
    ("airgram", re.compile(r"^(?:Circular )?Airgram\b")),
    ("circular", re.compile(r"^Circular\b")),
    (
        "memorandum",
        re.compile(r"^(?:Action |Information |Briefing |Intelligence |Research )?Memorandum\b"),
    ),
    ("letter", re.compile(r"^Letter\b")),
    ("despatch", re.compile(r"^(?:Despatch|Dispatch)\b")),
    ("instruction", re.compile(r"^Instruction\b")),
    ("note", re.compile(r"^(?:Note|Aide-Mémoire|Aide-Memoire|Note Verbale)\b")),
    (
        "report",
        re.compile(
            r"^(?:Report|Paper|Study|Minutes|Summary|Notes|(?:Special )?National Intelligence Estimate|"
            r"Intelligence (?:Report|Estimate|Brief)|Estimate|NSC \d+|National Security Council Report)\b"
        ),
    ),
]


@dataclass
class FootnoteItem:
    number: int  # the list's own renumbered position (1, 2, …)
    text: str
    line: int


@dataclass
class Parsed:
    fields: dict[str, Any]
    text: str
    warnings: list[str] = field(default_factory=list)


def tidy(text: str) -> str:
    """Mend the website's spacing slips without touching the words: '( Gauss )' → '(Gauss)'."""
    text = re.sub(r"\(\s+", "(", text)
    text = re.sub(r"\s+\)", ")", text)
    text = re.sub(r"\s+([,;])", r"\1", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# ---------------------------------------------------------------------------------------
# footnote list


_FN_INDENTED = re.compile(r"^\s+(\d+)\.\s+(.*)$")
_FN_ARROW = re.compile(r"^-\s+(.*?)\s*↩\s*$")
_FN_PLAIN = re.compile(r"^(\d+)\.\s+(.*)$")


def split_footnotes(lines: list[str]) -> tuple[list[str], list[FootnoteItem], str | None]:
    """Separate the footnote list at the end from the document's own lines."""
    start = None
    style = None
    for i, line in enumerate(lines):
        m = _FN_INDENTED.match(line)
        if m and m.group(1) == "1":
            start, style = i, "indented"
            break
        if _FN_ARROW.match(line):
            start, style = i, "arrow"
            break
    if start is None:
        start, style = _plain_footnote_start(lines)
    if start is None:
        return lines, [], None
    items: list[FootnoteItem] = []
    for i in range(start, len(lines)):
        line = lines[i]
        if not line.strip():
            continue
        if style == "arrow":
            m = _FN_ARROW.match(line)
            if m:
                items.append(FootnoteItem(len(items) + 1, m.group(1).strip(), i + 1))
                continue
            m2 = _FN_PLAIN.match(line.strip()) if style == "arrow" else None
            if line.startswith("- ") and not m2:
                items.append(FootnoteItem(len(items) + 1, line[2:].strip().rstrip("↩"), i + 1))
                continue
        else:
            m = (_FN_INDENTED if style == "indented" else _FN_PLAIN).match(line)
            if m and int(m.group(1)) == len(items) + 1:
                items.append(FootnoteItem(len(items) + 1, m.group(2).strip(), i + 1))
                continue
        if items:  # a continuation line of the item above
            items[-1].text = (items[-1].text + " " + line.strip().rstrip("↩")).strip()
    return lines[:start], items, style


def _plain_list_is_footnotes(lines: list[str], items: list[FootnoteItem]) -> bool:
    """An unindented '1. …' list at the very end may be the body's own numbered points (in a
    copy that lost its signature): it is taken for footnotes only when the text carries a
    cheap marker for every item."""
    cands = mk.prune(mk.find_candidates("\n".join(lines)), len(items))
    picked = mk.choose_markers(cands, len(items))
    if not picked:
        return False
    return sum(c.cost for c in picked) / len(picked) <= 1.0


def _plain_footnote_start(lines: list[str]) -> tuple[int | None, str | None]:
    """An unindented list '1. …' … 'k. …' that runs to the very end of the text."""
    last = len(lines) - 1
    while last >= 0 and not lines[last].strip():
        last -= 1
    expect = None
    i = last
    start = None
    while i >= 0:
        m = _FN_PLAIN.match(lines[i])
        if m:
            n = int(m.group(1))
            if expect is None or n == expect:
                expect = n - 1
                start = i
                if n == 1:
                    break
        elif lines[i].strip() and expect is None:
            return None, None
        i -= 1
    if start is not None and expect == 0:
        # a body list (1., 2., …) also ends with its last item: demand footnote-like items
        if any(len(lines[j]) > 0 and re.match(r"^\d+\.\s*$", lines[j]) for j in range(start, last)):
            return None, None
        return start, "plain"
    return None, None


# ---------------------------------------------------------------------------------------
# source line and heading


def parse_source_line(line: str) -> dict[str, Any] | None:
    """``860H.01/478: Telegram``, ``File No. 763.72/2``, ``Roosevelt Papers: Telegram``."""
    text = line.strip()
    m = re.match(r"^File Nos?\.\s*(?P<fn>.+?)\.?$", text)
    if m:
        fn = m.group("fn").split(",")[0].strip()
        return {"source_note": text, "file_number": fn, "type": None}
    m = _SOURCE_TYPE.match(text)
    if m:
        src = m.group("src").strip()
        fn = src[8:].strip() if src.startswith("File No.") else src
        return {
            "source_note": text,
            "file_number": fn if _DECIMAL.match(fn) else None,
            "type": m.group("type").lower(),
        }
    if _DECIMAL.match(text):
        return {"source_note": text, "file_number": text, "type": None}
    if _COLLECTION.match(text):
        return {"source_note": text, "file_number": None, "type": None}
    return None


def _is_classification(line: str) -> bool:
    return bool(_CLASS_LINE.match(line.strip()))


def _classification_name(text: str) -> str | None:
    for name in CLASSIFICATIONS:
        if re.search(rf"\b{re.escape(name)}\b", text, re.IGNORECASE):
            return name
    return None


# ---------------------------------------------------------------------------------------
# dateline


@dataclass
class Dateline:
    place: str | None
    date: str | None
    time: str | None
    text: str


def _iso(year: str, month: str, day: str) -> str | None:
    mo = MONTHS.get(month.lower().rstrip("."))
    if not mo:
        return None
    d = int(day)
    if not 1 <= d <= 31:
        return None
    return f"{int(year):04d}-{mo:02d}-{d:02d}"


def find_date(text: str) -> tuple[re.Match[str], str] | None:
    for m in DATE_RE.finditer(text):
        if m.group("md"):
            iso = _iso(m.group("year"), m.group("month"), m.group("day"))
        else:
            iso = _iso(m.group("year2"), m.group("month2"), m.group("day2"))
        if iso:
            return m, iso
    return None


def read_dateline(text: str, *, in_title: bool = False) -> Dateline | None:
    """Place, ISO date and time from a dateline (or a heading ending in one)."""
    text = re.sub(r"\s+", " ", text).strip()
    found = find_date(text)
    if not found:
        return None
    m, iso = found
    before = text[: m.start()]
    after = text[m.end() :]
    time = None
    tm = TIME_AFTER_DATE.match(after)
    if tm:
        time = tm.group("time").strip()
        time = re.sub(r"(?<=[ap]\.)\s*m$", " m.", time) if time.endswith("m") else time
    return Dateline(_place_from(before, in_title=in_title), iso, time, text)


def _place_from(before: str, *, in_title: bool) -> str | None:
    before = before.replace("[", "").replace("]", "")
    segments = [s.strip(" .,;") for s in before.split(",")]
    segments = [s for s in segments if s]
    if in_title:
        segments = segments[1:]  # the first segment is the heading itself
        segments = segments[-1:] if segments else []
    keep: list[str] = []
    for seg in segments:
        if _INSTITUTION.search(seg):
            keep = []  # "Legation of Chili in the United States", "American Embassy"
            continue
        keep.append(seg)
    place = ", ".join(keep).strip()
    if not place or len(place) > 60 or not place[0].isupper():
        return None
    return place


# ---------------------------------------------------------------------------------------
# the document


def _looks_body(line: str) -> bool:
    s = line.strip()
    return bool(
        len(s) > 100
        or (_SERIAL_OPENER.match(s) and len(s) > 12 and not find_date(s[:40]))
        or _SALUTATION.match(s)
        or _SECTION_WORDS.match(s)
        or (
            s.startswith("[")
            and not _OPENER_BRACKET.match(s)
            and "Received" not in s
            and not find_date(s)
        )
    )


def parse(text: str) -> Parsed:
    text = _nfc(text)
    warnings: list[str] = []
    raw_lines = [ln.rstrip() for ln in text.split("\n")]
    lines, notes, style = split_footnotes(raw_lines)
    if style == "plain" and not _plain_list_is_footnotes(lines, notes):
        lines, notes = raw_lines, []

    i = 0
    n = len(lines)

    def skip_blank(j: int) -> int:
        while j < n and not lines[j].strip():
            j += 1
        return j

    openers: list[str] = []
    source: dict[str, Any] | None = None
    i = skip_blank(i)
    # opener lines ("secret", "[Extract.]") may stand before the source line and heading
    while i < n and (_is_classification(lines[i]) or _OPENER_BRACKET.match(lines[i].strip())):
        openers.append(lines[i].strip())
        i = skip_blank(i + 1)
    if i < n:
        source = parse_source_line(lines[i])
        if source:
            i = skip_blank(i + 1)
    while i < n and (_is_classification(lines[i]) or _OPENER_BRACKET.match(lines[i].strip())):
        openers.append(lines[i].strip())
        i = skip_blank(i + 1)

    printed_number = None
    heading_parts: list[str] = []
    if i < n and re.fullmatch(r"\d{1,4}\.", lines[i].strip()) and i + 1 < n:
        # a later volume's document number on a line of its own: "110." / "Telegram From …"
        heading_parts.append(lines[i].strip())
        i = skip_blank(i + 1)
    elif i < n and _PRINTED_NUMBER.match(lines[i].strip()):
        printed_number = _PRINTED_NUMBER.match(lines[i].strip()).group(1)  # type: ignore[union-attr]
        heading_parts.append(lines[i].strip())
        i = skip_blank(i + 1)
    if i < n:
        heading_parts.append(lines[i].strip())
        i += 1
        # a heading broken over lines: 'The Secretary of State to the Ambassador in' / 'Japan (Grew)'
        while (
            i < n and lines[i].strip() and _heading_continues(heading_parts[-1], lines[i].strip())
        ):
            heading_parts.append(lines[i].strip())
            i += 1
    raw_title = " ".join(heading_parts)
    if not raw_title.strip():
        raise ParseError(
            "no heading: nothing names the document after its source line",
            hint="copy the document from its heading (the line naming sender and recipient) on",
        )

    # header: dateline, received, openers, despatch numbers
    dateline_lines: list[str] = []
    dateline: Dateline | None = None
    received: list[str] = []
    number_line: str | None = None
    header_end = i
    j = i
    pending: list[str] = []
    while j < n:
        s = lines[j].strip()
        if not s:
            j += 1
            continue
        if re.match(r"^[\[(]\s*Received\b", s):
            chunk = s
            k = j
            while not re.search(r"[\])]\.?$", chunk) and k + 1 < n and k - j < 3:
                k += 1
                chunk += " " + lines[k].strip()
            rm = RECEIVED_RE.search(chunk)
            if rm:
                received.append(rm.group(1))
            j = k + 1
            header_end = j
            continue
        if _is_classification(s) or (_OPENER_BRACKET.match(s) and not find_date(s)):
            openers.append(s)
            j += 1
            header_end = j
            continue
        nm = _NUMBER_LINE.match(s) or _AIRGRAM_NUMBER.match(s)
        if nm:
            number_line = nm.group("n")
            j += 1
            header_end = j
            continue
        open_bracket = (
            sum(x.count("(") + x.count("[") - x.count(")") - x.count("]") for x in pending) > 0
        )
        if dateline is not None or _looks_body(s) or not (open_bracket or _dateline_fragment(s)):
            break
        pending.append(s)
        joined = _join_broken(pending)
        # a dateline holds the received note on the same line in older volumes
        for rm in RECEIVED_RE.finditer(joined):
            received.append(rm.group(1))
        joined_clean = RECEIVED_RE.sub("", joined)
        if "(Received" in joined_clean or "[Received" in joined_clean:
            # the received note is broken over lines: read on before deciding
            j += 1
            continue
        found = find_date(joined_clean)
        if found and not _time_pending(joined_clean, lines, j):
            dateline_lines = pending[:]
            dateline = read_dateline(joined_clean)
            pending = []
            j += 1
            header_end = j
            continue
        if len(pending) > 4:
            break
        j += 1
    received = list(dict.fromkeys(r for r in received))
    if dateline is None:
        # what was read as dateline fragments belongs to the body
        header_end = max(header_end, i)
    body_lines = lines[header_end:]

    # page markers
    page_breaks: list[int] = []
    clean_body: list[str] = []
    for line in body_lines:
        for pm in PAGE_RE.finditer(line):
            page_breaks.append(int(pm.group(1)))
        # a page marker becomes one private-use character, so that the place where the
        # page turned survives the removal of footnote markers (see _place_pages)
        cleaned = PAGE_RE.sub(PAGE_MARK, line)
        clean_body.append(cleaned.rstrip() if cleaned.strip() else "")
    title_pages = [int(p) for p in PAGE_RE.findall(raw_title)]
    page_breaks = title_pages + page_breaks
    raw_title = PAGE_RE.sub("", raw_title)

    # footnote markers: title and body are searched as one text
    search = raw_title + "\n" + "\n".join(clean_body)
    title_end = len(raw_title)
    # the number opening the body ("3341.", "No. 4634") is the document's, never a marker
    first_body = next((k for k, ln in enumerate(clean_body) if ln.strip()), None)
    protected_end = title_end + 1
    if first_body is not None:
        offset = title_end + 1 + sum(len(ln) + 1 for ln in clean_body[:first_body])
        om = re.match(r"^\s*(?:No\.\s*)?[A-Z]{0,3}[–-]?\d+\.?\]?", clean_body[first_body])
        if om:
            protected_end = offset + om.end()
    footnotes: list[dict[str, Any]] = []
    chosen: list[mk.Candidate] = []
    if notes:
        cands = [
            c
            for c in mk.find_candidates(search, title_end)
            if not (title_end < c.start < protected_end)
        ]
        cands = mk.prune(cands, len(notes))
        picked = mk.choose_markers(cands, len(notes))
        if picked is None:
            warnings.append(
                f"footnotes: {len(notes)} listed but only {len(cands)} possible markers "
                "in the text; numbered by the list"
            )
            picked = []
        chosen = picked
        for idx, note in enumerate(notes):
            if idx < len(chosen):
                c = chosen[idx]
                label = c.label
                marker_text = _words_before(search, c.start)
            else:
                label, marker_text = str(note.number), None
            footnotes.append({"n": label, "marker_text": marker_text, "text": note.text})
    # markers in the title go; markers in the body leave a mark, so that each footnote
    # knows where in the final text it is anchored
    search = _remove_spans(
        search, [(c.start, c.end, "" if c.start < title_end else NOTE_MARK) for c in chosen]
    )
    title_clean, _, body_clean = search.partition("\n")
    title = tidy(title_clean)

    body_text, page_offsets, note_offsets = _place_marks(
        body_clean, page_breaks[len(title_pages) :]
    )
    body_notes = [f for f, c in zip(footnotes, chosen, strict=False) if c.start > title_end]
    for f in footnotes:
        f["offset"] = None
    for f, offset in zip(body_notes, note_offsets, strict=False):
        f["offset"] = offset
    body_clean = body_clean.replace(PAGE_MARK, "").replace(NOTE_MARK, "")

    # parties, type, date
    heading = title
    if printed_number and heading.startswith(f"No. {printed_number}."):
        heading = heading[len(f"No. {printed_number}.") :].strip()
    heading_number = None
    hm = re.match(r"^(\d+)\.\s+(.*)$", heading)
    if hm:
        heading_number, heading = hm.group(1), hm.group(2)
    parties = parse_heading_parties(heading)
    for w in parties.warnings:
        warnings.append(w)

    if dateline is None:
        dateline = closing_dateline(body_clean.split("\n"))
    title_dateline = read_dateline(heading, in_title=True) if find_date(heading) else None
    if dateline is None and title_dateline is not None:
        dateline = title_dateline
    elif dateline is not None and title_dateline is not None and dateline.place is None:
        dateline.place = title_dateline.place

    body_first = next((ln.strip() for ln in body_clean.split("\n") if ln.strip()), "")
    doc_type = classify(
        heading,
        source_type=(source or {}).get("type"),
        openers=openers,
        body_first=body_first,
        number_line=number_line,
        sender=parties.sender,
        recipient=parties.recipients[0] if parties.recipients else None,
        dateline_text=" ".join(dateline_lines),
        body=body_clean,
    )

    serial = None
    if number_line:
        serial = number_line.rstrip(".]")
    elif doc_type == "telegram":
        sm = _SERIAL_OPENER.match(body_first)
        if sm:
            serial = sm.group("n")
    if serial is None:
        nm = re.match(r"^No\.\s*(\d[\w/–-]*?)\.?\]", body_first)
        if nm:
            serial = nm.group(1)

    # source note and classification
    source_note = (source or {}).get("source_note")
    file_number = (source or {}).get("file_number")
    if footnotes and footnotes[0]["text"].startswith("Source:"):
        source_note = footnotes[0]["text"]
        if file_number is None:
            file_number = _file_number_from_source_note(source_note)
    classification = None
    for op in openers:
        if _is_classification(op):
            classification = _classification_name(op)
            break
    if classification is None and source_note and source_note.startswith("Source:"):
        classification = _classification_name(_after_citation(source_note))

    signed = find_signature(body_clean.split("\n"))

    page_start = page_end = None
    if page_breaks:
        page_start = page_breaks[0] - 1
        page_end = page_breaks[-1]

    fields: dict[str, Any] = {
        "file_number": file_number,
        "source_note": source_note,
        "doc_type": doc_type,
        "title": title,
        "printed_number": printed_number,
        "doc_number": heading_number,
        "sender": parties.sender.as_dict() if parties.sender else None,
        "recipient": parties.recipients[0].as_dict()
        if len(parties.recipients) == 1
        else ([p.as_dict() for p in parties.recipients] if parties.recipients else None),
        "place": dateline.place if dateline else None,
        "date": dateline.date if dateline else None,
        "time": dateline.time if dateline else None,
        "dateline": dateline.text if dateline else None,
        "received": _received_text(received[0]) if received else None,
        "serial_number": serial,
        "classification": classification,
        "signed": signed,
        "page_breaks": page_breaks,
        "page_offsets": page_offsets,
        "page_start": page_start,
        "page_end": page_end,
        "footnotes": footnotes,
    }
    if len(received) > 1:
        warnings.append(f"received: printed {len(received)} times; the first is kept")
    return Parsed(fields=fields, text=body_text, warnings=warnings)


def closing_dateline(body_lines: list[str]) -> Dateline | None:
    """A dateline printed after the text ('Washington, [September 17, 1948.]'), as notes,
    aide-mémoire and many letters have it: a short line of place and date in the last
    lines of the document itself."""
    main: list[str] = []
    for line in body_lines:
        if _ENCLOSURE.match(line.strip()):
            break
        main.append(line)
    tail = [ln.strip() for ln in main if ln.strip()][-4:]
    for line in reversed(tail):
        if len(line) > 70:
            continue
        found = find_date(line)
        if found and len(line) - (found[0].end() - found[0].start()) < 40:
            return read_dateline(line)
    return None


def _received_text(inside: str) -> str:
    """The words inside the brackets, without a closing full stop ('a.m.' keeps its own)."""
    text = re.sub(r"\s+", " ", inside).strip()
    if text.endswith(".") and not re.search(r"\b[ap]\.\s?m\.$|\b[A-Z][a-z]{1,3}\.$", text):
        text = text[:-1]
    return text.rstrip()


_HEADING_OPEN_END = re.compile(
    r"(?:\s(?:to|the|in|at|of|and|for|from|by|on)|,|—|–|-)$", re.IGNORECASE
)


def _heading_continues(previous: str, line: str) -> bool:
    if previous.count("(") > previous.count(")"):
        return True
    if _HEADING_OPEN_END.search(previous) and len(line) < 120 and not find_date(line[:25]):
        return True
    return bool(re.match(r"^(?:to|and|of)\s+the\b|^\(", line)) and len(line) < 120


def _dateline_fragment(line: str) -> bool:
    """A line that can be (part of) a dateline: a date, a place, an institution, a time."""
    if len(line) > 90:
        return False
    if find_date(line) or re.match(r"^[,.\[(]|^\d{4}\b|^\d{1,2}(?:,|\s+\d{4})|^[ap]\.\s?m\.", line):
        return True
    if line.endswith(","):
        return len(line) < 70
    # a place or an institution: a few capitalised words, no sentence
    words = line.split()
    return len(words) <= 6 and line[:1].isupper() and not re.search(r"[.:;!?]$", line)


def _time_pending(joined: str, lines: list[str], j: int) -> bool:
    """A dateline broken inside its time ('…1941—11' / 'a.m.') continues on the next line."""
    if not re.search(r"(?:[—–-]|,)\s*(?:\d{1,2}(?::\d\d)?)?\s*$", joined):
        return False
    nxt = lines[j + 1].strip() if j + 1 < len(lines) else ""
    return bool(re.match(rf"^(?:{_TIME}|[ap]\.\s?m\.|\d{{1,2}}(?::\d\d)?)", nxt)) and len(nxt) < 30


def _join_broken(parts: list[str]) -> str:
    out = ""
    for p in parts:
        if not out:
            out = p
        elif p.startswith((",", ".", "—", "–")) or out.endswith(("—", "–")):
            out += p
        else:
            out += " " + p
    return out


def _remove_spans(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Replace each (start, end) span with its replacement ('' removes it)."""
    out = []
    last = 0
    for s, e, repl in sorted(spans):
        out.append(text[last:s])
        out.append(repl)
        last = e
    out.append(text[last:])
    return "".join(out)


_CONNECTORS = {
    "of",
    "in",
    "at",
    "the",
    "de",
    "del",
    "da",
    "di",
    "van",
    "von",
    "y",
    "and",
    "for",
    "la",
    "le",
}


def _words_before(text: str, pos: int, words: int = 3) -> str:
    """What a marker annotates: the name it follows ('Sir Orme Sargent'), else a few words."""
    line_start = text.rfind("\n", 0, pos) + 1
    chunk = text[line_start:pos].replace(PAGE_MARK, " ").split()
    if not chunk:
        return ""
    last = chunk[-1].strip("“”\"'’(")
    if last[:1].isupper() and last.rstrip(".,;:")[-1:].isalpha():
        run: list[str] = []
        for word in reversed(chunk):
            bare = word.strip("“”\"'’(),;:")
            if (
                bare[:1].isupper()
                and (not run or not re.search(r"[.,;:]$", word))
                or bare in _CONNECTORS
                and run
            ):
                run.insert(0, word)
            else:
                break
            if len(run) >= 6:
                break
        while run and run[0].strip("“”\"'’(") in _CONNECTORS:
            run.pop(0)
        if run:
            return " ".join(run).strip("“”\"'’(,;:")
    tail = chunk[-words:]
    while (
        len(tail) > 1
        and re.fullmatch(r"[\dA-Z–-]+\.?", tail[0])
        and any(c.isdigit() for c in tail[0])
    ):
        tail.pop(0)  # a telegram number opening the line is not what the note is about
    return " ".join(tail)


def _place_marks(body: str, pages: list[int]) -> tuple[str, list[list[int]], list[int]]:
    """The body without page and note marks; where each page begins; where each note sits."""
    marks = PAGE_MARK + NOTE_MARK
    lines: list[str] = []
    waiting = ""
    for line in body.split("\n"):
        bare = line.strip()
        if bare and not bare.strip(marks).strip():
            waiting += "".join(c for c in line if c in marks)  # marks on a line of their own
            continue
        if waiting and bare:
            line, waiting = waiting + line.lstrip(), ""
        lines.append(line.rstrip())
    text = "\n".join(lines) + waiting
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    text = re.sub(
        " ?" + PAGE_MARK + " ?",
        lambda m: (" " if m.group().startswith(" ") else "") + PAGE_MARK,
        text,
    )
    page_offsets: list[list[int]] = []
    note_offsets: list[int] = []
    out: list[str] = []
    length = 0
    k = 0
    for piece in re.split("([" + marks + "])", text):
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


def _file_number_from_source_note(note: str) -> str | None:
    cite = _after_source(note)
    m = re.search(
        r"Central Files?,\s*(?P<fn>\d{3}[^\s,;]*(?:\s+[A-Z][\w()]*)*?/[^\s,;]+?)[.;,]?(?:\s|$)",
        cite,
    )
    if m:
        return m.group("fn").rstrip(".")
    m = re.search(r"(?:^|\s)(?P<fn>\d{3}\.[\w.]*[A-Z]?\d*/[\d–-]+\w*)", cite.split(".")[0])
    return m.group("fn") if m else None


def _after_source(note: str) -> str:
    return note[len("Source:") :].strip() if note.startswith("Source:") else note


def _after_citation(note: str) -> str:
    """The part of a source note after its citation: 'Secret; Priority. Drafted by …'."""
    body = _after_source(note)
    # the citation ends at the first full stop followed by a space and a capital, not
    # inside a file number ("611.61/1–2955.")
    m = re.search(r"(?<![A-Z])\.\s+(?=[A-Z])", body)
    return body[m.end() :] if m else body


# ---------------------------------------------------------------------------------------
# type and signature


_US_POST = re.compile(
    r"^(?:American |United States )?(?:Ambassador|Minister|Chargé|Consul|Vice Consul|"
    r"Consul General|Counselor|Secretary of Embassy|Secretary of Legation|Special Representative|"
    r"Personal Representative|Embassy|Legation|Consulate|Mission|Delegation|High Commissioner|"
    r"Political Adviser|Naval Attaché|Military Attaché|Commissioner)\b"
)


def classify(
    heading: str,
    *,
    source_type: str | None,
    openers: list[str],
    body_first: str,
    number_line: str | None,
    sender: Party | None,
    recipient: Party | None,
    dateline_text: str,
    body: str,
) -> str:
    """The document type from what the text says of itself, then from who wrote to whom."""
    for kind, rx in _TYPE_WORDS:
        if rx.search(heading):
            if kind == "telegram" and source_type and "airgram" in source_type:
                return "airgram"
            return kind
    if source_type:
        st = source_type.lower()
        for word, kind in (
            ("airgram", "airgram"), ("circular", "circular"), ("telegram", "telegram"),
            ("despatch", "despatch"), ("dispatch", "despatch"), ("instruction", "instruction"),
            ("memorandum", "memorandum"), ("note", "note"), ("aide", "note"),
            ("letter", "letter"), ("report", "report"),
        ):  # fmt: skip
            if word in st:
                return kind
    if any(re.search(r"\bTelegram\b", op, re.IGNORECASE) for op in openers):
        return "telegram"
    if any(re.search(r"\b(?:Aide-M[ée]moire|Note Verbale)\b", op) for op in openers) or re.match(
        r"^Aide-M[ée]moire\b", body_first
    ):
        return "note"
    if heading.startswith("Memorandum"):
        return "memorandum"
    s_role = (sender.role or "") if sender else ""
    r_role = (recipient.role or "") if recipient else ""
    s_us = (
        bool(_US_POST.match(s_role))
        or "Secretary of State" in s_role
        or s_role.startswith("Department of State")
    )
    foreign_sender = bool(sender and sender.role and not s_us)
    to_secretary = "Secretary of State" in r_role or r_role.startswith("Department of State")
    from_secretary = "Secretary of State" in s_role or s_role.startswith("Department of State")
    if sender and recipient:
        if from_secretary and recipient.role and _US_POST.match(recipient.role):
            return "instruction" if number_line else "other"
        if from_secretary and recipient.role and not _US_POST.match(recipient.role):
            return "note"
        if to_secretary and foreign_sender:
            return "note"
        if to_secretary and _US_POST.match(s_role):
            return "despatch"
        if s_role.startswith(("American", "United States")) and recipient.role:
            return "note"
        if not sender.role and not recipient.role:
            # people without offices, as in the nineteenth-century volumes: a legation of the
            # United States writes despatches; the Department writes instructions to its own
            # ministers (who send it despatches) and notes to foreign ones
            if re.search(
                r"\b(?:Legation|Embassy|Consulate) of the United States\b|\bUnited States (?:Legation|Embassy)\b",
                dateline_text,
            ):
                # to a foreign dignitary ("Your Excellency:") it is a note; home, a despatch
                if re.match(r"^(?:Your |His |Excellency|Monsieur|Mr\. Minister\b)", body_first):
                    return "note"
                return "despatch"
            if re.search(r"\bDepartment of State\b", dateline_text):
                if re.search(
                    r"\b(?:your|the) (?:despatch|dispatch)(?:es)?\b", body[:3000], re.IGNORECASE
                ):
                    return "instruction"
                return "note"
            if number_line:
                return "despatch"
            return "note"
    return "other"


_NAME_TOKEN = re.compile(
    r"^(?:[A-Z][\w’'.\-]*|[A-Z]?\[[\w’'.]+\]\.?|[A-Z]\.|de|da|van|von|y|del|of|for|the|and|Jr\.?,?)$"
)


def _name_like(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > 60 or s.endswith(":") or any(ch.isdigit() for ch in s):
        return False
    if s.startswith(("[", "(", "“", '"', "-", "•")):
        return False
    tokens = s.replace(",", " ").split()
    if not 1 <= len(tokens) <= 7:
        return False
    return all(_NAME_TOKEN.match(t) for t in tokens)


def find_signature(body_lines: list[str]) -> str | None:
    """The signature as printed: the name-like lines that end the document itself."""
    main: list[str] = []
    for line in body_lines:
        if _ENCLOSURE.match(line.strip()):
            break
        main.append(line)
    # older volumes print the addressee under the signature ("Hon. William H. Seward," /
    # "Secretary of State."): the signature stands above it
    tail = [j for j in range(len(main)) if main[j].strip()][-4:]
    for j in tail:
        if _ADDRESSEE.search(main[j].strip()):
            main = main[:j]
            break
    k = len(main) - 1
    while k >= 0 and not main[k].strip():
        k -= 1
    block: list[str] = []
    while k >= 0:
        s = main[k].strip()
        if not s:
            if block:
                break
            k -= 1
            continue
        if _FOR_LINE.match(s) or _CLOSING.search(s):
            break
        if not _name_like(s):
            break
        block.insert(0, s)
        k -= 1
        if len(block) >= 3:
            break
    if not block:
        return None
    # a title line under a full name ("Counselor of Embassy") is the signer's office, not
    # part of the signature; a rank under an initial ("G" / "Brigadier General USA") is
    while (
        len(block) > 1
        and re.search(r"\b(?:of|in|at|for|to|ad|and)\b", block[-1])
        and len(block[0].replace(".", "").split()) >= 2
    ):
        block.pop()
    return "\n".join(block)
