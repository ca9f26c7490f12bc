"""The perturbation benchmark (bench/perturb.py) on an article written for this test.

Each kind of planted change is made on a copy, the real per-story analysis runs on the
pair, and the planted change must be found with its status while benign edits raise nothing.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import perturb

SOURCE = perturb.Source(
    id="test",
    title="Harbour town opens flood defences after two-year build",
    paragraphs=[
        [
            "The town of Marlow Quay opened its new flood barrier on March 12, two years after work began.",
            "The barrier cost $38.5 million, most of it paid by the regional authority.",
        ],
        [
            "Engineers from Calloway Marine said the gates can hold back a surge of 4 metres.",
            "Residents gathered a total of 1,240 signatures so far asking for a second barrier further up the estuary.",
        ],
        [
            '"This is a very important day for every family that has been flooded out of its home," '
            "said the mayor, Ilse Marwick, at the opening on Friday.",
        ],
        [
            "Insurers expect premiums in the town to fall by 12% next year.",
            "About 3,100 households live in the zone the barrier protects.",
        ],
        ["The authority plans a public inspection of the gates on April 2."],
    ],
    day="2025-03-14",
)


@pytest.fixture(scope="module")
def nlp():
    from storyline.nlp import english

    return english()


def run(kind: str, seed: int, nlp) -> tuple[perturb.Variant, perturb.Tally]:
    from storyline.pipeline import analyse_story, annotate

    variant = perturb.MAKERS[kind](SOURCE, random.Random(seed))
    assert variant is not None, f"{kind}: no variant could be made"
    text = SOURCE.text()
    orig = perturb._article("o", text, SOURCE.day)
    var = perturb._article("v", variant.text, variant.day)
    notes = {"o": annotate(orig, nlp(text), SOURCE.day), "v": annotate(var, nlp(variant.text), variant.day)}
    story = analyse_story([orig, var], notes).story
    tally = perturb.Tally()
    perturb.check(story, variant, "o", "v", tally, [(d[0], d[1]) for d in notes["o"]["dates"]])
    return variant, tally


@pytest.mark.parametrize("kind", ["figure", "figure_mt", "update", "date", "date_mt", "quote_edit", "quote_noise"])
@pytest.mark.parametrize("seed", [1, 2])
def test_planted_change_is_found_with_its_status(kind, seed, nlp):
    variant, tally = run(kind, seed, nlp)
    assert variant.text != SOURCE.text()
    assert tally.expected == 1 and tally.not_extracted == 0, tally.misses
    assert tally.met == 1 and tally.false_alarms == 0, tally.misses


@pytest.mark.parametrize("kind", ["paraphrase", "drop", "mt_copy"])
def test_benign_edits_raise_nothing_and_figures_are_held(kind, nlp):
    variant, tally = run(kind, 3, nlp)
    assert variant.text != SOURCE.text()
    assert tally.expected >= 2
    assert tally.false_alarms == 0 and tally.met == tally.expected, tally.misses


def test_variants_are_deterministic_and_plant_what_they_say():
    a = perturb.make_figure(SOURCE, random.Random(5))
    b = perturb.make_figure(SOURCE, random.Random(5))
    assert a is not None and b is not None and a.text == b.text
    ex = a.expects[0]
    assert SOURCE.text()[ex.orig[0] : ex.orig[1]] != a.text[ex.var[0] : ex.var[1]]
    update = perturb.make_update(SOURCE, random.Random(5))
    assert update is not None and update.day > SOURCE.day
    assert "1,240" in SOURCE.text()[update.expects[0].orig[0] : update.expects[0].orig[1]]


def test_score_counts_a_missed_change_and_a_false_alarm():
    t = perturb.Tally(expected=4, met=3, false_alarms=1)
    assert perturb._row("x", t).split()[-2:] == ["0.750", "0.750"]


def test_unknown_kind_is_refused_with_a_message(capsys):
    assert perturb.main(["--kinds", "figure,teleport"]) == 2
    assert "teleport" in capsys.readouterr().err
