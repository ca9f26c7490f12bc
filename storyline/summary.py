"""A consolidated account of a story, every sentence citing the reports behind it.

The account reads the way a careful fact-checker writes: a lead sentence
(what happened, when, who, and how many independent reports say so), the
events that followed in date order, then the figures: conflicts stated as
conflicts with who says what, updates as "X as of date A, Y as of date B",
agreement with the number of independent sources, and figures that only one
source gives flagged as such. Drifting quotations close the account.
Each sentence lists the reports that support it and, for a conflict, the
reports that contradict it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from datetime import date

from .claims import described_date
from .model import Claim, ClaimValue, QuoteGroup, SummarySentence
from .quotations import shorten_quote
from .timeline import Event

_MAX_EVENTS = 7
_MAX_SAME_DAY = 2
_MAX_CLAIMS = 8
_MAX_SINGLE = 3


def human_date(value: str | None) -> str:
    """ "2025-06-09" -> "Monday, June 9, 2025"; "2025-06" -> "June 2025"."""
    if not value:
        return "an unknown date"
    try:
        d = date.fromisoformat(value[:10])
    except ValueError:
        try:
            d = date.fromisoformat(value[:7] + "-01")
        except ValueError:
            return value
        return f"{d.strftime('%B')} {d.year}"
    return f"{d.strftime('%A')}, {d.strftime('%B')} {d.day}, {d.year}"


def _short_date(value: str | None) -> str:
    if not value:
        return "an unknown date"
    try:
        d = date.fromisoformat(value[:10])
    except ValueError:
        return human_date(value)
    return f"{d.strftime('%B')} {d.day}, {d.year}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _list(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _number(n: int) -> str:
    return _NUMBERS[n] if 0 <= n < len(_NUMBERS) else str(n)


def _sources(n: int) -> str:
    return f"{_number(n)} independent source{'s' if n != 1 else ''}"


def _what(claim: Claim) -> str:
    """The thing a figure measures, as a noun phrase fit for a sentence."""
    d = claim.description.strip() or claim.kind
    low = d.casefold()
    if claim.kind == "count" and not low.startswith(("number", "count")):
        return f"the number of {d}"
    if low.startswith(("the ", "a ", "an ")) or (d[:1].isupper() and not low.startswith(("sum", "share", "money"))):
        return d
    return f"the {d}"


def summarize(
    events: Sequence[Event],
    claims: Sequence[Claim],
    quotes: Sequence[QuoteGroup],
    entity_names: Mapping[str, str],
    witness: Mapping[str, str],
    *,
    published: Mapping[str, str | None] | None = None,
    sources: Mapping[tuple[str, int], str] | None = None,
) -> list[SummarySentence]:
    """The account of one story (see module docstring); ``published`` dates tell planned events from past ones."""
    out: list[SummarySentence] = []
    contested = {(v.article_id, v.value[:10]) for c in claims if c.kind == "date" and c.status == "conflict" for v in c.values}
    out += _events(events, published or {}, contested)
    # A date claim says in the account only what it is the date of; one with no such phrase stays in the claims list.
    claims = [c for c in claims if described_date(c)]
    ranked = [c for c in claims if c.status != "single_source"]
    order = {"conflict": 0, "updated": 1, "agreed": 2}
    ranked.sort(key=lambda c: (order.get(c.status, 3), -_witnesses(c, witness)))
    for claim in ranked[:_MAX_CLAIMS]:
        out.append(_claim_sentence(claim, witness, sources or {}))
    single = [c for c in claims if c.status == "single_source"][:_MAX_SINGLE]
    if single:
        parts = [f"{_what(c)} ({value_words(c.values[0])}, in {_list(sorted({v.article_id for v in c.values}))})" for c in single]
        ids = tuple(sorted({v.article_id for c in single for v in c.values}))
        noun = "This figure rests" if len(single) == 1 else "These figures rest"
        verb = "is" if len(single) == 1 else "are"
        out.append(SummarySentence(f"{noun} on a single source and {verb} not confirmed elsewhere: {'; '.join(parts)}.", ids))
    for q in quotes:
        if q.status == "drift" and len(q.versions) > 1:
            out.append(_quote_sentence(q, entity_names))
    return out


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _quote_sentence(q: QuoteGroup, entity_names: Mapping[str, str]) -> SummarySentence:
    """Which reports quote the words the same way and which reword them."""
    who = entity_names.get(q.speaker or "", "An unnamed speaker")
    ids = tuple(sorted({v.article_id for v in q.versions}))
    wordings = [_words(v.text) for v in q.versions]
    common = max(wordings, key=lambda w: (wordings.count(w), -wordings.index(w)))
    same = sorted({v.article_id for v, w in zip(q.versions, wordings) if w == common})
    other = sorted({v.article_id for v, w in zip(q.versions, wordings) if w != common} - set(same))
    shown = next(v.text for v, w in zip(q.versions, wordings) if w == common)
    quote = f"\u201c{shorten_quote(shown, 90)}\u201d"
    if len(same) > 1 and other:
        text = (
            f"{who} is quoted in the same words by {_list(same)} ({quote}); "
            f"{_list(other)} {'words' if len(other) == 1 else 'word'} it differently (fidelity {q.fidelity:.2f})."
        )
    else:
        first = q.versions[0]
        quote = f"\u201c{shorten_quote(first.text, 90)}\u201d"
        text = (
            f"{who} is quoted in different words by {_list(list(ids))} (fidelity {q.fidelity:.2f}); "
            f"{first.article_id} has {quote}."
        )
    return SummarySentence(text, ids)


def _events(
    events: Sequence[Event], published: Mapping[str, str | None], contested: frozenset[tuple[str, str]] | set[tuple[str, str]] = frozenset()
) -> list[SummarySentence]:
    """The lead (the best-attested event) and the events that followed it, in date order.

    ``contested`` are (report, day) pairs of dates other reports contradict: an event dated so says so.
    """

    def caveat(e: Event) -> str:
        return " (reports disagree on this date)" if any((a, e.date[:10]) in contested for a in e.article_ids) else ""

    if not events:
        return []
    # The lead: the event most independent reports state, then the one reports put first.
    lead = max(
        events,
        key=lambda e: (
            e.witnesses, not _planned(e, published), any(m.main for m in e.mentions), e.trust >= 0.5,
            -min(m.position for m in e.mentions),
            -_ordinal(e.date),
        ),
    )
    # The rest: the best-attested events, spread over as many days as possible.
    pool = [e for e in events if e is not lead]
    same_day = sorted(
        (e for e in pool if e.date == lead.date and any(m.main for m in e.mentions)),
        key=lambda e: (-e.witnesses, min(m.position for m in e.mentions)),
    )[:_MAX_SAME_DAY]
    pool = [e for e in pool if e not in same_day]
    rest: list[Event] = []
    days = {lead.date}
    while pool and len(rest) + len(same_day) < _MAX_EVENTS - 1:
        pick = max(pool, key=lambda e: (e.witnesses, e.date not in days, any(m.main for m in e.mentions), -_ordinal(e.date)))
        pool.remove(pick)
        rest.append(pick)
        days.add(pick.date)
    out = []
    n = lead.witnesses
    copies = len(lead.article_ids) - n
    backing = f", according to {_sources(n)}" if n > 1 else ", according to a single source"
    if copies:
        backing += f" (and {_number(copies)} cop{'y' if copies == 1 else 'ies'})"
    if _planned(lead, published):
        plan = _plan_sentence(lead)
        out.append(SummarySentence(plan.text[:-1] + backing + caveat(lead) + ".", lead.article_ids))
    else:
        out.append(SummarySentence(f"{_on(lead.date)}, {lead.sentence()}{backing}{caveat(lead)}.", lead.article_ids))
    for e in same_day:
        out.append(SummarySentence(f"The same day, {e.sentence()}{caveat(e)}.", e.article_ids))
    earlier = False
    for e in sorted(rest, key=lambda e: e.date):
        if _planned(e, published):
            plan = _plan_sentence(e)
            out.append(SummarySentence(plan.text[:-1] + caveat(e) + ".", e.article_ids))
            continue
        when = _on(e.date)
        if e.date < lead.date and not earlier:
            when = "Earlier, " + when[:1].lower() + when[1:]
            earlier = True
        out.append(SummarySentence(f"{when}, {e.sentence()}{caveat(e)}.", e.article_ids))
    return out


def _planned(e: Event, published: Mapping[str, str | None]) -> bool:
    """Still to come when every report stating it was published ("the hearing is set for May 10")."""
    reported = [published.get(a) or "" for a in e.article_ids]
    return bool(reported) and all(r and r[: len(e.date)] < e.date for r in reported)


def _plan_sentence(e: Event) -> SummarySentence:
    when = _on(e.date)
    return SummarySentence(f"{_cap(e.planned())} {when[:1].lower() + when[1:]}.", e.article_ids)


def _on(value: str) -> str:
    return f"On {human_date(value)}" if len(value) >= 10 else f"In {human_date(value)}"


def _ordinal(value: str) -> int:
    try:
        return date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return 0


def _witnesses(claim: Claim, witness: Mapping[str, str]) -> int:
    return len({witness.get(v.article_id, v.article_id) for v in claim.values})


_LOWER_LEAD = re.compile(
    r"^(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|a|an|half|dozens?"
    r"|hundreds?|thousands?|millions?|about|around|roughly|nearly|almost|some|more|less|fewer|over|under|at|up"
    r"|approximately|just|only|exactly|close|several)\b"
)


def value_words(v: ClaimValue) -> str:
    """A value's words as they read mid-sentence: "Six" -> "six", "250-member" -> "250"."""
    text = v.text.strip()
    if _LOWER_LEAD.match(text.casefold()) and text[:1].isupper() and not text.split()[0].isupper():
        text = text[:1].lower() + text[1:]
    modifier = re.search(r"(?<=\d)-([A-Za-z]+)$", text)  # a number used as a modifier ("a 250-member house")
    if modifier and v.unit and modifier.group(1).casefold().rstrip("s") == v.unit.casefold().rstrip("s"):
        text = text[: modifier.start()]
    return text


def _by_value(values: Sequence[ClaimValue]) -> list[tuple[str, list[ClaimValue]]]:
    """Values grouped by their wording (qualifier included), in first-seen order."""
    groups: dict[tuple[object, object], list[ClaimValue]] = {}
    for v in values:
        groups.setdefault((v.value, v.unit), []).append(v)
    out = []
    for vs in groups.values():
        wordings = [value_words(v) for v in vs]
        out.append((max(wordings, key=lambda t: (wordings.count(t), -wordings.index(t))), vs))
    return out


def _ids(values: Sequence[ClaimValue]) -> list[str]:
    return sorted({v.article_id for v in values})


def _citing(values: Sequence[ClaimValue], sources: Mapping[tuple[str, int], str], *, partial: bool = True) -> str:
    """ ", citing the water authority" when the reports attribute these values to one source
    (naming the reports that do, when only some of them do)."""
    named = {v.article_id: sources[(v.article_id, v.start)] for v in values if (v.article_id, v.start) in sources}
    if not named:
        return ""
    if len({n.casefold().removeprefix("the ") for n in named.values()}) > 1:
        return ""
    who = max(named.values(), key=lambda n: (n.startswith("the "), len(n)))
    if len(named) == len({v.article_id for v in values}):
        return f", citing {who}"
    if not partial:
        return ""
    ids = sorted(named)
    return f"; {_list(ids)} cite{'s' if len(ids) == 1 else ''} {who}"


def _others_count(claim: Claim, groups: Sequence[tuple[str, list[ClaimValue]]]) -> object | None:
    """The value that counts "the others" in an agreed count of two values one apart, if the claim is one."""
    if claim.kind != "count" or not claim.description.strip().casefold().startswith("other ") or len(groups) != 2:
        return None
    (_, a), (_, b) = groups
    try:
        lo, hi = sorted((float(a[0].value), float(b[0].value)))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if hi - lo != 1:
        return None
    return a[0].value if float(a[0].value) == lo else b[0].value  # type: ignore[arg-type]


def _claim_sentence(
    claim: Claim, witness: Mapping[str, str], sources: Mapping[tuple[str, int], str]
) -> SummarySentence:
    what = _what(claim)
    ids = tuple(_ids(claim.values))
    n = _witnesses(claim, witness)
    if claim.status == "agreed":
        groups = _by_value(claim.values)
        others = _others_count(claim, groups)
        if others is not None:
            # "Six other candidates" and "one of seven candidates" agree: say which counts the others.
            what = _what(dataclasses.replace(claim, description=claim.description.strip()[len("other ") :]))
            groups = [(f"{t} others" if vs[0].value == others else t, vs) for t, vs in groups]
        if len(groups) == 1:
            texts = groups[0][0]
        else:  # different wordings within rounding or qualifiers: say who gives which
            texts = "; ".join(f"{t} in {_list(_ids(vs))}" for t, vs in groups)
        cite = _citing(claim.values, sources, partial=False)
        return SummarySentence(f"{_cap(_sources(n))} agree on {what}: {texts}{cite}.", ids)
    if claim.status == "updated":
        # One step per moment: the value and the date it held.
        steps: dict[str, list[ClaimValue]] = {}
        for v in sorted(claim.values, key=lambda v: v.as_of or ""):
            steps.setdefault(v.as_of or "", []).append(v)
        merged: list[tuple[str, list[str], list[ClaimValue]]] = []  # a value repeated later keeps its first date
        for day, vs in steps.items():
            texts = [t for t, _ in _by_value(vs)]
            if merged and texts == merged[-1][1]:
                merged[-1][2].extend(vs)
            else:
                merged.append((day, texts, list(vs)))
        parts = []
        for day, texts, vs in merged:
            when = f" as of {_short_date(day)}" if day else ""
            parts.append(f"{' / '.join(texts)}{when} ({_list(_ids(vs))}{_citing(vs, sources)})")
        return SummarySentence(
            f"{_cap(what)} was updated over time: {', then '.join(parts)}; the later figure supersedes the earlier one "
            "rather than contradicting it.",
            ids,
        )
    # conflict: the value most independent witnesses carry leads; the others contradict it.
    groups = _by_value(claim.values)
    ranked = sorted(groups, key=lambda g: -len({witness.get(v.article_id, v.article_id) for v in g[1]}))
    lead_ids = set(_ids(ranked[0][1]))
    parts = []
    for text, vs in ranked:
        w = len({witness.get(v.article_id, v.article_id) for v in vs})
        parts.append(f"{text} in {_list(_ids(vs))} ({_sources(w)}{_citing(vs, sources)})")
    contra = tuple(sorted(set(ids) - lead_ids))
    return SummarySentence(f"Reports disagree on {what}: {'; '.join(parts)}.", tuple(sorted(lead_ids)), contra)
