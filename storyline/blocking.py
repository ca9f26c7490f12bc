"""Candidate stories for a new report: blocking, so clustering never compares all pairs.

A report is compared only with the stories this index proposes for it. Three
signals decide which:

* **MinHash LSH** (the ``rensa`` package) over the report's set of word and
  name keys finds copies and light rewrites of a recent member, however common
  their vocabulary. Only the most recent members of a story keep a signature in
  the index.
* **Shared rare keys.** An inverted index maps names and rare content words
  (rarity by document frequency counted as reports arrive) to the stories that
  use them. A report looks up only its rarest keys, and a story needs enough
  shared evidence (a name, or several rare words) to become a candidate. A key
  found in more than ``max_postings`` live stories is too common to block on:
  its postings are dropped and it is no longer looked up.
* **Hot keys share out their candidacy.** A key found in more than
  ``hot_postings`` live stories (m of them) counts for each only
  ``hot_postings / m`` of a shared key towards ``min_shared``. What a key
  hands out is thus bounded however many reports a day use it, and so are the
  candidates of a lookup (at most ``keys_per_article * hot_postings *
  name_weight / min_shared`` besides copies): at ten times the reports a day a
  report still finds its story by the keys specific to it, while the stories
  that only share its hot keys (events of the same kind, the same places) no
  longer all become candidates. The ranking is unchanged (the shared keys'
  inverse document frequencies).
* **Time.** A story whose latest member is more than ``window_days`` away from
  the report's day is not a candidate; undated reports, and stories with no
  dated member, are not filtered by time.

Memory is bounded per story (a few signatures and at most ``keys_per_story``
keys), and :meth:`CandidateIndex.evict_before` drops stories that went quiet.
The table of document frequencies is bounded too: past ``max_df_keys``
distinct keys, the keys seen in the fewest reports are pruned
(:func:`prune_rare`), so a pruned key reads as unseen, i.e. as rare as it was.

Output is deterministic: candidates are ranked copies first, then by shared
evidence, then by the order stories were first indexed.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from rensa import RMinHash, RMinHashLSH

if TYPE_CHECKING:
    from .stories import StoryFeatures

__all__ = ["BlockingOptions", "CandidateIndex", "blocking_keys", "prune_rare", "rarest_keys"]


@dataclass(frozen=True, kw_only=True)
class BlockingOptions:
    """Knobs of the candidate index; the defaults suit news streams of up to millions of reports."""

    num_perm: int = 64  # MinHash permutations per signature
    bands: int = 16  # LSH bands (rows per band = num_perm // bands): Jaccard ~0.5 is the turning point
    seed: int = 17  # MinHash seed (fixed: signatures are compared across calls)
    signatures_per_story: int = 8  # most recent members of a story kept in the LSH
    keys_per_article: int = 24  # rarest keys of a report looked up and indexed
    keys_per_story: int = 96  # keys a story keeps in the inverted index (the most weighted)
    max_postings: int = 64  # a key in more live stories than this is too common to block on
    name_weight: float = 2.0  # a shared name counts as this many shared words
    min_shared: float = 2.0  # shared-key count (names weighted) a story needs, unless LSH found it
    window_days: int = 30  # stories idle longer than this before (or starting after) the report are skipped
    max_candidates: int = 48  # at most this many candidates, best first
    max_df_keys: int = 200_000  # document-frequency table size; rarest keys are pruned past it
    # A key in more live stories than ``hot_postings`` counts, for each of them, only
    # ``hot_postings / (their number)`` of a shared key towards ``min_shared``: a key hands out at
    # most this many stories' worth of candidacy, however many reports a day use it. None: every
    # shared key counts fully (the number of candidates then grows with the density of stories).
    hot_postings: int | None = 3

    def __post_init__(self) -> None:
        if self.num_perm < 1 or self.bands < 1 or self.num_perm % self.bands:
            raise ValueError("num_perm must be a positive multiple of bands")
        if min(self.signatures_per_story, self.keys_per_article, self.keys_per_story, self.max_postings) < 1:
            raise ValueError("per-story and per-article limits must be at least 1")
        if self.window_days < 0 or self.max_candidates < 1:
            raise ValueError("window_days must be >= 0 and max_candidates >= 1")
        if self.max_df_keys < 1:
            raise ValueError("max_df_keys must be at least 1")
        if self.hot_postings is not None and self.hot_postings < 1:
            raise ValueError("hot_postings must be at least 1 (or None)")


def prune_rare(counts: Counter[str], max_keys: int) -> int:
    """Keep a frequency table at most ``max_keys`` long by dropping its rarest keys; returns how many went.

    Keys are dropped by count, lowest first, until at most half of ``max_keys``
    remain (so pruning is rare and its cost amortised); keys with equal counts
    go together, so the result does not depend on the order keys were seen.
    """
    if len(counts) <= max_keys:
        return 0
    by_count = Counter(counts.values())
    keep_at_most = max_keys // 2
    remaining = len(counts)
    floor = 0
    for count in sorted(by_count):
        if remaining <= keep_at_most:
            break
        remaining -= by_count[count]
        floor = count
    dropped = [k for k, c in counts.items() if c <= floor]
    for k in dropped:
        del counts[k]
    return len(dropped)


@dataclass(slots=True)
class _StoryState:
    seq: int  # order the story was first indexed: the final tie-break
    keys: dict[str, float] = field(default_factory=dict)  # indexed key -> accumulated weight
    signatures: deque[int] = field(default_factory=deque)  # LSH ids of recent members
    earliest: int | None = None  # date ordinals of dated members
    latest: int | None = None


class CandidateIndex:
    """Stories indexed for blocking; see the module docstring.

    >>> from storyline.stories import fast_features
    >>> index = CandidateIndex()
    >>> index.add("s1", fast_features("a", "Mayor Ann Okafor ordered the Ravel valley evacuated after floods."))
    >>> index.candidates(fast_features("b", "Floods: Ann Okafor orders the Ravel valley evacuated."))
    ['s1']
    """

    def __init__(self, options: BlockingOptions | None = None) -> None:
        self.options = options or BlockingOptions()
        opts = self.options
        self._lsh = RMinHashLSH(0.5, opts.num_perm, opts.bands)
        self._story_of_signature: dict[int, str] = {}
        self._next_signature = 0
        self._stories: dict[str, _StoryState] = {}
        self._next_seq = 0
        self._postings: dict[str, dict[str, None]] = {}
        self._saturated: dict[str, int] = {}  # too-common key -> date ordinal it saturated (0: undated)
        self._df: Counter[str] = Counter()
        self._documents = 0
        self._base_df: Mapping[str, int] = {}  # frequencies counted before this run (read-only)
        self._base_documents = 0
        self._by_latest: list[tuple[int, int, str]] = []  # (latest ordinal, seq, story key), lazily updated
        self._cached: tuple[StoryFeatures, tuple[str, ...], RMinHash | None] | None = None

    # ------------------------------------------------------------------ public

    def add(self, story_key: str, features: StoryFeatures, *, count: bool = True, sign: bool = True) -> None:
        """Record that the report described by ``features`` joined ``story_key``.

        ``count=False`` when a report already indexed moves to another story
        (its keys are not counted twice in the document frequencies).
        ``sign=False`` skips its MinHash signature: for a restored report that
        is not among its story's ``signatures_per_story`` latest (whose
        signature would leave the LSH at once).
        """
        opts = self.options
        if sign:
            keys, signature = self._keys_and_signature(features)
        else:
            keys, signature = _keys(features), None
        if count:
            self._documents += 1
            self._df.update(keys)
            if len(self._df) > opts.max_df_keys:
                prune_rare(self._df, opts.max_df_keys)
        story = self._stories.get(story_key)
        if story is None:
            story = self._stories[story_key] = _StoryState(seq=self._next_seq)
            self._next_seq += 1
        day = features.day.toordinal() if features.day is not None else None
        if day is not None:
            if story.earliest is None or day < story.earliest:
                story.earliest = day
            if story.latest is None or day > story.latest:
                story.latest = day
                heapq.heappush(self._by_latest, (day, story.seq, story_key))
        if signature is not None:
            sid = self._next_signature
            self._next_signature += 1
            self._lsh.insert(sid, signature)
            self._story_of_signature[sid] = story_key
            story.signatures.append(sid)
            while len(story.signatures) > opts.signatures_per_story:
                self._drop_signature(story.signatures.popleft())
        for key in self._rare_keys(keys):
            story.keys[key] = story.keys.get(key, 0.0) + self._weight(key)
            postings = self._postings.setdefault(key, {})
            postings[story_key] = None
            if len(postings) > opts.max_postings:
                del self._postings[key]
                self._saturated[key] = day or 0
        if len(story.keys) > opts.keys_per_story * 3 // 2:
            self._trim_keys(story_key, story)

    def seed(self, df: Mapping[str, int], documents: int) -> None:
        """Document frequencies counted before (over ``documents`` reports); reports added with
        ``count=False`` are taken to be among them."""
        self._base_df, self._base_documents = df, documents

    def candidates(self, features: StoryFeatures) -> list[str]:
        """Keys of the stories worth comparing with this report, best first, at most ``max_candidates``."""
        opts = self.options
        keys, signature = self._keys_and_signature(features)
        copies: set[str] = set()
        if signature is not None and self._story_of_signature:
            copies = {self._story_of_signature[sid] for sid in self._lsh.query(signature)}
        shared: dict[str, float] = {}
        evidence: dict[str, float] = {}
        hot = opts.hot_postings
        for key in self._rare_keys(keys):
            postings = self._postings.get(key)
            if not postings:
                continue
            weight = self._weight(key)
            count = opts.name_weight if key.startswith("n:") else 1.0
            if hot is not None and len(postings) > hot:
                count *= hot / len(postings)  # a hot key: its candidacy is shared out (see BlockingOptions)
            for story_key in postings:
                shared[story_key] = shared.get(story_key, 0.0) + count
                evidence[story_key] = evidence.get(story_key, 0.0) + weight
        bar = opts.min_shared - 1e-9  # shares of hot keys are fractions: no rounding may drop a story
        found = copies | {k for k, c in shared.items() if c >= bar}
        day = features.day.toordinal() if features.day is not None else None
        ranked = []
        for story_key in found:
            story = self._stories[story_key]
            if day is not None and story.latest is not None:
                assert story.earliest is not None
                if day - story.latest > opts.window_days or story.earliest - day > opts.window_days:
                    continue
            ranked.append((story_key not in copies, -evidence.get(story_key, 0.0), story.seq, story_key))
        ranked.sort()
        return [r[3] for r in ranked[: opts.max_candidates]]

    def evict_before(self, day: date) -> int:
        """Drop the stories whose latest dated member is older than ``day``; returns how many.

        Keys that became too common before ``day`` may be blocked on again.
        """
        cutoff = day.toordinal()
        dropped = 0
        while self._by_latest and self._by_latest[0][0] < cutoff:
            latest, _, story_key = heapq.heappop(self._by_latest)
            story = self._stories.get(story_key)
            if story is not None and story.latest == latest:
                self.discard(story_key)
                dropped += 1
        if self._saturated:
            self._saturated = {k: d for k, d in self._saturated.items() if d == 0 or d >= cutoff}
        return dropped

    def discard(self, story_key: str) -> None:
        """Forget a story (e.g. after it was merged into another); unknown keys are ignored."""
        story = self._stories.pop(story_key, None)
        if story is None:
            return
        for sid in story.signatures:
            self._drop_signature(sid)
        for key in story.keys:
            postings = self._postings.get(key)
            if postings is not None:
                postings.pop(story_key, None)
                if not postings:
                    del self._postings[key]

    def __len__(self) -> int:
        return len(self._stories)

    def __contains__(self, story_key: object) -> bool:
        return story_key in self._stories

    def stats(self) -> dict[str, int]:
        """Sizes of the index's structures (for benchmarks and memory checks)."""
        return {
            "stories": len(self._stories),
            "signatures": len(self._story_of_signature),
            "posting_keys": len(self._postings),
            "postings": sum(len(p) for p in self._postings.values()),
            "saturated_keys": len(self._saturated),
            "df_keys": len(self._df),
            "documents": self._documents,
        }

    # --------------------------------------------------------------- internals

    def _keys_and_signature(self, features: StoryFeatures) -> tuple[tuple[str, ...], RMinHash | None]:
        cached = self._cached
        if cached is not None and cached[0] is features:
            return cached[1], cached[2]
        keys = _keys(features)
        signature = None
        if keys:
            signature = RMinHash(self.options.num_perm, self.options.seed)
            signature.update(list(keys))
        self._cached = (features, keys, signature)
        return keys, signature

    def _rare_keys(self, keys: Iterable[str]) -> list[str]:
        """The report's rarest keys that are not too common to block on (names count as rarer)."""
        saturated = self._saturated
        return rarest_keys(
            (k for k in keys if k not in saturated), self._df, self._base_df, self.options, self.options.keys_per_article
        )

    def _weight(self, key: str) -> float:
        documents = self._documents + self._base_documents
        return math.log((documents + 1) / (self._df.get(key, 0) + self._base_df.get(key, 0) + 1)) + 1.0

    def _drop_signature(self, sid: int) -> None:
        self._lsh.remove(sid)
        self._story_of_signature.pop(sid, None)

    def _trim_keys(self, story_key: str, story: _StoryState) -> None:
        keep = heapq.nlargest(self.options.keys_per_story, story.keys.items(), key=lambda kv: (kv[1], kv[0]))
        kept = dict(keep)
        for key in story.keys:
            if key not in kept:
                postings = self._postings.get(key)
                if postings is not None:
                    postings.pop(story_key, None)
                    if not postings:
                        del self._postings[key]
        story.keys = kept


def rarest_keys(
    keys: Iterable[str], df: Mapping[str, int], base: Mapping[str, int], options: BlockingOptions, n: int
) -> list[str]:
    """The ``n`` rarest of ``keys`` by document frequency ``df`` + ``base`` (names count as
    ``name_weight`` times rarer): the keys a report looks candidates up by."""
    name_weight = options.name_weight
    usable = [
        ((df.get(k, 0) + base.get(k, 0) + 1) / (name_weight if k.startswith("n:") else 1.0), k) for k in keys
    ]
    return [k for _, k in heapq.nsmallest(n, usable)]


def blocking_keys(features: StoryFeatures) -> tuple[str, ...]:
    """A report's blocking keys: its terms and names, prefixed, sorted."""
    return _keys(features)


def _keys(features: StoryFeatures) -> tuple[str, ...]:
    """A report's blocking keys: its terms and names, prefixed, sorted."""
    return tuple(sorted({*("t:" + t for t in features.terms), *("n:" + n for n in features.names)}))
