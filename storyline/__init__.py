"""Storyline: cross-check news reports.

>>> import storyline
>>> report = storyline.analyze(["examples/"])      # doctest: +SKIP
>>> storyline.name_similarity("Khaled", "Khalid") > 0.8
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import StorylineError

if TYPE_CHECKING:
    from collections.abc import Iterable
    from os import PathLike

    from .names import name_similarity

__all__ = ["analyze", "name_similarity", "StorylineError", "__version__"]
__version__ = "0.2.0"


def analyze(inputs: Iterable[str | PathLike[str]], *, db: str | PathLike[str] | None = None) -> dict[str, Any]:
    """Analyse files or folders of reports and return the report (CONTRACT section 2) as a dict."""
    from .pipeline import AnalyzeOptions, run_analysis

    return run_analysis([str(p) for p in inputs], AnalyzeOptions(db=str(db) if db else None)).report


def __getattr__(name: str) -> Any:
    # Loaded on first use so that ``import storyline`` stays light.
    if name == "name_similarity":
        from .names import name_similarity

        return name_similarity
    raise AttributeError(f"module 'storyline' has no attribute {name!r}")
