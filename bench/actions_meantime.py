"""Who did what, and when: Storyline's actions against MEANTIME's gold events.

    python bench/actions_meantime.py            # MEANTIME airbus + apple (58 dated articles, about 15 s)
    python bench/actions_meantime.py --show 20  # also list some unmatched actions and wrong dates
    python bench/actions_meantime.py --misses   # list every missed action-like gold event (with the parse
                                                # of its word), every unmatched action and every wrong
                                                # subject and object, with its sentence

MEANTIME (../shared/data/meantime) annotates event mentions, their participants
(``HAS_PARTICIPANT`` with PropBank roles Arg0, Arg1, ...) and time expressions
linked to events by TLINKs. Each article is rebuilt from its tokens, run through
:func:`storyline.pipeline.annotate` (the same spaCy parse, dates and actions the
pipeline stores) with its creation time as publication date, and the actions are
scored:

- *predicate*: an action matches a gold event when its verb lies inside the event
  mention's tokens (head match, one to one; the shortest such event, as a
  discontinuous mention is read from its first to its last token). Precision counts only actions in
  sentences that hold a gold event (MEANTIME leaves some sentences unannotated).
  Recall is given over every gold event, over verbal ones, and over *action-like*
  ones: verbal events that are not speech/cognition or grammatical (``say``,
  ``be``), which Storyline leaves out by design.
- *subject* / *object*: on matched pairs where both Storyline and the gold give the
  participant, the action's noun phrase overlaps a gold participant mention. The
  gold side of a role follows the voice: an active verb's subject is its Arg0
  (its Arg1 when it has no Arg0 and the action no object: "prices rose"), its
  object the Arg1; a passive verb's subject is the Arg1. Where MEANTIME marks a
  pronoun as the participant ("the union, which represents ...", "Acme said it
  ..."), the mentions of the same entity in the same sentence (its antecedent)
  are accepted too.
- *date*: on matched pairs whose gold event is anchored by a TLINK (simultaneous
  with, or included in) to a time expression with a calendar value, the action's
  date agrees at the gold value's precision (day, month or year). The gold anchor is
  a time expression in the text when there is one, else the creation time.

The baseline in the same run takes every verb of those sentences as an action, the
nearest named entity before it in its sentence as subject and the nearest after as
object, and the nearest date of its sentence (else the publication date) as date.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SHARED = ROOT.parent / "shared" / "data"
MEANTIME = SHARED / "meantime" / "intra_cross-doc_annotation"

Span = tuple[int, int]

# TLINK relations that anchor an event to a time: (relation read from the event's side).
_ANCHORING = {"SIMULTANEOUS", "IS_INCLUDED", "IDENTITY"}
_INVERSE = {"INCLUDES": "IS_INCLUDED", "IS_INCLUDED": "INCLUDES", "BEGINS": "BEGUN_BY", "BEGUN_BY": "BEGINS",
            "ENDS": "ENDED_BY", "ENDED_BY": "ENDS", "BEFORE": "AFTER", "AFTER": "BEFORE"}
_CALENDAR = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_NOT_ACTION_CLASSES = {"SPEECH_COGNITIVE", "GRAMMATICAL"}
# Pronouns MEANTIME marks as participants ("the union, which represents ...", "Acme said it would ..."): the
# mention of the same entity in the same sentence (its antecedent) names the participant as well.
_PRONOUNS = {"which", "who", "whom", "that", "it", "they", "he", "she", "him", "her", "them", "we", "us"}
_NO_SPACE_BEFORE = {",", ".", ":", ";", "?", "!", ")", "]", "}", "%", "''", "'s", "'S", "'", "n't", "'re", "'ve", "'ll", "'d", "'m", "’s"}
_NO_SPACE_AFTER = {"(", "[", "{", "$", "#", "``"}
_QUOTE_TOKENS = {"``": '"', "''": '"'}  # PTB quotation tokens, written as plain quotation marks


# --------------------------------------------------------------------------- scoring (pure)


def overlaps(a: Span, b: Span) -> bool:
    """Two character spans share at least one character."""
    return a[0] < b[1] and b[0] < a[1]


def match_events(predicted: Sequence[Span], gold: Sequence[Span]) -> dict[int, int]:
    """Predicted verb spans matched one to one to gold event spans they lie in (head match).

    Returns predicted index -> gold index. A predicted verb takes the shortest gold
    event that contains its first character and is still free (the first in order
    among equals): a discontinuous mention ("comes in two colors ... and will cost")
    is read as the span from its first to its last token, and must not take the
    place of the event of a verb inside it ("cost").
    """
    out: dict[int, int] = {}
    taken: set[int] = set()
    for i, (s, e) in sorted(enumerate(predicted), key=lambda x: x[1]):
        if e <= s:
            continue
        free = [(ge - gs, j) for j, (gs, ge) in enumerate(gold) if j not in taken and gs <= s < ge]
        if free:
            j = min(free)[1]
            out[i] = j
            taken.add(j)
    return out


def role_spans(
    passive: bool, roles: Mapping[str, Sequence[Span]], *, transitive: bool = False
) -> tuple[list[Span], list[Span]]:
    """The gold participants a subject and an object stand for, given the verb's voice.

    Active: subject = Arg0 (Arg1 when there is no Arg0, an unaccusative "prices
    rose"), object = Arg1 when there is an Arg0. Passive: subject = Arg1, no object.
    An active verb used with an object (``transitive``) is no unaccusative: without
    an Arg0 (left unmarked: "forced Acme to lower its prices") its Arg1 is the object
    and the subject has no gold.
    """
    arg0, arg1 = list(roles.get("Arg0", ())), list(roles.get("Arg1", ()))
    if passive:
        return arg1, []
    if arg0:
        return arg0, arg1
    if transitive:
        return [], arg1
    return arg1, []


def span_agrees(span: Span | None, gold: Iterable[Span]) -> bool:
    """The predicted participant phrase overlaps one gold participant mention."""
    return span is not None and any(overlaps(span, g) for g in gold)


def date_agrees(predicted: str | None, gold: str) -> bool:
    """An ISO date agrees with a gold calendar value at the gold value's precision (year, month or day)."""
    if not predicted or not _CALENDAR.match(gold):
        return False
    n = len(gold)
    return len(predicted) >= n and predicted[:n] == gold


def anchored_value(
    event: str, tlinks: Iterable[tuple[str, str, str]], timex: Mapping[str, str], dct: str | None
) -> str | None:
    """The calendar value of the time an event is anchored to by a TLINK (a text timex before the creation time).

    ``tlinks`` are (source m_id, target m_id, relation); ``timex`` maps a time
    expression's m_id to its value; ``dct`` is the creation time's m_id.
    """
    found: list[tuple[int, str]] = []
    for src, tgt, rel in tlinks:
        if src == event and tgt in timex:
            other, r = tgt, rel
        elif tgt == event and src in timex:
            other, r = src, _INVERSE.get(rel, rel)
        else:
            continue
        if r not in _ANCHORING:
            continue
        value = timex[other]
        if _CALENDAR.match(value):
            found.append((1 if other == dct else 0, value))
    return min(found)[1] if found else None


def ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


# --------------------------------------------------------------------------- gold


@dataclass
class GoldEvent:
    span: Span
    verbal: bool
    action_like: bool
    roles: dict[str, list[Span]] = field(default_factory=dict)
    date: str | None = None


@dataclass
class GoldDoc:
    doc_id: str
    text: str
    day: str
    events: list[GoldEvent]
    sentences: list[Span]  # character spans of the sentences that hold a gold event


def build_text(sentences: Sequence[Sequence[tuple[str, str]]]) -> tuple[str, dict[str, Span]]:
    """Sentences of (token id, token) joined into text, one paragraph each; token id -> character span."""
    parts: list[str] = []
    offsets: dict[str, Span] = {}
    pos = 0
    for n, toks in enumerate(sentences):
        if n:  # a blank line after each sentence: the gold sentences stay whole, the headline apart
            parts.append("\n\n")
            pos += 2
        prev: str | None = None
        for tid, tok in toks:
            if prev is not None and tok not in _NO_SPACE_BEFORE and prev not in _NO_SPACE_AFTER:
                parts.append(" ")
                pos += 1
            prev = tok
            tok = _QUOTE_TOKENS.get(tok, tok)
            offsets[tid] = (pos, pos + len(tok))
            parts.append(tok)
            pos += len(tok)
    return "".join(parts), offsets


def load_doc(path: Path) -> GoldDoc | None:
    root = ET.parse(path).getroot()
    by_sent: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    sent_of: dict[str, int] = {}
    for tok in root.iter("token"):
        sid, num, tid = int(tok.get("sentence", "0")), int(tok.get("number", "0")), tok.get("t_id", "")
        by_sent[sid].append((num, tid, tok.text or ""))
        sent_of[tid] = sid
    order = sorted(by_sent)
    text, offsets = build_text([[(tid, t) for _n, tid, t in sorted(by_sent[s])] for s in order])
    markables = root.find("Markables")
    relations = root.find("Relations")
    if markables is None:
        return None

    def span_of(el: Any) -> Span | None:
        spans = [offsets[a.get("t_id", "")] for a in el.findall("token_anchor") if a.get("t_id", "") in offsets]
        return (min(s for s, _ in spans), max(e for _, e in spans)) if spans else None

    mentions: dict[str, Span] = {}
    event_els: dict[str, Any] = {}
    timex: dict[str, str] = {}
    dct: str | None = None
    day = ""
    instances: dict[str, str] = {}  # EVENT instance m_id -> class
    mention_sent: dict[str, int] = {}
    for el in markables:
        mid = el.get("m_id", "")
        if el.tag == "TIMEX3":
            timex[mid] = el.get("value", "")
            if el.get("functionInDocument") == "CREATION_TIME":
                dct, day = mid, el.get("value", "")[:10]
        elif el.tag == "EVENT":
            instances[mid] = el.get("class", "")
        if el.tag in ("ENTITY_MENTION", "VALUE", "EVENT_MENTION"):
            sp = span_of(el)
            if sp:
                mentions[mid] = sp
                first = el.find("token_anchor")
                mention_sent[mid] = sent_of.get(first.get("t_id", "") if first is not None else "", -1)
        if el.tag == "EVENT_MENTION" and mid in mentions:
            event_els[mid] = el
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        return None
    cls_of: dict[str, str] = {}
    roles: dict[str, dict[str, list[Span]]] = defaultdict(lambda: defaultdict(list))
    tlinks: list[tuple[str, str, str]] = []
    refers: dict[str, str] = {}  # mention m_id -> the instance it refers to
    participants: list[tuple[list[str], str, str]] = []
    if relations is not None:
        for rel in relations:
            src = [s.get("m_id", "") for s in rel.findall("source")]
            tgt = rel.find("target")
            t = tgt.get("m_id", "") if tgt is not None else ""
            if rel.tag == "REFERS_TO":
                for s in src:
                    refers[s] = t
                    if t in instances:
                        cls_of[s] = instances[t]
            elif rel.tag == "HAS_PARTICIPANT" and t in mentions:
                participants.append((src, rel.get("sem_role", ""), t))
            elif rel.tag == "TLINK":
                for s in src:
                    tlinks.append((s, t, rel.get("reltype", "")))
    for src, role, t in participants:
        spans = [mentions[t]]
        if text[mentions[t][0]:mentions[t][1]].casefold() in _PRONOUNS and t in refers:
            spans += [
                mentions[m] for m, inst in refers.items()
                if inst == refers[t] and m != t and m in mentions and mention_sent.get(m) == mention_sent.get(t)
            ]
        for s in src:
            roles[s][role].extend(spans)
    events = []
    held: set[int] = set()
    for mid, el in event_els.items():
        verbal = el.get("pos") == "VERB"
        events.append(
            GoldEvent(
                span=mentions[mid],
                verbal=verbal,
                action_like=verbal and cls_of.get(mid, "") not in _NOT_ACTION_CLASSES,
                roles={k: list(v) for k, v in roles.get(mid, {}).items()},
                date=anchored_value(mid, tlinks, timex, dct),
            )
        )
        first = el.find("token_anchor")
        if first is not None and first.get("t_id", "") in sent_of:
            held.add(sent_of[first.get("t_id", "")])
    events.sort(key=lambda g: g.span)
    sentences = []
    for s in sorted(held):
        toks = sorted(by_sent[s])
        sentences.append((offsets[toks[0][1]][0], offsets[toks[-1][1]][1]))
    return GoldDoc(path.stem.split("_", 1)[0], text, day, events, sentences)


def load_meantime() -> list[GoldDoc]:
    out = []
    for corpus in ("corpus_airbus", "corpus_apple"):
        for path in sorted((MEANTIME / corpus).glob("*.xml")):
            doc = load_doc(path)
            if doc is not None:
                out.append(doc)
    return out


# --------------------------------------------------------------------------- systems


@dataclass
class Predicted:
    span: Span  # the verb
    lemma: str
    passive: bool
    subject: Span | None
    obj: Span | None
    date: str | None
    date_source: str


def storyline_actions(note: Mapping[str, Any]) -> list[Predicted]:
    from storyline.actions import ActionRecord

    out = []
    for p in note["actions"]:
        a = ActionRecord.from_payload(p)
        out.append(Predicted((a.start, a.end), a.lemma, a.passive, a.subject_span, a.object_span, a.date, a.date_source))
    return out


def baseline_actions(doc: Any, note: Mapping[str, Any], day: str) -> list[Predicted]:
    """Every verb; nearest named entity before / after it in its sentence; nearest date of its sentence."""
    names = sorted((int(s), int(e)) for s, e, _t, _lab in note["mentions"])
    dates = sorted(
        (int(s), int(e), str(v)) for s, e, _t, v, _k in note["dates"] if v and re.match(r"^\d{4}-\d{2}", str(v))
    )
    out = []
    for sent in doc.sents:
        s0, s1 = sent.start_char, sent.end_char
        for tok in sent:
            if tok.pos_ != "VERB":
                continue
            v = tok.idx
            before = [n for n in names if s0 <= n[0] and n[1] <= v]
            after = [n for n in names if n[0] > v and n[1] <= s1]
            near = [d for d in dates if s0 <= d[0] and d[1] <= s1]
            date = min(near, key=lambda d: abs(d[0] - v))[2] if near else day
            out.append(
                Predicted(
                    (v, v + len(tok.text)),
                    tok.lemma_,
                    False,
                    before[-1] if before else None,
                    after[0] if after else None,
                    date,
                    "text" if near else "published",
                )
            )
    return out


# --------------------------------------------------------------------------- tally


@dataclass
class Tally:
    predicted: int = 0  # in annotated sentences
    matched: int = 0
    gold: Counter[str] = field(default_factory=Counter)  # all / verbal / action_like
    found: Counter[str] = field(default_factory=Counter)
    subject: list[int] = field(default_factory=lambda: [0, 0])  # right, compared
    obj: list[int] = field(default_factory=lambda: [0, 0])
    date: list[int] = field(default_factory=lambda: [0, 0])
    date_text: list[int] = field(default_factory=lambda: [0, 0])  # dated by an expression of the text
    shown: list[str] = field(default_factory=list)
    outcomes: dict[tuple[str, int], dict[str, bool]] = field(default_factory=dict)  # per matched gold event


def score(gold: GoldDoc, predicted: Sequence[Predicted], tally: Tally, *, show: int = 0) -> None:
    """Add one document's comparison to ``tally``."""
    in_scope = [p for p in predicted if any(s <= p.span[0] < e for s, e in gold.sentences)]
    matches = match_events([p.span for p in in_scope], [g.span for g in gold.events])
    tally.predicted += len(in_scope)
    tally.matched += len(matches)
    for g in gold.events:
        tally.gold["all"] += 1
        tally.gold["verbal"] += g.verbal
        tally.gold["action_like"] += g.action_like
    for i, j in matches.items():
        p, g = in_scope[i], gold.events[j]
        tally.found["all"] += 1
        tally.found["verbal"] += g.verbal
        tally.found["action_like"] += g.action_like
        subj_gold, obj_gold = role_spans(p.passive, g.roles, transitive=p.obj is not None)
        outcome = tally.outcomes.setdefault((gold.doc_id, j), {})
        if p.subject is not None and subj_gold:
            outcome["subject"] = span_agrees(p.subject, subj_gold)
            tally.subject[1] += 1
            tally.subject[0] += outcome["subject"]
        if p.obj is not None and obj_gold:
            outcome["object"] = span_agrees(p.obj, obj_gold)
            tally.obj[1] += 1
            tally.obj[0] += outcome["object"]
        if g.date:
            ok = outcome["date"] = date_agrees(p.date, g.date)
            tally.date[1] += 1
            tally.date[0] += ok
            if p.date_source != "published":
                tally.date_text[1] += 1
                tally.date_text[0] += ok
            if not ok and len(tally.shown) < show:
                tally.shown.append(f"{gold.doc_id}: {gold.text[p.span[0]:p.span[1]]!r} date {p.date} ({p.date_source}), gold {g.date}")
    for i, p in enumerate(in_scope):
        if i not in matches and len(tally.shown) < show:
            s = max(0, p.span[0] - 40)
            tally.shown.append(f"{gold.doc_id}: unmatched {p.lemma!r}: ...{gold.text[s:p.span[1] + 30]!r}")


def misses(gold: GoldDoc, doc: Any, predicted: Sequence[Predicted]) -> list[str]:
    """Missed action-like gold events (with the parse of the event word) and unmatched actions, each with its
    sentence: the raw material for classifying errors."""
    in_scope = [p for p in predicted if any(s <= p.span[0] < e for s, e in gold.sentences)]
    matches = match_events([p.span for p in in_scope], [g.span for g in gold.events])
    found = set(matches.values())

    def sentence(at: int) -> str:
        s, e = next(((s, e) for s, e in gold.sentences if s <= at < e), (at, at + 80))
        return gold.text[s:e].replace("\n", " ")

    lines = []
    for j, g in enumerate(gold.events):
        if not g.action_like or j in found:
            continue
        span = doc.char_span(g.span[0], g.span[1], alignment_mode="expand")
        tok = span.root if span is not None and len(span) else None
        parse = f"{tok.pos_}/{tok.tag_} {tok.dep_}<-{tok.head.text}" if tok is not None else "?"
        subj = [c.text + ":" + c.dep_ for c in tok.children if c.dep_ in ("nsubj", "nsubjpass", "agent")] if tok is not None else []
        lines.append(f"MISS {gold.doc_id} {gold.text[g.span[0]:g.span[1]]!r} [{parse} {' '.join(subj)}]"
                     f" roles={sorted(g.roles)}  | {sentence(g.span[0])}")
    for i, p in enumerate(in_scope):
        if i not in matches:
            lines.append(f"FP   {gold.doc_id} {gold.text[p.span[0]:p.span[1]]!r} ({p.lemma})  | {sentence(p.span[0])}")
            continue
        subj_gold, obj_gold = role_spans(p.passive, gold.events[matches[i]].roles, transitive=p.obj is not None)
        for tag, span, want_spans in (("SUBJ", p.subject, subj_gold), ("OBJ ", p.obj, obj_gold)):
            if span is not None and want_spans and not span_agrees(span, want_spans):
                want = " / ".join(gold.text[a:b] for a, b in want_spans)
                lines.append(f"{tag} {gold.doc_id} {gold.text[p.span[0]:p.span[1]]!r} {gold.text[span[0]:span[1]]!r},"
                             f" gold {want!r}  | {sentence(p.span[0])}")
    return lines


def row(name: str, t: Tally) -> str:
    p = ratio(t.matched, t.predicted)
    r = {k: ratio(t.found[k], t.gold[k]) for k in ("all", "verbal", "action_like")}
    return (
        f"{name:<10} {t.predicted:>6} {t.matched:>6} {p:>6.3f} {r['all']:>6.3f} {r['verbal']:>6.3f} {r['action_like']:>6.3f}"
        f" {f1(p, r['action_like']):>6.3f}"
        f" {ratio(*t.subject):>6.3f} ({t.subject[1]:>3}) {ratio(*t.obj):>6.3f} ({t.obj[1]:>3})"
        f" {ratio(*t.date):>6.3f} ({t.date[1]:>3}) {ratio(*t.date_text):>6.3f} ({t.date_text[1]:>3})"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--show", type=int, default=0, help="list this many unmatched actions / wrong dates per system")
    ap.add_argument("--misses", action="store_true", help="list missed action-like events, unmatched actions, wrong subjects and objects")
    args = ap.parse_args(argv)
    if not MEANTIME.is_dir():
        print(f"{MEANTIME} is not available: nothing to measure", file=sys.stderr)
        return 0

    import hashlib

    from storyline.model import Article
    from storyline.nlp import english
    from storyline.pipeline import annotate

    started = time.time()
    golds = load_meantime()
    nlp = english()
    ours, base = Tally(), Tally()
    missed: list[str] = []
    for g in golds:
        article = Article(id=g.doc_id, text=g.text, content_hash=hashlib.sha256(g.text.encode()).hexdigest(), published_at=g.day)
        doc = nlp(g.text)
        note = annotate(article, doc, g.day)
        score(g, storyline_actions(note), ours, show=args.show)
        if args.misses:
            missed += misses(g, doc, storyline_actions(note))
        score(g, baseline_actions(doc, note, g.day), base, show=args.show)
    n_events = sum(len(g.events) for g in golds)
    print(
        f"actions vs MEANTIME airbus+apple: {len(golds)} articles, {n_events} gold events "
        f"({ours.gold['verbal']} verbal, {ours.gold['action_like']} action-like), {time.time() - started:.0f} s"
    )
    print(
        f"{'system':<10} {'pred':>6} {'match':>6} {'prec':>6} {'R all':>6} {'R verb':>6} {'R act':>6} {'F1 act':>6}"
        f" {'subject':>12} {'object':>12} {'date':>12} {'date(text)':>12}"
    )
    print(row("storyline", ours))
    print(row("baseline", base))
    print("(subject/object/date: accuracy (pairs compared); F1 act: precision with recall of action-like events)")
    print("on the gold events both systems match and both compare:")
    for what in ("subject", "object", "date"):
        both = [k for k, o in ours.outcomes.items() if what in o and what in base.outcomes.get(k, {})]
        a = sum(ours.outcomes[k][what] for k in both)
        b = sum(base.outcomes[k][what] for k in both)
        print(f"  {what:<8} storyline {ratio(a, len(both)):.3f}  baseline {ratio(b, len(both)):.3f}  ({len(both)} events)")
    if args.misses:
        print(f"storyline misses ({sum(x.startswith('MISS') for x in missed)}), unmatched actions "
              f"({sum(x.startswith('FP') for x in missed)}), wrong subjects ({sum(x.startswith('SUBJ') for x in missed)})"
              f" and objects ({sum(x.startswith('OBJ') for x in missed)}):")
        for line in missed:
            print("  " + line)
    if args.show:
        for name, t in (("storyline", ours), ("baseline", base)):
            print(f"{name}:")
            for line in t.shown:
                print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
