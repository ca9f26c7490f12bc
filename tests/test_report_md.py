"""The Markdown report: what a reader sees in its tables."""

from __future__ import annotations

from storyline.report import render_markdown


def _report() -> dict:
    articles = [
        {"id": "a1", "title": "Board votes on the harbour plan", "source": "Harbour Gazette", "url": None, "published_at": "2025-03-01", "language": "en", "dates": [], "quality": {"garble": 0.0}, "text": "Two members voted no."},
        {"id": "a2", "title": "Households across the valley are told to boil their water while the source is traced",
         "source": None, "url": None, "published_at": None, "language": "en", "dates": [], "quality": {"garble": 0.0}, "text": "About 48,000 households must boil water."},
    ]
    claim = {
        "id": "c1", "kind": "count", "status": "conflict", "subject": None, "description": "board members voting no",
        "values": [
            {"article_id": "a1", "text": "Two", "value": 2, "as_of": "2025-03-01"},
            {"article_id": "a2", "text": "A dozen", "value": 12, "as_of": None},
        ],
    }
    story = {"id": "s1", "title": "Harbour plan", "article_ids": ["a1", "a2"], "summary": [], "claims": [claim],
             "timeline": [], "quotes": [], "entities": [], "provenance": []}
    return {"schema_version": 1, "articles": articles, "stories": [story]}


def test_figures_table_lowercases_sentence_start_number_words_and_names_reports_briefly():
    md = render_markdown(_report())
    row = next(line for line in md.splitlines() if line.startswith("| conflict |"))
    assert "two (Harbour Gazette, as of 2025-03-01)" in row
    assert "a dozen (" in row
    # A report without an outlet is named by its title, cut at a word.
    assert "Households across the valley are told to boil…" in row
    assert "traced" not in row
