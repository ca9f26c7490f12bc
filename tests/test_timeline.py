from storyline.model import DateMention
from storyline.timeline import DatedStatement, build_timeline


def st(aid, value, sentence):
    return DatedStatement(article_id=aid, date=DateMention(aid, 0, 6, "Monday", value), sentence=sentence)


def test_same_day_same_event_merges_and_orders_by_date():
    events = build_timeline([
        st("a", "2025-06-09", "The authority issued a boil-water notice late Monday after tests found bacteria."),
        st("b", "2025-06-09", "A boil-water notice was issued by the authority on Monday night after bacteria tests."),
        st("a", "2025-06-08", "Inspectors took water samples at the plant on Sunday morning for testing."),
        st("c", "2025-06", "The plant was inspected in June by state officials from the capital."),
    ], {"a": 1.0, "b": 0.5})
    assert [e.date for e in events] == ["2025-06-08", "2025-06-09"]
    assert events[1].article_ids == ("a", "b")
    assert events[1].description.startswith("The authority issued")


def test_short_fragments_are_not_events():
    assert build_timeline([st("a", "2025-06-09", "June 9, 2025")], {}) == []
