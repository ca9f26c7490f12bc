from datetime import date

from storyline.stories import StoryFeatures, cluster, similarity_matrix


def feat(aid, words, names, day=None, years=()):
    return StoryFeatures(article_id=aid, terms={w: 1 for w in words.split()}, names={n: 1 for n in names},
                         day=day, years=years)


FLOOD = "river flood levee breach evacuation rain village rescue boats water"
STRIKE = "nurses strike hospital wages union contract pickets shifts talks"


def test_same_event_together_other_event_apart():
    fs = [
        feat("f1", FLOOD, ["ravel river", "mayor okafor"], date(2025, 3, 1)),
        feat("f2", FLOOD + " sandbags", ["ravel river", "okafor"], date(2025, 3, 3)),
        feat("s1", STRIKE, ["st anne hospital", "nurses union"], date(2025, 3, 2)),
        feat("s2", STRIKE + " mediator", ["st anne hospital"], date(2025, 3, 4)),
    ]
    assert cluster(fs) == [["f1", "f2"], ["s1", "s2"]]


def test_same_kind_of_event_years_apart_is_two_stories():
    fs = [
        feat("t1", STRIKE, ["st anne hospital", "nurses union"], date(2021, 5, 1)),
        feat("t2", STRIKE, ["st anne hospital", "nurses union"], date(2021, 5, 2)),
        feat("t3", STRIKE, ["st anne hospital", "nurses union"], date(2024, 6, 1)),
    ]
    assert cluster(fs) == [["t1", "t2"], ["t3"]]


def test_undated_article_cannot_be_older_than_the_years_it_mentions():
    fs = [
        feat("a", FLOOD, ["ravel river"], date(2011, 3, 1)),
        feat("b", FLOOD, ["ravel river"], None, years=(2009, 2011)),
        feat("c", FLOOD, ["ravel river"], None, years=(2011, 2025)),
    ]
    sim = similarity_matrix(fs)
    assert sim[0, 1] > 0.5 > sim[0, 2]


def test_empty_and_single():
    assert cluster([]) == []
    assert cluster([feat("x", FLOOD, [])]) == [["x"]]
