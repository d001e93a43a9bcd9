"""Scripts and languages: which script a text is in, Cyrillic to Latin by the right table,
and ISO 639 codes for the language names CEEOL prints.

Serbian and Macedonian have official Latin alphabets of their own (Gaj's Latin and the
Macedonian romanisation), letter for letter; Bulgarian, Russian, Ukrainian and Belarusian
are romanised by their national or BGN/PCGN systems. A Bulgarian title is never run through
the Serbian table: ``щ`` and ``ъ`` would come out wrong.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_COMMON = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "з": "z", "и": "i",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ф": "f",
}  # fmt: skip

TABLES: dict[str, dict[str, str]] = {
    # Serbian: Gaj's Latin alphabet, the official second script of Serbian
    "sr": {**_COMMON, "ђ": "đ", "ж": "ž", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "ć",
           "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š"},
    # Macedonian: the official romanisation (1970), with ǵ and ḱ
    "mk": {**_COMMON, "ѓ": "ǵ", "ж": "ž", "ѕ": "dz", "ј": "j", "љ": "lj", "њ": "nj",
           "ќ": "ḱ", "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š"},
    # Bulgarian: the Streamlined System (official since 2009)
    "bg": {**_COMMON, "ж": "zh", "й": "y", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh",
           "щ": "sht", "ъ": "a", "ь": "y", "ю": "yu", "я": "ya"},
    # Russian: BGN/PCGN, without diacritics
    "ru": {**_COMMON, "ё": "yo", "ж": "zh", "й": "y", "х": "kh", "ц": "ts", "ч": "ch",
           "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya"},
    # Ukrainian: the national system (2010)
    "uk": {**_COMMON, "г": "h", "ґ": "g", "є": "ie", "ж": "zh", "и": "y", "і": "i", "ї": "i",
           "й": "i", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "",
           "ю": "iu", "я": "ia", "'": "", "’": ""},
    # Belarusian: the national system (2007)
    "be": {**_COMMON, "г": "h", "ё": "io", "ж": "ž", "і": "i", "й": "j", "ў": "ŭ", "х": "ch",
           "ц": "c", "ч": "č", "ш": "š", "ы": "y", "ь": "", "э": "e", "ю": "ju", "я": "ja"},
}  # fmt: skip

# ISO 639-1, ISO 639-2/B (where it differs from 639-2/T, the bibliographic code is the one
# library catalogues use), for the language names CEEOL prints.
LANGUAGES: dict[str, tuple[str, str]] = {
    "albanian": ("sq", "alb"), "armenian": ("hy", "arm"), "belarusian": ("be", "bel"),
    "bosnian": ("bs", "bos"), "bulgarian": ("bg", "bul"), "croatian": ("hr", "hrv"),
    "czech": ("cs", "cze"), "dutch": ("nl", "dut"), "english": ("en", "eng"),
    "estonian": ("et", "est"), "finnish": ("fi", "fin"), "french": ("fr", "fre"),
    "georgian": ("ka", "geo"), "german": ("de", "ger"), "greek": ("el", "gre"),
    "hebrew": ("he", "heb"), "hungarian": ("hu", "hun"), "italian": ("it", "ita"),
    "latin": ("la", "lat"), "latvian": ("lv", "lav"), "lithuanian": ("lt", "lit"),
    "macedonian": ("mk", "mac"), "moldavian": ("ro", "rum"), "montenegrin": ("sr", "cnr"),
    "polish": ("pl", "pol"), "portuguese": ("pt", "por"), "romanian": ("ro", "rum"),
    "russian": ("ru", "rus"), "serbian": ("sr", "srp"), "serbo-croatian": ("sh", "hbs"),
    "slovak": ("sk", "slo"), "slovenian": ("sl", "slv"), "slovene": ("sl", "slv"),
    "spanish": ("es", "spa"), "swedish": ("sv", "swe"), "turkish": ("tr", "tur"),
    "ukrainian": ("uk", "ukr"), "yiddish": ("yi", "yid"),
}  # fmt: skip


def language_codes(printed: str | None) -> list[dict[str, str]]:
    """``[{name, iso639_1, iso639_2b}]`` for each language printed ('English, Serbian')."""
    if not printed:
        return []
    out = []
    for name in re.split(r"\s*[,;/]\s*|\s+and\s+", printed):
        codes = LANGUAGES.get(name.strip().lower())
        if codes:
            out.append({"name": name.strip(), "iso639_1": codes[0], "iso639_2b": codes[1]})
    return out


_SCRIPT_RANGES = (
    ("Latn", re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")),
    ("Cyrl", re.compile("[\u0400-\u052f]")),
    ("Grek", re.compile("[\u0370-\u03ff\u1f00-\u1fff]")),
    ("Hebr", re.compile("[\u0590-\u05ff]")),
    ("Arab", re.compile("[\u0600-\u06ff]")),
    ("Geor", re.compile("[\u10a0-\u10ff]")),
    ("Armn", re.compile("[\u0530-\u058f]")),
)


def script_of(text: str | None) -> str | None:
    """ISO 15924 code of the script most letters are in: Cyrl, Latn, Grek, …"""
    if not text:
        return None
    if text.isascii():
        # no letter of another range there: Latin (first of the ranges) if any letter at all
        return "Latn" if _SCRIPT_RANGES[0][1].search(text) else None
    counts = {code: len(rx.findall(text)) for code, rx in _SCRIPT_RANGES}
    code, n = max(counts.items(), key=lambda kv: kv[1])
    return code if n else None


_SCRIPT_NAMES = (("CYRILLIC", "Cyrl"), ("LATIN", "Latn"), ("GREEK", "Grek"), ("HEBREW", "Hebr"),
                 ("ARABIC", "Arab"), ("GEORGIAN", "Geor"), ("ARMENIAN", "Armn"))  # fmt: skip


@lru_cache(maxsize=4096)  # the letters of a language come back word after word
def _char_script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    for prefix, code in _SCRIPT_NAMES:
        if name.startswith(prefix):
            return code
    return "Zyyy"


_WORD = re.compile(r"\w+")


def mixed_script_words(text: str | None) -> list[str]:
    """Words that mix Cyrillic and Latin letters (a Latin 'o' inside a Cyrillic word)."""
    if not text or text.isascii():
        return []
    out = []
    for word in _WORD.findall(text):
        if word.isascii():
            continue  # no Cyrillic letter in it
        scripts = {_char_script(c) for c in word if c.isalpha()}
        if {"Cyrl", "Latn"} <= scripts:
            out.append(word)
    return out


def guess_cyrillic_language(text: str) -> str | None:
    """Which Cyrillic alphabet a text uses, from the letters only one language has."""
    low = text.lower()
    if re.search("[ђћџ]", low) or (re.search("[љњј]", low) and not re.search("[ѓќѕ]", low)):
        return "sr"
    if re.search("[ѓќѕ]", low):
        return "mk"
    if re.search("[ґєії]", low):
        return "uk"
    if "ў" in low:
        return "be"
    if re.search("[ыэё]", low):
        return "ru"
    if re.search("[щъ]", low):
        return "bg"
    return None


def transliterate(text: str, lang: str) -> str:
    """Cyrillic letters to Latin by the table of ``lang``; other characters unchanged."""
    table = TABLES[lang]
    out = []
    for i, ch in enumerate(text):
        low = ch.lower()
        if low not in table:
            out.append(ch)
            continue
        latin = table[low]
        if ch != low and latin:
            nxt = text[i + 1] if i + 1 < len(text) else ""
            prev = text[i - 1] if i else ""
            # an all-capital word keeps its digraphs capital: ЉУБАВ → LJUBAV, Љубав → Ljubav
            if (nxt.isupper() and nxt.isalpha()) or (
                prev.isupper() and prev.isalpha() and not nxt.isalpha()
            ):
                latin = latin.upper()
            else:
                latin = latin[0].upper() + latin[1:]
        out.append(latin)
    return "".join(out)


def to_latin(text: str | None, language: str | None) -> tuple[str | None, str | None]:
    """A Cyrillic text in Latin script, and the table used; (None, None) when not Cyrillic."""
    if not text or script_of(text) != "Cyrl":
        return None, None
    lang = None
    for entry in language_codes(language):
        if entry["iso639_1"] in TABLES:
            lang = entry["iso639_1"]
            break
        if entry["iso639_2b"] == "cnr":
            lang = "sr"
            break
    lang = lang or guess_cyrillic_language(text) or "ru"
    return transliterate(text, lang), lang
