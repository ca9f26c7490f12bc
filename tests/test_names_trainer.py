"""The two-stage fit of bench/train_name_model.py on invented name groups (no data files needed)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

pytest.importorskip("sklearn")

# Invented spellings: each group is one made-up name in several renderings.
GROUPS = [
    ["dorvesh", "dervish", "dorvish"],
    ["kelmarro", "kalmaro", "kelmaro"],
    ["ostrik", "ostrick", "oztrik"],
    ["tavoussi", "tawusi", "tavusi"],
    ["quilantro", "kilantro", "qilantro"],
    ["haddoumi", "hadumi", "haddumi"],
    ["zerbakov", "zerbakof", "serbakov"],
    ["melquiar", "melkiar", "malkiar"],
    ["brannoch", "brannock", "branoch"],
    ["sorvald", "sorwald", "sorvalt"],
    ["lunetta", "lunette", "luneta"],
    ["pallowe", "pallowa", "palowe"],
    ["varsilo", "varsillo", "warsilo"],
    ["tiralda", "tirralda", "tiraldah"],
    ["fennick", "fenick", "phennick"],
    ["mertika", "mertikka", "mirtika"],
]


def test_dataset_pairs_and_folds() -> None:
    from train_name_model import dataset

    data = dataset(GROUPS, seed=3, links={}, per_group=3, inner=4)
    n = len(data.a)
    assert n == len(data.b) == len(data.y) == len(data.kind) == len(data.fold) > 0
    assert all(x < y for x, y in zip(data.a, data.b))
    assert set(data.fold.tolist()) <= set(range(4))
    group_of = {name: gi for gi, g in enumerate(GROUPS) for name in g}
    fold_of_group: dict[int, int] = {}
    for x, y, k, f in zip(data.a, data.b, data.kind, data.fold):
        if k == 0:
            # A positive pair: both names of one group, and the fold of that group.
            assert group_of[x] == group_of[y]
            assert fold_of_group.setdefault(group_of[x], int(f)) == int(f)
        else:
            assert group_of[x] != group_of[y]
    assert (data.y == (data.kind == 0)).all()


def test_two_stage_model_weighs_edit_statistics_not_edits() -> None:
    from train_name_model import dataset, fit_two_stage, predict_two_stage, raw_weights

    from storyline.names import DENSE_FEATURES, OP_STATS

    data = dataset(GROUPS, seed=3, links={}, per_group=3, inner=4)
    model = fit_two_stage(data, inner=4)
    # Stage 1 gives one weight per edit feature (kinds such as "rM:vv~" and letters such as "R:ei") ...
    assert model.op_weights
    assert not set(model.op_weights) & set(DENSE_FEATURES)
    assert all(":" in k and "#" not in k for k in model.op_weights)
    # ... and stage 2 weighs the dense measures and the statistics of those weights, never an edit.
    _, weights = raw_weights(*model.stage2)
    assert set(OP_STATS) & set(weights)
    assert not set(weights) & set(model.op_weights)
    p = predict_two_stage(model, data)
    assert p.shape == (len(data.a),) and np.all((p >= 0) & (p <= 1))
    # The pairs it was fitted on: variants above look-alikes from other groups on the whole.
    assert p[data.y == 1].mean() > p[data.y == 0].mean()


def test_two_stage_model_learns_only_from_the_pairs_it_scores() -> None:
    """Both stages are fitted on the pairs outside the pre-pass: the labels of pre-pass pairs do not move them."""
    from train_name_model import dataset, fit_two_stage, outside_prepass

    from storyline.names import in_prepass

    data = dataset(GROUPS, seed=3, links={}, per_group=3, inner=4)
    pre = np.array([in_prepass(x, y) for x, y in zip(data.a, data.b)])
    assert pre.any() and (~pre).any()
    kept = outside_prepass(data)
    assert len(kept.a) == int((~pre).sum())
    assert not any(in_prepass(x, y) for x, y in zip(kept.a, kept.b))
    flipped = data._replace(y=np.where(pre, 1 - data.y, data.y))
    model, other = fit_two_stage(data, inner=4), fit_two_stage(flipped, inner=4)
    assert model.op_weights == other.op_weights
    assert np.array_equal(model.stage2[1].coef_, other.stage2[1].coef_)
    # ... while the pre-pass model, fitted on those pairs, does move.
    assert not np.array_equal(model.prepass[1].coef_, other.prepass[1].coef_)
