"""Coreference scores: MUC, B-cubed, CEAF-e and their mean (the CoNLL F1).

Clusters are collections of hashable mention ids. Key (gold) and response
(system) may hold different mentions: a mention in one and not the other is
"twinless" and is treated as in Pradhan et al. (2014), "Scoring Coreference
Partitions of Predicted Mentions: A Reference Implementation":

* MUC (Vilain et al. 1995): recall = sum over key clusters K of
  (|K| - |p(K)|) / sum (|K| - 1), where p(K) is the partition of K by the
  response, each mention the response lacks being a part of its own;
  precision swaps key and response. Singletons carry no links.
* B-cubed (Bagga & Baldwin 1998): recall = sum over K, R of |K ∩ R|^2 / |K|
  divided by the number of key mentions; precision divides by |R| and the
  number of response mentions.
* CEAF-e (Luo 2005): the best one-to-one alignment of key and response
  clusters under phi4(K, R) = 2 |K ∩ R| / (|K| + |R|); recall divides the
  total by the number of key clusters, precision by the number of response
  clusters.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

__all__ = ["PRF", "b_cubed", "ceaf_e", "clusters_from_labels", "conll", "muc"]

Clusters = Sequence[Collection[Hashable]]


@dataclass(frozen=True, slots=True)
class PRF:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _sets(clusters: Clusters) -> list[frozenset[Hashable]]:
    out = [frozenset(c) for c in clusters if len(c)]
    seen: set[Hashable] = set()
    for c in out:
        if seen & c:
            raise ValueError("a mention is in two clusters")
        seen |= c
    return out


def _muc_recall(key: list[frozenset[Hashable]], response: list[frozenset[Hashable]]) -> float:
    owner = {m: i for i, c in enumerate(response) for m in c}
    num = den = 0
    for k in key:
        parts = {owner.get(m, ("missing", m)) for m in k}
        num += len(k) - len(parts)
        den += len(k) - 1
    return num / den if den else 0.0


def muc(key: Clusters, response: Clusters) -> PRF:
    k, r = _sets(key), _sets(response)
    return PRF(_muc_recall(r, k), _muc_recall(k, r))


def b_cubed(key: Clusters, response: Clusters) -> PRF:
    k, r = _sets(key), _sets(response)
    owner = {m: i for i, c in enumerate(r) for m in c}
    rec = prec = 0.0
    for kc in k:
        overlap: dict[int, int] = {}
        for m in kc:
            if m in owner:
                overlap[owner[m]] = overlap.get(owner[m], 0) + 1
        for j, n in overlap.items():
            rec += n * n / len(kc)
            prec += n * n / len(r[j])
    n_key = sum(len(c) for c in k)
    n_resp = sum(len(c) for c in r)
    return PRF(prec / n_resp if n_resp else 0.0, rec / n_key if n_key else 0.0)


def ceaf_e(key: Clusters, response: Clusters) -> PRF:
    k, r = _sets(key), _sets(response)
    if not k or not r:
        return PRF(0.0, 0.0)
    owner = {m: i for i, c in enumerate(r) for m in c}
    phi = np.zeros((len(k), len(r)))
    for i, kc in enumerate(k):
        for m in kc:
            j = owner.get(m)
            if j is not None:
                phi[i, j] += 1
    for i, kc in enumerate(k):
        for j in np.nonzero(phi[i])[0]:
            phi[i, j] = 2 * phi[i, j] / (len(kc) + len(r[j]))
    rows, cols = linear_sum_assignment(phi, maximize=True)
    total = float(phi[rows, cols].sum())
    return PRF(total / len(r), total / len(k))


def conll(key: Clusters, response: Clusters) -> dict[str, PRF | float]:
    """MUC, B-cubed and CEAF-e, and the mean of their F1 (``"conll"``)."""
    scores: dict[str, PRF | float] = {"muc": muc(key, response), "b3": b_cubed(key, response), "ceafe": ceaf_e(key, response)}
    scores["conll"] = sum(s.f1 for s in scores.values() if isinstance(s, PRF)) / 3
    return scores


def clusters_from_labels(labels: Mapping[Hashable, Hashable] | Iterable[tuple[Hashable, Hashable]]) -> list[list[Hashable]]:
    """Group mention ids by their cluster label: ``{mention: label}`` -> clusters."""
    items = labels.items() if isinstance(labels, Mapping) else labels
    groups: dict[Hashable, list[Hashable]] = {}
    for m, lab in items:
        groups.setdefault(lab, []).append(m)
    return list(groups.values())
