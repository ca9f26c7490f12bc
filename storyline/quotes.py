"""Direct quotations and who said them.

Conventions:

- Quotations are in double quotes, curly (“…”) or straight ("…"). Single quotes
  are not read as quotation marks (they are apostrophes far more often).
- ``text`` is the quoted words without the marks, trimmed of surrounding spaces
  and of a trailing comma (American punctuation: “We will,” she said.);
  ``start``/``end`` index exactly those words.
- A quotation interrupted by its attribution (“A,” he said. “B.”) gives two
  mentions with the same speaker: each part keeps its own offsets. Parts of a
  quotation that runs over several paragraphs (an opening mark without a
  closing one, the next paragraph opening with a mark again) are one mention
  per paragraph, sharing the speaker.
- Reports often lose a mark: an opening mark that is never closed runs to the
  end of its paragraph; a closing mark with no opening one in its paragraph
  closes a quotation that began at the paragraph's start.
- Scare quotes and short fragments are dropped: a mention has at least
  ``min_words`` (4) words. Titles (“The Secret Relationship …” after
  "entitled", "called", ...) are dropped too.
- Speaker: the nearest attribution — “…,” X said / “…,” said X / X said: “…” /
  X, who …, said / according to X / the union said in its statement that “…”.
  A pronoun ("he said") resolves to the most recent person named before the
  quotation (with a spaCy ``doc``, its PERSON entities; otherwise capitalised
  names, preferring ones that speak elsewhere); ``speaker_start/speaker_end``
  then point at that earlier name. A possessive source ("NVTA’s statement
  said") names the possessor ("NVTA").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .model import QuoteMention
from .sentences import split_sentences

__all__ = ["extract_quotes", "SPEECH_VERBS"]

SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|stated|states|wrote|writes|tweeted|tweets|posted|posts|asked|asks|"
    "explained|explains|noted|notes|continued|continues|argued|argues|insisted|insists|declared|declares|"
    "announced|announces|replied|replies|responded|responds|acknowledged|acknowledges|warned|warns|recalled|"
    "remarked|commented|comments|claimed|claims|urged|urges|emailed|testified|concluded|concludes|admitted|"
    "admits|conceded|concedes|added|shouted|yelled|wondered|suggested|suggests|observed|confirmed|confirms|"
    "reiterated|stressed|stresses|emphasized|said\\s+in\\s+a\\s+statement|read|reads"
)
_VERB = rf"(?:{SPEECH_VERBS})"
_PRONOUN = r"(?:he|she|they|it|He|She|They|It|we|We|I)"
_NAME_WORD = r"(?:(?:Mr|Mrs|Ms|Mx|Dr|Prof|Sen|Rep|Gov|Gen|Lt|Col|Capt|Sgt|Supt|Rev|Hon|Atty)\.|[A-Z][\w’'-]*[\w]|[A-Z]\.|[A-Z])"
_NAME = rf"(?:{_NAME_WORD}(?:\s+(?:(?:de|van|von|der|den|da|di|la|le|al|bin|ibn|el)\s+)?{_NAME_WORD}){{0,4}})"
_NP = r"(?:[Tt]he|[Aa]n?|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir)\s+(?:[\w-]+(?:’s|'s)?\s+){0,3}?[\w-]+(?:’s|'s)?"
_SPEAKER = rf"(?P<sp>{_NAME}(?:(?:’s|'s)\s+[a-z]+)?|{_NP}|{_PRONOUN})"

# After the closing mark: “…,” X said / “…,” said X / “…,” X, who …, said / according to X
_AFTER_SUBJ_VERB = re.compile(rf"\s*,?\s*{_SPEAKER}(?:\s+(?:also|then|later|previously|has|had|once))?\s+{_VERB}\b")
_AFTER_VERB_SUBJ = re.compile(rf"\s*,?\s*{_VERB}\s+(?P<sp>{_NAME}|{_NP}|{_PRONOUN})")
_AFTER_APPOSITIVE = re.compile(rf"\s*,?\s*(?P<sp>{_NAME}),\s+[^,“”\"\n]{{2,90}},\s+{_VERB}\b")
_ACCORDING = re.compile(rf"\baccording\s+to\s+(?P<sp>{_NAME}|{_NP})")
# Before the opening mark: X said: “…” / X said in a statement that “…” / X, adding: “…”
_BEFORE = re.compile(
    rf"(?P<sp>{_NAME}(?:(?:’s|'s)\s+[a-z]+)?|{_NP}|{_PRONOUN})(?:\s+(?:also|then|later|previously|has|had|once|"
    rf"would|will))?\s+{_VERB}\b[^“”\"\n]{{0,90}}$"
)
_SUBJECT_START = re.compile(rf"\s*(?P<sp>(?:[Tt]he)\s+(?:[\w-]+\s+){{0,2}}?[\w-]+|{_PRONOUN}|{_NAME}(?:(?:’s|'s)\s+[a-z]+)?)(?=\s+(?:also\s+|then\s+|later\s+|has\s+|had\s+|have\s+|is\s+|was\s+)?[a-z]+(?:ed|s)?\b)")
_SAYING = re.compile(rf"(?:,\s*)?\b(?:adding|saying|writing|noting|explaining|asking|declaring|insisting)\s*[:,]?\s*$")

_SOURCE_NOUNS = (
    "statement", "spokesperson", "spokesman", "spokeswoman", "website", "release", "email", "letter", "post",
    "tweet", "account", "lawyer", "attorney", "office", "campaign", "representative", "announcement",
)
_NOT_NAMES = frozenset(
    """
    The A An In On At By For From With As After Before When While If But And Or So Yet This That These Those
    There Here It Its He She They We I You His Her Their Our Your My Mr Mrs Ms Dr Then Now Still Also
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
    September October November December Everyone Some Many Most All One Two Three According However Meanwhile
    """.split()
)
_ORG_WORDS = frozenset(
    """
    union teachers federation council board center centre district school schools university college
    department committee commission association party times news post journal press inc corp company
    force plan caucus league coalition agency office city county state house senate court church group
    foundation institute network organization organisation society club team bank fund trust
    """.split()
)
_PLACE_WORDS = frozenset(
    """
    los las san santa new north south east west northeast northwest southeast southwest central upper lower
    beach hills heights park valley island islands bay river lake mount port fort street avenue road
    angeles york jersey america american africa african europe european asia asian israel gaza
    """.split()
)
_TITLE_CUE = re.compile(
    r"(?:entitled|titled|called|named|headlined|dubbed|book|film|movie|song|album|article|column|op-ed|essay|show)"
    r"\s*,?\s*$",
    re.IGNORECASE,
)

MIN_WORDS = 4


@dataclass(slots=True)
class _Part:
    start: int  # inside the marks
    end: int
    open_at: int  # offset of the opening mark (or start when missing)
    close_at: int  # offset just after the closing mark (or end when missing)
    para: int
    continues: bool  # the quotation goes on in the next paragraph


# ---------------------------------------------------------------- finding the marks


def _marks(line: str) -> list[tuple[int, str]]:
    """Quotation marks in one paragraph: (offset, 'open' | 'close')."""
    out: list[tuple[int, str]] = []
    depth = 0
    for i, ch in enumerate(line):
        if ch == "“" or ch == "„":
            out.append((i, "open"))
            depth = 1
        elif ch == "”":
            out.append((i, "close"))
            depth = 0
        elif ch == '"':
            prev = line[i - 1] if i > 0 else " "
            nxt = line[i + 1] if i + 1 < len(line) else " "
            if (prev.isspace() or prev in "([{—–-/:") and not nxt.isspace():
                kind = "open"
            elif not prev.isspace() and (nxt.isspace() or nxt in ".,;:!?)]}—–-"):
                kind = "close"
            else:
                kind = "close" if depth else "open"
            out.append((i, kind))
            depth = 1 if kind == "open" else 0
    return out


def _parts(text: str) -> list[_Part]:
    parts: list[_Part] = []
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    for pi, (ps, pe) in enumerate(paragraphs):
        line = text[ps:pe]
        marks = _marks(line)
        i = 0
        first = True
        while i < len(marks):
            pos, kind = marks[i]
            if kind == "close":
                if first and not line[:pos].strip() == "":
                    # a closing mark with no opening one: the quotation began at the paragraph's start
                    parts.append(_Part(ps + _lstrip_at(line, 0), ps + pos, ps, ps + pos + 1, pi, False))
                i += 1
                first = False
                continue
            first = False
            # an opening mark: find its close
            j = i + 1
            while j < len(marks) and marks[j][1] != "close":
                j += 1
            if j < len(marks):
                if j > i + 1:
                    # doubled opening marks: start after the last of them
                    pos = marks[j - 1][0]
                parts.append(_Part(ps + pos + 1, ps + marks[j][0], ps + pos, ps + marks[j][0] + 1, pi, False))
                i = j + 1
                # swallow doubled closing marks (“…” ”)
                while i < len(marks) and marks[i][1] == "close" and not line[marks[i - 1][0] + 1 : marks[i][0]].strip():
                    i += 1
                continue
            # unclosed: runs to the paragraph's end; continues when the next paragraph opens with a mark
            nxt = paragraphs[pi + 1] if pi + 1 < len(paragraphs) else None
            cont = bool(nxt and text[nxt[0] : nxt[1]].lstrip()[:1] in ("“", '"'))
            parts.append(_Part(ps + pos + 1, pe, ps + pos, pe, pi, cont))
            break
    return parts


def _lstrip_at(line: str, i: int) -> int:
    while i < len(line) and line[i].isspace():
        i += 1
    return i


# ---------------------------------------------------------------- names


@dataclass(frozen=True, slots=True)
class _Name:
    start: int
    end: int
    text: str
    person: bool


def _doc_names(doc: Any) -> list[_Name]:
    names = []
    for ent in getattr(doc, "ents", ()):
        if ent.label_ in ("PERSON", "ORG", "NORP", "GPE"):
            names.append(_Name(ent.start_char, ent.end_char, ent.text, ent.label_ == "PERSON"))
    return names


def _inside(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    """Whether ``pos`` falls in one of the sorted, non-overlapping ``spans``."""
    i = bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _rule_names(
    text: str, quoted: list[tuple[int, int]], extra_surnames: set[str] | frozenset[str] = frozenset()
) -> list[_Name]:
    """Capitalised names that look like people (used without spaCy).

    A person name here is two or more capitalised words not after "the" and
    without organisation or place words, or a single word that ends such a name
    elsewhere in the text ("El-Amin" after "Rashid El-Amin").
    """
    found: list[_Name] = []
    quoted_starts = [a for a, _ in quoted]
    for m in re.finditer(_NAME, text):
        words = m.group(0).split()
        while words and words[0].strip(".") in _NOT_NAMES:
            words = words[1:]
        if not words:
            continue
        start = m.end() - len(" ".join(words)) if m.group(0).endswith(" ".join(words)) else m.start()
        end = m.end()
        clean = re.sub(r"(?:’s|'s)$", "", text[start:end])
        end = start + len(clean)
        words = clean.split()
        if not words or _inside(quoted, quoted_starts, start):
            continue
        lows = [w.casefold().strip(".") for w in words]
        if any(w in _ORG_WORDS or w in _PLACE_WORDS for w in lows) or clean.isupper():
            continue
        if re.search(r"\b(?:the|The|in|In|of|from|at|near)\s+$", text[max(0, start - 6) : start]):
            continue
        found.append(_Name(start, end, clean, len(words) >= 2))
    surnames = {n.text.split()[-1] for n in found if n.person} | set(extra_surnames)
    return [
        n if n.person else _Name(n.start, n.end, n.text, True)
        for n in found
        if n.person or n.text in surnames
    ]


def _strip_possessive(name: str) -> str:
    return re.sub(r"(?:’s|'s)$", "", name)


def _possessor(text: str, start: int, end: int) -> tuple[int, int]:
    """'NVTA’s statement' -> 'NVTA'; 'the union’s statement' -> 'the union'; otherwise unchanged."""
    phrase = text[start:end]
    m = re.match(rf"^(?P<owner>.+?)(?:’s|'s)\s+(?:[a-z]+\s+)?(?:{'|'.join(_SOURCE_NOUNS)})$", phrase)
    if m:
        return start, start + len(m["owner"])
    m = re.match(rf"^(?P<owner>(?:[Tt]he\s+)?[\w-]+)\s+(?:{'|'.join(_SOURCE_NOUNS)})$", phrase)
    if m and m["owner"].casefold() not in ("the", "a", "an", "its", "his", "her", "their"):
        return start, start + len(m["owner"])
    return start, end


# ---------------------------------------------------------------- speakers


@dataclass(slots=True)
class _Speaker:
    text: str
    start: int
    end: int


class _Resolver:
    def __init__(self, text: str, doc: Any, quoted: list[tuple[int, int]]) -> None:
        self.text = text
        names = _doc_names(doc) if doc is not None else []
        # A single word that ends a person's name elsewhere is that person, whatever label the
        # parser gave it ("El-Ameen" tagged ORG after "Rasheed El-Ameen").
        surnames = {n.text.split()[-1] for n in names if n.person and len(n.text.split()) >= 2}
        surnames |= {w.split("-")[-1] for w in surnames if "-" in w}
        names = [
            _Name(n.start, n.start + len(_strip_possessive(n.text)), _strip_possessive(n.text), True)
            if not n.person and _strip_possessive(n.text) in surnames else n
            for n in names
        ]
        # Word rules fill the parser's gaps (garbled or unusual names), but never
        # override what it read as an organisation or a place.
        others = [(n.start, n.end) for n in names if not n.person]
        known = {(n.start, n.end) for n in names}
        for n in _rule_names(text, quoted, extra_surnames={n.text.split()[-1] for n in names if n.person}):
            if (n.start, n.end) in known or any(s < n.end and n.start < e for s, e in others):
                continue
            names.append(n)
        quoted_starts = [a for a, _ in quoted]
        self.people = sorted(
            (n for n in names if n.person and not _inside(quoted, quoted_starts, n.start)), key=lambda n: n.start
        )
        self.people_starts = [n.start for n in self.people]
        self.orgs = sorted((n for n in names if not n.person), key=lambda n: n.start)
        self.org_ends = sorted((n.end, k) for k, n in enumerate(self.orgs))

    def recent_person(self, before: int) -> _Speaker | None:
        i = bisect_right(self.people_starts, before) - 1
        while i >= 0:
            n = self.people[i]
            if n.end <= before:
                return _Speaker(n.text, n.start, n.end)
            i -= 1
        return None

    def recent_org(self, before: int) -> _Speaker | None:
        i = bisect_right(self.org_ends, (before, len(self.orgs))) - 1
        if i < 0:
            return None
        n = self.orgs[self.org_ends[i][1]]
        return _Speaker(n.text, n.start, n.end)

    def speaker(self, start: int, end: int, pronoun_from: int) -> _Speaker | None:
        """The speaker for a phrase at start..end: names as written, pronouns resolved."""
        start, end = _possessor(self.text, start, end)
        phrase = self.text[start:end]
        low = phrase.casefold()
        if low in ("he", "she", "i") or re.match(r"^(?:his|her)\s", low):
            return self.recent_person(pronoun_from)
        if low in ("they", "it", "we") or re.match(r"^(?:its|their)\s", low):
            org = self.recent_org(pronoun_from)
            return org
        if phrase.split()[0] in _NOT_NAMES and not re.match(r"^(?:The|A|An)\s", phrase):
            return None  # "Then", "However": not a speaker
        return _Speaker(phrase, start, end)


def _attribution(text: str, part: _Part, sent: tuple[int, int], res: _Resolver) -> _Speaker | None:
    s_lo, s_hi = sent
    line_end = text.find("\n", part.close_at)
    after_hi = min(max(s_hi, part.close_at), len(text) if line_end < 0 else line_end)
    after = text[part.close_at : after_hi]
    # the next opening mark bounds the attribution region
    nxt = re.search(r"[“\"]", after)
    if nxt:
        after = after[: nxt.start()]
    for pattern in (_AFTER_APPOSITIVE, _AFTER_SUBJ_VERB, _AFTER_VERB_SUBJ):
        m = pattern.match(after)
        if m:
            sp = res.speaker(part.close_at + m.start("sp"), part.close_at + m.end("sp"), part.open_at)
            if sp:
                return sp
    m = _ACCORDING.search(after)
    if m and m.start() < 40:
        return res.speaker(part.close_at + m.start("sp"), part.close_at + m.end("sp"), part.open_at)
    before_lo = s_lo if s_lo <= part.open_at else text.rfind("\n", 0, part.open_at) + 1
    before = text[before_lo : part.open_at]
    prev_close = max(before.rfind("”"), before.rfind('"'))
    if prev_close >= 0:
        before = before[prev_close + 1 :]
        before_lo = before_lo + prev_close + 1
    m = _BEFORE.search(before)
    if m:
        return res.speaker(before_lo + m.start("sp"), before_lo + m.end("sp"), before_lo + m.start("sp"))
    saying = _SAYING.search(before)
    if saying or re.search(r":\s*$", before):
        # "He … , adding: “…”" / "The union left open the possibility: “…”": the clause's subject speaks
        head = before[: saying.start()] if saying else before
        sp = _clause_subject(text, before_lo, head, res)
        if sp is not None:
            return sp
    m = _ACCORDING.search(before)
    if m:
        return res.speaker(before_lo + m.start("sp"), before_lo + m.end("sp"), before_lo)
    return None


def _clause_subject(text: str, offset: int, head: str, res: _Resolver) -> _Speaker | None:
    """The subject of the last clause in ``head`` that starts with one (skipping "Then,", "At a forum,")."""
    bounds = [0] + [m.end() for m in re.finditer(r"[,;]\s*", head)]
    for b in reversed(bounds):
        m = _SUBJECT_START.match(head, b)
        if m is None:
            continue
        first = m["sp"].split()[0]
        if first in _NOT_NAMES and first not in ("The", "A", "An", "He", "She", "It", "They", "We", "I"):
            continue
        if not re.match(r"\s+[a-z]", head[m.end("sp") :]) and m.end("sp") != len(head.rstrip(" :")):
            continue  # a subject is followed by its verb
        return res.speaker(offset + m.start("sp"), offset + m.end("sp"), offset + m.start("sp"))
    return None


# ---------------------------------------------------------------- entry point


def _clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\u00a0":
        start += 1
    while end > start and text[end - 1] in " \t\u00a0,":
        end -= 1
    return start, end


def _is_title(text: str, part: _Part, words: Sequence[str]) -> bool:
    if not _TITLE_CUE.search(text[max(0, part.open_at - 30) : part.open_at]):
        return False
    long_words = [w for w in words if len(w) > 3 and w[0].isalpha()]
    return bool(long_words) and sum(w[0].isupper() for w in long_words) / len(long_words) >= 0.7


def extract_quotes(text: str, article_id: str, *, doc: Any = None, min_words: int = MIN_WORDS) -> list[QuoteMention]:
    """Direct quotations in ``text`` with their speakers (see the module docstring)."""
    if not text:
        return []
    raw = _parts(text)
    kept: list[tuple[_Part, int, int]] = []
    for p in raw:
        s, e = _clean_span(text, p.start, p.end)
        if e <= s:
            continue
        words = re.findall(r"[\w’'-]+", text[s:e])
        if len(words) < min_words or _is_title(text, p, words):
            continue
        kept.append((p, s, e))
    quoted = [(p.open_at, p.close_at) for p, _, _ in kept]
    res = _Resolver(text, doc, quoted)
    sents = split_sentences(text)
    starts = [a for a, _ in sents]
    speakers: list[_Speaker | None] = []
    for p, s, _e in kept:
        i = bisect_right(starts, s) - 1
        sent = sents[i] if i >= 0 else (0, len(text))
        # a quote can hold several sentences: widen to the sentence holding its close
        j = bisect_right(starts, max(p.close_at - 1, s)) - 1
        if j >= 0 and sents[j][1] > sent[1]:
            sent = (sent[0], sents[j][1])
        speakers.append(_attribution(text, p, sent, res))
    # parts without their own attribution inherit from a neighbouring part of the same quotation
    for k in range(len(kept)):
        if speakers[k] is not None:
            continue
        p = kept[k][0]
        prev = kept[k - 1][0] if k > 0 else None
        if prev is not None and speakers[k - 1] is not None and (
            prev.para == p.para or (prev.continues and prev.para + 1 == p.para)
            or (prev.para + 1 == p.para and _adjacent_paragraphs(text, prev, p))
        ):
            speakers[k] = speakers[k - 1]
    for k in range(len(kept) - 1, -1, -1):
        if speakers[k] is not None:
            continue
        p = kept[k][0]
        nxt = kept[k + 1][0] if k + 1 < len(kept) else None
        if nxt is not None and speakers[k + 1] is not None and (
            nxt.para == p.para or (p.continues and p.para + 1 == nxt.para)
        ):
            speakers[k] = speakers[k + 1]
    out: list[QuoteMention] = []
    for (p, s, e), sp in zip(kept, speakers):
        out.append(
            QuoteMention(
                article_id=article_id,
                start=s,
                end=e,
                text=text[s:e],
                speaker_text=sp.text if sp else None,
                speaker_start=sp.start if sp else None,
                speaker_end=sp.end if sp else None,
            )
        )
    return out


def _adjacent_paragraphs(text: str, prev: _Part, cur: _Part) -> bool:
    """The current paragraph is nothing but a quotation following one that ended its paragraph."""
    line_start = text.rfind("\n", 0, cur.open_at) + 1
    line_end = text.find("\n", prev.close_at)
    rest = text[prev.close_at : len(text) if line_end < 0 else line_end]
    return not text[line_start : cur.open_at].strip() and not rest.strip(" .")
