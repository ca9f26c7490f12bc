"""End to end, as a person would: the web app in a real headless Chromium (Debian's, via Playwright).

Skipped with a reason on a machine without /usr/bin/chromium; in CI (``CI`` set) a missing browser
is a failure, not a skip.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the 'web' extra is not installed")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

from storyline.web.app import Settings
from storyline.web.server import background_server

CHROMIUM = Path("/usr/bin/chromium")
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
JOB_TIMEOUT_MS = 300_000  # a guard against hanging, not a performance assertion


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser tests: /usr/bin/chromium is missing (apt-get install chromium)")
        pytest.skip("no /usr/bin/chromium on this machine (apt-get install chromium to run the browser tests)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def base(tmp_path: Path):
    """A server over a new, empty store for each test."""
    with background_server(Settings(db=str(tmp_path / "store.duckdb"))) as url:
        yield url


@pytest.fixture
def page(browser, base):
    context = browser.new_context(base_url=base, viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    pg.on("dialog", on_dialog)
    pg.dialogs = dialogs
    yield pg
    context.close()


def _upload(page, files: list[Path]) -> None:
    page.goto("/add")
    page.set_input_files("#files", [str(f) for f in files])
    page.click("#upload-form button")
    page.wait_for_selector("#job-status[data-state=done], #job-status[data-state=failed]", timeout=JOB_TIMEOUT_MS)
    assert page.get_attribute("#job-status", "data-state") == "done", page.inner_text("#job-status")


def test_upload_reports_see_the_story_open_a_conflict_follow_a_citation(page):
    page.goto("/")
    assert "No stories" in page.inner_text("#story-count")
    page.click("text=Add reports")
    _upload(page, sorted(EXAMPLES.iterdir()))
    assert "8 new" in page.inner_text("#job-status")
    n_new = page.locator("a.new-story").count()
    assert n_new >= 2

    # the story list now shows them, and the conflicts filter keeps the one with a conflict
    page.goto("/")
    assert page.locator("a.story-link").count() == n_new
    page.check("input[name=conflicts]")
    page.click(".filters button")
    assert "conflicts=1" in page.url
    assert page.locator("a.story-link").count() >= 1
    page.click("a.story-link >> nth=0")

    # open a conflict: its row shows the differing values side by side
    page.click("a.conflict-link >> nth=0")
    claim_id = page.url.rsplit("#", 1)[1]
    row = page.locator(f"tr#{claim_id}")
    assert "conflict" in row.inner_text()
    values = row.locator("a.value strong").all_inner_texts()
    assert len(set(values)) >= 2

    # follow one value to its report: the figure is highlighted where it was written
    row.locator("a.value >> nth=0").click()
    page.wait_for_url("**/articles/**")
    target = page.locator("mark#hl")
    assert target.inner_text() == values[0]
    assert "m-conflict" in (target.get_attribute("class") or "")
    page.click("#story-link")
    assert page.url.endswith(f"#{claim_id}")

    # follow a citation of the summary: the sentence it rests on is highlighted in the source
    page.click("#summary a.cite >> nth=0")
    page.wait_for_url("**/articles/**")
    assert page.locator("mark.m-target").count() >= 1
    cited = " ".join(page.locator("mark.m-target").all_inner_texts())
    assert len(cited.split()) >= 3
    assert page.dialogs == []


def test_hostile_report_renders_as_text(page, tmp_path):
    evil = tmp_path / "evil.json"
    evil.write_text(json.dumps({
        "id": "evil-1",
        "title": "<script>alert('title')</script> Plant reopens <img src=x onerror=alert('img')>",
        "source": "<b onmouseover=alert('source')>Evil Gazette</b>",
        "url": "javascript:alert('url')",
        "published_at": "2025-07-01",
        "text": (
            "Port Ardent officials said on Monday that <script>alert('text')</script> the plant had reopened. "
            "A link <a href=\"javascript:alert('link')\">click here</a> and <img src=x onerror=alert('img2')> "
            "were in the report. <svg onload=alert('svg')></svg> The mayor said 300 homes were affected."
        ),
    }))
    _upload(page, [evil])
    page.click("a.new-story >> nth=0")
    assert "<script>alert('title')</script>" in page.inner_text("#story-title")
    page.click("a.article-link:has-text('Plant reopens')")
    page.wait_for_url("**/articles/evil-1")
    text = page.inner_text("#article-text")
    assert "<script>alert('text')</script>" in text and "<svg onload=alert('svg')></svg>" in text
    assert page.inner_text("#article-url") == "javascript:alert('url')"
    # nothing from the report became markup: no script, handler, image, svg or javascript: link
    scripts = page.eval_on_selector_all("script", "els => els.map(e => e.src)")
    assert all(src.endswith("/static/app.js") for src in scripts)
    for selector in ("[onerror]", "[onload]", "[onmouseover]", "img", "svg", "a[href^='javascript']", "b"):
        assert page.locator(selector).count() == 0, selector
    page.hover("#article-text")
    page.goto("/?q=Plant+reopens")
    assert "<script>alert('title')</script>" in page.inner_text("table.stories")
    assert page.locator("table.stories script, table.stories img").count() == 0
    assert page.dialogs == []


def test_paste_a_report_and_open_its_story(page):
    page.goto("/add")
    page.fill("#paste-form input[name=title]", "Ferry service resumes after storm")
    page.fill("#paste-form input[name=source]", "Harbour Bulletin")
    page.fill("#paste-form input[name=published_at]", "2025-03-04")
    page.fill(
        "#paste-form textarea[name=text]",
        "The Northport ferry resumed service on Tuesday after a storm kept boats in harbour for three days. "
        "The operator said 1,200 passengers had been rebooked and that crossings would run every hour.",
    )
    page.click("#paste-form button")
    page.wait_for_selector("#job-status[data-state=done], #job-status[data-state=failed]", timeout=JOB_TIMEOUT_MS)
    assert "1 new" in page.inner_text("#job-status")
    page.click("a.new-story:has-text('Ferry service resumes')")
    assert page.inner_text("#story-title") == "Ferry service resumes after storm"
    page.click("a.article-link")
    assert page.inner_text("dl.meta").count("Harbour Bulletin") == 1
    assert "2025-03-04" in page.inner_text("dl.meta")
    assert page.locator("#article-text mark.m-claim").count() >= 1  # the figure is highlighted
