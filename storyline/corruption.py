"""Deterministic corruption of clean English news text into translation-like garble.

This is Storyline's own labelled-set generator for the ``garble`` signal
(see ``bench/garble.py``): clean reports are round-tripped through deliberate
corruption that imitates what machine translation and careless copying do to a
report: names respelled by transliteration, pronouns swapped, word-by-word
constructions ("the plant of treatment", "the side of the city"), articles
added or lost, sentences broken in two, stray quotation marks, common words
capitalised in mid-sentence, function words dropped or doubled, and idioms
rendered literally.

Every function takes a seeded :class:`random.Random` and a probability, works
on plain text with regular expressions only (no model needed), and returns the
new text; the same seed always gives the same output. :func:`corrupt` combines
them at a given ``strength`` in [0, 1].
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

__all__ = [
    "corrupt",
    "respell_names",
    "swap_pronouns",
    "literal_constructions",
    "possessive_to_of",
    "adjective_after_noun",
    "insert_articles",
    "delete_articles",
    "break_sentences",
    "stray_quotes",
    "stray_dashes",
    "capitalise_common_words",
    "drop_function_words",
    "duplicate_function_words",
    "literal_idioms",
    "IDIOMS",
]

_FUNCTION_WORDS = {
    "a", "an", "the", "of", "to", "in", "on", "at", "for", "with", "by", "from", "and", "or", "but",
    "that", "which", "who", "whom", "whose", "this", "these", "those", "it", "its", "is", "was", "are",
    "were", "be", "been", "has", "have", "had", "as", "not", "no", "he", "she", "they", "we", "his",
    "her", "their", "our", "my", "your", "him", "them", "us", "after", "before", "about", "into",
    "over", "under", "than", "then", "so", "if", "when", "while", "would", "will", "could", "should",
    "can", "may", "might", "must", "do", "does", "did", "up", "out", "off", "more", "most", "all",
    "some", "any", "each", "every", "also", "just", "only", "very", "said", "says",
}
_DETERMINERS = {"the", "a", "an", "its", "his", "her", "their", "our", "this", "that", "these", "those"}
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_COMMON_ADJ = {
    "new", "old", "local", "public", "former", "large", "small", "big", "major", "federal", "national",
    "main", "final", "top", "high", "low", "early", "late", "key", "senior", "young", "full", "whole",
    "long", "short", "recent", "current", "previous", "next", "last", "first", "second", "other",
    "political", "social", "economic", "military", "financial", "official", "independent", "general",
}
_ADJ_SUFFIX = re.compile(r"(?:al|ive|ous|ful|ic|able|ible|less|ern|ary|ed|ant|ent)$")
_NOUN_SUFFIX = re.compile(r"(?:tion|sion|ment|ness|ity|ance|ence|ship|ure|ism|er|or|ist|age|ery|ing)s?$")
_COMMON_NOUNS = {
    "plant", "water", "board", "council", "meeting", "office", "team", "line", "station", "campaign",
    "department", "house", "school", "city", "state", "police", "court", "party", "union", "group",
    "rate", "rates", "tax", "budget", "plan", "bill", "law", "vote", "race", "seat", "post", "site",
    "news", "press", "price", "prices", "market", "health", "safety", "power", "energy", "oil", "gas",
    "money", "funds", "fund", "staff", "members", "system", "program", "project", "policy", "report",
    "service", "services", "care", "community", "debate", "election", "family", "home", "homes",
    "work", "job", "jobs", "test", "tests", "results", "data", "conference", "statement", "network",
}
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def _p(rng: random.Random, prob: float) -> bool:
    return rng.random() < prob


def _match_case(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _sentence_start(text: str, pos: int) -> bool:
    """Whether ``pos`` begins a sentence (text start, or after . ! ? and optional quotes/newline)."""
    before = text[:pos].rstrip(" “\"‘'(")
    return not before or before[-1] in ".!?\n:"


# --- names -------------------------------------------------------------------------------

_TRANSLIT: list[tuple[str, str]] = [
    ("kh", "k"), ("k", "kh"), ("ee", "i"), ("i", "ee"), ("ou", "u"), ("u", "ou"), ("ph", "f"),
    ("f", "ph"), ("c", "k"), ("y", "i"), ("i", "y"), ("sh", "ch"), ("j", "dj"), ("w", "v"),
    ("v", "w"), ("ie", "y"), ("a", "e"), ("e", "a"), ("o", "ou"), ("th", "t"),
]


def _respell(name: str, rng: random.Random) -> str:
    low = name.lower()
    for _ in range(3):
        options = [(a, b) for a, b in _TRANSLIT if a in low[1:]]
        doubled = [i for i in range(1, len(low) - 1) if low[i] == low[i + 1] and low[i].isalpha()]
        singles = [
            i for i in range(1, len(low))
            if low[i] in "lnmrst" and low[i - 1] != low[i] and (i + 1 >= len(low) or low[i + 1] != low[i])
        ]
        choice = rng.random()
        if doubled and choice < 0.25:
            i = rng.choice(doubled)
            low = low[:i] + low[i + 1:]
        elif singles and choice < 0.45:
            i = rng.choice(singles)
            low = low[:i] + low[i] + low[i:]
        elif options:
            a, b = rng.choice(options)
            starts = [m.start() for m in re.finditer(re.escape(a), low) if m.start() > 0]
            i = rng.choice(starts)
            low = low[:i] + b + low[i + len(a):]
        if low != name.lower():
            break
    return _match_case(low, name) if not name.isupper() else low.upper()


def respell_names(text: str, rng: random.Random, prob: float = 0.5) -> str:
    """Respell capitalised mid-sentence words (mostly names) by transliteration swaps.

    Each distinct name is respelled consistently (as a translation would), with probability ``prob``.
    """
    mapping: dict[str, str] = {}
    out: list[str] = []
    last = 0
    for m in re.finditer(r"\b[A-Z][a-z]{2,}\b", text):
        w = m.group()
        if _sentence_start(text, m.start()) or w.lower() in _FUNCTION_WORDS or w.lower() in _WEEKDAYS:
            continue
        if w not in mapping:
            mapping[w] = _respell(w, rng) if _p(rng, prob) else w
        out.append(text[last:m.start()])
        out.append(mapping[w])
        last = m.end()
    out.append(text[last:])
    return "".join(out)


# --- pronouns ----------------------------------------------------------------------------

_PRONOUN_SWAP = {"he": "she", "she": "he", "his": "her", "him": "her", "her": "his", "himself": "herself",
                 "herself": "himself", "hers": "his"}


def swap_pronouns(text: str, rng: random.Random, prob: float = 0.3) -> str:
    """Swap gendered pronouns (he/she, his/her) independently with probability ``prob``."""

    def sub(m: re.Match[str]) -> str:
        w = m.group()
        if not _p(rng, prob):
            return w
        return _match_case(_PRONOUN_SWAP[w.lower()], w)

    return re.sub(r"\b(?:[Hh]e|[Ss]he|[Hh]is|[Hh]im|[Hh]er|[Hh]imself|[Hh]erself|[Hh]ers)\b", sub, text)


# --- word-by-word constructions ----------------------------------------------------------


def _nounish(w: str) -> bool:
    lw = w.lower()
    return lw in _COMMON_NOUNS or bool(_NOUN_SUFFIX.search(lw)) and lw not in _FUNCTION_WORDS


def _modifierish(w: str) -> bool:
    lw = w.lower()
    return lw not in _FUNCTION_WORDS and lw not in _COMMON_ADJ and not _ADJ_SUFFIX.search(lw) and len(lw) > 2


def literal_constructions(text: str, rng: random.Random, prob: float = 0.5) -> str:
    """Noun compounds turned inside out: "the treatment plant" -> "the plant of treatment"."""

    def sub(m: re.Match[str]) -> str:
        det, mod, head = m.group(1), m.group(2), m.group(3)
        if not (_modifierish(mod) and _nounish(head) and mod.islower() and head.islower()) or not _p(rng, prob):
            return m.group()
        return f"{det} {head} of {mod}"

    return re.sub(r"\b([Tt]he|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir|[Aa]n?)\s+([a-z]+)\s+([a-z]+)\b", sub, text)


def possessive_to_of(text: str, rng: random.Random, prob: float = 0.5) -> str:
    """Saxon genitive spelled out: "the city's east side" -> "the east side of the city"."""

    def sub(m: re.Match[str]) -> str:
        the, owner, thing = m.group(1), m.group(2), m.group(3)
        if thing.lower() in _FUNCTION_WORDS or not _p(rng, prob):
            return m.group()
        owner_phrase = f"{the}{owner}" if the else owner
        lead = "The" if the and the[0] == "T" else "the"
        return f"{lead} {thing} of {owner_phrase.replace('The ', 'the ')}"

    return re.sub(r"\b([Tt]he )?([A-Za-z][\w-]*)['’]s ((?:[a-z]+ )?[a-z]+)\b", sub, text)


def adjective_after_noun(text: str, rng: random.Random, prob: float = 0.5) -> str:
    """Adjectives moved after their noun: "the affected zone" -> "the zone affected"."""

    def sub(m: re.Match[str]) -> str:
        det, adj, noun = m.group(1), m.group(2), m.group(3)
        la = adj.lower()
        if la in _FUNCTION_WORDS or noun.lower() in _FUNCTION_WORDS:
            return m.group()
        if not (la in _COMMON_ADJ or _ADJ_SUFFIX.search(la)) or not _p(rng, prob):
            return m.group()
        return f"{det} {noun} {adj}"

    return re.sub(r"\b([Tt]he|[Aa]n?|[Ii]ts|[Tt]heir|[Hh]is|[Hh]er)\s+([a-z]{3,})\s+([a-z]{3,})\b", sub, text)


# --- articles ----------------------------------------------------------------------------

_PREPS = r"(?:in|on|at|for|with|by|from|of|about|into|over|under|after|before)"


def insert_articles(text: str, rng: random.Random, prob: float = 0.3) -> str:
    """Add "the" where English has none: before bare nouns after prepositions, weekdays, and titles."""

    def prep(m: re.Match[str]) -> str:
        p, w = m.group(1), m.group(2)
        if w.lower() in _FUNCTION_WORDS or w.lower() in _DETERMINERS or not _p(rng, prob):
            return m.group()
        return f"{p} the {w}"

    text = re.sub(rf"\b({_PREPS})\s+([a-z]{{3,}}|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
                  prep, text)

    def title(m: re.Match[str]) -> str:
        if _sentence_start(text, m.start()) or not _p(rng, prob):
            return m.group()
        return f"the {m.group(1).lower()} {m.group(2)}"

    return re.sub(r"\b(Mayor|President|Governor|Gov\.|Sen\.|Senator|Rep\.|Judge|Chief|Director|Minister|"
                  r"Chairman|Chair|Secretary|Superintendent|Commissioner|Sheriff|Officer)\s+([A-Z][a-z]+)",
                  title, text)


def delete_articles(text: str, rng: random.Random, prob: float = 0.2) -> str:
    """Drop articles (a, an, the) mid-sentence."""

    def sub(m: re.Match[str]) -> str:
        return "" if _p(rng, prob) else m.group()

    return re.sub(r"(?<=[a-z,] )(?:the|a|an) (?=[a-z])", sub, text)


# --- sentences and punctuation -----------------------------------------------------------

_BREAK_BEFORE = {"that", "to", "and", "who", "which", "after", "when", "because", "while", "but", "where",
                 "as", "with", "for", "since", "until", "before", "in", "of", "on"}


def break_sentences(text: str, rng: random.Random, prob: float = 0.2) -> str:
    """Split long sentences mid-way with a period and a capitalised continuation."""
    parts = re.split(r"(?<=[.!?])(\s+)", text)
    out = []
    for part in parts:
        words = part.split(" ")
        if len(words) >= 12 and _p(rng, prob):
            cands = [i for i in range(4, len(words) - 3) if words[i].lower() in _BREAK_BEFORE
                     or words[i - 1].endswith(",")]
            if cands:
                i = rng.choice(cands)
                left = " ".join(words[:i]).rstrip(",;")
                right = words[i:]
                right[0] = right[0][:1].upper() + right[0][1:]
                part = left + ". " + " ".join(right)
        out.append(part)
    return "".join(out)


def stray_quotes(text: str, rng: random.Random, prob: float = 0.2) -> str:
    """Double up closing quotes (“...” ”), and drop or add lone quotation marks."""

    def close(m: re.Match[str]) -> str:
        r = rng.random()
        if r < prob / 2:
            return m.group() + " ”"
        if r < prob:
            return m.group()[:-1]  # lose the closing quote
        return m.group()

    text = re.sub(r"[.,!?]”", close, text)

    def lone(m: re.Match[str]) -> str:
        return m.group() + "“" if _p(rng, prob / 3) else m.group()

    return re.sub(r"(?<=[.!?] )", lone, text)


def stray_dashes(text: str, rng: random.Random, prob: float = 0.05) -> str:
    """Open some sentences with a dialogue dash ("... Los Angeles. – She campaigned ...")."""

    def sub(m: re.Match[str]) -> str:
        return m.group() + "– " if _p(rng, prob) else m.group()

    return re.sub(r"(?<=[a-z][.!?] )(?=[A-Z])", sub, text)


def capitalise_common_words(text: str, rng: random.Random, prob: float = 0.05) -> str:
    """Capitalise ordinary lowercase words in mid-sentence ("We look forward to Engaging ...")."""

    def sub(m: re.Match[str]) -> str:
        w = m.group()
        return w[:1].upper() + w[1:] if _p(rng, prob) else w

    return re.sub(r"(?<=[a-z,] )[a-z]{4,}\b", sub, text)


def drop_function_words(text: str, rng: random.Random, prob: float = 0.05) -> str:
    """Drop function words mid-sentence."""

    def sub(m: re.Match[str]) -> str:
        return "" if m.group(1).lower() in _FUNCTION_WORDS and _p(rng, prob) else m.group()

    return re.sub(r"(?<=[a-z] )([a-z]+) (?=[a-z])", sub, text)


def duplicate_function_words(text: str, rng: random.Random, prob: float = 0.03) -> str:
    """Duplicate function words ("of of", "the the") or add a redundant one ("said that")."""

    def sub(m: re.Match[str]) -> str:
        w = m.group(1)
        if w.lower() in _FUNCTION_WORDS and _p(rng, prob):
            return f"{w} {w} "
        return m.group()

    text = re.sub(r"\b([a-z]+) (?=[a-z])", sub, text)
    return re.sub(r"\b(said|says|told reporters) (?=(?:the|he|she|it|they|a|an)\b)",
                  lambda m: m.group() + "that " if _p(rng, prob * 10) else m.group(), text)


# --- idioms ------------------------------------------------------------------------------

# Generic English idioms and phrasal verbs common in news, with literal renderings such as a
# word-by-word translation produces. Written for this module; not taken from any report.
IDIOMS: dict[str, str] = {
    "called for": "asked for",
    "called on": "made an appeal to",
    "step down": "descend from the post",
    "stepped down": "descended from the post",
    "stepping down": "descending from the post",
    "took office": "took the office",
    "take place": "have place",
    "took place": "had place",
    "takes place": "has place",
    "turned out": "revealed itself",
    "turned down": "refused",
    "set up": "established itself",
    "carried out": "realised",
    "looked into": "examined inside",
    "look into": "examine inside",
    "ran for": "presented himself to",
    "running for": "presenting himself to",
    "run for": "present himself to",
    "in the wake of": "in the following of",
    "on the eve of": "in the evening before of",
    "at stake": "in game",
    "in charge of": "responsible of",
    "on behalf of": "in name of",
    "made headlines": "made the titles",
    "came under fire": "came under the fire",
    "come under fire": "come under the fire",
    "backed down": "made the step back",
    "back down": "make the step back",
    "pointed out": "made notice",
    "point out": "make notice",
    "found out": "discovered",
    "find out": "discover",
    "gave up": "abandoned",
    "give up": "abandon",
    "kept up": "maintained",
    "so far": "until now",
    "as well as": "and also",
    "a number of": "a certain number of",
    "at least": "at the less",
    "more than": "more of",
    "in recent years": "in the last years",
    "last week": "the last week",
    "last year": "the last year",
    "next week": "the next week",
    "this week": "this same week",
    "for years": "since years",
    "for months": "since months",
    "twice": "two times",
    "a lot of": "a big quantity of",
    "lined up": "made the queue",
    "showed up": "presented itself",
    "turned up": "appeared itself",
    "brought up": "raised on the table",
    "weigh in": "give the weight",
    "under investigation": "in course of investigation",
    "at risk": "in risk",
    "in response to": "in answer to",
    "according to": "according with",
    "to date": "until the date",
    "apologized": "presented excuses",
    "apologised": "presented excuses",
    "declined to comment": "refused to make commentary",
    "could not be reached": "was not possible to reach",
}
_IDIOM_RE = re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(IDIOMS, key=len, reverse=True)) + r")\b",
                       re.IGNORECASE)


def literal_idioms(text: str, rng: random.Random, prob: float = 0.6) -> str:
    """Replace idioms and phrasal verbs with literal paraphrases (:data:`IDIOMS`)."""

    def sub(m: re.Match[str]) -> str:
        w = m.group()
        return _match_case(IDIOMS[w.lower()], w) if _p(rng, prob) else w

    return _IDIOM_RE.sub(sub, text)


# --- all together ------------------------------------------------------------------------

_STEPS: list[tuple[Callable[[str, random.Random, float], str], float]] = [
    # (function, probability at strength 1.0)
    (literal_idioms, 0.9),
    (possessive_to_of, 0.8),
    (literal_constructions, 0.6),
    (adjective_after_noun, 0.5),
    (insert_articles, 0.35),
    (delete_articles, 0.15),
    (swap_pronouns, 0.35),
    (respell_names, 0.6),
    (drop_function_words, 0.06),
    (duplicate_function_words, 0.03),
    (capitalise_common_words, 0.04),
    (break_sentences, 0.3),
    (stray_quotes, 0.4),
    (stray_dashes, 0.08),
]


def corrupt(text: str, rng: random.Random, strength: float = 0.5) -> str:
    """Apply every corruption at ``strength`` x its full-strength probability.

    At each strength some corruption kinds are left out at random (as real translators differ), so
    the labelled set does not always show the same mix. Deterministic for a given ``rng`` state.
    """
    strength = max(0.0, min(1.0, strength))
    keep_share = 0.5 + 0.5 * strength
    for fn, full in _STEPS:
        use = rng.random() < keep_share
        sub_rng = random.Random(rng.getrandbits(64))
        if use:
            text = fn(text, sub_rng, full * strength)
    return text
