"""Actions (who did what to whom, when) and figure descriptions, read off the dependency parse."""

from __future__ import annotations

import pytest

from storyline.actions import (
    extract_actions,
    figure_phrase,
    figure_phrases,
    figure_source,
    participle,
    past,
    present,
    render,
)
from storyline.nlp import english
from storyline.quantities import extract_quantities
from storyline.temporal import extract_dates

ANCHOR = "2024-03-06"  # a Wednesday


def actions(text, anchor=ANCHOR):
    doc = english()(text)
    dates = extract_dates(text, "t", anchor)
    return [(a, render(a.subject, text), render(a.obj, text), render(a.extra, text), render(a.agent, text))
            for a in extract_actions(doc, dates, anchor)]


def only(text, lemma, anchor=ANCHOR):
    found = [x for x in actions(text, anchor) if x[0].lemma == lemma]
    assert len(found) == 1, [x[0].lemma for x in actions(text, anchor)]
    return found[0]


def test_subject_predicate_object_and_date_from_the_sentence():
    act, subj, obj, _extra, _agent = only("The union rescinded its endorsement of Jane Doe on Monday.", "rescind")
    assert subj == "the union"
    assert obj.endswith("endorsement of Jane Doe")
    assert act.date == "2024-03-04" and act.date_source == "text" and act.date_text == "Monday"
    assert not act.negated and not act.passive and act.main


def test_undated_action_takes_the_publication_date():
    act, subj, obj, *_ = only("Doe apologized.", "apologize")
    assert subj == "Doe" and obj == ""
    assert act.date == ANCHOR and act.date_source == "published"


def test_reported_speech_is_not_an_action_but_what_was_reported_is():
    found = actions("The authority said Monday night that bacteria had been found at the plant.")
    lemmas = [a.lemma for a, *_ in found]
    assert "say" not in lemmas
    act, subj, *_ = next(x for x in found if x[0].lemma == "find")
    assert act.passive and subj == "bacteria"
    assert act.date == "2024-03-04" and act.date_source == "reported"


def test_negation_is_kept():
    act, subj, obj, *_ = only("The authority did not lift the order on Sunday.", "lift")
    assert act.negated and subj == "the authority" and obj == "the order"
    assert act.date == "2024-03-03"


def test_conditionals_and_quoted_words_are_not_actions():
    assert actions("The board could raise rates again next year.") == []
    lemmas = [a.lemma for a, *_ in actions("\u201cWe will fight this decision in court,\u201d Doe said on Tuesday.")]
    assert "fight" not in lemmas and "say" not in lemmas


def test_passive_with_agent_and_complement():
    act, subj, _obj, extra, agent = only("Hosseini was placed on paid leave by the board on Thursday.", "place")
    assert act.passive and subj == "Hosseini"
    assert extra == "on paid leave" and agent == "the board"
    assert act.date == "2024-02-29"  # the Thursday before the anchor


def test_particle_and_infinitive_complement():
    act, subj, obj, *_ = only("Volunteers handed out 5,000 bottles of water on Tuesday.", "hand out")
    assert subj == "volunteers" and "bottles of water" in obj
    act, _subj, _obj, extra, _agent = only("The board voted Wednesday to raise water rates by 9%.", "vote")
    assert extra == "to raise water rates by 9%"
    assert act.date == "2024-03-06"


def test_a_dateline_does_not_date_the_first_clause():
    act, *_ = only("June 10, 2025\nThe authority issued a boil-water notice late Monday.", "issue", anchor="2025-06-10")
    assert act.date == "2025-06-09" and act.date_text == "late Monday"


def describe(text):
    doc = english()(text)
    dates = extract_dates(text, "t", ANCHOR)
    (q,) = extract_quantities(text, "t", dates=dates, anchor=ANCHOR)
    return render(figure_phrase(doc, q.start, q.end, q.kind, dates), text)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The notice covers about 48,000 households.", "households covered by the notice"),
        ("The authority had committed $4.2 million in emergency spending.", "emergency spending committed by the authority"),
        ("The board voted to raise water rates by 9%.", "increase in water rates"),
        ("Spending on the cleanup had reached $6.8 million by Friday.", "spending on the cleanup"),
        ("The union has spent nearly $650,000 on an independent campaign.",
         "money spent by the union on an independent campaign"),
        ("Regulators proposed a $250,000 fine against the authority.", "fine against the authority proposed by regulators"),
        ("The second largest funding effort is $280,515 on behalf of the mayor.",
         "second largest funding effort on behalf of the mayor"),
    ],
)
def test_figure_descriptions_say_what_is_measured(sentence, expected):
    assert describe(sentence) == expected


def test_inflection():
    assert [past(v) for v in ("commit", "open", "apply", "stop", "take", "hand out")] == [
        "committed", "opened", "applied", "stopped", "took", "handed out",
    ]
    assert [participle(v) for v in ("take", "place", "find")] == ["taken", "placed", "found"]
    assert [present(v) for v in ("fix", "issue", "apply", "have")] == ["fixes", "issues", "applies", "has"]
    assert present("issue", plural=True) == "issue"


def source(text):
    doc = english()(text)
    dates = extract_dates(text, "t", ANCHOR)
    (q,) = extract_quantities(text, "t", dates=dates, anchor=ANCHOR)
    return render(figure_source(doc, q.start, q.end), text)


def test_figures_are_attributed_to_who_gives_them():
    assert source("The water authority said the order covers 84,000 households.") == "the water authority"
    assert source("The notice covers about 48,000 households, the mayor's office said.") == "the mayor's office"
    assert source("The authority committed $4.2 million, according to figures the state auditor released.") == "the state auditor"
    assert source("The union spent $650,000 on the race, according to campaign finance records.") == "campaign finance records"
    assert source("Figures show that the union spent $650,000 on the race.") == ""
    assert source("The union spent $650,000 on the race.") == ""


def test_a_date_is_described_by_the_action_its_verb_states():
    from storyline.model import Article
    from storyline.pipeline import _dated_actions, annotate

    text = ("The harbour board suspended the night ferry on May 6, 2024, after a storm damaged the pier. "
            "Councillor Ana Reyes did not attend the meeting on May 7, 2024. It closed on May 8, 2024.")
    article = Article(id="a", text=text, content_hash="h", published_at="2024-05-10")
    phrases = _dated_actions(article, annotate(article, english()(text), "2024-05-10"), [])
    start = text.index("May 6, 2024")
    assert phrases[(start, start + len("May 6, 2024"))] == "the harbour board suspended the night ferry"
    assert len(phrases) == 1  # a negated action and an unresolved "it" describe no date


def test_a_year_dates_its_verb_when_nothing_finer_does():
    act, *_ = only("The first jets from the Harwell plant will be delivered in 2031.", "deliver")
    assert act.date == "2031" and act.date_source == "text" and act.date_text == "2031"
    act, *_ = only("In 2019, the council approved the harbour plan on March 3.", "approve")
    assert act.date_text == "March 3"  # the finer date wins over the year


def test_a_year_that_qualifies_a_noun_does_not_date_the_verb():
    act, *_ = only("The new settlement replaces the 1991 agreement between the two brewers.", "replace")
    assert act.date == ANCHOR and act.date_source == "published"


def test_figure_phrases_of_a_doc_are_each_figures_phrase():
    text = (
        "On Monday the council spent $4.2 million in emergency spending. About 48,000 households were "
        "covered by the notice issued on March 3, and 35,000 of its members voted on Tuesday."
    )
    doc = english()(text)
    dates = extract_dates(text, "t", ANCHOR)
    figures = [(q.start, q.end, q.kind) for q in extract_quantities(text, "t", dates=dates, anchor=ANCHOR)]
    assert len(figures) >= 2 and dates
    together = figure_phrases(doc, figures, dates)
    assert together == [figure_phrase(doc, s, e, k, dates) for s, e, k in figures]
    assert all(together) and figure_phrases(doc, [], dates) == []


def test_a_relative_clause_acts_through_the_noun_it_modifies():
    act, subj, obj, *_ = only("The council hired a contractor, which repaired the bridge.", "repair")
    assert subj == "a contractor" and obj == "the bridge"
    assert not act.passive and not act.main
    # the relative pronoun is the object: the clause's own subject acts on the modified noun
    act, subj, obj, *_ = only("The plan that the mayor announced drew criticism.", "announce")
    assert subj == "the mayor" and obj == "the plan"


def test_a_participle_acts_through_the_noun_it_modifies():
    act, subj, _obj, _extra, agent = only("The ferry, built by a Korean shipyard, sank.", "build")
    assert subj == "the ferry" and act.passive and agent == "a Korean shipyard"
    act, subj, obj, *_ = only("Engineers found a fault in the software controlling the pumps.", "control")
    assert subj == "the software" and obj == "the pumps" and not act.passive


def test_a_contract_to_do_something_is_done_by_who_holds_it():
    act, subj, obj, *_ = only("The consortium signed a contract to supply 14 tankers.", "supply")
    assert subj == "the consortium" and obj == "14 tankers"
    assert act.future and not act.passive  # the contract says what is to be done
    act, subj, obj, *_ = only("The regulator made a decision to fine the bank.", "fine")
    assert subj == "the regulator" and obj == "the bank" and act.future
    act, subj, *_ = only("Delmont's plan to close the plant drew protests.", "close")
    assert subj == "Delmont"
    act, subj, *_ = only("Ferrow Motors has plans to import electric vans.", "import")
    assert subj == "Ferrow Motors"


def test_an_infinitive_on_a_noun_that_is_no_plan_or_with_no_holder_names_nobody():
    # a passive verb does not say who holds the contract; "money" is not an agreement anyone made
    assert not [a for a, *_ in actions("The contract to supply tankers was signed in May.") if a.lemma == "supply"]
    assert not [a for a, *_ in actions("The city has money to spend on roads.") if a.lemma == "spend"]
    assert not [a for a, *_ in actions("The contract to supply tankers expired.") if a.lemma == "supply"]
    # who criticizes a deal is no party to it
    assert not [a for a, *_ in actions("Officials criticized the deal to lease 20 tankers.") if a.lemma == "lease"]
    _act, subj, *_ = only("The navy awarded Ferrow a contract to build two frigates.", "build")
    assert subj == "Ferrow"  # the one awarded the contract


def test_an_infinitive_of_purpose_is_done_by_the_subject_of_its_clause():
    act, subj, obj, *_ = only("The carrier sold two jets to raise cash.", "raise")
    assert subj == "the carrier" and obj == "cash" and act.future
    act, subj, *_ = only("The bridge was closed by the city to repair the deck.", "repair")
    assert subj == "the city"  # the agent of a passive clause
    # a passive clause without an agent does not say who means to cut fuel use
    assert not [a for a, *_ in actions("The jets were fitted with new engines to cut fuel use.") if a.lemma == "cut"]


def test_a_participle_with_a_subject_of_its_own_is_an_action_but_a_bare_one_is_not():
    act, subj, _obj, *_ = only("Two firms fought for the contract, the smaller firm eventually winning it.", "win")
    assert subj == "the smaller firm" and not act.passive
    # ", killing 12 people" tells the outcome of the crash, not a new act with a subject of its own
    assert not [a for a, *_ in actions("The bus crashed into a wall, killing 12 people.") if a.lemma == "kill"]


def test_an_infinitive_complement_is_done_by_its_controller():
    act, subj, obj, *_ = only("The airline agreed to buy 40 jets.", "buy")
    assert subj == "the airline" and obj == "40 jets"
    assert act.future and not act.main  # agreed to, not done yet
    act, subj, *_ = only("The regulator forced the bank to lower its fees.", "lower")
    assert subj == "the bank"  # the object controls
    act, subj, *_ = only("The store began to sell films.", "sell")
    assert subj == "the store" and not act.future  # "began to" tells what happens
    act, *_ = only("The mayor did not try to block the plan.", "block")
    assert act.negated
    assert not [a for a, *_ in actions("The company would like to thank its staff.") if a.lemma == "thank"]


def test_an_infinitive_complement_keeps_the_date_inside_it():
    act, subj, *_ = only("The carrier was to take delivery of the jet in May 2008.", "take")
    assert subj == "the carrier" and act.date == "2008-05" and act.date_source == "text"


def test_a_clause_does_not_run_across_a_paragraph_break():
    text = "Carrier unveils new jet\n\nMarch 3, 2005\n\nThe carrier has unveiled a new jet."
    found = [(a, subj, obj) for a, subj, obj, *_ in actions(text) if a.lemma == "unveil"]
    assert len(found) == 2
    head = min(found, key=lambda x: x[0].start)
    assert head[1] == "Carrier" and "March" not in head[2]


def test_coordinated_verbs_of_a_modifying_clause_share_its_subject():
    act, subj, _obj, extra, _agent = only("The ferry, built in Korea and sold to a Greek firm, sank.", "sell")
    assert subj == "the ferry" and act.passive and extra == "to a Greek firm"
    act, subj, *_ = only("The airline agreed to buy 40 jets and lease 10 more.", "lease")
    assert subj == "the airline" and act.future


def test_a_vague_verb_in_a_passive_participle_is_an_action():
    act, subj, _obj, _extra, agent = only("The first jet, made by Ferrow, was delivered on Monday.", "make")
    assert subj == "the first jet" and act.passive and agent == "Ferrow"
    act, subj, *_ = only("The court upheld an agreement reached between the two firms.", "reach")
    assert subj == "an agreement" and act.passive


def test_adding_something_is_an_action_but_adding_a_remark_is_not():
    _act, subj, obj, extra, _ = only("The airline added 12 routes to its network.", "add")
    assert subj == "the airline" and obj == "12 routes" and extra == "to the network"
    assert not [a for a, *_ in actions("The mayor added that the plan was sound.") if a.lemma == "add"]


def test_a_complement_in_a_relative_clause_is_done_by_that_clauses_subject():
    act, subj, *_ = only("The airline showed the jets they intend to launch next year.", "launch")
    assert subj == "they" and act.future
    act, subj, *_ = only("The units are to be allowed to bid for the contracts.", "bid")
    assert subj == "the units"


def test_a_verb_with_an_infinitive_clause_of_its_own_is_an_action():
    # "allow X to Y" is no "announced that ...": the allowing is the event
    _act, subj, *_ = only("The new software will allow developers to sell apps.", "allow")
    assert subj == "the new software"
    assert not [a for a, *_ in actions("The airline announced that it had bought jets.") if a.lemma == "announce"]


def test_a_pronoun_subject_of_a_reported_clause_is_the_speaker_when_they_agree():
    act, subj, *_ = only("Ferrow Airlines said it had signed a contract for 10 jets.", "sign")
    assert subj == "Ferrow Airlines" and act.subject_pronoun is None
    act, subj, *_ = only("The regulators announced that they had suspended the broker.", "suspend")
    assert subj == "the regulators"
    act, subj, *_ = only("The government has announced that it will give $5 million in aid.", "give")
    assert subj == "the government"
    # "it" is not a person, and a person's name is not "it": the pronoun stays for a later stage
    act, subj, *_ = only("Jane Holloway said it had closed the road.", "close")
    assert subj == "it" and act.subject_pronoun == "it"


def test_a_clause_of_condition_is_not_an_action():
    found = [a.lemma for a, *_ in actions("The deal lets the bank sue if the firm is indicted or convicted.")]
    assert "indict" not in found and "convict" not in found
    assert not [a for a, *_ in actions("Unless the board approves the merger, the firm will sell the unit.")
                if a.lemma == "approve"]


def test_states_are_not_actions():
    assert not [a for a, *_ in actions("Tom Varga, aged 55, resigned on Monday.") if a.lemma == "age"]
    assert not [a for a, *_ in actions("Engineers found problems relating to the antenna.") if a.lemma == "relate"]
    assert not [a for a, *_ in actions("The firm has a policy dating back to 1990.") if a.lemma == "date"]


def test_an_inch_mark_opens_no_quotation():
    text = 'The laptop features a 13" display. The firm sold 10,000 laptops in May. The tablet has a 10" display.'
    assert [a.lemma for a, *_ in actions(text)] == ["feature", "sell"]
    text = 'The firm "sold 10,000 laptops" in May.'  # a quotation still hides its words
    assert [a.lemma for a, *_ in actions(text)] == []


def test_a_headline_is_parsed_apart_from_the_story_under_it():
    text = "Ferrow wins tanker deal\nFerrow Aero, the parent of Ferrow, has won a contract for 14 tankers."
    _act, subj, obj, *_ = next(x for x in actions(text) if x[0].lemma == "win" and x[0].start > 30)
    assert subj.startswith("Ferrow Aero") and obj.startswith("a contract")
    doc = english()(text)
    assert next(s.text.strip() for s in doc.sents) == "Ferrow wins tanker deal"


def test_a_gerund_after_a_preposition_of_time_is_done_by_the_subject_of_its_clause():
    act, subj, obj, *_ = only("The bank was fined after misleading its clients.", "mislead")
    assert subj == "the bank" and obj == "the clients" and not act.passive
    assert not [a for a, *_ in actions("The firm would cancel the jet after completing the orders.")
                if a.lemma == "complete"]  # the clause is a condition
    assert not [a for a, *_ in actions("The driver left without paying the toll.") if a.lemma == "pay"]


def test_who_holds_a_plan_given_or_received():
    _act, subj, *_ = only("The council granted the firm a licence to build a hangar.", "build")
    assert subj == "the firm"
    assert not [a for a, *_ in actions("The council gave approval to build a hangar.") if a.lemma == "build"]
    _act, subj, *_ = only("The airline won approval to build a hangar.", "build")
    assert subj == "the airline"
    # an offer to buy is made by the buyer, not by whoever receives it
    assert not [a for a, *_ in actions("The airline received an offer to buy its bus unit.") if a.lemma == "buy"]


def test_a_name_given_in_passing_is_not_an_action():
    found = [a.lemma for a, *_ in actions("The firm launched a savings plan called FlexSave on Monday.")]
    assert "call" not in found and "launch" in found
    assert not [a for a, *_ in actions("The carrier unveiled a jet dubbed the Skylark.") if a.lemma == "dub"]
    # naming as an act of its own stays
    assert [a.lemma for a, *_ in actions("The board named Jane Holloway its chief executive on Monday.")] == ["name"]


def test_an_intention_is_not_an_action_but_what_is_intended_is():
    found = [(a.lemma, subj, a.future) for a, subj, *_ in actions("The airline intends to fit the jets with beds.")]
    assert ("fit", "the airline", True) in found and "intend" not in [f[0] for f in found]


def test_a_state_told_by_a_vague_participle_is_not_an_action():
    assert not [a for a, *_ in actions("The council, led by the mayor, met on Monday.") if a.lemma == "lead"]
    assert not [a for a, *_ in actions("Homes served by the plant must boil water.") if a.lemma == "serve"]


def test_a_gerund_in_an_instruction_is_not_an_action():
    text = "Residents were told to boil water before drinking it."
    assert not [a for a, *_ in actions(text) if a.lemma == "drink"]


def test_what_stopped_is_not_an_action_of_its_own():
    found = [(a.lemma, subj) for a, subj, *_ in actions("The store stopped selling films in May.")]
    assert ("stop", "the store") in found and "sell" not in [f[0] for f in found]
    text = "Cafes were told to stop serving ice."
    assert not [a for a, *_ in actions(text) if a.lemma == "serve"]


def test_a_date_inside_a_long_line_is_no_dateline():
    from storyline.actions import _dateline

    date = "May 4, 2024"
    text = "Filed by staff\n" + date + "\n" + "The council met and voted. " * 200
    start = text.index(date)
    assert _dateline(text, start, start + len(date))  # alone on its line
    long_line = "The council met and voted. " * 200 + "It met on " + date + " again. " + "More words here. " * 100
    start = long_line.index(date)
    assert not _dateline(long_line, start, start + len(date))
    short = "It met on " + date + "."
    assert not _dateline(short, short.index(date), short.index(date) + len(date))
