"""Transliteration variants: does ``name_similarity`` tell variants from look-alikes?

Data: ../shared/data/translit/english_variants_dev.tsv (English spellings of one
name, grouped by the Arabic-script string they share; dev split only).

Spellings that are not words of two or more letters ("r.j.", "ii", "l") are
dropped. Pairs (all built from a seeded RNG, so every run scores the same pairs):

* positives: up to ``--per-group`` pairs of spellings from each group (so the
  38-spelling "abd..." group does not outweigh thousands of small ones);
* easy negatives: random pairs of spellings from different groups;
* hard negatives: for a random spelling, its nearest neighbour by edit
  distance among the spellings of *other* groups (ties broken at random),
  i.e. different names that look alike ("hale"/"hall"-style pairs).

A negative is two *different* names: not in one group, not equal once
diacritics are folded ("amelie"/"amélie" is one name split by alignment
noise), and sharing no transliteration in any of the seven ``wd_<lang>_80``
files (a shared Russian or Hebrew spelling is evidence of one name).

It prints ROC-AUC and best F1 of ``name_similarity`` beside rapidfuzz ratio,
WRatio, Jaro-Winkler and a metaphone-gated ratio, on the combined set, on
easy negatives only and on hard negatives only; first over all groups, then
over the held-out groups only (``is_heldout``: one group in five, never used
by ``bench/train_name_model.py``, so the second table is out of sample; the
groups are disjoint sets of names). Then the throughput of
``name_similarity``: cold (all of its caches cleared, every pair unseen),
names-warm (each name's normalisation and keys cached from an earlier pass,
the pairs themselves unseen) and fully cached (the same pairs again), each
the best of three runs in process CPU time (the machine may be shared). The
same for the batch API ``name_similarity_many`` (one call over all pairs: cold,
then names-warm; it caches no pair, so there is no third figure), after
checking that it gives the scores of ``name_similarity``.

    python bench/names_translit.py [--path TSV] [--seed 0] [--per-group 3]
"""

from __future__ import annotations

import argparse
import itertools
import random
import time
import unicodedata
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler, Levenshtein
from sklearn.metrics import precision_recall_curve, roc_auc_score

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "translit" / "english_variants_dev.tsv"

Pair = tuple[str, str]


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


HELDOUT_EVERY = 5  # one name group in five is never used to fit the spelling model


def is_heldout(group: Sequence[str]) -> bool:
    """Is this name group held out from fitting ``storyline/_name_model.py``? (stable: CRC32 of its spellings)"""
    return zlib.crc32("|".join(sorted(group)).encode("utf-8")) % HELDOUT_EVERY == 0


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if ch.isalpha() and not unicodedata.combining(ch)).casefold()


def is_name_word(s: str) -> bool:
    """A spelling worth scoring: at least two letters once diacritics and punctuation go."""
    return len(_fold(s)) >= 2 and not any(ch.isdigit() or ch in "." for ch in s)


def load_links(folder: Path) -> dict[str, set[str]]:
    """English spelling -> its transliterations in every ``wd_<lang>_80`` file (tagged by file)."""
    links: dict[str, set[str]] = {}
    for f in sorted(folder.glob("wd_*_80")):
        for line in f.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) >= 2:
                links.setdefault(parts[0], set()).add(f.name + ":" + parts[1])
    return links


def make_pairs(
    groups: list[list[str]], per_group: int, seed: int, links: dict[str, set[str]] | None = None
) -> tuple[list[Pair], list[Pair], list[Pair]]:
    """(positives, easy negatives, hard negatives).

    A negative pair must be two different names: not equal once diacritics
    and punctuation are folded, and (when ``links`` are given) sharing no
    transliteration in any of the seven languages.
    """
    rng = random.Random(seed)
    links = links or {}
    groups = [g2 for g in groups if len(g2 := [x for x in g if is_name_word(x)]) >= 2]

    def different(a: str, b: str) -> bool:
        return not owners[a] & owners[b] and _fold(a) != _fold(b) and not links.get(a, set()) & links.get(b, set())

    positives: list[Pair] = []
    for g in groups:
        combos = list(itertools.combinations(g, 2))
        rng.shuffle(combos)
        positives.extend(combos[:per_group])
    owners: dict[str, set[int]] = {}
    for gi, g in enumerate(groups):
        for name in g:
            owners.setdefault(name, set()).add(gi)
    names = sorted(owners)
    n = len(positives)

    easy: set[Pair] = set()
    while len(easy) < n:
        a, b = rng.sample(names, 2)
        if different(a, b):
            easy.add((a, b) if a < b else (b, a))

    hard: set[Pair] = set()
    queries = names[:]
    rng.shuffle(queries)
    for a in queries:
        if len(hard) >= n:
            break
        near = process.extract(a, names, scorer=Levenshtein.distance, limit=12)
        cands = [(d, b) for b, d, _ in near if b != a and different(a, b)]
        if not cands:
            continue
        best = min(d for d, _ in cands)
        b = rng.choice([x for d, x in cands if d == best])
        hard.add((a, b) if a < b else (b, a))
    return positives, sorted(easy), sorted(hard)


def evaluate(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float, float]:
    auc = roc_auc_score(labels, scores)
    precision, recall, thresholds = precision_recall_curve(labels, scores)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    best = int(np.argmax(f1[:-1])) if len(f1) > 1 else 0
    return float(auc), float(f1[best]), float(thresholds[best]) if len(thresholds) else 0.0


def metaphone_gated_ratio() -> Callable[[str, str], float]:
    """Levenshtein ratio, halved unless the two Metaphone keys agree."""
    import jellyfish

    cache: dict[str, str] = {}

    def key(s: str) -> str:
        k = cache.get(s)
        if k is None:
            k = cache[s] = jellyfish.metaphone(s)
        return k

    def score(a: str, b: str) -> float:
        r = fuzz.ratio(a, b) / 100.0
        return r if key(a) == key(b) else 0.5 * r

    return score


def _clear_name_caches() -> None:
    import storyline.names as names_mod

    for obj in vars(names_mod).values():
        clear = getattr(obj, "cache_clear", None)
        if callable(clear):
            clear()


def _clear_pair_caches() -> None:
    import storyline.names as names_mod

    for fname in ("_pair", "_pair_scores", "_tok_sim"):
        fn = getattr(names_mod, fname, None)
        if fn is not None and hasattr(fn, "cache_clear"):
            fn.cache_clear()


def throughput(fn: Callable[[str, str], float], pairs: Sequence[Pair], repeats: int = 3) -> tuple[float, float, float]:
    """Pairs per second, best of ``repeats`` runs: cold, names-warm (pairs unseen), fully cached."""

    def run() -> float:
        t0 = time.process_time()  # CPU time of this process: other jobs on the machine do not count
        for a, b in pairs:
            fn(a, b)
        return len(pairs) / max(time.process_time() - t0, 1e-9)

    cold = warm = cached = 0.0
    for _ in range(repeats):
        _clear_name_caches()
        cold = max(cold, run())
        _clear_pair_caches()
        warm = max(warm, run())
        cached = max(cached, run())
    return cold, warm, cached


def throughput_many(fn: Callable[[list[Pair]], Sequence[float]], pairs: Sequence[Pair], repeats: int = 3) -> tuple[float, float]:
    """Pairs per second of a batch scorer called once on all ``pairs``, best of ``repeats`` runs: cold, names-warm."""
    batch = list(pairs)

    def run() -> float:
        t0 = time.process_time()
        fn(batch)
        return len(batch) / max(time.process_time() - t0, 1e-9)

    cold = warm = 0.0
    for _ in range(repeats):
        _clear_name_caches()
        cold = max(cold, run())
        _clear_pair_caches()
        warm = max(warm, run())
    return cold, warm


def table(
    methods: dict[str, Callable[[str, str], float]], pos: list[Pair], easy: list[Pair], hard: list[Pair], show_errors: int
) -> None:
    """Print ROC-AUC and best F1 of every method on combined, easy-only and hard-only negatives."""
    sets = {
        "combined": (pos + easy + hard, [1] * len(pos) + [0] * (len(easy) + len(hard))),
        "easy": (pos + easy, [1] * len(pos) + [0] * len(easy)),
        "hard": (pos + hard, [1] * len(pos) + [0] * len(hard)),
    }
    all_pairs = pos + easy + hard
    header = f"{'method':<24}" + "".join(f" {s + ' AUC':>13} {'F1':>6}" for s in sets)
    print(header)
    for name, fn in methods.items():
        score_of = {p: fn(*p) for p in all_pairs}
        row = f"{name:<24}"
        for pairs, labels in sets.values():
            auc, f1, _ = evaluate(np.array([score_of[p] for p in pairs]), np.array(labels))
            row += f" {auc:13.3f} {f1:6.3f}"
        print(row)
        if name == "name_similarity" and show_errors:
            worst_pos = sorted(pos, key=lambda p: score_of[p])[:show_errors]
            worst_neg = sorted(easy + hard, key=lambda p: -score_of[p])[:show_errors]
            print("  lowest positives: " + ", ".join(f"{a}/{b} {score_of[(a, b)]:.2f}" for a, b in worst_pos))
            print("  highest negatives: " + ", ".join(f"{a}/{b} {score_of[(a, b)]:.2f}" for a, b in worst_neg))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--path", type=Path, default=DEFAULT)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-group", type=int, default=3, help="positive pairs drawn from each group")
    parser.add_argument("--show-errors", type=int, default=0, help="print the worst pairs of name_similarity")
    args = parser.parse_args()
    if not args.path.is_file():
        raise SystemExit(f"not found: {args.path}")

    from storyline.names import name_similarity, name_similarity_many

    groups = load_groups(args.path)
    links = load_links(args.path.parent)
    pos, easy, hard = make_pairs(groups, args.per_group, args.seed, links)
    methods: dict[str, Callable[[str, str], float]] = {
        "name_similarity": name_similarity,
        "rapidfuzz.ratio": lambda a, b: fuzz.ratio(a, b) / 100.0,
        "rapidfuzz.WRatio": lambda a, b: fuzz.WRatio(a, b) / 100.0,
        "jaro_winkler": JaroWinkler.normalized_similarity,
        "metaphone-gated ratio": metaphone_gated_ratio(),
    }
    print(f"{len(groups)} groups; {len(pos)} positive, {len(easy)} easy negative, {len(hard)} hard negative pairs")
    table(methods, pos, easy, hard, args.show_errors)
    held = [g for g in groups if is_heldout(g)]
    h_pos, h_easy, h_hard = make_pairs(held, args.per_group, args.seed, links)
    print(
        f"\nheld out: the {len(held)} groups never used to fit the spelling model (bench/train_name_model.py); "
        f"{len(h_pos)} positive, {len(h_easy)} easy negative, {len(h_hard)} hard negative pairs among their names"
    )
    table(methods, h_pos, h_easy, h_hard, 0)
    all_pairs = pos + easy + hard
    print()
    cold, warm, cached = throughput(name_similarity, all_pairs)
    print(
        f"name_similarity pairs/s: cold {cold:,.0f}; names cached, pairs unseen {warm:,.0f}; "
        f"pairs cached {cached:,.0f}  ({len(all_pairs)} pairs, {len({x for p in all_pairs for x in p})} names)"
    )
    single = np.array([name_similarity(a, b) for a, b in all_pairs])
    diff = float(np.max(np.abs(np.asarray(name_similarity_many(all_pairs)) - single)))
    b_cold, b_warm = throughput_many(name_similarity_many, all_pairs)
    print(
        f"name_similarity_many (one batch of all pairs) pairs/s: cold {b_cold:,.0f}; names cached {b_warm:,.0f}  "
        f"(largest difference from name_similarity: {diff:.1e})"
    )
    # A reference measured in the same run (the machine may be shared): the
    # metaphone-gated ratio with its keys cached, i.e. one rapidfuzz call and
    # two dictionary lookups a pair.
    gated = metaphone_gated_ratio()
    for a, b in all_pairs:
        gated(a, b)
    t0 = time.process_time()
    for _ in range(3):
        for a, b in all_pairs:
            gated(a, b)
    ref = 3 * len(all_pairs) / max(time.process_time() - t0, 1e-9)
    print(f"reference (metaphone-gated ratio, keys cached) pairs/s: {ref:,.0f}; name_similarity names-cached / reference = {warm / ref:.2f}")


if __name__ == "__main__":
    main()
