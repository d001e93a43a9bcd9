"""People the editors identify in footnotes.

FRUS editors put a note on a person's first mention: ``Sir Orme Sargent50`` with
``50. British Deputy Under Secretary of State.``. Such a footnote becomes a person:
the name is the text the marker follows, the description the footnote. An office with a
note naming its holder (``the Under Secretary6`` / ``6. Sumner Welles.``) gives that name.
Notes that cite documents (``Not printed.``, ``Telegram 696, June 20 …``, ``See …``) are not
about people and are left alone.
"""

from __future__ import annotations

import re
from typing import Any

_NOT_ABOUT_A_PERSON = re.compile(
    r"^(?:Not printed|Source|See|Ibid|For |Telegram|Tel\.|Despatch|Dispatch|Instruction|Airgram|"
    r"Note|Letter|Memorand|Document|Printed|Omission|Reference|In |Dated|Vol|Foreign Relations|"
    r"Transmitted|Enclosure|Footnote|Apparently|Presumably|Brackets|The |This |These |Regarding|"
    r"Not found|According|Quoted|Infra|Supra|Post|Neither|Copy|Attached|Filed|Sent|Repeated|"
    r"Unsigned|Handwritten|Marginal|No record|Cf\.|At |On |During|Below|Above|An? |Text|Draft|"
    r"Released|Reported|Department|Embassy|British and Foreign|Treaty|Agreement|\d|\()"
)
_PERSON_WORDS = re.compile(
    r"\b(?:Minister|Secretary|Ambassador|[Oo]fficer|General|Chief|Director|President|[Ll]eader|"
    r"[Mm]ember|[Oo]fficial|Premier|Prime|Counselor|Counsellor|Adviser|Advisor|Attaché|Consul|"
    r"Commander|Chairman|[Hh]ead|[Rr]epresentative|[Dd]eputy|King|Queen|Prince|Emperor|Chargé|"
    r"Governor|Senator|Colonel|Major|Admiral|Marshal|[Jj]ournalist|[Cc]orrespondent|[Ee]ditor|"
    r"[Bb]anker|[Pp]olitician|[Dd]iplomat|Commissioner|Delegate|Envoy|Mayor|Chancellor|Bishop|"
    r"Patriarch|Regent|Judge|Justice|[Pp]rofessor|[Ss]ecretary|[Aa]mbassador|[Mm]inister|"
    r"[Cc]hief|[Aa]dviser|[Aa]ssistant|[Ll]iaison|[Cc]ounselor|Vice|Under|Viceroy|Shah|Sultan|"
    r"Emir|Sheikh|Generalissimo|[Pp]artisan|[Gg]uerrilla|[Ll]ieutenant|Captain|Lord|Sir)\b"
)
_INSTITUTION = re.compile(
    r"\b(?:Office|Embassy|Government|Department|Ministry|Legation|Council|Committee|Conference|"
    r"Treaty|Pact|Agreement|Act|Law|Bank|Company|Army|Navy|Union|Republic|Kingdom|Party|"
    r"Commission|Organization|Nations|Mission|Series|Papers|Congress|Assembly|Cabinet|Press|"
    r"News|Times|Herald|Daily|Agency|Corporation|Railway|Airlines)\b"
)
# a note about a person is a noun phrase ("British Deputy Under Secretary of State."); a
# note that tells what happened has a verb in its first clause
_VERB = re.compile(
    r"\b(?:had|has|have|was|were|is|are|said|stated|reported|advised|informed|told|sent|asked|"
    r"noted|indicated|wrote|replied|called|made|gave|took|agreed|suggested|expressed|proposed|"
    r"requested|approved|transmitted|summarized|discussed|concerning|pursuant)\b",
    re.IGNORECASE,
)
_CONNECTORS = {"of", "de", "del", "da", "van", "von", "y", "la", "le", "al", "el", "bin", "ibn"}
_BARE_NAME = re.compile(r"^(?:[A-Z][\w’'.-]*\s+){1,4}[A-Z][\w’'-]+\.?$")
_OFFICE = re.compile(
    r"(?:^|\b[Tt]he\s+)((?:[A-Z][\w-]*\s+){0,4}(?:Secretary|Minister|Ambassador|President|"
    r"Chargé|Counselor|Adviser|Premier|Chief|Director|Governor|King|Generalissimo)\b.*)$"
)
_THE = re.compile(r"^[Tt]he\s+")
_CLAUSE_END = re.compile(r";\s|(?<=[a-z]{3})\.\s")
_AND_NAME = re.compile(r",? and [A-Z]")


def _name_like(text: str) -> bool:
    words = text.split()
    if not 1 <= len(words) <= 6 or any(ch.isdigit() for ch in text):
        return False
    if _INSTITUTION.search(text):
        return False
    return all(w[:1].isupper() or w in _CONNECTORS for w in words) and words[-1][:1].isupper()


def _office(text: str) -> str | None:
    """'From the Under Secretary' → 'Under Secretary': an office a note may name the holder of."""
    m = _OFFICE.search(text)
    return _THE.sub("", m.group(1).strip()) if m else None


def find_persons(footnotes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for note in footnotes:
        marker = (note.get("marker_text") or "").strip(" .,;:“”\"’'")
        text = " ".join(note.get("text", "").split())
        if not marker or not text or _NOT_ABOUT_A_PERSON.match(text):
            continue
        office = _office(marker)
        if office and _BARE_NAME.match(text) and not _PERSON_WORDS.search(text.rstrip(".")):
            # "the Under Secretary" / "Sumner Welles."
            out.append({"name": text.rstrip("."), "description": office, "footnote": note["n"]})
            continue
        # the first clause ends at ';' or at a full stop after a word (not after "Gen." or "O.")
        first_clause = _CLAUSE_END.split(text, maxsplit=1)[0]
        if (
            not _name_like(marker)
            or not _PERSON_WORDS.search(first_clause)
            or _VERB.search(first_clause)
        ):
            continue
        if (
            _AND_NAME.search(first_clause)
            and marker.split()[-1] not in first_clause.split(" and ")[0]
        ):
            continue  # a list of people ("… Hoover, Jr., and ICA Director John B. Hollister")
        person = {"name": marker, "description": text, "footnote": note["n"]}
        surname = marker.split()[-1]
        full = full_name(text, surname)
        if full and full != marker:
            person["full_name"] = full  # "Mr. Briggs" / "Ellis O. Briggs, Counselor…"
        out.append(person)
    return out


_CAPITAL_WORD = re.compile(r"[A-Z][\w.’'-]*\s+")
_BOUNDARY = re.compile(r"\b")


def full_name(text: str, surname: str) -> str | None:
    """One to four capitalised words at the start of ``text`` and then ``surname`` as a
    whole word ('Ellis O. Briggs'), the most words first, as the pattern
    ``^((?:[A-Z][\\w.’'-]*\\s+){1,4}SURNAME)\\b`` reads it, without compiling a pattern
    for each surname (thousands of them would push every other pattern out of re's cache)."""
    ends = []
    pos = 0
    for _ in range(4):
        m = _CAPITAL_WORD.match(text, pos)
        if m is None:
            break
        pos = m.end()
        ends.append(pos)
    for start in reversed(ends):
        end = start + len(surname)
        if text.startswith(surname, start) and _BOUNDARY.match(text, end):
            return text[:end]
    return None
