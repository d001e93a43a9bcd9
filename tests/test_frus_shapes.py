"""Hard shapes of FRUS text met in real copies, each a small document with what it must give.

Real copies from the website are messier than the corpus: datelines and signatures lost,
no blank lines, headings and datelines split over lines, markers after spaces, page markers
glued to quotes. Add a case here whenever a new shape turns up.
"""

from __future__ import annotations

import pytest

from archivetool.enrich import received_date, source_citation
from archivetool.formats import frus
from archivetool.references import find_references
from archivetool.sources import decode_source
from conftest import record_from_source


def parse(text: str) -> dict:
    p = frus.parse(text)
    return {**p.fields, "_text": p.text, "_warnings": p.warnings}


def check(fields: dict, expected: dict) -> None:
    for key, want in expected.items():
        got = fields
        for part in key.split("."):
            got = got.get(part) if isinstance(got, dict) else None
        if isinstance(want, list) and want and isinstance(want[0], dict) and isinstance(got, list):
            got = [{k: g.get(k) for k in w} for g, w in zip(got, want, strict=False)] + got[
                len(want) :
            ]
        assert got == want, f"{key}: {got!r} != {want!r}"


CASES = {
    "no blank lines, dateline split in its time": (
        "740.0011 European War 1939/16440: Telegram\n"
        "The Ambassador in the United Kingdom (Winant) to the Secretary of State\n"
        "London, November 1, 1941—11\n"
        "a.m.\n"
        "[Received November 1—8:40 a.m.]\n"
        "5039. Eden told me this morning that the Soviet Ambassador had called.\n"
        "Winant\n",
        {
            "file_number": "740.0011 European War 1939/16440",
            "doc_type": "telegram",
            "place": "London",
            "date": "1941-11-01",
            "time": "11 a.m.",
            "received": "Received November 1—8:40 a.m.",
            "serial_number": "5039",
            "signed": "Winant",
        },
    ),
    "heading split over two lines": (
        "711.94/2344: Telegram\n\n"
        "The Secretary of State to the Ambassador in\n"
        "Japan (Grew)\n\n"
        "Washington, October 10, 1941—8 p.m.\n\n"
        "660. Your 1577, October 8.\n\nHull\n",
        {
            "title": "The Secretary of State to the Ambassador in Japan (Grew)",
            "recipient.name": "Grew",
            "recipient.role": "Ambassador in Japan",
            "serial_number": "660",
            "date": "1941-10-10",
        },
    ),
    "received printed twice": (
        "893.00/14870: Telegram\n"
        "The Ambassador in China (Gauss) to the Secretary of State\n"
        "[Received August 20—6:25 a.m.]\n"
        "[Received August 20—6:25 a.m.]\n"
        "954. Wong Wen-hao returned last week.\n",
        {"received": "Received August 20—6:25 a.m.", "serial_number": "954"},
    ),
    "opener lines before the heading": (
        "secret\n\n"
        "[Extract.]\n\n"
        "The Minister in Iran (Dreyfus) to the Secretary of State\n\n"
        "Tehran, May 3, 1942.\n\n"
        "No. 245\n\n"
        "Sir: I have the honor to report.\n\n"
        "Louis G. Dreyfus, Jr.\n",
        {
            "classification": "Secret",
            "sender.name": "Dreyfus",
            "sender.role": "Minister in Iran",
            "serial_number": "245",
            "doc_type": "despatch",
            "date": "1942-05-03",
        },
    ),
    "marker after a space and page marker glued to a quote": (
        "123.1/4: Telegram\n\n"
        "The Ambassador in Turkey (Steinhardt) to the Secretary of State 83\n\n"
        "Ankara, March 3, 1943—noon.\n\n"
        "201. The Minister said [Page 115]“For the present nothing.”84\n\n"
        "Steinhardt\n\n"
        "  1. Repeated to London.\n"
        "  2. Quoted from the note.\n",
        {
            "title": "The Ambassador in Turkey (Steinhardt) to the Secretary of State",
            "time": "noon",
            "page_breaks": [115],
        },
    ),
    "arrow footnotes with a continuation line": (
        "860H.01/500: Telegram\n"
        "The Ambassador in the United Kingdom (Winant) to the Secretary of State\n"
        "3400. We inquired of Sir Orme Sargent12 again.\n"
        "Winant\n"
        "- British Deputy Under Secretary of State,↩\n"
        "  in charge of the Southern Department.↩\n",
        {
            "footnotes": [
                {
                    "n": "12",
                    "marker_text": "Sir Orme Sargent",
                    "text": "British Deputy Under Secretary of State, in charge of the Southern Department.",
                }
            ]
        },
    ),
    "indented footnotes with a continuation line": (
        "860H.01/501: Telegram\n\n"
        "The Ambassador in the United Kingdom (Winant) to the Secretary of State\n\n"
        "3401. Colonel Bailey7 reports.\n\n"
        "Winant\n\n"
        "  1. British liaison officer\n"
        "with General Mihailović.\n",
        {
            "footnotes": [
                {
                    "n": "7",
                    "marker_text": "Colonel Bailey",
                    "text": "British liaison officer with General Mihailović.",
                }
            ]
        },
    ),
    "source note marked 0, listed as 1": (
        "45. Telegram From the Embassy in Yugoslavia to the Department of State0\n"
        "Belgrade, June 28, 1961, 8:19 p.m.\n"
        "1202. Tito spoke1 at length.\n"
        "Kennan\n"
        "  1. Source: Department of State, Central Files, 768.00/6–2861. Confidential.\n"
        "  2. At the party congress.\n",
        {
            "footnotes": [
                {
                    "n": "0",
                    "marker_text": "Department of State",
                    "text": "Source: Department of State, Central Files, 768.00/6–2861. Confidential.",
                },
                {"n": "1", "marker_text": "Tito spoke", "text": "At the party congress."},
            ],
            "file_number": "768.00/6–2861",
            "classification": "Confidential",
            "time": "8:19 p.m.",
            "date": "1961-06-28",
            "serial_number": "1202",
            "signed": "Kennan",
        },
    ),
    "day month year dateline": (
        "Roosevelt Papers: Telegram\n\n"
        "The Prime Minister (Churchill) to President Roosevelt\n\n"
        "London, 17 July 1944.\n\n"
        "733. I am glad.\n\n"
        "Winston\n",
        {
            "file_number": None,
            "source_note": "Roosevelt Papers: Telegram",
            "doc_type": "telegram",
            "date": "1944-07-17",
            "place": "London",
            "recipient.name": "Roosevelt",
            "recipient.role": "President",
            "sender.role": "Prime Minister",
            "sender.name": "Churchill",
        },
    ),
    "nineteenth-century telegram inside the body with asterisk markers": (
        "No. 12.\n"
        "Mr. Bayard to Mr. West.\n"
        "[Telegram.—Paraphrase.]\n"
        "Department of State,\n"
        "Washington, May 27, 1887. (Received May 27.)\n"
        "The President has the matter under consideration.*\n"
        "BAYARD.\n"
        "  1. Not printed.\n",
        {
            "doc_type": "telegram",
            "printed_number": "12",
            "title": "No. 12. Mr. Bayard to Mr. West.",
            "sender.name": "Mr. Bayard",
            "received": "Received May 27",
            "footnotes": [
                {"n": "*", "marker_text": "matter under consideration.", "text": "Not printed."}
            ],
            "signed": "BAYARD.",
        },
    ),
    "several recipients": (
        "740.0011 European War 1939/30000: Telegram\n\n"
        "The Secretary of State to the Ambassadors in the United Kingdom (Winant) and the Soviet Union (Harriman)\n\n"
        "Washington, May 10, 1943—7 p.m.\n\n"
        "3000. For your information.\n\nHull\n",
        {
            "recipient": [
                {
                    "name": "Winant",
                    "role": "Ambassador in the United Kingdom",
                    "post": "United Kingdom",
                },
                {
                    "name": "Harriman",
                    "role": "Ambassador in the Soviet Union",
                    "post": "Soviet Union",
                },
            ]
        },
    ),
    "enclosure title and signature are not the document's": (
        "File No. 812.00/1000\n\n"
        "The Ambassador in Mexico (Fletcher) to the Secretary of State\n\n"
        "Mexico, June 1, 1917.\n[Received June 9.]\n\nNo. 123\n\n"
        "Sir: I have the honor to enclose a note.\n\n"
        "I have [etc.]\n\nHenry P. Fletcher\n\n"
        "[Enclosure—Translation]\n\n"
        "The Mexican Minister for Foreign Affairs (Aguilar) to the American Ambassador (Fletcher)\n\n"
        "Mexico, May 30, 1917.\n\nExcellency: I have the honor.\n\nC. Aguilar\n",
        {
            "signed": "Henry P. Fletcher",
            "date": "1917-06-01",
            "serial_number": "123",
            "sender.name": "Fletcher",
            "doc_type": "despatch",
        },
    ),
    "airgram number": (
        "611.61/1–2955\n\n"
        "The Embassy in the Soviet Union to the Department of State\n\n"
        "Moscow, January 29, 1955.\n\n"
        "A–139\n\n"
        "Subject: Soviet press.\n\n",
        {"serial_number": "A–139"},
    ),
    "memorandum of conversation with a spaced name": (
        "893.00/14882\n"
        "Memorandum of Conversation, by the Ambassador in China ( Gauss )\n"
        "[Chungking,] August 13, 1942.\n"
        "The Generalissimo called.\n",
        {
            "doc_type": "memorandum_of_conversation",
            "sender.name": "Gauss",
            "title": "Memorandum of Conversation, by the Ambassador in China (Gauss)",
            "place": "Chungking",
            "recipient": None,
        },
    ),
    "dateline and signature lost": (
        "893.00/14871: Telegram\n"
        "The Ambassador in China ( Gauss ) to the Secretary of State\n"
        "[Received 10:35 p.m.]\n"
        "971. Reference Embassy’s 954, August 19, 1 p.m. Responsible Russian official commented.\n",
        {"date": None, "place": None, "time": None, "signed": None, "serial_number": "971"},
    ),
    "consul general post": (
        "867.00/3000\n\nThe Consul General at Istanbul (Berry) to the Secretary of State\n\n"
        "Istanbul, March 2, 1944.\n\nNo. 55\n\nSir: I have the honor.\n\nBurton Y. Berry\n",
        {
            "sender.role": "Consul General at Istanbul",
            "sender.post": "Istanbul",
            "doc_type": "despatch",
        },
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_shape(name):
    text, expected = CASES[name]
    check(parse(text), expected)


def test_time_with_spaced_meridiem_and_midnight():
    a = parse(
        "X/1: Telegram\nThe Secretary of State to the Embassy in Iran\n"
        "Washington, August 6, 1948—7 p. m.\n753. Text.\n"
    )
    assert a["time"] == "7 p. m."
    b = parse(
        "X/1: Telegram\nThe Secretary of State to the Embassy in Iran\n"
        "Washington, December 22,\n1943—midnight.\n1085. Text.\n"
    )
    assert (b["date"], b["time"]) == ("1943-12-22", "midnight")


def test_date_in_the_closing_lines():
    f = parse(
        "846B.014/8–2748\n\nThe Department of State to the British Embassy\n\n"
        "Aide-Mémoire\n\nThe Department acknowledges the receipt of the note.\n\n"
        "Washington, [September 17, 1948.]\n"
    )
    assert (f["place"], f["date"]) == ("Washington", "1948-09-17")
    assert f["doc_type"] == "note"


def test_page_offsets_point_where_the_page_turns():
    p = frus.parse(
        "X/1: Telegram\nThe Secretary of State to the Embassy in Iran\n"
        "5. First part [Page 12]second part.\n[Page 13]\nThird paragraph.\n"
    )
    text = p.text
    offsets = dict(p.fields["page_offsets"])
    assert text[offsets[12] :].startswith("second part")
    assert text[offsets[13] :].startswith("Third paragraph")
    assert "[Page" not in text


# -- derived fields ---------------------------------------------------------------------


def _record(text: str) -> dict:
    return record_from_source(decode_source("t.txt", text.encode()))


def test_received_date_knows_the_year_from_the_dateline():
    assert received_date("Received May 10—5:48 p.m.", "1943-05-10") == "1943-05-10"
    assert received_date("Received January 3", "1942-12-29") == "1943-01-03"
    assert received_date("Received July 28, 5:30 p.m.", "1914-07-27") == "1914-07-28"
    assert received_date("Received 8:18 p.m.", "1942-06-09") == "1942-06-09"
    assert received_date("Received May 27", None) is None


def test_date_inferred_from_the_file_number_never_overwrites_date():
    r = _record(
        "891.20/9–348: Telegram\nThe Ambassador in Iran (Wiley) to the Secretary of State\n"
        "top secret\n1041. Forgot to report.\nWiley\n"
    )
    assert (r["date"], r["date_inferred"], r["date_source"]) == (None, "1948-09-03", "file_number")
    r = _record(
        "891.20/9–348: Telegram\nThe Ambassador in Iran (Wiley) to the Secretary of State\n"
        "Tehran, September 3, 1948—1 p. m.\n1041. Forgot.\n"
    )
    assert (r["date"], r["date_inferred"], r["date_source"]) == ("1948-09-03", None, None)


def test_date_inferred_from_the_received_line_when_the_year_is_known():
    r = _record(
        "File No. 763.72/12\nThe Ambassador in Austria-Hungary (Penfield) to the Secretary of State\n"
        "[Received July 28, 1914, 5:30 p.m.]\n[Telegram]\nWar certain.\n"
    )
    assert (r["date_inferred"], r["date_source"]) == ("1914-07-28", "received")


def test_source_citation():
    assert (
        source_citation(
            "Source: Department of State, Central Files, 611.61/1–2955. Secret. Drafted by Smith."
        )
        == "Department of State, Central Files, 611.61/1–2955"
    )
    assert (
        source_citation("Source: Eisenhower Library, Whitman File, Eisenhower Diaries. Top Secret.")
        == "Eisenhower Library, Whitman File, Eisenhower Diaries"
    )
    assert (
        source_citation(
            "Source: National Archives, RG 218, JCS Files: CCS 381 Lebanon (5–13–58) Sec. 3. Top Secret; Emergency."
        )
        == "National Archives, RG 218, JCS Files: CCS 381 Lebanon (5–13–58) Sec. 3"
    )
    assert source_citation("860H.01/478: Telegram") is None


# -- cross-references ----------------------------------------------------------------------


def _refs(text, **kw):
    return [
        (r["kind"], r["number"], r["date"], r["time"], r["party"], r["text"])
        for r in find_references(text, **kw)
    ]


def test_the_seed_telegrams_four_references():
    from conftest import SEED_FRUS

    record = _record(SEED_FRUS.read_text(encoding="utf-8"))
    got = {
        (r["kind"], r["number"], r["date"], r["time"], r["party"], r["text"])
        for r in record["references"]
    }
    assert got == {
        (
            "telegram",
            "3",
            "March 30",
            "midnight",
            "Ambassador Biddle",
            "Ambassador Biddle’s telegram No. 3, March 30, midnight",
        ),
        ("telegram", "DVK 33", None, None, "your", "your telegram DVK 33"),
        (
            "telegram",
            "2041",
            "March 23",
            "10 p.m.",
            "Embassy",
            "Embassy’s telegram No. 2041, March 23, 10 p.m.",
        ),
        ("note", None, "the 6th April", None, "your", "your note of the 6th April"),
    }
    for r in record["references"]:
        assert record["text"][r["start"] : r["end"]] == r["text"]


@pytest.mark.parametrize("text,want", [
    ("Reference your 3272, July 15, 9 p.m. I saw him.", ("telegram", "3272", "July 15", "9 p.m.", "your", "your 3272, July 15, 9 p.m.")),
    ("See my 6266, September 19.", ("telegram", "6266", "September 19", None, "my", "my 6266, September 19")),
    ("Department’s 7184, November 13, was read.", ("telegram", "7184", "November 13", None, "Department", "Department’s 7184, November 13")),
    ("Deptel 123 is answered.", ("telegram", "123", None, None, "Department", "Deptel 123")),
    ("Embtel 456 gave the figures.", ("telegram", "456", None, None, "Embassy", "Embtel 456")),
    ("ReDeptel 678, July 15. Iran Emb attorney.", ("telegram", "678", "July 15", None, "Department", "ReDeptel 678, July 15")),
    ("in my despatch No. 4582 of September 24, 1943 I", ("despatch", "4582", "September 24, 1943", None, "my", "my despatch No. 4582 of September 24, 1943")),
    ("your Airgram no. A–2400, December 1, 4 p.m. was", ("airgram", "A–2400", "December 1", "4 p.m.", "your", "your Airgram no. A–2400, December 1, 4 p.m.")),
])  # fmt: skip
def test_reference_forms(text, want):
    assert want in _refs(text)


def test_a_list_of_telegrams_gives_one_reference_each():
    got = _refs("Soviet activities reported Embtels 874, July 25; 924, August 5; 936 August 10.")
    assert [g[1] for g in got] == ["874", "924", "936"]


def test_not_printed_footnote_marks_the_reference():
    r = _record(
        "File No. 711.0012/593\nThe Minister in Belgium (Whitlock) to the Secretary of State\n"
        "Brussels, November 16, 1914.\nNo. 12]\nMy dear Mr. Secretary: Referring to your telegram "
        "of August 17, 7 p.m.,1 I beg to transmit.\nBrand Whitlock\n  1. Not printed.\n"
    )
    (ref,) = r["references"]
    assert ref["not_printed"] is True and ref["date_iso"] == "1914-08-17"


OLD_DESPATCH = (
    "No. 12.\nMr. Adams to Mr. Seward.\n\n[Extract.]\n\nLegation of the United States,\n"
    "London, January 5, 1861. (Received January 21.)\n\nNo. 3.]\n\n"
    "Sir: I have the honor to acknowledge the receipt of despatches Nos. 3 and 4.\n\n"
    "I have the honor to be, sir, your obedient servant,\n\nCHARLES FRANCIS ADAMS.\n\n"
    "Hon. William H. Seward,\nSecretary of State, Washington.\n"
)
OLD_INSTRUCTION = (
    "No. 13.\nMr. Seward to Mr. Adams.\n\nNo. 15.]\n\nDepartment of State,\n"
    "Washington, January 20, 1861.\n\nSir: Your despatch No. 3 has been received, and the "
    "views it expresses are approved.\n\nI am, sir, your obedient servant,\n\n"
    "WILLIAM H. SEWARD.\n\nCharles Francis Adams, Esq., &c., &c., &c.\n"
)


def test_addressee_under_the_signature_is_not_the_signature():
    f = parse(OLD_DESPATCH)
    assert f["signed"] == "CHARLES FRANCIS ADAMS."
    assert (f["doc_type"], f["place"], f["date"], f["serial_number"]) == (
        "despatch",
        "London",
        "1861-01-05",
        "3",
    )
    assert f["received"] == "Received January 21"
    g = parse(OLD_INSTRUCTION)
    assert g["signed"] == "WILLIAM H. SEWARD."


def test_department_to_its_own_minister_is_an_instruction():
    assert parse(OLD_INSTRUCTION)["doc_type"] == "instruction"
    note = OLD_INSTRUCTION.replace("Your despatch No. 3 has", "Your note of the 3d instant has")
    assert parse(note.replace("No. 15.]\n\n", ""))["doc_type"] == "note"


def test_numbered_points_ending_a_copy_are_not_footnotes():
    text = (
        "711.94/1: Telegram\nThe Secretary of State to the Ambassador in Japan (Grew)\n"
        "Washington, May 1, 1941—6 p.m.\n200. Please make the following points:\n"
        "1. The Government will not recognise the change.\n2. It reserves all its rights.\n"
    )
    f = parse(text)
    assert f["footnotes"] == []
    assert "It reserves all its rights." in f["_text"]


def test_unindented_footnotes_with_markers_are_footnotes():
    text = (
        "711.94/1: Telegram\nThe Secretary of State to the Ambassador in Japan (Grew)\n"
        "Washington, May 1, 1941—6 p.m.\n200. Your 1577, April 28,12 is answered.\nHull\n"
        "1. Not printed.\n"
    )
    assert [(n["n"], n["text"]) for n in parse(text)["footnotes"]] == [("12", "Not printed.")]


def test_place_names_with_articles():
    f = parse(
        "Roosevelt Papers\n\nPresident Roosevelt to Prime Minister Churchill\n\n"
        "On Board the U.S.S. Quincy, February 5, 1945.\n\nI agree.\n\nRoosevelt\n"
    )
    assert (f["place"], f["date"]) == ("On Board the U.S.S. Quincy", "1945-02-05")
    g = parse(
        "File No. 1\nThe Minister in Chile (Fletcher) to the Secretary of State\n"
        "American Legation,\nSantiago de Chile, May 3, 1912.\nNo. 4]\nSir: Report.\n"
    )
    assert g["place"] == "Santiago de Chile"


def test_lettered_telegram_series():
    f = parse(
        "396.1 GE/5–2554: Telegram\n\nThe Secretary of State to the Department of State\n\n"
        "Geneva, May 25, 1954—midnight.\n\nSecto 312. Eden called.\n\nDulles\n"
    )
    assert (f["serial_number"], f["time"]) == ("Secto 312", "midnight")


@pytest.mark.parametrize("heading,kind", [
    ("12. Action Memorandum From the Assistant Secretary of State for European Affairs (Kohler) to Secretary of State Rusk", "memorandum"),
    ("13. National Intelligence Estimate", "report"),
    ("14. Special National Intelligence Estimate", "report"),
    ("15. Memorandum for the Record", "memorandum"),
    ("16. Circular Telegram From the Department of State to All Diplomatic Posts", "circular"),
    ("17. Airgram From the Embassy in Yugoslavia to the Department of State", "airgram"),
    ("18. Despatch From the Embassy in Yugoslavia to the Department of State", "despatch"),
])  # fmt: skip
def test_later_volume_headings(heading, kind):
    assert (
        parse(heading + "\nWashington, May 1, 1962.\nText of the document.\n")["doc_type"] == kind
    )


def test_letter_markers_of_the_oldest_volumes():
    text = (
        "No. 5.\nMr. Seward to Mr. Adams.\nDepartment of State,\nWashington, May 1, 1861.\n"
        "Sir: The treaty was signed.a The ratification followed,b as you know.\n"
        "WILLIAM H. SEWARD.\n  1. Not found.\n  2. See p. 12.\n"
    )
    assert [n["n"] for n in parse(text)["footnotes"]] == ["a", "b"]


def test_document_number_on_a_line_of_its_own():
    f = parse(
        "110.\nTelegram From the Department of State to the Embassy in Lebanon1\n"
        "Washington, June 29, 1958—11:35 a.m.\n5080. View fact.\nDulles\n"
        "  1. Source: Department of State, Central Files, 783A.00/6–2858. Top Secret.\n"
    )
    assert f["title"] == "110. Telegram From the Department of State to the Embassy in Lebanon"
    assert (f["doc_number"], f["doc_type"], f["serial_number"]) == ("110", "telegram", "5080")


@pytest.mark.parametrize("line,name", [("top secret—eyes only", "Top Secret"), ("Secret; Priority", "Secret"),
                                       ("confidential", "Confidential"), ("Strictly confidential", "Strictly Confidential"),
                                       ("personal and secret", "Personal and Secret")])  # fmt: skip
def test_classification_lines(line, name):
    f = parse(
        f"X/1: Telegram\nThe Secretary of State to the Embassy in Iran\n{line}\n"
        "Washington, May 1, 1948—7 p. m.\n753. Text.\n"
    )
    assert f["classification"] == name


def test_a_legations_note_to_a_foreign_minister_is_a_note():
    note = (
        "No. 71.\nMr. Holcombe to Prince Kung.\n\nLegation of the United States,\n"
        "Peking, December 8, 1881.\n\nYour Imperial Highness: I have the honor to inform you.\n\n"
        "CHESTER HOLCOMBE.\n"
    )
    assert parse(note)["doc_type"] == "note"
    assert parse(note.replace("Your Imperial Highness:", "Sir:"))["doc_type"] == "despatch"
