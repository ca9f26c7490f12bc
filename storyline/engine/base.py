"""The engine workflow, fixed, and the hooks each backend fills in (splink-style)."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Self

from ..errors import StorylineError
from ..model import Article
from ..stories import StoryFeatures
from . import steps

Partition = Callable[[Iterable[Any]], Iterator[tuple[int, Any]]]


class EngineFeatureMissing(StorylineError):
    """A backend was asked for something it does not support; the message names it."""


@dataclass(frozen=True)
class Dialect:
    """The SQL that differs between engines."""

    name: str
    explode: str  # set-returning function that turns a list column into rows

    def candidate_sql(self, table: str, *, window_days: int, max_block: int) -> str:
        """Pairs of reports that share a blocking key within ``window_days``; keys held by more
        than ``max_block`` reports are too common to block on and are dropped (skew guard)."""
        return f"""
WITH keyed AS (
    SELECT id, day, {self.explode}(keys) AS key FROM {table}
),
usable AS (
    SELECT key FROM keyed GROUP BY key HAVING count(*) BETWEEN 2 AND {int(max_block)}
),
kept AS (
    SELECT keyed.id, keyed.day, keyed.key FROM keyed JOIN usable ON keyed.key = usable.key
)
SELECT a.id AS left_id, b.id AS right_id, count(*) AS shared
FROM kept a JOIN kept b ON a.key = b.key AND a.id < b.id
WHERE a.day IS NULL OR b.day IS NULL OR abs(a.day - b.day) <= {int(window_days)}
GROUP BY a.id, b.id
ORDER BY left_id, right_id
"""


class Engine(ABC):
    """Runs the pipeline's data-parallel steps. The workflow methods are fixed; backends
    implement :meth:`_map` (run a partition function over records, results in input order),
    :meth:`_map_articles` (the same over article records, where the backend may stage them,
    e.g. as Parquet) and :meth:`_sql` (run a query over one registered table of rows)."""

    name: str = "engine"
    dialect: Dialect

    # -------------------------------------------------------------- workflow

    def annotate(self, articles: Sequence[Article]) -> Iterator[tuple[Article, dict[str, Any]]]:
        """Per-article NLP payloads (see :func:`storyline.pipeline.annotate`), in input order."""
        records = [(i, steps.article_record(a)) for i, a in enumerate(articles)]
        for i, payload in self._map_articles(steps.annotate_partition, records, stage="annotate"):
            yield articles[i], json.loads(payload)

    def features(self, articles: Sequence[Article], anchors: Mapping[str, str | None]) -> list[StoryFeatures]:
        """The clusterer's features, one per article, in input order."""
        rows = [(i, a.id, a.text, a.title or "", anchors.get(a.id)) for i, a in enumerate(articles)]
        return [f for _, f in self._map(steps.features_partition, rows, stage="features")]

    def analyse_stories(
        self, jobs: Sequence[tuple[Sequence[Article], Mapping[str, dict[str, Any]]]]
    ) -> Iterator[dict[str, Any]]:
        """:func:`storyline.pipeline.analyse_story` payloads for (members, notes) jobs, in input order."""
        rows = [
            (i, [steps.article_record(a) for a in members], {a.id: notes[a.id] for a in members})
            for i, (members, notes) in enumerate(jobs)
        ]
        for _, payload in self._map(steps.analyse_partition, rows, stage="analyse"):
            yield json.loads(payload)

    def candidate_pairs(
        self, features: Sequence[StoryFeatures], *, window_days: int = 60, max_block: int = 1000
    ) -> list[tuple[str, str, int]]:
        """Candidate generation, expressed once in SQL: (left id, right id, shared keys), sorted."""
        rows = [steps.blocking_record(f) for f in features]
        sql = self.dialect.candidate_sql("docs", window_days=window_days, max_block=max_block)
        return [(str(a), str(b), int(n)) for a, b, n in self._sql(sql, "docs", rows)]

    def blocks(self, features: Sequence[StoryFeatures], **options: Any) -> list[list[str]]:
        """Connected components of the candidate graph (each a sorted list of ids; singletons included)."""
        parent = {f.article_id: f.article_id for f in features}

        def root(x: str) -> str:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for a, b, _ in self.candidate_pairs(features, **options):
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        groups: dict[str, list[str]] = {}
        for x in parent:
            groups.setdefault(root(x), []).append(x)
        return sorted((sorted(g) for g in groups.values()), key=lambda g: (-len(g), g[0]))

    def close(self) -> None:
        """Release what the engine holds (a Spark session it started)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -------------------------------------------------------------- hooks

    @abstractmethod
    def _map(self, fn: Partition, rows: Sequence[tuple[Any, ...]], *, stage: str) -> list[tuple[int, Any]]:
        """Apply ``fn`` to partitions of ``rows`` (each starting with its position); results sorted by position."""

    def _map_articles(self, fn: Partition, rows: Sequence[tuple[int, dict[str, Any]]], *, stage: str) -> Iterable[tuple[int, Any]]:
        return self._map(fn, rows, stage=stage)

    @abstractmethod
    def _sql(self, sql: str, table: str, rows: Sequence[tuple[str, int | None, list[str]]]) -> list[tuple[Any, ...]]:
        """Register ``rows`` (id, day, keys) as ``table`` and run ``sql`` over it."""
