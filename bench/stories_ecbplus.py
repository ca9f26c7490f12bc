"""Story clustering on ECB+ dev (documents -> subtopic), beside a TF-IDF baseline.

    python bench/stories_ecbplus.py [--split Dev|Train] [--threshold X]

Prints B-cubed P/R/F1 and ARI for Storyline's clusterer and for a plain
TF-IDF + average-link agglomerative baseline, in the same run.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from metrics import adjusted_rand, as_labels, bcubed  # noqa: E402

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ecbplus"


def load_docs(split: str) -> dict[str, str]:
    sents: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for line in (DATA / f"ECB_{split}_corpus.txt").read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) < 4:
            continue
        sents[cols[0]][int(cols[1])].append(cols[3])
    return {d: "\n".join(" ".join(toks) for _, toks in sorted(s.items())) for d, s in sents.items()}


def subtopic(doc_id: str) -> str:
    topic, rest = doc_id.split("_", 1)
    return f"{topic}{'plus' if rest.endswith('ecbplus') else ''}"


def baseline(docs: dict[str, str], threshold: float) -> list[list[str]]:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    ids = list(docs)
    x = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform([docs[i] for i in ids]).toarray()
    model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold)
    labels = model.fit_predict(x)
    groups: dict[int, list[str]] = defaultdict(list)
    for i, lab in zip(ids, labels):
        groups[int(lab)].append(i)
    return list(groups.values())


def storyline_clusters(docs: dict[str, str], threshold: float | None) -> list[list[str]]:
    from storyline.nlp import english
    from storyline.stories import ClusterOptions, StoryFeatures, cluster, content_terms, name_counts

    nlp = english()
    ids = list(docs)
    feats = []
    for i, doc in zip(ids, nlp.pipe(docs[i] for i in ids)):
        names = [e.text for e in doc.ents if e.label_ in ("PERSON", "ORG", "GPE", "FAC", "LOC", "EVENT")]
        feats.append(StoryFeatures(article_id=i, terms=content_terms(doc), names=name_counts(names)))
    opts = ClusterOptions() if threshold is None else ClusterOptions(threshold=threshold)
    return cluster(feats, opts)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="Dev")
    ap.add_argument("--threshold", type=float, default=None)
    args = ap.parse_args()
    if not DATA.exists():
        sys.exit(f"ECB+ data not found at {DATA}")
    docs = load_docs(args.split)
    gold = {d: subtopic(d) for d in docs}
    print(f"ECB+ {args.split}: {len(docs)} documents, {len(set(gold.values()))} subtopics")
    print(f"{'system':<28} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'ARI':>6} {'secs':>6}")
    for name, fn in (
        ("tfidf+agglomerative (0.8)", lambda: baseline(docs, 0.8)),
        ("storyline", lambda: storyline_clusters(docs, args.threshold)),
    ):
        t = time.perf_counter()
        pred = as_labels(fn())
        secs = time.perf_counter() - t
        p, r, f = bcubed(pred, gold)
        print(f"{name:<28} {p:6.3f} {r:6.3f} {f:6.3f} {adjusted_rand(pred, gold):6.3f} {secs:6.1f}")


if __name__ == "__main__":
    main()
