"""Footnote markers in FRUS text, found by their sequence rather than by their look.

On the website's text a footnote marker is the volume's own footnote number glued to the
word before it (``Sargent50``), and the footnotes are listed at the end renumbered from 1.
A digit run glued to a word is not always a marker (``B29``), and a marker is not always
glued to a word: it can follow a number (``in 19337`` is 1933 and marker 7), punctuation
(``7 p.m.5``) or a space (``Secretary of State 83``).

What decides is the structure: the document lists exactly *k* footnotes, and the markers
of one document are the volume's numbers in order, almost always consecutive (50, 51, 52),
sometimes repeating an earlier one (18, 19, 18, 20). So every plausible reading of every
digit run becomes a candidate with a cost, and a dynamic programme chooses the *k*
candidates, in text order, whose numbers form the cheapest sequence.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import NamedTuple

# Characters a glued marker may follow: letters, closing punctuation and quotes.
_GLUE = set(".,;:!?)]”’\"'…*")
# A digit run (with a letter: "29a"), asterisks, or a letter after closing punctuation
# ("treaty.a"). The pattern opens on a set of characters, so the regex engine skips to the
# next digit, asterisk or stop in C instead of trying three branches at every character of
# the text; the stop before a letter is matched with it and left out of the run again.
# (What it finds is what r"\d+(?:[a-c](?![A-Za-z]))?|\*{1,3}|(?<=[.,;:)”’])[a-h](?![A-Za-z])"
# finds, run for run.)
_STOPS = ".,;:)”’"
_RUN = re.compile(
    rf"[\d*{_STOPS}](?:(?<=\d)\d*(?:[a-c](?![A-Za-z]))?|(?<=\*)\*{{0,2}}|(?<=[{_STOPS}])[a-h](?![A-Za-z]))"
)
_YEAR = re.compile(r"1[6-9]\d\d|20\d\d")
_LAST_WORD = re.compile(r"\S*$")
_SENTENCE_OPENS = re.compile(r"\s+[A-Z“\"(]")
_SERIAL_WORD = re.compile(r"[\dA-Z–-]+\.?")
_STOP_END = re.compile(r"[.,;:]$")

MAX_MARKER = 999


class Candidate(NamedTuple):
    """One reading of a digit run. A named tuple, not a frozen dataclass: a document's text
    gives dozens of readings, and a frozen dataclass's __init__ (a call of
    object.__setattr__ per field) was a tenth of the marker search."""

    start: int  # where the marker text starts
    end: int  # where it ends
    label: str  # the marker as printed: "50", "29a", "*"
    value: float  # its place in the sequence: 29a is 29.5
    cost: float
    spaced: bool = False  # a space before it belongs to the marker (removed with it)


def _value(label: str) -> float:
    if label.startswith("*"):
        return 10_000 + len(label)
    if label.isalpha():
        return 20_000 + ord(label) - ord("a") + 1  # letter markers of the oldest volumes
    if label[-1].isalpha():
        return int(label[:-1]) + 0.5
    return float(int(label))


# what each reading of a digit run costs; a cheap reading is a likely marker
COST_GLUED = 0.0  # glued to a word: "Sargent50"
COST_CODE = 1.5  # after two capitals: "FY58", "B29" are codes more often than markers
COST_AFTER_NUMBER_END = 0.3  # "…of October 11.13a", "2020.3 Department": a sentence ends
COST_AFTER_NUMBER = 1.0
COST_CURRENCY = 3.0  # "$19.5" is a decimal
COST_OWN_LINE = 1.0  # a marker on a line of its own under the word it annotates
COST_SPACED_TITLE_END = 0.5  # "… Department of State 1" at the end of a heading
COST_SPACED_LINE_END = 1.2
COST_SPACED = 3.0
COST_ASTERISK = 0.5
COST_LETTER = 0.8
COST_SPLIT_YEAR = 1.0  # "in 19337": 1933 and marker 7
COST_SPLIT_DAY = 1.0  # "October 112": October 11 and marker 12
COST_SPLIT_DATE_AS_PRINTED = 1.6  # "April 28" is more likely a date than April 2 + 8
COST_SPLIT = 2.2


def find_candidates(text: str, title_end: int = 0) -> list[Candidate]:
    """Every reading of a digit run (or asterisks) in ``text`` that could be a marker."""
    out: list[Candidate] = []
    n = len(text)
    for m in _RUN.finditer(text):
        s, e = m.span()
        label = m.group()
        if label[0] in _STOPS:  # the stop before a letter marker is not part of it
            s += 1
            label = label[1:]
        prev = text[s - 1] if s > 0 else "\n"
        nxt = text[e] if e < n else "\n"
        if nxt.isalnum() and not label.startswith("*"):
            continue  # part of a word or code ("29th", "3rd" handled by the [a-c] rule)
        if label.startswith("*"):
            # "word*" is a marker; "* * *" ellipses and "*" list bullets are not.
            if prev.isalpha() or prev in _GLUE - {"*"}:
                out.append(Candidate(s, e, label, _value(label), COST_ASTERISK))
            continue
        if prev == ":" and s >= 2 and text[s - 2].isdigit():
            continue  # the minutes of a time ("12:40"), never a marker
        if label.isalpha():
            # "…the treaty.a The …": a letter after closing punctuation, before a space
            if nxt in " \n" or e == n:
                out.append(Candidate(s, e, label, _value(label), COST_LETTER))
            continue
        out += _digit_readings(text, s, e, label, prev, nxt, title_end)
    out.sort(key=lambda c: (c.end, c.start))
    return out


def _digit_readings(
    text: str, s: int, e: int, label: str, prev: str, nxt: str, title_end: int
) -> list[Candidate]:
    digits = label.rstrip("abc")
    letter = label[len(digits) :]
    value = int(digits) + 0.5 if letter else float(int(digits))  # _value(label), written out
    at_line_end = nxt == "\n" or e == len(text) or text.startswith(" \n", e)
    if (
        prev == "\n"
        and nxt == "\n"
        and s >= 2
        and text[s - 2] != "\n"
        and len(digits) <= 3
        and not letter
    ):
        return [Candidate(s, e, label, value, COST_OWN_LINE)]
    out: list[Candidate] = []
    if prev.isalpha() or prev in _GLUE:
        if len(digits) <= 3 and not digits.startswith("0") or digits == "0":
            out.append(Candidate(s, e, label, value, _glued_cost(text, s, e, prev, at_line_end)))
    elif prev == " " and len(digits) <= 3 and not letter:
        before = text[s - 2] if s >= 2 else " "
        # after a word, or after a number ending a heading ("…, September 13, 1941 31")
        if before.isalpha() or before in ").”’," or (before.isdigit() and at_line_end):
            if at_line_end:
                cost = COST_SPACED_TITLE_END if s <= title_end else COST_SPACED_LINE_END
            else:
                cost = COST_SPACED
            out.append(Candidate(s - 1, e, label, value, cost, spaced=True))
    if prev.isalpha() or prev in "–-/" or len(digits) < 2:
        return out  # a single digit has no split reading
    return out + _split_readings(text, s, e, digits, letter)


def _glued_cost(text: str, s: int, e: int, prev: str, at_line_end: bool) -> float:
    if prev.isalpha() and prev.isupper() and s >= 2 and text[s - 2].isupper():
        return COST_CODE
    if prev in ".," and s >= 2 and text[s - 2].isdigit():
        word = _LAST_WORD.search(text[max(0, s - 20) : s])
        if word and word.group()[:1] in "$£€":
            return COST_CURRENCY
        if at_line_end or _SENTENCE_OPENS.match(text[e : e + 3]):
            return COST_AFTER_NUMBER_END
        return COST_AFTER_NUMBER
    return COST_GLUED


def _split_readings(text: str, s: int, e: int, digits: str, letter: str) -> list[Candidate]:
    """A number with a marker glued to its end: "19337" = 1933 + 7, "6962" = 696 + 2."""
    out = []
    whole_is_year = _is_year(digits)
    month: bool | None = None  # whether a month stands before: asked once, when needed
    for cut in range(1, min(3, len(digits) - 1) + 1):
        head, tail = digits[:-cut], digits[-cut:]
        if tail[0] == "0":
            continue
        if not whole_is_year and _is_year(head):
            cost = COST_SPLIT_YEAR
        else:
            if month is None:
                month = _after_month(text, s)
            if month and 1 <= int(head) <= 31:
                cost = COST_SPLIT_DAY if int(digits) > 31 else COST_SPLIT_DATE_AS_PRINTED
            else:
                cost = COST_SPLIT
        value = int(tail) + 0.5 if letter else float(int(tail))  # _value(tail + letter)
        out.append(Candidate(s + len(head), e, tail + letter, value, cost))
    return out


def _is_year(digits: str) -> bool:
    """``_YEAR.fullmatch(digits)`` for a run of digits (every character matches \\d), without
    the pattern: two or three calls per number of the text."""
    return len(digits) == 4 and digits[:2] in _CENTURIES


_CENTURIES = frozenset({"16", "17", "18", "19", "20"})


_MONTH_BEFORE = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.|Feb\.|Mar\.|Apr\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)\s$"
)


def _after_month(text: str, start: int) -> bool:
    return bool(_MONTH_BEFORE.search(text[max(0, start - 12) : start]))


def _step_cost(prev: float, cur: float) -> float:
    # written out again in choose_markers' inner loop: a change here goes there too
    diff = cur - prev
    if 0 < diff <= 1:
        return 0.0
    if diff == 0:
        return 1.2  # the same note cited again (18, 19, 18, 20)
    if 1 < diff <= 3:
        return 0.8 * (diff - 1)
    if diff < 0:
        return 1.2 if -diff <= 5 else 4.0  # an earlier note cited again (6, 5, 7, 8)
    return 4.0 + min(diff, 100) * 0.02


# Bounded time on any input: a marker's predecessor is sought among the previous readings
# only (consecutive markers are never hundreds of readings apart once the costliest are
# pruned), and a list longer than this is numbered by the list, not matched to the text.
PREDECESSOR_WINDOW = 80
MAX_MATCHED_NOTES = 400


def first_value_cost(c: Candidate) -> float:
    """A sequence may open on any number; 0 and 1 (the source note on a later volume's
    heading) are slightly more likely."""
    return 0.0 if c.value in (0, 1) else 0.3


def choose_markers(candidates: list[Candidate], k: int) -> list[Candidate] | None:
    """The cheapest ``k`` candidates in text order, or None when there are too few."""
    if k == 0:
        return []
    if len(candidates) < k:
        return None
    # most documents' markers cost little: a search keeping only the part sequences that
    # cost at most a bound is a fraction of the whole, and gives the whole search's answer
    # whenever it finds a sequence (see _search); so the bound is raised until one is found
    fields = _fields(candidates)
    for bound in SEARCH_BOUNDS:
        found = _search(candidates, k, bound, fields)
        if found is not None:
            return found
    return None


# the bounds tried in turn (the last the whole search): each a few times the one before, so
# a document whose markers cost much pays little more than its whole search for the cheaper
SEARCH_BOUNDS = (0.5, 2.0, 8.0, 32.0, float("inf"))


class _Fields(NamedTuple):
    """The candidates' fields as plain lists, read once for all the bounded searches."""

    ends: list[int]
    values: list[float]
    own: list[float]  # each reading's own cost
    stops: list[int]
    first: list[float]  # what a sequence opening on the reading costs


def _fields(candidates: list[Candidate]) -> _Fields:
    ends = [c.end for c in candidates]
    return _Fields(
        ends,
        [c.value for c in candidates],
        [c.cost for c in candidates],
        # the readings ending before each one starts (overlapping readings of one digit run
        # never follow each other): the same for every note, found once
        [bisect_right(ends, c.start, 0, j) for j, c in enumerate(candidates)],
        [c.cost + first_value_cost(c) for c in candidates],
    )


def _search(
    candidates: list[Candidate], k: int, bound: float, fields: _Fields
) -> list[Candidate] | None:
    """The cheapest ``k`` candidates in text order among the sequences costing at most
    ``bound``. Every cost and step is >= 0, so a part sequence dearer than the bound is never
    the start of a sequence within it: dropping those leaves every cheaper cell, its back
    link and the ties between them as the whole search has them."""
    m = len(candidates)
    inf = float("inf")
    # the candidates' fields as plain lists, and _step_cost written out in the inner loop:
    # the loop runs k × m × PREDECESSOR_WINDOW times, and attribute reads and a call each
    # time were most of a document's parse (the same sums in the same order: same choice)
    values, own, stops = fields.values, fields.own, fields.stops
    # cost[i][j]: best cost of footnotes 0..i with footnote i on candidate j
    cost = [[inf] * m for _ in range(k)]
    back = [[-1] * m for _ in range(k)]
    cost[0] = [x if x <= bound else inf for x in fields.first]
    for i in range(1, k):
        prev_row = cost[i - 1]
        alive = [jp for jp in range(m) if prev_row[jp] != inf]  # the cells still in reach
        if not alive:
            return None
        floor = _running_least(prev_row, i - 1)
        row, brow = cost[i], back[i]
        for j in range(i, m - (k - 1 - i)):
            if own[j] > bound:
                continue
            cur = values[j]
            best, arg = inf, -1
            # the nearest predecessors first (consecutive markers stand close), so the best
            # is found early; ties go to the earliest, as in a forward walk (<= below), and
            # the walk ends where no earlier reading costs as little as the best so far
            low = bisect_left(alive, max(i - 1, j - PREDECESSOR_WINDOW))
            for x in range(bisect_left(alive, stops[j]) - 1, low - 1, -1):
                jp = alive[x]
                if floor[jp] > best:
                    break
                pc = prev_row[jp]
                if pc > best:
                    continue  # steps cost nothing or more: no better than the best so far
                diff = cur - values[jp]
                if 0 < diff <= 1:
                    step = 0.0
                elif diff == 0:
                    step = 1.2
                elif 1 < diff <= 3:
                    step = 0.8 * (diff - 1)
                elif diff < 0:
                    step = 1.2 if -diff <= 5 else 4.0
                else:
                    step = 4.0 + (diff if diff < 100 else 100) * 0.02  # min(diff, 100)
                total = pc + step
                if total <= best:
                    best, arg = total, jp
            if arg >= 0 and best + own[j] <= bound:
                row[j] = best + own[j]
                brow[j] = arg
    return _cheapest_path(candidates, cost[k - 1], back)


def _running_least(row: list[float], start: int) -> list[float]:
    """``out[x]``: the least of ``row[start..x]``, a floor under every predecessor at or
    before x."""
    out = row[:]
    low = float("inf")
    for x in range(start, len(row)):
        if row[x] < low:  # min(low, row[x]) without a call per reading
            low = row[x]
        out[x] = low
    return out


def _cheapest_path(
    candidates: list[Candidate], last: list[float], back: list[list[int]]
) -> list[Candidate] | None:
    """The candidates of the cheapest full sequence, followed back from its last note."""
    j = min(range(len(last)), key=lambda x: last[x])
    if last[j] == float("inf"):
        return None
    chosen = []
    for i in range(len(back) - 1, -1, -1):
        chosen.append(candidates[j])
        j = back[i][j]
    chosen.reverse()
    return chosen


# a listed note whose marker the copy lost (on a dropped dateline, say) costs this much
COST_UNMARKED = 4.0
MAX_UNMARKED_RUN = 2  # at most this many listed notes in a row without a marker
GAPPED_LIMIT = 200  # candidates the gapped search looks at
MAX_GAPPED_NOTES = 60  # and the listed notes


def choose_with_gaps(candidates: list[Candidate], k: int) -> tuple[list[Candidate | None], float]:
    """Like :func:`choose_markers`, but a note may have no marker in the text: the cheapest
    assignment of the ``k`` listed notes to candidates in text order, or to none."""
    cands = prune(candidates, k, GAPPED_LIMIT)
    m, inf = len(cands), float("inf")
    best = [[inf] * m for _ in range(k)]  # note i on candidate j
    back: list[list[tuple[int, int] | None]] = [[None] * m for _ in range(k)]
    for i in range(k):
        for j, c in enumerate(cands):
            if i <= MAX_UNMARKED_RUN:  # the notes before all unmarked
                best[i][j] = i * COST_UNMARKED + first_value_cost(c) + c.cost
            for ip in range(max(0, i - 1 - MAX_UNMARKED_RUN), i):
                gap = i - ip - 1
                for jp in range(max(0, j - PREDECESSOR_WINDOW), j):
                    pc = best[ip][jp]
                    if pc == inf or cands[jp].end > c.start:
                        continue
                    total = (
                        pc
                        + gap * COST_UNMARKED
                        + _step_cost(cands[jp].value + gap, c.value)
                        + c.cost
                    )
                    if total < best[i][j]:
                        best[i][j], back[i][j] = total, (ip, jp)
    return _gapped_path(best, back, cands, k)


def _gapped_path(best: list[list[float]], back: list[list[tuple[int, int] | None]],
                 cands: list[Candidate], k: int) -> tuple[list[Candidate | None], float]:  # fmt: skip
    end, end_cost = None, k * COST_UNMARKED  # every note unmarked
    for i in range(max(0, k - 1 - MAX_UNMARKED_RUN), k):
        for j in range(len(cands)):
            total = best[i][j] + (k - 1 - i) * COST_UNMARKED
            if total < end_cost:
                end, end_cost = (i, j), total
    out: list[Candidate | None] = [None] * k
    while end is not None:
        i, j = end
        out[i] = cands[j]
        end = back[i][j]
    return out, end_cost


def sequence_cost(chosen: list[Candidate]) -> float:
    """What the chosen readings cost together, their steps included."""
    if not chosen:
        return 0.0
    total = first_value_cost(chosen[0]) + sum(c.cost for c in chosen)
    return total + sum(
        _step_cost(a.value, b.value) for a, b in zip(chosen, chosen[1:], strict=False)
    )


# a sequence costlier than this per marker is no reading at all: the markers are not in the
# text (a lost dateline took them), and the list's own numbers are kept
MAX_MEAN_COST = 1.8
# a sequence this cheap per marker is read as it is; a costlier one is checked against a
# reading where some listed notes have no marker in the text
GOOD_MEAN_COST = 1.0


def prune(candidates: list[Candidate], k: int, limit: int = 400) -> list[Candidate]:
    """Keep the search small on long texts: drop the costliest readings first."""
    if len(candidates) <= limit:
        return candidates
    keep = sorted(candidates, key=lambda c: c.cost)[: max(limit, k)]
    keep.sort(key=lambda c: (c.end, c.start))
    return keep


def remove_spans(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Replace each (start, end) span with its replacement ('' removes it)."""
    out = []
    last = 0
    for s, e, repl in sorted(spans):
        out.append(text[last:s])
        out.append(repl)
        last = e
    out.append(text[last:])
    return "".join(out)


_CONNECTORS = {"of", "in", "at", "the", "de", "del", "da", "di", "van", "von", "y", "and", "for",
               "la", "le"}  # fmt: skip
_QUOTES = "“”\"'’("


def words_before(text: str, pos: int, ignore: str = "", words: int = 3) -> str:
    """What a marker annotates: the name it follows ('Sir Orme Sargent'), else a few words."""
    line_start = text.rfind("\n", 0, pos) + 1
    chunk = text[line_start:pos]
    for ch in ignore:
        chunk = chunk.replace(ch, " ")
    tokens = chunk.split()
    if not tokens:
        return ""
    last = tokens[-1].strip(_QUOTES)
    if last[:1].isupper() and last.rstrip(".,;:")[-1:].isalpha():
        run = _name_run(tokens)
        if run:
            return " ".join(run).strip(_QUOTES + ",;:")
    tail = tokens[-words:]
    while len(tail) > 1 and _SERIAL_WORD.fullmatch(tail[0]) and any(c.isdigit() for c in tail[0]):
        tail.pop(0)  # a telegram number opening the line is not what the note is about
    return " ".join(tail)


def _name_run(tokens: list[str]) -> list[str]:
    run: list[str] = []
    for word in reversed(tokens):
        bare = word.strip(_QUOTES + "),;:")
        capital = bare[:1].isupper() and (not run or not _STOP_END.search(word))
        if capital or (bare in _CONNECTORS and run):
            run.insert(0, word)
        else:
            break
        if len(run) >= 6:
            break
    while run and run[0].strip(_QUOTES) in _CONNECTORS:
        run.pop(0)
    return run
