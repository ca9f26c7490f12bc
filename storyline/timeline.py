"""Dated events of a story, merged across the reports that state them."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS

from .model import DateMention, TimelineEvent

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, kw_only=True)
class DatedStatement:
    """A sentence of a report that a date mention anchors to a calendar day."""

    article_id: str
    date: DateMention
    sentence: str


@dataclass(frozen=True, kw_only=True)
class TimelineOptions:
    merge_overlap: float = 0.25  # word overlap for two statements to be one event
    max_words: int = 32
    max_events: int = 20


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text) if w.casefold() not in STOP_WORDS}


def _describe(sentence: str, max_words: int) -> str:
    words = sentence.split()
    text = " ".join(words[:max_words])
    if len(words) > max_words:
        text = text.rstrip(",;:") + " …"
    return text


def build_timeline(
    statements: Sequence[DatedStatement],
    trust: Mapping[str, float],
    options: TimelineOptions | None = None,
) -> list[TimelineEvent]:
    """Merge dated statements into events: same day and overlapping words make one event."""
    opts = options or TimelineOptions()
    events: list[dict[str, object]] = []
    for st in statements:
        value = st.date.value or ""
        if not _DAY.match(value) or len(st.sentence.split()) < 5:
            continue
        day = value[:10]
        words = _words(st.sentence)
        for ev in events:
            if ev["date"] != day:
                continue
            ev_words: set[str] = ev["words"]  # type: ignore[assignment]
            union = words | ev_words
            if union and len(words & ev_words) / len(union) >= opts.merge_overlap:
                ev["articles"].add(st.article_id)  # type: ignore[attr-defined]
                ev["words"] = ev_words | words
                ev["candidates"].append(st)  # type: ignore[attr-defined]
                break
        else:
            events.append({"date": day, "words": words, "articles": {st.article_id}, "candidates": [st]})
    out: list[TimelineEvent] = []
    for ev in events:
        cands: list[DatedStatement] = ev["candidates"]  # type: ignore[assignment]
        best = max(cands, key=lambda s: (trust.get(s.article_id, 1.0), -len(s.sentence)))
        out.append(
            TimelineEvent(
                date=str(ev["date"]),
                description=_describe(best.sentence, opts.max_words),
                article_ids=tuple(sorted(ev["articles"])),  # type: ignore[arg-type]
            )
        )
    # Keep the best-attested events, then order by date.
    out.sort(key=lambda e: (-len(e.article_ids), e.date))
    out = out[: opts.max_events]
    out.sort(key=lambda e: (e.date, -len(e.article_ids)))
    return out
