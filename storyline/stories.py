"""Group reports into stories: reports of one developing event together.

The clusterer is incremental, as streaming news clusterers are. Each report
is described by cheap features (no NLP model needed, so millions of reports
can be featurised): TF-IDF sub-vectors over content words and over the names
it mentions, the years and figures it states, and its date. A new report is
compared only with the candidate stories that blocking finds for it
(:mod:`storyline.blocking`: MinHash LSH over its words, shared rare names,
a time window), never with everything. Against each candidate it gets a
*probability* of being the same event, from a logistic model over pairwise
evidence (word and name similarity, shared and conflicting person names,
years, figures, the days of the week the reports say things happened on)
fitted on labelled events (``bench/stories_ecbplus.py --fit``), damped by the
time between the reports. The report joins the candidate with
the highest average-link probability -- averaged over the story's members
nearest it in time, at most ``compare_members`` of them -- when that reaches a
threshold calibrated on the same labelled events, or opens a story of its own.

Story-level evidence guards against the hard case, two events of one kind
with shared actors: a report about another person than the one the story is
about (:func:`_other_protagonist`), stating figures none of which the story
states while the story agrees on its own (:func:`_other_figures`), or
hardly mentioning the places and people the story keeps naming while the
story hardly mentions its own (:func:`_other_names`), links less strongly;
two such stories never merge (:func:`_other_story_names`).

Passes (split a story that holds two events, clustering its recent members
afresh; re-home each report to the story it now fits best; join stories the
stream split, best-first by average link with a cohesion check; re-home once
more) make the result depend little on the order reports arrive in
(``bench/stories_ecbplus.py`` measures it). They cost a bounded amount per
report: only blocking candidates are compared, over bounded member samples.
With dated reports they run on each story as it goes quiet
(``evict_after_days`` behind the newest report), after which the story leaves
memory and keeps only its plain article -> story assignments; the passes on
the stories still live run at the end (:meth:`StreamClusterer.finish`).
Time and memory are therefore linear in the number of reports, and the
working set is bounded by the reports of the last ``evict_after_days``
(``bench/scale.py`` measures both).

Document frequencies are counted as reports arrive, so a term's weight
reflects the corpus seen so far; nothing is refitted. The table is bounded:
the rarest keys are pruned past ``MAX_DF_KEYS``.
"""

from __future__ import annotations

import bisect
import heapq
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from typing import Any

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from .blocking import BlockingOptions, CandidateIndex, prune_rare
from .nlp import doc_text


@dataclass(frozen=True, kw_only=True)
class StoryFeatures:
    """What the clusterer knows about one article."""

    article_id: str
    terms: Mapping[str, int]  # content word (stemmed) -> count
    names: Mapping[str, int]  # normalised name -> count
    title_terms: Sequence[str] = ()
    day: date | None = None  # publication date, or best estimate
    years: Sequence[int] = ()  # years the text mentions
    numbers: frozenset[str] = frozenset()  # other figures the text states, normalised


FEATURES_VERSION = 1  # bump when fast_features changes what it computes


def features_to_payload(f: StoryFeatures) -> dict[str, Any]:
    """A JSON-ready copy of one article's features (without its id, which the store keys)."""
    return {
        "terms": dict(f.terms), "names": dict(f.names), "title_terms": list(f.title_terms),
        "day": f.day.isoformat() if f.day else None, "years": list(f.years), "numbers": sorted(f.numbers),
    }


def features_from_payload(article_id: str, p: Mapping[str, Any]) -> StoryFeatures:
    return StoryFeatures(
        article_id=article_id,
        terms={sys.intern(k): v for k, v in p["terms"].items()},
        names={sys.intern(k): v for k, v in p["names"].items()},
        title_terms=list(p["title_terms"]),
        day=date.fromisoformat(p["day"]) if p["day"] else None,
        years=list(p["years"]),
        numbers=frozenset(p["numbers"]),
    )


# ---------------------------------------------------------------- features

_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d[\d,.]*\d|\d", re.UNICODE)
_SENTENCE_BREAK = re.compile(r"(?<=[.!?\"”])\s+|\n+")
_NAME = re.compile(
    r"(?:(?<=\s)|^|(?<=[\"“(‘'-]))"
    r"((?:[A-Z][\w'’.&-]*)(?:\s+(?:(?:of|the|de|du|da|del|der|den|van|von|bin|al|la|le)\s+)*[A-Z][\w'’.&-]*)*)"
)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_NUMBER = re.compile(r"\b\d[\d,]*(?:\.\d+)?\b")
_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december jan feb mar apr jun jul aug sep sept oct nov dec today "
    "yesterday tomorrow".split()
)
_TITLES = frozenset(
    "mr mrs ms miss dr prof sir dame rev mayor president vice deputy minister secretary chief director "
    "governor senator sen rep representative judge justice officer sgt sergeant lt capt captain supt "
    "superintendent inspector detective commissioner chairman chairwoman chair spokesman spokeswoman "
    "spokesperson king queen prince princess pope general gen col colonel coach".split()
)
_NAME_STOP = frozenset(ENGLISH_STOP_WORDS) | _CALENDAR | _TITLES
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")  # date.weekday() order


def stem(word: str) -> str:
    """A light, deterministic suffix stripper (enough to join 'arrests'/'arrested')."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _terms(text: str) -> Counter[str]:
    out: Counter[str] = Counter()
    for w in _words(text):
        if not w[0].isalpha():
            continue
        low = w.casefold().strip("'’-")
        if len(low) > 2 and low not in ENGLISH_STOP_WORDS:
            out[stem(low)] += 1
    return out


def name_key(text: str) -> str:
    """A name as the clusterer compares it: casefolded words."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def name_counts(names: Iterable[str]) -> dict[str, int]:
    return dict(Counter(k for k in (name_key(n) for n in names) if k))


def _names(text: str) -> Counter[str]:
    """Capitalised word runs, trimmed of function, title and calendar words.

    A run's first word at the start of a sentence, and a one-word run anywhere,
    is dropped when the text also uses that word in lower case ("Households of
    Port Ardent", "the Board ... the board"): it is an ordinary word.
    """
    lower_words = {w for w in re.findall(r"\b[a-z][a-z'’-]*\b", text)}
    out: Counter[str] = Counter()
    for sentence in _SENTENCE_BREAK.split(text):
        for m in _NAME.finditer(sentence):
            raw = re.sub(r"['’]s\b", "", m.group(1))
            words = name_key(raw).split()
            if m.start(1) == 0 and words and words[0] in lower_words:
                words.pop(0)
            while words and words[0] in _NAME_STOP:
                words.pop(0)
            while words and words[-1] in _NAME_STOP:
                words.pop()
            if not words or (len(words) == 1 and (len(words[0]) < 2 or words[0] in lower_words)):
                continue
            out[" ".join(words)] += 1
    return out


def fast_features(article_id: str, text: str, *, title: str = "", day: date | None = None) -> StoryFeatures:
    """Story features from plain text, with no NLP model (fast enough for millions of reports)."""
    terms = _terms(text)
    title_terms = sorted(_terms(title))
    terms.update(title_terms)  # a title word counts once more
    names = _names(text)
    names.update(_names(title))
    years = sorted({int(y) for y in _YEAR.findall(text + " " + title)})
    year_set = {str(y) for y in years}
    numbers = frozenset(
        n for n in (x.replace(",", "") for x in _NUMBER.findall(text)) if n not in year_set and len(n) >= 2
    )
    intern = sys.intern  # one string per distinct word across millions of reports
    return StoryFeatures(
        article_id=article_id,
        terms={intern(k): v for k, v in terms.items()},
        names={intern(k): v for k, v in names.items()},
        title_terms=title_terms,
        day=day,
        years=years,
        numbers=numbers,
    )


def content_terms(doc: Any) -> dict[str, int]:
    """Content words of a spaCy ``Doc`` (kept for callers that have one)."""
    return dict(_terms(doc_text(doc)))


# ---------------------------------------------------------------- options and model


# BEGIN FITTED WEIGHTS (bench/stories_ecbplus.py --fit, ECB+ Train)
_WEIGHTS: tuple[float, ...] = (12.31, 1.354, -12.119, -0.14, 0.065, 1.979, 0.718, -2.81, -0.088, -0.134, 2.183, -2.06, 3.269, -1.715, 0.087, -0.924, 0.361)
_BIAS: float = -3.246
_THRESHOLD: float = 0.3
_COHESION_RATIO: float = 0.6
# END FITTED WEIGHTS


@dataclass(frozen=True, kw_only=True)
class ClusterOptions:
    threshold: float = _THRESHOLD  # average same-event probability a report needs to join a story
    half_life_days: float = 10.0  # how fast the closeness prior fades with the gap between reports
    closeness_prior: float = 1.5  # log-odds added for two dated reports of the same day, fading with the gap
    max_gap_days: float = 60.0  # reports further apart are never one story (a story is compared by its recent members)
    compare_members: int = 16  # members of a story a report is compared with (nearest in arrival order)
    merge_pass: bool = True  # re-home reports and join stories the stream split
    exhaustive_below: int = 32  # with this few live stories, compare with all of them (blocking is for scale)
    cohesion_ratio: float = _COHESION_RATIO  # two stories merge only if their link is this share of their cohesion
    # Candidate stories (best first, as blocking ranks them) a report is compared
    # with in the stream and in the passes: a fixed number, so the cost per
    # report does not grow with the density of stories.
    max_candidates: int = 10
    pass_candidates: int = 12
    merge_probes: int = 4  # recent members of a story whose candidates it may merge with
    merge_members: int = 16  # members of each story sampled (most recent) for the link between two stories
    split_members: int = 48  # most recent members of a story clustered afresh when looking for a split
    link_probe: int = 4  # nearest members scored first; a story they link under half the threshold is skipped
    protagonist_factor: float = 0.3  # link multiplied by this when report and story are about different people
    figures_factor: float = 0.5  # link multiplied by this when report and story state different figures
    names_factor: float = 0.3  # link multiplied by this when report and story hardly name each other's key names
    # Stories idle this long behind the newest report are closed (passes run on
    # them) and leave memory and the candidate index; None keeps everything.
    evict_after_days: float | None = 60.0
    blocking: BlockingOptions = field(default_factory=BlockingOptions)


FEATURE_NAMES = (
    "term_cos",
    "name_cos",
    "term_x_name",
    "year_conflict",
    "year_shared",
    "number_overlap",
    "rare_shared_name",
    "any_shared_name",
    "shared_full_names",
    "full_name_conflict",
    "surname_overlap",
    "length",
    "term_cos_x_length",
    "person_conflict",
    "person_shared",
    "weekday_conflict",
    "weekday_shared",
)


_MIN_TERM_COS = 0.05  # below this two reports are never one event


@dataclass
class _Doc:
    """An article as the clusterer holds it: unit vectors and small sets."""

    article_id: str
    position: int
    terms: dict[str, float]
    names: dict[str, float]
    name_set: frozenset[str]
    full_names: frozenset[str]
    surnames: frozenset[str]
    persons: frozenset[str]  # surnames of full names the report also uses alone: people, most likely
    day: date | None
    years: frozenset[int]
    numbers: frozenset[str]
    max_year: int | None
    # Days of the week the report names (when things happened): the names, and
    # for a dated report the days they stand for (:func:`_weekday_days`).
    weekdays: frozenset[str] = frozenset()
    weekday_days: frozenset[int] = frozenset()
    fixed: bool = False  # restored from a previous run: the passes never move it
    # The report's most weighted names, each with its rarest word (stemmed) and
    # weight (:func:`_key_names`), weighed with the document frequencies of its arrival.
    key_names: tuple[tuple[str, str, float], ...] | None = None


PRIOR_DOCUMENTS = 100


MAX_DF_KEYS = 300_000


class _Frequencies:
    """Document frequencies of terms and names, counted as reports arrive.

    Bounded: past ``max_keys`` distinct keys the rarest are pruned
    (:func:`storyline.blocking.prune_rare`); a pruned key then reads as unseen,
    which is close to what it was (seen in very few reports). A run that goes
    on from a stored state is *seeded* with the stored frequencies
    (:meth:`seed`: read-only, never pruned) and counts only its new reports.
    """

    def __init__(self, max_keys: int = MAX_DF_KEYS) -> None:
        self.documents = 0
        self.df: Counter[str] = Counter()
        self.max_keys = max_keys
        self.base: Mapping[str, int] = {}
        self.base_documents = 0
        self._memo: dict[str, float] = {}  # idf of keys asked for since the counts last changed

    def seed(self, df: Mapping[str, int], documents: int) -> None:
        """Frequencies counted before this run (over ``documents`` reports)."""
        self.base, self.base_documents = df, documents
        self._memo = {}

    def add(self, keys: Iterable[str]) -> None:
        self.documents += 1
        self.df.update(keys)
        self._memo = {}
        if len(self.df) > self.max_keys:
            prune_rare(self.df, self.max_keys)

    def idf(self, key: str) -> float:
        # PRIOR_DOCUMENTS pseudo-documents that contain no term keep a small
        # corpus from weighting every shared word down to nothing.
        value = self._memo.get(key)
        if value is None:
            n = self.documents + self.base_documents + PRIOR_DOCUMENTS
            value = self._memo[key] = math.log((1 + n) / (1 + self.df.get(key, 0) + self.base.get(key, 0))) + 1.0
        return value


def clustering_keys(f: StoryFeatures) -> list[str]:
    """The keys a report counts once in the document frequencies: its terms and its names."""
    return [*("t:" + t for t in f.terms), *("n:" + n for n in f.names)]


def document_frequencies(features: Iterable[StoryFeatures]) -> Counter[str]:
    """How many of these reports have each clustering key (the table a run stores)."""
    df: Counter[str] = Counter()
    for f in features:
        df.update(clustering_keys(f))
    return df


def _unit(counts: Mapping[str, int], freq: _Frequencies, prefix: str) -> dict[str, float]:
    vec = {k: (1.0 + math.log(c)) * freq.idf(prefix + k) for k, c in counts.items() if c > 0}
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {k: v / norm for k, v in vec.items()} if norm else {}


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    # The key intersection is computed in C (most pairs share few keys); fsum is
    # exact, so the result does not depend on the set's (hash-seeded) order.
    return math.fsum([a[k] * b[k] for k in a.keys() & b.keys()])


KEY_NAMES = 3  # most weighted names of a report: what another report of its event most likely mentions


def _key_names(doc: _Doc, freq: _Frequencies) -> tuple[tuple[str, str, float], ...]:
    """The report's ``KEY_NAMES`` most weighted names: (name, its rarest content word, weight)."""
    if doc.key_names is None:
        out = []
        for name, weight in sorted(doc.names.items(), key=lambda kv: (-kv[1], kv[0])):
            words = [stem(w) for w in name.split() if len(w) > 2 and w.isalpha() and w not in ENGLISH_STOP_WORDS]
            if words:
                out.append((name, max(words, key=lambda w: (freq.idf("t:" + w), w)), weight))
                if len(out) == KEY_NAMES:
                    break
        doc.key_names = tuple(out)
    return doc.key_names


def _weekday_days(weekdays: Iterable[str], day: date | None) -> frozenset[int]:
    """The days (ordinals) a dated report means by the weekdays it names: each the latest such day up to its date.

    News names the day of the week things happened ("fired on Saturday"),
    which for a report of Monday 9 March is Saturday 7 March; two reports
    naming Saturday a month apart mean two different Saturdays.
    """
    if day is None:
        return frozenset()
    return frozenset(day.toordinal() - (day.weekday() - _WEEKDAYS.index(w)) % 7 for w in weekdays)


def _weekday_evidence(a: _Doc, b: _Doc) -> tuple[float, float]:
    """(conflict, shared): both name days of the week and none is the same day, or one is.

    Two dated reports compare the days their weekdays stand for; otherwise the
    names are compared.
    """
    if not (a.weekdays and b.weekdays):
        return 0.0, 0.0
    if a.day is not None and b.day is not None:
        shared = bool(a.weekday_days & b.weekday_days)
    else:
        shared = bool(a.weekdays & b.weekdays)
    return float(not shared), float(shared)


def pair_evidence(a: _Doc, b: _Doc, freq: _Frequencies, term_cos: float | None = None) -> list[float]:
    """The features the same-event model reads, in FEATURE_NAMES order."""
    if term_cos is None:
        term_cos = _dot(a.terms, b.terms)
    length = math.log1p(min(len(a.terms), len(b.terms))) / 6.0  # ~1 for a 400-word report
    name_cos = _dot(a.names, b.names) if a.names and b.names else 0.0
    year_conflict = float(bool(a.years and b.years and not a.years & b.years))
    year_shared = float(bool(a.years & b.years))
    number_overlap = len(a.numbers & b.numbers) / max(1, len(a.numbers | b.numbers))
    shared = a.name_set & b.name_set
    rare = max((freq.idf("n:" + k) for k in shared), default=0.0)
    shared_full = len(a.full_names & b.full_names)
    full_conflict = float(bool(a.full_names and b.full_names and not shared_full))
    surname_overlap = len(a.surnames & b.surnames) / max(1, min(len(a.surnames), len(b.surnames)))
    return [
        term_cos,
        name_cos,
        term_cos * name_cos,
        year_conflict,
        year_shared,
        number_overlap,
        rare,
        float(bool(shared)),
        float(min(shared_full, 3)),
        full_conflict,
        surname_overlap if a.surnames and b.surnames else 0.0,
        length,
        term_cos * length,
        float(bool(a.persons and b.persons and not a.persons & b.persons)),
        float(bool(a.persons & b.persons)),
        *_weekday_evidence(a, b),
    ]


def _logistic(x: Sequence[float], offset: float = 0.0) -> float:
    z = _BIAS + offset + sum(w * v for w, v in zip(_WEIGHTS, x))
    return 1.0 / (1.0 + math.exp(-max(-35.0, min(35.0, z))))


def _time_prior(a: _Doc, b: _Doc, opts: ClusterOptions) -> float | None:
    """Log-odds the dates add to the content evidence; None when the dates rule the pair out.

    Two dated reports close in time are more likely one story than the same
    content evidence would say on its own (the model is fitted on undated
    reports), and reports far apart never are. An undated report cannot be
    older than the latest year it mentions.
    """
    if a.day is not None and b.day is not None:
        gap = abs((a.day - b.day).days)
        if gap > opts.max_gap_days:
            return None
        return opts.closeness_prior * math.pow(0.5, gap / opts.half_life_days)
    for dated, undated in ((a, b), (b, a)):
        if dated.day is not None and undated.max_year is not None and dated.day.year < undated.max_year:
            # The undated report was written in that year at the earliest.
            gap = (date(undated.max_year, 1, 1) - dated.day).days
            if gap > opts.max_gap_days:
                return None
            return opts.closeness_prior * math.pow(0.5, gap / opts.half_life_days)
    return 0.0


def _same_event(a: _Doc, b: _Doc, freq: _Frequencies, opts: ClusterOptions) -> float:
    prior = _time_prior(a, b, opts)
    if prior is None:
        return 0.0
    term_cos = _dot(a.terms, b.terms)
    if not _worth_scoring(a, b, term_cos):
        return 0.0
    return _logistic(pair_evidence(a, b, freq, term_cos), prior)


def _worth_scoring(a: _Doc, b: _Doc, term_cos: float | None = None) -> bool:
    """Cheap pre-check: below these, two reports are never one event."""
    if (_dot(a.terms, b.terms) if term_cos is None else term_cos) >= _MIN_TERM_COS:
        return True
    return bool(a.name_set & b.name_set) and _dot(a.names, b.names) >= 0.5


def _protagonist(docs: Sequence[_Doc]) -> str | None:
    """The person (surname) at least half of these reports are about, if any."""
    counts = Counter(s for d in docs for s in d.persons)
    if not counts:
        return None
    best, n = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return best if 2 * n >= len(docs) else None


def _other_protagonist(a: Sequence[_Doc], b: Sequence[_Doc]) -> bool:
    """Two groups of reports about different people: same kind of event, other event.

    True when each group has a protagonist (a person at least half its reports
    are about), they differ, and neither group so much as mentions the other's
    (two drink-driving arrests of two players of one team; two coaches hired).
    """
    pa, pb = _protagonist(a), _protagonist(b)
    if pa is None or pb is None or _same_name(pa, pb):
        return False
    return not any(_same_name(pa, s) for d in b for s in d.surnames) and not any(
        _same_name(pb, s) for d in a for s in d.surnames
    )


def _same_name(x: str, y: str) -> bool:
    """One surname, possibly respelled (transliteration, machine translation): 'hosseini' / 'husseini'."""
    if x == y:
        return True
    if x[:1] != y[:1]:
        return False
    return SequenceMatcher(None, x, y).ratio() >= 0.6


def _other_figures(doc: _Doc, near: Sequence[_Doc]) -> bool:
    """A report stating figures none of which the story states, while the story agrees on its own.

    The story's *settled* figures are those at least half of its reports (two
    or more) state; when the report states none of them, and the story none of
    the report's figures, it is most likely another event of the same kind
    (another earthquake's toll, another hearing's sentence; one figure is
    enough: 26 pirates caught where every report of the story says 23).
    """
    if not doc.numbers or len(near) < 2:
        return False
    counts = Counter(x for d in near for x in d.numbers)
    settled = {x for x, c in counts.items() if c >= 2 and 2 * c >= len(near)}
    return bool(settled) and not settled & doc.numbers and not counts.keys() & doc.numbers


def _mentions(doc: _Doc, name: str, word: str) -> bool:
    return name in doc.name_set or word in doc.terms


def _other_names(doc: _Doc, near: Sequence[_Doc], freq: _Frequencies) -> bool:
    """A report and a story that hardly mention each other's key names: same kind of event, other event.

    True when the story's reports mention (as a name or a word) at most a third
    of the report's key names (:func:`_key_names`, by weight), and the report at
    most a third of the story's *settled* key words (those of the key names of
    at least half its reports, two or more; two such words at least): another
    town's flood, another player's arrest. A shared actor or two (the team, the
    agency) is allowed.
    """
    if len(near) < 2:
        return False
    keys = _key_names(doc, freq)
    if len(keys) < 2:
        return False  # a report naming one thing, or nothing, is too short to judge
    found = sum(w for name, word, w in keys if any(_mentions(m, name, word) for m in near))
    if 3 * found > sum(w for _, _, w in keys):
        return False
    counts = Counter(word for m in near for word in {word for _, word, _ in _key_names(m, freq)})
    settled = [word for word, c in counts.items() if c >= 2 and 2 * c >= len(near)]
    return len(settled) >= 2 and 3 * sum(word in doc.terms for word in settled) <= len(settled)


def _settled_words(docs: Sequence[_Doc], freq: _Frequencies) -> set[str]:
    """Words of the key names of at least half of these reports (of all of them when there is one)."""
    counts = Counter(word for d in docs for word in {word for _, word, _ in _key_names(d, freq)})
    least = 1 if len(docs) == 1 else 2
    return {word for word, c in counts.items() if c >= least and 2 * c >= len(docs)}


def _other_story_names(a: Sequence[_Doc], b: Sequence[_Doc], freq: _Frequencies) -> bool:
    """Two stories each of which mentions at most a third of the other's settled key words (:func:`_other_names`)."""
    for x, y in ((a, b), (b, a)):
        settled = _settled_words(x, freq)
        if not settled:
            return False
        used = set().union(*(d.terms.keys() & settled for d in y))
        if 3 * len(used) > len(settled):
            return False
    return True


# ---------------------------------------------------------------- the stream

_MEMO_LIMIT = 300_000
# A link proven below another by less than this is still computed in full (floating-point
# sums of probabilities are exact to far better than this).
_BOUND_SLACK = 1e-9


@dataclass
class _Story:
    key: str
    members: list[_Doc] = field(default_factory=list)  # in arrival order
    positions: list[int] = field(default_factory=list)  # their positions (for bisection)
    latest: date | None = None
    touched: bool = False  # a report streamed in this run joined it (restored stories are not touched)

    def insert(self, doc: _Doc) -> None:
        i = bisect.bisect_left(self.positions, doc.position)
        self.members.insert(i, doc)
        self.positions.insert(i, doc.position)
        if doc.day is not None and (self.latest is None or doc.day > self.latest):
            self.latest = doc.day

    def remove(self, doc: _Doc) -> None:
        i = bisect.bisect_left(self.positions, doc.position)
        del self.members[i], self.positions[i]

    def near(self, doc: _Doc, k: int) -> list[_Doc]:
        """The ``k`` members closest to ``doc`` in arrival order, nearest first, ``doc`` itself excluded.

        For a report just streamed in these are the story's most recent
        members; in the passes, a report of a long story is judged by its
        neighbours in time, not by members weeks away.
        """
        members, pos = self.members, doc.position
        i = bisect.bisect_left(self.positions, pos)
        j = i + 1 if i < len(members) and members[i] is doc else i
        left, right = members[max(0, i - k) : i], members[j : j + k]
        if not right:
            return left[::-1]  # nearest first
        if not left:
            return right
        out: list[_Doc] = []
        a, b = len(left) - 1, 0
        while len(out) < k and (a >= 0 or b < len(right)):
            if b >= len(right) or (a >= 0 and pos - left[a].position <= right[b].position - pos):
                out.append(left[a])
                a -= 1
            else:
                out.append(right[b])
                b += 1
        return out


class StreamClusterer:
    """Assign reports to stories one at a time; see the module docstring.

    Working set: the *live* stories, those with a member within
    ``evict_after_days`` of the latest report streamed (plus undated ones).
    When a story goes quiet it is closed: its reports are re-homed and it looks
    for a merge (the passes, restricted to it), then it leaves memory and the
    candidate index; only the plain article -> story assignment stays
    (:attr:`story_of`). Every report is thus re-examined a bounded number of
    times against a bounded number of candidates: the passes are linear in the
    number of reports.

    >>> s = StreamClusterer()
    >>> s.add(fast_features("a", "Floods cut the Ravel valley road; Mayor Ann Okafor ordered evacuations."))
    's1'
    """

    def __init__(self, options: ClusterOptions | None = None) -> None:
        self.options = options or ClusterOptions()
        self.index = CandidateIndex(self.options.blocking)
        self.freq = _Frequencies()
        self.stories: dict[str, _Story] = {}  # live stories only
        self.story_of: dict[str, str] = {}  # every report ever placed -> its story
        self.position_of: dict[str, int] = {}  # every report ever placed -> arrival position
        self.docs: dict[str, _Doc] = {}  # reports of live stories
        self.evicted = 0  # stories closed and dropped from the working set
        self._next = 0
        self._position = 0
        self._today: date | None = None
        self._by_latest: list[tuple[int, str]] = []  # (latest day ordinal, story key), lazily updated
        self.comparisons = 0
        self._cache: dict[tuple[int, int], float] | None = None
        self.hidden = 0  # open stories a partial restore left in the store (they count for blocking)

    # -- public
    def add(self, features: StoryFeatures) -> str:
        """Place one report; returns the key of the story it joined or opened."""
        if features.article_id in self.story_of:
            return self.story_of[features.article_id]
        if features.day is not None and (self._today is None or features.day > self._today):
            self._today = features.day
            if self.options.evict_after_days is not None:
                self._close_quiet(features.day)
        self.thaw()
        doc = self._doc(features)
        best_key, best_p = None, 0.0
        for key in self._candidates(features):
            story = self.stories.get(key)
            if story is None:
                continue
            p = self._link(doc, story, best_p if best_key is not None else None)
            if p > best_p or (p == best_p and best_key is not None and key < best_key):
                best_key, best_p = key, p
        if best_key is None or best_p < self.options.threshold:
            best_key = self._open()
        story = self.stories[best_key]
        story.touched = True
        self._place(doc, story)
        self.index.add(best_key, features)
        return best_key

    def add_all(self, features: Iterable[StoryFeatures]) -> None:
        for f in features:
            self.add(f)

    def restore(
        self,
        features: Iterable[StoryFeatures],
        story_keys: Mapping[str, str],
        *,
        positions: Mapping[str, int] | None = None,
        df: Mapping[str, int] | None = None,
        documents: int | None = None,
        taken: Iterable[str] = (),
        hidden: int = 0,
    ) -> None:
        """Put reports back into the stories a previous run gave them, without comparing anything.

        Restored reports are *fixed*: the passes never move them (new reports
        may still join their stories, and a touched story may merge with one).
        Call it once, before any :meth:`add`.

        The document frequencies are those of every report placed before
        (``df`` over ``documents`` reports; by default counted over
        ``features``), so a run that restores only the stories still open
        (:func:`extend_stories`) weighs words as one that restores everything.
        ``positions`` gives each report its rank among all those reports (by
        default: the order of ``features``); new reports come after them.
        ``taken`` lists story keys in use by stories not restored, which a new
        story must not reuse. ``hidden`` counts the open stories not restored
        (a restore of candidates only): with them there are too many live
        stories to compare a report with all of them.
        """
        features = list(features)
        self.hidden = hidden
        if df is None:
            df, documents = document_frequencies(features), len(features)
        documents = len(features) if documents is None else documents
        self.freq.seed(df, documents)
        self.index.seed(df, documents)
        end = self._position
        # Only a story's latest signatures stay in the LSH: the others are not computed.
        keep = self.index.options.signatures_per_story
        seen: Counter[str] = Counter(story_keys[f.article_id] for f in features)
        for f in features:
            key = story_keys[f.article_id]
            if positions is not None:
                self._position = positions[f.article_id]
            doc = self._doc(f, count=False)
            end = max(end, self._position)
            doc.fixed = True
            story = self.stories.get(key)
            if story is None:
                story = self.stories[key] = _Story(key=key)
            self._place(doc, story)
            seen[key] -= 1
            self.index.add(key, f, count=False, sign=seen[key] < keep)
        self._position = max(end, documents)
        for key in {*story_keys.values(), *taken}:
            number = key[1:]
            if key.startswith("s") and number.isdigit():
                self._next = max(self._next, int(number))

    def finish(self) -> None:
        """End of the stream: the passes over the live stories that reports of this run touched."""
        if not self.options.merge_pass:
            return
        touched = [k for k, st in self.stories.items() if st.touched]
        self._passes(touched)

    def refine(self, rounds: int = 2, *, only: Iterable[str] | None = None) -> int:
        """Move reports to the story they now fit best; returns moves made.

        A report placed early saw few of its story's members; once more of the
        stream is through it is compared again (average link over its
        neighbours) with its own story and with its best candidate stories, and
        moves when another fits clearly better. ``only`` (article ids) limits
        the pass to those reports; fixed (restored) reports never move. Later
        rounds revisit only the neighbours of reports that moved.
        """
        if only is None:
            docs = sorted(self.docs.values(), key=lambda d: d.position)
        else:
            docs = sorted((self.docs[i] for i in set(only) if i in self.docs), key=lambda d: d.position)
        moves = 0
        margin = 0.02
        k = self.options.compare_members
        for _ in range(rounds):
            revisit: dict[int, _Doc] = {}
            for doc in docs:
                if doc.fixed or doc.article_id not in self.docs:
                    continue
                own_key = self.story_of[doc.article_id]
                own = self.stories[own_key]
                others = own.near(doc, k)
                stay = self._link(doc, own) if others else self.options.threshold
                best_key, best_p = own_key, stay + margin
                for key in self._candidates(self._features_of(doc), self.options.pass_candidates):
                    story = self.stories.get(key)
                    if story is None or key == own_key:
                        continue
                    p = self._link(doc, story, best_p)
                    if p > best_p or (p == best_p and key < best_key):
                        best_key, best_p = key, p
                if best_key != own_key:
                    self._move(doc, own_key, best_key)
                    moves += 1
                    for m in others:
                        revisit[m.position] = m
            if not revisit:
                break
            docs = [revisit[p] for p in sorted(revisit)]
        return moves

    def merge_pass(self, *, only: Iterable[str] | None = None) -> int:
        """Join stories best-first while their average link reaches the threshold; returns merges.

        With ``only`` (story keys), just those stories look for partners. A
        story's partners are the blocking candidates of a few of its recent
        members, and links are averaged over a bounded sample of members, so a
        large story costs no more than a small one.
        """
        threshold = self.options.threshold
        version: dict[str, int] = {}
        heap: list[tuple[float, str, str, int, int]] = []

        cohesion: dict[tuple[str, int], float] = {}

        def cohesion_of(key: str) -> float | None:
            members = self.stories[key].members[-self.options.compare_members :]
            if len(members) < 3:
                return None  # two reports (often a copy and its original) say little about how tight a story is
            tag = (key, version.get(key, 0))
            if tag not in cohesion:
                total = sum(self._p(x, y) for i, x in enumerate(members) for y in members[i + 1 :])
                cohesion[tag] = total / (len(members) * (len(members) - 1) / 2)
            return cohesion[tag]

        def push(key: str) -> None:
            story = self.stories[key]
            for other_key in self._story_candidates(story):
                if other_key == key or other_key not in self.stories:
                    continue
                p = self._average(story.members, self.stories[other_key].members)
                if p < threshold:
                    continue
                # Two tight stories that only look alike (same kind of event,
                # same actors) link far less strongly than each holds together.
                tight = [c for c in (cohesion_of(key), cohesion_of(other_key)) if c is not None]
                if tight and p < self.options.cohesion_ratio * min(tight):
                    continue
                k = self.options.compare_members
                if _other_protagonist(story.members[-k:], self.stories[other_key].members[-k:]):
                    continue
                if _other_story_names(story.members[-k:], self.stories[other_key].members[-k:], self.freq):
                    continue
                a, b = sorted((key, other_key))
                heapq.heappush(heap, (-p, a, b, version.get(a, 0), version.get(b, 0)))

        for key in sorted(self.stories if only is None else {k for k in only if k in self.stories}):
            push(key)
        merges = 0
        while heap:
            _, a, b, va, vb = heapq.heappop(heap)
            if a not in self.stories or b not in self.stories or version.get(a, 0) != va or version.get(b, 0) != vb:
                continue
            keep, drop = sorted((a, b), key=lambda k: self.stories[k].members[0].position)
            self._merge(drop, keep)
            version[keep] = version.get(keep, 0) + 1
            merges += 1
            push(keep)
        return merges

    def split_pass(self, *, only: Iterable[str] | None = None) -> list[str]:
        """Split stories that hold two events; returns the keys of the stories split off.

        A story grown from a report of one event and an early report of another
        of the same kind keeps both: later reports join it whichever they are
        about, and re-homing has nowhere to move them. Its movable members (the
        ``split_members`` most recent) are clustered afresh, best-first by
        average link, on the rules the merge pass follows (:meth:`merge_pass`);
        groups of two or more other than the largest become stories of their
        own. The re-homing and merge passes that follow put back what belongs.
        """
        opts = self.options
        made: list[str] = []
        for key in sorted(self.stories if only is None else {k for k in only if k in self.stories}):
            members = [d for d in self.stories[key].members if not d.fixed][-opts.split_members :]
            if len(members) < 4:
                continue
            groups = self._subclusters(members)
            if len(groups) < 2:
                continue
            groups.sort(key=lambda g: (-len(g), g[0].position))
            for group in groups[1:]:
                if len(group) < 2:
                    continue
                new_key = self._open()
                self.stories[new_key].touched = True
                for doc in group:
                    self._move(doc, key, new_key)
                made.append(new_key)
        return made

    def _subclusters(self, docs: Sequence[_Doc]) -> list[list[_Doc]]:
        """Best-first average-link clustering of a few reports on the merge pass's rules."""
        opts = self.options
        n = len(docs)
        link = [[0.0] * n for _ in range(n)]  # summed pair probabilities between groups
        for i in range(n):
            for j in range(i + 1, n):
                link[i][j] = link[j][i] = self._p(docs[i], docs[j])
        groups: dict[int, list[int]] = {i: [i] for i in range(n)}
        inner = [0.0] * n  # summed pair probabilities within each group
        k = opts.compare_members
        while True:
            best: tuple[float, int, int] | None = None
            keys = sorted(groups)
            for x, a in enumerate(keys):
                for b in keys[x + 1 :]:
                    na, nb = len(groups[a]), len(groups[b])
                    p = link[a][b] / (na * nb)
                    if p < opts.threshold or (best is not None and p <= best[0]):
                        continue
                    if na > 1 and nb > 1:
                        tight = min(inner[a] / (na * (na - 1) / 2), inner[b] / (nb * (nb - 1) / 2))
                        if p < opts.cohesion_ratio * tight:
                            continue
                    ga, gb = [docs[i] for i in groups[a]][-k:], [docs[i] for i in groups[b]][-k:]
                    if _other_protagonist(ga, gb) or _other_story_names(ga, gb, self.freq):
                        continue
                    best = (p, a, b)
            if best is None:
                break
            _, a, b = best
            inner[a] += inner[b] + link[a][b]
            groups[a] += groups.pop(b)
            for c in groups:
                if c != a:
                    link[a][c] = link[c][a] = link[a][c] + link[b][c]
        return [sorted((docs[i] for i in g), key=lambda d: d.position) for g in groups.values()]

    def groups(self) -> list[list[str]]:
        """Stories (live and evicted) as lists of article ids, in order of their first report."""
        by_story: dict[str, list[str]] = {}
        for article_id, key in self.story_of.items():
            by_story.setdefault(key, []).append(article_id)
        pos = self.position_of
        out = [sorted(ids, key=pos.__getitem__) for ids in by_story.values()]
        out.sort(key=lambda ids: pos[ids[0]])
        return out

    def stats(self) -> dict[str, int]:
        """Sizes of the working set (for benchmarks and memory checks)."""
        return {
            "live_stories": len(self.stories),
            "live_reports": len(self.docs),
            "evicted_stories": self.evicted,
            "assignments": len(self.story_of),
            "df_keys": len(self.freq.df),
        }

    # -- internals
    def _open(self) -> str:
        self._next += 1
        key = f"s{self._next}"
        while key in self.stories or key in self.index:
            self._next += 1
            key = f"s{self._next}"
        self.stories[key] = _Story(key=key)
        return key

    def _place(self, doc: _Doc, story: _Story) -> None:
        before = story.latest
        story.insert(doc)
        if story.latest is not None and story.latest != before:
            heapq.heappush(self._by_latest, (story.latest.toordinal(), story.key))
        self.story_of[doc.article_id] = story.key
        self.position_of[doc.article_id] = doc.position
        self.docs[doc.article_id] = doc

    def _close_quiet(self, today: date) -> None:
        """Close the stories idle for ``evict_after_days``: passes on them, then out of memory."""
        horizon = int(self.options.evict_after_days or 0)
        cutoff = today.toordinal() - horizon
        closing: list[str] = []
        while self._by_latest and self._by_latest[0][0] < cutoff:
            latest, key = heapq.heappop(self._by_latest)
            story = self.stories.get(key)
            if story is not None and story.latest is not None and story.latest.toordinal() == latest:
                closing.append(key)
        self._trim_long_stories(cutoff, set(closing))
        if not closing:
            return
        if self.options.merge_pass:
            self._passes([k for k in closing if k in self.stories and self.stories[k].touched])
        for key in closing:
            story = self.stories.get(key)
            if story is None or story.latest is None or story.latest.toordinal() >= cutoff:
                continue  # merged away, or merged with a live story
            del self.stories[key]
            for doc in story.members:
                del self.docs[doc.article_id]
            self.index.discard(key)
            self.evicted += 1
        self.index.evict_before(date.fromordinal(max(1, cutoff)))

    def _trim_long_stories(self, cutoff: int, closing: set[str]) -> None:
        """Members of live stories older than the horizon leave memory too (re-homed first).

        A story that never goes quiet would otherwise hold all its reports; new
        reports are compared with its recent members only, so the old ones are
        not needed once the passes have looked at them.
        """
        old: list[_Doc] = []
        for key, story in self.stories.items():
            if key in closing or not story.members:
                continue
            first = story.members[0]
            if first.day is None or first.day.toordinal() >= cutoff:
                continue
            old.extend(d for d in story.members if d.day is not None and d.day.toordinal() < cutoff)
        if not old:
            return
        if self.options.merge_pass:
            movable = [d.article_id for d in old if not d.fixed]
            if movable:
                self.freeze()
                self.refine(rounds=1, only=movable)
                self.thaw()
        for doc in old:
            key = self.story_of[doc.article_id]
            story = self.stories.get(key)
            if story is None or doc.article_id not in self.docs:
                continue
            if story.latest is not None and story.latest.toordinal() < cutoff:
                continue  # it moved into a story that is quiet: that one closes with it
            story.remove(doc)
            del self.docs[doc.article_id]
            if not story.members:  # its newer reports moved elsewhere: nothing is left to compare with
                del self.stories[key]
                self.index.discard(key)

    def _passes(self, keys: Sequence[str]) -> None:
        """Re-home the movable reports of these stories, merge them best-first, re-home once more."""
        if not keys:
            return
        self.freeze()
        keys = [*keys, *self.split_pass(only=keys)]
        ids = [d.article_id for k in keys if k in self.stories for d in self.stories[k].members if not d.fixed]
        self.refine(only=ids)
        self.merge_pass(only=[k for k in keys if k in self.stories])
        self.refine(rounds=1, only=ids)
        self.thaw()

    def _doc(self, f: StoryFeatures, *, count: bool = True) -> _Doc:
        if count:
            self.freq.add(clustering_keys(f))
        names = {k: v for k, v in f.names.items()}
        doc = _Doc(
            article_id=f.article_id,
            position=self._position,
            terms=_unit(f.terms, self.freq, "t:"),
            names=_unit(names, self.freq, "n:"),
            name_set=frozenset(names),
            full_names=frozenset(n for n in names if " " in n),
            surnames=frozenset(n.rsplit(" ", 1)[-1] for n in names),
            persons=frozenset(
                last for n in names if 2 <= len(n.split()) <= 3 and (last := n.rsplit(" ", 1)[-1]) in names
            ),
            day=f.day,
            years=frozenset(f.years),
            numbers=frozenset(f.numbers),
            max_year=max(f.years) if f.years else None,
            weekdays=(weekdays := frozenset(t for t in f.terms if t in _WEEKDAYS)),
            weekday_days=_weekday_days(weekdays, f.day),
        )
        _key_names(doc, self.freq)  # weighed now, as its terms and names are: never by when it is first compared
        self._position += 1
        return doc

    def _p(self, a: _Doc, b: _Doc) -> float:
        """Same-event probability; memoised while frequencies are frozen (in the passes)."""
        cache = self._cache
        if cache is None:
            self.comparisons += 1
            return _same_event(a, b, self.freq, self.options)
        key = (a.position, b.position) if a.position < b.position else (b.position, a.position)
        p = cache.get(key)
        if p is None:
            if len(cache) >= _MEMO_LIMIT:
                cache.clear()  # bounded memory: recomputing is cheaper than holding everything
            self.comparisons += 1
            p = cache[key] = _same_event(a, b, self.freq, self.options)
        return p

    def _mean(self, doc: _Doc, members: Sequence[_Doc]) -> float:
        return sum(self._p(doc, m) for m in members) / len(members)

    def _link(self, doc: _Doc, story: _Story, beat: float | None = None) -> float:
        """Average link of a report to a story: over the story's members nearest it in arrival order.

        The nearest ``link_probe`` members are scored first; when they average
        under half the threshold the story is hopeless and the rest are skipped
        (most candidates that blocking proposes are such, and this is where the
        clusterer spends its time).

        ``beat``: the caller only needs the link if it reaches this value (the
        best link found so far). Once the members scored so far show the link
        must stay below it (every probability is at most 1, and the story-level
        guards only lower a link), scoring stops and a value below ``beat`` is
        returned: the caller decides exactly as it would on the full link.
        """
        near = story.near(doc, self.options.compare_members)
        if not near:
            return 0.0
        opts = self.options
        if beat is not None and max(opts.protagonist_factor, opts.figures_factor, opts.names_factor) > 1.0:
            beat = None  # a guard could raise the link: no bound holds
        probe = self.options.link_probe
        if len(near) <= probe:
            p = self._mean(doc, near)
        else:
            head = sum(self._p(doc, m) for m in near[:probe])
            if head < probe * 0.5 * self.options.threshold:
                return head / probe
            if beat is None:
                p = (head + sum(self._p(doc, m) for m in near[probe:])) / len(near)
            else:
                n = len(near)
                bar = beat - _BOUND_SLACK
                rest: list[float] = []
                running = head
                for i in range(probe, n):
                    bound = (running + (n - i)) / n  # every member not yet scored at 1
                    if bound < bar:
                        return bound
                    rest.append(self._p(doc, near[i]))
                    running += rest[-1]
                p = (head + sum(rest)) / n  # summed as above: the same float as without ``beat``
        if beat is not None and p < beat - _BOUND_SLACK:
            return p  # the guards below only lower it
        if p >= 0.5 * self.options.threshold:
            if _other_protagonist([doc], near):
                p *= self.options.protagonist_factor
            if _other_figures(doc, near):
                p *= self.options.figures_factor
            if _other_names(doc, near, self.freq):
                p *= self.options.names_factor
        return p

    def _average(self, a: Sequence[_Doc], b: Sequence[_Doc]) -> float:
        """Average link of two stories over their most recent members (a probe of a few first, as in :meth:`_link`)."""
        probe = self.options.link_probe
        if len(a) > probe or len(b) > probe:
            pa, pb = a[-probe:], b[-probe:]
            head = sum(self._p(x, y) for x in pa for y in pb) / (len(pa) * len(pb))
            if head < 0.5 * self.options.threshold:
                return head
        k = self.options.merge_members
        a, b = a[-k:], b[-k:]
        return sum(self._p(x, y) for x in a for y in b) / (len(a) * len(b))

    def freeze(self) -> None:
        """Stop counting frequencies changes: from now on pair probabilities are memoised."""
        if self._cache is None:
            self._cache = {}

    def thaw(self) -> None:
        """Drop the memo (call before adding more reports)."""
        self._cache = None

    def _candidates(self, features: StoryFeatures, limit: int | None = None) -> list[str]:
        """Stories to compare a report with: all of them while few, else the best ``limit`` blocking finds."""
        if len(self.stories) + self.hidden <= self.options.exhaustive_below:
            return sorted(self.stories)
        return self.index.candidates(features)[: self.options.max_candidates if limit is None else limit]

    def _story_candidates(self, story: _Story) -> list[str]:
        seen: dict[str, None] = {}
        for doc in story.members[-self.options.merge_probes :]:
            for key in self._candidates(self._features_of(doc), self.options.pass_candidates):
                seen.setdefault(key, None)
        return list(seen)

    @staticmethod
    def _features_of(doc: _Doc) -> StoryFeatures:
        return StoryFeatures(
            article_id=doc.article_id,
            terms=dict.fromkeys(doc.terms, 1),
            names=dict.fromkeys(doc.name_set, 1),
            day=doc.day,
            years=sorted(doc.years),
        )

    def _move(self, doc: _Doc, src: str, dst: str) -> None:
        story = self.stories[src]
        story.remove(doc)
        self._place(doc, self.stories[dst])
        self.index.add(dst, self._features_of(doc), count=False)
        if not story.members:
            del self.stories[src]
            self.index.discard(src)

    def _merge(self, key: str, into: str) -> None:
        a, b = self.stories.pop(key), self.stories[into]
        b.touched = b.touched or a.touched
        for doc in a.members:
            self._place(doc, b)
        for doc in a.members[-2 * self.options.compare_members :]:
            self.index.add(into, self._features_of(doc), count=False)
        self.index.discard(key)


def cluster(features: Sequence[StoryFeatures], options: ClusterOptions | None = None) -> list[list[str]]:
    """Partition the articles into stories; returns lists of article ids.

    Reports are streamed in date order (undated ones last, input order within a
    day), then the merge pass runs. Stories are ordered by their earliest
    member's position in ``features`` and members keep input order.
    """
    if not features:
        return []
    return update_stories(features, {}, options)[0]


def _batch_docs(features: Sequence[StoryFeatures], opts: ClusterOptions) -> tuple[list[_Doc], _Frequencies]:
    """Vectors with document frequencies taken from all of ``features`` at once."""
    freq = _Frequencies()
    for f in features:
        freq.add(clustering_keys(f))
    stream = StreamClusterer(opts)
    stream.freq = _FrozenFrequencies(freq)
    return [stream._doc(f) for f in features], freq


def pairwise_evidence(
    features: Sequence[StoryFeatures], options: ClusterOptions | None = None
) -> list[tuple[int, int, list[float]]]:
    """Model features of every pair worth scoring (all-pairs: for fitting and evaluation)."""
    opts = options or ClusterOptions()
    docs, freq = _batch_docs(features, opts)
    out = []
    for i in range(len(docs)):
        for j in range(i + 1, len(docs)):
            if _worth_scoring(docs[i], docs[j]):
                out.append((i, j, pair_evidence(docs[i], docs[j], freq)))
    return out


def similarity_matrix(features: Sequence[StoryFeatures], options: ClusterOptions | None = None) -> list[list[float]]:
    """Same-event probability of every pair (all-pairs: for evaluation and small sets only)."""
    opts = options or ClusterOptions()
    docs, freq = _batch_docs(features, opts)
    n = len(docs)
    out = [[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            out[i][j] = out[j][i] = _same_event(docs[i], docs[j], freq, opts)
    return out


class _FrozenFrequencies(_Frequencies):
    """Frequencies that ignore further counting (batch scoring)."""

    def __init__(self, base: _Frequencies) -> None:
        self.documents = base.documents
        self.df = base.df
        self.max_keys = base.max_keys
        self.base = base.base
        self.base_documents = base.base_documents
        self._memo = {}

    def add(self, keys: Iterable[str]) -> None:
        return None


def pair_probabilities(
    features: Sequence[StoryFeatures], pairs: Iterable[tuple[int, int]], options: ClusterOptions | None = None
) -> list[float]:
    """Same-event probability of the given index pairs, document frequencies from all of ``features``."""
    opts = options or ClusterOptions()
    docs, freq = _batch_docs(features, opts)
    return [_same_event(docs[i], docs[j], freq, opts) for i, j in pairs]


def pairwise_features_of(
    features: Sequence[StoryFeatures], pairs: Iterable[tuple[int, int]], options: ClusterOptions | None = None
) -> list[list[float]]:
    """Model features of the given index pairs (for fitting the same-event model)."""
    opts = options or ClusterOptions()
    docs, freq = _batch_docs(features, opts)
    return [pair_evidence(docs[i], docs[j], freq) for i, j in pairs]


CLUSTERER_ID = "stream-1"  # stored with story membership; change it when clustering changes meaning


def update_stories(
    features: Sequence[StoryFeatures],
    known: Mapping[str, str],
    options: ClusterOptions | None = None,
) -> tuple[list[list[str]], dict[str, str]]:
    """Add new reports to the stories a previous run left, without re-clustering everything.

    ``known`` maps article id -> story key for reports already placed; those
    are restored without comparing anything and never move. The rest of
    ``features`` are streamed in (date order); only they are re-homed and only
    the stories they touched look for merges (as each goes quiet, and at the
    end). Restored stories older than ``evict_after_days`` before the new
    reports simply leave memory. With nothing known this is :func:`cluster`.
    Returns the groups (ordered as :func:`cluster` orders them) and the new
    article id -> story key map to store.

    This restores every known report; a store restores only the stories still
    open (:func:`extend_stories`, which gives the same stories).
    """
    opts = options or ClusterOptions()
    old = sorted((f for f in features if f.article_id in known), key=_restore_order)
    new = [f for f in features if f.article_id not in known]
    if not old:
        stream = StreamClusterer(opts)
        for f in sorted(new, key=_restore_order):
            stream.add(f)
        if new:
            stream.finish()
        story_of = dict(stream.story_of)
    else:
        story_of = dict(known)
        story_of.update(
            extend_stories(
                [(f, known[f.article_id], i) for i, f in enumerate(old)],
                new,
                df=document_frequencies(old),
                documents=len(old),
                taken=known.values(),
                options=opts,
            )
        )
        story_of = {f.article_id: story_of[f.article_id] for f in features}
    position = {f.article_id: i for i, f in enumerate(features)}
    return groups_in_order(story_of, position), story_of


def _restore_order(f: StoryFeatures) -> date:
    return f.day or date.max


def groups_in_order(story_of: Mapping[str, str], position: Mapping[str, int]) -> list[list[str]]:
    """Article id -> story key as groups of ids: members and groups in ``position`` order (as :func:`cluster`)."""
    by_story: dict[str, list[str]] = {}
    for article_id, key in story_of.items():
        by_story.setdefault(key, []).append(article_id)
    groups = [sorted(g, key=position.__getitem__) for g in by_story.values()]
    groups.sort(key=lambda g: position[g[0]])
    return groups


def open_since(new: Sequence[StoryFeatures], options: ClusterOptions | None = None) -> date | None:
    """The day from which a stored story is still open to these new reports, or None for every story.

    The stream closes a story whose latest report is ``evict_after_days`` before
    the earliest new report's day; it never closes one with no dated report, nor
    any story when a new report is undated (it arrives last and closes nothing)
    or when eviction is off.
    """
    opts = options or ClusterOptions()
    if not new or opts.evict_after_days is None or any(f.day is None for f in new):
        return None
    first = min(f.day for f in new if f.day is not None)
    return date.fromordinal(max(1, first.toordinal() - int(opts.evict_after_days)))


def extend_stories(
    restored: Sequence[tuple[StoryFeatures, str, int]],
    new: Sequence[StoryFeatures],
    *,
    df: Mapping[str, int],
    documents: int,
    taken: Iterable[str] = (),
    hidden: int = 0,
    options: ClusterOptions | None = None,
) -> dict[str, str]:
    """Stream new reports into the stories still open, restored from a previous run.

    ``restored`` holds (features, story key, position) of the reports of every
    story open on :func:`open_since` of the new reports: all members of those
    stories, positioned by rank among all ``documents`` reports placed before
    (by day, undated last, then arrival), whose document frequencies are ``df``.
    ``taken`` lists every story key in use. Stories not restored would have
    closed before the first new report was compared with anything, so the result
    is the one a restore of every report gives. A caller may restore only the
    open stories that are candidates for the new reports (sharing rare keys with
    them), ``hidden`` counting the others. Returns article id -> story key
    for the restored and the new reports (restored ones may have changed story
    when a touched story merged with theirs).
    """
    opts = options or ClusterOptions()
    stream = StreamClusterer(opts)
    stream.restore(
        [f for f, _, _ in restored],
        {f.article_id: key for f, key, _ in restored},
        positions={f.article_id: pos for f, _, pos in restored},
        df=df,
        documents=documents,
        taken=taken,
        hidden=hidden,
    )
    for f in sorted(new, key=_restore_order):
        stream.add(f)
    if new:
        stream.finish()
    return dict(stream.story_of)
