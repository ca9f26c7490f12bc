"""The local engine: steps run in this process, candidate SQL on DuckDB."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import duckdb

from ..model import Article
from . import steps
from .base import Dialect, Engine, Partition

DUCKDB = Dialect(name="duckdb", explode="unnest")


class LocalEngine(Engine):
    name = "local"
    dialect = DUCKDB

    def annotate(self, articles: Sequence[Article]) -> Iterator[tuple[Article, dict[str, Any]]]:
        # Streamed one article at a time so that the caller can store (and report) each as it comes.
        return steps.annotate_articles(articles)

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
