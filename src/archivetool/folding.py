"""Folding text for matching: case, diacritics and script do not keep a reader from a name.

``Nedic`` finds ``Nedić``, ``Mihailovic`` finds ``Mihailović``, and Cyrillic is folded through
its Latin form, so ``Stalin`` can meet ``Стаљин`` (``Staljin``, with ``lj`` folded to ``l``).
"""

from __future__ import annotations

import re
import unicodedata

from archivetool.scripts import guess_cyrillic_language, script_of, transliterate

_SPECIAL = str.maketrans({"đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "ß": "ss",
                          "æ": "ae", "œ": "oe", "ı": "i", "’": "'", "ʼ": "'"})  # fmt: skip


def latin(text: str) -> str:
    """Cyrillic words in Latin letters (by the language their letters show), others as they are."""
    if script_of(text) is None or not re.search("[\u0400-\u04ff]", text):
        return text
    lang = guess_cyrillic_language(text) or "sr"
    return transliterate(text, lang)


def fold(text: str) -> str:
    """Lower case, no diacritics, Latin script; digraphs lj/nj/dj/dž folded to one letter."""
    t = latin(text).translate(_SPECIAL)
    t = unicodedata.normalize("NFKD", t)
    t = "".join(c for c in t if not unicodedata.combining(c)).casefold()
    # applied alike to what is indexed and what is asked, so "injure" folding to "inure"
    # costs nothing, while "Staljin" meets "Stalin" and "Djordjevic" meets "Đorđević"
    return re.sub(r"([lnd])j|(d)z", r"\1\2", t)
