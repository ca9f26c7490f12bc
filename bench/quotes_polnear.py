"""Quotes on PolNeAR dev: quote-span precision/recall/F1 and speaker accuracy, baseline beside.

Run: ``.venv/bin/python bench/quotes_polnear.py [--data DIR] [--no-spacy] [--errors N [--context N]]``

Data: ``../shared/data/polnear/dev`` (Newell, Margolin & Ruths, LREC 2018), brat standoff
attributions with Source, Cue and Content spans. The script skips with a message when absent.

What counts as a direct quote (gold)
    PolNeAR annotates every attribution, direct or reported ("X said that ..."). A gold
    *direct quote* is an attribution whose Content contains quoted words: characters that lie
    between quotation marks (curly “…” or straight "…", paired within a paragraph; an opening
    mark left open runs to the paragraph end, as multi-paragraph quotes do). The gold quote
    span runs from the first to the last quoted character inside the Content (all fragments of
    a discontinuous Content, so a quote split by "he said" is one gold quote, and so is one
    running over several paragraphs). A reported-speech Content with an embedded partial quote
    ("that she “regrets the delay”") counts, its span being the quoted words. One annotator
    per article (the first ``.ann`` file by name) is used.

Span matching
    Both gold and predicted spans are trimmed of spaces, quotation marks and edge punctuation
    (``.,;:!?``) before comparison. *strict*: identical trimmed spans. *overlap*: the spans
    share at least one character; pairs are matched one-to-one, largest overlap first.

Speaker accuracy
    Over overlap-matched pairs whose gold attribution has a Source. The prediction is right
    when its speaker span overlaps the gold Source span, or its name matches the gold Source
    text (same last word, case and possessive ignored, either way round). When the gold Source
    is a pronoun ("he", "she", ...), the predicted name may instead match the most recent
    non-pronoun gold Source before it (an approximation of the coreference PolNeAR does not
    annotate). ``quote+speaker F1`` counts a gold quote found only when its speaker is right.

Baseline
    Text between paired quotation marks in one paragraph (no minimum length, no joining),
    speaker = the nearest spaCy PERSON entity by character distance (or the nearest
    capitalised word pair with ``--no-spacy``).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storyline.quotes import extract_quotes

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "dev"

_PRONOUNS = frozenset(["he", "she", "they", "i", "we", "it", "him", "her", "them", "you", "his", "its", "their"])
_EDGE = " \t\n\u00a0\"“”„'‘’.,;:!?"


@dataclass(frozen=True, slots=True)
class Gold:
    start: int
    end: int
    sources: tuple[tuple[int, int], ...]
    source_text: str
    antecedent: str | None  # for a pronoun Source: the latest named Source before it


@dataclass(frozen=True, slots=True)
class Pred:
    start: int
    end: int
    speaker: str | None
    speaker_span: tuple[int, int] | None


# ---------------------------------------------------------------- gold


def _ann(path: Path) -> tuple[dict[str, tuple[str, list[tuple[int, int]], str]], list[dict[str, str]]]:
    spans: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            tid, mid, *rest = line.split("\t")
            kind, _, offsets = mid.partition(" ")
            frags = [(int(a), int(b)) for a, b in (o.split() for o in offsets.split(";"))]
            spans[tid] = (kind, frags, rest[0] if rest else "")
        elif line.startswith("E"):
            roles = {}
            for item in line.split("\t")[1].split():
                role, _, tid = item.partition(":")
                roles[re.sub(r"\d+$", "", role)] = tid
            events.append(roles)
    return spans, events


def quoted_mask(text: str) -> list[bool]:
    """Characters between quotation marks, paired within a paragraph (the gold reading)."""
    mask = [False] * len(text)
    for para in re.finditer(r"[^\n]+", text):
        start: int | None = None
        for i in range(para.start(), para.end()):
            ch = text[i]
            if ch in "“„" or (ch == '"' and start is None):
                start = i + 1
            elif (ch == "”" or ch == '"') and start is not None:
                for k in range(start, i):
                    mask[k] = True
                start = None
        if start is not None:
            for k in range(start, para.end()):
                mask[k] = True
    return mask


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def _is_pronoun(s: str) -> bool:
    return s.casefold().strip() in _PRONOUNS


def gold_quotes(text: str, ann: Path) -> list[Gold]:
    spans, events = _ann(ann)
    mask = quoted_mask(text)
    named_sources = sorted(
        (frags[0][0], t) for kind, frags, t in spans.values() if kind == "Source" and not _is_pronoun(t)
    )
    out: list[Gold] = []
    for roles in events:
        content = spans.get(roles.get("Content", ""))
        if content is None:
            continue
        idx = [k for a, b in content[1] for k in range(a, min(b, len(text))) if mask[k]]
        if not idx:
            continue
        s, e = trim(text, min(idx), max(idx) + 1)
        if e <= s or not re.search(r"\w", text[s:e]):
            continue
        src = spans.get(roles.get("Source", ""))
        sources = tuple(src[1]) if src else ()
        src_text = src[2] if src else ""
        ante = None
        if src and _is_pronoun(src_text):
            before = [t for pos, t in named_sources if pos < sources[0][0]]
            ante = before[-1] if before else None
        out.append(Gold(s, e, sources, src_text, ante))
    return out


# ---------------------------------------------------------------- systems


def storyline_system(text: str, doc: Any) -> list[Pred]:
    out = []
    for q in extract_quotes(text, "x", doc=doc):
        span = (q.speaker_start, q.speaker_end) if q.speaker_start is not None and q.speaker_end is not None else None
        out.append(Pred(q.start, q.end, q.speaker_text, span))
    return out


_BASE_QUOTE = re.compile(r"“([^”\n]+)”|\"([^\"\n]+)\"")
_CAP_PAIR = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+")


def baseline_system(text: str, doc: Any) -> list[Pred]:
    if doc is not None:
        people = [(e.start_char, e.end_char, e.text) for e in doc.ents if e.label_ == "PERSON"]
    else:
        people = [(m.start(), m.end(), m.group(0)) for m in _CAP_PAIR.finditer(text)]
    out = []
    for m in _BASE_QUOTE.finditer(text):
        g = 1 if m.group(1) is not None else 2
        s, e = m.start(g), m.end(g)
        outside = [p for p in people if p[1] <= m.start() or p[0] >= m.end()]

        def dist(p: tuple[int, int, str], lo: int = m.start(), hi: int = m.end()) -> int:
            return lo - p[1] if p[1] <= lo else p[0] - hi

        best = min(outside, key=dist, default=None)
        out.append(Pred(s, e, best[2] if best else None, (best[0], best[1]) if best else None))
    return out


# ---------------------------------------------------------------- scoring


def _last_word(s: str) -> str:
    words = re.findall(r"[\w’'-]+", re.sub(r"(?:’s|'s)\b", "", s).casefold())
    return words[-1] if words else ""


def _words(s: str) -> set[str]:
    return set(re.findall(r"[\w-]+", re.sub(r"(?:’s|'s)\b", "", s).casefold()))


def _name_match(pred: str, gold: str) -> bool:
    if not pred or not gold:
        return False
    lp, lg = _last_word(pred), _last_word(gold)
    return bool(lp) and (lp in _words(gold) or lg in _words(pred)) and not _is_pronoun(lp)


def speaker_right(p: Pred, g: Gold) -> bool:
    if p.speaker is None:
        return False
    if p.speaker_span and any(a < p.speaker_span[1] and p.speaker_span[0] < b for a, b in g.sources):
        return True
    if _name_match(p.speaker, g.source_text):
        return True
    return g.antecedent is not None and _name_match(p.speaker, g.antecedent)


@dataclass(slots=True)
class Tally:
    gold: int = 0
    pred: int = 0
    strict: int = 0
    overlap: int = 0
    with_source: int = 0
    speaker_ok: int = 0

    def row(self) -> dict[str, float]:
        def f1(tp: int) -> tuple[float, float, float]:
            p = tp / self.pred if self.pred else 0.0
            r = tp / self.gold if self.gold else 0.0
            return p, r, (2 * p * r / (p + r) if p + r else 0.0)

        sp, sr, sf = f1(self.strict)
        op, orr, of = f1(self.overlap)
        _jp, _jr, jf = f1(self.speaker_ok)
        acc = self.speaker_ok / self.with_source if self.with_source else 0.0
        return {"strict P": sp, "strict R": sr, "strict F1": sf, "overlap P": op, "overlap R": orr,
                "overlap F1": of, "speaker acc": acc, "quote+speaker F1": jf}


def score(
    text: str, gold: Sequence[Gold], pred: Sequence[Pred], tally: Tally, errors: list[str] | None, context: int = 0
) -> None:
    tally.gold += len(gold)
    tally.pred += len(pred)
    gs = {trim(text, g.start, g.end) for g in gold}
    tally.strict += sum(1 for p in {trim(text, p.start, p.end) for p in pred} if p in gs)
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            ov = min(g.end, p.end) - max(g.start, p.start)
            if ov > 0:
                pairs.append((ov, gi, pi))
    used_g: set[int] = set()
    used_p: set[int] = set()
    for _ov, gi, pi in sorted(pairs, reverse=True):
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        tally.overlap += 1
        g, p = gold[gi], pred[pi]
        if g.sources:
            tally.with_source += 1
            if speaker_right(p, g):
                tally.speaker_ok += 1
            elif errors is not None:
                errors.append(f"speaker {p.speaker!r} vs gold {g.source_text!r} ({g.antecedent!r}): "
                              f"{text[g.start:g.end][:70]!r}")
                if context:
                    spans = [g.start, g.end, *(x for ab in g.sources for x in ab), *(p.speaker_span or ())]
                    lo, hi = max(0, min(spans) - context), min(len(text), max(spans) + context)
                    errors.append("    " + text[lo:hi].replace("\n", " ¶ "))
    if errors is not None:
        for gi, g in enumerate(gold):
            if gi not in used_g:
                errors.append(f"missed: {text[g.start:g.end][:90]!r}")
        for pi, p in enumerate(pred):
            if pi not in used_p:
                errors.append(f"spurious: {text[p.start:p.end][:90]!r}")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--no-spacy", action="store_true", help="run without a spaCy doc (rule names only)")
    ap.add_argument("--errors", type=int, default=0, help="print N error lines for Storyline")
    ap.add_argument("--context", type=int, default=0,
                    help="with --errors: under each speaker mismatch, the text from N characters before the "
                         "quote, its gold source and the predicted speaker to N characters after them")
    args = ap.parse_args(argv)
    text_dir, ann_dir = args.data / "text", args.data / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        print(f"PolNeAR dev not found at {args.data}; nothing to measure.")
        return 0
    nlp: Callable[[str], Any] | None = None
    if not args.no_spacy:
        from storyline.nlp import english

        nlp = english()
    systems: dict[str, Callable[[str, Any], list[Pred]]] = {
        "baseline (regex + nearest PERSON)": baseline_system,
        "storyline extract_quotes": storyline_system,
    }
    tallies = {name: Tally() for name in systems}
    errors: list[str] = []
    t0 = time.perf_counter()
    n_docs = 0
    for txt in sorted(text_dir.glob("*.txt")):
        anns = sorted(ann_dir.glob(f"{txt.stem}_*.ann"))
        if not anns:
            continue
        text = txt.read_text(encoding="utf-8")
        gold = gold_quotes(text, anns[0])
        doc = nlp(text) if nlp else None
        n_docs += 1
        for name, system in systems.items():
            errs = errors if name.startswith("storyline") and args.errors else None
            score(text, gold, system(text, doc), tallies[name], errs, args.context)
    some = next(iter(tallies.values()))
    print(f"PolNeAR dev: {n_docs} articles, {some.gold} gold direct quotes, "
          f"spaCy={'yes' if nlp else 'no'}, {time.perf_counter() - t0:.1f}s\n")
    cols = list(Tally().row())
    print("| system | pred | " + " | ".join(cols) + " |")
    print("|---|---|" + "---|" * len(cols))
    for name, t in tallies.items():
        r = t.row()
        print(f"| {name} | {t.pred} | " + " | ".join(f"{r[c]:.3f}" for c in cols) + " |")
    if args.errors:
        print()
        for line in errors[: args.errors]:
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
