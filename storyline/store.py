"""The persistent store: a DuckDB file holding articles, cached annotations, stories and runs.

Every write runs in its own transaction, so a process killed mid-run leaves a readable store
holding whatever was committed; the next run recomputes what is missing (e.g. annotations).
The same text (``content_hash``) is never stored twice. An article whose id is already used by a
different text is stored under ``unique_id(id, content_hash)`` (``id-1a2b3c4d``), and
``add_articles`` returns it with that id.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import duckdb

from .errors import StoreError
from .ingest import unique_id
from .model import Article

__all__ = ["STORE_SCHEMA_VERSION", "Store"]

STORE_SCHEMA_VERSION = 5

# Migrations: version -> statements that bring a store from version-1 to version.
_MIGRATIONS: dict[int, tuple[str | Callable[[Any], None], ...]] = {
    1: (
        "CREATE SEQUENCE IF NOT EXISTS article_seq",
        """CREATE TABLE IF NOT EXISTS articles (
            seq BIGINT NOT NULL DEFAULT nextval('article_seq'),
            id VARCHAR PRIMARY KEY,
            content_hash VARCHAR NOT NULL UNIQUE,
            title VARCHAR,
            source VARCHAR,
            url VARCHAR,
            published_at VARCHAR,
            published_inferred BOOLEAN NOT NULL DEFAULT FALSE,
            language VARCHAR,
            origin VARCHAR,
            metadata JSON,
            text VARCHAR NOT NULL,
            added_at TIMESTAMPTZ NOT NULL
        )""",
        """CREATE TABLE IF NOT EXISTS annotations (
            content_hash VARCHAR PRIMARY KEY,
            version INTEGER NOT NULL,
            payload JSON NOT NULL
        )""",
        """CREATE TABLE IF NOT EXISTS stories (
            story_key VARCHAR PRIMARY KEY,
            fingerprint VARCHAR NOT NULL,
            payload JSON NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL
        )""",
        "CREATE SEQUENCE IF NOT EXISTS run_seq",
        """CREATE TABLE IF NOT EXISTS runs (
            id BIGINT PRIMARY KEY DEFAULT nextval('run_seq'),
            started TIMESTAMPTZ NOT NULL,
            finished TIMESTAMPTZ,
            status VARCHAR NOT NULL
        )""",
    ),
    2: (
        """CREATE TABLE IF NOT EXISTS story_members (
            article_id VARCHAR PRIMARY KEY,
            story_key VARCHAR NOT NULL,
            clusterer VARCHAR NOT NULL
        )""",
    ),
    3: (
        # The clusterer's features of each article (cheap to keep, costly to recompute for a large
        # store on every run that adds a report).
        """CREATE TABLE IF NOT EXISTS features (
            content_hash VARCHAR PRIMARY KEY,
            version INTEGER NOT NULL,
            anchor VARCHAR,
            payload JSON NOT NULL
        )""",
    ),
    4: (
        # The day each report's features date it to, so a run can select the stories still open
        # in SQL; and the document frequencies of the clusterer's terms and names over every
        # placed report, so a run that restores only those stories weighs words as a full one does.
        "ALTER TABLE features ADD COLUMN day DATE",
        "UPDATE features SET day = TRY_CAST(json_extract_string(payload, '$.day') AS DATE)",
        "CREATE TABLE IF NOT EXISTS term_df (key VARCHAR PRIMARY KEY, df BIGINT NOT NULL)",
        """CREATE TABLE IF NOT EXISTS cluster_state (
            clusterer VARCHAR PRIMARY KEY,
            features_version INTEGER NOT NULL,
            documents BIGINT NOT NULL
        )""",
    ),
    5: (
        # Each report's clustering keys (its terms and names, as the blocking index keys them; stored
        # as 64-bit hashes, which scan fast), so a run adding a few reports to a large store can
        # find in SQL the stories that share a rare key with them and restore only those.
        """CREATE TABLE IF NOT EXISTS feature_keys (
            content_hash VARCHAR NOT NULL,
            version INTEGER NOT NULL,
            key_hash BIGINT NOT NULL
        )""",
        lambda con: _backfill_feature_keys(con),
        # Each placed report's day and arrival, so the stories open to new reports and the order a
        # run restores reports in are read from this table alone.
        "ALTER TABLE story_members ADD COLUMN day DATE",
        "ALTER TABLE story_members ADD COLUMN seq BIGINT",
        """UPDATE story_members SET day = f.day, seq = a.seq
           FROM articles a, features f, cluster_state c
           WHERE story_members.article_id = a.id AND f.content_hash = a.content_hash
             AND c.clusterer = story_members.clusterer AND f.version = c.features_version""",
    ),
}

# The story index: derived from the stories table by ``Store.refresh_story_index`` (rebuildable, so not
# part of the migrations above).
_INDEX_TABLES = (
    """CREATE TABLE IF NOT EXISTS story_index (
        story_key VARCHAR PRIMARY KEY,
        fingerprint VARCHAR NOT NULL,
        title VARCHAR,
        n_articles INTEGER NOT NULL,
        n_sources INTEGER NOT NULL,
        sources VARCHAR[],
        first_date VARCHAR,
        last_date VARCHAR,
        n_claims INTEGER NOT NULL,
        n_conflicts INTEGER NOT NULL,
        n_updated INTEGER NOT NULL,
        independent_sources INTEGER,
        search_text VARCHAR,
        updated_at TIMESTAMPTZ
    )""",
    "CREATE TABLE IF NOT EXISTS story_index_articles (article_id VARCHAR NOT NULL, story_key VARCHAR NOT NULL)",
    "CREATE TABLE IF NOT EXISTS story_index_sources (source VARCHAR NOT NULL, story_key VARCHAR NOT NULL)",
    """CREATE TABLE IF NOT EXISTS story_index_entities (
        story_key VARCHAR NOT NULL, entity_id VARCHAR, name VARCHAR, type VARCHAR, aliases VARCHAR[], n_mentions INTEGER
    )""",
    """CREATE TABLE IF NOT EXISTS story_index_claims (
        story_key VARCHAR NOT NULL, claim_id VARCHAR, kind VARCHAR, status VARCHAR, subject VARCHAR,
        description VARCHAR, n_values INTEGER, claim_values JSON
    )""",
    "CREATE INDEX IF NOT EXISTS story_index_articles_article ON story_index_articles (article_id)",
    "CREATE INDEX IF NOT EXISTS story_index_articles_story ON story_index_articles (story_key)",
    "CREATE INDEX IF NOT EXISTS story_index_sources_source ON story_index_sources (source)",
    "CREATE INDEX IF NOT EXISTS story_index_entities_story ON story_index_entities (story_key)",
    "CREATE INDEX IF NOT EXISTS story_index_claims_story ON story_index_claims (story_key)",
)

_NEW_STORIES = "SELECT story_key FROM stories WHERE story_key NOT IN (SELECT story_key FROM story_index)"

_INDEX_FILL = (
    f"""INSERT INTO story_index_articles (article_id, story_key)
        SELECT unnest(json_extract_string(payload, '$.story.article_ids[*]')), story_key
        FROM stories WHERE story_key IN ({_NEW_STORIES})""",
    f"""INSERT INTO story_index_sources (source, story_key)
        SELECT DISTINCT a.source, ia.story_key FROM story_index_articles ia JOIN articles a ON a.id = ia.article_id
        WHERE a.source IS NOT NULL AND ia.story_key IN ({_NEW_STORIES})""",
    f"""INSERT INTO story_index_entities
        SELECT story_key, e ->> 'id', e ->> 'name', e ->> 'type', json_extract_string(e, '$.aliases[*]'),
               coalesce(json_array_length(json_extract(e, '$.mentions')), 0)
        FROM (SELECT story_key, unnest(json_extract(payload, '$.story.entities[*]')) AS e
              FROM stories WHERE story_key IN ({_NEW_STORIES}))""",
    f"""INSERT INTO story_index_claims
        SELECT story_key, c ->> 'id', c ->> 'kind', c ->> 'status', c ->> 'subject', c ->> 'description',
               coalesce(json_array_length(json_extract(c, '$.values')), 0), json_extract(c, '$.values')
        FROM (SELECT story_key, unnest(json_extract(payload, '$.story.claims[*]')) AS c
              FROM stories WHERE story_key IN ({_NEW_STORIES}))""",
    f"""INSERT INTO story_index
        WITH new AS (
            SELECT story_key, fingerprint, updated_at, payload ->> '$.story.title' AS title,
                   json_extract_string(payload, '$.story.timeline[*].date') AS days,
                   TRY_CAST(payload ->> '$.story.independent_sources' AS INTEGER) AS independent
            FROM stories WHERE story_key IN ({_NEW_STORIES})
        ), members AS (
            SELECT ia.story_key, count(*) AS n, count(DISTINCT a.source) AS n_sources,
                   list(DISTINCT a.source ORDER BY a.source) FILTER (WHERE a.source IS NOT NULL) AS sources,
                   min(substr(a.published_at, 1, 10)) AS first_day, max(substr(a.published_at, 1, 10)) AS last_day,
                   string_agg(coalesce(a.title, ''), ' ') AS titles
            FROM story_index_articles ia JOIN articles a ON a.id = ia.article_id
            WHERE ia.story_key IN (SELECT story_key FROM new) GROUP BY ia.story_key
        ), claims AS (
            SELECT story_key, count(*) AS n, count(*) FILTER (WHERE status = 'conflict') AS conflicts,
                   count(*) FILTER (WHERE status = 'updated') AS updates
            FROM story_index_claims WHERE story_key IN (SELECT story_key FROM new) GROUP BY story_key
        )
        SELECT new.story_key, new.fingerprint, new.title, coalesce(members.n, 0), coalesce(members.n_sources, 0),
               coalesce(members.sources, []::VARCHAR[]),
               coalesce(members.first_day, list_min(new.days)), coalesce(members.last_day, list_max(new.days)),
               coalesce(claims.n, 0), coalesce(claims.conflicts, 0), coalesce(claims.updates, 0), new.independent,
               lower(concat_ws(' ', new.title, members.titles, array_to_string(members.sources, ' '))),
               new.updated_at
        FROM new LEFT JOIN members USING (story_key) LEFT JOIN claims USING (story_key)""",
)

_ARTICLE_COLUMNS = (
    "id, content_hash, title, source, url, published_at, published_inferred, language, origin, metadata, text"
)


def _now() -> datetime:
    return datetime.now(UTC)


def _open_error(where: str, exc: Exception) -> StoreError:
    """A clear StoreError for a DuckDB failure to open ``where``."""
    msg = str(exc)
    low = msg.lower()
    if "lock" in low:
        return StoreError(f"store {where} is in use by another storyline process (close it and retry)")
    if "not a valid duckdb database" in low:
        return StoreError(f"cannot open store {where}: file is not a DuckDB database")
    if "permission denied" in low or "read-only" in low or "read only" in low:
        return StoreError(f"cannot open store {where}: permission denied (the file or folder is read-only)")
    if "is a directory" in low:
        return StoreError(f"cannot open store {where}: it is a folder, not a file")
    if "version" in low:
        return StoreError(f"cannot open store {where}: written by an incompatible DuckDB version")
    first = msg.strip().split("\n")[0]
    return StoreError(f"cannot open store {where}: {first}")


class Store:
    """Articles, annotations and stories in one DuckDB database (``path=None``: in memory)."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = None if path is None else Path(os.fspath(path))
        self._where = str(self.path) if self.path else ":memory:"
        self._lock = threading.RLock()
        self._con = self._connect()
        try:
            self._migrate()
        except duckdb.Error as exc:
            self._con.close()
            raise StoreError(f"cannot open store {self._where}: {str(exc).splitlines()[0]}") from exc
        except StoreError:
            self._con.close()
            raise

    # --- opening and closing ------------------------------------------------

    def _connect(self) -> duckdb.DuckDBPyConnection:
        if self.path is None:
            return duckdb.connect(":memory:")
        if self.path.is_dir():
            raise StoreError(f"cannot open store {self._where}: it is a folder, not a file")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder for store {self._where}: {exc.strerror or exc}") from exc
        try:
            if self.path.is_file() and self.path.stat().st_size == 0:
                self.path.unlink()  # an empty file (e.g. killed while being created) holds nothing to keep
            return duckdb.connect(str(self.path))
        except OSError as exc:
            raise StoreError(f"cannot open store {self._where}: {exc.strerror or exc}") from exc
        except duckdb.Error as exc:
            raise _open_error(self._where, exc) from exc

    def _migrate(self) -> None:
        con = self._con
        tables = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if tables and "storyline_schema" not in tables:
            raise StoreError(f"cannot open store {self._where}: a DuckDB database, but not a Storyline store")
        with self._transaction():
            con.execute("CREATE TABLE IF NOT EXISTS storyline_schema (version INTEGER NOT NULL)")
            row = con.execute("SELECT max(version) FROM storyline_schema").fetchone()
            current = int(row[0]) if row and row[0] is not None else 0
            if current > STORE_SCHEMA_VERSION:
                raise StoreError(
                    f"store {self._where} was written by a newer Storyline (schema {current}); upgrade storyline"
                )
            for version in range(current + 1, STORE_SCHEMA_VERSION + 1):
                for statement in _MIGRATIONS[version]:
                    if callable(statement):
                        statement(con)
                    else:
                        con.execute(statement)
                con.execute("INSERT INTO storyline_schema VALUES (?)", [version])

    # The log deferred checkpoints let grow (bytes): every open replays it (about 0.3 ms per KB
    # here), so it is kept to a few single-report adds and then folded into the file.
    DEFERRED_LOG = 256 * 1024

    def defer_checkpoint(self) -> bool:
        """Leave this session's few changes in the write-ahead log when closing (they are durable
        there and replayed on the next open), unless the log left by earlier sessions has reached
        ``DEFERRED_LOG``: this session then folds it in. Closing costs a small write instead of
        rewriting the changed tables and their indexes, and opening a short replay: for runs that
        add a report or two to a large store. Returns whether the checkpoint is deferred."""
        if self.path is None:
            return False
        try:
            logged = self.path.with_name(self.path.name + ".wal").stat().st_size
        except OSError:
            logged = 0
        if logged >= self.DEFERRED_LOG:
            return False
        with self._lock:
            self._con.execute("PRAGMA disable_checkpoint_on_shutdown")
        return True

    def close(self) -> None:
        """Close the database (idempotent)."""
        with self._lock:
            self._con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._lock:
            try:
                self._con.execute("BEGIN TRANSACTION")
                try:
                    yield self._con
                except BaseException:
                    self._con.execute("ROLLBACK")
                    raise
                self._con.execute("COMMIT")
            except duckdb.Error as exc:
                raise StoreError(f"cannot write to store {self._where}: {str(exc).splitlines()[0]}") from exc

    # --- articles -------------------------------------------------------------

    def add_articles(self, articles: Iterable[Article]) -> list[Article]:
        """Store the articles not stored yet (by content hash); return them as stored (ids may change)."""
        batch = list(articles)
        if not batch:
            return []
        added: list[Article] = []
        with self._transaction() as con:
            hashes = [a.content_hash for a in batch]
            ids = [a.id for a in batch]
            known_hashes = {r[0] for r in con.execute(
                "SELECT content_hash FROM articles WHERE content_hash IN (SELECT unnest(?::VARCHAR[]))", [hashes]
            ).fetchall()}
            taken_ids = {r[0] for r in con.execute(
                "SELECT id FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))", [ids]
            ).fetchall()}
            for article in batch:
                if article.content_hash in known_hashes:
                    continue
                if article.id in taken_ids:
                    article = replace(article, id=unique_id(article.id, article.content_hash, self._id_taken(taken_ids)))
                known_hashes.add(article.content_hash)
                taken_ids.add(article.id)
                added.append(article)
            if added:
                now = _now()
                con.executemany(
                    f"INSERT INTO articles ({_ARTICLE_COLUMNS}, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [_article_row(a) + [now] for a in added],
                )
        return added

    def _id_taken(self, taken: set[str]) -> Callable[[str], bool]:
        def check(candidate: str) -> bool:
            if candidate in taken:
                return True
            row = self._con.execute("SELECT 1 FROM articles WHERE id = ?", [candidate]).fetchone()
            return row is not None

        return check

    def articles(self) -> list[Article]:
        """All stored articles, in the order they were added."""
        with self._lock:
            rows = self._con.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles ORDER BY seq").fetchall()
        return [_row_article(row) for row in rows]

    def article_count(self) -> int:
        with self._lock:
            row = self._con.execute("SELECT count(*) FROM articles").fetchone()
        return int(row[0]) if row else 0

    # --- annotations ----------------------------------------------------------

    def get_annotations(self, hashes: Sequence[str], version: int) -> dict[str, dict[str, Any]]:
        """Cached annotation payloads of these articles, for this annotation version only."""
        return {h: json.loads(p) for h, p in self._cached("annotations", "content_hash, payload", hashes, version)}

    def annotated(self, hashes: Sequence[str], version: int) -> set[str]:
        """Which of these articles (content hashes) have annotations of this version (payloads not read)."""
        return {r[0] for r in self._cached("annotations", "content_hash", hashes, version)}

    def put_annotations(self, content_hash: str, version: int, payload: dict[str, Any]) -> None:
        """Cache one article's annotations (replacing any older version)."""
        self.put_many_annotations([(content_hash, version, payload)])

    def put_many_annotations(self, items: Iterable[tuple[str, int, dict[str, Any]]]) -> None:
        """Cache several articles' annotations in one transaction."""
        rows = [[h, v, json.dumps(p, ensure_ascii=False)] for h, v, p in items]
        if not rows:
            return
        with self._transaction() as con:
            _insert_columns(con, "INSERT OR REPLACE INTO annotations (content_hash, version, payload)", ("VARCHAR", "INTEGER", "JSON"), rows)

    # --- clustering features ---------------------------------------------------

    def get_features(self, hashes: Sequence[str], version: int) -> dict[str, dict[str, Any]]:
        """Cached feature payloads of these articles (by content hash), for this version only."""
        return {h: json.loads(p) for h, p in self._cached("features", "content_hash, payload", hashes, version)}

    def featured(self, hashes: Sequence[str], version: int) -> set[str]:
        """The content hashes among ``hashes`` whose features of this version are cached."""
        return {r[0] for r in self._cached("features", "content_hash", hashes, version)}

    def _cached(self, table: str, columns: str, hashes: Sequence[str], version: int) -> list[tuple[Any, ...]]:
        """``columns`` of the cache rows (``annotations`` or ``features``) of these hashes at this version."""
        if not hashes:
            return []
        with self._lock:
            return self._con.execute(
                f"SELECT {columns} FROM {table} WHERE version = ? AND content_hash IN (SELECT unnest(?::VARCHAR[]))",
                [version, list(hashes)],
            ).fetchall()

    def put_features(self, items: Iterable[tuple[str, str | None, int, dict[str, Any]]]) -> None:
        """Cache (content hash, anchor day, version, payload) rows in one transaction."""
        items = list(items)
        rows = [[h, v, a, p.get("day"), json.dumps(p, ensure_ascii=False)] for h, a, v, p in items]
        if not rows:
            return
        keys = [[h, v, key_hash(key)] for h, _a, v, p in items for key in _payload_keys(p)]
        with self._transaction() as con:
            _insert_columns(
                con, "INSERT OR REPLACE INTO features (content_hash, version, anchor, day, payload)",
                ("VARCHAR", "INTEGER", "VARCHAR", "DATE", "JSON"), rows,
            )
            con.execute(
                "DELETE FROM feature_keys WHERE content_hash IN (SELECT unnest(?::VARCHAR[]))", [[r[0] for r in rows]]
            )
            if keys:
                _insert_columns(con, "INSERT INTO feature_keys (content_hash, version, key_hash)", ("VARCHAR", "INTEGER", "BIGINT"), keys)

    # --- clustering state -------------------------------------------------------

    def cluster_state(self, clusterer: str) -> tuple[int, int] | None:
        """(features version, number of placed reports) the stored document frequencies describe,
        or None when they are missing or do not match the stored story membership."""
        with self._lock:
            row = self._con.execute(
                "SELECT features_version, documents FROM cluster_state WHERE clusterer = ?", [clusterer]
            ).fetchone()
            placed = self._con.execute(
                "SELECT count(*) FROM story_members WHERE clusterer = ?", [clusterer]
            ).fetchone()
        if row is None or placed is None or int(row[1]) != int(placed[0]):
            return None
        return int(row[0]), int(row[1])

    def term_df(self, keys: Iterable[str]) -> dict[str, int]:
        """Stored document frequencies of these clustering keys (absent keys: 0, left out)."""
        wanted = list(set(keys))
        if not wanted:
            return {}
        with self._lock:
            rows = self._con.execute(
                "SELECT key, df FROM term_df WHERE key IN (SELECT unnest(?::VARCHAR[]))", [wanted]
            ).fetchall()
        return {k: int(d) for k, d in rows}

    def open_story_members(
        self,
        clusterer: str,
        version: int,
        since: date | None,
        *,
        lookups: Sequence[tuple[int, str, float]] | Sequence[tuple[int, str, float, float]] | None = None,
        min_shared: float = 0.0,
        recent: int | None = None,
        top: int | None = None,
    ) -> list[tuple[str, str, int, dict[str, Any]]]:
        """The placed reports of the stories still open on ``since``, with their features.

        A story is open when a member is dated ``since`` or later, or when no member is dated
        (``since=None``: every story). Rows are (article id, story key, position, features payload),
        where position is the report's rank among *all* placed reports in the order a run restores
        them (by day, undated last, then by arrival), ordered by it.

        ``lookups`` narrows that to candidate stories: rows (report number, clustering key,
        weight[, evidence]); a story is kept when, for some report, the weights of the keys it
        shares with its members (each key once) add up to ``min_shared``; with ``top``, only the
        ``top`` open stories with the most evidence (the shared keys' evidence summed; ties to the
        story placed first) for some report. ``recent`` keeps of each story only its first report
        and its ``recent`` latest.
        """
        params: list[Any] = [clusterer]  # in the order the placeholders come
        chosen = ""
        if lookups is not None:
            if not lookups:
                return []
            columns = [list(col) for col in zip(*lookups)]
            reports, keys, weights = columns[:3]
            evidence = columns[3] if len(columns) > 3 else [0.0] * len(keys)
            chosen = """, shared AS (
                    SELECT story_key, r, sum(e) AS evidence FROM (
                        SELECT DISTINCT m.story_key, l.r, l.h, l.w, l.e
                        FROM (SELECT unnest(?::INTEGER[]) AS r, unnest(?::BIGINT[]) AS h,
                                     unnest(?::DOUBLE[]) AS w, unnest(?::DOUBLE[]) AS e) l
                        JOIN feature_keys k ON k.key_hash = l.h AND k.version = ?
                        JOIN articles a ON a.content_hash = k.content_hash
                        JOIN story_members m ON m.article_id = a.id AND m.clusterer = ?
                    ) GROUP BY story_key, r HAVING sum(w) >= ?
                ), shared_open AS (
                    SELECT story_key, min(position) AS first FROM placed
                    WHERE story_key IN (SELECT story_key FROM shared)
                    GROUP BY story_key HAVING ?::DATE IS NULL OR max(day) IS NULL OR max(day) >= ?::DATE
                ), chosen AS (
                    SELECT DISTINCT story_key FROM (
                        SELECT s.story_key, row_number() OVER (
                            PARTITION BY s.r ORDER BY s.evidence DESC, o.first) AS rank
                        FROM shared s JOIN shared_open o ON o.story_key = s.story_key
                    ) WHERE ?::BIGINT IS NULL OR rank <= ?::BIGINT
                )"""
            params += [reports, [key_hash(k) for k in keys], weights, evidence, version, clusterer, min_shared,
                       since, since, top, top]
        params += [since, since, version]
        with self._lock:
            rows = self._con.execute(
                f"""WITH placed AS (
                    SELECT article_id, story_key, day,
                           row_number() OVER (ORDER BY day NULLS LAST, seq) - 1 AS position
                    FROM story_members WHERE clusterer = ?
                ){chosen}, open_stories AS (
                    SELECT story_key FROM placed {"WHERE story_key IN (SELECT story_key FROM chosen)" if chosen else ""}
                    GROUP BY story_key HAVING ?::DATE IS NULL OR max(day) IS NULL OR max(day) >= ?::DATE
                ), members AS (
                    SELECT *, row_number() OVER (PARTITION BY story_key ORDER BY position DESC) AS back,
                           min(position) OVER (PARTITION BY story_key) AS first
                    FROM placed WHERE story_key IN (SELECT story_key FROM open_stories)
                )
                SELECT p.article_id, p.story_key, p.position, f.payload
                FROM members p
                JOIN articles a ON a.id = p.article_id
                JOIN features f ON f.content_hash = a.content_hash AND f.version = ?
                WHERE ?::BIGINT IS NULL OR p.back <= ?::BIGINT OR p.position = p.first
                ORDER BY p.position""",
                [*params, recent, recent],
            ).fetchall()
        return [(a, k, int(p), json.loads(payload)) for a, k, p, payload in rows]

    def open_story_count(self, clusterer: str, since: date | None) -> tuple[int, int]:
        """(stories, reports) open on ``since`` (as :meth:`open_story_members` selects them)."""
        with self._lock:
            row = self._con.execute(
                """SELECT count(*), coalesce(sum(n), 0) FROM (
                    SELECT story_key, count(*) AS n FROM story_members WHERE clusterer = ?
                    GROUP BY story_key HAVING ?::DATE IS NULL OR max(day) IS NULL OR max(day) >= ?::DATE
                )""",
                [clusterer, since, since],
            ).fetchone()
        return (int(row[0]), int(row[1])) if row else (0, 0)

    def story_keys_in_use(self, clusterer: str) -> set[str]:
        """Every story key the clusterer has placed a report in."""
        with self._lock:
            rows = self._con.execute(
                "SELECT DISTINCT story_key FROM story_members WHERE clusterer = ?", [clusterer]
            ).fetchall()
        return {r[0] for r in rows}

    def members_of(self, clusterer: str, story_keys: Iterable[str]) -> dict[str, str]:
        """Article id -> story key for the members of these stories."""
        wanted = sorted(set(story_keys))
        if not wanted:
            return {}
        with self._lock:
            rows = self._con.execute(
                "SELECT article_id, story_key FROM story_members WHERE clusterer = ?"
                " AND story_key IN (SELECT unnest(?::VARCHAR[]))",
                [clusterer, wanted],
            ).fetchall()
        return dict(rows)

    def get_articles(self, article_ids: Iterable[str]) -> list[Article]:
        """These stored articles (unknown ids are left out), in the order they were added."""
        wanted = sorted(set(article_ids))
        if not wanted:
            return []
        with self._lock:
            rows = self._con.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[])) ORDER BY seq",
                [wanted],
            ).fetchall()
        return [_row_article(row) for row in rows]

    def update_clustering(
        self,
        clusterer: str,
        members: Mapping[str, str],
        df_delta: Mapping[str, int],
        *,
        features_version: int,
        documents: int,
        replace: bool = False,
    ) -> None:
        """Record a run's story membership and document frequencies in one transaction.

        ``members`` holds the article id -> story key rows that are new or changed (``replace``:
        every row, the old ones are dropped); ``df_delta`` is added to the stored document
        frequencies (``replace``: it is the whole table); ``documents`` is the new total.
        """
        rows = [[a, k, clusterer] for a, k in sorted(members.items())]
        df_rows = [[k, int(n)] for k, n in sorted(df_delta.items()) if n]
        with self._transaction() as con:
            if replace:
                con.execute("DELETE FROM story_members")
                con.execute("DELETE FROM term_df")
            if rows:
                _insert_columns(
                    con, "INSERT OR REPLACE INTO story_members (article_id, story_key, clusterer)", ("VARCHAR",) * 3, rows
                )
                con.execute(
                    """UPDATE story_members SET day = f.day, seq = a.seq
                       FROM articles a, features f
                       WHERE story_members.article_id = a.id AND f.content_hash = a.content_hash AND f.version = ?
                         AND story_members.article_id IN (SELECT unnest(?::VARCHAR[]))""",
                    [features_version, [r[0] for r in rows]],
                )
            if df_rows:
                columns = [list(col) for col in zip(*df_rows)]
                con.execute(
                    "INSERT INTO term_df SELECT unnest(?::VARCHAR[]), unnest(?::BIGINT[])"
                    " ON CONFLICT (key) DO UPDATE SET df = df + excluded.df",
                    columns,
                )
            con.execute(
                "INSERT OR REPLACE INTO cluster_state (clusterer, features_version, documents) VALUES (?, ?, ?)",
                [clusterer, features_version, documents],
            )

    # --- stories --------------------------------------------------------------

    def get_story(self, story_key: str) -> tuple[str, dict[str, Any]] | None:
        """(fingerprint, payload) of a stored story, or None."""
        with self._lock:
            row = self._con.execute(
                "SELECT fingerprint, payload FROM stories WHERE story_key = ?", [story_key]
            ).fetchone()
        return None if row is None else (row[0], json.loads(row[1]))

    def get_stories(self, story_keys: Sequence[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        """Story key -> (fingerprint, payload) of the stored stories among ``story_keys`` (one query)."""
        if not story_keys:
            return {}
        with self._lock:
            rows = self._con.execute(
                "SELECT story_key, fingerprint, payload FROM stories WHERE story_key IN (SELECT unnest(?::VARCHAR[]))",
                [list(story_keys)],
            ).fetchall()
        return {k: (f, json.loads(p)) for k, f, p in rows}

    def put_story(self, story_key: str, fingerprint: str, payload: dict[str, Any]) -> None:
        """Store (or replace) a story's analysis under its key."""
        with self._transaction() as con:
            con.execute(
                "INSERT OR REPLACE INTO stories (story_key, fingerprint, payload, updated_at) VALUES (?, ?, ?, ?)",
                [story_key, fingerprint, json.dumps(payload, ensure_ascii=False), _now()],
            )

    def delete_stories_except(self, keys: Iterable[str]) -> int:
        """Delete every story whose key is not in ``keys``; return how many were deleted."""
        keep = list(keys)
        with self._transaction() as con:
            row = con.execute("SELECT count(*) FROM stories WHERE story_key NOT IN (SELECT unnest(?::VARCHAR[]))", [keep]).fetchone()
            con.execute("DELETE FROM stories WHERE story_key NOT IN (SELECT unnest(?::VARCHAR[]))", [keep])
        return int(row[0]) if row else 0

    def delete_stories(self, keys: Iterable[str]) -> None:
        """Delete these stories' cached analyses (unknown keys are ignored)."""
        drop = sorted(set(keys))
        if drop:
            with self._transaction() as con:
                con.execute("DELETE FROM stories WHERE story_key IN (SELECT unnest(?::VARCHAR[]))", [drop])

    def story_members(self, clusterer: str) -> dict[str, str]:
        """Article id -> story key, as the clusterer named ``clusterer`` last left them."""
        with self._lock:
            rows = self._con.execute(
                "SELECT article_id, story_key FROM story_members WHERE clusterer = ?", [clusterer]
            ).fetchall()
        return {a: k for a, k in rows}

    def put_story_members(self, members: Mapping[str, str], clusterer: str) -> None:
        """Replace the stored story membership with ``members`` (one transaction)."""
        rows = [[a, k, clusterer] for a, k in sorted(members.items())]
        with self._transaction() as con:
            con.execute("DELETE FROM story_members")
            if rows:
                _insert_columns(con, "INSERT INTO story_members (article_id, story_key, clusterer)", ("VARCHAR",) * 3, rows)

    # --- runs -----------------------------------------------------------------

    def begin_run(self) -> int:
        """Record the start of a run; runs left 'running' by a killed process become 'interrupted'."""
        with self._transaction() as con:
            con.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
            row = con.execute(
                "INSERT INTO runs (started, status) VALUES (?, 'running') RETURNING id", [_now()]
            ).fetchone()
        assert row is not None
        return int(row[0])

    def finish_run(self, run_id: int, status: str = "ok") -> None:
        """Record the end of a run with its status ('ok', 'failed', ...)."""
        with self._transaction() as con:
            con.execute("UPDATE runs SET finished = ?, status = ? WHERE id = ?", [_now(), status, run_id])

    def runs(self) -> list[dict[str, Any]]:
        """All runs, oldest first, as dicts (id, started, finished, status)."""
        with self._lock:
            rows = self._con.execute("SELECT id, started, finished, status FROM runs ORDER BY id").fetchall()
        return [{"id": r[0], "started": r[1], "finished": r[2], "status": r[3]} for r in rows]

    # --- read-only views (the web app) ------------------------------------------

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of one read-only statement (``SELECT``/``WITH``); values only ever go in as bound ``params``."""
        head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
        if head not in ("SELECT", "WITH"):
            raise StoreError("Store.query runs SELECT statements only")
        try:
            with self._lock:
                return self._con.execute(sql, list(params)).fetchall()
        except duckdb.Error as exc:
            raise StoreError(f"cannot read store {self._where}: {str(exc).splitlines()[0]}") from exc

    def refresh_story_index(self) -> int:
        """Bring the story index (one summary row per story, plus its articles, sources, entities and claims)
        up to date with the stories table; return how many stories were (re)indexed.

        The index is derived data kept beside the stories so that listing and filtering them stays fast
        on large stores: rows of stories that changed (new fingerprint) or went away are replaced.
        """
        with self._transaction() as con:
            for statement in _INDEX_TABLES:
                con.execute(statement)
            stale = (
                "SELECT i.story_key FROM story_index i LEFT JOIN stories s"
                " ON s.story_key = i.story_key AND s.fingerprint = i.fingerprint WHERE s.story_key IS NULL"
            )
            for table in ("story_index_articles", "story_index_sources", "story_index_entities", "story_index_claims"):
                con.execute(f"DELETE FROM {table} WHERE story_key IN ({stale})")
            con.execute(f"DELETE FROM story_index WHERE story_key IN ({stale})")
            row = con.execute(f"SELECT count(*) FROM ({_NEW_STORIES})").fetchone()
            count = int(row[0]) if row else 0
            if count:
                for statement in _INDEX_FILL:
                    con.execute(statement)
        return count


def key_hash(key: str) -> int:
    """A clustering key as a stable signed 64-bit number (the store's ``feature_keys`` column)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


def _payload_keys(payload: Mapping[str, Any]) -> list[str]:
    """The clustering keys of a features payload: its terms and names, prefixed as the clusterer keys them."""
    return [*("t:" + t for t in payload.get("terms", ())), *("n:" + n for n in payload.get("names", ()))]


def _backfill_feature_keys(con: Any) -> None:
    """Migration 5: the keys of every cached features payload, read and written in chunks."""
    after = ""
    while chunk := con.execute(
        "SELECT content_hash, version, payload FROM features WHERE content_hash > ? ORDER BY content_hash LIMIT 5000",
        [after],
    ).fetchall():
        rows = [[h, v, key_hash(k)] for h, v, p in chunk for k in _payload_keys(json.loads(p))]
        if rows:
            _insert_columns(con, "INSERT INTO feature_keys (content_hash, version, key_hash)", ("VARCHAR", "INTEGER", "BIGINT"), rows)
        after = chunk[-1][0]


def _insert_columns(con: Any, insert: str, types: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """``insert`` the rows in one statement, passing each column as one list parameter.

    DuckDB's executemany runs one statement per row (thousands of rows took seconds); unnesting
    column lists inserts them all at once.
    """
    columns = [list(col) for col in zip(*rows)]
    select = ", ".join(
        f"unnest(?::VARCHAR[])::{t}" if t == "JSON" else f"unnest(?::{t}[])" for t in types
    )
    con.execute(f"{insert} SELECT {select}", columns)


def _article_row(a: Article) -> list[Any]:
    return [
        a.id, a.content_hash, a.title, a.source, a.url, a.published_at, a.published_inferred,
        a.language, a.origin, json.dumps(a.metadata, ensure_ascii=False, default=str), a.text,
    ]


def _row_article(row: Sequence[Any]) -> Article:
    (id_, digest, title, source, url, published, inferred, language, origin, metadata, text) = row
    return Article(
        id=id_, text=text, content_hash=digest, title=title, source=source, url=url,
        published_at=published, published_inferred=bool(inferred), language=language,
        origin=origin, metadata=json.loads(metadata) if metadata else {},
    )
