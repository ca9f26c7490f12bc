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
- ``single_source``: one independent witness only (copies are one witness).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .model import Claim, ClaimValue, Quantity

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
     "casualty", "signature", "vote", "total", "fund", "expense", "damage", "loss"}
)

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

    Average-link agglomeration; two figures from one report never share a
    group (a report states a thing once) unless they carry the same value.
    """
    opts = options or AlignOptions()
    n = len(figures)
    score = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            score[i][j] = score[j][i] = link_score(figures[i], figures[j])
    groups = [[i] for i in range(n)]
    while True:
        best = (opts.link_threshold, -1, -1)
        for gi in range(len(groups)):
            for gj in range(gi + 1, len(groups)):
                a, b = groups[gi], groups[gj]
                if _cannot_link(figures, a, b):
                    continue
                avg = sum(score[x][y] for x in a for y in b) / (len(a) * len(b))
                if avg > best[0]:
                    best = (avg, gi, gj)
        if best[1] < 0:
            break
        _, gi, gj = best
        groups[gi] = groups[gi] + groups[gj]
        del groups[gj]
    return [sorted(g) for g in groups]


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
    triples = [(f.quantity.value, f.quantity.qualifier, f.quantity.text) for f in figures]
    if len(witnesses) < 2:
        return "single_source"
    if compatible(triples, floor=floor):
        return "agreed"
    dated = [f for f in figures if f.day]
    if len(dated) == len(figures) and len({f.day for f in dated}) > 1 and _grows(figures):
        by_day: dict[str, list[Figure]] = {}
        for f in dated:
            by_day.setdefault(f.day or "", []).append(f)
        days = sorted(by_day)
        # Values at one moment must agree, and each later moment must not be lower.
        for d in days:
            if not compatible([(f.quantity.value, f.quantity.qualifier, f.quantity.text) for f in by_day[d]], floor=floor):
                return "conflict"
        for d1, d2 in zip(days, days[1:]):
            hi1 = max(f.quantity.value for f in by_day[d1])
            lo2 = min(f.quantity.value for f in by_day[d2])
            if lo2 < hi1 and not compatible(
                [(f.quantity.value, f.quantity.qualifier, f.quantity.text) for f in by_day[d1] + by_day[d2]],
                floor=floor,
            ):
                return "conflict"
        return "updated"
    return "conflict"


def _grows(figures: Sequence[Figure]) -> bool:
    for f in figures:
        if f.context.verb in GROWING_VERBS or f.context.noun in GROWING_NOUNS:
            return True
        if f.quantity.kind == "money" and (f.quantity.as_of or f.quantity.as_of_text):
            return True
    return False


def build_claims(
    figures: Sequence[Figure],
    witness: Mapping[str, str],
    describe: Mapping[int, str],
    *,
    id_prefix: str = "c",
    options: AlignOptions | None = None,
) -> list[Claim]:
    """Align figures and judge each group; ``describe`` gives a description per figure index."""
    opts = options or AlignOptions()
    claims: list[Claim] = []
    for group in align(figures, opts):
        members = [figures[i] for i in group]
        status = judge(members, witness, floor=opts.rounding_floor)
        head = members[0]
        subjects = [m.context.subject for m in members if m.context.subject]
        subject = max(set(subjects), key=subjects.count) if subjects else None
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
    order = {"conflict": 0, "updated": 1, "agreed": 2, "single_source": 3}
    claims.sort(key=lambda c: (order[c.status], -len(c.values)))
    for n, c in enumerate(claims, 1):
        c.id = f"{id_prefix}{n}"
    return claims


def _plain_number(v: float) -> float | int:
    if math.isfinite(v) and float(v).is_integer():
        return int(v)
    return v
