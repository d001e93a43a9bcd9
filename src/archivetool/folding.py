"""Folding text for matching: case, diacritics and script do not keep a reader from a name.

``Nedic`` finds ``Nedić``, ``Mihailovic`` finds ``Mihailović``, and Cyrillic is folded through
its Latin form, so ``Stalin`` can meet ``Стаљин`` (``Staljin``, with ``lj`` folded to ``l``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from archivetool.scripts import guess_cyrillic_language, transliterate

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
    # names, places, titles and offices come back record after record: a short text is
    # folded once per process (a body, long and unique, is not kept)
    return _fold_short(text) if len(text) <= _SHORT else _fold(text)


_SHORT = 200


def _fold(text: str) -> str:
    t = latin(text)
    if not t.isascii():
        for char, plain in _SPECIAL_PAIRS:
            if char in t:
                t = t.replace(char, plain)
    if not t.isascii():
        t = _COMBINING.sub("", unicodedata.normalize("NFKD", t))
    t = t.casefold()
    # applied alike to what is indexed and what is asked, so "injure" folding to "inure"
    # costs nothing, while "Staljin" meets "Stalin" and "Djordjevic" meets "Đorđević"
    return _DIGRAPH.sub(_first_letter, t)


_fold_short = lru_cache(maxsize=16384)(_fold)

# the same as re.sub(r"([lnd])j|(d)z", r"\1\2", t), without groups: more than twice as fast;
# opening on a set of letters, so the engine skips in C to the next d, l or n
_DIGRAPH = re.compile(r"[dln](?:j|(?<=d)z)")


def _first_letter(m: re.Match[str]) -> str:
    return m.group()[0]
