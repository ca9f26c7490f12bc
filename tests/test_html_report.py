"""report.html: built from the real pipeline, inert with hostile input, and structurally complete."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.html_report import _Anchors, _safe_url, consensus, main, render_html

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


class Audit(HTMLParser):
    """Everything a security and structure check needs from one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self.handlers: list[tuple[str, str]] = []
        self.urls: list[tuple[str, str, str]] = []
        self.csp: list[str] = []
        self.ids: Counter[str] = Counter()
        self.marks: dict[str, str] = {}  # mark id -> article id of the panel holding it
        self.mark_text: dict[str, str] = {}
        self.cites: list[tuple[str, str]] = []  # (title, href)
        self.text: list[str] = []
        self._raw: str | None = None
        self._raw_buf: list[str] = []
        self._article: list[str] = []
        self._open_marks: list[str | None] = []
        self._mark_buf: dict[str, list[str]] = {}
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags[tag] += 1
        for k, v in attrs:
            if k.lower().startswith("on"):
                self.handlers.append((tag, k))
            if k.lower() in ("href", "src", "xlink:href", "action", "formaction", "data", "srcdoc"):
                self.urls.append((tag, k, v or ""))
        if "id" in a:
            self.ids[a["id"] or ""] += 1
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp.append(a.get("content") or "")
        if tag in ("script", "style"):
            self._raw, self._raw_buf = tag, []
            self._script_attrs = a
        if tag == "article":
            self._article.append(a.get("data-article") or "")
        if tag == "mark":
            mid = a.get("id")
            if mid and self._article:
                self.marks[mid] = self._article[-1]
                self._mark_buf[mid] = []
            self._open_marks.append(mid)
        if tag == "a" and "cite" in (a.get("class") or "").split():
            self.cites.append((a.get("title") or "", a.get("href") or ""))
        if tag not in ("meta", "br", "circle", "rect", "line", "path", "input", "img", "link"):
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._raw == tag:
            body = "".join(self._raw_buf)
            (self.scripts.append((self._script_attrs, body)) if tag == "script" else self.styles.append(body))
            self._raw = None
        if tag == "article" and self._article:
            self._article.pop()
        if tag == "mark" and self._open_marks:
            mid = self._open_marks.pop()
            if mid in self._mark_buf:
                self.mark_text[mid] = "".join(self._mark_buf.pop(mid))
        if tag in ("meta", "br", "circle", "rect", "line", "path", "input", "img", "link"):
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"unbalanced </{tag}> with open {self.stack[-3:]}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self._raw:
            self._raw_buf.append(data)
            return
        self.text.append(data)
        for buf in self._mark_buf.values():
            buf.append(data)


def audit(html: str) -> Audit:
    p = Audit()
    p.feed(html)
    p.close()
    return p


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def assert_inert(html: str) -> Audit:
    """No executable markup but the page's own hashed script; a strict CSP; only safe links."""
    p = audit(html)
    assert len(p.csp) == 1, "exactly one Content-Security-Policy meta"
    csp = p.csp[0]
    directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in csp.split(";") if d.strip())
    assert directives["default-src"] == "'none'"
    assert directives["img-src"] == "data:"
    assert "unsafe" not in csp and "*" not in csp and "http" not in csp
    assert len(p.scripts) == 1 and len(p.styles) == 1, (len(p.scripts), len(p.styles))
    attrs, body = p.scripts[0]
    assert "src" not in attrs
    assert directives["script-src"] == _hash(body)
    assert directives["style-src"] == _hash(p.styles[0])
    assert p.handlers == [], p.handlers
    for tag in ("iframe", "object", "embed", "img", "link", "base", "form", "body"):
        assert p.tags[tag] == (1 if tag == "body" else 0), tag
    for tag, attr, url in p.urls:
        assert url.startswith("#") or re.match(r"https?://", url), (tag, attr, url)
        assert "javascript" not in url.lower()
    assert html.find("<meta http-equiv") < html.find("<style>") < html.find("<script>"), "CSP must come first"
    return p


# ---------------------------------------------------------------- hostile input, through the real pipeline

HOSTILE_BASE = ("The Harbour Board voted on Tuesday, March 4, 2025 to raise mooring fees by 12 percent. "
                "Board chair Ada Lindqvist said the increase would fund $3.5 million in repairs. ")
HOSTILE = [
    {"id": "evil-1", "title": "Harbour fees <script>alert('t')</script> rise", "source": "<img src=x onerror=alert(1)>Daily",
     "url": "javascript:alert(1)", "published_at": "2025-03-05",
     "text": HOSTILE_BASE + "Critics said <script>alert(document.cookie)</script> the vote was rushed. "
             "<img src=x onerror=alert(2)> See <a href=\"javascript:alert(3)\">this</a>. "
             "</style><style>body{display:none}</style> About 40 boats are affected."},
    {"id": "evil-2", "title": "</title><script>alert(4)</script>", "source": "\"><svg onload=alert(5)>",
     "url": "https://ok.example/a?x=\"><script>", "published_at": "2025-03-05",
     "text": HOSTILE_BASE + "Opponents said <body onload=alert(6)> the vote <iframe src=javascript:alert(7)></iframe> "
             "ignored them. About 55 boats are affected, the board said."},
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    (tmp / "h.jsonl").write_text("\n".join(json.dumps(a) for a in HOSTILE) + "\n", encoding="utf-8")
    out = tmp / "out"
    result = CliRunner().invoke(app, ["analyze", str(tmp / "h.jsonl"), "--out", str(out), "--format", "json,html"])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return report, (out / "report.html").read_text(encoding="utf-8")


def test_hostile_reports_render_as_inert_text(hostile):
    report, html = hostile
    # the pipeline kept the hostile strings, so the page really had to neutralise them
    texts = " ".join(a["text"] + a["title"] + a["source"] for a in report["articles"])
    assert "<script>alert(document.cookie)</script>" in texts and "onerror=alert(2)" in texts
    p = assert_inert(html)
    shown = "".join(p.text)
    for needle in ("<script>alert(document.cookie)</script>", "<img src=x onerror=alert(2)>",
                   "<a href=\"javascript:alert(3)\">", "</style><style>body{display:none}</style>",
                   "Harbour fees <script>alert('t')</script> rise", "\"><svg onload=alert(5)>"):
        assert needle in shown, needle  # shown to the reader as text
    assert p.problems == []
    # the javascript: URL is not a link; the odd but http(s) URL is, with its quotes escaped
    assert not any("alert(1)" in u for _t, _a, u in p.urls)
    assert ("a", "href", 'https://ok.example/a?x="><script>') in p.urls


def test_hostile_strings_anywhere_in_a_report_stay_inert(hostile):
    report, _html = hostile
    bad = "<script>x()</script><img src=x onerror=y()>\"'><svg onload=z()></style></script>"
    doctored = json.loads(json.dumps(report))
    s = doctored["stories"][0]
    s["id"] = s["title"] = bad
    for e in s["entities"]:
        e["name"], e["type"], e["aliases"] = bad, bad, [bad]
    for c in s["claims"]:
        c["description"] = c["kind"] = c["status"] = c["id"] = bad
        for v in c["values"]:
            v["as_of"], v["qualifier"] = bad, bad
    for ev in s["timeline"]:
        ev["date"], ev["description"] = bad, bad
    for sent in s["summary"]:
        sent["text"] = bad
    for p in s["provenance"]:
        p["relation"] = bad
    for a in doctored["articles"]:
        a["published_at"], a["language"], a["url"] = bad, bad, " JaVaScRiPt:alert(1)"
    page = render_html(doctored)
    assert_inert(page)
    assert "<script>x()" not in page and "onerror=y()>" not in page.replace("onerror=y()&gt;", "")


@pytest.mark.parametrize("url, ok", [
    ("https://example.org/a", True), ("http://example.org", True), ("javascript:alert(1)", False),
    (" JAVASCRIPT:alert(1)", False), ("java\tscript:alert(1)", False), ("data:text/html,<b>", False),
    ("//evil.example/x", False), ("vbscript:msgbox", False), ("https:///nohost", False), (None, False),
])
def test_only_plain_http_urls_become_links(url, ok):
    assert (_safe_url(url) is not None) is ok


# ---------------------------------------------------------------- structure, on the demo corpus

@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "out"
    result = CliRunner().invoke(app, ["analyze", str(EXAMPLES), "--out", str(out), "--format", "json,md,html"])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    html = (out / "report.html").read_text(encoding="utf-8")
    return out, report, html


def test_demo_page_is_self_contained_and_inert(demo):
    _out, _report, html = demo
    p = assert_inert(html)
    assert p.problems == [] and not p.stack, (p.problems, p.stack)
    dupes = [i for i, n in p.ids.items() if n > 1]
    assert dupes == []
    assert "@media print" in html and ".text{max-height:none;overflow:visible}" in html


def test_every_story_has_every_section_and_navigation(demo):
    _out, report, html = demo
    p = audit(html)
    for n, s in enumerate(report["stories"], 1):
        assert f'data-story="{s["id"]}"' in html
        assert f'<a href="#st-{n}">' in html  # top navigation
        for key in ("account", "figures", "timeline", "entities", "provenance", "sources", "reports"):
            assert p.ids[f"st-{n}-{key}"] == 1, (s["id"], key)
    for a in report["articles"]:
        assert '<article id="art-' in html and f'data-article="{a["id"]}"' in html


def test_every_internal_link_lands_on_an_anchor(demo):
    _out, _report, html = demo
    p = audit(html)
    targets = [u[1:] for _t, attr, u in p.urls if attr == "href" and u.startswith("#")]
    assert len(targets) > 50
    missing = sorted({t for t in targets if p.ids[t] != 1})
    assert missing == []


def test_citations_point_into_the_cited_report(demo):
    _out, report, html = demo
    p = audit(html)
    assert len(p.cites) > 20
    for title, href in p.cites:
        aid = title.rsplit("report ", 1)[1]
        target = href[1:]
        if target.startswith("x-"):
            assert p.marks[target] == aid, (title, href)
    # every summary sentence carries its citations, and they land on a sentence, not just the article
    cited = [h for t, h in p.cites if h.startswith("#x-")]
    n_summary_cites = sum(len(x["supported_by"]) + len(x["contradicted_by"]) for s in report["stories"] for x in s["summary"])
    assert len(cited) >= n_summary_cites * 0.8


def test_conflict_table_lists_the_values_with_their_reports(demo):
    _out, report, html = demo
    p = audit(html)
    conflicts = [c for s in report["stories"] for c in s["claims"] if c["status"] in ("conflict", "updated")]
    assert any(c["status"] == "conflict" for c in conflicts)
    for c in conflicts:
        block = html.split(f'data-claim="{c["id"]}"', 1)[1].split("</tbody>", 1)[0]
        rows = re.findall(r'<tr data-article="([^"]+)">', block)
        assert rows == [v["article_id"] for v in c["values"]]
        side_by_side = re.search(r'<div class="vals">(.*?)</div>', block).group(1)
        for v in c["values"]:
            assert v["text"] in side_by_side
    # the cited value span in the article text is exactly the value
    texts = {a["id"]: a["text"] for a in report["articles"]}
    for c in conflicts:
        for v in c["values"]:
            anchors = [mid for mid, aid in p.marks.items() if aid == v["article_id"] and p.mark_text.get(mid) == v["text"]]
            assert anchors, (c["id"], v["article_id"], v["text"])
            assert texts[v["article_id"]][v["start"]:v["end"]] == v["text"]


def test_conflicting_value_is_flagged_against_the_majority(demo):
    _out, report, html = demo
    for s in report["stories"]:
        for c in s["claims"]:
            if c["status"] != "conflict":
                continue
            counts = Counter((v["value"], v["unit"]) for v in c["values"])
            (top, n), *rest = counts.most_common()
            if rest and rest[0][1] == n:
                continue
            block = html.split(f'data-claim="{c["id"]}"', 1)[1].split("</tbody>", 1)[0]
            odd_rows = re.findall(r'<tr data-article="([^"]+)">(?:(?!</tr>).)*class="num odd"', block)
            assert sorted(odd_rows) == sorted(v["article_id"] for v in c["values"] if (v["value"], v["unit"]) != top)


def test_timeline_svg_has_one_mark_per_entry(demo):
    _out, report, html = demo
    sections = html.split('<section class="story"')[1:]
    for s, sec in zip(report["stories"], sections):
        svg = re.search(r'<svg class="timeline".*?</svg>', sec, re.DOTALL)
        if not s["timeline"]:
            assert svg is None
            continue
        assert svg is not None
        assert len(re.findall(r'<circle class="tl-mark', svg.group(0))) == len(s["timeline"])


def test_provenance_and_scorecard_cover_every_report(demo):
    _out, report, html = demo
    sections = html.split('<section class="story"')[1:]
    for s, sec in zip(report["stories"], sections):
        svg = re.search(r'<svg class="provenance".*?</svg>', sec, re.DOTALL).group(0)
        assert sorted(re.findall(r'data-article="([^"]+)"', svg)) == sorted(s["article_ids"])
        derived = [p for p in s["provenance"] if p["derived_from"] in s["article_ids"]]
        assert len(re.findall(r'<path class="edge', svg)) == len(derived)
        assert f'<b>{s["independent_sources"]}</b> independent source' in sec
        card = re.search(r'<table class="scorecard">.*?</table>', sec, re.DOTALL).group(0)
        assert re.findall(r'<tr data-article="([^"]+)">', card) == s["article_ids"]
        for e in s["entities"]:
            assert f'data-entity="{e["id"]}"' in sec


# ---------------------------------------------------------------- pieces

def test_overlapping_spans_nest_and_keep_the_text():
    text = "Alpha beta <gamma> & delta epsilon zeta."
    anchors = _Anchors([{"id": "a", "text": text}])
    ids = [anchors.span("a", 6, 17, "cite"), anchors.span("a", 11, 25, "val"), anchors.span("a", 0, 40, "cite"),
           anchors.span("a", 12, 17, "ment"), anchors.span("a", 30, 99, "val")]
    assert ids[4] == "art-1"  # out of range: falls back to the article
    html = anchors.marked_text("a")
    p = audit(f"<article data-article='a'>{html}</article>")
    assert p.problems == [] and not p.stack
    assert "".join(p.text) == text
    assert sorted(p.marks) == sorted(ids[:4])
    assert p.mark_text[ids[0]] == text[6:17] and p.mark_text[ids[2]] == text


def test_consensus_counts_agreement_per_report():
    story = {"claims": [
        {"id": "c1", "status": "conflict", "values": [
            {"article_id": "a", "value": 10, "unit": None}, {"article_id": "b", "value": 10, "unit": None},
            {"article_id": "c", "value": 12, "unit": None}]},
        {"id": "c2", "status": "updated", "values": [
            {"article_id": "a", "value": 1, "unit": "USD", "as_of": "2024-01-01"},
            {"article_id": "c", "value": 1, "unit": "USD", "as_of": "2024-01-01"},
            {"article_id": "b", "value": 2, "unit": "USD", "as_of": "2024-02-01"}]},
        {"id": "c3", "status": "conflict", "values": [
            {"article_id": "a", "value": 1, "unit": None}, {"article_id": "b", "value": 2, "unit": None}]},
    ]}
    score, odd = consensus(story)
    assert odd == {("c1", 2)}
    assert score["a"] == Counter(agree=2, none=1)
    assert score["b"] == Counter(agree=1, none=1)
    assert score["c"] == Counter(differ=1, agree=1)


def test_render_command_matches_analyze_and_rejects_bad_input(demo, tmp_path, capsys):
    out, _report, html = demo
    dest = tmp_path / "again.html"
    assert main([str(out / "report.json"), "-o", str(dest)]) == 0
    assert dest.read_text(encoding="utf-8") == html
    (tmp_path / "bad.json").write_text("{nope", encoding="utf-8")
    (tmp_path / "list.json").write_text("[1, 2]", encoding="utf-8")
    (tmp_path / "wrong.json").write_text('{"schema_version": "1", "articles": [{"id": 3}]}', encoding="utf-8")
    for name, reason in (("missing.json", "cannot read"), ("bad.json", "not a JSON file"),
                         ("list.json", "not a Storyline report"), ("wrong.json", "not a valid Storyline report")):
        assert main([str(tmp_path / name), "-o", str(tmp_path / "x.html")]) == 1
        err = capsys.readouterr().err
        assert name in err and reason in err and "Traceback" not in err
    assert not (tmp_path / "x.html").exists()


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian chromium is not installed")
def test_in_chromium_the_script_runs_under_the_policy_and_highlights_the_cited_span(demo, tmp_path):
    out, _report, html = demo
    p = audit(html)
    target = next(h[1:] for _t, h in p.cites if h.startswith("#x-"))
    page = out / "report.html"
    run = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0", "--virtual-time-budget=2000",
         "--dump-dom", f"{page.as_uri()}#{target}"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert re.search(rf'<mark class="[^"]*\bhit\b[^"]*" data-s="{target}" id="{target}">', run.stdout), "script did not run"
    assert "Content Security Policy" not in run.stderr  # no violation reported on the console


def test_empty_and_sparse_reports_still_render():
    from storyline.report import empty_report

    page = render_html(empty_report())
    assert_inert(page)
    assert "No stories in this report." in page
    sparse = {"articles": [{"id": "a", "text": ""}], "stories": [{
        "id": "s", "title": "t", "article_ids": ["a", "ghost"],
        "timeline": [{"date": "P2W", "description": "for two weeks", "article_ids": ["a", "ghost"]}],
        "claims": [{"id": "c", "status": "conflict", "values": [{"article_id": "a", "start": 0, "end": 5, "text": "x"}]}],
    }]}
    page = render_html(sparse)
    p = assert_inert(page)
    assert len(re.findall(r'<circle class="tl-mark undated"', page)) == 1
    targets = {u[1:] for _t, attr, u in p.urls if attr == "href" and u.startswith("#")}
    assert all(p.ids[t] == 1 for t in targets)
    assert "unknown report" in page  # the ghost article is named, not linked
