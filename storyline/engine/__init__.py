"""Engines: where the pipeline's data-parallel steps run.

One workflow (:class:`~storyline.engine.base.Engine`) with small backend hooks,
in the manner of splink's database APIs:

* :class:`LocalEngine` -- in this process, candidate SQL on DuckDB (the default);
* :class:`SparkEngine` -- on Apache Spark (``pip install 'storyline[spark]'``),
  records staged as Parquet, candidate SQL on Spark SQL.

Both run the same stage functions (:mod:`storyline.engine.steps`) over the same
records, and the order-dependent story clusterer runs once on the driver over
the small feature records in the store's order, so the two engines give the same
stories, entities and claims.
"""

from __future__ import annotations

from typing import Any

from .base import Dialect, Engine, EngineFeatureMissing
from .local import LocalEngine

__all__ = ["ENGINES", "Dialect", "Engine", "EngineFeatureMissing", "LocalEngine", "SparkEngine", "make_engine"]

ENGINES = ("local", "spark")


def make_engine(name: str = "local", **options: Any) -> Engine:
    """The engine called ``name`` ("local" or "spark"); ``options`` go to its constructor."""
    if name == "local":
        return LocalEngine(**options)
    if name == "spark":
        from .spark import SparkEngine

        return SparkEngine(**options)
    from ..errors import StorylineError

    raise StorylineError(f"unknown engine {name!r} (available: {', '.join(ENGINES)})")


def __getattr__(name: str) -> Any:
    if name == "SparkEngine":  # imported lazily: pyspark is an optional extra
        from .spark import SparkEngine

        return SparkEngine
    raise AttributeError(f"module 'storyline.engine' has no attribute {name!r}")
