"""Incremental runs, memory and growth: a store of N reports, then one more report at a time.

    .venv/bin/python bench/incremental.py [--sizes 1000,10000] [--adds 5]

Each size runs in a fresh subprocess:

1. N synthetic reports (bench/scale.py's ECB+-based generator) are ingested into a new DuckDB store;
2. their annotations are made *cheaply*: Storyline's own ``annotate()`` over docs from a blank
   spaCy English pipeline (tokenizer + rule sentencizer: no tagger, parser or NER, so no entity
   mentions or parsed actions), stored in the annotation cache by content hash exactly as a real
   run stores them -- the run then finds every annotation cached and skips the model;
3. a full ``run_analysis`` over the store (features, clustering, per-story analysis, report) is
   timed: its time in N gives the growth exponent; its peak RSS is measured on its own (the build's
   data freed and the kernel's peak reset first; the adds' peak likewise);
4. 2 x ``--adds`` new reports (not in the store) are added one at a time with ``run_analysis([file],
   db=store)``, the real incremental path, alternately reporting the whole store and only the stories
   the add changed (``changed_only``, CLI ``--changed-only``); p50 and max of those times, where the
   time goes, and whether each report's placement is the one restoring every open story gives
   (a replay from the store: with more than 500 open reports an add restores only the open
   stories it is a blocking candidate for).
   ``--dated any`` (default) keeps each added report's own date, anywhere in the store's six
   months, so it reopens most stored stories; ``--dated latest`` dates it on the store's latest
   day, as news arrives (its results go to their own section of bench/README.md).

``--keep DIR`` (one size) builds in DIR and leaves there the store after the adds, a copy of it
as the adds found it (``store_before_adds.duckdb``) and the added reports (``add*.jsonl``).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _engine_bench import Stages, corpus, peak_mb, reset_peak, slope, write_section


def child(n: int, adds: int, dated: str = "any", keep: str | None = None) -> dict[str, object]:
    import spacy

    from storyline.ingest import IngestOptions, read_inputs
    from storyline.pipeline import (
        ANNOTATION_VERSION,
        AnalyzeOptions,
        _anchor_of,
        annotate,
        run_analysis,
    )
    from storyline.store import Store

    with contextlib.nullcontext(keep) if keep else tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows = corpus(n + 8 * adds, folder / "gen")
        base, seen, extra = rows[:n], {r["text"] for r in rows[:n]}, []
        for r in rows[n:]:  # the generator makes verbatim copies: an add must bring a new text
            if r["text"] not in seen and len(extra) < 2 * adds:
                seen.add(r["text"])
                extra.append(r)
        parts = folder / "base"  # files of 2,000 reports: one file would pass the 25 MB input limit
        parts.mkdir()
        for k in range(0, len(base), 2000):
            rows_k = base[k : k + 2000]
            (parts / f"part{k // 2000:04d}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows_k), encoding="utf-8")
        db = str(folder / "store.duckdb")
        t = time.perf_counter()
        articles = read_inputs([str(parts)], IngestOptions()).articles
        n_articles = len(articles)
        blank = spacy.blank("en")
        blank.add_pipe("sentencizer")
        with Store(db) as store:
            stored = store.add_articles(articles)
            store.put_many_annotations(
                (a.content_hash, ANNOTATION_VERSION, annotate(a, doc, _anchor_of(a)))
                for a, doc in zip(stored, blank.pipe(a.text for a in stored))
            )
        build_s = time.perf_counter() - t
        build_peak = peak_mb()
        latest = max(r["published_at"] for r in base)
        del rows, base, seen, articles, stored, blank  # a real run holds none of the build's data
        gc.collect()
        phased = reset_peak()  # the peak RSS of the full run itself, then of the adds
        full_stages = Stages()
        t = time.perf_counter()
        full = run_analysis([str(parts)], AnalyzeOptions(db=db, validate=False), progress=full_stages)
        full_s = time.perf_counter() - t
        full_parts = full_stages.finish()
        stories, largest = len(full.report["stories"]), max(len(s["article_ids"]) for s in full.report["stories"])
        full_peak = peak_mb()
        if keep:  # the store as the adds find it, to replay them (under a profiler, say)
            for suffix in ("", ".wal"):
                if Path(db + suffix).exists():
                    shutil.copyfile(db + suffix, folder / f"store_before_adds.duckdb{suffix}")
        del full
        gc.collect()
        if phased:
            reset_peak()
        runs: dict[bool, dict[str, list]] = {flag: {"times": [], "parts": [], "restored": []} for flag in (False, True)}
        agree = []
        for k, row in enumerate(extra):
            if dated == "latest":
                row = dict(row, published_at=latest)
            path = folder / f"add{k}.jsonl"
            path.write_text(json.dumps(row) + "\n", encoding="utf-8")
            changed_only = k % 2 == 1  # alternate: a full report, then the changed stories only
            res = None  # the previous add's result (a whole store's report) is freed here, not inside the timing
            stages = Stages()
            t = time.perf_counter()
            res = run_analysis(
                [str(path)], AnalyzeOptions(db=db, validate=False, changed_only=changed_only), progress=stages
            )
            took = time.perf_counter() - t
            if res.new_articles != 1:  # stored already (the same text after cleaning): not an add
                continue
            record = runs[changed_only]
            record["times"].append(took)
            record["parts"].append(stages.finish())
            record["restored"].append(res.reports_restored)
            agree.append(_same_as_window_restore(db))
        full_add, delta_add = runs[False], runs[True]
        mean_parts = {k: round(statistics.mean(p.get(k, 0.0) for p in delta_add["parts"]), 2) for k in delta_add["parts"][0]}
        return {
            "n": n_articles, "build_s": round(build_s, 1), "full_s": round(full_s, 2),
            "stories": stories, "full_parts": full_parts, "largest_story": largest,
            "add_p50": round(statistics.median(delta_add["times"]), 2), "add_max": round(max(delta_add["times"]), 2),
            "add_full_p50": round(statistics.median(full_add["times"]), 2), "add_parts": mean_parts,
            "add_restored": round(statistics.median(delta_add["restored"] + full_add["restored"])),
            "agree": f"{sum(agree)}/{len(agree)}", "phased": phased, "build_peak_mb": round(build_peak),
            "peak_mb": round(full_peak), "adds_peak_mb": round(peak_mb()),
        }


def _same_as_window_restore(db: str) -> bool:
    """Whether the last report added shares its story with the same stored reports as when every open
    story is restored (a replay of its placement from the store, without writing)."""
    from storyline.pipeline import CLUSTERER_ID, FEATURES_CACHE_VERSION
    from storyline.store import Store
    from storyline.stories import clustering_keys, extend_stories, features_from_payload, open_since

    with Store(db) as store:
        [(last,)] = store.query("SELECT id FROM articles ORDER BY seq DESC LIMIT 1")
        [(payload,)] = store.query(
            "SELECT f.payload FROM features f JOIN articles a ON a.content_hash = f.content_hash"
            " WHERE a.id = ? AND f.version = ?", [last, FEATURES_CACHE_VERSION])
        new = features_from_payload(last, json.loads(payload))
        rows = store.open_story_members(CLUSTERER_ID, FEATURES_CACHE_VERSION, open_since([new]))
        restored = [(features_from_payload(a, p), key, pos) for a, key, pos, p in rows if a != last]
        keys = {k for f, _, _ in restored for k in clustering_keys(f)} | set(clustering_keys(new))
        df = store.term_df(keys)
        for k in clustering_keys(new):  # as they were before the report was counted
            df[k] -= 1
        state = store.cluster_state(CLUSTERER_ID)
        assert state is not None
        replay = extend_stories(restored, [new], df=df, documents=state[1] - 1, taken=store.story_keys_in_use(CLUSTERER_ID))
        stored = {a: key for a, key, _, _ in rows}
    with_new = {a for a, key in replay.items() if key == replay[last] and a != last}
    stored_with = {a for a, key in stored.items() if key == stored[last] and a != last}
    return with_new == stored_with


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--adds", type=int, default=5)
    ap.add_argument("--dated", choices=("any", "latest"), default="any", help="the added reports' dates (see above)")
    ap.add_argument(
        "--keep", metavar="DIR", help="build in DIR and leave the store and the added reports there (one size only)"
    )
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.keep and not args.child and "," in args.sizes:
        ap.error("--keep builds one store: give one size")
    if args.child:
        print(json.dumps(child(args.child, args.adds, args.dated, args.keep)))
        return
    results = []
    for n in [int(x) for x in args.sizes.split(",")]:
        out = subprocess.run(
            [sys.executable, "-X", "faulthandler", __file__, "--child", str(n), "--adds", str(args.adds), "--dated", args.dated]
            + (["--keep", str(Path(args.keep).resolve())] if args.keep else []),
            capture_output=True, text=True,
        )
        if out.returncode != 0:
            sys.exit(f"the run with N={n} failed (exit {out.returncode}):\n{out.stderr[-3000:]}")
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(results[-1], flush=True)
    exponent = slope([r["n"] for r in results], [r["full_s"] for r in results])
    add_exp = slope([r["n"] for r in results], [r["add_p50"] for r in results])
    lines = [
        "| N in store | full run (s, NLP cached) | stories | add one report, changed stories reported: p50 / max (s) (aim p50 < 0.5 at 100k) | add one report, whole store reported: p50 (s) | placement as restoring every open story | peak RSS of the full run (aim < 4 GB at 100k) | peak RSS of the adds / of building the store |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        *(
            f"| {r['n']} | {r['full_s']} | {r['stories']} | {r['add_p50']} / {r['add_max']} | {r['add_full_p50']} | {r['agree']} | {r['peak_mb']} MB | {r['adds_peak_mb']} MB / {r['build_peak_mb']} MB |"
            for r in results
        ),
        "",
        "Peak RSS is measured per phase (the kernel's peak reset between them), the build's data freed first."
        if all(r["phased"] for r in results) else
        "Peak RSS: this kernel cannot reset a process's peak, so each column is the peak of everything before it too.",
        f"Growth exponent of the full run's time in N: {exponent:.2f} (aim <= 1.1); of one add's time: {add_exp:.2f}."
        if exponent is not None and add_exp is not None else "Growth exponent: needs two sizes.",
        "Where the full run's time goes at the largest N (s): "
        + ", ".join(f"{k} {v}" for k, v in results[-1]["full_parts"].items())
        + f" (largest story: {results[-1]['largest_story']} reports).",
        "Where one add's time goes at the largest N, changed stories reported (s): "
        + ", ".join(f"{k} {v}" for k, v in results[-1]["add_parts"].items()) + ".",
        "Stored reports an add reads back into the clusterer (the open stories it is a blocking candidate for, in a store with more than 500 open reports; else every open story), median: "
        + ", ".join(f"{r['add_restored']} of {r['n']}" for r in results) + ".",
    ]
    print("\n".join(lines))
    section = "incremental" if args.dated == "any" else "incremental-latest"
    command = f"python bench/incremental.py --sizes {args.sizes} --adds {args.adds}" + (
        " --dated latest" if args.dated == "latest" else ""
    )
    write_section(section, command, lines)


if __name__ == "__main__":
    main()
