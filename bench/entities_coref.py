"""Cross-document entity coreference on proper-name mentions: ECB+ dev and MEANTIME dev.

Data (read only): ../shared/data/ecbplus (ECB_Dev_corpus.txt + ECB_Dev_Entity_gold_mentions.json)
and ../shared/data/meantime/intra_cross-doc_annotation/corpus_{airbus,apple}.

Documents are rebuilt from their tokens (light detokenisation, one sentence a
line) and parsed by the project's spaCy pipeline.

Gold mentions kept: the ones that are proper names.

* MEANTIME marks them: ``syntactic_type="NAM"``.
* ECB+ does not, so a mention counts as a name when it is not a time
  expression, every content word in it is capitalised, spaCy tags at least
  one of its words PROPN, in a headline-like sentence where most words
  are capitalised every content word is PROPN, and a one-word mention that
  is capitalised only by position (sentence start, headline, all capitals)
  is not a word the corpus also writes in lower case ("Coach", "RECEIVER").

A leading preposition or article ("in the Gulf of Aden": ECB+ puts them
inside location mentions), a trailing possessive, an appositive age (", 61")
and stray punctuation are trimmed from gold spans, as the extractor trims them. Gold chains are the corpora's cross-document
chains; mentions without one are singletons.

Topic groups (what ``resolve_entities`` sees at once):

* ECB+: a *topic* (default): both of its subtopics (ecb / ecbplus, two
  seminal events of one kind), because ECB+'s gold entity chains run across
  the two (the same team, city or actor in both). ``--group subtopic``
  resolves each seminal event's documents alone, i.e. what one Storyline
  story holds; chains spanning subtopics are then split by construction.
* MEANTIME: a sub-corpus (airbus, apple), since its cross-document chains
  span the whole sub-corpus.

Settings:

* ``system``: ``extract_mentions`` over the spaCy docs, then, as the pipeline
  does per story, ``add_story_mentions`` and ``resolve_entities`` per group
  (the recall of ``extract_mentions`` alone is printed too). A predicted
  mention counts when it head-matches a gold name mention: it lies inside the
  gold span and ends where it ends (MEANTIME's name spans carry descriptions:
  "aircraft manufacturer Boeing"); the exact-span count is printed too. A second
  system row also counts a predicted mention inside a gold span that holds the
  span's syntactic head in our parse, when nothing ending with the span matched
  ("Toulouse" in "Toulouse, France", "Singapore Airlines" in "Singapore Airlines (SIA"):
  head matching as coreference scorers use it, for spans whose head comes first. Gold mentions the NER missed stay in the key
  (recall pays for them); predicted mentions that match no gold name mention are
  left out of the response (ECB+ annotates only the entities of the seminal event,
  so most of them are unannotated names, not errors).
* ``gold``: the gold name mentions themselves (with the label of the NER span
  that overlaps them most, else one mapped from the gold type) go to
  ``resolve_entities``: resolution measured without NER errors.
* ``exact-string baseline``: gold mentions grouped by their normalised string.

MUC, B-cubed, CEAF-e and CoNLL F1 (their mean) come from
``storyline.coref_metrics`` (singletons included).

    python bench/entities_coref.py [--group subtopic|topic] [--ecb-split Dev|Train] [--show-errors N]
"""

from __future__ import annotations

import argparse
import json
import re
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"

_NO_SPACE_BEFORE = {",", ".", ":", ";", "?", "!", ")", "]", "}", "%", "'s", "'S", "'", "n't", "'re", "'ve", "'ll", "'d", "'m", "’s"}
_NO_SPACE_AFTER = {"(", "[", "{", "$", "#"}
_FUNCTION = {"the", "a", "an", "of", "and", "for", "&", "'s", "'", "’s", "-", "de", "del", "la", "le", "al", "el", "van", "von", "der", "du", "da", "on", "in", "at", "to"}


@dataclass
class Doc:
    doc_id: str
    group: str
    text: str
    # (sentence id, token id) -> (start, end) in text
    offsets: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Gold:
    mid: str
    doc_id: str
    start: int
    end: int
    chain: str
    etype: str


def build_text(sentences: Sequence[tuple[int, Sequence[tuple[int, str]]]]) -> tuple[str, dict[tuple[int, int], tuple[int, int]]]:
    parts: list[str] = []
    offsets: dict[tuple[int, int], tuple[int, int]] = {}
    pos = 0
    for n, (sid, toks) in enumerate(sentences):
        if n:
            parts.append("\n")
            pos += 1
        prev = None
        for tid, tok in toks:
            if prev is not None and tok not in _NO_SPACE_BEFORE and prev not in _NO_SPACE_AFTER:
                parts.append(" ")
                pos += 1
            offsets[(sid, tid)] = (pos, pos + len(tok))
            parts.append(tok)
            pos += len(tok)
            prev = tok
    return "".join(parts), offsets


_LEAD = re.compile(r"(?:(?:in|at|on|of|from|to|near|In|At|On|Of|From|To|Near|IN|AT|ON)\s+)?(?:(?:the|The|THE|a|A|an|An)\s+)?")
_TRAIL = re.compile(r"(?:\s*(?:['’]s|['’])|,\s*\d+|[\s.,(]+)$")


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading preposition / article and a trailing possessive, ", 61" age or stray punctuation."""
    span = text[start:end]
    m = _LEAD.match(span)
    if m and 0 < m.end() < len(span):
        start += m.end()
    for _ in range(3):
        m = _TRAIL.search(text[start:end])
        if m and m.start() > 0:
            end = start + m.start()
    return start, end


# --------------------------------------------------------------------------- ECB+


def load_ecb(split: str, group_by: str) -> tuple[list[Doc], list[tuple[Gold, list[str]]]]:
    """Documents and gold mentions (each with its words, for the name filter)."""
    folder = SHARED / "ecbplus"
    sentences: dict[str, dict[int, list[tuple[int, str]]]] = defaultdict(lambda: defaultdict(list))
    for line in (folder / f"ECB_{split}_corpus.txt").read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) < 4:
            continue
        sentences[cols[0]][int(cols[1])].append((int(cols[2]), cols[3]))
    docs: dict[str, Doc] = {}
    for doc_id, sents in sentences.items():
        text, offsets = build_text([(sid, sents[sid]) for sid in sorted(sents)])
        topic, rest = doc_id.split("_", 1)
        sub = "ecbplus" if rest.endswith("ecbplus") else "ecb"
        docs[doc_id] = Doc(doc_id, f"ecb{topic}" + (f"_{sub}" if group_by == "subtopic" else ""), text, offsets)
    golds: list[tuple[Gold, list[str]]] = []
    raw = json.loads((folder / f"ECB_{split}_Entity_gold_mentions.json").read_text(encoding="utf-8"))
    for n, m in enumerate(raw):
        doc = docs.get(m["doc_id"])
        if doc is None or m["mention_type"] == "TIM":
            continue
        toks = sorted(m["tokens_number"])
        try:
            s = doc.offsets[(m["sent_id"], toks[0])][0]
            e = doc.offsets[(m["sent_id"], toks[-1])][1]
        except KeyError:
            continue
        s, e = trim_span(doc.text, s, e)
        words = doc.text[s:e].split()
        golds.append((Gold(f"ecb:{n}", doc.doc_id, s, e, m["coref_chain"], m["mention_type"]), words))
    return list(docs.values()), golds


def ecb_name_filter(golds: Iterable[tuple[Gold, list[str]]], spacy_docs: dict[str, Any]) -> list[Gold]:
    lower_words = {t.text for sd in spacy_docs.values() for t in sd if t.is_alpha and t.text.islower()}
    out = []
    for g, words in golds:
        content = [w for w in words if w.casefold() not in _FUNCTION and any(ch.isalpha() for ch in w)]
        if not content or not all(w[0].isupper() or w[0].isdigit() for w in content):
            continue
        sdoc = spacy_docs[g.doc_id]
        span = sdoc.char_span(g.start, g.end, alignment_mode="expand")
        if span is None:
            continue
        toks = [t for t in span if t.is_alpha and t.lower_ not in _FUNCTION]
        if not any(t.pos_ == "PROPN" for t in toks):
            continue
        sent_words = [t for t in span.sent if t.is_alpha and len(t) > 3]
        headline = sent_words and sum(t.text[0].isupper() for t in sent_words) / len(sent_words) >= 0.7
        if headline and not all(t.pos_ == "PROPN" for t in toks):
            continue
        if len(toks) == 1 and toks[0].lower_ in lower_words and (headline or toks[0].is_sent_start or toks[0].is_upper):
            continue  # "Coach", "RECEIVER": a common noun written with a capital, used lower-case elsewhere
        out.append(g)
    return out


# --------------------------------------------------------------------------- MEANTIME


def load_meantime() -> tuple[list[Doc], list[Gold]]:
    root_dir = SHARED / "meantime" / "intra_cross-doc_annotation"
    docs: list[Doc] = []
    golds: list[Gold] = []
    for corpus in ("corpus_airbus", "corpus_apple"):
        for path in sorted((root_dir / corpus).glob("*.xml")):
            root = ET.parse(path).getroot()
            doc_id = path.stem.split("_", 1)[0]
            by_sent: dict[int, list[tuple[int, str]]] = defaultdict(list)
            tid_pos: dict[str, tuple[int, int]] = {}
            for tok in root.iter("token"):
                sid, num = int(tok.get("sentence", "0")), int(tok.get("number", "0"))
                by_sent[sid].append((num, tok.text or ""))
                tid_pos[tok.get("t_id", "")] = (sid, num)
            text, offsets = build_text([(sid, by_sent[sid]) for sid in sorted(by_sent)])
            docs.append(Doc(doc_id, corpus.removeprefix("corpus_"), text, offsets))
            markables = root.find("Markables")
            relations = root.find("Relations")
            instance: dict[str, tuple[str, str]] = {}
            mentions: dict[str, tuple[str, list[str]]] = {}
            if markables is not None:
                for el in markables:
                    if el.tag == "ENTITY":
                        iid = el.get("instance_id") or f"{doc_id}:{el.get('m_id')}"
                        instance[el.get("m_id", "")] = (iid, el.get("ent_type", ""))
                    elif el.tag == "ENTITY_MENTION" and el.get("syntactic_type") == "NAM":
                        anchors = [a.get("t_id", "") for a in el.findall("token_anchor")]
                        mentions[el.get("m_id", "")] = (el.get("m_id", ""), anchors)
            chain_of: dict[str, tuple[str, str]] = {}
            if relations is not None:
                for rel in relations.findall("REFERS_TO"):
                    target = rel.find("target")
                    if target is None or target.get("m_id") not in instance:
                        continue
                    for src in rel.findall("source"):
                        chain_of[src.get("m_id", "")] = instance[target.get("m_id", "")]
            for mid, (_, anchors) in mentions.items():
                pos = sorted(tid_pos[a] for a in anchors if a in tid_pos)
                if not pos:
                    continue
                s, e = offsets[pos[0]][0], offsets[pos[-1]][1]
                s, e = trim_span(text, s, e)
                chain, etype = chain_of.get(mid, (f"{doc_id}:single:{mid}", ""))
                golds.append(Gold(f"mt:{doc_id}:{mid}", doc_id, s, e, chain, etype))
    return docs, golds


# --------------------------------------------------------------------------- evaluation

_TYPE_LABEL = {"HUM": "PERSON", "PER": "PERSON", "LOC": "GPE", "NON": "ORG", "ORG": "ORG", "PRO": "ORG", "FIN": "ORG", "MIX": "ORG"}


def head_match(
    golds: list[Gold], predicted: dict[str, list[Any]], heads: Mapping[str, tuple[int, int]] | None = None,
) -> dict[tuple[str, int, int], str]:
    """Predicted mention -> gold mention id.

    A predicted mention matches when it lies inside the gold span and ends where
    it ends ("Boeing" in "aircraft manufacturer Boeing"); the longest one wins,
    and a predicted mention stands for one gold mention at most. With ``heads``
    (gold mention id -> character span of the gold span's syntactic head), a gold
    mention left unmatched then takes a predicted mention inside its span that
    holds that head ("Toulouse" in "Toulouse, France", "Aer Lingus" in "Irish
    national airline Aer Lingus" when the parse heads it there).
    """
    match: dict[tuple[str, int, int], str] = {}
    for g in sorted(golds, key=lambda g: g.end - g.start):
        cands = [
            m for m in predicted[g.doc_id]
            if g.start <= m.start and m.end == g.end and (m.article_id, m.start, m.end) not in match
        ]
        if cands:
            m = min(cands, key=lambda m: m.start)
            match[(m.article_id, m.start, m.end)] = g.mid
    if heads:
        taken = set(match.values())
        for g in sorted(golds, key=lambda g: g.end - g.start):
            if g.mid in taken or g.mid not in heads:
                continue
            hs, he = heads[g.mid]
            cands = [
                m for m in predicted[g.doc_id]
                if g.start <= m.start <= hs and he <= m.end <= g.end and (m.article_id, m.start, m.end) not in match
            ]
            if cands:
                m = max(cands, key=lambda m: (m.end - m.start, -m.start))
                match[(m.article_id, m.start, m.end)] = g.mid
    return match


def syntactic_heads(golds: list[Gold], spacy_docs: Mapping[str, Any]) -> dict[str, tuple[int, int]]:
    """Gold mention id -> character span of the root token of its span in our parse."""
    out: dict[str, tuple[int, int]] = {}
    for g in golds:
        span = spacy_docs[g.doc_id].char_span(g.start, g.end, alignment_mode="expand")
        if span is not None and len(span):
            root = span.root
            out[g.mid] = (root.idx, root.idx + len(root.text))
    return out


def evaluate(name: str, docs: list[Doc], golds: list[Gold], spacy_docs: dict[str, Any], show_errors: int) -> None:
    from storyline.coref_metrics import PRF, clusters_from_labels, conll
    from storyline.entities import (
        add_story_mentions,
        extract_mentions,
        resolve_entities,
    )
    from storyline.model import Mention
    from storyline.names import normalize_name

    group_of = {d.doc_id: d.group for d in docs}
    text_of = {d.doc_id: d.text for d in docs}
    key = clusters_from_labels({g.mid: g.chain for g in golds})
    by_span = {(g.doc_id, g.start, g.end): g for g in golds}

    predicted: dict[str, list[Mention]] = {d.doc_id: extract_mentions(spacy_docs[d.doc_id], d.doc_id) for d in docs}
    in_doc = len(head_match(golds, predicted))
    # As the pipeline does per story: names one report tags, found in the group's other reports.
    members: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        members[d.group].append(d.doc_id)
    for ids in members.values():
        grown = add_story_mentions({i: text_of[i] for i in ids}, [m for i in ids for m in predicted[i]])
        for i in ids:
            predicted[i] = []
        for m in grown:
            predicted[m.article_id].append(m)
    exact = sum(1 for ms in predicted.values() for m in ms if (m.article_id, m.start, m.end) in by_span)
    match = head_match(golds, predicted)
    match_by_root = head_match(golds, predicted, syntactic_heads(golds, spacy_docs))
    overlapping = 0
    for g in golds:
        if any(m.start < g.end and g.start < m.end for m in predicted[g.doc_id]):
            overlapping += 1

    def run(mentions_by_group: dict[str, list[Mention]], with_texts: bool = False) -> tuple[list[list[str]], float]:
        response: list[list[str]] = []
        t0 = time.perf_counter()
        for grp, ms in sorted(mentions_by_group.items()):
            # As in the pipeline, the system setting passes the texts (respellings aligned across reports).
            texts = {i: text_of[i] for i in members[grp]} if with_texts else None
            for ent in resolve_entities(ms, id_prefix=f"{grp}:", texts=texts):
                ids = [match[k] for m in ent.mentions if (k := (m.article_id, m.start, m.end)) in match]
                if ids:
                    response.append(ids)
        return response, time.perf_counter() - t0

    system_groups: dict[str, list[Mention]] = defaultdict(list)
    for doc_id, ms in predicted.items():
        system_groups[group_of[doc_id]].extend(ms)
    system, t_sys = run(system_groups, with_texts=True)
    system_match = dict(match)
    match = match_by_root
    system_by_root, _ = run(system_groups, with_texts=True)

    gold_groups: dict[str, list[Mention]] = defaultdict(list)
    for g in golds:
        best: tuple[int, str] | None = None
        for m in predicted[g.doc_id]:
            ov = min(m.end, g.end) - max(m.start, g.start)
            if ov > 0 and (best is None or ov > best[0]):
                best = (ov, m.label)
        label = best[1] if best else _TYPE_LABEL.get(g.etype, "ORG")
        gold_groups[group_of[g.doc_id]].append(Mention(g.doc_id, g.start, g.end, text_of[g.doc_id][g.start : g.end], label))
    match = {(g.doc_id, g.start, g.end): g.mid for g in golds}
    gold_resp, t_gold = run(gold_groups)

    baseline = clusters_from_labels({g.mid: (group_of[g.doc_id], normalize_name(text_of[g.doc_id][g.start : g.end])) for g in golds})

    n_docs, n_groups = len(docs), len(set(group_of.values()))
    print(f"\n== {name}: {n_docs} docs in {n_groups} groups; {len(golds)} gold proper-name mentions in {len(key)} gold entities")
    n = max(1, len(golds))
    print(
        f"NER found {len(system_match)}/{len(golds)} gold name mentions ({len(system_match) / n:.1%}) by head match, "
        f"{exact} ({exact / n:.1%}) with the exact span; {overlapping} ({overlapping / n:.1%}) overlap a predicted mention; "
        f"{in_doc} ({in_doc / n:.1%}) from each document alone; "
        f"{len(match_by_root)} ({len(match_by_root) / n:.1%}) when a mention holding the gold span's syntactic head counts too"
    )
    print(f"{'setting':<24} {'MUC P/R/F':>20} {'B3 P/R/F':>20} {'CEAF-e P/R/F':>20} {'CoNLL F1':>9}")
    settings = (
        ("system (NER + resolve)", system),
        ("system, syntactic heads", system_by_root),
        ("gold mentions + resolve", gold_resp),
        ("exact-string baseline", baseline),
    )
    for label, resp in settings:
        s = conll(key, resp)
        cells = []
        for k in ("muc", "b3", "ceafe"):
            v = s[k]
            assert isinstance(v, PRF)
            cells.append(f"{v.precision:.3f}/{v.recall:.3f}/{v.f1:.3f}")
        print(f"{label:<24} {cells[0]:>20} {cells[1]:>20} {cells[2]:>20} {s['conll']:9.3f}")
    print(f"resolve_entities time: system {t_sys:.2f}s, gold {t_gold:.2f}s")
    if show_errors:
        print("errors with gold mentions:")
        _show_errors(golds, gold_resp, text_of, show_errors)
        print("errors with our NER (found mentions only):")
        _show_errors([g for g in golds if g.mid in set(system_match.values())], system, text_of, show_errors)


def _show_errors(golds: list[Gold], response: list[list[str]], text_of: dict[str, str], n: int) -> None:
    g_by = {g.mid: g for g in golds}
    surface = {g.mid: text_of[g.doc_id][g.start : g.end] for g in golds}
    wrong_merges = []
    for cluster in response:
        chains = Counter(g_by[m].chain for m in cluster)
        if len(chains) > 1:
            forms = {c: sorted({surface[m] for m in cluster if g_by[m].chain == c}) for c in chains}
            wrong_merges.append(" | ".join("/".join(f[:4]) for f in forms.values()))
    owner = {m: i for i, c in enumerate(response) for m in c}
    splits = []
    chains: dict[str, list[str]] = defaultdict(list)
    for g in golds:
        chains[g.chain].append(g.mid)
    for members in chains.values():
        parts: dict[int, set[str]] = defaultdict(set)
        for m in members:
            parts[owner.get(m, -1)].add(surface[m])
        if len(parts) > 1:
            splits.append(" | ".join("/".join(sorted(p)[:4]) for p in parts.values()))
    print(f"  merged across gold entities ({len(wrong_merges)}):")
    for line in wrong_merges[:n]:
        print("    " + line)
    print(f"  gold entities split ({len(splits)}):")
    for line in splits[:n]:
        print("    " + line)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--group", choices=("subtopic", "topic"), default="topic", help="ECB+ resolution groups")
    parser.add_argument("--ecb-split", choices=("Dev", "Train"), default="Dev")
    parser.add_argument("--show-errors", type=int, default=0)
    args = parser.parse_args()
    if not SHARED.is_dir():
        raise SystemExit(f"not found: {SHARED}")

    from storyline.nlp import english

    nlp = english()

    def parse(docs: list[Doc]) -> dict[str, Any]:
        return {d.doc_id: sd for d, sd in zip(docs, nlp.pipe([d.text for d in docs]))}

    ecb_docs, ecb_raw = load_ecb(args.ecb_split, args.group)
    ecb_spacy = parse(ecb_docs)
    ecb_gold = ecb_name_filter(ecb_raw, ecb_spacy)
    evaluate(f"ECB+ {args.ecb_split} (groups: {args.group})", ecb_docs, ecb_gold, ecb_spacy, args.show_errors)

    mt_docs, mt_gold = load_meantime()
    evaluate("MEANTIME airbus+apple (groups: sub-corpus)", mt_docs, mt_gold, parse(mt_docs), args.show_errors)


if __name__ == "__main__":
    main()
