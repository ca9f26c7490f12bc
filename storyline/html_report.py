"""report.html: one self-contained page rendered from a report dict (the same one as report.json).

Everything in a report is treated as untrusted text: it is escaped, only http(s) URLs become links,
and the page carries a Content-Security-Policy that allows nothing but its own stylesheet and script
(both pinned by SHA-256 hash). The page reads fine without JavaScript: citations are plain fragment
links and the cited span is highlighted with ``:target``; the script only adds a flash on every
piece of the cited span.

    python -m storyline.html_report report.json -o report.html
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .sentences import sentence_at, split_sentences

__all__ = ["content_security_policy", "main", "render_html"]

DASH = "\u2014"
DOT = " \u00b7 "
EARLIER = '<p class="none">Shown with an earlier story.</p>'

_CSS = """
:root{--ink:#1d232a;--muted:#5b6670;--line:#d5dbe0;--bg:#fff;--panel:#f5f7f9;--accent:#1f5fa8;
--bad:#b3261e;--badbg:#fde8e6;--upd:#8a5a00;--updbg:#fff3d6;--ok:#1e6b37;--okbg:#e3f4e8;--hit:#ffe066}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
header.top{padding:18px 28px 8px;border-bottom:1px solid var(--line)}
header.top h1{margin:0 0 4px;font-size:24px}
header.top p{margin:0;color:var(--muted)}
nav.stories{position:sticky;top:0;z-index:5;background:#fff;border-bottom:1px solid var(--line);padding:6px 28px;font-size:14px}
nav.stories ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:6px 14px}
main{padding:0 28px 40px;max-width:1180px}
a{color:var(--accent)}
[id]{scroll-margin-top:3em}
section.story{border-top:3px solid var(--ink);margin-top:28px;padding-top:6px}
section.story>h2{font-size:21px;margin:6px 0}
.meta{color:var(--muted);margin:0 0 6px}
nav.toc{font-size:13px;margin:4px 0 10px}
nav.toc a{margin-right:12px}
h3{font-size:17px;margin:22px 0 8px;border-bottom:1px solid var(--line);padding-bottom:3px}
ol.account li{margin:4px 0}
a.cite{font-size:12px;text-decoration:none;background:#e8eef6;border-radius:3px;padding:0 4px;margin-left:2px;white-space:nowrap}
a.cite.contra{background:var(--badbg);color:var(--bad)}
.badge{display:inline-block;font-size:12px;border-radius:9px;padding:0 8px;background:var(--panel);border:1px solid var(--line)}
.badge.conflict,.badge.drift{background:var(--badbg);color:var(--bad);border-color:#f0b8b2}
.badge.updated{background:var(--updbg);color:var(--upd);border-color:#ecd08e}
.badge.agreed,.badge.consistent{background:var(--okbg);color:var(--ok);border-color:#a9d8b8}
table{border-collapse:collapse;width:100%;font-size:14px;margin:6px 0}
th,td{border:1px solid var(--line);padding:4px 6px;vertical-align:top;text-align:left}
td.date{white-space:nowrap}
th{background:var(--panel);font-weight:600}
tr.claim th{background:#eef1f4}
.vals{font-weight:400;margin-top:2px}
.vals .val{font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.odd{background:var(--badbg)}
.snippet{color:var(--muted)}
.snippet mark{background:#fff0a8;color:var(--ink)}
svg{max-width:100%;height:auto;font:12px system-ui,sans-serif}
svg .axis{stroke:#8a949c;stroke-width:1}
svg .grid{stroke:#e3e7ea;stroke-width:1}
svg .tl-mark{fill:var(--accent);stroke:#fff;stroke-width:1.5}
svg .tl-mark.undated{fill:#fff;stroke:var(--accent)}
svg .lbl{fill:var(--ink)}
svg .dim{fill:var(--muted)}
svg .node rect{fill:#f2f4f6;stroke:#9aa4ad;stroke-width:1}
svg .node.indep rect{fill:var(--okbg);stroke:var(--ok);stroke-width:2}
svg .edge{fill:none;stroke:#7d8790;stroke-width:1.4}
svg .edge.translation{stroke-dasharray:5 3}
svg .edge.rewrite{stroke-dasharray:2 3}
svg .arrow{fill:#7d8790}
svg a:hover rect{stroke:var(--accent)}
ul.timeline{list-style:none;padding:0;margin:6px 0}
ul.timeline li{margin:3px 0}
ul.timeline .d{font-variant-numeric:tabular-nums;font-weight:600;margin-right:6px}
.articles article{border:1px solid var(--line);border-radius:6px;margin:10px 0;background:#fff}
.articles article>header{padding:6px 10px;background:var(--panel);border-bottom:1px solid var(--line);font-size:14px}
.articles article>header b{margin-right:6px}
.text{padding:8px 12px;max-height:22em;overflow:auto;white-space:pre-wrap;font:14px/1.55 Georgia,"Times New Roman",serif}
.text mark{background:transparent;color:inherit;border-bottom:2px solid #9cc1ea}
.text mark.k-val{border-bottom-color:#e0a100}
.text mark.k-quote{border-bottom-color:#9b7bd0}
.text mark.k-ment{border-bottom:none}
.text mark:target,.text mark.hit{background:var(--hit);outline:2px solid #e0b400}
.legend{font-size:13px;color:var(--muted)}
.legend span{border-bottom:2px solid #9cc1ea;margin-right:10px}
.legend span.k-val{border-bottom-color:#e0a100}
.legend span.k-quote{border-bottom-color:#9b7bd0}
.none{color:var(--muted);font-style:italic}
@media print{
nav.stories{display:none}
body{font-size:11pt}
main{max-width:none;padding:0}
section.story{break-before:page;border-top:none}
section.story:first-of-type{break-before:auto}
table{font-size:9pt}
td.date{white-space:normal}
.text{max-height:none;overflow:visible}
a{color:inherit;text-decoration:none}
svg,tr,article>header{break-inside:avoid}
h3,h4{break-after:avoid}
.text mark:target,.text mark.hit{background:transparent;outline:none}
}
""".strip()

_JS = """
(function(){
function flash(id){
  var old=document.querySelectorAll('mark.hit');
  for(var i=0;i<old.length;i++){old[i].classList.remove('hit');}
  if(!id){return;}
  var parts=document.querySelectorAll('mark[data-s]');
  var first=null;
  for(var j=0;j<parts.length;j++){
    if(parts[j].getAttribute('data-s')===id){parts[j].classList.add('hit');if(!first){first=parts[j];}}
  }
  if(first){first.scrollIntoView({block:'center'});}
}
function fromHash(){flash(decodeURIComponent(location.hash.slice(1)));}
document.addEventListener('click',function(ev){
  var a=ev.target.closest?ev.target.closest('a.cite'):null;
  if(a){setTimeout(fromHash,0);}
});
window.addEventListener('hashchange',fromHash);
if(location.hash){fromHash();}
})();
""".strip()


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def content_security_policy() -> str:
    """The policy the page declares: nothing loads, only the page's own style and script run."""
    return (
        "default-src 'none'; "
        f"style-src '{_sha256(_CSS)}'; "
        f"script-src '{_sha256(_JS)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def _e(value: Any) -> str:
    """Escaped text for element content and quoted attribute values."""
    return escape("" if value is None else str(value), quote=True)


def _safe_url(url: Any) -> str | None:
    """The URL if it is a plain http(s) URL, else None (``javascript:``, ``data:`` and friends)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if any(ord(ch) < 33 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def _when(value: Any, missing: str = "unknown") -> str:
    """A published_at for people: ``2025-06-10T18:30:00`` reads ``2025-06-10 18:30``."""
    if not value:
        return missing
    text = str(value)
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::00(?:\.0+)?)?", text)
    return f"{m.group(1)} {m.group(2)}" if m else text


def _short(text: str, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "\u2026"


# ---------------------------------------------------------------- spans and citations

_WORD = re.compile(r"\w+", re.UNICODE)
_STOP = frozenset(["the", "a", "an", "of", "in", "on", "at", "to", "and", "or", "for", "by", "with", "as", "from", "that", "this", "was", "were", "is", "are", "be", "has", "had", "have", "it", "its"])


def _tokens(text: str) -> set[str]:
    return {w for w in (m.group(0).lower() for m in _WORD.finditer(text)) if w not in _STOP and len(w) > 1}


class _Anchors:
    """Every span the page links to, by article; each gets a page-unique anchor id."""

    def __init__(self, articles: Sequence[Mapping[str, Any]]) -> None:
        self.texts: dict[str, str] = {}
        self.article_anchor: dict[str, str] = {}
        self.number: dict[str, int] = {}
        for i, a in enumerate(articles):
            aid = str(a.get("id"))
            if aid in self.texts:
                continue
            self.texts[aid] = str(a.get("text") or "")
            self.article_anchor[aid] = f"art-{i + 1}"
            self.number[aid] = i + 1
        self.spans: dict[str, dict[tuple[int, int], tuple[str, str]]] = {}
        self._sentences: dict[str, list[tuple[int, int]]] = {}
        self._sentence_words: dict[str, list[set[str]]] = {}
        self._count = 0

    def span(self, article_id: str, start: Any, end: Any, kind: str) -> str:
        """The anchor of a span (registering it); the article's anchor if the span is unusable."""
        text = self.texts.get(article_id)
        if text is None:
            return ""
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            return self.article_anchor[article_id]
        spans = self.spans.setdefault(article_id, {})
        if (start, end) not in spans:
            self._count += 1
            spans[(start, end)] = (f"x-{self._count}", kind)
        return spans[(start, end)][0]

    def sentences(self, article_id: str) -> list[tuple[int, int]]:
        if article_id not in self._sentences:
            self._sentences[article_id] = split_sentences(self.texts.get(article_id, ""))
        return self._sentences[article_id]

    def best_sentence(self, article_id: str, text: str, hints: Iterable[tuple[int, int]] = ()) -> str:
        """Anchor of the sentence in the article that best supports ``text``.

        Claim value spans named in ``hints`` win (their sentence is the evidence); otherwise the
        sentence sharing the most words with ``text``; otherwise the article itself.
        """
        if article_id not in self.texts:
            return ""
        sents = self.sentences(article_id)
        for start, _end in hints:
            s, e = sentence_at(sents, start)
            if e > s:
                return self.span(article_id, s, e, "cite")
        body = re.sub(r"^On [^:]{3,60}: ", "", text).rstrip(" .\u2026")
        want = _tokens(body)
        if not want:
            return self.article_anchor[article_id]
        if article_id not in self._sentence_words:
            article_text = self.texts[article_id]
            self._sentence_words[article_id] = [_tokens(article_text[s:e]) for s, e in sents]
        best, best_score = None, 0.0
        for (s, e), words in zip(sents, self._sentence_words[article_id]):
            score = len(want & words) / len(want)
            if score > best_score:
                best, best_score = (s, e), score
        if best is None or best_score < 0.25:
            return self.article_anchor[article_id]
        return self.span(article_id, best[0], best[1], "cite")

    def cite(self, article_id: str, anchor: str, contra: bool = False) -> str:
        """A citation chip: the article's number, linking to ``anchor``."""
        if article_id not in self.texts:
            return f'<span class="cite none" title="unknown report">{_e(article_id)}</span>'
        cls = "cite contra" if contra else "cite"
        title = ("contradicted by " if contra else "") + f"report {article_id}"
        return f'<a class="{cls}" href="#{anchor}" title="{_e(title)}">[{self.number[article_id]}]</a>'

    def marked_text(self, article_id: str) -> str:
        """The article text, escaped, with every registered span wrapped in ``<mark>``."""
        text = self.texts[article_id]
        spans = sorted(
            ((s, e, anchor, kind) for (s, e), (anchor, kind) in self.spans.get(article_id, {}).items()),
            key=lambda sp: (sp[0], -sp[1]),
        )
        points = sorted({0, len(text)} | {p for sp in spans for p in sp[:2]})
        starting: dict[int, list[tuple[int, int, str, str]]] = {}
        for sp in spans:
            starting.setdefault(sp[0], []).append(sp)
        out: list[str] = []
        stack: list[tuple[int, int, str, str]] = []

        def open_(sp: tuple[int, int, str, str], first: bool) -> None:
            ident = f' id="{sp[2]}"' if first else ""
            out.append(f'<mark class="k-{sp[3]}" data-s="{sp[2]}"{ident}>')

        for i, pos in enumerate(points):
            closing = [k for k, sp in enumerate(stack) if sp[1] <= pos]
            if closing:
                reopen = []
                while len(stack) > closing[0]:
                    sp = stack.pop()
                    out.append("</mark>")
                    if sp[1] > pos:
                        reopen.append(sp)
                for sp in reversed(reopen):
                    stack.append(sp)
                    open_(sp, False)
            for sp in starting.get(pos, []):
                stack.append(sp)
                open_(sp, True)
            if i + 1 < len(points):
                out.append(_e(text[pos : points[i + 1]]))
        out.extend("</mark>" for _ in stack)
        return "".join(out)


# ---------------------------------------------------------------- dates

_ISO = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def _day(value: Any) -> date | None:
    m = _ISO.match(str(value or ""))
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None


# ---------------------------------------------------------------- consensus

def _value_key(v: Mapping[str, Any]) -> str:
    return json.dumps([v.get("value"), v.get("unit")], sort_keys=True, default=str)


def consensus(story: Mapping[str, Any]) -> tuple[dict[str, Counter[str]], set[tuple[str, int]]]:
    """Per article: how many of its claim values agree with, differ from, or have no majority.

    Values of an ``updated`` claim are compared only with values that held at the same time
    (same ``as_of``). Returns the counters and the (claim id, value index) pairs that differ.
    """
    score: dict[str, Counter[str]] = {}
    odd: set[tuple[str, int]] = set()
    for c in story.get("claims", []):
        groups: dict[Any, list[tuple[int, Mapping[str, Any]]]] = {}
        for i, v in enumerate(c.get("values", [])):
            g = v.get("as_of") if c.get("status") == "updated" else None
            groups.setdefault(g, []).append((i, v))
        for members in groups.values():
            per_article: dict[str, str] = {}
            for _i, v in members:
                per_article.setdefault(str(v.get("article_id")), _value_key(v))
            if len(per_article) < 2:
                continue
            counts = Counter(per_article.values()).most_common()
            majority = counts[0][0] if counts[0][1] > 1 and (len(counts) == 1 or counts[1][1] < counts[0][1]) else None
            for aid, key in per_article.items():
                verdict = "none" if majority is None else ("agree" if key == majority else "differ")
                score.setdefault(aid, Counter())[verdict] += 1
            for i, v in members:
                if majority is not None and _value_key(v) != majority:
                    odd.add((str(c.get("id")), i))
    return score, odd


# ---------------------------------------------------------------- sections

def _account(story: Mapping[str, Any], anchors: _Anchors) -> str:
    summary = story.get("summary") or []
    if not summary:
        return '<p class="none">No consolidated account for this story.</p>'
    value_spans: dict[str, list[tuple[str, int, int]]] = {}
    for c in story.get("claims", []):
        for v in c.get("values", []):
            value_spans.setdefault(str(v.get("article_id")), []).append((str(v.get("text", "")), v.get("start"), v.get("end")))
    items = []
    for sent in summary:
        text = str(sent.get("text", ""))
        lowered = text.lower()
        chips = []
        for contra, ids in ((False, sent.get("supported_by", [])), (True, sent.get("contradicted_by", []))):
            for aid in ids:
                aid = str(aid)
                hints = [(s, e) for t, s, e in value_spans.get(aid, []) if t and t.lower() in lowered and isinstance(s, int)]
                chips.append(anchors.cite(aid, anchors.best_sentence(aid, text, hints[:1]), contra))
        items.append(f"<li>{_e(text)} {''.join(chips)}</li>")
    return f'<ol class="account">{"".join(items)}</ol>'


def _snippet(text: str, start: int, end: int, width: int = 70) -> str:
    if not (0 <= start <= end <= len(text)):
        return ""
    a = max(0, start - width)
    b = min(len(text), end + width)
    if a > 0:
        sp = text.find(" ", a, start)
        a = sp + 1 if sp != -1 else a
    if b < len(text):
        sp = text.rfind(" ", end, b)
        b = sp if sp != -1 else b
    pre = ("\u2026" if a > 0 else "") + " ".join(text[a:start].split()) + (" " if text[a:start][-1:].isspace() else "")
    post = (" " if text[end:b][:1].isspace() else "") + " ".join(text[end:b].split()) + ("\u2026" if b < len(text) else "")
    return f'<span class="snippet">{_e(pre)}<mark>{_e(text[start:end])}</mark>{_e(post)}</span>'


def _value_summary(claim: Mapping[str, Any]) -> str:
    """The distinct values of a claim side by side, with how many reports give each."""
    updated = claim.get("status") == "updated"
    groups: dict[tuple[str, Any], tuple[str, set[str]]] = {}
    for v in claim.get("values", []):
        key = (_value_key(v), v.get("as_of") if updated else None)
        label, ids = groups.setdefault(key, (str(v.get("text", "")), set()))
        ids.add(str(v.get("article_id")))
    items = sorted(groups.items(), key=lambda kv: str(kv[0][1] or "")) if updated else list(groups.items())
    parts = []
    for (_key, as_of), (label, ids) in items:
        when = f" as of {as_of}" if as_of else ""
        parts.append(f'<span class="val">{_e(label)}</span> <span class="dim">{_e(when)} \u00d7{len(ids)} report{"" if len(ids) == 1 else "s"}</span>')
    return (" \u2192 " if updated else " <i>vs</i> ").join(parts)


def _claims(story: Mapping[str, Any], anchors: _Anchors, arts: Mapping[str, Mapping[str, Any]], odd: set[tuple[str, int]]) -> str:
    claims = story.get("claims") or []
    names = {str(e.get("id")): str(e.get("name")) for e in story.get("entities", [])}
    contested = [c for c in claims if c.get("status") in ("conflict", "updated")]
    settled = [c for c in claims if c.get("status") not in ("conflict", "updated")]
    parts = []
    if contested:
        rows = [
            "<table class=\"conflicts\"><thead><tr><th>report</th><th>source</th><th>published</th>"
            "<th>as of</th><th>value</th><th>evidence</th></tr></thead>"
        ]
        for c in contested:
            status = str(c.get("status"))
            subject = names.get(str(c.get("subject")), "")
            about = f" \u2014 {_e(subject)}" if subject else ""
            rows.append(
                f'<tbody><tr class="claim" data-claim="{_e(c.get("id"))}"><th colspan="6">'
                f'<span class="badge {_e(status)}">{_e(status)}</span> {_e(c.get("description"))}{about} '
                f'<span class="dim">({_e(c.get("kind"))}, {_e(c.get("id"))})</span>'
                f'<div class="vals">{_value_summary(c)}</div></th></tr>'
            )
            for i, v in enumerate(c.get("values", [])):
                aid = str(v.get("article_id"))
                a = arts.get(aid, {})
                anchor = anchors.span(aid, v.get("start"), v.get("end"), "val")
                is_odd = (str(c.get("id")), i) in odd
                qual = v.get("qualifier")
                shown = str(qual or "").replace("_", " ")
                qual_txt = f' <span class="dim">({_e(shown)})</span>' if shown and shown != "exact" and shown not in str(v.get("text", "")).lower() else ""
                rows.append(
                    f'<tr data-article="{_e(aid)}"><td class="date">{anchors.cite(aid, anchor)} {_e(aid)}</td>'
                    f"<td>{_e(a.get('source') or DASH)}</td><td class=\"date\">{_e(_when(a.get('published_at')))}</td>"
                    f"<td class=\"date\">{_e(v.get('as_of') or DASH)}</td>"
                    f'<td class="num{" odd" if is_odd else ""}">{_e(v.get("text"))}{qual_txt}</td>'
                    f"<td>{_snippet(anchors.texts.get(aid, ''), v.get('start', -1), v.get('end', -1))}</td></tr>"
                )
            rows.append("</tbody>")
        rows.append("</table>")
        parts.append("".join(rows))
        parts.append('<p class="legend">Shaded values differ from the majority of reports that give the figure for the same time.</p>')
    else:
        parts.append('<p class="none">No conflicting or updated figures.</p>')
    if settled:
        rows = ['<table class="settled"><thead><tr><th>status</th><th>figure</th><th>values</th></tr></thead><tbody>']
        for c in settled:
            vals = []
            for v in c.get("values", []):
                aid = str(v.get("article_id"))
                vals.append(f"{_e(v.get('text'))}{anchors.cite(aid, anchors.span(aid, v.get('start'), v.get('end'), 'val'))}")
            status = str(c.get("status"))
            rows.append(
                f'<tr><td><span class="badge {_e(status)}">{_e(status.replace("_", " "))}</span></td>'
                f"<td>{_e(c.get('description'))}</td><td>{'; '.join(vals)}</td></tr>"
            )
        rows.append("</tbody></table>")
        parts.append("<h4>Other figures</h4>" + "".join(rows))
    return "".join(parts)


def _timeline(story: Mapping[str, Any], anchors: _Anchors, sid: str) -> str:
    events = story.get("timeline") or []
    if not events:
        return '<p class="none">No dated events.</p>'
    days = [_day(ev.get("date")) for ev in events]
    known = [d for d in days if d]
    lo = min(known) if known else date(2000, 1, 1)
    hi = max(known) if known else lo
    span = max((hi - lo).days, 1)
    x0, x1, row, top = 100, 420, 22, 34
    width, height = 960, top + row * len(events) + 10

    def x(d: date) -> float:
        return x0 + (x1 - x0) * (d - lo).days / span

    svg = [
        f'<svg class="timeline" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="timeline with {len(events)} entries" xmlns="http://www.w3.org/2000/svg">'
    ]
    ticks = sorted({lo, hi} | ({date.fromordinal(lo.toordinal() + span * k // 4) for k in (2,)} if span >= 4 else set()))
    for t in ticks:
        tx = x(t)
        svg.append(f'<line class="grid" x1="{tx:.1f}" y1="{top - 8}" x2="{tx:.1f}" y2="{height - 6}"/>')
        svg.append(f'<text class="dim" x="{tx:.1f}" y="{top - 14}" text-anchor="middle">{_e(t.isoformat())}</text>')
    svg.append(f'<line class="axis" x1="{x0}" y1="{top - 8}" x2="{x1}" y2="{top - 8}"/>')
    for i, (ev, d) in enumerate(zip(events, days)):
        y = top + row * i + row / 2
        cls = "tl-mark" if d else "tl-mark undated"
        cx = x(d) if d else x0 - 12
        svg.append(
            f'<a href="#{sid}-tl-{i + 1}"><text class="lbl" x="8" y="{y + 4:.1f}">{_e(_short(str(ev.get("date")), 16))}</text>'
            f'<circle class="{cls}" cx="{cx:.1f}" cy="{y:.1f}" r="6"><title>{_e(ev.get("date"))}: {_e(ev.get("description"))}</title></circle>'
            f'<text class="lbl" x="{x1 + 16}" y="{y + 4:.1f}">{_e(_short(str(ev.get("description")), 74))}</text></a>'
        )
    svg.append("</svg>")
    items = []
    for i, ev in enumerate(events):
        desc = str(ev.get("description", ""))
        chips = "".join(anchors.cite(str(a), anchors.best_sentence(str(a), desc)) for a in ev.get("article_ids", []))
        items.append(f'<li id="{sid}-tl-{i + 1}"><span class="d">{_e(ev.get("date"))}</span>{_e(desc)} {chips}</li>')
    return "".join(svg) + f'<ul class="timeline">{"".join(items)}</ul>'


def _entities(story: Mapping[str, Any], anchors: _Anchors) -> str:
    ents = sorted(story.get("entities") or [], key=lambda e: (-len(e.get("mentions", [])), str(e.get("name"))))
    if not ents:
        return '<p class="none">No entities.</p>'
    rows = ['<table class="entities"><thead><tr><th>name</th><th>type</th><th>also called</th>'
            "<th>mentions</th><th>reports</th></tr></thead><tbody>"]
    for e in ents:
        mentions = e.get("mentions", [])
        first: dict[str, Mapping[str, Any]] = {}
        for m in mentions:
            first.setdefault(str(m.get("article_id")), m)
        chips = "".join(anchors.cite(aid, anchors.span(aid, m.get("start"), m.get("end"), "ment")) for aid, m in first.items())
        rows.append(
            f'<tr data-entity="{_e(e.get("id"))}"><td>{_e(e.get("name"))}</td><td>{_e(e.get("type"))}</td>'
            f"<td>{_e(', '.join(str(a) for a in e.get('aliases', [])))}</td><td class=\"num\">{len(mentions)}</td><td>{chips}</td></tr>"
        )
    rows.append("</tbody></table>")
    return "".join(rows)


def _quotes(story: Mapping[str, Any], anchors: _Anchors) -> str:
    quotes = story.get("quotes") or []
    if not quotes:
        return ""
    names = {str(e.get("id")): str(e.get("name")) for e in story.get("entities", [])}
    items = []
    for q in quotes:
        versions = q.get("versions", [])
        if not versions:
            continue
        who = names.get(str(q.get("speaker")), "unattributed")
        chips = "".join(
            anchors.cite(str(v.get("article_id")), anchors.span(str(v.get("article_id")), v.get("start"), v.get("end"), "quote"))
            for v in versions
        )
        status = str(q.get("status"))
        items.append(
            f'<li><span class="badge {_e(status)}">{_e(status)}</span> <b>{_e(who)}</b>: '
            f"\u201c{_e(_short(str(versions[0].get('text', '')), 180))}\u201d {chips}</li>"
        )
    return f'<h4>Quotes</h4><ul class="quotes">{"".join(items)}</ul>' if items else ""


def _provenance(story: Mapping[str, Any], anchors: _Anchors, arts: Mapping[str, Mapping[str, Any]], sid: str) -> str:
    ids = [str(a) for a in story.get("article_ids", [])]
    prov = {str(p.get("article_id")): p for p in story.get("provenance", [])}
    independent = story.get("independent_sources")
    if not isinstance(independent, int):
        independent = sum(1 for a in ids if (prov.get(a) or {}).get("relation", "independent") in ("original", "independent"))
    parent = {a: str(prov[a].get("derived_from")) for a in ids if a in prov and prov[a].get("derived_from") in ids}
    depth: dict[str, int] = {}
    for a in ids:
        d, cur, seen = 0, a, {a}
        while cur in parent and parent[cur] not in seen:
            cur = parent[cur]
            seen.add(cur)
            d += 1
        depth[a] = d
    columns: dict[int, list[str]] = {}
    row_of: dict[str, int] = {}
    for d in sorted(set(depth.values())):
        col = [a for a in ids if depth[a] == d]
        col.sort(key=lambda a: row_of.get(parent.get(a, ""), -1))  # children next to their parents
        columns[d] = col
        row_of.update((a, r) for r, a in enumerate(col))
    bw, bh, cgap, rgap = 210, 44, 90, 16
    ncols = max(columns) + 1 if columns else 1
    nrows = max((len(v) for v in columns.values()), default=1)
    width, height = ncols * (bw + cgap) - cgap + 20, nrows * (bh + rgap) - rgap + 20
    pos = {a: (10 + c * (bw + cgap), 10 + r * (bh + rgap)) for c, col in columns.items() for r, a in enumerate(col)}
    svg = [
        f'<svg class="provenance" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="provenance graph: {independent} independent sources" xmlns="http://www.w3.org/2000/svg">'
        f'<defs><marker id="{sid}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto">'
        '<path class="arrow" d="M0,0 L10,5 L0,10 z"/></marker></defs>'
    ]
    for child, par in parent.items():
        (px, py), (cx, cy) = pos[par], pos[child]
        sx, sy, ex, ey = px + bw, py + bh / 2, cx, cy + bh / 2
        rel = str(prov[child].get("relation"))
        svg.append(
            f'<path class="edge {_e(rel)}" marker-end="url(#{sid}-arrow)" '
            f'd="M{sx},{sy} C{sx + cgap / 2},{sy} {ex - cgap / 2},{ey} {ex},{ey}"/>'
            f'<text class="dim" x="{(sx + ex) / 2:.1f}" y="{(sy + ey) / 2 - 4:.1f}" text-anchor="middle">{_e(rel)}</text>'
        )
    for a in ids:
        x, y = pos[a]
        rel = str((prov.get(a) or {}).get("relation", "independent"))
        cls = "node indep" if rel in ("original", "independent") else "node"
        source = arts.get(a, {}).get("source") or arts.get(a, {}).get("title") or a
        num = anchors.number.get(a, "?")
        link = f'<a href="#{anchors.article_anchor[a]}">' if a in anchors.article_anchor else "<a>"
        svg.append(
            f'{link}<g class="{cls}" data-article="{_e(a)}">'
            f'<rect x="{x}" y="{y}" width="{bw}" height="{bh}" rx="6"/>'
            f'<text class="lbl" x="{x + 8}" y="{y + 18}">[{num}] {_e(_short(str(source), 24))}</text>'
            f'<text class="dim" x="{x + 8}" y="{y + 35}">{_e(_short(a, 14))} \u00b7 {_e(rel)}</text></g></a>'
        )
    svg.append("</svg>")
    return (
        f'<p><b>{independent}</b> independent source{"" if independent == 1 else "s"} among {len(ids)} reports '
        "(copies, rewrites and translations count once; independent reports are outlined in green).</p>" + "".join(svg)
    )


def _ref(anchors: _Anchors, aid: str) -> str:
    """The report's number, linking to its text (or a plain "?" for a report the file does not hold)."""
    if aid not in anchors.article_anchor:
        return '<span title="unknown report">?</span>'
    return f'<a href="#{anchors.article_anchor[aid]}">[{anchors.number[aid]}]</a>'


def _scorecard(story: Mapping[str, Any], anchors: _Anchors, arts: Mapping[str, Mapping[str, Any]], score: Mapping[str, Counter[str]]) -> str:
    prov = {str(p.get("article_id")): p for p in story.get("provenance", [])}
    rows = ['<table class="scorecard"><thead><tr><th>#</th><th>report</th><th>source</th><th>published</th><th>lang</th>'
            "<th>garble</th><th>relation</th><th>agree</th><th>differ</th><th>no majority</th></tr></thead><tbody>"]
    for aid in (str(a) for a in story.get("article_ids", [])):
        a = arts.get(aid, {})
        p = prov.get(aid) or {}
        rel = str(p.get("relation", ""))
        if p.get("derived_from"):
            rel += f" of {p['derived_from']}"
        garble = (a.get("quality") or {}).get("garble")
        g = f"{garble:.2f}" if isinstance(garble, (int, float)) else "?"
        sc = score.get(aid, Counter())
        rows.append(
            f'<tr data-article="{_e(aid)}"><td>{_ref(anchors, aid)}</td>'
            f"<td>{_e(aid)}</td><td>{_e(a.get('source') or '')}</td><td>{_e(_when(a.get('published_at')))}</td>"
            f"<td>{_e(a.get('language') or '')}</td><td class=\"num\">{g}</td><td>{_e(rel)}</td>"
            f'<td class="num">{sc["agree"]}</td><td class="num">{sc["differ"]}</td><td class="num">{sc["none"]}</td></tr>'
        )
    rows.append("</tbody></table>")
    rows.append('<p class="legend">Garble: 0 = clean text, 1 = badly corrupted or machine-translated. '
                "Agree / differ: this report's figures against the majority of reports giving the same figure.</p>")
    return "".join(rows)


def _article_panel(a: Mapping[str, Any], anchors: _Anchors) -> str:
    aid = str(a.get("id"))
    url = _safe_url(a.get("url"))
    title = _e(a.get("title") or "(untitled)")
    link = f'<a href="{_e(url)}" rel="noopener noreferrer nofollow">{title}</a>' if url else title
    shown_url = "" if url or not a.get("url") else f' <span class="dim">({_e(a.get("url"))})</span>'
    return (
        f'<article id="{anchors.article_anchor[aid]}" data-article="{_e(aid)}"><header><b>[{anchors.number[aid]}]</b>'
        f"{link}{shown_url} \u2014 {_e(a.get('source') or 'unknown source')}, {_e(_when(a.get('published_at'), 'date unknown'))}"
        f' <span class="dim">({_e(aid)})</span></header><div class="text">{anchors.marked_text(aid)}</div></article>'
    )


# ---------------------------------------------------------------- page

def render_html(report: Mapping[str, Any]) -> str:
    """The whole page, as a string."""
    articles = [a for a in report.get("articles", []) if isinstance(a, Mapping)]
    stories = [s for s in report.get("stories", []) if isinstance(s, Mapping)]
    arts = {str(a.get("id")): a for a in articles}
    anchors = _Anchors(articles)
    bodies: list[tuple[str, str, Mapping[str, Any]]] = []
    for n, s in enumerate(stories, 1):
        sid = f"st-{n}"
        score, odd = consensus(s)
        sections = [
            ("account", "Consolidated account", _account(s, anchors)),
            ("figures", "Conflicts and updates", _claims(s, anchors, arts, odd) + _quotes(s, anchors)),
            ("timeline", "Timeline", _timeline(s, anchors, sid)),
            ("entities", "People, organisations and places", _entities(s, anchors)),
            ("provenance", "Provenance", _provenance(s, anchors, arts, sid)),
            ("sources", "Source scorecard", _scorecard(s, anchors, arts, score)),
        ]
        html = "".join(f'<h3 id="{sid}-{key}">{_e(head)}</h3>{body}' for key, head, body in sections)
        bodies.append((sid, html, s))
    placed: set[str] = set()
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(content_security_policy())}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Storyline report \u2014 {len(stories)} stor{'y' if len(stories) == 1 else 'ies'}</title>",
        f"<style>{_CSS}</style></head><body>",
        '<header class="top"><h1>Storyline report</h1>'
        f"<p>{len(articles)} reports, {len(stories)} stor{'y' if len(stories) == 1 else 'ies'}. "
        "Numbers in brackets cite a report; follow one to see the sentence it supports, highlighted in the report text.</p></header>",
    ]
    nav = []
    for sid, _html, s in bodies:
        n_conf = sum(1 for c in s.get("claims", []) if c.get("status") == "conflict")
        badge = f' <span class="badge conflict">{n_conf} conflict{"" if n_conf == 1 else "s"}</span>' if n_conf else ""
        nav.append(f'<li><a href="#{sid}">{_e(_short(str(s.get("title") or s.get("id")), 60))}</a>{badge}</li>')
    out.append(f'<nav class="stories" aria-label="stories"><ul>{"".join(nav)}</ul></nav><main>')
    if not stories:
        out.append('<p class="none">No stories in this report.</p>')
    for sid, html, s in bodies:
        ids = [str(a) for a in s.get("article_ids", []) if str(a) in arts and str(a) not in placed]
        placed.update(ids)
        n_ind = s.get("independent_sources")
        counts = Counter(str(c.get("status")) for c in s.get("claims", []))
        meta = [f"{len(s.get('article_ids', []))} reports"]
        if isinstance(n_ind, int):
            meta.append(f"{n_ind} independent sources")
        meta += [f"{counts[k]} {k}{'s' if k == 'conflict' and counts[k] != 1 else ''}" for k in ("conflict", "updated", "agreed") if counts[k]]
        toc = "".join(
            f'<a href="#{sid}-{key}">{head}</a>'
            for key, head in (("account", "Account"), ("figures", "Conflicts &amp; updates"), ("timeline", "Timeline"),
                              ("entities", "Entities"), ("provenance", "Provenance"), ("sources", "Sources"), ("reports", "Report texts"))
        )
        panels = "".join(_article_panel(arts[a], anchors) for a in ids)
        legend = ('<p class="legend">Underlined: <span class="k-cite">cited sentences</span><span class="k-val">figures</span>'
                  '<span class="k-quote">quotes</span></p>')
        out.append(
            f'<section class="story" id="{sid}" data-story="{_e(s.get("id"))}"><h2>{_e(s.get("title"))}</h2>'
            f'<p class="meta">Story {_e(s.get("id"))} \u00b7 {_e(DOT.join(meta))}</p><nav class="toc">{toc}</nav>{html}'
            f'<h3 id="{sid}-reports">Report texts</h3>{legend if panels else ""}'
            f'<div class="articles">{panels or EARLIER}</div></section>'
        )
    rest = [a for a in arts if a not in placed]
    if rest:
        out.append('<section class="story" id="unassigned"><h2>Reports in no story</h2><div class="articles">'
                   + "".join(_article_panel(arts[a], anchors) for a in rest) + "</div></section>")
    out.append(f"</main><script>{_JS}</script></body></html>")
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m storyline.html_report report.json -o report.html``."""
    from .report import ReportInvalid, validate_report

    parser = argparse.ArgumentParser(prog="python -m storyline.html_report", description="Render report.json as one HTML file.")
    parser.add_argument("report", help="a report.json written by storyline analyze")
    parser.add_argument("-o", "--out", default=None, help="where to write (default: report.html next to the input)")
    args = parser.parse_args(argv)
    src = Path(args.report)
    try:
        report = json.loads(src.read_text(encoding="utf-8"))
    except OSError as exc:
        print(f"storyline: cannot read {src}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        print(f"storyline: {src} is not a JSON file: {exc}", file=sys.stderr)
        return 1
    if not isinstance(report, dict):
        print(f"storyline: {src} is not a Storyline report (expected a JSON object)", file=sys.stderr)
        return 1
    try:
        validate_report(report)
    except ReportInvalid as exc:
        print(f"storyline: {src} is not a valid Storyline report: {exc}", file=sys.stderr)
        return 1
    dest = Path(args.out) if args.out else src.with_name("report.html")
    try:
        dest.write_text(render_html(report), encoding="utf-8")
    except OSError as exc:
        print(f"storyline: cannot write {dest}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(dest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
