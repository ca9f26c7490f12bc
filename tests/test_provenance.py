from storyline.provenance import ProvenanceInput, containment, independent_sources, shingles, trace, witness_of

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
