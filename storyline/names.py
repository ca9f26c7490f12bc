"""Can two spellings name the same person or organisation? ``name_similarity``.

Names are normalised (case, diacritics and letters such as ı, ø, ł, đ, æ that
Unicode does not decompose, possessives, punctuation, a leading
"the", honorifics and titles, name particles such as al-/el-/van/de), then
compared token by token on two levels: the spelling itself (Jaro-Winkler) and
a phonetic skeleton that folds common transliteration variants (kh/k, ph/f,
doubled letters, vowels, y/i, q/k ...), so that "Faris Al-Nadeem" and
"Fares Al-Nadim" align. On top of the token alignment:

* an acronym matches its expansion ("NATO" / "North Atlantic Treaty
  Organization"), also inside a longer name ("GT Workers Union" / "Greater
  Tillbury Workers Union");
* an initial matches a given name ("J. Smith" / "John Smith");
* a surname alone can name the full-name person ("Wattis" / "Dodi Wattis");
* distinctive words that one name has and the other lacks pull the score
  down, and a word replaced by a different one ("John Smith" / "Mary Smith",
  "... Federation of Labor" / "... Federation of Teachers") pulls it down hard.

Two spellings of one word are scored by a small logistic model (weights in
``_name_model.py``, fitted by ``bench/train_name_model.py`` on four in five
name groups of the transliteration data; the fifth is held out for the
benchmark) over string measures and bins of them, the hand-made phonetic
score, counts of the *kinds* of edits between them (a vowel for a vowel, a
doubled letter, a consonant of the same sound class, at the start, middle or
end) and of the single-letter edits themselves (e/i, q/g, an inserted h); it
never sees a name as a feature. It is fitted in two stages: the first learns
what each edit says (``OP_WEIGHTS``), the second weighs the sum, the least and
the greatest of a pair's edit weights beside the string measures (among them
the Levenshtein similarity of the spellings with doubled letters written once),
so that one very unlikely edit can outweigh several likely ones, and a few
products of measures it has anyway (``CROSS_FEATURES``). Two spellings
that share little even in their phonetic keys skip the edit script: a small
pre-pass model over the cheap measures scores them (``PREPASS_WEIGHTS``). The
model may not rate a pair far above the hand-made score (less far for short
words), nor, when unsure, far below it if the sound-class keys agree.
A word that is the start of a longer one ("South" / "Southwest") is not a
respelling.

Everything is cached per string and per pair of names (bounded caches), so
repeated comparisons inside one run cost a dictionary lookup; a one-word name
skips the general normalisation. The hot path's caches (a pair's score, a
one-word name's keys) are plain dictionaries of strings, floats and tuples of
strings, looked up inline: filling them makes the garbage collector run
rarely (with ``lru_cache``'s tuple keys its collections took a tenth of a cold
run's time). ``name_similarity_many(pairs)`` gives
the same scores for a whole list of pairs, computing the model's measures for
pairs of one-word names in bulk (rapidfuzz ``cpdist`` and numpy).
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Iterable
from operator import itemgetter
from typing import Any, NamedTuple

from rapidfuzz.distance import JaroWinkler, Levenshtein

__all__ = ["is_acronym_of", "name_similarity", "name_similarity_many", "name_tokens", "normalize_name", "skeleton"]

# Titles and honorifics dropped in front of a name (only while a name remains).
_HONORIFICS = frozenset(
    ["mr", "mrs", "ms", "miss", "mx", "dr", "doctor", "prof", "professor", "supt", "superintendent", "sen", "senator", "gov", "governor", "rep", "representative", "pres", "president", "vice", "mayor", "judge", "justice", "gen", "general", "col", "colonel", "capt", "captain", "cmdr", "commander", "lt", "lieutenant", "sgt", "sergeant", "maj", "major", "adm", "admiral", "sir", "dame", "lord", "lady", "rev", "reverend", "fr", "father", "sheikh", "shaikh", "imam", "rabbi", "pastor", "bishop", "cardinal", "pope", "king", "queen", "prince", "princess", "chief", "chairman", "chairwoman", "chairperson", "chair", "ceo", "director", "minister", "secretary", "councilman", "councilwoman", "councilmember", "commissioner", "officer", "detective", "insp", "inspector", "assemblyman", "assemblywoman", "assemblymember", "congressman", "congresswoman", "speaker", "chancellor", "premier"]
)
_SUFFIXES = frozenset(["jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "mba"])
# Arabic article particles: glued to the next word wherever they stand.
_ARTICLES = frozenset(["al", "el", "ul"])
assert all(len(p) == 2 for p in _ARTICLES)  # ``_strip_article`` relies on it
# Other particles: glued to the next word when not first (a first "Ben" or
# "Van" may be a given name, so both readings are tried).
_PARTICLES = frozenset(["van", "von", "der", "den", "ter", "de", "da", "di", "du", "del", "della", "des", "dos", "das", "la", "le", "ben", "bin", "bint", "ibn", "abu", "st"])
# Words that say nothing about which body is meant.
_STOP = frozenset(["the", "of", "and", "for", "a", "an", "in", "on", "at", "to"])
_GENERIC = frozenset(["inc", "incorporated", "corp", "corporation", "co", "ltd", "llc", "plc", "company"])
# Words typical of organisation, place and facility names: a name containing
# one is not read as a person's "given names + surname".
_ORG_WORDS = frozenset(
    ["association", "federation", "union", "council", "committee", "commission", "board", "party", "league", "university", "college", "school", "schools", "district", "department", "ministry", "office", "agency", "authority", "bureau", "institute", "institution", "center", "centre", "foundation", "society", "club", "group", "company", "corporation", "bank", "fund", "trust", "news", "times", "post", "journal", "press", "television", "radio", "network", "county", "city", "state", "states", "republic", "kingdom", "united", "national", "international", "federal", "central", "community", "coalition", "caucus", "alliance", "organization", "organisation", "church", "hospital", "court", "congress", "senate", "assembly", "parliament", "house", "army", "force", "forces", "police", "service", "services", "teachers", "workers", "labor", "labour", "unified", "high", "academy", "airlines", "airways", "motors", "street", "avenue", "road", "river", "lake", "mountain", "valley", "island", "islands", "park", "beach", "north", "south", "east", "west", "northern", "southern", "eastern", "western", "new", "los", "las", "san", "santa"]
)

# Abbreviations of words found in names of places and bodies (only inside a
# name of two or more words; "St" stays a particle: saint or street).
_ABBREVIATIONS = {
    "mt": "mount", "mtn": "mountain", "ft": "fort", "pt": "point", "univ": "university", "intl": "international",
    "natl": "national", "assn": "association", "assoc": "association", "dept": "department", "govt": "government",
    "bros": "brothers", "mfg": "manufacturing", "hosp": "hospital", "inst": "institute", "ave": "avenue",
    "blvd": "boulevard", "hwy": "highway", "cty": "county",
}  # fmt: skip

_TAU = 0.72  # token pairs at or above this count as the same word

_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "ʻ": "'", "`": "'", "´": "'", "ʿ": "'", "ʾ": "'"})
_QUOTE_CHARS = frozenset(chr(c) for c in _QUOTES)  # some are letters to ``str.isalpha`` ("ʼ")
_POSSESSIVE = re.compile(r"(?<=\w)'s\b|(?<=[sS])'(?=\s|$)")
_DOTTED = re.compile(r"\b(?:[A-Za-z]\.){2,}(?![A-Za-z])")
_INTERNAL_APOS = re.compile(r"(?<=\w)'(?=\w)")
_WORD = re.compile(r"[^\W_]+")


class _Info(NamedTuple):
    norm: str  # normalised words joined by spaces
    words: tuple[str, ...]  # normalised words (particles separate)
    caps: frozenset[str]  # words written as an acronym (all capitals) in a mixed-case name
    variants: tuple[tuple[str, ...], ...]  # content-token readings (particles glued)
    personlike: bool  # could be "given names + surname"
    single: str  # the one word of a one-word name with one reading, else ""


# Letters with a stroke or ligatures that Unicode does not decompose into a
# base letter and a diacritic ("Fırat", "Đorđe", "Łukasz", "Søren", "Æsir"),
# and the Arabic elongation mark (a stretch, not a letter).
_UNDECOMPOSED = str.maketrans(
    {"ı": "i", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ħ": "h", "Ħ": "H",
     "ŧ": "t", "Ŧ": "T", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH", "ß": "ss", "ـ": ""}
)  # fmt: skip


def _fold(s: str) -> str:
    if s.isascii():
        return s
    s = unicodedata.normalize("NFKD", s.translate(_UNDECOMPOSED))
    return "".join(ch for ch in s if not unicodedata.combining(ch))


def _raw_words(s: str) -> list[str]:
    s = _fold(s).translate(_QUOTES)
    s = _POSSESSIVE.sub("", s)
    s = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), s)
    s = _INTERNAL_APOS.sub("", s)
    s = s.replace("&", " and ")
    return _WORD.findall(s)


def _glue(words: tuple[str, ...], caps: frozenset[str], glue_first: bool) -> tuple[str, ...]:
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        is_particle = w not in caps and (w in _ARTICLES or (w in _PARTICLES and (i > 0 or glue_first)))
        if is_particle and i + 1 < len(words):
            j = i
            glued = ""
            while j + 1 < len(words) and words[j] not in caps and (words[j] in _ARTICLES or words[j] in _PARTICLES):
                glued += words[j]
                j += 1
            out.append(glued + words[j])
            i = j + 1
            continue
        out.append(w)
        i += 1
    return tuple(out)


def _content(tokens: tuple[str, ...]) -> tuple[str, ...]:
    kept = tuple(t for t in tokens if t not in _STOP and t not in _GENERIC)
    return kept or tokens


_NO_CAPS: frozenset[str] = frozenset()
_new_tuple = tuple.__new__


def _plain_word(s: str) -> str:
    """The normalised word of ``s`` if it is one plain word (letters only), else "".

    Such a name has no title, particle or acronym to handle: ``_info`` reads
    it as this one word (a test checks it).
    """
    if s.isascii():
        return s.lower() if s.isalpha() else ""
    f = _fold(s)
    return f.casefold() if f.isalpha() and _QUOTE_CHARS.isdisjoint(f) else ""


def _one_word(s: str) -> tuple[str, ...]:
    """The keys (``_tok_keys``) of the word of a one-word name with one reading (``_info(s).single``, their last item), else ().

    The hot path's one lookup per name: a plain word does not build
    ``_info(s)``, and the keys are not looked up again per pair. One tuple of
    strings per name: a cold run, which fills the cache with thousands of
    names, allocates few objects that the garbage collector tracks (its
    collections had cost a tenth of the time).
    """
    keys = _word_keys.get(s)
    if keys is None:
        w = _plain_word(s) or _info(s).single
        keys = _token_keys(w) if w else ()
        if len(_word_keys) >= _WORD_CACHE_SIZE:
            _word_keys.clear()
        _word_keys[s] = keys
    return keys


@functools.lru_cache(maxsize=131072)
def _info(s: str) -> _Info:
    w = _plain_word(s)
    if w:
        # One plain word (most lookups); the general path below gives exactly this.
        # (``tuple.__new__`` skips the Python-level constructor of the named tuple.)
        words = (w,)
        return _new_tuple(_Info, (w, words, _NO_CAPS, (words,), False, w))
    raw = _raw_words(s)
    mixed = any(w.islower() or (w[:1].isupper() and not w.isupper()) for w in raw if w.isalpha())
    caps = frozenset(
        w.casefold()
        for w in raw
        if mixed and len(w) >= 2 and w.isalpha() and w.isupper() and w.casefold() not in _SUFFIXES
    )
    words = [w.casefold() for w in raw]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[0] in _HONORIFICS:
        words = words[1:]
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words = words[:-1]
    if len(words) > 1:
        # Abbreviated name words ("Mt Cook", "Intl. Airport") written out.
        words = [_ABBREVIATIONS.get(w, w) for w in words]
    wt = tuple(words)
    variants = [_content(_glue(wt, caps, glue_first=True))]
    if wt and wt[0] in _PARTICLES and wt[0] not in _ARTICLES:
        alt = _content(_glue(wt, caps, glue_first=False))
        if alt != variants[0]:
            variants.append(alt)
    personlike = (
        2 <= max(len(v) for v in variants) <= 4
        and not any(w in _STOP or w in _ORG_WORDS or w in _GENERIC or any(c.isdigit() for c in w) for w in wt)
        and not caps
    )
    single = wt[0] if len(wt) == 1 and len(variants) == 1 else ""
    return _Info(" ".join(wt), wt, caps, tuple(variants), personlike, single)


@functools.lru_cache(maxsize=131072)
def normalize_name(s: str) -> str:
    """Lower-cased, diacritics, possessive, punctuation, leading "the" and titles removed.

    >>> normalize_name("Dr. José Al-Nadim’s")
    'jose al nadim'
    """
    return _info(s).norm


def name_tokens(s: str) -> list[str]:
    """The content tokens of a name, with particles glued to the next word.

    >>> name_tokens("the Federation of Labor"), name_tokens("Faris Al-Nadim")
    (['federation', 'labor'], ['faris', 'alnadim'])
    """
    return list(_info(s).variants[0])


_DIGRAPHS = (
    ("sch", "s"), ("dj", "j"), ("kh", "k"), ("ph", "f"), ("gh", "g"), ("th", "t"), ("dh", "d"),
    ("sh", "s"), ("ch", "k"), ("ck", "k"), ("qu", "k"), ("q", "k"), ("ce", "se"), ("ci", "si"),
    ("cy", "sy"), ("c", "k"), ("x", "ks"), ("z", "s"), ("w", "v"), ("j", "g"),
)
# Consonant classes for the loosest key (Soundex-like): letters that
# transliteration and devoicing confuse (b/p, f/v, d/t, k/g, s/z; "z" is
# already "s" there); m, n, l and r stay themselves (m had been put with s).
_CLASSES = str.maketrans("bpfvdtkgsmnlr", "bbffddkksmnlr")
_CLASSES_BYTES = bytes.maketrans(b"bpfvdtkgsmnlr", b"bbffddkksmnlr")


@functools.lru_cache(maxsize=262144)
def skeleton(token: str, loose: bool = False) -> str:
    """A phonetic key folding transliteration variants.

    The first letter is kept (a vowel becomes "a"), later vowels are dropped,
    doubled letters collapse and digraphs fold (kh/k, ph/f, sh/s ...). The
    ``loose`` key also drops every "h" ("Kahlid" and "Khaled" meet).
    """
    t = _digraphed(token)
    if not t:
        return t
    head = "a" if t[0] in "aeiouy" and not (t[0] == "y" and len(t) > 1 and t[1] in "aeiou") else t[0]
    rest = t[1:].replace("y", "i")
    out = [head]
    prev = t[0]
    for ch in rest:
        if ch == prev:
            continue
        prev = ch
        if ch in "aeiou" or (loose and ch == "h"):
            continue
        out.append(ch)
    if loose and len(out) > 1 and out[0] == "h":
        out = out[1:]
    return "".join(out)


# No rule writes an "h" or a "c": a rule with one can only apply if the token
# has it from the start. The rules to try, by (has an "h", has a "c").
assert not any(ch in b for _, b in _DIGRAPHS for ch in "hc")
_DIGRAPH_RULES = {
    (h, c): tuple(r for r in _DIGRAPHS if (h or "h" not in r[0]) and (c or "c" not in r[0]))
    for h in (False, True)
    for c in (False, True)
}


def _digraph_fold(token: str) -> str:
    """``token`` folded, lower-cased, apostrophes dropped and digraphs folded (the start of both skeletons)."""
    t = _fold(token).casefold().replace("'", "")
    for a, b in _DIGRAPH_RULES["h" in t, "c" in t]:
        if a in t:
            t = t.replace(a, b)
    return t


_digraphed = functools.lru_cache(maxsize=65536)(_digraph_fold)


@functools.lru_cache(maxsize=262144)
def _class_key(token: str) -> str:
    key = skeleton(token, True).translate(_CLASSES)
    return "".join(ch for i, ch in enumerate(key) if i == 0 or ch != key[i - 1])


def _strip_article(t: str) -> str:
    """``t`` without a leading article glued to it ("alnadim" -> "nadim"), if enough remains."""
    # Every article is two letters long (asserted where ``_ARTICLES`` is defined).
    return t[2:] if len(t) > 4 and t[:2] in _ARTICLES else t


def _tok_sim_uncached(a: str, b: str, ka: tuple[str, ...] | None = None, kb: tuple[str, ...] | None = None) -> float:
    """Similarity of two normalised tokens (symmetric: callers sort the pair); ``ka``, ``kb``: their ``_tok_keys`` if known."""
    if a == b:
        return 1.0
    if not (a.isalpha() and b.isalpha()):
        return 0.0  # numbers ("District 1" / "District 2") match only exactly
    la, lb = len(a), len(b)
    if la == 1 or lb == 1:
        return 0.85 if (a[0] == b[0]) else 0.0
    w = _weights()
    if w is None:
        best = _spelling_sim(a, b)
    elif la <= lb and la < 0.7 * lb and b.startswith(a):
        best = 1.0 - Levenshtein.distance(a, b) / lb  # = _model_sim: a word inside a longer compound
    elif lb < la and lb < 0.7 * la and a.startswith(b):
        best = 1.0 - Levenshtein.distance(a, b) / la
    else:
        z, hand = _model_z(a, b, w, ka, kb)  # = _model_sim
        best = _finish(z, hand, w[3], a, b, ka, kb)
    if not ((la > 4 and a[:2] in _ARTICLES) or (lb > 4 and b[:2] in _ARTICLES)):
        return best  # no article to strip (as ``_strip_article``)
    sa, sb = _strip_article(a), _strip_article(b)
    for x, y in ((sa, b), (a, sb), (sa, sb)):
        if (x, y) != (a, b):
            best = max(best, 0.97 * (_variant_sim(x, y) if x <= y else _variant_sim(y, x)))
    return best


# Cached for the words of longer names, which recur; a one-word name's pair
# calls ``_tok_sim_uncached`` (``_pair`` is cached already).
_tok_sim = functools.lru_cache(maxsize=262144)(_tok_sim_uncached)


# --------------------------------------------------------------------------- learned spelling model
#
# Which spelling differences separate two renderings of one name from two
# different names is learned from transliteration data (see
# bench/train_name_model.py and storyline/_name_model.py): a logistic model
# over the hand-made score below, a few string measures and counts of the
# kinds of edits that turn one spelling into the other (a vowel for a vowel,
# a letter doubled, a consonant of the same sound class, at the start, middle
# or end). Only edit *kinds* are learned, never particular names.

_VOWELS = frozenset("aeiouy")
_NEAR = frozenset(
    (x, z)
    for g in ("bp", "fvw", "dt", "kgcq", "szcxj", "mn", "lr", "iy", "ou", "ae", "ei", "kh", "ch", "jy", "uw")
    for x in g
    for z in g
    if x != z
)
_CTYPE = {c: ("v" if c in _VOWELS else "h" if c == "h" else "c") for c in "abcdefghijklmnopqrstuvwxyz"}

# Names of the dense features, in the order ``_dense`` returns them.
DENSE_FEATURES = (
    "hand", "jw", "lev", "skel", "loose", "class", "loose_lev", "meta", "first", "len_diff", "cons_lev", "last",
    "min_len", "hand_x_lev", "class_x_lev", "meta_x_lev", "minlen_x_lev", "collapsed_lev",
)  # fmt: skip


_RUNS = re.compile(r"(.)\1+", re.DOTALL)
_DROP_VOWELS = str.maketrans("", "", "aeiou")
_DROP_VOWELS_H = str.maketrans("", "", "aeiouh")
_DROP_VOWELS_Y = str.maketrans("", "", "aeiouy")


def _collapse(s: str) -> str:
    """``s`` with every run of one letter written once ("mmuhhammad" -> "muhamad")."""
    if _RUNS.search(s) is None:
        return s
    return _RUNS.sub(_RUN_LETTER, s)


_RUN_LETTER = itemgetter(1)  # a run's letter (``re.Match`` supports indexing)


def _token_keys(t: str) -> tuple[str, str, str, str, str, str, str]:
    """Per-token keys: strict and loose skeleton, class key, Metaphone, consonants, collapsed spelling; and ``t``.

    The same keys as ``skeleton(t)``, ``skeleton(t, True)`` and ``_class_key(t)``
    (a test checks it), computed in one pass: runs of a letter collapse
    (``_collapse``), then vowels (and, for the loose key, "h") go. The collapsed
    spelling is the token with every run of a letter written once ("khaddija" ->
    "khadija").
    """
    if t.isascii():
        # ``_digraph_fold`` for ASCII (``_fold`` keeps it, ``casefold`` is ``lower``), without its calls.
        d = t.lower()
        if "'" in d:
            d = d.replace("'", "")
        for x, y in _DIGRAPH_RULES["h" in d, "c" in d]:
            if x in d:
                d = d.replace(x, y)
        # ``bytes.translate`` is twice as fast as ``str.translate``: used for ASCII.
        cons = t.encode().translate(None, b"aeiouy").decode()
    else:
        d = _digraph_fold(t)
        cons = t.translate(_DROP_VOWELS_Y)
    collapsed = _collapse(t)
    if not d:
        return "", "", "", _metaphone(t), cons, collapsed, t
    t0 = d[0]
    head = "a" if t0 in "aeiouy" and not (t0 == "y" and len(d) > 1 and d[1] in "aeiou") else t0
    u = t0 + d[1:].replace("y", "i")
    tail = (collapsed if u == t else _collapse(u))[1:]
    if d.isascii():
        raw = tail.encode()
        strict = head + raw.translate(None, b"aeiou").decode()
        loose = head + raw.translate(None, b"aeiouh").decode()
        if len(loose) > 1 and loose[0] == "h":
            loose = loose[1:]
        cls = _collapse(loose.encode().translate(_CLASSES_BYTES).decode())
    else:
        strict = head + tail.translate(_DROP_VOWELS)
        loose = head + tail.translate(_DROP_VOWELS_H)
        if len(loose) > 1 and loose[0] == "h":
            loose = loose[1:]
        cls = _collapse(loose.translate(_CLASSES))
    return strict, loose, cls, _metaphone(t), cons, collapsed, t


_tok_keys = functools.lru_cache(maxsize=262144)(_token_keys)


try:
    from jellyfish import metaphone as _jf_metaphone
except Exception:  # noqa: BLE001 - optional dependency; the key is then the loose skeleton
    _jf_metaphone = None


def _metaphone(t: str) -> str:
    if _jf_metaphone is None:
        return skeleton(t, True)
    try:
        return str(_jf_metaphone(t))
    except Exception:  # noqa: BLE001 - odd input: the key is then the loose skeleton
        return skeleton(t, True)


def _dense(a: str, b: str, jw: float | None = None, lev: float | None = None) -> tuple[float, ...]:
    ka, kb = _tok_keys(a), _tok_keys(b)
    if lev is None:
        lev = Levenshtein.normalized_similarity(a, b)
    if jw is None:
        jw = JaroWinkler.normalized_similarity(a, b)
    hand = _spelling_sim(a, b, lev, jw)
    # A shared key says more the longer it is: one or two consonants in
    # common ("cio" / "house" -> "s") is weak evidence.
    cls = min(len(ka[2]), 3) / 3 if ka[2] == kb[2] else 0.0
    meta = min(len(ka[3]), 3) / 3 if ka[3] == kb[3] else 0.0
    la, lb = len(a), len(b)
    min_len = float(min(lb, la))
    return (
        hand, jw, lev, min(len(ka[0]), 3) / 3 if ka[0] == kb[0] else 0.0,
        min(len(ka[1]), 3) / 3 if ka[1] == kb[1] else 0.0, cls,
        Levenshtein.normalized_similarity(ka[1], kb[1]), meta, 1.0 if a[0] == b[0] else 0.0,
        abs(la - lb) / (max(lb, la)), Levenshtein.normalized_similarity(ka[4], kb[4]),
        1.0 if a[-1] == b[-1] else 0.0, min_len, hand * lev, cls * lev, meta * lev, min_len * lev,
        Levenshtein.normalized_similarity(ka[5], kb[5]),
    )  # fmt: skip


def _edit_ops(a: str, b: str) -> list[tuple[str, str, str]]:
    """Each edit turning ``a`` into ``b`` as (operation and place, letter, other letter or "2" for a doubling)."""
    out = []
    la, lb = len(a) - 1, len(b) - 1
    for tag, i, j in Levenshtein.editops(a, b).as_list():
        pos = "B" if i == 0 and j == 0 else ("E" if i >= la or j >= lb else "M")
        if tag == "replace":
            out.append(("r" + pos, a[i], b[j]))
        else:
            s, k = (a, i) if tag == "delete" else (b, j)
            c = s[k]
            doubled = (k > 0 and s[k - 1] == c) or (k + 1 < len(s) and s[k + 1] == c)
            out.append(("i" + pos, c, "2" if doubled else ""))
    return out


_KIND: dict[tuple[str, str, str], str] = {}
_OP_WEIGHT: dict[tuple[str, ...], float] = {}


def _ops_score(a: str, b: str, ops: list[tuple[str, int, int]], weights: dict[str, float]) -> tuple[float, float, float]:
    """Sum, least and greatest of the learned weights of the edits ``ops`` (``Levenshtein.editops(a, b)``, as ``_edit_ops``).

    ``weights`` are the edit weights (``OP_WEIGHTS``); the model weighs the
    three again, so that one very unlikely edit can outweigh several likely
    ones (a plain sum cannot).
    """
    if not ops:
        return 0.0, 0.0, 0.0
    total = 0.0
    lo, hi = math.inf, -math.inf
    la, lb = len(a) - 1, len(b) - 1
    get = _OP_WEIGHT.get
    for tag, i, j in ops:
        # The weight depends on the place, the letter(s) and, for an insertion, its neighbours.
        pos = "B" if i == 0 and j == 0 else ("E" if i >= la or j >= lb else "M")
        if tag == "replace":
            ctx: tuple[str, ...] = (pos, a[i], b[j])
        elif tag == "delete":
            ctx = (pos, a[i - 1 : i + 2] if i else "^" + a[:2])
        else:
            ctx = (pos, b[j - 1 : j + 2] if j else "^" + b[:2])
        w = get(ctx)
        if w is None:
            w = _OP_WEIGHT[ctx] = sum(weights.get(key, 0.0) for key in _op_keys(ctx))
        total += w
        if w < lo:  # noqa: PLR1730 - hot path: a comparison is cheaper than min()/max()
            lo = w
        if w > hi:  # noqa: PLR1730 - hot path
            hi = w
    return total, lo, hi


def _op_keys(ctx: tuple[str, ...]) -> tuple[str, str]:
    """The two features of an edit described by ``_ops_score``'s context tuple."""
    if len(ctx) == 3:
        op = ("r" + ctx[0], ctx[1], ctx[2])
    else:
        # The inserted letter with its neighbours: previous (or "^"), itself, next (if any).
        x = ctx[1]
        c = x[1]
        doubled = x[0] == c or (len(x) > 2 and x[2] == c)
        op = ("i" + ctx[0], c, "2" if doubled else "")
    return _kind(op), _letters(op)


def _kind(op: tuple[str, str, str]) -> str:
    """The learned feature of an edit: "rM:vv~" (a vowel for a near vowel, mid-word), "iE:2" ..."""
    k = _KIND.get(op)
    if k is None:
        where, x, z = op
        if where[0] == "r":
            k = f"{where}:{_CTYPE.get(x, 'c')}{_CTYPE.get(z, 'c')}" + ("~" if (x, z) in _NEAR else "")
        else:
            k = f"{where}:" + (z or _CTYPE.get(x, "c"))
        _KIND[op] = k
    return k


def _letters(op: tuple[str, str, str]) -> str:
    """The letters of an edit, wherever it stands: "R:kq" (k for q, either way), "I:h", "I:l2" (a doubled l)."""
    where, x, z = op
    if where[0] == "r":
        return "R:" + (x + z if x <= z else z + x)
    return "I:" + x + z


def _edit_kinds(a: str, b: str) -> list[str]:
    """The kind of each edit turning ``a`` into ``b``: replace/insert, where, which kind of letters."""
    return [_kind(op) for op in _edit_ops(a, b)]


def pair_features(a: str, b: str) -> dict[str, float]:
    """Features of two lower-case letter tokens for the learned spelling model (``a <= b``).

    Dense string measures, then for every edit its kind ("rM:vv~") and its
    letters ("R:ei"): which single-letter changes transliteration makes.
    """
    dense = _dense(a, b)
    f = dict(zip(DENSE_FEATURES, dense))
    ops = _edit_ops(a, b)
    for op in ops:
        for key in (_kind(op), _letters(op)):
            f[key] = f.get(key, 0.0) + 1.0
    for key in _bins(dense, len(ops)):
        f[key] = 1.0
    return f


# Dense measures also given as one-hot bins, so that the linear model can bend
# them (a Jaro-Winkler of 0.9 is not simply twice 0.45): (feature, scale, top bin).
_BINNED = (("hand", 10, 10), ("jw", 10, 10), ("lev", 10, 10), ("loose_lev", 10, 10), ("cons_lev", 10, 10), ("min_len", 1, 10))
_BIN_INDEX = tuple(DENSE_FEATURES.index(name) for name, _, _ in _BINNED)
_MAX_OPS_BIN = 8


def _bins(dense: tuple[float, ...], n_ops: int) -> list[str]:
    """The bin features of a pair: "jw#7" (Jaro-Winkler 0.7-0.8), "ops#2" (two edits) ..."""
    out = [f"{name}#{min(int(dense[i] * scale), top)}" for (name, scale, top), i in zip(_BINNED, _BIN_INDEX)]
    out.append(f"ops#{min(n_ops, _MAX_OPS_BIN)}")
    return out


# The learned edit weights of a pair, summed up: their sum, least and greatest
# (``_ops_score``), each also binned (half units, -4 to 4), and the sum times
# the Levenshtein similarity.
OP_STATS = ("osum", "omin", "omax")
_STAT_TOP = 8


def _stat_bin(x: float) -> int:
    """The bin of an edit-weight statistic: ``int(2 x)`` (towards zero) clipped to +-``_STAT_TOP``."""
    k = int(x * 2.0)
    return -_STAT_TOP if k < -_STAT_TOP else (_STAT_TOP if k > _STAT_TOP else k)  # noqa: FURB136 - hot path


def model_features(a: str, b: str, op_weights: dict[str, float] | None = None) -> dict[str, float]:
    """Features of the fitted model for two different lower-case letter tokens (``a <= b``).

    The dense measures and bins of ``pair_features``; in place of its edit
    features, the sum, least and greatest weight of the edits under
    ``op_weights`` (default: the fitted ``OP_WEIGHTS``, which a first model
    learned from ``pair_features``), binned too, and the sum times the
    Levenshtein similarity.
    """
    if op_weights is None:
        from ._name_model import OP_WEIGHTS

        op_weights = OP_WEIGHTS
    dense = _dense(a, b)
    f = dict(zip(DENSE_FEATURES, dense))
    ops = Levenshtein.editops(a, b).as_list()
    for key in _bins(dense, len(ops)):
        f[key] = 1.0
    la, lb = len(a) - 1, len(b) - 1
    ws = []
    for tag, i, j in ops:
        pos = "B" if i == 0 and j == 0 else ("E" if i >= la or j >= lb else "M")
        if tag == "replace":
            ctx: tuple[str, ...] = (pos, a[i], b[j])
        elif tag == "delete":
            ctx = (pos, a[i - 1 : i + 2] if i else "^" + a[:2])
        else:
            ctx = (pos, b[j - 1 : j + 2] if j else "^" + b[:2])
        ws.append(sum(op_weights.get(key, 0.0) for key in _op_keys(ctx)))
    stats = (sum(ws), min(ws), max(ws)) if ws else (0.0, 0.0, 0.0)
    for name, v in zip(OP_STATS, stats):
        f[name] = v
        f[f"{name}#{_stat_bin(v)}"] = 1.0
    f["osum_x_lev"] = stats[0] * dense[DENSE_FEATURES.index("lev")]
    for name, v in zip(CROSS_FEATURES, _cross(f, stats, len(ops))):
        f[name] = v
    return f


# Products of measures the model has anyway (no string computed for them), so
# that the linear model can let one measure say more when another agrees:
# shared sound-class and Metaphone keys together, loose skeletons and
# consonants alike together, the greatest edit weight by the shorter word's
# length (one likely edit says more in a longer word), and the mean weight
# of an edit (the sum over the number of edits). Grouped 5-fold CV of the
# trainer: 0.9444 -> 0.9450.
CROSS_FEATURES = ("class_x_meta", "looselev_x_conslev", "minlen_x_omax", "omean")


def _cross(f: dict[str, float], stats: tuple[float, float, float], n_ops: int) -> tuple[float, float, float, float]:
    """``CROSS_FEATURES`` of a pair from its ``model_features`` ``f``, edit statistics and number of edits."""
    return (
        f["class"] * f["meta"], f["loose_lev"] * f["cons_lev"], f["min_len"] * stats[2],
        stats[0] / n_ops if n_ops else 0.0,
    )  # fmt: skip


# The pre-pass: two spellings that share little even in their phonetic keys
# (loose skeletons and consonants each at most a quarter alike, at most a
# fifth of the letters in place) are scored by a small logistic model over the
# cheap measures alone, without the edit script and its learned weights
# (``PREPASS_WEIGHTS``, fitted by bench/train_name_model.py on such pairs
# only). A quarter of the transliteration benchmark's pairs (variants, random
# and look-alike different names, a third each) are such pairs.
_PREPASS_LEV = 0.2
_PREPASS_KEYS = 0.25
PREPASS_FEATURES = ("hand", "jw", "lev", "loose_lev", "cons_lev", "first", "last", "min_len", "len_diff", "class", "meta")
_PREPASS_INDEX = tuple(DENSE_FEATURES.index(name) for name in PREPASS_FEATURES)
# ... and Jaro-Winkler times the shorter word's length: the same Jaro-Winkler
# says less of two long words that share little. (Grouped CV of the trainer
# 0.9450 -> 0.9452; a square of the length, +0.0001 more, rated long unrelated
# words far higher: it is left out.)
PREPASS_CROSS = ("minlen_x_jw",)


def _prepass(lev: float, loose_lev: float, cons_lev: float) -> bool:
    """Does a pair with these measures go to the pre-pass model?"""
    return loose_lev <= _PREPASS_KEYS and cons_lev <= _PREPASS_KEYS and lev <= _PREPASS_LEV


def in_prepass(a: str, b: str) -> bool:
    """Is the pair of different letter tokens ``a <= b`` scored by the pre-pass model?"""
    dense = _dense(a, b)
    return _prepass(dense[2], dense[6], dense[10])


def prepass_features(a: str, b: str) -> dict[str, float]:
    """Features of the pre-pass model for two different lower-case letter tokens (``a <= b``)."""
    dense = _dense(a, b)
    f = {name: dense[i] for name, i in zip(PREPASS_FEATURES, _PREPASS_INDEX)}
    f["minlen_x_jw"] = f["min_len"] * f["jw"]
    return f


@functools.lru_cache(maxsize=1)
def _weights() -> tuple[Any, ...] | None:
    """(intercept, dense weights, edit weights, threshold, bin tables, edit-count table, edit-statistic weights,
    pre-pass intercept, pre-pass weights, table of the terms that depend on lengths only, ``CROSS_FEATURES`` weights)."""
    from ._name_model import (
        INTERCEPT,
        OP_WEIGHTS,
        PREPASS_INTERCEPT,
        PREPASS_WEIGHTS,
        THRESHOLD,
        WEIGHTS,
    )

    if not WEIGHTS:
        return None
    bin_tables = tuple(tuple(WEIGHTS.get(f"{name}#{k}", 0.0) for k in range(top + 1)) for name, _, top in _BINNED)
    ops_table = tuple(WEIGHTS.get(f"ops#{k}", 0.0) for k in range(_MAX_OPS_BIN + 1))
    # Tables indexed by bin + _STAT_TOP.
    stat_tables = tuple(
        tuple(WEIGHTS.get(f"{name}#{k}", 0.0) for k in range(-_STAT_TOP, _STAT_TOP + 1)) for name in OP_STATS
    )
    stat_w = (*(WEIGHTS.get(name, 0.0) for name in OP_STATS), WEIGHTS.get("osum_x_lev", 0.0), *stat_tables)
    dense_w = tuple(WEIGHTS.get(k, 0.0) for k in DENSE_FEATURES)
    prepass_w = tuple(PREPASS_WEIGHTS.get(k, 0.0) for k in PREPASS_FEATURES + PREPASS_CROSS)
    length_terms: dict[tuple[int, int, int], float] = {}  # filled by ``_length_z``
    cross_w = tuple(WEIGHTS.get(k, 0.0) for k in CROSS_FEATURES)
    return (
        INTERCEPT, dense_w, dict(OP_WEIGHTS), THRESHOLD, bin_tables, ops_table, stat_w, PREPASS_INTERCEPT, prepass_w,
        length_terms, cross_w,
    )  # fmt: skip


def _length_z(n_ops: int, ls: int, ll: int, w: tuple[Any, ...]) -> float:
    """The model's intercept and terms that depend only on the edit count and the two lengths (cached in ``w``'s table)."""
    dw, bt, ops_t = w[1], w[4], w[5]
    lev = 1.0 - n_ops / ll
    z = w[9][n_ops, ls, ll] = (
        w[0] + dw[2] * lev + dw[9] * ((ll - ls) / ll) + dw[12] * float(ls) + dw[16] * float(ls) * lev
        + bt[2][int(lev * 10)] + bt[5][ls if ls < 10 else 10]  # noqa: FURB136 - as ``_model_z``
        + ops_t[n_ops if n_ops < _MAX_OPS_BIN else _MAX_OPS_BIN]  # noqa: FURB136 - as ``_model_z``
    )  # fmt: skip
    return z


def _stats_z(a: str, b: str, ops: list[tuple[str, int, int]], lev: float, w: tuple[Any, ...], ls: int) -> float:
    """The model's log-odds from the edit-weight statistics of ``ops`` (see ``model_features``; with their
    ``CROSS_FEATURES``); ``ls``: the shorter word's length."""
    osum, omin, omax = _ops_score(a, b, ops, w[2])
    sw, cw = w[6], w[10]
    top, bin_ = _STAT_TOP, _stat_bin
    return (
        (sw[0] + sw[3] * lev + (cw[3] / len(ops) if ops else 0.0)) * osum + sw[1] * omin + (sw[2] + cw[2] * ls) * omax
        + sw[4][bin_(osum) + top] + sw[5][bin_(omin) + top] + sw[6][bin_(omax) + top]
    )  # fmt: skip


_HAND_MARGIN = 0.4  # the model may rate a pair at most this far above the hand-made score
_HAND_MARGIN_SHORT = 0.2  # ... or this far, if a word is shorter than ``_SHORT`` letters
_SHORT = 4
_HAND_FLOOR = 0.1  # ... and, when unsure and the sound-class keys agree, at most this far below it
_UNSURE = 0.4  # a probability above this share of the threshold leaves the model unsure


def _calibrate(p: float, threshold: float) -> float:
    """Probability -> similarity: the best-F1 point maps to the token match line (``_TAU``), certainty to 1."""
    if p >= threshold:
        return _TAU + (1.0 - _TAU) * (p - threshold) / (1.0 - threshold)
    return _TAU * p / threshold


def _variant_sim(a: str, b: str) -> float:
    """Spelling similarity of two tokens: the learned model where it applies."""
    if a == b:
        return 1.0
    if not (a.isalpha() and b.isalpha()):
        return _spelling_sim(a, b)
    w = _weights()
    if w is None:
        return _spelling_sim(a, b)
    return _model_sim(a, b, w)


def _model_sim(a: str, b: str, w: tuple[Any, ...]) -> float:
    """``_variant_sim`` of two different letter tokens."""
    # Every pair goes through the model (a Jaro-Winkler gate cost 0.008 of
    # held-out AUC: some variants look very different).
    la, lb = len(a), len(b)
    if la <= lb:
        if la < 0.7 * lb and b.startswith(a):
            # A word inside a longer compound ("south" / "southwest"): not a respelling.
            return 1.0 - Levenshtein.distance(a, b) / lb  # = _LEV(a, b)
    elif lb < 0.7 * la and a.startswith(b):
        return 1.0 - Levenshtein.distance(a, b) / la
    z, hand = _model_z(a, b, w)
    return _finish(z, hand, w[3], a, b)


def _finish(
    z: float, hand: float, threshold: float, a: str, b: str, ka: tuple[str, ...] | None = None, kb: tuple[str, ...] | None = None
) -> float:
    """The similarity of two tokens from the model's log-odds ``z`` and the hand-made score (``ka``, ``kb``: their ``_tok_keys`` if known)."""
    p = 1.0 / (1.0 + math.exp(-z)) if z > -30.0 else 0.0
    # The model extrapolates on odd pairs; it may not rate a pair far above
    # the hand-made score (0.4 above cost less held-out AUC than 0.2).
    s = _TAU + (1.0 - _TAU) * (p - threshold) / (1.0 - threshold) if p >= threshold else _TAU * p / threshold  # = _calibrate
    # Less far for a short word, on which the model extrapolates most ("cio" / "house").
    top = hand + (_HAND_MARGIN if len(a) >= _SHORT and len(b) >= _SHORT else _HAND_MARGIN_SHORT)
    if s > top:
        return top
    if s < hand - _HAND_FLOOR and p >= _UNSURE * threshold:
        # Nor far below it, unless the model is sure (p well under its
        # threshold), when the sound-class keys agree on three or more
        # consonants: the edit alignment behind the model's features is one of
        # several equally short ones, a swap ("kahl-" / "khal-") reads badly, and
        # the Arabic-script data under-rates some Latin conventions (q/g, dh/dd).
        ca = (_tok_keys(a) if ka is None else ka)[2]
        if ca == (_tok_keys(b) if kb is None else kb)[2] and len(ca) >= 3:
            return hand - _HAND_FLOOR
    return s


_LEV = Levenshtein.normalized_similarity
_JW = JaroWinkler.normalized_similarity
_EDITOPS = Levenshtein.editops
_LEV_DIST = Levenshtein.distance


def _model_z(
    a: str, b: str, w: tuple[Any, ...], ka: tuple[str, ...] | None = None, kb: tuple[str, ...] | None = None
) -> tuple[float, float]:
    """The learned model's log-odds for two different letter tokens, and the hand-made score.

    The same numbers as the weights applied to ``model_features`` (or, for a
    pair of the pre-pass, ``PREPASS_WEIGHTS`` applied to ``prepass_features``;
    a test checks both), computed in one pass: this is the hot path. The
    Levenshtein similarity comes from the edit script (its length is the
    distance).
    """
    ka0, ka1, ka2, ka3, ka4, ka5, _ = _tok_keys(a) if ka is None else ka
    kb0, kb1, kb2, kb3, kb4, kb5, _ = _tok_keys(b) if kb is None else kb
    la, lb = len(a), len(b)
    ls, ll = (la, lb) if la <= lb else (lb, la)
    if ka1 == kb1:
        loose_lev = 1.0
    else:
        n = len(ka1) if len(ka1) >= len(kb1) else len(kb1)  # noqa: FURB136 - hot path
        loose_lev = 1.0 - _LEV_DIST(ka1, kb1) / n  # = _LEV(ka1, kb1)
    if ka4 == kb4:
        cons_lev = 1.0
    else:
        n = len(ka4) if len(ka4) >= len(kb4) else len(kb4)  # noqa: FURB136 - hot path
        cons_lev = 1.0 - _LEV_DIST(ka4, kb4) / n  # = _LEV(ka4, kb4)
    ops: list[tuple[str, int, int]] | None = None
    if loose_lev <= _PREPASS_KEYS and cons_lev <= _PREPASS_KEYS:
        n_ops = _LEV_DIST(a, b)
        lev = 1.0 - n_ops / ll
        if lev > _PREPASS_LEV:
            ops = _EDITOPS(a, b).as_list()
    else:
        ops = _EDITOPS(a, b).as_list()
        n_ops = len(ops)
        lev = 1.0 - n_ops / ll
    jw = _JW(a, b)
    if ls < 0.7 * ll and (b.startswith(a) if la <= lb else a.startswith(b)):
        hand = lev  # as ``_spelling_sim``
    else:
        raw = 0.5 * (jw + lev)
        if ka0 == kb0:
            strength, n = 0.95, len(ka0)
        elif ka1 == kb1:
            strength, n = 0.9, len(ka1)
        elif ka2 == kb2:
            strength, n = 0.85, len(ka2)
        else:
            strength, n = 0.0, 0
        if strength:
            phon = strength if n >= 3 else 0.5 * strength + 0.5 * raw
        elif len(ka1) >= 3 and len(kb1) >= 3:
            phon = 0.85 * loose_lev
        else:
            phon = 0.0
        hand = raw if raw >= phon else phon  # noqa: FURB136 - hot path: a comparison is cheaper than min()/max()
    n = len(ka2)
    cls = (n if n < 3 else 3) / 3 if ka2 == kb2 else 0.0  # noqa: FURB136 - hot path: a comparison is cheaper than min()/max()
    n = len(ka3)
    meta = (n if n < 3 else 3) / 3 if ka3 == kb3 else 0.0  # noqa: FURB136 - hot path: a comparison is cheaper than min()/max()
    if ops is None:
        # The pre-pass model (``prepass_features``).
        gw = w[8]
        z = (
            w[7] + gw[0] * hand + gw[1] * jw + gw[2] * lev + gw[3] * loose_lev + gw[4] * cons_lev
            + (gw[5] if a[0] == b[0] else 0.0) + (gw[6] if a[-1] == b[-1] else 0.0)
            + (gw[7] + gw[11] * jw) * ls + gw[8] * ((ll - ls) / ll) + gw[9] * cls + gw[10] * meta
        )  # fmt: skip
        return z, hand
    _, dw, op_w, _, bt, _, sw, _, _, length_terms, cw = w
    n = len(ka0)
    skel = (n if n < 3 else 3) / 3 if ka0 == kb0 else 0.0  # noqa: FURB136 - hot path: a comparison is cheaper than min()/max()
    n = len(ka1)
    loose = (n if n < 3 else 3) / 3 if ka1 == kb1 else 0.0  # noqa: FURB136 - hot path: a comparison is cheaper than min()/max()
    if ka5 == kb5:
        collapsed_lev = 1.0
    else:
        n = len(ka5) if len(ka5) >= len(kb5) else len(kb5)  # noqa: FURB136 - hot path
        collapsed_lev = 1.0 - _LEV_DIST(ka5, kb5) / n  # = _LEV(ka5, kb5)
    length_z = length_terms.get((n_ops, ls, ll))
    if length_z is None:
        length_z = _length_z(n_ops, ls, ll, w)
    # (Terms of one measure grouped: fewer operations.)
    z = (
        length_z + (dw[0] + dw[13] * lev) * hand + dw[1] * jw + dw[3] * skel + dw[4] * loose
        + (dw[5] + dw[14] * lev + cw[0] * meta) * cls + dw[6] * loose_lev + (dw[7] + dw[15] * lev) * meta
        + (dw[8] if a[0] == b[0] else 0.0) + (dw[10] + cw[1] * loose_lev) * cons_lev
        + (dw[11] if a[-1] == b[-1] else 0.0) + dw[17] * collapsed_lev
        + bt[0][int(hand * 10)] + bt[1][int(jw * 10)] + bt[3][int(loose_lev * 10)] + bt[4][int(cons_lev * 10)]
    )  # fmt: skip
    # ``_stats_z``, inlined but for the edits' sum, least and greatest weight.
    total, lo, hi = _ops_score(a, b, ops, op_w)
    top = _STAT_TOP
    k0, k1, k2 = int(total * 2.0), int(lo * 2.0), int(hi * 2.0)
    z += (
        (sw[0] + sw[3] * lev + cw[3] / n_ops) * total + sw[1] * lo + (sw[2] + cw[2] * ls) * hi
        + sw[4][(-top if k0 < -top else (top if k0 > top else k0)) + top]  # noqa: FURB136 - hot path
        + sw[5][(-top if k1 < -top else (top if k1 > top else k1)) + top]  # noqa: FURB136 - hot path
        + sw[6][(-top if k2 < -top else (top if k2 > top else k2)) + top]  # noqa: FURB136 - hot path
    )  # fmt: skip
    return z, hand


def _spelling_sim(a: str, b: str, lev: float | None = None, jw: float | None = None) -> float:
    """The hand-made spelling score: Jaro-Winkler / Levenshtein and phonetic keys."""
    if a == b:
        return 1.0
    # Jaro-Winkler alone is generous to containment ("smith" in "goldsmith").
    if lev is None:
        lev = Levenshtein.normalized_similarity(a, b)
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if long_.startswith(short) and len(short) < 0.7 * len(long_):
        return lev  # a word inside a longer compound ("south" / "southwest")
    if jw is None:
        jw = JaroWinkler.normalized_similarity(a, b)
    raw = 0.5 * (jw + lev)
    ka, la, ca, *_ = _tok_keys(a)
    kb, lb, cb, *_ = _tok_keys(b)
    if ka == kb:
        strength, n = 0.95, len(ka)
    elif la == lb:
        strength, n = 0.9, len(la)
    else:
        strength, n = (0.85, len(ca)) if ca == cb else (0.0, 0)
    if strength:
        # Short skeletons (two consonants or fewer) are weak evidence alone.
        phon = strength if n >= 3 else 0.5 * strength + 0.5 * raw
    elif min(len(la), len(lb)) >= 3:
        phon = 0.85 * Levenshtein.normalized_similarity(la, lb)
    else:
        phon = 0.0
    return max(raw, phon)


def _sim(a: str, b: str) -> float:
    return _tok_sim(a, b) if a <= b else _tok_sim(b, a)


def _body_sim(a: str, b: str) -> float:
    """``_sim`` for the words of a body's or a place's name: a plural is the same word ("Picture" / "Pictures").

    Not for persons' names, where "Peters" is not "Peter".
    """
    if len(a) != len(b) and min(len(a), len(b)) >= 4:
        short, long_ = (a, b) if len(a) < len(b) else (b, a)
        if long_ in (short + "s", short + "es") and short.isalpha():
            return 0.95
    return _sim(a, b)


def _acronym_letters(s: str) -> str | None:
    """The letters of ``s`` if it can be an acronym (one word, 2–8 letters)."""
    words = _info(s).words
    if len(words) != 1:
        return None
    w = words[0]
    if not (2 <= len(w) <= 8) or not w.isalpha():
        return None
    return w


@functools.lru_cache(maxsize=65536)
def _initials_match(letters: str, words: tuple[str, ...]) -> bool:
    """Do ``letters`` spell the initials of ``words``, stop words optional?"""
    n, m = len(letters), len(words)

    @functools.cache
    def go(i: int, j: int) -> bool:
        if j == m:
            return i == n
        w = words[j]
        optional = w in _STOP or w in _GENERIC
        if optional and go(i, j + 1):
            return True
        return i < n and letters[i] == w[0] and go(i + 1, j + 1)

    return go(0, 0)


def is_acronym_of(short: str, long: str) -> bool:
    """Is ``short`` (e.g. "NATO", "U.N.") the initials of ``long``?

    Stop words ("of", "the", "and", "for" ...) may or may not give a letter.
    """
    letters = _acronym_letters(short)
    if letters is None:
        return False
    words = _info(long).words
    if len([w for w in words if w not in _STOP]) < 2:
        return False
    return _initials_match(letters, words)


def _expand_acronym_tokens(a: _Info, b_tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Rewrite runs of ``b_tokens`` whose initials spell one of ``a``'s acronym words."""
    if not a.caps:
        return b_tokens
    out = list(b_tokens)
    for acro in a.caps:
        if acro in out or not (2 <= len(acro) <= 5):
            continue
        k = len(acro)
        for i in range(len(out) - k + 1):
            run = out[i : i + k]
            if all(len(w) > 1 for w in run) and "".join(w[0] for w in run) == acro:
                out[i : i + k] = [acro]
                break
    return tuple(out)


def _align(short: tuple[str, ...], long_: tuple[str, ...], personlike_long: bool, personlike_short: bool) -> float:
    """Score the best one-to-one alignment of two token lists (``short`` not longer)."""
    sim = _sim if personlike_long or personlike_short else _body_sim
    pairs = sorted(
        ((sim(s, t), i, j) for i, s in enumerate(short) for j, t in enumerate(long_)),
        reverse=True,
    )
    used_i: set[int] = set()
    used_j: set[int] = set()
    matched: list[tuple[float, int, int]] = []
    for s, i, j in pairs:
        if s < _TAU:
            break
        if i in used_i or j in used_j:
            continue
        used_i.add(i)
        used_j.add(j)
        matched.append((s, i, j))
    if not matched:
        # Nothing aligns: keep a low, still graded score.
        return 0.5 * pairs[0][0] if pairs and len(short) == len(long_) == 1 else 0.0
    base = sum(s for s, _, _ in matched) / len(matched)
    un_short = len(short) - len(matched)
    un_long = len(long_) - len(matched)
    if un_short == 0 and un_long == 0:
        # Everything aligned; reordered words ("Smith, John") cost a little.
        order = [j for _, _, j in sorted(matched, key=lambda x: x[1])]
        return base if order == sorted(order) else base * 0.97
    if un_short == 0:
        if personlike_long:
            js = {j for _, _, j in matched}
            if len(short) == 1 and js == {len(long_) - 1}:
                return 0.9 * base  # a surname alone names the full-name person
            if len(short) == 1 and js == {0}:
                return 0.72 * base  # a given name alone: weaker
            if personlike_short and 0 in js and len(long_) - 1 in js:
                return 0.92 * base  # a middle name left out
        # Extra words in the longer name: every one of them pulls the score down.
        cov = len(short) / len(long_)
        return base * (0.45 + 0.4 * cov)
    # Both names have a word the other lacks: another given name, another body.
    cov = len(matched) / len(long_)
    return base * 0.45 * cov


def _pair(a: str, b: str) -> float:
    """``name_similarity`` of two non-empty names (uncached)."""
    ia, ib = _info(a), _info(b)
    x, y = ia.single, ib.single
    if x and y:
        # One word each: the token similarity, graded below the match line.
        s = _tok_sim_uncached(x, y) if x <= y else _tok_sim_uncached(y, x)
        return s if s >= _TAU else 0.5 * s
    if not ia.norm or not ib.norm:
        return 0.0
    if ia.norm == ib.norm:
        return 1.0
    ga, gb = ia.variants[0], ib.variants[0]
    if ga == gb or "".join(ga) == "".join(gb):
        return 0.98
    for x, ix, y, iy in ((a, ia, b, ib), (b, ib, a, ia)):
        if len(ix.words) == 1 and len(iy.words) >= 2 and is_acronym_of(x, y):
            upper = bool(ix.caps) or any(ch.isupper() for ch in x[1:]) or "." in x
            return 0.92 if upper else 0.86
    for x, ix, iy in ((a, ia, ib), (b, ib, ia)):
        # A double surname alone ("Oyelaran-Pike") names the full-name person.
        vx, vy = ix.variants[0], iy.variants[0]
        if "-" in x and 2 <= len(vx) < len(vy) and iy.personlike and vy[-len(vx) :] == vx:
            return 0.9
    best = 0.0
    for va in ia.variants:
        for vb in ib.variants:
            va2 = _expand_acronym_tokens(ib, va)
            vb2 = _expand_acronym_tokens(ia, vb)
            if len(va2) <= len(vb2):
                s = _align(va2, vb2, ib.personlike, ia.personlike)
            else:
                s = _align(vb2, va2, ia.personlike, ib.personlike)
            if (va2, vb2) != (va, vb):
                s *= 0.97
            best = max(best, s)
    return min(best, 0.99)


def name_similarity(a: str, b: str) -> float:
    """Score in [0, 1] that spellings ``a`` and ``b`` name the same person or organisation.

    Symmetric; 1.0 for names equal after normalisation, 0.0 when either is empty.

    >>> name_similarity("Fares Al-Nadeem", "Faris Al-Nadim") > 0.8
    True
    >>> name_similarity("John Smith", "Mary Smith") < 0.5
    True
    """
    if not a or not b:
        return 0.0
    if a > b:
        a, b = b, a
    key = a + "\x00" + b
    s = _pair_scores.get(key)
    if s is not None:
        return s
    ka = _word_keys.get(a)
    if ka is None:
        ka = _one_word(a)
    kb = _word_keys.get(b)
    if kb is None:
        kb = _one_word(b)
    if ka and kb:
        # As ``_pair``: one word each, the token similarity graded below the match line.
        x, y = ka[6], kb[6]
        s = _tok_sim_uncached(x, y, ka, kb) if x <= y else _tok_sim_uncached(y, x, kb, ka)
        if s < _TAU:
            s *= 0.5
    else:
        s = _pair(a, b)
    if key.count("\x00") == 1:  # the key names this pair only (no name has a NUL of its own)
        if len(_pair_scores) >= _PAIR_CACHE_SIZE:
            _pair_scores.clear()
        _pair_scores[key] = s
    return s


class _Cache(dict):  # type: ignore[type-arg]
    """A cache of the hot path: a plain dictionary, looked up inline (cheaper than an ``lru_cache``'s call), bounded by its users (emptied when full).

    Scores of pairs of names are keyed by the two names joined by a NUL: unlike
    an ``lru_cache`` of two arguments (whose key is a tuple), the cache then
    holds no object that the garbage collector tracks, so filling it costs no
    collections.
    """

    def __init__(self) -> None:
        super().__init__()
        self.cache_clear = self.clear  # as an ``lru_cache`` (an attribute of the instance, not of the class)


_PAIR_CACHE_SIZE = 262144
_pair_scores = _Cache()  # name_similarity's scores
_WORD_CACHE_SIZE = 131072
_word_keys = _Cache()  # ``_one_word``'s


def name_similarity_many(pairs: Iterable[tuple[str, str]]) -> list[float]:
    """``name_similarity`` of every pair, in order: the same scores, computed in bulk.

    Pairs of two one-word names (the common case) are scored together: the
    string measures by ``rapidfuzz.process.cpdist`` and the learned model with
    numpy; any other pair goes through ``name_similarity``. Faster than a loop
    over ``name_similarity`` for more than a few pairs; no pair is cached.

    >>> [round(s, 2) for s in name_similarity_many([("Fares", "Faris"), ("John Smith", "Mary Smith")])]
    [0.9, 0.23]
    """
    pairs = pairs if isinstance(pairs, list) else list(pairs)
    out = [0.0] * len(pairs)
    w = _weights()
    if w is None:
        return [name_similarity(a, b) for a, b in pairs]
    where: list[int] = []
    xs: list[str] = []
    ys: list[str] = []
    keys_a: list[tuple[str, ...]] = []
    keys_b: list[tuple[str, ...]] = []
    one_word, articles = _one_word, _ARTICLES
    for k, (a, b) in enumerate(pairs):
        if not a or not b:
            continue
        ka, kb = one_word(a), one_word(b)
        if ka and kb and (x := ka[6]) != (y := kb[6]) and x.isalpha() and y.isalpha():
            if x > y:
                x, y, ka, kb = y, x, kb, ka
            lx, ly = len(x), len(y)
            # As ``_tok_sim_uncached`` and ``_model_sim``: no one-letter word,
            # no article to strip, no word inside a longer compound.
            if (
                lx > 1
                and ly > 1
                and not (lx > 4 and x[:2] in articles)
                and not (ly > 4 and y[:2] in articles)
                and not (lx < 0.7 * ly and y.startswith(x) if lx <= ly else ly < 0.7 * lx and x.startswith(y))
            ):
                where.append(k)
                xs.append(x)
                ys.append(y)
                keys_a.append(ka)
                keys_b.append(kb)
                continue
        out[k] = name_similarity(a, b)
    if where:
        for k, s in zip(where, _model_sim_many(xs, ys, w, keys_a, keys_b)):
            out[k] = s
    return out


def _model_sim_many(
    xs: list[str],
    ys: list[str],
    w: tuple[Any, ...],
    keys_a: list[tuple[str, ...]] | None = None,
    keys_b: list[tuple[str, ...]] | None = None,
) -> list[float]:
    """``_pair`` of one-word names ``xs[k] < ys[k]`` that ``_model_sim`` scores with the model, in bulk.

    ``keys_a``, ``keys_b``: their ``_tok_keys``, if known.

    The same arithmetic as ``_model_z`` and ``_finish``, on arrays (a test checks it).
    """
    import numpy as np
    from rapidfuzz.process import cpdist

    intercept, dw, _, threshold, bt, ops_t = w[:6]
    f64, intp = np.float64, np.intp
    cols_a = list(zip(*(map(_tok_keys, xs) if keys_a is None else keys_a)))
    cols_b = list(zip(*(map(_tok_keys, ys) if keys_b is None else keys_b)))
    loose_lev = cpdist(cols_a[1], cols_b[1], scorer=Levenshtein.normalized_similarity, dtype=f64)
    cons_lev = cpdist(cols_a[4], cols_b[4], scorer=Levenshtein.normalized_similarity, dtype=f64)
    n_ops = np.asarray(cpdist(xs, ys, scorer=Levenshtein.distance), dtype=intp)
    la = np.fromiter(map(len, xs), dtype=intp, count=len(xs))
    lb = np.fromiter(map(len, ys), dtype=intp, count=len(xs))
    ls, ll = np.minimum(la, lb), np.maximum(la, lb)
    lev = 1.0 - n_ops / ll
    # Pairs for the pre-pass model (``_prepass``) need no edit script.
    pre = (loose_lev <= _PREPASS_KEYS) & (cons_lev <= _PREPASS_KEYS) & (lev <= _PREPASS_LEV)
    # Per pair, in Python: the learned weights of the edit script and Jaro-Winkler.
    editops, jaro, stats_z = _EDITOPS, _JW, _stats_z
    z_ops_l: list[float] = []
    jw_l: list[float] = []
    for x, y, p, v, m in zip(xs, ys, pre.tolist(), lev.tolist(), ls.tolist()):
        z_ops_l.append(0.0 if p else stats_z(x, y, editops(x, y).as_list(), v, w, m))
        jw_l.append(jaro(x, y))  # per pair: cpdist's Jaro-Winkler may differ in the last bit
    z_ops = np.array(z_ops_l, dtype=f64)
    jw = np.array(jw_l, dtype=f64)
    # The rest with C-level loops (map, zip) and numpy.

    def same(u: Any, v: Any) -> Any:
        return np.asarray(np.array(u, dtype=object) == np.array(v, dtype=object), dtype=bool)

    def lengths(u: Any) -> Any:
        return np.fromiter(map(len, u), dtype=intp, count=len(xs))

    e0, e1, e2, e3 = (same(cols_a[i], cols_b[i]) for i in range(4))
    n0, n1, n2, n3 = (lengths(cols_a[i]) for i in range(4))
    n1b = lengths(cols_b[1])
    first = same(list(map(itemgetter(0), xs)), list(map(itemgetter(0), ys)))
    last = same(list(map(itemgetter(-1), xs)), list(map(itemgetter(-1), ys)))
    collapsed_lev = cpdist(cols_a[5], cols_b[5], scorer=Levenshtein.normalized_similarity, dtype=f64)
    raw = 0.5 * (jw + lev)
    strength = np.where(e0, 0.95, np.where(e1, 0.9, np.where(e2, 0.85, 0.0)))
    n = np.where(e0, n0, np.where(e1, n1, np.where(e2, n2, 0)))
    phon = np.where(
        strength > 0.0,
        np.where(n >= 3, strength, 0.5 * strength + 0.5 * raw),
        np.where((n1 >= 3) & (n1b >= 3), 0.85 * loose_lev, 0.0),
    )
    hand = np.where(raw >= phon, raw, phon)
    skel = np.where(e0, np.minimum(n0, 3) / 3, 0.0)
    loose = np.where(e1, np.minimum(n1, 3) / 3, 0.0)
    cls = np.where(e2, np.minimum(n2, 3) / 3, 0.0)
    meta = np.where(e3, np.minimum(n3, 3) / 3, 0.0)
    min_len = ls.astype(f64)

    def binned(table: tuple[float, ...], v: Any) -> Any:
        return np.asarray(table, dtype=f64)[(v * 10).astype(np.intp)]

    z = (
        intercept + dw[0] * hand + dw[1] * jw + dw[2] * lev + dw[3] * skel + dw[4] * loose + dw[5] * cls
        + dw[6] * loose_lev + dw[7] * meta + np.where(first, dw[8], 0.0) + dw[9] * ((ll - ls) / ll)
        + dw[10] * cons_lev + np.where(last, dw[11], 0.0) + dw[12] * min_len + dw[13] * hand * lev
        + dw[14] * cls * lev + dw[15] * meta * lev + dw[16] * min_len * lev + dw[17] * collapsed_lev
        + binned(bt[0], hand) + binned(bt[1], jw) + binned(bt[2], lev) + binned(bt[3], loose_lev)
        + binned(bt[4], cons_lev) + np.asarray(bt[5], dtype=f64)[np.minimum(ls, 10)]
        + np.asarray(ops_t, dtype=f64)[np.minimum(n_ops, _MAX_OPS_BIN)]
        + w[10][0] * cls * meta + w[10][1] * loose_lev * cons_lev
    )  # fmt: skip
    z = z + z_ops
    # The pre-pass model for pairs that share little (``_prepass``).
    gw = w[8]
    z_pre = (
        w[7] + gw[0] * hand + gw[1] * jw + gw[2] * lev + gw[3] * loose_lev + gw[4] * cons_lev
        + np.where(first, gw[5], 0.0) + np.where(last, gw[6], 0.0) + gw[7] * min_len + gw[8] * ((ll - ls) / ll)
        + gw[9] * cls + gw[10] * meta + gw[11] * jw * min_len
    )  # fmt: skip
    z = np.where(pre, z_pre, z)
    # ``_finish``
    with np.errstate(over="ignore"):
        p = np.where(z > -30.0, 1.0 / (1.0 + np.exp(-np.maximum(z, -30.0))), 0.0)
    s = np.where(
        p >= threshold, _TAU + (1.0 - _TAU) * (p - threshold) / (1.0 - threshold), _TAU * p / threshold
    )
    top = hand + np.where((la >= _SHORT) & (lb >= _SHORT), _HAND_MARGIN, _HAND_MARGIN_SHORT)
    s = np.where(
        s > top,
        top,
        np.where((s < hand - _HAND_FLOOR) & (p >= _UNSURE * threshold) & e2 & (n2 >= 3), hand - _HAND_FLOOR, s),
    )
    # ``_pair``: a one-word pair below the match line is graded down.
    s = np.where(s >= _TAU, s, 0.5 * s)
    return list(s.tolist())
