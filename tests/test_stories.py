import random
from datetime import date

from storyline.stories import (
    ClusterOptions,
    StoryFeatures,
    StreamClusterer,
    cluster,
    fast_features,
    similarity_matrix,
)

FLOOD = (
    "Floodwater broke through the levee on the Ravel River overnight and Mayor Ann Okafor ordered the "
    "evacuation of Lower Millford. Rescue boats carried residents from flooded streets as rain kept falling; "
    "{n} homes were under water by morning, the county said."
)
STRIKE = (
    "Nurses at St Anne Hospital walked out on Monday after contract talks over wages and staffing collapsed. "
    "The Nurses Union said {n} members joined the pickets; hospital managers cancelled planned surgery "
    "and called in agency staff."
)
QUAKE = (
    "A magnitude {m} earthquake struck near {town} on {day}, collapsing houses and cutting power. "
    "Rescuers searched rubble for survivors and {leader} said {n} people had died."
)


def test_fast_features_finds_names_years_and_figures_without_a_model():
    f = fast_features(
        "x",
        "Households of Millford were told on Tuesday to boil water. Dr. Ann Okafor said 1,200 households and "
        "the Ravel River Trust were affected in 2024. The board met; the Board's chair spoke.",
        title="Boil notice",
        day=date(2024, 5, 2),
    )
    assert "ann okafor" in f.names and "ravel river trust" in f.names
    assert "tuesday" not in f.names and "dr" not in " ".join(f.names)
    assert not any(n.startswith("households") for n in f.names)  # an ordinary word at sentence start
    assert "board" not in f.names  # also used in lower case
    assert f.years == [2024] and "1200" in f.numbers and "2024" not in f.numbers
    assert "boil" in f.terms and f.terms["boil"] == 2  # title words count once more
    assert f.day == date(2024, 5, 2)


def test_same_event_together_other_event_apart():
    fs = [
        fast_features("f1", FLOOD.format(n=300), day=date(2025, 3, 1)),
        fast_features("s1", STRIKE.format(n=900), day=date(2025, 3, 2)),
        fast_features("f2", FLOOD.format(n=340) + " Sandbags ran out.", day=date(2025, 3, 2)),
        fast_features("s2", STRIKE.format(n=950) + " A mediator was appointed.", day=date(2025, 3, 4)),
    ]
    assert cluster(fs) == [["f1", "f2"], ["s1", "s2"]]


def test_two_events_of_one_kind_in_one_region_weeks_apart_stay_apart():
    first = (
        "A magnitude 6.1 earthquake struck near Aldermoor early on Sunday, collapsing the old market hall. "
        "Governor Petra Lindqvist said {n} people had died and the hospital in Aldermoor was treating hundreds."
    )
    second = (
        "A 5.8-magnitude quake hit the coast at Kestrel Bay on Thursday, weeks after the Aldermoor disaster. "
        "Mayor Tomas Reyes said the harbour wall cracked and {n} fishermen were missing; ferries were halted."
    )
    fs = [
        fast_features("a1", first.format(n=41), day=date(2025, 4, 6)),
        fast_features("a2", first.format(n=47) + " Aftershocks shook Aldermoor again.", day=date(2025, 4, 7)),
        fast_features("b1", second.format(n=12), day=date(2025, 5, 8)),
        fast_features("b2", second.format(n=14) + " Kestrel Bay schools stayed shut.", day=date(2025, 5, 9)),
    ]
    assert cluster(fs) == [["a1", "a2"], ["b1", "b2"]]


def test_same_kind_of_event_years_apart_is_two_stories():
    fs = [
        fast_features("t1", STRIKE.format(n=900), day=date(2021, 5, 1)),
        fast_features("t2", STRIKE.format(n=910), day=date(2021, 5, 2)),
        fast_features("t3", STRIKE.format(n=900), day=date(2024, 6, 1)),
    ]
    assert cluster(fs) == [["t1", "t2"], ["t3"]]


def test_undated_article_cannot_be_older_than_the_years_it_mentions():
    dated = fast_features("a", FLOOD.format(n=300), day=date(2011, 3, 1))
    older = fast_features("b", FLOOD.format(n=300) + " It was the worst flood since 2009.")
    newer = fast_features("c", FLOOD.format(n=300) + " A report on it came out in 2025.")
    sim = similarity_matrix([dated, older, newer])
    assert sim[0][1] > 0.5 > sim[0][2]


def test_stream_joins_or_opens_and_remembers():
    s = StreamClusterer()
    k1 = s.add(fast_features("f1", FLOOD.format(n=300), day=date(2025, 3, 1)))
    k2 = s.add(fast_features("s1", STRIKE.format(n=900), day=date(2025, 3, 1)))
    k3 = s.add(fast_features("f2", FLOOD.format(n=320), day=date(2025, 3, 2)))
    assert k1 != k2 and k3 == k1
    assert s.add(fast_features("f2", FLOOD.format(n=320))) == k1  # the same id again is not added twice
    assert s.groups() == [["f1", "f2"], ["s1"]]


def test_result_does_not_depend_much_on_input_order():
    fs = []
    for i in range(6):
        fs.append(fast_features(f"f{i}", FLOOD.format(n=300 + i), day=date(2025, 3, 1 + i % 3)))
        fs.append(fast_features(f"s{i}", STRIKE.format(n=900 + i), day=date(2025, 3, 1 + i % 3)))
    expected = sorted(sorted(g) for g in cluster(fs))
    for seed in range(5):
        shuffled = fs[:]
        random.Random(seed).shuffle(shuffled)
        assert sorted(sorted(g) for g in cluster(shuffled)) == expected
    assert len(expected) == 2


def test_old_stories_are_evicted_from_the_candidate_index():
    opts = ClusterOptions(evict_after_days=30)
    s = StreamClusterer(opts)
    s.add(fast_features("old", FLOOD.format(n=300), day=date(2025, 1, 1)))
    s.add(fast_features("new", STRIKE.format(n=900), day=date(2025, 6, 1)))
    assert len(s.index) == 1  # the January story is no longer a candidate
    assert s.groups() == [["old"], ["new"]]  # but its assignment is kept


def test_empty_and_single():
    assert cluster([]) == []
    assert cluster([StoryFeatures(article_id="x", terms={}, names={})]) == [["x"]]


def test_update_keeps_placed_reports_and_streams_only_new_ones():
    from storyline.stories import update_stories

    first = [
        fast_features("f1", FLOOD.format(n=300), day=date(2025, 3, 1)),
        fast_features("s1", STRIKE.format(n=900), day=date(2025, 3, 1)),
    ]
    groups, members = update_stories(first, {})
    assert groups == [["f1"], ["s1"]]
    later = first + [
        fast_features("f2", FLOOD.format(n=320), day=date(2025, 3, 2)),
        fast_features("q1", QUAKE.format(m="6.0", town="Aldermoor", day="Sunday", leader="Petra Lindqvist", n=4)),
    ]
    groups2, members2 = update_stories(later, members)
    assert members2["f1"] == members["f1"] and members2["s1"] == members["s1"]  # placed reports keep their story
    assert members2["f2"] == members["f1"]  # a new report joins the story it belongs to
    assert members2["q1"] not in set(members.values())  # or opens a new one
    assert groups2 == [["f1", "f2"], ["s1"], ["q1"]]
