"""Engines: the local engine and Spark (a real local[2] session) give the same results.

Engine-dependent tests take the ``engine`` fixture, which runs them on every engine
(splink-style); the Spark runs need the ``spark`` extra and Java, and are skipped
without them. One Spark session serves the whole module: starting one takes seconds.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.engine import LocalEngine, make_engine
from storyline.errors import ExtraMissingError
from storyline.pipeline import AnalyzeOptions, run_analysis
from storyline.stories import fast_features

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
ECB_DEV = ROOT.parent / "shared" / "data" / "ecbplus" / "ECB_Dev_corpus.txt"


def _spark_available() -> bool:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return shutil.which("java") is not None or bool(__import__("os").environ.get("JAVA_HOME"))


@pytest.fixture(scope="module")
def spark_engine():
    if not _spark_available():
        pytest.skip("pyspark (pip install 'storyline[spark]') or Java is not available")
    engine = make_engine("spark", master="local[2]")
    yield engine
    engine.spark.stop()
    engine.close()


@pytest.fixture(params=["local", "spark"])
def engine(request):
    if request.param == "local":
        return LocalEngine()
    return request.getfixturevalue("spark_engine")


# ---------------------------------------------------------------- candidate generation, once in SQL


def _features():
    day = date(2024, 3, 1)
    texts = {
        "a": ("Harlow Valley Water Authority issued a boil order for Port Ardent.", day),
        "b": ("The Harlow Valley Water Authority lifted the order on Friday.", date(2024, 3, 4)),
        "c": ("Harlow Valley Water Authority opened a new plant.", date(2024, 9, 1)),  # same name, months later
        "d": ("Marisol Quint won the regional chess final in Oskaloosa.", day),
        "e": ("Quint said Marisol Quint trained for years before Oskaloosa.", None),  # undated: any day
    }
    return [fast_features(k, t, day=d) for k, (t, d) in texts.items()]


def test_candidate_pairs_are_the_same_sql_on_every_engine(engine):
    pairs = engine.candidate_pairs(_features(), window_days=60)
    found = {(a, b) for a, b, _ in pairs}
    assert ("a", "b") in found and ("d", "e") in found
    assert ("a", "c") not in found and ("b", "c") not in found  # outside the time window
    assert not ({("a", "d"), ("b", "d"), ("a", "e")} & found)  # nothing in common
    assert all(a < b and n >= 1 for a, b, n in pairs)
    assert pairs == sorted(pairs)


def test_common_keys_are_not_blocked_on(engine):
    # with a block limit of 2 a key held by three reports ("harlow valley water authority") is dropped
    pairs = {(a, b) for a, b, _ in engine.candidate_pairs(_features(), window_days=400, max_block=2)}
    full = {(a, b) for a, b, _ in engine.candidate_pairs(_features(), window_days=400)}
    assert ("a", "c") in full and ("a", "c") not in pairs
    assert ("d", "e") in pairs


def test_blocks_are_the_connected_components(engine):
    blocks = engine.blocks(_features(), window_days=60)
    assert sorted(map(tuple, blocks)) == [("a", "b"), ("c",), ("d", "e")]


def test_features_are_the_same_on_every_engine(engine):
    from storyline.ingest import IngestOptions, read_inputs

    articles = read_inputs([str(EXAMPLES)], IngestOptions()).articles
    anchors = {a.id: a.published_date for a in articles}
    expected = [fast_features(a.id, a.text, title=a.title or "", day=None) for a in articles]
    got = engine.features(articles, {a.id: None for a in articles})
    assert got == expected
    assert [f.article_id for f in engine.features(articles, anchors)] == [a.id for a in articles]


# ---------------------------------------------------------------- whole runs: same report


def _partition(report):
    return sorted(sorted(s["article_ids"]) for s in report["stories"])


def _entities(report):
    return sorted((e["name"], e["type"], len(e["mentions"])) for s in report["stories"] for e in s["entities"])


def _statuses(report):
    return sorted((c["description"], c["status"]) for s in report["stories"] for c in s["claims"])


def test_demo_corpus_cli_spark_gives_the_local_report(spark_engine, tmp_path):
    local = run_analysis([str(EXAMPLES)], AnalyzeOptions()).report
    runner = CliRunner()
    out = tmp_path / "spark"
    res = runner.invoke(app, ["analyze", str(EXAMPLES), "--engine", "spark", "--out", str(out), "--format", "json"])
    assert res.exit_code == 0, res.output
    spark = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert _partition(spark) == _partition(local) and len(local["stories"]) >= 2
    assert _entities(spark) == _entities(local)
    assert _statuses(spark) == _statuses(local)
    assert spark == local  # and everything else too
    assert spark_engine.spark.getActiveSession() is not None  # the CLI left the caller's session running


def _ecb_documents(topics=("2", "5"), per_topic=5):
    docs: dict[str, list[str]] = defaultdict(list)
    for line in ECB_DEV.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 4 and parts[0].split("_")[0] in topics:
            docs[parts[0]].append(parts[3])
    chosen: list[tuple[str, str]] = []
    for topic in topics:
        names = sorted((d for d in docs if d.startswith(topic + "_")), key=lambda d: ("plus" in d, d))
        for name in names[:per_topic]:
            text = re.sub(r" ([,.;:!?%)'])", r"\1", " ".join(docs[name])).replace(" n't", "n't").replace(" 's", "'s")
            chosen.append((name, text))
    return chosen


def test_ecbplus_topics_same_stories_entities_and_claims(spark_engine, tmp_path):
    if not ECB_DEV.is_file():
        pytest.skip("../shared/data/ecbplus is not available")
    path = tmp_path / "ecb.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for name, text in _ecb_documents():
            fh.write(json.dumps({"id": name, "title": " ".join(text.split()[:10]), "text": text}) + "\n")
    local = run_analysis([str(path)], AnalyzeOptions(db=str(tmp_path / "local.duckdb"))).report
    spark = run_analysis([str(path)], AnalyzeOptions(db=str(tmp_path / "spark.duckdb"), engine=spark_engine)).report
    assert len(local["articles"]) == 10
    assert _partition(spark) == _partition(local)
    assert _entities(spark) == _entities(local)
    assert _statuses(spark) == _statuses(local)
    assert spark == local
    # a re-run on the Spark engine finds every story cached in its store
    again = run_analysis([str(path)], AnalyzeOptions(db=str(tmp_path / "spark.duckdb"), engine=spark_engine))
    assert again.stories_analysed == 0 and again.report == local


# ---------------------------------------------------------------- without Spark


def test_missing_pyspark_says_which_extra_to_install(monkeypatch, tmp_path):
    for name in [m for m in sys.modules if m == "pyspark" or m.startswith("pyspark.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "pyspark", None)  # what an environment without the extra looks like
    with pytest.raises(ExtraMissingError, match=r"storyline\[spark\]"):
        make_engine("spark")
    res = CliRunner().invoke(app, ["analyze", str(EXAMPLES), "--engine", "spark", "--out", str(tmp_path)])
    assert res.exit_code == 1
    assert "pip install 'storyline[spark]'" in res.output


def test_engine_options_are_checked(tmp_path):
    res = CliRunner().invoke(app, ["analyze", str(EXAMPLES), "--master", "local[2]", "--out", str(tmp_path)])
    assert res.exit_code == 2 and "--master needs --engine spark" in res.output
    res = CliRunner().invoke(app, ["analyze", str(EXAMPLES), "--engine", "dask", "--out", str(tmp_path)])
    assert res.exit_code == 2 and "unknown engine" in res.output


def test_local_engine_annotates_in_worker_processes_as_in_process(tmp_path):
    from storyline.engine.local import default_workers
    from storyline.ingest import IngestOptions, read_inputs

    articles = read_inputs([str(EXAMPLES)], IngestOptions()).articles
    alone = [(a.id, json.loads(json.dumps(p))) for a, p in LocalEngine(workers=1).annotate(articles)]
    pooled = [(a.id, p) for a, p in LocalEngine(workers=2, parallel_from=2).annotate(articles)]
    assert pooled == alone and len(pooled) == len(articles)  # same payloads, in input order
    # And a whole run on a pool gives the report a run in this process gives.
    one = run_analysis([str(EXAMPLES)], AnalyzeOptions(db=str(tmp_path / "one.duckdb"), engine=LocalEngine(workers=1)))
    two = run_analysis(
        [str(EXAMPLES)], AnalyzeOptions(db=str(tmp_path / "two.duckdb"), engine=LocalEngine(workers=2, parallel_from=2))
    )
    assert json.dumps(one.report, sort_keys=True) == json.dumps(two.report, sort_keys=True)
    assert default_workers() >= 1


def test_worker_count_comes_from_the_environment(monkeypatch):
    from storyline.engine.local import default_workers

    monkeypatch.setenv("STORYLINE_WORKERS", "3")
    assert default_workers() == 3 and LocalEngine().workers == 3
    monkeypatch.setenv("STORYLINE_WORKERS", "zero")
    assert 1 <= default_workers() <= 4


def test_copies_of_a_report_go_to_the_same_worker_chunk():
    from storyline.engine.local import _worker_order
    from storyline.model import Article

    body = "The river rose four metres overnight and the town hall was closed, officials said on Monday."
    texts = [
        f"Daily Ledger\n\n{body}\n\nSubscribe",
        "Other news\n\nA bakery opened on the high street with a queue round the block all morning.",
        f"Northern Courier\n\n{body}\n\nCopyright",
        "Sport\n\nThe home side won the derby by two goals to one in front of a full stadium on Sunday.",
        f"{body}\n\nShare this article",
    ]
    articles = [Article(id=f"a{i}", text=t, content_hash=f"h{i}") for i, t in enumerate(texts)]
    order = _worker_order(articles, range(len(articles)))
    assert sorted(order) == list(range(5))
    assert order[:3] == [0, 2, 4]  # the three copies together, at the first one's place
    assert order[3:] == [1, 3]  # the rest in input order
    assert _worker_order(articles, range(1, 4)) == [1, 2, 3]


def test_pooled_annotation_over_several_windows_keeps_input_order(monkeypatch):
    from storyline.ingest import IngestOptions, read_inputs

    articles = read_inputs([str(EXAMPLES)], IngestOptions()).articles
    monkeypatch.setattr(LocalEngine, "WINDOW", 3)
    alone = [(a.id, json.loads(json.dumps(p))) for a, p in LocalEngine(workers=1).annotate(articles)]
    pooled = [(a.id, p) for a, p in LocalEngine(workers=2, parallel_from=2).annotate(articles)]
    assert [a for a, _ in pooled] == [a.id for a in articles]
    assert pooled == alone


def test_copy_key_is_shared_by_copies_of_a_report_only():
    from storyline.engine.steps import copy_key

    body = "The river rose four metres overnight and the town hall was closed, officials said on Monday."
    assert copy_key(f"Daily Ledger\n\n{body}\n\nSubscribe") == copy_key(f"{body}\n\nCopyright 2024 Courier")
    assert copy_key(f"Daily Ledger\n\n{body}") != copy_key("Daily Ledger\n\nA bakery opened on the high street today.")
    assert copy_key("") == copy_key("")
