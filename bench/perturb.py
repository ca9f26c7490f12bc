"""Perturbation benchmark: plant a change in a copy of a real report, see whether Storyline finds it.

    python bench/perturb.py                 # MEANTIME dev + an ECB+ Dev/Train sample, all kinds
    python bench/perturb.py --docs 15 --show-misses   # a quick look while iterating

Each source article (MEANTIME airbus/apple, which carry their creation date,
and a seeded sample of the ECB+ Dev and Train documents that keep three sentences or
more, given a fixed date) is paired with
one variant copy per kind of change. The real per-story analysis runs on the
pair (:func:`storyline.pipeline.annotate` + :func:`storyline.pipeline.analyse_story`,
the same code ``storyline analyze`` runs) and the result is checked:

planted changes (an alarm with the right status is expected)
- ``figure``: one figure's value changed, same day -> a ``conflict`` claim holding both values;
- ``figure_mt``: the same in a machine-translated copy (wording garbled by
  :mod:`storyline.corruption`, quotations and the changed figure kept) -> ``conflict``;
- ``update``: the variant is published two days later and gives a larger value of a
  growing quantity (deaths, money raised, ...) -> an ``updated`` claim;
- ``date``: one date moved by a few days -> a ``date`` claim in ``conflict``;
- ``date_mt``: the same in a machine-translated copy -> ``conflict``;
- ``quote_edit``: words of a quotation changed -> the quote's versions grouped, status ``drift``;

benign edits (nothing may be raised; what they touch must still be recognised)
- ``respell``: a name (a capitalised word never written in lower case in the sources)
  respelled the way transliteration does -> both spellings in one entity;
- ``quote_noise``: a quotation respelled as translation noise (spelling variants,
  contractions) -> the versions grouped, status ``consistent``;
- ``paraphrase``: rule-based rewording (synonyms, word-by-word constructions) and sentences
  reordered -> every figure the two copies share lands in one claim, not raised;
- ``drop``: paragraphs removed -> the same, for the figures that remain;
- ``mt_copy``: a machine-translated copy -> the same, for the figures it keeps as written.

Scoring, per kind and overall: an *expectation* is met when the planted change is found
with the expected status (or, for benign edits, the touched item is recognised and not
raised); every alarm (a ``conflict``/``updated`` claim or a ``drift`` quote spanning both
reports) that meets no expectation is a false positive. Recall = met / expectations;
precision = met / (met + false positives). Deterministic for a given ``--seed``.
Expectations whose item Storyline never extracted from the original (a name not tagged
as an entity, a quotation not found) are counted apart as "not extracted" and left out of
recall: this bench measures alignment and judgement, the extraction benches measure the rest.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ecb_text import detokenise

SHARED = ROOT.parent / "shared" / "data"
KINDS = (
    "figure",
    "figure_mt",
    "update",
    "date",
    "date_mt",
    "quote_edit",
    "respell",
    "quote_noise",
    "paraphrase",
    "drop",
    "mt_copy",
)
ALARM = {"conflict", "updated", "drift"}


# --------------------------------------------------------------------------- sources


@dataclass
class Source:
    id: str
    title: str
    paragraphs: list[list[str]]  # sentences per paragraph
    day: str

    def text(self) -> str:
        return render(self.title, self.paragraphs)


def render(title: str, paragraphs: list[list[str]]) -> str:
    return title + "\n\n" + "\n\n".join(" ".join(p) for p in paragraphs if p)


def _paragraphs(sentences: list[str], rng: random.Random) -> list[list[str]]:
    out: list[list[str]] = []
    i = 0
    while i < len(sentences):
        n = rng.choice((1, 2, 2, 3))
        out.append(sentences[i : i + n])
        i += n
    return out


def load_meantime(rng: random.Random) -> list[Source]:
    root = SHARED / "meantime" / "intra_cross-doc_annotation"
    out = []
    for corpus in ("corpus_airbus", "corpus_apple"):
        for path in sorted((root / corpus).glob("*.xml")):
            xml = ET.parse(path).getroot()
            sents: dict[int, list[str]] = defaultdict(list)
            for tok in xml.iter("token"):
                sents[int(tok.get("sentence", "0"))].append(tok.text or "")
            day = next(
                (t.get("value", "") for t in xml.iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME"), ""
            )
            lines = [_inches(detokenise(sents[k])) for k in sorted(sents)]
            if len(lines) < 4 or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day[:10]):
                continue
            # Sentence 0 is the headline; sentence 1 starts with the dateline: its own first paragraph.
            dateline = DATELINE.match(lines[1])
            body = [x for x in [lines[1][dateline.end() :]] + lines[2:] if x] if dateline else lines[1:]
            paragraphs = _paragraphs(body, rng)
            if dateline:
                paragraphs.insert(0, [dateline.group().strip()])
            out.append(Source(f"mt{path.stem.split('_', 1)[0]}", lines[0], paragraphs, day[:10]))
    return out


DATELINE = re.compile(r"(?:[A-Z][a-z]+,\s)?[A-Z][a-z]+\s\d{1,2},\s\d{4}(?:\s+|$)")


def _inches(text: str) -> str:
    """13.3" -> 13.3-inch: a stray inch mark would read as a quotation mark to anyone."""
    return re.sub(r'(\d)"(?=\s?[a-z])', r"\1-inch", text)


def _balanced(src: Source) -> bool:
    """No paragraph leaves a quotation open (rewording would move words in or out of it)."""
    return not any(" ".join(p).count('"') % 2 for p in src.paragraphs)


def load_ecb(rng: random.Random, limit: int) -> list[Source]:
    sents: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for split in ("Dev", "Train"):  # both are development data (the test split is kept elsewhere)
        path = SHARED / "ecbplus" / f"ECB_{split}_corpus.txt"
        for line in path.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) >= 4:
                sents[cols[0]][int(cols[1])].append(cols[3])
    ids = sorted(sents)
    rng.shuffle(ids)
    out = []
    for doc in ids:  # the corpus keeps the annotated sentences of each document: take the longer ones
        lines = [_inches(detokenise(sents[doc][k])) for k in sorted(sents[doc])]
        if len(lines) < 3 or len(out) >= limit:
            continue
        out.append(Source(f"ecb{doc}", lines[0], _paragraphs(lines[1:], rng), "2012-05-16"))
    return out


# --------------------------------------------------------------------------- what can be changed

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:\s(?:million|billion|thousand))?"
FIGURE = re.compile(
    rf"(?<![\w.,])(?:(?:US|C|A)?[$€£]\s?(?P<m>{_NUM}){_SCALE}"
    rf"|(?P<p>{_NUM})\s?(?:%|percent\b|per cent\b)"
    rf"|(?P<c>{_NUM})(?=\s(?:[a-z]+\s)?[a-z]{{3,}}s\b))"
)
GROWTH = re.compile(
    r"\b(?:killed|dead|died|deaths?|injured|wounded|injuries|victims|casualties|arrested|evacuated|"
    r"raised|spent|sold|shipped|donated|cases|infected|missing|customers|users|downloads|orders|"
    r"delivered|pledged|so far|to date|in total|total)\b",
    re.IGNORECASE,
)
PERIOD = re.compile(r"\b(?:quarter|fiscal|per share|a year|a month|a week|annual|yearly|monthly)\b", re.IGNORECASE)
MEASURE = re.compile(
    r"\s(?:metres|meters|feet|miles|kilometres|kilometers|km|inches|tonnes|tons|pounds|kilograms|hours|minutes|"
    r"seconds|days|weeks|months|years|degrees|mph)\b"
)
_MONTHS = "January February March April May June July August September October November December".split()
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
DATE = re.compile(
    rf"\b(?P<mon>{'|'.join(_MONTHS)})\s(?P<day>[1-9]|[12]\d|3[01])\b(?!,?\s\d{{3}})"
    rf"|\b(?P<day2>[1-9]|[12]\d|3[01])\s(?P<mon2>{'|'.join(_MONTHS)})\b"
    rf"|\b(?P<wd>{'|'.join(_WEEKDAYS)})\b(?!,?\s+(?:the\s+)?(?:\d|{'|'.join(_MONTHS)}))"
)
QUOTE = re.compile(r"\"([^\"\n]{30,400})\"")
NAME = re.compile(r"(?<=[a-z,] )([A-Z][a-z]{4,})\b")
_NOT_NAMES = (
    set(_MONTHS)
    | set(_WEEKDAYS)
    | {
        "Internet",
        "President",
        "Minister",
        "Chief",
        "Executive",
        "Officer",
        "Company",
        "Senator",
        "Governor",
        "English",
        "American",
        "European",
        "British",
        "French",
        "German",
        "Chinese",
        "Christmas",
        "Police",
    }
)


def _format_like(original: str, value: float) -> str:
    decimals = len(original.split(".")[1]) if "." in original else 0
    text = f"{value:,.{decimals}f}" if "," in original else f"{value:.{decimals}f}"
    return text


def _year_like(m: re.Match[str]) -> bool:
    num = m.group("m") or m.group("p") or m.group("c") or ""
    return bool(re.fullmatch(r"1[89]\d\d|20\d\d", num)) and not m.group("m")


def _quoted(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"\"[^\"]*\"", text)]


def figures_in(text: str, start: int = 0, *, outside_quotes: bool = False) -> list[re.Match[str]]:
    """Figures in ``text`` from ``start``: not years, not the day of a date ("July 16")."""
    quoted = _quoted(text) if outside_quotes else []
    out = []
    for m in FIGURE.finditer(text):
        if m.start() < start or _year_like(m):
            continue
        if re.search(rf"\b(?:{'|'.join(_MONTHS)}|No\.|[Nn]umber)\s$", text[max(0, m.start() - 12) : m.start()]):
            continue
        if any(s <= m.start() < e for s, e in quoted):
            continue  # a changed figure inside a quotation is a quote edit, measured apart
        out.append(m)
    return out


def _num_group(m: re.Match[str]) -> str:
    return "m" if m.group("m") else "p" if m.group("p") else "c"


def _changed_number(num: str, rng: random.Random, factor: float) -> str | None:
    value = float(num.replace(",", ""))
    new = value * factor
    if "." not in num:
        new = round(new)
    out = _format_like(num, new)
    return None if out == num or float(out.replace(",", "")) == 0 else out


# --------------------------------------------------------------------------- variants


@dataclass
class Expect:
    kind: str  # figure | date | quote | entity | held
    status: str  # conflict | updated | drift | consistent | same | quiet
    orig: tuple[int, int]
    var: tuple[int, int]
    label: str


@dataclass
class Variant:
    kind: str
    text: str
    day: str
    expects: list[Expect] = field(default_factory=list)


def _body_start(text: str) -> int:
    return text.index("\n\n") + 2


def _replace(text: str, s: int, e: int, new: str) -> str:
    return text[:s] + new + text[e:]


def make_figure(src: Source, rng: random.Random) -> Variant | None:
    text = src.text()
    cands = figures_in(text, _body_start(text), outside_quotes=True)
    if not cands:
        return None
    m = rng.choice(cands)
    g = _num_group(m)
    factor = rng.choice((rng.uniform(0.35, 0.7), rng.uniform(1.4, 2.6)))
    new = _changed_number(m.group(g), rng, factor)
    if new is None:
        return None
    s, e = m.span(g)
    out = _replace(text, s, e, new)
    return Variant(
        "figure",
        out,
        src.day,
        [Expect("figure", "conflict", m.span(), (m.start(), m.end() + len(new) - (e - s)), m.group())],
    )


def make_update(src: Source, rng: random.Random) -> Variant | None:
    text = src.text()
    cands = []
    for m in figures_in(text, _body_start(text), outside_quotes=True):
        window = re.split(r"(?<=[.!?])\s", text[max(0, m.start() - 35) : m.end() + 40])
        window = next((w for w in window if m.group() in w), "")
        # A running total, not a figure for a closed period ("in the first quarter", "per share").
        if m.group("p") or MEASURE.match(text, m.end()):
            continue  # shares and measurements are not running totals
        if GROWTH.search(window) and not PERIOD.search(window):
            cands.append(m)
    if not cands:
        return None
    m = rng.choice(cands)
    g = _num_group(m)
    new = _changed_number(m.group(g), rng, rng.uniform(1.25, 1.9))
    if new is None:
        return None
    s, e = m.span(g)
    later = (date.fromisoformat(src.day) + timedelta(days=2)).isoformat()
    # A follow-up report names the days it refers to instead of saying "yesterday".
    marked = text[: m.start()] + "\x00" + text[m.start() : s] + new + text[e : m.end()] + "\x01" + text[m.end() :]
    marked = _absolute_relative_days(marked, date.fromisoformat(src.day))
    vs, ve = marked.index("\x00"), marked.index("\x01") - 1
    out = marked.replace("\x00", "").replace("\x01", "")
    return Variant("update", out, later, [Expect("figure", "updated", m.span(), (vs, ve), m.group())])


def _absolute_relative_days(text: str, day: date) -> str:
    """Outside quotations, "yesterday"/"today"/"tomorrow" become the calendar date they meant."""

    def named(offset: int) -> str:
        d = day + timedelta(days=offset)
        return f"on {_MONTHS[d.month - 1]} {d.day}"

    names = {"yesterday": named(-1), "today": named(0), "tomorrow": named(1), "tonight": named(0) + " at night"}
    quoted = _quoted(text)
    return re.sub(
        r"\b(?:[Yy]esterday|[Tt]oday|[Tt]onight|[Tt]omorrow)\b",
        lambda m: m.group() if any(s <= m.start() < e for s, e in quoted) else names[m.group().lower()],
        text,
    )


def make_date(src: Source, rng: random.Random) -> Variant | None:
    text = src.text()
    cands = [m for m in DATE.finditer(text, _body_start(text))]
    if not cands:
        return None
    m = rng.choice(cands)
    delta = rng.choice((-3, -2, 2, 3, 4))
    if m.group("wd"):
        i = _WEEKDAYS.index(m.group("wd"))
        new = _WEEKDAYS[(i + delta) % 7]
    else:
        mon = m.group("mon") or m.group("mon2")
        d = int(m.group("day") or m.group("day2"))
        nd = d + delta if 1 <= d + delta <= 28 else d - delta
        new = f"{mon} {nd}" if m.group("mon") else f"{nd} {mon}"
    out = _replace(text, m.start(), m.end(), new)
    return Variant(
        "date", out, src.day, [Expect("date", "conflict", m.span(), (m.start(), m.start() + len(new)), m.group())]
    )


_QUOTE_SWAPS = {
    "will": "won't",
    "is": "isn't",
    "can": "cannot",
    "good": "bad",
    "more": "less",
    "new": "old",
    "first": "last",
    "all": "none of",
    "always": "never",
    "best": "worst",
    "great": "poor",
    "important": "minor",
    "strong": "weak",
    "high": "low",
    "large": "small",
    "very": "hardly",
}


def make_quote_edit(src: Source, rng: random.Random) -> Variant | None:
    text = src.text()
    quotes = [m for m in QUOTE.finditer(text) if len(m.group(1).split()) >= 8]
    if not quotes:
        return None
    m = rng.choice(quotes)
    words = m.group(1).split(" ")
    swappable = [i for i, w in enumerate(words) if w.lower() in _QUOTE_SWAPS]
    if swappable:
        i = rng.choice(swappable)
        words[i] = _QUOTE_SWAPS[words[i].lower()]
    # And a phrase of the quotation reworded: three words replaced by others.
    j = rng.randrange(1, max(2, len(words) - 4))
    words[j : j + 3] = rng.choice((["in", "no", "way"], ["by", "all", "means"], ["at", "the", "time"]))
    new = " ".join(words)
    s, e = m.span(1)
    out = _replace(text, s, e, new)
    return Variant("quote_edit", out, src.day, [Expect("quote", "drift", (s, e), (s, s + len(new)), m.group(1)[:40])])


_NOISE = [
    (r"\b(\w+)ize\b", r"\1ise"),
    (r"\b(\w+)ization\b", r"\1isation"),
    (r"\bcolor\b", "colour"),
    (r"\bdo not\b", "don't"),
    (r"\bdon't\b", "do not"),
    (r"\bwe are\b", "we're"),
    (r"\bwe're\b", "we are"),
    (r"\bit is\b", "it's"),
    (r"\bit's\b", "it is"),
    (r"\bcannot\b", "can not"),
    (r"\bwill not\b", "won't"),
    (r"\bI am\b", "I'm"),
    (r"\bI'm\b", "I am"),
    (r"\bthat is\b", "that's"),
    (r"\s*-\s*", " "),
    (r"\bcenter\b", "centre"),
    (r"\bprogram\b", "programme"),
    (r"\btoward\b", "towards"),
]


def make_quote_noise(src: Source, rng: random.Random) -> Variant | None:
    text = src.text()
    quotes = [m for m in QUOTE.finditer(text) if len(m.group(1).split()) >= 8]
    if not quotes:
        return None
    m = rng.choice(quotes)
    inner = m.group(1)
    rules = _NOISE[:]
    rng.shuffle(rules)
    new = inner
    for pat, rep in rules:
        changed = re.sub(pat, rep, new, count=1)
        if changed != new:
            new = changed
            break
    if new == inner:  # no spelling variant applies: a doubled letter, as transliteration does
        words = [i for i, w in enumerate(inner.split(" ")) if len(w) >= 6 and w.isalpha()]
        if not words:
            return None
        ws = inner.split(" ")
        i = rng.choice(words)
        k = rng.randrange(2, len(ws[i]) - 1)
        ws[i] = ws[i][:k] + ws[i][k] + ws[i][k:]
        new = " ".join(ws)
    s, e = m.span(1)
    out = _replace(text, s, e, new)
    return Variant("quote_noise", out, src.day, [Expect("quote", "consistent", (s, e), (s, s + len(new)), inner[:40])])


_TRANSLIT = [
    ("ph", "f"),
    ("c", "k"),
    ("ou", "u"),
    ("ee", "i"),
    ("y", "i"),
    ("i", "y"),
    ("a", "e"),
    ("e", "a"),
    ("o", "u"),
    ("u", "o"),
    ("w", "v"),
    ("th", "t"),
    ("ck", "k"),
    ("sh", "ch"),
]


def _respell(word: str, rng: random.Random) -> str | None:
    head, tail = word[0], word[1:]
    options = [(a, b) for a, b in _TRANSLIT if a in tail]
    if options:
        a, b = rng.choice(options)
        idx = [i for i in range(len(tail)) if tail.startswith(a, i)]
        i = rng.choice(idx)
        tail = tail[:i] + b + tail[i + len(a) :]
    else:
        i = rng.randrange(1, len(tail))
        tail = tail[:i] + tail[i] + tail[i:]
    return head + tail if head + tail != word else None


# Words seen in lower case somewhere in the source articles ("street", "flight"): a
# capitalised one is part of a name ("Newton Street") that a translation would translate,
# not respell. Filled by main() from all sources; empty, every capitalised word qualifies.
COMMON: set[str] = set()


def common_words(sources: list[Source]) -> set[str]:
    return {w for src in sources for w in re.findall(r"\b[a-z]{4,}\b", src.text())}


def make_respell(src: Source, rng: random.Random) -> Variant | None:
    """A name respelled throughout the copy, as transliteration does ("Boeing" -> "Boeyng")."""
    text = src.text()
    body = _body_start(text)
    names = sorted(
        {
            m.group(1)
            for m in NAME.finditer(text, body)
            if m.group(1) not in _NOT_NAMES and m.group(1).lower() not in COMMON
        }
    )
    if not names:
        return None
    name = rng.choice(names)
    new = _respell(name, rng)
    if new is None:
        return None
    first = NAME.search(text, body)
    while first and first.group(1) != name:
        first = NAME.search(text, first.end())
    if first is None:
        return None
    out = re.sub(rf"\b{re.escape(name)}\b", new, text)
    # Offsets of the first occurrence after the earlier (same-length-changing) replacements.
    before = len(re.findall(rf"\b{re.escape(name)}\b", text[: first.start()]))
    vs = first.start() + before * (len(new) - len(name))
    return Variant(
        "respell", out, src.day, [Expect("entity", "same", first.span(1), (vs, vs + len(new)), f"{name}->{new}")]
    )


_SYNONYMS = {
    "said": "stated",
    "says": "states",
    "announced": "declared",
    "bought": "purchased",
    "buy": "purchase",
    "began": "started",
    "big": "large",
    "help": "assist",
    "show": "display",
    "also": "as well",
    "however": "but",
    "company": "firm",
    "plans": "intends",
    "about": "around",
    "reported": "indicated",
    "expected": "anticipated",
    "major": "important",
    "announce": "declare",
    "told": "informed",
}


def _reword(sentence: str, rng: random.Random) -> str:
    parts = re.split(r"(\"[^\"]*\")", sentence)  # leave quotations alone
    for k in range(0, len(parts), 2):
        parts[k] = re.sub(
            r"\b[a-z]+\b", lambda w: _SYNONYMS.get(w.group(), w.group()) if rng.random() < 0.8 else w.group(), parts[k]
        )
    return "".join(parts)


def _held(src_text: str, var_text: str) -> list[Expect]:
    """Figures written once in each copy: they must be recognised as the same figure."""
    out = []
    for m in figures_in(src_text, _body_start(src_text)):
        t = m.group()
        if src_text.count(t) == 1 and var_text.count(t) == 1:
            v = var_text.index(t)
            out.append(Expect("held", "quiet", m.span(), (v, v + len(t)), t))
    return out


def make_paraphrase(src: Source, rng: random.Random) -> Variant | None:
    """Reword outside quotations and reorder sentences; a quotation stays verbatim (as a rewrite keeps it)."""
    from storyline.corruption import (
        adjective_after_noun,
        literal_constructions,
        possessive_to_of,
    )

    text = src.text()
    if not _balanced(src):
        return None
    quotes: list[str] = []

    def mask(m: re.Match[str]) -> str:
        quotes.append(m.group())
        return f"\u27e6{len(quotes) - 1}\u27e7"

    masked = re.sub(r"\"[^\"]*\"", mask, text)
    title, _, body = masked.partition("\n\n")
    paragraphs = []
    for para in body.split("\n\n"):
        sents = [_reword(x, rng) for x in re.split(r"(?<=[.!?])\s+(?=[A-Z\u27e6])", para) if x]
        # Sentences with quotations keep their place: a quotation continued in the next
        # sentence ('"A," she said. "B."') is one quotation, and moving either part changes it.
        movable = [i for i in range(len(sents) - 1) if "\u27e6" not in sents[i] + sents[i + 1]]
        if movable:
            i = rng.choice(movable)
            sents[i], sents[i + 1] = sents[i + 1], sents[i]
        paragraphs.append(sents)
    free = [i for i in range(1, len(paragraphs)) if "\u27e6" not in " ".join(paragraphs[i])]
    order = free[:]
    rng.shuffle(order)
    moved = paragraphs[:]
    for slot, src_i in zip(free, order):
        moved[slot] = paragraphs[src_i]
    paragraphs = moved
    out = render(title, paragraphs)
    sub = random.Random(rng.getrandbits(32))
    for f in (literal_constructions, possessive_to_of, adjective_after_noun):
        out = f(out, sub, 0.3)
    out = re.sub("\u27e6(\\d+)\u27e7", lambda m: quotes[int(m.group(1))], out)
    if any(q not in out for q in quotes):
        return None  # a rewording rule broke a quotation mark: not a clean paraphrase
    return Variant("paraphrase", out, src.day, _held(text, out))


def make_drop(src: Source, rng: random.Random) -> Variant | None:
    if len(src.paragraphs) < 4:
        return None
    k = rng.choice((1, 2))
    drop = set(rng.sample(range(1, len(src.paragraphs)), k))
    out = render(src.title, [p for i, p in enumerate(src.paragraphs) if i not in drop])
    return Variant("drop", out, src.day, _held(src.text(), out))


def _translated(text: str, rng: random.Random, keep: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """``text`` as a machine-translated copy (storyline.corruption at a moderate strength).

    Quotations and the ``keep`` spans are protected; returns the new text and where the
    ``keep`` spans ended up.
    """
    from storyline.corruption import corrupt

    pieces: list[str] = []
    # Translation keeps numbers and dates as written; names and wording are what it garbles.
    fixed = [m.span() for m in DATE.finditer(text)] + [m.span() for m in figures_in(text)]
    fixed += [m.span() for m in re.finditer(r"\b(?:1[89]|20)\d\d\b", text)]
    spans = sorted(set(keep) | set(_quoted(text)) | set(fixed))
    last = 0
    used: list[tuple[int, int]] = []
    for s, e in spans:
        if s < last:
            continue
        pieces.append(text[last:s])
        pieces.append(f"\u27e6{len(used)}\u27e7")
        used.append((s, e))
        last = e
    pieces.append(text[last:])
    masked = "".join(pieces)
    out = corrupt(masked, rng, rng.uniform(0.4, 0.7))
    where: dict[tuple[int, int], tuple[int, int]] = {}
    result = []
    pos = 0
    for m in re.finditer("\u27e6(\\d+)\u27e7", out):
        result.append(out[pos : m.start()])
        start = sum(len(x) for x in result)
        original = used[int(m.group(1))]
        piece = text[original[0] : original[1]]
        result.append(piece)
        where[original] = (start, start + len(piece))
        pos = m.end()
    result.append(out[pos:])
    return "".join(result), [where.get(k, (-1, -1)) for k in keep]


def make_mt_copy(src: Source, rng: random.Random) -> Variant | None:
    """A machine-translated copy: nothing changed but the wording; shared figures must be held."""
    if not _balanced(src):
        return None
    text = src.text()
    out, _ = _translated(text, rng, [])
    return Variant("mt_copy", out, src.day, _held(text, out))


def _changed_in_mt(src: Source, rng: random.Random, make: Any, kind: str, claim: str) -> Variant | None:
    """The change ``make`` plants, in a machine-translated copy: still a conflict despite the wording."""
    if not _balanced(src):
        return None
    plain = make(src, rng)
    if plain is None:
        return None
    ex = plain.expects[0]
    out, (span,) = _translated(plain.text, rng, [ex.var])
    if span[0] < 0:
        return None
    return Variant(kind, out, src.day, [Expect(claim, "conflict", ex.orig, span, ex.label)])


def make_figure_mt(src: Source, rng: random.Random) -> Variant | None:
    """A figure changed in a machine-translated copy: a conflict despite the wording."""
    return _changed_in_mt(src, rng, make_figure, "figure_mt", "figure")


def make_date_mt(src: Source, rng: random.Random) -> Variant | None:
    """A date moved in a machine-translated copy: a date conflict despite the wording."""
    return _changed_in_mt(src, rng, make_date, "date_mt", "date")


MAKERS = {
    "figure": make_figure,
    "update": make_update,
    "date": make_date,
    "quote_edit": make_quote_edit,
    "respell": make_respell,
    "quote_noise": make_quote_noise,
    "paraphrase": make_paraphrase,
    "drop": make_drop,
    "mt_copy": make_mt_copy,
    "figure_mt": make_figure_mt,
    "date_mt": make_date_mt,
}


# --------------------------------------------------------------------------- running Storyline


def _article(aid: str, text: str, day: str) -> Any:
    from storyline.model import Article

    return Article(id=aid, text=text, content_hash=hashlib.sha256(text.encode()).hexdigest(), published_at=day)


def _overlaps(a: tuple[int, int], s: int, e: int) -> bool:
    return a[0] < e and s < a[1]


@dataclass
class Tally:
    expected: int = 0
    met: int = 0
    false_alarms: int = 0
    not_extracted: int = 0
    misses: list[str] = field(default_factory=list)


def check(
    story: Any, variant: Variant, orig_id: str, var_id: str, tally: Tally, orig_dates: list[tuple[int, int]]
) -> None:
    """Score one analysed pair against the variant's expectations."""
    used: set[int] = set()  # ids of alarms that met an expectation
    alarms = []
    for c in story.claims:
        arts = {v.article_id for v in c.values}
        if c.status in ALARM and {orig_id, var_id} <= arts:
            alarms.append(("claim", c))
    for q in story.quotes:
        arts = {v.article_id for v in q.versions}
        if q.status in ALARM and {orig_id, var_id} <= arts:
            alarms.append(("quote", q))

    def holds(values: Any, want_orig: tuple[int, int], want_var: tuple[int, int]) -> bool:
        o = any(v.article_id == orig_id and _overlaps(want_orig, v.start, v.end) for v in values)
        w = any(v.article_id == var_id and _overlaps(want_var, v.start, v.end) for v in values)
        return o and w

    for ex in variant.expects:
        ok = False
        why = "not found"
        if ex.kind in ("figure", "date", "held"):
            wanted_kind = {"figure": None, "date": "date", "held": None}[ex.kind]
            for c in story.claims:
                if wanted_kind and c.kind != wanted_kind:
                    continue
                if ex.kind != "date" and c.kind == "date":
                    continue
                if holds(c.values, ex.orig, ex.var):
                    quiet = ex.status == "quiet" and c.status not in ALARM
                    ok = quiet or c.status == ex.status
                    why = f"status {c.status}"
                    if ok and c.status in ALARM:
                        used.add(id(c))
                    break
            if not ok and why == "not found":
                extracted = any(
                    v.article_id == orig_id and _overlaps(ex.orig, v.start, v.end)
                    for c in story.claims
                    for v in c.values
                )
                if not extracted and ex.kind != "date":
                    tally.not_extracted += 1
                    continue
                if ex.kind == "date" and not any(_overlaps(ex.orig, ds, de) for ds, de in orig_dates):
                    tally.not_extracted += 1
                    continue
        elif ex.kind == "quote":
            for q in story.quotes:
                if holds(q.versions, ex.orig, ex.var):
                    ok = q.status == ex.status
                    why = f"status {q.status} fidelity {q.fidelity:.2f}"
                    if ok and q.status in ALARM:
                        used.add(id(q))
                    break
            else:
                if not any(
                    v.article_id == orig_id and _overlaps(ex.orig, v.start, v.end)
                    for q in story.quotes
                    for v in q.versions
                ):
                    tally.not_extracted += 1
                    continue
                why = "versions not grouped"
        elif ex.kind == "entity":
            ent_o = [
                e
                for e in story.entities
                if any(m.article_id == orig_id and _overlaps(ex.orig, m.start, m.end) for m in e.mentions)
            ]
            ent_v = [
                e
                for e in story.entities
                if any(m.article_id == var_id and _overlaps(ex.var, m.start, m.end) for m in e.mentions)
            ]
            if not ent_o:
                tally.not_extracted += 1
                continue
            ok = bool(ent_v) and ent_o[0].id == ent_v[0].id
            why = "split" if ent_v else "respelling not tagged"
        tally.expected += 1
        if ok:
            tally.met += 1
        else:
            tally.misses.append(f"{variant.kind}: {ex.label!r} expected {ex.status}, {why}")
    for what, a in alarms:
        if id(a) not in used:
            tally.false_alarms += 1
            if what == "claim":
                tally.misses.append(
                    f"{variant.kind}: false alarm {a.kind} {a.status}: "
                    + " | ".join(f"{v.article_id}:{v.text}" for v in a.values)
                )
            else:
                tally.misses.append(
                    f"{variant.kind}: false alarm quote drift {a.fidelity:.2f}: {a.versions[0].text[:50]!r}"
                )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--docs", type=int, default=0, help="use at most this many source articles (0 = all)")
    ap.add_argument("--ecb", type=int, default=80, help="ECB+ Dev/Train documents to sample")
    ap.add_argument("--kinds", default=",".join(KINDS))
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args(argv)
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in MAKERS]
    if unknown:
        print(f"--kinds: unknown kind(s) {', '.join(unknown)}; choose from {', '.join(KINDS)}", file=sys.stderr)
        return 2
    if not SHARED.is_dir():
        print(f"{SHARED} is not available: nothing to measure", file=sys.stderr)
        return 0

    from storyline.nlp import english
    from storyline.pipeline import analyse_story, annotate

    rng = random.Random(args.seed)
    sources = load_meantime(rng) + load_ecb(rng, args.ecb)
    COMMON.update(common_words(sources))
    if args.docs:
        rng.shuffle(sources)
        sources = sources[: args.docs]
    nlp = english()
    started = time.time()
    tallies = {k: Tally() for k in kinds}
    pairs = 0
    for src in sources:
        text = src.text()
        orig = _article(f"{src.id}-o", text, src.day)
        orig_note = annotate(orig, nlp(text), src.day)
        for kind in kinds:
            vr = random.Random(f"{args.seed}:{src.id}:{kind}")
            variant = MAKERS[kind](src, vr)
            if variant is None or (not variant.expects and kind not in ("drop", "paraphrase", "mt_copy")):
                continue
            var = _article(f"{src.id}-v", variant.text, variant.day)
            notes = {orig.id: orig_note, var.id: annotate(var, nlp(variant.text), variant.day)}
            story = analyse_story([orig, var], notes).story
            check(story, variant, orig.id, var.id, tallies[kind], [(d[0], d[1]) for d in orig_note["dates"]])
            pairs += 1
    elapsed = time.time() - started

    print(f"perturbation benchmark: {len(sources)} source articles, {pairs} pairs, seed {args.seed}, {elapsed:.0f} s")
    print(f"{'kind':<12} {'expect':>6} {'met':>5} {'false+':>6} {'skip':>5} {'prec':>6} {'recall':>6}")
    total = Tally()
    for k in kinds:
        t = tallies[k]
        total.expected += t.expected
        total.met += t.met
        total.false_alarms += t.false_alarms
        total.not_extracted += t.not_extracted
        print(_row(k, t))
    print(_row("overall", total))
    if args.show_misses:
        for k in kinds:
            for line in tallies[k].misses:
                print("  " + line)
    return 0


def _row(name: str, t: Tally) -> str:
    prec = t.met / (t.met + t.false_alarms) if t.met + t.false_alarms else 1.0
    rec = t.met / t.expected if t.expected else 1.0
    return f"{name:<12} {t.expected:>6} {t.met:>5} {t.false_alarms:>6} {t.not_extracted:>5} {prec:>6.3f} {rec:>6.3f}"


if __name__ == "__main__":
    sys.exit(main())
