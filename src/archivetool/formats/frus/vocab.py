"""The words and limits the FRUS reader knows, each defined once.

Classification words, document-type words, offices and posts (month names are in
:mod:`archivetool.months`, shared with the enricher) are the
edition's own vocabulary; the limits are the few lengths that tell a short line of a
heading block from a sentence of the body. Every other module imports them from here.
"""

from __future__ import annotations

import re

# --- months and times --------------------------------------------------------------------

# month names come from the one table of them (archivetool.months)
TIME = (
    r"(?:\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.\s?m\.?|[AP]\.\s?M\.?)|noon|midnight|"
    r"\d{1,2}:\d{2}(?:\s*[ap]\.?\s?m\.?)?|\d{4}Z?)"
)
YEAR = r"(?:1[6-9]\d\d|20\d\d)"

# --- classification ----------------------------------------------------------------------

CLASSIFICATIONS = [
    "Personal and Secret", "Strictly Confidential", "Top Secret", "Secret", "Confidential",
    "Restricted", "Limited Official Use", "Official Use Only", "Eyes Only", "Personal",
    "Strictly Personal", "Secret and Personal", "Private", "Unclassified",
]  # fmt: skip
# words a classification line may carry after its classification ("us urgent", "niact")
HANDLING_WORDS = (
    r"(?:priority|urgent|niact|immediate|flash|routine|operational immediate|eyes only|"
    r"nodis|exdis|limdis|noforn|us|plain|gray|personal|private|for the secretary|"
    r"(?:for )?(?:immediate )?release|for the press|(?:not )?for publication|"
    r"and personal|and private|only|most|\w+ only)"
)

# --- document types ----------------------------------------------------------------------

DOC_TYPES = (
    "telegram", "memorandum", "memorandum_of_conversation", "despatch", "airgram", "letter",
    "note", "instruction", "circular", "report", "editorial_note", "other",
)  # fmt: skip

# what a heading says of itself, first match wins
HEADING_TYPES: list[tuple[str, re.Pattern[str]]] = [
    ("editorial_note", re.compile(r"^Editorial Note\b", re.IGNORECASE)),
    ("memorandum_of_conversation", re.compile(r"^Memorandum of (?:a )?Conversation\b")),
    ("circular", re.compile(r"^Circular (?:Telegram|Airgram|Instruction|Note|Memorandum)\b")),
    ("telegram", re.compile(r"^(?:Backchannel )?(?:Telegram|Cable)\b")),
    ("airgram", re.compile(r"^Airgram\b")),
    ("circular", re.compile(r"^Circular\b")),
    (
        "memorandum",
        re.compile(
            r"^(?:Action |Information |Briefing |Intelligence |Research )?Memorand(?:um|urn)\b"
        ),
    ),
    ("letter", re.compile(r"^(?:Letter|Message)\b")),
    ("despatch", re.compile(r"^(?:Despatch|Dispatch)\b")),
    ("instruction", re.compile(r"^Instruction\b")),
    ("note", re.compile(r"^(?:Note|Aide-Mémoire|Aide-Memoire|Note Verbale)\b")),
    (
        "report",
        re.compile(
            r"^(?:(?:Contact |Progress |Status |Field |Weekly |Daily )?Report|Paper|Study|Summary|Notes|(?:Special )?National Intelligence Estimate|"
            r"Intelligence (?:Report|Estimate|Brief)|Estimate|NSC \d+|National Security Council Report|"
            r"Situation Report)\b"
        ),
    ),
]
# the word after a source line's colon ("860H.01/478: Telegram"), as a type
SOURCE_TYPES: list[tuple[str, str]] = [
    ("circular", "circular"), ("airgram", "airgram"), ("telegram", "telegram"),
    ("despatch", "despatch"), ("dispatch", "despatch"), ("instruction", "instruction"),
    ("memorandum", "memorandum"), ("note", "note"), ("aide", "note"), ("letter", "letter"),
    ("report", "report"),
]  # fmt: skip
SOURCE_TYPE_WORDS = (
    r"(?:Circular\s+)?(?:Telegram|Airgram|Despatch|Dispatch|Instruction|Memorandum|Note|Letter|"
    r"Circular|Report|Aide-Mémoire)(?:\s+\w+)?"
)
# the words a heading may open with before its parties ("Telegram From …")
HEADING_LEAD = (
    r"(?:(?:Circular\s+|Action\s+|Information\s+|Briefing\s+|Intelligence\s+|Backchannel\s+)?"
    r"(?:Telegram|Cable|Letter|Memorandum|Airgram|Despatch|Dispatch|Note|Instruction|Message|"
    r"Circular|Report|Aide-Mémoire|Paper|Transcript of (?:a )?Telephone Conversation)\s+)?"
    r"(?:From\s+|Between\s+)?"
)

# --- offices, posts, institutions -------------------------------------------------------

# American posts and officers abroad: what writes despatches and receives instructions
US_POST = re.compile(
    r"^(?:American |United States )?(?:Ambassador|Minister|Chargé|Consul|Vice Consul|"
    r"Consul General|Counselor|Secretary of Embassy|Secretary of Legation|Special Representative|"
    r"Personal Representative|Embassy|Legation|Consulate|Mission|Delegation|High Commissioner|"
    r"Political Adviser|Naval Attaché|Military Attaché|Commissioner|Special Agent|Agent)\b"
)
# offices printed before a surname without parentheses ("Prime Minister Churchill")
OFFICE_TITLES = (
    r"(?:Acting |Deputy |Under |Assistant |Vice |Special |Prime |Foreign |Former |Commanding |"
    r"Chief |Supreme |High |Personal |Executive )*"
    r"(?:President|Premier|Prime Minister|Chancellor|Minister|Ambassador|Secretary(?: of [A-Z]\w+"
    r"(?: and [A-Z]\w+)?| General)?|Special Agent|Agent|Consul(?: General)?|Chargé(?: d’Affaires)?|"
    r"Commissioner|Representative|Envoy|Generalissimo|Chairman|Governor|Senator|Commander|"
    r"King|Queen|Emperor|Shah|Pope|Director(?: of Central Intelligence)?|Administrator)"
)
# forms of address kept with the name ("Mr. Martinez")
ADDRESS_FORMS = (
    r"(?:Mr|Mrs|Miss|Ms|Dr|Sir|Señor|Senor|Monsieur|M|Herr|Baron|Count|Prince|Princess|"
    r"General|Admiral|Colonel|Captain|Lord|Lady|Marquis|Duke|Judge)\b\.?"
)
# a recipient that is a group of posts or officers, not a person ("Certain Diplomatic Missions")
COLLECTIVE = re.compile(
    r"\b(?:Missions|Officers|Representatives|Posts|Consulates|Embassies|Legations|Consuls|"
    r"Ambassadors|Ministers|Chiefs of Mission|Agents|Delegations|Governments|Powers)\b"
)
# institutions a dateline may name before its place ("American Legation, Santiago")
INSTITUTION = re.compile(
    r"\b(?:Embassy|Legation|Consulate|Consul|Department|Mission|Office|White House|Pentagon|"
    r"Ministry|Delegation|Headquarters|Secretariat|Residence|Chancery|Hotel|Palace|"
    r"Foreign Office|Quai d’Orsay|Agency|Commission|Conference|Building|Camp)\b"
)
# bodies that write and receive documents: a party so named is an office, not a person
BODY = re.compile(
    INSTITUTION.pattern[:-3] + r"|Station|Staff|Command|Council|Committee|Board|Bureau|Division|"
    r"Government|Group|Service|Administration)\b"
)
ENCLOSURE = re.compile(
    r"^\[(?:Inclosure|Enclosure|Annex|Attachment|Subenclosure|Subinclosure|Appendix|Tab)\b"
    # "[Translation of inclosure with Mr. Martinez’s note of January 10, 1882.]"
    r"|^\[[^\]]{0,40}\b(?:inclosure|enclosure|Inclosure|Enclosure)\b[^\]]*\]\.?$"
    r"|^(?:Enclosure|Inclosure|Annex|Attachment)(?:\s+(?:\d+|No\. \d+))?\.?$",
    re.IGNORECASE,
)

# --- limits ------------------------------------------------------------------------------

# a line longer than this is body text, never part of a heading block
MAX_HEADER_LINE = 100
# a dateline (or one of its fragments) is shorter than this
MAX_DATELINE = 90
# lines a broken dateline or received note may spread over before the reader gives up
MAX_DATELINE_PIECES = 4
MAX_RECEIVED_PIECES = 3
# a place is at most this long
MAX_PLACE = 60
# the signature block: at most this many lines, each at most this long
MAX_SIGNATURE_LINES = 3
MAX_SIGNATURE_LINE = 60
# a closing dateline stands in the last lines of the document, and is this short
CLOSING_DATELINE_WINDOW = 4
MAX_CLOSING_DATELINE = 70
# a heading broken over lines continues on a line shorter than this
MAX_HEADING_PIECE = 120
# what the despatch-or-instruction test reads of the body
BODY_SAMPLE = 3000
