"""Figures across reports: group statements about the same thing, then judge them.

A figure (money, count, percent) is described by what surrounds it: the
content lemmas of its clause, the verb that governs it, the noun it counts and
the entity it is about. Figures from different reports whose descriptions
match are one claim. Each claim is then judged:

- ``agreed``: the values are compatible once qualifiers ("nearly", "more
  than") and rounding are allowed for;
- ``updated``: the values differ but were stated for different moments and
  the later one is larger for a quantity that grows (money raised or spent,
  a running count);
- ``conflict``: incompatible values for the same moment;
- ``single_source``: one independent witness only (copies are one witness), all
  agreeing. A copy that states a different value is still a conflict (or an
  update): the copy changed the figure, and a reader must be told.

Dates are claims too (kind ``date``): the calendar dates reports give for the
same thing (matched by the words of their clause and sentence, and the entities
named there) are ``agreed`` or in ``conflict``; "as of" anchors and datelines
are not dates of events, and the same relative words ("on Monday") in reports of
different days are not a disagreement.
"""

from __future__ import annotations

import functools
import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any
from dataclasses import dataclass, field

from .model import Claim, ClaimValue, DateMention, Quantity

# Verbs whose object accumulates over time: a later, larger figure updates.
GROWING_VERBS = frozenset(
    {
        "spend", "raise", "collect", "donate", "contribute", "receive", "pay", "cost",
        "reach", "total", "climb", "rise", "grow", "increase", "sell", "kill", "die",
        "injure", "infect", "evacuate", "arrest", "sign", "vaccinate", "distribute",
        "deliver", "pledge", "invest", "lose", "earn", "gather", "register", "count",
    }
)
GROWING_NOUNS = frozenset(
    {"spending", "cost", "fundraising", "donation", "contribution", "toll", "death", "case",
     "casualty", "signature", "vote", "total", "fund", "expense", "damage", "loss", "order",
     "download", "subscriber", "user", "customer", "victim", "arrest", "evacuee", "shipment",
     "funding", "fundraise"}
)
# Words near a figure that mark a running total ("a total of", "so far", "to date").
GROWING_CUES = frozenset({"total", "tally", "cumulative", "far", "toll", "overall", "bring", "climb"})

_RELATIVE_SLACK = {
    "exact": (0.0, 0.0),
    "about": (0.10, 0.10),
    "nearly": (0.08, 0.0),
    "more_than": (0.0, 0.15),
    "at_least": (0.0, 0.15),
    "less_than": (0.15, 0.0),
    "at_most": (0.15, 0.0),
}


@dataclass(frozen=True, kw_only=True)
class FigureContext:
    """What a figure is about, as read off its sentence."""

    lemmas: frozenset[str]  # content lemmas near the figure
    verb: str | None = None  # lemma of the governing verb
    noun: str | None = None  # lemma of the counted noun / head noun
    subject: str | None = None  # entity id the figure is about, if found
    entities: frozenset[str] = frozenset()  # entity ids named in the clause


@dataclass(frozen=True, kw_only=True)
class Figure:
    quantity: Quantity
    context: FigureContext
    day: str | None  # the date the figure held (as_of or report date)


@dataclass(frozen=True, kw_only=True)
class AlignOptions:
    link_threshold: float = 0.34
    rounding_floor: float = 0.005  # exact values still allow half a percent


@dataclass
class _Group:
    members: list[int] = field(default_factory=list)


def value_interval(value: float, qualifier: str, text: str = "", *, floor: float = 0.005) -> tuple[float, float]:
    """The range of true values a stated figure allows."""
    low_slack, high_slack = _RELATIVE_SLACK.get(qualifier, (0.0, 0.0))
    rounding = max(_rounding_of(value, text), abs(value) * floor)
    return value * (1 - low_slack) - rounding, value * (1 + high_slack) + rounding


def _rounding_of(value: float, text: str) -> float:
    """Half the unit of the last significant digit as written ("4.2 million" -> 50,000)."""
    if value == 0:
        return 0.0
    digits = "".join(ch for ch in text if ch.isdigit() or ch == ".")
    scale = abs(value)
    if "." in digits and digits.strip("."):
        decimals = len(digits.split(".")[-1])
        # "4.2 million": one decimal of the multiplier.
        mantissa = float(digits) if digits.replace(".", "").isdigit() else scale
        if mantissa:
            multiplier = scale / mantissa
            return 0.5 * multiplier * 10 ** (-decimals)
    return 0.0


def compatible(values: Sequence[tuple[float, str, str]], *, floor: float = 0.005) -> bool:
    """Do all (value, qualifier, text) triples admit one common true value?"""
    lows, highs = zip(*(value_interval(v, q, t, floor=floor) for v, q, t in values))
    return max(lows) <= min(highs)


def link_score(a: Figure, b: Figure) -> float:
    """How likely two figures state the same thing (0..1)."""
    qa, qb = a.quantity, b.quantity
    if qa.kind != qb.kind:
        return 0.0
    if qa.kind != "count" and qa.unit != qb.unit:
        return 0.0
    ca, cb = a.context, b.context
    union = ca.lemmas | cb.lemmas
    shared = len(ca.lemmas & cb.lemmas)
    smaller = min(len(ca.lemmas), len(cb.lemmas))
    # Jaccard alone punishes a long window; the overlap coefficient forgives it.
    score = 0.5 * shared / len(union) + 0.5 * shared / smaller if union and smaller else 0.0
    if qa.value == qb.value and qa.kind != "count":
        score += 0.2  # the same exact sum or share is strong evidence of the same figure
    if ca.verb and ca.verb == cb.verb:
        score += 0.15
    if ca.noun and cb.noun:
        score += 0.2 if ca.noun == cb.noun else (-0.3 if qa.kind == "count" else -0.05)
    if ca.subject and cb.subject:
        score += 0.15 if ca.subject == cb.subject else -0.05
    elif ca.entities & cb.entities:
        score += 0.1
    return max(0.0, min(1.0, score))


def align(figures: Sequence[Figure], options: AlignOptions | None = None) -> list[list[int]]:
    """Group figures from different reports that state the same thing.

    Average-link agglomeration, best pair first; two figures from one report
    never share a group (a report states a thing once) unless they carry the
    same value. Sparse: only pairs of figures that share something a link is
    scored on (a context word, the value, verb, noun or entity, within one kind
    and unit) are scored, and groups joined by no such pair are never compared,
    so a story with thousands of figures stays fast.
    """
    import heapq

    opts = options or AlignOptions()
    n = len(figures)
    keys = [_link_keys(f) for f in figures]
    postings: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, ks in enumerate(keys):
        for k in ks:
            postings[k].append(i)
    # Group id = its first (smallest) figure; links[g][h] = sum of pair scores between g and h.
    # Copies of a figure (the same kind, unit, value and context: all link_score reads) are scored once.
    alike: dict[tuple[Any, ...], int] = {}
    kind_of = [alike.setdefault(_score_key(f), len(alike)) for f in figures]
    scored: dict[tuple[int, int], float] = {}
    links: dict[int, dict[int, float]] = {i: {} for i in range(n)}
    for i in range(n):
        for j in sorted({j for k in keys[i] for j in postings[k] if j > i}):
            pair = (kind_of[i], kind_of[j])
            sc = scored.get(pair)
            if sc is None:
                sc = scored[pair] = link_score(figures[i], figures[j])
            if sc > 0:
                links[i][j] = links[j][i] = sc
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    values: dict[int, dict[str, set[float]]] = {
        i: {f.quantity.article_id: {f.quantity.value}} for i, f in enumerate(figures)
    }
    # Best pair first, as if every pair of groups were re-queued with its new average after each
    # join, but lazily: a join queues a pair only when its average rose above what is queued for
    # it; a pair taken off the queue at an average it no longer has goes back at the one it has.
    # A join of two large groups so costs no queue operation per neighbour whose average fell.
    heap: list[tuple[float, int, int]] = []
    queued: dict[tuple[int, int], float] = {}
    threshold = opts.link_threshold

    for i in range(n):
        for j, sc in links[i].items():
            if j > i and sc > threshold:
                queued[(i, j)] = sc
                heap.append((-sc, i, j))
    heapq.heapify(heap)
    # The loop below is the whole cost of a story with thousands of figures: pushes and averages
    # are written inline (the same floats: a pair's average is its summed score over the product
    # of the group sizes).
    size = dict.fromkeys(range(n), 1)
    heappush, heappop, get = heapq.heappush, heapq.heappop, queued.get
    while heap:
        neg, a, b = heappop(heap)
        if a not in members or b not in members or b not in links[a]:
            continue  # one side has been joined to another group since
        avg = links[a][b] / (size[a] * size[b])
        if avg != -neg:  # queued before a join changed it
            queued.pop((a, b), None)
            if avg > threshold and avg > get((a, b), -1.0):
                queued[(a, b)] = avg
                heappush(heap, (-avg, a, b))
            continue
        shared = values[a].keys() & values[b].keys()
        if any(len(values[a][k] | values[b][k]) > 1 for k in shared):
            queued[(a, b)] = math.inf  # one report would state two values of one thing, for good
            continue
        members[a].extend(members.pop(b))
        size[a] += size.pop(b)
        for k, vs in values.pop(b).items():
            values[a].setdefault(k, set()).update(vs)
        row = links[a]
        del row[b]
        for k, sc in links.pop(b).items():
            if k != a:
                other = links[k]
                del other[b]
                row[k] = other[a] = row.get(k, 0.0) + sc
        na = size[a]
        for k, total in row.items():
            avg = total / (na * size[k])
            pair = (a, k) if a < k else (k, a)
            if avg > threshold and avg > get(pair, -1.0):
                queued[pair] = avg
                heappush(heap, (-avg, *pair))
    return [sorted(g) for _, g in sorted(members.items())]


def _score_key(f: Figure) -> tuple[Any, ...]:
    """What :func:`link_score` reads of a figure."""
    q = f.quantity
    return (q.kind, q.unit, q.value, f.context)


def _link_keys(f: Figure) -> set[tuple[str, ...]]:
    """What two figures must share for ``link_score`` to be above zero."""
    q, c = f.quantity, f.context
    block = (q.kind, "" if q.kind == "count" else str(q.unit))
    out: set[tuple[str, ...]] = {(*block, "w", w) for w in c.lemmas}
    if q.kind != "count":
        out.add((*block, "v", repr(q.value)))
    if c.verb:
        out.add((*block, "verb", c.verb))
    if c.noun:
        out.add((*block, "noun", c.noun))
    if c.subject:
        out.add((*block, "s", str(c.subject)))
    out.update((*block, "e", str(e)) for e in c.entities)
    return out


def _cannot_link(figures: Sequence[Figure], a: Sequence[int], b: Sequence[int]) -> bool:
    for x in a:
        for y in b:
            fx, fy = figures[x].quantity, figures[y].quantity
            if fx.article_id == fy.article_id and fx.value != fy.value:
                return True
    return False


def judge(
    figures: Sequence[Figure], witness: Mapping[str, str], *, floor: float = 0.005
) -> str:
    """Status of one group of figures (see module docstring)."""
    witnesses = {witness.get(f.quantity.article_id, f.quantity.article_id) for f in figures}
    if len({f.quantity.article_id for f in figures}) < 2:
        return "single_source"
    if _figures_compatible(figures, floor):
        # Copies of one report repeating its figure are one witness, not corroboration.
        return "agreed" if len(witnesses) >= 2 else "single_source"
    # Reports that disagree are a finding even when one was copied from the other:
    # the copy changed the figure.
    dated = [f for f in figures if f.day]
    if len(dated) == len(figures) and len({f.day for f in dated}) > 1 and _grows(figures):
        by_day: dict[str, list[Figure]] = {}
        for f in dated:
            by_day.setdefault(f.day or "", []).append(f)
        days = sorted(by_day)
        # Values at one moment must agree, and each later moment must not be lower.
        for d in days:
            if not _figures_compatible(by_day[d], floor):
                return "conflict"
        for d1, d2 in zip(days, days[1:]):
            hi1 = max(f.quantity.value for f in by_day[d1])
            lo2 = min(f.quantity.value for f in by_day[d2])
            if lo2 < hi1 and not _figures_compatible(by_day[d1] + by_day[d2], floor):
                return "conflict"
        return "updated"
    return "conflict"


def _figures_compatible(figures: Sequence[Figure], floor: float) -> bool:
    """Do the figures admit one true value? "Six other candidates" also allows seven in all."""
    lows, highs = [], []
    for f in figures:
        q = f.quantity
        low, high = value_interval(q.value, q.qualifier, q.text, floor=floor)
        if q.kind == "count" and (q.counted or "").casefold().startswith(("other ", "more ")):
            high += 1  # the others, plus the one the sentence is about
        lows.append(low)
        highs.append(high)
    return max(lows) <= min(highs)


def _grows(figures: Sequence[Figure]) -> bool:
    for f in figures:
        if f.context.verb in GROWING_VERBS or f.context.noun in GROWING_NOUNS:
            return True
        if f.context.lemmas & (GROWING_CUES | GROWING_VERBS | GROWING_NOUNS):
            return True  # "2 million copies ... sold", "bringing the total to 677 orders"
        if f.quantity.kind == "money" and (f.quantity.as_of or f.quantity.as_of_text):
            return True
    return False


def build_claims(
    figures: Sequence[Figure],
    witness: Mapping[str, str],
    describe: Mapping[int, str],
    *,
    dates: Sequence[DateStatement] = (),
    id_prefix: str = "c",
    options: AlignOptions | None = None,
) -> list[Claim]:
    """Align figures and judge each group; ``describe`` gives a description per figure index.

    ``dates`` adds date claims (:func:`build_date_claims`), ordered with the rest.
    """
    opts = options or AlignOptions()
    claims: list[Claim] = []
    for group in align(figures, opts):
        members = [figures[i] for i in group]
        status = judge(members, witness, floor=opts.rounding_floor)
        head = members[0]
        subjects = [m.context.subject for m in members if m.context.subject]
        subject = most_common(subjects)
        values = [
            ClaimValue(
                article_id=m.quantity.article_id,
                value=_plain_number(m.quantity.value),
                unit=m.quantity.unit,
                qualifier=m.quantity.qualifier,
                as_of=m.day,
                text=m.quantity.text,
                start=m.quantity.start,
                end=m.quantity.end,
            )
            for m in sorted(members, key=lambda m: (m.day or "", m.quantity.article_id))
        ]
        claims.append(
            Claim(
                id=f"{id_prefix}{len(claims) + 1}",
                kind=head.quantity.kind,
                subject=subject,
                description=describe.get(group[0], head.quantity.counted or head.quantity.kind),
                status=status,
                values=values,
            )
        )
    claims.extend(build_date_claims(dates, witness))
    order = {"conflict": 0, "updated": 1, "agreed": 2, "single_source": 3}
    claims.sort(key=lambda c: (order[c.status], -len(c.values)))
    for n, c in enumerate(claims, 1):
        c.id = f"{id_prefix}{n}"
    return claims


# ---------------------------------------------------------------- dates

# A year, month or day, with a clock time or a part of the day ("this morning": ``2024-03-05TMO``).
_CALENDAR = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?(?:T\d{2}:\d{2}|T(?:MO|AF|EV|NI))?$")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# A year named only by reference to the anchor or to a year named before: no date of its own.
_ANAPHORIC_YEAR = re.compile(
    r"(?:(?:earlier|later)\s+(?:in\s+)?)?(?:that|the)(?:\s+(?:following|previous|preceding|same))?\s+(?:fiscal\s+)?year",
    re.IGNORECASE,
)
_MONTH_OR_DIGIT = re.compile(
    r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.IGNORECASE
)
_AS_OF = re.compile(r"\b(?:as\s+of|as\s+at|through|thru|up\s+to)\s+(?:late\s+|early\s+)?$", re.IGNORECASE)
# A time whose words name no day ("10:00 am") takes its day from a date beside it, which
# is a statement of its own.
_NAMES_A_DAY = re.compile(
    r"\d{1,2}[/-]\d|\b(?:mon|tues?|wed|thu|fri|sat|sun)[a-z]*day\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"[a-z]*\b|\b(?:today|yesterday|tomorrow|tonight)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b\d{4}\b")
_NEGATION = re.compile(r"\b(?:not|never|no|without)\b|n't\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;:()—–]")
_DATELINE = re.compile(r"\s*(?:[A-Z][A-Z .'-]+,\s*)?")
_DATE_STOP = frozenset(
    """a an the of to in on at for with by from and or but that which who whom whose this these those it its
    is are was were be been being has have had as he she they we i you his her their our my your him them us
    me not no so if then than there here all also just very would will can could should may might must shall
    do does did said says say told according about after before over under into out up down off again
    until since during late early last next this that week weekend morning afternoon evening night tonight
    today yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday january february march
    april june july august september october november december""".split()
)


@dataclass(frozen=True, kw_only=True)
class DateStatement:
    """A calendar date a report gives, with what it is the date of."""

    mention: DateMention
    context: FigureContext
    day: str | None  # the report's own date
    event: str = ""  # a few words of the clause, when no action is known
    action: str = ""  # the dated action as a clause ("the board placed the director on leave")


@functools.lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    w = word.casefold().replace("’", "'").removesuffix("'s")
    for suffix in ("ings", "ing", "ied", "ies", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)] + ("y" if suffix in ("ied", "ies") else "")
    return w


def date_statement(
    mention: DateMention,
    text: str,
    sentence: tuple[int, int],
    names: Sequence[tuple[int, int, str]] = (),
    day: str | None = None,
    *,
    window: int = 10,
) -> DateStatement | None:
    """The date ``mention`` as a statement about its clause, or None if it is not a calendar date.

    ``names`` are (start, end, entity id) of the entities named in the sentence; their words
    are left out of the context (they are matched as entities, whatever their spelling).
    """
    if mention.kind not in ("DATE", "TIME") or not mention.value or not _CALENDAR.match(mention.value):
        return None
    if mention.kind == "TIME" and not _NAMES_A_DAY.search(mention.text):
        return None
    if _ANAPHORIC_YEAR.fullmatch(mention.text.strip()):
        return None  # "the year", "that year": read off the context, not stated (a translation may say "last year")
    if _AS_OF.search(text[max(0, mention.start - 16) : mention.start]):
        return None  # the moment a figure held ("as of Monday"), not the date of an event
    # the line up to the date, looked for only so far back: a dateline is short, and a text without
    # line breaks must not cost a scan back to its start for every date
    reach = max(0, mention.start - 300)
    cut = text.rfind("\n", reach, mention.start)
    line = text[cut + 1 : mention.start] if cut >= 0 or reach == 0 else None
    if line is not None and _DATELINE.fullmatch(line) and not _relative(mention.text):
        return None  # a dateline ("May 29, 2006 Boeing ...", "WASHINGTON, March 4 -"): the report's date
    s0, s1 = sentence
    words = [
        (m.start() + s0, m.group())
        for m in _WORD.finditer(text[s0:s1])
        if not any(ns <= m.start() + s0 < ne for ns, ne, _ in names)
        and not (mention.start <= m.start() + s0 < mention.end)
    ]
    before = [(p, w) for p, w in words if p < mention.start][-window:]
    after = [(p, w) for p, w in words if p >= mention.end][:window]
    content = [(p, w) for p, w in before + after if w.casefold() not in _DATE_STOP and len(w) > 2]
    # Two dates of one sentence ("in 1998 it launched X, in 2001 Y") share its words: the
    # clause around each date tells them apart, when it says enough.
    c0 = max((m.end() + s0 for m in _CLAUSE_BREAK.finditer(text[s0 : mention.start])), default=s0)
    tail = _CLAUSE_BREAK.search(text, mention.end, s1)
    c1 = tail.start() if tail else s1
    clause = frozenset("|" + _stem(w) for p, w in content if c0 <= p < c1)
    if _NEGATION.search(text[c0:mention.start]) or _NEGATION.search(text[mention.end : c1]):
        clause |= {"|~not"}  # "could not be reached on Tuesday" is not "reached on Monday"
    # The bag of words, plus the nearest ones on each side marked by side: two dates of one
    # sentence share its words, but not which of them come before and which after.
    side = [("<" + _stem(w)) for p, w in content if p < mention.start][-3:]
    side += [(">" + _stem(w)) for p, w in content if p >= mention.end][:3]
    lemmas = frozenset(_stem(w) for _, w in content) | frozenset(side) | clause
    return DateStatement(
        mention=mention,
        context=FigureContext(lemmas=lemmas, entities=frozenset(e for _, _, e in names)),
        day=day,
        event=_event_words(text, c0, mention.start, mention.end, c1),
    )


_EDGE_WORDS = re.compile(
    r"^(?:(?:and|but|or|that|which|when|while|after|before|since|then|so|as|on|in|at|by|from|until)\s+)+"
    r"|(?:\s+(?:on|in|at|by|from|until|since|of|for|to|during|late|early|last|next|this|the|and|or|but))+$",
    re.IGNORECASE,
)


def _event_words(text: str, c0: int, start: int, end: int, c1: int, limit: int = 9) -> str:
    """What a date is the date of, in the report's words: its clause before the date, else after."""
    for piece, keep_last in ((text[c0:start], True), (text[end:c1], False)):
        words = piece.split()
        words = words[-limit:] if keep_last else words[:limit]
        phrase = _EDGE_WORDS.sub("", " ".join(words).strip(" ,;:.\"“”'")).strip()
        if len(phrase.split()) >= 2:
            first, _, rest = phrase.partition(" ")
            if first.casefold() in _DATE_STOP:  # "The ferry company ..." -> "the ferry company ..."
                phrase = f"{first.casefold()} {rest}"
            return phrase
    return ""


def _date_parts(st: DateStatement) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The context of a date split into its bag of words, its side words and its clause words."""
    lemmas = st.context.lemmas
    return (
        frozenset(w for w in lemmas if w[:1] not in "<>|"),
        frozenset(w for w in lemmas if w[:1] in "<>"),
        frozenset(w for w in lemmas if w[:1] == "|"),
    )


def _date_link(
    a: DateStatement,
    b: DateStatement,
    parts_a: tuple[frozenset[str], ...] | None = None,
    parts_b: tuple[frozenset[str], ...] | None = None,
) -> float:
    bag_a, side_a, clause_a = parts_a or _date_parts(a)
    bag_b, side_b, clause_b = parts_b or _date_parts(b)
    if not bag_a or not bag_b:
        return 0.0
    shared = len(bag_a & bag_b)
    if not shared:
        return 0.0
    score = 0.5 * shared / len(bag_a | bag_b) + 0.5 * shared / min(len(bag_a), len(bag_b))
    # Which words come right before and after, and which share the date's clause, tell
    # apart two dates of one sentence.
    for xa, xb, weight in ((side_a, side_b, 0.15), (clause_a, clause_b, 0.2)):
        if xa and xb:
            score += weight * (len(xa & xb) / min(len(xa), len(xb)) - 0.5)
    if ("|~not" in clause_a) != ("|~not" in clause_b):
        score -= 0.25  # one clause is negated, the other not: not the same statement
    ca, cb = a.context, b.context
    if ca.entities and cb.entities:
        score += 0.15 if ca.entities & cb.entities else -0.1
    if a.mention.text.casefold() == b.mention.text.casefold():
        score += 0.1  # written the same way: likely the same statement
    return max(0.0, min(1.0, score))


# The most the side and clause words can add to a date pair's bag-of-words score (see _date_link).
_DATE_BONUS = 0.15 * 0.5 + 0.2 * 0.5


def _relative(text: str) -> bool:
    return not _MONTH_OR_DIGIT.search(text)


def dates_compatible(a: DateStatement, b: DateStatement) -> bool:
    """Can two date statements name the same moment?

    One may be coarser than the other ("March 2024" and "2024-03-04"); a time of day
    is compared by its day; a day and month without a year agree with the same day and
    month of any year (the year was inferred from the report's date). The same relative words ("on Monday") in two reports with
    different dates of their own are the same statement, whatever our resolution of
    them gives: the reports do not disagree, only their anchors do.
    """
    va, vb = (a.mention.value or "")[:10], (b.mention.value or "")[:10]
    if va.startswith(vb) or vb.startswith(va):
        return True
    if len(va) == len(vb) == 10 and va[5:] == vb[5:] and not (_YEAR.search(a.mention.text) and _YEAR.search(b.mention.text)):
        return True  # "Feb. 1" and "February 1, 2009": the year of one was only inferred
    ta, tb = a.mention.text.casefold().strip(), b.mention.text.casefold().strip()
    return ta == tb and _relative(ta) and a.day != b.day


def align_dates(
    statements: Sequence[DateStatement], threshold: float = 0.5, conflict_threshold: float = 0.7
) -> list[list[int]]:
    """Group date statements about the same thing across reports.

    Pairs from different reports scoring above ``threshold`` are taken best first; two
    groups join when the average link between all their members stays above it and they
    share no report (a report gives one date for one thing). ``threshold`` is stricter
    than for figures: a story holds many events, and a sentence often more than one date.
    Two dates that cannot be the same moment link only above ``conflict_threshold``:
    telling a reader that reports disagree needs more evidence than grouping agreeing ones.

    Copies of one statement (the same words around the same date, from different reports)
    are one group from the start, and are scored once: a story of thousands of copied
    reports costs what its distinct statements cost. Sparse: only pairs above the threshold
    are kept, and only statements sharing a word are compared.
    """
    if len({st.mention.article_id for st in statements}) < 2:
        return [[i] for i in range(len(statements))]  # one report: nothing to align across reports
    parts = [_date_parts(st) for st in statements]
    nodes = _copies(statements, parts)
    reps = [statements[node[0]] for node in nodes]
    rep_parts = [parts[node[0]] for node in nodes]
    n = len(nodes)
    score: dict[tuple[int, int], float] = {}
    # Only statements sharing a word of their context can link (no shared word scores 0).
    postings: dict[str, list[int]] = defaultdict(list)
    for i, (bag, _side, _clause) in enumerate(rep_parts):
        for w in bag:
            postings[w].append(i)
    reports: dict[int, set[str]] = {i: {statements[x].mention.article_id for x in node} for i, node in enumerate(nodes)}
    # A pair's score is its bag-of-words overlap plus bonuses of at most _DATE_BONUS (0.15 more when
    # both name entities, 0.1 more when the dates are written alike): counting the shared words from
    # the postings bounds it, and a pair that cannot pass the threshold is not scored.
    texts = [st.mention.text.casefold() for st in reps]
    for i in range(n):
        bag_i = rep_parts[i][0]
        shared_with: dict[int, int] = defaultdict(int)
        for w in bag_i:
            for j in postings[w]:
                if j > i:
                    shared_with[j] += 1
        len_i, ents_i = len(bag_i), bool(reps[i].context.entities)
        for j in sorted(shared_with):
            if not reports[i].isdisjoint(reports[j]):
                continue
            shared, len_j = shared_with[j], len(rep_parts[j][0])
            bound = 0.5 * shared / (len_i + len_j - shared) + 0.5 * shared / min(len_i, len_j) + _DATE_BONUS
            bound += (0.15 if ents_i and reps[j].context.entities else 0.0) + (0.1 if texts[i] == texts[j] else 0.0)
            if bound < threshold - 1e-9:
                continue
            sc = _date_link(reps[i], reps[j], rep_parts[i], rep_parts[j])
            if sc > threshold and (sc > conflict_threshold or dates_compatible(reps[i], reps[j])):
                score[(i, j)] = sc
    # Best pairs first; the average link of two groups is their summed pair scores (kept per pair of
    # groups, sparse) over the product of their sizes. Groups are joined under the first pair's group.
    root = list(range(n))

    def find(x: int) -> int:
        while root[x] != x:
            root[x] = root[root[x]]
            x = root[x]
        return x

    members: dict[int, list[int]] = dict(enumerate(nodes))
    link: dict[int, dict[int, float]] = defaultdict(dict)
    for (i, j), sc in score.items():
        link[i][j] = link[j][i] = sc * len(nodes[i]) * len(nodes[j])
    for (i, j), _ in sorted(score.items(), key=lambda kv: (-kv[1], kv[0])):
        gi, gj = find(i), find(j)
        if gi == gj or not reports[gi].isdisjoint(reports[gj]):
            continue
        if link[gi].get(gj, 0.0) / (len(members[gi]) * len(members[gj])) <= threshold:
            continue
        root[gj] = gi
        a, b = members[gi], members.pop(gj)
        if len(a) >= len(b):
            a.extend(b)
        else:
            b.extend(a)
            members[gi] = b
        ra, rb = reports[gi], reports.pop(gj)
        if len(ra) >= len(rb):
            ra |= rb
        else:
            rb |= ra
            reports[gi] = rb
        links_j = link.pop(gj, {})
        links_j.pop(gi, None)
        link[gi].pop(gj, None)
        for k, sc in links_j.items():
            link[k].pop(gj, None)
            link[k][gi] = link[k].get(gi, 0.0) + sc
            link[gi][k] = link[gi].get(k, 0.0) + sc
    return [sorted(g) for g in members.values()]


def _copies(statements: Sequence[DateStatement], parts: Sequence[tuple[frozenset[str], ...]]) -> list[list[int]]:
    """Statements in groups of copies: the same date written the same way with the same context
    words and entities on the same report day, each group from distinct reports (first fit, in
    order); a statement without context words stands alone (it links to nothing)."""
    nodes: list[list[int]] = []
    open_nodes: dict[tuple[Any, ...], list[tuple[int, set[str]]]] = {}
    for i, st in enumerate(statements):
        if not parts[i][0]:
            nodes.append([i])
            continue
        key = (parts[i], st.context.entities, st.mention.text.casefold(), (st.mention.value or "")[:10], st.day)
        article = st.mention.article_id
        for node, articles in open_nodes.get(key, ()):
            if article not in articles:
                nodes[node].append(i)
                articles.add(article)
                break
        else:
            open_nodes.setdefault(key, []).append((len(nodes), {article}))
            nodes.append([i])
    return nodes


def judge_dates(statements: Sequence[DateStatement], witness: Mapping[str, str]) -> str:
    """``conflict`` when two reports give incompatible dates for the same thing, else agreed/single_source."""
    if len({s.mention.article_id for s in statements}) < 2:
        return "single_source"
    # Compatibility reads only the value, the words and the report's day: one statement of each.
    distinct = list({((s.mention.value or "")[:10], s.mention.text.casefold().strip(), s.day): s for s in statements}.values())
    for i, a in enumerate(distinct):
        for b in distinct[i + 1 :]:
            if not dates_compatible(a, b):
                return "conflict"
    witnesses = {witness.get(s.mention.article_id, s.mention.article_id) for s in statements}
    return "agreed" if len(witnesses) >= 2 else "single_source"


def date_description(members: Sequence[DateStatement]) -> str:
    """What a group of dates is the date of: the action most of its reports date ("date the board
    placed the director on leave"), else the report's words around it, quoted ("date (“…”)")."""
    actions = [m.action for m in members if m.action]
    if actions:
        return f"date {max(actions, key=lambda a: (actions.count(a), -actions.index(a)))}"
    event = next((m.event for m in members if m.event), "")
    return f"date (\u201c{event}\u201d)" if event else "date"


def described_date(claim: Claim) -> bool:
    """A date claim whose description names the event (from an action), fit for a sentence."""
    return claim.kind != "date" or (claim.description.startswith("date ") and not claim.description.startswith("date ("))


def build_date_claims(statements: Sequence[DateStatement], witness: Mapping[str, str]) -> list[Claim]:
    """Date claims worth a reader's attention: reports disagreeing on a date, or independent ones agreeing.

    A date one report gives (or copies of it repeat) is left to the timeline.
    """
    out: list[Claim] = []
    for group in align_dates(statements):
        members = [statements[i] for i in group]
        status = judge_dates(members, witness)
        if status == "single_source":
            continue
        # a clause's entities are a set: in id order (e2 before e15), so that a tie never goes to hash order
        entities = [e for m in members for e in sorted(m.context.entities, key=lambda e: (len(e), e))]
        subject = most_common(entities)
        out.append(
            Claim(
                id="",
                kind="date",
                subject=subject,
                description=date_description(members),
                status=status,
                values=[
                    ClaimValue(
                        article_id=m.mention.article_id,
                        value=m.mention.value or "",
                        unit=None,
                        qualifier="exact",
                        as_of=None,  # a date is not a figure that held at a moment
                        text=m.mention.text,
                        start=m.mention.start,
                        end=m.mention.end,
                    )
                    for m in sorted(members, key=lambda m: (m.day or "", m.mention.article_id))
                ],
            )
        )
    return out


def _plain_number(v: float) -> float | int:
    if math.isfinite(v) and float(v).is_integer():
        return int(v)
    return v


def most_common(items: Sequence[str | None]) -> str | None:
    """The most frequent item; ties go to the first seen (never to set order, which varies by process)."""
    counts: dict[str, int] = {}
    for x in items:
        if x:
            counts[x] = counts.get(x, 0) + 1
    return max(counts, key=lambda x: counts[x]) if counts else None
