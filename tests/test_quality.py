"""The garble signal: our corruption generator, the intrinsic features and the calibrated score."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from storyline.corruption import (
    break_sentences,
    corrupt,
    literal_idioms,
    possessive_to_of,
    respell_names,
    swap_pronouns,
)
from storyline.quality import GarbleFeatures, garble_score, intrinsic_features

from _shared import SEEDS

CLEAN = (
    "The Millbrook city council voted on Wednesday to close the old ferry terminal for repairs after "
    "inspectors found corroded pilings under the main pier. Council member Priya Okafor said the closure "
    "would last about six weeks and that passengers would be carried by shuttle buses in the meantime.\n"
    "“Nobody wanted to shut the terminal, but we could not take the risk,” Okafor said. She added that the "
    "city had set aside $2.4 million for the work, which will be carried out by a local contractor.\n"
    "The harbour's operator, Coastal Marine Services, said it supported the decision. Its director, "
    "Daniel Brook, told reporters that his crews had warned the council about the pilings for years. "
    "He said the company would help pay for temporary signs at the bus stops.\n"
    "Residents who rely on the ferry to reach jobs on the mainland said the shuttle would add at least "
    "half an hour to their trips. The council will review the schedule at its next meeting on March 12."
)


@pytest.fixture(scope="module")
def nlp():
    from storyline.nlp import english

    try:
        return english()
    except Exception as exc:  # model not installed
        pytest.skip(f"spaCy model unavailable: {exc}")


def score_text(nlp, text: str) -> float:
    return garble_score(intrinsic_features(nlp(text)))


def test_corruption_is_deterministic_for_a_seed():
    a = corrupt(CLEAN, random.Random(7), 0.7)
    b = corrupt(CLEAN, random.Random(7), 0.7)
    c = corrupt(CLEAN, random.Random(8), 0.7)
    assert a == b
    assert a != CLEAN and c != a


def test_strength_zero_keeps_the_text():
    assert corrupt(CLEAN, random.Random(1), 0.0) == CLEAN


def test_individual_corruptions():
    rng = random.Random(3)
    assert "the east side of the city" in possessive_to_of("homes on the city's east side", rng, 1.0)
    assert swap_pronouns("He said his crews", random.Random(0), 1.0) == "She said her crews"
    assert "two times" in literal_idioms("think twice before", random.Random(0), 1.0)
    respelled = respell_names("The report named Okafor and Brook twice. Okafor left.", random.Random(2), 1.0)
    assert "Okafor" not in respelled.split(".")[0] or "Brook" not in respelled
    broken = break_sentences(
        "The council voted on Wednesday to close the old terminal because inspectors found corroded pilings there.",
        random.Random(0), 1.0,
    )
    assert broken.count(".") == 2


def test_score_is_a_probability(nlp):
    for text in (CLEAN, corrupt(CLEAN, random.Random(1), 1.0), "x", ""):
        s = score_text(nlp, text)
        assert 0.0 <= s <= 1.0


def test_clean_paragraph_is_low_and_its_corruption_higher(nlp):
    clean = score_text(nlp, CLEAN)
    assert clean < 0.3
    garbled = [score_text(nlp, corrupt(CLEAN, random.Random(seed), 0.9)) for seed in range(5)]
    assert sum(garbled) / len(garbled) > clean + 0.3
    assert max(garbled) > 0.6


def test_monotone_in_respelled(nlp):
    f = intrinsic_features(nlp(CLEAN))
    scores = [garble_score(replace(f, respelled=r)) for r in (0.0, 0.1, 0.3, 0.6, 1.0)]
    assert scores == sorted(scores) and scores[0] < scores[-1]
    assert garble_score(replace(f, respelled=0.3)) > 0.6


def test_pipeline_round_trip_and_five_field_construction(nlp):
    f = intrinsic_features(nlp(CLEAN))
    assert GarbleFeatures(**f.as_dict()) == f  # how the pipeline stores and restores the features
    five = GarbleFeatures(
        verbless=f.verbless, odd_caps=f.odd_caps, punctuation=f.punctuation, lower_start=f.lower_start, respelled=0.3,
    )  # how _final_garble rebuilds them: scored by the reduced model
    assert 0.0 <= garble_score(five) <= 1.0
    assert garble_score(five) > garble_score(replace(five, respelled=0.0))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not available")
def test_machine_translated_seed_scores_clearly_above_the_clean_ones(nlp):
    from storyline.ingest import read_inputs

    paths = sorted(SEEDS.glob("*.txt"))
    by_name = {p.name[:3]: a for p, a in zip(paths, read_inputs(paths).articles)}
    s = {k: score_text(nlp, by_name[k].text) for k in ("000", "002", "003")}
    assert s["000"] < 0.35 and s["002"] < 0.35
    assert s["003"] > 0.6
    assert s["003"] >= max(s["000"], s["002"]) + 0.25


def test_entities_within_sentences_are_those_each_sentence_holds():
    from spacy.tokens import Span

    from storyline.quality import _ents_within

    blank = pytest.importorskip("spacy").blank("en")
    blank.add_pipe("sentencizer")
    doc = blank("Mara Quill spoke first. Then Tomas Reyk replied to Quill. Nobody else spoke")
    doc.ents = [Span(doc, 0, 2, "PERSON"), Span(doc, 6, 8, "PERSON"), Span(doc, 10, 11, "PERSON")]
    sents = list(doc.sents)
    expected = [e for s in sents for e in s.ents]
    assert [e.text for e in _ents_within(sents)] == [e.text for e in expected] == ["Mara Quill", "Tomas Reyk", "Quill"]
    assert [e.text for e in _ents_within(sents[1:])] == ["Tomas Reyk", "Quill"]
    assert _ents_within([]) == []
