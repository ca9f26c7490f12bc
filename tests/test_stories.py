import random
from datetime import date, timedelta

from storyline.blocking import BlockingOptions
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


# ---------------------------------------------------------------- scale behaviour


def _event_reports(prefix: str, words: list[str], person: str, start: date, n: int) -> list:
    """``n`` reports of one invented event: its own vocabulary and actor, a day apart."""
    out = []
    for i in range(n):
        body = " ".join(words[j % len(words)] for j in range(i, i + 25))
        text = f"{person} said the {body} on the day. {person} spoke again about the {words[i % len(words)]}."
        out.append(fast_features(f"{prefix}{i}", text, day=start + timedelta(days=i)))
    return out


def _vocab(seed: int, n: int = 12) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(4)) for _ in range(n)]


def test_quiet_stories_leave_the_working_set_but_keep_their_assignments():
    s = StreamClusterer(ClusterOptions(evict_after_days=30))
    first = _event_reports("a", _vocab(1), "Ann Okafor", date(2025, 1, 1), 3)
    later = _event_reports("b", _vocab(2), "Lars Vidal", date(2025, 6, 1), 3)
    for f in first + later:
        s.add(f)
    stats = s.stats()
    assert stats["live_stories"] == 1 and stats["evicted_stories"] == 1
    assert stats["live_reports"] == 3 and stats["assignments"] == 6
    assert "a0" not in s.docs and s.story_of["a0"] == s.story_of["a2"]
    assert s.groups() == [["a0", "a1", "a2"], ["b0", "b1", "b2"]]
    assert len(s.index) == 1


def test_without_eviction_everything_stays_live():
    s = StreamClusterer(ClusterOptions(evict_after_days=None))
    for f in _event_reports("a", _vocab(1), "Ann Okafor", date(2025, 1, 1), 3) + _event_reports(
        "b", _vocab(2), "Lars Vidal", date(2025, 6, 1), 3
    ):
        s.add(f)
    assert s.stats()["live_stories"] == 2 and s.stats()["evicted_stories"] == 0


def test_passes_compare_a_report_with_its_candidates_only():
    # Many live stories, all on one day: re-homing one report costs a bounded
    # number of comparisons, however many stories there are.
    s = StreamClusterer(ClusterOptions(evict_after_days=None, compare_members=4, pass_candidates=5))
    people = [" ".join(w.capitalize() for w in _vocab(500 + k, 2)) for k in range(40)]
    for k, person in enumerate(people):
        for f in _event_reports(f"e{k}_", _vocab(100 + k), person, date(2025, 3, 1), 2):
            s.add(f)
    assert len(s.stories) == len(people) > s.options.exhaustive_below
    s.freeze()
    before = s.comparisons
    s.refine(rounds=1, only=["e7_1"])
    spent = s.comparisons - before
    limit = (s.options.pass_candidates + 1) * s.options.compare_members
    assert 0 < spent <= limit < len(s.docs)
    assert s.merge_pass(only=[s.story_of["e7_1"]]) == 0
    assert s.story_of["e7_1"] == s.story_of["e7_0"]


def test_incremental_update_gives_the_batch_result():
    from storyline.stories import update_stories

    reports = (
        _event_reports("a", _vocab(1), "Ann Okafor", date(2025, 3, 1), 4)
        + _event_reports("b", _vocab(2), "Lars Vidal", date(2025, 3, 2), 4)
        + _event_reports("c", _vocab(3), "Petra Lindqvist", date(2025, 3, 3), 4)
    )
    batch = sorted(sorted(g) for g in cluster(reports))
    assert len(batch) == 3
    first = [f for f in reports if f.article_id[1] in "01"]
    _, known = update_stories(first, {})
    groups, members = update_stories(reports, known)
    assert sorted(sorted(g) for g in groups) == batch
    assert all(members[a] == k for a, k in known.items())  # earlier placements kept
    # Again, with one report at a time.
    known = {}
    for i in range(1, len(reports) + 1):
        groups, known = update_stories(reports[:i], known)
    assert sorted(sorted(g) for g in groups) == batch


def test_long_story_is_judged_by_members_near_in_time():
    from storyline.stories import _Story

    s = StreamClusterer(ClusterOptions(evict_after_days=None, compare_members=4))
    for f in _event_reports("a", _vocab(1), "Ann Okafor", date(2025, 3, 1), 12):
        s.add(f)
    story = s.stories[s.story_of["a0"]]
    assert isinstance(story, _Story) and len(story.members) == 12
    middle = s.docs["a6"]
    assert sorted(d.article_id for d in story.near(middle, 4)) == ["a4", "a5", "a7", "a8"]
    assert [d.article_id for d in story.near(s.docs["a11"], 2)] == ["a10", "a9"]


def test_document_frequencies_stay_bounded():
    from storyline.stories import _Frequencies

    freq = _Frequencies(max_keys=100)
    for i in range(1000):
        freq.add([f"t:common{i % 3}", f"t:rare{i}"])
    assert len(freq.df) <= 100
    assert freq.df["t:common0"] >= 300  # frequent keys survive pruning
    assert freq.idf("t:rare5") > freq.idf("t:common1")  # a pruned key still reads as rare


ARREST = (
    "Rovers {role} {name} was arrested on suspicion of drunk driving early on {day}, the Kellow highway patrol said. "
    "{last} was stopped after speeding on the ring road. The Kellow Rovers said they were aware of the arrest of "
    "{last} and would comment later. {extra}"
)
EXTRAS = (
    "Coach Lena Fisk declined to say whether he would play.",
    "It is the club's second such case this season.",
    "His agent said he would contest the charge.",
)


def _arrests(prefix: str, role: str, name: str, day: str, first: date) -> list:
    last = name.split()[-1]
    return [
        fast_features(f"{prefix}{i}", ARREST.format(role=role, name=name, last=last, day=day, extra=e), day=first + timedelta(days=i))
        for i, e in enumerate(EXTRAS)
    ]


def test_same_kind_of_event_about_another_person_is_another_story():
    fs = _arrests("a", "winger", "Tomas Brandt", "Sunday", date(2025, 3, 2)) + _arrests(
        "b", "defender", "Ivo Marchetti", "Tuesday", date(2025, 3, 4)
    )
    assert cluster(fs) == [["a0", "a1", "a2"], ["b0", "b1", "b2"]]
    # The text alone links them: it is the protagonist check that keeps them apart.
    assert len(cluster(fs, ClusterOptions(protagonist_factor=1.0))) == 1


def test_reports_stating_other_figures_link_less():
    from storyline.stories import _other_figures

    quake = (
        "A magnitude {m} earthquake struck the Orlen valley, rescuers said. Officials put the toll at {n} dead and "
        "{h} injured, and {b} buildings collapsed."
    )
    s = StreamClusterer()
    story = [s._doc(fast_features(f"a{i}", quake.format(m="6.1", n=212, h=1400 + i, b=310))) for i in range(3)]
    other = s._doc(fast_features("b", quake.format(m="5.4", n=17, h=96, b=28)))
    update = s._doc(fast_features("c", quake.format(m="6.1", n=230, h=1500, b=310)))
    assert _other_figures(other, story)
    assert not _other_figures(update, story)  # a revised toll, the same building count: the same quake
    assert not _other_figures(other, story[:1])  # one report settles nothing


def test_a_story_that_never_goes_quiet_keeps_only_recent_reports_in_memory():
    s = StreamClusterer(ClusterOptions(evict_after_days=30))
    words = _vocab(7)
    reports = []
    for i in range(20):  # one report every ten days for 200 days
        body = " ".join(words[(i + j) % len(words)] for j in range(30))
        text = f"Ann Okafor said the {body}. Ann Okafor spoke again."
        reports.append(fast_features(f"r{i}", text, day=date(2025, 1, 1) + timedelta(days=10 * i)))
    for f in reports:
        s.add(f)
    assert len(s.groups()) == 1  # one story throughout
    assert s.stats()["live_reports"] <= 4  # but only its last month is held
    assert s.stats()["assignments"] == 20


def _months_of_events() -> list[StoryFeatures]:
    """Invented events spread over most of a year (4 reports each, a day apart), in arrival order."""
    reports: list[StoryFeatures] = []
    people = ["Ann Okafor", "Lars Vidal", "Petra Lindqvist", "Omar Haddad", "Ines Moreau", "Tomas Berg",
              "Keiko Sato", "Ravi Menon"]
    for k, person in enumerate(people):
        reports += _event_reports(f"e{k}_", _vocab(40 + k), person, date(2025, 1, 5) + timedelta(days=37 * k), 4)
    return reports


def _stored_placement(tmp_path, reports, known_ids, opts):
    """Place ``reports`` through a real store: first the known ones (a first run), then the rest."""
    from storyline.cleaning import content_hash
    from storyline.model import Article
    from storyline.pipeline import (
        FEATURES_CACHE_VERSION,
        AnalysisResult,
        AnalyzeOptions,
        _place,
    )
    from storyline.store import Store
    from storyline.stories import features_to_payload

    articles = [Article(id=f.article_id, text=f.article_id, content_hash=content_hash(f.article_id)) for f in reports]
    by_id = {f.article_id: f for f in reports}
    tmp_path.mkdir(parents=True, exist_ok=True)
    with Store(str(tmp_path / "s.duckdb")) as store:
        store.add_articles(articles)
        store.put_features(
            (a.content_hash, None, FEATURES_CACHE_VERSION, features_to_payload(by_id[a.id])) for a in articles
        )
        first = [a for a in articles if a.id in known_ids]
        aopts = AnalyzeOptions(clustering=opts)
        known = _place(store, first, {}, aopts)
        assert len(store.open_story_members("stream-1", FEATURES_CACHE_VERSION, None)) == len(first)
        read_back: list[str] = []
        rows_of = store.open_story_members

        def recording(*args, **kwargs):
            rows = rows_of(*args, **kwargs)
            read_back.extend(a for a, _, _, _ in rows)
            return rows

        store.open_story_members = recording  # type: ignore[method-assign]
        result = AnalysisResult(report={}, problems=[])
        members = _place(store, articles, {}, aopts, result)
        assert result.reports_restored == len(read_back)
        state = store.cluster_state("stream-1")
        df = store.term_df(["t:" + t for t in reports[0].terms])
    return known, members, state, df, read_back


def test_a_store_restores_only_open_stories_and_places_new_reports_as_a_full_restore_does(tmp_path):
    from storyline.stories import document_frequencies, open_since, update_stories

    reports = _months_of_events()
    opts = ClusterOptions()
    # New: the last report of each of the last three events, and a late follow-up of the sixth one.
    late = fast_features("late", "Ines Moreau said the " + " ".join(_vocab(45)[:20]) + " again.", day=date(2025, 8, 20))
    new_ids = {reports[i].article_id for i in (23, 27, 31)}
    corpus = reports + [late]
    known_ids = {f.article_id for f in reports} - new_ids
    known, members, state, df, read_back = _stored_placement(tmp_path, corpus, known_ids, opts)
    # The same placement as restoring every stored report (the in-memory update).
    _, expected = update_stories(corpus, known, opts)
    assert members == expected
    assert all(members[a] == k for a, k in known.items())
    assert members["late"] == members["e5_0"] and members["e7_3"] == members["e7_0"]
    # Only the stories open to the new reports were read back: the early events were not.
    since = open_since([f for f in corpus if f.article_id not in known_ids], opts)
    assert since == date(2025, 7, 12) - timedelta(days=60)  # e5_3, the earliest new report, is dated July 12
    assert {a.split("_")[0] for a in read_back} == {"e4", "e5", "e6", "e7"}
    # The stored frequencies count every placed report once.
    assert state == (state[0], len(corpus))
    full = document_frequencies(corpus)
    assert df == {k: full[k] for k in df} and df


def test_open_stories_are_read_back_by_day_and_undated_reports_reopen_everything(tmp_path):
    from storyline.cleaning import content_hash
    from storyline.model import Article
    from storyline.pipeline import FEATURES_CACHE_VERSION, AnalyzeOptions, _place
    from storyline.store import Store
    from storyline.stories import features_to_payload, open_since

    reports = _months_of_events()
    articles = [Article(id=f.article_id, text=f.article_id, content_hash=content_hash(f.article_id)) for f in reports]
    with Store(str(tmp_path / "s.duckdb")) as store:
        store.add_articles(articles)
        store.put_features(
            (a.content_hash, None, FEATURES_CACHE_VERSION, features_to_payload(f)) for a, f in zip(articles, reports)
        )
        _place(store, articles, {}, AnalyzeOptions())
        rows = store.open_story_members("stream-1", FEATURES_CACHE_VERSION, date(2025, 7, 1))
        everything = store.open_story_members("stream-1", FEATURES_CACHE_VERSION, None)
    # Events 5-7 have a report on or after July 1; their members come back with their rank overall.
    assert {a.split("_")[0] for a, _, _, _ in rows} == {"e5", "e6", "e7"}
    assert [p for _, _, p, _ in rows] == sorted(p for _, _, p, _ in rows)
    assert [a for a, _, _, _ in everything] == [f.article_id for f in reports]  # already in day order
    assert {a: p for a, _, p, _ in everything}["e6_0"] == 24
    undated = fast_features("u", "Omar Haddad said the " + " ".join(_vocab(43)[:20]))
    assert open_since([undated, reports[-1]]) is None and open_since([]) is None
    assert open_since([reports[-1]], ClusterOptions(evict_after_days=None)) is None


FIRE = (
    "Fire swept through a warehouse in {town} on {day}, and Fire Chief {chief} said crews from {county} fought "
    "the blaze for hours. {chief} said the roof of the {town} warehouse collapsed and {n} workers were treated "
    "for smoke. {extra}"
)


def _fires(prefix: str, town: str, chief: str, county: str, day: str, n: int, first: date) -> list:
    return [
        fast_features(
            f"{prefix}{i}",
            FIRE.format(town=town, chief=chief, county=county, day=day, n=n, extra=e),
            day=first + timedelta(days=i),
        )
        for i, e in enumerate(EXTRAS)
    ]


def test_same_kind_of_event_naming_other_places_and_people_links_less(monkeypatch):
    from storyline import stories
    from storyline.stories import _other_names

    a = _fires("a", "Brackwell", "Oona Freel", "Harwick County", "Sunday", 12, date(2025, 3, 2))
    b = _fires("b", "Tolsey", "Ravi Castellan", "Marden County", "Tuesday", 12, date(2025, 3, 4))
    s = StreamClusterer()
    story = [s._doc(f) for f in a]
    other = s._doc(b[0])
    same = s._doc(_fires("c", "Brackwell", "Oona Freel", "Harwick County", "Monday", 14, date(2025, 3, 3))[0])
    assert _other_names(other, story, s.freq)
    assert not _other_names(same, story, s.freq)  # the same town and chief: the same fire
    assert not _other_names(other, story[:1], s.freq)  # one report settles nothing
    assert cluster(a + b) == [["a0", "a1", "a2"], ["b0", "b1", "b2"]]
    # The text alone links them: it is the name checks (report and story, story and story) that keep them apart.
    monkeypatch.setattr(stories, "_other_story_names", lambda *args: False)
    assert len(cluster(a + b, ClusterOptions(names_factor=1.0))) == 1


def test_one_figure_other_than_the_story_agrees_on_links_less():
    from storyline.stories import _other_figures

    raid = "The navy caught {n} pirates in the Gulf of Aden after they tried to board a tanker, officials said."
    s = StreamClusterer()
    story = [s._doc(fast_features(f"a{i}", raid.format(n=23) + f" Report {w}.")) for i, w in enumerate("xyz")]
    assert _other_figures(s._doc(fast_features("b", raid.format(n=26))), story)
    assert not _other_figures(s._doc(fast_features("c", raid.format(n=23))), story)


def test_split_pass_separates_two_events_that_grew_into_one_story():
    # Forced into one story (as an early wrong join does), two events split
    # again, and a story of one event stays whole.
    a = _fires("a", "Brackwell", "Oona Freel", "Harwick County", "Sunday", 12, date(2025, 3, 2))
    b = _fires("b", "Tolsey", "Ravi Castellan", "Marden County", "Tuesday", 31, date(2025, 3, 2))
    s = StreamClusterer(ClusterOptions(threshold=0.0, names_factor=1.0, merge_pass=False))
    for f in a + b:
        s.add(f)
    assert len(s.stories) == 1
    s.options = ClusterOptions()
    s.freeze()
    made = s.split_pass()
    assert len(made) == 1
    assert sorted(sorted(g) for g in s.groups()) == [["a0", "a1", "a2"], ["b0", "b1", "b2"]]
    assert s.split_pass() == []  # nothing left to split


def test_passes_compare_with_every_story_while_there_are_few():
    # Below ``exhaustive_below`` live stories every story is a candidate, also
    # in the passes, whatever its key sorts as.
    s = StreamClusterer(ClusterOptions(evict_after_days=None, pass_candidates=2))
    people = [" ".join(w.capitalize() for w in _vocab(700 + k, 2)) for k in range(8)]
    for k, person in enumerate(people):
        for f in _event_reports(f"e{k}_", _vocab(300 + k), person, date(2025, 3, 1), 3):
            s.add(f)
    assert len(s.stories) == len(people) <= s.options.exhaustive_below
    home, wrong = s.story_of["e7_2"], s.story_of["e0_0"]
    s._move(s.docs["e7_2"], home, wrong)
    s.freeze()
    assert s.refine(rounds=1, only=["e7_2"]) == 1
    assert s.story_of["e7_2"] == home


def test_a_store_without_kept_frequencies_counts_them_once_and_places_as_before(tmp_path):
    from storyline.cleaning import content_hash
    from storyline.model import Article
    from storyline.pipeline import FEATURES_CACHE_VERSION, AnalyzeOptions, _place
    from storyline.store import Store
    from storyline.stories import document_frequencies, features_to_payload

    reports = _months_of_events()
    articles = [Article(id=f.article_id, text=f.article_id, content_hash=content_hash(f.article_id)) for f in reports]
    first = [a for a in articles if not a.id.endswith("_3")]
    placements = []
    for name, forget in (("kept", False), ("forgotten", True)):
        with Store(str(tmp_path / f"{name}.duckdb")) as store:
            store.add_articles(articles)
            store.put_features(
                (a.content_hash, None, FEATURES_CACHE_VERSION, features_to_payload(f)) for a, f in zip(articles, reports)
            )
            _place(store, first, {}, AnalyzeOptions())
            if forget:  # as a store written before the frequencies were kept (schema 3, migrated)
                store._con.execute("DELETE FROM cluster_state")
                store._con.execute("DELETE FROM term_df")
                assert store.cluster_state("stream-1") is None
            placements.append(_place(store, articles, {}, AnalyzeOptions()))
            assert store.cluster_state("stream-1") == (FEATURES_CACHE_VERSION, len(articles))
            full = document_frequencies(reports)
            assert store.term_df(list(full)) == dict(full)
    assert placements[0] == placements[1]


def _wordy_events() -> list[StoryFeatures]:
    """Invented events of longer reports (35 of the event's 40 words each), four a day apart, a month between events."""
    people = ["Ann Okafor", "Lars Vidal", "Petra Lindqvist", "Omar Haddad", "Ines Moreau", "Tomas Berg"]
    reports: list[StoryFeatures] = []
    for k, person in enumerate(people):
        words = _vocab(70 + k, 40)
        for i in range(4):
            body = " ".join(words[(i + j) % 40] for j in range(35))
            text = f"{person} said the {body} on the day. {person} spoke again."
            reports.append(fast_features(f"e{k}_{i}", text, day=date(2025, 1, 5) + timedelta(days=30 * k + i)))
    return reports


def test_a_restore_of_candidate_stories_only_places_as_a_full_restore_does(tmp_path, monkeypatch):
    from storyline import pipeline
    from storyline.stories import update_stories

    reports = _wordy_events()
    opts = ClusterOptions()
    corpus = [*reports[:-1], reports[-1]]
    # One report added, then two (a wider lookup, and a window opening 60 days before the earlier).
    for new_ids, window in (({"e5_3"}, {"e3", "e4", "e5"}), ({"e4_3", "e5_3"}, {"e2", "e3", "e4", "e5"})):
        known_ids = {f.article_id for f in corpus} - new_ids
        where = tmp_path / "-".join(sorted(new_ids))
        _, window_members, _, _, window_read = _stored_placement(where / "window", corpus, known_ids, opts)
        with monkeypatch.context() as m:
            m.setattr(pipeline, "PARTIAL_RESTORE_FROM", 0)  # every store counts as large
            known, members, state, _, read_back = _stored_placement(where / "partial", corpus, known_ids, opts)
        _, expected = update_stories(corpus, known, opts)
        assert members == expected == window_members
        assert members["e5_3"] == members["e5_0"]
        # The window restore read every story of the last 60 days; the partial one only the
        # stories sharing rare words with the new reports.
        assert {a.split("_")[0] for a in window_read} == window
        events = {a.split("_")[0] for a in read_back}
        own = {i.split("_")[0] for i in new_ids}
        if len(new_ids) == 1:
            assert events == own  # exactly the index's lookup keys: the other open stories stay out
        else:
            assert own <= events <= window  # twice the keys each: a margin, never more than the window
        assert state == (state[0], len(corpus))


def test_a_new_story_in_a_partial_restore_takes_an_unused_key(tmp_path, monkeypatch):
    from storyline import pipeline

    reports = _months_of_events()
    other = fast_features("other", "Gale Okonkwo said the " + " ".join(_vocab(60)[:20]), day=date(2025, 8, 21))
    corpus = reports + [other]
    monkeypatch.setattr(pipeline, "PARTIAL_RESTORE_FROM", 0)
    known, members, _, _, read_back = _stored_placement(tmp_path, corpus, {f.article_id for f in reports}, ClusterOptions())
    assert read_back == [] or all(members[a] != members["other"] for a in read_back)
    assert members["other"] not in set(known.values())  # a story of its own, under a key no stored story has


SACKED_A = (
    "A sacked worker opened fire at a freight depot in Kelton on {d}, killing one colleague, police said.",
    "Police said a former employee shot dead a colleague at the Kelton depot on {d} and fled in a van.",
    "One man was killed when a gunman who had lost his job returned to the Kelton freight depot on {d}.",
)
SACKED_B = (
    "A gunman who had been fired opened fire at a Kelton warehouse on {d}, wounding two managers, police said.",
    "Police said a dismissed worker shot two managers at a warehouse in Kelton on {d} before he was arrested.",
    "Two managers were wounded when a former employee returned to the Kelton warehouse with a shotgun on {d}.",
)


def _sacked(day_a: str, day_b: str) -> list[StoryFeatures]:
    return [fast_features(f"a{i}", t.format(d=day_a)) for i, t in enumerate(SACKED_A)] + [
        fast_features(f"b{i}", t.format(d=day_b)) for i, t in enumerate(SACKED_B)
    ]


def test_reports_naming_another_day_of_the_week_are_another_event(monkeypatch):
    from storyline import stories

    # Two shootings of one kind in one town, undated reports: the day of the
    # week each names is what tells them apart.
    assert cluster(_sacked("Monday", "Thursday")) == [["a0", "a1", "a2"], ["b0", "b1", "b2"]]
    assert len(cluster(_sacked("Monday", "Monday"))) == 1
    other, same = similarity_matrix(_sacked("Monday", "Thursday")), similarity_matrix(_sacked("Monday", "Monday"))
    assert all(other[i][j] < same[i][j] for i in range(3) for j in range(3, 6))
    # Without the weekday evidence the text alone joins them.
    weights = list(stories._WEIGHTS)
    for name in ("weekday_conflict", "weekday_shared"):
        weights[stories.FEATURE_NAMES.index(name)] = 0.0
    monkeypatch.setattr(stories, "_WEIGHTS", tuple(weights))
    assert len(cluster(_sacked("Monday", "Thursday"))) == 1


def test_a_dated_report_names_weekdays_of_its_own_week():
    from storyline.stories import _weekday_days, _weekday_evidence

    monday = date(2025, 3, 10)
    assert _weekday_days(["saturday"], monday) == {date(2025, 3, 8).toordinal()}
    assert _weekday_days(["monday"], monday) == {monday.toordinal()}  # today
    assert _weekday_days(["saturday"], None) == frozenset()
    s = StreamClusterer()
    text = "The depot reopened on Saturday after the shooting, the owners said."

    def doc(i: str, day: date | None):
        return s._doc(fast_features(i, text, day=day))

    sunday_paper, monday_paper = doc("a", date(2025, 3, 9)), doc("b", monday)
    month_later = doc("c", date(2025, 4, 7))
    assert _weekday_evidence(sunday_paper, monday_paper) == (0.0, 1.0)  # the same Saturday
    assert _weekday_evidence(sunday_paper, month_later) == (1.0, 0.0)  # another Saturday
    assert _weekday_evidence(doc("d", None), month_later) == (0.0, 1.0)  # undated: names compared
    assert _weekday_evidence(doc("e", None), s._doc(fast_features("f", "The depot reopened."))) == (0.0, 0.0)


def _crowded_events() -> list[StoryFeatures]:
    """Eight invented events of ten reports each over the same three weeks, sharing actors and half
    their words: every report has several live candidate stories of more members than the probe."""
    people = ["Ann Okafor", "Lars Vidal", "Petra Lindqvist", "Omar Haddad"]
    shared = _vocab(90, 30)
    reports: list[StoryFeatures] = []
    for k in range(8):
        own = _vocab(100 + k, 30)
        person, other = people[k % 4], people[(k + 1) % 4]
        for i in range(10):
            body = " ".join((own if (i + j) % 2 else shared)[(3 * i + j) % 30] for j in range(40))
            text = f"{person} said the {body} on the day. {other} spoke about the {own[i % 30]}."
            reports.append(fast_features(f"c{k}_{i}", text, day=date(2025, 3, 1) + timedelta(days=2 * i + k % 3)))
    reports.sort(key=lambda f: (f.day, f.article_id))
    return reports


def test_a_candidate_story_proven_beaten_is_not_scored_in_full_and_nothing_changes(monkeypatch):
    reports = _crowded_events()
    expected_stories = None
    full_link = StreamClusterer._link
    cut_short = []

    def without_bound(self, doc, story, beat=None):
        return full_link(self, doc, story, None)

    monkeypatch.setattr(StreamClusterer, "_link", without_bound)
    expected_stories = cluster(reports)

    def checked(self, doc, story, beat=None):
        fast, full = full_link(self, doc, story, beat), full_link(self, doc, story, None)
        if fast != full:  # the bound stopped scoring: allowed only for a link that loses either way
            assert beat is not None and fast < beat and full < beat
            cut_short.append(doc.article_id)
        return fast

    monkeypatch.setattr(StreamClusterer, "_link", checked)
    assert cluster(reports) == expected_stories
    assert cut_short  # the bound did stop scoring somewhere
    monkeypatch.undo()
    assert cluster(reports) == expected_stories and len(expected_stories) > 1


def _same_kind_stream(events: int) -> list[StoryFeatures]:
    """Three reports on each of ``events`` events of one kind on one day: the kind's words and places
    in every report, each event's own words and chief."""
    out = []
    for k in range(3):
        for e in range(events):
            terms = {f"fire{i}": 2 for i in range(8)} | {f"e{e}w{i}": 1 + (i + k) % 3 for i in range(20)}
            names = {"harbour district": 1, "city hall": 1, f"chief{e} surname{e}": 2}
            out.append(StoryFeatures(article_id=f"r{e}_{k}", terms=terms, names=names, day=date(2024, 5, 1)))
    return out


def test_comparisons_per_report_do_not_grow_with_stories_sharing_hot_keys() -> None:
    # Four times the events of one kind on the same day: each report still costs no more comparisons,
    # and every event's reports still make one story; counting the kind's keys fully costs more.
    per_report = {}
    default = BlockingOptions().hot_postings
    for hot in (default, None):
        for events in (40, 160):
            opts = ClusterOptions(blocking=BlockingOptions(hot_postings=hot, max_postings=10_000))
            stream = StreamClusterer(opts)
            stream.add_all(_same_kind_stream(events))
            stream.finish()
            expected = sorted(sorted(f"r{e}_{k}" for k in range(3)) for e in range(events))
            assert sorted(sorted(g) for g in stream.groups()) == expected
            per_report[hot, events] = stream.comparisons / (3 * events)
    assert per_report[default, 160] <= per_report[default, 40]
    assert per_report[default, 160] < 0.5 * per_report[None, 160]
