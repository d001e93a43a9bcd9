"""Each FRUS field reader on its own, over a Segments value; then the hard shapes seen on
real copies and unseen volumes, through segment()."""

from __future__ import annotations

import pytest

from archivetool.errors import ParseError
from archivetool.formats.frus import parse, segment
from archivetool.formats.frus import readers as rd
from archivetool.formats.frus.dates import read_dateline
from archivetool.formats.frus.footnotes import split_footnotes
from archivetool.formats.frus.lines import is_classification, is_handling, parse_source_line
from archivetool.formats.frus.parties import parse_heading_parties
from archivetool.formats.frus.register import chief_under, offices_of
from archivetool.formats.frus.segments import Footnote, Segments, Stated


def seg(heading: str, **parts) -> Segments:
    return Segments(heading=heading, **parts)


# --- readers over Segments ---------------------------------------------------------------


def test_read_numbers_printed_and_document_number():
    assert rd.read_numbers(seg("Mr. King to Mr. Hay.", number_line="No. 49")) == ("49", None)
    assert rd.read_numbers(seg("110. Telegram From the Embassy to the Department")) == (None, "110")


def test_read_title_joins_the_number_line():
    assert rd.read_title(seg("Mr. King to Mr. Hay.", number_line="No. 64.")) == (
        "No. 64. Mr. King to Mr. Hay."
    )


def test_read_source_from_line_and_source_footnote():
    s = seg("x", source_lines=("860H.01/478: Telegram",))
    assert rd.read_source(s) == ("860H.01/478: Telegram", "860H.01/478", "telegram")
    note = "Source: Department of State, Central Files, POL 23–9 LAOS. Secret; Flash."
    s = seg("x", footnotes=(Footnote("1", note),))
    assert rd.read_source(s)[1] == "POL 23–9 LAOS"
    assert rd.read_classification(s, note) == "Secret"


def test_read_dateline_fields_prefers_the_dateline_then_the_closing_one():
    s = seg("A to B", datelines=("Moscow, June 6, 1967,5:34 a.m.",))
    d = rd.read_dateline_fields(s, "A to B")
    assert (d.place, d.date, d.time) == ("Moscow", "1967-06-06", "5:34 a.m.")
    s = seg("A to B", closing_dateline="Washington, September 17, 1948.")
    assert rd.read_dateline_fields(s, "A to B").date == "1948-09-17"


def test_stated_place_and_date_win():
    s = seg("A to B", datelines=("London, May 1, 1943.",),
            stated=Stated(place="Londres", date="1943-05-02"))  # fmt: skip
    d = rd.read_dateline_fields(s, "A to B")
    assert (d.place, d.date) == ("Londres", "1943-05-02")


def test_read_received_first_of_several():
    assert rd.read_received(seg("x", received=("Received May 7.", "Received May 8."))) == (
        "Received May 7"
    )


def test_read_doc_type_from_heading_source_and_parties():
    parties = parse_heading_parties("The Secretary of State to Certain Diplomatic Missions")
    assert rd.read_doc_type(seg("x"), parties, "circular telegram") == "circular"
    p = parse_heading_parties("The Counselor (Polk) to the Assistant Secretary (Leffingwell)")
    assert rd.read_doc_type(seg("x", salutation="My Dear Mr. Leffingwell:"), p, None) == "letter"
    p = parse_heading_parties("Mr. Gresham to Mr. Denby")
    numbered = seg("Mr. Gresham to Mr. Denby", openers=("No. 972.]",), salutation="Sir:")
    assert rd.read_doc_type(numbered, p, None) == "instruction"
    assert rd.read_doc_type(seg("Mr. Denby to Mr. Gresham"),
                            parse_heading_parties("Mr. Denby to Mr. Gresham"), None) == "other"  # fmt: skip


def test_read_serial_forms():
    assert rd.read_serial(seg("x", openers=("No. 691.]",)), "despatch") == "691"
    assert rd.read_serial(seg("x", first_paragraph="DIR 16556. 1. State has"), "telegram") == (
        "DIR 16556"
    )
    personal = "Prime Minister to President Personal and Top Secret No. 732."
    assert rd.read_serial(seg("x", first_paragraph=personal), "telegram") == "732"
    assert (
        rd.read_serial(seg("x", first_paragraph="Telegram 1219 to Geneva. Text."), "telegram")
        is None
    )


def test_read_signed_and_pages():
    s = seg("x", signature=("DAVID B. SICKELS,", "United States Consul."), page_breaks=(40, 41))
    assert rd.read_signed(s) == "DAVID B. SICKELS,\nUnited States Consul."
    assert rd.read_pages(s)["page_start"] == 39


def test_read_parties_completes_a_cut_heading_from_the_address():
    s = seg("Mr. Evarts to the Minister of Foreign Affairs of",
            first_paragraph="To His Excellency", text="To His Excellency the Phraklang, Minister "
            "for Foreign Affairs for the Government of Siam:")  # fmt: skip
    parties = rd.read_parties(s)
    assert parties.recipients[0].role == "Minister of Foreign Affairs of Siam"
    assert parties.warnings


# --- line tests and vocabularies --------------------------------------------------------


@pytest.mark.parametrize("line", ["secret", "confidential us urgent", "Top Secret—Eyes Only",
                                  "Personal and Secret", "SECRET"])  # fmt: skip
def test_classification_lines(line):
    assert is_classification(line)


def test_handling_lines_are_not_body():
    assert is_handling("niact") and is_handling("priority") and not is_handling("Nothing new.")


def test_source_lines():
    assert parse_source_line("File No. 701.5212/36.").file_number == "701.5212/36"
    assert parse_source_line("893.001L76/1").file_number == "893.001L76/1"
    assert (
        parse_source_line("Conference files, lot 59 D 95, CF 156: Telegram").doc_type == "telegram"
    )
    assert parse_source_line("The Secretary of State to the Embassy") is None


@pytest.mark.parametrize("heading,sender,recipient", [
    ("Prime Minister Churchill to President Roosevelt", ("Churchill", "Prime Minister"), ("Roosevelt", "President")),
    ("Secretary of Defense Brown to President Carter", ("Brown", "Secretary of Defense"), ("Carter", "President")),
    ("Minister Reinsch to the Secretary of State", ("Reinsch", "Minister"), (None, "Secretary of State")),
    ("The Secretary of State to Certain Diplomatic Missions", (None, "Secretary of State"), (None, "Certain Diplomatic Missions")),
    ("Mr. King to Mr. Hay", ("Mr. King", None), ("Mr. Hay", None)),
    ("Telegram From the Central Intelligence Agency [text not declassified]", (None, "Central Intelligence Agency"), None),
    ("Memorandum to Robert Ford of the Central Intelligence Agency", None, ("Robert Ford", "Central Intelligence Agency")),
    ("The Ambassador to the Polish Government in Exile (Biddle) to the Secretary of State",
     ("Biddle", "Ambassador to the Polish Government in Exile"), (None, "Secretary of State")),
    ("Mr. Lauchlin Currie, Administrative Assistant to President Roosevelt, to the Secretary of State",
     ("Mr. Lauchlin Currie", "Administrative Assistant to President Roosevelt"), (None, "Secretary of State")),
    ("Telegram 1219 to Geneva", None, (None, "Geneva")),
])  # fmt: skip
def test_heading_parties(heading, sender, recipient):
    p = parse_heading_parties(heading)
    got_s = (p.sender.name, p.sender.role) if p.sender else None
    got_r = (p.recipients[0].name, p.recipients[0].role) if p.recipients else None
    assert (got_s, got_r) == (sender, recipient)


def test_register_tells_who_held_office():
    assert "secretary" in offices_of("Mr. Gresham", "1894-06-01")
    assert "secretary" not in offices_of("Mr. Gresham", "1900-01-01")
    assert chief_under("Mr. Gresham", "Mr. Denby")
    assert not chief_under("Mr. Fish", "Mr. Thornton")


def test_dateline_with_edited_day_and_day_month_order():
    assert read_dateline("Baghdad, February 17 [12], 1936.").date == "1936-02-17"
    assert read_dateline("[Aboard the Presidential Special,] 17 July 1944.").place == (
        "Presidential Special"
    )


def test_cut_arrow_footnote_list_drops_the_last_note():
    lines = ["Text.1", "- Source: A.↩", "-", "Two paragraphs", "of a note.", "↩ - Printed from"]
    _, items, style = split_footnotes(lines)
    assert style == "arrow" and [i.text for i in items][:2] == [
        "Source: A.",
        "Two paragraphs of a note.",
    ]


# --- hard shapes, through the whole reader ----------------------------------------------


def test_marker_glued_to_the_received_line():
    f = parse("711.00/1: Telegram\n\nThe Ambassador in Japan (Grew) to the Secretary of State\n\n"
              "Tokyo, July 22, 1927—6 p.m.\n[Received 7 p.m.75]\n\n101. Text follows.\n\nGrew\n\n"
              "  1. Telegram in three sections.\n").fields  # fmt: skip
    assert f["received"] == "Received 7 p.m."
    assert [n["n"] for n in f["footnotes"]] == ["75"]


def test_heading_broken_inside_a_name_and_hard_wrapped_body():
    f = parse("Mr. King to Mr.\nHay.\nLegation of the United States,\nBangkok, June 17,\n1902.\n"
              "Sir: On May 25 the following cable\nwas received.\nI have, etc.,\n"
              "Hamilton King.\n").fields  # fmt: skip
    assert (f["title"], f["place"], f["date"]) == ("Mr. King to Mr. Hay.", "Bangkok", "1902-06-17")
    assert f["doc_type"] == "despatch"


def test_enclosure_signature_is_not_the_documents():
    s = segment("Mr. A to Mr. B.\nWashington, May 1, 1870.\nSir: I inclose a note.\nI am, &c.,\n"
                "[Inclosure.]\nMr. C to Mr. D.\nSir: Text.\nJOHN C.\n")  # fmt: skip
    assert s.signature == () and s.enclosures[0].signature == ("JOHN C.",)


def test_lost_dateline_and_no_body_refused():
    f = parse("File No. 701.5212/36.\n\nSpecial Agent Silliman to the Secretary of State.\n\n\n"
              "In a personal interview this morning nothing new.\n").fields  # fmt: skip
    assert (f["doc_type"], f["date"], f["sender"]["name"]) == ("other", None, "Silliman")
    with pytest.raises(ParseError):
        parse("Special Agent Silliman to the Secretary of State.\n")


def test_mojibake_is_mended_with_a_warning():
    p = parse("Mr. Denby to Mr. Gresham.\n\n\nThe YamĂȘn could not revoke the order.\n")
    assert "Yamên" in p.text and any("mojibake" in w for w in p.warnings)


def test_signature_above_an_editors_note_and_a_paper_number_opener():
    f = parse("Memorandum by the Representatives of the British Chiefs of Staff\n\ntop secret\n"
              "C.C.S. 618\n\n[Washington,] 14 July 1944.\n\nThe text.\n\nWelles\n\n"
              "[Serious fighting in the border regions broke out on July 23, 1941.]\n").fields  # fmt: skip
    assert (f["place"], f["date"], f["signed"]) == ("Washington", "1944-07-14", "Welles")


def test_spaced_marker_after_the_year_ending_a_heading():
    f = parse("722.2315/2187\n\nMemorandum Handed by the Peruvian Minister for Foreign Affairs to "
              "the Ambassadors in Peru, September 13, 1941 31\n\nLima, September 13, 1941\n\n"
              "Text.\n\n  1. Transmitted to the Department.\n").fields  # fmt: skip
    assert [n["n"] for n in f["footnotes"]] == ["31"]
    assert f["title"].endswith("September 13, 1941")


def test_dateline_broken_before_its_year_in_brackets():
    f = parse("Roosevelt Papers: Telegram\nPresident Roosevelt to Prime Minister Churchill\n"
              "top secret\npriority\n[Aboard the Presidential Special,] 17 July\n1944.\n"
              "Number 585, personal and top secret, from the President.\nText.\nRoosevelt\n").fields  # fmt: skip
    assert (f["place"], f["date"], f["serial_number"]) == (
        "Presidential Special",
        "1944-07-17",
        "585",
    )


def test_dateline_printed_twice_the_second_time_after_the_number():
    f = parse("Mr. Denby to Mr. Uhl.\nLegation of the United States,\n"
              "Peking, June 15, 1895. (Received July 31.)\n"
              "No. 2268.]Peking, June 15, 1895. (Received July 31.)\n"
              "Sir: I have the honor to confirm my telegram.\nI have, etc.,\nCharles Denby\n").fields  # fmt: skip
    assert (f["place"], f["date"], f["serial_number"]) == ("Peking", "1895-06-15", "2268")
    assert (f["received"], f["doc_type"], f["signed"]) == (
        "Received July 31",
        "despatch",
        "Charles Denby",
    )


def test_a_notes_address_never_continues_a_cut_heading():
    f = parse("No. 284.\nMr. Evarts\nto the Minister of Foreign Affairs of\n"
              "To His Excellency the Phraklang,\nMinister for Foreign Affairs of Siam:\n"
              "The undersigned has the honor to address his excellency.\n").fields  # fmt: skip
    assert f["title"] == "No. 284. Mr. Evarts to the Minister of Foreign Affairs of"


def test_hard_wrapped_tail_and_a_mr_sentence_are_no_signature():
    f = parse("Mr. A to Mr. B.\n\nWashington, May 1, 1954.\n\nSir: The meeting was held in the "
              "capital, and our friends there asked us in\nGuatemala.\n").fields  # fmt: skip
    assert f["signed"] is None
    g = parse("Memorandum by A\n\nWashington, May 1, 1949.\n\nText of the memorandum.\n\n"
              "Concurrence\n\nMr. Thorp Concurs.\n").fields  # fmt: skip
    assert g["signed"] is None


def test_a_wrapped_line_with_to_is_no_enclosure_heading():
    s = segment("The Secretary of State to the Minister in Czechoslovakia (Steinhardt)\n\n"
                "Washington, May 1, 1936.\n\nSir: The Department has learned of discrimination against\n"
                "American trade contrary to the terms of the Provisional Agreement with\n"
                "Czechoslovakia of March 1, 1936, and expects you to report.\n\n"
                "Very truly yours,\n\nFrancis B. Sayre\n")  # fmt: skip
    assert s.enclosures == () and s.signature == ("Francis B. Sayre",)


def test_broken_dateline_day_month_pieces():
    f = parse("Press Release Issued by the Public Information Office, Far East Command\n\n"
              "[Tokyo,]\n10 June\n1949.\n\nThe following release was given out today.\n").fields  # fmt: skip
    assert (f["place"], f["date"]) == ("Tokyo", "1949-06-10")
    assert f["sender"]["role"] == "Public Information Office, Far East Command"


def test_a_note_whose_marker_the_copy_lost_is_numbered_from_its_neighbours():
    # the dateline, which carried marker 2, is gone; markers 1, 3 and 4 remain
    f = parse("Roosevelt Papers: Telegram\nPresident Roosevelt to Prime Minister Churchill1\n"
              "top secret\nNumber 597 personal and top secret from the President.\n"
              "Your 7503 is received at sea.\nThe talks were most valuable.4\nRoosevelt\n"
              "  1. Sent to the White House Map Room.\n  2. Roosevelt was en route.\n"
              "  3. Ante, p. 15.\n  4. Concerning the conferences.\n").fields  # fmt: skip
    assert f["title"] == "President Roosevelt to Prime Minister Churchill"
    assert [n["n"] for n in f["footnotes"]] == ["1", "2", "3", "4"]
    assert f["footnotes"][1]["offset"] is None


def test_no_likely_marker_keeps_the_lists_numbers():
    f = parse("560.AL/9–848: Telegram\n\nThe Officer in Charge at Geneva (Tyler) to the Secretary "
              "of State\n\nGeneva, September 8, 1948—4 p. m.\n\n1222. Sign either at Geneva "
              "(probably September 13) or soonest thereafter.\n\nTyler\n\n"
              "  1. Telegram 1214 from Geneva, not printed.\n").fields  # fmt: skip
    assert [n["n"] for n in f["footnotes"]] == ["1"]
