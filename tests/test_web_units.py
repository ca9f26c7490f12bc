"""Pieces of the web app on their own: upload checks, escaping, the story index, the serve command."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the 'web' extra is not installed")

from typer.testing import CliRunner

from storyline.cli import app as cli
from storyline.errors import StorylineError
from storyline.ingest import content_hash
from storyline.model import Article
from storyline.store import Store
from storyline.web.app import Settings, create_app, is_loopback
from storyline.web.data import StoreView, StoryFilters
from storyline.web.jobs import check_upload, safe_filename
from storyline.web.render import Span, highlight, safe_href

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("/abs/path/report.json", "report.json"),
        ("..", "upload"),
        (".hidden.html", "hidden.html"),
        ("r\u00e9sum\u00e9 <b>x.txt", "r_sum_b_x.txt"),
        ("a/<b>x</b>.txt", "b_.txt"),
        ("", "upload"),
        (None, "upload"),
    ],
)
def test_safe_filename_keeps_only_a_plain_base_name(name, safe):
    assert safe_filename(name) == safe
    assert "/" not in safe_filename(name) and "\\" not in safe_filename(name)


def test_check_upload_checks_type_by_extension_and_content():
    warc = (EXAMPLES / "rate-hike-2022.warc.gz").read_bytes()
    assert check_upload("a.warc.gz", warc, 10**7) == ("a.warc.gz", None)
    assert check_upload("a.warc", gzip.decompress(warc), 10**7)[1] is None
    assert "not a WARC" in check_upload("a.warc", b"hello", 100)[1]
    assert "not a gzip-compressed WARC" in check_upload("a.warc.gz", gzip.compress(b"hello"), 100)[1]
    assert check_upload("a.jsonl", b'{"text": "x"}\n{"text": "y"}\n', 100)[1] is None
    assert "JSON Lines" in check_upload("a.jsonl", b"text\n", 100)[1]
    assert "not HTML" in check_upload("a.html", b"just words", 100)[1]
    assert "binary" in check_upload("a.txt", b"%PDF-1.7 ...", 100)[1]
    assert "unsupported file type" in check_upload("a.pdf", b"words", 100)[1]
    assert "larger than" in check_upload("a.txt", b"x" * 101, 100)[1]
    assert "empty" in check_upload("a.txt", b"  \n", 100)[1]


def test_highlight_escapes_text_and_titles():
    html = str(highlight('<script>alert(1)</script> "x"', [Span(0, 8, "m-a", 't"><img src=x>'), Span(5, 12, "m-b", "", True)]))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;/script&gt;" in html and 'id="hl"' in html
    assert html.count('id="hl"') == 1
    assert str(highlight("abc", [Span(2, 99, "m-a")])) == "abc"  # spans outside the text are ignored


@pytest.mark.parametrize(
    ("url", "href"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("javascript:alert(1)", None),
        (" JaVaScRiPt:alert(1)", None),
        ("data:text/html,<b>x</b>", None),
        ("//evil.example/x", None),
        (None, None),
    ],
)
def test_only_http_addresses_become_links(url, href):
    assert safe_href(url) == href


def test_is_loopback():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost") and is_loopback("127.1.2.3")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4") and not is_loopback("example.org")


def _article(aid: str, text: str, source: str, day: str) -> Article:
    return Article(id=aid, text=text, content_hash=content_hash(text), title=f"Title {aid}", source=source,
                   published_at=day)


def test_story_index_follows_the_stories_table(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.add_articles([
            _article("a1", "First report about the dam.", "Ledger", "2024-01-02"),
            _article("a2", "Second report about the dam; 50% full.", "Herald", "2024-01-05"),
            _article("b1", "Another story entirely.", "Ledger", "2023-05-01"),
        ])
        claims = [{"id": "c1", "kind": "count", "subject": None, "description": "n", "status": "conflict", "values": []}]
        store.put_story("k1", "f1", {"story": {"title": "Dam", "article_ids": ["a1", "a2"], "claims": claims,
                                                 "entities": [], "timeline": [], "independent_sources": 2}})
        store.put_story("k2", "f2", {"story": {"title": "Other", "article_ids": ["b1"], "claims": [],
                                                 "entities": [], "timeline": []}})
        view = StoreView(store)
        rows = view.stories(StoryFilters(), 10, 0)
        assert [s["story_key"] for s in rows["items"]] == ["k1", "k2"]  # latest first
        dam = rows["items"][0]
        assert (dam["n_articles"], dam["sources"], dam["first_date"], dam["last_date"]) == (
            2, ["Herald", "Ledger"], "2024-01-02", "2024-01-05")
        assert dam["has_conflicts"] and not rows["items"][1]["has_conflicts"]
        assert [s["story_key"] for s in view.stories(StoryFilters(q="50%"), 10, 0)["items"]] == ["k1"]
        assert view.stories(StoryFilters(q="5_%"), 10, 0)["total"] == 0
        assert [s["story_key"] for s in view.stories(StoryFilters(source="Herald"), 10, 0)["items"]] == ["k1"]
        assert [s["story_key"] for s in view.stories(StoryFilters(date_to="2023-12-31"), 10, 0)["items"]] == ["k2"]
        # a story re-analysed (new fingerprint) or deleted is re-indexed
        store.put_story("k1", "f1b", {"story": {"title": "Dam, updated", "article_ids": ["a1"], "claims": [],
                                                  "entities": [], "timeline": []}})
        store.delete_stories_except(["k1"])
        assert view.refresh() == 1
        rows = view.stories(StoryFilters(), 10, 0)["items"]
        assert [(s["story_key"], s["title"], s["n_articles"], s["has_conflicts"]) for s in rows] == [
            ("k1", "Dam, updated", 1, False)]
        assert view.refresh() == 0


def test_store_query_is_read_only(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        with pytest.raises(StorylineError, match="SELECT"):
            store.query("DELETE FROM articles")
        assert store.query("SELECT ? + 1", [1]) == [(2,)]


def test_create_app_refuses_a_public_address_without_a_token(tmp_path):
    with pytest.raises(StorylineError, match="token"):
        create_app(Settings(db=str(tmp_path / "s.duckdb"), host="0.0.0.0"))


def test_serve_command_explains_bad_options(tmp_path):
    runner = CliRunner()
    public = runner.invoke(cli, ["serve", "--db", str(tmp_path / "s.duckdb"), "--host", "0.0.0.0"])
    assert public.exit_code == 2 and "without a token" in public.output
    short = runner.invoke(cli, ["serve", "--db", str(tmp_path / "s.duckdb"), "--token", "abc"])
    assert short.exit_code == 2 and "at least 8" in short.output
    accented = runner.invoke(cli, ["serve", "--db", str(tmp_path / "s.duckdb"), "--token", "sécurité-2026"])
    assert accented.exit_code == 2 and "ASCII" in accented.output
    folder = runner.invoke(cli, ["serve", "--db", str(tmp_path)])
    assert folder.exit_code == 1 and "folder" in folder.output and "Traceback" not in folder.output
    not_store = tmp_path / "x.duckdb"
    not_store.write_text(json.dumps({"not": "a store"}))
    bad = runner.invoke(cli, ["serve", "--db", str(not_store)])
    assert bad.exit_code == 1 and "x.duckdb" in bad.output and "Traceback" not in bad.output


def test_job_runner_forgets_only_old_finished_jobs(tmp_path) -> None:
    import time

    from storyline.web.jobs import JobRunner

    runner = JobRunner(
        str(tmp_path / "store.duckdb"), tmp_path / "uploads",
        max_file_bytes=1_000_000, after=lambda: None, stories_of=lambda job_id: [], keep_finished=2,
    )
    try:
        jobs = [
            runner.submit([], [{"text": f"The council of Town {n} voted on Monday to repair {n + 3} bridges.", "id": f"t{n}"}])
            for n in range(4)
        ]
        assert all(runner.get(j.id) is not None for j in jobs)  # queued jobs are all known
        deadline = time.monotonic() + 300
        while not all(j.finished for j in jobs) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert all(j.finished for j in jobs)
    finally:
        runner.close()
    assert [runner.get(j.id) is not None for j in jobs] == [False, False, True, True]
    assert {j.id for j in runner.recent(10)} == {jobs[2].id, jobs[3].id}
