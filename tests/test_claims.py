from storyline.claims import AlignOptions, Figure, FigureContext, align, build_claims, compatible, judge, value_interval
from storyline.model import Quantity


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
