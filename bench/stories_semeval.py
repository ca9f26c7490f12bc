"""Same story or not, on the English pairs of SemEval-2022 Task 8 (dev split).

    python bench/stories_semeval.py

Each pair of news articles carries an ``Overall`` similarity from annotators
(1 = very similar ... 4 = very dissimilar). A pair counts as *the same story*
when ``Overall`` <= 1.5 (annotators agree it is the same event), and as
different when it is >= 2.5; pairs in between are left out of the yes/no
figures but kept for the correlation. Storyline's same-event probability is
compared with a TF-IDF cosine baseline in the same run: ROC-AUC, best F1, and
F1 at Storyline's own join threshold; Spearman correlation with ``-Overall``.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "semeval2022" / "training_set.csv"
SAME, DIFFERENT = 1.5, 2.5


def load() -> list[dict[str, str]]:
    csv.field_size_limit(1 << 30)
    with DATA.open(encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["lang1"] == "en" and r["lang2"] == "en"]


def labelled_evidence() -> tuple[list[list[float]], list[bool]]:
    """Model features and same-story labels of the clear-cut en pairs (for fitting)."""
    from storyline.cleaning import clean_text
    from storyline.stories import fast_features, pairwise_features_of

    rows = load()
    texts: list[str] = []
    pairs: list[tuple[int, int]] = []
    labels: list[bool] = []
    for r in rows:
        o = float(r["Overall"])
        if SAME < o < DIFFERENT:
            continue
        pairs.append((len(texts), len(texts) + 1))
        texts += [clean_text(r["text1"]), clean_text(r["text2"])]
        labels.append(o <= SAME)
    feats = [fast_features(str(i), t) for i, t in enumerate(texts)]
    return pairwise_features_of(feats, pairs), labels


def best_f1(labels: list[int], scores: list[float]) -> tuple[float, float]:
    best = (0.0, 0.0)
    for cut in sorted(set(scores)):
        pred = [s >= cut for s in scores]
        tp = sum(p and y for p, y in zip(pred, labels))
        fp = sum(p and not y for p, y in zip(pred, labels))
        fn = sum((not p) and y for p, y in zip(pred, labels))
        f = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        best = max(best, (f, cut))
    return best


def f1_at(labels: list[int], scores: list[float], cut: float) -> float:
    tp = sum(s >= cut and y for s, y in zip(scores, labels))
    fp = sum(s >= cut and not y for s, y in zip(scores, labels))
    fn = sum(s < cut and y for s, y in zip(scores, labels))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main() -> None:
    if not DATA.exists():
        sys.exit(f"SemEval-2022 data not found at {DATA}")
    from scipy.stats import spearmanr
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import roc_auc_score

    from storyline.cleaning import clean_text
    from storyline.stories import ClusterOptions, fast_features, pair_probabilities

    rows = load()
    texts: list[str] = []
    pairs: list[tuple[int, int]] = []
    for r in rows:
        pairs.append((len(texts), len(texts) + 1))
        texts += [clean_text(r["text1"]), clean_text(r["text2"])]
    overall = [float(r["Overall"]) for r in rows]

    feats = [fast_features(str(i), t) for i, t in enumerate(texts)]
    ours = pair_probabilities(feats, pairs)
    tfidf = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    base = [float((tfidf[i] @ tfidf[j].T).toarray()[0, 0]) for i, j in pairs]

    keep = [k for k, o in enumerate(overall) if o <= SAME or o >= DIFFERENT]
    labels = [int(overall[k] <= SAME) for k in keep]
    print(
        f"SemEval-2022 en-en dev: {len(rows)} pairs; yes/no subset {len(keep)} "
        f"({sum(labels)} same story with Overall<={SAME}, {len(keep) - sum(labels)} different with >={DIFFERENT})"
    )
    print(f"{'system':<26} {'AUC':>6} {'bestF1':>7} {'F1@thr':>7} {'Spearman':>9}")
    threshold = ClusterOptions().threshold
    for name, scores in (("baseline tfidf cosine", base), ("storyline same-event p", ours)):
        sub = [scores[k] for k in keep]
        auc = roc_auc_score(labels, sub)
        f, _ = best_f1(labels, sub)
        at = f1_at(labels, sub, threshold) if name.startswith("storyline") else float("nan")
        rho = spearmanr(scores, [-o for o in overall]).statistic
        print(f"{name:<26} {auc:6.3f} {f:7.3f} {at:7.3f} {rho:9.3f}")
    print(f"(F1@thr: Storyline's join threshold {threshold}, as the clusterer decides)")


if __name__ == "__main__":
    main()
