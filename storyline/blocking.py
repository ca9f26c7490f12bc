"""TEMPORARY minimal candidate index (lead's stand-in; helper replaces this file)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True, kw_only=True)
class BlockingOptions:
    max_postings: int = 200


class CandidateIndex:
    def __init__(self, options: BlockingOptions | None = None) -> None:
        self.options = options or BlockingOptions()
        self.postings: dict[str, list[str]] = defaultdict(list)
        self.latest: dict[str, date | None] = {}

    def add(self, story_key: str, features: Any) -> None:
        for k in [*("t:" + t for t in features.terms), *("n:" + n for n in features.names)]:
            p = self.postings[k]
            if story_key not in p:
                p.append(story_key)
        self.latest.setdefault(story_key, None)

    def candidates(self, features: Any) -> list[str]:
        out: dict[str, None] = {}
        for k in [*("t:" + t for t in features.terms), *("n:" + n for n in features.names)]:
            for s in self.postings.get(k, ())[-self.options.max_postings :]:
                out.setdefault(s, None)
        return sorted(out)

    def evict_before(self, day: date) -> int:
        return 0

    def __len__(self) -> int:
        return len(self.latest)
