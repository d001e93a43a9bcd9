"""CEEOL record shapes and the script work: every variant a small record with what it gives."""

from __future__ import annotations

import pytest

from archivetool.scripts import (
    guess_cyrillic_language,
    language_codes,
    script_of,
    to_latin,
    transliterate,
)
from archivetool.sources import decode_source
from archivetool.validate import check_record
from conftest import record_from_source


def rec(text: str) -> dict:
    record = record_from_source(decode_source("r.txt", text.encode()))
    assert check_record(record) == []
    return record


BASE = (
    "Naslov\nThe Title\nAuthor(s): Ana Anić\nSubject(s): History\n"
    "Published by: Institut\nSummary/Abstract: An abstract.\n"
)


def test_label_glued_to_the_previous_value():
    r = rec(
        "Title\nTitle\nAuthor(s): Dimitar MitevSubject(s): History, Political history\n"
        "Published by: X\nSummary/Abstract: Text.\n"
    )
    assert [a["name"] for a in r["authors"]] == ["Dimitar Mitev"]
    assert r["subjects"] == ["History", "Political history"]


def test_contributors_with_roles_and_editors():
    r = rec(BASE + "Contributor(s): Petar Petrović (Editor), Jana Novak (Translator)\n")
    assert r["editors"] == [{"name": "Petar Petrović"}]
    assert [(c["name"], c["role"]) for c in r["contributors"]] == [
        ("Petar Petrović", "Editor"),
        ("Jana Novak", "Translator"),
    ]


def test_one_title_line_or_the_same_title_twice():
    one = rec("Only Title\nAuthor(s): A B\nSummary/Abstract: x.\n")
    assert (one["title"], one["title_translated"]) == ("Only Title", None)
    two = rec("Same\nSame\nAuthor(s): A B\nSummary/Abstract: x.\n")
    assert two["title_translated"] == "Same"


def test_subject_terms_with_commas_and_keywords_with_or_without_semicolon():
    r = rec(
        "T\nT\nSubject(s): Law, Constitution, Jurisprudence, Geography, Regional studies, History\n"
        "Keywords: a; b;\nSummary/Abstract: x.\n"
    )
    assert r["subjects"] == [
        "Law, Constitution, Jurisprudence",
        "Geography, Regional studies",
        "History",
    ]
    assert r["keywords"] == ["a", "b"]
    assert rec("T\nKeywords: a; b\nSummary/Abstract: x.\n")["keywords"] == ["a", "b"]


def test_issue_year_with_volume_and_double_issue():
    r = rec(
        BASE
        + "Journal: Istorija 20. veka\n- Issue Year: 61/2021\n- Issue No: 1-2\n- Page Range: 9-36\n- Page Count: 28\n- Language: Serbian\n"
    )
    assert (r["volume"], r["year"], r["issue"], r["container_type"]) == (
        "61",
        2021,
        "1-2",
        "journal",
    )
    assert (r["page_start"], r["page_end"], r["page_count"]) == ("9", "36", 28)


def test_placeholder_authors_are_no_authors():
    for placeholder in ("Author Not Specified", "Specified No Author"):
        r = rec(f"T\nAuthor(s): {placeholder}\nSummary/Abstract: x.\n")
        assert r["authors"] == []


def test_two_languages_are_kept_as_printed_and_coded():
    r = rec(BASE + "- Page Count: 11\n- Publication Year: 2009\n- Language: English, Serbian\n")
    assert r["language"] == "English, Serbian"
    assert [x["iso639_1"] for x in r["languages"]] == ["en", "sr"]
    assert r["container_type"] is None  # a whole item, not a chapter


def test_page_count_contradicting_the_range_is_kept_with_a_warning():
    r = rec(BASE + "- Issue Year: 2014\n- Page Range: 199-213\n- Page Count: 1\n")
    assert r["page_count"] == 1
    assert any("contradicts" in w for w in r["warnings"])


def test_page_clutter_is_ignored_with_a_note():
    r = rec(
        "Naslov\nCover Image\nThe Title\nAuthor(s): A B\nPrice 5.00 €\nSummary/Abstract: x.\n"
        "Toggle Accessibility Mode\n- Publication Year: 2010\n"
    )
    assert r["title_translated"] == "The Title"
    assert any("clutter" in w and "Price 5.00 €" in w for w in r["warnings"])


def test_record_cut_mid_field():
    r = rec(BASE + "Journal: X\n- Issue Year: 2000\n- Language\n")
    assert r["language"] is None
    assert any("cut off" in w for w in r["warnings"])


def test_content_file():
    assert rec(BASE + "- Content File-PDF\n")["content_file"] == "PDF"


def test_doi_and_issn_when_printed():
    r = rec(BASE + "Journal: J\n- ISSN: 0350-5561\n- DOI: 10.5937/abc-123\n")
    assert (r["issn"], r["doi"]) == ("0350-5561", "10.5937/abc-123")


# -- scripts ------------------------------------------------------------------------------


def test_serbian_title_in_latin():
    r = rec(
        "Први Титов сусрет са Стаљином\nTito’s First Meeting With Stalin\nAuthor(s): Никола Поповић\n"
        "Summary/Abstract: x.\n- Language: Serbian\n"
    )
    assert r["title_latin"] == "Prvi Titov susret sa Staljinom"
    assert (r["title_script"], r["title_translated_script"]) == ("Cyrl", "Latn")
    assert r["authors"][0]["name_latin"] == "Nikola Popović"
    assert (r["language_code"], r["language_code_639_2b"]) == ("sr", "srp")


def test_bulgarian_is_never_read_with_the_serbian_table():
    latin, table = to_latin("Българската държава", "Bulgarian")
    assert (latin, table) == ("Balgarskata darzhava", "bg")
    assert to_latin("Щастие", "Serbian")[1] == "sr"  # as the record says
    assert transliterate("Щастие", "bg") == "Shtastie"


def test_macedonian_and_russian_tables():
    assert to_latin("Ѓорѓи Ќосе", "Macedonian")[0] == "Ǵorǵi Ḱose"
    assert to_latin("Хрущёв", "Russian")[0] == "Khrushchyov"


def test_capital_digraphs():
    assert transliterate("ЉУБАВ", "sr") == "LJUBAV"
    assert transliterate("Љубав", "sr") == "Ljubav"
    assert transliterate("НАЦИОНАЛИЗАЦИЈА", "sr") == "NACIONALIZACIJA"


def test_language_is_guessed_from_letters_when_not_printed():
    assert guess_cyrillic_language("Ђорђе") == "sr"
    assert guess_cyrillic_language("Съединение") == "bg"
    assert guess_cyrillic_language("Вызов") == "ru"


def test_mixed_script_word_is_a_warning():
    r = rec(
        "Историја\nAuthor(s): A B\nPublished by: Историјски институт Црне Горe\nSummary/Abstract: x.\n"
    )
    assert any("mixed Cyrillic and Latin" in w and "Горe" in w for w in r["warnings"])


@pytest.mark.parametrize(
    "name,codes",
    [
        ("German", ("de", "ger")),
        ("Slovenian", ("sl", "slv")),
        ("Czech", ("cs", "cze")),
        ("Romanian", ("ro", "rum")),
    ],
)
def test_language_codes(name, codes):
    (entry,) = language_codes(name)
    assert (entry["iso639_1"], entry["iso639_2b"]) == codes


def test_script_of():
    assert script_of("Ελληνικά") == "Grek"
    assert script_of("123") is None


def test_issn_variants_and_isbn():
    r = rec(BASE + "Journal: J\n- Print ISSN: 0350-5561\n- Online ISSN: 2406-1026\n")
    assert (r["issn"], r["eissn"]) == ("0350-5561", "2406-1026")
    assert rec(BASE + "Book: B\n- ISBN: 978-86-7005-000-0\n")["isbn"] == "978-86-7005-000-0"


def test_lines_below_the_abstract_are_kept_apart():
    r = rec("T\nAuthor(s): A B\nSummary/Abstract: First paragraph.\nSecond paragraph.\n")
    assert r["abstract"] == "First paragraph."
    assert r["abstract_continued"] == "Second paragraph."
    assert any("abstract_continued" in w for w in r["warnings"])
