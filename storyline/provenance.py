"""Which reports of a story derive from which.

Two signals decide it. Word 5-gram shingle *containment* (how much of one
report's text is found in another) separates verbatim copies and light
rewrites from independent reports. When containment is low but the two
reports say the same things (high overlap of content-word lemmas and figures)
and the later one reads as garbled, it is a translation of the other.
A report derived from a report outside the corpus (a translation of an
article we never saw) is marked as such with ``derived_from`` null.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .model import Provenance

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, kw_only=True)
class ProvenanceOptions:
    shingle: int = 5
    copy_containment: float = 0.75
    rewrite_containment: float = 0.25
    translation_overlap: float = 0.45
    translation_garble: float = 0.45


@dataclass(frozen=True, kw_only=True)
class ProvenanceInput:
    article_id: str
    text: str
    terms: Mapping[str, int]
    garble: float
    day: str | None  # ISO date, or None when unknown
    figures: frozenset[str] = frozenset()  # normalised figures stated ("650000")
    has_source: bool = False  # the outlet is known (metadata), as an original's usually is


def shingles(text: str, size: int = 5) -> set[int]:
    words = [w.casefold() for w in _WORD.findall(text)]
    if len(words) < size:
        return {hash(tuple(words))} if words else set()
    return {hash(tuple(words[i : i + size])) for i in range(len(words) - size + 1)}


def containment(a: set[int], b: set[int]) -> float:
    """Share of ``a``'s shingles that also occur in ``b``."""
    if not a:
        return 0.0
    return len(a & b) / len(a)


def term_overlap(a: Mapping[str, int], b: Mapping[str, int]) -> float:
    """Weighted overlap of content lemmas (min/max Jaccard)."""
    keys = set(a) | set(b)
    if not keys:
        return 0.0
    low = sum(min(a.get(k, 0), b.get(k, 0)) for k in keys)
    high = sum(max(a.get(k, 0), b.get(k, 0)) for k in keys)
    return low / high if high else 0.0


def _earlier(x: ProvenanceInput, y: ProvenanceInput) -> bool:
    """Is x the better candidate for the source of y? (earlier, then cleaner, then longer)."""
    kx = (x.day or "9999", not x.has_source, x.garble, -len(x.text))
    ky = (y.day or "9999", not y.has_source, y.garble, -len(y.text))
    return kx < ky


def trace(items: Sequence[ProvenanceInput], options: ProvenanceOptions | None = None) -> list[Provenance]:
    """One provenance record per article of a story."""
    opts = options or ProvenanceOptions()
    sh = {it.article_id: shingles(it.text, opts.shingle) for it in items}
    result: dict[str, Provenance] = {}
    for it in items:
        best: tuple[float, str, str] | None = None  # (score, relation, source id)
        for other in items:
            if other.article_id == it.article_id or not _earlier(other, it):
                continue
            c = containment(sh[it.article_id], sh[other.article_id])
            if c >= opts.copy_containment:
                cand = (c, "copy", other.article_id)
            elif c >= opts.rewrite_containment:
                cand = (c, "rewrite", other.article_id)
            else:
                overlap = term_overlap(it.terms, other.terms)
                shared_figures = len(it.figures & other.figures) / max(1, len(it.figures))
                score = 0.7 * overlap + 0.3 * shared_figures
                if it.garble >= opts.translation_garble and score >= opts.translation_overlap:
                    cand = (score, "translation", other.article_id)
                else:
                    continue
            if best is None or cand[0] > best[0]:
                best = cand
        if best is not None:
            result[it.article_id] = Provenance(it.article_id, best[2], best[1], best[0])
        elif it.garble >= 0.6:
            # Reads like a machine translation of something we never saw.
            result[it.article_id] = Provenance(it.article_id, None, "translation", it.garble)
        else:
            result[it.article_id] = Provenance(it.article_id, None, "independent", 1.0)
    sources = {p.derived_from for p in result.values() if p.derived_from}
    out = []
    for it in items:
        p = result[it.article_id]
        if p.relation == "independent" and it.article_id in sources:
            p = Provenance(it.article_id, None, "original", 1.0)
        out.append(p)
    return out


def witness_of(provenance: Sequence[Provenance]) -> dict[str, str]:
    """Map each article to the independent witness it stands for.

    Copies, rewrites and translations of a report in the story count as that
    report: corroboration needs independent witnesses, not repetitions.
    """
    parent = {p.article_id: p.derived_from for p in provenance}

    def root(a: str) -> str:
        seen = set()
        while parent.get(a) and a not in seen:
            seen.add(a)
            a = parent[a]  # type: ignore[assignment]
        return a

    return {a: root(a) for a in parent}


def independent_sources(provenance: Sequence[Provenance]) -> int:
    return len(set(witness_of(provenance).values()))
