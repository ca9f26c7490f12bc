"""Read-side queries of the web app: stories, articles, entities and claims out of a :class:`Store`.

Every value a user sends (search words, filters, ids) reaches DuckDB as a bound parameter; search
words are matched literally, ignoring case (``contains``, no wildcards). Lists are paginated with a capped
``limit``; listing and filtering stories reads the story index (``Store.refresh_story_index``), not the
story payloads.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..model import SCHEMA_VERSION
from ..store import Store

__all__ = ["MAX_LIMIT", "StoreView", "StoryFilters"]

MAX_LIMIT = 200

_STORY_COLUMNS = (
    "s.story_key, s.title, s.n_articles, s.n_sources, s.sources, s.first_date, s.last_date,"
    " s.n_claims, s.n_conflicts, s.n_updated, s.independent_sources"
)
_ARTICLE_META = "a.id, a.title, a.source, a.url, a.published_at, a.language, ia.story_key"


@dataclass(frozen=True)
class StoryFilters:
    q: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    source: str | None = None
    has_conflicts: bool = False


def _story_row(row: Sequence[Any]) -> dict[str, Any]:
    (key, title, n, n_sources, sources, first, last, n_claims, n_conflicts, n_updated, independent) = row
    return {
        "story_key": key,
        "title": title,
        "n_articles": n,
        "n_sources": n_sources,
        "sources": list(sources or []),
        "first_date": first,
        "last_date": last,
        "n_claims": n_claims,
        "n_conflicts": n_conflicts,
        "n_updated": n_updated,
        "has_conflicts": bool(n_conflicts),
        "independent_sources": independent,
    }


def _article_meta(row: Sequence[Any]) -> dict[str, Any]:
    aid, title, source, url, published, language, key = row
    return {
        "id": aid, "title": title, "source": source, "url": url, "published_at": published,
        "language": language, "story_key": key,
    }


class StoreView:
    """The queries the pages and the API need, over one open store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._refresh_lock = threading.Lock()
        self.refresh()

    def refresh(self) -> int:
        """Bring the story index up to date (after an ingestion run)."""
        with self._refresh_lock:
            return self.store.refresh_story_index()

    # --- stories --------------------------------------------------------------

    def stories(self, filters: StoryFilters, limit: int, offset: int) -> dict[str, Any]:
        where: list[str] = []
        params: list[Any] = []
        if filters.q:
            words = filters.q.lower()
            where.append(
                "(contains(s.search_text, ?) OR s.story_key IN (SELECT ia.story_key FROM story_index_articles ia"
                " WHERE ia.article_id IN (SELECT a.id FROM articles a WHERE contains(lower(a.text), ?))))"
            )
            params += [words, words]
        if filters.date_from:
            where.append("s.last_date >= ?")
            params.append(filters.date_from)
        if filters.date_to:
            where.append("s.first_date <= ?")
            params.append(filters.date_to + "\uffff")
        if filters.source:
            where.append("s.story_key IN (SELECT story_key FROM story_index_sources WHERE source = ?)")
            params.append(filters.source)
        if filters.has_conflicts:
            where.append("s.n_conflicts > 0")
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        # one pass: the page and the total together (a search scans the texts once, not twice)
        rows = self.store.query(
            f"SELECT {_STORY_COLUMNS}, count(*) OVER () FROM story_index s{clause}"
            " ORDER BY s.last_date DESC NULLS LAST, s.n_articles DESC, s.story_key LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        if rows:
            total = rows[0][-1]
        else:
            total = self.store.query(f"SELECT count(*) FROM story_index s{clause}", params)[0][0] if offset else 0
        items = [_story_row(r[:-1]) for r in rows]
        return {"total": int(total), "limit": limit, "offset": offset, "items": items}

    def sources(self, limit: int = MAX_LIMIT) -> list[tuple[str, int]]:
        """The sources with the most stories, for the filter menu."""
        rows = self.store.query(
            "SELECT source, count(*) AS n FROM story_index_sources GROUP BY source ORDER BY n DESC, source LIMIT ?",
            [limit],
        )
        return [(r[0], int(r[1])) for r in rows]

    def story(self, key: str) -> dict[str, Any] | None:
        rows = self.store.query(f"SELECT {_STORY_COLUMNS} FROM story_index s WHERE s.story_key = ?", [key])
        payload_rows = self.store.query("SELECT payload FROM stories WHERE story_key = ?", [key])
        if not rows or not payload_rows:
            return None
        out = _story_row(rows[0])
        payload = json.loads(payload_rows[0][0])
        out["story"] = payload["story"]
        out["garble"] = payload.get("garble", {})
        ids = list(payload["story"]["article_ids"])
        metas = self.store.query(
            f"SELECT {_ARTICLE_META} FROM articles a LEFT JOIN story_index_articles ia ON ia.article_id = a.id"
            " WHERE a.id IN (SELECT unnest(?::VARCHAR[]))",
            [ids],
        )
        by_id = {r[0]: _article_meta(r) for r in metas}
        out["articles"] = [
            {**by_id[aid], "garble": out["garble"].get(aid)} for aid in ids if aid in by_id
        ]
        return out

    def report(self, key: str) -> dict[str, Any] | None:
        """One story as a report.json-shaped dict (its articles with text, dates and garble)."""
        rows = self.store.query("SELECT payload FROM stories WHERE story_key = ?", [key])
        if not rows:
            return None
        payload = json.loads(rows[0][0])
        story = {**payload["story"], "id": "s1"}
        ids = list(story["article_ids"])
        texts = self.store.query(
            "SELECT id, title, source, url, published_at, language, text FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))",
            [ids],
        )
        by_id = {r[0]: r for r in texts}
        dates = payload.get("dates", {})
        garble = payload.get("garble", {})
        articles = [
            {
                "id": aid, "title": by_id[aid][1], "source": by_id[aid][2], "url": by_id[aid][3],
                "published_at": by_id[aid][4], "language": by_id[aid][5], "text": by_id[aid][6],
                "dates": [{"text": t, "start": s, "end": e, "value": v} for s, e, t, v, *_ in dates.get(aid, [])],
                "quality": {"garble": float(garble.get(aid, 0.0))},
            }
            for aid in ids if aid in by_id
        ]
        return {"schema_version": SCHEMA_VERSION, "articles": articles, "stories": [story]}

    # --- articles -------------------------------------------------------------

    def articles(
        self, *, story: str | None, source: str | None, q: str | None, limit: int, offset: int
    ) -> dict[str, Any]:
        where: list[str] = []
        params: list[Any] = []
        if story:
            where.append("ia.story_key = ?")
            params.append(story)
        if source:
            where.append("a.source = ?")
            params.append(source)
        if q:
            where.append("(contains(lower(a.title), ?) OR contains(lower(a.text), ?))")
            params += [q.lower(), q.lower()]
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        base = "FROM articles a LEFT JOIN story_index_articles ia ON ia.article_id = a.id"
        total = self.store.query(f"SELECT count(*) {base}{clause}", params)[0][0]
        rows = self.store.query(
            f"SELECT {_ARTICLE_META} {base}{clause} ORDER BY a.seq LIMIT ? OFFSET ?", [*params, limit, offset]
        )
        return {"total": int(total), "limit": limit, "offset": offset, "items": [_article_meta(r) for r in rows]}

    def article(self, article_id: str) -> dict[str, Any] | None:
        rows = self.store.query(
            "SELECT a.id, a.title, a.source, a.url, a.published_at, a.language, ia.story_key, a.content_hash,"
            " a.published_inferred, a.origin, a.text"
            " FROM articles a LEFT JOIN story_index_articles ia ON ia.article_id = a.id WHERE a.id = ?",
            [article_id],
        )
        if not rows:
            return None
        row = rows[0]
        out = _article_meta(row[:7])
        digest, inferred, origin, text = row[7:]
        out.update({"published_inferred": bool(inferred), "origin": origin, "text": text})
        notes = self.store.query(
            "SELECT payload FROM annotations WHERE content_hash = ? ORDER BY version DESC LIMIT 1", [digest]
        )
        note = json.loads(notes[0][0]) if notes else {}
        story_payload: dict[str, Any] = {}
        if out["story_key"]:
            payload_rows = self.store.query("SELECT payload FROM stories WHERE story_key = ?", [out["story_key"]])
            story_payload = json.loads(payload_rows[0][0]) if payload_rows else {}
        story = story_payload.get("story", {})
        out["story_title"] = story.get("title")
        dates = story_payload.get("dates", {}).get(article_id, note.get("dates", []))
        out["mentions"] = [
            {"start": s, "end": e, "text": t, "label": lab} for s, e, t, lab in note.get("mentions", [])
        ]
        names = {}
        for entity in story.get("entities", []):
            for m in entity.get("mentions", []):
                if m["article_id"] == article_id:
                    names[(m["start"], m["end"])] = (entity["id"], entity["name"])
        for m in out["mentions"]:
            if (m["start"], m["end"]) in names:
                m["entity_id"], m["entity"] = names[(m["start"], m["end"])]
        out["dates"] = [{"start": s, "end": e, "text": t, "value": v, "kind": k} for s, e, t, v, k in dates]
        out["claim_values"] = [
            {
                "claim_id": c["id"], "status": c["status"], "description": c["description"],
                "start": v["start"], "end": v["end"], "text": v["text"], "value": v["value"], "unit": v["unit"],
            }
            for c in story.get("claims", []) for v in c["values"] if v["article_id"] == article_id
        ]
        out["sentences"] = [list(s) for s in note.get("sentences", [])]
        out["garble"] = story_payload.get("garble", {}).get(article_id)
        return out

    def cited_sentence(self, article: dict[str, Any], story_key: str, cite: str) -> tuple[int, int] | None:
        """The sentence of ``article`` that a story's summary or timeline line (``summary-3``, ``timeline-0``)
        rests on: the sentence sharing the most words with it."""
        match = re.fullmatch(r"(summary|timeline)-(\d{1,6})", cite)
        if not match:
            return None
        rows = self.store.query("SELECT payload FROM stories WHERE story_key = ?", [story_key])
        if not rows:
            return None
        story = json.loads(rows[0][0])["story"]
        items = story[match.group(1)]
        index = int(match.group(2))
        if index >= len(items):
            return None
        line = items[index]["text" if match.group(1) == "summary" else "description"]
        return best_sentence(article["text"], article["sentences"], line)

    # --- entities and claims --------------------------------------------------

    def entities(
        self, *, q: str | None, type: str | None, story: str | None, limit: int, offset: int
    ) -> dict[str, Any]:
        where: list[str] = []
        params: list[Any] = []
        if q:
            where.append("(contains(lower(e.name), ?) OR contains(lower(array_to_string(e.aliases, ' | ')), ?))")
            params += [q.lower(), q.lower()]
        if type:
            where.append("e.type = ?")
            params.append(type.upper())
        if story:
            where.append("e.story_key = ?")
            params.append(story)
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        total = self.store.query(f"SELECT count(*) FROM story_index_entities e{clause}", params)[0][0]
        rows = self.store.query(
            "SELECT e.story_key, e.entity_id, e.name, e.type, e.aliases, e.n_mentions"
            f" FROM story_index_entities e{clause} ORDER BY e.n_mentions DESC, e.name, e.story_key, e.entity_id"
            " LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        items = [
            {"story_key": r[0], "entity_id": r[1], "name": r[2], "type": r[3], "aliases": list(r[4] or []),
             "n_mentions": r[5]}
            for r in rows
        ]
        return {"total": int(total), "limit": limit, "offset": offset, "items": items}

    def claims(
        self, *, status: str | None, kind: str | None, story: str | None, limit: int, offset: int
    ) -> dict[str, Any]:
        where: list[str] = []
        params: list[Any] = []
        if status:
            where.append("c.status = ?")
            params.append(status)
        if kind:
            where.append("c.kind = ?")
            params.append(kind)
        if story:
            where.append("c.story_key = ?")
            params.append(story)
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        total = self.store.query(f"SELECT count(*) FROM story_index_claims c{clause}", params)[0][0]
        rows = self.store.query(
            "SELECT c.story_key, c.claim_id, c.kind, c.status, c.subject, c.description, c.claim_values"
            f" FROM story_index_claims c{clause} ORDER BY c.story_key, c.claim_id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        items = [
            {"story_key": r[0], "claim_id": r[1], "kind": r[2], "status": r[3], "subject": r[4],
             "description": r[5], "values": json.loads(r[6]) if r[6] else []}
            for r in rows
        ]
        return {"total": int(total), "limit": limit, "offset": offset, "items": items}


_WORD = re.compile(r"\w+")


def best_sentence(text: str, sentences: Sequence[Sequence[int]], line: str) -> tuple[int, int] | None:
    """The (start, end) of the sentence of ``text`` sharing the largest share of ``line``'s words."""
    words = {w.casefold() for w in _WORD.findall(line) if len(w) > 2}
    if not words:
        return None
    best: tuple[float, int, int] | None = None
    for start, end in sentences:
        found = {w.casefold() for w in _WORD.findall(text[start:end]) if len(w) > 2}
        score = len(words & found) / len(words)
        if score > 0 and (best is None or score > best[0]):
            best = (score, start, end)
    return None if best is None else (best[1], best[2])
