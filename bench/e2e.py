"""End-to-end throughput of the local engine against the floor of spaCy NER alone.

    .venv/bin/python bench/e2e.py [--n 300]

On the same N synthetic reports (bench/scale.py's ECB+-based generator), in one process:

* floor: ``nlp.pipe`` over the texts with only the NER component enabled (the model is
  loaded before timing);
* Storyline: ``run_analysis`` into a fresh DuckDB store (ingest, annotation with the full
  pipeline -- tagger, parser, NER and Storyline's extractors --, features, clustering,
  per-story analysis, report assembly and validation), the model loaded before timing; once
  with one process, as the floor, and once with the local engine's default annotation workers
  (the machine's cores, at most 4; each worker loads the model, inside the timing) -- set against
  the floor run with as many processes (``nlp.pipe(n_process=...)``), so every ratio compares
  equal resources.

Prints articles/s of each, the ratios (aim >= 0.6) and where Storyline's time goes; rewrites
the e2e section of bench/README.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from _engine_bench import Stages, corpus, peak_mb, write_section


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=300)
    args = ap.parse_args()

    from storyline.engine import LocalEngine
    from storyline.engine.local import default_workers
    from storyline.nlp import english
    from storyline.pipeline import AnalyzeOptions, run_analysis

    workers = default_workers()
    with tempfile.TemporaryDirectory() as tmp:
        rows = corpus(args.n, Path(tmp) / "in")
        texts = [r["text"] for r in rows]
        nlp = english()
        others = [p for p in nlp.pipe_names if p != "ner"]

        def floor_time(processes: int) -> tuple[float, int]:
            t = time.perf_counter()
            with nlp.select_pipes(disable=others):
                found = sum(len(doc.ents) for doc in nlp.pipe(texts, n_process=processes))
            return time.perf_counter() - t, found

        floor_s, ents = floor_time(1)
        t = time.perf_counter()
        for _doc in nlp.pipe(texts):
            pass
        full_s = time.perf_counter() - t
        runs = {}
        for procs in sorted({1, workers}):
            stages = Stages()
            t = time.perf_counter()
            result = run_analysis(
                [str(Path(tmp) / "in")],
                AnalyzeOptions(db=str(Path(tmp) / f"e2e{procs}.duckdb"), engine=LocalEngine(workers=procs)),
                progress=stages,
            )
            runs[procs] = (time.perf_counter() - t, stages.finish(), len(result.report["stories"]))
        floor_n_s = floor_time(workers)[0] if workers > 1 else floor_s

    n = len(texts)
    floor = n / floor_s
    one_s, parts, n_stories = runs[1]
    lines = [
        "| N | processes | spaCy NER only (floor) | spaCy full pipeline | Storyline end to end | vs floor (aim >= 0.6) | vs full pipeline |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        (
            f"| {n} | 1 | {floor:.1f} art/s ({ents} entities) | {n / full_s:.1f} art/s | {n / one_s:.1f} art/s "
            f"({n_stories} stories) | {floor_s / one_s:.2f}x | {full_s / one_s:.2f}x |"
        ),
    ]
    if workers > 1:
        many_s = runs[workers][0]
        lines.append(
            f"| {n} | {workers} | {n / floor_n_s:.1f} art/s | | {n / many_s:.1f} art/s | {floor_n_s / many_s:.2f}x "
            f"(against the one-process floor: {floor_s / many_s:.2f}x) | |"
        )
    lines += [
        "",
        (
            f"Peak RSS of this process: {peak_mb():.0f} MB (workers apart). "
            "Where Storyline's time goes with one process (s): " + ", ".join(f"{k} {v}" for k, v in parts.items()) + "."
        ),
    ]
    print("\n".join(lines))
    write_section("e2e", f"python bench/e2e.py --n {args.n}", lines)


if __name__ == "__main__":
    sys.exit(main())
