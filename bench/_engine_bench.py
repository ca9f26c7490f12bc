"""What the engine benches share: a synthetic corpus, stage timing, peak RSS, and the
results table in bench/README.md (each bench rewrites its own section)."""

from __future__ import annotations

import json
import re
import resource
import sys
import time
from pathlib import Path

from metrics import slope  # noqa: F401  (re-exported for the engine benches)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))
README = ROOT / "bench" / "README.md"


def corpus(n: int, folder: Path, seed: int = 7) -> list[dict[str, str]]:
    """``n`` synthetic reports made from ECB+ events (bench/scale.py's generator), as dicts."""
    from scale import generate  # reads ../shared/data/ecbplus

    generate(n, seed, folder)
    rows = []
    for part in sorted(folder.glob("part*.jsonl")):
        rows += [json.loads(line) for line in part.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def reset_peak() -> bool:
    """Start this process's peak RSS afresh from its current RSS (Linux >= 4.0), so that
    :func:`peak_mb` then measures one phase; False where the kernel does not allow it."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


# run_analysis ticks when a stage's work is done: the time since the previous tick is that stage's.
STAGE_NAMES = {
    "reading inputs": "start",
    "stored": "ingest+store",
    "annotating": "annotate",
    "clustered": "features+cluster",
    "analysing stories": "analyse stories",
}


class Stages:
    """A progress callback that records how long each pipeline stage took."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.seconds: dict[str, float] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        name = STAGE_NAMES.get(stage, stage)
        self.seconds[name] = self.seconds.get(name, 0.0) + now - self.last
        self.last = now

    def finish(self, label: str = "assemble+validate") -> dict[str, float]:
        self(label, 0, 0)
        return {k: round(v, 2) for k, v in self.seconds.items() if k != "start"}


def write_section(name: str, command: str, lines: list[str]) -> None:
    """Replace this bench's section of bench/README.md (between its markers) with fresh results."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    body = "\n".join([start, f"`{command}` ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}):", "", *lines, end])
    text = README.read_text(encoding="utf-8") if README.exists() else "# Benchmarks\n"
    if start in text and end in text:
        text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _m: body, text, flags=re.DOTALL)
    else:
        text = text.rstrip("\n") + "\n\n" + body + "\n"
    README.write_text(text, encoding="utf-8")
