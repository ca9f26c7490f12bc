import pytest

from storyline.provenance import (
    ProvenanceInput,
    body_text,
    containment,
    garble_edits,
    independent_sources,
    shingles,
    trace,
    witness_of,
)

BASE = (
    "The harbour board voted on Thursday to close the northern pier for repairs after inspectors found "
    "corroded pilings beneath the ferry terminal, a decision that will reroute commuter boats for months. "
    "Board chair Ines Marlow said the closure was unavoidable and promised weekly updates to riders."
)
OTHER = (
    "Farmers in the upper valley reported a record apple harvest this autumn, crediting a mild spring and "
    "new irrigation channels dug by the cooperative last year; prices at the market fell as a result."
)


def item(aid, text, *, garble=0.0, day="2025-01-02", terms=None):
    words = {w.lower(): 1 for w in text.split() if len(w) > 3}
    return ProvenanceInput(article_id=aid, text=text, terms=terms or words, garble=garble, day=day)


def test_containment_of_a_copy_is_high_and_of_unrelated_text_low():
    a, b = shingles(BASE), shingles("Photo credit. " + BASE + " Share this article.")
    assert containment(a, b) > 0.95
    assert containment(a, shingles(OTHER)) == 0.0


def test_trace_marks_copy_original_and_independent():
    prov = {p.article_id: p for p in trace([
        item("orig", BASE, day="2025-01-02"),
        item("copy", "Related. " + BASE, day="2025-01-03"),
        item("other", OTHER, day="2025-01-02"),
    ])}
    assert prov["copy"].relation == "copy" and prov["copy"].derived_from == "orig"
    assert prov["orig"].relation == "original"
    assert prov["other"].relation == "independent"
    assert independent_sources(list(prov.values())) == 2
    assert witness_of(list(prov.values()))["copy"] == "orig"


def test_garbled_copy_with_shared_content_is_a_translation():
    garbled = ("Thursday the board of harbour voted to closing the pier northern for repairs, inspectors finding "
               "pilings corroded under terminal of ferry. Chair Ines Marlow told the closure was not avoidable.")
    terms_a = {"harbour": 1, "board": 2, "pier": 1, "repairs": 1, "inspectors": 1, "pilings": 1, "ferry": 1,
               "terminal": 1, "closure": 1, "marlow": 1}
    terms_b = dict(terms_a)
    prov = {p.article_id: p for p in trace([
        item("orig", BASE, terms=terms_a),
        item("mt", garbled, garble=0.8, day=None, terms=terms_b),
    ])}
    assert prov["mt"].relation == "translation" and prov["mt"].derived_from == "orig"


# ---------------------------------------------------------------- chrome, chains, counts

LATER = (
    "Commuters faced long queues at the southern landing on Friday as ferries were diverted from the "
    "northern pier, and the operator added two extra crossings in the evening to cope with demand. "
    "Riders said the harbour board had given them too little warning."
)


def chrome(body, *, site="Harbour Times"):
    return "\n".join([
        f"Home | News | {site} | Sport | Opinion",
        "We use cookies to improve your experience on our site. By continuing you accept our cookie policy.",
        "By Staff Writer",
        *body.split(". "),
        "Share this article",
        "Please enter your comment!",
        "Related Articles",
        "Apple growers celebrate a record harvest in the upper valley",
        "Council approves new cycle lanes along the river road",
    ])


def _is_forest(prov):
    parent = {p.article_id: p.derived_from for p in prov}
    for start in parent:
        seen, node = set(), start
        while node is not None:
            assert node not in seen, f"cycle through {node}"
            seen.add(node)
            node = parent.get(node)
    return True


def test_repost_wrapped_in_chrome_is_a_copy_of_the_original_even_undated():
    prov = {p.article_id: p for p in trace([
        item("repost", chrome(BASE), day=None),
        item("orig", BASE, day="2025-01-02"),
    ])}
    assert prov["repost"].relation == "copy" and prov["repost"].derived_from == "orig"
    assert prov["orig"].relation == "original"
    assert independent_sources(list(prov.values())) == 1


def test_same_day_repost_points_to_the_clean_page():
    prov = {p.article_id: p for p in trace([
        item("repost", chrome(BASE), day="2025-01-02"),
        item("orig", BASE, day="2025-01-02"),
    ])}
    assert prov["repost"].derived_from == "orig"


def test_chain_of_copies_is_a_forest_rooted_at_the_original():
    copy1 = chrome(BASE, site="Coast Daily")
    copy2 = chrome(copy1, site="Aggregator")
    prov = trace([
        item("copy2", copy2, day="2025-01-04"),
        item("copy1", copy1, day="2025-01-03"),
        item("orig", BASE, day="2025-01-02"),
        item("other", LATER, day="2025-01-03"),
    ])
    by = {p.article_id: p for p in prov}
    assert _is_forest(prov)
    assert by["copy1"].derived_from == "orig" and by["copy2"].derived_from == "orig"
    assert {by["copy1"].relation, by["copy2"].relation} == {"copy"}
    assert witness_of(prov)["copy2"] == "orig"
    assert independent_sources(prov) == 2


def test_independent_reports_of_one_event_stay_independent():
    second = (
        "Inspectors who examined the ferry terminal found the pilings under the northern pier badly corroded, "
        "and the harbour board decided on Thursday to shut the pier. Ines Marlow, who chairs the board, "
        "told reporters there had been no alternative."
    )
    prov = {p.article_id: p for p in trace([item("a", BASE), item("b", second), item("c", LATER)])}
    assert {p.relation for p in prov.values()} == {"independent"}
    assert independent_sources(list(prov.values())) == 3


def test_translation_like_garble_of_a_report_is_a_translation_not_a_rewrite():
    garbled = (
        "The board of harbour voted on Thursday to close the pier northern for the repairs after inspectors found "
        "pilings corroded beneath terminal of ferry, a decision that will reroute the boats of commuter for months. "
        "Chair of board Ines Marlov said the closure was unavoidable and she promised weekly updates to riders."
    )
    rewritten = (
        "The harbour board voted on Thursday to shut the northern pier for repairs after inspectors found "
        "corroded pilings beneath the ferry terminal, a decision that will divert commuter boats for months. "
        "Board chair Ines Marlow called the closure unavoidable and promised weekly updates to passengers."
    )
    prov = {p.article_id: p for p in trace([
        item("orig", BASE, day="2025-01-02"),
        item("mt", garbled, garble=0.7, day="2025-01-03"),
        item("rw", rewritten, day="2025-01-03"),
    ])}
    assert prov["mt"].relation == "translation" and prov["mt"].derived_from == "orig"
    assert prov["rw"].relation == "rewrite" and prov["rw"].derived_from == "orig"
    assert independent_sources(list(prov.values())) == 1


def test_translation_of_an_unseen_report_does_not_count_as_a_source():
    prov = trace([
        item("orig", BASE),
        item("mt", "Farmers of valley upper told the harvest of apples is record, the prices of market falling.",
             garble=0.9),
    ])
    by = {p.article_id: p for p in prov}
    assert by["mt"].relation == "translation" and by["mt"].derived_from is None
    assert independent_sources(prov) == 1


def test_chrome_lines_are_set_aside():
    body, share = body_text(chrome(BASE))
    assert "cookie" not in body and "Related" not in body and "Apple growers" not in body
    assert "corroded pilings" in body and 0.2 < share < 0.8


def test_garble_edits_tell_translation_from_rewrite():
    garbled, edits = garble_edits("The board of harbour voted to close the pier northern, said Ines Marlov.",
                                  "The harbour board voted to close the northern pier, said Ines Marlow.")
    assert edits and garbled == edits
    garbled, edits = garble_edits("The harbour board decided to shut the northern pier, stated Ines Marlow.",
                                  "The harbour board voted to close the northern pier, said Ines Marlow.")
    assert edits and garbled == 0


# ---------------------------------------------------------------- through the pipeline


def test_story_reports_its_independent_sources(tmp_path):
    import json

    import storyline

    arts = [
        {"id": "orig", "text": BASE, "source": "Harbour Times", "published_at": "2025-01-02"},
        {"id": "repost", "text": chrome(BASE, site="Coast Daily")},
    ]
    path = tmp_path / "reports.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in arts), encoding="utf-8")
    report = storyline.analyze([path])
    story = next(s for s in report["stories"] if "repost" in s["article_ids"])
    prov = {p["article_id"]: p for p in story["provenance"]}
    if "orig" in story["article_ids"]:
        assert prov["repost"]["relation"] == "copy" and prov["repost"]["derived_from"] == "orig"
        assert story["independent_sources"] == 1
    for s in report["stories"]:
        assert 1 <= s["independent_sources"] <= len(s["article_ids"])


def test_machine_translated_seed_is_a_translation_and_not_an_independent_source():
    from _shared import SEEDS

    from storyline import pipeline
    from storyline.ingest import read_inputs
    from storyline.nlp import english

    if not SEEDS.is_dir() or len(list(SEEDS.glob("*.txt"))) < 3:
        pytest.skip("../shared/seeds is not available")
    arts = read_inputs(sorted(SEEDS.glob("*.txt"))).articles
    nlp = english()
    notes = {a.id: pipeline.annotate(a, d, pipeline._anchor_of(a)) for a, d in zip(arts, nlp.pipe(a.text for a in arts))}
    story = pipeline.analyse_story(arts, notes).story
    prov = {p.article_id: p for p in story.provenance}
    mt = next(a.id for a in arts if "003_" in (a.origin or ""))  # the seeds README: 003 is the machine translation
    assert prov[mt].relation == "translation"
    assert witness_of(story.provenance)[mt] not in {
        aid for aid, p in prov.items() if p.relation in ("original", "independent")
    } or prov[mt].derived_from is not None
    assert story.independent_sources == 2
    assert _is_forest(story.provenance)


def test_large_story_compares_nearest_reports_and_finds_the_same_sources_as_all_pairs():
    """Above ``all_pairs_max`` reports, each is compared only with its nearest ones; a rewrite
    with many copies of its own still finds its original (the copies are nearer to it)."""
    from storyline.provenance import ProvenanceOptions

    rewrite = BASE.replace("voted on Thursday", "decided late on Thursday").replace(
        "promised weekly updates to riders", "said riders would hear more every week")
    items = [item("orig", BASE, day="2025-01-01"), item("rew", rewrite, day="2025-01-02")]
    items += [item(f"copy{k}", f"Shared from the wire {k}. " + rewrite, day="2025-01-03") for k in range(9)]
    items += [item(f"early{k}", f"Reposted {k}. " + BASE, day="2025-01-01") for k in range(5)]
    items += [item(f"other{k}", OTHER.replace("apple", f"apple variety {k}"), day="2025-01-02") for k in range(6)]
    small = ProvenanceOptions(all_pairs_max=4, nearest=3)
    everything = ProvenanceOptions(all_pairs_max=10_000)
    pruned = {p.article_id: p for p in trace(items, small)}
    full = {p.article_id: p for p in trace(items, everything)}
    assert pruned["rew"].relation == "rewrite" and pruned["rew"].derived_from in {"orig"} | {f"early{k}" for k in range(5)}
    assert all(pruned[f"copy{k}"].relation == "copy" for k in range(9))
    assert {k: (p.derived_from, p.relation) for k, p in pruned.items()} == {
        k: (p.derived_from, p.relation) for k, p in full.items()}
