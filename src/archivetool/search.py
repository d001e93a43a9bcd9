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
from collections.abc import Callable, Iterable, Iterator
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
        first = next(_matching_words(text, key, match), None)
        if first is not None:
            return _snippet_at(text, first[0], key, match, width)
    first_field = _fields(record)[0] or record.get("title") or ""
    return " ".join(first_field.split()[: width * 2]), []


def _matching_words(
    text: str, terms: tuple[tuple[str, bool], ...], match: Callable[[str], bool]
) -> Iterator[tuple[int, int]]:
    """Where each word matching a term begins and ends, in order, found by one regular
    expression over the original text (every letter a class of the letters that fold to
    it), so that a long document is not walked word by word in Python. The same scan stops
    at each word holding a letter the classes do not cover (Cyrillic, ½, ß), which is folded
    and tested whole; every match is confirmed as the walk would."""
    pattern = _terms_pattern(terms)
    if pattern is None:
        yield from ((w.start(), w.end()) for w in _WORD.finditer(text) if match(w.group()))
        return
    checked = 0  # the end of the last word tested
    for m in pattern.finditer(text):
        start = m.start()
        if m.group("other") is not None:  # a letter the classes miss: its word from the start
            while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
                start -= 1
            if start < checked:
                continue  # a word begun by a term's letter, tested already
        w = _WORD.match(text, start)
        if w is None:
            continue
        checked = w.end()
        if match(w.group()):
            yield start, checked


def _snippet_at(
    text: str,
    start: int,
    terms: tuple[tuple[str, bool], ...],
    match: Callable[[str], bool],
    width: int,
) -> tuple[str, list[list[int]]]:
    """The snippet around the word at ``start``: width // 2 words before it, width after."""
    after = list(islice(_WORD.finditer(text, start), width + 1))
    hi = after[-1].end()
    back = width // 2
    lo = start
    if back:
        # a short stretch back first (a word is rarely longer than 15 letters), then longer
        for window in (max(0, start - 16 * back), max(0, start - 80 * back), 0):
            before = list(_WORD.finditer(text, window, start))
            if len(before) > back or window == 0:  # the first may be cut: not one of them
                break
        if before:
            lo = before[max(0, len(before) - back)].start()
    piece = " ".join(text[lo:hi].split())
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < len(text) else ""
    snippet = prefix + piece + suffix
    return snippet, [[a, b] for a, b in _matching_words(snippet, terms, match)]


@cache
def _letters() -> tuple[dict[str, list[str]], str]:
    """For each letter or digit a folded term can hold, the characters that fold to it (the
    others, outside these classes, are folded word by word), and the class of the marks
    folding removes."""
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
    return classes, _class(marks) + "*"


def _class(chars: Iterable[str], *, negated: bool = False) -> str:
    """A character class of ``chars``, each run of consecutive code points one range (a
    class of a thousand letters is then compiled in a fraction of the time)."""
    codes = sorted(map(ord, chars))
    runs: list[list[int]] = []
    for code in codes:
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    parts = [re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in runs]
    return "[" + ("^" if negated else "") + "".join(parts) + "]"


@lru_cache(maxsize=256)
def _terms_pattern(terms: tuple[tuple[str, bool], ...]) -> re.Pattern[str] | None:
    """One pattern for the terms, beginning with a single class of every character a term
    can begin with or that no class covers: the regular expression engine then skips ahead
    to such a character instead of trying every alternative at every position of the text.
    The lookbehinds after it say either that a word begins there and which term's first
    letter it was, or that it is a word character outside the classes (group ``other``,
    the rest of its word)."""
    raw, marks = _letters()
    classes = {k: _class(v) for k, v in raw.items()}
    alternatives = []
    first_chars: set[str] = set()
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
        first_chars.update(raw[text[0]])
        rest = parts[0][len(first) :] + "".join(parts[1:])
        alternatives.append(f"(?<={first})" + rest + ("" if prefix else r"(?!\w)"))
    firsts = _class(first_chars)
    covered = {c for chars in raw.values() for c in chars}
    # the leading class: a term's first letters, the underscore, and what is neither ASCII
    # nor covered (mostly letters to fold whole; punctuation such as — fails both branches)
    passed = (covered | {chr(c) for c in range(128)}) - first_chars - {"_"}
    return re.compile(
        _class(passed, negated=True) + f"(?:(?<={firsts})(?<!\\w.)(?:" + "|".join(alternatives)
        + f")|(?<!{firsts})(?<=\\w)(?P<other>\\w*))"
    )  # fmt: skip
