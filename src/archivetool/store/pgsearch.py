"""Search on PostgreSQL with the semantics of the SQLite index: the same folded text, the
same query language, the same column weights.

The folded text of the index columns (:func:`archivetool.searchindex.index_values`) is cut
into words here, as FTS5's unicode61 tokenizer cuts it (letters and digits; everything else
separates), and written as a ``tsvector`` literal with positions and weights, so that no
text-search parser or dictionary of the server (whose rules differ by version and locale)
stands between the two backends. A search's FTS5 match string (what
:func:`archivetool.search.parse_query` makes of a reader's query) is translated into a
``tsquery``: phrases with ``<->``, prefixes with ``:*``, AND/OR/NOT as ``&``/``|``/``& !``.

Weights: bm25's column weights (8, 1, 1, 4, 2 for title, body, notes, parties, extra) become
the labels A (title), B (parties), C (extra) and D (body, notes), ranked by ``ts_rank_cd``
with the weights {D, C, B, A} = {0.125, 0.25, 0.5, 1.0}: the same ratios. A position past
PostgreSQL's last (16,383) counts as the last: a phrase far into a very long document may be
missed there, which FTS5 would find.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archivetool.searchindex import COLUMNS, WEIGHTS

_TOKEN = re.compile(r"[^\W_]+")
MAX_POSITION = 16383  # PostgreSQL keeps positions up to this; later ones are this
_MAX_POSITIONS = 255  # positions kept per word (PostgreSQL keeps 256 at most)
_MAX_WORD_BYTES = 2046  # a longer word is refused by tsvector; no reader searches for it
_MAX_BYTES = 900_000  # a tsvector holds 1 MB at most: words after this are not indexed

# the column's label, by its bm25 weight; the labels' weights as ts_rank_cd takes them
_LABEL_OF_WEIGHT = {8.0: "A", 4.0: "B", 2.0: "C", 1.0: "D"}
LABELS = dict(zip(COLUMNS, (_LABEL_OF_WEIGHT[w] for w in WEIGHTS), strict=True))
RANK_WEIGHTS = "{0.125,0.25,0.5,1.0}"
# the order columns get their positions in: the long body last, so that only its far end
# can pass PostgreSQL's last position
_POSITION_ORDER = ("title", "parties", "extra", "notes", "body")


def words(folded: str) -> list[str]:
    """The words of folded text, as the SQLite index's tokenizer finds them."""
    return _TOKEN.findall(folded)


def tsvector_literal(values: tuple[str, ...]) -> str:
    """The ``tsvector`` of a record's folded index columns (in ``COLUMNS`` order): each word
    with its positions, labelled by its column's weight. A word of two columns keeps the
    label of each position. Columns are a position apart, so a phrase never spans two."""
    by_column = dict(zip(COLUMNS, values, strict=True))
    positions: dict[str, list[str]] = {}
    size = 0
    pos = 0
    for column in _POSITION_ORDER:
        label = LABELS[column]
        suffix = "" if label == "D" else label
        for word in words(by_column[column]):
            pos = min(pos + 1, MAX_POSITION)
            seen = positions.get(word)
            if seen is None:
                n = len(word.encode())
                if n > _MAX_WORD_BYTES or size + n > _MAX_BYTES:
                    continue
                size += n + 8
                positions[word] = [f"{pos}{suffix}"]
            elif len(seen) < _MAX_POSITIONS:
                size += 2
                seen.append(f"{pos}{suffix}")
        pos = min(pos + 1, MAX_POSITION)  # a gap: no phrase across two columns
    return " ".join(f"'{w}':{','.join(p)}" for w, p in positions.items())


# -- the query ---------------------------------------------------------------------------

_FTS_TOKEN = re.compile(
    r'\s*(?:"(?P<phrase>[^"]*)"(?P<star>\*)?|(?P<op>AND|OR|NOT)\b|(?P<paren>[()]))'
)


class QuerySyntaxError(ValueError):
    """A match string outside the FTS5 subset :func:`archivetool.search.parse_query` writes."""


def _tokens(match: str) -> Iterator[tuple[str, str]]:
    pos = 0
    while pos < len(match):
        if not match[pos:].strip():
            return
        m = _FTS_TOKEN.match(match, pos)
        if m is None:
            raise QuerySyntaxError(f"cannot read {match[pos:]!r}")
        pos = m.end()
        if m.group("phrase") is not None:
            yield ("atom", _atom(m.group("phrase"), bool(m.group("star"))))
        elif m.group("op"):
            yield ("op", m.group("op"))
        else:
            yield ("paren", m.group("paren"))


def _atom(phrase: str, prefix: bool) -> str:
    """A phrase (or one word) as a tsquery: its words one after another, the last one a
    prefix if asked. An empty phrase matches nothing: ``''`` is no word of any record."""
    found = words(phrase)
    if not found:
        return "'_'"  # the tokenizer never keeps an underscore: a word no record holds
    parts = [f"'{w}'" for w in found]
    if prefix:
        parts[-1] += ":*"
    return parts[0] if len(parts) == 1 else "(" + " <-> ".join(parts) + ")"


class _Parser:
    """A recursive descent over the match string's tokens, one method per precedence level."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        if self.pos >= len(self.tokens):
            raise QuerySyntaxError("the query ends too early")
        self.pos += 1
        return self.tokens[self.pos - 1]

    def primary(self) -> str:
        kind, value = self.take()
        if kind == "atom":
            return value
        if (kind, value) == ("paren", "("):
            inner = self.or_expr()
            if self.take() != ("paren", ")"):
                raise QuerySyntaxError("a '(' is not closed")
            return f"({inner})"
        raise QuerySyntaxError(f"unexpected {value!r}")

    def not_expr(self) -> str:
        left = self.primary()
        while self.peek() == ("op", "NOT"):
            self.take()
            left = f"({left} & !{self.primary()})"
        return left

    def and_expr(self) -> str:
        left = self.not_expr()
        while True:
            nxt = self.peek()
            if nxt == ("op", "AND"):
                self.take()
            elif nxt is None or nxt[0] == "op" or nxt == ("paren", ")"):
                return left
            left = f"({left} & {self.not_expr()})"

    def or_expr(self) -> str:
        left = self.and_expr()
        while self.peek() == ("op", "OR"):
            self.take()
            left = f"({left} | {self.and_expr()})"
        return left


def to_tsquery(match: str) -> str:
    """The FTS5 match string as tsquery text. FTS5's precedence: NOT binds closest (``a NOT
    b`` is a and not b), then AND (also between two atoms side by side), then OR."""
    tokens = list(_tokens(match))
    if not tokens:
        raise QuerySyntaxError("no words to look for")
    parser = _Parser(tokens)
    out = parser.or_expr()
    if parser.pos != len(tokens):
        raise QuerySyntaxError(f"unexpected {tokens[parser.pos][1]!r}")
    return out
