"""Direct quotations and who said them.

Conventions:

- Quotations are in double quotes, curly (“…”) or straight ("…"). Single quotes
  are not read as quotation marks (they are apostrophes far more often).
- One mention per quotation. ``start``/``end`` run from its first quoted word to its
  last, trimmed of surrounding spaces and of a trailing comma (American
  punctuation: “We will,” she said.), and ``text`` is exactly that span, so offsets
  stay checkable. A quotation interrupted by its attribution (“A,” he said. “B.”)
  is one mention whose text holds the interruption, however long the speaker's
  description (“A,” said Rep. X (D-Ore.), a member of the panel. “B.”), but not
  when the attribution hands over to reported speech ("she said, adding that “b”");
  fragments quoted in one breath (called it “reckless” and “a disgrace”) are one
  mention too; so is a quotation running over
  several paragraphs (an opening mark left open at a paragraph's end, the next
  paragraph opening with a mark again). :func:`spoken_text` gives the words as
  spoken, without the interruptions.
- Reports often lose a mark: an opening mark that is never closed runs to the
  end of its paragraph; a closing mark with no opening one in its paragraph
  closes a quotation that began at the paragraph's start.
- Short fragments are kept only as partial quotations: one word right after a
  naming cue (called it “shameful”), two or three words when their sentence has a
  speech cue outside the marks (He called it “a real disgrace,” aides said).
  A single word also counts after a naming verb and its object (called the plan
  “reckless”), and judging verbs (criticized, praised, likened, ...) count as cues.
  Otherwise they are scare quotes and dropped, as are titles (“The Secret
  Relationship …” after "entitled", "called", ...; a short title-case name after a
  possessive or a preposition: MSNBC’s “Morning Show”).
- Speaker: the nearest attribution — “…,” X said / “…,” said X / X said: “…” /
  Said X: “…” / X, who …, said / “…,” officials said / “…,” a spokeswoman for the
  agency said / “…,” Roe’s former aide said / “…” — X / according to X / per X /
  as X put it / the union said in its statement that “…” / footage of X saying “…” /
  a transcript line “SMITH: …”. Before the quotation a named speaker outranks a
  description and the speech verb nearest the quotation wins ("In a post on Friday,
  Roe said she had “…”": Roe). A paragraph holding a new named attribution starts
  a new quotation even after a paragraph left open. With a spaCy ``doc``, a
  quotation the patterns leave unattributed takes the subject of a speech verb in
  its sentence(s) and paragraph — one it hangs from first (X told a woman who asked
  … that “…”: X), else the nearest — else the named subject of the verb governing it
  (X attacked “…”), else the person who is the main subject of the text before it in
  its paragraph (Roe was blunt. “…”). A quotation-only paragraph right after an
  attributed one (“…,” Roe said.¶“…”) has the same speaker. A pronoun ("he said")
  resolves to a person named before the quotation: with a ``doc``, the main subject
  of the latest sentence that has a person for one (passing over sentences whose
  subject is the same pronoun); else, among the last few PERSON entities, the
  subject of a speech verb first, then a clause subject; otherwise capitalised
  names. People the text shows to be of the other gender (Mr./Ms., "Roe said she …")
  are passed over. "it"/"they" take the latest main subject that is no person
  ("“…,” the report read. “…,” it added"), else a recent organisation.
  ``speaker_start/speaker_end`` then point at that earlier mention. A possessive
  source ("NVTA’s statement said") names the possessor ("NVTA").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .model import QuoteMention
from .nlp import doc_text
from .sentences import split_sentences

__all__ = ["SPEECH_VERBS", "extract_quotes", "spoken_text"]

SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|stated|states|wrote|writes|tweeted|tweets|posted|posts|asked|asks|"
    "explained|explains|noted|notes|continued|continues|argued|argues|insisted|insists|declared|declares|"
    "announced|announces|replied|replies|responded|responds|acknowledged|acknowledges|warned|warns|recalled|"
    "remarked|commented|comments|claimed|claims|urged|urges|emailed|testified|concluded|concludes|admitted|"
    "admits|conceded|concedes|added|shouted|yelled|wondered|suggested|suggests|observed|confirmed|confirms|"
    "reiterated|stressed|stresses|emphasized|said\\s+in\\s+a\\s+statement|read|reads|"
    "demanded|demands|quipped|joked|jokes|boasted|complained|complains|vowed|vows|promised|promises|predicted|"
    "lamented|retorted|countered|counters|recounted|mused|pleaded|cautioned|cautions|sang|sings|chanted|"
    "whispered|proclaimed|asserted|asserts|scoffed|conceded|muttered|exclaimed|snapped|shot\\s+back|reported|reports"
)
_VERB = rf"(?:{SPEECH_VERBS})"
# Verbs that name what someone said in their words: He called it “a disgrace”.
_NAMING = r"(?:call(?:ed|s)|describ(?:ed|es)|dubb(?:ed|s)|label(?:l?ed|s)|brand(?:ed|s)|term(?:ed|s)|denounc(?:ed|es))"
_PRONOUN = r"(?:he|she|they|it|He|She|They|It|we|We|I)"
_NAME_WORD = r"(?:(?:Mr|Mrs|Ms|Mx|Dr|Prof|Sen|Rep|Gov|Gen|Lt|Col|Capt|Sgt|Supt|Rev|Hon|Atty)\.|[A-Z][\w’'-]*[\w]|[A-Z]\.|[A-Z])"
_NAME = rf"(?:{_NAME_WORD}(?:\s+(?:(?:de|van|von|der|den|da|di|la|le|al|bin|ibn|el)\s+)?{_NAME_WORD}){{0,4}})"
# A noun phrase: a determiner, then up to four words that are not function words (so that
# "the unrest in Charlotte and" or "a deterrence to what it" is never read as a speaker).
_NP_STOP = r"(?:in|of|and|or|but|that|who|whom|which|what|to|for|on|at|with|by|from|as|if|when|while|it|he|she|they|we)"
_NP = (rf"\b(?:[Tt]he|[Aa]n?|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir)\s+(?:(?!{_NP_STOP}\b)[\w-]+(?:’s|'s)?\s+){{0,3}}?"
       rf"(?!{_NP_STOP}\b)[\w-]+(?:’s|'s)?")
# "Roe’s spokesman", "the party’s former campaign chairman"
_POSSESSED = r"(?:’s|'s)(?:\s+[a-z][\w-]*){1,3}?"
_SPEAKER = rf"(?P<sp>{_NAME}(?:{_POSSESSED})?|{_NP}|{_PRONOUN})"

# After the closing mark: “…,” X said / “…,” said X / “…,” X, who …, said / according to X
# a description with its complement: "a spokeswoman for the agency", "the head of the union"
_NP_PP = rf"{_NP}(?:\s+(?:of|for|at|in|with|from|on)\s+(?:{_NP}|{_NAME}))?"
_AFTER_SUBJ_VERB = re.compile(rf"\s*,?\s*(?P<sp>{_NAME}(?:{_POSSESSED})?|{_NP_PP}|{_PRONOUN})(?:\s+(?:also|then|later|previously|has|had|once))?\s+{_VERB}\b")
_AFTER_VERB_SUBJ = re.compile(rf"\s*,?\s*{_VERB}\s+(?P<sp>{_NAME}|{_NP}|{_PRONOUN})")
_AFTER_APPOSITIVE = re.compile(rf"\s*,?\s*(?P<sp>{_NAME}),\s+[^,“”\"\n]{{2,90}},\s+{_VERB}\b")
# “…,” Tulsa police Chief Jane Roe said / “…,” Rep. Jane Roe (D-Ore.) said: a name with a title or
# description before it and a party or place in brackets after it.
_AFTER_TITLED = re.compile(
    rf"\s*,?\s*(?:[\w.’'-]+\s+){{1,3}}?(?P<sp>{_NAME})(?:\s*\([^()\n]{{1,24}}\))?,?\s+{_VERB}\b"
)
_AFTER_DASH = re.compile(rf"\s*[―—–]+\s*(?P<sp>{_NAME})")
_FUNCTION_WORDS = r"(?:and|but|or|then|also|so|as|he|she|it|they|we|i|you|this|that|who|which|has|had|have|is|was)"
_AFTER_BARE_NOUN = re.compile(
    rf"\s*,?\s*(?P<sp>(?:(?!{_FUNCTION_WORDS}\b)[a-z][\w-]*\s+){{0,2}}(?!{_FUNCTION_WORDS}\b)[a-z][\w-]*s)"
    rf"\s+(?:{SPEECH_VERBS})\b"
)
_NP_LONG = _NP.replace("{0,3}?", "{0,3}")  # as long as it goes: "per the party’s bylaws"
_ACCORDING = re.compile(rf"\baccording\s+to\s+(?P<sp>{_NAME}|{_NP})|\bper\s+(?P<per>{_NAME}|{_NP_LONG})")
# “…,” as a staff memo put it
_PUT_IT = re.compile(rf"\s*,?\s*as\s+(?P<sp>{_NP_PP}|{_NAME}|{_PRONOUN})\s+(?:put|puts)\s+it\b")
# Before the opening mark: X said: “…” / X said in a statement that “…” / X, adding: “…”
_BEFORE = re.compile(
    rf"(?P<sp>{_NAME}(?:(?:’s|'s)\s+[a-z]+)?|{_NP}|{_PRONOUN})(?:\s+(?:also|then|later|previously|has|had|once|"
    rf"would|will))?\s+(?P<v>{_VERB}|{_NAMING})\b[^“”\"\n]{{0,90}}$"
)
_BEFORE_APPOSITIVE = re.compile(rf"(?P<sp>{_NAME}),\s+[^,“”\"\n]{{2,90}},\s+{_VERB}\b[^“”\"\n]{{0,60}}$")
_BEFORE_INVERTED = re.compile(rf"\b(?:{SPEECH_VERBS}|Said|Says|Added|Asked|Wrote)\s+(?P<sp>{_NAME}|{_NP})\s*[:,]\s*$")
_SUBJECT_START = re.compile(rf"\s*(?P<sp>(?:[Tt]he)\s+(?:[\w-]+\s+){{0,2}}?[\w-]+|{_PRONOUN}|{_NAME}(?:(?:’s|'s)\s+[a-z]+)?)(?=\s+(?:also\s+|then\s+|later\s+|has\s+|had\s+|have\s+|is\s+|was\s+)?[a-z]+(?:ed|s)?\b)")
_SHOWN = r"(?:of|from|showing|shows|showed|featuring|features|hear|hears|heard|see|sees|saw|watch|watches|watched)"
_SHOWN_SAYING = re.compile(rf"\b{_SHOWN}\s+(?P<sp>{_NAME})\s*$")
# "… footage of Jane Roe saying at the debate, “…”": the participle's person, nearer than the clause's subject
_SHOWN_SAYING_TAIL = re.compile(
    rf"\b{_SHOWN}\s+(?P<sp>{_NAME})\s+(?:saying|asking|telling|adding|declaring|insisting|explaining|noting|"
    rf"writing|warning|arguing)\b[^“”\"\n.!?]{{0,60}}$"
)
_SAYING = re.compile(r"(?:,\s*)?\b(?:adding|saying|writing|noting|explaining|asking|declaring|insisting)\s*[:,]?\s*$")

_SOURCE_NOUNS = (
    "statement", "spokesperson", "spokesman", "spokeswoman", "website", "release", "email", "letter", "post",
    "tweet", "account", "lawyer", "attorney", "office", "campaign", "representative", "announcement",
)
_NOT_NAMES = frozenset(
    ["The", "A", "An", "In", "On", "At", "By", "For", "From", "With", "As", "After", "Before", "When", "While", "If", "But", "And", "Or", "So", "Yet", "This", "That", "These", "Those", "There", "Here", "It", "Its", "He", "She", "They", "We", "I", "You", "His", "Her", "Their", "Our", "Your", "My", "Mr", "Mrs", "Ms", "Dr", "Then", "Now", "Still", "Also", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December", "Everyone", "Some", "Many", "Most", "All", "One", "Two", "Three", "According", "However", "Meanwhile"]
)
_ORG_WORDS = frozenset(
    ["union", "teachers", "federation", "council", "board", "center", "centre", "district", "school", "schools", "university", "college", "department", "committee", "commission", "association", "party", "times", "news", "post", "journal", "press", "inc", "corp", "company", "force", "plan", "caucus", "league", "coalition", "agency", "office", "city", "county", "state", "house", "senate", "court", "church", "group", "foundation", "institute", "network", "organization", "organisation", "society", "club", "team", "bank", "fund", "trust"]
)
_PLACE_WORDS = frozenset(
    ["los", "las", "san", "santa", "new", "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "central", "upper", "lower", "beach", "hills", "heights", "park", "valley", "island", "islands", "bay", "river", "lake", "mount", "port", "fort", "street", "avenue", "road", "angeles", "york", "jersey", "america", "american", "africa", "african", "europe", "european", "asia", "asian", "israel", "gaza"]
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
            if prev.isdigit() and not depth:
                continue  # an inch mark, no quotation open: "a 13.3" display"
            if depth and prev.isspace() and (nxt in ",;:!?)]}" or (nxt == "." and line[i + 2 : i + 3] != ".")):
                kind = "close"  # tokenised text: 'inspiration " .' closes (an ellipsis may open)
            elif (prev.isspace() or prev in "([{—–-/:") and not nxt.isspace():
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
                if first and line[:pos].strip() != "":
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


# ---------------------------------------------------------------- one quotation from its parts

# What may sit between two parts of one quotation besides its attribution: a place or time
# phrase ("in an interview", "on Monday") and a joining word ("adding", "and added").
_GAP_REST = re.compile(
    r"\s*(?:(?:in|on|at|during|to|with|from|after|before|last|this|earlier|later|by)\b[^.“”\"\n]{0,45}?)?"
    r"\s*(?:,?\s*(?:adding|and\s+added|continuing|and\s+continued|before\s+adding)\b)?\s*[,.;:—–-]?\s*$"
)


# One clause holding a speech verb and ending the sentence or leading on: “A,” the mayor of the town
# said on Monday. “B.”
_GAP_CLAUSE = re.compile(rf"[\s,]*[^“”\"\n.!?;]{{0,80}}?\b{_VERB}\b[^“”\"\n.!?;]{{0,60}}?[\s,.:;—–-]*$")


# A gap ending on a conjunction that introduces reported speech: what follows is not the same quotation.
_INDIRECT_TAIL = re.compile(r"\b(?:that|whether|if|because|how|why|as)\s*$")
_GAP_CUE = re.compile(rf"\b{_VERB}\b")
# Between two quoted fragments of one remark: a few lower-case words ("and", "and then", "by",
# "was her"), no sentence break.
_FRAGMENT_LINK = re.compile(r"\s*,?\s*(?:[a-z][\w’'-]*\s+){1,4}$")


def _attribution_sentence(gap: str) -> bool:
    """“A,” said Rep. Jane Roe (D-Ore.), a member of the panel, at a hearing. “B.”

    The speaker's description can be long and hold abbreviations; it is one attribution
    when the gap is a single sentence closing at the second part, with its speech verb
    near its start (the attribution leads, the description follows).
    """
    g = gap.strip()
    if len(g) > 260 or not g or g[-1] not in ".:,—–-":
        return False
    cue = _GAP_CUE.search(g)
    if cue is None or cue.start() > 90:
        return False
    return len(split_sentences(g)) == 1


def _joins(text: str, prev: _Part, cur: _Part) -> bool:
    """Whether ``cur`` goes on with the quotation of ``prev``.

    Either the two are in one paragraph with nothing between them but the attribution
    (“A,” she said. “B.”), or ``prev`` was left open at its paragraph's end and ``cur``
    opens the next paragraph.
    """
    if prev.para == cur.para:
        gap = text[prev.close_at : cur.open_at]
        if len(gap) > 260 or "\n" in gap:
            return False
        if _FRAGMENT_LINK.match(gap) and not _GAP_CUE.search(gap) and text[prev.start : prev.end].rstrip()[-1:] not in ".!?":
            return True  # fragments quoted in one breath: called it “reckless” and “a disgrace”
        # the first part hands over to its attribution: “A,” / “A?” / “A —” / “A”, she said
        handover = text[prev.start : prev.end].rstrip(" '’")[-1:] in (",", "?", "!", "—", "–", "-", "…")
        if not handover and not gap.lstrip().startswith(","):
            return False
        if _INDIRECT_TAIL.search(gap):
            return False  # “A,” she said, adding that “b”: a partial quotation in reported speech
        for pattern in (_AFTER_APPOSITIVE, _AFTER_SUBJ_VERB, _AFTER_VERB_SUBJ):
            m = pattern.match(gap)
            if m and _GAP_REST.match(gap, m.end()):
                return True
        return bool(_GAP_CLAUSE.match(gap)) or _attribution_sentence(gap)
    if not prev.continues or cur.para != prev.para + 1:
        return False
    if _LABEL.match(text, _clean_span(text, cur.start, cur.end)[0]):
        return False  # a new speaker's line in a transcript
    if _named_attribution(text, cur) and _has_attribution(text, prev):
        return False  # “A …¶“B,” added Rep. Roe: the previous paragraph had its speaker, this one has another
    line_start = text.rfind("\n", 0, cur.open_at) + 1
    return not text[line_start : cur.open_at].strip()


def _named_attribution(text: str, part: _Part) -> bool:
    """The part is followed by an attribution naming its speaker (not "he said")."""
    line_end = text.find("\n", part.close_at)
    after = text[part.close_at : len(text) if line_end < 0 else line_end]
    for pattern in (_AFTER_APPOSITIVE, _AFTER_SUBJ_VERB, _AFTER_VERB_SUBJ, _AFTER_TITLED):
        m = pattern.match(after)
        if m:
            return not re.fullmatch(_PRONOUN, m["sp"])
    return False


def _has_attribution(text: str, part: _Part) -> bool:
    """The paragraph of ``part`` holds a speech verb outside its quotation marks."""
    ps = text.rfind("\n", 0, part.open_at) + 1
    line = text[ps : part.end]
    outside = re.sub(r"[“\"][^”\"]*[”\"]", " ", line)
    last_open = max(outside.rfind("“"), outside.rfind('"'))
    return bool(_GAP_CUE.search(outside[: last_open if last_open >= 0 else len(outside)]))


def _units(text: str, parts: list[_Part]) -> list[list[_Part]]:
    units: list[list[_Part]] = []
    for p in parts:
        if units and _joins(text, units[-1][-1], p):
            units[-1].append(p)
        else:
            units.append([p])
    return units


def spoken_text(quote: str) -> str:
    """The words of a quotation as spoken: attributions between its parts and paragraph marks dropped.

    ``quote`` is the text of a :class:`QuoteMention` (it starts inside the marks), so marks
    alternate: the first closes, the next reopens. A line break inside the quotation starts
    a new paragraph of it, whose opening mark is skipped.
    """
    out: list[str] = []
    inside = True
    i, n = 0, len(quote)
    while i < n:
        ch = quote[i]
        if ch == "\n":
            inside = True
            while i < n and quote[i].isspace():
                i += 1
            if i < n and quote[i] in "“„\"":
                i += 1
            out.append(" ")
            continue
        if ch in "“„”\"":
            if inside:
                inside = False
            else:
                inside = True
                out.append(" ")
            i += 1
            continue
        if inside:
            out.append(ch)
        i += 1
    joined = " ".join("".join(out).split())
    return re.sub(r"\s+([,.;:!?])", r"\1", joined).strip(" ,")


# A transcript line quoted whole: “SMITH: …” / “Q: …”.
_LABEL = re.compile(r"(?P<label>[A-Z][A-Z.’'-]*(?:\s+[A-Z][A-Z.’'-]*){0,2}):\s+")

_CUE_IN_SENTENCE = re.compile(rf"\b(?:{SPEECH_VERBS}|according\s+to|call(?:ed|s|ing)|describ(?:ed|es|ing)|"
                              r"referr(?:ed|ing)\s+to|dubbed|labell?ed|branded|termed|saying|adding|telling|asking|"
                              r"insisting|arguing|warning|calling|writing|tweeting|"
                              # verbs of judging aloud: criticized the plan as “a giveaway”
                              r"criticiz(?:ed|es|ing)|criticis(?:ed|es|ing)|accus(?:ed|es|ing)|prais(?:ed|es|ing)|"
                              r"mock(?:ed|s|ing)|blast(?:ed|s|ing)|slamm(?:ed|ing)|slams|hail(?:ed|s|ing)|"
                              r"condemn(?:ed|s|ing)|denounc(?:ed|es|ing)|dismiss(?:ed|es|ing)|likened|likens|"
                              r"promis(?:ed|es|ing)|vow(?:ed|s|ing)|pledg(?:ed|es|ing))\b")


def _partial_quote(text: str, first: _Part, last: _Part, n_words: int) -> bool:
    """A short quotation is kept when it reads as someone's words, not as scare quotes.

    One word needs a cue right before it ("called it “shameful”"); two or three words
    need a speech cue in their sentence, outside the marks.
    """
    before = text[max(0, first.open_at - 40) : first.open_at]
    line_start = text.rfind("\n", 0, first.open_at) + 1
    before = before[max(0, len(before) - (first.open_at - line_start)) :]
    if n_words == 1:
        # a naming verb and its object: called Acme’s conduct “outrageous”, labeled the mayor a “coward”
        if re.search(r"\b(?:call(?:ed|s|ing)?|dub(?:bed|s)?|label(?:l?ed|s)?|brand(?:ed|s)?|term(?:ed|s)?|"
                     r"describ(?:ed|es|ing))\s+(?:[\w’'-]+\s+){1,4}?(?:an?\s+|the\s+|as\s+(?:an?\s+)?)?$", before):
            return True
        return bool(re.search(r"\b(?<!so-)(?:call(?:ed|s|ing)?|dub(?:bed|s)?|label(?:l?ed|s)?|brand(?:ed|s)?|term(?:ed|s)?|"
                              r"as|was|is|were|are|be|been|being)\s+(?:it|him|her|them|this|that|himself|herself)?\s*"
                              r"(?:an?\s+|the\s+)?$", before))
    line_end = text.find("\n", last.close_at)
    after = text[last.close_at : len(text) if line_end < 0 else line_end]
    stop = re.search(r"[.!?](?:\s|$)", after)
    after = after[: stop.start() if stop else 160]
    head = text[line_start : first.open_at]
    dot = max(head.rfind(". "), head.rfind("? "), head.rfind("! "))
    head = head[dot + 1 :]
    outside = re.sub(r"[“\"][^”\"]*[”\"]", " ", head + " " + after)
    return bool(_CUE_IN_SENTENCE.search(outside))


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


# ---------------------------------------------------------------- gender from the text

# "Roe said she …", "Roe, who says he …": a pronoun subject right after a verb of the named person's
_MALE_WORDS = re.compile(r"\b(?:said|told|[a-z]+ed|[a-z]+s)\s+(?:that\s+)?he\b|\bhimself\b")
_FEMALE_WORDS = re.compile(r"\b(?:said|told|[a-z]+ed|[a-z]+s)\s+(?:that\s+)?she\b|\bherself\b")
_HONORIFIC = re.compile(r"\b(?P<h>Mr|Mrs|Ms|Miss)\.?\s+(?:[A-Z][\w’'-]*\s+){0,2}$")


def _person_key(name: str) -> str:
    words = _strip_possessive(name).split()
    return words[-1].casefold() if words else ""


def _genders(text: str, people: Sequence[_Name], quoted: list[tuple[int, int]]) -> dict[str, str]:
    """Each person's gender as the text shows it, keyed by surname: "m", "f", or absent.

    Evidence: an honorific (Mr., Mrs., Ms., Miss) before a mention, and gendered pronouns
    outside quotation marks after the person's mention in a sentence that names no one
    else ("Roe said she would run"). Absent when the evidence is missing or split.
    """
    votes: dict[str, list[int]] = {}
    for n in people:
        h = _HONORIFIC.search(text, max(0, n.start - 40), n.start)
        if h:
            votes.setdefault(_person_key(n.text), [0, 0])[0 if h["h"] == "Mr" else 1] += 3
    # a surname shared by differently named people (Bill and Hillary Clinton) says nothing
    firsts: dict[str, set[str]] = {}
    for n in people:
        words = _strip_possessive(n.text).split()
        if len(words) >= 2:
            firsts.setdefault(_person_key(n.text), set()).add(words[0].casefold())
    starts = [n.start for n in people]
    q_starts = [a for a, _ in quoted]
    for a, b in split_sentences(text):
        inside = people[bisect_right(starts, a - 1) : bisect_right(starts, b - 1)]
        keys = {_person_key(n.text) for n in inside}
        if len(keys) != 1:
            continue
        key = keys.pop()
        first = inside[0].end
        for k, rx in enumerate((_MALE_WORDS, _FEMALE_WORDS)):
            hits = sum(1 for m in rx.finditer(text, first, b) if not _inside(quoted, q_starts, m.start()))
            if hits:
                votes.setdefault(key, [0, 0])[k] += hits
    out: dict[str, str] = {}
    for key, (m, f) in votes.items():
        if len(firsts.get(key, ())) > 1:
            continue
        if m >= 2 * f + 1 and m > f:
            out[key] = "m"
        elif f >= 2 * m + 1 and f > m:
            out[key] = "f"
    return out


# ---------------------------------------------------------------- speakers


@dataclass(slots=True)
class _Speaker:
    text: str
    start: int
    end: int


class _Resolver:
    def __init__(self, text: str, doc: Any, quoted: list[tuple[int, int]]) -> None:
        self.text = text
        self.doc = doc
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
        # people who are the subject of their clause: "she said" points back to one of them first
        self.subjects = sorted(t.idx for t in doc if t.dep_ in ("nsubj", "nsubjpass")) if doc is not None else []
        # people who are the subject of a speech verb: "she said" continues the voice of the last speaker
        self.speakers = sorted(
            t.idx for t in doc if t.dep_ == "nsubj" and t.head.lemma_.casefold() in _CUE_LEMMAS
        ) if doc is not None else []
        self.orgs = sorted((n for n in names if not n.person), key=lambda n: n.start)
        self.org_ends = sorted((n.end, k) for k, n in enumerate(self.orgs))
        self.gender = _genders(text, self.people, quoted)
        self.quoted, self.quoted_starts = sorted(quoted), sorted(a for a, _ in quoted)
        self.sents = list(doc.sents) if doc is not None and doc.has_annotation("DEP") else []
        self.sent_starts = [sent.start_char for sent in self.sents]
        self.ent_of = {t.i: ent for ent in doc.ents for t in ent} if self.sents else {}

    def recent_person(self, before: int, lookback: int = 5, gender: str | None = None) -> _Speaker | None:
        """The latest person named before ``before``.

        Among the last few, one who is the subject of a speech verb first ("Roe says … She
        adds"), then one who is a subject, then the nearest. With a ``gender`` ("m" for "he",
        "f" for "she"), people the text shows to be of the other one are passed over.
        """
        i = bisect_right(self.people_starts, before) - 1
        seen: list[_Name] = []
        while i >= 0 and len(seen) < lookback:
            n = self.people[i]
            if n.end <= before and not (gender and self.gender.get(_person_key(n.text), gender) != gender):
                seen.append(n)
            i -= 1
        if not seen:
            return None
        best = seen[0]
        centre = self._centre(before, gender)
        if centre is not None:
            best = centre
        elif self.subjects:
            best = next((n for n in seen if self._is_in(self.speakers, n)), None) or next(
                (n for n in seen if self._is_in(self.subjects, n)), seen[0]
            )
        return _Speaker(best.text, best.start, best.end)

    def _centre(self, before: int, gender: str | None) -> _Name | None:
        """The person a pronoun continues: the main subject of the latest sentence that has one.

        "Roe hopes to sell. That worries the board. “…,” she said": walking back over at most
        three sentences, a sentence whose main-clause subject is a person (not of the other
        gender) gives that person; one whose subject is a pronoun of the same gender is passed
        over without counting (it continues the same person), one about a thing counts.
        """
        if not self.sent_starts:
            return None
        k = bisect_right(self.sent_starts, before) - 1
        others = 0  # sentences about something else passed over
        for sent in self.sents[max(0, k - 8) : k + 1][::-1]:
            tok = self._main_subject(sent, before)
            if tok is None and sent.start_char <= before < sent.end_char:
                continue  # nothing yet before the pronoun in its own sentence
            if tok is not None:
                n = self._person_at(tok.idx)
                if n is not None and not (gender and self.gender.get(_person_key(n.text), gender) != gender):
                    return n
                pronoun = {"he": "m", "she": "f"}.get(tok.lower_)
                if pronoun and gender and pronoun != gender:
                    return None  # the other gender: someone else is in focus
                if pronoun:
                    continue  # "She started … She then …": the same person, go on back
            if others == 0:
                n = self._introduced(sent, before)
                if n is not None and not (gender and self.gender.get(_person_key(n.text), gender) != gender):
                    return n
            others += 1
            if others >= 3:
                break
        return None

    def _introduced(self, sent: Any, before: int) -> _Name | None:
        """A person the sentence ends by introducing: "… which worries Jane Roe, head of the
        tenants' union." (nothing after the name but a description without a verb)."""
        end = min(sent.end_char, before)
        i = bisect_right(self.people_starts, end - 1) - 1
        if i < 0 or self.people[i].start < sent.start_char or self.people[i].end > end:
            return None
        n = self.people[i]
        rest = self.doc.char_span(n.end, end, alignment_mode="expand")
        if rest is None:
            return n if not self.text[n.end : end].strip(" .\n") else None
        if self.text[n.end : end].strip(" .\n") and not self.text[n.end : end].lstrip().startswith(","):
            return None
        if any(t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "compound") or t.text in "“”\"" for t in rest):
            return None
        return n

    def _person_at(self, pos: int) -> _Name | None:
        i = bisect_right(self.people_starts, pos) - 1
        return self.people[i] if i >= 0 and self.people[i].start <= pos < self.people[i].end else None

    def _thing_centre(self, before: int, plural: bool) -> _Speaker | None:
        """What "it" or "they" continues: the latest main-clause subject that is no person.

        "“…,” the report read. “…,” it added": walking back over at most three sentences
        (those whose subject is the same pronoun do not count), a subject that is a noun or
        an organisation agreeing in number ("they": plural or an organisation) is the speaker.
        """
        if not self.sent_starts:
            return None
        k = bisect_right(self.sent_starts, before) - 1
        others = 0
        for sent in self.sents[max(0, k - 8) : k + 1][::-1]:
            tok = self._main_subject(sent, before)
            if tok is not None:
                if tok.lower_ == ("they" if plural else "it"):
                    continue
                ent = self.ent_of.get(tok.i)
                label = ent.label_ if ent is not None else ""
                if tok.pos_ in ("NOUN", "PROPN") and label not in ("PERSON", "DATE", "TIME"):
                    number_ok = label == "ORG" or (tok.tag_ in ("NNS", "NNPS")) == plural
                    if number_ok:
                        a = ent.start_char if ent is not None else tok.left_edge.idx
                        b = ent.end_char if ent is not None else tok.idx + len(tok.text)
                        if b - a > 60 or _inside(self.quoted, self.quoted_starts, a):
                            a = tok.idx
                        return _Speaker(self.text[a:b], a, b)
            others += 1
            if others >= 3:
                break
        return None

    def _main_subject(self, sent: Any, before: int) -> Any:
        """The first subject in ``sent`` (before ``before``, outside quotations) of a main clause.

        Subjects of subordinate clauses ("Though she …", "who …", "said Smith was …") are passed over;
        the subject of a speech verb heading the sentence comes first ("A clerk who steals is
        punished, Roe said": Roe).
        """
        speech = next((t for t in sent if t.dep_ == "nsubj" and t.idx < before and t.head.dep_ == "ROOT"
                       and t.head.lemma_.casefold() in _CUE_LEMMAS
                       and not _inside(self.quoted, self.quoted_starts, t.idx)), None)
        if speech is not None:
            return speech
        for tok in sent:
            if tok.idx >= before:
                return None
            if tok.dep_ not in ("nsubj", "nsubjpass") or _inside(self.quoted, self.quoted_starts, tok.idx):
                continue
            if all(t.is_punct or t.is_space for t in sent.doc[sent.start : max(sent.start, tok.left_edge.i)]):
                return tok  # the sentence opens on it: "He added …, should Roe attempt …"
            head = tok.head
            if head.dep_ in ("relcl", "acl", "ccomp", "xcomp", "pcomp", "csubj") or any(
                c.dep_ == "mark" for c in head.children
            ):
                continue
            return tok
        return None

    @staticmethod
    def _is_in(idxs: list[int], n: _Name) -> bool:
        i = bisect_right(idxs, n.end - 1) - 1
        return i >= 0 and idxs[i] >= n.start

    def previous_subject(self, open_at: int) -> _Speaker | None:
        """For a quotation with no attribution: the person who is the main subject of the text
        just before it in its paragraph, the sentence it opens in ("Politifact ruled that the
        claim was “true”") or, when it opens a sentence, the one before ("Roe was blunt. “We
        will not pay.”"). The subject of a speech verb at the root of that sentence comes first."""
        if self.doc is None or not self.sents:
            return None
        line_start = self.text.rfind("\n", 0, open_at) + 1
        sents = split_sentences(self.text[line_start:open_at])
        if not sents:
            return None
        a, b = line_start + sents[-1][0], line_start + sents[-1][1]
        span = self.doc.char_span(a, b, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        tok = self._main_subject(span, b)
        if tok is None:
            return None
        if tok.lower_ in ("he", "she"):
            return self.speaker(tok.idx, tok.idx + len(tok.text), tok.idx)
        # "His former partner, Jane Roe, called him a master. “…”": the subject's named apposition
        if self._person_at(tok.idx) is None:
            tok = next((c for c in tok.subtree if c.dep_ == "appos" and self._person_at(c.idx)), tok)
        n = self._person_at(tok.idx)
        return _Speaker(n.text, n.start, n.end) if n is not None else None

    def is_verb(self, offset: int) -> bool:
        """False when the parse tags the word at ``offset`` as a noun or an adjective (True without one)."""
        if self.doc is None:
            return True
        span = self.doc.char_span(offset, offset + 1, alignment_mode="expand")
        return span is None or len(span) == 0 or span[0].pos_ not in ("NOUN", "PROPN", "ADJ")

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
            gender = "m" if low == "he" or low.startswith("his") else "f" if low != "i" else None
            return self.recent_person(pronoun_from, gender=gender)
        if low in ("they", "it", "we") or re.match(r"^(?:its|their)\s", low):
            if low != "we":
                thing = self._thing_centre(pronoun_from, plural=low.startswith("the"))
                if thing is not None:
                    return thing
            org = self.recent_org(pronoun_from)
            return org
        if phrase.split()[0] in _NOT_NAMES and not re.match(r"^(?:The|A|An)\s", phrase):
            return None  # "Then", "However": not a speaker
        if re.match(r"(?:I|He|She|We|They|It|You)[’'](?:m|s|re|ve|ll|d)\b", phrase, re.IGNORECASE):
            return None  # "I’m going to read you …": a contraction, not a name
        return _Speaker(phrase, start, end)


def _attribution(text: str, part: _Part, sent: tuple[int, int], res: _Resolver) -> _Speaker | None:
    s_lo = sent[0]
    line_end = text.find("\n", part.close_at)
    # a quotation closing on "?" or "!" ends its sentence before "she asked": read on past it
    sent_end = part.close_at + 200 if text[part.start : part.end].rstrip()[-1:] in ("?", "!") else sent[1]
    after_hi = min(max(sent_end, part.close_at), len(text) if line_end < 0 else line_end)
    after = text[part.close_at : after_hi]
    # the next opening mark bounds the attribution region
    nxt = re.search(r"[“\"]", after)
    if nxt:
        after = after[: nxt.start()]
    for pattern in (_AFTER_APPOSITIVE, _AFTER_SUBJ_VERB, _AFTER_VERB_SUBJ, _AFTER_BARE_NOUN, _AFTER_TITLED,
                    _AFTER_DASH):
        m = pattern.match(after)
        if m:
            sp = res.speaker(part.close_at + m.start("sp"), part.close_at + m.end("sp"), part.open_at)
            if sp:
                return sp
    m = _PUT_IT.match(after)
    if m:
        return res.speaker(part.close_at + m.start("sp"), part.close_at + m.end("sp"), part.open_at)
    m = _ACCORDING.search(after)
    if m and m.start() < 40:
        g = "sp" if m["sp"] else "per"
        return res.speaker(part.close_at + m.start(g), part.close_at + m.end(g), part.open_at)
    before_lo = s_lo if s_lo <= part.open_at else text.rfind("\n", 0, part.open_at) + 1
    before = text[before_lo : part.open_at]
    prev_close = max(before.rfind("”"), before.rfind('"'))
    if prev_close >= 0:
        before = before[prev_close + 1 :]
        before_lo = before_lo + prev_close + 1
    m = (_SHOWN_SAYING_TAIL.search(before) or _BEFORE_APPOSITIVE.search(before) or _last_before(before, before_lo, res)
         or _BEFORE_INVERTED.search(before))
    if m:
        return res.speaker(before_lo + m.start("sp"), before_lo + m.end("sp"), before_lo + m.start("sp"))
    saying = _SAYING.search(before)
    if saying and not saying.group(0).startswith(","):
        # "footage of Jane Roe saying, “…”": the person the participle describes speaks
        m = _SHOWN_SAYING.search(before, 0, saying.start())
        if m:
            return res.speaker(before_lo + m.start("sp"), before_lo + m.end("sp"), before_lo + m.start("sp"))
    if saying or re.search(r":\s*$", before):
        # "He … , adding: “…”" / "The union left open the possibility: “…”": the clause's subject speaks
        head = before[: saying.start()] if saying else before
        sp = _clause_subject(text, before_lo, head, res)
        if sp is not None:
            return sp
    m = _ACCORDING.search(before)
    if m:
        g = "sp" if m["sp"] else "per"
        return res.speaker(before_lo + m.start(g), before_lo + m.end(g), before_lo)
    return None


def _last_before(before: str, offset: int, res: _Resolver) -> re.Match[str] | None:
    """The "X said …" before a quotation: a named (or pronoun) speaker before a description,
    and of those the one whose verb is nearest the quotation.

    "In a message posted Friday, Roe said she had “…”": Roe, not the message; "Roe said the
    plan demands “…”": Roe, not the plan. With a parse, a cue word it tags as a noun
    ("Republican claims as “false”") is no verb.
    """
    best: re.Match[str] | None = None
    best_key: tuple[bool, int, int] | None = None
    m = _BEFORE.search(before)
    while m is not None:
        if res.is_verb(offset + m.start("v")):
            description = bool(re.fullmatch(_NP, m["sp"])) and bool(re.search(r"\s[a-z]", m["sp"]))
            key = (not description, m.start("v"), -m.start())
            if best_key is None or key > best_key:
                best, best_key = m, key
        m = _BEFORE.search(before, m.start() + 1)
    return best


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


# ---------------------------------------------------------------- speakers from a parse

_CUE_LEMMAS = frozenset(
    ["say", "tell", "add", "state", "find", "rule", "hail", "liken", "criticize", "criticise", "condemn", "write", "tweet", "post", "ask", "explain", "note", "continue", "argue", "insist", "declare", "announce", "reply", "respond", "acknowledge", "warn", "recall", "remark", "comment", "claim", "urge", "email", "testify", "conclude", "admit", "concede", "shout", "yell", "wonder", "suggest", "observe", "confirm", "reiterate", "stress", "emphasize", "emphasise", "call", "describe", "dub", "label", "brand", "term", "report", "sing", "joke", "boast", "complain", "vow", "promise", "predict", "accuse", "charge", "quip", "lament", "scream", "chant", "read", "tout", "praise", "blast", "slam", "mock", "deride", "dismiss", "decry", "denounce", "counter", "retort", "whisper", "proclaim", "assert", "allege", "caution", "pledge", "demand", "recount", "muse", "plead", "scoff", "mutter", "exclaim"]
)
_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
_NP_LEFT_DEPS = ("compound", "det", "amod", "poss", "nmod", "nummod", "case", "prep", "pobj", "punct")


class _DocCues:
    """Speech cues in a spaCy parse and their subjects, for quotations the patterns leave unattributed."""

    def __init__(self, doc: Any, quoted: list[tuple[int, int]]) -> None:
        self.doc = doc
        spans = sorted(quoted)
        starts = [a for a, _ in spans]
        # Cues are read through the dependency parse; a doc without one (a pipeline without a
        # parser) has none to offer, and walking its unset tree is unsafe.
        self.cues: list[Any] = [
            t for t in doc
            if (t.lemma_.casefold() in _CUE_LEMMAS and t.pos_ in ("VERB", "NOUN") or t.lower_ == "according")
            and not _inside(spans, starts, t.idx)
        ] if doc.has_annotation("DEP") else []
        self.ents = {t.i: ent for ent in doc.ents for t in ent}

    def speaker(self, parts: list[tuple[int, int]], res: _Resolver) -> _Speaker | None:
        """The subject of the nearest speech cue in the sentences holding the quotation's parts."""
        open_at, close_at = parts[0][0], parts[-1][1]
        span = self.doc.char_span(open_at, max(close_at, open_at + 1), alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        lo, hi = span[0].sent.start_char, span[-1].sent.end_char
        # a parse may run a sentence across a paragraph break; the cue is in the quotation's paragraphs
        text = doc_text(self.doc)
        lo = max(lo, text.rfind("\n", 0, open_at) + 1)
        para_end = text.find("\n", close_at)
        hi = min(hi, len(text) if para_end < 0 else para_end)
        cands = [t for t in self.cues if lo <= t.idx < hi]
        cands.sort(key=lambda t: open_at - t.idx if t.idx < open_at else t.idx - close_at)
        # a cue the quotation hangs from comes first: "X told a woman who suggested … that “…”"
        # (a verb, not in a relative clause: "told a woman who suggested … that “…”" is told's;
        # "the spate of shootings demands that …", tagged a noun, is no cue)
        inner = [t for t in span if not t.is_punct and any(ps < t.idx < pe for ps, pe in parts)]
        governing = {a.i for t in inner for a in t.ancestors}
        cands.sort(key=lambda t: (t.i not in governing, t.pos_ != "VERB" or t.dep_ == "relcl"))
        for cue in cands:
            subj = self._subject(cue)
            if subj is None:
                continue
            a, b = self._noun_phrase(subj)
            if any(a < pe and ps < b for ps, pe in parts):
                continue  # inside the quotation
            sp = res.speaker(a, b, a)
            if sp is not None:
                return sp
        # (back into the paragraph before is fine: "Roe said:¶“…”"; on into a later one is not)
        return self._governing_subject(span, parts, res, (0, len(text) if para_end < 0 else para_end))

    def _governing_subject(
        self, span: Any, parts: list[tuple[int, int]], res: _Resolver, bounds: tuple[int, int]
    ) -> _Speaker | None:
        """A partial quotation inside a clause is the words of that clause's named subject.

        Trump attacked “the hateful ideology”: climb from the quoted words to the nearest verb
        outside the marks; its subject speaks when the parser names it a person or an
        organisation (or it is "he"/"she", resolved as usual).
        """
        tok = span[0]
        for _ in range(8):
            if tok.head.i == tok.i:
                return None
            tok = tok.head
            if not bounds[0] <= tok.idx < bounds[1]:
                return None  # the parse ran on into another paragraph
            if any(a <= tok.idx < b for a, b in parts) or tok.pos_ not in ("VERB", "AUX"):
                continue
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            head_ent = self.ents.get(tok.head.i)
            if subj is None and tok.dep_ == "acl" and head_ent is not None and head_ent.label_ == "PERSON":
                # a parse hanging the verb on the name: "Jane Roe, an analyst, compared him to …"
                return res.speaker(head_ent.start_char, head_ent.end_char, head_ent.start_char)
            if subj is None or subj.lower_ in ("who", "that", "which", "everything", "it", "this", "there"):
                continue  # "compared him to a coach who is “working the referees”": climb past the relative clause
            if subj.lower_ in ("he", "she"):
                return res.speaker(subj.idx, subj.idx + len(subj.text), subj.idx)
            ent = self.ents.get(subj.i)
            if ent is None:
                # "Another critic, Jane Roe, likened …": the description's named apposition
                ent = next((self.ents[c.i] for c in subj.children if c.dep_ == "appos" and c.i in self.ents), None)
            if ent is not None and ent.label_ in ("PERSON", "ORG"):
                return res.speaker(ent.start_char, ent.end_char, ent.start_char)
            return None
        return None

    def _subject(self, cue: Any) -> Any:
        if cue.lower_ == "according":
            for to in cue.children:
                for obj in to.children:
                    if obj.dep_ == "pobj":
                        return obj
            return None
        if cue.dep_ == "acl" and getattr(self.ents.get(cue.head.i), "label_", "") == "PERSON":
            return cue.head  # "footage of Jane Roe saying during the debate “…”"
        tok = cue
        for _ in range(3):  # "…, adding “…”" / "went on to say": climb to the verb with a subject
            subj = self._nearest_subject(tok)
            if subj is None and tok.dep_ == "conj":
                subj = self._nearest_subject(tok.head)
            if subj is not None:
                if subj.lower_ in ("who", "that", "which") and subj.head.dep_ == "relcl":
                    return subj.head.head
                ent = self.ents.get(subj.i)
                if ent is None or ent.label_ not in ("PERSON", "ORG"):
                    # "With days to go until the vote, Jane Roe, an adviser, called …": the parser
                    # took the fronted phrase for the subject and the name for its apposition
                    appos = next((c for c in subj.children if c.dep_ == "appos" and c.idx < tok.idx
                                  and getattr(self.ents.get(c.i), "label_", "") == "PERSON"), None)
                    if appos is not None:
                        return appos
                return subj
            if tok.dep_ in ("advcl", "xcomp", "conj") and tok.head.i != tok.i:
                tok = tok.head
            else:
                return self._person_before(tok) if tok.pos_ == "VERB" else None
        return None

    def _nearest_subject(self, verb: Any) -> Any:
        """The verb's subject; of two (a parse run across a paragraph break), the one in its paragraph."""
        subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
        same_para = [c for c in subjects if "\n" not in doc_text(self.doc)[min(c.idx, verb.idx) : max(c.idx, verb.idx)]]
        return (same_para or subjects or [None])[0]

    def _person_before(self, verb: Any) -> Any:
        """For a verb the parser left without a subject ("In Ohio, Jane Roe, the mayor, told …"):
        the person named last before it in its sentence, with no other verb between them."""
        for t in reversed(self.doc[verb.sent.start : verb.i]):
            if t.pos_ in ("VERB", "AUX") or t.text in "“”\"":
                return None
            ent = self.ents.get(t.i)
            if ent is not None and ent.label_ == "PERSON":
                return ent.root
        return None

    def _noun_phrase(self, tok: Any) -> tuple[int, int]:
        ent = self.ents.get(tok.i)
        if ent is not None:
            return ent.start_char, ent.end_char
        left = [c for c in tok.lefts if c.dep_ in ("compound", "det", "amod", "poss", "nmod", "nummod")]
        start = min([c.left_edge.idx for c in left] + [tok.idx])
        return start, tok.idx + len(tok.text)


# ---------------------------------------------------------------- entry point


def _clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\u00a0":
        start += 1
    while end > start and text[end - 1] in " \t\u00a0,":
        end -= 1
    return start, end


def _is_title(text: str, part: _Part, words: Sequence[str]) -> bool:
    long_words = [w for w in words if len(w) > 3 and w[0].isalpha()]
    capitalised = bool(long_words) and sum(w[0].isupper() for w in long_words) / len(long_words) >= 0.7
    if not capitalised:
        return False
    before = text[max(0, part.open_at - 30) : part.open_at]
    if _TITLE_CUE.search(before):
        return True
    # A short name in title case after a possessive or a preposition is the name of a show, an
    # event or a work (MSNBC’s “Morning Show”, during a “Town Hall Forum”), not someone's words;
    # after "as" or a naming verb it is what someone was called.
    spoken = text[part.start : part.end].rstrip(" ,")
    return (
        len(words) <= 6
        and spoken[-1:] not in ".!?"
        and all(w[0].isupper() or len(w) <= 3 for w in words if w[0].isalpha())
        and bool(_TITLE_BEFORE.search(before))
    )


_TITLE_BEFORE = re.compile(
    r"(?:(?:’s|'s)|\b(?:his|her|their|its|our|my|your|on|in|at|during|of|to|for|from|a|an)\b)\s*$"
)


def extract_quotes(text: str, article_id: str, *, doc: Any = None, min_words: int = MIN_WORDS) -> list[QuoteMention]:
    """Direct quotations in ``text`` with their speakers (see the module docstring)."""
    if not text:
        return []
    units: list[tuple[list[_Part], int, int, _Speaker | None]] = []
    for unit in _units(text, _parts(text)):
        first, last = unit[0], unit[-1]
        s, e = _clean_span(text, first.start, last.end)
        label = _LABEL.match(text, s, e)
        label_speaker = None
        if label:  # a transcript line quoted whole: “SMITH: We will …”
            label_speaker = _Speaker(label["label"], label.start("label"), label.end("label"))
            s = label.end()
        if e <= s:
            continue
        words = re.findall(r"[\w’'-]+", spoken_text(text[s:e]))
        if not words or _is_title(text, first, words):
            continue
        if len(words) < min_words and not _partial_quote(text, first, last, len(words)):
            continue
        units.append((unit, s, e, label_speaker))
    if not units:
        return []  # nothing quoted: no speakers to look for
    quoted = [(p.open_at, p.close_at) for unit, _, _, _ in units for p in unit]
    res = _Resolver(text, doc, quoted)
    sents = split_sentences(text)
    starts = [a for a, _ in sents]
    cues = _DocCues(doc, quoted) if doc is not None else None
    speakers: list[_Speaker | None] = []
    for unit, s, _e, label_speaker in units:
        sp = label_speaker
        for p in unit:
            if sp is not None:
                break
            sp = _attribution(text, p, _sentence_of(sents, starts, p, s), res)
        if sp is None and cues is not None:
            sp = cues.speaker([(p.open_at, p.close_at) for p in unit], res)
        speakers.append(sp)
    # units without their own attribution inherit from a neighbouring quotation by the same voice
    for k in range(len(units)):
        if speakers[k] is not None or k == 0 or speakers[k - 1] is None:
            continue
        prev, p = units[k - 1][0][-1], units[k][0][0]
        if prev.para == p.para or (prev.para + 1 == p.para and _adjacent_paragraphs(text, prev, p)):
            speakers[k] = speakers[k - 1]
    for k in range(len(units) - 2, -1, -1):
        if speakers[k] is None and speakers[k + 1] is not None and units[k][0][-1].para == units[k + 1][0][0].para:
            speakers[k] = speakers[k + 1]
    for k, (unit, _s, _e, _label) in enumerate(units):
        if speakers[k] is None:
            speakers[k] = res.previous_subject(unit[0].open_at)
    out: list[QuoteMention] = []
    for (_unit, s, e, _label), sp in zip(units, speakers):
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


def _sentence_of(sents: list[tuple[int, int]], starts: list[int], p: _Part, s: int) -> tuple[int, int]:
    """The sentence(s) holding a part: from the one where it opens to the one where it closes."""
    lo = max(p.start, s) if p.start <= s < p.end else p.start
    i = bisect_right(starts, lo) - 1
    sent = sents[i] if i >= 0 else (0, max(p.close_at, lo))
    j = bisect_right(starts, max(p.close_at - 1, lo)) - 1
    if j >= 0 and sents[j][1] > sent[1]:
        sent = (sent[0], sents[j][1])
    return sent


def _adjacent_paragraphs(text: str, prev: _Part, cur: _Part) -> bool:
    """The current paragraph is nothing but a quotation following one that ended its paragraph."""
    line_start = text.rfind("\n", 0, cur.open_at) + 1
    line_end = text.find("\n", prev.close_at)
    rest = text[prev.close_at : len(text) if line_end < 0 else line_end]
    if text[line_start : cur.open_at].strip():
        return False
    if not rest.strip(" ."):
        return True
    # “…,” Roe said at the meeting.¶“…”: the previous paragraph closes on the attribution alone
    if len(rest) > 120 or re.search(r"[“”\"]|[.!?]\s+\S", rest.rstrip()):
        return False
    return any(p.match(rest) for p in (_AFTER_SUBJ_VERB, _AFTER_VERB_SUBJ, _AFTER_APPOSITIVE, _AFTER_TITLED))
