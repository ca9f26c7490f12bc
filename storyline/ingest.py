"""Read report files and folders into cleaned ``Article`` records.

Accepted forms (CONTRACT section 1): ``.txt``, ``.html``/``.htm``, ``.json`` (one object or a
list), ``.jsonl`` (one object per line), ``.warc``/``.warc.gz`` (HTML responses inside).

Conventions:

* Bad input never raises: it becomes an ``InputProblem`` and the other inputs are still read.
* ``.txt``: the first non-empty line is the title when it is short (< 200 characters) and does
  not end like a sentence (".", ",", ";", ":"); ``Article.text`` is then the body *without* the
  title line, and ``Article.title`` holds it.
* ``Article.text`` is ``cleaning.clean_text`` output: one paragraph per line.
* ``Article.id``: the input's own id when given, else ``"a" + content_hash[:10]``. When an id is
  already taken by a different text, ``unique_id`` appends ``"-" + content_hash[:8]``.
* ``Article.origin``: the path; ``path:LINE`` for a JSONL line; ``path#N`` for the Nth object
  of a JSON list or the Nth record of a WARC file.
* The same text (same ``content_hash``) read twice in one call is kept once, silently.
* Files are limited to ``max_file_bytes`` (checked before reading). WARC files are streamed
  instead: each HTML record is limited to ``max_file_bytes`` and the decompressed data read from
  one WARC file to ``max_decompressed_bytes``.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .cleaning import (
    clean_text,
    clean_title,
    content_hash,
    is_chrome_line,
    normalize_newlines,
)
from .language import detect_language
from .model import Article, InputProblem
from .temporal import MONTHS

__all__ = [
    "ACCEPTED_SUFFIXES",
    "IngestOptions",
    "IngestResult",
    "infer_published_at",
    "read_inputs",
    "unique_id",
]

ACCEPTED_SUFFIXES = (".txt", ".html", ".htm", ".json", ".jsonl", ".warc", ".warc.gz")
_KNOWN_FIELDS = ("text", "id", "title", "source", "url", "published_at", "language")
_SNIFF_BYTES = 8192
_BINARY_MAGIC = {
    b"%PDF": "PDF",
    b"PK\x03\x04": "zip",
    b"\x1f\x8b": "gzip",
    b"\x89PNG": "PNG",
    b"GIF8": "GIF",
    b"\xff\xd8\xff": "JPEG",
    b"BZh": "bzip2",
    b"\xfd7zXZ": "xz",
    b"SQLite format 3": "SQLite",
    b"\x7fELF": "ELF",
}


@dataclass(frozen=True, kw_only=True)
class IngestOptions:
    """Limits for reading inputs; whatever exceeds one is reported as an ``InputProblem``."""

    max_file_bytes: int = 25_000_000
    max_article_chars: int = 2_000_000
    min_article_chars: int = 20
    max_decompressed_bytes: int = 1_000_000_000  # per WARC file


@dataclass
class IngestResult:
    """Articles read (de-duplicated), problems met, and how many files gave at least one article."""

    articles: list[Article] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
    files_read: int = 0


@dataclass
class _Draft:
    """An article as read from its file, before cleaning."""

    text: str
    origin: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published_at: str | None = None
    date_invalid: bool = False  # a date was given but unusable: do not infer one
    fallback_date: str | None = None  # e.g. WARC-Date, used when nothing better is found
    language: str | None = None
    id: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


class _Problems:
    """Collects problems for one file."""

    def __init__(self, sink: list[InputProblem]) -> None:
        self.sink = sink

    def add(self, where: str, reason: str) -> None:
        self.sink.append(InputProblem(input=where, reason=reason))


# --- public entry point -------------------------------------------------------


def read_inputs(paths: Sequence[str | os.PathLike[str]], options: IngestOptions | None = None) -> IngestResult:
    """Read files and folders (recursively, sorted, hidden entries skipped) into articles."""
    opts = options or IngestOptions()
    result = IngestResult()
    problems = _Problems(result.problems)
    seen_hashes: set[str] = set()
    used_ids: set[str] = set()
    for path in _iter_files(paths, problems):
        drafts = _read_file_safely(path, opts, problems)
        if drafts:
            result.files_read += 1
        for draft in drafts:
            article = _to_article_safely(draft, opts, problems)
            if article is None or article.content_hash in seen_hashes:
                continue
            if article.id in used_ids:
                article = replace(article, id=unique_id(article.id, article.content_hash, used_ids.__contains__))
            seen_hashes.add(article.content_hash)
            used_ids.add(article.id)
            result.articles.append(article)
    return result


def unique_id(base: str, digest: str, taken: Callable[[str], bool]) -> str:
    """``base`` made unique with a suffix of the content hash: ``base-1a2b3c4d`` (longer if needed)."""
    for width in (8, 16, len(digest)):
        candidate = f"{base}-{digest[:width]}"
        if not taken(candidate):
            return candidate
    n = 2
    while taken(f"{base}-{digest}-{n}"):
        n += 1
    return f"{base}-{digest}-{n}"


# --- finding files ------------------------------------------------------------


def _iter_files(paths: Sequence[str | os.PathLike[str]], problems: _Problems) -> Iterator[Path]:
    for raw in paths:
        path = Path(os.fspath(raw))
        if not path.exists():
            problems.add(str(path), "no such file or directory")
        elif path.is_dir():
            found = False
            for file in _walk(path, problems):
                found = True
                yield file
            if not found:
                problems.add(str(path), "folder contains no files")
        elif path.is_file():
            yield path
        else:
            problems.add(str(path), "not a regular file or folder")


def _walk(root: Path, problems: _Problems) -> Iterator[Path]:
    def on_error(err: OSError) -> None:
        problems.add(str(err.filename or root), f"cannot read folder: {err.strerror or err}")

    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        found.extend(Path(dirpath) / name for name in filenames if not name.startswith("."))
    yield from sorted(found, key=lambda p: p.relative_to(root).parts)


def _suffix(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".warc.gz"):
        return ".warc.gz"
    return path.suffix.lower()


# --- reading one file ---------------------------------------------------------


def _read_file_safely(path: Path, opts: IngestOptions, problems: _Problems) -> list[_Draft]:
    try:
        return _read_file(path, opts, problems)
    except MemoryError:
        problems.add(str(path), "not enough memory to read the file")
    except Exception as exc:  # noqa: BLE001 - bad input must never crash the run
        problems.add(str(path), f"could not read the file: {type(exc).__name__}: {exc}")
    return []


def _read_file(path: Path, opts: IngestOptions, problems: _Problems) -> list[_Draft]:
    name = str(path)
    suffix = _suffix(path)
    if suffix not in ACCEPTED_SUFFIXES:
        shown = f"'{suffix}'" if suffix else "(no extension)"
        problems.add(name, f"unsupported file type {shown} (accepted: {', '.join(ACCEPTED_SUFFIXES)})")
        return []
    try:
        size = path.stat().st_size
    except OSError as exc:
        problems.add(name, f"cannot read the file: {exc.strerror or exc}")
        return []
    if size == 0:
        problems.add(name, "file is empty")
        return []
    if suffix in (".warc", ".warc.gz"):
        return _read_warc(path, opts, problems)
    if size > opts.max_file_bytes:
        problems.add(
            name,
            f"file is {_human_size(size)}, over the {_human_size(opts.max_file_bytes)} limit "
            "(raise it with --max-file-size)",
        )
        return []
    data = _read_bytes(path, opts.max_file_bytes, problems)
    if data is None:
        return []
    if suffix in (".html", ".htm"):
        return _read_html_file(path, data, problems)
    text = _decode_text(data, name, problems)
    if text is None:
        return []
    if not text.strip():
        problems.add(name, "file has no text (only whitespace)")
        return []
    if suffix == ".txt":
        return [_txt_draft(text, name)]
    if suffix == ".json":
        return _read_json(text, name, problems)
    return _read_jsonl(text, name, problems)


def _read_bytes(path: Path, limit: int, problems: _Problems) -> bytes | None:
    try:
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except PermissionError:
        problems.add(str(path), "permission denied")
        return None
    except OSError as exc:
        problems.add(str(path), f"cannot read the file: {exc.strerror or exc}")
        return None
    if len(data) > limit:  # the file grew after stat()
        problems.add(str(path), f"file is over the {_human_size(limit)} limit (raise it with --max-file-size)")
        return None
    return data


def _human_size(n: int) -> str:
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if n >= scale:
            shown = f"{n / scale:.1f}".removesuffix(".0")
            return f"{shown} {unit}"
    return f"{n} bytes"


# --- decoding -----------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _binary_reason(data: bytes) -> str | None:
    """Why ``data`` is not text, or None when it looks like text."""
    for magic, kind in _BINARY_MAGIC.items():
        if data.startswith(magic):
            return f"binary file ({kind} data), not text"
    head = data[:_SNIFF_BYTES]
    if head.count(b"\x00") > max(2, len(head) // 200):  # a stray NUL in a scraped text is dropped later
        return "binary file (contains NUL bytes), not text"
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    if controls > max(4, len(head) // 20):
        return "binary file (control bytes), not text"
    return None


def _decode_text(data: bytes, name: str, problems: _Problems) -> str | None:
    """Bytes to text: BOM, then UTF-8 (a few bad bytes replaced), then cp1252/Latin-1."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    reason = _binary_reason(data)
    if reason:
        problems.add(name, reason)
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    has_utf8 = any(ord(ch) > 127 and ch != "\ufffd" for ch in replaced)
    if has_utf8 and bad <= max(3, len(data) // 2000):
        return replaced  # UTF-8 with a few damaged bytes
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


# --- .txt ---------------------------------------------------------------------


def _looks_like_title(line: str) -> bool:
    core = line.rstrip("\"”’')]» ")
    return 0 < len(line) < 200 and any(ch.isalpha() for ch in line) and not core.endswith((".", ",", ";", ":"))


def _txt_draft(text: str, name: str) -> _Draft:
    """First non-empty, non-chrome line is the title if it looks like one; the rest is the body."""
    lines = normalize_newlines(text).split("\n")
    for i, line in enumerate(lines):
        candidate = line.strip()
        if not candidate or is_chrome_line(candidate):
            continue
        body = "\n".join(lines[i + 1 :])
        if body.strip() and _looks_like_title(candidate):
            return _Draft(text=body, origin=name, title=clean_title(candidate))
        break
    return _Draft(text=text, origin=name)


# --- JSON / JSONL -------------------------------------------------------------


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def _json_error(exc: json.JSONDecodeError) -> str:
    return f"malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"


def _read_json(text: str, name: str, problems: _Problems) -> list[_Draft]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.add(name, _json_error(exc))
        return []
    except RecursionError:
        problems.add(name, "malformed JSON: nested too deeply")
        return []
    if isinstance(data, dict) and "text" not in data and isinstance(data.get("articles"), list):
        data = data["articles"]
    if isinstance(data, dict):
        draft = _draft_from_object(data, name, problems)
        return [draft] if draft else []
    if isinstance(data, list):
        if not data:
            problems.add(name, "the JSON list is empty: no articles")
        drafts = (_draft_from_object(item, f"{name}#{i}", problems) for i, item in enumerate(data, 1))
        return [d for d in drafts if d]
    problems.add(name, f"expected an article object or a list of them, got {_json_type(data)}")
    return []


def _read_jsonl(text: str, name: str, problems: _Problems) -> list[_Draft]:
    drafts: list[_Draft] = []
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.add(where, f"malformed JSON: {exc.msg} (column {exc.colno})")
            continue
        except RecursionError:
            problems.add(where, "malformed JSON: nested too deeply")
            continue
        draft = _draft_from_object(obj, where, problems)
        if draft:
            drafts.append(draft)
    return drafts


def _draft_from_object(obj: Any, where: str, problems: _Problems) -> _Draft | None:
    """An article object (CONTRACT section 1) to a draft; bad optional fields are dropped with a problem."""
    if not isinstance(obj, dict):
        problems.add(where, f"expected an article object, got {_json_type(obj)}")
        return None
    text = obj.get("text")
    if text is None:
        problems.add(where, "missing required field 'text'")
        return None
    if not isinstance(text, str):
        problems.add(where, f"field 'text' must be a string, got {_json_type(text)}")
        return None
    draft = _Draft(text=text, origin=where)
    raw_id = obj.get("id")
    if isinstance(raw_id, str) and raw_id.strip():
        draft.id = raw_id.strip()
    elif isinstance(raw_id, int) and not isinstance(raw_id, bool):
        draft.id = str(raw_id)
    elif raw_id is not None:
        problems.add(where, f"field 'id' must be a string or an integer, got {_json_type(raw_id)}; ignored")
    for key in ("title", "source", "url", "language"):
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            problems.add(where, f"field '{key}' must be a string, got {_json_type(value)}; ignored")
        elif isinstance(value, str) and value.strip():
            setattr(draft, key, clean_title(value))
    if draft.language:
        draft.language = re.split(r"[-_]", draft.language)[0].lower() or None
    _set_given_date(draft, obj.get("published_at"), where, problems)
    extra = obj.get("metadata")
    if isinstance(extra, dict):
        draft.metadata.update(extra)
    draft.metadata.update({k: v for k, v in obj.items() if k not in _KNOWN_FIELDS and k != "metadata"})
    if extra is not None and not isinstance(extra, dict):
        draft.metadata["metadata"] = extra
    return draft


def _set_given_date(draft: _Draft, value: Any, where: str, problems: _Problems) -> None:
    if value is None or value == "":
        return
    iso = _parse_iso(value) if isinstance(value, str) else None
    if iso is None:
        problems.add(
            where,
            f"invalid published_at {value!r}: expected an ISO 8601 date or datetime; "
            "the article is kept without a date",
        )
        draft.date_invalid = True
    else:
        draft.published_at = iso


def _parse_iso(value: str) -> str | None:
    """Normalised ISO 8601 date or datetime, or None when ``value`` is not one."""
    value = value.strip()
    try:
        if len(value) <= 10:
            return date.fromisoformat(value).isoformat()
        return datetime.fromisoformat(value).isoformat()
    except ValueError:
        return None


# --- HTML ---------------------------------------------------------------------

_BLOCK_TAGS = (
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section",
    "article", "header", "footer", "pre", "dd", "dt", "figcaption", "td", "th", "ul", "ol", "table",
)


def _read_html_file(path: Path, data: bytes, problems: _Problems) -> list[_Draft]:
    name = str(path)
    content: str | bytes | None = next(
        (data.decode(encoding, errors="replace") for bom, encoding in _BOMS if data.startswith(bom)), None
    )
    if content is None:
        reason = _binary_reason(data)
        if reason:
            problems.add(name, reason)
            return []
        try:
            content = data.decode("utf-8")
        except UnicodeDecodeError:
            content = data  # let the HTML parser find the declared charset
    draft = _html_draft(content, name)
    if draft is None:
        problems.add(name, "no article text found in the HTML")
        return []
    return [draft]


def _html_draft(content: str | bytes, origin: str, url: str | None = None) -> _Draft | None:
    """Main text and metadata of an HTML page (trafilatura, falling back to plain lxml text)."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            content,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # noqa: BLE001 - a parser failure falls back to lxml
        doc = None
    text = getattr(doc, "text", None) or ""
    title = getattr(doc, "title", None)
    if not text.strip():
        text, title = _lxml_text(content)
    if not text.strip():
        return None
    draft = _Draft(text=text, origin=origin, title=clean_title(title), url=url or getattr(doc, "url", None))
    draft.source = clean_title(getattr(doc, "sitename", None))
    published = getattr(doc, "date", None)
    if isinstance(published, str):
        draft.published_at = _parse_iso(published)
    author = getattr(doc, "author", None)
    if author:
        draft.metadata["author"] = author
    return draft


def _lxml_text(content: str | bytes) -> tuple[str, str | None]:
    """Visible text of a page, block elements on their own lines, and its <title>."""
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fromstring(content)
    except ValueError:  # a str with an XML encoding declaration
        root = lxml.html.fromstring(content.encode("utf-8") if isinstance(content, str) else content)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError):
        return "", None
    title_el = root.find(".//title")
    title = title_el.text_content() if title_el is not None else None
    for bad in root.xpath("//script|//style|//noscript|//template|//head|//nav"):
        if bad.getparent() is not None:
            bad.drop_tree()
    for el in root.iter(*_BLOCK_TAGS):
        el.tail = "\n" + (el.tail or "")
    return root.text_content(), title


# --- WARC ---------------------------------------------------------------------


def _read_warc(path: Path, opts: IngestOptions, problems: _Problems) -> list[_Draft]:
    name = str(path)
    drafts: list[_Draft] = []
    html_records = 0
    decompressed = 0
    n = 0
    stopped = False
    try:
        with path.open("rb") as fh:
            records = _quiet_archive_iterator(fh)
            for n, record in enumerate(records, 1):
                decompressed += int(record.length or 0)
                if decompressed > opts.max_decompressed_bytes:
                    stopped = True
                    problems.add(
                        name,
                        f"stopped at record {n}: more than {_human_size(opts.max_decompressed_bytes)} of "
                        "decompressed data (possible decompression bomb)",
                    )
                    break
                payload = _warc_html_payload(record)
                if payload is None:
                    continue
                html_records += 1
                draft = _warc_draft(record, payload, f"{name}#{n}", opts, problems)
                if _record_truncated(record):
                    stopped = True
                    problems.add(name, f"WARC file is truncated in record {n}; earlier records were read")
                    break
                if draft:
                    drafts.append(draft)
    except Exception as exc:  # noqa: BLE001 - warcio/gzip raise many kinds on damaged files
        if n <= 1 and not drafts:
            problems.add(name, f"not a readable WARC file: {_first_line(exc)}")
        else:
            problems.add(name, f"WARC file is damaged after record {n - 1}: {_first_line(exc)}; earlier records were read")
        return drafts
    end = getattr(records, "offset", None)
    if isinstance(end, int) and n and not stopped and end < path.stat().st_size:
        problems.add(name, f"WARC file is truncated or damaged after record {n}; earlier records were read")
    if getattr(records, "err_count", 0):
        problems.add(name, f"{records.err_count} WARC record(s) have a wrong Content-Length; the file may be damaged")
    if n == 0:
        problems.add(name, "not a readable WARC file: no records")
    elif html_records == 0:
        problems.add(name, "no HTML responses in the WARC file")
    return drafts


def _quiet_archive_iterator(fh: Any) -> Any:
    """warcio's ArchiveIterator, counting bad record lengths instead of writing them to stderr."""
    from warcio.archiveiterator import ArchiveIterator

    class QuietArchiveIterator(ArchiveIterator):  # type: ignore[misc]
        def _consume_blanklines(self) -> tuple[bytes | None, int]:
            empty_size = 0
            first_line = True
            while True:
                line = self.reader.readline()
                if not line:
                    return None, empty_size
                if not line.rstrip() or first_line:
                    empty_size += len(line)
                    if line.rstrip():
                        self.err_count += 1
                    first_line = False
                    continue
                return line, empty_size

    return QuietArchiveIterator(fh)


def _record_truncated(record: Any) -> bool:
    """Read the rest of the record; True when the file ended before its Content-Length."""
    raw = record.raw_stream
    while raw.read(1 << 16):
        pass
    return int(getattr(raw, "limit", 0) or 0) > 0


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().split("\n")[0] or type(exc).__name__
    return text[:200]


def _warc_html_payload(record: Any) -> Any | None:
    """The record's payload stream when it is an HTML page (2xx response or resource), else None."""
    if record.rec_type not in ("response", "resource"):
        return None
    http = record.http_headers
    if http is not None and record.rec_type == "response":
        status = (http.get_statuscode() or "").strip()
        if not status.startswith("2"):
            return None
        ctype = http.get_header("Content-Type") or ""
    else:
        ctype = record.rec_headers.get_header("Content-Type") or ""
    if "html" not in ctype.lower():
        return None
    return record.content_stream()


def _warc_draft(record: Any, stream: Any, where: str, opts: IngestOptions, problems: _Problems) -> _Draft | None:
    data = stream.read(opts.max_file_bytes + 1)
    if len(data) > opts.max_file_bytes:
        problems.add(where, f"HTML record is over the {_human_size(opts.max_file_bytes)} limit; skipped")
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    draft = _html_draft(_decode_html_bytes(data, record), where, url=url)
    if draft is None:
        problems.add(where, f"no article text found in the HTML ({url or 'no URL'})")
        return None
    warc_date = record.rec_headers.get_header("WARC-Date") or ""
    draft.fallback_date = _parse_iso(warc_date[:10]) if warc_date else None
    return draft


def _decode_html_bytes(data: bytes, record: Any) -> str | bytes:
    """Decode with the HTTP charset when declared; otherwise leave it to the HTML parser."""
    http = record.http_headers
    ctype = (http.get_header("Content-Type") if http is not None else None) or ""
    match = re.search(r"charset=[\"']?([\w.:-]+)", ctype, re.IGNORECASE)
    if match:
        try:
            return data.decode(match.group(1))
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data


# --- drafts to articles -------------------------------------------------------


def _to_article_safely(draft: _Draft, opts: IngestOptions, problems: _Problems) -> Article | None:
    try:
        return _to_article(draft, opts, problems)
    except Exception as exc:  # noqa: BLE001 - bad input must never crash the run
        problems.add(draft.origin, f"could not clean the text: {type(exc).__name__}: {exc}")
        return None


def _to_article(draft: _Draft, opts: IngestOptions, problems: _Problems) -> Article | None:
    if len(draft.text) > opts.max_article_chars:
        problems.add(
            draft.origin,
            f"article text is {len(draft.text):,} characters, over the {opts.max_article_chars:,} limit",
        )
        return None
    text = clean_text(draft.text, title=draft.title)
    if len(text) < opts.min_article_chars:
        reason = "no text left after cleaning" if not text else (
            f"too little text ({len(text)} characters after cleaning, at least {opts.min_article_chars} needed)"
        )
        problems.add(draft.origin, reason)
        return None
    digest = content_hash(text)
    published, inferred = draft.published_at, False
    if published is None and not draft.date_invalid:
        published = infer_published_at(text) or draft.fallback_date
        inferred = published is not None
    return Article(
        id=draft.id or f"a{digest[:10]}",
        text=text,
        content_hash=digest,
        title=draft.title,
        source=draft.source,
        url=draft.url,
        published_at=published,
        published_inferred=inferred,
        language=draft.language or detect_language(text),
        origin=draft.origin,
        metadata=draft.metadata,
    )


# --- datelines ----------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE_RE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH})\.?,?\s+(?P<y2>\d{{4}})"
    r"|(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2}))\b",
    re.IGNORECASE,
)
_DATELINE_DASH_RE = re.compile(r"\s*(?:\([^)]{1,30}\)\s*)?[—–-]")
DATELINE_LINES = 6


def infer_published_at(text: str) -> str | None:
    """ISO date of a dateline near the top of the text, or None.

    Looks at the first lines for a line that is just a date ("February 21, 2024",
    "Published 21 Feb 2024") or a dateline opening the body ("LOS ANGELES, March 5, 2024 —").
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()][:DATELINE_LINES]
    for line in lines:
        for match in _DATE_RE.finditer(line):
            if _is_dateline(line, match):
                found = _match_to_iso(match)
                if found:
                    return found
    return None


def _is_dateline(line: str, match: re.Match[str]) -> bool:
    ending = re.sub(r"\b[ap]\.m\.$", "", line.rstrip(), flags=re.IGNORECASE).rstrip()
    if len(line.split()) <= 12 and not ending.endswith((".", "!", "?")):
        return True
    return match.start() <= 60 and bool(_DATELINE_DASH_RE.match(line, match.end()))


def _match_to_iso(match: re.Match[str]) -> str | None:
    g = match.groupdict()
    try:
        if g["y3"]:
            year, month, day = int(g["y3"]), int(g["m3"]), int(g["d3"])
        else:
            month_name = (g["m1"] or g["m2"])[:3].lower()
            year, month, day = int(g["y1"] or g["y2"]), MONTHS[month_name], int(g["d1"] or g["d2"])
        if not 1900 <= year <= 2100:
            return None
        return date(year, month, day).isoformat()
    except (ValueError, KeyError):
        return None
