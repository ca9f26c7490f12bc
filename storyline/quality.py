"""How corrupted or machine-translated a report reads: the ``garble`` signal.

The intrinsic part looks at one report alone: sentences without a verb,
common words capitalised in mid-sentence, stray quotation marks and dashes,
sentences that start lowercase. The relational part (added per story) counts
names the report spells differently from the rest of the story. The two are
combined by a logistic squash into [0, 1]; 0 is clean.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_STRAY_QUOTES = re.compile(r"[”\"]\s*[”\"]|“\s*“|[.!?]\s*[”\"]\s*[”\"]")
_ODD_DASH = re.compile(r"(?:^|[.!?]\s+)[–—-]\s+[A-Z]", re.MULTILINE)
_DOUBLE_PUNCT = re.compile(r"[,;:]\s*[,;:.]|\s[,.;:](?!\d)")
_LOWER_START = re.compile(r"(?:^|[.!?]\s+)[a-z]", re.MULTILINE)


@dataclass(frozen=True, kw_only=True)
class GarbleFeatures:
    verbless: float  # share of sentences without a verb
    odd_caps: float  # capitalised common words mid-sentence, per sentence
    punctuation: float  # stray quotes / dashes / doubled punctuation, per sentence
    lower_start: float  # sentences starting lowercase, per sentence
    respelled: float = 0.0  # share of name mentions respelled against the story (relational)

    def as_dict(self) -> dict[str, float]:
        return {k: getattr(self, k) for k in ("verbless", "odd_caps", "punctuation", "lower_start", "respelled")}


# Weights set on our own corrupted-copy round trips (see tests/test_quality.py).
_WEIGHTS: Mapping[str, float] = {
    "verbless": 4.0,
    "odd_caps": 6.0,
    "punctuation": 5.0,
    "lower_start": 3.0,
    "respelled": 6.0,
}
_BIAS = -3.2


def intrinsic_features(doc: Any) -> GarbleFeatures:
    """Features of one spaCy ``Doc`` (needs the parser for sentences)."""
    sents = [s for s in doc.sents if any(t.is_alpha for t in s)]
    n = max(1, len(sents))
    verbless = 0
    odd_caps = 0
    for s in sents:
        words = [t for t in s if t.is_alpha]
        if len(words) >= 4 and not any(t.pos_ in ("VERB", "AUX") for t in s):
            verbless += 1
        for prev, tok in zip(s, s[1:]):
            if (
                tok.is_title
                and tok.ent_type_ == ""
                and tok.pos_ in ("VERB", "NOUN", "ADJ", "ADV", "ADP", "DET", "PRON")
                and prev.is_alpha
                and prev.is_lower
                and len(tok) > 2
            ):
                odd_caps += 1
    text = doc.text
    punct = len(_STRAY_QUOTES.findall(text)) + len(_ODD_DASH.findall(text)) + len(_DOUBLE_PUNCT.findall(text))
    return GarbleFeatures(
        verbless=verbless / n,
        odd_caps=odd_caps / n,
        punctuation=punct / n,
        lower_start=len(_LOWER_START.findall(text)) / n,
    )


def garble_score(features: GarbleFeatures) -> float:
    z = _BIAS + sum(_WEIGHTS[k] * v for k, v in features.as_dict().items())
    return 1.0 / (1.0 + math.exp(-z))
