"""Transliteration variants: does ``name_similarity`` tell variants from look-alikes?

Data: ../shared/data/translit/english_variants_dev.tsv (English spellings grouped
by the Arabic-script string they share). Positives are pairs within a group;
negatives are random pairs from different groups plus hard negatives (pairs from
different groups at a small edit distance). Prints ROC-AUC and the best F1 of
``name_similarity`` next to rapidfuzz ratio / WRatio and jellyfish Jaro-Winkler,
and the throughput of ``name_similarity`` on unseen pairs.

    python bench/names_translit.py [--path TSV] [--seed 0] [--n 20000]
"""

from __future__ import annotations

import argparse
import itertools
import random
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein
from sklearn.metrics import precision_recall_curve, roc_auc_score

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "translit" / "english_variants_dev.tsv"


def load_groups(path: Path) -> list[list[str]]:
    groups = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" not in line:
            continue
        _, names = line.split("\t", 1)
        group = sorted({n for n in names.split("|") if n})
        if len(group) >= 2:
            groups.append(group)
    return groups


def make_pairs(groups: list[list[str]], n: int, seed: int) -> tuple[list[tuple[str, str]], list[int]]:
    rng = random.Random(seed)
    positives = [p for g in groups for p in itertools.combinations(g, 2)]
    rng.shuffle(positives)
    positives = positives[:n]
    owner = {name: gi for gi, g in enumerate(groups) for name in g}
    names = sorted(owner)
    negatives: set[tuple[str, str]] = set()
    while len(negatives) < n // 2:
        a, b = rng.sample(names, 2)
        if owner[a] != owner[b]:
            negatives.add((a, b))
    # Hard negatives: same first letter and similar length, edit distance <= 2, different groups.
    by_key: dict[tuple[str, int], list[str]] = {}
    for name in names:
        by_key.setdefault((name[:1], len(name)), []).append(name)
    hard: set[tuple[str, str]] = set()
    attempts = 0
    while len(hard) < n - n // 2 and attempts < 50 * n:
        attempts += 1
        a = rng.choice(names)
        pool = by_key.get((a[:1], len(a) + rng.choice((-1, 0, 1))), [])
        if not pool:
            continue
        b = rng.choice(pool)
        if a != b and owner[a] != owner[b] and Levenshtein.distance(a, b) <= 2:
            hard.add((a, b))
    pairs = positives + sorted(negatives) + sorted(hard)
    labels = [1] * len(positives) + [0] * (len(negatives) + len(hard))
    return pairs, labels


def evaluate(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float, float]:
    auc = roc_auc_score(labels, scores)
    precision, recall, thresholds = precision_recall_curve(labels, scores)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    best = int(np.argmax(f1[:-1])) if len(f1) > 1 else 0
    return float(auc), float(f1[best]), float(thresholds[best]) if len(thresholds) else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", type=Path, default=DEFAULT)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n", type=int, default=20000, help="number of positive pairs (and of negatives)")
    args = parser.parse_args()
    if not args.path.is_file():
        raise SystemExit(f"not found: {args.path}")

    from storyline.names import name_similarity

    groups = load_groups(args.path)
    pairs, labels = make_pairs(groups, args.n, args.seed)
    y = np.array(labels)
    methods: dict[str, Callable[[str, str], float]] = {
        "name_similarity": name_similarity,
        "rapidfuzz.ratio": lambda a, b: fuzz.ratio(a, b) / 100.0,
        "rapidfuzz.WRatio": lambda a, b: fuzz.WRatio(a, b) / 100.0,
    }
    try:
        import jellyfish

        methods["jellyfish.jaro_winkler"] = jellyfish.jaro_winkler_similarity
    except ImportError:  # pragma: no cover - optional
        pass
    print(f"{len(groups)} groups; {int(y.sum())} positive and {int((1 - y).sum())} negative pairs")
    print(f"{'method':<24} {'ROC-AUC':>8} {'best F1':>8} {'at':>6} {'pairs/s':>10}")
    for name, fn in methods.items():
        t0 = time.perf_counter()
        scores = np.array([fn(a, b) for a, b in pairs])
        dt = time.perf_counter() - t0
        auc, f1, at = evaluate(scores, y)
        print(f"{name:<24} {auc:8.3f} {f1:8.3f} {at:6.2f} {len(pairs) / dt:10.0f}")


if __name__ == "__main__":
    main()
