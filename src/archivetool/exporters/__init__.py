"""Machine formats, written straight to a text stream and never through rich.

Each exporter takes an iterator of records and a stream, writes as it reads (so memory
stays flat however many records there are) and returns how many it wrote. An empty
iterator still gives valid output (``[]`` for JSON, a header row for CSV).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TextIO

from archivetool.exporters import bibtex, csljson, csvfmt, dc, jsonfmt, network, ris, tei

Exporter = Callable[[Iterable[dict[str, Any]], TextIO], int]

EXPORTERS: dict[str, Exporter] = {
    "json": jsonfmt.write_json,
    "jsonl": jsonfmt.write_jsonl,
    "csv": csvfmt.write_csv,
    "bibtex": bibtex.write_bibtex,
    "biblatex": bibtex.write_biblatex,
    "ris": ris.write_ris,
    "csl-json": csljson.write_csl_json,
    "dc": dc.write_dc,
    "tei": tei.write_tei,
    "graphml": network.write_graphml,
    "edges-csv": network.write_edges_csv,
}


def get_exporter(name: str, *, raw_csv: bool = False) -> Exporter:
    """The exporter called ``name``; ``raw_csv`` leaves CSV cells that look like spreadsheet
    formulas as they are instead of neutralising them."""
    if name == "csv" and raw_csv:
        return csvfmt.write_csv_raw
    if name == "edges-csv" and raw_csv:
        return network.write_edges_csv_raw
    return EXPORTERS[name]
