"""One quotation across reports: its versions, and whether the wording drifted.

A version's ``text`` is its exact span in the report, so a quotation split by its
attribution (“A,” she said. “B.”) or running over paragraphs carries the interruption;
similarity and display use the spoken words only (:func:`storyline.quotes.spoken_text`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from .model import QuoteGroup, QuoteMention
from .quotes import spoken_text

_NON_WORD = re.compile(r"[^\w\s]+", re.UNICODE)


@dataclass(frozen=True, kw_only=True)
class QuoteOptions:
    same_quote: float = 0.55  # token-set similarity to be one quote
    consistent: float = 0.92  # wording similarity to count as unchanged


def normalize_quote(text: str) -> str:
    """Spoken words, case-folded, without punctuation."""
    text = spoken_text(text).casefold().replace("-", " ")
    return " ".join(_NON_WORD.sub(" ", text).split())


def quote_similarity(a: str, b: str) -> float:
    na, nb = normalize_quote(a), normalize_quote(b)
    if not na or not nb:
        return 0.0
    return max(fuzz.token_sort_ratio(na, nb), 0.9 * fuzz.token_set_ratio(na, nb)) / 100.0


def group_quotes(
    quotes: Sequence[QuoteMention],
    speakers: Mapping[int, str | None],
    trust: Mapping[str, float],
    *,
    id_prefix: str = "q",
    options: QuoteOptions | None = None,
) -> list[QuoteGroup]:
    """Group quotations that render the same words; ``speakers`` maps quote index -> entity id.

    ``trust`` (0-1 per article, 1 = clean) picks the reference version that the
    others are measured against.
    """
    opts = options or QuoteOptions()
    groups: list[list[int]] = []
    for i, q in enumerate(quotes):
        placed = False
        for g in groups:
            if any(quotes[j].article_id == q.article_id for j in g):
                continue
            sim = max(quote_similarity(q.text, quotes[j].text) for j in g)
            sa, sb = speakers.get(i), next((speakers.get(j) for j in g if speakers.get(j)), None)
            if sa and sb and sa != sb:
                sim -= 0.2
            if sim >= opts.same_quote:
                g.append(i)
                placed = True
                break
        if not placed:
            groups.append([i])
    out: list[QuoteGroup] = []
    for g in groups:
        versions = [quotes[i] for i in g]
        ref = max(versions, key=lambda v: (trust.get(v.article_id, 1.0), len(v.text)))
        sims = [quote_similarity(ref.text, v.text) if v is not ref else 1.0 for v in versions]
        wording = [
            1.0 if v is ref else _wording(ref.text, v.text) for v in versions
        ]
        fidelity = min(sims) if sims else 1.0
        status = "consistent" if min(wording) >= opts.consistent else "drift"
        named = [speakers.get(i) for i in g if speakers.get(i)]
        speaker = max(set(named), key=named.count) if named else None
        out.append(QuoteGroup(id="", speaker=speaker, status=status, versions=versions, fidelity=fidelity))
    out.sort(key=lambda q: -len(q.versions))
    for n, q in enumerate(out, 1):
        q.id = f"{id_prefix}{n}"
    return out


def _wording(a: str, b: str) -> float:
    na, nb = normalize_quote(a), normalize_quote(b)
    if na in nb or nb in na:
        return 1.0  # one report quotes part of the other's quotation
    return fuzz.ratio(na, nb) / 100.0


def shorten_quote(text: str, limit: int = 160) -> str:
    """The spoken words of a quotation for display, at most ``limit`` characters, never cut mid-word.

    A cut ends on a whole word followed by "…"; a single word longer than ``limit`` is kept whole.
    """
    words = spoken_text(text)
    if len(words) <= limit:
        return words
    cut = words[: max(limit - 1, 0) + 1]
    space = cut.rfind(" ")
    if space <= 0:
        first = words.split(" ", 1)[0]
        return first if first == words else first.rstrip(",;:") + "…"
    return cut[:space].rstrip(" ,;:—–-") + "…"
