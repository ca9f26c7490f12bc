"""Who did what to whom, and when, read off the spaCy dependency parse.

An *action* is a clause whose verb has a subject: subject, predicate (the
verb lemma with its particle, "hand out"), object, a short complement ("to
raise water rates by 9%", "on paid leave"), negation, voice, and a date. The
date is the temporal expression that modifies the verb in the parse (a year
alone only through a preposition, "delivered in 2014", not "the 1991
agreement", and only when no finer date does); a verb
reported by a speech verb ("the authority said Monday that ... had been
found") takes the speech verb's date; otherwise the report's publication date
stands in (``date_source`` says which).

A clause without a subject of its own acts through the words it hangs on: a
relative clause or a participle through the noun it modifies ("the contractor,
which repaired the bridge"; "the ferry, built by a Korean yard", passive), an
infinitive or gerund complement through its controller, the matrix verb's object
if it has one, else its subject ("forced the bank to lower its fees", "the
airline agreed to buy 40 jets"; such a plan is marked ``future`` unless the
matrix verb is aspectual, "began to sell"). An infinitive on a plan or agreement
noun acts through whoever holds it ("the ministry signed a contract to buy 14
jets", "Apple's plan to sell"; not "officials criticized the deal to lease"), an
infinitive of purpose through its clause's subject ("sold two jets to raise
cash") or a passive clause's agent; both are plans (``future``). A participle
with a subject of its own is a clause (", the rival eventually winning it"); one
without (", killing 12 people") is not. A subject pronoun of a reported clause is
the speaker when they agree ("Acme said it had signed ..." -> Acme). A clause
never runs across a paragraph break (a headline the parser ran into the
dateline under it).

Reported speech ("said", "told"), opinion ("believe", "expect"), possession
("have"), the copula, conditionals ("would", "could", "if the firm is
indicted"), states ("relating to", "aged 55") and words inside quotation marks
are not actions.

Phrases are kept as *parts*: literal words and character spans of the
article, so that a later stage can put an entity's canonical name in place of
a respelled mention (:func:`render`). The same parse helpers describe what a
figure measures (:func:`figure_phrase`): "households covered by the order",
"money spent by the teachers union on an independent campaign".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .nlp import doc_text

# A part is a literal string or [start, end, space_after] in the article text.
Part = Any

REPORTING = frozenset(
    {
        "say", "tell", "add", "note", "state", "explain", "report", "write", "claim", "comment", "respond",
        "reply", "ask", "insist", "argue", "warn", "acknowledge", "describe", "recall", "quote", "declare",
        "accord", "suggest", "estimate", "indicate", "testify", "contend", "assert", "maintain", "mention",
        "caution", "stress", "emphasize", "tweet", "post", "remark", "concede", "admit", "confirm",
    }
)
NOT_ACTIONS = REPORTING | frozenset(
    {
        "be", "have", "do", "think", "believe", "know", "want", "expect", "seem", "appear", "hope", "feel",
        "consider", "need", "like", "wish", "mean", "remain", "become", "look", "sound", "seek", "reach",
        "include", "involve", "contain", "see", "find", "get", "let", "make", "go", "come", "say", "call",
        "refer", "serve", "use", "live", "stand", "sit", "face", "show", "lead", "continue", "try",
        # states, not acts: "issues relating to", "a policy dating back to", "Smith, aged 55", "hails from"
        "relate", "date", "result", "stem", "belong", "concern", "regard", "age", "hail", "intend",
    }
)
# "find", "make", "go" ... are too vague alone; with an object they are kept (see _predicate_ok).
_VAGUE_WITH_OBJECT = frozenset({"find", "make", "get", "reach", "call", "show", "lead", "face", "serve", "use", "see"})
_MADE = frozenset({"make", "reach", "find"})  # vague verbs whose passive participle on a noun tells an act
_TIME_VERBS = frozenset({"spend", "pass", "mark", "take", "waste", "devote"})
_CONDITIONAL = frozenset({"would", "could", "might", "may", "should", "must", "can"})
_SUBJ = ("nsubj", "nsubjpass")
_DROP_DET = frozenset({"the", "a", "an", "this", "that", "these", "those"})
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "him", "her", "them"})
_NOT_EXTRA_PREP = frozenset(
    {"after", "before", "because", "according", "despite", "since", "until", "amid", "during", "following",
     "like", "than", "while", "with", "without", "within", "over", "through"}
)
_BAD_PUNCT = frozenset({",", ";", ":", "(", ")", '"', "“", "”", "—", "–", "[", "]"})
_QUOTE_MARKS = re.compile(r"[\"“”«»]")

_IRREGULAR_PAST = {
    "be": "was", "begin": "began", "bring": "brought", "buy": "bought", "build": "built", "choose": "chose",
    "come": "came", "cut": "cut", "deal": "dealt", "do": "did", "draw": "drew", "drive": "drove", "eat": "ate",
    "fall": "fell", "feel": "felt", "fight": "fought", "find": "found", "fly": "flew", "forbid": "forbade",
    "forget": "forgot", "freeze": "froze", "get": "got", "give": "gave", "go": "went", "grow": "grew",
    "hang": "hung", "have": "had", "hear": "heard", "hide": "hid", "hit": "hit", "hold": "held", "hurt": "hurt",
    "keep": "kept", "know": "knew", "lay": "laid", "lead": "led", "leave": "left", "lend": "lent", "let": "let",
    "lose": "lost", "make": "made", "mean": "meant", "meet": "met", "pay": "paid", "put": "put", "quit": "quit",
    "read": "read", "ride": "rode", "ring": "rang", "rise": "rose", "run": "ran", "say": "said", "see": "saw",
    "seek": "sought", "sell": "sold", "send": "sent", "set": "set", "shake": "shook", "shoot": "shot",
    "shut": "shut", "sing": "sang", "sink": "sank", "sit": "sat", "sleep": "slept", "speak": "spoke",
    "spend": "spent", "split": "split", "spread": "spread", "stand": "stood", "steal": "stole", "stick": "stuck",
    "strike": "struck", "swear": "swore", "sweep": "swept", "take": "took", "teach": "taught", "tear": "tore",
    "tell": "told", "think": "thought", "throw": "threw", "understand": "understood", "upset": "upset",
    "wake": "woke", "wear": "wore", "win": "won", "withdraw": "withdrew", "write": "wrote", "undertake": "undertook",
    "overturn": "overturned", "arise": "arose", "bear": "bore", "bid": "bid", "bind": "bound", "broadcast": "broadcast",
    "cast": "cast", "forecast": "forecast", "hand": "handed", "shed": "shed", "slide": "slid", "spin": "spun",
}
_IRREGULAR_PARTICIPLE = {
    "be": "been", "begin": "begun", "choose": "chosen", "do": "done", "draw": "drawn", "drive": "driven",
    "eat": "eaten", "fall": "fallen", "fly": "flown", "forbid": "forbidden", "forget": "forgotten",
    "freeze": "frozen", "give": "given", "go": "gone", "grow": "grown", "hide": "hidden", "know": "known",
    "ride": "ridden", "ring": "rung", "rise": "risen", "see": "seen", "shake": "shaken", "sing": "sung",
    "sink": "sunk", "speak": "spoken", "steal": "stolen", "swear": "sworn", "take": "taken", "tear": "torn",
    "throw": "thrown", "wake": "woken", "wear": "worn", "withdraw": "withdrawn", "write": "written",
    "undertake": "undertaken", "arise": "arisen", "bear": "borne",
}
# Verbs that change a quantity "by" a figure, and the noun for the change.
_CHANGE_NOUN = {
    "raise": "increase", "increase": "increase", "hike": "increase", "boost": "increase", "rise": "rise",
    "grow": "growth", "climb": "rise", "jump": "jump", "go": "change", "cut": "cut", "reduce": "reduction",
    "lower": "cut", "fall": "fall", "drop": "drop", "decline": "decline", "decrease": "decrease",
    "shrink": "decline", "slash": "cut", "trim": "cut",
}


# ---------------------------------------------------------------- inflection


def _doubles(lemma: str) -> bool:
    """Short consonant-vowel-consonant verbs double their last letter ("commit" -> "committed")."""
    if len(lemma) < 3 or lemma[-1] in "wxy" or lemma[-1] not in "bcdfgklmnprstvz":
        return False
    if lemma[-2] not in "aeiou" or lemma[-3] in "aeiou":
        return False
    syllables = len(re.findall(r"[aeiouy]+", lemma))
    return syllables == 1 or lemma.endswith(("mit", "fer", "pel", "trol", "gin"))


def past(lemma: str) -> str:
    """Simple past of a verb lemma ("issue" -> "issued", "spend" -> "spent")."""
    head, _, rest = lemma.partition(" ")
    if head in _IRREGULAR_PAST:
        form = _IRREGULAR_PAST[head]
    elif head.endswith("e"):
        form = head + "d"
    elif head.endswith("y") and len(head) > 2 and head[-2] not in "aeiou":
        form = head[:-1] + "ied"
    elif _doubles(head):
        form = head + head[-1] + "ed"
    else:
        form = head + "ed"
    return f"{form} {rest}".strip()


def participle(lemma: str) -> str:
    """Past participle of a verb lemma ("take" -> "taken", "place" -> "placed")."""
    head, _, rest = lemma.partition(" ")
    form = _IRREGULAR_PARTICIPLE.get(head) or past(head)
    return f"{form} {rest}".strip()


def present(lemma: str, plural: bool = False) -> str:
    """Present tense, third person ("issue" -> "issues"; plural subjects keep the lemma)."""
    head, _, rest = lemma.partition(" ")
    if plural:
        form = "are" if head == "be" else head
    elif head in ("be", "have", "do", "go"):
        form = {"be": "is", "have": "has", "do": "does", "go": "goes"}[head]
    elif head.endswith(("s", "sh", "ch", "x", "z", "o")):
        form = head + "es"
    elif head.endswith("y") and len(head) > 2 and head[-2] not in "aeiou":
        form = head[:-1] + "ies"
    else:
        form = head + "s"
    return f"{form} {rest}".strip()


# ---------------------------------------------------------------- phrases


@dataclass(frozen=True)
class _Literal:
    """A word put in place of a token (keeps the token's position for ordering)."""

    word: str
    tok: Any

    @property
    def i(self) -> int:
        return int(self.tok.i)


def _tok_part(tok: Any) -> Part:
    if isinstance(tok, _Literal):
        return tok.word
    if tok.text[:1].isupper() and not tok.text.isupper() and (
        (tok.is_sent_start and tok.pos_ != "PROPN") or (tok.dep_ == "det" and tok.lower_ in _DROP_DET)
    ):
        return tok.lower_  # "State regulators" at the start of a sentence; "The" before a name
    return [tok.idx, tok.idx + len(tok.text), 1 if tok.whitespace_ else 0]


def _parts_of(tokens: Iterable[Any]) -> list[Part]:
    return [_tok_part(t) for t in sorted(tokens, key=lambda t: t.i)]


def _is_temporal(tok: Any, date_tokens: frozenset[int]) -> bool:
    return any(t.i in date_tokens for t in tok.subtree)


def noun_phrase(
    head: Any,
    *,
    max_prep: int = 1,
    depth: int = 0,
    date_tokens: frozenset[int] = frozenset(),
    skip: frozenset[int] = frozenset(),
    keep_det: bool = False,
) -> list[Any]:
    """The tokens of a compact noun phrase around ``head``: its left modifiers, one prepositional phrase,
    a short proper-noun apposition ("candidate Jane Doe") and a short coordination ("city and county staff").
    Temporal words, relative clauses and long appositions are left out; ``keep_det`` keeps a leading
    article (wanted inside a sentence, not in a headline). Hyphenated compounds ("boil-water") arrive as
    modifier + "-" children and are kept whole."""
    out: list[Any] = [head]
    for child in head.lefts:
        if child.i in skip:
            continue
        if child.dep_ == "det" and not keep_det and child.lower_ in _DROP_DET and child.i == head.left_edge.i:
            continue
        if (
            child.dep_ == "poss" and child.pos_ == "PRON" and child.i == head.left_edge.i
            and (depth == 0 or keep_det) and head.lemma_.casefold() not in ("behalf", "own")
        ):
            if keep_det:
                out.append(_Literal("the", child))  # "its board" -> "the board": the pronoun's referent is elsewhere
            continue  # "its water-rate increase" -> "water-rate increase"
        if child.dep_ in ("det", "compound", "amod", "nummod", "poss", "nmod", "quantmod", "npadvmod", "case", "neg"):
            sub = [t for t in child.subtree if t.i not in skip and t.i not in date_tokens and t.text not in _BAD_PUNCT]
            out.extend(sub)
        elif child.dep_ == "punct" and child.text == "-":
            out.append(child)
    preps = 0
    for child in head.rights:
        if child.i in skip:
            continue
        if child.dep_ == "case":
            out.append(child)
        elif child.dep_ == "prep" and preps < max_prep and depth < 2 and not _is_temporal(child, date_tokens):
            pobj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
            if pobj is None or child.lower_ in ("after", "before", "because", "than", "as", "including", "like"):
                continue
            if pobj.lower_ in ("all", "total", "part", "addition", "particular", "general"):
                continue
            out.append(child)
            out.extend(noun_phrase(pobj, max_prep=1, depth=depth + 1, date_tokens=date_tokens, skip=skip, keep_det=True))
            preps += 1
        elif child.dep_ == "punct" and child.text == "-":
            out.append(child)
        elif (
            child.dep_ == "appos" and child.pos_ == "PROPN" and child.left_edge.i == head.i + 1
            and len(list(child.subtree)) <= 4
        ):
            out.extend(t for t in child.subtree if t.i not in skip)  # "candidate Jane Doe"
        elif child.dep_ in ("cc", "conj") and depth == 0 and head.dep_ != "conj" and len(list(child.subtree)) <= 4:
            if child.dep_ == "conj":
                out.extend(noun_phrase(child, max_prep=0, depth=depth + 1, skip=skip, keep_det=True))
            else:
                out.append(child)
    seen: set[int] = set()
    uniq = []
    for t in sorted(out, key=lambda t: (t.i, not isinstance(t, _Literal))):
        if t.i not in seen:
            seen.add(t.i)
            uniq.append(t)
    return sorted(uniq, key=lambda t: t.i)


def render(parts: Sequence[Part], text: str, name_at: Callable[[int, int], tuple[int, int, str] | None] | None = None) -> str:
    """The words of a phrase; spans inside a named mention become that entity's name (once per mention)."""
    pieces: list[str] = []
    done: set[tuple[int, int]] = set()
    prev_end: int | None = None
    prev_space = True
    for part in parts:
        if isinstance(part, str):
            word, space, start, end = part, True, None, None
        else:
            start, end, space = int(part[0]), int(part[1]), bool(part[2])
            word = text[start:end]
            found = name_at(start, end) if name_at else None
            if found:
                key = (found[0], found[1])
                if key in done:
                    prev_end, prev_space = end, space
                    continue
                done.add(key)
                word = found[2]
        if pieces:
            # Words that touch in the text stay glued ("boil-water", "authority's").
            glue = prev_space or start is None or prev_end is None or start != prev_end
            pieces.append(" " if glue else "")
        pieces.append(word)
        prev_end, prev_space = end, space
    out = "".join(pieces)
    out = re.sub(r"\s+([,.;:!?])", r"\1", out)
    out = re.sub(r"\s+(['’]s)\b", r"\1", out)
    return re.sub(r"\s+", " ", out).strip(" ,;:")


# ---------------------------------------------------------------- actions


@dataclass
class ActionRecord:
    """One action as extracted (JSON-able via :meth:`to_payload`)."""

    start: int  # the verb's character span
    end: int
    lemma: str  # verb lemma with particle ("hand out")
    negated: bool
    passive: bool
    subject: list[Part]
    subject_span: tuple[int, int] | None  # the subject head's noun phrase, for entity lookup
    subject_plural: bool
    subject_pronoun: str | None
    obj: list[Part]
    object_span: tuple[int, int] | None
    object_head: str | None
    extra: list[Part]
    agent: list[Part] = field(default_factory=list)
    agent_span: tuple[int, int] | None = None
    subject_head: str | None = None  # lemma of the subject's head noun
    agent_head: str | None = None
    date: str | None = None
    date_text: str | None = None
    date_span: tuple[int, int] | None = None  # the temporal expression the date comes from
    date_source: str = "published"  # text | reported | published
    sentence: tuple[int, int] = (0, 0)
    main: bool = False
    future: bool = False
    past: bool = False  # told in a past tense ("issued", "had found", "was placed")

    def to_payload(self) -> dict[str, Any]:
        return {
            "start": self.start, "end": self.end, "lemma": self.lemma, "negated": self.negated,
            "passive": self.passive, "subject": self.subject, "subject_span": self.subject_span,
            "subject_plural": self.subject_plural, "subject_pronoun": self.subject_pronoun, "object": self.obj,
            "object_span": self.object_span, "object_head": self.object_head, "extra": self.extra,
            "agent": self.agent, "agent_span": self.agent_span, "subject_head": self.subject_head,
            "agent_head": self.agent_head, "date": self.date, "date_text": self.date_text, "date_span": self.date_span,
            "date_source": self.date_source, "sentence": list(self.sentence), "main": self.main, "future": self.future,
            "past": self.past,
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any]) -> ActionRecord:
        def span(x: Any) -> tuple[int, int] | None:
            return (int(x[0]), int(x[1])) if x else None

        return cls(
            start=p["start"], end=p["end"], lemma=p["lemma"], negated=p["negated"], passive=p["passive"],
            subject=p["subject"], subject_span=span(p["subject_span"]), subject_plural=p["subject_plural"],
            subject_pronoun=p["subject_pronoun"], obj=p["object"], object_span=span(p["object_span"]),
            object_head=p["object_head"], extra=p["extra"], agent=p["agent"], agent_span=span(p["agent_span"]),
            subject_head=p["subject_head"], agent_head=p["agent_head"], date=p["date"], date_text=p["date_text"],
            date_span=span(p["date_span"]), date_source=p["date_source"],
            sentence=(p["sentence"][0], p["sentence"][1]), main=p["main"], future=p["future"], past=p.get("past", False),
        )


def _span_of(tokens: Sequence[Any]) -> tuple[int, int] | None:
    tokens = [t for t in tokens if not isinstance(t, _Literal)]
    if not tokens:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans between paired quotation marks."""
    spans = []
    opening: int | None = None
    for m in _QUOTE_MARKS.finditer(text):
        ch = m.group()
        if ch == '"' and m.start() and text[m.start() - 1].isdigit():
            continue  # an inch mark: "a 13.3" display"
        if ch in "“«" or (ch == '"' and opening is None):
            opening = m.start()
        elif opening is not None:
            spans.append((opening, m.end()))
            opening = None
    return spans


def _subject_of(verb: Any) -> Any | None:
    subj = next((c for c in verb.children if c.dep_ in _SUBJ), None)
    if subj is not None:
        return subj
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return _subject_of(verb.head)
    return None


def _is_passive(verb: Any) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (
        verb.dep_ == "conj" and verb.tag_ == "VBN" and _is_passive(verb.head)
    )


def _predicate_lemma(verb: Any) -> str:
    prt = [c.lower_ for c in verb.children if c.dep_ == "prt"]
    return " ".join([verb.lemma_.casefold(), *prt])


def _modals(verb: Any) -> set[str]:
    found = {c.lower_ for c in verb.children if c.dep_ == "aux"}
    if verb.dep_ == "conj" and not found:
        found = {c.lower_ for c in verb.head.children if c.dep_ == "aux"}
    return found


def _negated(verb: Any) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


def _object_of(verb: Any) -> Any | None:
    obj = next((c for c in verb.children if c.dep_ in ("dobj", "attr", "oprd")), None)
    if obj is None:
        # "rescinded" with "of"-less objects; "vote against the plan" handled as extra
        obj = next((c for c in verb.children if c.dep_ == "dative"), None)
    return obj


def _extra(verb: Any, date_tokens: frozenset[int], depth: int = 0) -> list[Any]:
    """A short complement of the verb: an infinitive ("to raise rates by 9%") or a prepositional phrase."""
    for c in verb.children:
        if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX") and depth < 2:
            toks = [t for t in c.children if t.dep_ == "aux" and t.lower_ == "to"]
            toks.append(c)
            toks += [t for t in c.children if t.dep_ in ("prt", "neg")]
            obj = _object_of(c)
            if obj is not None:
                toks += noun_phrase(obj, date_tokens=date_tokens, keep_det=False)
            toks += _extra(c, date_tokens, depth + 1)
            return toks
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ not in _NOT_EXTRA_PREP:
            if _is_temporal(c, date_tokens):
                continue
            pobj = next((t for t in c.children if t.dep_ == "pobj"), None)
            if pobj is None or pobj.like_num and c.lower_ != "by" and not any(t.dep_ == "prep" for t in pobj.children):
                continue
            if pobj.like_num and c.lower_ != "by":  # "at one of its two plants"
                return [c, *noun_phrase(pobj, max_prep=1, date_tokens=date_tokens, keep_det=True)]
            return [c, *noun_phrase(pobj, max_prep=0, date_tokens=date_tokens, keep_det=True)]
    return []


_SPEECH_EVENTS = frozenset(
    {"conference", "briefing", "hearing", "meeting", "rally", "ceremony", "session", "forum", "debate", "event",
     "interview", "vigil", "summit", "town hall"}
)


def _speech_event(verb: Any, by_verb: Mapping[int, Any]) -> Any | None:
    """ "X said at a news conference Tuesday": speaking at a dated public event is itself an event.
    Returns the "at" preposition, or None."""
    if verb.lemma_.casefold() not in REPORTING or verb.i not in by_verb:
        return None
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in ("at", "during"):
            pobj = next((t for t in c.children if t.dep_ == "pobj"), None)
            if pobj is not None and pobj.lemma_.casefold() in _SPEECH_EVENTS:
                return c
    return None


def _predicate_ok(verb: Any, obj: Any | None, passive: bool = False) -> bool:
    lemma = verb.lemma_.casefold()
    if lemma in _VAGUE_WITH_OBJECT:
        # "the jet, made by Airbus", "an agreement reached in 1991" (not "the council, led by the mayor",
        # "homes served by the plant": a state)
        return obj is not None or _is_passive(verb) or (passive and lemma in _MADE)
    if lemma == "add" and obj is not None and obj.pos_ != "PRON" and not any(c.dep_ == "ccomp" for c in verb.children):
        return True  # "the airline added 40 routes": adding something, not a remark
    return lemma not in NOT_ACTIONS


def _is_candidate(verb: Any) -> bool:
    if verb.pos_ != "VERB":
        return False
    if verb.dep_ == "pcomp" and _after_preposition(verb):
        return True  # "was suspended after violating the law"
    if verb.dep_ in ("amod", "pcomp", "csubj", "compound", "parataxis"):
        return False
    if verb.dep_ in ("relcl", "acl", "xcomp"):
        return True  # their subject is read off the clause they hang on (_clause_subject)
    if verb.dep_ == "advcl" and verb.tag_ == "VBG" and _absolute(verb):
        return True  # "..., the rival ultimately winning the contract"
    # A bare gerund ("covering contract crews") is a modifier, not a clause. A participle clause without a
    # subject (", bringing the total to 677") mostly tells the outcome of the clause before it, not a new act.
    return not (verb.tag_ == "VBG" and not any(c.dep_ == "aux" for c in verb.children) and verb.dep_ != "conj")


_TIME_PREPOSITIONS = frozenset({"after", "before", "since", "upon"})


def _after_preposition(verb: Any) -> bool:
    """A gerund after a preposition of time that hangs on a verb: "(suspended) after violating the law"."""
    prep = verb.head
    matrix = prep.head
    return (
        verb.tag_ == "VBG" and prep.dep_ == "prep" and prep.lower_ in _TIME_PREPOSITIONS
        and matrix.pos_ in ("VERB", "AUX") and not any(c.dep_ in _SUBJ for c in verb.children)
        # not in an instruction or a plan: "(told) to boil water before drinking it"
        and matrix.dep_ != "xcomp" and not any(c.dep_ == "aux" and c.lower_ == "to" for c in matrix.children)
    )


def _absolute(verb: Any) -> bool:
    """A present participle with a noun subject of its own, set off after its clause and with no conjunction
    of its own: ", the rival ultimately winning the contract" (not "while flying", not "as prices falling")."""
    if any(c.dep_ in ("mark", "aux", "auxpass") for c in verb.children):
        return False
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return (
        subj is not None and subj.pos_ in ("NOUN", "PROPN") and verb.i > verb.head.i
        and subj.left_edge.i > 0 and verb.doc[subj.left_edge.i - 1].text == ","
    )


_RELATIVE = frozenset({"who", "which", "that", "whom"})
# Verbs whose infinitive or gerund complement tells what happens, not what is planned or wished:
# "began to sell", "stopped selling".
_ASPECTUAL = frozenset({"begin", "start", "continue", "stop", "cease", "resume", "keep", "finish", "quit"})
_CESSATIVE = frozenset({"stop", "cease", "quit", "halt", "discontinue", "suspend"})


def _paragraph(tok: Any) -> int:
    """How many line breaks come before the token: a clause never runs across a paragraph break
    (a headline the parser ran into the dateline under it)."""
    doc = tok.doc
    cache = doc.user_data.get("_storyline_breaks")
    if cache is None:
        cache, n = [], 0
        for t in doc:
            cache.append(n)
            n += (t.text + t.whitespace_).count("\n")
        doc.user_data["_storyline_breaks"] = cache
    return cache[tok.i]


def _antecedent(verb: Any) -> Any | None:
    """The noun a relative or participial clause modifies ("the government, which distributes them")."""
    head = verb.head
    if head.i == verb.i or head.pos_ not in ("NOUN", "PROPN") or _paragraph(head) != _paragraph(verb):
        return None
    return head


def _controller(verb: Any) -> tuple[Any | None, Any | None]:
    """(who, matrix verb) of an infinitive or gerund complement: the matrix verb's object when it has one
    ("forced Apple to lower prices" -> Apple), else its subject ("Apple plans to sell films" -> Apple;
    "they will be willing to contribute" -> they)."""
    head = verb.head
    for _ in range(3):
        if head.pos_ in ("VERB", "AUX"):
            obj = next((c for c in head.children if c.dep_ == "dobj"), None)
            if head.dep_ in ("relcl", "acl", "amod", "pcomp", "csubj", "compound"):
                own = next((c for c in head.children if c.dep_ == "nsubj"), None)
                if head.dep_ == "relcl" and obj is None and own is not None and own.lower_ not in _RELATIVE:
                    return own, head  # "the aircraft they intend to launch" -> they
                return None, head
            if obj is None and head.dep_ == "xcomp" and not any(c.dep_ in _SUBJ for c in head.children):
                return _clause_subject(head)[0], head  # "are to be allowed to bid": the units
            return (obj if obj is not None else _subject_of(head)), head
        if head.dep_ not in ("acomp", "xcomp") or head.head.i == head.i:
            return None, None
        head = head.head  # "willing to contribute": the adjective's verb
    return None, None


# Nouns whose infinitive says what someone agreed, planned or decided to do: "a contract to supply 14 jets".
_PLAN_NOUNS = frozenset(
    {"contract", "deal", "agreement", "plan", "decision", "bid", "offer", "order", "option", "proposal", "promise",
     "pledge", "commitment", "attempt", "effort", "move", "negotiation", "talk", "intention", "scheme", "program",
     "programme", "campaign", "vote", "licence", "license", "permission", "approval", "right", "motion"}
)


# Verbs whose subject holds the plan or agreement that is their object: "signed a contract to", "has plans to",
# "are in talks to", "announced plans to" (not "criticized the deal to", "blocked a plan to").
_HOLDING_VERBS = frozenset(
    {"sign", "win", "have", "make", "reach", "announce", "unveil", "propose", "agree", "secure", "land", "award",
     "negotiate", "conclude", "finalize", "finalise", "strike", "ink", "seal", "submit", "launch", "outline",
     "present", "adopt", "pursue", "take", "get", "receive", "exercise", "enter", "be", "obtain", "clinch",
     "complete", "grant", "give", "place", "lodge", "file", "table", "approve", "confirm", "reveal", "disclose"}
)


_GIVING_VERBS = frozenset({"award", "grant", "give"})
_RECEIVING_VERBS = frozenset({"receive", "get", "obtain", "win", "secure", "land", "clinch"})
_GRANTS = frozenset({"permission", "approval", "licence", "license", "right", "order", "contract", "deal", "vote"})


def _verb_of_noun(noun: Any) -> Any | None:
    """The verb a noun is the object of, directly or through a preposition ("signed a contract",
    "are in negotiations", "defeated Boeing for a contract"), or None."""
    head = noun.head
    if noun.dep_ in ("dobj", "attr") and head.pos_ in ("VERB", "AUX"):
        return head
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX"):
        return head.head
    return None


def _planner(verb: Any) -> tuple[Any | None, Any | None]:
    """(who, matrix verb) of an infinitive on a plan or agreement noun: the noun's owner ("Apple's plan to
    sell") or the subject of the verb that has the noun ("the ministry signed a contract to buy 14 jets",
    "Apple has plans to import"). (None, None) when neither is said."""
    noun = _antecedent(verb)
    if noun is None or noun.lemma_.casefold() not in _PLAN_NOUNS:
        return None, None
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is not None and owner.pos_ != "PRON":
        return owner, None
    return _holder(_verb_of_noun(noun), noun)


def _holder(matrix: Any | None, noun: Any) -> tuple[Any | None, Any | None]:
    """(who, matrix) for a verb whose object is a plan or agreement: its subject ("signed a contract to"),
    the one it was given to ("awarded the firm a contract to"), the one who received a permission
    ("won approval to"; not "received an offer to buy", where the offerer would buy)."""
    lemma = matrix.lemma_.casefold() if matrix is not None else ""
    if matrix is None or lemma not in _HOLDING_VERBS or _is_passive(matrix):
        return None, None  # "criticized the deal to lease ...", "a deal was signed": whose is not said
    dative = next((c for c in matrix.children if c.dep_ == "dative" and c.pos_ in ("NOUN", "PROPN")), None)
    if lemma in _GIVING_VERBS:
        return (dative, matrix) if dative is not None else (None, None)  # "gave approval to build": who builds?
    if lemma in _RECEIVING_VERBS and noun.lemma_.casefold() not in _GRANTS:
        return None, None
    who, _, _ = _clause_subject(matrix)
    return who, (matrix if who is not None else None)


def _purpose(verb: Any) -> tuple[Any | None, Any | None]:
    """(who, matrix verb) of an infinitive of purpose: the subject of the verb it hangs on ("Airbus will
    contribute $20 million to fund the search"), the agent of a passive one ("was named by Boeing to mark
    ..."); (None, None) for a passive without an agent ("were fitted with winglets to boost efficiency")."""
    matrix = verb.head
    if matrix.pos_ not in ("VERB", "AUX") or matrix.lemma_.casefold() in REPORTING:
        return None, None
    obj = next((c for c in matrix.children if c.dep_ == "dobj"), None)
    if obj is not None and obj.lemma_.casefold() in _PLAN_NOUNS and verb.left_edge.i == obj.right_edge.i + 1:
        return _holder(matrix, obj)  # "criticized the deal to lease 20 jets": the infinitive tells what the deal is
    if _is_passive(matrix):
        agent = next((c for c in matrix.children if c.dep_ == "agent"), None)
        pobj = next((t for t in agent.children if t.dep_ == "pobj"), None) if agent is not None else None
        return pobj, (matrix if pobj is not None else None)
    who, _, _ = _clause_subject(matrix)
    return who, (matrix if who is not None else None)


_CONDITION_MARKS = frozenset({"if", "unless", "whether"})
_NAMING = frozenset({"call", "name", "dub", "entitle", "title", "brand", "label", "nickname", "term", "know"})


def _conditional_clause(verb: Any) -> bool:
    """The verb heads (or is joined to) a clause of condition: "if the firm is indicted or convicted",
    "unless the board agrees"."""
    for tok in (verb, verb.head if verb.dep_ == "conj" else None):
        if tok is not None and any(c.dep_ == "mark" and c.lower_ in _CONDITION_MARKS for c in tok.children):
            return True
    return False


def _infinitive_with_subject(verb: Any) -> bool:
    """ "(allow) developers to sell apps": an infinitive with a subject of its own, which names no event
    that a reporting verb announces."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) and any(
        c.dep_ == "nsubj" for c in verb.children
    )


def _infinitive(verb: Any) -> bool:
    """A "to"-infinitive with no subject of its own."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) and not any(
        c.dep_ in _SUBJ for c in verb.children
    )


def _clause_subject(verb: Any) -> tuple[Any | None, bool | None, Any | None]:
    """(subject, voice, matrix verb): the verb's own subject, or the noun a relative or participial clause
    modifies ("the A380, made by Airbus" -> A380, passive), or the controller of a complement. The voice is
    None when the verb's own children tell it."""
    if verb.dep_ == "relcl":
        subj = next((c for c in verb.children if c.dep_ in _SUBJ), None)
        if subj is None and _infinitive(verb) and _object_of(verb) is None and not _is_passive(verb):
            # "money to spend on roads": the noun is what is spent and who spends is not said
            # (unlike "the first airline to fly the jet", "the first model to be built of carbon")
            return None, None, None
        if subj is None or subj.lower_ in _RELATIVE or subj.tag_ in ("WDT", "WP"):
            return _antecedent(verb), None, None
        return subj, None, None
    if verb.dep_ == "acl":
        if _infinitive(verb):
            who, matrix = _planner(verb)  # "signed a contract to supply 14 airliners"
            return who, None, matrix
        if any(c.dep_ in _SUBJ for c in verb.children):
            return None, None, None
        if verb.tag_ == "VBN":
            return _antecedent(verb), True, None  # "the first A380, made by Airbus"
        if verb.tag_ == "VBG":
            return _antecedent(verb), False, None  # "the software controlling its engines"
        return None, None, None
    if verb.dep_ == "xcomp":
        if any(c.dep_ in _SUBJ for c in verb.children):
            return _subject_of(verb), None, None
        who, matrix = _controller(verb)
        return who, None, matrix
    if verb.dep_ == "pcomp" and _after_preposition(verb):
        # "Acme was fined after violating the law": the clause's subject, in either voice, did it
        # ("would cancel the jet after completing the orders": not if the clause is a condition)
        matrix = verb.head.head
        return (None if _modals(matrix) & _CONDITIONAL else _clause_subject(matrix)[0]), False, None
    if verb.dep_ == "advcl" and _infinitive(verb):
        who, matrix = _purpose(verb)  # "contributed $20 million to fund the search"
        return who, None, matrix
    head = verb.head
    if (
        verb.dep_ == "conj" and head.dep_ in ("relcl", "acl", "xcomp", "advcl") and head.pos_ == "VERB"
        and not any(c.dep_ in _SUBJ for c in verb.children)
    ):
        # "an iPod, which is made by Apple and sold in its stores": the second verb shares the first's subject
        subj, voice, matrix = _clause_subject(head)
        return subj, (verb.tag_ != "VBG" if voice is not None else None), matrix  # a participle's voice: its form
    return _subject_of(verb), None, None


_BODY_NOUNS = frozenset(
    {"company", "firm", "airline", "carrier", "maker", "manufacturer", "government", "ministry", "agency", "council",
     "court", "authority", "board", "union", "group", "bank", "department", "party", "team", "club", "commission",
     "committee", "police", "administration", "district", "city", "county", "state", "school", "university",
     "hospital", "corporation", "organization", "organisation", "association", "federation", "network", "office"}
)
_ANNOUNCING = REPORTING | {"announce", "reveal", "deny", "disclose"}


def _speaker_antecedent(pron: Any) -> Any | None:
    """The speaker a subject pronoun of a reported clause stands for: "Acme said it had signed a contract",
    "the airlines announced that they will ...", "Smith said he resigned". The pronoun must agree: "it"
    with a body (an organisation, a place, "the company"), "they" with a body or a plural, "he"/"she"
    with a person's name."""
    word = pron.lower_
    if word not in ("it", "they", "he", "she"):
        return None
    clause = pron.head
    for _ in range(4):
        if clause.dep_ in ("conj", "xcomp") and clause.head.i != clause.i:
            clause = clause.head
        else:
            break
    if clause.dep_ != "ccomp" or clause.head.lemma_.casefold() not in _ANNOUNCING:
        return None
    speaker = _subject_of(clause.head)
    if speaker is None or speaker.pos_ not in ("NOUN", "PROPN") or speaker.i > pron.i:
        return None
    if _paragraph(speaker) != _paragraph(pron):
        return None
    body = speaker.ent_type_ in ("ORG", "GPE", "NORP") or (
        speaker.pos_ == "NOUN" and speaker.lemma_.casefold() in _BODY_NOUNS
    )
    plural = speaker.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in speaker.children)
    if word == "it":  # "Acme Airlines said it ...": a name's plural form is still one body
        return speaker if body and not (plural and speaker.pos_ == "NOUN") else None
    if word == "they":
        return speaker if (body or plural) and speaker.ent_type_ != "PERSON" else None
    return speaker if speaker.ent_type_ == "PERSON" and not plural else None


_DATELINE_LONGEST = 500  # characters: a longer line is a paragraph, not a dateline


def _dateline(text: str, start: int, end: int) -> bool:
    """A date alone on its line (a dateline or a byline date) dates the report, not a clause."""
    before = text.rfind("\n", max(0, start - _DATELINE_LONGEST), start)
    if before < 0 and start > _DATELINE_LONGEST:
        return False  # looked only so far back: a long text without line breaks costs no more per date
    line_start = before + 1
    line_end = text.find("\n", end, end + _DATELINE_LONGEST)
    if line_end < 0 and len(text) - end > _DATELINE_LONGEST:
        return False
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return len(line.strip().strip("-—–|,.").split()) <= len(text[start:end].split()) + 1


def _date_by_verb(doc: Any, dates: Sequence[Any]) -> tuple[dict[int, Any], frozenset[int]]:
    """Which verb each calendar date modifies (token index -> DateMention), and the date tokens."""
    by_verb: dict[int, Any] = {}
    tokens: set[int] = set()
    text = doc_text(doc)
    for d in dates:
        span = doc.char_span(d.start, d.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        if getattr(d, "kind", "DATE") != "SET":  # "yearly revenue" stays a noun phrase
            tokens.update(t.i for t in span)
        # A value not known yet (no anchor) is still linked: a later stage resolves the span.
        # A year alone ("delivered in 2014") dates its verb too, if nothing finer does.
        if (d.value and not _CALENDAR.match(d.value)) or getattr(d, "kind", "DATE") not in ("DATE", "TIME"):
            continue
        if _dateline(text, d.start, d.end):
            continue
        tok = span.root
        if _year_only(d) and not _adverbial(tok):
            continue  # "the 1991 agreement", "this year's conference": the year qualifies a noun
        for _ in range(8):
            if tok.pos_ in ("VERB", "AUX") and tok.i not in tokens:
                if tok.dep_ in ("xcomp", "aux", "auxpass") or (tok.pos_ == "AUX" and tok.dep_ != "ROOT"):
                    pass
                else:
                    break
            if tok.head is tok:
                break
            tok = tok.head
        if tok.pos_ in ("VERB", "AUX"):
            held = by_verb.get(tok.i)
            if held is None or (_year_only(held) and not _year_only(d)):
                by_verb[tok.i] = d
    return by_verb, frozenset(tokens)


_CALENDAR = re.compile(r"^\d{4}(?:-\d{2}|$)")  # a year, a month or a day


def _year_only(d: Any) -> bool:
    return bool(d.value) and len(d.value) == 4


def _adverbial(tok: Any) -> bool:
    """A time phrase that modifies a verb: "(delivered) in 2014", "(took off) early 2009", not "the 2008 Games"."""
    if tok.dep_ == "npadvmod":
        return tok.head.pos_ in ("VERB", "AUX")
    return tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.head.pos_ in ("VERB", "AUX")


def extract_actions(
    doc: Any,
    dates: Sequence[Any],
    anchor: str | None,
    *,
    quotes: Sequence[tuple[int, int]] = (),
) -> list[ActionRecord]:
    """The actions stated in a parsed article (see module docstring); ``quotes`` are spans to leave out."""
    if not doc.has_annotation("DEP"):
        return []  # no parse (a pipeline without a parser): no subjects or objects to read
    quotes = [*quotes, *_quote_spans(doc_text(doc))]
    by_verb, date_tokens = _date_by_verb(doc, dates)
    out: list[ActionRecord] = []
    for sent in doc.sents:
        for verb in sent:
            if not _is_candidate(verb):
                continue
            if any(s <= verb.idx < e for s, e in quotes):
                continue
            if _conditional_clause(verb) or len(verb.lemma_) < 2:
                continue  # "if the company is indicted": a condition, not an event
            if verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.lemma_.casefold() in _NAMING:
                continue  # "a program called Power8", "a phone dubbed X": a name, not an act
            modals = _modals(verb)
            subj, voice, matrix = _clause_subject(verb)
            if matrix is not None:
                modals |= _modals(matrix)  # "would like to thank"
                if matrix.lemma_.casefold() in _CESSATIVE:
                    continue  # "stopped selling films": what stopped is no act of its own (the stopping is)
            if modals & _CONDITIONAL:
                continue
            if subj is None or subj.lower_ in ("there", "what", "which", "who", "that", "this", "i", "we", "you"):
                continue
            if subj.pos_ in ("VERB", "AUX") or subj.tag_ == "WDT" or subj.i in date_tokens:
                continue  # a clause, a relative pronoun, or a date ("March was set as ...")
            para = _paragraph(verb)
            if _paragraph(subj) != para:
                continue
            obj = _object_of(verb)
            if obj is not None and _paragraph(obj) != para:
                obj = None  # a headline's verb and the dateline under it
            if (
                obj is not None and verb.dep_ == "relcl" and obj.lower_ in _RELATIVE
                and subj.i != verb.head.i and _antecedent(verb) is not None
            ):
                obj = _antecedent(verb)  # "the forum that the president had set up"
            speech = _speech_event(verb, by_verb)
            passive = _is_passive(verb) if voice is None else voice
            if speech is None and not _predicate_ok(verb, obj, passive):
                continue
            if obj is not None and obj.pos_ == "PRON" and obj.lower_ in ("what", "which", "that", "this"):
                continue
            if any(c.i in date_tokens and _paragraph(c) == para for c in verb.children if c.dep_ == "dobj") or (
                verb.lemma_.casefold() in _TIME_VERBS and any(c.i in date_tokens for c in verb.children)
            ):
                continue  # "spent Tuesday boiling water": the time is what is spent, not when
            if subj.pos_ == "PRON":
                subj = _speaker_antecedent(subj) or subj  # "Acme said it had signed ..." -> Acme
            skip = frozenset({verb.i, *(c.i for c in subj.children if c.dep_ == "case" and subj.dep_ == "poss")})
            subj_toks = noun_phrase(subj, date_tokens=date_tokens, skip=skip, keep_det=True)  # "Acme's plan to"
            obj_toks = noun_phrase(obj, date_tokens=date_tokens, keep_det=True) if obj is not None else []
            agent_toks: list[Any] = []
            agent_head = None
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            if agent is not None:
                pobj = next((t for t in agent.children if t.dep_ == "pobj"), None)
                if pobj is not None:
                    agent_toks = noun_phrase(pobj, max_prep=0, date_tokens=date_tokens, keep_det=True)
                    agent_head = pobj.lemma_.casefold()
            extra = _extra(verb, date_tokens) if speech is None else [speech, *noun_phrase(
                next(c for c in speech.children if c.dep_ == "pobj"), max_prep=0, keep_det=True)]
            if speech is not None:
                obj, obj_toks = None, []
            elif obj is None and not extra and any(
                c.dep_ == "ccomp" and _paragraph(c) == para and not _infinitive_with_subject(c) for c in verb.children
            ):
                continue  # "the airline announced that ...": the announced clause is the event
            date, source = by_verb.get(verb.i), "text"
            if date is None and verb.dep_ == "conj":
                date = by_verb.get(verb.head.i)
            if date is None and matrix is not None:
                # "were to take delivery in May 2008": the parse hangs the date on the matrix verb
                held = by_verb.get(matrix.i)
                inside = verb.left_edge.idx, verb.right_edge.idx + len(verb.right_edge.text)
                if held is not None and inside[0] <= held.start and held.end <= inside[1]:
                    date = held
            if date is None and verb.dep_ == "ccomp" and verb.head.lemma_.casefold() in REPORTING:
                date, source = by_verb.get(verb.head.i), "reported"
            value = date.value[:10] if date is not None and date.value else (anchor if date is None else None)
            if date is None:
                source = "published"
            out.append(
                ActionRecord(
                    start=verb.idx, end=verb.idx + len(verb.text),
                    lemma="speak" if speech is not None else _predicate_lemma(verb),
                    negated=_negated(verb) or (matrix is not None and _negated(matrix)), passive=passive,
                    subject=_parts_of(subj_toks), subject_span=_span_of(subj_toks),
                    subject_plural=subj.tag_ in ("NNS", "NNPS") or any(getattr(t, "dep_", "") == "conj" for t in subj_toks)
                    or subj.lower_ in ("they", "we"),
                    subject_pronoun=subj.lower_ if subj.pos_ == "PRON" else None,
                    obj=_parts_of(obj_toks), object_span=_span_of(obj_toks),
                    object_head=obj.lemma_.casefold() if obj is not None else None,
                    extra=_parts_of(extra), agent=_parts_of(agent_toks), agent_span=_span_of(agent_toks),
                    subject_head=subj.lemma_.casefold(), agent_head=agent_head,
                    date=value, date_text=date.text if date is not None else None,
                    date_span=(date.start, date.end) if date is not None else None, date_source=source,
                    sentence=(sent.start_char, sent.end_char),
                    main=verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT"),
                    future="will" in modals or "shall" in modals
                    or (matrix is not None and matrix.lemma_.casefold() not in _ASPECTUAL),  # "plans to sell"
                    past=verb.tag_ == "VBD" or bool(modals & {"had", "has", "have", "was", "were"})
                    or any(c.dep_ == "auxpass" and c.tag_ == "VBD" for c in verb.children),
                )
            )
    return out


# ---------------------------------------------------------------- figures


def _governing_verb(tok: Any) -> Any | None:
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX") and tok.lemma_ not in ("be",):
            return tok
        if tok.head is tok:
            return None
        tok = tok.head
    return None


def _verb_clause(verb: Any, skip: frozenset[int], date_tokens: frozenset[int]) -> tuple[list[Part], list[Part]]:
    """(participle phrase, agent phrase) for "money spent by X on Y" descriptions."""
    phrase: list[Part] = [participle(_predicate_lemma(verb))]
    subj = _subject_of(verb)
    agent: list[Part] = []
    if _is_passive(verb):
        ag = next((c for c in verb.children if c.dep_ == "agent"), None)
        pobj = next((t for t in ag.children if t.dep_ == "pobj"), None) if ag is not None else None
        if pobj is not None:
            agent = ["by", *_parts_of(noun_phrase(pobj, max_prep=0, date_tokens=date_tokens, skip=skip, keep_det=True))]
    elif subj is not None and subj.lower_ in ("which", "who", "that") and verb.dep_ == "relcl" and verb.head.i not in skip:
        # "the union, which represents 35,000 educators" -> "educators represented by the union"
        agent = ["by", *_parts_of(noun_phrase(verb.head, max_prep=0, date_tokens=date_tokens, skip=skip, keep_det=True))]
    elif subj is not None and subj.i not in skip and subj.lower_ not in ("it", "that", "which", "who", "there"):
        if subj.pos_ == "PRON" and subj.lower_ not in ("he", "she", "they"):
            return phrase, []
        agent = ["by", *_parts_of(noun_phrase(subj, max_prep=0, date_tokens=date_tokens, skip=skip, keep_det=True))]
    return phrase, agent


def figure_phrases(doc: Any, figures: Sequence[tuple[int, int, str]], dates: Sequence[Any] = ()) -> list[list[Part]]:
    """``figure_phrase`` of every (start, end, kind) figure of ``doc``, the date tokens found once."""
    if not figures:
        return []
    _, date_tokens = _date_by_verb(doc, dates)
    return [figure_phrase(doc, start, end, kind, dates, date_tokens=date_tokens) for start, end, kind in figures]


def figure_phrase(
    doc: Any, start: int, end: int, kind: str, dates: Sequence[Any] = (), *, date_tokens: frozenset[int] | None = None
) -> list[Part]:
    """What a figure measures, as phrase parts: "households covered by the boil-water notice",
    "money spent by the teachers union on an independent campaign", "increase in water rates".

    ``date_tokens``: the doc's date tokens (``_date_by_verb(doc, dates)[1]``) if known.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return []
    if date_tokens is None:
        _, date_tokens = _date_by_verb(doc, dates)
    inside = frozenset(t.i for t in span)
    root = span.root
    skip = inside | date_tokens

    # 0. A size: "the 250-member House" -> "members of the House".
    size = re.search(r"-([a-z]+)$", span.text)
    if kind == "count" and size and root.head.pos_ in ("NOUN", "PROPN") and root.head.i not in inside:
        unit = size.group(1)
        unit = unit if unit.endswith("s") else unit + "s"
        return [unit, "of", *_parts_of(noun_phrase(root.head, date_tokens=date_tokens, skip=skip, keep_det=True))]

    # 1. The figure modifies a noun: "about 48,000 households", "a $250,000 fine", "9% rate increase".
    head = root
    if root.dep_ in ("nummod", "amod", "compound", "quantmod", "nmod") and root.head.pos_ in ("NOUN", "PROPN"):
        head = root.head
    elif root.pos_ in ("NOUN", "PROPN") and not root.like_num and root.i in inside and kind == "count":
        # the span includes the counted noun ("250-member House")
        head = root
    if head is not root or (kind == "count" and not root.like_num and root.pos_ in ("NOUN", "PROPN")):
        noun = noun_phrase(head, date_tokens=date_tokens, skip=skip)
        parts = _parts_of(noun)
        if parts and head.dep_ in ("dobj", "nsubjpass", "pobj", "nsubj", "attr", "appos"):
            verb = _governing_verb(head)
            if verb is not None and verb.lemma_.casefold() not in REPORTING:
                rel = _relation(head, verb, skip, date_tokens)
                if rel:
                    return parts + rel
        return parts if parts else []

    # 2. "$4.2 million in emergency spending", "35,000 of its members": the figure's own prepositional phrase.
    for child in root.rights:
        if child.dep_ == "prep" and child.lower_ in ("in", "of") and not _is_temporal(child, date_tokens):
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and pobj.pos_ in ("NOUN", "PROPN") and pobj.lower_ not in ("behalf", "total", "all"):
                noun = _parts_of(noun_phrase(pobj, date_tokens=date_tokens, skip=skip, keep_det=True))
                verb = _governing_verb(root)
                if verb is not None and verb.lemma_.casefold() not in REPORTING and verb.lemma_.casefold() != "have":
                    part, agent = _verb_clause(verb, skip, date_tokens)
                    return noun + part + agent
                return noun

    # 3a. A copula: "the second largest funding effort is $280,515 on behalf of X".
    if root.dep_ == "attr" and root.head.lemma_ == "be":
        subj = _subject_of(root.head)
        if subj is not None and subj.pos_ in ("NOUN", "PROPN") and subj.i not in skip:
            tail: list[Part] = []
            for c in root.rights:
                if c.dep_ == "prep" and not _is_temporal(c, date_tokens) and c.lower_ in ("on", "for", "in", "to", "from"):
                    pobj = next((t for t in c.children if t.dep_ == "pobj"), None)
                    if pobj is not None:
                        tail = [_tok_part(c), *_parts_of(noun_phrase(pobj, date_tokens=date_tokens, skip=skip, keep_det=True))]
                        break
            return _parts_of(noun_phrase(subj, date_tokens=date_tokens, skip=skip)) + tail
    verb = _governing_verb(root)
    if verb is None:
        return []
    lemma = verb.lemma_.casefold()
    # 3. A change "by" the figure: "raise water rates by 9%", "the bill would go up by about $4".
    if root.dep_ == "pobj" and root.head.lower_ == "by" and root.head.head.i == verb.i:
        obj = _object_of(verb)
        thing = obj if obj is not None else _subject_of(verb)
        if thing is not None and thing.i not in skip:
            prt = next((c.lower_ for c in verb.children if c.dep_ == "prt"), "")
            change = {"up": "increase", "down": "decrease"}.get(prt) or _CHANGE_NOUN.get(lemma, "change")
            return [change, "in", *_parts_of(noun_phrase(thing, date_tokens=date_tokens, skip=skip, keep_det=True))]
    # 4. "put X at $4.2 million", "estimated X at": the thing valued.
    if root.dep_ == "pobj" and root.head.lower_ in ("at", "to") and root.head.head.i == verb.i:
        obj = _object_of(verb) if lemma not in ("reach", "rise", "climb", "grow", "fall") else None
        thing = obj if obj is not None else _subject_of(verb)
        if thing is not None and thing.i not in skip and thing.pos_ in ("NOUN", "PROPN"):
            return _parts_of(noun_phrase(thing, date_tokens=date_tokens, skip=skip))
    # 5. The figure is what the subject reached or totalled: "spending had reached $6.8 million".
    subj = _subject_of(verb)
    if (
        root.dep_ in ("dobj", "attr", "npadvmod")
        and lemma in ("reach", "total", "hit", "top", "exceed", "amount", "be", "stand")
        and subj is not None
        and (subj.pos_ in ("NOUN", "PROPN") or subj.tag_ == "VBG")
        and subj.i not in skip
    ):
        return _parts_of(noun_phrase(subj, date_tokens=date_tokens, skip=skip))
    # 6. The figure is the object of an action: "raised $24,302", "has spent nearly $650,000 on ...".
    if root.dep_ in ("dobj", "nsubjpass", "attr") and lemma not in REPORTING and lemma not in ("have", "be"):
        what = {"money": "money", "count": "number", "percent": "share"}.get(kind, kind)
        part, agent = _verb_clause(verb, skip, date_tokens)
        tail: list[Part] = []
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ in ("on", "for", "to", "from", "in", "against") and not _is_temporal(c, date_tokens):
                pobj = next((t for t in c.children if t.dep_ == "pobj"), None)
                if pobj is not None and pobj.i not in skip:
                    tail = [c.lower_, *_parts_of(noun_phrase(pobj, date_tokens=date_tokens, skip=skip, keep_det=True))]
                    break
        return [what, *part, *agent, *tail]
    return []


def _relation(head: Any, verb: Any, skip: frozenset[int], date_tokens: frozenset[int]) -> list[Part]:
    """How a counted noun relates to its clause's verb: "covered by the order", "voting against the plan"."""
    lemma = verb.lemma_.casefold()
    if lemma in ("be", "have") or lemma in REPORTING:
        return []
    if head.dep_ in ("dobj", "nsubjpass") and head.head.i == verb.i:
        part, agent = _verb_clause(verb, skip | {head.i}, date_tokens)
        return part + agent
    if head.dep_ == "nsubj" and head.head.i == verb.i:
        ing = _ing(_predicate_lemma(verb))
        extra = _extra(verb, date_tokens)
        obj = _object_of(verb)
        obj_toks = noun_phrase(obj, max_prep=0, date_tokens=date_tokens, skip=skip) if obj is not None else []
        return [ing, *_parts_of(obj_toks), *_parts_of(extra)] if (obj_toks or extra) else []
    if head.dep_ == "pobj" and head.head.head.i == verb.i and head.head.lower_ in ("for", "to"):
        part, agent = _verb_clause(verb, skip | {head.i}, date_tokens)
        obj = _object_of(verb)
        if obj is not None and obj.i not in skip:
            # "a notice issued for 48,000 households" -> "households under the notice"
            return ["under" if head.head.lower_ == "for" else "affected by",
                    *_parts_of(noun_phrase(obj, max_prep=0, date_tokens=date_tokens, skip=skip, keep_det=True))]
    return []


def _ing(lemma: str) -> str:
    head, _, rest = lemma.partition(" ")
    if head.endswith("ie"):
        form = head[:-2] + "ying"
    elif head.endswith("e") and not head.endswith(("ee", "ye", "oe")):
        form = head[:-1] + "ing"
    elif _doubles(head):
        form = head + head[-1] + "ing"
    else:
        form = head + "ing"
    return f"{form} {rest}".strip()


_DATA_NOUNS = frozenset({"figure", "data", "estimate", "record", "filing", "number", "statistic", "count", "report"})


def _bare_data(tok: Any) -> bool:
    """ "figures", "records": data named without whose they are."""
    return tok.lemma_.casefold() in _DATA_NOUNS and not any(
        c.dep_ in ("compound", "amod", "poss") for c in tok.children
    )


def figure_source(doc: Any, start: int, end: int) -> list[Part]:
    """Who a figure is attributed to: the subject of the speech verb that reports it ("HVWA said ..."),
    or the "according to" phrase of its sentence ("according to figures HVWA released")."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return []
    inside = frozenset(t.i for t in span)
    tok = span.root
    for _ in range(10):
        if tok.pos_ in ("VERB", "AUX") and tok.lemma_.casefold() in REPORTING and tok.lemma_.casefold() != "accord":
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subj is not None and subj.pos_ in ("NOUN", "PROPN") and subj.i not in inside and not _bare_data(subj):
                return _parts_of(noun_phrase(subj, max_prep=0, keep_det=True))
            break
        if tok.head is tok:
            break
        tok = tok.head
    for t in span.sent:
        if t.lower_ == "according":
            to = next((c for c in t.children if c.lower_ == "to"), None)
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
            if pobj is None or pobj.i in inside:
                continue
            if pobj.lemma_.casefold() in _DATA_NOUNS:
                # "figures HVWA released" -> HVWA; "figures from the authority" -> the authority
                for c in pobj.children:
                    if c.dep_ in ("relcl", "acl"):
                        subj = next((s for s in c.children if s.dep_ == "nsubj"), None)
                        if subj is not None and subj.pos_ in ("NOUN", "PROPN"):
                            return _parts_of(noun_phrase(subj, max_prep=0, keep_det=True))
                    if c.dep_ == "prep" and c.lower_ in ("from", "by", "of"):
                        inner = next((s for s in c.children if s.dep_ == "pobj"), None)
                        if inner is not None:
                            return _parts_of(noun_phrase(inner, max_prep=0, keep_det=True))
                if not any(c.dep_ in ("compound", "amod", "poss") for c in pobj.children):
                    continue  # a bare "according to figures" names nobody
            if pobj.pos_ in ("NOUN", "PROPN"):
                return _parts_of(noun_phrase(pobj, max_prep=1, keep_det=True))
    return []
