"""The command line. Each command takes its options, calls one core function and hands the
result to a renderer (people) or an exporter (machines). stdout carries only the data asked
for; progress, warnings, summaries and errors go to stderr."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator
from enum import Enum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer
from typer.core import TyperGroup

from archivetool import __version__
from archivetool.errors import ArchiveToolError, ExitCode, UsageError
from archivetool.settings import ARCHIVE_ENV, Settings, resolve_settings

if TYPE_CHECKING:
    from rich.console import Console

# Each command imports the stages it uses when it runs, so that --version, --help and a
# command that needs no parser start without loading the parsers, the schemas and rich.


class _Boundary(TyperGroup):
    """The one error boundary: a domain error becomes one line on stderr and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort):
            raise
        except BrokenPipeError:
            # the reader went away (| head): what it wanted it has; end quietly, with 0, so
            # that `set -o pipefail` scripts do not take it for failed input
            _silence_stdout()
            raise typer.Exit(int(ExitCode.OK)) from None
        except KeyboardInterrupt:
            # batches already committed stay; the open one was rolled back
            err_console().print("interrupted (what was stored before stays stored)")
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except Exception as exc:
            # typer's own signals (usage errors, --help) pass through to its main loop
            if type(exc).__module__.startswith("typer."):
                raise
            settings = ctx.obj if isinstance(ctx.obj, Settings) else None
            if settings and settings.debug:
                raise
            from archivetool.render import issue_line

            if isinstance(exc, ArchiveToolError):
                issue_line(err_console(), str(exc))
                raise typer.Exit(int(exc.exit_code)) from None
            issue_line(
                err_console(),
                f"internal error: {type(exc).__name__}: {exc} "
                "(run again with --debug for the traceback, and please report it)",
            )
            raise typer.Exit(int(ExitCode.FAILED)) from None


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # not a real file (a test runner's buffer): nothing will flush to a pipe


app = typer.Typer(
    cls=_Boundary,
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Turn copied FRUS documents and CEEOL records into validated, searchable records.\n\n"
    "Ingest texts into an archive (an SQLite file), then show, list and export them. "
    "Example:\n\n    archivetool ingest sources/ && archivetool list",
)


def err_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, no_color="NO_COLOR" in os.environ)


def out_console(file: TextIO | None = None) -> Console:
    """The console for data shown to people: stdout, or the --output file (where a table is
    written whole, as to any file)."""
    from rich.console import Console

    class _Out(Console):
        def on_broken_pipe(self) -> None:
            # rich would exit 1, the code of failed input; the error boundary ends with 0
            raise BrokenPipeError

    return _Out(file=file or sys.stdout, highlight=False, no_color="NO_COLOR" in os.environ)


class KindChoice(str, Enum):
    frus = "frus"
    bib = "bib"


@cache
def _kind_of() -> dict[KindChoice, str]:
    """Each short name's kind, from the registry; loaded when a kind is first asked for, so
    that --version and --help start without the registry and the record model."""
    from archivetool import kinds

    return {choice: kinds.get(choice.value).name for choice in KindChoice}


def _kind_name(choice: KindChoice | None) -> str | None:
    """The record's kind a --kind choice names (None: every kind)."""
    return _kind_of()[choice] if choice is not None else None


def __getattr__(name: str) -> Any:
    if name == "KIND_OF":  # the table, for a script or a test that reads it
        return _kind_of()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _kind(value: Any) -> KindChoice:
    """--kind: the short name or the record's own kind (frus, frus-document …)."""
    if isinstance(value, KindChoice):
        return value
    from archivetool import kinds

    found = kinds.find(str(value))
    if found is None:
        raise typer.BadParameter(
            f"{value!r} is not a kind: give frus (frus-document) or bib (bibliographic-record)"
        )
    return KindChoice(found.short)


class RecordFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


class ExportFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    bibtex = "bibtex"
    biblatex = "biblatex"
    ris = "ris"
    csl_json = "csl-json"
    dc = "dc"
    tei = "tei"
    graphml = "graphml"
    edges_csv = "edges-csv"


class CiteStyle(str, Enum):
    chicago_note = "chicago-note"
    chicago_bibliography = "chicago-bibliography"


class CiteFormat(str, Enum):
    text = "text"
    markdown = "markdown"


class ListFormat(str, Enum):
    """Records or rows: the table for people, the machine formats for scripts."""

    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


class ViewFormat(str, Enum):
    """One result (a report, a reading, counts): the table for people, or JSON."""

    table = "table"
    json = "json"


# the human view was called rich or text by some commands before it was table everywhere;
# the old names still work, unlisted, so that scripts written for them keep running
HUMAN_ALIASES = {"rich": "table", "text": "table"}


def _format_option(choices: type[Enum], help: str) -> Any:
    names = [str(c.value) for c in choices]

    def parse(value: Any) -> Any:
        if isinstance(value, choices):
            return value
        key = HUMAN_ALIASES.get(str(value), str(value))
        try:
            return choices(key)
        except ValueError:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(names)}") from None

    return typer.Option(
        "--format", "-f", parser=parse, metavar="[" + "|".join(names) + "]", help=help
    )


# kept as the string given: a server's URL is no path (Path would fold its "//")
ArchiveOpt = Annotated[
    str | None,
    typer.Option(
        "--archive",
        "-a",
        help="The archive: an SQLite file, or a PostgreSQL server's URL "
        f"(postgresql://user@host/database). Default: ${ARCHIVE_ENV}, else ./archive.sqlite.",
        show_default=False,
    ),
]
PathsArg = Annotated[
    list[str],
    typer.Argument(
        help="Text files, FRUS volumes in TEI XML, folders (searched for *.txt and *.xml) or - for standard input.",
        show_default=False,
    ),
]


def _write_view(data: Any, fmt: Enum, output: Path | None, show: Callable[[Console], None]) -> None:
    """A command's result as a JSON document, or shown for people by ``show``, on stdout or
    into the --output file."""
    from archivetool.exporters.reports import write_document
    from archivetool.outputfile import open_output

    with open_output(output) as out:
        if fmt.value == "json":
            write_document(data, out)
        else:
            show(out_console(out))


def _settings(
    ctx: typer.Context, archive: str | None, quiet: bool = False, verbose: bool = False
) -> Settings:
    """The run's settings: an option given after the command wins over the same option
    given before it (``archivetool --archive A list`` and ``archivetool list --archive A``)."""
    base: Settings = ctx.obj
    flag = archive if archive is not None else ctx.meta.get(_GLOBAL_ARCHIVE)
    return resolve_settings(
        flag, debug=base.debug, quiet=base.quiet or quiet, verbose=base.verbose or verbose
    )


_GLOBAL_ARCHIVE = "archivetool.archive"  # --archive before the command, in ctx.meta


JobsOpt = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        help="Processes reading and parsing in parallel. Default: the number of cores.",
        show_default=False,
    ),
]


def _jobs(jobs: int | None) -> int:
    from archivetool.pipeline import default_jobs

    return jobs or default_jobs()


QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, no summary.")]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file instead of stdout (whole, or not at all).",
        show_default=False,
    ),
]
VerboseOpt = Annotated[
    bool, typer.Option("--verbose", "-v", help="Say more on stderr: each record's warnings.")
]
RawCsvOpt = Annotated[
    bool,
    typer.Option(
        "--raw-csv",
        help="CSV: write cells as stored, even those a spreadsheet would run as formulas "
        "(starting with = + - @); by default they get a leading '.",
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"archivetool {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    archive: ArchiveOpt = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    ctx.meta[_GLOBAL_ARCHIVE] = archive
    ctx.obj = resolve_settings(archive, debug=debug, quiet=quiet, verbose=verbose)


@app.command()
def ingest(
    ctx: typer.Context,
    paths: PathsArg,
    archive: ArchiveOpt = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    fmt: Annotated[
        ViewFormat,
        _format_option(ViewFormat, "table (a summary on stderr) or json (the report on stdout)."),
    ] = ViewFormat.table,
    jobs: JobsOpt = None,
    output: OutputOpt = None,
) -> None:
    """Read, check and store documents and records.

    Each input is detected as a FRUS document or a CEEOL record, parsed, validated against
    its schema and stored; a FRUS volume in TEI XML gives one record per document. Content
    already in the archive is left unchanged; a corrected transcription of a stored document
    updates it and keeps the old text as a revision. A file that cannot be read or parsed is
    reported on stderr and skipped; the rest go in. -v lists each record's warnings (the
    file, the record's id, the field and what to review); list --warnings finds those
    records later. --format json prints the report on stdout (or to --output) for scripts: the counts, the
    failures, and under "files" each input's path, id, outcome (ingested, updated,
    unchanged, failed), warnings and errors.

    Inputs are read and parsed by --jobs processes at once (one per core by default); one
    writes, in short transactions, so two ingests into the same archive can run together.
    Content already stored is recognised by its hash without being read again.

    Exit status: 0 when every input went in, 1 when some failed, 2 for a usage error;
    for the archive itself 3 a full disk, 4 a damaged archive, 5 an archive that cannot be
    written (read-only or immutable), 6 one held by another process; 130 when
    interrupted (Ctrl-C), the batches written before kept.

    Example:

        archivetool ingest ~/frus/1943/ notes/ceeol-popovic.txt
    """
    from archivetool import api
    from archivetool.exporters.reports import write_document
    from archivetool.outputfile import open_output
    from archivetool.progress import progress_reporter
    from archivetool.render import ingest_summary, ingest_warnings, issue_line
    from archivetool.store import open_archive

    settings = _settings(ctx, archive, quiet, verbose)
    err = err_console()
    with (
        open_archive(settings.archive) as store,
        progress_reporter(err, settings.quiet) as progress,
    ):
        report = api.ingest(store, paths, jobs=_jobs(jobs), on_progress=progress)
    for issue in report.failures:
        issue_line(err, str(issue))
    if settings.verbose:
        ingest_warnings(report, err)
    if fmt is ViewFormat.json:
        with open_output(output) as out:
            write_document(report.as_dict(), out)
    elif not settings.quiet:
        ingest_summary(report, err)
    raise typer.Exit(int(report.exit_code))


@app.command()
def validate(
    ctx: typer.Context,
    paths: PathsArg,
    fmt: Annotated[
        ListFormat,
        _format_option(ListFormat, "table (a status line per input), json, jsonl or csv."),
    ] = ListFormat.table,
    raw_csv: RawCsvOpt = False,
    jobs: JobsOpt = None,
    output: OutputOpt = None,
) -> None:
    """Check documents and records without storing them.

    Every problem is reported with its file, the line where it can be known and the field
    (as a JSON path). Warnings (a page count that contradicts the page range, footnotes
    without markers) do not fail a file; schema errors and unreadable input do.

    Example:

        archivetool validate --format json sources/ | jq '.[] | select(.valid | not)'
    """
    from archivetool import api
    from archivetool.exporters.reports import write_rows
    from archivetool.outputfile import open_output
    from archivetool.render import validation_report

    failed = 0

    def rows() -> Iterator[dict[str, Any]]:
        nonlocal failed
        for row in api.validate(paths, jobs=_jobs(jobs)):
            failed += not row["valid"]
            yield row

    with open_output(output) as out:
        if fmt is ListFormat.table:
            validation_report(rows(), out_console(out))
        else:
            write_rows(rows(), fmt.value, out, raw_csv=raw_csv)
    raise typer.Exit(int(ExitCode.FAILED if failed else ExitCode.OK))


@app.command()
def extract(
    ctx: typer.Context,
    paths: PathsArg,
    fmt: Annotated[
        RecordFormat, typer.Option("--format", "-f", help="json, jsonl or csv.")
    ] = RecordFormat.json,
    raw_csv: RawCsvOpt = False,
    jobs: JobsOpt = None,
    output: OutputOpt = None,
) -> None:
    """Print each input's record; store nothing.

    The structured record of each input goes to stdout.

    One record per input, in input order. Inputs that fail are reported on stderr, left
    out of the output, and make the exit status 1.

    Example:

        archivetool extract --format jsonl telegram.txt | jq .sender
    """
    from archivetool import api
    from archivetool.exporters import get_exporter
    from archivetool.outputfile import open_output
    from archivetool.render import issue_line

    err = err_console()
    failed = 0

    def records() -> Iterator[dict[str, Any]]:
        nonlocal failed
        for item in api.read(paths, jobs=_jobs(jobs)):
            for issue in item.errors:
                issue_line(err, str(issue))
            if item.json is None:
                failed += 1
                continue
            yield item.json

    with open_output(output) as out:
        get_exporter(fmt.value, raw_csv=raw_csv)(records(), out)
    raise typer.Exit(int(ExitCode.FAILED if failed else ExitCode.OK))


@app.command()
def show(
    ctx: typer.Context,
    record_id: Annotated[
        str, typer.Argument(metavar="ID", help="A record id or a unique prefix of one.")
    ],
    fmt: Annotated[
        ListFormat, _format_option(ListFormat, "table, json, jsonl or csv (the record).")
    ] = ListFormat.table,
    revisions: Annotated[
        bool, typer.Option("--revisions", help="List the stored revisions.")
    ] = False,
    raw_csv: RawCsvOpt = False,
    output: OutputOpt = None,
    archive: ArchiveOpt = None,
) -> None:
    """Show one stored record.

    Its metadata, its text with the page markers, its footnotes and warnings.

    With --revisions, the earlier versions kept when a corrected transcription was ingested.

    Example:

        archivetool show frus-3f2a --format json | jq .footnotes
    """
    from archivetool import api
    from archivetool.exporters import get_exporter
    from archivetool.exporters.reports import write_document
    from archivetool.outputfile import open_output
    from archivetool.render import revisions_table, show_record
    from archivetool.store import open_archive

    if revisions and fmt in (ListFormat.jsonl, ListFormat.csv):
        raise UsageError(
            f"show --revisions: no {fmt.value} form", hint="give --format json or table"
        )
    settings = _settings(ctx, archive)
    with open_archive(settings.archive, create=False, readonly=True) as store:
        revs = api.revisions(store, record_id) if revisions else []
        record = None if revisions else api.get(store, record_id).to_json()
    with open_output(output) as out:
        if record is None:
            if fmt is ListFormat.json:
                write_document(revs, out)
            else:
                revisions_table(revs, out_console(out))
        elif fmt is ListFormat.json:
            write_document(record, out)  # one record: an object, not a list of one
        elif fmt is ListFormat.table:
            show_record(record, out_console(out))
        else:
            get_exporter(fmt.value, raw_csv=raw_csv)([record], out)


KindOpt = Annotated[
    KindChoice | None,
    typer.Option(
        "--kind",
        "-k",
        parser=_kind,
        metavar="[frus|bib]",
        help="frus or bib (also by the record's kind: frus-document, bibliographic-record).",
    ),
]
YearOpt = Annotated[int | None, typer.Option("--year", "-y", help="Only records of this year.")]
LimitOpt = Annotated[int | None, typer.Option("--limit", "-n", min=0, help="At most this many.")]
OffsetOpt = Annotated[
    int, typer.Option("--offset", min=0, help="Leave out this many first (page with --limit).")
]


@app.command("list")
def list_(
    ctx: typer.Context,
    kind: KindOpt = None,
    year: YearOpt = None,
    limit: LimitOpt = None,
    offset: OffsetOpt = 0,
    fmt: Annotated[
        ListFormat, _format_option(ListFormat, "table, json, jsonl or csv.")
    ] = ListFormat.table,
    warnings: Annotated[
        bool,
        typer.Option("--warnings", "-w", help="Only records whose reading left a warning."),
    ] = False,
    raw_csv: RawCsvOpt = False,
    output: OutputOpt = None,
    archive: ArchiveOpt = None,
) -> None:
    """List the stored records, one line each.

    Id, kind, date or year, file number or container, who wrote to whom or the
    authors, and the title. With --warnings, only the records a person should review:
    those where a reader fell back or mended something (see each with show ID).

    Example:

        archivetool list --kind frus --year 1943 --limit 20
    """
    from archivetool import api
    from archivetool.exporters import get_exporter
    from archivetool.outputfile import open_output
    from archivetool.render import list_table
    from archivetool.store import open_archive

    settings = _settings(ctx, archive)
    with (
        open_archive(settings.archive, create=False, readonly=True) as store,
        open_output(output) as out,
    ):
        found = api.list_json(store, kind=_kind_name(kind), year=year, limit=limit,
                           offset=offset, warnings=warnings)  # fmt: skip
        if fmt is ListFormat.table:
            if not list_table(found, out_console(out)) and not settings.quiet:
                err_console().print("no records match")
        else:
            get_exporter(fmt.value, raw_csv=raw_csv)(found, out)


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="json, jsonl, csv, or for citation managers: "
            "bibtex, biblatex, ris, csl-json, dc (Dublin Core XML), "
            "tei (TEI XML in the shape of the FRUS edition), or the correspondence "
            "network: graphml (Gephi, networkx), edges-csv.",
        ),
    ] = ExportFormat.jsonl,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
    kind: KindOpt = None,
    year: YearOpt = None,
    limit: LimitOpt = None,
    offset: OffsetOpt = 0,
    raw_csv: RawCsvOpt = False,
    archive: ArchiveOpt = None,
) -> None:
    """Export stored records, all or filtered.

    Streamed to stdout or to a file.

    The citation formats type each record as its kind: a chapter is @incollection / CHAP /
    chapter, an article @article / JOUR / article-journal; FRUS documents are cited in their
    volume, with the file number as archive location and the history.state.gov permalink.

    tei writes each FRUS document as the edition's <div type="document"> (head, dateline,
    paragraphs with notes and page breaks, signature), which archivetool reads back.

    graphml and edges-csv write who wrote to whom: a node per person of the register where
    the sender or recipient was identified, else per office or name as printed; an edge per
    pair with the count of documents and the first and last date.

    Example:

        archivetool export --format ris --kind bib --output ceeol.ris
    """
    from archivetool import api
    from archivetool.outputfile import open_output
    from archivetool.safetext import visible
    from archivetool.store import open_archive

    settings = _settings(ctx, archive)
    with (
        open_archive(settings.archive, create=False, readonly=True) as store,
        open_output(output) as out,
    ):
        n = api.export(store, fmt.value, out, kind=_kind_name(kind), year=year,
                       limit=limit, offset=offset, raw_csv=raw_csv)  # fmt: skip
    if output is not None and not settings.quiet:
        err_console().print(
            f"exported {n} records to {visible(output, one_line=True)}",
            highlight=False,
            markup=False,
        )


@app.command()
def copy(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(metavar="SOURCE", help="The archive to copy from.")],
    dest: Annotated[
        str, typer.Argument(metavar="DEST", help="The archive to copy into (made if absent).")
    ],
    quiet: QuietOpt = False,
    fmt: Annotated[
        ViewFormat,
        _format_option(ViewFormat, "table (a summary on stderr) or json (the report on stdout)."),
    ] = ViewFormat.table,
    output: OutputOpt = None,
) -> None:
    """Copy an archive to another place, records and revisions included.

    Every record goes over as it is stored: its id, its text, its earlier revisions and
    their dates, so that DEST lists, shows, searches and exports exactly as SOURCE does.
    SOURCE is only read. DEST is made when it does not exist; records it already holds stay.

    A copy that was stopped is finished by running it again: what DEST holds already is left
    unchanged, what it lacks is copied, and revisions it lacks are added (extended). A record
    DEST holds with other content (ingested there separately, or changed since) is never
    overwritten: it is listed on stderr, and the exit status is 1. --format json prints the
    report on stdout (or to --output): the counts and the ids that differ. SOURCE and DEST
    are archive files, or archives on a PostgreSQL server (postgresql://…), either way.

    Exit status: 0 when every record is in DEST, 1 when some differ, 2 for a usage error
    (the same archive twice); 3 to 6 for an archive that is full, damaged, read-only or held
    by another process, as for ingest.

    Example:

    \b
        archivetool copy archive.sqlite postgresql://historians@db.example.org/frus
        archivetool copy postgresql://historians@db.example.org/frus laptop.sqlite
    """
    from archivetool import api
    from archivetool.exporters.reports import write_document
    from archivetool.outputfile import open_output
    from archivetool.progress import progress_reporter
    from archivetool.render import copy_summary, issue_line

    settings = _settings(ctx, None, quiet)
    err = err_console()
    with progress_reporter(err, settings.quiet, "copy") as progress:
        report = api.copy(source, dest, on_progress=progress)
    for rid in report.differs:
        issue_line(err, f"{rid}: {report.dest} holds this record with other content; left as it "
                   "is (compare the two with archivetool show ID --revisions on each)")  # fmt: skip
    if fmt is ViewFormat.json:
        with open_output(output) as out:
            write_document(report.as_dict(), out)
    elif not settings.quiet:
        copy_summary(report.counts, err)
    raise typer.Exit(int(report.exit_code))


@app.command()
def cite(
    ctx: typer.Context,
    record_ids: Annotated[
        list[str], typer.Argument(metavar="ID...", help="Record ids or unique prefixes.")
    ],
    style: Annotated[
        CiteStyle, typer.Option("--style", "-s", help="chicago-note or chicago-bibliography.")
    ] = CiteStyle.chicago_note,
    fmt: Annotated[
        CiteFormat, typer.Option("--format", "-f", help="text, or markdown (titles in italics).")
    ] = CiteFormat.text,
    latin: Annotated[
        bool,
        typer.Option("--latin", help="Titles and names printed in Cyrillic in Latin letters."),
    ] = False,
    full_names: Annotated[
        bool,
        typer.Option("--full-names", help="Name identified senders and recipients in full."),
    ] = False,
    output: OutputOpt = None,
    archive: ArchiveOpt = None,
) -> None:
    """Print citations ready for a footnote.

    Chicago style (17th edition), notes by default. A title in another language is followed
    by its English title in brackets, as Chicago asks; with --latin a title printed in
    Cyrillic is given in Latin letters (transliterated by the table of its language).
    --full-names puts the full names of the identified office-holders into a FRUS heading:
    The Ambassador in the United Kingdom (John Gilbert Winant) to the Secretary of State
    (Cordell Hull).

    A FRUS document is cited as the Office of the Historian and the Chicago Manual cite
    it: heading (sender to recipient), type and number, place and date (a date the text
    does not state, such as one from the file number, in brackets), the volume, the
    document number, pages, and its permalink on history.state.gov where the record knows
    the volume and document.

    Example:

        archivetool cite frus-41fc bib-ad8c --latin
    """
    from archivetool import api
    from archivetool.outputfile import open_output
    from archivetool.safetext import visible
    from archivetool.store import open_archive

    settings = _settings(ctx, archive)
    with (
        open_archive(settings.archive, create=False, readonly=True) as store,
        open_output(output) as out,
    ):
        for text in api.cite(store, record_ids, style=style.value, latin=latin,
                             markdown=fmt is CiteFormat.markdown, full_names=full_names):  # fmt: skip
            out.write(visible(text) + "\n")


@app.command()
def decode(
    key: Annotated[str, typer.Argument(metavar="KEY", help="A file number, e.g. 860H.01/478.")],
    year: Annotated[
        int | None, typer.Option("--year", "-y", help="The document's year: picks the schedule.")
    ] = None,
    fmt: Annotated[ViewFormat, _format_option(ViewFormat, "table or json.")] = ViewFormat.table,
    output: OutputOpt = None,
) -> None:
    """Read a decimal file number (860H.01/478).

    Class, country, subject, subfile and item.

    The classification was renumbered in 1950, so give the document's year with --year;
    without it the date in a date-form item (/9–1544) decides, or, failing that, the one
    schedule in which the key's country number exists. Keys that are not decimal (Roosevelt
    Papers, lot files, POL 27 VIET S) are named as such; text that is no file key at all
    is an error (exit status 1).

    Example:

        archivetool decode "740.0011 European War 1939/25630" --year 1942
    """
    from archivetool import api
    from archivetool.render import decimal_reading

    reading = api.decode(key, year=year)
    _write_view(reading, fmt, output, lambda console: decimal_reading(reading, console))


@app.command()
def refs(
    ctx: typer.Context,
    record_id: Annotated[
        str, typer.Argument(metavar="ID", help="A FRUS record id or a unique prefix.")
    ],
    fmt: Annotated[ViewFormat, _format_option(ViewFormat, "table or json.")] = ViewFormat.table,
    output: OutputOpt = None,
    archive: ArchiveOpt = None,
) -> None:
    """Follow a document's cross-references.

    What it cites, and which stored documents cite it.

    Each in-text citation (your 3272, July 15; Deptel 123; my despatch No. 4582 of
    September 24) is listed with the stored document it resolves to: same number, same date,
    and the parties fitting the direction. Citations the edition omits are marked
    "not printed". Then the stored documents that cite this one.

    Example:

        archivetool refs frus-8ef5
    """
    from archivetool import api
    from archivetool.render import refs_report
    from archivetool.store import open_archive

    settings = _settings(ctx, archive)
    with open_archive(settings.archive, create=False, readonly=True) as store:
        threads = api.refs(store, record_id)
    _write_view(threads.as_dict(), fmt, output, lambda c: refs_report(
        threads.record, threads.references, threads.cited_by, c))  # fmt: skip


@app.command()
def persons(
    ctx: typer.Context,
    search: Annotated[
        str | None,
        typer.Option("--search", "-s", help="Part of a name; case, diacritics and script ignored."),
    ] = None,
    fmt: Annotated[
        ListFormat, _format_option(ListFormat, "table, json, jsonl or csv (a row per person).")
    ] = ListFormat.table,
    raw_csv: RawCsvOpt = False,
    register: Annotated[
        bool,
        typer.Option(
            "--register",
            help="The register's office-holders the senders and recipients were identified as.",
        ),
    ] = False,
    output: OutputOpt = None,
    archive: ArchiveOpt = None,
) -> None:
    """List the people the footnotes identify.

    With their descriptions and the documents that mention them.

    A footnote on a name (Sir Orme Sargent50 / 50. British Deputy Under Secretary of State.)
    makes a person; so does a note naming the holder of an office (the Under Secretary6 /
    6. Sumner Welles.). --search ignores case and diacritics: Nedic finds Nedić.

    With --register, the people of the Office of the Historian's register the senders and
    recipients were identified as (and those a footnote names in full), with their offices
    and the documents they wrote, received and are named in.

    Example:

        archivetool persons --search nedic
    """
    from archivetool import api
    from archivetool.exporters.reports import write_document, write_rows
    from archivetool.outputfile import open_output
    from archivetool.render import persons_table
    from archivetool.render_register import register_persons_table
    from archivetool.store import open_archive

    settings = _settings(ctx, archive)
    with open_archive(settings.archive, create=False, readonly=True) as store:
        found = api.persons(store, search, register=register)
    with open_output(output) as out:
        if fmt is ListFormat.json:
            write_document(found, out)
        elif fmt is not ListFormat.table:
            write_rows(found, fmt.value, out, raw_csv=raw_csv)
        elif found and register:
            register_persons_table(found, out_console(out))
        elif found:
            persons_table(found, out_console(out))
    if fmt is ListFormat.table and not found and not settings.quiet:
        err_console().print("no person matches" if search else "no persons identified yet")


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[
        str, typer.Argument(metavar="QUERY", help='Words, "phrases", prefix*, AND / OR / NOT, ( ).')
    ],
    kind: KindOpt = None,
    date_from: Annotated[
        str | None,
        typer.Option(
            "--from",
            parser=_date_bound,
            metavar="DATE",
            help="From this date: YYYY, YYYY-MM or YYYY-MM-DD.",
        ),
    ] = None,
    date_to: Annotated[
        str | None,
        typer.Option(
            "--to", parser=_date_bound, metavar="DATE", help="Up to this date (inclusive)."
        ),
    ] = None,
    sender: Annotated[
        str | None, typer.Option("--sender", help="Sender's name or office contains this.")
    ] = None,
    recipient: Annotated[
        str | None, typer.Option("--recipient", help="Recipient's name or office contains this.")
    ] = None,
    place: Annotated[
        str | None, typer.Option("--place", help="Place of the dateline contains this.")
    ] = None,
    file_number: Annotated[
        str | None, typer.Option("--file-number", help="File number starts so: 860H.")
    ] = None,
    author: Annotated[
        str | None, typer.Option("--author", help="An author's name contains this.")
    ] = None,
    language: Annotated[
        str | None, typer.Option("--language", help="Language name or code: Serbian, sr.")
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, help="At most this many hits.")
    ] = 20,
    offset: OffsetOpt = 0,
    fmt: Annotated[
        ListFormat, _format_option(ListFormat, "table, json, jsonl or csv.")
    ] = ListFormat.table,
    raw_csv: RawCsvOpt = False,
    output: OutputOpt = None,
    archive: ArchiveOpt = None,
) -> None:
    """Search the archive.

    Ranked hits, the match highlighted in a snippet of the original text.

    Case, diacritics and script are ignored (Mihailovic finds Mihailović; Cyrillic is found
    through its Latin form). A capitalised word is a name and also finds its inflected forms:
    Tito finds Титов, Stalin finds Стаљином. Lower-case words match whole words.

    Example:

        archivetool search "Mihailovic AND Partisan*" --kind frus --from 1943 --to 1943-12
    """
    from archivetool import api
    from archivetool.exporters.reports import write_hits
    from archivetool.outputfile import open_output
    from archivetool.render import search_hits
    from archivetool.store import open_archive

    settings = _settings(ctx, archive)
    with open_archive(settings.archive, create=False, readonly=True) as store:
        hits = api.search(
            store, query, kind=_kind_name(kind), date_from=date_from,
            date_to=date_to, sender=sender, recipient=recipient, place=place,
            file_number=file_number, author=author, language=language, limit=limit,
            offset=offset,
        )  # fmt: skip
    with open_output(output) as out:
        if fmt is not ListFormat.table:
            write_hits(hits, fmt.value, out, raw_csv=raw_csv, first=offset + 1)
        elif hits:
            search_hits(hits, out_console(out), first=offset + 1)
    if fmt is ListFormat.table and not hits and not settings.quiet:
        err_console().print("no matches")


@app.command()
def stats(
    ctx: typer.Context,
    fmt: Annotated[ViewFormat, _format_option(ViewFormat, "table or json.")] = ViewFormat.table,
    top: Annotated[
        int, typer.Option("--top", min=1, help="How many of the most frequent to list.")
    ] = 10,
    output: OutputOpt = None,
    archive: ArchiveOpt = None,
) -> None:
    """Count the archive's records.

    By kind, by year (with a bar chart), by decimal-file country, and the most frequent
    senders, recipients, authors and subjects.

    Example:

        archivetool stats --format json | jq .by_year
    """
    from archivetool import api
    from archivetool.render import stats_report
    from archivetool.store import open_archive

    settings = _settings(ctx, archive)
    with open_archive(settings.archive, create=False, readonly=True) as store:
        result = api.stats(store, top=top)
    _write_view(result, fmt, output, lambda console: stats_report(result, console))


@app.command()
def who(
    office: Annotated[
        str,
        typer.Argument(
            metavar="OFFICE", help="An office as FRUS names it: 'Minister in Honduras'."
        ),
    ],
    date: Annotated[
        str | None,
        typer.Option("--date", "-d", help="YYYY-MM-DD; all holders when left out."),
    ] = None,
    fmt: Annotated[
        ListFormat,
        _format_option(ListFormat, "table, json (the answer), or jsonl or csv (a row per holder)."),
    ] = ListFormat.table,
    raw_csv: RawCsvOpt = False,
    output: OutputOpt = None,
) -> None:
    """Tell who held an office on a date.

    From the Office of the Historian's register of Principal Officers and Chiefs of Mission
    alone (shipped with archivetool; no archive needed). The office is written as FRUS
    headings write it: Secretary of State, Under Secretary of State, Ambassador in the United
    Kingdom, Minister in Persia (the register's Iran). An acting officer is answered only
    where the register names a Secretary of State ad interim. Exit status 1 when nobody fits.

    Example:

        archivetool who 'Minister in Honduras' --date 1930-10-11
    """
    from rich.text import Text

    from archivetool import api
    from archivetool.exporters.reports import write_document, write_rows
    from archivetool.outputfile import open_output
    from archivetool.render_register import who_table
    from archivetool.safetext import visible

    if not office.strip():
        raise UsageError(
            "who: give an office", hint="for example: archivetool who 'Secretary of State'"
        )
    if date is not None and not (_ISO_DATE.fullmatch(date) and _real_day(date)):
        raise UsageError(f"who: {date!r} is not a date", hint="give it as YYYY-MM-DD: 1943-05-10")
    answer = api.who(office, date)
    with open_output(output) as out:
        if fmt is ListFormat.json:
            write_document(answer, out)
        elif fmt is not ListFormat.table:
            write_rows(answer["holders"], fmt.value, out, raw_csv=raw_csv)
        elif answer["holders"]:
            who_table(answer, out_console(out))
    if answer["note"]:
        err_console().print(Text(visible(answer["note"], one_line=True)))
    raise typer.Exit(int(ExitCode.OK if answer["holders"] else ExitCode.FAILED))


_ISO_DATE = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])")


def _real_day(text: str) -> bool:
    """1944-02-29 is a day; 1943-02-30 is not."""
    import datetime

    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def _date_bound(value: Any) -> str | None:
    """--from/--to: a year, a month or a day that exists (1943, 1943-12, 1944-02-29)."""
    import datetime

    if value is None:
        return None
    text = str(value).strip()
    m = _PARTIAL_DATE.fullmatch(text)
    try:
        if m is None:
            raise ValueError
        year, month, day = int(m[1]), int(m[2] or 1), int(m[3] or 1)
        datetime.date(year, month, day)
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a date: give YYYY, YYYY-MM or YYYY-MM-DD (1943, 1943-05, 1943-05-10)"
        ) from None
    return text


@app.command()
def schema(
    name: Annotated[
        str | None,
        typer.Argument(
            help="frus (frus-document) or bib (bibliographic-record); all when left out."
        ),
    ] = None,
    output: OutputOpt = None,
) -> None:
    """Print the JSON Schemas of the records.

    Draft 2020-12; every record is validated against its schema before it is stored.

    Example:

        archivetool schema frus-document > frus-document.schema.json
    """
    from archivetool import api
    from archivetool.exporters.reports import write_document
    from archivetool.outputfile import open_output

    document = api.schema(name)
    with open_output(output) as out:
        write_document(document, out)


def main() -> None:
    """Console entry point. typer turns usage errors into exit 2; a reader that goes away
    (``| head``) ends the run quietly instead of with a BrokenPipe traceback."""
    try:
        app()
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(int(ExitCode.OK))
    except KeyboardInterrupt:
        err_console().print("interrupted (what was stored before stays stored)")
        sys.exit(int(ExitCode.INTERRUPTED))
