"""Scale benchmark: ingest + featurise + cluster N synthetic reports, for several N.

    .venv/bin/python bench/scale.py [--sizes 1000,10000,100000] [--seed 1] [--keep DIR]

Reports are generated from the ECB+ development documents (``../shared/data/ecbplus``,
Train and Dev): each ECB+ subtopic is a *template* event, and new events are
made from it by swapping its names, places, numbers and years for invented
ones (some names kept, so that events of one kind share actors), each event on
its own date within a six-month span. An event has independent reports (a few
of the template's documents, reworded by the swap), verbatim copies with page
chrome added, and light rewrites (sentences reordered, words substituted, a
paragraph dropped). The generator's event is the gold story of a report.

Each size runs in a fresh subprocess, which times:

* ingest: ``storyline.ingest.read_inputs`` on the JSONL file (cleaning, dedup, language);
* features: ``storyline.stories.fast_features`` per article;
* cluster: ``StreamClusterer.add`` per article in date order (blocking included, and
  the passes -- re-home, merge -- that run on each story as it goes quiet and leaves memory);
* passes: ``StreamClusterer.finish``, the same passes on the stories still live at the end.

Printed per stage: seconds, articles/s, the child's peak RSS after the stage,
and the growth exponent of time in N (least-squares slope of log time on log N);
then B-cubed P/R/F1 and ARI against the generator's events. A brute-force
baseline (the same clusterer comparing each report with every live story, no
blocking) runs at the smallest size only, in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ecb_text import detokenise  # noqa: E402
from metrics import slope  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "ecbplus"
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

# ------------------------------------------------------------------ templates

Token = tuple[str, str]  # (token, coref label)

_KEEP_CAPS = frozenset(
    ["I", "A", "An", "The", "This", "That", "These", "Those", "He", "She", "It", "We", "They", "You", "His", "Her", "Its", "Our", "Their", "My", "But", "And", "Or", "So", "If", "In", "On", "At", "By", "For", "From", "To", "Of", "With", "As", "After", "Before", "When", "While", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December", "Mr", "Mrs", "Ms", "Dr", "St"]
)


@dataclass
class Template:
    name: str  # ECB+ subtopic
    docs: list[list[list[Token]]]  # documents -> sentences -> tokens
    common: frozenset[str]  # words the corpus also uses in lower case: not names
    vocab: tuple[str, ...]  # content words to reword events with


def load_templates() -> list[Template]:
    docs: dict[str, dict[int, list[Token]]] = defaultdict(lambda: defaultdict(list))
    for split in ("Train", "Dev"):
        for line in (DATA / f"ECB_{split}_corpus.txt").read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) < 4:
                continue
            label = next((c for c in cols[4:] if c), "-")
            docs[cols[0]][int(cols[1])].append((cols[3], label))
    by_subtopic: dict[str, list[list[list[Token]]]] = defaultdict(list)
    for doc_id in sorted(docs):
        topic, rest = doc_id.split("_", 1)
        sub = f"{topic}{'plus' if rest.endswith('ecbplus') else ''}"
        by_subtopic[sub].append([docs[doc_id][s] for s in sorted(docs[doc_id])])
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    common = frozenset(t for d in docs.values() for s in d.values() for t, _ in s if t.islower())
    vocab = tuple(sorted(w for w in common if w.isalpha() and len(w) > 3 and w not in ENGLISH_STOP_WORDS))
    return [Template(name, d, common, vocab) for name, d in sorted(by_subtopic.items()) if len(d) >= 3]


# ------------------------------------------------------------------ generator

_ONSETS = ["b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "j", "k", "kl", "l", "m", "n", "p", "pr", "r", "s", "sh", "st", "t", "tr", "v", "w", "z"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "y"]
_CODAS = ["", "", "n", "r", "l", "s", "th", "m", "nd", "rk"]
_OUTLETS = [
    f"{a} {b}"
    for a in ("Daily", "Evening", "Morning", "Weekly", "Northern", "Coastal", "Metro", "National")
    for b in ("Ledger", "Courier", "Gazette", "Herald", "Post", "Sentinel", "Wire")
]
_CHROME_TOP = ["Advertisement", "Skip to main content", "Menu Search Sign in", "Breaking News"]
_CHROME_BOTTOM = [
    "Subscribe to our newsletter for the day's top stories.",
    "Share this article: Facebook Twitter Email",
    "Copyright 2023 {outlet}. All rights reserved.",
    "Read more: {other}",
    "Click here to follow us for more updates.",
]
_SYNONYMS = {
    "said": "stated", "says": "states", "told": "informed", "police": "officers", "people": "residents",
    "announced": "revealed", "killed": "left dead", "died": "lost their lives", "after": "following",
    "arrested": "detained", "large": "big", "big": "major", "new": "fresh", "reported": "said",
    "officials": "authorities", "injured": "hurt", "began": "started", "won": "claimed", "city": "town",
}


def _fake_word(rng: random.Random, like: str) -> str:
    if like.isupper() and len(like) <= 5:
        return "".join(rng.choice("ABCDEFGHKLMNPRSTVWZ") for _ in like if like.isalpha()) or like
    n = 2 if len(like) <= 6 else 3
    word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(n - 1))
    return (word + rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)).capitalize()


_NUM = re.compile(r"^\d[\d,.]*$")


class Event:
    """One invented event: a template with its own names, figures, year, date and some of its own words.

    ``keep_share`` of the template's names stay (events of one kind share actors);
    ``reword_share`` of its content words are swapped for other corpus words, so
    that two events made from one template are alike but not copies of each other.
    """

    def __init__(
        self, template: Template, rng: random.Random, day: date, keep_share: float = 0.3, reword_share: float = 0.4
    ) -> None:
        self.template = template
        self.rng = rng
        self.day = day
        self.keep_share = keep_share
        self.reword_share = reword_share
        self.swap: dict[str, str] = {}
        self.years = {
            int(t): day.year - (2009 - int(t)) if int(t) <= 2009 else day.year
            for d in template.docs
            for s in d
            for t, _ in s
            if re.fullmatch(r"(19|20)\d\d", t)
        }

    def _swap(self, token: str) -> str:
        if token in self.swap:
            return self.swap[token]
        out = token
        if re.fullmatch(r"(19|20)\d\d", token):
            out = str(self.years.get(int(token), self.day.year))
        elif _NUM.match(token):
            digits = sum(c.isdigit() for c in token)
            out = str(self.rng.randrange(10 ** (digits - 1) if digits > 1 else 1, 10**digits))
        elif (
            token[:1].isupper()
            and token not in _KEEP_CAPS
            and token.lower() not in self.template.common
            and self.rng.random() >= self.keep_share
        ):
            out = _fake_word(self.rng, token)
        elif token.islower() and len(token) > 3 and token.isalpha() and self.rng.random() < self.reword_share:
            out = self.rng.choice(self.template.vocab)
        self.swap[token] = out
        return out

    def paragraph(self, doc: list[list[Token]]) -> list[str]:
        """A template document, swapped, as a list of detokenised sentences."""
        return [detokenise([self._swap(t) for t, _ in sentence]) for sentence in doc]


def _rewrite(paragraphs: list[list[str]], rng: random.Random) -> list[list[str]]:
    paras = [list(p) for p in paragraphs]
    if len(paras) > 2:
        paras.pop(rng.randrange(1, len(paras)))  # drop a paragraph
    for p in paras:
        if len(p) > 1 and rng.random() < 0.7:
            rng.shuffle(p)
    out = []
    for p in paras:
        sentences = []
        for s in p:
            words = s.split(" ")
            for i, w in enumerate(words):
                if w in _SYNONYMS and rng.random() < 0.8:
                    words[i] = _SYNONYMS[w]
            sentences.append(" ".join(words))
        out.append(sentences)
    return out


SHARD = 10_000  # reports per JSONL file (ingest refuses files over 25 MB)


def generate(n: int, seed: int, path: Path, span_days: int = 180) -> dict[str, int]:
    """Write ``n`` reports as JSONL files in the folder ``path``; returns article id -> gold event."""
    rng = random.Random(seed)
    templates = load_templates()
    start = date(2023, 1, 1)
    gold: dict[str, int] = {}
    rows: list[tuple[str, dict[str, str]]] = []
    event_no = 0
    while len(rows) < n:
        template = templates[event_no % len(templates)] if event_no < len(templates) else rng.choice(templates)
        event = Event(template, random.Random(rng.random()), start + timedelta(days=rng.randrange(span_days)))
        size = min(n - len(rows), max(1, int(rng.paretovariate(1.6) * 8)), 400)
        reports: list[tuple[str, list[list[str]]]] = []  # (title, paragraphs)
        for k in range(size):
            ident = f"r{len(rows):07d}"
            kind = "independent" if not reports else rng.choices(("independent", "copy", "rewrite"), (5, 3, 2))[0]
            outlet = rng.choice(_OUTLETS)
            chrome_top: list[str] = []
            chrome_bottom: list[str] = []
            if kind == "independent":
                docs = rng.sample(template.docs, min(len(template.docs), rng.randint(2, 5)))
                paragraphs = [event.paragraph(d) for d in docs]
                title = " ".join(paragraphs[0][0].split()[:12]).rstrip(",.;:")
            else:
                title, paragraphs = rng.choice(reports)
                if kind == "copy":
                    chrome_top = rng.sample(_CHROME_TOP, 2)
                    other = reports[0][0]
                    chrome_bottom = [c.format(outlet=outlet, other=other) for c in rng.sample(_CHROME_BOTTOM, 3)]
                    title = f"{title} | {outlet}"
                else:
                    paragraphs = _rewrite(paragraphs, rng)
                    title = title.replace(" said", " says")
            reports.append((title.split(" | ")[0], paragraphs))
            body = "\n\n".join([*chrome_top, *(" ".join(p) for p in paragraphs), *chrome_bottom])
            published = event.day + timedelta(days=min(int(rng.expovariate(0.25)), 30))
            slug = re.sub(r"[^a-z0-9]+", "-", title.lower())[:50].strip("-")
            rows.append(
                (
                    ident,
                    {
                        "id": ident,
                        "title": title,
                        "text": body,
                        "source": outlet,
                        "url": f"https://{outlet.lower().replace(' ', '')}.example/{slug}-{k}",
                        "published_at": published.isoformat(),
                    },
                )
            )
            gold[ident] = event_no
        event_no += 1
    rng.shuffle(rows)  # arrival order is not event order
    path.mkdir(parents=True, exist_ok=True)
    for part, first in enumerate(range(0, len(rows), SHARD)):
        with (path / f"part{part:04d}.jsonl").open("w", encoding="utf-8") as fh:
            for _, row in rows[first : first + SHARD]:
                fh.write(json.dumps(row) + "\n")
    return gold


# ------------------------------------------------------------------ the timed child


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def blocking_recall(feats: list, gold: dict[str, int]) -> tuple[float, float]:
    """Share of reports whose event's main story so far is among the candidates (and is the first one).

    Streams the reports again through a fresh clusterer, untimed.
    """
    from collections import Counter

    from storyline import stories

    clusterer = stories.StreamClusterer(stories.ClusterOptions())
    placed: dict[int, Counter[str]] = defaultdict(Counter)
    found = first = asked = 0
    for f in feats:
        event = gold.get(f.article_id)
        if event is not None and placed[event]:
            main = placed[event].most_common(1)[0][0]
            cands = clusterer.index.candidates(f)
            asked += 1
            found += main in cands
            first += bool(cands) and cands[0] == main
        key = clusterer.add(f)
        if event is not None:
            placed[event][key] += 1
    return (found / asked, first / asked) if asked else (1.0, 1.0)


def run_child(path: str, brute: bool, profile: bool, gold_path: str | None = None) -> dict[str, object]:
    from storyline import stories
    from storyline.ingest import IngestOptions, read_inputs

    if brute:
        # Baseline: every live story is a candidate (all-pairs against story members).
        class AllStories(stories.CandidateIndex):
            def candidates(self, features: stories.StoryFeatures) -> list[str]:
                return list(self._stories)

        stories.CandidateIndex = AllStories  # type: ignore[misc]

    out: dict[str, object] = {"stages": {}}
    stages: dict[str, dict[str, float]] = out["stages"]  # type: ignore[assignment]

    def stage(name: str, t0: float) -> None:
        stages[name] = {"secs": time.perf_counter() - t0, "peak_mb": _peak_mb()}
        print(f"    {name}: {stages[name]['secs']:.1f}s", file=sys.stderr, flush=True)

    prof = None
    if profile:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    t0 = time.perf_counter()
    result = read_inputs([path], IngestOptions())
    stage("ingest", t0)
    if not result.articles:
        raise SystemExit(f"ingest read no articles from {path}: {result.problems[:3]}")
    if prof is not None:
        prof.disable()
        import io
        import pstats

        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(25)
        out["profile"] = buf.getvalue()

    t0 = time.perf_counter()
    feats = []
    for a in result.articles:
        day = date.fromisoformat(a.published_at[:10]) if a.published_at else None
        feats.append(stories.fast_features(a.id, a.text, title=a.title or "", day=day))
    stage("features", t0)
    out["articles"] = len(result.articles)
    out["problems"] = len(result.problems)
    del result  # the texts are not needed any more: peak memory below is the clusterer's

    t0 = time.perf_counter()
    opts = stories.ClusterOptions()
    clusterer = stories.StreamClusterer(opts)
    order = sorted(range(len(feats)), key=lambda i: (feats[i].day or date.max, i))
    for i in order:
        clusterer.add(feats[i])
    stage("cluster", t0)
    out["stream_groups"] = clusterer.groups()

    t0 = time.perf_counter()
    clusterer.finish()  # as stories.cluster() does after the stream
    stage("passes", t0)
    out["groups"] = clusterer.groups()
    if gold_path:
        gold = {k: int(v) for k, v in json.loads(Path(gold_path).read_text()).items()}
        out["recall"] = blocking_recall([feats[i] for i in order], gold)
    out["comparisons"] = clusterer.comparisons
    out["clusterer"] = clusterer.stats()
    index_stats = getattr(clusterer.index, "stats", None)
    out["index"] = index_stats() if callable(index_stats) and not brute else {}
    return out


# ------------------------------------------------------------------ the parent


def spawn(path: Path, brute: bool = False, profile: bool = False, gold: Path | None = None) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--child", str(path)]
    if gold is not None:
        cmd += ["--gold", str(gold)]
    if brute:
        cmd.append("--brute")
    if profile:
        cmd.append("--profile")
    done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False)  # progress on stderr
    if done.returncode != 0:
        raise SystemExit(f"child failed for {path} (exit status {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


STAGES = ("ingest", "features", "cluster", "passes")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", help="write the generated JSONL files here instead of a temp dir")
    ap.add_argument("--profile-ingest", action="store_true", help="print a cProfile of ingest at the largest size")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--brute", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--gold", help=argparse.SUPPRESS)
    ap.add_argument(
        "--recall-up-to", type=int, default=10_000, help="measure blocking recall (untimed re-run) up to this N"
    )
    ap.add_argument("--profile", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_child(args.child, args.brute, args.profile, args.gold)))
        return
    if not DATA.is_dir():
        raise SystemExit(f"ECB+ data not found at {DATA}")
    from metrics import adjusted_rand, as_labels, bcubed

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(args.keep) if args.keep else Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        rows = []
        for n in sizes:
            path = where / f"scale_{n}"
            t0 = time.perf_counter()
            gold = generate(n, args.seed, path)
            gen_secs = time.perf_counter() - t0
            events = len(set(gold.values()))
            gold_path = None
            if n <= args.recall_up_to:
                gold_path = where / f"gold_{n}.json"
                gold_path.write_text(json.dumps(gold))
            res = spawn(path, profile=args.profile_ingest and n == max(sizes), gold=gold_path)
            rows.append((n, events, gen_secs, res, gold))
            print(f"  N={n:,}: {events:,} events, {sum(f.stat().st_size for f in path.iterdir()) / 1e6:.1f} MB generated in {gen_secs:.1f}s",
                  file=sys.stderr, flush=True)
        baseline = None
        if not args.no_baseline:
            n0, _, _, _, gold0 = rows[0]
            baseline = (n0, spawn(where / f"scale_{n0}", brute=True), gold0)

    print("Scale benchmark (synthetic reports from ECB+ Train+Dev templates; one fresh process per size)")
    print(f"{'N':>8} {'events':>7} {'stage':>9} {'secs':>8} {'art/s':>9} {'peak MB':>8}")
    for n, events, _, res, _ in rows:
        st = res["stages"]
        total = sum(st[s]["secs"] for s in STAGES)
        for s in STAGES:
            secs = st[s]["secs"]
            print(f"{n:>8,} {events:>7,} {s:>9} {secs:>8.2f} {n / secs if secs else 0:>9,.0f} {st[s]['peak_mb']:>8.0f}")
        print(f"{n:>8,} {events:>7,} {'TOTAL':>9} {total:>8.2f} {n / total:>9,.0f} {st['passes']['peak_mb']:>8.0f}")
    ns = [float(r[0]) for r in rows]
    print("growth exponent of time in N (slope of log time on log N):")
    for s in (*STAGES, "stream total"):
        if s == "stream total":
            ts = [sum(r[3]["stages"][x]["secs"] for x in ("ingest", "features", "cluster")) for r in rows]
        else:
            ts = [r[3]["stages"][s]["secs"] for r in rows]
        k = slope(ns, ts)
        print(f"  {s:>12}: {'n/a' if k is None else f'{k:.2f}'}")
    k = slope(ns, [sum(r[3]["stages"][x]["secs"] for x in STAGES) for r in rows])
    print(f"  {'total':>12}: {'n/a' if k is None else f'{k:.2f}'}")

    print("quality against the generator's events:")
    print(f"{'N':>8} {'system':>22} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'ARI':>6} {'stories':>8} {'cmp/art':>8}")

    def quality(n: int, name: str, groups: list[list[str]], gold: dict[str, int], cmp: object) -> None:
        pred = as_labels(groups)
        p, r, f = bcubed(pred, gold)
        ari = adjusted_rand(pred, gold)
        per = f"{int(cmp) / n:.1f}" if isinstance(cmp, int) else ""  # type: ignore[arg-type]
        print(f"{n:>8,} {name:>22} {p:>6.3f} {r:>6.3f} {f:>6.3f} {ari:>6.3f} {len(groups):>8,} {per:>8}")

    for n, _, _, res, gold in rows:
        quality(n, "stream only", res["stream_groups"], gold, None)  # type: ignore[arg-type]
        quality(n, "stream + passes", res["groups"], gold, res["comparisons"])  # type: ignore[arg-type]
    if baseline is not None:
        n0, bres, gold0 = baseline
        quality(n0, "brute force + passes", bres["groups"], gold0, bres["comparisons"])  # type: ignore[arg-type]
        bt = sum(bres["stages"][s]["secs"] for s in ("cluster", "passes"))  # type: ignore[index]
        ot = sum(rows[0][3]["stages"][s]["secs"] for s in ("cluster", "passes"))  # type: ignore[index]
        print(f"baseline at N={n0:,}: brute-force clustering {bt:.2f}s vs blocked {ot:.2f}s "
              f"(blocked is {bt / ot:.1f}x faster)")
    for n, _, _, res, _ in rows:
        print(f"N={n:,}: {res['articles']:,} articles read, {res['problems']:,} input problems", end="")
        if res.get("recall"):
            found, first = res["recall"]  # type: ignore[misc]
            print(f"; blocking recall of the event's story {found:.4f} (ranked first {first:.4f})", end="")
        print()
    for n, _, _, res, _ in rows:
        if res.get("index"):
            print(f"index at N={n:,}: {res['index']}")
        if res.get("clusterer"):
            print(f"clusterer working set at N={n:,}: {res['clusterer']}")
        if res.get("profile"):
            print(f"ingest profile at N={n:,} (cumulative):\n{res['profile']}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
