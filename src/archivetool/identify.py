"""Senders and recipients identified against the register of office-holders.

A FRUS heading names offices more often than people. Each party ``{name, role, post}`` the
reader found is matched against :mod:`archivetool.authority` on the document's date (stated,
else inferred), and gains either a ``person``::

    {"id": "winant-john-gilbert", "name": "John Gilbert Winant",
     "office": "Ambassador Extraordinary and Plenipotentiary to the United Kingdom",
     "start": "1941-03-01", "end": "1946-04-10", "how": "surname+office"}

or a ``person_unresolved`` ``{"reason": CODE, "note": why}``. The rules:

``surname+office``  the heading names an office and a surname (``Ambassador in the United
                    Kingdom (Winant)``): the register's holder of that office with that surname,
                    on the date when there is one; the surname must agree.
``office+date``     an office alone (``the Secretary of State``) and a date: its one holder then.
``surname+date``    a nineteenth-century heading's person without an office (``Mr. Fish``) and a
                    date: the one office-holder of that surname then.
``office+correspondent``  an office alone in an undated document whose other end was
                    identified by surname: the one holder of the office during that person's term.

Nothing is guessed: two people who fit (``ambiguous``), a holder whose surname is not the
heading's (``surname-disagrees``: a chargé ad interim the register does not list), an
office alone without a date (``no-date``), an acting officer the register does not name
(``acting``), and offices it does not cover (``not-in-register``, ``institution``) are left
unresolved with the reason.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NamedTuple

from archivetool.authority import (
    AD_INTERIM,
    PRINCIPAL,
    SECRETARY,
    Term,
    key,
    load_register,
    post_ids,
    terms_of,
)

_RANK_FOR_LIFE = "career-ambassador"  # a rank, not an office a letter is written from
SURNAME_OFFICE = "surname+office"
OFFICE_DATE = "office+date"
SURNAME_DATE = "surname+date"
OFFICE_CORRESPONDENT = "office+correspondent"
REASONS = ("no-date", "ambiguous", "surname-disagrees", "no-holder", "acting", "not-in-register",
           "institution", "unknown-post", "no-name")  # fmt: skip

_ADDRESS = re.compile(r"^(?:Mr|Mrs|Miss|Dr|Sir|Hon|General|Señor|Senor|Don)\.?\s+")
_ARTICLE = re.compile(r"^(?:the|The)\s+")
_NATIONAL = re.compile(r"^(?:American|United States|U\.S\.)\s+")
# chiefs of mission by the rank a heading gives, and the register's role titles of each rank
_RANKS = {
    "ambassador": ("ambassador",),
    "minister resident": ("minister-resident",),
    "minister": ("envoy", "minister"),
    "envoy": ("envoy",),
    "charge": ("charge",),
    "diplomatic agent": ("diplomatic-agent",),
    "agent": ("agent", "diplomatic-agent"),
    "commissioner": ("commissioner",),
    "representative": ("representative",),
}
_CHIEF = re.compile(
    r"^(?P<rank>Ambassador(?: Extraordinary and Plenipotentiary)?|Minister Resident(?: and Consul General)?|"
    r"(?:Envoy Extraordinary and )?Minister(?: Plenipotentiary)?|Envoy|"
    r"Charg[ée] d[’']Affaires(?: ad interim)?|Charg[ée]|Diplomatic Agent|Agent|Commissioner|"
    r"(?:Permanent )?Representative)"
    r"(?:\s+(?:in|at|to|near|on)\s+(?P<post>.+?))?\s*$"
)
_INSTITUTION = re.compile(
    r"^(?:Department of State|Embassy|Legation|Consulate|Mission|Delegation|Office|Division|"
    r"Bureau|Central Intelligence|CIA|Public Information|Operation|Certain|Diplomatic|All |"
    r"Heads of|Representatives of|[A-Z][\w ,]* Missions?\b)"
)
_BELOW_CHIEF = re.compile(
    r"\b(?:Consul|Vice Consul|Consular|Secretary of (?:Embassy|Legation)|Attaché|Counselor of "
    r"(?:Embassy|Legation)|First Secretary|Second Secretary|Third Secretary|Officer in Charge)\b"
)
# words of an office's name that a heading may add or leave out
_OF_STATE = re.compile(r"\s+(?:of|for|in) the Department(?: of State)?$|\s+of State\b")


class Office(NamedTuple):
    """What a heading's role names: a principal office, or a chief of mission at a post."""

    offices: tuple[str, ...]  # principal office ids
    ranks: tuple[str, ...]  # role-title prefixes of a chief of mission ("" for any)
    posts: tuple[str, ...]  # mission ids
    acting: bool
    label: str  # the role as printed


def _principal_keys() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for office in load_register().offices.values():
        if office.kind == PRINCIPAL:
            out.setdefault(key(_OF_STATE.sub("", office.name)), []).append(office.id)
    return out


_principal_index = lru_cache(maxsize=1)(_principal_keys)


@lru_cache(maxsize=4096)
def read_office(role: str) -> Office | str:
    """A heading's role as register offices, or the reason it names none."""
    label = role.strip().rstrip(".,")
    text = _NATIONAL.sub("", _ARTICLE.sub("", label))
    acting = False
    if text.startswith("Acting "):
        acting, text = True, text[len("Acting ") :]
    if text.endswith(" ad interim") and text.startswith("Secretary"):
        acting, text = True, text[: -len(" ad interim")]
    found = _principal_index().get(key(_OF_STATE.sub("", text)))
    if found:
        if acting:
            if found != [SECRETARY]:
                return "acting"
            found = [AD_INTERIM]
        return Office(tuple(found), (), (), acting, label)
    if _BELOW_CHIEF.search(text):
        return "not-in-register"
    m = _CHIEF.match(text)
    if m:
        rank = m.group("rank").lower().replace("é", "e")
        ranks = next((v for k, v in _RANKS.items() if k in rank), ())
        if rank.startswith("charge"):
            ranks = ("charge",)
        post = m.group("post")
        if not post:
            return Office((), ranks, (), acting, label)
        posts = post_ids(post)
        if not posts:
            return "unknown-post"
        return Office((), ranks, tuple(posts), acting, label)
    if _INSTITUTION.match(text):
        return "institution"
    return "not-in-register"


_SUFFIX = re.compile(r",?\s+(?:Jr|Sr)\.?$")


def surname_key(name: str) -> list[str]:
    """Keys a printed name may be filed under: 'Mr. Tobar Donoso' → ['donoso', 'tobardonoso']."""
    bare = _ADDRESS.sub("", name.strip()).rstrip(".,")
    bare = _SUFFIX.sub("", bare)
    words = bare.split()
    return [key("".join(words[-n:])) for n in range(1, min(3, len(words)) + 1)]


def _person(term: Term, how: str) -> dict[str, Any]:
    reg = load_register()
    p = reg.person(term.person)
    return {"id": p.id, "name": p.name, "office": reg.office_title(term),
            "start": term.start or None, "end": term.register_end or None, "how": how}  # fmt: skip


def _unresolved(reason: str, note: str) -> dict[str, str]:
    return {"reason": reason, "note": note}


def _fits(office: Office, t: Term, *, rank: bool) -> bool:
    """Whether an appointment is to the office a heading names. The rank counts only when
    no surname does: a heading's 'Minister' may head a legation the register has already
    raised to an embassy, but 'the Ambassador in Peru' alone is not its chargé."""
    if office.offices:
        return t.office in office.offices
    if not t.post or t.post == t.office and not office.posts:
        return False
    return (not office.posts or t.post in office.posts) and (
        not rank or not office.ranks or t.office.startswith(office.ranks)
    )


# the same offices come back document after document, and an office without a post (a
# heading's 'the Minister') is sought over all 7,300 appointments: each asked once
@lru_cache(maxsize=1024)
def _candidates(office: Office, *, rank: bool = True) -> tuple[Term, ...]:
    reg = load_register()
    if office.offices:
        return tuple(t for o in office.offices for t in reg.by_office.get(o, []))
    pool = [t for p in office.posts for t in reg.by_post.get(p, [])] if office.posts else reg.terms
    return tuple(t for t in pool if _fits(office, t, rank=rank))


def _named(office: Office, name: str) -> list[Term]:
    """The appointments to ``office`` of people with the heading's surname."""
    seen: dict[Term, None] = {}
    for k in surname_key(name):
        for t in load_register().by_surname.get(k, []):
            if _fits(office, t, rank=not office.posts):
                seen[t] = None
    return list(seen)


def _names(terms: list[Term]) -> str:
    reg = load_register()
    people = list(dict.fromkeys(reg.person(t.person).name for t in terms))
    return " and ".join(people[:3]) + (" …" if len(people) > 3 else "")


def _one_person(terms: list[Term]) -> bool:
    return len({t.person for t in terms}) == 1


def resolve(party: dict[str, Any], date: str | None) -> dict[str, Any]:
    """``{"person": …}`` or ``{"person_unresolved": …}`` for one party of a heading."""
    # the same role, name and date come back document after document ('the Secretary of
    # State' on one day): asked of the register once, and copied (one level of plain
    # values below the key) so that no two records share a dict
    role, name = party.get("role"), party.get("name")
    plain = all(v is None or isinstance(v, str) for v in (role, name, date))
    found = _resolve(role, name, date) if plain else _resolve.__wrapped__(role, name, date)
    return {key: dict(value) for key, value in found.items()}


@lru_cache(maxsize=4096)
def _resolve(role: str | None, name: str | None, date: str | None) -> dict[str, Any]:
    if not role:
        if not name:
            return {"person_unresolved": _unresolved("no-name", "the heading names no one")}
        return _by_surname(name, date)
    office = read_office(role)
    if isinstance(office, str):
        return {"person_unresolved": _unresolved(office, _NOTES[office].format(role=role))}
    if name:
        named = _named(office, name)
        if date:
            on_date = [t for t in named if t.holds(date)]
            if on_date and _one_person(on_date):
                return {"person": _person(on_date[0], SURNAME_OFFICE)}
            if on_date:
                return {"person_unresolved": _unresolved(
                    "ambiguous", f"{_names(on_date)} fit {role} ({name}) on {date}")}  # fmt: skip
            holders = [t for t in _candidates(office, rank=False) if t.holds(date)]
            if named:
                t = named[0]
                return {"person_unresolved": _unresolved("no-holder", (
                    f"the register has {_names(named)} as {load_register().office_title(t)} "
                    f"{t.start or '?'} – {t.register_end or '?'}, not on {date}"))}  # fmt: skip
            if holders:
                return {"person_unresolved": _unresolved("surname-disagrees", (
                    f"the register's holder on {date} is {_names(holders)}, not {name}"
                    + (" (a chargé d'affaires ad interim the register does not list?)"
                       if "charge" in office.ranks else "")))}  # fmt: skip
            return {"person_unresolved": _unresolved(
                "no-holder", f"the register lists no {role} named {name} on {date}")}  # fmt: skip
        dated = [t for t in named if t.served and t.start]
        if dated and _one_person(dated):
            term = dated[0] if len(dated) == 1 else _by_rank(dated, office)
            person = _person(term, SURNAME_OFFICE) if term else None
            if person:
                return {"person": person}
            reg = load_register()
            p = reg.person(dated[0].person)
            return {"person": {"id": p.id, "name": p.name, "office": None, "start": None,
                               "end": None, "how": SURNAME_OFFICE}}  # fmt: skip
        if dated:
            return {"person_unresolved": _unresolved(
                "ambiguous", f"{_names(dated)} held {role}; the document has no date to tell")}  # fmt: skip
        return {"person_unresolved": _unresolved(
            "no-holder", f"the register lists no {role} named {name}")}  # fmt: skip
    if not date:
        return {"person_unresolved": _unresolved(
            "no-date", f"{role} names no one without the document's date")}  # fmt: skip
    pool = _candidates(office)
    if office.acting and office.offices == (AD_INTERIM,):
        holders = [t for t in pool if t.holds(date)]
        if len(holders) == 1:
            return {"person": _person(holders[0], OFFICE_DATE)}
        return {"person_unresolved": _unresolved(
            "acting", f"the register names no Secretary of State ad interim on {date}; it does "
            "not record who acted while the Secretary was away")}  # fmt: skip
    holders = [t for t in pool if t.holds(date)]
    if len(holders) == 1 or (holders and _one_person(holders)):
        return {"person": _person(holders[0], OFFICE_DATE)}
    if holders:
        return {"person_unresolved": _unresolved(
            "ambiguous", f"{_names(holders)} held {role} on {date}")}  # fmt: skip
    return {"person_unresolved": _unresolved(
        "no-holder", f"the register lists no {role} on {date}")}  # fmt: skip


def _by_rank(terms: list[Term], office: Office) -> Term | None:
    """Of one person's several terms at a post, the one of the rank the heading gives."""
    fitting = [t for t in terms if office.ranks and t.office.startswith(office.ranks)]
    return fitting[0] if len(fitting) == 1 else None


def _by_surname(name: str, date: str | None) -> dict[str, Any]:
    if not _ADDRESS.match(name.strip()):
        return {"person_unresolved": _unresolved(
            "not-in-register", f"{name}: a name without an office or a form of address")}  # fmt: skip
    if not date:
        return {"person_unresolved": _unresolved(
            "no-date", f"{name} without an office names no one without the document's date")}  # fmt: skip
    found = [
        t for k in surname_key(name)[:1] for t in terms_of(k)
        if t.holds(date) and t.office not in (AD_INTERIM, _RANK_FOR_LIFE)
    ]  # fmt: skip
    if found and _one_person(found):
        return {"person": _person(found[0], SURNAME_DATE)}
    if found:
        return {"person_unresolved": _unresolved(
            "ambiguous", f"{_names(found)} held office on {date}")}  # fmt: skip
    return {"person_unresolved": _unresolved(
        "not-in-register", f"no office-holder named {name} on {date} (a foreign envoy?)")}  # fmt: skip


_NOTES = {
    "acting": "{role}: the register does not record who acted in that office",
    "not-in-register": "{role}: not an office the register lists (it holds the Department's "
    "principal officers and the chiefs of US missions)",
    "institution": "{role}: a mission or an office, not a person",
    "unknown-post": "{role}: a post the register does not know by that name",
}


def document_date(record: dict[str, Any]) -> str | None:
    """The date a record's parties are identified on: stated, else inferred."""
    return record.get("date") or record.get("date_inferred")


def _each(value: Any) -> list[dict[str, Any]]:
    return value if isinstance(value, list) else [value] if value else []


def identify_parties(record: dict[str, Any]) -> None:
    """Add ``person`` or ``person_unresolved`` to each sender and recipient of a FRUS record.

    An undated document's office alone (``the Secretary of State``) is still identified when
    the other end was identified by name: the document falls within that person's term, and
    if one person held the office at any time in it, that is its holder (``office+correspondent``).
    """
    date = document_date(record)
    sides = [_each(record.get("sender")), _each(record.get("recipient"))]
    for parties in sides:
        for party in parties:
            party.update(resolve(party, date))
    if date:
        return
    for parties, others in ((sides[0], sides[1]), (sides[1], sides[0])):
        windows = [w for w in (_window(o.get("person")) for o in others) if w]
        if not windows or len(windows) != len(others):
            continue
        lo, hi = max(w[0] for w in windows), min(w[1] for w in windows)
        for party in parties:
            if (party.get("person_unresolved") or {}).get("reason") == "no-date" and lo <= hi:
                found = _by_correspondent(party, lo, hi)
                if found:
                    party.pop("person_unresolved")
                    party["person"] = found


def _window(person: dict[str, Any] | None) -> tuple[str, str] | None:
    """The term of an identified person's office: the dates the document must fall in."""
    if not person or not person.get("start") or not person.get("office"):
        return None
    reg = load_register()
    for t in reg.by_person.get(person["id"], []):
        if t.start == person["start"] and reg.office_title(t) == person["office"]:
            return t.start, t.end or "9999-12-31"
    return None


def _by_correspondent(party: dict[str, Any], lo: str, hi: str) -> dict[str, Any] | None:
    office = read_office(party.get("role") or "")
    if isinstance(office, str) or office.acting or party.get("name"):
        return None
    overlapping = [
        t for t in _candidates(office)
        if t.served and t.start and t.start <= hi and (not t.end or lo <= t.end)
    ]  # fmt: skip
    if overlapping and _one_person(overlapping):
        return _person(overlapping[0], OFFICE_CORRESPONDENT)
    return None


def who(role: str, date: str | None = None) -> dict[str, Any]:
    """Who held an office (as a heading names it) on a date, or at any time without one:
    ``{"office", "date", "holders": [{id, name, office, start, end}], "note"}``."""
    office = read_office(role)
    out: dict[str, Any] = {"office": role, "date": date, "holders": [], "note": None}
    if isinstance(office, str):
        out["note"] = _NOTES.get(office, "{role}: not an office the register lists").format(
            role=role
        )
        return out
    terms = [t for t in _candidates(office) if t.served and t.start and (not date or t.holds(date))]
    if not terms and office.posts and office.ranks:
        # 'Ambassador in China' in 1930: a legation then; say who headed it
        terms = [
            t
            for t in _candidates(office, rank=False)
            if t.served and t.start and (not date or t.holds(date))
        ]
        if terms:
            out["note"] = (
                f"the register lists no {role}"
                + (f" on {date}" if date else "")
                + ("; the chief of mission then")
            )
    terms.sort(key=lambda t: (t.start, t.person))
    out["holders"] = [{k: v for k, v in _person(t, "").items() if k != "how"} for t in terms]
    if not terms and office.acting:
        out["note"] = (
            f"the register names no Secretary of State ad interim{f' on {date}' if date else ''}; "
            "it does not record who acted while the Secretary was away"
        )
    elif not terms:
        out["note"] = f"the register lists no {role}" + (f" on {date}" if date else "")
    elif office.acting:
        out["note"] = (
            "the register's Secretaries of State ad interim; it does not record who acted "
            "while the Secretary was away"
        )
    return out


_WORTH_A_LOOK = ("ambiguous", "surname-disagrees", "no-holder")


def person_label(party: Any) -> str | None:
    """'John Gilbert Winant (Ambassador Extraordinary and Plenipotentiary to the United
    Kingdom, 1941–1946)' for each identified party, and why a party a reader would expect to
    be identified was not (two fit, the surname disagrees); None when there is nothing to say."""
    parties = party if isinstance(party, list) else [party] if party else []
    labels = []
    for p in parties:
        person = p.get("person")
        why = p.get("person_unresolved") or {}
        if why.get("reason") in _WORTH_A_LOOK:
            labels.append(f"not identified: {why['note']}")
        if person:
            years = "–".join(x[:4] for x in (person.get("start"), person.get("end")) if x)
            office = ", ".join(x for x in (person.get("office"), years) if x)
            labels.append(f"{person['name']} ({office})" if office else person["name"])
    return "; ".join(labels) or None


def with_full_names(record: dict[str, Any]) -> dict[str, Any]:
    """A copy of a FRUS record whose title names the identified people in full:
    'The Ambassador in the United Kingdom (John Gilbert Winant) to the Secretary of State
    (Cordell Hull)'. Parties not identified stay as printed."""
    title = record.get("title") or ""
    for field in ("sender", "recipient"):
        value = record.get(field)
        for p in value if isinstance(value, list) else [value] if value else []:
            person = p.get("person")
            if not person:
                continue
            name, role = p.get("name"), p.get("role")
            if name and f"({name})" in title:
                title = title.replace(f"({name})", f"({person['name']})", 1)
            elif name and name in title:
                title = title.replace(name, person["name"], 1)
            elif role and role in title:
                at = title.index(role) + len(role)
                title = f"{title[:at]} ({person['name']}){title[at:]}"
    return {**record, "title": title}


_TITLES = re.compile(
    r"^(?:(?:Mr|Mrs|Miss|Dr|Sir|Hon|Gen|General|Adm|Admiral|Col|Colonel|Ambassador|Minister|"
    r"Secretary|Senator|Judge|Lord|the)\.?\s+)+"
)


def register_id_of(name: str, year: int | None = None) -> str | None:
    """The register's id for a person a footnote names in full ('Sumner Welles', 'Ellis O.
    Briggs'): the surname and every forename or initial must agree, with one person only,
    alive and in office within 25 years of ``year`` when it is known."""
    words = _TITLES.sub("", name.strip()).replace(",", " ").split()
    words = [w for w in words if w.rstrip(".") not in ("Jr", "Sr", "II", "III")]
    if len(words) < 2:
        return None
    reg = load_register()
    given = [key(w) for w in words[:-1]]
    found = set()
    for t in reg.by_surname.get(key(words[-1]), []):
        p = reg.people[t.person]
        forenames = [key(w) for w in p.name[: -len(p.surname)].replace(",", " ").split()]
        if _forenames_agree(given, forenames) and _plausible(t.person, year):
            found.add(t.person)
    return found.pop() if len(found) == 1 else None


def _forenames_agree(given: list[str], forenames: list[str]) -> bool:
    """Each printed forename (or initial) matches one of the register's, in order."""
    i = 0
    for g in given:
        if not g:
            return False
        while i < len(forenames) and not (
            forenames[i] == g or (len(g) == 1 and forenames[i][:1] == g)
        ):
            i += 1
        if i == len(forenames):
            return False
        i += 1
    return True


def _plausible(pid: str, year: int | None) -> bool:
    if year is None:
        return True
    reg = load_register()
    p = reg.people[pid]
    if (
        p.birth[:4].isdigit()
        and int(p.birth[:4]) > year
        or p.death[:4].isdigit()
        and int(p.death[:4]) < year
    ):
        return False
    return any(
        t.served and t.start and abs(int(t.start[:4]) - year) <= 25
        for t in reg.by_person.get(pid, [])
    )


def link_footnote_persons(record: dict[str, Any], year: int | None) -> None:
    """Give the people the editors' footnotes identify the register's id where they match."""
    for p in record.get("persons") or []:
        pid = register_id_of(p.get("full_name") or p["name"], year)
        if pid:
            p["register_id"] = pid
