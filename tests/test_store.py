from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from storyline.cleaning import content_hash
from storyline.errors import StoreError
from storyline.model import Article
from storyline.store import Store

REPO = Path(__file__).resolve().parents[1]


def make_article(text: str, article_id: str | None = None, **kw: object) -> Article:
    digest = content_hash(text)
    return Article(id=article_id or f"a{digest[:10]}", text=text, content_hash=digest, **kw)  # type: ignore[arg-type]


def test_add_articles_dedupes_and_keeps_order(tmp_path: Path) -> None:
    a = make_article("The harbor budget was approved.", title="Budget", metadata={"section": "Local"})
    b = make_article("The ferry service will end next month.", published_at="2024-03-05", published_inferred=True)
    with Store(tmp_path / "s.duckdb") as store:
        assert store.add_articles([a, a]) == [a]
        assert store.add_articles([a, b]) == [b]
        assert store.add_articles([]) == []
        assert store.articles() == [a, b]
        assert store.article_count() == 2


def test_same_text_with_other_id_is_not_stored_again(tmp_path: Path) -> None:
    a = make_article("The harbor budget was approved.", "x1")
    with Store(tmp_path / "s.duckdb") as store:
        store.add_articles([a])
        assert store.add_articles([make_article("The harbor budget was approved.", "other")]) == []


def test_id_collision_gets_hash_suffix(tmp_path: Path) -> None:
    first = make_article("The harbor budget was approved.", "r1")
    second = make_article("A different report entirely.", "r1")
    with Store(tmp_path / "s.duckdb") as store:
        store.add_articles([first])
        (stored,) = store.add_articles([second])
        assert stored.id == "r1-" + second.content_hash[:8]
        assert [x.id for x in store.articles()] == ["r1", stored.id]


def test_reopen_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "folder" / "s.duckdb"  # parent folders are created
    a = make_article("The harbor budget was approved.")
    with Store(path) as store:
        store.add_articles([a])
        store.put_annotations(a.content_hash, 3, {"entities": [["Harbor", 4, 10]]})
        store.put_story("k1", "fp1", {"title": "Budget"})
        run = store.begin_run()
        store.finish_run(run, "ok")
    with Store(path) as store:
        assert store.articles() == [a]
        assert store.get_annotations([a.content_hash, "missing"], 3) == {a.content_hash: {"entities": [["Harbor", 4, 10]]}}
        assert store.get_annotations([a.content_hash], 4) == {}
        assert store.get_story("k1") == ("fp1", {"title": "Budget"})
        assert [r["status"] for r in store.runs()] == ["ok"]
        assert store.add_articles([a]) == []


def test_annotations_and_stories_replace(tmp_path: Path) -> None:
    with Store(None) as store:
        store.put_annotations("h", 1, {"v": 1})
        store.put_annotations("h", 2, {"v": 2})
        assert store.get_annotations(["h"], 1) == {}
        assert store.get_annotations(["h"], 2) == {"h": {"v": 2}}
        store.put_many_annotations([("h", 2, {"v": 3}), ("g", 2, {"v": 4})])
        assert store.get_annotations(["h", "g"], 2) == {"h": {"v": 3}, "g": {"v": 4}}
        store.put_story("s1", "a", {"n": 1})
        store.put_story("s1", "b", {"n": 2})
        store.put_story("s2", "c", {"n": 3})
        assert store.get_story("s1") == ("b", {"n": 2})
        assert store.delete_stories_except(["s2"]) == 1
        assert store.get_story("s1") is None and store.get_story("s2") == ("c", {"n": 3})
        assert store.get_story("nope") is None


def test_interrupted_run_is_marked(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.begin_run()  # never finished
    with Store(path) as store:
        second = store.begin_run()
        store.finish_run(second)
        assert [r["status"] for r in store.runs()] == ["interrupted", "ok"]


def test_not_a_duckdb_file(tmp_path: Path) -> None:
    bad = tmp_path / "notes.duckdb"
    bad.write_text("just some notes, not a database\n" * 20)
    with pytest.raises(StoreError, match="file is not a DuckDB database"):
        Store(bad)
    assert bad.read_text().startswith("just some notes")


def test_foreign_duckdb_database_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE sales (x INTEGER)")
    con.close()
    with pytest.raises(StoreError, match="not a Storyline store"):
        Store(other)


def test_folder_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="folder"):
        Store(tmp_path)


def test_locked_store(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    Store(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, sys, time; c = duckdb.connect({str(path)!r}); print('ready', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreError, match="in use by another storyline process"):
            Store(path)
    finally:
        holder.kill()
        holder.wait()
    Store(path).close()  # usable again once the other process is gone


def test_read_only_store(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root ignores file permissions")
    path = tmp_path / "s.duckdb"
    Store(path).close()
    path.chmod(0o444)
    with pytest.raises(StoreError, match="cannot open store"):
        Store(path)


WRITER = textwrap.dedent(
    """
    import sys
    from storyline.cleaning import content_hash
    from storyline.model import Article
    from storyline.store import Store

    store = Store(sys.argv[1])
    i = 0
    while True:
        batch = []
        for _ in range(20):
            text = f"Report number {i} about the harbor budget and the ferry service."
            h = content_hash(text)
            batch.append(Article(id=f"a{h[:10]}", text=text, content_hash=h))
            i += 1
        for article in store.add_articles(batch):
            store.put_annotations(article.content_hash, 1, {"n": article.text})
        print(i, flush=True)
    """
)


def test_sigkill_mid_run_leaves_a_usable_store(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), *sys.path]))
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    committed = 0
    deadline = time.monotonic() + 60
    while committed < 200 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        committed = int(line)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert committed >= 200, "the writer did not get going"
    with Store(path) as store:
        articles = store.articles()
        assert len(articles) >= committed
        assert len({a.content_hash for a in articles}) == len(articles)
        assert all(a.content_hash == content_hash(a.text) for a in articles)
        cached = store.get_annotations([a.content_hash for a in articles], 1)
        assert len(cached) >= committed - 20  # at most the last batch lacks annotations
        missing = [a for a in articles if a.content_hash not in cached]
        for a in missing:  # the next run completes the missing work
            store.put_annotations(a.content_hash, 1, {"n": a.text})
        assert len(store.get_annotations([a.content_hash for a in articles], 1)) == len(articles)
        assert store.add_articles(articles) == []


def test_empty_file_becomes_a_new_store(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    path.touch()
    store = Store(path)
    assert store.articles() == []
    store.close()
    store.close()  # closing twice is fine


def test_schema_3_store_gains_feature_days_frequency_tables_and_keys(tmp_path: Path) -> None:
    from storyline import store as store_mod

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE storyline_schema (version INTEGER NOT NULL)")
    for version in (1, 2, 3):
        for statement in store_mod._MIGRATIONS[version]:
            con.execute(statement)
        con.execute("INSERT INTO storyline_schema VALUES (?)", [version])
    con.execute("""INSERT INTO features VALUES ('h1', 7, NULL, '{"day": "2025-03-04", "terms": {"flood": 2}, "names": {"ann okafor": 1}}'),
                   ('h2', 7, NULL, '{"day": null, "terms": {}, "names": {}}')""")
    con.close()
    with Store(path) as store:
        assert store.query("SELECT content_hash, day FROM features ORDER BY 1") == [
            ("h1", __import__("datetime").date(2025, 3, 4)), ("h2", None)]
        assert store.featured(["h1", "h2", "h3"], 7) == {"h1", "h2"} and store.featured(["h1"], 8) == set()
        assert store.cluster_state("stream-1") is None  # no frequencies kept yet: a run counts them once
        # Schema 5: each report's clustering keys, read from the cached features.
        h = store_mod.key_hash
        assert sorted(store.query("SELECT content_hash, version, key_hash FROM feature_keys")) == sorted([
            ("h1", 7, h("n:ann okafor")), ("h1", 7, h("t:flood"))])
        store.put_features([("h2", None, 8, {"day": None, "terms": {"rain": 1}, "names": {}})])
        store.put_features([("h1", None, 8, {"day": None, "terms": {"flood": 1, "dam": 1}, "names": {}})])
        assert sorted(store.query("SELECT content_hash, version, key_hash FROM feature_keys")) == sorted([
            ("h1", 8, h("t:dam")), ("h1", 8, h("t:flood")), ("h2", 8, h("t:rain"))])  # a new version replaces the old keys
    assert h("t:flood") == h("t:flood") != h("t:Flood") and -(2**63) <= h("n:ann okafor") < 2**63


def test_clustering_state_is_written_in_one_piece_and_checked_against_membership(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        store.update_clustering("c", {"a1": "s1", "a2": "s1"}, {"t:x": 2, "n:y": 1}, features_version=3,
                                documents=2, replace=True)
        store.update_clustering("c", {"a3": "s2", "a2": "s2"}, {"t:x": 1, "t:z": 1}, features_version=3, documents=3)
        assert store.story_members("c") == {"a1": "s1", "a2": "s2", "a3": "s2"}
        assert store.term_df(["t:x", "n:y", "t:z", "t:absent"]) == {"t:x": 3, "n:y": 1, "t:z": 1}
        assert store.cluster_state("c") == (3, 3)
        # Membership written some other way no longer matches the counted frequencies.
        store.put_story_members({"a1": "s1"}, "c")
        assert store.cluster_state("c") is None
        # Replacing starts both over.
        store.update_clustering("c", {"b": "s9"}, {"t:q": 1}, features_version=4, documents=1, replace=True)
        assert store.term_df(["t:x", "t:q"]) == {"t:q": 1} and store.cluster_state("c") == (4, 1)


def test_schema_4_store_gains_member_days_and_keys_and_restores_the_same(tmp_path: Path) -> None:
    from storyline import store as store_mod

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE storyline_schema (version INTEGER NOT NULL)")
    for version in (1, 2, 3, 4):
        for statement in store_mod._MIGRATIONS[version]:
            con.execute(statement)
        con.execute("INSERT INTO storyline_schema VALUES (?)", [version])
    for n, (day, story) in enumerate([("2025-03-04", "s1"), (None, "s2"), ("2025-01-02", "s1")]):
        con.execute(
            "INSERT INTO articles (id, content_hash, text, added_at) VALUES (?, ?, 'x', now())", [f"a{n}", f"h{n}"]
        )
        payload = json.dumps({"day": day, "terms": {f"w{n}": 1, "flood": 1}, "names": {}})
        con.execute("INSERT INTO features VALUES (?, 3, NULL, ?, ?)", [f"h{n}", payload, day])
        con.execute("INSERT INTO story_members VALUES (?, ?, 'c')", [f"a{n}", story])
    con.execute("INSERT INTO cluster_state VALUES ('c', 3, 3)")
    con.close()
    with Store(path) as store:
        days = dict(store.query("SELECT article_id, day FROM story_members"))
        assert days["a1"] is None and str(days["a0"]) == "2025-03-04"
        rows = store.open_story_members("c", 3, None)
        assert [(a, k, p) for a, k, p, _ in rows] == [("a2", "s1", 0), ("a0", "s1", 1), ("a1", "s2", 2)]
        only = store.open_story_members("c", 3, None, lookups=[(0, "t:w1", 2.0)], min_shared=2.0)
        assert [(a, p) for a, _, p, _ in only] == [("a1", 2)]  # the story sharing the key, positions overall
        assert store.open_story_members("c", 3, None, lookups=[(0, "t:flood", 1.0)], min_shared=2.0) == []
        assert store.open_story_count("c", None) == (2, 3)
        # Ranked by evidence: the story sharing the rarer key first; ties go to the story placed first.
        looks = [(0, "t:flood", 1.0, 1.0), (0, "t:w0", 1.0, 5.0), (0, "t:w1", 1.0, 3.0)]
        stories = {k for _, k, _, _ in store.open_story_members("c", 3, None, lookups=looks, min_shared=1.0)}
        assert stories == {"s1", "s2"}
        best = store.open_story_members("c", 3, None, lookups=looks, min_shared=1.0, top=1)
        assert {k for _, k, _, _ in best} == {"s1"}  # flood + w0 (6.0) against flood + w1 (4.0)
        tied = [(0, "t:flood", 1.0, 1.0)]
        assert {k for _, k, _, _ in store.open_story_members("c", 3, None, lookups=tied, min_shared=1.0, top=1)} == {"s1"}
        # Each report gets its own best stories.
        two = [(0, "t:w0", 1.0, 1.0), (1, "t:w1", 1.0, 1.0)]
        assert {k for _, k, _, _ in store.open_story_members("c", 3, None, lookups=two, min_shared=1.0, top=1)} == {"s1", "s2"}


def test_a_partial_restore_reads_each_storys_first_and_latest_reports(tmp_path: Path) -> None:
    from storyline.model import Article

    with Store(tmp_path / "s.duckdb") as store:
        arts = [Article(id=f"a{n}", text=f"report {n}", content_hash=f"h{n}") for n in range(7)]
        store.add_articles(arts)
        store.put_features(
            (f"h{n}", None, 1, {"day": f"2025-03-{n + 1:02d}", "terms": {"flood": 1}, "names": {}}) for n in range(7)
        )
        members = {f"a{n}": "s1" if n < 5 else "s2" for n in range(7)}
        store.update_clustering("c", members, {"t:flood": 7}, features_version=1, documents=7, replace=True)
        rows = store.open_story_members("c", 1, None, recent=2)
        assert [(a, k, p) for a, k, p, _ in rows] == [
            ("a0", "s1", 0), ("a3", "s1", 3), ("a4", "s1", 4), ("a5", "s2", 5), ("a6", "s2", 6)]
        assert len(store.open_story_members("c", 1, None)) == 7


def test_a_deferred_checkpoint_keeps_every_change_for_the_next_open(tmp_path: Path) -> None:
    from storyline.model import Article

    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.add_articles([Article(id="a1", text="first", content_hash="h1")])
    with Store(path) as store:
        store.defer_checkpoint()
        store.add_articles([Article(id="a2", text="second", content_hash="h2")])
    assert (tmp_path / "s.duckdb.wal").exists()  # left in the log, not folded into the file
    with Store(path) as store:
        assert [a.id for a in store.articles()] == ["a1", "a2"]


def test_a_deferred_checkpoint_folds_a_long_log_into_the_file(tmp_path: Path) -> None:
    """Each open replays the log: runs that defer their checkpoint fold it in once it is long."""
    from storyline.model import Article

    path = tmp_path / "s.duckdb"
    wal = tmp_path / "s.duckdb.wal"
    deferred = []
    for run in range(12):
        with Store(path) as store:
            deferred.append(store.defer_checkpoint())
            store.add_articles([Article(id=f"r{run}-{k}", text=f"report {run} {k} " + "words " * 2000,
                                        content_hash=f"h{run}-{k}") for k in range(4)])
        size = wal.stat().st_size if wal.exists() else 0
        assert size < Store.DEFERRED_LOG + 200 * 1024, run  # one run's changes past the limit at most
        if not deferred[-1]:
            assert size == 0, run  # the long log was folded in
    assert deferred[0] and not all(deferred)
    with Store(path) as store:
        assert len(store.articles()) == 48
