"""One reader per field, each over :class:`Segments` only.

A reader takes the parts it needs and returns the field's value; where it has to fall
back on a weaker reading it says so in a warning naming the field. :func:`read` runs them
all and returns the record's fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from archivetool.formats.frus.dates import Dateline, find_date, read_dateline, received_text
from archivetool.formats.frus.lines import (
    AIRGRAM_NUMBER,
    NUMBER_GLUED,
    NUMBER_LINE,
    classification_name,
    is_classification,
    parse_source_line,
    serial_opener,
)
from archivetool.formats.frus.parties import (
    Parties,
    Party,
    known_posts,
    parse_heading_parties,
    post_key,
)
from archivetool.formats.frus.register import SECRETARY, chief_under, offices_of
from archivetool.formats.frus.segments import Segments
from archivetool.formats.frus.vocab import (
    BODY_SAMPLE,
    COLLECTIVE,
    HEADING_TYPES,
    SOURCE_TYPES,
    US_POST,
)


@dataclass
class Reading:
    """The fields read so far and the doubts met on the way."""

    fields: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


# --- heading ----------------------------------------------------------------------------

_PRINTED = re.compile(r"^No\.\s*(\d+[A-Za-z]?)\.?\s*")
_DOC_NUMBER = re.compile(r"^(\d{1,4})\.\s+")


def read_numbers(seg: Segments) -> tuple[str | None, str | None]:
    """The volume's running number ('No. 64.', 19th century) and a later volume's document
    number ('110.'), from the line above the heading or the heading's start."""
    printed = doc = None
    for text in filter(None, (seg.number_line, seg.heading)):
        if printed is None and (m := _PRINTED.match(text)):
            printed = m.group(1)
        elif doc is None and (m := _DOC_NUMBER.match(text + " ")):
            doc = m.group(1)
    return printed, doc


def read_title(seg: Segments) -> str:
    """The heading as printed, a number line above it joined with one space."""
    if seg.number_line and not seg.heading.startswith(seg.number_line):
        return f"{seg.number_line} {seg.heading}"
    return seg.heading


def heading_core(seg: Segments) -> str:
    """The heading without its running or document number."""
    core = _PRINTED.sub("", seg.heading, count=1)
    return _DOC_NUMBER.sub("", core, count=1)


# --- source note and file number --------------------------------------------------------

_CENTRAL_FILES = re.compile(
    r"Central Files?(?:\s+\d{4}[–-]\d{2,4})?,\s*"
    r"(?:(?P<fn>\d{3}[^\s,;]*(?:\s+[A-Z][\w()]*)*?/[^\s,;]+?)[.;,]?(?=\s|$)"
    r"|(?P<subject>[A-Z]{2,6}\s+[^.;,]+?)(?=[.;,](?:\s|$)))"
)
_BARE_DECIMAL = re.compile(r"(?:^|\s)(?P<fn>\d{3}\.[\w.]*[A-Z]?\d*/[\d–-]+\w*)")


_TELEGRAM = re.compile(r"\bTelegram\b", re.IGNORECASE)
_CIRCULAR = re.compile(r"\bCircular\b")
_NOTE_WORDS = re.compile(r"\b(?:Aide-M[ée]moire|Note Verbale)\b")
_AIDE_MEMOIRE = re.compile(r"^Aide-M[ée]moire\b")
_TO = re.compile(r"\bto\b")
_NO_SENDER_HEADING = re.compile(r"^(?:Memorand|Editorial|Minutes|Notes|Paper|Report|Transcript)")
_CITATION_END = re.compile(r"(?<![^A-Za-z][A-Z])\.\s+(?=[A-Z])")


def read_source(seg: Segments) -> tuple[str | None, str | None, str | None]:
    """The source note, the decimal (or subject-numeric) file number and the type word the
    source line gives ('telegram'), from the source line or a 'Source:' footnote."""
    note = file_number = kind = None
    for line in seg.source_lines:
        src = parse_source_line(line)
        if src:
            note, file_number, kind = src.note, src.file_number, src.doc_type
            break
    if seg.footnotes and seg.footnotes[0].text.startswith("Source:"):
        note = seg.footnotes[0].text
        if file_number is None:
            file_number = file_number_in_note(note)
    return note, file_number, kind


def file_number_in_note(note: str) -> str | None:
    """'Source: Department of State, Central Files, 611.61/1–2955. Secret.' → '611.61/1–2955';
    '… Central Files 1964–66, POL 23–9 LAOS. Secret' → 'POL 23–9 LAOS'."""
    cite = note[len("Source:") :].strip() if note.startswith("Source:") else note
    m = _CENTRAL_FILES.search(cite)
    if m:
        return (m.group("fn") or m.group("subject")).rstrip(".")
    m = _BARE_DECIMAL.search(cite.split(".")[0])
    return m.group("fn") if m else None


def citation_tail(note: str) -> str:
    """The part of a source note after its citation: 'Secret; Priority. Drafted by …'."""
    body = note[len("Source:") :].strip() if note.startswith("Source:") else note
    # the citation ends at the first full stop followed by a space and a capital, not
    # inside a file number ("611.61/1–2955.")
    m = _CITATION_END.search(body)
    return body[m.end() :] if m else body


# --- parties ----------------------------------------------------------------------------


def read_parties(seg: Segments) -> Parties:
    """Sender and recipients from the heading; a heading cut after 'of' is completed from
    the address block ('Minister of Foreign Affairs of' → '… of Siam')."""
    parties = parse_heading_parties(heading_core(seg))
    for p in parties.recipients:
        if p.role and p.role.endswith(" of") and seg.first_paragraph:
            post = _post_named(seg)
            if post:
                parties.warnings.append(
                    f"recipient: the heading is cut after {p.role!r}; the post {post!r} "
                    "is taken from the address"
                )
                p.role, p.post = f"{p.role} {post}", post
    if seg.stated.sender or seg.stated.recipient:
        _confirm_stated(parties.sender, seg.stated.sender, "sender", parties.warnings)
        first = parties.recipients[0] if parties.recipients else None
        _confirm_stated(first, seg.stated.recipient, "recipient", parties.warnings)
    return parties


def _confirm_stated(party: Party | None, hint: str | None, name: str, warnings: list[str]) -> None:
    """A TEI's persName/gloss of type from/to checks the heading's reading of a party: it
    takes out a name left in parentheses, and a reading it contradicts gets a warning."""
    if not hint or (party and hint in (party.name or "", party.role or "")):
        return
    role = party.role or "" if party else ""
    if party and not party.name and f"({hint})" in role:
        party.name, party.role = hint, " ".join(role.replace(f"({hint})", " ").split()) or None
    elif not party or hint not in f"{party.name or ''} {role}":
        warnings.append(f"{name}: the TEI names {hint!r}, which the heading's reading lacks")


def _post_named(seg: Segments) -> str | None:
    posts = known_posts()
    for words in re.findall(r"[A-Z][\w’]+(?:\s+[A-Z][\w’]+)?", seg.text[:600]):
        for cand in (words, words.split()[-1]):
            if post_key(cand) in posts:
                return posts[post_key(cand)]
    return None


def party_value(parties: list[Party]) -> Any:
    if not parties:
        return None
    if len(parties) == 1:
        return parties[0].as_dict()
    return [p.as_dict() for p in parties]


# --- dateline ---------------------------------------------------------------------------


def read_dateline_fields(seg: Segments, core: str) -> Dateline | None:
    """Place, date and time: from the dateline above the text, else one printed after it,
    else a heading that ends in a date; a place the dateline lacks is taken from the heading."""
    dateline = next((d for d in map(read_dateline, seg.datelines) if d), None)
    if dateline is None and seg.closing_dateline:
        dateline = read_dateline(seg.closing_dateline)
    in_title = read_dateline(core, in_title=True) if find_date(core) else None
    if dateline is None:
        dateline = in_title
    elif in_title is not None and dateline.place is None:
        dateline = Dateline(in_title.place, dateline.date, dateline.time, dateline.text)
    if seg.stated.place or seg.stated.date:
        dateline = _with_stated(dateline, seg)
    return dateline


def _with_stated(dateline: Dateline | None, seg: Segments) -> Dateline:
    """A structured source's placeName and date/@when win over the text's reading."""
    place = seg.stated.place or (dateline.place if dateline else None)
    date = seg.stated.date or (dateline.date if dateline else None)
    return Dateline(
        place, date, dateline.time if dateline else None, dateline.text if dateline else ""
    )


def read_editors_date(seg: Segments) -> str | None:
    """The editors' date of a TEI document (frus:doc-dateTime-min/-max) as an ISO day, when
    both fall on one day; a span (an editorial note on 1946–1949) is no date. It goes to
    ``date_inferred``, never to ``date``."""
    low, high = seg.stated.date_inferred or ("", "")
    same_day = low[:10] == high[:10]
    return low[:10] if same_day and re.match(r"\d{4}-\d{2}-\d{2}", low) else None


def read_received(seg: Segments) -> str | None:
    return received_text(seg.received[0]) if seg.received else None


# --- document type ----------------------------------------------------------------------


def read_doc_type(
    seg: Segments, parties: Parties, source_kind: str | None, date: str | None = None
) -> str:
    """The type the text gives itself, then the one its addressees and salutation show,
    then the one who wrote to whom implies."""
    core = heading_core(seg)
    for kind, rx in HEADING_TYPES:
        if rx.search(core):
            if kind == "telegram" and source_kind and "airgram" in source_kind:
                return "airgram"
            if kind in ("telegram", "letter") and _is_circular(parties):
                return "circular"
            return kind
    said = _said_type(seg, source_kind)
    if said in ("telegram", "instruction", None) and _is_circular(parties):
        return "circular"
    if said:
        return said
    if core.startswith("Memorandum"):
        return "memorandum"
    return _type_by_parties(seg, parties, date)


def _is_circular(parties: Parties) -> bool:
    return any(p.role and not p.name and COLLECTIVE.search(p.role) for p in parties.recipients)


def _said_type(seg: Segments, source_kind: str | None) -> str | None:
    if source_kind:
        for word, kind in SOURCE_TYPES:
            if word in source_kind:
                return kind
    if any(_TELEGRAM.search(op) for op in seg.openers):
        return "telegram"
    if any(_CIRCULAR.search(op) for op in seg.openers):
        return "circular"
    if any(_NOTE_WORDS.search(op) for op in seg.openers) or _AIDE_MEMOIRE.match(
        seg.first_paragraph
    ):
        return "note"
    return None


_FOREIGN_MINISTER = re.compile(r"^(?:\w+ )?Minister (?:of|for)\b|^(?:Foreign|Prime) Minister\b")


def _is_us(role: str) -> bool:
    if _FOREIGN_MINISTER.match(role):
        return False  # "Minister of Foreign Affairs of Siam"
    return (
        bool(US_POST.match(role))
        or "Secretary of State" in role
        or role.startswith(("Department of State", "American", "United States"))
    )


def _type_by_parties(seg: Segments, parties: Parties, date: str | None) -> str:
    sender = parties.sender
    recipient = parties.recipients[0] if parties.recipients else None
    if not (sender and recipient):
        return "other"
    s_role, r_role = sender.role or "", recipient.role or ""
    numbered = _numbered(seg)
    if (
        (s_role or r_role)
        and not numbered
        and (_letter_salutation(seg) or "President" in (r_role, s_role))
    ):
        return "letter"
    from_dept = "Secretary of State" in s_role or s_role.startswith("Department of State")
    to_dept = "Secretary of State" in r_role or r_role.startswith("Department of State")
    if from_dept and r_role:
        if US_POST.match(r_role):  # numbered instructions; an unnumbered one says too little
            return "instruction" if numbered else "other"
        return "note"
    if to_dept and s_role:
        if _is_us(s_role):  # a despatch shows its form: a number, a dateline, a salutation
            return "despatch" if _formal(seg) else "other"
        return "note"
    if s_role and r_role and _is_us(s_role) != _is_us(r_role):
        return "note"  # between an American post and a foreign government
    if not s_role and not r_role:
        return _type_of_persons(seg, parties, date)
    if not s_role and r_role and not _is_us(r_role):
        return "note"  # "Mr. Evarts to the Minister of Foreign Affairs of Siam"
    return "other"


def _numbered(seg: Segments) -> bool:
    """The document carries its own number in an opener line ('No. 691.]')."""
    return any(NUMBER_LINE.match(op) or NUMBER_GLUED.match(op) for op in seg.openers)


def _formal(seg: Segments) -> bool:
    """The copy shows what a despatch or an instruction has: a number, dateline or 'Sir:'."""
    numbered = _numbered(seg)
    return numbered or bool(seg.salutation) or bool(seg.datelines or seg.closing_dateline)


_LETTER_SALUTATION = re.compile(r"^(?:My [Dd]ear|Dear)\b")


def _letter_salutation(seg: Segments) -> bool:
    return bool(seg.salutation and _LETTER_SALUTATION.match(seg.salutation))


_US_LEGATION = re.compile(
    r"\b(?:Legation|Embassy|Consulate) of the United States\b|\bUnited States (?:Legation|Embassy)\b"
)
_TO_DIGNITARY = re.compile(r"^(?:Your |His |Excellency|Monsieur|Mr\. Minister\b)")
_REPLY_TO_DESPATCH = re.compile(r"\b(?:your|the) (?:despatch|dispatch)(?:es)?\b", re.IGNORECASE)


def _type_of_persons(seg: Segments, parties: Parties, date: str | None) -> str:
    """People without offices, as in the nineteenth-century volumes: a legation of the
    United States writes despatches home and notes to foreign dignitaries; the Department
    writes instructions to its own ministers and notes to foreign ones. Who is who comes
    from the dateline, else from the register of office-holders."""
    place_text = " ".join(seg.datelines) + " " + (seg.closing_dateline or "")
    first = seg.first_paragraph
    numbered = _numbered(seg)
    if _US_LEGATION.search(place_text):
        return "note" if _TO_DIGNITARY.match(first) else "despatch"
    if re.search(r"\bDepartment of State\b", place_text):
        if numbered or _REPLY_TO_DESPATCH.search(seg.text[:BODY_SAMPLE]):
            return "instruction"
        return "note"
    s_name = parties.sender.name if parties.sender else None
    r_name = parties.recipients[0].name if parties.recipients else None
    formal = _formal(seg)
    if SECRETARY in offices_of(s_name, date) and SECRETARY not in offices_of(r_name, date):
        if chief_under(s_name, r_name, date):
            return "instruction" if formal else "other"
        return "note"
    if SECRETARY in offices_of(r_name, date) and SECRETARY not in offices_of(s_name, date):
        if chief_under(r_name, s_name, date):
            return "despatch" if formal else "other"
        return "note" if formal else "other"
    if numbered:
        return "despatch"
    return "note" if formal else "other"


# --- serial number ----------------------------------------------------------------------

_MESSAGE_NUMBER = re.compile(
    r"^(?:Number|No\.)\s+(?P<n>\d+)\b|\b(?:No\.|[Nn]umber)\s*(?P<m>\d+)\.?$"
)
_SERIES = re.compile(r"^(?P<n>(?:[A-Z][\w-]+ ){1,2}Series No\. ?\d+)\.?(?:\s|$)")
_NUMBER_LINE_ALONE = re.compile(r"^(?:Number|No\.)\s+\d+\.?$")
_BODY_NO = re.compile(r"^No\.\s*(\d[\w/–-]*?)\.?\]")
# "Telegram 1219 to Geneva", "Deptel 171" do not open a body; a serial does
_REFERENCE_WORD = re.compile(r"^(?:Telegram|Deptel|Embtel|Reurtel|Urtel|Re|Ref)\b", re.IGNORECASE)


def read_serial(seg: Segments, doc_type: str) -> str | None:
    """The document's own number: 'No. 691.]', 'A–139', a telegram's opening '3341.',
    the number of a personal message ('… Personal and Top Secret No. 732.')."""
    for op in seg.openers:
        m = NUMBER_LINE.match(op) or AIRGRAM_NUMBER.match(op) or NUMBER_GLUED.match(op)
        if m:
            return m.group("n").rstrip(".]")
    first = seg.first_paragraph
    series = _SERIES.match(first)
    if series:  # "Polish Series No. 230.": the number in a series of the post's telegrams
        return series.group("n")
    if doc_type in ("telegram", "circular", "airgram") and not _REFERENCE_WORD.match(first):
        n = serial_opener(first)
        if n:
            return n
    m = _BODY_NO.match(first)
    if m:
        return m.group(1)
    head = first.split("\n")[0]
    second = next(iter(seg.text.split("\n", 2)[1:2]), "").strip()
    if _NUMBER_LINE_ALONE.match(second):  # hard-wrapped: '… from the President.' / 'Number 595.'
        head = f"{head} {second}"
    if doc_type == "telegram" and len(head) <= 200:
        m = _MESSAGE_NUMBER.search(head)
        if m and not is_classification(head):
            return m.group("n") or m.group("m")
    return None


# --- classification, signature, pages --------------------------------------------------


def read_classification(seg: Segments, source_note: str | None) -> str | None:
    for op in seg.openers:
        if is_classification(op):
            return classification_name(op)
    if source_note and source_note.startswith("Source:"):
        return classification_name(citation_tail(source_note))
    return None


def read_signed(seg: Segments) -> str | None:
    return "\n".join(" ".join(ln.split()) for ln in seg.signature) if seg.signature else None


def read_pages(seg: Segments) -> dict[str, Any]:
    breaks = list(seg.page_breaks)
    return {
        "page_breaks": breaks,
        "page_offsets": [list(p) for p in seg.page_offsets],
        "page_start": breaks[0] - 1 if breaks else None,
        "page_end": breaks[-1] if breaks else None,
    }


# --- all fields -------------------------------------------------------------------------


def read(seg: Segments) -> Reading:
    """Every field of the record from the document's parts."""
    out = Reading(warnings=list(seg.warnings))
    printed, doc_number = read_numbers(seg)
    source_note, file_number, source_kind = read_source(seg)
    parties = read_parties(seg)
    out.warnings += parties.warnings
    if (
        parties.sender is None
        and _TO.search(heading_core(seg))
        and not _NO_SENDER_HEADING.match(heading_core(seg))
    ):
        out.warnings.append("sender: the heading names no sender the reader could place")
    dateline = read_dateline_fields(seg, heading_core(seg))
    doc_type = read_doc_type(seg, parties, source_kind, dateline.date if dateline else None)
    if len(seg.received) > 1:
        out.warnings.append(f"received: printed {len(seg.received)} times; the first is kept")
    out.fields = {
        "file_number": file_number,
        "source_note": source_note,
        "doc_type": doc_type,
        "title": read_title(seg),
        "printed_number": printed,
        "doc_number": doc_number,
        "sender": parties.sender.as_dict() if parties.sender else None,
        "recipient": party_value(parties.recipients),
        "place": dateline.place if dateline else None,
        "date": dateline.date if dateline else None,
        "time": dateline.time if dateline else None,
        "dateline": (dateline.text or None) if dateline else None,
        "received": read_received(seg),
        "date_inferred": (editors := read_editors_date(seg)),
        "date_source": "tei" if editors else None,
        "serial_number": read_serial(seg, doc_type),
        "classification": read_classification(seg, source_note),
        "signed": read_signed(seg),
        **read_pages(seg),
        "footnotes": [
            {"n": f.n, "marker_text": f.marker_text, "text": f.text, "offset": f.offset}
            for f in seg.footnotes
        ],
    }
    return out
