"""Dated events of a story, built from actions and merged across the reports that state them.

Each dated action ("the authority issued a boil-water notice late Monday")
is an :class:`EventMention`. Mentions from different reports are one event
when they have the same predicate, compatible actors and objects (the same
entity, or the same head noun) and dates at most a day apart. An event cites
every report that states it (copies included), but it ranks by independent
witnesses: copies of one report do not make an event look better attested.
Each event reads as a short clause: a headline ("Water authority issues
boil-water notice") for the timeline, a past-tense sentence for the summary.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from .actions import participle, past, present
from .model import TimelineEvent


@dataclass(frozen=True, kw_only=True)
class EventMention:
    """One report's statement of an action, with names already resolved to their entities."""

    article_id: str
    date: str  # ISO date, day or month precision
    lemma: str  # predicate ("issue", "hand out")
    subject: str
    obj: str = ""
    extra: str = ""  # complement: "to raise water rates by 9%", "on paid leave"
    agent: str = ""  # "by" phrase of a passive
    negated: bool = False
    passive: bool = False
    plural: bool = False
    future: bool = False
    main: bool = True  # the main clause of its sentence
    subject_key: frozenset[str] = frozenset()  # entity id and name words, or the head lemma
    object_key: frozenset[str] = frozenset()
    agent_key: frozenset[str] = frozenset()
    subject_is_name: bool = False
    position: int = 0  # where the report states it (a report's lead states its main event)
    dated: bool = True  # False: dated only by the report's publication day (may support an event, not open one)


@dataclass(frozen=True, kw_only=True)
class TimelineOptions:
    max_days_apart: int = 1
    max_events: int = 14
    max_words: int = 16


@dataclass
class Event:
    """A merged event: its date, the reports that state it, and the mention that words it."""

    date: str
    article_ids: tuple[str, ...]
    witnesses: int
    best: EventMention
    mentions: list[EventMention] = field(default_factory=list)
    trust: float = 1.0  # the most trusted report stating it (1 - garble)

    def headline(self, max_words: int = 16) -> str:
        return headline(self.best, max_words)

    def sentence(self) -> str:
        return past_sentence(self.best)

    def planned(self) -> str:
        return planned_sentence(self.best)

    def to_event(self, max_words: int = 16) -> TimelineEvent:
        return TimelineEvent(date=self.date, description=self.headline(max_words), article_ids=self.article_ids)


# ---------------------------------------------------------------- wording


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _trim(words: str, n: int) -> str:
    parts = words.split()
    return " ".join(parts[:n]) if len(parts) > n else words


_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


def _bare(phrase: str) -> str:
    """A headline drops leading articles: "the board" -> "board"."""
    return _ARTICLE.sub("", phrase)


def headline(m: EventMention, max_words: int = 16) -> str:
    """A headline-style clause: "Water authority issues boil-water notice", "New rates scheduled to take effect"."""
    subject = _cap(_bare(m.subject))
    if m.passive:
        verb = ("not " if m.negated else "") + ("to be " if m.future else "") + participle(m.lemma)
        tail = [m.extra, f"by {_bare(m.agent)}" if m.agent else ""]
    else:
        if m.future:
            verb = ("not " if m.negated else "") + "to " + m.lemma
        elif m.negated:
            verb = ("do" if m.plural else "does") + " not " + m.lemma
        else:
            verb = present(m.lemma, m.plural)
        tail = [_bare(m.obj), m.extra]
    words = " ".join(x for x in [subject, verb, *tail] if x)
    if len(words.split()) > max_words:
        # Drop the complement first, then cut.
        words = " ".join(x for x in [subject, verb, tail[0]] if x)
        words = _trim(words, max_words)
    return words


def planned_sentence(m: EventMention) -> str:
    """A clause for an event still to come when it was reported: "the hearing is set at ..."."""
    if m.passive:
        aux = "will be" if m.future else "are" if m.plural else "is"
        verb = f"{aux} {'not ' if m.negated else ''}{participle(m.lemma)}"
        tail = [m.extra, f"by {m.agent}" if m.agent else ""]
    else:
        verb = f"will {'not ' if m.negated else ''}{m.lemma}"
        tail = [m.obj, m.extra]
    return " ".join(x for x in [m.subject, verb, *tail] if x)


def past_sentence(m: EventMention) -> str:
    """A past-tense clause for the account: "the water authority issued a boil-water notice"."""
    subject = m.subject
    if m.passive:
        aux = "will be" if m.future else ("were" if m.plural else "was")
        verb = f"{aux} {'not ' if m.negated else ''}{participle(m.lemma)}"
        tail = [m.extra, f"by {m.agent}" if m.agent else ""]
    else:
        if m.future:
            verb = f"will {'not ' if m.negated else ''}{m.lemma}"
        elif m.negated:
            verb = f"did not {m.lemma}"
        else:
            verb = past(m.lemma)
        tail = [m.obj, m.extra]
    return " ".join(x for x in [subject, verb, *tail] if x)


# ---------------------------------------------------------------- merging


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _near(a: str, b: str, days: int) -> bool:
    if a == b:
        return True
    da, db = _day(a), _day(b)
    if da and db:
        return abs((da - db).days) <= days
    return False  # different months, or a month against a day of another month


def _compatible(a: frozenset[str], b: frozenset[str]) -> bool:
    return not a or not b or bool(a & b)


def _agent(m: EventMention) -> frozenset[str]:
    return m.agent_key if m.passive else m.subject_key


def _patient(m: EventMention) -> frozenset[str]:
    return m.subject_key if m.passive else m.object_key


# Predicates that name the same kind of event when their participants match.
_SAME_PREDICATE = {
    "detect": "find", "discover": "find", "turn up": "find", "uncover": "find", "identify": "find",
    "rescind": "withdraw", "revoke": "withdraw", "retract": "withdraw", "pull": "withdraw",
    "pass": "approve", "adopt": "approve", "okay": "approve",
    "step down": "resign", "quit": "resign",
    "apologise": "apologize",
    "detain": "arrest",
    "unveil": "announce",
    "raise": "increase", "hike": "increase",
    "impose": "issue",
}


def predicate_class(lemma: str) -> str:
    return _SAME_PREDICATE.get(lemma, lemma)


def same_event(a: EventMention, b: EventMention, max_days: int = 1) -> bool:
    """Same kind of predicate, shared participants, compatible objects, dates at most ``max_days`` apart."""
    if predicate_class(a.lemma) != predicate_class(b.lemma) or a.negated != b.negated:
        return False
    if not _near(a.date, b.date, max_days):
        return False
    who_a = a.subject_key | a.object_key | a.agent_key
    who_b = b.subject_key | b.object_key | b.agent_key
    if not who_a & who_b:
        return False  # something must be shared
    if not (a.passive or b.passive) and not _compatible(a.subject_key, b.subject_key):
        return False
    return _compatible(_patient(a), _patient(b)) or a.passive != b.passive


def build_timeline(
    mentions: Sequence[EventMention],
    trust: Mapping[str, float],
    witness: Mapping[str, str] | None = None,
    options: TimelineOptions | None = None,
) -> list[Event]:
    """Merge event mentions into dated events, best attested first kept, ordered by date."""
    opts = options or TimelineOptions()
    witness = witness or {}
    groups: list[list[EventMention]] = []
    ordered = sorted(mentions, key=lambda m: (not m.dated, -trust.get(m.article_id, 1.0), not m.main, m.article_id))
    for m in ordered:
        for g in groups:
            if any(same_event(m, o, opts.max_days_apart) for o in g if o.dated):
                g.append(m)
                break
        else:
            if m.dated:
                groups.append([m])
    events = []
    for g in groups:
        ids = tuple(sorted({m.article_id for m in g}))
        witnesses = len({witness.get(a, a) for a in ids})
        # The date most independent witnesses give; ties go to the earlier date.
        votes: Counter[str] = Counter()
        for d in {(witness.get(m.article_id, m.article_id), m.date) for m in g if m.dated}:
            votes[d[1]] += 1
        day = min(votes, key=lambda d: (-votes[d], d))
        best = max(
            g, key=lambda m: (m.dated, trust.get(m.article_id, 1.0), m.main, m.date == day, -len(headline(m).split()))
        )
        events.append(
            Event(date=day, article_ids=ids, witnesses=witnesses, best=best, mentions=g,
                  trust=max(trust.get(m.article_id, 1.0) for m in g))
        )
    # Keep the best-attested events (main clauses first), then order by date.
    events.sort(key=lambda e: (-e.witnesses, not any(m.main for m in e.mentions), e.date))
    events = events[: opts.max_events]
    events.sort(key=lambda e: (e.date, -e.witnesses))
    return events


def timeline_events(events: Sequence[Event], options: TimelineOptions | None = None) -> list[TimelineEvent]:
    opts = options or TimelineOptions()
    return [e.to_event(opts.max_words) for e in events]
