"""Can two spellings name the same person or organisation? ``name_similarity``.

Names are normalised (case, diacritics, honorifics, possessives, particles),
then compared token by token on two levels: the spelling itself and a
phonetic skeleton that folds transliteration variants (kh/k, ee/i, ou/u,
doubled letters, vowels). Acronyms are matched against expansions, a surname
alone can name the full-name person, and distinctive words that one name has
and the other lacks pull the score down, so look-alike bodies stay apart.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from rapidfuzz.distance import JaroWinkler, Levenshtein

_HONORIFICS = frozenset(
    "mr mrs ms miss dr prof supt sen gov rep president mayor judge gen col capt sir dame rev st lt sgt "
    "chief director minister secretary chairman chairwoman".split()
)
_PARTICLES = frozenset("al el ul ben bin ibn van von der de da di du la le abu".split())
_STOP = frozenset("the of and for a an in on at to".split())
_GENERIC = frozenset("inc corp co ltd llc group".split())
_POSSESSIVE = re.compile(r"[’']s\b", re.IGNORECASE)


@functools.lru_cache(maxsize=65536)
def normalize_name(s: str) -> str:
    """Lowercase, strip diacritics, possessives, punctuation and honorifics."""
    s = _POSSESSIVE.sub("", s)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.casefold().replace("&", " and ")
    words = re.findall(r"[a-z0-9]+", s)
    while words and (words[0] in _HONORIFICS or words[0] == "the"):
        words = words[1:]
    return " ".join(words)


@functools.lru_cache(maxsize=65536)
def name_tokens(s: str) -> tuple[str, ...]:
    """Tokens with name particles glued to the next word (el amin -> elamin)."""
    words = normalize_name(s).split()
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w in _PARTICLES and i + 1 < len(words):
            out.append(w + words[i + 1])
            i += 2
            continue
        out.append(w)
        i += 1
    return tuple(out)


@functools.lru_cache(maxsize=65536)
def skeleton(token: str) -> str:
    """A phonetic key folding common transliteration variants."""
    t = token
    for a, b in (("kh", "k"), ("ph", "f"), ("gh", "g"), ("th", "t"), ("sh", "s"), ("ck", "k"),
                 ("q", "k"), ("c", "k"), ("z", "s"), ("w", "v"), ("y", "i"), ("j", "g")):
        t = t.replace(a, b)
    t = re.sub(r"(.)\1+", r"\1", t)
    if not t:
        return t
    head, rest = t[0], re.sub(r"[aeiouh]", "", t[1:])
    return re.sub(r"(.)\1+", r"\1", head + rest)


def _strip_particle(t: str) -> str:
    for p in ("al", "el", "ul"):
        if t.startswith(p) and len(t) > len(p) + 2:
            return t[len(p):]
    return t


def _token_sim(a: str, b: str) -> float:
    if a == b:
        return 1.0
    sa, sb = _strip_particle(a), _strip_particle(b)
    if (sa, sb) != (a, b):
        return max(_token_sim_plain(a, b), _token_sim_plain(sa, sb))
    return _token_sim_plain(a, b)


def _token_sim_plain(a: str, b: str) -> float:
    if a == b:
        return 1.0
    raw = JaroWinkler.normalized_similarity(a, b)
    ka, kb = skeleton(a), skeleton(b)
    if ka and ka == kb:
        phon = 0.95
    else:
        phon = Levenshtein.normalized_similarity(ka, kb) * 0.9
    return max(raw if raw >= 0.85 else raw * 0.9, phon)


def is_acronym_of(short: str, long: str) -> bool:
    """Is ``short`` (e.g. "NATO") the initials of ``long`` (stop words optional)?"""
    letters = re.sub(r"[^a-z]", "", normalize_name(short))
    words = normalize_name(long).split()
    if len(letters) < 2 or len(words) < 2 or " " in normalize_name(short):
        return False
    full = "".join(w[0] for w in words)
    content = "".join(w[0] for w in words if w not in _STOP)
    return letters in (full, content)


def _initial_match(a: str, b: str) -> bool:
    return (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


@functools.lru_cache(maxsize=262144)
def name_similarity(a: str, b: str) -> float:
    """Score in [0, 1] that spellings ``a`` and ``b`` name the same person or organisation."""
    na, nb = normalize_name(a), normalize_name(b)
    if not na or not nb:
        return 0.0
    if na == nb or na.replace(" ", "") == nb.replace(" ", ""):
        return 1.0
    if is_acronym_of(a, b) or is_acronym_of(b, a):
        return 0.95
    ta = [t for t in name_tokens(a) if t not in _STOP and t not in _GENERIC] or list(name_tokens(a))
    tb = [t for t in name_tokens(b) if t not in _STOP and t not in _GENERIC] or list(name_tokens(b))
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    # Best alignment of each token of the shorter name, in order.
    used: set[int] = set()
    sims: list[float] = []
    for t in short:
        best, best_j = 0.0, -1
        for j, u in enumerate(long_):
            if j in used:
                continue
            s = 0.9 if _initial_match(t, u) else _token_sim(t, u)
            if s > best:
                best, best_j = s, j
        if best_j >= 0:
            used.add(best_j)
        sims.append(best)
    matched = sum(sims) / len(sims)
    if min(sims) < 0.75:
        matched *= 0.5  # a token with no counterpart: another given name, another body
    unmatched = len(long_) - len(used)
    if unmatched == 0:
        return matched
    if len(short) == 1 and len(long_) >= 2 and used == {len(long_) - 1}:
        # A surname alone can name the full-name person.
        return matched * 0.92
    # Extra distinctive words in the longer name: a different body, or another person.
    coverage = len(short) / len(long_)
    return matched * (0.45 + 0.4 * coverage) if min(sims) >= 0.8 else matched * 0.5 * coverage
