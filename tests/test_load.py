"""Load: ``storyline serve`` under concurrent clients loses no upload and answers every request;
concurrent ``storyline analyze`` runs on one store either finish or fail with a clear message.

The full variant (50 clients for 60 s, with latency figures) is ``python bench/load.py``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from storyline.store import Store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
sys.path.insert(0, str(ROOT / "bench"))

pytestmark = pytest.mark.skipif(not EXAMPLES.is_dir(), reason="the demo corpus (examples/) is missing")


def test_short_load_has_no_errors_and_loses_no_upload(tmp_path: Path) -> None:
    pytest.importorskip("fastapi", reason="the 'web' extra is not installed")
    pytest.importorskip("httpx", reason="httpx is not installed")
    import load  # bench/load.py

    res = load.run_load(clients=10, duration=10, folder=tmp_path)
    summary = res.summary()
    assert res.error_samples == [] and res.total_errors == 0, summary
    assert res.requests > 10 * 2, summary
    # every kind of request was exercised, uploads included
    assert all(res.latencies[kind] for kind in load.KINDS), summary
    assert res.uploads, "no upload was made"
    assert res.jobs_failed == [] and res.lost == [] and res.duplicated == [], summary
    assert res.articles_after == res.articles_before + len(res.uploads)
    assert res.server_errors == [], res.server_errors
    # and after the server is gone, the store itself holds each uploaded report once
    with Store(tmp_path / "store.duckdb") as store:
        texts = [a.text for a in store.articles()]
    for _, marker in res.uploads:
        assert sum(marker in t for t in texts) == 1, marker


def _analyze(folder: Path, db: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", "from storyline.cli import main; main()", "analyze", str(folder), "--db", str(db),
         "--out", str(db.parent / f"out-{folder.name}"), "--format", "json"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def test_concurrent_analyze_runs_serialise_or_fail_clearly(tmp_path: Path) -> None:
    files = sorted(p for p in EXAMPLES.iterdir() if p.is_file())
    halves = [tmp_path / "a", tmp_path / "b"]
    for n, folder in enumerate(halves):
        folder.mkdir()
        for path in files[n::2]:
            (folder / path.name).write_bytes(path.read_bytes())
    db = tmp_path / "store.duckdb"
    procs = [_analyze(folder, db) for folder in halves]
    outcomes = [(p, *p.communicate(timeout=600)) for p in procs]
    refused, new = [], 0
    for folder, (proc, out, err) in zip(halves, outcomes, strict=True):
        if proc.returncode != 0:
            # a run that could not get the store says so plainly, without a traceback
            assert "in use by another storyline process" in err, err
            assert "Traceback" not in err, err
            refused.append(folder)
        else:
            new += _new_articles(out)
    assert len(refused) < len(halves), "every run was refused"
    for folder in refused:  # run again, one at a time: they complete
        proc = _analyze(folder, db)
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        new += _new_articles(out)
    with Store(db) as store:
        hashes = [a.content_hash for a in store.articles()]
    # every article a run reported as new is there, once
    assert len(hashes) == len(set(hashes)) == new > 0


def _new_articles(out: str) -> int:
    found = re.search(r"Read \d+ report\(s\) \((\d+) new\)", out)
    assert found, out
    return int(found.group(1))
