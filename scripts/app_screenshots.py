"""Screenshots of the web app for the README: docs/app-stories.png, docs/app-story.png, docs/app-article.png.

Analyses examples/ into a temporary store, serves it on loopback and photographs it in headless
Chromium (Debian's /usr/bin/chromium via Playwright).  Usage: .venv/bin/python scripts/app_screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from storyline.pipeline import AnalyzeOptions, run_analysis
from storyline.web.app import Settings
from storyline.web.server import background_server

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
LIMIT = 400_000


def main() -> int:
    if not Path(CHROMIUM).exists():
        print(f"app_screenshots: {CHROMIUM} is missing (apt-get install chromium)", file=sys.stderr)
        return 1
    docs = ROOT / "docs"
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "store.duckdb")
        run_analysis([str(ROOT / "examples")], AnalyzeOptions(db=db))
        with background_server(Settings(db=db)) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(base_url=base, viewport={"width": 1200, "height": 760})
            page.goto("/")
            page.screenshot(path=str(docs / "app-stories.png"))
            page.click("a.story-link >> nth=0")
            page.set_viewport_size({"width": 1200, "height": 1100})
            page.screenshot(path=str(docs / "app-story.png"))
            page.click("a.conflict-link >> nth=0")
            page.locator("tr.status-conflict a.value").last.click()
            page.wait_for_url("**/articles/**")
            page.set_viewport_size({"width": 1200, "height": 760})
            page.screenshot(path=str(docs / "app-article.png"))
            browser.close()
    for name in ("app-stories.png", "app-story.png", "app-article.png"):
        size = (docs / name).stat().st_size
        print(f"docs/{name}: {size:,} bytes")
        if size > LIMIT:
            print(f"app_screenshots: docs/{name} is over {LIMIT:,} bytes", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
