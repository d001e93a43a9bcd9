"""Folding text for matching: case, diacritics and script do not keep a reader from a name.

``Nedic`` finds ``Nedić``, ``Mihailovic`` finds ``Mihailović``, and Cyrillic is folded through
its Latin form, so ``Stalin`` can meet ``Стаљин`` (``Staljin``, with ``lj`` folded to ``l``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from archivetool.scripts import TABLES, guess_cyrillic_language, transliterate

_SPECIAL = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ø": "o", "Ø": "o", "ł": "l",
                          "Ł": "l", "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
                          "þ": "th", "Þ": "th", "ı": "i", "’": "'", "ʼ": "'"})  # fmt: skip


# the same table as pairs of strings: str.replace of the few letters a text holds is many
# times faster than str.translate walking every character through a dict (every key is
# non-ASCII and every value ASCII, so the order of the replacements cannot matter)
_SPECIAL_PAIRS = tuple((chr(k), v) for k, v in _SPECIAL.items())

_CYRILLIC = re.compile("[\u0400-\u04ff]")
# combining marks left by NFKD decomposition (diacritics); one regex pass, not a Python loop
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def latin(text: str) -> str:
    """Cyrillic words in Latin letters (by the language their letters show), others as they are."""
    if not _CYRILLIC.search(text):
        return text
    lang = guess_cyrillic_language(text) or "sr"
    return transliterate(text, lang)


def fold(text: str) -> str:
    """Lower case, no diacritics, Latin script; digraphs lj/nj/dj/dž folded to one letter."""
    if text.isascii():
        # most of a FRUS archive: no Cyrillic, no diacritics, no special letters to look
        # for, and lower() is casefold() on ASCII (tests/test_folding.py: the same result)
        return _undigraph(text.lower())
    # names, places, titles and offices come back record after record: a short text is
    # folded once per process (a body, long and unique, is not kept)
    return _fold_short(text) if len(text) <= _SHORT else _fold(text)


_SHORT = 200


def _fold(text: str) -> str:
    """The general path, for any text."""
    t = _latin_folded(text)
    if not t.isascii():
        for char, plain in _SPECIAL_PAIRS:
            if char in t:
                t = t.replace(char, plain)
    if not t.isascii():
        t = _COMBINING.sub("", unicodedata.normalize("NFKD", t))
    t = t.casefold()
    return _undigraph(t)


def _latin_folded(text: str) -> str:
    """:func:`latin` as folding needs it: the case of the Latin letters left open, since
    folding lowers it next, so one ``str.translate`` does what transliterate does letter by
    letter in Python (same result once case-folded: tests/test_folding.py)."""
    if not _CYRILLIC.search(text):
        return text
    return text.translate(_caseless_table(guess_cyrillic_language(text) or "sr"))


@lru_cache(maxsize=len(TABLES))
def _caseless_table(lang: str) -> dict[int, str]:
    """Every character that :func:`~archivetool.scripts.transliterate` replaces (one whose
    lower case is in the language's table), to the Latin of its lower case."""
    table = TABLES[lang]
    return {cp: table[ch.lower()] for cp in range(0x10000)
            if (ch := chr(cp)).lower() in table}  # fmt: skip


_fold_short = lru_cache(maxsize=16384)(_fold)


def _undigraph(t: str) -> str:
    """lj, nj, dj and dz folded to their first letter (``t`` in lower case), as
    ``re.sub(r"([lnd])j|(d)z", r"\1\2", t)`` does, four to ten times faster: most texts
    hold no j or z, and only a j or z is ever taken out, so taking out those after l and n
    first creates no new pair after d (tests/test_folding.py compares the two)."""
    # applied alike to what is indexed and what is asked, so "injure" folding to "inure"
    # costs nothing, while "Staljin" meets "Stalin" and "Djordjevic" meets "Đorđević"
    if "j" not in t and "z" not in t:
        return t
    t = t.replace("lj", "l").replace("nj", "n")
    if "dj" in t or "dz" in t:
        t = _D_DIGRAPH.sub("d", t)
    return t


_D_DIGRAPH = re.compile("d[jz]")

# the definition _undigraph keeps to, as one pattern (the tests compare the two)
_DIGRAPH = re.compile(r"[dln](?:j|(?<=d)z)")


def _first_letter(m: re.Match[str]) -> str:
    return m.group()[0]
