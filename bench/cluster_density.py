"""Story clustering alone at several densities: is its cost per report independent of reports per day?

    .venv/bin/python bench/cluster_density.py [--sizes 3000,30000] [--seed 7] [--cache DIR]

A quick proxy for the growth of the full run (``bench/incremental.py``), whose
superlinear part is clustering. Reports are bench/scale.py's synthetic ECB+
events (``--seed 7``, as bench/incremental.py's corpus) spread over six months
whatever N, so 10x the reports is 10x the reports per day and per blocking key.
Each size is read (``read_inputs``: cleaning, dedup) and featurised once, the
features cached in ``--cache``; then, per size and in this one process, only the
clusterer is timed: ``StreamClusterer.add`` per report in date order and
``finish``. Printed per size: clustering seconds per report (stream and passes),
the share spent in candidate generation (``CandidateIndex.candidates``),
candidates per stream lookup (as proposed by the index, and as compared after
the clusterer's cap), posting entries the index read per lookup, same-event
comparisons per report, and B-cubed F1 / ARI against the generator's events;
then the ratio of per-report costs between the largest and smallest size and
the growth exponent of clustering time in N.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import pickle
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from metrics import adjusted_rand, as_labels, bcubed, slope


def features_for(n: int, seed: int, cache: Path) -> tuple[list, dict[str, int]]:
    """(features, gold event per id) for ``n`` generated reports, cached as a pickle."""
    path = cache / f"density_{n}_{seed}.pkl"
    if path.exists():
        with path.open("rb") as fh:
            return pickle.load(fh)
    from scale import generate

    from storyline.ingest import IngestOptions, read_inputs
    from storyline.stories import fast_features

    with tempfile.TemporaryDirectory() as tmp:
        gold = generate(n, seed, Path(tmp) / "gen")
        articles = read_inputs([str(Path(tmp) / "gen")], IngestOptions()).articles
    feats = [
        fast_features(a.id, a.text, title=a.title or "", day=date.fromisoformat(a.published_at[:10]) if a.published_at else None)
        for a in articles
    ]
    gold = {f.article_id: gold[f.article_id] for f in feats if f.article_id in gold}
    cache.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        pickle.dump((feats, gold), fh)
    return feats, gold


def measure(feats: list, gold: dict[str, int], options: object = None) -> dict[str, float]:
    from storyline import stories

    clusterer = stories.StreamClusterer(options or stories.ClusterOptions())  # type: ignore[arg-type]
    index = clusterer.index
    counts = {"lookups": 0, "proposed": 0, "compared": 0, "index_s": 0.0, "stream_lookups": 0, "postings": 0, "untimed_s": 0.0}
    plain_candidates = index.candidates
    plain_own = clusterer._candidates

    def timed_candidates(features: stories.StoryFeatures) -> list[str]:
        t = time.perf_counter()
        out = plain_candidates(features)
        counts["index_s"] += time.perf_counter() - t
        counts["lookups"] += 1
        counts["proposed"] += len(out)
        t = time.perf_counter()  # untimed: the posting entries this lookup could read
        keys, _ = index._keys_and_signature(features)
        counts["postings"] += sum(len(index._postings.get(k, ())) for k in index._rare_keys(keys))
        counts["untimed_s"] += time.perf_counter() - t
        return out

    streaming = [True]

    def own_candidates(features: stories.StoryFeatures, limit: int | None = None) -> list[str]:
        out = plain_own(features, limit)
        if streaming[0] and limit is None:
            counts["stream_lookups"] += 1
            counts["compared"] += len(out)
        return out

    index.candidates = timed_candidates  # type: ignore[method-assign]
    clusterer._candidates = own_candidates  # type: ignore[method-assign]
    order = sorted(range(len(feats)), key=lambda i: (feats[i].day or date.max, i))
    gc.collect()
    t0 = time.perf_counter()
    for i in order:
        clusterer.add(feats[i])
    t1 = time.perf_counter()
    u1 = counts["untimed_s"]
    clusterer.finish()
    t2 = time.perf_counter()
    t1, t2 = t1 - u1, t2 - counts["untimed_s"]
    n = len(feats)
    pred = as_labels(clusterer.groups())
    _, _, f1 = bcubed(pred, gold)
    return {
        "n": n,
        "stream_ms": 1000 * (t1 - t0) / n,
        "passes_ms": 1000 * (t2 - t1) / n,
        "total_s": t2 - t0,
        "index_share": counts["index_s"] / (t2 - t0),
        "proposed": counts["proposed"] / max(1, counts["lookups"]),
        "compared": counts["compared"] / max(1, counts["stream_lookups"]),
        "postings": counts["postings"] / max(1, counts["lookups"]),
        "cmp": clusterer.comparisons / n,
        "b3": f1,
        "ari": adjusted_rand(pred, gold),
        "stories": len(set(pred.values())),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="3000,30000")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "storyline-density"))
    ap.add_argument("--json", action="store_true", help="print the rows as JSON too")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    rows = []
    for n in sizes:
        feats, gold = features_for(n, args.seed, Path(args.cache))
        rows.append(measure(feats, gold))
        del feats, gold
        print(f"  N={n:,} done in {rows[-1]['total_s']:.1f}s", file=sys.stderr, flush=True)
    print(f"{'N':>8} {'ms/rep':>7} {'stream':>7} {'passes':>7} {'index%':>7} {'proposed':>9} {'compared':>9}"
          f" {'postings':>9} {'cmp/rep':>8} {'B3 F1':>6} {'ARI':>6} {'stories':>8}")
    for r in rows:
        print(f"{r['n']:>8,} {r['stream_ms'] + r['passes_ms']:>7.2f} {r['stream_ms']:>7.2f} {r['passes_ms']:>7.2f}"
              f" {100 * r['index_share']:>6.1f}% {r['proposed']:>9.2f} {r['compared']:>9.2f} {r['postings']:>9.1f}"
              f" {r['cmp']:>8.1f} {r['b3']:>6.3f} {r['ari']:>6.3f} {r['stories']:>8,}")
    if len(rows) > 1:
        a, b = rows[0], rows[-1]
        ratio = (b["stream_ms"] + b["passes_ms"]) / (a["stream_ms"] + a["passes_ms"])
        k = slope([float(r["n"]) for r in rows], [r["total_s"] for r in rows])
        print(f"per-report cost x{ratio:.2f} from N={a['n']:,} to N={b['n']:,}; growth exponent of clustering time {k:.2f}")
    if args.json:
        print(json.dumps(rows))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
