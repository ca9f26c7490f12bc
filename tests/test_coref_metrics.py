"""Coreference scorers on textbook examples with values worked out by hand."""

from __future__ import annotations

import pytest

from storyline.coref_metrics import b_cubed, ceaf_e, clusters_from_labels, conll, muc

# Pradhan et al. (2014), the running example: key {a b c} {d e f g};
# response {a b} {c d} {f g h i} (h, i are twinless response mentions, e is missed).
KEY = [{"a", "b", "c"}, {"d", "e", "f", "g"}]
RESPONSE = [{"a", "b"}, {"c", "d"}, {"f", "g", "h", "i"}]


def test_muc_pradhan_example() -> None:
    s = muc(KEY, RESPONSE)
    assert s.recall == pytest.approx(2 / 5)  # (3-2) + (4-3) over 2 + 3 links
    assert s.precision == pytest.approx(2 / 5)  # (2-1) + (2-2) + (4-3) over 1 + 1 + 3


def test_b_cubed_pradhan_example() -> None:
    s = b_cubed(KEY, RESPONSE)
    assert s.recall == pytest.approx((4 / 3 + 1 / 3 + 1 / 4 + 4 / 4) / 7)  # 0.4167
    assert s.precision == pytest.approx((4 / 2 + 1 / 2 + 1 / 2 + 4 / 4) / 8)  # 0.5


def test_ceaf_e_pradhan_example() -> None:
    s = ceaf_e(KEY, RESPONSE)
    # best alignment: {a b c}-{a b} (phi4 = 4/5) and {d e f g}-{f g h i} (4/8)
    assert s.recall == pytest.approx(1.3 / 2)
    assert s.precision == pytest.approx(1.3 / 3)


# Luo (2005), figure 1: key {1..5} {6 7} {8 9 A B C}.
LUO_KEY = [set("12345"), set("67"), set("89ABC")]


def test_luo_all_in_one_cluster() -> None:
    response = [set("123456789ABC")]
    m = muc(LUO_KEY, response)
    assert m.recall == pytest.approx(1.0)
    assert m.precision == pytest.approx(9 / 11)
    assert m.f1 == pytest.approx(0.9)
    b = b_cubed(LUO_KEY, response)
    assert b.recall == pytest.approx(1.0)
    assert b.precision == pytest.approx((25 + 4 + 25) / 12 / 12)  # 0.375
    c = ceaf_e(LUO_KEY, response)
    assert c.recall == pytest.approx(10 / 17 / 3)
    assert c.precision == pytest.approx(10 / 17)
    assert c.f1 == pytest.approx(0.294, abs=1e-3)


def test_luo_all_singletons() -> None:
    response = [{x} for x in "123456789ABC"]
    m = muc(LUO_KEY, response)
    assert m.recall == 0.0 and m.f1 == 0.0
    b = b_cubed(LUO_KEY, response)
    assert b.precision == pytest.approx(1.0)
    assert b.recall == pytest.approx((5 * 1 / 5 + 2 * 1 / 2 + 5 * 1 / 5) / 12)


def test_luo_two_key_clusters_merged() -> None:
    # response (a) of Luo: {1..5} {6 7 8 9 A B C}
    response = [set("12345"), set("6789ABC")]
    m = muc(LUO_KEY, response)
    assert m.recall == pytest.approx(1.0)
    assert m.precision == pytest.approx(9 / 10)
    b = b_cubed(LUO_KEY, response)
    assert b.precision == pytest.approx((5 + 4 / 7 + 25 / 7) / 12)  # 0.762


def test_perfect_response_scores_one() -> None:
    scores = conll(KEY, KEY)
    assert scores["conll"] == pytest.approx(1.0)


def test_clusters_from_labels_and_overlap_check() -> None:
    clusters = clusters_from_labels({"m1": "x", "m2": "y", "m3": "x"})
    assert sorted(map(sorted, clusters)) == [["m1", "m3"], ["m2"]]
    with pytest.raises(ValueError):
        muc([{"a", "b"}, {"b"}], [{"a"}])
