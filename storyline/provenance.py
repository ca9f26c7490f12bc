"""Which reports of a story derive from which.

Three signals decide it.

* Word 5-gram shingle *containment* between the report bodies. Page chrome
  (navigation, cookie banners, "share this", comment forms, bylines, photo
  credits) is set aside first, and a link is judged on the better of the two
  directions, so a repost wrapped in chrome and related links is still a copy
  of the bare original. High containment both ways is a verbatim copy; lower
  but substantial containment is a light rewrite (or an excerpt).
* For a translation, containment is low but the two reports say the same
  things (high overlap of content lemmas and figures) and one reads as garbled
  while the other does not.
* Direction: of two linked reports, the earlier is the source when both
  dates are known and differ; otherwise the cleaner one (less page chrome,
  less garble, a known outlet, a longer body). A translation derives from the
  one that does not read garbled. Copies of copies point to the earliest,
  cleanest report they copy, and no link may close a cycle, so the
  ``derived_from`` graph is a forest.

A report that reads as machine-translated but matches nothing in the story is
a translation of a report we never saw: ``derived_from`` is null.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from .model import Provenance

_WORD = re.compile(r"\w+", re.UNICODE)
_CHROME = re.compile(
    r"\b(?:cookies?|privacy (?:policy|settings)|terms of (?:use|service)|subscribe|subscription|newsletter"
    r"|sign (?:up|in)|log ?in|share (?:this|on|via)|related (?:articles?|stories|links|posts|coverage|news)"
    r"|read (?:more|next|also)|more from|most (?:read|popular)|advertisement|sponsored|all rights reserved"
    r"|follow us|click here|leave a (?:comment|reply)|enter your (?:comment|name|e-?mail)|comments? \(\d+\)"
    r"|skip to|back to top|you may also like|recommended for you|photo(?:graph)?:|credit:|image:)",
    re.IGNORECASE,
)
_LINKS_HEADER = re.compile(
    r"^\W*(?:related(?: articles?| stories| links| posts| coverage| news)?|more (?:from|on|stories)\b.*"
    r"|most (?:read|popular|viewed)|you may also like|recommended(?: for you)?|read (?:more|next|also)"
    r"|trending(?: now)?|further reading|see also)\W*$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?\"'”’)]\s*$")

ORIGINAL_RELATIONS = frozenset({"original", "independent"})
_CLASS_ORDER = {"copy": 0, "rewrite": 1, "translation": 2}


@dataclass(frozen=True, kw_only=True)
class ProvenanceOptions:
    shingle: int = 5
    copy_containment: float = 0.9  # the better direction, for a copy
    copy_min_containment: float = 0.3  # the other direction (chrome and related links dilute it)
    rewrite_containment: float = 0.25
    rewrite_min_shared: int = 3  # shingles two reports must share to be linked at all
    translation_overlap: float = 0.45
    translation_garble: float = 0.45
    translation_gap: float = 0.15  # a translation's source reads at least this much cleaner
    translation_edit_share: float = 0.5  # of the edits between two versions, translation-like ones
    unseen_translation_garble: float = 0.6
    # Stories larger than this compare each report only with its ``nearest`` most similar
    # reports (shared shingles, counted with a sparse product) instead of with every other one.
    all_pairs_max: int = 64
    nearest: int = 12


@dataclass(frozen=True, kw_only=True)
class ProvenanceInput:
    article_id: str
    text: str
    terms: Mapping[str, int]
    garble: float
    day: str | None  # ISO date, or None when unknown
    figures: frozenset[str] = frozenset()  # normalised figures stated ("650000")
    has_source: bool = False  # the outlet is known (metadata), as an original's usually is


# ---------------------------------------------------------------- text measures


def shingles(text: str, size: int = 5) -> set[int]:
    words = [w.casefold() for w in _WORD.findall(text)]
    if len(words) < size:
        return {hash(tuple(words))} if words else set()
    return {hash(tuple(words[i : i + size])) for i in range(len(words) - size + 1)}


def containment(a: set[int], b: set[int]) -> float:
    """Share of ``a``'s shingles that also occur in ``b``."""
    if not a:
        return 0.0
    return len(a & b) / len(a)


def term_overlap(a: Mapping[str, int], b: Mapping[str, int]) -> float:
    """Weighted overlap of content lemmas (min/max Jaccard)."""
    keys = set(a) | set(b)
    if not keys:
        return 0.0
    low = sum(min(a.get(k, 0), b.get(k, 0)) for k in keys)
    high = sum(max(a.get(k, 0), b.get(k, 0)) for k in keys)
    return low / high if high else 0.0


def is_chrome_line(line: str) -> bool:
    """A line of page furniture rather than report: short and unpunctuated, or a known chrome phrase."""
    words = _WORD.findall(line)
    if not words:
        return True
    if len(words) < 30 and _CHROME.search(line):
        return True
    if len(words) >= 8:
        return False
    return not (len(words) >= 4 and _SENTENCE_END.search(line))


def body_text(text: str) -> tuple[str, float]:
    """The report's body without page chrome, and the share of words that were chrome.

    After a "Related articles" / "Most read" style header, the list of headlines that follows is
    chrome too, up to the next paragraph-length line.
    """
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    body = []
    in_links = False
    for ln in lines:
        n = len(_WORD.findall(ln))
        if _LINKS_HEADER.match(ln):
            in_links = True
            continue
        if in_links and n < 25:
            continue
        in_links = False
        if not is_chrome_line(ln):
            body.append(ln)
    total = sum(len(_WORD.findall(ln)) for ln in lines)
    kept = sum(len(_WORD.findall(ln)) for ln in body)
    if not body:
        return text, 0.0
    return "\n".join(body), 1.0 - kept / total if total else 0.0


# ---------------------------------------------------------------- tracing


@dataclass(frozen=True)
class _Prepared:
    item: ProvenanceInput
    body: str
    shingles: set[int]
    chrome: float
    body_words: int

    def cleanliness(self) -> tuple[float, float, bool, int, str]:
        """Sort key of a likely source among reports of one day: less chrome, less garble, a known
        outlet, longer body."""
        it = self.item
        chrome = round(self.chrome, 2) if self.chrome >= 0.05 else 0.0  # a repost wrapped in page furniture
        return (chrome, round(it.garble, 2), not it.has_source, -self.body_words, it.article_id)

    def precedes(self, other: _Prepared) -> bool:
        """Is this report the likelier source of ``other``? Dates decide when both are known and
        differ; otherwise the cleaner report is the source (an undated repost is no later than
        anything by its date alone)."""
        if self.item.day and other.item.day and self.item.day != other.item.day:
            return self.item.day < other.item.day
        return self.cleanliness() < other.cleanliness()


def _prepare(it: ProvenanceInput, size: int) -> _Prepared:
    body, chrome = body_text(it.text)
    return _Prepared(it, body, shingles(body, size), chrome, len(_WORD.findall(body)))



def _textual_link(a: _Prepared, b: _Prepared, opts: ProvenanceOptions) -> tuple[str, float] | None:
    """("copy" | "rewrite", strength) when two bodies share text, judged on the better direction."""
    if not a.shingles or not b.shingles:
        return None
    shared = len(a.shingles & b.shingles)
    if shared < min(opts.rewrite_min_shared, len(a.shingles), len(b.shingles)):
        return None
    hi = max(shared / len(a.shingles), shared / len(b.shingles))
    lo = min(shared / len(a.shingles), shared / len(b.shingles))
    if hi >= opts.copy_containment and lo >= opts.copy_min_containment:
        return "copy", hi
    if hi >= opts.rewrite_containment:
        return "rewrite", hi
    return None


def _translation_score(it: ProvenanceInput, src: ProvenanceInput) -> float:
    overlap = term_overlap(it.terms, src.terms)
    shared_figures = len(it.figures & src.figures) / max(1, len(it.figures)) if it.figures else overlap
    return 0.7 * overlap + 0.3 * shared_figures


_PARTICLES = frozenset(
    ["a", "an", "the", "of", "to", "in", "on", "at", "for", "by", "with", "from", "and", "or", "that", "which", "who", "is", "was", "are", "were", "be", "been", "has", "have", "had", "he", "she", "him", "her", "his", "hers", "they", "them", "their", "it", "its", "we", "us", "our"]
)


@functools.lru_cache(maxsize=4096)
def _word_sequence(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words of a text and their casefolded forms (each report is compared with several)."""
    words = tuple(_WORD.findall(text))
    return words, tuple(w.casefold() for w in words)


def garble_edits(child: str, source: str) -> tuple[int, int]:
    """(translation-like edits, all edits) between two versions of one text.

    Aligns the word sequences (longest common subsequence, computed by rapidfuzz) and sorts each
    differing stretch: respelled names (a capitalised word replaced by a similar-looking one),
    swapped or dropped pronouns and articles, and the same content words in another order ("the
    treatment plant" -> "the plant of treatment") are what translation and its imitations do;
    different content words (synonyms, added or dropped sentences) are what a rewrite does.
    """
    a, al = _word_sequence(source)
    b, bl = _word_sequence(child)
    # Differing stretches, merged when only one or two equal words separate them (a reordering
    # such as "the harbour board" -> "the board of harbour" shows up as a delete and an insert).
    regions: list[list[int]] = []
    for op in Indel.opcodes(al, bl):
        if op.tag == "equal":
            continue
        i1, i2, j1, j2 = op.src_start, op.src_end, op.dest_start, op.dest_end
        if regions and i1 - regions[-1][1] <= 2 and j1 - regions[-1][3] <= 2:
            regions[-1][1], regions[-1][3] = i2, j2
        else:
            regions.append([i1, i2, j1, j2])
    garbled = edits = 0
    for i1, i2, j1, j2 in regions:
        edits += 1
        xs = [w for w in al[i1:i2] if w not in _PARTICLES]
        ys = [w for w in bl[j1:j2] if w not in _PARTICLES]
        if len(xs) != len(ys):
            continue  # the words each side has and the other lacks differ in number as the sides do
        cx, cy = Counter(xs), Counter(ys)
        left_x = list((cx - cy).elements())
        left_y = list((cy - cx).elements())
        # Only particles differ, or the same words in another order, or names respelled.
        capitalised = {w.casefold() for w in a[i1:i2] + b[j1:j2] if w[:1].isupper()}
        if all(_respelled(u, v, capitalised) for u, v in _pairs(left_x, left_y)):
            garbled += 1
    return garbled, edits


def _respelled(u: str, v: str, capitalised: set[str]) -> bool:
    return u in capitalised and v in capitalised and Indel.normalized_similarity(u, v) >= 0.6


def _pairs(xs: list[str], ys: list[str]) -> list[tuple[str, str]]:
    """Each word of ``xs`` with the most similar unused word of ``ys``."""
    free = list(ys)
    out = []
    for x in xs:
        best = max(free, key=lambda y: Indel.normalized_similarity(x, y))
        free.remove(best)
        out.append((x, best))
    return out


def _creates_cycle(parent: Mapping[str, str | None], child: str, candidate: str) -> bool:
    node: str | None = candidate
    seen: set[str] = set()
    while node is not None and node not in seen:
        if node == child:
            return True
        seen.add(node)
        node = parent.get(node)
    return False


def _candidate_pairs(order: Sequence[str], prep: Mapping[str, _Prepared], opts: ProvenanceOptions) -> list[tuple[str, str]]:
    """The pairs of reports worth comparing, each once, earlier in ``order`` first.

    Small stories: every pair. Large ones: each report with the ``opts.nearest`` reports sharing
    the most of its shingles (ties to the earlier report, so copies of copies still reach the
    original), plus every pair with a garbled report (a translation shares few shingles with its
    source; those pairs are judged on their terms, which is cheap). Work grows as n * nearest
    rather than n squared, apart from one sparse product counting shared shingles.
    """
    n = len(order)
    if n <= opts.all_pairs_max:
        return [(order[i], order[j]) for i in range(n) for j in range(i + 1, n)]
    import numpy as np
    from scipy import sparse

    column: dict[int, int] = {}
    rows, cols = [], []
    for i, a in enumerate(order):
        for sh in prep[a].shingles:
            rows.append(i)
            cols.append(column.setdefault(sh, len(column)))
    x = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int32), (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
        shape=(n, max(1, len(column))),
    )
    size = np.maximum(np.asarray(x.sum(axis=1)).ravel(), 1)
    pairs: set[tuple[int, int]] = set()
    block = 512
    for lo in range(0, n, block):
        shared = (x[lo : lo + block] @ x.T).toarray().astype(np.float64)
        # Containment in the better direction, as the textual link judges it; a small bonus for
        # earlier reports breaks ties towards the original.
        score = shared / np.minimum(size[lo : lo + block, None], size[None, :])
        score -= np.arange(n)[None, :] * 1e-9
        for r in range(shared.shape[0]):
            i = lo + r
            # A report's source comes before it in the order (by date, then cleanliness): the
            # nearest earlier reports, and a few later ones in case the order was a near tie.
            for part, keep in ((slice(0, i), opts.nearest), (slice(i + 1, n), max(1, opts.nearest // 3))):
                row = score[r, part]
                if not len(row):
                    continue
                offset = part.start
                best = np.argpartition(-row, keep - 1)[:keep] if keep < len(row) else np.arange(len(row))
                for j in best:
                    j = int(j) + offset
                    if shared[r, j] > 0:
                        pairs.add((min(i, j), max(i, j)))
    # A garbled report and its likeliest sources by shared content terms (cosine over term
    # counts, a sparse product again); the exact overlap is judged on those pairs only.
    garbled = [i for i, a in enumerate(order) if prep[a].item.garble >= opts.translation_garble]
    if garbled:
        vocab: dict[str, int] = {}
        t_rows, t_cols, t_vals = [], [], []
        for i, a in enumerate(order):
            for term, count in prep[a].item.terms.items():
                t_rows.append(i)
                t_cols.append(vocab.setdefault(term, len(vocab)))
                t_vals.append(float(count))
        t = sparse.csr_matrix((t_vals, (t_rows, t_cols)), shape=(n, max(1, len(vocab))))
        norms = np.sqrt(np.asarray(t.multiply(t).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        t = sparse.diags(1.0 / norms) @ t
        keep = min(opts.nearest, n - 1)
        for lo in range(0, len(garbled), block):
            rows_g = garbled[lo : lo + block]
            sims = (t[rows_g] @ t.T).toarray()
            for r, g in enumerate(rows_g):
                sims[r, g] = -1.0
                for j in np.argpartition(-sims[r], keep - 1)[:keep]:
                    j = int(j)
                    if sims[r, j] > 0:
                        pairs.add((min(g, j), max(g, j)))
    return [(order[i], order[j]) for i, j in sorted(pairs)]


def trace(items: Sequence[ProvenanceInput], options: ProvenanceOptions | None = None) -> list[Provenance]:
    """One provenance record per article of a story (in the order given)."""
    opts = options or ProvenanceOptions()
    prep = {it.article_id: _prepare(it, opts.shingle) for it in items}
    order = sorted(prep, key=lambda a: (prep[a].item.day or "9999", prep[a].cleanliness()))
    position = {a: n for n, a in enumerate(order)}

    # Candidate sources of each report, as sortable tuples:
    # (class order, tie-break, position of the source, source id, relation, strength).
    candidates: dict[str, list[tuple[int, float, int, str, str, float]]] = {a: [] for a in order}
    for a, b in _candidate_pairs(order, prep, opts):
        pa, pb = (prep[a], prep[b]) if prep[a].precedes(prep[b]) else (prep[b], prep[a])
        link = _textual_link(pa, pb, opts)
        if link is not None:
            relation, strength = link
            src, child = pa, pb  # the likelier source first
            if relation == "rewrite" or strength < 1.0:
                garbled, edits = garble_edits(pb.body, pa.body)
                if garbled >= 1 and garbled >= opts.translation_edit_share * edits:
                    gap = pb.item.garble - pa.item.garble
                    if garbled >= 2 or abs(gap) >= opts.translation_gap or garbled == edits:
                        relation = "translation"
                        if gap <= -opts.translation_gap:  # the likelier source reads garbled: it is the copy
                            src, child = pb, pa
            # Copies prefer the earliest source they copy (a copy of a copy points to the
            # original); rewrites and translations the closest text.
            tie = float(position[src.item.article_id]) if relation == "copy" else -strength
            sid = src.item.article_id
            candidates[child.item.article_id].append(
                (_CLASS_ORDER[relation], tie, position[sid], sid, relation, strength)
            )
            continue
        for child, src in ((pa, pb), (pb, pa)):
            if (
                child.item.garble >= opts.translation_garble
                and child.item.garble - src.item.garble >= opts.translation_gap
            ):
                score = _translation_score(child.item, src.item)
                if score >= opts.translation_overlap:
                    cid, sid = child.item.article_id, src.item.article_id
                    candidates[cid].append(
                        (_CLASS_ORDER["translation"], -score, position[sid], sid, "translation", score)
                    )

    parent: dict[str, str | None] = {}
    derived: dict[str, Provenance] = {}
    for a in order:
        parent[a] = None
        for cand in sorted(candidates[a]):
            if not _creates_cycle(parent, a, cand[3]):
                parent[a] = cand[3]
                derived[a] = Provenance(a, cand[3], cand[4], min(1.0, cand[5]))
                break

    children: dict[str, list[str]] = {}
    for a, p in parent.items():
        if p is not None:
            children.setdefault(p, []).append(a)
    incoming: dict[str, list[float]] = {}
    for k, cs in candidates.items():
        for c in cs:
            if c[3] != k:
                incoming.setdefault(c[3], []).append(c[5])
    out = []
    for it in items:
        aid = it.article_id
        if aid in derived:
            out.append(derived[aid])
        elif aid in children:
            # How sure the direction is: strictly earlier than everything derived from it, or only cleaner.
            day = it.day or "9999"
            strict = all(day < (prep[c].item.day or "9999") for c in children[aid])
            out.append(Provenance(aid, None, "original", 1.0 if strict else 0.7))
        elif it.garble >= opts.unseen_translation_garble:
            # Reads like a machine translation of something we never saw.
            out.append(Provenance(aid, None, "translation", it.garble))
        else:
            links = [c[5] for c in candidates[aid]] + incoming.get(aid, [])
            out.append(Provenance(aid, None, "independent", round(1.0 - max(links, default=0.0), 3)))
    return out


def witness_of(provenance: Sequence[Provenance]) -> dict[str, str]:
    """Map each article to the independent witness it stands for.

    Copies, rewrites and translations of a report in the story count as that
    report: corroboration needs independent witnesses, not repetitions.
    """
    parent = {p.article_id: p.derived_from for p in provenance}

    def root(a: str) -> str:
        seen = set()
        while parent.get(a) and a not in seen:
            seen.add(a)
            a = parent[a]  # type: ignore[assignment]
        return a

    return {a: root(a) for a in parent}


def independent_sources(provenance: Sequence[Provenance]) -> int:
    """How many independent sources stand behind a story.

    The distinct witnesses that are originals or independent reports; a copy,
    rewrite or translation counts with the report it derives from. A report
    derived from something outside the story (a machine translation of an
    article we never saw) is too weak a witness to count, unless the story has
    nothing else.
    """
    relation = {p.article_id: p.relation for p in provenance}
    roots = set(witness_of(provenance).values())
    counted = {r for r in roots if relation.get(r) in ORIGINAL_RELATIONS}
    if not counted and provenance:
        return 1
    return len(counted)
