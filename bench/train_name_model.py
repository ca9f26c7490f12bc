"""Fit the learned spelling model of ``storyline.names`` on the translit dev data.

Only the name groups that ``names_translit.is_heldout`` does not hold out are
used (four in five); the held-out groups are names the model never sees, on
which ``bench/names_translit.py`` reports its out-of-sample figure.

Pairs come from ``names_translit.make_pairs`` (positives, easy and hard
negatives) with another seed than the benchmark's. The model is a logistic
regression over ``storyline.names.pair_features`` (string measures, counts of
edit kinds and of single-letter edits; no name is a feature). It prints the
AUC of a 5-fold cross-validation in which the folds are disjoint sets of
training groups, then refits on all training groups and writes
``storyline/_name_model.py``.

    python bench/train_name_model.py [--path TSV] [--seed 1] [--per-group 6] [--dry-run] [--skip-cv]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

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


def dataset(
    groups: list[list[str]], seed: int, links: dict[str, set[str]], per_group: int = 3
) -> tuple[list[dict[str, float]], np.ndarray, np.ndarray]:
    """Features, labels and kind (0 positive, 1 easy, 2 hard) of the pairs built from ``groups``."""
    from storyline.names import pair_features

    pos, easy, hard = make_pairs(groups, per_group, seed, links)
    feats: list[dict[str, float]] = []
    kinds: list[int] = []
    for kind, pairs in enumerate((pos, easy, hard)):
        for a, b in pairs:
            x, y = sorted((token(a), token(b)))
            if not x or not y or x == y or not (x.isalpha() and y.isalpha()):
                continue
            feats.append(pair_features(x, y))
            kinds.append(kind)
    k = np.array(kinds)
    return feats, (k == 0).astype(int), k


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
        tr_x, tr_y, _ = dataset(train, args.seed, links, args.per_group)
        te_x, te_y, te_k = dataset(test, args.seed, links)
        dv, model, mu, sd = fit(tr_x, tr_y)
        ps.append(predict(dv, model, mu, sd, te_x))
        ys.append(te_y)
        ks.append(te_k)
    if ps:
        report("5-fold CV over disjoint name groups", np.concatenate(ps), np.concatenate(ys), np.concatenate(ks))

    feats, y, kind = dataset(groups, args.seed, links, args.per_group)
    dv, model, mu, sd = fit(feats, y)
    p = predict(dv, model, mu, sd, feats)
    report("refit on all training groups (training fit)", p, y, kind)
    precision, recall, thresholds = precision_recall_curve(y, p)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    threshold = float(thresholds[int(np.argmax(f1[:-1]))])
    coef = model.coef_[0] / sd
    intercept = float(model.intercept_[0] - np.sum(model.coef_[0] * mu / sd))
    weights = {name: round(float(c), 5) for name, c in zip(dv.feature_names_, coef) if abs(c) > 1e-6}
    print(f"{len(weights)} weights; best-F1 threshold {threshold:.3f}")
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
        "",
    ]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
