"""The local engine: steps run in this process, candidate SQL on DuckDB."""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import duckdb

from ..model import Article
from . import steps
from .base import Dialect, Engine, Partition

DUCKDB = Dialect(name="duckdb", explode="unnest")


def default_workers() -> int:
    """Annotation processes: ``STORYLINE_WORKERS`` if set, else the machine's cores (at most 4)."""
    value = os.environ.get("STORYLINE_WORKERS", "").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    return max(1, min(4, os.cpu_count() or 1))


def _annotate_chunk(rows: list[tuple[int, dict[str, Any]]]) -> list[tuple[int, str]]:
    return list(steps.annotate_partition(rows))


def _worker_order(articles: Sequence[Article], window: range) -> list[int]:
    """The indices of ``window``, copies of one report (same :func:`steps.copy_key`) next to each
    other at the first one's place, else in input order."""
    first: dict[str, int] = {}
    keys = [(first.setdefault(steps.copy_key(articles[i].text), i), i) for i in window]
    return [i for _, i in sorted(keys)]


class LocalEngine(Engine):
    """Steps in this process; annotation (the spaCy model, most of a run's time) in ``workers``
    processes when there are at least ``parallel_from`` articles to annotate."""

    name = "local"
    dialect = DUCKDB

    def __init__(self, workers: int | None = None, *, parallel_from: int = 100) -> None:
        self.workers = default_workers() if workers is None else max(1, workers)
        self.parallel_from = parallel_from

    def annotate(self, articles: Sequence[Article]) -> Iterator[tuple[Article, dict[str, Any]]]:
        # Streamed one article at a time (in input order) so that the caller can store (and report)
        # each as it comes.
        if self.workers > 1 and len(articles) >= max(2, self.parallel_from):
            return self._annotate_in_processes(articles)
        return steps.annotate_articles(articles)

    # Articles are handed to workers a window at a time, reordered within it (see _worker_order).
    WINDOW = 512

    def _annotate_in_processes(self, articles: Sequence[Article]) -> Iterator[tuple[Article, dict[str, Any]]]:
        """Chunks of articles annotated by a pool of processes (each loads the model once), results
        in input order. If a worker dies, the articles not yet returned are annotated here.

        Within each window of :attr:`WINDOW` articles, copies of one report go to the same chunk
        (:func:`_worker_order`), so the worker that analyses a paragraph also meets its repeats
        (each worker remembers the paragraphs it analysed: :class:`storyline.nlp.Paragraphwise`).
        At most one window's results wait to be yielded in input order.
        """
        size = max(4, min(32, len(articles) // (self.workers * 4) or 1))
        windows = [range(w, min(w + self.WINDOW, len(articles))) for w in range(0, len(articles), self.WINDOW)]
        chunks: list[list[tuple[int, dict[str, Any]]]] = []
        last_chunk: list[int] = []  # per window, the index of its last chunk
        for window in windows:
            order = _worker_order(articles, window)
            chunks += [[(i, steps.article_record(articles[i])) for i in order[k : k + size]] for k in range(0, len(order), size)]
            last_chunk.append(len(chunks) - 1)
        done: dict[int, dict[str, Any]] = {}
        next_out = 0
        try:
            with ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn")) as pool:
                w = 0
                for c, results in enumerate(pool.map(_annotate_chunk, chunks)):
                    for i, payload in results:
                        done[i] = json.loads(payload)
                    while w < len(windows) and c >= last_chunk[w]:
                        for i in windows[w]:
                            yield articles[i], done.pop(i)
                        next_out = windows[w].stop
                        w += 1
        except BrokenProcessPool:
            missing = [k for k in range(next_out, len(articles)) if k not in done]
            fresh = steps.annotate_articles([articles[k] for k in missing])  # in input order, as needed
            for k in range(next_out, len(articles)):
                yield articles[k], done.pop(k) if k in done else next(fresh)[1]

    def analyse_stories(
        self, jobs: Sequence[tuple[Sequence[Article], Mapping[str, dict[str, Any]]]]
    ) -> Iterator[dict[str, Any]]:
        from ..pipeline import analyse_story

        for members, notes in jobs:
            yield analyse_story(members, notes).to_payload()

    def _map(self, fn: Partition, rows: Sequence[tuple[Any, ...]], *, stage: str) -> list[tuple[int, Any]]:
        return list(fn(iter(rows)))

    def _sql(self, sql: str, table: str, rows: Sequence[tuple[str, int | None, list[str]]]) -> list[tuple[Any, ...]]:
        con = duckdb.connect()
        try:
            con.execute(f"CREATE TABLE {table} (id VARCHAR, day INTEGER, keys VARCHAR[])")
            if rows:
                con.executemany(f"INSERT INTO {table} VALUES (?, ?, ?)", [list(r) for r in rows])
            return con.execute(sql).fetchall()
        finally:
            con.close()
