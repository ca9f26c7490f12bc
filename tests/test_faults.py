"""Faults: a run killed at any moment leaves a store that opens, keeps what it said it stored,
holds no duplicates, and lets the next run finish the work."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from storyline.store import Store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

# A run that reports each stage on stdout as it happens, so the test knows what was committed.
DRIVER = textwrap.dedent(
    """
    import sys
    from storyline.pipeline import AnalyzeOptions, run_analysis

    def tick(stage, done, total):
        print(stage, done, total, flush=True)

    result = run_analysis(sys.argv[2:], AnalyzeOptions(db=sys.argv[1]), progress=tick)
    print("finished", len(result.report["articles"]), len(result.report["stories"]), flush=True)
    """
)


def _run(db: Path, inputs: list[Path], kill_after: float | None) -> list[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(db), *map(str, inputs)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    if kill_after is None:
        out, _ = proc.communicate(timeout=300)
        assert proc.returncode == 0
        return out.splitlines()
    try:
        proc.wait(timeout=kill_after)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=60)
    return out.splitlines()


def _stored(db: Path) -> list[str]:
    with Store(db) as store:
        return [a.content_hash for a in store.articles()]


def _reported_stored(lines: list[str]) -> int:
    """How many new articles the run said it had committed (0 when it never got there)."""
    for line in lines:
        parts = line.split()
        if parts and parts[0] == "stored":
            return int(parts[1])
    return 0


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], list[Path]]:
    if not EXAMPLES.is_dir():
        pytest.skip("the demo corpus (examples/) is missing")
    root = tmp_path_factory.mktemp("corpus")
    files = sorted(p for p in EXAMPLES.iterdir() if p.is_file())
    first, second = root / "first", root / "second"
    first.mkdir()
    second.mkdir()
    for n, path in enumerate(files):
        shutil.copy(path, (first if n % 2 == 0 else second) / path.name)
    return [first], [second]


def test_sigkill_at_random_points_never_loses_or_duplicates(
    tmp_path: Path, corpus: tuple[list[Path], list[Path]], record_property: Callable[[str, object], None]
) -> None:
    first, second = corpus
    rng = random.Random(20261123)
    db = tmp_path / "store.duckdb"
    # How long an undisturbed run takes here, so the kills land all over it.
    probe = tmp_path / "probe.duckdb"
    started = time.monotonic()
    _run(probe, first + second, None)
    span = time.monotonic() - started
    started = time.monotonic()
    _run(probe, first + second, None)  # all cached: the shortest a run can be
    shortest = time.monotonic() - started

    promised: set[str] = set()
    kills = 0
    for round_ in range(10):
        inputs = first if round_ < 5 else first + second
        # Every other kill lands anywhere in a full run; the others surely before even a cached run ends.
        lines = _run(db, inputs, kill_after=rng.uniform(0.05, span if round_ % 2 else 0.8 * shortest))
        finished = any(line.startswith("finished") for line in lines)
        kills += not finished
        hashes = _stored(db)  # the store always opens
        assert len(hashes) == len(set(hashes)), "a killed run left duplicate articles"
        assert promised <= set(hashes), "articles an earlier run committed went missing"
        if _reported_stored(lines) or finished:
            promised = set(hashes)
    assert kills >= 4, "too few runs were actually interrupted to exercise the store"
    record_property("kills", kills)  # for docs/reliability.md (scripts/reliability.py)

    # The next undisturbed run completes the work: every article of both batches, once.
    lines = _run(db, first + second, None)
    final = lines[-1].split()
    expected = len(_stored(probe))
    assert final[0] == "finished" and int(final[1]) == expected
    hashes = _stored(db)
    assert len(hashes) == len(set(hashes)) == expected


def test_a_second_writer_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    db = tmp_path / "busy.duckdb"
    Store(db).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(
            f"""
            import time
            from storyline.store import Store
            s = Store({str(db)!r})
            print("open", flush=True)
            time.sleep(60)
            """
        )],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        proc = subprocess.run(
            [sys.executable, "-m", "storyline", "analyze", str(EXAMPLES), "--db", str(db), "--out", str(tmp_path / "o")],
            capture_output=True, text=True, cwd=ROOT, timeout=120,
        )
    finally:
        holder.kill()
        holder.wait()
    assert proc.returncode != 0
    assert str(db) in proc.stderr and "Traceback" not in proc.stderr
    assert "lock" in proc.stderr.lower() or "in use" in proc.stderr.lower()


def test_read_only_store_gives_a_clear_error_and_stays_intact(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write to read-only files")
    db = tmp_path / "ro.duckdb"
    _run(db, [EXAMPLES], None)
    before = _stored(db)
    db.chmod(0o444)
    proc = subprocess.run(
        [sys.executable, "-m", "storyline", "analyze", str(EXAMPLES), "--db", str(db), "--out", str(tmp_path / "o")],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    db.chmod(0o644)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr and str(db) in proc.stderr
    assert _stored(db) == before


def _limit_file_size(limit: int) -> None:
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG, as on a full disk
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.mark.parametrize("room", [0, 64 * 1024], ids=["no-room", "room-for-the-store-only"])
def test_full_disk_gives_a_clear_error_and_keeps_what_was_stored(
    tmp_path: Path, corpus: tuple[list[Path], list[Path]], room: int
) -> None:
    first, second = corpus
    db = tmp_path / "full.duckdb"
    _run(db, first, None)
    before = _stored(db)
    proc = subprocess.run(
        [sys.executable, "-m", "storyline", "analyze", *map(str, first + second), "--db", str(db), "--out", str(tmp_path / "o")],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
        preexec_fn=lambda: _limit_file_size(room),
    )
    assert proc.returncode != 0
    out = str(tmp_path / "o")
    assert "Traceback" not in proc.stderr, proc.stderr
    assert str(db) in proc.stderr or out in proc.stderr, proc.stderr
    assert set(before) <= set(_stored(db))
    # With room again, the same run completes.
    lines = _run(db, first + second, None)
    assert lines[-1].startswith("finished")
