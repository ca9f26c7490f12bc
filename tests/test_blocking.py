"""Candidate generation for the story clusterer: copies found, strangers not, bounded and deterministic."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from storyline.blocking import BlockingOptions, CandidateIndex
from storyline.stories import StoryFeatures, fast_features

COMMON = [f"common{i}" for i in range(40)]  # words every report uses


def report(
    article_id: str,
    topic: int,
    *,
    day: date | None = None,
    drop: int = 0,
    extra: tuple[str, ...] = (),
    names: tuple[str, ...] | None = None,
) -> StoryFeatures:
    """A report on ``topic``: 30 topic words (minus the first ``drop``), common words, and two names."""
    terms = {f"t{topic}w{i}": 1 + i % 3 for i in range(drop, 30)}
    terms.update({w: 1 for w in COMMON[topic % 7 :: 3]})
    terms.update({w: 1 for w in extra})
    people = names if names is not None else (f"person{topic} surname{topic}", f"place{topic}")
    return StoryFeatures(article_id=article_id, terms=terms, names={n: 2 for n in people}, day=day)


def filled_index(n: int = 200, options: BlockingOptions | None = None, day: date | None = None) -> CandidateIndex:
    index = CandidateIndex(options)
    for topic in range(n):
        index.add(f"s{topic}", report(f"a{topic}", topic, day=day))
    return index


def test_verbatim_copy_with_page_chrome_finds_its_story_first() -> None:
    index = filled_index()
    chrome = ("subscribe", "newsletter", "cookie", "advertisement", "share")
    assert index.candidates(report("copy", 57, extra=chrome))[0] == "s57"


def test_copy_is_found_by_lsh_even_when_its_words_are_too_common_to_block_on() -> None:
    # Every key of the copied report sits in more stories than max_postings allows,
    # so only the MinHash signature can find the original.
    index = CandidateIndex(BlockingOptions(max_postings=3))
    blocks = [[f"w{b * 10 + i}" for i in range(10)] for b in range(6)]
    pairs = [(a, b) for a in range(6) for b in range(a + 1, 6)]  # each block in 5 stories
    for s, (a, b) in enumerate(pairs):
        index.add(f"s{s}", StoryFeatures(article_id=f"a{s}", terms=dict.fromkeys(blocks[a] + blocks[b], 1), names={}))
    every = dict.fromkeys([w for block in blocks for w in block], 1)
    index.add("orig", StoryFeatures(article_id="o", terms=every, names={}))
    assert index.stats()["saturated_keys"] == 60
    assert "orig" in index.candidates(StoryFeatures(article_id="c", terms=every | {"subscribe": 1}, names={}))


def test_light_rewrite_from_text_is_found() -> None:
    original = (
        "Floods cut the Ravel valley road on Tuesday. Mayor Ann Okafor ordered the evacuation of 1,200 "
        "residents from Port Ardent after the river rose two metres overnight. Engineers from Halvorsen "
        "Dredging inspected the levee. The regional weather office warned of more rain on Thursday."
    )
    rewrite = (
        "The regional weather service warned of further rain on Thursday. Ann Okafor, the mayor, ordered "
        "1,200 residents of Port Ardent evacuated after the river rose two metres overnight and floods "
        "cut the Ravel valley road."
    )
    index = CandidateIndex()
    index.add("flood", fast_features("a", original))
    index.add("budget", fast_features("b", "Parliament passed the budget of finance minister Lars Vidal on Monday."))
    index.add("match", fast_features("c", "Rovers beat United 3-1 at Kellow Park; striker Tomas Brandt scored twice."))
    assert index.candidates(fast_features("r", rewrite)) == ["flood"]


def test_unrelated_report_has_no_candidates() -> None:
    index = filled_index()
    stranger = StoryFeatures(
        article_id="x",
        terms={f"other{i}": 1 for i in range(25)} | {w: 1 for w in COMMON},
        names={"nobody known": 1},
    )
    assert index.candidates(stranger) == []


def test_one_shared_word_is_not_enough_but_one_shared_name_is() -> None:
    index = CandidateIndex()
    index.add("s1", StoryFeatures(article_id="a", terms={"quake": 1, "alpha": 1}, names={"ann okafor": 1}))
    index.add("s2", StoryFeatures(article_id="b", terms={"budget": 1, "beta": 1}, names={"lars vidal": 1}))
    assert index.candidates(StoryFeatures(article_id="c", terms={"quake": 1, "gamma": 1}, names={})) == []
    assert index.candidates(StoryFeatures(article_id="d", terms={"delta": 1}, names={"ann okafor": 1})) == ["s1"]


def test_time_window() -> None:
    opts = BlockingOptions(window_days=10)
    index = CandidateIndex(opts)
    index.add("old", report("a", 1, day=date(2024, 1, 1)))
    index.add("old", report("b", 1, day=date(2024, 1, 5)))
    later = report("c", 1, day=date(2024, 1, 14))
    too_late = report("d", 1, day=date(2024, 1, 16))
    too_early = report("e", 1, day=date(2023, 12, 20))
    assert index.candidates(later) == ["old"]  # 9 days after the latest member
    assert index.candidates(too_late) == []
    assert index.candidates(too_early) == []  # 12 days before the earliest member
    assert index.candidates(report("f", 1)) == ["old"]  # undated: not filtered by time
    index.add("undated", report("g", 2))
    assert index.candidates(report("h", 2, day=date(2030, 1, 1))) == ["undated"]


def test_eviction_drops_quiet_stories_only() -> None:
    index = CandidateIndex()
    start = date(2024, 3, 1)
    for topic in range(10):
        index.add(f"s{topic}", report(f"a{topic}", topic, day=start + timedelta(days=topic)))
    index.add("s2", report("late2", 2, day=start + timedelta(days=20)))  # s2 stays active
    index.add("undated", report("u", 50))
    assert len(index) == 11
    dropped = index.evict_before(start + timedelta(days=5))
    assert dropped == 4  # s0, s1, s3, s4
    assert len(index) == 7
    assert "s2" in index and "s1" not in index and "undated" in index
    assert index.candidates(report("q1", 1)) == []
    assert index.candidates(report("q2", 2)) == ["s2"]
    assert index.evict_before(start + timedelta(days=5)) == 0
    stats = index.stats()
    assert stats["signatures"] == sum(1 for _ in range(7)) + 1  # s2 has two members
    assert index.evict_before(start + timedelta(days=100)) == 6  # the undated story is never evicted by time
    assert len(index) == 1 and index.stats()["postings"] > 0


def test_discard_forgets_a_story() -> None:
    index = filled_index(20)
    index.discard("s3")
    index.discard("missing")
    assert "s3" not in index and len(index) == 19
    assert "s3" not in index.candidates(report("q", 3))


def test_candidate_cap_and_ranking() -> None:
    # Every story shares the name: a hot key, which would share out its candidacy (see below); here
    # every shared key counts fully, to test the cap and the ranking.
    opts = BlockingOptions(max_candidates=5, hot_postings=None)
    index = CandidateIndex(opts)
    shared_name = {"ann okafor": 1}
    for s in range(20):
        terms = {f"x{s}_{i}": 1 for i in range(10)} | {f"y{i}": 1 for i in range(s % 4)}
        index.add(f"s{s:02d}", StoryFeatures(article_id=f"a{s}", terms=terms, names=shared_name))
    query = StoryFeatures(article_id="q", terms={f"y{i}": 1 for i in range(3)} | {"zz": 1}, names=shared_name)
    found = index.candidates(query)
    assert len(found) == 5
    # Stories sharing the name and all three y-words come first, in the order they were indexed.
    assert found == ["s03", "s07", "s11", "s15", "s19"]


def test_postings_cap_stops_blocking_on_common_keys() -> None:
    opts = BlockingOptions(max_postings=10)
    index = CandidateIndex(opts)
    for s in range(30):
        own = {f"own{s}_{i}": 1 for i in range(20)}
        index.add(f"s{s}", StoryFeatures(article_id=f"a{s}", terms=own, names={"everyone here": 1}))
    assert index.stats()["saturated_keys"] >= 1
    probe = StoryFeatures(article_id="q", terms={"unrelated": 1}, names={"everyone here": 1})
    assert index.candidates(probe) == []


def _same_kind(article_id: str, event: int, *, people: tuple[str, ...] | None = None) -> StoryFeatures:
    """A report on one of many events of a kind: the kind's words and places, and the event's own."""
    terms = {f"fire{i}": 1 for i in range(8)} | {f"e{event}w{i}": 1 for i in range(20)}
    names = {"harbour district": 1, "city hall": 1}
    names |= dict.fromkeys(people if people is not None else (f"chief{event} surname{event}",), 1)
    return StoryFeatures(article_id=article_id, terms=terms, names=names, day=date(2024, 5, 1))


def _dense_index(events: int, hot_postings: int | None = 2) -> CandidateIndex:
    # max_postings high enough that no key saturates: only the sharing out bounds candidates
    index = CandidateIndex(BlockingOptions(hot_postings=hot_postings, max_postings=10_000))
    for e in range(events):
        index.add(f"s{e}", _same_kind(f"a{e}", e))
    return index


def test_hot_keys_share_out_candidacy_and_the_right_story_stays_first() -> None:
    query = _same_kind("q", 7)  # a new report on event 7, whose story shares every hot key too
    for events in (20, 80, 320):
        found = _dense_index(events).candidates(query)
        assert found[0] == "s7"
        # the other stories share only the kind's keys, each in every story: none becomes a candidate
        assert found == ["s7"]
        everything = _dense_index(events, hot_postings=None).candidates(query)
        assert len(everything) == min(events, BlockingOptions().max_candidates)  # without sharing out
        assert everything[0] == "s7"


def test_candidates_of_hot_keys_do_not_grow_with_the_density_of_stories() -> None:
    # A report naming two people, each also named by two other stories, and the kind's keys, which are
    # in every story: as the stories of its kind grow 16-fold its candidates stay the five it shares
    # specific keys with (a name, or its event's own words); counted fully they hit the cap.
    found = {}
    for hot in (2, None):
        for events in (20, 80, 320):
            index = _dense_index(events, hot)
            for e, person in ((0, "ann okafor"), (1, "ann okafor"), (2, "lars vidal"), (3, "lars vidal")):
                index.add(f"s{e}", _same_kind(f"b{e}", e, people=(person,)))
            found[hot, events] = index.candidates(_same_kind("q", 4, people=("ann okafor", "lars vidal")))
    for events in (20, 80, 320):
        assert found[2, events][0] == "s4"
        assert sorted(found[2, events]) == ["s0", "s1", "s2", "s3", "s4"]
        assert found[None, events][0] == "s4"
    assert [len(found[None, events]) for events in (20, 80, 320)] == [20, 48, 48]


def test_per_story_state_is_bounded() -> None:
    opts = BlockingOptions(signatures_per_story=3, keys_per_story=20)
    index = CandidateIndex(opts)
    for i in range(50):
        terms = {f"w{i}_{j}": 1 for j in range(30)}
        index.add("big", StoryFeatures(article_id=f"a{i}", terms=terms, names={f"name {i}": 1}))
    stats = index.stats()
    assert stats["signatures"] == 3
    assert stats["postings"] <= 30  # keys_per_story, with slack before a trim
    # The most recent member is still found.
    last = StoryFeatures(article_id="q", terms={f"w49_{j}": 1 for j in range(30)}, names={"name 49": 1})
    assert index.candidates(last) == ["big"]


def test_deterministic_across_instances() -> None:
    rng = random.Random(7)
    stream = []
    for i in range(300):
        topic = rng.randrange(60)
        stream.append((f"s{topic}", report(f"a{i}", topic, drop=rng.randrange(10), day=date(2024, 1, 1))))
    outputs = []
    for _ in range(2):
        index = CandidateIndex()
        out = []
        for key, f in stream:
            out.append((key in index, index.candidates(f)))
            index.add(key, f)
        outputs.append(out)
    assert outputs[0] == outputs[1]
    # Once a topic has a story, its later reports find that story first.
    assert all(found[0] == key for (key, _), (known, found) in zip(stream, outputs[0]) if known)


def test_bad_options_are_rejected() -> None:
    with pytest.raises(ValueError):
        BlockingOptions(hot_postings=0)
    with pytest.raises(ValueError):
        BlockingOptions(num_perm=64, bands=10)
    with pytest.raises(ValueError):
        BlockingOptions(max_postings=0)


def test_document_frequency_table_is_bounded() -> None:
    index = CandidateIndex(BlockingOptions(max_df_keys=200))
    for i in range(300):
        index.add(f"s{i}", report(f"a{i}", i))
    assert index.stats()["df_keys"] <= 200
    assert index.stats()["documents"] == 300
    assert index.candidates(report("q", 299)) == ["s299"]  # recent stories are still found


def test_prune_rare_drops_the_rarest_keys_whatever_their_order() -> None:
    from collections import Counter

    from storyline.blocking import prune_rare

    counts = Counter({f"k{i}": 1 + i % 5 for i in range(100)})
    shuffled = Counter(dict(sorted(counts.items(), key=lambda kv: hash(kv[0]))))
    assert prune_rare(counts, 60) == prune_rare(shuffled, 60) > 0
    assert counts == shuffled and len(counts) <= 30
    assert min(counts.values()) > 1  # the once-seen keys went first
    assert prune_rare(counts, 60) == 0  # within bounds: nothing to do


def test_a_moved_report_is_not_counted_twice() -> None:
    index = CandidateIndex()
    f = report("a", 1)
    index.add("s1", f)
    index.add("s2", f, count=False)
    assert index.stats()["documents"] == 1
    assert index.candidates(report("b", 1)) == ["s1", "s2"]
