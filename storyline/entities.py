"""Named entities: mentions from spaCy, grouped across reports into entities.

Mentions come from the NER, with spans tidied ("the", possessives) and
adjacent pieces re-joined when the document names the whole elsewhere.
Distinct surface forms are then clustered with average link over
``name_similarity`` under cannot-link constraints (a person never joins an
organisation; two full names with different given names never join), so a
chain of look-alikes cannot force two different entities together. The
canonical name is the best-attested clean spelling: forms from cleaner
reports (higher ``article_weights``) and fuller forms count more.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from .model import Entity, Mention
from .names import name_similarity, name_tokens, normalize_name

LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT"})
_LEADING = re.compile(r"^(?:the|The|THE)\s+")
_TRAILING = re.compile(r"(?:[’']s?|[,.;:])$")
_PLACE = frozenset({"GPE", "LOC"})


def _tidy(text: str, start: int, end: int) -> tuple[int, int]:
    span = text[start:end]
    m = _LEADING.match(span)
    if m:
        start += m.end()
    while True:
        span = text[start:end]
        m = _TRAILING.search(span)
        if not m or m.start() == 0:
            break
        end = start + m.start()
    return start, end


def extract_mentions(doc: Any, article_id: str) -> list[Mention]:
    """Entity mentions of one spaCy ``Doc`` (offsets into ``doc.text``)."""
    text = doc.text
    ents = [e for e in doc.ents if e.label_ in LABELS]
    whole = {e.text for e in ents}
    merged: list[tuple[int, int, str]] = []
    i = 0
    while i < len(ents):
        e = ents[i]
        start, end, label = e.start_char, e.end_char, e.label_
        if i + 1 < len(ents):
            nxt = ents[i + 1]
            gap = text[end : nxt.start_char]
            if gap.strip() == "" and text[start : nxt.end_char] in whole:
                end, label = nxt.end_char, "ORG" if "ORG" in (label, nxt.label_) else label
                i += 1
        merged.append((start, end, label))
        i += 1
    out: list[Mention] = []
    for start, end, label in merged:
        start, end = _tidy(text, start, end)
        surface = text[start:end]
        if len(surface) < 2 or not any(ch.isupper() for ch in surface) or not any(ch.isalpha() for ch in surface):
            continue
        out.append(Mention(article_id, start, end, surface, label))
    out = _with_defined_acronyms(text, article_id, out)
    # One name, one label within a document: the majority wins.
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for m in out:
        labels[normalize_name(m.text)][m.label] += 1
    return [Mention(m.article_id, m.start, m.end, m.text, labels[normalize_name(m.text)].most_common(1)[0][0]) for m in out]


_DEFINITION = re.compile(
    r"([A-Z][\w&.-]*(?:\s+(?:of|the|and|for|[A-Z][\w&.-]*))+)\s*\(([A-Z][A-Z&]{1,7})\)"
)


def _with_defined_acronyms(text: str, article_id: str, mentions: list[Mention]) -> list[Mention]:
    """In-text evidence: "Full Name (ABC)" makes every "ABC" in the text a mention of a body."""
    from .names import is_acronym_of

    acronyms = {m.group(2) for m in _DEFINITION.finditer(text) if is_acronym_of(m.group(2), m.group(1))}
    if not acronyms:
        return mentions
    taken = [(m.start, m.end) for m in mentions]
    added = []
    for acronym in acronyms:
        for m in re.finditer(rf"\b{re.escape(acronym)}\b", text):
            if not any(s < m.end() and m.start() < e for s, e in taken):
                added.append(Mention(article_id, m.start(), m.end(), acronym, "ORG"))
    return sorted(mentions + added, key=lambda m: m.start)


def _compatible_types(a: Counter[str], b: Counter[str]) -> bool:
    ta, tb = a.most_common(1)[0][0], b.most_common(1)[0][0]
    if ta == tb or (ta in _PLACE and tb in _PLACE):
        return True
    # A surname the small model mistags (PERSON elsewhere) may still join a person.
    return bool(set(a) & set(b))


def _mistagged_surname(
    a: list[str], ta: Counter[str], b: list[str], tb: Counter[str], sim: Any
) -> bool:
    """A one-word name the small model tagged as a body, matching a person's surname."""
    for one, other, kind in ((a, b, tb), (b, a, ta)):
        if kind.most_common(1)[0][0] != "PERSON" or any(len(name_tokens(k)) > 1 for k in one):
            continue
        if max(sim(x, y) for x in one for y in other if len(name_tokens(y)) > 1) >= 0.85 if any(
            len(name_tokens(y)) > 1 for y in other
        ) else False:
            return True
    return False


def resolve_entities(
    mentions: Sequence[Mention],
    *,
    article_weights: Mapping[str, float] | None = None,
    id_prefix: str = "e",
    threshold: float = 0.8,
) -> list[Entity]:
    """Group the mentions of one story's reports into entities."""
    weights = article_weights or {}
    forms: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        key = normalize_name(m.text)
        if key:
            forms[key].append(m)
    keys = sorted(forms, key=lambda k: (-len(name_tokens(k)), -len(forms[k]), k))
    types = {k: Counter(m.label for m in forms[k]) for k in keys}
    clusters: list[list[str]] = [[k] for k in keys]
    ctypes = [Counter(types[k]) for k in keys]
    sim_cache: dict[tuple[str, str], float] = {}

    def sim(a: str, b: str) -> float:
        if (a, b) not in sim_cache:
            sim_cache[(a, b)] = sim_cache[(b, a)] = name_similarity(a, b)
        return sim_cache[(a, b)]

    while True:
        best = (threshold, -1, -1)
        for i in range(len(clusters)):
            for j in range(i + 1, len(clusters)):
                if not _compatible_types(ctypes[i], ctypes[j]) and not _mistagged_surname(
                    clusters[i], ctypes[i], clusters[j], ctypes[j], sim
                ):
                    continue
                pairs = [sim(a, b) for a in clusters[i] for b in clusters[j]]
                # Cannot-link: two multi-word names that clearly differ.
                if any(
                    sim(a, b) < 0.5 and len(name_tokens(a)) > 1 and len(name_tokens(b)) > 1
                    for a in clusters[i] for b in clusters[j]
                ):
                    continue
                avg = sum(pairs) / len(pairs)
                if avg > best[0]:
                    best = (avg, i, j)
        if best[1] < 0:
            break
        _, i, j = best
        clusters[i] += clusters[j]
        ctypes[i] += ctypes[j]
        del clusters[j], ctypes[j]

    entities: list[Entity] = []
    for group, ctype in zip(clusters, ctypes):
        members = [m for k in group for m in forms[k]]
        score: Counter[str] = Counter()
        for m in members:
            surface = m.text
            score[surface] += weights.get(m.article_id, 1.0) * (1.0 + 0.6 * (len(name_tokens(surface)) - 1))
        full = Counter({k: v for k, v in score.items() if len(name_tokens(k)) > 1})
        name = (full or score).most_common(1)[0][0]
        seen = {name.casefold()}
        aliases = []
        for m in members:
            if m.text.casefold() not in seen:
                seen.add(m.text.casefold())
                aliases.append(m.text)
        kind = ctype.most_common(1)[0][0]
        if "PERSON" in ctype and ctype["PERSON"] * 2 >= sum(ctype.values()):
            kind = "PERSON"
        members.sort(key=lambda m: (m.article_id, m.start))
        entities.append(Entity(id="", name=name, type=kind, aliases=aliases, mentions=members))
    entities.sort(key=lambda e: (-len(e.mentions), e.name))
    for n, e in enumerate(entities, 1):
        e.id = f"{id_prefix}{n}"
    return entities


def link_entities_across_stories(groups: Sequence[Sequence[Entity]], *, threshold: float = 0.9) -> dict[tuple[int, str], str]:
    """Map (story index, local id) to a report-wide id: one real entity, one id."""
    canon: list[tuple[str, str, str]] = []  # (global id, name, type)
    out: dict[tuple[int, str], str] = {}
    for s, entities in enumerate(groups):
        taken: set[str] = set()
        for e in entities:
            match = None
            for gid, name, kind in canon:
                if gid in taken or kind != e.type:
                    continue
                names = [e.name, *e.aliases]
                if max(name_similarity(name, n) for n in names) >= threshold and len(name_tokens(name)) > 0:
                    match = gid
                    break
            if match is None:
                match = f"e{len(canon) + 1}"
                canon.append((match, e.name, e.type))
            taken.add(match)
            out[(s, e.id)] = match
    return out
