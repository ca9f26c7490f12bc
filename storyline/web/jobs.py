"""Ingestion jobs: uploaded files and pasted text, run through the pipeline by one background worker.

An upload is checked before anything runs: its name is reduced to a safe base name (no folders, no
``..``), its extension must be one the pipeline reads, and its content must look like that type. The
files of a job are saved in a folder of their own and analysed with :func:`storyline.pipeline.run_analysis`
into the same store ``storyline analyze --db`` writes, one job at a time.
"""

from __future__ import annotations

import json
import logging
import queue
import re
import threading
import unicodedata
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import StorylineError
from ..ingest import ACCEPTED_SUFFIXES, IngestOptions

__all__ = ["Job", "JobRunner", "UploadProblem", "check_upload", "safe_filename"]

log = logging.getLogger("storyline.web")

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class UploadProblem(ValueError):
    """An upload that is refused; the message names it and says why."""


def safe_filename(name: str | None) -> str:
    """The base name of an uploaded file, reduced to letters, digits, ``.``, ``_`` and ``-``."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKC", base)
    base = _UNSAFE.sub("_", base).strip("._-")
    return base[-120:] or "upload"


def _suffix(name: str) -> str | None:
    low = name.lower()
    for suffix in sorted(ACCEPTED_SUFFIXES, key=len, reverse=True):
        if low.endswith(suffix):
            return suffix
    return None


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _content_reason(suffix: str, data: bytes) -> str | None:
    """Why ``data`` is not a ``suffix`` file, or None when it looks like one."""
    head = data[:4096]
    if not data.strip():
        return "the file is empty"
    if suffix == ".warc":
        return None if data.lstrip()[:5] == b"WARC/" else "content is not a WARC archive (no 'WARC/' header)"
    if suffix == ".warc.gz":
        if data[:2] != b"\x1f\x8b":
            return "content is not gzip-compressed"
        try:
            first = zlib.decompressobj(wbits=31).decompress(data[:65536], 64)
        except zlib.error:
            return "content is not valid gzip data"
        return None if first.lstrip()[:5] == b"WARC/" else "content is not a gzip-compressed WARC archive"
    if b"\x00" in head or head[:2] == b"\x1f\x8b" or head[:4] in (b"%PDF", b"PK\x03\x04"):
        return "content is binary, not text"
    if suffix != ".txt":
        text = _decode(data)
        if text is None:
            return "content is not UTF-8 text"
        if suffix in (".html", ".htm"):
            return None if "<" in text[:65536] else "content is not HTML (no tags)"
        if suffix == ".json":
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                return f"content is not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
            return None if isinstance(value, (dict, list)) else "JSON content is neither an article object nor a list"
        lines = [ln for ln in text.splitlines() if ln.strip()]
        try:
            json.loads(lines[0])
        except json.JSONDecodeError as exc:
            return f"content is not JSON Lines (line 1: {exc.msg})"
    return None


def check_upload(name: str | None, data: bytes, max_bytes: int) -> tuple[str, str | None]:
    """(safe name, reason it is refused or None)."""
    safe = safe_filename(name)
    shown = name or "(unnamed file)"
    suffix = _suffix(safe)
    if suffix is None:
        return safe, f"upload '{shown}': unsupported file type (accepted: {', '.join(ACCEPTED_SUFFIXES)})"
    if len(data) > max_bytes:
        return safe, f"upload '{shown}': larger than the {max_bytes:,}-byte limit"
    reason = _content_reason(suffix, data)
    if reason:
        return safe, f"upload '{shown}': {reason}"
    return safe, None


def _unused(name: str, taken: list[str]) -> str:
    """``name``, or ``N-name`` for the smallest N that no other file of the job has (none is overwritten)."""
    unique, n = name, 1
    while unique in taken:
        unique, n = f"{n}-{name}", n + 1
    return unique


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Job:
    id: str
    files: list[str]
    folder: Path
    status: str = "queued"  # queued | running | done | failed
    stage: str = "waiting"
    done: int = 0
    total: int = 0
    created: str = field(default_factory=_now)
    finished: str | None = None
    error: str | None = None
    problems: list[str] = field(default_factory=list)
    articles_read: int = 0
    new_articles: int = 0
    stories: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "status": self.status, "stage": self.stage, "done": self.done, "total": self.total,
            "files": list(self.files), "created": self.created, "finished": self.finished, "error": self.error,
            "problems": list(self.problems), "articles_read": self.articles_read,
            "new_articles": self.new_articles, "stories": list(self.stories),
        }


class JobRunner:
    """Runs jobs one after another in a daemon thread; ``after`` runs after each job (e.g. re-index).

    Only the latest ``keep_finished`` finished jobs are remembered, so a server left running for
    months does not grow without bound; queued and running jobs are never forgotten.
    """

    def __init__(
        self,
        db: str,
        uploads: Path,
        *,
        max_file_bytes: int,
        after: Callable[[], None],
        stories_of: Callable[[str], list[dict[str, Any]]],
        keep_finished: int = 1000,
    ) -> None:
        self.db = db
        self.uploads = uploads
        self.max_file_bytes = max_file_bytes
        self._after = after
        self._stories_of = stories_of
        self._jobs: dict[str, Job] = {}
        self.keep_finished = keep_finished
        self._lock = threading.Lock()
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._thread = threading.Thread(target=self._work, name="storyline-ingest", daemon=True)
        self._thread.start()

    def submit(self, files: list[tuple[str, bytes]], pasted: list[dict[str, str]]) -> Job:
        """Save the (already checked) files and pasted reports in a new job folder and queue the job."""
        job_id = uuid.uuid4().hex[:16]
        folder = self.uploads / job_id
        try:
            folder.mkdir(parents=True, exist_ok=False)
        except OSError as exc:
            raise StorylineError(f"cannot create upload folder {folder}: {exc.strerror or exc}") from exc
        names: list[str] = []
        for name, data in files:
            unique = _unused(name, names)
            (folder / unique).write_bytes(data)
            names.append(unique)
        for n, item in enumerate(pasted, 1):
            unique = _unused(f"pasted-{n}.json", names)
            (folder / unique).write_text(json.dumps(item, ensure_ascii=False), encoding="utf-8")
            names.append(unique)
        job = Job(id=job_id, files=names, folder=folder)
        with self._lock:
            self._jobs[job_id] = job
        self._queue.put(job)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def recent(self, limit: int) -> list[Job]:
        with self._lock:
            return sorted(self._jobs.values(), key=lambda j: j.created, reverse=True)[:limit]

    def close(self, wait: float = 60.0) -> None:
        """Stop the worker once the queued jobs are done (waits at most ``wait`` seconds)."""
        self._queue.put(None)
        self._thread.join(wait)

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            try:
                self._run(job)
            except Exception:
                log.exception("ingestion job %s failed", job.id)
                job.status, job.error = "failed", "internal error while analysing (see the server log)"
            finally:
                job.finished = _now()
                self._forget_old()
                self._queue.task_done()

    def _forget_old(self) -> None:
        with self._lock:
            finished = [k for k, j in self._jobs.items() if j.finished]  # oldest first (insertion order)
            for key in finished[: max(0, len(finished) - self.keep_finished)]:
                del self._jobs[key]

    def _run(self, job: Job) -> None:
        from ..pipeline import AnalyzeOptions, run_analysis

        job.status, job.stage = "running", "starting"

        def tick(stage: str, done: int, total: int) -> None:
            job.stage, job.done, job.total = stage, done, total

        options = AnalyzeOptions(db=self.db, ingest=IngestOptions(max_file_bytes=self.max_file_bytes))
        try:
            result = run_analysis([str(job.folder)], options, progress=tick)
        except StorylineError as exc:
            job.status, job.error = "failed", str(exc)
            return
        finally:
            self._after()
        prefix = str(job.folder) + "/"
        job.problems = [str(p).replace(prefix, "") for p in result.problems]
        job.articles_read, job.new_articles = result.articles_read, result.new_articles
        job.stories = self._stories_of(prefix)
        job.stage, job.done, job.total = "done", 1, 1
        job.status = "done"

