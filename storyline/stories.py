"""Group reports into stories: reports of one developing event together.

Each article is described by three weighted sub-vectors, as streaming news
clusterers do: TF-IDF over content-word lemmas, TF-IDF over the names it
mentions, and its title words. Similarity between two articles is a weighted
cosine, damped by the time between them (publication date, or the dates the
text mentions when it has none). Articles are then merged by average-link
agglomerative clustering with one calibrated threshold, so a chain of pairwise
look-alikes cannot pull two distinct events together.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfTransformer


@dataclass(frozen=True, kw_only=True)
class StoryFeatures:
    """What the clusterer knows about one article."""

    article_id: str
    terms: Mapping[str, int]  # content-word lemma -> count
    names: Mapping[str, int]  # normalised entity name -> count
    title_terms: Sequence[str] = ()
    day: date | None = None  # publication date, or best estimate
    years: Sequence[int] = ()  # years the text mentions (for undated articles)


_CONTENT_POS = frozenset({"NOUN", "VERB", "ADJ", "PROPN"})


def content_terms(doc: Any) -> dict[str, int]:
    """Content-word lemmas of a spaCy ``Doc`` with their counts."""
    return dict(
        Counter(
            t.lemma_.casefold()
            for t in doc
            if t.is_alpha and not t.is_stop and len(t) > 2 and t.pos_ in _CONTENT_POS
        )
    )


def name_key(text: str) -> str:
    """A name as the clusterer compares it: casefolded words."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def name_counts(names: Iterable[str]) -> dict[str, int]:
    return dict(Counter(k for k in (name_key(n) for n in names) if k))


@dataclass(frozen=True, kw_only=True)
class ClusterOptions:
    threshold: float = 0.15
    term_weight: float = 0.55
    name_weight: float = 0.35
    title_weight: float = 0.10
    half_life_days: float = 45.0  # time decay of similarity
    max_gap_days: float = 240.0  # beyond this, never one story
    year_mismatch_penalty: float = 0.1


@dataclass
class _Matrices:
    terms: np.ndarray
    names: np.ndarray
    titles: np.ndarray
    days: list[date | None] = field(default_factory=list)
    years: list[set[int]] = field(default_factory=list)


def _tfidf(rows: Sequence[Mapping[str, float]]) -> np.ndarray:
    if not any(rows):
        return np.zeros((len(rows), 1))
    matrix = DictVectorizer().fit_transform([dict(r) for r in rows])
    weighted = TfidfTransformer(sublinear_tf=True, smooth_idf=True).fit_transform(matrix)
    return np.asarray(weighted.todense())


def _matrices(features: Sequence[StoryFeatures]) -> _Matrices:
    return _Matrices(
        terms=_tfidf([f.terms for f in features]),
        names=_tfidf([f.names for f in features]),
        titles=_tfidf([{t: 1 for t in f.title_terms} for f in features]),
        days=[f.day for f in features],
        years=[set(f.years) for f in features],
    )


def similarity_matrix(features: Sequence[StoryFeatures], options: ClusterOptions | None = None) -> np.ndarray:
    """Pairwise story similarity of the articles, in [0, 1]."""
    opts = options or ClusterOptions()
    m = _matrices(features)
    sim = (
        opts.term_weight * (m.terms @ m.terms.T)
        + opts.name_weight * (m.names @ m.names.T)
        + opts.title_weight * (m.titles @ m.titles.T)
    )
    n = len(features)
    for i in range(n):
        for j in range(i + 1, n):
            factor = _time_factor(m.days[i], m.days[j], m.years[i], m.years[j], opts)
            sim[i, j] *= factor
            sim[j, i] *= factor
    np.fill_diagonal(sim, 1.0)
    return np.clip(sim, 0.0, 1.0)


def _time_factor(a: date | None, b: date | None, years_a: set[int], years_b: set[int], opts: ClusterOptions) -> float:
    if a is not None and b is not None:
        gap = abs((a - b).days)
        if gap > opts.max_gap_days:
            return 0.0
        return 0.5 + 0.5 * math.pow(0.5, gap / opts.half_life_days)
    # An undated report cannot be older than the latest year it mentions.
    if a is not None and years_b and a.year < max(years_b):
        return opts.year_mismatch_penalty
    if b is not None and years_a and b.year < max(years_a):
        return opts.year_mismatch_penalty
    return 0.85


def cluster(features: Sequence[StoryFeatures], options: ClusterOptions | None = None) -> list[list[str]]:
    """Partition the articles into stories; returns lists of article ids.

    Stories are ordered by their earliest member's position in ``features``, and
    members keep input order, so the result is deterministic.
    """
    opts = options or ClusterOptions()
    n = len(features)
    if n == 0:
        return []
    sim = similarity_matrix(features, opts)
    clusters: list[list[int]] = [[i] for i in range(n)]
    # Average-link agglomeration; n is per-run small here (blocking for large
    # corpora lives in the scale path), so the O(n^3) loop is acceptable.
    link = sim.copy()
    np.fill_diagonal(link, -1.0)
    alive = list(range(n))
    while len(alive) > 1:
        sub = link[np.ix_(alive, alive)]
        flat = int(np.argmax(sub))
        i_pos, j_pos = divmod(flat, len(alive))
        best = sub[i_pos, j_pos]
        if best < opts.threshold:
            break
        i, j = alive[i_pos], alive[j_pos]
        if i > j:
            i, j = j, i
        size_i, size_j = len(clusters[i]), len(clusters[j])
        clusters[i].extend(clusters[j])
        clusters[j] = []
        for k in alive:
            if k in (i, j):
                continue
            merged = (link[i, k] * size_i + link[j, k] * size_j) / (size_i + size_j)
            link[i, k] = link[k, i] = merged
        alive.remove(j)
    groups = [sorted(c) for c in clusters if c]
    groups.sort(key=lambda g: g[0])
    return [[features[i].article_id for i in g] for g in groups]
