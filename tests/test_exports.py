"""Every citation export read back by an independent reader, field by field.

bibtexparser (v2) reads the BibTeX and BibLaTeX, rispy the RIS, the official CSL-JSON schema
(tests/data/csl-data.json, MIT) checks the CSL-JSON, lxml reads the Dublin Core. The seed
record, the bundled CEEOL records and, when the shared workbench is beside the project,
every CEEOL dev record are exported and compared.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import bibtexparser
import pytest
import rispy
from jsonschema import Draft7Validator
from lxml import etree

from archivetool.citation import split_name
from archivetool.cite import chicago_pages, cite
from archivetool.exporters import get_exporter
from archivetool.exporters.dc import DC, OAI_DC
from archivetool.sources import decode_source
from conftest import CEEOL_DIR, DATA, FRUS_DIR, SEED_FRUS, record_from_source

SHARED_CEEOL = Path(__file__).parent.parent.parent / "shared" / "corpus" / "ceeol-dev"
BIB_FILES = sorted(CEEOL_DIR.glob("*.txt")) + (
    sorted(SHARED_CEEOL.glob("*.txt")) if SHARED_CEEOL.is_dir() else []
)
CSL_SCHEMA = json.loads((DATA / "csl-data.json").read_text(encoding="utf-8"))


def _record(path: Path) -> dict:
    return record_from_source(decode_source(str(path), path.read_bytes()))


def export(fmt: str, records: list[dict]) -> str:
    out = io.StringIO()
    get_exporter(fmt)(records, out)
    return out.getvalue()


def _unlatex(text: str) -> str:
    return re.sub(r"\\([&%$#_{}])", r"\1", text)


def _fold(text: str | None) -> str | None:
    return " ".join(text.split()) if text else None


EXPECTED_TYPES = {
    "journal": ("article", "article", "JOUR", "article-journal"),
    "book": ("incollection", "incollection", "CHAP", "chapter"),
    None: ("misc", "report", "RPRT", "report"),
}


@pytest.mark.parametrize("path", BIB_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["bibtex", "biblatex"])
def test_bibtex_round_trip(path, fmt):
    record = _record(path)
    lib = bibtexparser.parse_string(export(fmt, [record]))
    assert not lib.failed_blocks
    (entry,) = lib.entries
    f = {k: _unlatex(v.value) for k, v in entry.fields_dict.items()}
    bibtex_type, biblatex_type, _, _ = EXPECTED_TYPES[record["container_type"]]
    # BibTeX's @article and @incollection need an author and a journal or book: without
    # them the entry is a @misc that says where it appeared (styles stop otherwise)
    incomplete = not record["authors"] or not record["container_title"]
    if fmt == "bibtex" and incomplete and bibtex_type != "misc":
        bibtex_type = "misc"
        assert f["howpublished"]
    assert entry.entry_type == (bibtex_type if fmt == "bibtex" else biblatex_type)
    assert f["title"] == "{" + _fold(record["title"]) + "}"  # braced: never lower-cased
    if record["authors"]:
        names = [split_name(a["name"]) for a in record["authors"]]
        want = " and ".join(
            "{" + n.literal + "}" if n.literal else f"{n.family}, {n.given}" for n in names
        )
        assert f["author"] == want
    else:
        assert "author" not in f
    if record["abstract"]:
        assert f["abstract"] == _fold(record["abstract"])
    if record["year"]:
        assert f["date" if fmt == "biblatex" else "year"] == str(record["year"])
    if record["page_start"] and record["page_end"]:
        assert f["pages"] == f"{record['page_start']}--{record['page_end']}"
    container = {"journal": "journaltitle" if fmt == "biblatex" else "journal", "book": "booktitle"}
    if record["container_title"] and entry.entry_type == "misc":
        assert _fold(record["container_title"]) in f["howpublished"]
    elif record["container_title"]:
        assert f[container[record["container_type"]]] == _fold(record["container_title"])
    if record["keywords"]:
        assert f["keywords"] == ", ".join(record["keywords"])
    translated = record["title_translated"]
    if translated and translated != record["title"]:
        if fmt == "biblatex":
            assert f["titleaddon"] == f"[{_fold(translated)}]"
        else:
            assert f"English title: {_fold(translated)}" in f["note"]


@pytest.mark.parametrize("path", BIB_FILES, ids=lambda p: p.stem)
def test_ris_round_trip(path):
    record = _record(path)
    (entry,) = rispy.loads(export("ris", [record]))
    _, _, ris_type, _ = EXPECTED_TYPES[record["container_type"]]
    assert entry["type_of_reference"] == ris_type
    assert entry["title"] == _fold(record["title"])
    translated = record["title_translated"]
    if translated and translated != record["title"]:
        assert entry["translated_title"] == _fold(translated)
    assert entry.get("authors", []) == [
        n.literal or f"{n.family}, {n.given}"
        for n in (split_name(a["name"]) for a in record["authors"])
    ]
    if record["abstract"]:
        assert entry["abstract"] == _fold(record["abstract"])
        assert not entry["abstract"].startswith("Summary/Abstract")
    if record["container_title"]:
        key = "journal_name" if record["container_type"] == "journal" else "secondary_title"
        assert entry[key] == _fold(record["container_title"])
    assert entry.get("keywords", []) == record["keywords"]
    for ris_key, field in (("year", "year"), ("start_page", "page_start"), ("end_page", "page_end"),
                           ("volume", "volume"), ("number", "issue"), ("language", "language"),
                           ("publisher", "publisher"), ("doi", "doi"), ("issn", "issn")):  # fmt: skip
        if record[field] is not None:
            assert entry[ris_key] == str(record[field]), field


@pytest.mark.parametrize("path", BIB_FILES, ids=lambda p: p.stem)
def test_csl_json_is_valid_and_complete(path):
    record = _record(path)
    items = json.loads(export("csl-json", [record]))
    errors = list(Draft7Validator(CSL_SCHEMA).iter_errors(items))
    assert errors == []
    (item,) = items
    assert item["type"] == EXPECTED_TYPES[record["container_type"]][3]
    assert item["title"] == record["title"]
    if record["authors"]:
        assert [a.get("family") or a.get("literal") for a in item["author"]] == [
            (split_name(a["name"]).family or a["name"]) for a in record["authors"]
        ]
    if record["year"]:
        assert item["issued"]["date-parts"][0][0] == record["year"]
    if record["container_title"]:
        assert item["container-title"] == record["container_title"]
    translated = record["title_translated"]
    if translated and translated != record["title"]:
        assert item["custom"]["title-english"] == translated
        assert f"English title: {translated}" in item["note"]
    if record["abstract"]:
        assert item["abstract"] == record["abstract"]


@pytest.mark.parametrize("path", BIB_FILES, ids=lambda p: p.stem)
def test_dublin_core_round_trip(path):
    record = _record(path)
    root = etree.fromstring(export("dc", [record]).encode())
    (dc,) = root.findall(f"{{{OAI_DC}}}dc")

    def values(name):
        return [el.text for el in dc.findall(f"{{{DC}}}{name}")]

    assert values("title")[0] == _fold(record["title"])
    assert values("creator") == [_fold(a["name"]) for a in record["authors"]]
    assert set(values("subject")) >= set(record["subjects"]) | set(record["keywords"])
    if record["abstract"]:
        assert values("description") == [_fold(record["abstract"])]
    if record["year"]:
        assert values("date") == [str(record["year"])]
    assert [x["iso639_1"] for x in record["languages"]] == values("language")


def test_frus_documents_export_as_citations_in_their_volume():
    record = _record(FRUS_DIR / "frus1942v05_d255.txt")
    (entry,) = rispy.loads(export("ris", [record]))
    assert entry["type_of_reference"] == "GOVDOC"
    assert entry["secondary_title"] == "Foreign Relations of the United States, 1942, vol. V"
    assert entry["accession_number"] == "733.61/57"
    (item,) = json.loads(export("csl-json", [record]))
    assert Draft7Validator(CSL_SCHEMA).is_valid([item])
    assert item["archive_location"] == "733.61/57" and item["genre"] == "telegram"
    lib = bibtexparser.parse_string(export("biblatex", [_record(SEED_FRUS)]))
    f = lib.entries[0].fields_dict
    assert f["pages"].value == "1007--1009" and "860H.01/478" in f["note"].value


def test_exports_of_nothing_are_valid():
    assert json.loads(export("csl-json", [])) == []
    assert etree.fromstring(export("dc", []).encode()).tag == "records"
    assert export("ris", []) == "" and export("bibtex", []) == ""


def test_duplicate_citation_keys_get_letters():
    record = _record(CEEOL_DIR / "ceeol-popovic-2010-chapter.txt")
    keys = [e.key for e in bibtexparser.parse_string(export("bibtex", [record, record])).entries]
    assert keys == ["popovic2010prvi", "popovic2010prvia"]


def test_latex_specials_are_escaped():
    record = _record(CEEOL_DIR / "ceeol-popovic-2010-chapter.txt")
    record["title"] = "Profit & Loss: 50% of $_#"
    f = bibtexparser.parse_string(export("bibtex", [record])).entries[0].fields_dict
    assert f["title"].value == r"{Profit \& Loss: 50\% of \$\_\#}"


# -- names and the Chicago citation --------------------------------------------------------


@pytest.mark.parametrize("name,family,given", [
    ("Nikola B. Popović", "Popović", "Nikola B."), ("Jelka Piškurić", "Piškurić", "Jelka"),
    ("Ludwig van Beethoven", "van Beethoven", "Ludwig"), ("Popović, Nikola", "Popović", "Nikola"),
])  # fmt: skip
def test_names_split_where_safe(name, family, given):
    n = split_name(name)
    assert (n.family, n.given) == (family, given)


@pytest.mark.parametrize("name", ["Institut za noviju istoriju Srbije", "Plato", "John Smith Jr."])
def test_names_kept_whole_where_splitting_is_unsafe(name):
    assert split_name(name).literal == name


def test_chicago_page_ranges():
    cases = {("147", "158"): "147–58", ("101", "108"): "101–8", ("1007", "1009"): "1007–9",
             ("321", "328"): "321–28", ("498", "532"): "498–532", ("1536", "1538"): "1536–38",
             ("1496", "1504"): "1496–1504", ("71", "72"): "71–72", ("100", "104"): "100–104"}  # fmt: skip
    for (a, b), want in cases.items():
        assert chicago_pages(a, b) == want


def test_cite_chapter_article_and_frus():
    chapter = _record(CEEOL_DIR / "ceeol-popovic-2010-chapter.txt")
    assert cite(chapter) == (
        "Nikola B. Popović, “Први Титов сусрет са Стаљином [Tito’s First Meeting With Stalin],” "
        "in Ослобођење Београда 1944. (Institut za noviju istoriju Srbije, 2010), 147–58."
    )
    assert cite(chapter, "chicago-bibliography").startswith("Popović, Nikola B. “Први")
    article = _record(CEEOL_DIR / "article-1012503-zacasno-delo-nemcija.txt")
    assert cite(article).endswith("61, no. 1 (2021): 121–43.")
    assert "*Prispevki" in cite(article, markdown=True)
    frus = _record(FRUS_DIR / "frus1942v05_d255.txt")
    assert cite(frus) == (
        "The Secretary of State to the Ambassador in Uruguay (Dawson), telegram 385, Washington, "
        "June 25, 1942, Department of State file 733.61/57, in Foreign Relations of the United "
        "States, 1942, vol. V, doc. 255, "
        "https://history.state.gov/historicaldocuments/frus1942v05/d255."
    )
