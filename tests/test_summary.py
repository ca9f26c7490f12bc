"""The account: a lead, the events that followed, the figures judged, each sentence citing its reports."""

from storyline.model import Claim, ClaimValue
from storyline.summary import human_date, summarize
from storyline.timeline import EventMention, build_timeline


def value(aid, v, text, as_of=None, start=0):
    return ClaimValue(article_id=aid, value=v, unit=None, qualifier="exact", as_of=as_of, text=text, start=start, end=start + len(text))


def claim(status, values, kind="count", description="households under the boil-water order"):
    return Claim(id="c", kind=kind, subject=None, description=description, status=status, values=values)


def event(aid, day, lemma, subject, obj, position=0):
    key = frozenset(w for w in (subject + " " + obj).casefold().split() if len(w) > 3)
    return EventMention(article_id=aid, date=day, lemma=lemma, subject=subject, obj=obj, subject_key=key,
                        object_key=key, position=position)


def test_conflict_names_each_value_with_its_reports_and_who_contradicts():
    c = claim("conflict", [value("a", 48000, "about 48,000"), value("b", 48000, "48,000"), value("c", 84000, "84,000")])
    (s,) = summarize([], [c], [], {}, {"b": "a"}, sources={("c", 0): "the water authority"})
    assert s.text.startswith("Reports disagree on the number of households under the boil-water order: ")
    assert "about 48,000 in a and b (one independent source)" in s.text  # b copies a: one witness
    assert "84,000 in c (one independent source, citing the water authority)" in s.text
    assert s.supported_by == ("a", "b") and s.contradicted_by == ("c",)


def test_update_reads_as_values_as_of_their_dates():
    c = claim("updated", [value("a", 4.2e6, "$4.2 million", "2025-06-09"), value("b", 4.2e6, "$4.2 million", "2025-06-10"),
                          value("c", 6.8e6, "$6.8 million", "2025-06-16")], kind="money", description="emergency spending")
    (s,) = summarize([], [c], [], {}, {})
    assert "$4.2 million as of June 9, 2025 (a and b), then $6.8 million as of June 16, 2025 (c)" in s.text
    assert s.text.startswith("The emergency spending was updated over time")
    assert s.supported_by == ("a", "b", "c") and s.contradicted_by == ()


def test_agreement_counts_independent_sources_and_single_sources_are_flagged():
    agreed = claim("agreed", [value("a", 210000, "210,000"), value("b", 210000, "about 210,000")], description="residents served")
    single = claim("single_source", [value("c", 250000, "$250,000")], kind="money", description="fine proposed by regulators")
    first, second = summarize([], [agreed, single], [], {}, {})
    assert first.text.startswith("Two independent sources agree on the number of residents served: ")
    assert "single source" in second.text and "$250,000, in c" in second.text and second.supported_by == ("c",)


def test_lead_is_the_best_attested_event_then_the_rest_in_date_order():
    events = build_timeline([
        event("a", "2025-06-09", "issue", "the authority", "a boil-water notice"),
        event("b", "2025-06-09", "issue", "the authority", "a boil-water notice"),
        event("a", "2025-06-15", "lift", "the authority", "the notice", position=900),
        event("c", "2025-06-08", "find", "inspectors", "bacteria", position=500),
    ], {})
    out = summarize(events, [], [], {}, {}, published={"a": "2025-06-10", "b": "2025-06-10", "c": "2025-06-10"})
    assert out[0].text == "On Monday, June 9, 2025, the authority issued a boil-water notice, according to two independent sources."
    assert out[0].supported_by == ("a", "b")
    assert out[1].text == "Earlier, on Sunday, June 8, 2025, inspectors found bacteria."
    # Still to come when the report was published: told as a plan.
    assert out[2].text == "The authority will lift the notice on Sunday, June 15, 2025."


def test_human_dates():
    assert human_date("2024-03-04") == "Monday, March 4, 2024"
    assert human_date("2024-03") == "March 2024"


def test_reworded_quote_names_the_reports_that_differ():
    from storyline.model import QuoteGroup, QuoteMention

    words = "We failed the people who trust us, and I take full responsibility"
    versions = [QuoteMention(a, 0, len(words), words) for a in ("a", "b", "c")]
    versions.append(QuoteMention("d", 0, 10, "We have failed the people who trust in us, I take all the responsibility"))
    group = QuoteGroup(id="q", speaker="e1", status="drift", versions=versions, fidelity=0.8)
    (s,) = summarize([], [], [group], {"e1": "Reza Hosseini"}, {})
    assert s.text.startswith("Reza Hosseini is quoted in the same words by a, b and c (\u201cWe failed")
    assert s.text.endswith("d words it differently (fidelity 0.80).")
    assert s.supported_by == ("a", "b", "c", "d")


def test_a_date_claim_reads_as_the_date_of_its_action_and_an_undescribed_one_stays_out():
    described = claim("conflict", [value("a", "2024-05-06", "May 6"), value("b", "2024-05-08", "May 8")],
                      kind="date", description="date the ferry company suspended night crossings")
    vague = claim("agreed", [value("a", "2024-05-02", "May 2"), value("b", "2024-05-02", "May 2")],
                  kind="date", description="date (\u201ccomment two candidates\u201d)")
    text = " ".join(s.text for s in summarize([], [described, vague], [], {}, {"a": "a", "b": "b"}))
    assert "Reports disagree on the date the ferry company suspended night crossings: May 6 in a" in text
    assert "May 2" not in text and "comment" not in text


def test_one_of_n_and_n_minus_one_others_read_as_a_count_of_the_others():
    c = claim("agreed", [value("a", 9, "nine"), value("b", 8, "Eight"), value("c", 9, "nine")],
              description="other riders injured in the crash")
    text = summarize([], [c], [], {}, {"a": "a", "b": "b", "c": "c"})[0].text
    assert "agree on the number of riders injured in the crash: nine in a and c; eight others in b." in text
    apart = claim("agreed", [value("a", 9, "nine"), value("b", 7, "seven")], description="other riders injured")
    assert "others" not in summarize([], [apart], [], {}, {"a": "a", "b": "b"})[0].text.split(":")[1]


def test_value_words_read_mid_sentence():
    modifier = ClaimValue(article_id="a", value=120, unit="member", qualifier="exact", as_of=None, text="120-member",
                          start=0, end=10)
    single = claim("single_source", [modifier], description="members of the council")
    text = summarize([], [single], [], {}, {"a": "a"})[0].text
    assert "(120, in a)" in text
    million = ClaimValue(article_id="a", value=4.2e6, unit=None, qualifier="exact", as_of=None, text="$4.2-million",
                         start=0, end=12)
    cap = claim("single_source", [value("a", 2, "Two"), ], description="council members voting against")
    text = summarize([], [cap, claim("single_source", [million], kind="money", description="repair bill")], [], {},
                     {"a": "a"})[0].text
    assert "(two, in a)" in text and "($4.2-million, in a)" in text


def test_an_event_on_a_contested_date_says_so_and_one_single_figure_reads_singular():
    events = build_timeline([event("a", "2024-05-06", "suspend", "the ferry company", "night crossings"),
                             event("b", "2024-05-09", "reopen", "the harbour museum", "its west wing")],
                            {}, {"a": "a", "b": "b"})
    dated = claim("conflict", [value("a", "2024-05-06", "May 6"), value("c", "2024-05-08", "May 8")],
                  kind="date", description="date the ferry company suspended night crossings")
    single = claim("single_source", [value("a", 1200, "1,200")], description="passengers affected")
    sentences = [s.text for s in summarize(events, [dated, single], [], {}, {"a": "a", "b": "b", "c": "c"})]
    suspended = next(s for s in sentences if "suspended night crossings" in s and not s.startswith("Reports"))
    reopened = next(s for s in sentences if "reopened" in s)
    assert "(reports disagree on this date)" in suspended and "disagree" not in reopened
    assert "This figure rests on a single source and is not confirmed elsewhere: the number of passengers affected" in " ".join(sentences)
