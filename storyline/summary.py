"""A short consolidated account of a story, every sentence citing its reports."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from .model import Claim, QuoteGroup, SummarySentence, TimelineEvent
from .quotations import shorten_quote

_MAX_TIMELINE = 4
_MAX_CLAIMS = 8


def _human_date(value: str) -> str:
    try:
        d = date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{d.strftime('%A')}, {d.strftime('%B')} {d.day}, {d.year}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def summarize(
    timeline: Sequence[TimelineEvent],
    claims: Sequence[Claim],
    quotes: Sequence[QuoteGroup],
    entity_names: Mapping[str, str],
    witness: Mapping[str, str],
) -> list[SummarySentence]:
    """Timeline highlights first, then what the figures say: conflicts, updates, agreement."""
    out: list[SummarySentence] = []
    best = sorted(timeline, key=lambda e: (-len(e.article_ids), e.date))[:_MAX_TIMELINE]
    for ev in sorted(best, key=lambda e: e.date):
        text = ev.description.rstrip(" .…")
        out.append(SummarySentence(f"On {_human_date(ev.date)}: {text}.", tuple(ev.article_ids)))
    for claim in [c for c in claims if c.status != "single_source"][:_MAX_CLAIMS]:
        out.append(_claim_sentence(claim, witness))
    for q in quotes:
        if q.status == "drift" and len(q.versions) > 1:
            who = entity_names.get(q.speaker or "", "One speaker")
            ids = tuple(sorted({v.article_id for v in q.versions}))
            out.append(
                SummarySentence(
                    f"{who} is quoted in {len(q.versions)} versions whose wording drifts "
                    f"(fidelity {q.fidelity:.2f}): \u201c{shorten_quote(q.versions[0].text, 90)}\u201d.",
                    ids,
                )
            )
    return out


def _claim_sentence(claim: Claim, witness: Mapping[str, str]) -> SummarySentence:
    what = _cap(claim.description)
    ids = tuple(sorted({v.article_id for v in claim.values}))
    if claim.status == "agreed":
        n = len({witness.get(a, a) for a in ids})
        return SummarySentence(f"{what}: {claim.values[0].text} ({n} independent sources agree).", ids)
    if claim.status == "updated":
        parts = []
        seen = set()
        for v in claim.values:
            key = (v.text, v.as_of)
            if key in seen:
                continue
            seen.add(key)
            parts.append(f"{v.text} as of {v.as_of}" if v.as_of else v.text)
        return SummarySentence(f"{what}: {', then '.join(parts)} (the figure was updated).", ids)
    # conflict: the value carried by the most independent witnesses leads.
    by_text: dict[str, set[str]] = {}
    for v in claim.values:
        by_text.setdefault(v.text, set()).add(v.article_id)
    ranked = sorted(by_text.items(), key=lambda kv: -len({witness.get(a, a) for a in kv[1]}))
    lead_text, lead_ids = ranked[0]
    others = "; ".join(f"{t} in {', '.join(sorted(a))}" for t, a in ranked[1:])
    contra = tuple(sorted(set(ids) - lead_ids))
    return SummarySentence(
        f"Reports conflict on {claim.description}: {lead_text} in {', '.join(sorted(lead_ids))}, but {others}.",
        tuple(sorted(lead_ids)),
        contra,
    )
