"""Timeline: dated event mentions merged across reports, worded as short clauses."""

from storyline.timeline import (
    EventMention,
    build_timeline,
    headline,
    past_sentence,
    planned_sentence,
    timeline_events,
)


def _key(phrase):
    return frozenset(w.casefold() for w in phrase.split() if len(w) > 3)


def ev(aid, day, lemma, subject, obj="", **kw):
    return EventMention(article_id=aid, date=day, lemma=lemma, subject=subject, obj=obj,
                        subject_key=_key(subject), object_key=_key(obj), **kw)


def test_same_event_from_several_reports_is_one_entry_citing_all():
    events = build_timeline([
        ev("a", "2025-06-09", "issue", "the water authority", "a boil-water notice"),
        ev("b", "2025-06-10", "issue", "the authority", "a boil-water notice"),  # a day later: same event
        ev("c", "2025-06-09", "issue", "the water authority", "a boil-water notice"),
        ev("a", "2025-06-15", "lift", "the water authority", "the boil-water notice"),
    ], {"a": 1.0, "b": 0.5, "c": 1.0}, {"c": "a"})  # c is a copy of a
    assert [e.date for e in events] == ["2025-06-09", "2025-06-15"]
    notice = events[0]
    assert notice.article_ids == ("a", "b", "c")
    assert notice.witnesses == 2  # the copy is cited but is not a second witness
    assert [t.description for t in timeline_events(events)] == [
        "Water authority issues boil-water notice", "Water authority lifts boil-water notice",
    ]


def test_different_actor_object_or_distant_date_stays_apart():
    events = build_timeline([
        ev("a", "2025-06-09", "issue", "the water authority", "a boil-water notice"),
        ev("b", "2025-06-09", "issue", "the state health department", "a fine"),
        ev("c", "2025-06-20", "issue", "the water authority", "a boil-water notice"),
    ], {})
    assert len(events) == 3
    assert [e.date for e in events] == sorted(e.date for e in events)


def test_synonymous_predicates_with_the_same_participants_merge():
    events = build_timeline([
        ev("a", "2024-03-04", "rescind", "the union", "its endorsement of the candidate"),
        ev("b", "2024-03-04", "withdraw", "the union", "the endorsement"),
    ], {})
    assert len(events) == 1 and events[0].article_ids == ("a", "b")


def test_negation_keeps_events_apart_and_reads_in_the_clause():
    events = build_timeline([
        ev("a", "2025-06-12", "lift", "the authority", "the order", negated=True),
        ev("b", "2025-06-12", "lift", "the authority", "the order"),
    ], {})
    assert len(events) == 2
    negated = next(e for e in events if e.best.negated)
    assert negated.headline() == "Authority does not lift order"
    assert negated.sentence() == "the authority did not lift the order"


def test_wording_of_passive_future_and_plural_clauses():
    placed = EventMention(article_id="a", date="2025-06-12", lemma="place", subject="executive director Reza Hosseini",
                          extra="on paid leave", agent="the board", passive=True)
    assert headline(placed) == "Executive director Reza Hosseini placed on paid leave by board"
    assert past_sentence(placed) == "executive director Reza Hosseini was placed on paid leave by the board"
    hearing = EventMention(article_id="a", date="2022-05-10", lemma="hold", subject="the authority",
                           obj="a public hearing", future=True)
    assert headline(hearing) == "Authority to hold public hearing"
    assert planned_sentence(hearing) == "the authority will hold a public hearing"
    staff = EventMention(article_id="a", date="2025-06-10", lemma="hand out", subject="volunteers",
                         obj="bottles of water", plural=True)
    assert headline(staff) == "Volunteers hand out bottles of water"
    assert past_sentence(staff) == "volunteers handed out bottles of water"


def test_long_headlines_are_cut_to_the_clause():
    long = EventMention(article_id="a", date="2025-06-10", lemma="open", subject="the city",
                        obj="water distribution points", extra="at the civic arena and two community centers on the east side of town")
    assert headline(long, max_words=8) == "City opens water distribution points"


def test_reports_of_one_event_become_one_cited_entry(tmp_path):
    """End to end: two independent reports and a copy of one of them, worded differently."""
    import json

    import storyline

    first = (
        "The Marlow County Transit Board suspended bus service on the Eastline route on Monday after inspectors "
        "found cracks in the Kessing River bridge. Board chair Maria Delgado said repairs could take weeks. "
        "She apologized to riders on Tuesday. About 9,000 riders use the Eastline route every day."
    )
    second = (
        "Bus service on the Eastline route was suspended by the Marlow County Transit Board on Monday, "
        "after cracks were found in the Kessing River bridge, a board spokesman said. "
        "About 9,000 riders depend on the Eastline route, which crosses the Kessing River bridge."
    )
    rows = [
        {"id": "one", "text": first, "title": "Eastline buses halted over bridge cracks", "published_at": "2023-05-10"},
        {"id": "two", "text": second, "title": "Transit board halts Eastline service", "published_at": "2023-05-10",
         "source": "Marlow Times"},
        {"id": "copy", "text": first + " Share this article.", "title": "Eastline buses halted over bridge cracks (repost)",
         "published_at": "2023-05-10", "source": "Aggregator"},
    ]
    path = tmp_path / "reports.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    report = storyline.analyze([str(path)])
    story = next(s for s in report["stories"] if "two" in s["article_ids"])
    suspended = [e for e in story["timeline"] if "suspend" in e["description"]]
    assert len(suspended) == 1, story["timeline"]
    assert suspended[0]["date"] == "2023-05-08"
    assert set(suspended[0]["article_ids"]) == {"one", "two", "copy"}  # the copy is cited too
    # "She apologized" names the board chair, not a pronoun.
    assert any(e["description"] == "Maria Delgado apologizes to riders" and e["date"] == "2023-05-09"
               for e in story["timeline"]), story["timeline"]
    lead = story["summary"][0]
    assert lead["text"].startswith("On Monday, May 8, 2023, ") and "suspended" in lead["text"]
    assert "according to two independent sources (and one copy)" in lead["text"]
