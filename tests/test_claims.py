import dataclasses

from storyline.claims import (
    AlignOptions,
    Figure,
    FigureContext,
    align,
    build_claims,
    build_date_claims,
    compatible,
    date_description,
    date_statement,
    dates_compatible,
    described_date,
    judge,
    value_interval,
)
from storyline.model import DateMention, Quantity


def fig(aid, value, text, *, qualifier="exact", kind="money", unit="USD", lemmas=(), verb=None, noun=None, day=None, subject=None):
    q = Quantity(article_id=aid, start=0, end=len(text), text=text, kind=kind, value=value, unit=unit, qualifier=qualifier)
    return Figure(quantity=q, context=FigureContext(lemmas=frozenset(lemmas), verb=verb, noun=noun, subject=subject), day=day)


def test_qualifiers_and_rounding_make_values_compatible():
    assert compatible([(650000, "nearly", "nearly $650,000"), (649800, "exact", "$649,800")])
    assert compatible([(4.2e6, "exact", "$4.2 million"), (4_230_000, "exact", "$4,230,000")])
    assert not compatible([(48000, "about", "about 48,000"), (84000, "exact", "84,000")])
    assert not compatible([(650000, "nearly", "nearly $650,000"), (690000, "more_than", "more than $690,000")])
    low, high = value_interval(100, "more_than", "100")
    assert low <= 100 < high


def test_agreed_updated_conflict_single_source():
    w = {"a": "a", "b": "b", "c": "a"}
    spend = dict(lemmas={"union", "spend", "campaign"}, verb="spend")
    assert judge([fig("a", 650000, "nearly $650,000", qualifier="nearly", day="2024-02-20", **spend),
                  fig("b", 649800, "$649,800", day="2024-02-21", **spend)], w) == "agreed"
    assert judge([fig("a", 650000, "nearly $650,000", qualifier="nearly", day="2024-02-20", **spend),
                  fig("b", 690000, "more than $690,000", qualifier="more_than", day="2024-03-05", **spend)], w) == "updated"
    # Same moment, incompatible: conflict.
    hh = dict(kind="count", unit="household", lemmas={"household", "notice"}, noun="household")
    assert judge([fig("a", 48000, "about 48,000", qualifier="about", day="2025-06-10", **hh),
                  fig("b", 84000, "84,000", day="2025-06-10", **hh)], w) == "conflict"
    # A growing quantity that shrinks later is a conflict, not an update.
    assert judge([fig("a", 900, "$900", day="2024-01-01", **spend), fig("b", 500, "$500", day="2024-02-01", **spend)], w) == "conflict"
    # A copy ("c" derives from "a") is not a second witness.
    assert judge([fig("a", 5, "$5", **spend), fig("c", 5, "$5", **spend)], w) == "single_source"


def test_align_groups_by_context_and_never_within_one_report():
    figs = [
        fig("a", 650000, "nearly $650,000", lemmas={"union", "spend", "independent", "campaign"}, verb="spend"),
        fig("a", 24302, "$24,302", lemmas={"campaign", "raise", "reporting", "period"}, verb="raise"),
        fig("b", 690000, "more than $690,000", lemmas={"union", "spend", "independent", "campaign", "behalf"}, verb="spend"),
        fig("b", 31736, "$31,736", lemmas={"campaign", "raise", "reporting", "period", "last"}, verb="raise"),
    ]
    groups = align(figs, AlignOptions())
    assert sorted(groups) == [[0, 2], [1, 3]]


def test_build_claims_orders_by_status_and_numbers_ids():
    w = {"a": "a", "b": "b"}
    figs = [
        fig("a", 1, "$1", lemmas={"x", "y"}, verb="spend"),
        fig("b", 5, "$5", lemmas={"x", "y"}, verb="spend"),
        fig("a", 7, "7%", kind="percent", unit="%", lemmas={"rate"}),
    ]
    claims = build_claims(figs, w, {0: "spending", 2: "rate"})
    assert [c.status for c in claims] == ["conflict", "single_source"]
    assert [c.id for c in claims] == ["c1", "c2"]
    assert claims[0].description == "spending"


def test_a_copy_that_changes_a_figure_is_a_conflict_not_a_single_source():
    w = {"a": "a", "b": "a"}  # "b" was copied from "a"
    spend = dict(lemmas={"council", "budget", "approve"}, verb="approve")
    assert judge([fig("a", 12_000_000, "$12 million", day="2024-05-01", **spend),
                  fig("b", 21_000_000, "$21 million", day="2024-05-01", **spend)], w) == "conflict"
    assert judge([fig("a", 12_000_000, "$12 million", day="2024-05-01", **spend),
                  fig("b", 12_000_000, "$12 million", day="2024-05-01", **spend)], w) == "single_source"


def test_others_count_agrees_with_the_total_it_implies():
    w = {"a": "a", "b": "b"}
    cand = dict(kind="count", unit="candidate", lemmas={"candidate", "seat"}, noun="candidate", day="2024-03-01")
    one_of = fig("a", 7, "seven", **cand)
    others = Figure(
        quantity=Quantity(article_id="b", start=0, end=3, text="Six", kind="count", value=6, unit="candidate",
                          counted="other candidates"),
        context=one_of.context, day="2024-03-01",
    )
    assert judge([one_of, others], w) == "agreed"
    plain_six = fig("b", 6, "Six", **cand)
    assert judge([one_of, plain_six], w) == "conflict"


def test_running_total_cue_makes_a_later_larger_count_an_update():
    w = {"a": "a", "b": "b"}
    total = dict(kind="count", unit="order", lemmas={"total", "bring"}, noun="plane")
    assert judge([fig("a", 677, "677", day="2024-01-01", **total), fig("b", 856, "856", day="2024-01-03", **total)], w) == "updated"
    flat = dict(kind="count", unit="seat", lemmas={"cabin", "layout"}, noun="seat")
    assert judge([fig("a", 200, "200", day="2024-01-01", **flat), fig("b", 260, "260", day="2024-01-03", **flat)], w) == "conflict"


# ---------------------------------------------------------------- date claims



def statement(aid, text, when, value, day="2024-05-10", names=()):
    start = text.index(when)
    mention = DateMention(aid, start, start + len(when), when, value, "DATE")
    return date_statement(mention, text, (0, len(text)), names, day)


def test_a_day_with_a_part_of_day_is_a_calendar_date_statement():
    text = "The ferry company suspended its night crossings this morning after the storm."
    st = statement("a", text, "this morning", "2024-05-10TMO")
    assert st is not None and st.mention.value[:10] == "2024-05-10"
    assert statement("a", text, "this morning", "PRESENT_REF") is None


def test_a_year_named_only_by_reference_states_no_date():
    text = "The ferry company opened a second route last year and added a third later that year."
    assert statement("a", text, "last year", "2023", day="2024-05-10") is not None
    assert statement("a", text, "later that year", "2023") is None
    other = "The ferry company expects its profits to double over the year, its chief said."
    assert statement("b", other, "the year", "2024") is None
    assert statement("b", other.replace("the year", "the year 2025"), "the year 2025", "2025") is not None


def test_reports_disagreeing_on_when_something_happened_make_a_date_conflict():
    a = statement("a", "The ferry company suspended its night crossings on May 6 after the storm.", "May 6", "2024-05-06")
    b = statement("b", "The ferry company suspended its night crossings on May 8 after the storm.", "May 8", "2024-05-08")
    claims = build_date_claims([a, b], {"a": "a", "b": "b"})
    assert len(claims) == 1 and claims[0].kind == "date" and claims[0].status == "conflict"
    assert {v.value for v in claims[0].values} == {"2024-05-06", "2024-05-08"}
    # No parse here, so no action: the report's words are quoted, and the account leaves it out.
    assert claims[0].description == "date (\u201cthe ferry company suspended its night crossings\u201d)"
    assert not described_date(claims[0])


def test_a_date_claim_is_described_by_the_action_most_reports_date():
    text_a = "The ferry company suspended its night crossings on May 6 after the storm."
    text_b = "Night crossings stopped on May 8, when the ferry company suspended them."
    a = dataclasses.replace(statement("a", text_a, "May 6", "2024-05-06"), action="the ferry company suspended night crossings")
    b = dataclasses.replace(statement("b", text_b, "May 8", "2024-05-08"), action="the ferry company suspended them")
    c = dataclasses.replace(statement("c", text_a, "May 6", "2024-05-06"), action="the ferry company suspended night crossings")
    assert date_description([b, a, c]) == "date the ferry company suspended night crossings"
    assert date_description([b]) == "date the ferry company suspended them"
    claim = build_date_claims([a, c], {"a": "a", "c": "c"})[0]
    assert claim.description == "date the ferry company suspended night crossings" and described_date(claim)
    bare = statement("a", "On May 6.", "May 6", "2024-05-06")
    assert date_description([dataclasses.replace(bare, event="")]) == "date"


def test_agreeing_dates_from_independent_reports_are_agreed_and_different_events_stay_apart():
    a = statement("a", "Voters go to the polls on Tuesday, May 7, in the district primary.", "Tuesday, May 7", "2024-05-07")
    b = statement("b", "The district primary is on May 7, and voters go to the polls early.", "May 7", "2024-05-07")
    other = statement("b", "The harbour museum reopened its west wing on May 2 to visitors.", "May 2", "2024-05-02")
    claims = build_date_claims([a, b, other], {"a": "a", "b": "b"})
    assert [c.status for c in claims] == ["agreed"]
    assert {v.article_id for v in claims[0].values} == {"a", "b"}


def test_as_of_anchors_and_datelines_are_not_date_claims():
    assert statement("a", "The fund had raised $4 million as of Monday, organisers said.", "Monday", "2024-05-06") is None
    assert statement("a", "May 29, 2006 The airline took delivery of its last jet.", "May 29, 2006", "2006-05-29") is None
    assert statement("a", "The airline took delivery of its last jet on May 29, 2006.", "May 29, 2006", "2006-05-29") is not None


def test_same_relative_words_from_reports_of_different_days_do_not_conflict():
    a = statement("a", "The mayor signed the order on Monday.", "Monday", "2024-05-06", day="2024-05-07")
    b = statement("b", "The mayor signed the order on Monday.", "Monday", "2024-05-13", day="2024-05-14")
    assert dates_compatible(a, b)
    coarse = statement("b", "The mayor signed the order in May 2024.", "May 2024", "2024-05")
    assert dates_compatible(a, coarse)


def test_two_dates_of_one_sentence_pair_with_their_own_clause():
    text_a = "In 1998 the company introduced its desktop computer, in 2001 its music player and a store."
    text_b = "In 1998 the company introduced its computer desktop, in 2001 its player of music and a store."
    a98, a01 = statement("a", text_a, "1998", "1998"), statement("a", text_a, "2001", "2001")
    b98, b01 = statement("b", text_b, "1998", "1998"), statement("b", text_b, "2001", "2001")
    claims = build_date_claims([a98, a01, b98, b01], {"a": "a", "b": "b"})
    assert sorted(c.status for c in claims) == ["agreed", "agreed"]
    assert all(len({v.value for v in c.values}) == 1 for c in claims)


def test_a_date_without_its_year_agrees_with_the_same_day_of_a_stated_year():
    stated = statement("a", "The singer was arrested on Sunday, February 1, 2009, police said.", "Sunday, February 1, 2009", "2009-02-01")
    inferred = statement("b", "The singer was arrested on Feb. 1, police said.", "Feb. 1", "2012-02-01")
    assert dates_compatible(stated, inferred)
    other_year = statement("b", "The singer was arrested on February 1, 2012, police said.", "February 1, 2012", "2012-02-01")
    assert not dates_compatible(stated, other_year)


def test_a_weak_match_is_not_enough_to_claim_reports_disagree():
    # Two different attempts to reach someone: a negated clause, few shared words.
    a = statement("a", "The mayor, who could not be reached for comment on Tuesday, leads the council.", "Tuesday", "2024-05-07")
    b = statement("b", "Reached on Monday evening, the mayor said he would have no immediate comment.", "Monday evening", "2024-05-06")
    assert build_date_claims([a, b], {"a": "a", "b": "b"}) == []
    same = statement("b", "The mayor, who could not be reached for comment on Monday, leads the council.", "Monday", "2024-05-06")
    assert [c.status for c in build_date_claims([a, same], {"a": "a", "b": "b"})] == ["conflict"]


def _align_all_pairs(figures, threshold):
    """Textbook average-link agglomeration over the full score matrix (the oracle)."""
    from storyline.claims import link_score

    n = len(figures)
    score = [[link_score(figures[i], figures[j]) if i != j else 0.0 for j in range(n)] for i in range(n)]
    groups = [[i] for i in range(n)]
    while True:
        best = (threshold, -1, -1)
        for gi in range(len(groups)):
            for gj in range(gi + 1, len(groups)):
                a, b = groups[gi], groups[gj]
                if any(figures[x].quantity.article_id == figures[y].quantity.article_id
                       and figures[x].quantity.value != figures[y].quantity.value for x in a for y in b):
                    continue
                avg = sum(score[x][y] for x in a for y in b) / (len(a) * len(b))
                if avg > best[0] + 1e-12:
                    best = (avg, gi, gj)
        if best[1] < 0:
            return sorted(sorted(g) for g in groups)
        _, gi, gj = best
        groups[gi] = groups[gi] + groups[gj]
        del groups[gj]


def test_sparse_align_matches_full_average_link_on_random_figures():
    import random

    rng = random.Random(11)
    words = ["union", "spend", "raise", "campaign", "period", "vote", "board", "school", "fund", "poll"]
    verbs = [None, "spend", "raise", "vote"]
    for trial in range(25):
        figs = []
        for k in range(rng.randint(3, 28)):
            value = rng.choice([100, 250, 650000, 690000, 24302, 31736])
            kind = rng.choice(["money", "money", "count"])
            figs.append(fig(
                f"r{rng.randint(0, 6)}", value, f"{value}", kind=kind, unit="USD" if kind == "money" else None,
                lemmas=set(rng.sample(words, rng.randint(0, 4))), verb=rng.choice(verbs),
                noun=rng.choice([None, "dollar", "member"]), subject=rng.choice([None, "e1", "e2"]),
            ))
        assert sorted(align(figs, AlignOptions())) == _align_all_pairs(figs, AlignOptions().link_threshold), trial


def test_sparse_align_matches_the_oracle_on_copies_with_changed_values():
    """Many copies of few sentences (scores tie at 1), some reports stating two values of one thing:
    the lazily re-queued pairs and the once-scored copies must join groups exactly as the oracle."""
    import random

    for trial in range(30):
        rng = random.Random(100 + trial)
        sentences = [
            {"lemmas": {"union", "spend"}, "verb": "spend", "noun": "member", "subject": "e1"},
            {"lemmas": {"vote", "board"}, "verb": "vote", "noun": None, "subject": None},
            {"lemmas": {"school", "fund", "poll"}, "verb": None, "noun": "member", "subject": "e2"},
        ]
        figs = []
        for k in range(rng.randint(10, 45)):
            ctx = rng.choice(sentences)
            value = rng.choice([12, 12, 12, 15, 40])
            kind = rng.choice(["count", "count", "money"])
            figs.append(fig(f"r{rng.randint(0, 9)}", value, f"{value}", kind=kind,
                            unit="USD" if kind == "money" else None, **ctx))
        assert sorted(align(figs, AlignOptions())) == _align_all_pairs(figs, AlignOptions().link_threshold), trial


def _align_dates_oracle(statements, threshold=0.5, conflict_threshold=0.7):
    """The plain form of claims.align_dates: every pair scored, average link over all member pairs."""
    from storyline.claims import _date_link, _date_parts, dates_compatible

    n = len(statements)
    parts = [_date_parts(st) for st in statements]
    score = {}
    for i in range(n):
        for j in range(i + 1, n):
            if statements[i].mention.article_id != statements[j].mention.article_id and parts[i][0] & parts[j][0]:
                sc = _date_link(statements[i], statements[j], parts[i], parts[j])
                if sc > threshold and (sc > conflict_threshold or dates_compatible(statements[i], statements[j])):
                    score[(i, j)] = sc
    group_of = list(range(n))
    members = {i: [i] for i in range(n)}
    # Copies first: each statement joins the earliest group of identical statements without its report.
    for j in range(n):
        sj = statements[j]
        for i in range(j):
            si = statements[i]
            if (group_of[i] == i and parts[i] == parts[j] and parts[i][0] and si.context.entities == sj.context.entities
                    and si.mention.text.casefold() == sj.mention.text.casefold() and si.day == sj.day
                    and (si.mention.value or "")[:10] == (sj.mention.value or "")[:10]
                    and sj.mention.article_id not in {statements[x].mention.article_id for x in members[i]}):
                members[i].append(j)
                del members[j]
                group_of[j] = i
                break
    for (i, j), _ in sorted(score.items(), key=lambda kv: (-kv[1], kv[0])):
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        a, b = members[gi], members[gj]
        if {statements[x].mention.article_id for x in a} & {statements[y].mention.article_id for y in b}:
            continue
        if sum(score.get((min(x, y), max(x, y)), 0.0) for x in a for y in b) / (len(a) * len(b)) <= threshold:
            continue
        members[gi] = a + b
        for y in b:
            group_of[y] = gi
        del members[gj]
    return [sorted(g) for g in members.values()]


def test_sparse_date_alignment_equals_the_plain_algorithm():
    import random

    from storyline.claims import DateStatement, FigureContext, align_dates
    from storyline.model import DateMention

    words = ["board", "vote", "strike", "union", "mayor", "plant", "leave", "order", "lift", "meet", "court", "fine"]
    for seed in range(25):
        rng = random.Random(seed)
        statements = []
        for k in range(rng.randint(2, 40)):
            bag = frozenset(rng.sample(words, rng.randint(1, 4)))
            value = rng.choice(["2025-06-09", "2025-06-10", "2025-06-12", "2025-06"])
            mention = DateMention(f"a{rng.randint(0, 7)}", k, k + 5, "June 9", value)
            statements.append(DateStatement(mention=mention, context=FigureContext(lemmas=bag), day="2025-06-16"))
        assert align_dates(statements) == _align_dates_oracle(statements), seed


def test_date_pairs_left_unscored_by_the_bound_could_not_have_linked():
    """Entities, differently written dates and longer contexts: the bound on a pair's score that
    skips scoring it must never skip a pair the plain algorithm links."""
    import random

    from storyline.claims import DateStatement, FigureContext, align_dates
    from storyline.model import DateMention

    words = [f"w{k}" for k in range(30)] + ["<w1", ">w2", "|w3", "|w4", "|~not"]
    for seed in range(40):
        rng = random.Random(1000 + seed)
        statements = []
        for k in range(rng.randint(2, 40)):
            bag = frozenset(rng.sample(words, rng.randint(1, 12)))
            value = rng.choice(["2025-06-09", "2025-06-10", "2025-06"])
            text = rng.choice(["June 9", "June 9, 2025", "Monday"])
            mention = DateMention(f"a{rng.randint(0, 7)}", k, k + 5, text, value)
            entities = frozenset(rng.sample(["e1", "e2", "e3"], rng.randint(0, 2)))
            statements.append(DateStatement(mention=mention, context=FigureContext(lemmas=bag, entities=entities),
                                            day=rng.choice(["2025-06-16", "2025-06-17"])))
        assert align_dates(statements) == _align_dates_oracle(statements), seed


def test_copies_of_a_date_statement_are_one_group_and_scored_once(monkeypatch):
    from storyline import claims
    from storyline.claims import DateStatement, FigureContext, align_dates
    from storyline.model import DateMention

    def statement(article, value, words, text="June 9"):
        mention = DateMention(article, 0, len(text), text, value)
        return DateStatement(mention=mention, context=FigureContext(lemmas=frozenset(words)), day="2025-06-16")

    vote = {"board", "vote", "|vote", "<board"}
    strike = {"union", "strike", "|strike", ">union"}
    # 30 reports copy the vote and strike statements; one report dates the vote a day later.
    statements = [statement(f"a{k}", "2025-06-09", vote) for k in range(30)]
    statements += [statement(f"a{k}", "2025-06-11", strike, "June 11") for k in range(30)]
    statements.append(statement("late", "2025-06-10", vote, "June 10"))
    calls = []
    real = claims._date_link
    monkeypatch.setattr(claims, "_date_link", lambda *a: calls.append(1) or real(*a))
    groups = align_dates(statements)
    assert sorted(map(len, groups)) == [30, 31]  # the late report's vote joins the vote group
    assert len(calls) <= 3  # the distinct statements, not the 1,830 pairs of the 61
    # A second copy from the same report is a statement of its own (a report gives one date for one thing).
    twice = [statement("a1", "2025-06-09", vote), statement("a1", "2025-06-09", vote), statement("a2", "2025-06-09", vote)]
    assert sorted(map(len, align_dates(twice))) == [1, 2]


def test_a_date_claims_subject_does_not_depend_on_the_processs_string_hash_seed():
    # Two reports agree on a date; each clause names the same six entities (a set), so every
    # entity ties: the tie must go the same way in every process, whatever PYTHONHASHSEED is.
    import os
    import subprocess
    import sys

    script = (
        "import dataclasses\n"
        "from tests.test_claims import statement\n"
        "from storyline.claims import build_date_claims\n"
        "ents = frozenset({'e12', 'e3', 'e7', 'e40', 'e5', 'e21'})\n"
        "def s(aid):\n"
        "    st = statement(aid, 'The ferry company suspended its night crossings on May 6 after the storm.', 'May 6', '2024-05-06')\n"
        "    return dataclasses.replace(st, context=dataclasses.replace(st.context, entities=ents))\n"
        "print(build_date_claims([s('a'), s('b')], {'a': 'a', 'b': 'b'})[0].subject)\n"
    )
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    subjects = set()
    for seed in ("1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}
        out = subprocess.run([sys.executable, "-c", script], env=env, cwd=root, capture_output=True, text=True, check=True)
        subjects.add(out.stdout.strip())
    assert subjects == {"e3"}
