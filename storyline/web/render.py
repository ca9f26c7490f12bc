"""HTML rendering: the Jinja2 environment (autoescaped) and the article-text highlighter.

Article text is untrusted: it only ever reaches a page through :func:`markupsafe.escape` (directly or
by Jinja2's autoescaping), and links are only made from ``http``/``https`` addresses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

__all__ = ["Span", "environment", "highlight", "safe_href"]

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    css: str
    title: str = ""
    target: bool = False


def highlight(text: str, spans: Sequence[Span]) -> Markup:
    """``text`` escaped, with each span wrapped in ``<mark>`` (overlaps split into pieces carrying every class)."""
    n = len(text)
    usable = [s for s in spans if 0 <= s.start < s.end <= n]
    cuts = sorted({0, n, *(s.start for s in usable), *(s.end for s in usable)})
    out: list[Markup] = []
    target_done = False
    for a, b in pairwise(cuts):
        piece = escape(text[a:b])
        covering = [s for s in usable if s.start <= a and b <= s.end]
        if not covering:
            out.append(piece)
            continue
        classes = " ".join(dict.fromkeys(c for s in covering for c in s.css.split()))
        titles = "; ".join(dict.fromkeys(s.title for s in covering if s.title))
        anchor = Markup("")
        if any(s.target for s in covering) and not target_done:
            anchor, target_done = Markup(' id="hl"'), True
        out.append(Markup('<mark class="{}" title="{}"{}>{}</mark>').format(classes, titles, anchor, piece))
    return Markup("").join(out)


def safe_href(url: str | None) -> str | None:
    """``url`` when it is an http(s) address, else None (no ``javascript:``, ``data:``, ...)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _query(params: dict[str, Any], **changes: Any) -> str:
    merged = {**params, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "", False)})


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["safe_href"] = safe_href
    env.globals["query"] = _query
    env.filters["short"] = lambda s, n=12: (s or "")[:n]
    # ids go into paths: quote "/" too, so that an id like "../../add" cannot turn into another route
    env.filters["urlencode"] = lambda value: quote(str(value), safe="")
    return env
