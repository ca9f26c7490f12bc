"""One quotation across reports: its versions, and whether the wording drifted.

A version's ``text`` is its exact span in the report, so a quotation split by its
attribution (“A,” she said. “B.”) or running over paragraphs carries the interruption;
similarity and display use the spoken words only (:func:`storyline.quotes.spoken_text`).

Versions are compared with a reference version (the one from the most trusted report):
differences that are spelling only (case, punctuation, contractions, British/American
spellings, hyphenation, a respelled word) are translation noise; words replaced, added or
dropped in the stretch both versions quote are changes. Two changed words, or any changed
negation, make the quote ``drift``; ``fidelity`` is 1 minus the share of changed words of
the least faithful version (1.0 = every version says the same words).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from rapidfuzz import fuzz

from .claims import most_common
from .model import QuoteGroup, QuoteMention
from .quotes import spoken_text

_NON_WORD = re.compile(r"[^\w\s]+", re.UNICODE)


@dataclass(frozen=True, kw_only=True)
class QuoteOptions:
    same_quote: float = 0.55  # similarity to be one quote (see quote_similarity)
    drift_words: float = 2.0  # words changed beyond spelling noise for the wording to have drifted


@functools.lru_cache(maxsize=1 << 14)
def normalize_quote(text: str) -> str:
    """Spoken words, case-folded, without punctuation."""
    text = spoken_text(text).casefold().replace("-", " ")
    return " ".join(_NON_WORD.sub(" ", text).split())


_FUNCTION = frozenset(
    "a an the of to in on at for with by from and or but that which who this these those it its is are was "
    "were be been being has have had as we i you he she they us our my your his her their them him me do does "
    "did so if then than there here all also just very would will can could should may might must shall".split()
)
# Words whose change alters what was said, however small the edit.
_CRITICAL = frozenset("not no never nobody nothing none nor without".split())
_CONTRACTIONS = (
    (re.compile(r"\bwon't\b"), "will not"), (re.compile(r"\bcan't\b"), "can not"),
    (re.compile(r"\bcannot\b"), "can not"), (re.compile(r"n't\b"), " not"), (re.compile(r"'re\b"), " are"),
    (re.compile(r"'m\b"), " am"), (re.compile(r"'ll\b"), " will"), (re.compile(r"'ve\b"), " have"),
)
_SPELLING = (
    (re.compile(r"(?<=\w{3})is(e|ed|es|ing|ation|ations)$"), r"iz\1"),
    (re.compile(r"(?<=\w{3})our(s?)$"), r"or\1"),
    (re.compile(r"(?<=\w{3})tre(s?)$"), r"ter\1"),
    (re.compile(r"^programme"), "program"),
    (re.compile(r"^towards$"), "toward"),
)


def quote_words(text: str) -> list[str]:
    """The spoken words of a quotation, with differences that are spelling only folded away.

    Case, punctuation, contractions ("don't" = "do not"), British and American spellings
    ("recognise" = "recognize") and hyphenation ("anti-Semitism" = "antisemitism", compared
    when aligning) are what translation and house style change without changing what was said.
    """
    return list(_quote_words(text))


@functools.lru_cache(maxsize=1 << 14)
def _quote_words(text: str) -> tuple[str, ...]:
    """:func:`quote_words`, kept: a story's quotations are compared pair by pair, each many times."""
    t = spoken_text(text).casefold().replace("’", "'").replace("‘", "'")
    for pattern, repl in _CONTRACTIONS:
        t = pattern.sub(repl, t)
    words = re.findall(r"[^\W_]+", t.replace("-", " ").replace("'", ""))
    out = []
    for w in words:
        for pattern, repl in _SPELLING:
            w = pattern.sub(repl, w)
        out.append(w)
    return tuple(out)


def _content(words: Sequence[str]) -> list[str]:
    return [w for w in words if w not in _FUNCTION]


def _same_word(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 5 and fuzz.ratio(a, b) >= 85)


def quote_similarity(a: str, b: str) -> float:
    """How likely two quotations render the same words (0..1).

    The larger of a whole-wording score and the share of the shorter quotation's content
    words found in the longer (one report quotes part of what the other quotes in full).
    A short quotation of one or two content words counts for little on its own.
    """
    na, nb = normalize_quote(a), normalize_quote(b)
    if not na or not nb:
        return 0.0
    wa, wb = _quote_words(a), _quote_words(b)
    # Word order matters (two unrelated sentences share many letters); character
    # similarity only counts for less.
    whole = max(
        SequenceMatcher(None, wa, wb, autojunk=False).ratio(), 0.8 * fuzz.token_sort_ratio(na, nb) / 100.0
    )
    ca, cb = _content(wa), _content(wb)
    short, long_ = (ca, cb) if len(ca) <= len(cb) else (cb, ca)
    if not short:
        return whole
    pool = set(long_)
    # _same_word(w, x) for a w not in the pool: only a long word can match, and only a long one.
    fuzzy = [x for x in pool if len(x) >= 5]
    found = sum(1 for w in short if w in pool or (len(w) >= 5 and any(_same_word(w, x) for x in fuzzy)))
    contained = found / len(short) * min(1.0, len(short) / 3)
    return max(whole, 0.95 * contained)


def wording_changes(a: str, b: str) -> tuple[float, float, bool]:
    """Words changed between two versions of one quotation, beyond spelling noise.

    Returns (changes, compared words, critical): insertions, deletions and substitutions in
    the stretch both versions quote (words one version quotes beyond the other's start or
    end are a partial quotation, not a change); a function word inserted or dropped counts
    half; ``critical`` is set when a negation changed.
    """
    wa, wb = _quote_words(a), _quote_words(b)
    ops = SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes()
    # A partial quotation: one version starts later or stops sooner.
    while ops and ops[0][0] in ("insert", "delete"):
        ops = ops[1:]
    while ops and ops[-1][0] in ("insert", "delete"):
        ops = ops[:-1]
    changes = 0.0
    critical = False
    compared = 0
    for tag, i1, i2, j1, j2 in ops:
        xa, xb = wa[i1:i2], wb[j1:j2]
        compared += max(len(xa), len(xb))
        if tag == "equal":
            continue
        if tag == "replace" and fuzz.ratio("".join(xa), "".join(xb)) >= 85:
            continue  # respelled, or split/joined differently ("anti semitism" / "antisemitism")
        if (set(xa) ^ set(xb)) & _CRITICAL:
            critical = True
        if tag == "replace":
            changes += max(len(xa), len(xb))
        else:
            changes += sum(0.5 if w in _FUNCTION else 1.0 for w in xa + xb)
    return changes, float(max(compared, 1)), critical


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
    # Copies repeat quotations word for word: each group is compared through its distinct
    # wordings, and each pair of wordings is scored once.
    wordings: list[dict[str, None]] = []
    articles: list[set[str]] = []
    scored: dict[tuple[str, str], float] = {}

    def similarity(a: str, b: str) -> float:
        if (a, b) not in scored:
            scored[(a, b)] = quote_similarity(a, b)
        return scored[(a, b)]

    for i, q in enumerate(quotes):
        best: tuple[float, int] = (opts.same_quote, -1)
        for k, g in enumerate(groups):
            if q.article_id in articles[k]:
                continue
            sim = max(similarity(q.text, text) for text in wordings[k])
            sa, sb = speakers.get(i), next((speakers.get(j) for j in g if speakers.get(j)), None)
            if sa and sb and sa != sb:
                sim -= 0.2
            if sim >= best[0] and (best[1] < 0 or sim > best[0]):
                best = (sim, k)  # the closest quotation, not the first one close enough
        if best[1] >= 0:
            k = best[1]
        else:
            k = len(groups)
            groups.append([])
            wordings.append({})
            articles.append(set())
        groups[k].append(i)
        wordings[k][q.text] = None
        articles[k].add(q.article_id)
    out: list[QuoteGroup] = []
    for g in groups:
        versions = [quotes[i] for i in g]
        ref = max(versions, key=lambda v: (trust.get(v.article_id, 1.0), len(v.text)))
        changed = [wording_changes(ref.text, v.text) for v in versions if v is not ref]
        fidelity = min((max(0.0, 1.0 - c / n) for c, n, _ in changed), default=1.0)
        drifted = any(c >= opts.drift_words or critical for c, _, critical in changed)
        status = "drift" if drifted else "consistent"
        named = [speakers.get(i) for i in g if speakers.get(i)]
        speaker = most_common(named)
        out.append(QuoteGroup(id="", speaker=speaker, status=status, versions=versions, fidelity=fidelity))
    out.sort(key=lambda q: -len(q.versions))
    for n, q in enumerate(out, 1):
        q.id = f"{id_prefix}{n}"
    return out


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


