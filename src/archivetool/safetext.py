"""Stored text made safe to show: what a copied document carries can never drive the terminal.

A text copied from the web or a file name may hold control characters: ESC starts the
sequences that clear the screen, set the window title, write the clipboard (OSC 52) or hide
a link behind other words (OSC 8); BEL, backspace and carriage return overwrite what was
shown; the bidirectional overrides make a line read differently from what it holds. People
see such characters as visible escapes (``\\x1b``, ``\\u202e``), never interpreted. The data
itself is not changed: machine formats keep it, each in the form it allows (JSON escapes it,
XML 1.0 cannot hold most of it, see :func:`xml_text`).

Spreadsheets run a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, in some, with a
tab or carriage return) as a formula; :func:`csv_cell` neutralises such cells as OWASP
recommends, with a leading apostrophe.
"""

from __future__ import annotations

import re
from typing import Any

# C0 controls but tab and newline, DEL, C1 controls (0x9b is CSI on 8-bit terminals), and the
# bidirectional embeddings, overrides and isolates
_SHOWN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# on one line (an error line, a table cell) newline and tab are escaped too
_SHOWN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# what XML 1.0 cannot hold at all, not even as a character reference
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
REPLACEMENT = "\ufffd"


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(value: Any, *, one_line: bool = False) -> str:
    """``value`` as text a terminal shows as it is: controls become visible escapes.

    Newlines and tabs stay (paragraphs of a document) unless ``one_line`` is asked for.
    """
    text = "" if value is None else str(value)
    return (_SHOWN_LINE if one_line else _SHOWN).sub(_escape, text)


def xml_text(value: str) -> str:
    """``value`` with the characters XML 1.0 forbids replaced by U+FFFD, so the document
    stays well-formed; everything else is kept."""
    return _NOT_XML.sub(REPLACEMENT, value)


def csv_cell(value: Any) -> Any:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
