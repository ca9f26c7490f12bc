"""Provenance (original / copy / rewrite / translation / independent) on a labelled set we build.

    python bench/provenance.py [--split Dev|Train] [--seed N] [--limit GROUPS]

Labelled set, made from our own text only:

* independent reports: ECB+ documents (../shared/data/ecbplus, read only; skipped if absent) of
  one subtopic (one real event, different writers), two to four per group; plus the clean
  reports of the demo corpus in examples/ (one group per demo story);
* derived reports made from them: verbatim reposts wrapped in page chrome (navigation, cookie
  banner, byline, "share this", comment form, related links), reposts of reposts (chains),
  light rewrites (synonyms, sentences swapped or dropped, a closing line added), and simulated
  machine translations (``storyline.corruption.corrupt`` at strength 0.5-1.0).

Dates, and whether the outlet is known, are drawn at random (a report whose text states a
date is published then; a derived report is never published before its source; some have no
date), so metadata alone does not give the answer.
Each group is one story; it goes through Storyline's own per-story analysis
(``pipeline.annotate`` + ``pipeline.analyse_story``, as ``storyline analyze`` runs it after
clustering) and the ``provenance`` and ``independent_sources`` it returns are scored:
per-relation precision/recall/F1, ``derived_from`` accuracy (exact, and up to the witness: the
predicted root is the true root), and the share of groups whose independent-source count is
exact. Beside it, a plain baseline: TF-IDF cosine between reports, earlier report is the
source, >= 0.8 copy, >= 0.5 rewrite, otherwise independent (no translations).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ecb_text import detokenise  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storyline import pipeline
from storyline.corruption import corrupt
from storyline.ingest import read_inputs
from storyline.model import Article
from storyline.nlp import english
from storyline.temporal import infer_anchor

DATA = ROOT.parent / "shared" / "data" / "ecbplus"
EXAMPLES = ROOT / "examples"
DERIVED_EXAMPLES = {"mt-copy.txt", "repost-ardent-daily.txt"}  # already derived: not used as sources
RELATIONS = ("original", "independent", "copy", "rewrite", "translation")

# ---------------------------------------------------------------- our own page chrome and rewrites

NAV = [
    "Home | News | Local | Politics | Sports | Opinion | Weather",
    "Menu Search Subscribe",
    "Skip to content",
    "Top Stories World Business Tech Entertainment",
]
BANNERS = [
    "We use cookies to improve your experience on our site. By continuing to browse you agree to our use of cookies.",
    "This site uses cookies. Read our privacy policy to find out more. Accept all cookies",
    "Sign up for our free morning newsletter and get the day's news in your inbox.",
]
BYLINES = ["By Staff Writer", "By News Desk", "Wire report", "Posted by admin", "Photo: file image"]
SHARES = ["Share this article", "Share on Facebook Share on Twitter Email", "Share this:", "Print this page"]
FOOTERS = [
    "Please enter your comment!",
    "Leave a reply. Your email address will not be published.",
    "Advertisement",
    "All rights reserved. Back to top",
    "Follow us on social media",
]
RELATED = ["Related Articles", "You may also like", "More from News", "Most read"]

SYNONYMS = {
    "said": "stated", "says": "states", "told": "informed", "after": "following", "before": "prior to",
    "killed": "left dead", "died": "lost their lives", "people": "individuals", "police": "officers",
    "announced": "revealed", "arrested": "detained", "began": "started", "started": "began",
    "near": "close to", "about": "around", "big": "large", "large": "sizeable", "help": "assist",
    "show": "display", "won": "took", "wins": "takes", "win": "take", "new": "fresh", "quit": "left",
    "fired": "dismissed", "hit": "struck", "struck": "hit", "also": "additionally", "but": "however",
    "because": "since", "more than": "over", "including": "among them", "reported": "said",
    "Monday": "on Monday", "earthquake": "quake", "quake": "earthquake", "shot": "gunned down",
    "suspect": "alleged attacker", "company": "firm", "firm": "company", "deal": "agreement",
    "agreement": "deal", "buy": "acquire", "bought": "acquired", "leave": "depart", "left": "departed",
    "host": "present", "hosting": "presenting", "year": "twelve months", "week": "seven days",
    "officials": "authorities", "authorities": "officials", "residents": "locals", "city": "town",
    "hospital": "medical centre", "injured": "wounded", "wounded": "injured", "claimed": "asserted",
}
CLOSERS = [
    "More details are expected later.",
    "This story has been updated.",
    "The outlet will update this report as more information becomes available.",
    "Additional reporting by our staff.",
]
_SYN = re.compile(r"\b(" + "|".join(sorted(map(re.escape, SYNONYMS), key=len, reverse=True)) + r")\b")


def with_chrome(body: str, rng: random.Random, headlines: list[str]) -> str:
    """The same body inside a web page's furniture (some of it before, some after)."""
    top = rng.sample(NAV, rng.randint(1, 2)) + rng.sample(BANNERS, rng.randint(0, 1)) + [rng.choice(BYLINES)]
    bottom = rng.sample(SHARES, rng.randint(1, 2)) + rng.sample(FOOTERS, rng.randint(1, 3))
    if headlines and rng.random() < 0.8:
        bottom += [rng.choice(RELATED)] + rng.sample(headlines, min(len(headlines), rng.randint(1, 3)))
    rng.shuffle(top)
    paras = body.split("\n")
    if len(paras) > 2 and rng.random() < 0.4:  # an advertisement slot inside the body
        k = rng.randint(1, len(paras) - 1)
        paras = paras[:k] + ["Advertisement"] + paras[k:]
    return "\n".join(top + paras + bottom)


def rewrite(body: str, rng: random.Random) -> str:
    """A light rewrite: synonyms, sentences swapped or dropped, a closing line added."""
    def swap(m: re.Match[str]) -> str:
        return SYNONYMS[m.group(1)] if rng.random() < 0.8 else m.group(1)

    def clauses(s: str) -> str:  # "A, B." -> "B, A." now and then
        head, sep, tail = s.partition(", ")
        if not sep or rng.random() < 0.5 or len(tail.split()) < 3:
            return s
        tail = tail.rstrip(".")
        return f"{tail[:1].upper()}{tail[1:]}, {head[:1].lower()}{head[1:]}."

    sents = [s for s in re.split(r"(?<=[.!?])\s+|\n", body) if s.strip()]
    sents = [clauses(_SYN.sub(swap, s)) for s in sents]
    if len(sents) >= 3 and rng.random() < 0.5:
        del sents[rng.randrange(1, len(sents))]
    if len(sents) >= 2 and rng.random() < 0.6:
        i = rng.randrange(len(sents) - 1)
        sents[i], sents[i + 1] = sents[i + 1], sents[i]
    if rng.random() < 0.6:
        sents.append(rng.choice(CLOSERS))
    return "\n".join(sents)


# ---------------------------------------------------------------- the labelled set


@dataclass
class Doc:
    id: str
    text: str
    relation: str  # gold: original | independent | copy | rewrite | translation
    derived_from: str | None  # gold source (the root original for copies of copies)
    witness: str
    day: date | None
    source: str | None


@dataclass
class Group:
    id: str
    docs: list[Doc] = field(default_factory=list)

    def independent_sources(self) -> int:
        return len({d.witness for d in self.docs})


def ecb_documents(split: str) -> dict[str, dict[str, str]]:
    """subtopic -> doc id -> text (one sentence per line)."""
    sents: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for line in (DATA / f"ECB_{split}_corpus.txt").read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) >= 4:
            sents[cols[0]][int(cols[1])].append(cols[3])
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for doc, by_sent in sents.items():
        topic, rest = doc.split("_", 1)
        sub = f"{topic}{'plus' if rest.endswith('ecbplus') else ''}"
        out[sub][doc] = "\n".join(detokenise(t) for _, t in sorted(by_sent.items()))
    return out


def source_groups(split: str, rng: random.Random) -> list[tuple[str, list[tuple[str, str]]]]:
    """Groups of independent reports: (group id, [(doc id, text)])."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    if DATA.is_dir():
        for sub, docs in sorted(ecb_documents(split).items()):
            ids = sorted(docs)
            rng.shuffle(ids)
            n = 0
            while len(ids) >= 2:
                k = min(len(ids), rng.randint(2, 4))
                if len(ids) - k == 1:
                    k += 1
                take, ids = ids[:k], ids[k:]
                groups.append((f"{sub}#{n}", [(d, docs[d]) for d in take]))
                n += 1
    else:
        print(f"note: {DATA} not found; using the demo corpus only", file=sys.stderr)
    demo = [a for a in read_inputs([EXAMPLES]).articles if Path(a.origin or "").name.split(":")[0] not in DERIVED_EXAMPLES]
    by_story: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for a in demo:
        by_story["2022" if (a.published_at or "").startswith("2022") else "2025"].append((f"demo:{a.id}", a.text))
    groups += [(f"demo{k}", v) for k, v in sorted(by_story.items()) if len(v) >= 2]
    return groups


def build_set(split: str, seed: int, limit: int | None) -> list[Group]:
    rng = random.Random(seed)
    sources = source_groups(split, rng)
    if limit:
        sources = sources[:limit]
    headlines = [text.split("\n", 1)[0][:90] for _, docs in sources for _, text in docs]
    out: list[Group] = []
    for gid, docs in sources:
        g = Group(gid)
        base = date(2024, 1, 1) + timedelta(days=rng.randint(0, 700))

        def day(after: date, lo: int, hi: int) -> date | None:
            if rng.random() < 0.15:
                return None
            return after + timedelta(days=rng.randint(lo, hi))

        def outlet() -> str | None:
            return f"Outlet {rng.randint(1, 999)}" if rng.random() < 0.6 else None

        for n, (doc_id, text) in enumerate(docs):
            # A report is dated by its outlet, consistently with what its text says (a dateline).
            stated = infer_anchor(text)
            first = date.fromisoformat(stated[:10]) if stated else day(base, 0, 1)
            src = Doc(f"{gid}/{n}", text, "independent", None, f"{gid}/{n}", first, outlet())
            src_day = src.day or base
            g.docs.append(src)
            derived: list[Doc] = []
            if rng.random() < 0.5:
                copy = Doc(f"{src.id}/copy", with_chrome(text, rng, headlines), "copy", src.id, src.id,
                           day(src_day, 0, 2), outlet())
                derived.append(copy)
                if rng.random() < 0.4:  # a repost of the repost, with its own site's chrome
                    derived.append(Doc(f"{src.id}/copy2", with_chrome(copy.text, rng, headlines), "copy", src.id,
                                       src.id, day(copy.day or src_day, 0, 2), outlet()))
            if rng.random() < 0.35:
                derived.append(Doc(f"{src.id}/rewrite", rewrite(text, rng), "rewrite", src.id, src.id,
                                   day(src_day, 0, 2), outlet()))
            if rng.random() < 0.35:
                garbled = corrupt(text, random.Random(rng.getrandbits(64)), rng.uniform(0.5, 1.0))
                derived.append(Doc(f"{src.id}/mt", garbled, "translation", src.id, src.id, day(src_day, 0, 3),
                                   outlet()))
            if derived:
                src.relation = "original"
            g.docs += derived
        out.append(g)
    return out


# ---------------------------------------------------------------- systems


def storyline_provenance(groups: list[Group]) -> dict[str, tuple[dict[str, tuple[str, str | None]], int]]:
    """group id -> ({doc id: (relation, derived_from)}, independent sources), by Storyline."""
    arts = {
        d.id: Article(
            id=d.id, text=d.text, content_hash=hashlib.sha256(d.text.encode()).hexdigest(),
            source=d.source, published_at=d.day.isoformat() if d.day else None,
        )
        for g in groups for d in g.docs
    }
    nlp = english()
    ids = list(arts)
    notes = {
        i: pipeline.annotate(arts[i], doc, pipeline._anchor_of(arts[i]))
        for i, doc in zip(ids, nlp.pipe((arts[i].text for i in ids), batch_size=32))
    }
    out = {}
    for g in groups:
        story = pipeline.analyse_story([arts[d.id] for d in g.docs], notes).story
        out[g.id] = ({p.article_id: (p.relation, p.derived_from) for p in story.provenance}, story.independent_sources)
    return out


def baseline_provenance(groups: list[Group]) -> dict[str, tuple[dict[str, tuple[str, str | None]], int]]:
    """TF-IDF cosine: the most similar earlier report (>= 0.5) is the source; >= 0.8 means copy."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    vec = TfidfVectorizer(sublinear_tf=True).fit([d.text for g in groups for d in g.docs])
    out = {}
    for g in groups:
        docs = sorted(g.docs, key=lambda d: (d.day or date.max, d.id))
        sim = cosine_similarity(vec.transform([d.text for d in docs]))
        pred: dict[str, tuple[str, str | None]] = {}
        parent: dict[str, str | None] = {}
        for i, d in enumerate(docs):
            j = max(range(i), key=lambda k: sim[i, k], default=None)
            if j is not None and sim[i, j] >= 0.5:
                pred[d.id] = ("copy" if sim[i, j] >= 0.8 else "rewrite", docs[j].id)
                parent[d.id] = docs[j].id
            else:
                pred[d.id] = ("independent", None)
                parent[d.id] = None
        sources = {p for p in parent.values() if p}
        pred = {k: (("original", None) if v[0] == "independent" and k in sources else v) for k, v in pred.items()}
        out[g.id] = (pred, sum(1 for v in pred.values() if v[0] in ("original", "independent")))
    return out


# ---------------------------------------------------------------- scoring


def root(pred: dict[str, tuple[str, str | None]], a: str) -> str:
    seen = set()
    while pred[a][1] and a not in seen:
        seen.add(a)
        a = pred[a][1]  # type: ignore[assignment]
    return a


def score(groups: list[Group], predicted: dict[str, tuple[dict[str, tuple[str, str | None]], int]]) -> dict[str, object]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    derived = derived_ok = witness_ok = total = counts_ok = 0
    abs_err = 0.0
    for g in groups:
        pred, n_sources = predicted[g.id]
        for d in g.docs:
            rel, src = pred[d.id]
            total += 1
            if rel == d.relation:
                tp[rel] += 1
            else:
                fp[rel] += 1
                fn[d.relation] += 1
            if d.derived_from:
                derived += 1
                derived_ok += src == d.derived_from
            witness_ok += root(pred, d.id) == d.witness
        counts_ok += n_sources == g.independent_sources()
        abs_err += abs(n_sources - g.independent_sources())
    per = {}
    for r in RELATIONS:
        p = tp[r] / (tp[r] + fp[r]) if tp[r] + fp[r] else 0.0
        rc = tp[r] / (tp[r] + fn[r]) if tp[r] + fn[r] else 0.0
        per[r] = (p, rc, 2 * p * rc / (p + rc) if p + rc else 0.0, tp[r] + fn[r])
    return {
        "per": per,
        "accuracy": sum(tp.values()) / total,
        "derived_from": derived_ok / derived if derived else 0.0,
        "witness": witness_ok / total,
        "count_exact": counts_ok / len(groups),
        "count_mae": abs_err / len(groups),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="Dev", choices=["Dev", "Train"])
    ap.add_argument("--seed", type=int, default=20250611)
    ap.add_argument("--limit", type=int, default=None, help="use only the first N groups")
    args = ap.parse_args()
    groups = build_set(args.split, args.seed, args.limit)
    n_docs = sum(len(g.docs) for g in groups)
    gold = Counter(d.relation for g in groups for d in g.docs)
    print(f"labelled set: {len(groups)} groups, {n_docs} reports ({', '.join(f'{k} {v}' for k, v in sorted(gold.items()))})")
    t0 = time.perf_counter()
    ours = score(groups, storyline_provenance(groups))
    took = time.perf_counter() - t0
    base = score(groups, baseline_provenance(groups))
    print(f"storyline: {took:.1f}s (annotation + per-story analysis)\n")
    print(f"{'relation':<12} {'n':>5}   {'storyline P/R/F1':>20}   {'baseline P/R/F1':>20}")
    for r in RELATIONS:
        p, rc, f, n = ours["per"][r]  # type: ignore[index]
        bp, brc, bf, _ = base["per"][r]  # type: ignore[index]
        print(f"{r:<12} {n:>5}   {p:6.3f} {rc:6.3f} {f:6.3f}   {bp:6.3f} {brc:6.3f} {bf:6.3f}")
    print()
    for key, label in (
        ("accuracy", "relation accuracy"),
        ("derived_from", "derived_from exact"),
        ("witness", "witness (root) accuracy"),
        ("count_exact", "independent sources exact"),
        ("count_mae", "independent sources MAE"),
    ):
        print(f"{label:<28} {ours[key]:6.3f}   baseline {base[key]:6.3f}")


if __name__ == "__main__":
    main()
