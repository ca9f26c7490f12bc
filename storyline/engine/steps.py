"""The pipeline's data-parallel steps as plain functions over partitions of records.

Every engine runs these same functions; an engine only decides where a
partition lives and how results come back. Records are plain tuples and dicts
(JSON-able or picklable) so that they cross process and machine boundaries.
Each result carries the position of its input so that the driver can restore
the canonical order whatever order partitions finish in.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from ..model import Article
from ..stories import StoryFeatures

# ---------------------------------------------------------------- records

ARTICLE_FIELDS = tuple(f.name for f in dataclasses.fields(Article))


def article_record(article: Article) -> dict[str, Any]:
    """An article as a flat record of strings (metadata as JSON) for Parquet and pickling."""
    out = {name: getattr(article, name) for name in ARTICLE_FIELDS}
    out["metadata"] = json.dumps(article.metadata or {}, sort_keys=True)
    return out


def article_from_record(record: Mapping[str, Any]) -> Article:
    values = {name: record[name] for name in ARTICLE_FIELDS if name in record}
    values["metadata"] = json.loads(values.get("metadata") or "{}")
    values["published_inferred"] = bool(values.get("published_inferred"))
    return Article(**values)


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


# ---------------------------------------------------------------- steps


def copy_key(text: str) -> str:
    """A key shared by copies of one report: a hash of its longest paragraph (a copy under another
    masthead keeps its body). Annotation sends reports with one key to one worker, which then
    analyses their shared paragraphs once (:class:`storyline.nlp.Paragraphwise`)."""
    from ..nlp import paragraphs

    body = max(paragraphs(text), key=len, default="")
    return hashlib.blake2b(body.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def annotate_partition(rows: Iterable[tuple[int, Mapping[str, Any]]]) -> Iterator[tuple[int, str]]:
    """spaCy + :func:`storyline.pipeline.annotate` over (position, article record); payloads as JSON."""
    from ..nlp import english
    from ..pipeline import _anchor_of, annotate

    batch = [(i, article_from_record(r)) for i, r in rows]
    if not batch:
        return
    nlp = english()  # loaded once per worker process
    for (i, article), doc in zip(batch, nlp.pipe(a.text for _, a in batch)):
        yield i, json.dumps(annotate(article, doc, _anchor_of(article)))


def annotate_articles(articles: Sequence[Article]) -> Iterator[tuple[Article, dict[str, Any]]]:
    """The in-process form of :func:`annotate_partition`: one article at a time, payloads as dicts."""
    from ..nlp import english
    from ..pipeline import _anchor_of, annotate

    if not articles:
        return
    nlp = english()
    for article, doc in zip(articles, nlp.pipe(a.text for a in articles)):
        yield article, annotate(article, doc, _anchor_of(article))


def features_partition(rows: Iterable[tuple[int, str, str, str, str | None]]) -> Iterator[tuple[int, StoryFeatures]]:
    """The clusterer's cheap features over (position, id, text, title, anchor day)."""
    from ..stories import fast_features

    for i, aid, text, title, anchor in rows:
        yield i, fast_features(aid, text, title=title or "", day=_day(anchor))


def analyse_partition(
    rows: Iterable[tuple[int, Sequence[Mapping[str, Any]], Mapping[str, dict[str, Any]]]],
) -> Iterator[tuple[int, str]]:
    """:func:`storyline.pipeline.analyse_story` over (position, member records, their notes); JSON payloads."""
    from ..pipeline import analyse_story

    for i, members, notes in rows:
        articles = [article_from_record(m) for m in members]
        yield i, json.dumps(analyse_story(articles, dict(notes)).to_payload())


# ---------------------------------------------------------------- blocking keys


def blocking_record(features: StoryFeatures, *, max_names: int = 8) -> tuple[str, int | None, list[str]]:
    """(id, day ordinal, keys): the keys two reports must share to be compared.

    A key is a name the report mentions (``n:``) or a word of its title (``t:``);
    the SQL in :meth:`Engine.candidate_pairs` joins on them within a time window.
    """
    names = sorted(features.names.items(), key=lambda kv: (-kv[1], kv[0]))[:max_names]
    keys = {f"n:{k}" for k, _ in names} | {f"t:{t}" for t in features.title_terms}
    day = features.day.toordinal() if features.day else None
    return features.article_id, day, sorted(keys)
