import pytest

from storyline.model import QuoteMention
from storyline.quotations import (
    group_quotes,
    normalize_quote,
    quote_similarity,
    quote_words,
    shorten_quote,
    wording_changes,
)

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


def test_split_quote_matches_its_unsplit_version():
    # one report interrupts the quotation with its attribution, another quotes it whole
    split = "The ferry will run again,” said Bram Eliot, the operator, “but only twice a day until May."
    whole = "The ferry will run again, but only twice a day until May."
    assert quote_similarity(split, whole) == 1.0
    groups = group_quotes([q("a", split), q("b", whole)], {}, {})
    assert len(groups) == 1 and groups[0].status == "consistent"


def test_quote_over_paragraphs_compares_by_its_words():
    paras = "We inherited a deficit.\n\n“Now we have a plan that starts this week."
    assert normalize_quote(paras) == "we inherited a deficit now we have a plan that starts this week"


@pytest.mark.parametrize("limit", [10, 25, 40, 61, 90])
def test_shortened_quotes_end_on_whole_words(limit):
    text = "We will rebuild the bridge before winter, and nobody in this town will be left without a way across."
    short = shorten_quote(text, limit)
    assert len(short) <= limit
    assert short.endswith("…")
    kept = short.removesuffix("…").split()
    assert kept and text.split()[: len(kept)] == kept  # every kept word is whole
    assert shorten_quote(text, 500) == text


def test_shortened_quote_shows_spoken_words_only():
    split = "The ferry will run again,” said Bram Eliot, “but only twice a day until the end of May."
    assert shorten_quote(split, 40) == "The ferry will run again, but only…"



SAID = "We do not recognise the colour of this programme, and the anti-Semitism it stirred is ours to fight."


@pytest.mark.parametrize(
    "noisy",
    [
        "We don't recognize the color of this program, and the antisemitism it stirred is ours to fight.",
        "we do not recognise the colour of this programme and the anti Semitism it stirred is ours to fight",
        "We do not recognise the colour of this programme, and the anti-Semitism it stired is ours to fight.",
    ],
)
def test_spelling_and_translation_noise_is_not_drift(noisy):
    changes, _, critical = wording_changes(SAID, noisy)
    assert changes == 0 and not critical
    groups = group_quotes([q("a", SAID), q("b", noisy)], {}, {})
    assert len(groups) == 1 and groups[0].status == "consistent" and groups[0].fidelity == 1.0


def test_changed_words_in_a_quote_are_drift_with_a_lower_fidelity():
    edited = "We do not recognise the colour of this programme, and the hatred it caused is theirs to fight."
    changes, compared, _ = wording_changes(SAID, edited)
    assert changes >= 2 and compared >= len(quote_words(SAID))
    groups = group_quotes([q("a", SAID), q("b", edited)], {}, {})
    assert len(groups) == 1 and groups[0].status == "drift"
    assert 0.5 < groups[0].fidelity < 1.0


def test_a_dropped_negation_is_drift_even_alone():
    said = "The plant will reopen before the end of the month, the director told the council."
    flipped = "The plant will not reopen before the end of the month, the director told the council."
    assert wording_changes(said, flipped)[2]
    assert group_quotes([q("a", said), q("b", flipped)], {}, {})[0].status == "drift"


def test_partial_quotation_is_consistent_and_unrelated_quotes_stay_apart():
    part = "the anti-Semitism it stirred is ours to fight"
    groups = group_quotes([q("a", SAID), q("b", part)], {}, {})
    assert len(groups) == 1 and groups[0].status == "consistent"
    other = "I have made good friends at this company, and I thank you all for the many years we worked together."
    first = "I have always said that if a day came when I could not meet my duties, I would be the first to tell you."
    assert quote_similarity(first, other) < 0.55
    assert len(group_quotes([q("a", first), q("b", other)], {}, {})) == 2
    # A short quotation sharing one word with a long one is not a version of it.
    assert quote_similarity("We are not playing", SAID + " We are fighting.") < 0.55


def test_a_version_joins_the_closest_quotation_not_the_first_close_enough():
    first = "We are going to rebuild the bridge before the winter, and the ferry will run until then."
    second = "We will rebuild the bridge before winter, and nobody in this town will be left without a way across."
    groups = group_quotes([q("a", first), q("a", second), q("b", A_MT)], {}, {})
    home = next(g for g in groups if any(v.article_id == "b" for v in g.versions))
    assert {v.text for v in home.versions} == {second, A_MT}


def _similarity_spelled_out(a, b):
    """quote_similarity as first written: every pool word tried with _same_word (the oracle)."""
    from difflib import SequenceMatcher

    from rapidfuzz import fuzz

    from storyline.quotations import _content, _same_word

    na, nb = normalize_quote(a), normalize_quote(b)
    if not na or not nb:
        return 0.0
    wa, wb = quote_words(a), quote_words(b)
    whole = max(SequenceMatcher(None, wa, wb, autojunk=False).ratio(), 0.8 * fuzz.token_sort_ratio(na, nb) / 100.0)
    ca, cb = _content(wa), _content(wb)
    short, long_ = (ca, cb) if len(ca) <= len(cb) else (cb, ca)
    if not short:
        return whole
    pool = set(long_)
    found = sum(1 for w in short if w in pool or any(_same_word(w, x) for x in pool))
    contained = found / len(short) * min(1.0, len(short) / 3)
    return max(whole, 0.95 * contained)


def test_quote_similarity_equals_the_spelled_out_form_on_random_quotes():
    import random

    rng = random.Random(5)
    # Short words, long words and respellings of long words ("organise"/"organize",
    # "harbour"/"harbor", "councillor"/"councilor") so the fuzzy word match is exercised.
    vocab = ["we", "the", "bridge", "winter", "nobody", "town", "organise", "organize", "harbour", "harbor",
             "councillor", "councilor", "not", "cross", "way", "left", "rebuild", "rebuilt", "budget", "fund"]
    for _ in range(300):
        a = " ".join(rng.choice(vocab) for _ in range(rng.randint(0, 12)))
        b = " ".join(rng.choice(vocab) for _ in range(rng.randint(0, 12)))
        assert quote_similarity(a, b) == _similarity_spelled_out(a, b), (a, b)


def test_quote_words_are_cached_but_each_call_gets_its_own_list():
    first = quote_words(A)
    first.append("changed")
    assert quote_words(A) == quote_words(A_COPY) and "changed" not in quote_words(A)
