"""The whole job: inputs -> store -> stories -> per-story analysis -> report.

Each step calls one stage module. Per-article NLP results are cached in the
store by content hash, and each story's analysis by a fingerprint of its
members, so a re-run with new reports only analyses the stories they touch.
"""

from __future__ import annotations

import bisect

import contextlib
import dataclasses
import hashlib
import math
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from . import actions as actions_mod
from . import claims as claims_mod
from . import entities as entities_mod
from . import provenance as provenance_mod
from .blocking import blocking_keys, rarest_keys
from .errors import StoreError
from .ingest import IngestOptions, read_inputs
from .model import (
    SCHEMA_VERSION,
    Article,
    DateMention,
    Entity,
    InputProblem,
    Mention,
    Quantity,
    QuoteMention,
    Story,
)
from .names import is_acronym_of, name_similarity
from .nlp import remember_text
from .quality import GarbleFeatures, garble_score, intrinsic_features
from .quantities import extract_quantities
from .quotations import group_quotes
from .quotes import extract_quotes
from .report import validate_report
from .sentences import split_sentences
from .store import Store
from .stories import (
    CLUSTERER_ID,
    FEATURES_VERSION,
    ClusterOptions,
    StoryFeatures,
    clustering_keys,
    content_terms,
    document_frequencies,
    extend_stories,
    features_from_payload,
    features_to_payload,
    groups_in_order,
    name_counts,
    name_key,
    open_since,
    update_stories,
)
from .summary import summarize
from .temporal import extract_dates, infer_anchor
from .timeline import EventMention, build_timeline, past_sentence, timeline_events

# Bump when what an annotation or a story analysis holds changes: cached
# results of older versions are recomputed (a story's analysis also when its annotations change).
ANNOTATION_VERSION = 27  # 20: laws are mentions, scores cut off team names, institutions are no persons; 21: quote speakers; 22: a spaced closing quote before a stop; 23: date extents; 24: actions, a sentence starts at each line break; 25: name mentions; 26: date values (session 10); 27: each paragraph analysed on its own (session 11)
ANALYSIS_VERSION = 27  # 21: date claim ties by entity id; 22: name spelling model refitted; 23: entity rules; 24: "the year" states no date (session 9); 25, 26: entity rules (session 10); 27: name spelling model with cross terms (session 11)

Progress = Callable[[str, int, int], None]

_ABSOLUTE = re.compile(
    r"\d{4}|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d", re.IGNORECASE
)
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_NAME_LABELS = entities_mod.LABELS


@dataclass(frozen=True, kw_only=True)
class AnalyzeOptions:
    db: str | None = None
    ingest: IngestOptions = field(default_factory=IngestOptions)
    clustering: ClusterOptions = field(default_factory=ClusterOptions)
    validate: bool = True
    # Where the data-parallel steps run: "local" (this process), "spark", or an Engine
    # (storyline.engine) that the caller owns; ``master`` is the Spark master URL.
    engine: Any = "local"
    master: str | None = None
    # Report only the stories this run changed (and their articles): a store's delta, for
    # monitoring, where the full report is the whole store. A run adding a few reports to a
    # large store then reads only what those stories need.
    changed_only: bool = False


@dataclass
class AnalysisResult:
    report: dict[str, Any]
    problems: list[InputProblem]
    articles_read: int = 0
    new_articles: int = 0
    stories_analysed: int = 0
    stories_reused: int = 0
    reports_restored: int = 0  # placed reports of open stories the clusterer read back (not all: closed stories stay out)


# ---------------------------------------------------------------- annotation


def _anchor_of(article: Article) -> str | None:
    return article.published_date or infer_anchor(article.text)


def annotate(article: Article, doc: Any, anchor: str | None) -> dict[str, Any]:
    """Per-article NLP results as a JSON-able payload (cached in the store by content hash)."""
    aid = article.id
    remember_text(doc, article.text)
    mentions = entities_mod.extract_mentions(doc, aid)
    dates = extract_dates(article.text, aid, anchor)
    quantities = extract_quantities(article.text, aid, dates=dates, anchor=anchor)
    quotes = extract_quotes(article.text, aid, doc=doc)
    actions = actions_mod.extract_actions(doc, dates, anchor, quotes=[(q.start, q.end) for q in quotes])
    title_terms = sorted({w.casefold() for w in re.findall(r"[A-Za-z]{3,}", article.title or "")})
    years = sorted({int(y) for y in _YEAR.findall(article.text)})
    return {
        "anchor": anchor,
        "mentions": [[m.start, m.end, m.text, m.label] for m in mentions],
        "dates": [[d.start, d.end, d.text, d.value, d.kind] for d in dates],
        "quantities": [_quantity_payload(q) for q in quantities],
        "figure_context": [_figure_context(doc, q, mentions) for q in quantities],
        "figure_phrases": actions_mod.figure_phrases(doc, [(q.start, q.end, q.kind) for q in quantities], dates),
        "figure_sources": [actions_mod.figure_source(doc, q.start, q.end) for q in quantities],
        "actions": [a.to_payload() for a in actions],
        "quotes": [[q.start, q.end, q.text, q.speaker_text, q.speaker_start, q.speaker_end] for q in quotes],
        "terms": content_terms(doc),
        "names": name_counts(m.text for m in mentions if m.label in ("PERSON", "ORG", "GPE", "FAC")),
        "title_terms": title_terms,
        "years": years,
        "sentences": [list(s) for s in split_sentences(article.text)],
        "garble": intrinsic_features(doc).as_dict(),
    }


def _quantity_payload(q: Quantity) -> dict[str, Any]:
    return {
        "start": q.start, "end": q.end, "text": q.text, "kind": q.kind, "value": q.value, "unit": q.unit,
        "qualifier": q.qualifier, "counted": q.counted, "as_of": q.as_of, "as_of_text": q.as_of_text,
        "sentence_start": q.sentence_start, "sentence_end": q.sentence_end,
    }


def _figure_context(doc: Any, q: Quantity, mentions: Sequence[Mention]) -> dict[str, Any]:
    """Content lemmas around a figure, the verb governing it and the noun it counts."""
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return {"lemmas": [], "verb": None, "noun": None}
    sent = span.sent
    inside_names = [(m.start, m.end) for m in mentions]

    def in_name(tok: Any) -> bool:
        return any(s <= tok.idx < e for s, e in inside_names)

    window = [
        t for t in sent
        if abs(t.i - span.start) <= 12 and not (span.start <= t.i < span.end)
        and t.is_alpha and not t.is_stop and not in_name(t) and len(t) > 2
    ]
    verb = None
    head = span.root
    for _ in range(6):
        if head.pos_ in ("VERB", "AUX") and head.lemma_ not in ("be", "have"):
            verb = head.lemma_.casefold()
            break
        if head.head is head:
            break
        head = head.head
    noun = None
    if q.kind == "count":
        root = span.root
        if root.pos_ in ("NOUN", "PROPN") and not root.like_num:
            noun = root.lemma_.casefold()
        else:
            nxt = [t for t in sent if t.i >= span.end and t.pos_ in ("NOUN", "PROPN")][:1]
            noun = nxt[0].lemma_.casefold() if nxt else None
    return {"lemmas": sorted({t.lemma_.casefold() for t in window}), "verb": verb, "noun": noun}


# ---------------------------------------------------------------- the run


def run_analysis(
    inputs: Sequence[str], options: AnalyzeOptions | None = None, *, progress: Progress | None = None
) -> AnalysisResult:
    opts = options or AnalyzeOptions()
    tick = progress or (lambda stage, done, total: None)
    from .engine import Engine, make_engine

    tick("reading inputs", 0, len(inputs))
    ingested = read_inputs(inputs, opts.ingest)
    if isinstance(opts.engine, Engine):
        engine, own_engine = opts.engine, False
    else:
        engine = make_engine(opts.engine, master=opts.master) if opts.engine == "spark" else make_engine(opts.engine)
        own_engine = True
    try:
        result = _run(ingested, opts, tick, engine)
    finally:
        if own_engine:
            engine.close()
    if opts.validate:
        validate_report(result.report)
    return result


def _run(ingested: Any, opts: AnalyzeOptions, tick: Progress, engine: Any) -> AnalysisResult:
    with Store(opts.db) as store:
        new = store.add_articles(ingested.articles)
        tick("stored", len(new), len(ingested.articles))  # committed: a crash from here on loses none of them
        result = AnalysisResult(
            report={}, problems=list(ingested.problems), articles_read=len(ingested.articles), new_articles=len(new)
        )
        if opts.changed_only:
            report = _run_changed(store, new, opts, tick, result, engine)
            if report is not None:
                result.report = report
                return result
        articles = store.articles()
        if not articles:
            result.report = {"schema_version": SCHEMA_VERSION, "articles": [], "stories": []}
            return result
        notes = _annotations(store, articles, tick, engine)
        stories, garble, story_dates, analysed = _stories(store, articles, notes, opts, tick, result, engine)
        if opts.changed_only:
            stories = [s for s, fresh in zip(stories, analysed) if fresh]
            keep = {i for s in stories for i in s.article_ids}
            articles = [a for a in articles if a.id in keep]
        result.report = _assemble(articles, notes, stories, garble, story_dates)
    return result


# Annotations held in memory at once by a big run (features and story analysis go in batches).
BATCH_REPORTS = 5000


def _batches(items: Sequence[Any], size: Callable[[Any], int], limit: int | None = None) -> Iterator[list[Any]]:
    """Consecutive runs of ``items`` whose sizes add up to about ``limit`` (default ``BATCH_REPORTS``;
    an item bigger than it alone)."""
    limit = BATCH_REPORTS if limit is None else limit
    batch: list[Any] = []
    total = 0
    for item in items:
        n = size(item)
        if batch and total + n > limit:
            yield batch
            batch, total = [], 0
        batch.append(item)
        total += n
    if batch:
        yield batch


# Features use the anchor day an article's annotation gives: both versions key the cache.
FEATURES_CACHE_VERSION = FEATURES_VERSION * 1000 + ANNOTATION_VERSION


class _Notes(Mapping[str, dict[str, Any]]):
    """Article id -> annotation payload, read from the store only when asked for.

    A run that adds a few reports to a large store needs the annotations of the new reports and of
    the stories they touch, not of every stored report: payloads are fetched in batches on demand.
    """

    def __init__(self, store: Store, articles: Sequence[Article]) -> None:
        self._store = store
        self._hash = {a.id: a.content_hash for a in articles}
        self._got: dict[str, dict[str, Any]] = {}

    def fetch(self, ids: Iterable[str]) -> None:
        missing = {self._hash[i]: i for i in ids if i not in self._got and i in self._hash}
        if missing:
            for h, payload in self._store.get_annotations(list(missing), ANNOTATION_VERSION).items():
                self._got[missing[h]] = payload

    def put(self, aid: str, payload: dict[str, Any]) -> None:
        self._got[aid] = payload

    def drop(self, ids: Iterable[str]) -> None:
        """Forget these payloads (they are read again if asked for): memory stays bounded by a batch."""
        for i in ids:
            self._got.pop(i, None)

    def __getitem__(self, aid: str) -> dict[str, Any]:
        if aid not in self._got:
            self.fetch([aid])
        return self._got[aid]

    def __iter__(self) -> Iterator[str]:
        return iter(self._hash)

    def __len__(self) -> int:
        return len(self._hash)


# Annotations are cached in the store a few at a time: one transaction per report cost about as
# much as annotating it with Storyline's own extractors. A run stopped by an error keeps what it
# annotated; one killed outright loses at most these few reports' (or seconds') annotations.
ANNOTATION_WRITES = 64
ANNOTATION_WRITE_SECONDS = 2.0


def _annotations(store: Store, articles: Sequence[Article], tick: Progress, engine: Any = None) -> _Notes:
    """Annotate the articles the store has no annotation for (this version); the rest stay in the store."""
    notes = _Notes(store, articles)
    have = store.annotated([a.content_hash for a in articles], ANNOTATION_VERSION)
    todo = [a for a in articles if a.content_hash not in have]
    if todo:
        if engine is None:
            from .engine import LocalEngine

            engine = LocalEngine()
        keep = len(todo) <= BATCH_REPORTS  # a big run reads them back batch by batch instead
        pending: list[tuple[str, int, dict[str, Any]]] = []
        written = 0
        since = time.monotonic()

        def write() -> None:
            nonlocal written, since
            store.put_many_annotations({h: (h, v, p) for h, v, p in pending}.values())
            for _ in pending:  # ticked once stored, as one by one
                written += 1
                tick("annotating", written, len(todo))
            pending.clear()
            since = time.monotonic()

        try:
            for article, payload in engine.annotate(todo):
                if keep:
                    notes.put(article.id, payload)
                pending.append((article.content_hash, ANNOTATION_VERSION, payload))
                if len(pending) >= ANNOTATION_WRITES or time.monotonic() - since >= ANNOTATION_WRITE_SECONDS:
                    write()
            write()
        finally:
            if pending:  # stopped by an error: keep what is done for the next run
                with contextlib.suppress(StoreError):
                    store.put_many_annotations({h: (h, v, p) for h, v, p in pending}.values())
    return notes


def _features(store: Store, articles: Sequence[Article], notes: Mapping[str, dict[str, Any]], engine: Any) -> dict[str, StoryFeatures]:
    """Compute (by the engine) and cache the clusterer's features of the articles the store has
    none for; returns those, by article id. The anchor day they use comes from the article's
    annotation, so the cache is keyed by both versions."""
    version = FEATURES_CACHE_VERSION
    have = store.featured([a.content_hash for a in articles], version)
    todo = [a for a in articles if a.content_hash not in have]
    fresh: dict[str, StoryFeatures] = {}
    for k in range(0, len(todo), BATCH_REPORTS):
        batch = todo[k : k + BATCH_REPORTS]
        if isinstance(notes, _Notes):
            notes.fetch(a.id for a in batch)
        anchors = {a.id: notes[a.id]["anchor"] for a in batch}
        computed = dict(zip((a.id for a in batch), engine.features(batch, anchors)))
        store.put_features((a.content_hash, anchors[a.id], version, features_to_payload(computed[a.id])) for a in batch)
        fresh.update(computed)
        if isinstance(notes, _Notes) and len(todo) > BATCH_REPORTS:
            notes.drop(a.id for a in batch)
    return fresh


def _cached_features(
    store: Store, articles: Sequence[Article], fresh: Mapping[str, StoryFeatures]
) -> list[StoryFeatures]:
    """The features of these articles: just computed, or read from the store's cache."""
    cached = store.get_features([a.content_hash for a in articles if a.id not in fresh], FEATURES_CACHE_VERSION)
    return [fresh[a.id] if a.id in fresh else features_from_payload(a.id, cached[a.content_hash]) for a in articles]


# A run adding at most PARTIAL_RESTORE_NEW reports to a store whose open stories hold more than
# PARTIAL_RESTORE_FROM reports restores only the open stories that are candidates for them.
PARTIAL_RESTORE_NEW = 64
PARTIAL_RESTORE_FROM = 500
# Candidate stories restored per new report, in multiples of the blocking index's max_candidates
# (at 100k reports, 2 restored about 1,500 reports per add, 1 about 750, with the same placements).
PARTIAL_RESTORE_MARGIN = 1


def _place(
    store: Store,
    articles: Sequence[Article],
    fresh: Mapping[str, StoryFeatures],
    opts: AnalyzeOptions,
    result: AnalysisResult | None = None,
) -> dict[str, str]:
    """Article id -> story key for every article: stored placements kept, new articles placed.

    A first run clusters everything in memory. Later runs place the new reports into the stored
    stories (:func:`_extend`). Membership and frequencies are written in one transaction.
    """
    version = FEATURES_CACHE_VERSION
    by_id = {a.id: a for a in articles}
    known = {a: k for a, k in store.story_members(CLUSTERER_ID).items() if a in by_id}
    new = [a for a in articles if a.id not in known]
    if not known:
        features = _cached_features(store, articles, fresh)
        _groups, story_of = update_stories(features, {}, opts.clustering)
        store.update_clustering(
            CLUSTERER_ID, story_of, document_frequencies(features),
            features_version=version, documents=len(features), replace=True,
        )
        return story_of
    if not new:
        return known
    state = store.cluster_state(CLUSTERER_ID)
    if state is None or state[0] != version:
        # The stored frequencies are missing (a store written before they were kept) or stale:
        # count them once over every placed report.
        placed = _cached_features(store, [by_id[a] for a in known], fresh)
        store.update_clustering(
            CLUSTERER_ID, known, document_frequencies(placed),
            features_version=version, documents=len(placed), replace=True,
        )
    changed, _before = _extend(store, new, fresh, opts, result, taken=set(known.values()))
    known.update(changed)
    return known


def _extend(
    store: Store,
    new: Sequence[Article],
    fresh: Mapping[str, StoryFeatures],
    opts: AnalyzeOptions,
    result: AnalysisResult | None,
    taken: set[str] | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    """Place new articles into the stories of a store whose clustering state is current.

    Only the stories still open to the new reports are restored
    (:func:`storyline.stories.open_since`), with the stored document frequencies of every placed
    report, and the new ones are streamed in (:func:`storyline.stories.extend_stories`): the cost
    of adding a report does not grow with the number of closed stories. When a few reports join a
    store with many open reports, only the open stories that share enough of a new report's rare
    keys to be its blocking candidates are restored (found in SQL, :func:`_lookups`), each with its
    first report and its latest ones only, so the cost grows with neither the number of open
    stories nor their length.

    Returns (article id -> story key for every article placed or moved, article id -> the story
    key it had for the restored articles that moved).
    """
    version = FEATURES_CACHE_VERSION
    state = store.cluster_state(CLUSTERER_ID)
    assert state is not None and state[0] == version
    copts = opts.clustering
    new_features = _cached_features(store, new, fresh)
    since = open_since(new_features, copts)
    lookups: list[tuple[int, str, float, float]] | None = None
    open_stories = 0
    if len(new_features) <= PARTIAL_RESTORE_NEW:
        open_stories, open_reports = store.open_story_count(CLUSTERER_ID, since)
        if open_reports > PARTIAL_RESTORE_FROM:
            lookups = _lookups(store, new_features, copts, state[1])
    # A partial restore brings back each candidate story's first report and its latest ones: those
    # a new report is compared with, and that the passes sample (restoring every member of a long
    # story would cost more than everything else an add does). Of the stories sharing enough keys
    # with a report, the index proposes at most ``max_candidates``, those with the most evidence:
    # those are restored (ranked by the evidence of all their members' keys, which the index trims
    # to a story's most weighted; PARTIAL_RESTORE_MARGIN widens the cut).
    recent = top = None
    if lookups is not None:
        recent = max(copts.compare_members, copts.merge_members)
        top = PARTIAL_RESTORE_MARGIN * copts.blocking.max_candidates
    rows = store.open_story_members(
        CLUSTERER_ID, version, since, lookups=lookups, min_shared=copts.blocking.min_shared, recent=recent, top=top
    )
    restored = [(features_from_payload(a, payload), key, position) for a, key, position, payload in rows]
    before = {f.article_id: key for f, key, _ in restored}
    hidden = max(0, open_stories - len(set(before.values()))) if lookups is not None else 0
    if result is not None:
        result.reports_restored = len(restored)
    keys = {k for f, _, _ in restored for k in clustering_keys(f)}
    keys.update(k for f in new_features for k in clustering_keys(f))
    placed_now = extend_stories(
        restored, new_features, df=store.term_df(keys), documents=state[1],
        taken=store.story_keys_in_use(CLUSTERER_ID) if taken is None else taken,
        hidden=hidden, options=copts,
    )
    changed = {a: k for a, k in placed_now.items() if before.get(a) != k}
    store.update_clustering(
        CLUSTERER_ID, changed, document_frequencies(new_features),
        features_version=version, documents=state[1] + len(new_features),
    )
    return changed, {a: before[a] for a in changed if a in before}


def _lookups(
    store: Store, features: Sequence[StoryFeatures], copts: ClusterOptions, documents: int
) -> list[tuple[int, str, float, float]]:
    """(report number, key, weight, evidence) rows by which SQL finds the candidate stories of new reports.

    Each report looks up the rare keys the blocking index looks it up by (rarity by the stored
    document frequencies of ``documents`` reports: exactly those for one new report; a run that
    adds several counts the earlier ones too, so each then looks up twice as many), names weighted
    as the index weighs them: a story the index would propose shares at least ``min_shared`` of
    that weight with the report. The evidence of a key is the index's too (its inverse document
    frequency): the index ranks the stories it proposes by their summed evidence. SQL counts every
    shared key fully where the index counts a hot key only in part (``hot_postings``): SQL's
    candidates include the index's, ranked alike, and its ``top`` cut may keep in their place a
    few stories that share only hot keys with the report.
    """
    bopts = copts.blocking
    per_report = [blocking_keys(f) for f in features]
    df = store.term_df(k for keys in per_report for k in keys)
    wanted = bopts.keys_per_article * (1 if len(per_report) == 1 else 2)
    rows: list[tuple[int, str, float, float]] = []
    for n, keys in enumerate(per_report):
        for key in rarest_keys(keys, df, {}, bopts, wanted):
            evidence = math.log((documents + 1) / (df.get(key, 0) + 1)) + 1.0
            rows.append((n, key, bopts.name_weight if key.startswith("n:") else 1.0, evidence))
    return rows


def _stories(
    store: Store,
    articles: Sequence[Article],
    notes: Mapping[str, dict[str, Any]],
    opts: AnalyzeOptions,
    tick: Progress,
    result: AnalysisResult,
    engine: Any = None,
) -> tuple[list[Story], dict[str, float], dict[str, list[list[Any]]], list[bool]]:
    """Place the articles in stories and analyse the stories whose members changed.

    Returns the stories, garble and dates per article, and for each story whether it was analysed
    in this run (False: its stored analysis still held).
    """
    if engine is None:
        from .engine import LocalEngine

        engine = LocalEngine()
    # Features are computed by the engine; the (order-dependent) clusterer runs here, on the
    # small feature records in the store's order, so every engine gives the same stories.
    fresh = _features(store, articles, notes, engine)
    story_of = _place(store, articles, fresh, opts, result)
    groups = groups_in_order(story_of, {a.id: i for i, a in enumerate(articles)})
    tick("clustered", len(groups), len(groups))
    by_id = {a.id: a for a in articles}
    grouped = [[by_id[i] for i in ids] for ids in groups]
    out = _analyse(store, grouped, notes, tick, result, engine)
    store.delete_stories_except(_cache_key(members) for members in grouped)
    return out


def _cache_key(members: Sequence[Article]) -> str:
    """A story's key in the store's cache of analyses: its members' smallest content hash."""
    return min(m.content_hash for m in members)


def _analyse(
    store: Store,
    grouped: Sequence[Sequence[Article]],
    notes: Mapping[str, dict[str, Any]],
    tick: Progress,
    result: AnalysisResult,
    engine: Any,
) -> tuple[list[Story], dict[str, float], dict[str, list[list[Any]]], list[bool]]:
    """Each group's analysis: the stored one while its members are unchanged, else made afresh."""
    stories: list[Story] = []
    garble: dict[str, float] = {}
    story_dates: dict[str, list[list[Any]]] = {}
    payloads: list[dict[str, Any] | None] = []
    todo: list[tuple[int, Sequence[Article], str, str]] = []
    keys = [_cache_key(members) for members in grouped]
    stored = store.get_stories(keys)
    for members, key in zip(grouped, keys):
        fingerprint = hashlib.sha256(
            ("|".join(sorted(m.content_hash + m.id for m in members)) + f"|v{ANALYSIS_VERSION}.{ANNOTATION_VERSION}").encode()
        ).hexdigest()
        cached = stored.get(key)
        if cached and cached[0] == fingerprint:
            payloads.append(cached[1])
            result.stories_reused += 1
        else:
            payloads.append(None)
            todo.append((len(payloads) - 1, members, key, fingerprint))
    analysed = [False] * len(payloads)
    # Stories whose members changed are analysed by the engine (in parallel where it can), in
    # batches of about BATCH_REPORTS reports whose annotations are read in one go and then dropped.
    done = 0
    for batch in _batches(todo, lambda item: len(item[1])):
        if isinstance(notes, _Notes):
            notes.fetch(m.id for _, members, _, _ in batch for m in members)
        made = engine.analyse_stories([(members, notes) for _, members, _, _ in batch])
        for (slot, _members, key, fingerprint), payload in zip(batch, made):
            store.put_story(key, fingerprint, payload)
            payloads[slot] = payload
            analysed[slot] = True
            result.stories_analysed += 1
            done += 1
            tick("analysing stories", done, len(todo))
        if isinstance(notes, _Notes) and len(batch) < len(todo):
            notes.drop(m.id for _, members, _, _ in batch for m in members)
    for payload in payloads:
        assert payload is not None
        stories.append(_story_from_payload(payload))
        garble.update(payload["garble"])
        story_dates.update(payload["dates"])
    return stories, garble, story_dates, analysed


def _run_changed(
    store: Store, new: Sequence[Article], opts: AnalyzeOptions, tick: Progress, result: AnalysisResult, engine: Any
) -> dict[str, Any] | None:
    """A run that reports only the stories it changed, reading only what those need.

    New reports are annotated and placed (:func:`_extend`); the stories they joined, and those a
    restored report left, are read back (members, annotations) and analysed; nothing else in the
    store is read. Returns None when that is not possible (a first run, clustering state missing
    or stale, reports left unplaced by an interrupted run): the caller then runs in full.
    """
    state = store.cluster_state(CLUSTERER_ID)
    if state is None or state[0] != FEATURES_CACHE_VERSION or store.article_count() != state[1] + len(new):
        return None
    if not new:
        return {"schema_version": SCHEMA_VERSION, "articles": [], "stories": []}
    if len(new) <= PARTIAL_RESTORE_NEW:
        store.defer_checkpoint()  # a few rows changed: the log keeps them until it is long enough to fold in
    notes_new = _annotations(store, new, tick, engine)
    fresh = _features(store, new, notes_new, engine)
    changed, before = _extend(store, new, fresh, opts, result)
    story_of = store.members_of(CLUSTERER_ID, {*changed.values(), *before.values()})
    articles = store.get_articles(story_of)
    by_id = {a.id: a for a in articles}
    tick("clustered", len(set(story_of.values())), len(set(story_of.values())))
    groups = groups_in_order(story_of, {a.id: i for i, a in enumerate(articles)})
    grouped = [[by_id[i] for i in ids] for ids in groups]
    # The cached analyses of these stories as they were (keyed by their old members) are stale.
    old_of = {a: k for a, k in story_of.items() if a not in changed}
    old_of.update(before)
    old: dict[str, list[Article]] = {}
    for a, k in old_of.items():
        old.setdefault(k, []).append(by_id[a])
    notes = _Notes(store, articles)
    stories, garble, story_dates, _analysed = _analyse(store, grouped, notes, tick, result, engine)
    now = {_cache_key(members) for members in grouped}
    store.delete_stories(k for k in (_cache_key(m) for m in old.values()) if k not in now)
    return _assemble(articles, notes, stories, garble, story_dates)


# ---------------------------------------------------------------- one story


@dataclass
class StoryAnalysis:
    story: Story
    garble: dict[str, float]
    dates: dict[str, list[list[Any]]]

    def to_payload(self) -> dict[str, Any]:
        return {"story": self.story.to_dict(), "garble": self.garble, "dates": self.dates}


def _story_from_payload(payload: Mapping[str, Any]) -> Story:
    from .model import (
        Claim,
        ClaimValue,
        Provenance,
        QuoteGroup,
        SummarySentence,
        TimelineEvent,
    )

    s = payload["story"]
    return Story(
        id=s["id"],
        title=s["title"],
        article_ids=list(s["article_ids"]),
        entities=[
            Entity(
                id=e["id"], name=e["name"], type=e["type"], aliases=list(e["aliases"]),
                mentions=[Mention(m["article_id"], m["start"], m["end"], m["text"], e["type"]) for m in e["mentions"]],
            )
            for e in s["entities"]
        ],
        claims=[
            Claim(
                id=c["id"], kind=c["kind"], subject=c["subject"], description=c["description"], status=c["status"],
                values=[ClaimValue(**v) for v in c["values"]],
            )
            for c in s["claims"]
        ],
        quotes=[
            QuoteGroup(
                id=q["id"], speaker=q["speaker"], status=q["status"], fidelity=q.get("fidelity", 1.0),
                versions=[QuoteMention(v["article_id"], v["start"], v["end"], v["text"]) for v in q["versions"]],
            )
            for q in s["quotes"]
        ],
        timeline=[TimelineEvent(t["date"], t["description"], tuple(t["article_ids"])) for t in s["timeline"]],
        provenance=[Provenance(**p) for p in s["provenance"]],
        summary=[SummarySentence(x["text"], tuple(x["supported_by"]), tuple(x["contradicted_by"])) for x in s["summary"]],
        independent_sources=int(s.get("independent_sources", 0)),
    )


def _story_dates(members: Sequence[Article], notes: Mapping[str, dict[str, Any]]) -> dict[str, list[DateMention]]:
    """Dates per article; undated articles are re-anchored on the story's own dates."""
    known = sorted(n for n in (notes[a.id]["anchor"] for a in members) if n)
    reference = known[len(known) // 2] if known else None
    out: dict[str, list[DateMention]] = {}
    for a in members:
        note = notes[a.id]
        dates = [DateMention(a.id, s, e, t, v, k) for s, e, t, v, k in note["dates"]]
        if note["anchor"] is None and reference is not None:
            first = extract_dates(a.text, a.id, reference)
            absolute = [d.value for d in first if d.value and len(d.value) >= 10 and _ABSOLUTE.search(d.text)]
            anchor = max(absolute)[:10] if absolute else reference
            dates = extract_dates(a.text, a.id, anchor)
        out[a.id] = dates
    return out


def analyse_story(members: Sequence[Article], notes: Mapping[str, dict[str, Any]]) -> StoryAnalysis:
    """Everything Storyline says about one story (local ids; made global when the report is assembled)."""
    ids = [a.id for a in members]
    dates = _story_dates(members, notes)
    anchors = {a.id: notes[a.id]["anchor"] or _latest_absolute(dates[a.id]) for a in members}
    intrinsic = {a.id: GarbleFeatures(**notes[a.id]["garble"]) for a in members}
    weights = {aid: 1.0 - garble_score(f) for aid, f in intrinsic.items()}

    mentions = [
        Mention(a.id, s, e, t, lab) for a in members for s, e, t, lab in notes[a.id]["mentions"] if lab in _NAME_LABELS
    ]
    texts = {a.id: a.text for a in members}
    mentions = entities_mod.add_story_mentions(texts, mentions)
    entities = entities_mod.resolve_entities(mentions, article_weights=weights, id_prefix="e", texts=texts)
    garble = _final_garble(members, entities, intrinsic)
    trust = {aid: 1.0 - g for aid, g in garble.items()}
    entity_of = {(m.article_id, m.start, m.end): e.id for e in entities for m in e.mentions}
    names = {e.id: e.name for e in entities}

    figure_days = {aid: anchors[aid] for aid in ids}
    figures, describe = _figures(members, notes, entity_of, entities, figure_days, dates)
    prov = provenance_mod.trace(
        [
            provenance_mod.ProvenanceInput(
                article_id=a.id, text=a.text, terms=notes[a.id]["terms"], garble=garble[a.id],
                day=anchors[a.id], has_source=bool(a.source),
                figures=frozenset(str(round(q["value"])) for q in notes[a.id]["quantities"]),
            )
            for a in members
        ]
    )
    witness = provenance_mod.witness_of(prov)
    mentions_by_article = _named_mentions(members, notes, entity_of, entities)
    date_statements = _date_statements(members, notes, dates, entity_of, figure_days, mentions_by_article)
    story_claims = claims_mod.build_claims(figures, witness, describe, dates=date_statements)
    _best_descriptions(story_claims, figures, describe, trust)

    quote_list: list[QuoteMention] = []
    speakers: dict[int, str | None] = {}
    spans_of: dict[str, list[tuple[int, int, str]]] = {}
    for (aid, s, e), eid in entity_of.items():
        spans_of.setdefault(aid, []).append((s, e, eid))
    for a in members:
        for s, e, t, sp_text, sp_s, sp_e in notes[a.id]["quotes"]:
            speakers[len(quote_list)] = _speaker_entity(sp_text, sp_s, sp_e, spans_of.get(a.id, ()), entities)
            quote_list.append(QuoteMention(a.id, s, e, t, sp_text, sp_s, sp_e))
    quote_groups = group_quotes(quote_list, speakers, trust)

    event_mentions = [
        m for a in members for m in _event_mentions(a, notes[a.id], dates[a.id], anchors[a.id], mentions_by_article[a.id])
    ]
    events = build_timeline(event_mentions, trust, witness)
    timeline = timeline_events(events)
    sources = _figure_sources(members, notes, entity_of, entities)
    summary = summarize(events, story_claims, quote_groups, names, witness, published=anchors, sources=sources)

    story = Story(
        id="s",
        title=_title(members, trust),
        article_ids=ids,
        entities=entities,
        claims=story_claims,
        quotes=quote_groups,
        timeline=timeline,
        provenance=prov,
        summary=summary,
        independent_sources=provenance_mod.independent_sources(prov),
    )
    return StoryAnalysis(
        story=story,
        garble=garble,
        dates={aid: [[d.start, d.end, d.text, d.value, d.kind] for d in ds] for aid, ds in dates.items()},
    )


def _latest_absolute(dates: Sequence[DateMention]) -> str | None:
    days = [d.value[:10] for d in dates if d.value and len(d.value) >= 10 and _ABSOLUTE.search(d.text)]
    return max(days) if days else None


def _final_garble(
    members: Sequence[Article], entities: Sequence[Entity], intrinsic: Mapping[str, GarbleFeatures]
) -> dict[str, float]:
    """Intrinsic garble plus the share of names a report spells unlike the rest of the story."""
    respelled: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for e in entities:
        if e.type not in ("PERSON", "ORG"):
            continue
        for m in e.mentions:
            total[m.article_id] += 1
            if _is_respelling(m.text, e.name):
                respelled[m.article_id] += 1
    out = {}
    for a in members:
        f = intrinsic[a.id]
        share = respelled[a.id] / total[a.id] if total[a.id] else 0.0
        out[a.id] = round(garble_score(dataclasses.replace(f, respelled=share)), 3)
    return out


def _is_respelling(surface: str, canonical: str) -> bool:
    """A surface form that is neither the canonical name nor a part of it (a respelled variant)."""
    s, c = name_key(surface), name_key(canonical)
    if not s or s == c or s in c.split() or s in c:
        return False
    if is_acronym_of(surface, canonical):
        return False  # an acronym is a short form, not a respelling
    tokens = s.split()
    return not all(t in c.split() for t in tokens)


def _speaker_entity(
    text: str | None,
    start: int | None,
    end: int | None,
    spans: Sequence[tuple[int, int, str]],
    entities: Sequence[Entity],
) -> str | None:
    """The entity a quote's speaker is: the mention the speaker span overlaps (``spans``: the
    report's (start, end, entity id)), else the person or organisation named most alike."""
    if start is not None and end is not None:
        for s, e, eid in spans:
            if s < end and start < e:
                return eid
    if text:
        best = max(
            ((name_similarity(text, e.name), e.id) for e in entities if e.type in ("PERSON", "ORG")),
            default=(0.0, None),
        )
        if best[0] >= 0.8:
            return best[1]
    return None


def _figures(
    members: Sequence[Article],
    notes: Mapping[str, dict[str, Any]],
    entity_of: Mapping[tuple[str, int, int], str],
    entities: Sequence[Entity],
    days: Mapping[str, str | None],
    dates: Mapping[str, Sequence[DateMention]],
) -> tuple[list[claims_mod.Figure], dict[int, str]]:
    figures: list[claims_mod.Figure] = []
    describe: dict[int, str] = {}
    names = {e.id: e.name for e in entities}
    types = {e.id: e.type for e in entities}
    spans_of: dict[str, list[tuple[int, int, str]]] = {}
    for (aid, s, e), eid in entity_of.items():
        spans_of.setdefault(aid, []).append((s, e, eid))
    short = _short_forms(entities)
    for a in members:
        note = notes[a.id]
        phrases = note.get("figure_phrases") or [[] for _ in note["quantities"]]
        namer = _namer(a.id, note, entity_of, names, a.text, entities, short=short)
        for q, ctx, phrase in zip(note["quantities"], note["figure_context"], phrases):
            quantity = Quantity(article_id=a.id, **q)
            in_sentence = sorted(
                (s, e, eid) for s, e, eid in spans_of.get(a.id, ()) if q["sentence_start"] <= s < q["sentence_end"]
            )
            named = [eid for _, _, eid in in_sentence if types.get(eid) in ("PERSON", "ORG")]
            subject = _subject(q, in_sentence, types)
            as_of = q["as_of"] or days.get(a.id)
            figures.append(
                claims_mod.Figure(
                    quantity=quantity,
                    context=claims_mod.FigureContext(
                        lemmas=frozenset(ctx["lemmas"]), verb=ctx["verb"], noun=ctx["noun"],
                        subject=subject, entities=frozenset(named),
                    ),
                    day=as_of,
                )
            )
            described = actions_mod.render(phrase, a.text, namer) if phrase else ""
            describe[len(figures) - 1] = described or _description(quantity, ctx, names.get(subject or ""))
    return figures, describe


def _date_statements(
    members: Sequence[Article],
    notes: Mapping[str, dict[str, Any]],
    dates: Mapping[str, Sequence[DateMention]],
    entity_of: Mapping[tuple[str, int, int], str],
    days: Mapping[str, str | None],
    named: Mapping[str, Sequence[tuple[int, int, Entity]]] | None = None,
) -> list[claims_mod.DateStatement]:
    """Each calendar date a report gives, with the words and entities of its sentence, and the
    action it dates when the parse links one to it."""
    out: list[claims_mod.DateStatement] = []
    names_of: dict[str, list[tuple[int, int, str]]] = {}
    for (aid, s, e), eid in entity_of.items():
        names_of.setdefault(aid, []).append((s, e, eid))
    for a in members:
        acts = _dated_actions(a, notes[a.id], (named or {}).get(a.id, []))
        sents = notes[a.id]["sentences"]
        # sentences in order and apart (split_sentences): the one holding a date is found by bisection
        ordered = all(sents[i][1] <= sents[i + 1][0] for i in range(len(sents) - 1))
        sent_starts = [s for s, _ in sents]
        names = sorted(names_of.get(a.id, ()))
        name_starts = [n[0] for n in names]
        for d in dates[a.id]:
            if ordered:
                k = bisect.bisect_right(sent_starts, d.start) - 1
                k = k if k >= 0 and d.start < sents[k][1] else None
            else:
                k = next((k for k, (s, e) in enumerate(sents) if s <= d.start < e), None)
            if k is None:
                continue
            sent = (sents[k][0], sents[k][1])
            if k and len(a.text[sent[0] : sent[1]].split()) < 6:
                sent = (sents[k - 1][0], sent[1])  # a sentence broken off its clause ("In X on Monday.")
            lo, hi = bisect.bisect_left(name_starts, sent[0]), bisect.bisect_left(name_starts, sent[1])
            in_sentence = names[lo:hi]
            st = claims_mod.date_statement(d, a.text, (sent[0], sent[1]), in_sentence, days.get(a.id))
            if st is not None:
                out.append(dataclasses.replace(st, action=acts.get((d.start, d.end), "")))
    return out


_MAX_DATE_CLAUSE = 14


def _name_at(text: str, named: Sequence[tuple[int, int, Entity]]) -> Callable[[int, int], tuple[int, int, str] | None]:
    """The entity name to render a span with (an acronym stays as written)."""
    spans = [(s, e, ent.name) for s, e, ent in named]

    def name_at(start: int, end: int) -> tuple[int, int, str] | None:
        found = next(((s, e, n) for s, e, n in spans if s <= start and end <= e), None)
        if found and text[found[0] : found[1]].isupper() and " " not in text[found[0] : found[1]]:
            return found[0], found[1], text[found[0] : found[1]]  # keep an acronym as written
        return found

    return name_at


def _dated_actions(
    article: Article, note: Mapping[str, Any], named: Sequence[tuple[int, int, Entity]]
) -> dict[tuple[int, int], str]:
    """The action each date of the article's own words dates, as a clause: "the board placed X on leave".

    Only a date the parse ties to its verb counts; a negated action, an unresolved pronoun
    subject or a clause too long to read in a sentence gives none.
    """
    text = article.text
    name_at = _name_at(text, named)
    out: dict[tuple[int, int], str] = {}
    for p in note.get("actions", []):
        act = actions_mod.ActionRecord.from_payload(p)
        if act.date_source != "text" or not act.date_span or act.negated or act.date_span in out:
            continue
        subject = actions_mod.render(act.subject, text, name_at)
        if act.subject_pronoun:
            person = next((ent for s, _e, ent in reversed(named) if s < act.start and ent.type == "PERSON"), None)
            if act.subject_pronoun not in ("he", "she") or person is None:
                continue
            subject = person.name
        if not subject:
            continue
        m = EventMention(
            article_id=article.id, date="", lemma=act.lemma, subject=subject,
            obj=actions_mod.render(act.obj, text, name_at), extra=actions_mod.render(act.extra, text, name_at),
            agent=actions_mod.render(act.agent, text, name_at), passive=act.passive,
            plural=act.subject_plural, future=act.future,
        )
        clause = past_sentence(m)
        if len(clause.split()) > _MAX_DATE_CLAUSE:
            clause = past_sentence(dataclasses.replace(m, extra="", agent=""))
        if 3 <= len(clause.split()) <= _MAX_DATE_CLAUSE:
            out[act.date_span] = clause[:1].lower() + clause[1:] if _lower_first(clause) else clause
    return out


def _lower_first(clause: str) -> bool:
    """A clause opening with a common word ("The board ...") reads lower-case after "date"."""
    first = clause.split(" ", 1)[0]
    return first in ("The", "A", "An", "This", "That", "These", "Those", "Its", "Their", "His", "Her")


def _subject(q: Mapping[str, Any], in_sentence: Sequence[tuple[int, int, str]], types: Mapping[str, str]) -> str | None:
    """The person or organisation a figure is about: named after it ("on behalf of X"), else before it."""
    after = [eid for s, _, eid in in_sentence if s >= q["end"] and types.get(eid) in ("PERSON", "ORG")]
    before = [eid for _, e, eid in in_sentence if e <= q["start"] and types.get(eid) in ("PERSON", "ORG")]
    if after:
        return after[0]
    if before:
        return before[-1]
    return None


def _description(q: Quantity, ctx: Mapping[str, Any], subject: str | None) -> str:
    """A fallback description when the parse gives no phrase: the counted noun, else the kind of figure."""
    noun = ctx.get("noun") if q.kind == "count" else None
    counted = q.counted if q.counted and len(q.counted.split()) >= 2 or q.kind == "count" else None
    what = {"money": "sum", "count": "number", "percent": "share"}.get(q.kind, q.kind)
    text = counted or noun or what
    if subject and subject.casefold() not in text.casefold():
        text += f" ({'of' if q.kind == 'count' else 'involving'} {subject})"
    return text


def _best_descriptions(
    claims: Sequence[Any], figures: Sequence[claims_mod.Figure], describe: Mapping[int, str], trust: Mapping[str, float]
) -> None:
    """Give each claim the description its most trusted, most informative figure has."""
    index = {(f.quantity.article_id, f.quantity.start): i for i, f in enumerate(figures)}

    def quality(i: int) -> tuple[float, float, int]:
        text = describe.get(i, "")
        words = len(text.split())
        fits = 1.0 if 2 <= words <= 12 else 0.5 if words else 0.0
        if "(" in text:
            fits -= 0.25  # a fallback description ("sum (involving X)"), not read off the parse
        return (fits, trust.get(figures[i].quantity.article_id, 1.0), -abs(words - 6))

    for c in claims:
        members = [index[(v.article_id, v.start)] for v in c.values if (v.article_id, v.start) in index]
        if members:
            best = max(members, key=quality)
            if describe.get(best):
                c.description = describe[best]


def _namer(
    article_id: str,
    note: Mapping[str, Any],
    entity_of: Mapping[tuple[str, int, int], str],
    names: Mapping[str, str],
    text: str = "",
    entities: Sequence[Entity] = (),
    *,
    expand_acronyms: bool = False,
    short: Mapping[str, str] | None = None,
) -> Callable[[int, int], tuple[int, int, str] | None]:
    """Finds the entity mention a span lies in, and the entity's canonical name; a one-word alias
    the recogniser missed ("HVWA") is still known by its spelling (``short``: :func:`_short_forms`
    of ``entities``, made once by a caller naming in many reports)."""
    spans = sorted(
        (s, e, names[entity_of[(article_id, s, e)]])
        for s, e, _t, _lab in note["mentions"]
        if (article_id, s, e) in entity_of and entity_of[(article_id, s, e)] in names
    )
    if short is None:
        short = _short_forms(entities)

    def expanded(start: int, name: str) -> str:
        """An acronym spelled out, with "the" when the report writes the name that way."""
        if re.search(r"\bthe\s+" + re.escape(name), text, re.IGNORECASE) and not text[:start].rstrip().lower().endswith("the"):
            return "the " + name
        return name

    def name_at(start: int, end: int) -> tuple[int, int, str] | None:
        for s, e, name in spans:
            if s <= start and end <= e:
                surface = text[s:e]
                if text and surface.isupper() and " " not in surface:
                    # an acronym is a short form, not a misspelling: kept, or spelled out on request
                    return (s, e, expanded(s, name)) if expand_acronyms else (s, e, surface)
                return s, e, name
        word = text[start:end]
        if expand_acronyms and word in short:
            return start, end, expanded(start, short[word])
        return None

    return name_at


def _short_forms(entities: Sequence[Entity]) -> dict[str, str]:
    """One-word upper-case aliases of people and organisations ("HVWA") -> the entity's name."""
    return {
        alias: e.name for e in entities if e.type in ("ORG", "PERSON")
        for alias in e.aliases if len(alias.split()) == 1 and alias.isupper() and len(alias) >= 2
    }


def _figure_sources(
    members: Sequence[Article],
    notes: Mapping[str, dict[str, Any]],
    entity_of: Mapping[tuple[str, int, int], str],
    entities: Sequence[Entity],
) -> dict[tuple[str, int], str]:
    """Who each figure is attributed to ("the Harlow Valley Water Authority"), by (article id, start)."""
    out: dict[tuple[str, int], str] = {}
    names = {e.id: e.name for e in entities}
    short = _short_forms(entities)
    for a in members:
        note = notes[a.id]
        namer = _namer(a.id, note, entity_of, names, a.text, entities, expand_acronyms=True, short=short)
        for q, parts in zip(note["quantities"], note.get("figure_sources") or []):
            if parts:
                out[(a.id, q["start"])] = actions_mod.render(parts, a.text, namer)
    return out


def _named_mentions(
    members: Sequence[Article],
    notes: Mapping[str, dict[str, Any]],
    entity_of: Mapping[tuple[str, int, int], str],
    entities: Sequence[Entity],
) -> dict[str, list[tuple[int, int, Entity]]]:
    """Per article, its entity mentions in text order with their entity."""
    by_id = {e.id: e for e in entities}
    out: dict[str, list[tuple[int, int, Entity]]] = {}
    for a in members:
        out[a.id] = sorted(
            (s, e, by_id[entity_of[(a.id, s, e)]])
            for s, e, _t, _lab in notes[a.id]["mentions"]
            if (a.id, s, e) in entity_of and entity_of[(a.id, s, e)] in by_id
        )
    return out


_DATED = re.compile(r"^\d{4}-\d{2}(?:-\d{2})?")
_KEY_WORD = re.compile(r"[A-Za-z][A-Za-z-]{2,}")


def _event_mentions(
    article: Article,
    note: Mapping[str, Any],
    dates: Sequence[DateMention],
    anchor: str | None,
    named: Sequence[tuple[int, int, Entity]],
) -> list[EventMention]:
    """The article's actions dated by its own words, with names resolved to the story's entities."""
    text = article.text
    by_span = {(d.start, d.end): d.value for d in dates}
    name_at = _name_at(text, named)

    def key(span: tuple[int, int] | None, head: str | None, rendered: str = "") -> tuple[frozenset[str], bool]:
        words = {head} if head else set()
        words |= {w.casefold() for w in _KEY_WORD.findall(rendered) if w.casefold() not in STOP_WORDS}
        is_name = False
        if span:
            for s, e, ent in named:
                if span[0] <= s and e <= span[1]:
                    words.add(ent.id)
                    if (s, e) == span or (head and head in ent.name.casefold()):
                        words |= {w.casefold() for w in re.findall(r"\w+", " ".join([ent.name, *ent.aliases]))}
                    is_name = is_name or (s, e) == span or (e - s) >= (span[1] - span[0]) - 4
        return frozenset(words), is_name

    out: list[EventMention] = []
    for p in note.get("actions", []):
        act = actions_mod.ActionRecord.from_payload(p)
        if act.future and act.date_source != "text":
            continue  # a plan dated only by the day it was announced
        if act.date_source == "published" and not act.main:
            continue
        if act.date_source == "published":
            value = anchor
        else:
            value = (by_span.get(act.date_span) if act.date_span else None) or act.date
        if not value or not _DATED.match(value):
            continue
        if act.past and anchor and value[: len(anchor[:10])] > anchor[:10]:
            continue  # a past event dated after the report: the date belongs to another clause
        subject = actions_mod.render(act.subject, text, name_at)
        subject_key, subject_is_name = key(act.subject_span, act.subject_head, subject)
        if act.subject_pronoun:
            if act.subject_pronoun not in ("he", "she"):
                continue
            person = next((ent for s, _e, ent in reversed(named) if s < act.start and ent.type == "PERSON"), None)
            if person is None:
                continue
            subject, subject_key, subject_is_name = person.name, frozenset({person.id}), True
        if not subject:
            continue
        obj = actions_mod.render(act.obj, text, name_at)
        agent = actions_mod.render(act.agent, text, name_at)
        agent_key, _ = key(act.agent_span, act.agent_head, agent)
        object_key, _ = key(act.object_span, act.object_head, obj)
        out.append(
            EventMention(
                article_id=article.id, date=_DATED.match(value).group(), lemma=act.lemma, subject=subject,  # type: ignore[union-attr]
                obj=obj, extra=actions_mod.render(act.extra, text, name_at),
                agent=agent, negated=act.negated, passive=act.passive,
                plural=act.subject_plural, future=act.future, main=act.main, subject_key=subject_key,
                object_key=object_key, agent_key=agent_key, subject_is_name=subject_is_name, position=act.start,
                dated=act.date_source != "published",
            )
        )
    return out


def _title(members: Sequence[Article], trust: Mapping[str, float]) -> str:
    titled = [a for a in members if a.title]
    if titled:
        best = max(titled, key=lambda a: (trust.get(a.id, 0.0), -(len(a.title or ""))))
        return best.title or ""
    first = members[0].text.split("\n", 1)[0]
    return first[:120]


# ---------------------------------------------------------------- the report


def _assemble(
    articles: Sequence[Article],
    notes: Mapping[str, dict[str, Any]],
    stories: list[Story],
    garble: Mapping[str, float],
    dates: Mapping[str, list[list[Any]]],
) -> dict[str, Any]:
    """Give stories, entities, claims and quotes report-wide ids and build report.json."""
    stories.sort(key=lambda s: (-len(s.article_ids), s.article_ids[0]))
    entity_map = entities_mod.link_entities_across_stories([s.entities for s in stories])
    claim_n = quote_n = 0
    story_dates: dict[str, list[list[Any]]] = {}
    for n, story in enumerate(stories, 1):
        story.id = f"s{n}"
        rename = {e.id: entity_map[(n - 1, e.id)] for e in story.entities}
        for e in story.entities:
            e.id = rename[e.id]
        for c in story.claims:
            claim_n += 1
            c.id = f"c{claim_n}"
            c.subject = rename.get(c.subject) if c.subject else None
        for q in story.quotes:
            quote_n += 1
            q.id = f"q{quote_n}"
            q.speaker = rename.get(q.speaker) if q.speaker else None
    for a in articles:
        story_dates[a.id] = dates[a.id] if a.id in dates else notes[a.id]["dates"]
    return {
        "schema_version": SCHEMA_VERSION,
        "articles": [
            {
                "id": a.id,
                "title": a.title,
                "source": a.source,
                "url": a.url,
                "published_at": a.published_at,
                "language": a.language,
                "text": a.text,
                "dates": [{"text": t, "start": s, "end": e, "value": v} for s, e, t, v, _k in story_dates[a.id]],
                "quality": {"garble": float(garble.get(a.id, 0.0))},
            }
            for a in articles
        ],
        "stories": [s.to_dict() for s in stories],
    }
