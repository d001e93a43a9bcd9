"""Full-text search: a reader's query, folded as the index is, ranked by bm25, with filters.

Query syntax, as a researcher writes it::

    Mihailovic                  a word; case, diacritics and script do not matter
    "civil war"                 a phrase
    Partisan*                   a prefix
    Tito AND Stalin, Tito OR Stalin, Tito NOT Churchill, (Tito OR Stalin) AND Moscow

A capitalised word is taken for a name and matched at word beginnings, because Serbian and
the other Slavic languages inflect names (``Стаљином`` is "with Stalin"): ``Tito`` finds
``Титов``. Lower-case words match whole words only, so ordinary English queries stay
precise. Snippets are cut from the original text, never from the folded index.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import islice
from typing import Any

from archivetool import kinds
from archivetool.errors import UsageError
from archivetool.folding import fold
from archivetool.store import ArchiveStore as Archive
from archivetool.store import IndexQuery, IndexQueryError

_TOKEN = re.compile(r'"(?P<phrase>[^"]*)"|(?P<paren>[()])|(?P<word>[^\s()"]+)')
_OPERATORS = {"AND", "OR", "NOT"}


@dataclass
class Term:
    text: str  # folded
    prefix: bool


@dataclass
class Query:
    fts: str
    terms: list[Term] = field(default_factory=list)


def parse_query(text: str) -> Query:
    """Translate a reader's query into an FTS5 query over the folded index."""
    if text.count('"') % 2:
        raise UsageError(f"search: unbalanced quote in {text!r}", hint='close the phrase with "')
    depth = 0
    parts: list[str] = []
    terms: list[Term] = []
    last = None  # "term" | "op" | "(" | None
    for m in _TOKEN.finditer(text):
        if m.group("paren"):
            p = m.group("paren")
            depth += 1 if p == "(" else -1
            if depth < 0:
                raise UsageError(
                    f"search: a ')' without its '(' in {text!r}", hint="balance the parentheses"
                )
            if p == "(" and last == "term":
                parts.append("AND")
            parts.append(p)
            last = "(" if p == "(" else "term"
            continue
        if m.group("phrase") is not None:
            words = fold(m.group("phrase")).split()
            words = [w for w in re.split(r"\W+", " ".join(words)) if w]
            if not words:
                continue
            terms += [Term(w, False) for w in words]
            atom = '"' + " ".join(words) + '"'
        else:
            word = m.group("word")
            if word in _OPERATORS:
                if last in (None, "op", "("):
                    raise UsageError(
                        f"search: {word} needs a word before it in {text!r}",
                        hint="write it between two words: Tito NOT Churchill",
                    )
                parts.append(word)
                last = "op"
                continue
            star = word.endswith("*")
            core = word.rstrip("*")
            tokens = [t for t in re.split(r"\W+", fold(core)) if t]
            if not tokens:
                continue
            # a capitalised word is a name: match the beginnings of words (inflected forms)
            prefix = star or core[:1].isupper()
            if len(tokens) == 1:
                atom = f'"{tokens[0]}"' + ("*" if prefix else "")
                terms.append(Term(tokens[0], prefix))
            else:
                atom = '"' + " ".join(tokens) + '"' + ("*" if prefix else "")
                terms += [Term(t, i == len(tokens) - 1 and prefix) for i, t in enumerate(tokens)]
        if last == "term":
            parts.append("AND")
        parts.append(atom)
        last = "term"
    if depth:
        raise UsageError(f"search: a '(' is not closed in {text!r}", hint="balance the parentheses")
    if last == "op":
        raise UsageError(
            f"search: the query ends with an operator: {text!r}", hint="add a word after it"
        )
    if not terms:
        raise UsageError(
            "search: the query has no words to look for",
            hint='try: archivetool search "Mihailović"',
        )
    return Query(" ".join(parts), terms)


@dataclass(frozen=True)
class SearchFilters:
    kind: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    sender: str | None = None
    recipient: str | None = None
    place: str | None = None
    file_number: str | None = None
    author: str | None = None
    language: str | None = None
    limit: int = 20
    offset: int = 0  # the hits after the first ``offset`` (paging with limit)


def _bound(value: str, *, upper: bool) -> str:
    """'1943' → 1943-01-01 (or 1943-12-31 as an upper bound); '1943-05' likewise."""
    if not re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", value):
        raise UsageError(
            f"search: {value!r} is not a date", hint="give YYYY, YYYY-MM or YYYY-MM-DD"
        )
    if len(value) == 4:
        return value + ("-12-31" if upper else "-01-01")
    if len(value) == 7:
        return value + ("-31" if upper else "-01")
    return value


def index_query(q: Query, filters: SearchFilters) -> IndexQuery:
    """A parsed query and its filters as the index answers them: bounds as days, the
    filters' words folded as the facets are."""
    given = (("sender", filters.sender), ("recipient", filters.recipient),
             ("place", filters.place), ("authors", filters.author),
             ("language", filters.language))  # fmt: skip
    contains = tuple((facet, fold(value)) for facet, value in given if value)
    return IndexQuery(
        match=q.fts,
        limit=filters.limit,
        kind=filters.kind,
        date_from=_bound(filters.date_from, upper=False) if filters.date_from else None,
        date_to=_bound(filters.date_to, upper=True) if filters.date_to else None,
        contains=contains,
        file_number=filters.file_number or None,
        offset=filters.offset,
    )


def search(
    archive: Archive, query: str, filters: SearchFilters = SearchFilters()
) -> list[dict[str, Any]]:
    """Ranked hits, best first: ``{id, kind, title, date, score, snippet, highlights, record}``."""
    q = parse_query(query)
    try:
        rows = archive.search_index(index_query(q, filters))
    except IndexQueryError as exc:
        raise UsageError(
            f"search: the index cannot read {query!r} ({exc})",
            hint='quote phrases with "…" and put AND, OR, NOT between words',
        ) from None
    hits = []
    for record, score in rows:
        snippet, highlights = make_snippet(record, q.terms)
        hits.append({
            "id": record["id"], "kind": record["kind"], "title": record.get("title"),
            "date": record.get("date") or record.get("date_inferred") or record.get("year"),
            "score": round(score, 4), "snippet": snippet, "highlights": highlights, "record": record,
        })  # fmt: skip
    return hits


_WORD = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    return fold(word)


def _matches(word: str, terms: list[Term]) -> bool:
    folded = _fold_word(word)
    return any(folded == t.text or (t.prefix and folded.startswith(t.text)) for t in terms)


@lru_cache(maxsize=256)
def _matcher(terms: tuple[tuple[str, bool], ...]) -> Callable[[str], bool]:
    """:func:`_matches` for one query's terms, with the terms looked up in a set."""
    exact = frozenset(text for text, _ in terms)
    prefixes = tuple(text for text, prefix in terms if prefix)

    def match(word: str) -> bool:
        folded = _fold_word(word)
        return folded in exact or folded.startswith(prefixes)

    return match


def _fields(record: dict[str, Any]) -> list[str]:
    return kinds.of(record).snippet_fields(record)


def make_snippet(
    record: dict[str, Any], terms: list[Term], width: int = 12
) -> tuple[str, list[list[int]]]:
    """A short stretch of the original text around the first match, and where the matches are."""
    key = tuple((t.text, t.prefix) for t in terms)
    match = _matcher(key)
    for text in _fields(record):
        start = _first_match(text, key, match)
        if start is not None:
            return _snippet_at(text, start, match, width)
    first = _fields(record)[0] or record.get("title") or ""
    return " ".join(first.split()[: width * 2]), []


def _first_match(
    text: str, terms: tuple[tuple[str, bool], ...], match: Callable[[str], bool]
) -> int | None:
    """Where the first word matching a term begins, found by one regular expression over
    the original text (every letter a class of the letters that fold to it), so that a long
    document is not walked word by word in Python. Only the words holding a letter the
    classes do not cover (Cyrillic, ½, ß) are folded one by one, and every match is
    confirmed as the walk would."""
    pattern = _terms_pattern(terms)
    if pattern is None:
        return next((w.start() for w in _WORD.finditer(text) if match(w.group())), None)
    best = None
    for m in pattern.finditer(text):
        w = _WORD.match(text, m.start())
        if w and match(w.group()):
            best = m.start()
            break
    end = len(text) if best is None else best
    if not _any_uncovered(text, end):
        return best  # no word before it holds a letter the classes miss
    checked = 0
    for c in _letters()[2].finditer(text, 0, end):
        if c.start() < checked:
            continue  # a letter of a word already looked at
        start = c.start()
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
            start -= 1
        w = _WORD.match(text, start)
        if w is None:
            continue
        checked = w.end()
        if match(w.group()):
            return start
    return best


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@lru_cache(maxsize=4096)
def _uncovered(char: str) -> bool:
    return _letters()[2].match(char) is not None


def _any_uncovered(text: str, end: int) -> bool:
    """Whether text[:end] holds a word character the letter classes do not cover: found
    among its few distinct non-ASCII characters (of ASCII, only the underscore is one),
    instead of trying the class at every character."""
    if text.find("_", 0, end) != -1:
        return True
    return any(_uncovered(c) for c in set(_NON_ASCII.findall(text, 0, end)))


def _snippet_at(
    text: str, start: int, match: Callable[[str], bool], width: int
) -> tuple[str, list[list[int]]]:
    """The snippet around the word at ``start``: width // 2 words before it, width after."""
    after = list(islice(_WORD.finditer(text, start), width + 1))
    hi = after[-1].end()
    back = width // 2
    lo = start
    if back:
        window = max(0, start - 80 * back)
        before = list(_WORD.finditer(text, window, start))
        if len(before) <= back and window > 0:  # the first may be cut: read from the start
            before = list(_WORD.finditer(text, 0, start))
        if before:
            lo = before[max(0, len(before) - back)].start()
    piece = " ".join(text[lo:hi].split())
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < len(text) else ""
    snippet = prefix + piece + suffix
    highlights = [[m.start(), m.end()] for m in _WORD.finditer(snippet) if match(m.group())]
    return snippet, highlights


@cache
def _letters() -> tuple[dict[str, str], str, re.Pattern[str]]:
    """For each letter or digit a folded term can hold, a character class of the characters
    that fold to it; the class of the marks folding removes; and a pattern finding any word
    character outside these classes."""
    classes: dict[str, list[str]] = {}
    marks: list[str] = []
    for code in range(0x20, 0x3000):
        ch = chr(code)
        if "\u0400" <= ch <= "\u052f" or not (_WORD.match(ch) or unicodedata.combining(ch)):
            continue  # Cyrillic folds by the language of the whole word: walked
        folded = fold(ch)
        if folded == "":
            marks.append(ch)
        elif len(folded) == 1 and folded.isascii() and folded.isalnum():
            classes.setdefault(folded, []).append(ch)
    simple = sorted({c for chars in classes.values() for c in chars})
    other = re.compile("[^\\W" + "".join(map(re.escape, simple)) + "]")
    mark_class = "[" + "".join(map(re.escape, marks)) + "]*"
    return (
        {k: "[" + "".join(map(re.escape, v)) + "]" for k, v in classes.items()},
        mark_class,
        other,
    )


@lru_cache(maxsize=256)
def _terms_pattern(terms: tuple[tuple[str, bool], ...]) -> re.Pattern[str] | None:
    """One pattern for the terms, beginning with a single class of every character a term
    can begin with: the regular expression engine then skips ahead to such a character
    instead of trying every alternative at every position of the text. The lookbehinds
    after it say that a word begins there and which term's first letter it was."""
    classes, marks, _ = _letters()
    alternatives = []
    firsts: set[str] = set()
    for text, prefix in terms:
        if not text or any(c not in classes for c in text):
            return None
        parts = []
        for c in text:
            part = classes[c] + marks
            # folding drops the j of lj, nj, dj and the z of dz ("Staljin" is "stalin")
            if c in "lnd":
                part += f"(?:{classes['j']}{marks})?"
            if c == "d":
                part += f"(?:{classes['z']}{marks})?"
            parts.append(part)
        first = classes[text[0]]
        firsts.add(first[1:-1])
        rest = parts[0][len(first) :] + "".join(parts[1:])
        alternatives.append(f"(?<={first})" + rest + ("" if prefix else r"(?!\w)"))
    leading = "[" + "".join(sorted(firsts)) + "]"
    return re.compile(leading + r"(?<!\w.)(?:" + "|".join(alternatives) + ")")
