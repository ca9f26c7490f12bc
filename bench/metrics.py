"""Clustering scores used by the benchmarks: B-cubed precision/recall/F1 and ARI."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
import math
from math import comb


def bcubed(predicted: Mapping[str, int | str], gold: Mapping[str, int | str]) -> tuple[float, float, float]:
    """B-cubed P, R, F1 over the items both mappings share."""
    items = [i for i in gold if i in predicted]
    if not items:
        return 0.0, 0.0, 0.0
    pred_members: dict[object, set[str]] = {}
    gold_members: dict[object, set[str]] = {}
    for i in items:
        pred_members.setdefault(predicted[i], set()).add(i)
        gold_members.setdefault(gold[i], set()).add(i)
    p = r = 0.0
    for i in items:
        pc, gc = pred_members[predicted[i]], gold_members[gold[i]]
        both = len(pc & gc)
        p += both / len(pc)
        r += both / len(gc)
    p, r = p / len(items), r / len(items)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def adjusted_rand(predicted: Mapping[str, int | str], gold: Mapping[str, int | str]) -> float:
    items = [i for i in gold if i in predicted]
    n = len(items)
    if n < 2:
        return 1.0
    pairs = Counter((predicted[i], gold[i]) for i in items)
    a = Counter(predicted[i] for i in items)
    b = Counter(gold[i] for i in items)
    index = sum(comb(v, 2) for v in pairs.values())
    sum_a = sum(comb(v, 2) for v in a.values())
    sum_b = sum(comb(v, 2) for v in b.values())
    expected = sum_a * sum_b / comb(n, 2)
    top = (sum_a + sum_b) / 2
    return 1.0 if top == expected else (index - expected) / (top - expected)


def as_labels(groups: Sequence[Sequence[str]]) -> dict[str, int]:
    return {item: n for n, g in enumerate(groups) for item in g}


def slope(xs: list[float], ys: list[float]) -> float | None:
    """Least-squares slope of log y on log x (the growth exponent)."""
    pts = [(math.log(x), math.log(y)) for x, y in zip(xs, ys) if x > 0 and y > 0]
    if len(pts) < 2:
        return None
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    den = sum((p[0] - mx) ** 2 for p in pts)
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / den if den else None
