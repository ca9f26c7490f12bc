"""Direct quotations and their speakers (invented text; seeds read from ../shared when present)."""

from __future__ import annotations

from typing import Any

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


def test_tokenised_text_with_spaced_straight_quotes() -> None:
    """Text once split into tokens leaves a space before a closing mark: 'family ".' closes."""
    text = (
        'The mayor added, " The pool will reopen in the spring for every family ". '
        'A different view came from Lena Brandt, a planner, who said, " The budget will not stretch that far ".'
    )
    got = [q.text for q in quotes(text)]
    assert got == ["The pool will reopen in the spring for every family", "The budget will not stretch that far"]
    assert not any("different view" in t for t in got)
    # an opening mark before an ellipsis still opens
    assert [q.text for q in quotes('She wrote: "...and then the river rose over the bank," the clerk said.')] == [
        "...and then the river rose over the bank"
    ]


def test_an_inch_mark_is_no_quotation_mark() -> None:
    text = 'The laptop features a 13.3" screen, while the larger one has a 15" or 17" screen.\n' \
           '"We sold out in a week," the store manager said.'
    assert pairs(text) == [("We sold out in a week", "the store manager")]
    # after an opening mark, a mark after a digit still closes the quotation
    assert [q.text for q in quotes('The sign read "Exit 12" and pointed north.')] == ["Exit 12"]


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


# ---------------------------------------------------------------- attribution rules (invented text)


def _nlp_or_skip() -> Any:
    nlp_mod = pytest.importorskip("storyline.nlp")
    try:
        return nlp_mod.english()
    except Exception:  # noqa: BLE001
        pytest.skip("spaCy model not installed")


def test_pronoun_skips_a_person_of_the_other_gender() -> None:
    # an honorific shows the gender
    text = "Mrs. Dora Quinn heard the complaint from Mr. Felix Arno.\n“We will look at the roof in spring,” she said."
    assert pairs(text)[0][1] == "Dora Quinn"
    # so does "said she …" in a sentence naming no one else
    text = ("Omar Tiller says he will appeal.\nThe judge, Lena Volk, said she had ruled on the facts.\n"
            "“I expected nothing else from this court,” he said.")
    assert pairs(text)[0][1] == "Omar Tiller"


def test_surname_shared_by_two_people_gives_no_gender() -> None:
    text = ("Anna Berg said she would stay. Anna Berg said she was tired. Anna Berg said she had no choice.\n"
            "Nils Berg said the shop would close.\n“We are not done yet,” he said.")
    # "Berg" names a woman and a man: no gender is known for it, so Nils Berg is not passed over
    assert pairs(text)[0][1] == "Nils Berg"


def test_person_shown_saying_speaks() -> None:
    text = "The advert ends with footage of Dana Whitlock saying during a debate, “That makes me careful.”"
    assert pairs(text) == [("That makes me careful.", "Dana Whitlock")]


def test_description_with_its_complement_after_the_quotation() -> None:
    assert pairs("“Why did nobody pay?” a narrator in the advert asks.") == [
        ("Why did nobody pay?", "a narrator in the advert")
    ]
    assert pairs("“We were not told about any of this,” a spokeswoman for the council said.") == [
        ("We were not told about any of this", "a spokeswoman for the council")
    ]


def test_possessive_description_after_the_quotation() -> None:
    text = "“That was a mistake from the start,” Greene’s former campaign manager said."
    assert pairs(text) == [("That was a mistake from the start", "Greene’s former campaign manager")]


def test_named_speaker_before_a_description_before_the_quotation() -> None:
    text = "In a letter posted Friday, Ted Marlow said he had “no regrets at all about the vote.”"
    assert pairs(text)[0][1] == "Ted Marlow"
    # and before the subject of a clause reported inside the attribution
    text = "Sarah Kemp said the harbour plan demands that all residents get “more time and more say” before May."
    assert pairs(text)[0][1] == "Sarah Kemp"


def test_reported_put_it_and_per_attribute() -> None:
    assert pairs("“Rents rose by a third in two years,” The Harbour Gazette reported.")[0][1] == "The Harbour Gazette"
    text = "The rule requires a “lawful source of the money invested,” as a ministry memo put it."
    assert pairs(text)[0][1] == "a ministry memo"
    text = "Voting by proxy is barred “to fill a vacancy on the national ticket,” per the party’s bylaws."
    assert pairs(text)[0][1] == "the party’s bylaws"


def test_named_attribution_in_the_next_paragraph_starts_a_new_quotation() -> None:
    text = ("“The plan is a disgrace,” Rep. Ana Ruiz said on Friday. “We will fight it.\n"
            "“I have seen many budgets in my time and this is the worst one,” added Rep. Tom Hale. "
            "“It will not pass.”")
    found = quotes(text)
    assert [q.speaker_text for q in found] == ["Rep. Ana Ruiz", "Rep. Tom Hale"]
    assert found[1].text.startswith("I have seen many budgets")
    # with no attribution of its own, the next paragraph goes on with the quotation
    text = "“The plan is a disgrace,” Rep. Ana Ruiz said on Friday. “We will fight it.\n“It will not pass this year.”"
    assert len(quotes(text)) == 1


def test_part_closing_on_a_nested_quotation_joins_its_continuation() -> None:
    text = "“In our first meeting he said, 'We will try,'” Anna Kohl recalled. “They kept that promise.”"
    [q] = quotes(text)
    assert q.speaker_text == "Anna Kohl"
    assert q.text.endswith("They kept that promise.")


def test_pronoun_continues_the_subject_of_the_previous_sentences_with_a_parse() -> None:
    nlp = _nlp_or_skip()
    text = ("Ruth Amsel said the mill had lost money for years. Mary Collins hopes to sell it next year. "
            "That worries the union.\n“It is all I can afford,” she said.")
    assert quotes(text, nlp(text))[0].speaker_text == "Mary Collins"
    text = ("Karen Wells said the shop had lost money for years. David Moore hopes to sell it next year. "
            "That worries the staff.\n“It is all I can afford,” he said.")
    assert quotes(text, nlp(text))[0].speaker_text == "David Moore"


def test_cue_the_quotation_hangs_from_comes_first_with_a_parse() -> None:
    nlp = _nlp_or_skip()
    text = "Rival Joan Pratt had mocked the complaint, saying anybody who complains about a microphone “is not having a good night.”"
    assert quotes(text, nlp(text))[0].speaker_text == "Joan Pratt"
    text = ("In a panel discussion this weekend in Leeds, Mark Rowan, the head of the tenants' union, told a student who "
            "suggested that some people may not vote because of frustration that “this is not the first generation to "
            "be frustrated.”")
    assert quotes(text, nlp(text))[0].speaker_text == "Mark Rowan"


def test_named_apposition_of_a_parsed_subject_speaks_with_a_parse() -> None:
    nlp = _nlp_or_skip()
    text = "Another critic, Ivo Brandt, likened the new rules to “burning the rulebook in public.”"
    assert quotes(text, nlp(text))[0].speaker_text == "Ivo Brandt"


def test_quotation_after_a_sentence_naming_its_speaker_with_a_parse() -> None:
    nlp = _nlp_or_skip()
    text = "The agency may wait until the talks end, Rosa Lind said. “The other factor is the timing of the vote.”"
    assert quotes(text, nlp(text))[0].speaker_text == "Rosa Lind"
    text = ("On the radio, Sen. Ben Adler, who lost the primary, praised young voters for their energy. "
            "“They are sick and tired of waiting for change.”")
    assert quotes(text, nlp(text))[0].speaker_text == "Ben Adler"


def test_it_continues_the_subject_noun_with_a_parse() -> None:
    nlp = _nlp_or_skip()
    text = ("“The river has never been this low in May,” the report read.\n"
            "“Farmers will need help before the summer,” it added.")
    assert [q.speaker_text for q in quotes(text, nlp(text))] == ["the report", "the report"]


def test_cue_word_tagged_as_a_noun_is_no_verb_with_a_parse() -> None:
    nlp = _nlp_or_skip()
    text = "The watchdog rated most Republican claims as “false or mostly false” last year."
    speaker = quotes(text, nlp(text))[0].speaker_text
    assert speaker is None or "Republican" not in speaker


def test_verb_the_parse_hangs_on_a_name_takes_that_name() -> None:
    # a hand-built parse (as the parser sometimes reads it): "compared" hangs on "Diaz" with no subject
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import Doc

    words = ["Omar", "Diaz", ",", "an", "analyst", ",", "compared", "him", "to", "a", "coach", "who", "is", "“",
             "working", "the", "referees", "all", "night", "”", "."]
    spaces = [True, False, True, True, False, True, True, True, True, True, True, True, True, False,
              True, True, True, True, False, False, False]
    heads = [1, 1, 1, 4, 1, 1, 1, 6, 6, 10, 8, 14, 14, 14, 10, 16, 14, 18, 14, 14, 1]
    deps = ["compound", "ROOT", "punct", "det", "appos", "punct", "acl", "dobj", "prep", "det", "pobj", "nsubj",
            "aux", "punct", "relcl", "det", "dobj", "det", "npadvmod", "punct", "punct"]
    pos = ["PROPN", "PROPN", "PUNCT", "DET", "NOUN", "PUNCT", "VERB", "PRON", "ADP", "DET", "NOUN", "PRON", "AUX",
           "PUNCT", "VERB", "DET", "NOUN", "DET", "NOUN", "PUNCT", "PUNCT"]
    ents = ["B-PERSON", "I-PERSON"] + ["O"] * (len(words) - 2)
    doc = Doc(spacy.blank("en").vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos, ents=ents)
    text = doc.text
    assert [(q.text, q.speaker_text) for q in quotes(text, doc)] == [("working the referees all night", "Omar Diaz")]


def test_quotation_paragraph_after_an_attributed_one_keeps_its_speaker() -> None:
    text = ("The council met on Monday.\n“We have no money left for the pool,” Mayor Ida Brent said at the meeting.\n"
            "“The roof alone will cost more than we spend on roads in a year.”")
    assert [q.speaker_text for q in quotes(text)] == ["Mayor Ida Brent", "Mayor Ida Brent"]
    # not when another sentence closes the previous paragraph
    text = ("“We have no money left for the pool,” Mayor Ida Brent said at the meeting. Nobody replied.\n"
            "“The roof alone will cost more than we spend on roads in a year.”")
    assert [q.speaker_text for q in quotes(text)] == ["Mayor Ida Brent", None]


def test_subject_across_a_paragraph_break_is_passed_over() -> None:
    # a hand-built parse giving "calling" two subjects, one in the paragraph before (a time line)
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import Doc

    words = ["5:45", "p.m.", "\n\n", "The", "doctor", "is", "calling", "the", "candidate", "“", "extremely", "fit",
             "and", "very", "strong", ".", "”"]
    spaces = [True, False, False, True, True, True, True, True, True, False, True, True, True, True, False, False,
              False]
    heads = [1, 6, 1, 4, 6, 6, 6, 8, 6, 11, 11, 6, 11, 14, 11, 6, 6]
    deps = ["nummod", "nsubj", "dep", "det", "nsubj", "aux", "ROOT", "det", "dobj", "punct", "advmod", "oprd", "cc",
            "advmod", "conj", "punct", "punct"]
    pos = ["NUM", "NOUN", "SPACE", "DET", "NOUN", "AUX", "VERB", "DET", "NOUN", "PUNCT", "ADV", "ADJ", "CCONJ", "ADV",
           "ADJ", "PUNCT", "PUNCT"]
    lemmas = [w.lower() for w in words]
    lemmas[6] = "call"
    ents = ["B-TIME", "I-TIME"] + ["O"] * (len(words) - 2)
    doc = Doc(spacy.blank("en").vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos, lemmas=lemmas,
              ents=ents)
    assert [q.speaker_text for q in quotes(doc.text, doc)] == ["The doctor"]


def test_relative_clause_verb_is_climbed_past_with_a_parse() -> None:
    nlp = _nlp_or_skip()
    text = "Mina Castro compared the mayor to a coach who keeps “working the referees all night long.”"
    assert quotes(text, nlp(text))[0].speaker_text == "Mina Castro"


def test_speech_cue_in_the_next_paragraph_is_not_read() -> None:
    # a hand-built parse running one sentence over a paragraph break: "said" in the next paragraph
    # is no cue for the quotation
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import Doc

    words = ["Voters", "want", "“", "a", "real", "change", "in", "how", "the", "city", "works", ".", "”", "\n",
             "Officials", "said", "the", "count", "was", "slow", "."]
    spaces = [True, True, False, True, True, True, True, True, True, True, False, False, False, False, True, True,
              True, True, True, False, False]
    heads = [1, 15, 5, 5, 5, 1, 5, 10, 9, 10, 6, 1, 1, 12, 15, 15, 17, 18, 15, 18, 15]
    deps = ["nsubj", "ccomp", "punct", "det", "amod", "dobj", "prep", "advmod", "det", "nsubj", "pcomp", "punct",
            "punct", "dep", "nsubj", "ROOT", "det", "nsubj", "ccomp", "acomp", "punct"]
    pos = ["NOUN", "VERB", "PUNCT", "DET", "ADJ", "NOUN", "ADP", "SCONJ", "DET", "NOUN", "VERB", "PUNCT", "PUNCT",
           "SPACE", "NOUN", "VERB", "DET", "NOUN", "AUX", "ADJ", "PUNCT"]
    lemmas = [w.lower() for w in words]
    lemmas[15] = "say"
    doc = Doc(spacy.blank("en").vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos, lemmas=lemmas)
    assert [(q.text, q.speaker_text) for q in quotes(doc.text, doc)] == [("a real change in how the city works.", None)]


def test_pronoun_takes_the_speaker_of_a_sentence_ending_on_its_attribution_with_a_parse() -> None:
    nlp = _nlp_or_skip()
    text = ("Paul Stone appeared to blame the drivers for the delays. A driver who “misses a single stop” is fined, "
            "Elena Ward said. The managers are not.\n“The only way this company will change is if managers face real "
            "penalties,” she said.")
    assert [q.speaker_text for q in quotes(text, nlp(text))] == ["Elena Ward", "Elena Ward"]


def test_pronoun_chain_reaches_back_past_descriptions_with_a_parse() -> None:
    nlp = _nlp_or_skip()
    text = ("Donald Ferris is raising questions about the vote count.\n\nHe notes that the board announced on Friday "
            "that there was an issue with the machines. The machines were slow at times.\n\nHe says, “Counting those "
            "ballots was a lot harder than counting the money.”\n\nThe candidate is also asking his supporters to check "
            "why Maria Lopez did not have problems.\n\nHe says: “I wonder why it was so bad. Think about that.”")
    assert [q.speaker_text for q in quotes(text, nlp(text))] == ["Donald Ferris", "Donald Ferris"]


def test_pronoun_takes_a_person_the_previous_sentence_ends_by_introducing_with_a_parse() -> None:
    nlp = _nlp_or_skip()
    text = ("Tom Reyes said the vote was close.\n\nWhile the mayor had many friends on the council, that has not been "
            "true for the new budget, which is something that worries Henry Crespo, president of the Riverside Tenants "
            "Association.\n\n“No one is fighting for the tenants any more,” he said.")
    assert quotes(text, nlp(text))[0].speaker_text == "Henry Crespo"


def test_pronoun_contraction_is_no_speaker() -> None:
    text = "The numbers are close here, which, I’m going to read you the question: “Do you think the mayor should resign?”"
    assert pairs(text)[0][1] is None


def test_report_that_found_speaks_with_a_parse() -> None:
    nlp = _nlp_or_skip()
    text = ("Many lawmakers share the worry. A council audit released last year found that the fund could not account "
            "for “millions of dollars in cash payments.”\n\nOfficials at the treasury said they were concerned.")
    assert quotes(text, nlp(text))[0].speaker_text == "A council audit"


def test_judging_verbs_are_cues_with_a_parse() -> None:
    nlp = _nlp_or_skip()
    text = "Twenty years ago, a Gazette article hailed the mayor as “the comeback kid of the whole valley” after the flood."
    assert quotes(text, nlp(text))[0].speaker_text == "a Gazette article"
    text = "The governor's office ruled that the claim was “true in every respect that matters.”"
    assert quotes(text, nlp(text))[0].speaker_text == "The governor"


def test_unattributed_quotation_takes_the_named_apposition_of_the_previous_subject_with_a_parse() -> None:
    nlp = _nlp_or_skip()
    text = ("His former business partner at Acme, Lawrence B. Miller, called him a master at closing deals. \"He showed "
            "again and again an ability to put together deals that other people couldn't.\"\n\nAcme was a giant, "
            "Mr. Reed said, until it went bankrupt in 1999.")
    # not the speaker of the next paragraph, which the parse runs on into
    assert quotes(text, nlp(text))[0].speaker_text == "Lawrence B. Miller"
