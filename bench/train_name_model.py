"""Fit the learned spelling model of ``storyline.names`` on the translit dev data.

Only the name groups that ``names_translit.is_heldout`` does not hold out are
used (four in five); the held-out groups are names the model never sees, on
which ``bench/names_translit.py`` reports its out-of-sample figure.

Pairs come from ``names_translit.make_pairs`` (positives, easy and hard
negatives) with another seed than the benchmark's. The model is fitted in two
stages, both logistic regressions:

1. over ``storyline.names.pair_features`` (string measures, counts of edit
   kinds and of single-letter edits; no name is a feature): its weights of
   the edit features become ``OP_WEIGHTS``, what each edit says;
2. over ``storyline.names.model_features``: the same string measures, and in
   place of the edit counts the sum, least and greatest ``OP_WEIGHTS`` of a
   pair's edits (so one very unlikely edit can outweigh several likely ones),
   and a few products of those measures (``CROSS_FEATURES``: no new string
   computation; grouped CV 0.9444 -> 0.9450).
   A pair's statistics come from stage-1 weights fitted without its name
   group (cross-fitting over ``--inner`` folds of groups), so that stage 2
   does not learn how well stage 1 fits its own training pairs.

Beside them, the pre-pass model (``PREPASS_WEIGHTS``): a logistic regression
over ``storyline.names.prepass_features`` (cheap string measures and
Jaro-Winkler times the shorter length, no edit script) fitted on the pairs
that ``storyline.names.in_prepass`` sends to it, pairs sharing little even in
their phonetic keys; ``name_similarity`` scores
those with it alone. Each model is fitted on the pairs it scores: both stages
only on the pairs outside the pre-pass (``outside_prepass``; held-out ROC-AUC
of ``name_similarity`` 0.9467 when they also saw the pre-pass pairs).

It prints the AUC of a 5-fold cross-validation in which the folds are
disjoint sets of training groups, then refits on all training groups and
writes ``storyline/_name_model.py``.

    python bench/train_name_model.py [--path TSV] [--seed 1] [--per-group 6] [--inner 5] [--dry-run] [--skip-cv]
"""

from __future__ import annotations

import argparse
import sys
import zlib
from pathlib import Path
from typing import NamedTuple

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_curve, roc_auc_score

sys.path.insert(0, str(Path(__file__).resolve().parent))

from names_translit import DEFAULT, is_heldout, load_groups, load_links, make_pairs

OUT = Path(__file__).resolve().parents[1] / "storyline" / "_name_model.py"


def token(s: str) -> str:
    from storyline.names import normalize_name

    return normalize_name(s).replace(" ", "")


class Data(NamedTuple):
    a: list[str]  # first token of each pair (``a <= b``)
    b: list[str]
    y: np.ndarray  # 1 for a positive pair
    kind: np.ndarray  # 0 positive, 1 easy, 2 hard negative
    fold: np.ndarray  # the inner fold of the pair's name group (of its first name's, for a negative)


def dataset(groups: list[list[str]], seed: int, links: dict[str, set[str]], per_group: int = 3, inner: int = 5) -> Data:
    """The token pairs built from ``groups``, with labels, kinds and inner folds."""
    pos, easy, hard = make_pairs(groups, per_group, seed, links)
    fold_of: dict[str, int] = {}
    for g in groups:
        f = zlib.crc32("|".join(sorted(g)).encode("utf-8")) // 7 % inner
        for name in g:
            fold_of.setdefault(name, f)
    xs: list[str] = []
    ys: list[str] = []
    kinds: list[int] = []
    folds: list[int] = []
    for kind, pairs in enumerate((pos, easy, hard)):
        for a, b in pairs:
            x, y = sorted((token(a), token(b)))
            if not x or not y or x == y or not (x.isalpha() and y.isalpha()):
                continue
            xs.append(x)
            ys.append(y)
            kinds.append(kind)
            folds.append(min(fold_of.get(a, 0), fold_of.get(b, 0)) if kind else fold_of.get(a, 0))
    k = np.array(kinds)
    return Data(xs, ys, (k == 0).astype(int), k, np.array(folds))


def fit(feats: list[dict[str, float]], y: np.ndarray) -> tuple[DictVectorizer, LogisticRegression, np.ndarray, np.ndarray]:
    dv = DictVectorizer(sparse=False)
    x = dv.fit_transform(feats)
    mu, sd = x.mean(axis=0), x.std(axis=0)
    sd[sd == 0] = 1.0
    model = LogisticRegression(max_iter=5000, C=0.3)
    model.fit((x - mu) / sd, y)
    return dv, model, mu, sd


def predict(dv: DictVectorizer, model: LogisticRegression, mu: np.ndarray, sd: np.ndarray, feats: list[dict[str, float]]) -> np.ndarray:
    return model.predict_proba((dv.transform(feats) - mu) / sd)[:, 1]


def raw_weights(dv: DictVectorizer, model: LogisticRegression, mu: np.ndarray, sd: np.ndarray) -> tuple[float, dict[str, float]]:
    """Intercept and weights on the unscaled features."""
    coef = model.coef_[0] / sd
    intercept = float(model.intercept_[0] - np.sum(model.coef_[0] * mu / sd))
    return intercept, {name: float(c) for name, c in zip(dv.feature_names_, coef) if abs(c) > 1e-6}


def edit_weights(data: Data, rows: np.ndarray, stage1: list[dict[str, float]]) -> dict[str, float]:
    """Stage 1 fitted on ``rows``: the weights of its edit features (kinds and letters)."""
    from storyline.names import DENSE_FEATURES

    _, w = raw_weights(*fit([stage1[i] for i in rows], data.y[rows]))
    return {k: v for k, v in w.items() if k not in DENSE_FEATURES and "#" not in k}


class Model(NamedTuple):
    op_weights: dict[str, float]
    stage2: tuple[DictVectorizer, LogisticRegression, np.ndarray, np.ndarray]
    prepass: tuple[DictVectorizer, LogisticRegression, np.ndarray, np.ndarray]


def fit_prepass(data: Data) -> tuple[DictVectorizer, LogisticRegression, np.ndarray, np.ndarray]:
    """The pre-pass model over ``prepass_features``, fitted on the pairs it scores (``in_prepass``).

    On data whose pre-pass pairs are all of one class (a tiny set), on all pairs.
    """
    from storyline.names import in_prepass, prepass_features

    feats = [prepass_features(x, y) for x, y in zip(data.a, data.b)]
    rows = np.array([in_prepass(x, y) for x, y in zip(data.a, data.b)], dtype=bool)
    if len(set(data.y[rows].tolist())) < 2:
        rows[:] = True
    return fit([f for f, r in zip(feats, rows) if r], data.y[rows])


def outside_prepass(data: Data) -> Data:
    """The pairs of ``data`` that the two-stage model scores: those the pre-pass model does not (``in_prepass``).

    On data whose such pairs are all of one class (a tiny set), all pairs.
    """
    from storyline.names import in_prepass

    rows = np.array([not in_prepass(x, y) for x, y in zip(data.a, data.b)], dtype=bool)
    if len(set(data.y[rows].tolist())) < 2:
        return data
    idx = np.flatnonzero(rows)
    return Data([data.a[i] for i in idx], [data.b[i] for i in idx], data.y[idx], data.kind[idx], data.fold[idx])


def fit_two_stage(data: Data, inner: int) -> Model:
    """Stage 1 (edit weights) and stage 2 (over cross-fitted edit statistics) on the pairs of ``data`` they score
    (``outside_prepass``), the pre-pass model on the others."""
    from storyline.names import model_features, pair_features

    prepass = fit_prepass(data)
    # Each model learns from the pairs it will score: the two stages never see
    # a pair of the pre-pass (most random pairs of different names), so they
    # spend their weights on the pairs that share something.
    data = outside_prepass(data)
    stage1 = [pair_features(x, y) for x, y in zip(data.a, data.b)]
    feats: list[dict[str, float]] = [{} for _ in stage1]
    every = np.arange(len(stage1))
    for f in range(inner):
        ow = edit_weights(data, every[data.fold != f], stage1)
        for i in every[data.fold == f]:
            feats[i] = model_features(data.a[i], data.b[i], ow)
    return Model(edit_weights(data, every, stage1), fit(feats, data.y), prepass)


def predict_two_stage(model: Model, data: Data) -> np.ndarray:
    """Stage 2's probabilities, the pre-pass model's for the pairs it scores (as ``storyline.names`` does)."""
    from storyline.names import in_prepass, model_features, prepass_features

    p = predict(*model.stage2, [model_features(x, y, model.op_weights) for x, y in zip(data.a, data.b)])
    pre = [i for i, (x, y) in enumerate(zip(data.a, data.b)) if in_prepass(x, y)]
    if pre:
        p[pre] = predict(*model.prepass, [prepass_features(data.a[i], data.b[i]) for i in pre])
    return p


def report(label: str, p: np.ndarray, y: np.ndarray, kind: np.ndarray) -> None:
    easy = kind != 2
    hard = kind != 1
    print(
        f"{label}: AUC combined {roc_auc_score(y, p):.3f}, easy {roc_auc_score(y[easy], p[easy]):.3f}, "
        f"hard {roc_auc_score(y[hard], p[hard]):.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--path", type=Path, default=DEFAULT)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-group", type=int, default=6, help="positive pairs drawn from each group")
    parser.add_argument("--inner", type=int, default=5, help="folds of name groups for the cross-fitted edit statistics")
    parser.add_argument("--dry-run", action="store_true", help="cross-validate only; do not write the weights")
    parser.add_argument("--skip-cv", action="store_true", help="skip the cross-validation (faster); only refit and write")
    args = parser.parse_args()
    if not args.path.is_file():
        raise SystemExit(f"not found: {args.path}")
    all_groups = load_groups(args.path)
    groups = [g for g in all_groups if not is_heldout(g)]
    print(f"fitting on {len(groups)} of {len(all_groups)} name groups (the rest are held out for the benchmark)")
    links = load_links(args.path.parent)

    folds = 0 if args.skip_cv else 5
    ps, ys, ks = [], [], []
    for f in range(folds):
        train = [g for i, g in enumerate(groups) if i % folds != f]
        test = [g for i, g in enumerate(groups) if i % folds == f]
        model = fit_two_stage(dataset(train, args.seed, links, args.per_group, args.inner), args.inner)
        te = dataset(test, args.seed, links)
        ps.append(predict_two_stage(model, te))
        ys.append(te.y)
        ks.append(te.kind)
    if ps:
        report("5-fold CV over disjoint name groups", np.concatenate(ps), np.concatenate(ys), np.concatenate(ks))

    data = dataset(groups, args.seed, links, args.per_group, args.inner)
    model = fit_two_stage(data, args.inner)
    p = predict_two_stage(model, data)
    report("refit on all training groups (training fit)", p, data.y, data.kind)
    precision, recall, thresholds = precision_recall_curve(data.y, p)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    threshold = float(thresholds[int(np.argmax(f1[:-1]))])
    intercept, raw = raw_weights(*model.stage2)
    weights = {name: round(c, 5) for name, c in raw.items()}
    op_weights = {name: round(c, 5) for name, c in model.op_weights.items()}
    pre_intercept, pre_raw = raw_weights(*model.prepass)
    pre_weights = {name: round(c, 5) for name, c in pre_raw.items()}
    print(f"{len(weights)} weights, {len(op_weights)} edit weights; best-F1 threshold {threshold:.3f}")
    if args.dry_run:
        return
    lines = [
        '"""Weights of the learned spelling model (generated by bench/train_name_model.py; do not edit)."""',
        "",
        "from __future__ import annotations",
        "",
        f"INTERCEPT: float = {intercept:.5f}",
        f"THRESHOLD: float = {threshold:.4f}",
        "WEIGHTS: dict[str, float] = {",
        *(f"    {name!r}: {w!r}," for name, w in sorted(weights.items())),
        "}",
        "# What each edit says (stage 1); the model weighs their sum, least and greatest.",
        "OP_WEIGHTS: dict[str, float] = {",
        *(f"    {name!r}: {w!r}," for name, w in sorted(op_weights.items())),
        "}",
        "# The pre-pass model, for pairs that share little even in their phonetic keys.",
        f"PREPASS_INTERCEPT: float = {pre_intercept:.5f}",
        "PREPASS_WEIGHTS: dict[str, float] = {",
        *(f"    {name!r}: {w!r}," for name, w in sorted(pre_weights.items())),
        "}",
        "",
    ]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
