"""End-to-end throughput of the local engine against the floor of spaCy NER alone.

    .venv/bin/python bench/e2e.py [--n 300]

On the same N synthetic reports (bench/scale.py's ECB+-based generator), in one process:

* floor: ``nlp.pipe`` over the texts with only the NER component enabled (the model is
  loaded before timing);
* Storyline: ``run_analysis`` into a fresh DuckDB store (ingest, annotation with the full
  pipeline -- tagger, parser, NER and Storyline's extractors --, features, clustering,
  per-story analysis, report assembly and validation), the model loaded before timing.

Prints articles/s of each, the ratio (aim >= 0.6) and where Storyline's time goes; rewrites
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

    from storyline.nlp import english
    from storyline.pipeline import AnalyzeOptions, run_analysis

    with tempfile.TemporaryDirectory() as tmp:
        rows = corpus(args.n, Path(tmp) / "in")
        texts = [r["text"] for r in rows]
        nlp = english()
        others = [p for p in nlp.pipe_names if p != "ner"]
        t = time.perf_counter()
        with nlp.select_pipes(disable=others):
            ents = sum(len(doc.ents) for doc in nlp.pipe(texts))
        floor_s = time.perf_counter() - t
        t = time.perf_counter()
        for _doc in nlp.pipe(texts):
            pass
        full_s = time.perf_counter() - t
        stages = Stages()
        t = time.perf_counter()
        result = run_analysis([str(Path(tmp) / "in")], AnalyzeOptions(db=str(Path(tmp) / "e2e.duckdb")), progress=stages)
        total_s = time.perf_counter() - t
        parts = stages.finish()

    n = len(texts)
    floor, ours = n / floor_s, n / total_s
    lines = [
        "| N | spaCy NER only (floor) | spaCy full pipeline | Storyline end to end | vs floor (aim >= 0.6) | vs full pipeline | peak RSS |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        f"| {n} | {floor:.1f} art/s ({ents} entities) | {n / full_s:.1f} art/s | {ours:.1f} art/s "
        f"({len(result.report['stories'])} stories) | {ours / floor:.2f}x | {full_s / total_s:.2f}x | {peak_mb():.0f} MB |",
        "",
        "Where Storyline's time goes (s): " + ", ".join(f"{k} {v}" for k, v in parts.items()) + ".",
    ]
    print("\n".join(lines))
    write_section("e2e", f"python bench/e2e.py --n {args.n}", lines)


if __name__ == "__main__":
    sys.exit(main())
