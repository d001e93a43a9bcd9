"""Sender and recipient read from a FRUS heading, as a historian reads them.

``The Ambassador in the United Kingdom (Winant) to the Secretary of State`` names two
parties: an office with a person (role ``Ambassador in the United Kingdom``, name
``Winant``, post ``United Kingdom``) and an office alone (name null). People without
offices keep their form of address (``Mr. Martinez``). The post named in a role is checked
against a list of countries and cities, so that a transcription slip (``United, Kingdom``)
is corrected in the metadata, with a warning, while the printed title stays as printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from archivetool.formats.frus.vocab import (
    ADDRESS_FORMS,
    BODY,
    COLLECTIVE,
    HEADING_LEAD,
    OFFICE_TITLES,
)

# the patterns of the readers below, compiled once (a module-level re call looks each up)
_NOT_WORD = re.compile(r"[^\w]")
_PAPER_HEADING = re.compile(r"^(?:Memorandum|Editorial Note|Minutes|Paper|Notes|Report|Summary)\b")
_FROM = re.compile(r"\bFrom\b")
_PLURAL_OFFICE = re.compile(
    r"^(?:the\s+)?(Ambassadors|Ministers|Chargés|Consuls|Embassies|Legations)\s+(in|at)\s+(.*)$",
    re.IGNORECASE,
)
_LIST_SEP = re.compile(r",\s*(?:and\s+)?|\s+and\s+")
_WHITESPACE = re.compile(r"\s+")
_THE = re.compile(r"^the\s", re.IGNORECASE)
_THE_SPACES = re.compile(r"^the\s+", re.IGNORECASE)
_ROLE_NAME = re.compile(r"^(?P<role>.*?)\s*\((?P<name>[^()]+)\)$")
_NAME_COMMA_ROLE = re.compile(r"^(?P<name>[^,]+?),\s+(?P<role>.+)$")
_NAME_OF_THE_ROLE = re.compile(r"^(?P<name>.+?)\s+of\s+the\s+(?P<role>.+)$")
_ADDRESS_FORM = re.compile(rf"^{ADDRESS_FORMS}")
_LINK_WORD = re.compile(r"\b(?:of|the|in|at)\b")


@dataclass
class Party:
    name: str | None
    role: str | None
    post: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "role": self.role}
        if self.post:
            out["post"] = self.post
        return out


@dataclass
class Parties:
    sender: Party | None
    recipients: list[Party] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def known_posts() -> dict[str, str]:
    """Country and city names keyed by their letters alone ('unitedkingdom')."""
    text = resources.files("archivetool.data").joinpath("posts.txt").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out[post_key(line)] = line
    return out


def post_key(text: str) -> str:
    """A post's name by its letters alone, as the list of posts is keyed ('unitedkingdom')."""
    return _NOT_WORD.sub("", text.lower())


_LEAD = re.compile(rf"^{HEADING_LEAD}", re.IGNORECASE)
_BY = re.compile(
    r"^Memorandum(?: of (?:a )?Conversation)?,?\s+(?:Prepared\s+)?by\s+", re.IGNORECASE
)
_PERSON_TITLE = re.compile(rf"^(?:{ADDRESS_FORMS}|{OFFICE_TITLES}\b)")
# an office printed before a surname without parentheses: "Prime Minister Churchill"
_OFFICE_NAME = re.compile(
    rf"^(?P<role>(?:the\s+)?{OFFICE_TITLES})\s+(?P<name>[A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+){{0,2}})$"
)
_REFERENCE_HEADING = re.compile(
    r"^(?:Circular\s+)?(?:Telegram|Airgram|Despatch)\s+[A-Z]{0,5}[–-]?\d+\s+to\s+(?P<post>[A-Z][\w .’-]+)$"
)
_WITHHELD_END = re.compile(r"\s*\[[^\]]*not declassified\]$")
_WITHHELD = re.compile(r"^\[[^\]]*not declassified\]$")
# a memorandum "handed by" or "prepared by" someone, to someone: "… by X to Y"
_BY_INSIDE = re.compile(
    r"\s(?:Handed|Prepared|Presented|Delivered|Submitted|Left|Issued|Released)?\s?by\s+(?=the\s|[A-Z])"
)
_MEMO_TO = re.compile(r"^(?:Memorandum|Note|Letter|Paper)\s+(?:for|to)\s+", re.IGNORECASE)
_TRAILING_DATE = re.compile(
    r",\s*(?:[A-Z][a-z]+\.?\s+\d{1,2},\s*\d{4}|\d{1,2}\s+[A-Z][a-z]+\s+\d{4})$"
)


def parse_heading_parties(heading: str) -> Parties:
    """Sender and recipients from a heading without its printed number."""
    h = _TRAILING_DATE.sub("", heading.strip().rstrip(".").strip())
    warnings: list[str] = []
    by = _BY.match(h)
    if by:
        return _from_to(h[by.end() :], warnings)
    memo_to = _MEMO_TO.match(h)
    if memo_to:  # "Memorandum to Robert Ford of the Central Intelligence Agency"
        return Parties(None, _recipients(h[memo_to.end() :], warnings), warnings)
    if _PAPER_HEADING.match(h) and not _FROM.search(h):
        inside = _BY_INSIDE.search(h)
        if inside and " to " in h[inside.end() :]:
            return _from_to(h[inside.end() :], warnings)
        return Parties(None, [], warnings)
    ref = _REFERENCE_HEADING.match(h)
    if ref:  # "Telegram 1219 to Geneva": the editors name a telegram by its number and post
        return Parties(None, [Party(None, ref.group("post"), ref.group("post"))], warnings)
    body = _LEAD.sub("", h, count=1)
    left, right = _split_to(body)
    if right is None and _WITHHELD_END.search(body):
        # "Telegram From the Central Intelligence Agency [text not declassified]"
        warnings.append("recipient: withheld in the heading ([text not declassified])")
        return Parties(_party(_WITHHELD_END.sub("", body), warnings), [], warnings)
    inside = _BY_INSIDE.search(body) if right is None else None
    if inside:  # "Press Release Issued by the Public Information Office, Far East Command"
        return Parties(_party(body[inside.end() :], warnings), [], warnings)
    if right is None:
        return Parties(None, [], warnings)
    sender = _party(left, warnings)
    return Parties(sender, _recipients(right, warnings), warnings)


def _from_to(text: str, warnings: list[str]) -> Parties:
    left, right = _split_to(text)
    sender = _party(left, warnings)
    recipients = _recipients(right, warnings) if right else []
    return Parties(sender, recipients, warnings)


# an office that names whom it serves with 'to': "Assistant to President Roosevelt",
# "Ambassador to the Polish Government in Exile (Biddle)"
_ROLE_TO = re.compile(
    r"\b(?:Assistant|Adviser|Advisor|Counselor|Attaché|Envoy|Delegate|Deputy|Representative|"
    r"Special Assistant|Ambassador|Minister|Commissioner|Liaison Officer|Observer)$"
)


def _split_to(text: str) -> tuple[str, str | None]:
    """Split at the ' to ' that ends the sender: outside parentheses, after a full party.
    After a role word ('Ambassador to Spain to the Secretary') the next ' to ' is taken."""
    splits = [i for i in _top_level_to(text) if text[:i].strip() and text[i + 4 :].strip()]
    for k, i in enumerate(splits):
        if _ROLE_TO.search(text[:i].strip()) and k + 1 < len(splits):
            continue
        return text[:i].strip(), text[i + 4 :].strip()
    return text.strip(), None


def _top_level_to(text: str) -> list[int]:
    if "(" not in text and ")" not in text:  # no parentheses: every ' to ' is at the top
        out, i = [], text.find(" to ")
        while i >= 0:
            out.append(i)
            i = text.find(" to ", i + 1)
        return out
    depth, out = 0, []
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and text.startswith(" to ", i):
            out.append(i)
    return out


def _recipients(text: str, warnings: list[str]) -> list[Party]:
    """One recipient, or several: 'the Ambassadors in the United Kingdom (Winant) and the
    Soviet Union (Harriman)'."""
    m = _PLURAL_OFFICE.match(text)
    if m:
        office = m.group(1)
        singular = {
            "ambassadors": "Ambassador",
            "ministers": "Minister",
            "chargés": "Chargé",
            "consuls": "Consul",
            "embassies": "Embassy",
            "legations": "Legation",
        }[office.lower()]
        parts = _LIST_SEP.split(m.group(3))
        out = []
        for part in parts:
            part = part.strip()
            if part:
                out.append(_party(f"the {singular} {m.group(2)} {part}", warnings))
        return [p for p in out if p]
    p = _party(text, warnings)
    return [p] if p else []


def _party(text: str, warnings: list[str]) -> Party | None:
    t = _WHITESPACE.sub(" ", text).strip().rstrip(".,;:")
    if not t or _WITHHELD.match(t):
        return None  # "[name not declassified]": the editors withheld who it was
    office = bool(_THE.match(t))
    if office:
        t = _THE_SPACES.sub("", t)
    m = _ROLE_NAME.match(t)
    if m:
        role, name = m.group("role").strip(), m.group("name").strip()
        return _with_post(role, name, warnings)
    if office:
        return _with_post(t, None, warnings)
    m = _OFFICE_NAME.match(t)
    if m and not BODY.search(m.group("name")):
        return _with_post(m.group("role"), m.group("name"), warnings)
    # a person: "Mr. Lauchlin Currie, Administrative Assistant to President Roosevelt",
    # "Raymond Hare of the Bureau of Near Eastern … Affairs", "Mr. Martinez"
    m = _NAME_COMMA_ROLE.match(t)
    if m and _looks_person(m.group("name")):
        return _with_post(m.group("role"), m.group("name"), warnings)
    m = _NAME_OF_THE_ROLE.match(t)
    if m and _looks_person(m.group("name")):
        return _with_post(m.group("role"), m.group("name"), warnings)
    if _is_body(t):
        return _with_post(
            t, None, warnings
        )  # "Certain Diplomatic Missions", "Central Intelligence Agency"
    return Party(name=t, role=None)


def _is_body(text: str) -> bool:
    """A group of posts or officers, or an institution, named without 'the'."""
    if _ADDRESS_FORM.match(text):
        return False
    return bool(COLLECTIVE.search(text) or BODY.search(text))


def _looks_person(text: str) -> bool:
    words = text.split()
    if not 1 <= len(words) <= 5:
        return False
    if _PERSON_TITLE.match(text):
        return True
    return all(w[:1].isupper() for w in words) and not _LINK_WORD.search(text)


_POST_RE = re.compile(r"^(?P<office>.*?\b(?:in|at|to))\s+(?P<post>(?:the\s+)?[A-Z].*)$")


def _with_post(role: str, name: str | None, warnings: list[str]) -> Party:
    role = role.strip()
    post = None
    m = _POST_RE.match(role)
    if m:
        raw_post = m.group("post")
        article = "the " if raw_post.lower().startswith("the ") else ""
        bare = raw_post[len(article) :]
        fixed = known_posts().get(post_key(bare))
        if fixed:
            post = fixed
            if fixed != bare:
                new_role = f"{m.group('office')} {article}{fixed}"
                warnings.append(
                    f"role: printed {role!r}, read as {new_role!r} (post {fixed!r} "
                    "normalised against the list of posts)"
                )
                role = new_role
        elif "," not in bare and len(bare.split()) <= 4:
            post = bare
    return Party(name=name, role=role or None, post=post)
