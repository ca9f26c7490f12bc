"""Direct quotations and their speakers (invented text; seeds read from ../shared when present)."""

from __future__ import annotations

import pytest
from _shared import read_seed as _seed
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.model import QuoteMention
from storyline.quotes import extract_quotes, spoken_text


def quotes(text: str, doc: object = None) -> list[QuoteMention]:
    found = extract_quotes(text, "a", doc=doc)
    for q in found:
        assert text[q.start : q.end] == q.text
        if q.speaker_start is not None:
            assert q.speaker_end is not None
            assert text[q.speaker_start : q.speaker_end] == q.speaker_text
    return found


def pairs(text: str) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker_text) for q in quotes(text)]


# ---------------------------------------------------------------- marks and spans


def test_curly_and_straight_quotes() -> None:
    text = "“We will keep the clinic open all year,” Dr. Maya Patel said.\n" \
           '"The budget does not allow it at all," the county replied.'
    assert pairs(text) == [
        ("We will keep the clinic open all year", "Dr. Maya Patel"),
        ("The budget does not allow it at all", "the county"),
    ]


def test_text_excludes_marks_and_trailing_comma() -> None:
    text = "“Rents are simply too high here,” said Omar Reyes."
    q = quotes(text)[0]
    assert q.text == "Rents are simply too high here"
    assert text[q.start - 1] == "“"
    assert q.speaker_text == "Omar Reyes"


def test_split_quote_is_one_quotation() -> None:
    text = "“The plan is not finished yet,” Lena Ortiz said. “We need two more months to get it right.”"
    [q] = quotes(text)
    assert q.speaker_text == "Lena Ortiz"
    assert q.start == 1 and q.end == len(text) - 1  # first quoted word to the last
    assert spoken_text(q.text) == "The plan is not finished yet, We need two more months to get it right."


def test_split_quote_with_inverted_attribution_and_lowercase_continuation() -> None:
    text = "“The ferry will run again,” said Bram Eliot, the operator, “but only twice a day until May.”"
    [q] = quotes(text)
    assert q.speaker_text == "Bram Eliot"
    assert spoken_text(q.text) == "The ferry will run again, but only twice a day until May."


def test_quotes_separated_by_other_sentences_stay_apart() -> None:
    text = (
        "“The ferry will run again next week,” Bram Eliot said. The council disagreed on Monday. "
        "“We have not approved any timetable yet,” said Nadia Ferro."
    )
    assert [(spoken_text(t), sp) for t, sp in pairs(text)] == [
        ("The ferry will run again next week", "Bram Eliot"),
        ("We have not approved any timetable yet", "Nadia Ferro"),
    ]


def test_quote_over_paragraphs_is_one_quotation() -> None:
    text = (
        "The mayor, Ana Lind, spoke for an hour.\n\n"
        "“We inherited a deficit that nobody wanted to talk about.\n\n"
        "“Now we have a plan, and it starts this week,” Lind said."
    )
    [q] = quotes(text)
    assert q.speaker_text == "Lind"
    assert spoken_text(q.text) == (
        "We inherited a deficit that nobody wanted to talk about. Now we have a plan, and it starts this week"
    )


def test_transcript_lines_are_separate_quotations_with_their_labels() -> None:
    text = '"HOST: When does the new school open its doors?\n\n"KOVAC: In September, if the builders finish.'
    assert pairs(text) == [
        ("When does the new school open its doors?", "HOST"),
        ("In September, if the builders finish.", "KOVAC"),
    ]


def test_scare_quotes_are_ignored_but_partial_quotes_kept() -> None:
    text = "He had “liked” the posts and called it a “big mistake,” aides said."
    assert pairs(text) == [("big mistake", "aides")]
    assert quotes("The so-called “reform” passed easily.") == []
    assert quotes("Critics of the “open streets” plan met on Monday.") == []


@pytest.mark.parametrize(
    ("text", "quote", "speaker"),
    [
        ("Councillor Piet Vos called the decision “a disgrace” on Tuesday.", "a disgrace", "Councillor Piet Vos"),
        ("Harbour manager Ines Kalt described the delay as “costly.”", "costly.", "Ines Kalt"),
        ("Oskar Lund said the new tram was “a waste of public money” and should be scrapped.",
         "a waste of public money", "Oskar Lund"),
    ],
)
def test_partial_quotes_inside_a_sentence(text: str, quote: str, speaker: str) -> None:
    assert pairs(text) == [(quote, speaker)]


def test_partial_quote_after_said_that() -> None:
    text = "The agency said in a statement that it “regrets every delay caused to travelers this winter.”"
    assert pairs(text) == [("regrets every delay caused to travelers this winter.", "The agency")]


def test_titles_are_not_quotes() -> None:
    text = "She wrote a book entitled “The Long Road Home From Nowhere” in 2010."
    assert quotes(text) == []


def test_missing_marks_are_tolerated() -> None:
    # closing mark without an opening one: from the paragraph start
    text = "The council voted down the budget for a second time,” the clerk said."
    assert pairs(text) == [("The council voted down the budget for a second time", "the clerk")]
    # opening mark never closed: to the paragraph end
    text = "Ruiz said: “We will appeal this ruling in every court we can.\nThe hearing is set."
    assert pairs(text) == [("We will appeal this ruling in every court we can.", "Ruiz")]


# ---------------------------------------------------------------- speakers


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("“The bridge will reopen in the spring,” Tom Avery said.", "Tom Avery"),
        ("“The bridge will reopen in the spring,” said Tom Avery.", "Tom Avery"),
        ("Tom Avery said: “The bridge will reopen in the spring.”", "Tom Avery"),
        ("“The bridge will reopen in the spring,” Tom Avery, who leads the agency, said.", "Tom Avery"),
        ("“The bridge will reopen in the spring,” according to Tom Avery.", "Tom Avery"),
        ("“The bridge will reopen in the spring,” the agency said in its statement.", "the agency"),
        ("“The bridge will reopen in the spring,” the agency’s statement said.", "the agency"),
        ("“The bridge will reopen in the spring,” DOT’s statement said.", "DOT"),
        ("The agency left no doubt: “The bridge will reopen in the spring.”", "The agency"),
        ("Tom Avery, who leads the agency, said: “The bridge will reopen in the spring.”", "Tom Avery"),
        ("Said Tom Avery: “The bridge will reopen in the spring.”", "Tom Avery"),
        ("“Will the bridge reopen in the spring?” Tom Avery asked.", "Tom Avery"),
        ("“The bridge will reopen in the spring,” Avery told reporters.", "Avery"),
        ("“The bridge will reopen in the spring,” Avery wrote on his blog.", "Avery"),
        ("“The bridge will reopen in the spring,” Avery added.", "Avery"),
        ("“The bridge will reopen in the spring,” transport officials said.", "transport officials"),
        ("“The bridge will reopen in the spring.” ― Tom Avery", "Tom Avery"),
        ('"The bridge will reopen in the spring," said Tom Avery.', "Tom Avery"),
    ],
)
def test_attribution_patterns(text: str, speaker: str) -> None:
    assert [q.speaker_text for q in quotes(text)] == [speaker]


def test_pronoun_resolves_to_the_most_recent_person() -> None:
    text = (
        "Councilwoman Rita Okafor apologized on Friday. Okafor met voters at the library.\n"
        "“I have listened and I have learned a great deal,” she said in her statement."
    )
    q = quotes(text)[0]
    assert q.speaker_text == "Okafor"
    assert q.speaker_start == text.index("Okafor met")


def test_pronoun_in_a_split_quote_resolves_to_the_named_person() -> None:
    text = (
        "Judge Hana Moreau closed the hearing early.\n"
        "“I have read every page of this file,” she said. “There is no case to answer.”"
    )
    [q] = quotes(text)
    assert q.speaker_text is not None and q.speaker_text.endswith("Hana Moreau")
    assert q.speaker_start is not None and q.speaker_start < text.index("Hana Moreau") + 1


def test_pronoun_prefers_a_recent_subject_with_a_spacy_doc() -> None:
    nlp_mod = pytest.importorskip("storyline.nlp")
    try:
        nlp = nlp_mod.english()
    except Exception:  # noqa: BLE001
        pytest.skip("spaCy model not installed")
    text = (
        "Greta Holm met the minister on Friday and later criticised Paul Berger.\n"
        "“We were promised answers and got none,” she said."
    )
    assert quotes(text, nlp(text))[0].speaker_text == "Greta Holm"


def test_speech_verb_far_from_the_quote_with_a_spacy_doc() -> None:
    nlp_mod = pytest.importorskip("storyline.nlp")
    try:
        nlp = nlp_mod.english()
    except Exception:  # noqa: BLE001
        pytest.skip("spaCy model not installed")
    text = (
        "The Valley Courier reports that the regional hospital cancelled dozens of operations last month "
        "in order to “keep the wards open for the winter.”"
    )
    assert [q.speaker_text for q in quotes(text, nlp(text))] == ["The Valley Courier"]


def test_pronoun_skips_places_and_organisations() -> None:
    text = (
        "Jon Weeks, a teacher, spoke at the Riverside Teachers Union in New Haven.\n"
        "“We are not giving up on these kids,” he said."
    )
    assert quotes(text)[0].speaker_text == "Jon Weeks"


def test_adding_and_saying_take_the_clause_subject() -> None:
    text = (
        "Mara Quist apologized at length. Later, at a forum, she took another tone, saying: “I am not sorry for any of it.”"
    )
    q = quotes(text)[0]
    assert q.speaker_text == "Mara Quist"


def test_no_speaker_when_none_is_named() -> None:
    text = "“This could take a very long time to fix.”"
    q = quotes(text)[0]
    assert q.speaker_text is None and q.speaker_start is None


def test_with_a_spacy_doc() -> None:
    nlp_mod = pytest.importorskip("storyline.nlp")
    try:
        nlp = nlp_mod.english()
    except Exception:  # noqa: BLE001
        pytest.skip("spaCy model not installed")
    text = (
        "Senator Lisa Harmon announced her retirement on Monday.\n"
        "“I have served this state for thirty years and it is time,” she said."
    )
    q = quotes(text, nlp(text))[0]
    assert q.speaker_text in ("Lisa Harmon", "Harmon")


# ---------------------------------------------------------------- properties


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_gives_valid_quotes(text: str) -> None:
    quotes(text)


_PIECES = st.sampled_from(
    ["“", "”", '"', "\n", ",", ".", ":", " he said", " said Ana Ruiz", " Ana Ruiz said", " the union said",
     " we will not stop now", " It is", " according to Bo Li", " ’s", " Al-Alim", " adding:", " liked"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=30))
def test_quote_like_text_gives_valid_quotes(pieces: list[str]) -> None:
    text = "".join(pieces)
    for q in quotes(text):
        assert 0 <= q.start < q.end <= len(text)
        assert len(q.text.split()) >= 1


# ---------------------------------------------------------------- seeds




def _seed_quote(text: str, starts: str, doc: object = None) -> QuoteMention:
    found = [q for q in quotes(text, doc) if q.text.startswith(starts)]
    assert found, f"no quote starting {starts!r}"
    return found[0]


def test_seed_000_pronoun_speaker() -> None:
    text = _seed("000")
    q = _seed_quote(text, "I have spent my life fighting against")
    assert q.speaker_text == "Al-Alim"
    assert q.speaker_start is not None and q.speaker_start < q.start
    assert text[q.speaker_start : q.speaker_end] == "Al-Alim"


def test_seed_002_named_speaker() -> None:
    text = _seed("002")
    assert _seed_quote(text, "I have fought against").speaker_text == "Al-Alim"


def test_seed_speakers_with_spacy() -> None:
    nlp_mod = pytest.importorskip("storyline.nlp")
    try:
        nlp = nlp_mod.english()
    except Exception:  # noqa: BLE001
        pytest.skip("spaCy model not installed")
    text = _seed("000")
    assert _seed_quote(text, "I have spent my life fighting against", nlp(text)).speaker_text == "Al-Alim"
    text = _seed("002")
    assert _seed_quote(text, "I have fought against", nlp(text)).speaker_text == "Al-Alim"


def test_a_doc_without_a_parse_gives_quotes_and_no_parse_based_readings():
    """A pipeline without a parser (tokenizer and sentencizer only) must not have its unset
    dependency tree walked: quotations still come from the text, actions need the parse."""
    import spacy

    from storyline.actions import extract_actions

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    text = 'According to the mayor, "we will rebuild the bridge," she said. The council approved the plan on Monday.'
    doc = nlp(text)
    quotes = extract_quotes(text, "a", doc=doc)
    assert [q.text for q in quotes] == ["we will rebuild the bridge"]
    assert extract_actions(doc, [], None) == []


# ---------------------------------------------------------------- joining and attribution rules


def test_quotation_split_by_a_long_attribution_is_one() -> None:
    text = ("“The levee will not hold another winter,” said Rep. Ana K. Brill (D-Ore.), a member of the "
            "water panel since 2019. “We need the money before the rains come.”")
    found = quotes(text)
    assert len(found) == 1
    assert found[0].speaker_text == "Rep. Ana K. Brill"
    assert spoken_text(found[0].text).endswith("before the rains come.")


def test_two_sentences_between_parts_keep_them_apart() -> None:
    text = ("“The levee will not hold another winter,” Brill said after the vote. The panel adjourned. "
            "“We need the money before the rains come.”")
    assert len(quotes(text)) == 2


def test_reported_speech_after_the_attribution_is_a_new_quotation() -> None:
    text = ("“The plant will stay open through the summer,” she said, adding that “nobody on the night "
            "shift will lose a job.”")
    found = quotes(text)
    assert [q.text for q in found] == ["The plant will stay open through the summer",
                                       "nobody on the night shift will lose a job."]


def test_fragments_quoted_in_one_breath_are_one_quotation() -> None:
    text = "Mayor Lina Torres called the tower plan “reckless” and “a gift to developers” on Friday."
    found = quotes(text)
    assert len(found) == 1
    assert found[0].text == "reckless” and “a gift to developers"
    assert spoken_text(found[0].text) == "reckless a gift to developers"


def test_fragments_apart_with_a_speech_verb_between_stay_apart() -> None:
    text = "Mayor Lina Torres called the plan “reckless” and said “the council knows it well.”"
    assert [q.text for q in quotes(text)] == ["reckless", "the council knows it well."]


def test_titled_speaker_after_the_quotation() -> None:
    text = "“We will find whoever set the fire,” county fire Chief Omar Lutz said Monday."
    assert pairs(text) == [("We will find whoever set the fire", "Chief Omar Lutz")]


def test_less_common_speech_verbs_attribute() -> None:
    text = "“Why was nobody told about the spill?” Senator Ruth Okafor demanded."
    assert pairs(text) == [("Why was nobody told about the spill?", "Senator Ruth Okafor")]


def test_pronoun_follows_the_last_speaker_with_a_parse() -> None:
    nlp_mod = pytest.importorskip("storyline.nlp")
    try:
        nlp = nlp_mod.english()
    except Exception:  # noqa: BLE001
        pytest.skip("spaCy model not installed")
    text = ("Grace Mbeki says the harbour budget is “a mess from top to bottom.” She says Tom Vargas "
            "wants to cut “every ferry route that loses money.” She adds, “We cannot let that happen to "
            "the islands.”")
    found = quotes(text, nlp(text))
    assert found[-1].speaker_text == "Grace Mbeki"


def test_one_word_after_a_naming_verb_and_its_object_is_kept() -> None:
    text = "The senator called the mayor’s budget “shameful” on Tuesday."
    assert [q.text for q in quotes(text)] == ["shameful"]
    assert quotes("The town held a “shameful” vote on the budget.") == []


def test_titles_after_a_possessive_or_preposition_are_not_quotes() -> None:
    text = "Pat Lowe told the network’s “Evening Desk Report” that the bridge would reopen in May."
    assert quotes(text) == []


def test_judging_verbs_mark_short_partial_quotes() -> None:
    text = "Governor Ellis criticized the tax plan as a “reverse lottery” during a visit to the port."
    assert [q.text for q in quotes(text)] == ["reverse lottery"]


def test_noun_phrase_speaker_stops_at_function_words() -> None:
    text = "Mayor Ruth Kamau deplored the unrest in Dover and said the curfew was “a real mistake for everyone.”"
    found = quotes(text)
    assert found and found[0].speaker_text != "the unrest in Dover and"


def test_partial_quote_in_a_clause_takes_its_named_subject_with_a_parse() -> None:
    nlp_mod = pytest.importorskip("storyline.nlp")
    try:
        nlp = nlp_mod.english()
    except Exception:  # noqa: BLE001
        pytest.skip("spaCy model not installed")
    text = "At a rally in Dover, Helen Marsh attacked “the greedy fools who run the water board” again."
    found = quotes(text, nlp(text))
    assert [q.speaker_text for q in found] == ["Helen Marsh"]
