"""End-to-end throughput of the local engine against the floor of spaCy NER alone.

    .venv/bin/python bench/e2e.py [--n 300] [--rounds 3]

On the same N synthetic reports (bench/scale.py's ECB+-based generator), in one process:

* floor: ``nlp.pipe`` over the texts with only the NER component enabled (the model is
  loaded before timing);
* Storyline: ``run_analysis`` into a fresh DuckDB store (ingest, annotation with the full
  pipeline -- tagger, parser, NER and Storyline's extractors --, features, clustering,
  per-story analysis, report assembly and validation), the model loaded before timing; once
  with one process, as the floor, and once with the local engine's default annotation workers
  (the machine's cores, at most 4; each worker loads the model, inside the timing) -- set against
  the floor run with as many processes (``nlp.pipe(n_process=...)``), so every ratio compares
  equal resources;
* Storyline again with paragraph reuse off (``storyline.nlp.Paragraphwise.reuse``): every paragraph
  run through the models even when another report had it -- Storyline's rate on reports that
  share no paragraph. The synthetic corpus, like a wire service's stream, repeats paragraphs
  (copies under other mastheads, rewrites keeping most of a report, the same header and footer
  lines), so the first Storyline row reuses many; both rows are printed.

Floor and full-pipeline baselines run the spaCy pipeline itself over whole texts (no reuse).
Each Storyline run starts with no paragraph remembered.

The one-process measures run ``--rounds`` times, interleaved (floor, full pipeline, Storyline,
Storyline without reuse, then again), after a warm-up pass: the table gives the median rate of each and the median of the
rounds' own ratios, with their range, since a shared machine moves single runs by 20% or more.

Prints articles/s of each, the ratios (aim >= 0.6) and where Storyline's time goes; rewrites
the e2e section of bench/README.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _engine_bench import Stages, corpus, peak_mb, write_section


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=3, help="interleaved one-process rounds (medians reported)")
    args = ap.parse_args()

    from storyline.engine import LocalEngine
    from storyline.engine.local import default_workers
    from storyline.nlp import english
    from storyline.pipeline import AnalyzeOptions, run_analysis

    workers = default_workers()
    with tempfile.TemporaryDirectory() as tmp:
        rows = corpus(args.n, Path(tmp) / "in")
        texts = [r["text"] for r in rows]
        paragraphwise = english()
        nlp = paragraphwise.language  # the spaCy pipeline itself, whole texts at a time
        others = [p for p in nlp.pipe_names if p != "ner"]

        def floor_time(processes: int) -> tuple[float, int]:
            t = time.perf_counter()
            with nlp.select_pipes(disable=others):
                found = sum(len(doc.ents) for doc in nlp.pipe(texts, n_process=processes))
            return time.perf_counter() - t, found

        for _doc in nlp.pipe(texts[:30]):  # warm-up: first calls allocate and fill caches
            pass

        def storyline_time(procs: int, tag: str, reuse: bool = True) -> tuple[float, dict[str, float], int]:
            paragraphwise.clear()  # no paragraph remembered from an earlier round
            paragraphwise.reuse = reuse
            stages = Stages()
            t = time.perf_counter()
            result = run_analysis(
                [str(Path(tmp) / "in")],
                AnalyzeOptions(db=str(Path(tmp) / f"e2e{tag}.duckdb"), engine=LocalEngine(workers=procs)),
                progress=stages,
            )
            return time.perf_counter() - t, stages.finish(), len(result.report["stories"])

        rounds: list[tuple[float, float, float, float]] = []  # (floor, full pipeline, Storyline, no reuse) s
        runs = {}
        for r in range(max(1, args.rounds)):
            floor_r, ents = floor_time(1)
            t = time.perf_counter()
            for _doc in nlp.pipe(texts):
                pass
            full_r = time.perf_counter() - t
            runs[1] = storyline_time(1, f"1r{r}")
            runs[0] = storyline_time(1, f"0r{r}", reuse=False)
            rounds.append((floor_r, full_r, runs[1][0], runs[0][0]))
        paragraphwise.reuse = True
        if workers > 1:
            runs[workers] = storyline_time(workers, f"{workers}")
        floor_s = statistics.median(x[0] for x in rounds)
        floor_n_s = floor_time(workers)[0] if workers > 1 else floor_s

    n = len(texts)
    floor = n / floor_s
    full_s = statistics.median(x[1] for x in rounds)
    one_s = statistics.median(x[2] for x in rounds)
    every_s = statistics.median(x[3] for x in rounds)
    _, parts, n_stories = runs[1]
    vs_floor = sorted(f / s for f, _, s, _ in rounds)
    vs_full = sorted(u / s for _, u, s, _ in rounds)
    every_vs_floor = sorted(f / e for f, _, _, e in rounds)
    every_vs_full = sorted(u / e for _, u, _, e in rounds)

    def spread(values: list[float]) -> str:
        return f"{statistics.median(values):.2f}x" + (f" ({values[0]:.2f}-{values[-1]:.2f})" if len(values) > 1 else "")

    lines = [
        "| N | processes | spaCy NER only (floor) | spaCy full pipeline | Storyline end to end | vs floor (aim >= 0.6) | vs full pipeline |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        (
            f"| {n} | 1 | {floor:.1f} art/s ({ents} entities) | {n / full_s:.1f} art/s | {n / one_s:.1f} art/s "
            f"({n_stories} stories) | {spread(vs_floor)} | {spread(vs_full)} |"
        ),
        (
            f"| {n} | 1 | | | {n / every_s:.1f} art/s, every paragraph analysed (no reuse: as on reports "
            f"sharing no paragraph) | {spread(every_vs_floor)} | {spread(every_vs_full)} |"
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
        f"One process: medians of {len(rounds)} interleaved rounds (ratios: median of the rounds' own, and their range).",
        (
            f"Peak RSS of this process: {peak_mb():.0f} MB (workers apart). "
            "Where Storyline's time goes with one process (s): " + ", ".join(f"{k} {v}" for k, v in parts.items()) + "."
        ),
    ]
    print("\n".join(lines))
    write_section("e2e", f"python bench/e2e.py --n {args.n}", lines)


if __name__ == "__main__":
    sys.exit(main())
