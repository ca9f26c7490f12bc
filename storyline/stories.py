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
years, figures) fitted on labelled events (``bench/stories_ecbplus.py --fit``),
damped by the time between the reports. The report joins the candidate with
the highest average-link probability when that reaches a threshold calibrated
on the same labelled events, or opens
a story of its own. A final merge pass joins stories that the stream split
(average link again), which also makes the result depend little on the order
reports arrive in (``bench/stories_ecbplus.py`` measures it).

Document frequencies are counted as reports arrive, so a term's weight
reflects the corpus seen so far; nothing is refitted.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from .blocking import BlockingOptions, CandidateIndex


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
    return StoryFeatures(
        article_id=article_id,
        terms=dict(terms),
        names=dict(names),
        title_terms=title_terms,
        day=day,
        years=years,
        numbers=numbers,
    )


def content_terms(doc: Any) -> dict[str, int]:
    """Content words of a spaCy ``Doc`` (kept for callers that have one)."""
    return dict(_terms(doc.text))


# ---------------------------------------------------------------- options and model


# BEGIN FITTED WEIGHTS (bench/stories_ecbplus.py --fit, ECB+ Train)
_WEIGHTS: tuple[float, ...] = (12.53, 1.358, -12.217, -0.069, 0.066, 1.99, 0.723, -2.882, -0.104, -0.153, 2.243, -2.085, 3.573, -1.75, -0.055)
_BIAS: float = -3.312
_THRESHOLD: float = 0.3
_COHESION_RATIO: float = 0.6
# END FITTED WEIGHTS


@dataclass(frozen=True, kw_only=True)
class ClusterOptions:
    threshold: float = _THRESHOLD  # average same-event probability a report needs to join a story
    half_life_days: float = 10.0  # how fast the closeness prior fades with the gap between reports
    closeness_prior: float = 1.5  # log-odds added for two dated reports of the same day, fading with the gap
    max_gap_days: float = 60.0  # reports further apart are never one story (a story is compared by its recent members)
    compare_members: int = 16  # members of a story a report is compared with (most recent)
    merge_pass: bool = True  # join stories the stream split
    exhaustive_below: int = 32  # with this few live stories, compare with all of them (blocking is for scale)
    cohesion_ratio: float = _COHESION_RATIO  # two stories merge only if their link is this share of their cohesion
    evict_after_days: float | None = None  # drop stories idle this long from the candidate index
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


PRIOR_DOCUMENTS = 100


class _Frequencies:
    """Document frequencies of terms and names, counted as reports arrive."""

    def __init__(self) -> None:
        self.documents = 0
        self.df: Counter[str] = Counter()

    def add(self, keys: Iterable[str]) -> None:
        self.documents += 1
        self.df.update(keys)

    def idf(self, key: str) -> float:
        # PRIOR_DOCUMENTS pseudo-documents that contain no term keep a small
        # corpus from weighting every shared word down to nothing.
        n = self.documents + PRIOR_DOCUMENTS
        return math.log((1 + n) / (1 + self.df.get(key, 0))) + 1.0


def _unit(counts: Mapping[str, int], freq: _Frequencies, prefix: str) -> dict[str, float]:
    vec = {k: (1.0 + math.log(c)) * freq.idf(prefix + k) for k, c in counts.items() if c > 0}
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {k: v / norm for k, v in vec.items()} if norm else {}


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def pair_evidence(a: _Doc, b: _Doc, freq: _Frequencies) -> list[float]:
    """The features the same-event model reads, in FEATURE_NAMES order."""
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
    if not _worth_scoring(a, b):
        return 0.0
    return _logistic(pair_evidence(a, b, freq), prior)


def _worth_scoring(a: _Doc, b: _Doc) -> bool:
    """Cheap pre-check: below these, two reports are never one event."""
    if _dot(a.terms, b.terms) >= _MIN_TERM_COS:
        return True
    return bool(a.name_set & b.name_set) and _dot(a.names, b.names) >= 0.5


# ---------------------------------------------------------------- the stream

_MEMO_LIMIT = 1_000_000


@dataclass
class _Story:
    key: str
    members: list[_Doc]
    latest: date | None = None


class StreamClusterer:
    """Assign reports to stories one at a time; see the module docstring.

    >>> s = StreamClusterer()
    >>> s.add(fast_features("a", "Floods cut the Ravel valley road; Mayor Ann Okafor ordered evacuations."))
    's1'
    """

    def __init__(self, options: ClusterOptions | None = None) -> None:
        self.options = options or ClusterOptions()
        self.index = CandidateIndex(self.options.blocking)
        self.freq = _Frequencies()
        self.stories: dict[str, _Story] = {}
        self.story_of: dict[str, str] = {}
        self._next = 0
        self._position = 0
        self.comparisons = 0
        self._cache: dict[tuple[int, int], float] | None = None

    # -- public
    def add(self, features: StoryFeatures) -> str:
        """Place one report; returns the key of the story it joined or opened."""
        if features.article_id in self.story_of:
            return self.story_of[features.article_id]
        self.thaw()
        doc = self._doc(features)
        best_key, best_p = None, 0.0
        for key in self._candidates(features):
            story = self.stories.get(key)
            if story is None:
                continue
            p = self._link(doc, story.members)
            if p > best_p or (p == best_p and best_key is not None and key < best_key):
                best_key, best_p = key, p
        if best_key is None or best_p < self.options.threshold:
            self._next += 1
            best_key = f"s{self._next}"
            self.stories[best_key] = _Story(key=best_key, members=[])
        story = self.stories[best_key]
        story.members.append(doc)
        if doc.day is not None and (story.latest is None or doc.day > story.latest):
            story.latest = doc.day
        self.story_of[doc.article_id] = best_key
        self.index.add(best_key, features)
        if self.options.evict_after_days is not None and doc.day is not None:
            self._evict(doc.day)
        return best_key

    def add_all(self, features: Iterable[StoryFeatures]) -> None:
        for f in features:
            self.add(f)

    def restore(self, features: Iterable[StoryFeatures], story_keys: Mapping[str, str]) -> None:
        """Put reports back into the stories a previous run gave them, without comparing anything."""
        for f in features:
            key = story_keys[f.article_id]
            doc = self._doc(f)
            story = self.stories.setdefault(key, _Story(key=key, members=[]))
            story.members.append(doc)
            if doc.day is not None and (story.latest is None or doc.day > story.latest):
                story.latest = doc.day
            self.story_of[doc.article_id] = key
            self.index.add(key, f)
            number = key[1:]
            if key.startswith("s") and number.isdigit():
                self._next = max(self._next, int(number))

    def refine(self, rounds: int = 2, *, only: Iterable[str] | None = None) -> int:
        """Move each report to the story it now fits best; returns moves made.

        A report placed early saw few of its story's members; once the stream
        is through, it is compared again (average link) with its own story and
        with the candidate stories, and moves when another fits clearly better.
        """
        moves = 0
        margin = 0.02
        for _ in range(rounds):
            moved = 0
            docs = sorted((d for st in self.stories.values() for d in st.members), key=lambda d: d.position)
            if only is not None:
                wanted = set(only)
                docs = [d for d in docs if d.article_id in wanted]
            for doc in docs:
                own_key = self.story_of[doc.article_id]
                own = self.stories[own_key]
                others = [m for m in own.members if m is not doc]
                stay = self._link(doc, others) if others else self.options.threshold
                best_key, best_p = own_key, stay + margin
                for key in self._candidates(self._features_of(doc)):
                    story = self.stories.get(key)
                    if story is None or key == own_key:
                        continue
                    p = self._link(doc, story.members)
                    if p > best_p or (p == best_p and key < best_key):
                        best_key, best_p = key, p
                if best_key != own_key:
                    self._move(doc, own_key, best_key)
                    moved += 1
            moves += moved
            if not moved:
                break
        return moves

    def merge_pass(self, *, only: Iterable[str] | None = None) -> int:
        """Join stories best-first while their average link reaches the threshold; returns merges.

        With ``only`` (story keys), just those stories look for partners.
        """
        import heapq

        threshold = self.options.threshold
        version: dict[str, int] = {k: 0 for k in self.stories}
        heap: list[tuple[float, str, str, int, int]] = []

        cohesion: dict[tuple[str, int], float] = {}

        def cohesion_of(key: str) -> float | None:
            members = self.stories[key].members[-self.options.compare_members :]
            if len(members) < 2:
                return None
            tag = (key, version[key])
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
                a, b = sorted((key, other_key))
                heapq.heappush(heap, (-p, a, b, version[a], version[b]))

        for key in sorted(self.stories if only is None else {k for k in only if k in self.stories}):
            push(key)
        merges = 0
        while heap:
            _, a, b, va, vb = heapq.heappop(heap)
            if a not in self.stories or b not in self.stories or version[a] != va or version[b] != vb:
                continue
            keep, drop = sorted((a, b), key=lambda k: self.stories[k].members[0].position)
            self._merge(drop, keep)
            version[keep] += 1
            merges += 1
            push(keep)
        return merges

    def groups(self) -> list[list[str]]:
        """Stories as lists of article ids, in order of their first report."""
        out = [sorted(s.members, key=lambda d: d.position) for s in self.stories.values()]
        out.sort(key=lambda m: m[0].position)
        return [[d.article_id for d in m] for m in out]

    # -- internals
    def _doc(self, f: StoryFeatures) -> _Doc:
        self.freq.add([*("t:" + t for t in f.terms), *("n:" + n for n in f.names)])
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
        )
        self._position += 1
        return doc

    def _p(self, a: _Doc, b: _Doc) -> float:
        """Same-event probability; memoised once the stream is through (frequencies fixed)."""
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

    def _link(self, doc: _Doc, members: Sequence[_Doc]) -> float:
        recent = members[-self.options.compare_members :]
        return sum(self._p(doc, m) for m in recent) / len(recent)

    def _average(self, a: Sequence[_Doc], b: Sequence[_Doc]) -> float:
        k = self.options.compare_members
        a, b = a[-k:], b[-k:]
        return sum(self._p(x, y) for x in a for y in b) / (len(a) * len(b))

    def freeze(self) -> None:
        """Stop counting frequencies changes: from now on pair probabilities are memoised."""
        if self._cache is None:
            self._cache = {}

    def thaw(self) -> None:
        """Drop the memo (call before adding more reports)."""
        self._cache = None

    def _candidates(self, features: StoryFeatures) -> list[str]:
        """Stories to compare a report with: all of them while few, else what blocking finds."""
        if len(self.stories) <= self.options.exhaustive_below:
            return sorted(self.stories)
        return self.index.candidates(features)

    def _story_candidates(self, story: _Story) -> list[str]:
        seen: dict[str, None] = {}
        for doc in story.members[-self.options.compare_members :]:
            for key in self._candidates(self._features_of(doc)):
                seen.setdefault(key, None)
        return list(seen)

    @staticmethod
    def _features_of(doc: _Doc) -> StoryFeatures:
        return StoryFeatures(
            article_id=doc.article_id,
            terms={k: 1 for k in doc.terms},
            names={k: 1 for k in doc.name_set},
            day=doc.day,
            years=sorted(doc.years),
        )

    def _move(self, doc: _Doc, src: str, dst: str) -> None:
        story = self.stories[src]
        story.members = [m for m in story.members if m is not doc]
        target = self.stories[dst]
        target.members = sorted([*target.members, doc], key=lambda d: d.position)
        if doc.day is not None and (target.latest is None or doc.day > target.latest):
            target.latest = doc.day
        self.story_of[doc.article_id] = dst
        self.index.add(dst, self._features_of(doc))
        if not story.members:
            del self.stories[src]
            discard = getattr(self.index, "discard", None)
            if discard is not None:
                discard(src)

    def _merge(self, key: str, into: str) -> None:
        a, b = self.stories.pop(key), self.stories[into]
        b.members = sorted(a.members + b.members, key=lambda d: d.position)
        if a.latest is not None and (b.latest is None or a.latest > b.latest):
            b.latest = a.latest
        for doc in a.members:
            self.story_of[doc.article_id] = into
            self.index.add(into, self._features_of(doc))
        discard = getattr(self.index, "discard", None)
        if discard is not None:
            discard(key)

    def _evict(self, today: date) -> None:
        horizon = self.options.evict_after_days or 0.0
        cutoff = date.fromordinal(max(1, today.toordinal() - int(horizon)))
        self.index.evict_before(cutoff)


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
        freq.add([*("t:" + t for t in f.terms), *("n:" + n for n in f.names)])
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

    ``known`` maps article id -> story key for reports already placed; the rest
    of ``features`` are streamed in (date order), then only they are re-homed
    and only the stories they touched look for merges. With nothing known this
    is :func:`cluster`. Returns the groups (ordered as :func:`cluster` orders
    them) and the new article id -> story key map to store.
    """
    opts = options or ClusterOptions()
    old = [f for f in features if f.article_id in known]
    new = [f for f in features if f.article_id not in known]
    stream = StreamClusterer(opts)
    stream.restore(old, known)
    for f in sorted(new, key=lambda f: f.day or date.max):
        stream.add(f)
    if opts.merge_pass and new:
        stream.freeze()
        ids = [f.article_id for f in new]
        if old:
            stream.refine(only=ids)
            stream.merge_pass(only={stream.story_of[i] for i in ids})
        else:
            stream.refine()
            stream.merge_pass()
            stream.refine(rounds=1)
    position = {f.article_id: i for i, f in enumerate(features)}
    groups = [sorted(g, key=position.__getitem__) for g in stream.groups()]
    groups.sort(key=lambda g: position[g[0]])
    return groups, dict(stream.story_of)
