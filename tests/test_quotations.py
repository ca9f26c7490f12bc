from storyline.model import QuoteMention
from storyline.quotations import group_quotes, quote_similarity

A = "We will rebuild the bridge before winter, and nobody in this town will be left without a way across."
A_COPY = A
A_MT = "We are going to rebuild the bridge before the winter, and nobody of this town will stay without a way to cross."
B = "The budget for next year does not include any new money for the library system at all."


def q(aid, text):
    return QuoteMention(aid, 0, len(text), text)


def test_versions_of_one_quote_group_and_drift_is_flagged():
    quotes = [q("a", A), q("b", A_COPY), q("c", A_MT), q("a", B)]
    groups = group_quotes(quotes, {0: "e1", 1: "e1", 2: "e1", 3: "e2"}, {"a": 1.0, "b": 1.0, "c": 0.3})
    big = groups[0]
    assert {v.article_id for v in big.versions} == {"a", "b", "c"}
    assert big.status == "drift" and big.speaker == "e1"
    assert 0.4 < big.fidelity < 1.0
    assert groups[1].status == "consistent" and len(groups[1].versions) == 1
    assert [g.id for g in groups] == ["q1", "q2"]


def test_identical_quotes_are_consistent():
    groups = group_quotes([q("a", A), q("b", A)], {}, {})
    assert len(groups) == 1 and groups[0].status == "consistent" and groups[0].fidelity == 1.0


def test_similarity_separates_different_quotes():
    assert quote_similarity(A, A_MT) > 0.6
    assert quote_similarity(A, B) < 0.5
