"""What people see: rich panels and tables. Every user string goes in as rich Text, never
as markup, so a signature printed ``S[umner] W[elles]`` shows exactly so, and through
:func:`~archivetool.safetext.visible`, so a control character in it is shown, never obeyed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from archivetool import kinds
from archivetool.identify import person_label
from archivetool.pipeline import IngestReport
from archivetool.safetext import visible


def _t(value: Any, style: str = "", *, one_line: bool = False) -> Text:
    return Text(visible(value, one_line=one_line), style=style)


def _party(p: Any) -> str:
    if not p:
        return ""
    if isinstance(p, list):
        return "; ".join(_party(x) for x in p)
    name, role = p.get("name"), p.get("role")
    if name and role:
        return f"{role} ({name})"
    return name or role or ""


def ingest_summary(report: IngestReport, console: Console) -> None:
    c = report.counts
    line = Text()
    for key, style in (("ingested", "green"), ("updated", "cyan"), ("unchanged", "dim"),
                       ("failed", "red")):  # fmt: skip
        line.append(f"{key} {c[key]}", style=style if c[key] else "")
        line.append("  ")
    if report.warnings:
        line.append(f"warnings {report.warnings}", style="yellow")
    console.print(line)


def copy_summary(counts: dict[str, int], console: Console) -> None:
    """archivetool copy's line: how many records were copied, extended, unchanged, differ."""
    line = Text()
    for key, style in (("copied", "green"), ("extended", "cyan"), ("unchanged", "dim"),
                       ("differs", "red")):  # fmt: skip
        line.append(f"{key} {counts[key]}", style=style if counts[key] else "")
        line.append("  ")
    line.rstrip()
    console.print(line)


def ingest_warnings(report: IngestReport, console: Console) -> None:
    """Each record's warnings, one line each, naming the file and the record: what a person
    should review (ingest -v; list --warnings finds the records again later)."""
    for f in report.files:
        for w in f.warnings:
            where = f.path + (f" ({f.id})" if f.id else "")
            what = f" {w.field}:" if w.field else ""
            issue_line(console, f"{where}:{what} {w.message}", "warning")


def issue_line(console: Console, text: str, severity: str = "error") -> None:
    style = {"error": "red", "warning": "yellow"}.get(severity, "")
    label = Text(f"{severity}: ", style=style)
    console.print(Text.assemble(label, _t(text, one_line=True)), soft_wrap=True, highlight=False)


def validation_report(rows: Iterable[dict[str, Any]], console: Console) -> tuple[int, int]:
    """A status line per input (ok, ok with warnings, failed), then its problems."""
    n = failed = 0
    for row in rows:
        n += 1
        failed += not row["valid"]
        warnings = sum(1 for i in row["issues"] if i["severity"] == "warning")
        if not row["valid"]:
            status = Text("failed ", style="red")
        elif warnings:
            status = Text(f"ok ({warnings} warning{'s' if warnings > 1 else ''}) ", style="yellow")
        else:
            status = Text("ok ", style="green")
        console.print(Text.assemble(status, _t(row["path"], one_line=True)), highlight=False,
                      soft_wrap=True)  # fmt: skip
        for issue in row["issues"]:  # under its file's line, so without the path again
            where = f"line {issue['line']}: " if issue.get("line") else ""
            what = f"{issue['field']}: " if issue.get("field") else ""
            line = _t(f"  {issue['severity']}: {where}{what}", one_line=True) + _t(
                issue["message"], one_line=True
            )
            console.print(line, soft_wrap=True)
    return n, failed


def frus_rows(record: dict[str, Any]) -> list[tuple[str, Any]]:
    """The metadata rows of a FRUS document's panel."""
    return [
        ("id", record["id"]), ("type", record.get("doc_type")),
        ("file number", record.get("file_number")), ("from", _party(record.get("sender"))),
        ("to", _party(record.get("recipient"))),
        ("from (register)", person_label(record.get("sender"))),
        ("to (register)", person_label(record.get("recipient"))), ("place", record.get("place")),
        ("date", record.get("date")), ("time", record.get("time")),
        ("received", record.get("received")), ("serial number", record.get("serial_number")),
        ("classification", record.get("classification")), ("signed", record.get("signed")),
        ("date (inferred)", f"{record['date_inferred']} (from the {record['date_source'].replace('_', ' ')})"
         if record.get("date_inferred") else None),
        ("pages", _pages(record)), ("volume", (record.get("frus_volume") or {}).get("title")),
        ("decimal file", _decimal_summary(record.get("decimal_file"))),
        ("source note", record.get("source_note")),
        ("cites", "; ".join(r["text"] for r in record.get("references") or []) or None),
        ("persons", "; ".join(p["name"] for p in record.get("persons") or []) or None),
    ]  # fmt: skip


def bibliographic_rows(record: dict[str, Any]) -> list[tuple[str, Any]]:
    """The metadata rows of a bibliographic record's panel."""
    return [
        ("id", record["id"]), ("English title", record.get("title_translated")),
        ("in Latin script", record.get("title_latin")),
        ("authors", "; ".join(a["name"] for a in record.get("authors") or [])),
        ("editors", "; ".join(a["name"] for a in record.get("editors") or [])),
        ("in", f"{record.get('container_title') or ''} ({record.get('container_type')})"
         if record.get("container_type") else record.get("container_title")),
        ("volume", record.get("volume")), ("issue", record.get("issue")),
        ("pages", _pages(record)), ("year", record.get("year")),
        ("publisher", record.get("publisher")),
        ("language", (f"{record['language']} ({', '.join(x['iso639_1'] for x in record['languages'])})"
                      if record.get("languages") else record.get("language"))),
        ("subjects", "; ".join(record.get("subjects") or [])),
        ("keywords", "; ".join(record.get("keywords") or [])),
        ("DOI", record.get("doi")), ("ISSN", record.get("issn")),
    ]  # fmt: skip


def _meta_table(record: dict[str, Any]) -> Table:
    t = Table.grid(padding=(0, 2))
    t.add_column(style="bold cyan", no_wrap=True)
    t.add_column()
    rows: list[tuple[str, Any]] = kinds.of(record).show_rows(record)
    rows.append(("source", record["source"]["path"]))
    for label, value in rows:
        if value not in (None, "", []):
            t.add_row(label, _t(value))
    return t


def _decimal_summary(reading: dict[str, Any] | None) -> str | None:
    if not reading:
        return None
    if not reading.get("decimal"):
        return reading.get("reason")
    parts = [reading.get("class_label"), reading.get("country"), reading.get("second_country"),
             reading.get("subject"), reading.get("subfile")]  # fmt: skip
    text = " · ".join(p for p in parts if p)
    return f"{text} (schedule {reading['schedule']})" if reading.get("schedule") else text or None


def _pages(record: dict[str, Any]) -> str | None:
    a, b = record.get("page_start"), record.get("page_end")
    if a and b and a != b:
        return f"{a}–{b}" + (f" ({record['page_count']} pp.)" if record.get("page_count") else "")
    return str(a) if a else None


def body_with_pages(record: dict[str, Any]) -> Text:
    """The body text with its page markers put back where the page turned."""
    text = record.get("text") or ""
    out = Text()
    last = 0
    for page, offset in record.get("page_offsets") or []:
        out.append(visible(text[last:offset]))
        out.append(f"[Page {page}]", style="dim cyan")
        if offset < len(text) and not text[offset].isspace():
            out.append(" ")
        last = offset
    out.append(visible(text[last:]))
    return out


def show_record(record: dict[str, Any], console: Console) -> None:
    title = _t(record.get("title"), "bold")
    console.print(Panel(_meta_table(record), title=title, title_align="left", box=box.ROUNDED))
    kind = kinds.of(record)
    body = body_with_pages(record) if kind.paged else _t(record.get(kind.body_field))
    if body.plain.strip():
        console.print(Panel(body, title=kind.body_label, title_align="left", box=box.SIMPLE))
    notes = record.get("footnotes") or []
    if notes:
        t = Table(box=box.SIMPLE, show_header=True, header_style="bold")
        t.add_column("n", justify="right", no_wrap=True)
        t.add_column("at")
        t.add_column("footnote")
        for f in notes:
            t.add_row(_t(f["n"]), _t(f.get("marker_text"), "dim"), _t(f["text"]))
        console.print(Group(Text("Footnotes", style="bold"), t))
    for w in record.get("warnings") or []:
        issue_line(console, w, "warning")


def list_table(records: Iterable[dict[str, Any]], console: Console) -> int:
    """One line per record; on a narrow terminal the type and file columns give way and long
    values end in an ellipsis. Written to a file or a pipe, nothing is cut: every column is
    there and each cell whole (a column wider than its usual width widens its chunk)."""
    whole = not console.is_terminal
    width = console.width
    wide = whole or width >= 110
    columns: list[tuple[str, int]] = [("id", 17)]
    if wide:
        columns.append(("kind", 12))
    columns.append(("date", 12))
    if wide:
        columns.append(("file / container", 18))
    fixed = sum(w + 2 for _, w in columns) + 2
    rest = max(width - fixed, 24)
    who_width = min(36, max(12, rest // 3))
    columns += [("from → to / authors", who_width), ("title", max(rest - who_width - 4, 10))]

    def new_table(header: bool) -> Table:
        t = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, show_header=header,
                  show_edge=False)  # fmt: skip
        for name, w in columns:
            if whole:
                t.add_column(name, no_wrap=True, overflow="ignore", min_width=w)
            else:
                t.add_column(name, no_wrap=True, overflow="ellipsis", width=w + 2)
        return t

    def emit(t: Table) -> None:
        if not whole:
            console.print(t)
            return
        # rich fits a table to the 80 columns it assumes for a file: give it room
        usual = console.width
        console.width = _UNBOUNDED
        try:
            console.print(t, crop=False)
        finally:
            console.width = usual

    # the widths are fixed, so the table is printed a chunk at a time: memory stays flat
    # however many records are listed
    t = new_table(header=True)
    n = 0
    for r in records:
        n += 1
        row = kinds.of(r).list_row(r)
        cells = [_t(r["id"]), _t(row.type), _t(row.when), _t(row.where), _t(row.who),
                 _t(r.get("title"))]  # fmt: skip
        if not wide:
            cells = [cells[0], cells[2], cells[4], cells[5]]
        t.add_row(*cells)
        if n % LIST_CHUNK == 0:
            emit(t)
            t = new_table(header=False)
    if t.row_count:
        emit(t)
    return n


LIST_CHUNK = 200
_UNBOUNDED = 1_000_000  # columns: wider than any record's line


def revisions_table(revs: list[dict[str, Any]], console: Console) -> None:
    t = Table(box=box.SIMPLE_HEAD, header_style="bold")
    for col in ("revision", "stored", "replaced", "sha256", "path"):
        t.add_column(col, no_wrap=col != "path")
    for r in revs:
        t.add_row(_t(r["revision"]), _t(r["stored_at"]), _t(r["replaced_at"] or "current"),
                  _t(r["sha256"][:12]), _t(r["path"]))  # fmt: skip
    console.print(t)


_DECIMAL_ROWS = [
    ("class", "class", "class_label"), ("country", "country_code", "country"),
    ("second country", "second_country_code", "second_country"),
    ("subject", "subject_code", "subject"), ("subfile", "subfile", "subfile_expanded"),
    ("item", "item", "item_date"),
]  # fmt: skip


def decimal_reading(reading: dict[str, Any], console: Console) -> None:
    """A decimal file number, part by part, with the schedule it was read with."""
    if not reading.get("decimal"):
        console.print(Text.assemble(_t(reading["raw"], "bold"), _t(f": {reading['reason']}")))
        return
    t = Table.grid(padding=(0, 2))
    t.add_column(style="bold cyan", no_wrap=True)
    t.add_column(no_wrap=True)
    t.add_column()
    for label, code_key, text_key in _DECIMAL_ROWS:
        code, text = reading.get(code_key), reading.get(text_key)
        if code or text:
            t.add_row(label, _t(code), _t(text, "" if text else "dim"))
    basis = {
        "year": "the document's year",
        "item_date": "the date in the item",
        "key": "the only schedule that has this country number",
    }.get(reading.get("schedule_basis") or "")
    sched = reading.get("schedule")
    foot = f"schedule {sched} (from {basis})" if sched else reading.get("note", "no schedule")
    if reading.get("subject_matched") and reading["subject_matched"] != reading.get("subject_code"):
        foot += f"; subject label of {reading['subject_matched']}, the longest listed part"
    console.print(
        Panel(
            Group(t, _t(foot, "dim")),
            title=_t(reading["raw"], "bold"),
            title_align="left",
            box=box.ROUNDED,
        )
    )


def refs_report(record: dict[str, Any], refs: list[dict[str, Any]], citing: list[dict[str, Any]],
                console: Console) -> None:  # fmt: skip
    console.print(
        Text.assemble(_t(record["id"], "bold"), Text("  "), _t(record["title"], one_line=True))
    )
    t = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    for col in ("cites", "kind", "number", "date", "in the archive"):
        t.add_column(col, overflow="fold")
    for ref in refs:
        if ref["resolves_to"]:
            found = _t("; ".join(f"{m['id']} {m['title']}" for m in ref["resolves_to"]), "green")
        elif ref.get("not_printed"):
            found = Text("not printed in the edition", style="dim")
        else:
            found = Text("—", style="dim")
        t.add_row(
            _t(ref["text"]),
            _t(ref["kind"]),
            _t(ref["number"]),
            _t(ref.get("date_iso") or ref["date"]),
            found,
        )
    if refs:
        console.print(t)
    else:
        console.print(Text("cites no other communication", style="dim"))
    if citing:
        c = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
        for col in ("cited by", "date", "as"):
            c.add_column(col, overflow="fold")
        for x in citing:
            c.add_row(_t(f"{x['id']} {x['title']}"), _t(x["date"]), _t(x["text"]))
        console.print(c)
    else:
        console.print(Text("no stored document cites it", style="dim"))


def persons_table(people: list[dict[str, Any]], console: Console) -> None:
    t = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    for col in ("person", "identified as", "documents"):
        t.add_column(col, overflow="fold")
    for p in people:
        name = p["name"] + (f" ({p['full_name']})" if p.get("full_name") else "")
        t.add_row(_t(name), _t("; ".join(p["descriptions"])), _t(", ".join(p["documents"])))
    console.print(t)


def search_hits(hits: list[dict[str, Any]], console: Console, first: int = 1) -> None:
    """Ranked hits, the match highlighted in a short snippet of the original text."""
    for rank, h in enumerate(hits, start=first):
        head = Text.assemble(Text(f"{rank:>2}. ", style="dim"), _t(h["id"], "bold"),
                             _t(f"  {h['date'] or ''}  ", "cyan"), _t(h["title"], one_line=True))  # fmt: skip
        snippet = _highlighted(h["snippet"], h["highlights"])
        console.print(head, soft_wrap=True)
        console.print(Text("    ") + snippet, soft_wrap=False)


def _highlighted(snippet: str, highlights: list[list[int]]) -> Text:
    """The snippet made visible piece by piece, so the highlights stay on their words even
    where an escape made the text longer."""
    out = Text()
    last = 0
    for start, end in highlights:
        out.append(visible(snippet[last:start], one_line=True))
        out.append(visible(snippet[start:end], one_line=True), style="bold yellow")
        last = end
    out.append(visible(snippet[last:], one_line=True))
    return out


def _bars(rows: list[dict[str, Any]], label: str, console: Console, width: int = 40) -> None:
    if not rows:
        return
    peak = max(r["count"] for r in rows)
    t = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1))
    t.add_column(justify="right", no_wrap=True)
    t.add_column(no_wrap=True)
    t.add_column(justify="right", no_wrap=True)
    for r in rows:
        bar = "█" * max(1, round(width * r["count"] / peak))
        t.add_row(_t(r[label]), Text(bar, style="cyan"), _t(r["count"]))
    console.print(t)


def stats_report(stats: dict[str, Any], console: Console) -> None:
    kinds = ", ".join(f"{k} {v}" for k, v in stats["by_kind"].items())
    console.print(
        Text.assemble(Text(f"{stats['records']} records", style="bold"), _t(f"  ({kinds})"))
    )
    if stats["by_year"]:
        console.print(Text("by year", style="bold"))
        _bars(stats["by_year"], "year", console)
        if stats["undated"]:
            console.print(Text(f"  undated: {stats['undated']}", style="dim"))
    for key, title in (("by_doc_type", "FRUS documents by type"), ("by_decimal_country", "by decimal-file country"),
                       ("senders", "most frequent senders"), ("recipients", "most frequent recipients"),
                       ("sender_persons", "senders by person (register)"),
                       ("recipient_persons", "recipients by person (register)"),
                       ("authors", "most frequent authors"), ("subjects", "most frequent subjects"),
                       ("languages", "languages")):  # fmt: skip
        rows = stats[key]
        if rows:
            console.print(Text(title, style="bold"))
            t = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
            t.add_column("", overflow="fold")
            t.add_column("count", justify="right")
            for r in rows:
                t.add_row(_t(r["value"]), _t(r["count"]))
            console.print(t)
