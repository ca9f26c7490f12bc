"""The command line and the persistent store, end to end on the demo corpus."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from storyline.cli import app
from storyline.pipeline import AnalyzeOptions, run_analysis

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_new_reports_only_reanalyse_the_stories_they_touch(tmp_path):
    db = str(tmp_path / "store.duckdb")
    first = run_analysis([str(EXAMPLES / "rate-hike-2022.warc.gz"), str(EXAMPLES / "ledger-independent.json")],
                         AnalyzeOptions(db=db))
    assert first.new_articles == 2 and len(first.report["stories"]) == 2
    second = run_analysis([str(EXAMPLES)], AnalyzeOptions(db=db))
    assert second.new_articles == 6 and len(second.report["articles"]) == 8
    assert second.stories_reused == 0 and second.stories_analysed == 2  # both stories gained reports
    third = run_analysis([str(EXAMPLES)], AnalyzeOptions(db=db))
    assert third.new_articles == 0 and third.stories_reused == 2 and third.stories_analysed == 0
    assert json.dumps(third.report, sort_keys=True) == json.dumps(second.report, sort_keys=True)


def test_a_new_annotation_version_reanalyses_every_story(tmp_path, monkeypatch):
    """A story's cached analysis is built from its reports' annotations: new annotations, new analysis."""
    import storyline.pipeline as pipeline

    db = str(tmp_path / "store.duckdb")
    first = run_analysis([str(EXAMPLES)], AnalyzeOptions(db=db))
    assert first.stories_analysed == len(first.report["stories"]) > 0
    monkeypatch.setattr(pipeline, "ANNOTATION_VERSION", pipeline.ANNOTATION_VERSION + 1)
    again = run_analysis([str(EXAMPLES)], AnalyzeOptions(db=db))
    assert again.new_articles == 0
    assert again.stories_reused == 0 and again.stories_analysed == len(first.report["stories"])
    assert json.dumps(again.report, sort_keys=True) == json.dumps(first.report, sort_keys=True)


def test_cli_reports_bad_inputs_and_goes_on(tmp_path):
    good = tmp_path / "in"
    shutil.copytree(EXAMPLES, good)
    (good / "empty.txt").write_text("")
    (good / "blob.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (good / "broken.jsonl").write_text('{"text": "A short but usable report about the harbour board vote."}\n{oops\n')
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["analyze", str(good), "--out", str(out), "--db", str(tmp_path / "s.duckdb")])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    for name in ("empty.txt", "blob.txt", "broken.jsonl:2"):
        assert name in result.output
    report = json.loads((out / "report.json").read_text())
    assert len(report["articles"]) == 9
    assert (out / "report.md").read_text().startswith("# Storyline report")


def test_cli_exits_non_zero_when_nothing_usable(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    result = CliRunner().invoke(app, ["analyze", str(tmp_path / "empty.txt"), str(tmp_path / "missing.txt"),
                                      "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "missing.txt" in result.output and "Traceback" not in result.output


def test_clustering_features_are_cached_in_the_store_and_read_back_unchanged(tmp_path):
    from datetime import date

    from storyline.pipeline import FEATURES_CACHE_VERSION
    from storyline.stories import fast_features, features_from_payload, features_to_payload
    from storyline.store import Store

    db = str(tmp_path / "store.duckdb")
    first = run_analysis([str(EXAMPLES)], AnalyzeOptions(db=db))
    with Store(db) as store:
        articles = store.articles()
        rows = store.query("SELECT count(*), min(version), max(version) FROM features")
    assert rows[0] == (len(articles), FEATURES_CACHE_VERSION, FEATURES_CACHE_VERSION)
    for a in articles:
        f = fast_features(a.id, a.text, title=a.title or "", day=date(2024, 5, 1))
        assert features_from_payload(a.id, json.loads(json.dumps(features_to_payload(f)))) == f
    # A second store built from scratch gives the same report as the one that read its features back.
    again = run_analysis([str(EXAMPLES)], AnalyzeOptions(db=db))
    fresh = run_analysis([str(EXAMPLES)], AnalyzeOptions(db=str(tmp_path / "fresh.duckdb")))
    assert again.stories_analysed == 0
    assert json.dumps(again.report, sort_keys=True) == json.dumps(fresh.report, sort_keys=True) == json.dumps(
        first.report, sort_keys=True)


def test_annotations_are_read_from_the_store_only_when_asked_for(tmp_path):
    from storyline.pipeline import _Notes
    from storyline.store import Store

    db = str(tmp_path / "store.duckdb")
    run_analysis([str(EXAMPLES)], AnalyzeOptions(db=db))
    with Store(db) as store:
        articles = store.articles()
        notes = _Notes(store, articles)
        assert len(notes) == len(articles) and list(notes) == [a.id for a in articles]
        assert notes._got == {}  # nothing read yet
        first = articles[0].id
        assert "anchor" in notes[first] and set(notes._got) == {first}
        notes.fetch(a.id for a in articles[:3])
        assert set(notes._got) == {a.id for a in articles[:3]}
        assert all("mentions" in notes[a.id] for a in articles)


def test_a_run_in_small_batches_gives_the_same_report(tmp_path, monkeypatch):
    from storyline import pipeline
    from storyline.pipeline import _batches

    assert list(_batches([3, 3, 3, 9, 1, 1], lambda n: n, limit=6)) == [[3, 3], [3], [9], [1, 1]]
    assert list(_batches([], lambda n: n)) == []
    whole = run_analysis([str(EXAMPLES)], AnalyzeOptions(db=str(tmp_path / "whole.duckdb")))
    monkeypatch.setattr(pipeline, "BATCH_REPORTS", 2)  # annotations read back and dropped batch by batch
    batched = run_analysis([str(EXAMPLES)], AnalyzeOptions(db=str(tmp_path / "batched.duckdb")))
    assert batched.stories_analysed == whole.stories_analysed == 2
    assert json.dumps(batched.report, sort_keys=True) == json.dumps(whole.report, sort_keys=True)


def _story_digest(report: dict) -> list:
    """What a story says, without report-wide ids: members, entity names, claim statuses and values."""
    out = []
    for s in report["stories"]:
        out.append((
            tuple(s["article_ids"]), s["title"], sorted(e["name"] for e in s["entities"]),
            sorted((c["kind"], c["status"], tuple(v["text"] for v in c["values"])) for c in s["claims"]),
            sorted(p["relation"] for p in s["provenance"]),
        ))
    return sorted(out)


def test_a_changed_only_run_reports_the_stories_it_changed_as_a_full_run_does(tmp_path, monkeypatch):
    from storyline import pipeline
    from storyline.store import Store

    db = str(tmp_path / "store.duckdb")
    files = sorted(str(p) for p in EXAMPLES.iterdir() if p.is_file())
    first = run_analysis(files[:-1], AnalyzeOptions(db=db, changed_only=True))  # a first run: everything changed
    assert first.stories_analysed == len(first.report["stories"]) > 0
    # A rewrite of one stored report joins its story: only that story is reported, read from the
    # store without loading every article, and it says what a full run says of it.
    with Store(db) as store:
        base = max(store.articles(), key=lambda a: len(a.text))
    sentences = base.text.split(". ")
    rewrite = tmp_path / "rewrite.json"
    rewrite.write_text(json.dumps({"id": "rewrite", "title": base.title, "published_at": base.published_at,
                                   "source": "Another Desk", "text": ". ".join(sentences[1:] + sentences[:1])}))

    def no_full_read(self):
        raise AssertionError("a changed-only add read every stored article")

    with monkeypatch.context() as m:
        m.setattr(Store, "articles", no_full_read)
        m.setattr(pipeline, "PARTIAL_RESTORE_FROM", 0)
        delta = run_analysis([str(rewrite)], AnalyzeOptions(db=db, changed_only=True))
    assert delta.new_articles == 1 and delta.stories_analysed == 1 and delta.stories_reused == 0
    [story] = delta.report["stories"]
    assert "rewrite" in story["article_ids"] and base.id in story["article_ids"]
    assert {a["id"] for a in delta.report["articles"]} == set(story["article_ids"])
    full = run_analysis([], AnalyzeOptions(db=db, validate=False))
    assert full.stories_analysed == 0  # the delta run stored its analysis: nothing left to redo
    [same] = [s for s in full.report["stories"] if "rewrite" in s["article_ids"]]
    assert _story_digest(delta.report) == _story_digest({"stories": [same]})
    # Nothing new: nothing changed. The last file arrives: the stories it changed read as a full run reads them.
    assert run_analysis([str(rewrite)], AnalyzeOptions(db=db, changed_only=True)).report["stories"] == []
    last = run_analysis([files[-1]], AnalyzeOptions(db=db, changed_only=True))
    whole = run_analysis([], AnalyzeOptions(db=db))
    assert whole.stories_analysed == 0
    changed = {tuple(s["article_ids"]) for s in last.report["stories"]}
    assert changed and _story_digest(last.report) == _story_digest(
        {"stories": [s for s in whole.report["stories"] if tuple(s["article_ids"]) in changed]})


def test_cli_changed_only_needs_a_store(tmp_path):
    result = CliRunner().invoke(app, ["analyze", str(EXAMPLES), "--changed-only", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "--changed-only needs --db" in result.output
