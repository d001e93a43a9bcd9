"""Citations of other communications in a FRUS document's text.

Diplomatic prose cites telegrams, despatches and notes in a handful of shapes:

    Ambassador Biddle’s telegram No. 3, March 30, midnight
    your telegram DVK 33          your note of the 6th April
    Embassy’s telegram No. 2041, March 23, 10 p.m.
    your 3272, July 15, 9 p.m.    my 6266, September 19     Department’s 7184, November 13
    Deptel 123    Embtel 456    reDeptel 678, July 15    Embtels 874, July 25; 924, August 5

Each becomes ``{kind, number, date, time, party, text, start, end}`` with offsets into the
record's ``text``; ``date_iso`` where the citing document's year makes the date certain, and
``not_printed`` where the editors' footnote on it says the edition omits it.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any

from archivetool.months import MONTH_LOOSE, month_number

_MONTHS = MONTH_LOOSE
_DATE = (
    rf"(?:(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th|d)?(?:,?\s+\d{{4}})?"
    rf"|(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th|d)?\s+(?:of\s+)?(?:{_MONTHS})(?:,?\s+\d{{4}})?"
    rf"|the\s+\d{{1,2}}(?:st|nd|rd|th|d)\s+(?:instant|ultimo|ult\.|inst\.))"
)
_TIME = r"(?:\d{1,2}(?::\d\d)?\s*[ap]\.\s?m\.|noon|midnight)"
_NUM = r"(?:[A-Z]{1,4}[–-]\s?\d+|[A-Z]{2,5}\s\d+|\d+[a-z]?)"
_OFFICES = ("Department", "Embassy", "Legation", "Consulate", "Mission", "Delegation")
_PARTY = (
    r"(?P<party>(?:[Yy]our|[Mm]y|[Oo]ur|[Hh]is|[Tt]heir)"
    r"|(?:[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,3})[’']s"
    rf"|(?:{'|'.join(_OFFICES)})(?=\s+(?:telegram|despatch|airgram|instruction|note)))"
)
_KIND = (
    r"(?P<kind>(?:circular\s+)?(?:telegrams?|cables?|despatch(?:es)?|dispatch(?:es)?|airgrams?|"
    r"instructions?|notes?|letters?|memorand(?:um|a)|aide-m[ée]moire|messages?)|[Aa]irgram|Telegram)"
)
_TAIL = rf"(?:(?:,|\s+of)?\s+(?P<date>{_DATE}))?(?:,?\s+(?P<time>{_TIME}))?"

FORM_KIND = re.compile(
    rf"(?:{_PARTY}\s+)?{_KIND}(?:\s+(?:No\.|no\.|Nos\.|number)?\s*(?P<number>{_NUM}))?{_TAIL}"
)
FORM_BARE = re.compile(rf"{_PARTY}\s+(?:No\.\s*)?(?P<number>\d+[a-z]?){_TAIL}")
_ABBR = {
    "deptel": ("telegram", "Department"), "embtel": ("telegram", "Embassy"),
    "urtel": ("telegram", "your"), "ourtel": ("telegram", "our"), "mytel": ("telegram", "my"),
    "legtel": ("telegram", "Legation"), "contel": ("telegram", "Consulate"),
    "circtel": ("circular telegram", "Department"), "depcirtel": ("circular telegram", "Department"),
    "deptcirtel": ("circular telegram", "Department"), "embdes": ("despatch", "Embassy"),
    "urdes": ("despatch", "your"), "mydes": ("despatch", "my"), "depinst": ("instruction", "Department"),
    "reftel": ("telegram", None),
}  # fmt: skip
FORM_ABBR = re.compile(
    r"\b(?P<re>re)?(?P<abbr>" + "|".join(_ABBR) + r")s?\b\s*(?P<number>\d+[a-z]?)?" + _TAIL,
    re.IGNORECASE,
)
# used with .match(text, pos): anchored at pos, no slice of the rest of the text
_MORE = re.compile(rf"\s*(?:;|,|and)\s*(?P<number>\d+[a-z]?){_TAIL}")
_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th|d)")

# -- a cheap keyword test before the patterns -------------------------------------------
#
# The three patterns above, tried at every position of a long text, cost more than the rest
# of the reading. Each match must contain a keyword that str.find finds at C speed (a kind
# word, the end of a possessive, an abbreviation), and can only start a few words before
# it, so the patterns are tried at those few positions alone, left to right, skipping what
# a match took, exactly as finditer would: the same matches, a fraction of the work.

_KIND_WORDS = ("circular", "telegram", "cable", "despatch", "dispatch", "airgram",
               "instruction", "note", "letter", "memorand", "aide-m", "message", "Airgram",
               "Telegram")  # fmt: skip
# where a possessive party (your, my, our, his, their, Embassy’s) can end
_PARTY_ENDS = ("’s", "'s", "our", "Our", "my", "My", "his", "His", "heir")
# each end followed by what a bare citation needs next (a number, after "No." perhaps): no
# end can begin inside another (test_references_scan checks it), so the pattern's
# non-overlapping matches are every such end; _bare_ends finds the same from the digits
_BARE_END = re.compile("(?:" + "|".join(map(re.escape, _PARTY_ENDS)) + r")(?=\s+(?:No\.\s*)?\d)")
# the last letters of each of _PARTY's three kinds: possessives, names with ’s, offices
_PARTY_LAST = _PARTY_ENDS + _OFFICES
_PARTY_FIRST = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZymoht")  # every party begins so
_POSSESSIVES = ("your", "my", "our", "his", "their")
# the letters beyond ASCII that IGNORECASE matches to ASCII ones (İ ı ſ K: all there are,
# test_references_scan checks); a text without them is searched as its ASCII bytes
_ODD_CASE = ("\u0130", "\u0131", "\u017f", "\u212a")
# every abbreviation ends in one of three anchors: three searches of the text instead of one
# for each abbreviation, and a look back at each anchor found for the words ending there
_ANCHORS = ("tel", "des", "inst")
_ABBR_BEFORE: dict[bytes, tuple[bytes, ...]] = {
    a.encode(): tuple(w[: -len(a)].encode() for w in _ABBR if w.endswith(a)) for a in _ANCHORS
}


# one byte a character, each beyond ASCII a "?": the same offsets as the text's. Made once
# for the last text: the abbreviations and the bare citations' digits both read it
@lru_cache(maxsize=1)
def _ascii_view(text: str) -> bytes:
    return text.encode("ascii", "replace")


def _finds(text: str, words: tuple[str, ...]) -> list[tuple[int, str]]:
    out = []
    for w in words:
        i = text.find(w)
        while i >= 0:
            out.append((i, w))
            i = text.find(w, i + 1)
    return out


# up to four words ([\w.] as the party patterns read them), read backwards: matched once
# against the reversed stretch of text before a keyword
_WORDS_BACK = re.compile(r"[\w.]+(?:\s+[\w.]+){0,3}")


def _words_before(text: str, stop: int) -> int:
    """Where the (up to) four words ending at ``stop`` begin; ``stop`` when none ends there."""
    lo = max(0, stop - 160)
    m = _WORDS_BACK.match(text[lo:stop][::-1])
    if m is not None and m.end() == stop - lo and lo > 0:  # a long word: look further back
        lo = 0
        m = _WORDS_BACK.match(text[:stop][::-1])
    return stop if m is None else stop - m.end()


def _party_region(text: str, end: int) -> int:
    """The earliest start of a party ending at ``end``: up to four words back (before a
    final ’s, too), and the whole word the party's last letters belong to."""
    start = _words_before(text, end)
    if text[end - 2 : end] in ("’s", "'s"):
        start = min(start, _words_before(text, end - 2))
    return start


def _party_starts(text: str, end: int) -> list[int]:
    # a party opening on a small letter is one of the possessives (your, my, our, his,
    # their); another word there ('the', 'to', 'that') can start no match, and is not
    # tried (a kind word there, 'telegram', is a candidate of its own)
    return [
        p for p in range(_party_region(text, end), end)
        if text[p] in _PARTY_FIRST and (text[p].isupper() or text.startswith(_POSSESSIVES, p))
    ]  # fmt: skip


# kind words that differ only in their first letters, each pair found by one search for
# what they share (a search of the whole text costs more than a look at each hit)
_KIND_PAIRS = (("elegram", ("telegram", "Telegram")), ("irgram", ("airgram", "Airgram")),
               ("spatch", ("despatch", "dispatch")))  # fmt: skip
_KIND_ALONE = tuple(w for w in _KIND_WORDS if not any(w in pair for _, pair in _KIND_PAIRS))


def _kind_starts(text: str) -> list[int]:
    """Where a kind word begins: what ``_finds(text, _KIND_WORDS)`` gives, fewer searches."""
    out = [k for k, _ in _finds(text, _KIND_ALONE)]
    for shared, pair in _KIND_PAIRS:
        lead = len(pair[0]) - len(shared)
        i = text.find(shared, lead)
        while i >= 0:
            if text.startswith(pair, i - lead):
                out.append(i - lead)
            i = text.find(shared, i + 1)
    return out


def _kind_candidates(text: str) -> list[int]:
    out = []
    for k in _kind_starts(text):
        out.append(k)
        e = k
        while e > 0 and text[e - 1].isspace():
            e -= 1
        # a party can start a match only where one ends before the kind word (a possessive,
        # a name's ’s, an office): the few words before any other are not tried
        if e < k and text.endswith(_PARTY_LAST, 0, e):
            out += _party_starts(text, e)
    return out


def _decimals(text: str) -> list[int]:
    """Where ``\\d`` matches: the ten ASCII digits by str.find, and each of the few characters
    beyond ASCII (a "?" in the text's ASCII bytes) asked whether it is a decimal digit."""
    out = []
    for digit in "0123456789":
        i = text.find(digit)
        while i >= 0:
            out.append(i)
            i = text.find(digit, i + 1)
    if not text.isascii():
        view = _ascii_view(text)
        i = view.find(b"?")
        while i >= 0:
            if text[i].isdecimal():
                out.append(i)
            i = view.find(b"?", i + 1)
    return out


def _space_before(text: str, end: int) -> int:
    """Where the run of white space ending at ``end`` begins (``end`` when there is none)."""
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def _bare_ends(text: str) -> list[int]:
    """Where ``_BARE_END`` matches end, found back from the digits: the regex tries its
    pattern at each of the many o, m, h and ’ of a text, a digit with white space (and "No.")
    before it is rare, and at most one party end can end before each."""
    out = []
    for d in _decimals(text):
        e = _space_before(text, d)
        if e < d and text.endswith(_PARTY_ENDS, 0, e):
            out.append(e)  # "your 3272"
        elif e >= 3 and text.startswith("No.", e - 3):
            q = _space_before(text, e - 3)
            if q < e - 3 and text.endswith(_PARTY_ENDS, 0, q):
                out.append(q)  # "Karachi’s No. 20"
    out.sort()
    return out


def _bare_candidates(text: str) -> list[int]:
    out = []
    for end in _bare_ends(text):
        out += _party_starts(text, end)
    return out


def _abbr_candidates(text: str) -> list[int] | None:
    if not text.isascii() and any(c in text for c in _ODD_CASE):
        return None  # IGNORECASE sees an ASCII letter where the bytes have none: read it all
    # one byte a character (each other letter a "?"), lowered: the same offsets, and the
    # letters IGNORECASE matches the abbreviations' against, at a fraction of str.lower()
    low = _ascii_view(text).lower()
    out = []
    for anchor, before in _ABBR_BEFORE.items():
        j = low.find(anchor)
        while j >= 0:
            # most anchors end no abbreviation ("telegram"): one test in C for all of them
            if low.endswith(before, 0, j):
                for b in before:
                    i = j - len(b)
                    if i >= 0 and low.startswith(b, i):
                        out.append(i)
                        if low[i - 2 : i] == b"re":
                            out.append(i - 2)
            j = low.find(anchor, j + 1)
    return out


def _scan(pattern: re.Pattern[str], text: str, candidates: list[int] | None) -> list[re.Match[str]]:
    """What ``pattern.finditer(text)`` finds, trying only the ``candidates`` positions (a
    superset of where a match can start); None tries them all."""
    if candidates is None:
        return list(pattern.finditer(text))
    found = []
    end = 0
    for p in sorted(set(candidates)):
        if p < end:
            continue
        m = pattern.match(text, p)
        if m:
            found.append(m)
            end = max(m.end(), p + 1)
    return found


def matches(name: str, text: str) -> list[re.Match[str]]:
    """The matches of one of the three patterns ('abbr', 'kind', 'bare') in ``text``."""
    if name == "abbr":
        return _scan(FORM_ABBR, text, _abbr_candidates(text))
    if name == "kind":
        return _scan(FORM_KIND, text, _kind_candidates(text))
    return _scan(FORM_BARE, text, _bare_candidates(text))


def _kind_word(word: str) -> str:
    w = word.lower()
    for stem, kind in (("telegram", "telegram"), ("cable", "telegram"), ("despatch", "despatch"),
                       ("dispatch", "despatch"), ("airgram", "airgram"), ("instruction", "instruction"),
                       ("note", "note"), ("letter", "letter"), ("memorand", "memorandum"),
                       ("aide", "aide-mémoire"), ("message", "message")):  # fmt: skip
        if stem in w:
            return ("circular " if w.startswith("circular") else "") + kind
    return w


_YEAR4 = re.compile(r"(\d{4})")
_MONTH_WORD = re.compile(r"(?i)\b(" + _MONTHS + r")")
_DAY = re.compile(r"\b(\d{1,2})\b")


def date_iso(printed: str | None, year: int | None, citing: str | None) -> str | None:
    """A cited date in ISO: its own year, else the citing document's (never later than it)."""
    if not printed:
        return None
    found = _printed_date(printed, year)
    if found is None:
        return None
    d, own_year = found
    if not own_year and citing and d.isoformat() > citing:
        d = date(d.year - 1, d.month, d.day)  # "your 3272, December 30" cited in January
    return d.isoformat()


# documents cite the same few hundred days ("July 15") in a year: each read once (lru_cache);
# only the comparison with the citing document's own date is made for each citation
@lru_cache(maxsize=4096)
def _printed_date(printed: str, year: int | None) -> tuple[date, bool] | None:
    """The date a citation prints, and whether it prints its year."""
    text = _ORDINAL.sub(r"\1", printed.replace("the ", "").replace(" of ", " "))
    m = _YEAR4.search(text)
    y = int(m.group(1)) if m else year
    mm = _MONTH_WORD.search(text)
    dm = _DAY.search(_YEAR4.sub("", text))
    if not (y and mm and dm):
        return None
    month = month_number(mm.group(1)) or 0
    try:
        return date(y, month, int(dm.group(1))), m is not None
    except ValueError:
        return None


_BARE_END_OF = re.compile(r"[.,;]?(?:\s|$)")
_POSSESSIVE_S = re.compile(r"[’']s$")


def find_references(text: str, *, year: int | None = None, citing_date: str | None = None,
                    footnotes: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:  # fmt: skip
    found: list[dict[str, Any]] = []
    taken: list[tuple[int, int]] = []

    def overlaps(s: int, e: int) -> bool:
        return any(s < te and ts < e for ts, te in taken)

    def add(
        kind: str, number: str | None, m: re.Match[str], party: str | None, start: int, end: int
    ) -> None:
        if overlaps(start, end):
            return
        lead = _LEAD_WORDS.match(text[start:end])
        if lead:
            start += lead.end()
        d, t = m.group("date"), m.group("time")
        ref_text = text[start:end].rstrip(" ,;")
        found.append({
            "kind": kind, "number": number, "date": d, "time": t,
            "date_iso": date_iso(d, year, citing_date),
            "party": party, "text": ref_text, "start": start, "end": start + len(ref_text),
        })  # fmt: skip
        taken.append((start, end))

    for m in matches("abbr", text):
        kind, party = _ABBR[m.group("abbr").lower()]
        if not m.group("number") and not m.group("date"):
            if m.group("abbr").lower() == "reftel":
                add(kind, None, m, party, m.start(), m.end())
            continue
        add(kind, m.group("number"), m, party, m.start(), m.end())
        pos = m.end()
        while True:  # "Embtels 874, July 25; 924, August 5; 936 August 10"
            more = _MORE.match(text, pos)
            if not more or not more.group("date"):
                break
            add(kind, more.group("number"), more, party, more.start("number"), more.end())
            pos = more.end()
    for m in matches("kind", text):
        if not m.group("number") and not m.group("date"):
            continue
        party = _party(m.group("party"))
        kind = _kind_word(m.group("kind"))
        add(kind, _number(m.group("number")), m, party, m.start(), m.end())
        pos = m.end()
        while m.group("number"):  # "airgrams 179, July 29 and 184 August 9"
            more = _MORE.match(text, pos)
            if not more or not more.group("date"):
                break
            add(kind, more.group("number"), more, party, more.start("number"), more.end())
            pos = more.end()
    for m in matches("bare", text):
        party = m.group("party")
        # without a date only "Karachi’s 2020." (a post's telegram) counts; "your 3" is too vague
        bare_post = party.endswith(("’s", "'s")) and len(m.group("number")) >= 2
        if not m.group("date") and not (
            bare_post and _BARE_END_OF.match(text[m.end() : m.end() + 2])
        ):
            continue
        add("telegram", m.group("number"), m, _party(party), m.start(), m.end())
    found.sort(key=lambda r: r["start"])
    _mark_not_printed(found, footnotes or [])
    return found


def _number(n: str | None) -> str | None:
    return " ".join(n.split()) if n else None


_LEAD_WORDS = re.compile(r"^(?:Reference|Re|See|Cf|From|To|In|Under|Para|Paragraph)\s+")


def _party(p: str | None) -> str | None:
    if not p:
        return None
    p = _LEAD_WORDS.sub("", _POSSESSIVE_S.sub("", p))
    return p.lower() if p.lower() in ("your", "my", "our", "his", "their") else p


def _mark_not_printed(refs: list[dict[str, Any]], footnotes: list[dict[str, Any]]) -> None:
    """A footnote saying 'Not printed' right after a citation: the edition omits that document."""
    for ref in refs:
        ref["not_printed"] = False
        for note in footnotes:
            off = note.get("offset")
            if off is not None and ref["end"] <= off <= ref["end"] + 3:
                ref["footnote"] = note["n"]
                ref["not_printed"] = note["text"].lower().startswith("not printed")
