"""Named entities: mentions from spaCy, grouped across reports into entities.

``extract_mentions`` takes the NER spans of one document and tidies them
("the", possessives, stray punctuation, spans running over a line break or a
spaced dash), then uses evidence inside the document where the small model
stumbles: a span it ran over headline words around names it tags alone
elsewhere is split ("Comedian Jane Roe", "Mayor To Meet Jane Roe"), a
name the document writes whole somewhere is re-joined where the model split
it (and found where it missed it), "Full Name (ABC)" makes ABC a mention
wherever it occurs, a one-word name it tags once, the surname of a
person named in full and a product's designation are mentions where they
recur untagged (capitalised, alone, and not capitalised only by position
when the text also writes the word in lower case), a name gets the label
most of its mentions carry (a "person" whose name ends in "Clinic",
"Foundation" or "Airport" is a body or a building), and a lone surname or
given name of a person named in full earlier (or below, for a headline
word: "Roe Wins" above "Jane Roe won") is that person. Shapes the model misses: camel-case
names ("iPhone", "eBay") and model designations ("Boeing 787": the maker
stays an ORG mention, "787" is a PRODUCT; "iPhone 4", "A380", "777-200LR")
are products, a place followed by a number-and-letters word is a team
(a city and "49ers"). A span is cut at a parenthesis it does not close
("Software Kit (SDK"), a team's span drops the score after it ("Tillbury
91-73"; no product "91-73"), an airline's span drops "Flight 212", a person's
takes the degrees after it ("Jane Roe, MD": no place "MD"), and a name the
document writes whole is found where later words are in lower case
("iTunes Store" / "iTunes store"). Laws ("Clean Water Act", LAW) are
names too. ``add_story_mentions`` does the same
across the reports of a story: a name one report tags (camel-case ones
too: "iTunes Store") is a mention where another writes it untagged, its later
words in any case ("iTunes store"; a one-word name with an inner capital also in
other capitals: "MacBook" / "Macbook"; any name on a line written all in
capitals: "ROVERS WIN"), and takes the pieces another
report's model split it into; a span run over headline words, titles or
nationalities around names the story tags alone is split
("Comedian Jane Roe", "Hire Jane Roe", "American Jane Roe"), also in a
headline over words the story capitalises nowhere else ("Velora Launches",
"Premier Snubs Roe"; not a word after a lone given name, nor a paper's
"Herald"); a report
where a full name is found only so has its lone surname relabelled too.

``resolve_entities`` groups the mentions of one story's reports:

1. in-text evidence first: an acronym defined right after its expansion
   (or inside the same mention: "Harbour Trust (HT)") is tied to it, and a
   model written after its maker is the model ("Velora V90" / "V90", also
   "Velora 90" and "V90s"; "Velora 990 Skyliner" / "990 Skyliner");
2. distinct names are clustered by average link over ``name_similarity``
   with cannot-link constraints (a person never joins an organisation; two
   multi-word names that clearly differ, such as two full names with
   different given names or two look-alike bodies, never share a cluster;
   neither do two names that differ in one word that is another word, not a
   respelling, inflection or abbreviation: "Air Norland" / "Air Ostavia", nor
   a place and a longer name holding it: "Norland" / "Air Norland"),
   so a chain of look-alikes cannot pull two entities together. Two forms
   of one person's full name count as alike: the same surname,
   and the shorter form's given names found in order in the longer one, the
   same or short forms they begin ("Fred Roe" / "Frederick C. Roe", "Mark
   Roe" / "W. Mark Roe", "Lo Presti" / "Gianni Lo Presti"), unless the
   shorter form fits two unlike people or one report writes both
   ("Dan Roe", "Daniel Roe");
3. a lone surname (or given name) joins the full name it belongs to when
   only one full name fits; when several do, the one named in the same
   report (the nearest before it) wins, and otherwise it stays apart. A
   one-word nickname made of the starts of a full name ("JoRo") is that
   person when only one fits.

Before clustering, a mention's description is set apart from its name
("aircraft manufacturer Boeing", "Name, M.D.", "Trustee of X, Name", "the
maker's newest jet, the 990 Skyliner", "Name, minister of trade", "Harbour
Hall in Tillbury", "new iPod", "30GB iPod"), and so is a possessor the story names itself
("Tillbury's Harbour Airport", "Velora's 990"); a
surname the model mislabelled (ORG, NORP, ...) in a report that never names
the person in full, and a double surname alone ("Oyelaran-Pike"), still join
that person; a name written in capitals somewhere ("CHIEFS") is not taken
for an acronym when the story also writes it otherwise.
After clustering, a body's short form joins its full name when only one
fits ("Lockheed" / "Lockheed Martin", "Chargers" / "San Diego Chargers" with
"San Diego" a place of the story, even when the model took the nickname for
a person; never "California" / "San Francisco, California", nor the longer
form when its other words are in lower case: "Velora's board of directors"; a product's "787" / "787 Dreamliner" but
not "iPhone" / "iPhone Developer Program"; an acronym only a name that adds
generic words: "NPD" / "NPD Group"; a place never a longer name: "London" /
"London Heathrow"), or when one of several is the one the reports write alone
with it far more often ("Apple" with "Apple Computer", not "Apple Corps") or
the one the others begin with ("Roe Recovery", not "Roe Recovery Center"); a
person's name mostly written where a place would stand ("checked into Jane
Roe", "treated at Jane Roe") is the body or building named after that person
when the story names one ("Jane Roe Clinic"); a
product's plural is the product ("A380s"), a lone word that is no one's name
but ends one product's name is that product when tagged as a person or when
a designation comes before it ("Dreamliner" of "787 Dreamliner"), and a lone surname
that its own report does not resolve goes to the person the story mostly
names (twice as often as any other candidate).

The canonical name is the best-attested clean spelling: full forms first,
then the form most used by the cleaner reports (``article_weights``), so a
machine-translated respelling neither becomes the name nor a separate entity.
A garbled report's (weight below 0.5) labels are not trusted either: its
names may join an entity of any type ("Fares Al-Nadeem" tagged NORP joins the
clean reports' person), and an entity's type is the one the cleaner reports
give; a person still never joins a body between clean reports, except that a
close respelling one report writes exactly where a near-copy report names an
entity (same neighbouring entities, most entities shared) joins that entity
whatever the model called it ("Boeyng" tagged PERSON joins "Boeing"). Given
the reports' texts, a respelling written where another report names an entity
(the same three tokens on each side) is that entity even when the model did
not tag it or ``name_similarity`` scores it low ("Franca" for "France"), and
a place written for its team ("beat Tillbury 20-13", where the story names
the "Tillbury Harriers" and writes "Harriers" alone) is the team, unless a
word like "in" or "of" comes before it.

Products (PRODUCT: aircraft, phones, cars) are entities too.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from jellyfish import metaphone as _metaphone
from rapidfuzz.distance import Levenshtein

from .model import Entity, Mention
from .names import (
    _HONORIFICS,
    _ORG_WORDS,
    _info,
    _raw_words,
    _sim,
    is_acronym_of,
    name_similarity,
    name_tokens,
    normalize_name,
    skeleton,
)
from .nlp import doc_text

__all__ = ["LABELS", "add_story_mentions", "extract_mentions", "link_entities_across_stories", "resolve_entities"]

LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "LAW"})
# Labels whose multi-word names are propagated through a document.
_PROPAGATE = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "PRODUCT", "LAW"})
_CLASS = {"PERSON": "P", "ORG": "O", "GPE": "L", "LOC": "L", "FAC": "F", "NORP": "N", "EVENT": "E", "PRODUCT": "R", "LAW": "W"}
_LABEL_ORDER = {"PERSON": 0, "ORG": 1, "GPE": 2, "LOC": 3, "FAC": 4, "NORP": 5, "EVENT": 6, "PRODUCT": 7, "LAW": 8}

_LEADING_THE = re.compile(r"^(?:the|The|THE)\s+")
_TRAILING = re.compile(r"(?:[’'`]s|[’'`]|[\s,.;:/\\|\-–—(\[{]+)$")
_LEADING = re.compile(r"^[\s,.;:/\\|\-–—)\]}\"“”‘’'`*•]+")
_TRAILING_QUOTES = re.compile(r"[\"“”‘*•)\]}]+$")
_ACRONYM_DEF = re.compile(r"\(\s*([A-Z][A-Za-z0-9&.\-]{1,11})\s*\)")
_WORD_PIECES = re.compile(r"[\s\-–]+")

_SIM_THRESHOLD = 0.8  # average link needed to merge two clusters
_CANNOT = 0.5  # two multi-word names below this never share a cluster


# --------------------------------------------------------------------------- extraction


def _tidy(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim "the", possessives and stray punctuation from a span."""
    for _ in range(6):
        before = (start, end)
        span = text[start:end]
        m = _LEADING.match(span)
        if m and m.end() < len(span):
            start += m.end()
            span = text[start:end]
        m = _LEADING_THE.match(span)
        if m and m.end() < len(span):
            start += m.end()
            span = text[start:end]
        m = _TRAILING.search(span) or _TRAILING_QUOTES.search(span)
        if m and m.start() > 0:
            end = start + m.start()
        if (start, end) == before:
            break
    return start, end


_HYPHENATED_PART = re.compile(r"-[A-Z][\w'’]*")


def _hyphenated_end(text: str, end: int) -> int:
    """Extend a name cut at a hyphen over the capitalised part after it ("Oyelaran" -> "Oyelaran-Pike")."""
    while m := _HYPHENATED_PART.match(text, end):
        end = m.end()
    return end


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a span at line breaks, spaced dashes ("Tillbury - Velora Aero") and a parenthesis
    it opens or closes but does not hold whole ("Harbour Trust (HT"): a name does not run across one."""
    out: list[tuple[int, int]] = []
    pos = start
    span = text[start:end]
    cuts = [(m.start(), m.end()) for m in re.finditer(r"\s*\n\s*|[ \t]+[\-–—][ \t]+", span)]
    depth = 0
    for m in re.finditer(r"\s*[()]\s*", span):
        if "(" in m.group(0):
            if ")" not in span[m.end() :]:
                cuts.append((m.start(), m.end()))
            else:
                depth += 1
        elif depth:
            depth -= 1
        else:
            cuts.append((m.start(), m.end()))
    cuts += _coordination_cuts(span) + _possessor_cuts(text, start, span)
    for a, b in sorted(cuts):
        if start + a < pos:
            continue
        out.append((pos, start + a))
        pos = start + b
    out.append((pos, end))
    return [(s, e) for s, e in out if e > s]


_AND = re.compile(r"[ \t]+(?:and|&)[ \t]+")
_POSSESSIVE = re.compile(r"['’]s[ \t]+(?=[A-Z0-9])")


def _coordination_cuts(span: str) -> list[tuple[int, int]]:
    """"Macbook and Macbook Pro": two names, the second the first with more words (never
    "Johnson & Johnson" or "Procter and Gamble", one name each)."""
    out = []
    for m in _AND.finditer(span):
        left, right = _LEADING_THE.sub("", span[: m.start()]), span[m.end() :]
        if left and right.startswith(left + " "):
            out.append((m.start(), m.end()))
    return out


def _possessor_cuts(text: str, start: int, span: str) -> list[tuple[int, int]]:
    """"Apple Computer's Mac OS": the possessor is a name of its own when the document writes it
    elsewhere without the rest ("McDonald's Corporation", never written so, stays whole)."""
    out = []
    for m in _POSSESSIVE.finditer(span):
        owner, rest = span[: m.start()], span[m.end() :]
        if not owner or not rest or not owner[0].isupper():
            continue
        whole = start + m.start()  # where this occurrence of the owner ends
        for o in re.finditer(rf"(?<![\w]){re.escape(owner)}(?![\w'’])", text):
            if o.end() != whole and not text.startswith(span[len(owner) :], o.end()):
                out.append((m.start(), m.end()))
                break
    return out


# A game's score: "91-73", "51 - 50" ("737-800", three digits a side round a bare hyphen, is a model).
_SCORE = re.compile(r"(\d{1,3})([ \t]*[-–][ \t]*)(\d{1,3})(?![\w\-])")


def _score_at(text: str, pos: int) -> bool:
    """A score starts at ``pos``."""
    m = _SCORE.match(text, pos)
    return m is not None and not (len(m.group(1)) == len(m.group(3)) == 3 and m.group(2) == "-")


def _score_cut(text: str, s: int, e: int) -> int:
    """Where a span ends before a score it ran over ("Tillbury 91-73", "Tillbury 51" of "Tillbury 51 - 50"), else ``e``."""
    m = re.search(r"[ \t]+(?=\d{1,3}(?:[ \t]*[-–][ \t]*\d{1,3})?$)", text[s:e])
    score = _SCORE.match(text, s + m.end()) if m and m.start() > 0 else None
    if m and score and score.end() >= e and _score_at(text, score.start()):
        return s + m.start()
    return e


# "Harbour Air Flight 212": the flight is not part of the airline's name.
_FLIGHT_TAIL = re.compile(r"[ \t]+Flight(?:[ \t]+[A-Z]{0,3}\d{1,5}[A-Z]?)?$")
# Degrees and suffixes written after a person's name and a comma ("Jane Roe, M.D.", "Ada Osei, PhD, MBA").
_CREDENTIAL_WORD = re.compile(r"[A-Z][A-Za-z]{0,4}(?:\.[ \t]?[A-Z][a-z]?)*\.?(?![\w\-])")
_CREDENTIALS = frozenset(
    ["md", "phd", "mba", "mph", "msc", "rn", "dds", "dmd", "jd", "dvm", "cpa", "esq", "jr", "sr", "iii", "facs", "facp", "frcs", "obe", "mbe", "cbe", "kbe"]
)


_COMMA = re.compile(r",[ \t]*")


def _credentials_end(text: str, end: int) -> int:
    """Where the degrees written after a person's name end (``end`` when there are none)."""
    pos = end
    while m := _COMMA.match(text, pos):
        c = _CREDENTIAL_WORD.match(text, m.end())
        if not c or re.sub(r"[.\s]", "", c.group(0)).casefold() not in _CREDENTIALS:
            break
        pos = c.end()
    return pos


def _add_credentials(text: str, spans: list[list[Any]]) -> None:
    """A person's span takes the degrees after it ("Jane Roe, MD"): "MD" there is no place."""
    for span in list(spans):
        s, e, label = span
        if label != "PERSON" or span not in spans:
            continue
        stop = _credentials_end(text, e)
        if stop == e:
            continue
        stop = _tidy(text, s, stop)[1]
        inside = [x for x in spans if x is not span and x[0] < stop and x[1] > e]
        if any(x[0] < e or x[1] > stop for x in inside):
            continue
        for x in inside:
            spans.remove(x)
        span[1] = stop


_LOWER_PARTICLES = frozenset(
    ["al", "el", "ul", "van", "von", "de", "da", "di", "du", "del", "der", "la", "le", "bin", "ibn", "abu", "ben", "dos", "das"]
)


def _looks_like_name(surface: str) -> bool:
    if len(surface) < 2 or not any(ch.isalpha() for ch in surface):
        return False
    if not any(ch.isupper() for ch in surface):
        return False
    first = _WORD_PIECES.split(surface, maxsplit=1)[0]
    # "anti-Semitism", "dean, department": a name starts with a capital
    # unless it opens with a particle ("al-Assad", "van Gogh", "de Gaulle").
    if (
        first
        and first[0].islower()
        and not any(ch.isupper() for ch in first)
        and first.casefold().strip(".'’") not in _LOWER_PARTICLES
    ):
        return False
    info = _info(surface)
    if not info.norm:
        return False
    return not all(w in _HONORIFICS for w in info.words)  # "Supt", "President": a title, not a name


def _loose_acronym(short: str, long: str) -> bool:
    """``short`` could abbreviate ``long``: same first letter, letters in order."""
    if is_acronym_of(short, long):
        return True
    letters = re.sub(r"[^a-z0-9]", "", normalize_name(short))
    full = normalize_name(long).replace(" ", "")
    words = normalize_name(long).split()
    if len(letters) < 2 or len(words) < 2 or not full.startswith(letters[0]):
        return False
    pos = 0
    for ch in letters:
        pos = full.find(ch, pos)
        if pos < 0:
            return False
        pos += 1
    return True


def _word_bounded(text: str, needle: str) -> Iterable[tuple[int, int]]:
    for m in re.finditer(r"(?<![\w])" + re.escape(needle) + r"(?![\w])", text):
        yield m.start(), m.end()


def _case_variants(text: str, surface: str) -> Iterable[tuple[int, int]]:
    """Where ``text`` writes the multi-word name ``surface``, its first word as written,
    the later ones in any case ("vTunes Store", "vTunes store")."""
    first, sep, rest = surface.partition(" ")
    pattern = re.escape(first) + ("(?i:" + re.escape(sep + rest) + ")" if sep else "")
    for m in re.finditer(r"(?<![\w])" + pattern + r"(?![\w])", text):
        yield m.start(), m.end()


def _place(spans: list[list[Any]], s: int, e: int, label: str) -> bool:
    """Put span (s, e) in, replacing spans inside it; refuse if it would cut one."""
    inside = []
    for i, (a, b, _) in enumerate(spans):
        if b <= s or a >= e:
            continue
        if a <= s and e <= b:
            return False  # already within a (possibly equal) span
        if s <= a and b <= e:
            inside.append(i)
        else:
            return False  # crosses a span boundary
    for i in reversed(inside):
        del spans[i]
    spans.append([s, e, label])
    return True


# "iPhone", "eBay", "iOS": a capital after a lower-case start.
_CAMEL = re.compile(r"(?<![\w'’\-])(?:[a-z]{1,2}[A-Z][a-z][A-Za-z]*|i[A-Z]{2,}[a-z]*)(?![\w\-])")
# A model designation: "747", "A380", "737-800", "777-200LR", "3GS", "787s".
_MODEL = re.compile(r"(?:[A-Z]{1,2}-?)?\d{1,4}(?:[A-Z]{1,3})?(?:-\d{1,4}(?:[A-Z]{1,3})?)?s?")
# One that is a name on its own, without its maker: "A380", "A350s", "777-200LR".
_CODE = re.compile(r"(?<![\w\-.$£€])(?:[A-Z]{1,2}-?\d{3}[A-Z]{0,3}(?:-\d{1,4}[A-Z]{0,3})?|\d{3}-\d{1,4}[A-Z]{1,3})s?(?![\w\-])")
_VARIANT = re.compile(r"(\d{3,4})-\d{1,4}[A-Z]{0,3}s?")
_AFTER_MAKER = re.compile(r"(['’]s)?[ \t]+(\S+?)(?=[\s,;:.!?)\]\"”’']|$)")
# Words after a number that make it an amount, not a model designation.
_COUNTED = frozenset(
    ["million", "billion", "trillion", "thousand", "hundred", "percent", "per", "cent", "bn", "mn", "mln", "m", "k", "years", "year", "months", "month", "weeks", "week", "days", "day", "hours", "minutes", "times"]
)
# Words after which a number is a flight, route, channel, ... number, not a model.
_NUMBERED = frozenset(
    ["flight", "route", "channel", "highway", "interstate", "road", "room", "gate", "terminal", "platform", "chapter", "section", "article", "number", "no", "bus", "line", "level", "phase", "stage", "page", "round", "game", "week", "day", "title", "class", "grade", "district", "ward", "precinct", "station", "pier", "unit", "suite", "floor", "exit", "junction", "mile", "act", "bill", "resolution", "proposition", "amendment", "local", "fund", "index", "top", "group"]
)
_FUNCTION_WORDS = frozenset(
    ["and", "or", "but", "to", "in", "on", "at", "for", "with", "from", "by", "of", "is", "was", "are", "were", "has", "had", "have", "will", "would", "can", "could", "that", "which", "who", "as", "than", "over", "into"]
)
_AMOUNT_LABELS = frozenset(["DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"])
# A place and a word made of a number and letters ("49ers") name a team.
_TEAM = re.compile(r"[ \t]+(\d{1,3}[A-Za-z]{3,})(?![\w\-])")
_UNITS = frozenset(["mph", "kph", "kmh", "kms", "hrs", "mins", "secs", "lbs", "yrs", "sqm", "sqft", "gbps", "mbps", "ghz", "mhz", "khz", "mah", "kwh", "mwh", "gwh"])
_HEAD_WORD = re.compile(r"[A-Za-z][\w'’\-]*")
_NEXT_WORD = re.compile(r"[ \t]+([\w&]+)")
_NEXT_LOWER = re.compile(r"[ \t]+([a-z]+)\b")
_NUMBER_GOES_ON = re.compile(r"[.,]\d|\s*%")


class _Layout:
    """What a text says about its capitals: the words it writes in lower case, its headline lines."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lower = set(re.findall(r"(?<![\w'’\-])[a-z]+(?![\w\-])", text))
        self.headlines: list[tuple[int, int]] = []
        pos = 0
        for line in text.split("\n"):
            words = [w for w in _HEAD_WORD.findall(line) if len(w) > 3]
            if len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.7 * len(words):
                self.headlines.append((pos, pos + len(line)))
            pos += len(line) + 1

    def in_capitals(self, pos: int) -> bool:
        """``pos`` is on a line written all in capitals (two words or more), where case says nothing."""
        start = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos)
        line = self.text[start : end if end >= 0 else len(self.text)]
        return len(re.findall(r"[^\W\d_]{2,}", line)) >= 2 and line.upper() == line

    def in_headline(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self.headlines)

    def by_position(self, pos: int) -> bool:
        """A capital at ``pos`` may come from where the word stands (sentence or line start, headline)."""
        before = self.text[max(0, pos - 80) : pos].rstrip(" \t\"“‘'`([*•-–—")
        return not before or before[-1] in ".!?:\n" or self.in_headline(pos)

    def stands_alone(self, s: int, e: int) -> bool:
        """No capitalised word right next to ``text[s:e]``: it is not a piece of a longer name."""
        if self.in_headline(s):
            return True
        after = _NEXT_WORD.match(self.text, e)
        if after and after.group(1)[0].isupper():
            return False
        before = re.search(r"([\w&.]+)[ \t]+$", self.text[max(0, s - 40) : s])
        return not (before and before.group(1)[0].isupper() and not self.by_position(s - len(before.group(0))))


def _free(spans: list[list[Any]], s: int, e: int) -> bool:
    return all(b <= s or a >= e for a, b, _ in spans)


def _add_camel_case(text: str, spans: list[list[Any]]) -> None:
    """"iPhone", "eBay", "iOS": a word with a capital after a lower-case start is a name.

    Untagged, it takes the label the model gives it elsewhere in the document,
    else PRODUCT; the model's NORP for one ("iTunes") is never a nationality.
    """
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for span in spans:
        surface = text[span[0] : span[1]]
        if _CAMEL.fullmatch(surface):
            if span[2] == "NORP":
                span[2] = "PRODUCT"
            labels[surface][span[2]] += 1
    for m in _CAMEL.finditer(text):
        if _free(spans, m.start(), m.end()):
            known = labels.get(m.group(0))
            spans.append([m.start(), m.end(), _majority(known) if known else "PRODUCT"])


_Ents = Sequence[tuple[int, int, str]]  # the model's spans: start, end, label


def _amount(ents: _Ents, s: int, e: int, *, cardinal: bool = True) -> bool:
    """The model reads ``[s, e)`` as (part of) a date, time, amount or, if ``cardinal``, a longer number.

    A number the model reads inside the span ("737" of "737-800") does not count.
    """
    for a, b, label in ents:
        if a < e and s < b and (label in _AMOUNT_LABELS or (cardinal and label == "CARDINAL" and (a < s or b > e))):
            return True
    return False


def _designation(ents: _Ents, text: str, s: int, e: int, short_ok: bool, maker: str = "") -> bool:
    """``text[s:e]`` is a model designation, not an amount, year or count.

    ``short_ok``: one or two digits will do (after a product: "iPhone 4").
    A plain number after a body (``maker``) and before a lower-case content
    word ("Boeing 747 jets" or "Boeing 150 jobs"?) needs the model's PRODUCT
    tag or the same pair written again in the text.
    """
    tok = text[s:e]
    if not _MODEL.fullmatch(tok) or _score_at(text, s):
        return False
    digits = re.sub(r"\D", "", tok)
    plain = tok.rstrip("s").isdigit()
    if plain and (len(digits) <= 2 and not short_ok or tok.endswith("s") and int(digits) < 100):
        return False
    if plain and len(digits) == 4 and 1800 <= int(digits) <= 2099:
        return False  # a year
    if _NUMBER_GOES_ON.match(text, e):
        return False
    nxt = _NEXT_LOWER.match(text, e)
    if nxt and nxt.group(1) in _COUNTED:
        return False
    prev = re.search(r"([A-Za-z]+)\.?[ \t]+$", text[max(0, s - 30) : s])
    if prev and prev.group(1).casefold() in _NUMBERED:
        return False  # "Flight 447", "Route 94"
    if _amount(ents, s, e):
        return False
    if plain and nxt and nxt.group(1) not in _FUNCTION_WORDS and maker and len(re.findall(r"(?<!\w)" + re.escape(f"{maker} {tok}") + r"(?!\w)", text)) < 2:
        return any(label == "PRODUCT" and a <= s and e <= b for a, b, label in ents)
    return True


def _add_designations(ents: _Ents, text: str, spans: list[list[Any]]) -> None:
    """Model designations after a maker or product name are products; so are codes like "A380".

    After a product ("iPhone 4", "iOS 5") the designation belongs to its
    name; after a body, which may be the maker or the operator ("Boeing 787",
    "an Air France A330", "Boeing's 787"), the designation alone is the
    product and the body stays a mention of its own. A place followed by a
    number-and-letters word is a team (a city and "49ers").
    """
    for s, e, label in sorted(spans, key=lambda x: x[0]):
        if label in ("GPE", "LOC"):
            m = _TEAM.match(text, e)
            if m and m.group(1).lstrip("0123456789").casefold() not in _UNITS and not _amount(ents, m.start(1), m.end(1), cardinal=False):
                _place(spans, s, m.end(1), "ORG")
            continue
        if label not in ("ORG", "PRODUCT"):
            continue
        m = _AFTER_MAKER.match(text, e)
        if not m:
            continue
        ds, de = m.start(2), m.end(2)
        product = label == "PRODUCT" or bool(_CAMEL.fullmatch(text[s:e]))
        joined = product and not m.group(1)
        if not _designation(ents, text, ds, de, joined, "" if joined else text[s:e]):
            continue
        if joined:
            _place(spans, s, de, "PRODUCT")
        elif _free(spans, ds, de):
            spans.append([ds, de, "PRODUCT"])
    for m in _CODE.finditer(text):
        if _free(spans, m.start(), m.end()) and not _amount(ents, m.start(), m.end(), cardinal=False):
            spans.append([m.start(), m.end(), "PRODUCT"])
    # The number that begins a variant's designation ("990" of "990-300ER") names the model
    # family wherever the text writes it alone ("its 990 airliner"), unless a count follows ("990 seats").
    families = {fam.group(1) for s, e, label in spans if label == "PRODUCT" and (fam := _VARIANT.fullmatch(text[s:e]))}
    for fam in sorted(families):
        for m in re.finditer(r"(?<![\w\-.$£€,])" + fam + r"(?![\w\-.,]\w|[\w\-])", text):
            nxt = _NEXT_LOWER.match(text, m.end())
            if nxt and nxt.group(1).endswith("s") and not nxt.group(1).endswith("ss"):
                continue
            if _free(spans, m.start(), m.end()) and _designation(ents, text, m.start(), m.end(), False):
                spans.append([m.start(), m.end(), "PRODUCT"])


# Words that join two names a headline runs together ("Mayor To Meet Jane Roe").
_GLUE_WORDS = frozenset(["to", "as", "in", "on", "at", "by", "with", "after", "from", "over", "into", "amid", "vs", "v"])
# Head words of names of bodies and places: "Times" in "New York Times" is part of the name.
_NAME_HEADS = frozenset(
    ["airport", "station", "stadium", "arena", "bridge", "tower", "hall", "building", "museum", "library", "prize", "award", "awards", "cup", "games", "festival", "hotel", "square", "port", "harbour", "harbor", "base", "prison", "market", "mall", "theatre", "theater", "center", "centre", "gallery", "garden", "gardens", "plaza", "palace", "castle", "cathedral", "temple", "mosque", "stadium", "field", "hurricane", "storm", "computer", "computers", "systems", "airlines", "air", "records", "pictures", "studios", "media", "energy", "oil", "motors", "foods", "holdings"]
)


def _weak(word: str, lower: set[str]) -> bool:
    """A word the text also writes in lower case (or a joining word), and no head of a name."""
    w = word.strip("\"“”‘’'`,;:.!?()[]").casefold()
    if not w.isalpha() or w in _ORG_WORDS or w in _NAME_HEADS:
        return False
    if w in _GLUE_WORDS:
        return True
    return not lower.isdisjoint(_inflections(w))


def _inflections(w: str) -> set[str]:
    """``w`` and the forms of its stem ("nominates": "nominate", "nominated", "nominating", ...)."""
    bases = {w}
    for suffix in ("s", "es", "d", "ed", "ing"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            bases |= {w[: -len(suffix)], w[: -len(suffix)] + "e"}
    return {b + suffix for b in bases for suffix in ("", "s", "es", "d", "ed", "ing")}


def _split_glued(text: str, spans: list[list[Any]], layout: _Layout) -> None:
    """Split a span the model ran over words around names it tags alone elsewhere.

    "Comedian Jane Roe", "Jane Roe Returns", "Mayor To Meet Jane Roe": when
    every other word of a span is a joining word, or one capitalised by its
    place (headline, sentence start) that the document also writes in lower
    case, the span is the names inside it. Only for a span written once,
    taken for a person, holding a name of another type, or in a headline;
    never across a word that heads names ("Times", "Airport", "Foundation").
    """
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for s, e, label in spans:
        counts[text[s:e]][label] += 1
    known = sorted(counts, key=lambda k: (-len(k), k))
    for span in list(spans):
        s, e, label = span
        surface = text[s:e]
        if counts[surface].total() > 1 or " " not in surface:
            continue
        inner: list[tuple[int, int, str]] = []
        for k in known:
            if len(k) >= len(surface) or k not in surface:
                continue
            for m in re.finditer(r"(?<![\w\-])" + re.escape(k) + r"(?![\w\-])", surface):
                a, b = s + m.start(), s + m.end()
                if all(b2 <= a or a2 >= b for a2, b2, _ in inner):
                    inner.append((a, b, _majority(counts[k])))
        if not inner:
            continue
        rest = [w for w in re.finditer(r"\S+", surface) if not any(a <= s + w.start() < b for a, b, _ in inner)]
        if not rest or not all(
            w.group(0).casefold() in _GLUE_WORDS or (_weak(w.group(0), layout.lower) and layout.by_position(s + w.start()))
            for w in rest
        ):
            continue
        other_type = any(_CLASS.get(lab) != _CLASS.get(label) for _, _, lab in inner)
        if not (label == "PERSON" or other_type or layout.in_headline(s)):
            continue
        spans.remove(span)
        spans.extend([a, b, lab] for a, b, lab in inner)


def _add_short_forms(text: str, spans: list[list[Any]], layout: _Layout) -> None:
    """Words the document already knows as names, found where the model did not tag them.

    A one-word name tagged somewhere, the surname of a person named in full,
    and a product's designation ("787", also as "787s") are mentions
    wherever they recur capitalised, alone (no capitalised
    neighbour), and not capitalised only by position if the document also
    writes the word in lower case ("Coach" in a headline, "coach" in the text).
    """
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for s, e, label in spans:
        surface = text[s:e]
        if label not in _PROPAGATE:
            continue
        words = surface.split()
        if label == "PRODUCT" and len(words) == 1 and _MODEL.fullmatch(surface) and len(surface.rstrip("s")) >= 3:
            code = surface.rstrip("s")
            labels[code]["PRODUCT"] += 1
            labels[code + "s"]["PRODUCT"] += 1
        elif len(words) == 1 and surface[:1].isupper():
            labels[surface][label] += 1
        elif label == "PERSON" and len(words) >= 2 and _info(surface).personlike:
            last = re.sub(r"['’]s?$", "", words[-1])
            if len(last) >= 3 and last[0].isupper() and last[1:].islower() and last.isalpha():
                labels[last]["PERSON"] += 1
    if not labels:
        return
    taken = bytearray(len(text))
    for s, e, _ in spans:
        taken[s:e] = b"\x01" * (e - s)
    alternatives = "|".join(re.escape(x) for x in sorted(labels, key=lambda x: (-len(x), x)))
    for m in re.finditer(r"(?<![\w\-])(?:" + alternatives + r")(?![\w]|-\w)", text):
        surface, s, e = m.group(0), m.start(), m.end()
        if taken.find(1, s, e) >= 0 or not layout.stands_alone(s, e):
            continue
        if surface.casefold() in layout.lower and layout.by_position(s):
            continue
        spans.append([s, e, _majority(labels[surface])])
        taken[s:e] = b"\x01" * (e - s)


# Capitalised words that make a place of a place ("Northern Norland"), not a body's name.
_PLACE_MODIFIERS = frozenset(
    ["north", "south", "east", "west", "northern", "southern", "eastern", "western", "northeast", "northwest", "southeast",
     "southwest", "central", "greater", "upper", "lower", "inner", "outer", "old", "new", "mainland", "metro", "metropolitan",
     "downtown", "rural", "coastal", "occupied", "communist", "imperial", "united", "great", "little", "ancient", "modern",
     "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april",
     "may", "june", "july", "august", "september", "october", "november", "december"]
)
_WORD_BEFORE = re.compile(r"(?<![\w\-'’.&])([A-Z][a-z]{2,})[ \t]+$")


def _add_place_named_bodies(ents: _Ents, text: str, spans: list[list[Any]]) -> None:
    """A capitalised word the model left out, before a place, in the middle of a sentence that
    is no headline ("airlines - Air Norland, Tarsk Airways", "the Telecom Norland line"): a body
    named after the place ("Air Norland"), not the place. The word before that capitalised word
    must not be capitalised (a headline or a run of names) nor end a sentence."""
    for span in spans:
        s, _, label = span
        if label != "GPE":
            continue
        m = _WORD_BEFORE.search(text, max(0, s - 30), s)
        if not m or m.group(1).casefold() in _PLACE_MODIFIERS or any(a < s and m.start(1) < b for a, b, _ in ents):
            continue
        prev = text[max(0, m.start(1) - 40) : m.start(1)].rstrip(" \t\"“‘'`([*•-–—")
        if not prev or prev[-1] in ".!?:\n" or not re.search(r"(?:^|[\s,;(])[a-z][\w'’\-]*[,;]?$|[,;]$", prev):
            continue
        span[0], span[2] = m.start(1), "ORG"


def extract_mentions(doc: Any, article_id: str) -> list[Mention]:
    """Entity mentions of one spaCy ``Doc``; offsets index ``doc.text``.

    Keeps PERSON, ORG, GPE, LOC, FAC, NORP, EVENT and PRODUCT spans, tidied so
    that each ``text`` equals ``doc.text[start:end]``, and adds the ones the
    document's own evidence shows the model missed (see the module docstring).
    Only ``doc.text`` and ``doc.ents`` are read.
    """
    text: str = doc_text(doc)
    spans: list[list[Any]] = []
    ents = [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]
    for ent in doc.ents:
        if ent.label_ not in LABELS:
            continue
        for s, e in _pieces(text, ent.start_char, ent.end_char):
            s, e = _tidy(text, s, e)
            if ent.label_ in ("PERSON", "ORG"):
                e = _hyphenated_end(text, e)
            flight = _FLIGHT_TAIL.search(text, s, e)
            if flight and flight.start() > s:
                e = flight.start()
            label = ent.label_
            cut = _score_cut(text, s, e)
            if cut < e:
                e, label = cut, "ORG" if label == "PRODUCT" else label  # a team (or a player) and a score
            if e > s and _looks_like_name(text[s:e]):
                spans.append([s, e, label])
    layout = _Layout(text)
    _add_place_named_bodies(ents, text, spans)
    _add_camel_case(text, spans)
    _add_designations(ents, text, spans)
    _split_glued(text, spans, layout)
    _add_credentials(text, spans)

    # A multi-word name the document writes whole somewhere is one mention
    # wherever it occurs: re-join pieces the model split, add missed ones.
    whole: dict[str, Counter[str]] = defaultdict(Counter)
    for s, e, label in spans:
        surface = text[s:e]
        if label in _PROPAGATE and len(surface.split()) >= 2 and "\n" not in surface:
            whole[surface][label] += 1
    # Its later words may be written in lower case there ("Harbour Trust" / "Harbour trust").
    for surface in sorted(whole, key=lambda x: (-len(x), x)):
        label = _majority(whole[surface])
        for s, e in _case_variants(text, surface):
            _place(spans, s, e, label)

    # "Full Name (ABC)": ABC names the same thing, here and wherever it recurs.
    defined: dict[str, str] = {}
    for m in _ACRONYM_DEF.finditer(text):
        acro = m.group(1).rstrip(".")
        if not any(ch.isupper() for ch in acro[1:]) and len(acro) > 4:
            continue  # "(Reuters)", "(Monday)": a word, not an acronym
        head = text[: m.start()].rstrip()
        full = _defined_name(text, head, acro, spans)
        if full is None:
            continue
        fs, fe, flabel = full
        _place(spans, fs, fe, flabel)
        label = flabel if flabel in ("ORG", "FAC", "GPE", "LOC", "EVENT", "NORP") else "ORG"
        defined[acro] = label
    for acro, label in defined.items():
        for s, e in _word_bounded(text, acro):
            _place(spans, s, e, label)
    _add_short_forms(text, spans, layout)

    spans.sort(key=lambda x: (x[0], x[1]))
    mentions = [Mention(article_id, s, e, text[s:e], label) for s, e, label in spans]
    return _consistent_labels(mentions, _title_end(text))


_CLOSING = ",.;:!?)]}\"”’'"


def _capitalised(surface: str) -> bool:
    """A name's first word starts with a capital, or is written in camel case ("iPhone", "eBay")."""
    return surface[:1].isupper() or _CAMEL.match(surface.split(" ", 1)[0]) is not None


def add_story_mentions(texts: Mapping[str, str], mentions: Sequence[Mention]) -> list[Mention]:
    """The mentions of one story's reports, plus the names some report tags found where the model missed them.

    A name (starting with a capital) that the model tags in some report of the
    story is a mention wherever a report of the story writes it, under the same guards
    as within a document: not inside a mention, alone (no capitalised
    neighbour), and not where its capitals may come from its place (headline,
    sentence start) if the story writes each of its words in lower case too
    ("Rovers" tagged in one report is the team in the next one's headline;
    "Driver Charged" is not a name in another headline). It takes the label
    the story mostly gives it. ``texts`` maps article ids to their texts (the
    ones the mentions index).
    """
    layouts = {aid: _Layout(text) for aid, text in texts.items() if isinstance(text, str)}
    lower = set().union(*(layout.lower for layout in layouts.values()))
    mentions = _split_glued_in_story(mentions, layouts, lower)
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        if m.label in _PROPAGATE and _capitalised(m.text) and "\n" not in m.text and m.text == m.text.strip():
            labels[m.text][m.label] += 1
    if not labels:
        return list(mentions)
    by_first: dict[str, list[str]] = defaultdict(list)
    for surface in sorted(labels, key=lambda x: (-len(x), x)):
        by_first[surface.split()[0]].append(surface)
    by_upper: dict[str, list[str]] = defaultdict(list)
    for first, surfaces in by_first.items():
        by_upper[first.upper()].extend(surfaces)
    # "VeloBook" also written "Velobook": a one-word name with a capital inside, in other capitals.
    folded: dict[str, str] = {}
    for surface in sorted(labels):
        if " " not in surface and surface.isalpha() and any(ch.isupper() for ch in surface[1:]) and any(ch.islower() for ch in surface):
            folded.setdefault(surface.casefold(), surface)
    spans_of: dict[str, list[list[Any]]] = defaultdict(list)
    for m in mentions:
        spans_of[m.article_id].append([m.start, m.end, m.label])
    out = list(mentions)
    dropped: set[tuple[str, int, int]] = set()
    for aid, layout in layouts.items():
        text = layout.text
        spans = spans_of[aid]
        for w in re.finditer(r"(?<![\w\-])[^\W\d_][^\s]*", text):
            first = re.sub(r"['’]s$", "", w.group(0).rstrip(_CLOSING)).rstrip(_CLOSING)
            candidates = [(x, x) for x in by_first.get(first, ())]
            # Its later words may be written in lower case there ("vTunes Store" / "vTunes store").
            candidates += [
                (written, x) for x in by_first.get(first, ())
                if " " in x and (written := text[w.start() : w.start() + len(x)]) != x and written.casefold() == x.casefold()
            ]
            if first.isupper() and len(first) > 1 and layout.in_capitals(w.start()):
                # a line all in capitals: "COLTS BEAT CHIEFS" writes "Colts" and "Chiefs"
                n = len(first)
                candidates += [
                    (written, x) for x in by_upper.get(first, ())
                    if x[:n] != first and (written := text[w.start() : w.start() + len(x)]).upper() == x.upper()
                ]
            known = folded.get(first.casefold())
            if known and known != first and first[:1].isupper():
                candidates.append((first, known))
            for surface, name in candidates:
                s, e = w.start(), w.start() + len(surface)
                if not text.startswith(surface, s) or re.match(r"\w|-\w", text[e : e + 2]):
                    continue
                inside = [x for x in spans if x[0] < e and s < x[1]]
                if inside and (" " not in surface or any(x[0] < s or x[1] > e or (x[0], x[1]) == (s, e) for x in inside)):
                    continue  # within or across a mention; a multi-word name may take the pieces inside it
                if not layout.stands_alone(s, e) and not _next_to_names(layout, spans, s, e, _majority(labels[name])):
                    continue
                if layout.by_position(s) and all(word.casefold() in lower for word in surface.split()):
                    continue
                label = _majority(labels[name])
                for x in inside:
                    spans.remove(x)
                    dropped.add((aid, x[0], x[1]))
                spans.append([s, e, label])
                out.append(Mention(aid, s, e, surface, label))
                break
    grown = {m.article_id for m in out[len(mentions) :]}
    if dropped:
        out = [m for m in out if (m.article_id, m.start, m.end) not in dropped]
    # A name found only now makes its lone surname in that report a person too.
    by_article: dict[str, list[Mention]] = defaultdict(list)
    for m in out:
        if m.article_id in grown:
            by_article[m.article_id].append(m)
    label: dict[tuple[str, int, int], str] = {}
    for aid, ms in by_article.items():
        ms.sort(key=lambda m: (m.start, m.end))
        for m in _consistent_labels(ms, _title_end(layouts[aid].text)):
            label[(m.article_id, m.start, m.end)] = m.label
    return [
        m if label.get(k := (m.article_id, m.start, m.end), m.label) == m.label else Mention(m.article_id, m.start, m.end, m.text, label[k])
        for m in out
    ]


def _next_to_names(layout: _Layout, spans: list[list[Any]], s: int, e: int, label: str) -> bool:
    """Two names side by side, not a piece of a longer one: an acronym whose capitalised
    neighbours are mentions of their own there ("the UK RAF tanker", "RAF" tagged), or a
    building or body after the place it is in ("a flight out of Tillbury Harrow", "Harrow"
    tagged a building elsewhere in the story)."""
    surface = layout.text[s:e]
    if layout.in_capitals(s):
        return False
    after = _NEXT_WORD.match(layout.text, e)
    before = re.search(r"([\w&.]+)[ \t]+$", layout.text[max(0, s - 40) : s])
    before_end = s - len(before.group(0)) + len(before.group(1)) if before else -1
    if label in ("FAC", "ORG") and " " not in surface and not _is_acronym_like(surface):
        if after and after.group(1)[0].isupper() or layout.text[e : e + 1] in ("'", "’"):
            return False  # "Tillbury Harbour Police", "Tillbury Sheriff's Deputy": a longer name or a title
        return any(x[1] == before_end and x[2] == "GPE" for x in spans)
    if not (_is_acronym_like(surface) and surface.isalpha()):
        return False
    if after and after.group(1)[0].isupper() and not any(x[0] == after.start(1) for x in spans):
        return False
    if not (before and before.group(1)[0].isupper()):
        return True
    return any(x[1] == before_end for x in spans)


_ALNUM = re.compile(r"[^\W_]+")
# Head words of the names of papers and programmes ("Tillbury Herald"): a name's part, not a headline's word.
_MEDIA_HEADS = frozenset(
    ["herald", "tribune", "gazette", "chronicle", "telegraph", "guardian", "observer", "mirror", "express", "standard", "independent", "globe", "sun", "star", "mail", "reporter", "daily", "weekly", "magazine", "review", "record", "examiner", "inquirer", "bulletin", "courier", "dispatch", "sentinel", "register", "monitor", "wire", "today", "tonight"]
)


def _split_glued_in_story(mentions: Sequence[Mention], layouts: Mapping[str, _Layout], lower: set[str]) -> list[Mention]:
    """Split a span the model ran over words around names the story tags alone (see ``_split_glued``).

    "Comedian Jane Roe" (twice in one report), "Hire Jane Roe", "Tillbury and
    Roe", "American Jane Roe": the other words of the span are joining words
    ("and" too, between names), a title after the names, nationalities the
    story tags, or words the story writes in lower case that are capitalised
    by their place (headline, sentence start) wherever the story writes the
    span; before a person's full name such a word is a title or description
    wherever it stands ("Trooper Jane Roe"), but a word before a lone surname
    is a given name ("Mark Roe"). As within a document, only for a span taken
    for a person, holding a name of another type, or in a headline.
    """
    known: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        if m.label in _PROPAGATE and m.text[:1].isupper() and "\n" not in m.text:
            known[m.text][m.label] += 1
    if not known:
        return list(mentions)
    nationalities = {m.text for m in mentions if m.label == "NORP" and " " not in m.text}
    # Words of the names the story tags alone; surnames and given names of the persons it names in full.
    known_words = {word for k in known if " " not in k for word in k.split()}
    full = [k.split() for k in known if known[k]["PERSON"] and len(k.split()) >= 2]
    surnames, givens = {w[-1] for w in full}, {w[0] for w in full}

    def surname(name: str) -> bool:
        return name in surnames and name not in givens
    # Which reports write a word: a span is looked for only where all its words are.
    has_word: dict[str, set[str]] = defaultdict(set)
    for aid, layout in layouts.items():
        for word in set(_ALNUM.findall(layout.text)):
            has_word[word].add(aid)
    by_word: dict[str, list[str]] = defaultdict(list)
    for k in sorted(known, key=lambda k: (-len(k), k)):
        by_word[k.split()[0]].append(k)
    verdict: dict[tuple[str, str], list[tuple[int, int, str]] | None] = {}
    by_place: dict[str, bool] = {}

    def headline_word(word: str) -> bool:
        """A word (no name's head) that the story capitalises only where its place may
        ("Launches", "Dead" written in headlines alone): in a headline, a word, not a name."""
        if word not in by_place:
            w = word.casefold()
            by_place[word] = (
                word.isalpha() and len(word) > 2 and w not in _ORG_WORDS and w not in _NAME_HEADS
                and w not in _HONORIFICS and w not in _MEDIA_HEADS and word not in known_words
                and all(
                    layouts[aid].by_position(s)
                    for aid in sorted(has_word.get(word, ()))
                    for s, _ in _word_bounded(layouts[aid].text, word)
                )
            )
        return by_place[word]

    def glue_only(aid: str, start: int, surface: str, inner: list[tuple[int, int, str]]) -> bool:
        layout = layouts[aid]
        rest = [w for w in re.finditer(r"\S+", surface) if not any(a <= w.start() < b for a, b, _ in inner)]
        if not rest:
            return False  # names side by side ("Washington Post"): one name
        for w in rest:
            word = w.group(0).strip(",.;:")
            if word.casefold() in _GLUE_WORDS or word.casefold() in ("and", "&"):
                continue
            if w.end() == len(surface) and word.casefold() in _HONORIFICS:
                continue  # a title glued to the name after the span ("... Nominee Dr. Jane Roe")
            nxt = re.match(r"\s+", surface[w.end() :])
            after = next((x for x in inner if nxt and x[0] == w.end() + nxt.end()), None)
            if word in nationalities and after is not None:
                continue
            # A word the story capitalises in headlines alone, unless a lone given name comes before it ("Jane Roe").
            headline = layout.in_headline(start + w.start()) and headline_word(word)
            if not _weak(word, lower):
                if not headline:
                    return False
                before = next((x for x in inner if x[1] <= w.start() and not surface[x[1] : w.start()].strip()), None)
                if before is not None and before[2] == "PERSON" and not surname(surface[before[0] : before[1]]):
                    return False
            if after is not None and after[2] == "PERSON":
                if " " not in surface[after[0] : after[1]] and not headline:
                    return False  # "Mark Roe": a word before a lone surname is a given name
                continue
            if not layout.by_position(start + w.start()):
                return False
        return True

    def pieces(surface: str, label: str) -> list[tuple[int, int, str]] | None:
        if (surface, label) in verdict:
            return verdict[surface, label]
        verdict[surface, label] = None
        inner: list[tuple[int, int, str]] = []  # offsets within the surface
        for w in re.finditer(r"(?<![\w\-])[^\W\d_][^\s]*", surface):
            for k in by_word.get(w.group(0).rstrip(",;:"), ()):
                b = w.start() + len(k)
                if len(k) < len(surface) and surface.startswith(k, w.start()) and not re.match(r"\w|-\w", surface[b : b + 2]):
                    if all(b2 <= w.start() or a2 >= b for a2, b2, _ in inner):
                        lab = _majority(known[k])
                        # a known name that is itself glued ("Jane Roe Checks") gives its names
                        sub = pieces(k, lab) if " " in k else None
                        inner.extend((w.start() + x, w.start() + y, sl) for x, y, sl in sub or [(0, len(k), lab)])
                    break
        if not inner:
            return None
        other_type = any(_CLASS.get(lab) != _CLASS.get(label) for _, _, lab in inner)
        # Every place the story writes the span: the other words are glue there too.
        for aid in sorted(set.intersection(*(has_word.get(word, set()) for word in _ALNUM.findall(surface)))):
            layout = layouts[aid]
            for s, _ in _word_bounded(layout.text, surface):
                if not glue_only(aid, s, surface, inner):
                    return None
                if not (label == "PERSON" or other_type or layout.in_headline(s)):
                    return None
        verdict[surface, label] = inner
        return inner

    out: list[Mention] = []
    for m in mentions:
        inner = pieces(m.text, m.label) if " " in m.text and m.article_id in layouts else None
        if inner is None:
            out.append(m)
            continue
        out.extend(Mention(m.article_id, m.start + a, m.start + b, m.text[a:b], lab) for a, b, lab in inner)
    return out


def _defined_name(text: str, head: str, acro: str, spans: list[list[Any]]) -> tuple[int, int, str] | None:
    """The name an acronym in parentheses right after ``head`` abbreviates."""
    end = len(head)
    for s, e, label in spans:
        if e == end and label != "PERSON" and _loose_acronym(acro, text[s:e]):
            return s, e, label
    # No span ends there: try the capitalised words before the parenthesis.
    words = list(re.finditer(r"[\w’'&.\-]+", head[max(0, end - 200) :]))
    offset = max(0, end - 200)
    for k in range(2, min(len(words), 12) + 1):
        first = words[-k]
        if not first.group(0)[:1].isupper():
            continue
        s = offset + first.start()
        if "\n" in text[s:end]:
            break
        candidate = text[s:end]
        if is_acronym_of(acro, candidate):
            return s, end, "ORG"
    return None


def _majority(labels: Counter[str]) -> str:
    return min(labels, key=lambda lab: (-labels[lab], _LABEL_ORDER.get(lab, 9), lab))


# First words that make a two- or three-word name a town ("Port Ardent", "Fort Lacey") unless a
# word of an organisation's name follows ("Port Authority", "Fort Lacey Hospital").
_PLACE_HEADS = frozenset(["port", "fort", "ft"])
_NOT_A_TOWN = _ORG_WORDS | frozenset(
    ["authority", "company", "co", "corp", "corporation", "inc", "ltd", "llc", "group", "bank", "association",
     "council", "board", "commission", "department", "agency", "university", "college", "school", "hospital",
     "center", "centre", "club", "union", "institute", "foundation", "society", "trust", "party", "league",
     "committee", "services", "service", "police", "court", "church", "museum", "library", "airport", "station",
     "times", "news", "post", "press", "fc", "partners", "holdings", "fund", "office", "ministry", "team"]
)


def _place_like(surface: str) -> bool:
    words = re.findall(r"[^\W\d_]+", surface.casefold())
    return 2 <= len(words) <= 3 and words[0] in _PLACE_HEADS and not any(w in _NOT_A_TOWN for w in words[1:])


def _title_end(text: str) -> int:
    """Where a headline opening ``text`` ends: a first line with more below it that
    does not end a sentence ("Roe Wins Final"); -1 when there is none."""
    end = text.find("\n")
    line = text[:end].rstrip(" \t\"'”’)]")
    if end < 0 or not line or line[-1] in ".!?…;:," or not text[end:].strip():
        return -1
    return end


# Last words of the names of bodies and buildings that no person's name ends with, and the label they make.
_INSTITUTION_HEADS = {
    **dict.fromkeys(
        ["center", "centre", "clinic", "hospital", "university", "college", "institute", "foundation", "academy", "school", "agency", "ministry", "department", "commission", "committee", "council", "corporation", "company", "inc", "ltd", "llc", "plc", "association", "authority", "bureau"],
        "ORG",
    ),
    **dict.fromkeys(["airport", "stadium", "arena", "museum"], "FAC"),
}


def _consistent_labels(mentions: list[Mention], title_end: int = -1) -> list[Mention]:
    """One name, one label within a document; lone surnames of a named person are PERSON.

    ``title_end``: where the document's headline ends (``_title_end``), -1 if
    it has none; a headline names people by surname before the text names
    them in full.
    """
    by_key: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        by_key[normalize_name(m.text)][m.label] += 1
    label_of = {k: _majority(c) for k, c in by_key.items()}
    for m in mentions:  # "Port Ardent", "Fort Lacey": a town the small model calls an ORG
        key = normalize_name(m.text)
        if label_of[key] == "ORG" and _place_like(m.text):
            label_of[key] = "GPE"
        elif label_of[key] == "PERSON" and len(toks := name_tokens(m.text)) >= 2 and toks[-1] in _INSTITUTION_HEADS:
            # "Jane Roe Clinic", "Jane Roe Airport": named after a person, no person
            label_of[key] = _INSTITUTION_HEADS[toks[-1]]
    # A headline names a body by its first word ("Roe wins" above "Roe Logistics won ..."): a lone
    # word only the headline writes, not tagged a body there, that begins the name of one body below.
    if title_end >= 0:
        body_keys = {normalize_name(m.text) for m in mentions if m.start > title_end}
        bodies: dict[str, set[str]] = defaultdict(set)
        for m in mentions:
            key = normalize_name(m.text)
            if m.start > title_end and label_of[key] == "ORG" and len(toks := name_tokens(m.text)) >= 2:
                bodies[toks[0]].add(key)
        for m in mentions:
            key = normalize_name(m.text)
            toks = name_tokens(m.text)
            if (
                m.end <= title_end and len(toks) == 1 and key not in body_keys and label_of[key] in ("GPE", "LOC", "PERSON")
                and len(bodies.get(toks[0], ())) == 1
            ):
                label_of[key] = "ORG"
    # Surnames / given names of the full-name persons of this document.
    first_seen: dict[str, int] = {}
    last_names: dict[str, set[str]] = defaultdict(set)
    given_names: dict[str, set[str]] = defaultdict(set)
    compound_tails: dict[tuple[str, ...], set[str]] = defaultdict(set)  # "Oyelaran-Pike" of "Ada Oyelaran-Pike"
    for m in mentions:
        key = normalize_name(m.text)
        toks = name_tokens(m.text)
        if label_of[key] != "PERSON" or len(toks) < 2 or not _info(m.text).personlike:
            continue
        first_seen[key] = min(first_seen.get(key, m.start), m.start)
        for form in _surname_forms(toks[-1]):
            last_names[form].add(key)
        given_names[toks[0]].add(key)
        if "-" in m.text:
            for k in range(2, len(toks)):
                compound_tails[tuple(toks[-k:])].add(key)
    first_at: dict[str, float] = {}
    for m in mentions:
        key = normalize_name(m.text)
        # a headline word counts from the text below it ("Roe wins" above "Jane Roe won ...")
        at = float("inf") if m.end <= title_end else m.start
        first_at[key] = min(first_at.get(key, at), at)
    out = []
    for m in mentions:
        key = normalize_name(m.text)
        label = label_of[key]
        toks = name_tokens(m.text)
        # (a word in capitals longer than an acronym is a surname in a capitals headline: "ROE")
        if label != "PERSON" and len(toks) == 1 and not (_is_acronym_like(m.text) and len(m.text) <= 4):
            owners = set().union(*(last_names.get(f, set()) for f in _surname_forms(toks[0])))
            if not owners and label != "NORP":
                owners = given_names.get(toks[0], set())
            # A place name or nationality that is also someone's surname
            # ("Ketsoyan" tagged NORP) stays one unless the person was named
            # in full before the document first writes it.
            if len(owners) == 1 and (label not in ("GPE", "NORP") or first_seen[next(iter(owners))] < first_at[key]):
                label = "PERSON"
        elif label not in ("PERSON", "NORP") and "-" in m.text and len(compound_tails.get(tuple(toks), ())) == 1:
            label = "PERSON"  # a hyphenated surname alone
        out.append(m if label == m.label else Mention(m.article_id, m.start, m.end, m.text, label))
    return out


def _surname_forms(token: str) -> set[str]:
    forms = {token}
    for p in ("al", "el", "ul"):
        if token.startswith(p) and len(token) > len(p) + 2:
            forms.add(token[len(p) :])
    return forms


def _is_acronym_like(surface: str) -> bool:
    letters = [ch for ch in surface if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


# --------------------------------------------------------------------------- resolution


@dataclass
class _Unit:
    key: str
    mentions: list[Mention] = field(default_factory=list)
    labels: Counter[str] = field(default_factory=Counter)
    garbled: bool = False  # every mention is in a garbled (machine-translated) report
    core: str = ""  # the name inside the first mention (description and possessor set apart)

    @property
    def label(self) -> str:
        return _majority(self.labels)

    @property
    def cls(self) -> str:
        return _CLASS.get(self.label, self.label)

    @property
    def match_cls(self) -> str:
        """The class used to rule out a merge: a garbled report's label is not trusted ("?" matches any)."""
        return _ANY if self.garbled else self.cls

    @property
    def surface(self) -> str:
        return self.core or _core_name(self.mentions[0].text)

    @property
    def tokens(self) -> list[str]:
        return name_tokens(self.surface)

    @property
    def multi(self) -> bool:
        return len(self.tokens) >= 2 and not _is_acronym_like(self.surface)


_ANY = "?"
_GARBLED = 0.5  # article weight (1 - garble score) below which a report's entity labels are not trusted


def _compatible(a: str, b: str) -> bool:
    return a == b or {a, b} <= {"L", "F"} or _ANY in (a, b)


def _main_cls(counts: Counter[str]) -> str:
    """A cluster's class: the commonest trusted class of its mentions, else any."""
    best: tuple[float, str] | None = None
    for c, n in counts.items():
        if c != _ANY and (best is None or n > best[0]):
            best = (n, c)
    return best[1] if best else _ANY


# Lower-case words that may stand inside a name ("Bank of America", "Abd al-Aziz").
_NAME_LOWER_OK = frozenset(
    ["of", "the", "and", "for", "de", "del", "della", "di", "da", "du", "des", "la", "le", "van", "von", "der", "den", "ter", "al", "el", "ul", "bin", "ibn", "abu", "y", "e", "on", "in", "at", "upon", "over", "under", "by"]
)


_CREDENTIAL = re.compile(r"(?:[A-Z]\.?\s?){1,4}|Ph\.?\s?D\.?|Jr\.?|Sr\.?|Esq\.?|\d+")
_ROLE_WORDS = frozenset(
    ["trustee", "founder", "cofounder", "spokesman", "spokeswoman", "spokesperson", "analyst", "editor", "manager", "coach", "owner", "partner", "executive", "officer", "head", "leader", "member", "chief", "founder", "correspondent", "reporter", "author", "actor", "actress"]
)


def _core_name(text: str) -> str:
    """The name inside a mention that carries a description with it.

    "aircraft manufacturer Boeing" -> "Boeing"; "AirTanker Ltd., an EADS-led
    consortium" -> "AirTanker Ltd."; "John McCain (R-AZ" -> "John McCain".
    """
    s = " ".join(text.split())
    s = re.sub(r"\s*[(\[][^)\]]*$", "", s) or s
    s = _QUOTE_MARKS.sub(" ", s).strip()
    s = " ".join(s.split())
    m = re.search(r",\s+(?:an?|the|who|which)\s", s)
    if m and m.start() > 0:
        after = s[m.end() :].split(",")[0].strip()
        before = s[: m.start()].split()
        # "Boeing's newest aircraft, the 787 Dreamliner": a description, then the name.
        if m.group(0).strip(", ").casefold() == "the" and before and before[-1][:1].islower() and (after[:1].isupper() or after[:1].isdigit()):
            s = after
        else:
            s = s[: m.start()]
    if "," in s:
        # "Name, M.D.", "Name, Chairman of X", "Trustee of X, Name"
        parts = [p.strip() for p in s.split(",") if p.strip()]
        parts = [p for p in parts if not _CREDENTIAL.fullmatch(p)] or parts
        if len(parts) >= 2:
            w0 = [w.casefold() for w in _raw_words(parts[0])]
            w1 = [w.casefold() for w in _raw_words(parts[1])]
            if any(w in _HONORIFICS or w in _ROLE_WORDS for w in w0) and _info(parts[1]).personlike:
                parts = parts[1:2]  # "Trustee of X, Name", "Prime Minister of Y, Mr. Name"
            elif w1 and (w1[0] in _HONORIFICS or w1[0] in _ROLE_WORDS):
                parts = parts[:1]  # "Name, Chairman of X", "Name, minister of Y"
        if len(parts) >= 2 and parts[0][:1].isupper() and not _has_lower_word(parts[0]) and parts[1][:1].islower():
            parts = parts[:1]  # "Jusman Djamal, minister of transport": a description after the name
        s = ", ".join(parts)
    # "Moscone Center in San Francisco": a facility and where it lies.
    m = re.search(r"\s(?:in|near)\s+[A-Z]", s)
    if m and s[: m.start()].split()[-1][:1].isupper() and not _has_lower_word(s[m.end() - 1 :]):
        s = s[: m.start()]
    words = s.split(" ")
    last_lower = -1
    for i, w in enumerate(words[:-1]):
        core = w.strip("`'\"“”‘’.,;:")
        if (
            core
            and core[0].islower()
            and not any(ch.isupper() for ch in core[1:])
            and core.casefold() not in _NAME_LOWER_OK
            and "-" not in core[:3]
        ):
            last_lower = i
    if last_lower >= 0:
        rest = words[last_lower + 1 :]
        # "new 787 Dreamliner", "long-range 777", "new vPhone": a designation or a camel-case word starts a product's name
        if rest and (rest[0][:1].isupper() or _MODEL.fullmatch(rest[0]) or _CAMEL.fullmatch(rest[0])) and normalize_name(" ".join(rest)):
            s = " ".join(rest)
    # "30GB vPod", "150px Velora": a measure before a name describes it
    words = s.split(" ")
    while len(words) > 1 and _MEASURE.fullmatch(words[0]) and normalize_name(" ".join(words[1:])):
        words = words[1:]
    return " ".join(words)


_MEASURE = re.compile(r"\d+(?:\.\d+)?-?(?:px|[kmgt]b|[kmg]hz|mm|cm|inch|in|mp|mah|kg|lb|lbs)", re.IGNORECASE)


_INNER_ACRONYM = re.compile(r"\S\s*\(\s*([A-Z][A-Za-z0-9&.\-]{1,11})\s*\)?\s*$")
_QUOTE_MARKS = re.compile(r"``|''|[\"“”]")


def _has_lower_word(s: str) -> bool:
    """A word in lower case other than a particle that may stand inside a name ("Bank of America")."""
    return any(w[:1].islower() and w.casefold() not in _NAME_LOWER_OK for w in s.split())


# "Boeing's 787", "Singapore's Changi Airport": what a name the story knows owns.
_POSSESSOR = re.compile(r"^(\S.*?)(?:['’`]s|(?<=s)['’`])\s+(?=[A-Z0-9]|[a-z]{1,2}[A-Z])")


def _possessed(core: str, known: set[str]) -> str:
    """The name after a possessor the story names itself ("Boeing's 787" -> "787"), else ``core``.

    Only a possessor that is a name of the story counts, so "People's Republic"
    and "McDonald's Corp" stay whole, and the rest must be a name of its own.
    """
    m = _POSSESSOR.match(core)
    if not m or normalize_name(m.group(1)) not in known:
        return core
    rest = core[m.end() :]
    words = _info(rest).words
    if not words or all(w in _GENERIC_WORDS for w in words):
        return core
    return rest


_GENERIC_WORDS = frozenset(["inc", "incorporated", "corp", "corporation", "co", "ltd", "llc", "plc", "company", "group", "holdings"])


def _clean_surface(text: str) -> str:
    s = _core_name(text)
    s = re.sub(r"(?:[’'`]s|(?<=s)[’'`])$", "", s)
    s = _LEADING_THE.sub("", s)
    return s.strip(" ,.;:")


def resolve_entities(
    mentions: Sequence[Mention],
    *,
    article_weights: Mapping[str, float] | None = None,
    id_prefix: str = "e",
    texts: Mapping[str, str] | None = None,
) -> list[Entity]:
    """Group the mentions of one story's reports into entities.

    ``article_weights`` (0–1, 1 = clean) say how far each report's spellings
    can be trusted when choosing an entity's name. With the reports' ``texts``
    (mention offsets index them), a respelling written where a near-copy
    report names an entity is that entity, tagged or not
    (:func:`_aligned_respellings`).
    """
    weights = article_weights or {}
    links: list[tuple[Mention, Mention]] = []
    if texts:
        added, links = _aligned_respellings(mentions, texts, weights)
        mentions = [*mentions, *added]
    units: dict[str, _Unit] = {}
    cores = [_core_name(m.text) for m in mentions]
    known = {normalize_name(c) for c in cores}
    cores = [_possessed(c, known) for c in cores]
    core_key: dict[tuple[str, int, int], str] = {}
    for m, core in zip(mentions, cores):
        key = normalize_name(core)
        if not key:
            continue
        core_key[(m.article_id, m.start, m.end)] = key
        unit = units.setdefault(key, _Unit(key, core=core))
        if _is_acronym_like(unit.core) and not _is_acronym_like(core):
            # "CHIEFS" in a headline, "Chiefs" elsewhere: a word in capitals, not an acronym.
            unit.core = core
        unit.mentions.append(m)
        unit.labels[m.label] += 1
    if not units:
        return []
    for u in units.values():
        u.garbled = all(float(weights.get(m.article_id, 1.0)) < _GARBLED for m in u.mentions)
    keys = sorted(units, key=lambda k: (-len(units[k].mentions), k))

    # 1. In-text evidence: "Full Name (ABC)" ties ABC to Full Name.
    parent = {k: k for k in keys}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    by_article: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        if normalize_name(m.text):
            by_article[m.article_id].append(m)
    for ms in by_article.values():
        ms.sort(key=lambda m: (m.start, m.end))
        for a, b in itertools.pairwise(ms):
            if 1 <= b.start - a.end <= 3 and _is_acronym_like(b.text) and a.label != "PERSON":
                ka, kb = core_key.get((a.article_id, a.start, a.end)), core_key.get((b.article_id, b.start, b.end))
                if ka and kb and ka != kb and _loose_acronym(b.text, a.text):
                    parent[find(kb)] = find(ka)
    # A mention that holds the definition itself: "Singapore Airlines (SIA)".
    for m in mentions:
        d = _INNER_ACRONYM.search(m.text)
        ka = core_key.get((m.article_id, m.start, m.end))
        if not d or not ka or m.label == "PERSON":
            continue
        kb = normalize_name(d.group(1))
        if kb in units and kb != ka and _loose_acronym(d.group(1), units[ka].surface):
            parent[find(kb)] = find(ka)

    # A product's plural is the product ("V90s", "Skyliners").
    for k in keys:
        single = k[:-1]
        if not (k.endswith("s") and single in units) or "P" in (units[k].cls, units[single].cls):
            continue
        if _product_like(units[k]) or _product_like(units[single]):
            parent[find(k)] = find(single)

    # A model written after its maker is the model: "Airbus A380" / "A380",
    # "Boeing 787 Dreamliner" / "787 Dreamliner", "Airbus A350" / "A350s", and
    # with the maker's initial: "Airbus 380" / "A380" (also when the model
    # stands alone right after its maker's mention: "Airbus" + "380").
    bodies = {tuple(u.tokens) for u in units.values() if u.cls == "O" and u.tokens}
    for k in keys:
        u = units[k]
        toks = u.tokens
        if u.cls in ("P", "L", "N"):
            continue
        for p in range(1, len(toks)):
            if tuple(toks[:p]) in bodies and _DESIGNATION.fullmatch(toks[p]):
                for alias in _model_aliases(toks[:p], toks[p:]):
                    if alias in units and alias != k:
                        parent[find(alias)] = find(k)
                break
    for ms in by_article.values():
        for a, b in itertools.pairwise(ms):
            kb = core_key.get((b.article_id, b.start, b.end))
            ka = core_key.get((a.article_id, a.start, a.end))
            if not ka or not kb or b.start - a.end != 1 or not kb.isdigit() or units[ka].cls != "O":
                continue
            for alias in _model_aliases(units[ka].tokens, [kb]):
                if alias in units and alias != kb:
                    parent[find(alias)] = find(kb)

    # Lone person names that a full name can claim are placed in step 3.
    full_persons = [k for k in keys if units[k].label == "PERSON" and units[k].multi and _info(units[k].surface).personlike]
    group_size = Counter(find(k) for k in keys)
    deferred: dict[str, list[str]] = {}
    for k in keys:
        u = units[k]
        if group_size[find(k)] > 1 or not u.tokens:
            continue
        if u.multi:
            # A double surname alone ("Oyelaran-Pike"), whatever the model called it.
            n = len(u.tokens)
            if "-" in u.surface and u.label not in ("GPE", "LOC", "NORP"):
                cands = [c for c in full_persons if len(units[c].tokens) > n and units[c].tokens[-n:] == u.tokens]
                if cands:
                    deferred[k] = cands
            continue
        if u.label == "PERSON":
            cands = _full_name_candidates(u.tokens[0], full_persons, units)
        elif "PERSON" in u.labels or u.garbled or (u.label not in ("GPE", "LOC") and not _is_acronym_like(u.surface)):
            # The model's label of a lone surname is noisy ("Jackman" as ORG or NORP
            # in a report that never names him in full): an exact surname of a
            # person named in full elsewhere still claims it. In a report that
            # does name the person, extraction has already relabelled his
            # surname, so a label kept there means another thing.
            # (a mention the model tagged PERSON there is the surname itself)
            arts = {m.article_id for m in u.mentions if m.label != "PERSON"}
            cands = [
                c for c in _full_name_candidates(u.tokens[0], full_persons, units, exact_only=True)
                if not arts & {m.article_id for m in units[c].mentions}
            ]
        else:
            cands = []
        if not cands and "PERSON" in u.labels:
            cands = _blend_candidates(u.surface, full_persons, units)
        if cands:
            deferred[k] = cands

    # A name deferred itself cannot take others: keep only clustered candidates.
    deferred = {k: kept for k, cands in deferred.items() if (kept := [c for c in cands if c not in deferred])}

    # 2. Constrained average-link clustering of the other names.
    groups: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        if k not in deferred:
            groups[find(k)].append(k)
    lower: set[str] | None = None
    if texts:
        lower = set().union(*(set(re.findall(r"(?<![\w'’\-])[a-z]+(?![\w\-])", t)) for t in texts.values() if isinstance(t, str)))
    relabelled: set[str] = set()
    placed: set[str] | None = None
    if texts:
        placed = {k for k, u in units.items() if u.cls == "P" and _mostly_placed(u.mentions, texts)}
    clusters = _short_forms(_cluster(list(groups.values()), units), units, lower, relabelled, placed)
    for k in relabelled:
        units[k].mentions = [Mention(m.article_id, m.start, m.end, m.text, units[k].label) for m in units[k].mentions]

    # 3. Lone surnames / given names join the full name they belong to.
    cluster_of = {k: i for i, c in enumerate(clusters) for k in c}
    members: list[list[Mention]] = [[m for k in c for m in units[k].mentions] for c in clusters]
    if texts:
        _places_for_teams(clusters, members, units, texts)
    leftovers: dict[str, list[Mention]] = defaultdict(list)
    for k, cands in deferred.items():
        cids = sorted({cluster_of[c] for c in cands})
        if len(cids) == 1:
            members[cids[0]].extend(units[k].mentions)
            continue
        sizes = sorted(((len(members[c]), c) for c in cids), reverse=True)
        dominant = sizes[0][1] if sizes[0][0] >= 2 * sizes[1][0] else None
        for m in units[k].mentions:
            target = _nearest_before(m, cids, members)
            if target is None:
                target = dominant  # not named in this report: the person the story is mostly about
            if target is None:
                leftovers[k].append(m)
            else:
                members[target].append(m)
    members.extend(leftovers.values())
    members = [ms for ms in members if ms]
    if links:
        members = _join_linked(members, links, weights)
    members = _join_aligned_respellings(members, weights)

    entities = [_entity(ms, weights) for ms in members if ms]
    entities.sort(key=lambda e: (-len(e.mentions), e.name.casefold(), e.name))
    for n, e in enumerate(entities, 1):
        e.id = f"{id_prefix}{n}"
    return entities


# Words before a place's name that make it the place, not its team ("in Tillbury", "downtown Tillbury").
_LOCATIVE = frozenset(
    ["in", "at", "from", "near", "of", "outside", "downtown", "across", "around", "throughout", "into", "within", "inside", "central", "suburban"]
)
_BEFORE_WORD = re.compile(r"([A-Za-z]+)[^\w\n]*$")


def _places_for_teams(clusters: list[list[str]], members: list[list[Mention]], units: Mapping[str, _Unit], texts: Mapping[str, str]) -> None:
    """A place written for its team in a sports report ("beat Tillbury 20-13", "Tillbury (11-4) made").

    Only where the story names one team of the place ("Tillbury Harriers") and
    writes its nickname alone ("Harriers"), and only for a mention not after
    a word that makes it the place ("in Tillbury", "mayor of Tillbury") nor
    followed by the region it lies in ("Tillbury, Norland"). The mention
    moves to the team's cluster (in ``members``) as an ORG.
    """
    cluster_of = {k: i for i, c in enumerate(clusters) for k in c}
    teams: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for j, c in enumerate(clusters):
        keys = set(c)
        for k in c:
            toks = units[k].tokens
            if len(toks) >= 2 and toks[-1].endswith("s") and toks[-1] in keys and units[k].cls in ("O", "F"):
                teams[tuple(toks[:-1])].add(j)
    for k, u in units.items():
        fits = teams.get(tuple(u.tokens), set()) if u.cls == "L" and not u.garbled else set()
        if len(fits) != 1:
            continue
        j = fits.pop()
        i = cluster_of[k]
        if i == j:
            continue
        for m in u.mentions:
            text = texts.get(m.article_id)
            if not isinstance(text, str) or text[m.start : m.end] != m.text:
                continue
            before = _BEFORE_WORD.search(text[max(0, m.start - 30) : m.start])
            if before and before.group(1).casefold() in _LOCATIVE or re.match(r",[ \t]*[A-Z]", text[m.end : m.end + 3]):
                continue
            members[i].remove(m)
            members[j].append(Mention(m.article_id, m.start, m.end, m.text, "ORG"))


# Words before a name that make it a place or a building, not a person ("checked into", "treated at").
_PLACING = frozenset(["in", "into", "at", "inside", "outside"])


def _mostly_placed(mentions: Sequence[Mention], texts: Mapping[str, str]) -> bool:
    """At least half of the mentions stand right after a word that places them ("into Jane Roe")."""
    n = 0
    for m in mentions:
        text = texts.get(m.article_id)
        if isinstance(text, str) and text[m.start : m.end] == m.text:
            before = _BEFORE_WORD.search(text[max(0, m.start - 30) : m.start])
            n += bool(before and before.group(1).casefold() in _PLACING)
    return 2 * n >= len(mentions) > 0


# A nickname made of the starts of a given name and a surname: "JoRo", "Jo-Ro", "J-Roe".
_BLEND = re.compile(r"([A-Z][a-z]{0,3})[\-.]?([A-Z][a-z]{1,3})")


def _blend_candidates(surface: str, full_persons: list[str], units: Mapping[str, _Unit]) -> list[str]:
    """Full-name keys the one-word nickname ``surface`` is made from ("JoRo" of "Jane Roe"), if exactly one."""
    m = _BLEND.fullmatch(surface.strip())
    if not m:
        return []
    given, family = m.group(1).casefold(), m.group(2).casefold()
    fits = [
        k for k in full_persons
        if units[k].tokens[0].startswith(given) and units[k].tokens[-1].startswith(family)
        and len(given) + len(family) < len(units[k].tokens[0]) + len(units[k].tokens[-1])
    ]
    return fits if len(fits) == 1 else []


def _full_name_candidates(token: str, full_persons: list[str], units: Mapping[str, _Unit], *, exact_only: bool = False) -> list[str]:
    """Full-name keys whose surname (else given name) this lone token can be."""
    forms = _surname_forms(token)
    exact = [k for k in full_persons if forms & _surname_forms(units[k].tokens[-1])]
    if exact or exact_only:
        return exact
    fuzzy = [k for k in full_persons if _sim(token, units[k].tokens[-1]) >= 0.88]
    if fuzzy:
        return fuzzy
    return [k for k in full_persons if units[k].tokens[0] == token]


# A place name that only adds one of these is another place ("Los Angeles County").
_ADMIN_WORDS = frozenset(["county", "city", "state", "province", "region", "district", "area", "metropolitan", "borough", "municipality", "prefecture"])


def _short_forms(
    clusters: list[list[str]],
    units: Mapping[str, _Unit],
    lower: set[str] | None = None,
    relabelled: set[str] | None = None,
    placed: set[str] | None = None,
) -> list[list[str]]:
    """Fold a body's short form into its full name when only one full name fits.

    "Lockheed" -> "Lockheed Martin" (leading words of the full name) and
    "Chargers" -> "San Diego Chargers" (the full name minus a place named in
    the same reports). Persons are left to the surname rule; a tail with
    digits makes another thing ("Airbus A380"), a tail of only administrative
    words another place ("Los Angeles County"); two or more full names that
    fit leave the short form alone. A product's name followed by words the
    story also writes in lower case (``lower``; all words when it is not
    known) is another thing ("vPhone Developer Program"), not the product
    ("Velora 990 Skyliner"). A lone word tagged as a person, no one's name,
    that ends the names of one product only, is that product (its key goes
    to ``relabelled``, its unit takes the product's label); a plural one
    that ends one body's name after a place of the story is that team's
    nickname ("Harriers" of "Tillbury Harriers", relabelled ORG). "Place,
    Region" is no name of the region, and a longer form whose other words are
    in lower case ("Velora's board of directors") no name of the short one.
    A name tagged as a person that mostly stands where a place would
    ("into Jane Roe", "at Jane Roe": keys in ``placed``) and begins the name of
    one body or building of the story ("Jane Roe Clinic") is that body or
    building.
    """
    if relabelled is None:
        relabelled = set()
    places = {tuple(u.tokens) for u in units.values() if u.cls in ("L", "N")}

    def main_unit(c: list[str]) -> _Unit:
        return max((units[k] for k in c), key=lambda u: (len(u.mentions), len(u.tokens), u.key))

    def cls_of(c: list[str]) -> str:
        return Counter(units[k].cls for k in c for _ in units[k].mentions).most_common(1)[0][0]

    by_first: dict[str, list[tuple[int, tuple[str, ...]]]] = defaultdict(list)
    by_last: dict[str, list[tuple[int, tuple[str, ...]]]] = defaultdict(list)
    person_words: set[str] = set()
    product_like: dict[tuple[str, ...], str] = {}
    for j, c in enumerate(clusters):
        for k in c:
            toks = tuple(units[k].tokens)
            if len(toks) >= 2:
                by_first[toks[0]].append((j, toks))
                by_last[toks[-1]].append((j, toks))
                if units[k].cls == "P":
                    person_words |= {toks[0], toks[-1]}
                elif _product_like(units[k]):
                    product_like[toks] = units[k].label
    target: dict[int, int] = {}
    # "Skyliner" tagged as a person, no one's name, but the last word of the
    # name of one product ("Velora 990 Skyliner"): that product, and of its type.
    # Tagged as a body, such a word is the product's only when a designation
    # comes before it there ("787 Dreamliner": "Dreamliner", "Dreamliners").
    for i, c in enumerate(clusters):
        u = main_unit(c)
        if len(c) > 2 or u.cls not in ("P", "O", "R") or len(u.tokens) != 1 or u.tokens[0] in person_words:
            continue
        word = u.tokens[0]
        if len(c) == 2 and {units[k].key for k in c} != {word, word + "s"}:
            continue  # only a word and its plural
        for w in (word, word[:-1]) if word.endswith("s") and u.cls != "P" else (word,):
            ends = [(j, long_) for j, long_ in by_last.get(w, ()) if j != i]
            owners = {j for j, _ in ends}
            if not (len(owners) == 1 and all(long_ in product_like for _, long_ in ends)):
                continue
            if u.cls != "P" and not all(_DESIGNATION.fullmatch(long_[-2]) for _, long_ in ends):
                continue
            target[i] = owners.pop()
            if u.cls == "P":
                u.labels = Counter({product_like[ends[0][1]]: len(u.mentions)})
                relabelled.add(u.key)
            break
    classes = [cls_of(c) for c in clusters]
    arts = [{m.article_id for k in c for m in units[k].mentions} for c in clusters]
    tagged = [{_CLASS.get(m.label, m.label) for k in c for m in units[k].mentions} for c in clusters]
    order = sorted(range(len(clusters)), key=lambda i: len(main_unit(clusters[i]).tokens))
    for i in order:
        u = main_unit(clusters[i])
        ci = classes[i]
        if i in target or not u.tokens:
            continue
        # A team's nickname the model took for a person ("Colts" of "Indianapolis Colts", the
        # place "Indianapolis" named in the story): a plural word that is no one's name.
        nickname = ci == "P" and len(u.tokens) == 1 and u.tokens[0].endswith("s") and u.tokens[0] not in person_words
        # A person's name where a place would stand ("checked into Jane Roe"): a building named after her.
        building = ci == "P" and placed is not None and all(k in placed for k in clusters[i])
        if ci == "P" and not (nickname or building):
            continue
        fits: set[int] = set()
        leading: dict[int, tuple[str, ...]] = {}  # a fit by leading words -> its full name the short form begins
        # A product's plural or short form may stand for the cluster ("990s" with "990").
        variants = [units[k] for k in clusters[i]] if _product_like(u) else [u]
        if _is_acronym_like(u.surface):
            # A cluster mostly written as an acronym ("NR" / "Norland Republic") is also its spelled-out name.
            spelled = [units[k] for k in clusters[i] if len(units[k].tokens) >= 2 and not _is_acronym_like(units[k].surface)]
            if spelled:
                variants.append(min(spelled, key=lambda v: (-len(v.mentions), len(v.tokens), v.key)))
        for v in variants:
            # An acronym joins only a name that adds generic words to it ("NPD" / "NPD Group").
            acronym = _is_acronym_like(v.surface)
            short = tuple(v.tokens)
            n = len(short)
            for j, long_ in by_first.get(short[0], ()) if short and not nickname else ():
                if j == i or len(long_) <= n or long_[:n] != short:
                    continue
                if acronym and not all(t in _GENERIC_WORDS for t in long_[n:]):
                    continue
                # The model calls products bodies as often as not ("vPhone" ORG), and a
                # body's name a person's now and then ("Lockheed Martin" PERSON once).
                if not (
                    _compatible(ci, classes[j]) and not building
                    or {ci, classes[j]} <= {"R", "O"} and _product_like(v) and long_ in product_like
                    or ci == "O" and classes[j] == "P" and "O" in tagged[j]
                    or building and classes[j] in ("O", "F")
                ):
                    continue
                if _product_like(v) and (lower is None or any(not lower.isdisjoint(_inflections(t)) for t in long_[n:])):
                    continue
                tail = long_[n:]
                if any(ch.isdigit() for t in tail for ch in t) or all(t in _ADMIN_WORDS for t in tail):
                    continue
                if any(_holds_place(v, units[k]) for k in clusters[j] if tuple(units[k].tokens) == long_):
                    continue  # a place and a longer name that holds it: "Norland Harbour"
                if all(_has_lower_word(units[k].surface) for k in clusters[j] if tuple(units[k].tokens) == long_):
                    continue  # "Velora's board of directors": a thing of the name, not a longer name
                fits.add(j)
                leading[j] = min(leading.get(j, long_), long_, key=len)
            for j, long_ in by_last.get(short[-1], ()) if short and not building else ():
                if acronym or j == i or len(long_) <= n or long_[-n:] != short:
                    continue
                if not (_compatible(ci, classes[j]) or nickname and classes[j] in ("O", "F")):
                    continue
                # "San Diego Chargers" (a place's team), not "San Diego, California" (a place and where it lies)
                if long_[:-n] in places and not any("," in units[k].surface for k in clusters[j] if tuple(units[k].tokens) == long_):
                    fits.add(j)
        if len(fits) > 1 and set(leading) == fits:
            # Each fit's name begins with the shortest one ("Roe Recovery", "Roe Recovery Center"):
            # that one, which takes the longer ones in its turn.
            names = sorted(leading.items(), key=lambda x: len(x[1]))
            if all(long_[: len(names[0][1])] == names[0][1] for _, long_ in names[1:]):
                fits = {names[0][0]}
        if len(fits) > 1:
            fits = _named_apart(i, fits, arts)
        if len(fits) == 1:
            target[i] = fits.pop()
            if nickname or building:
                label = "FAC" if building and classes[target[i]] == "F" else "ORG"
                for k in clusters[i]:
                    units[k].labels = Counter({label: len(units[k].mentions)})
                    relabelled.add(k)

    def root(i: int) -> int:
        seen = set()
        while i in target and i not in seen:
            seen.add(i)
            i = target[i]
        return i

    merged: dict[int, list[str]] = defaultdict(list)
    for i, c in enumerate(clusters):
        merged[root(i)].extend(c)
    return [merged[i] for i in sorted(merged)]


# A model designation as ``name_tokens`` writes it: "a380", "787", "777s", "7e7".
_DESIGNATION = re.compile(r"(?:[a-z]{1,2}-?)?\d{1,4}(?:[a-z]{1,3}\d{0,3})?s?")


def _model_aliases(maker: Sequence[str], model: Sequence[str]) -> set[str]:
    """Keys a model named after its maker also goes by: the model alone, its plural,
    and a bare number with the maker's initial ("Airbus 380" -> "a380")."""
    out = {" ".join(model)}
    out.add(" ".join([*model[:-1], model[-1] + "s"]))
    if model[-1].endswith("s") and any(ch.isdigit() for ch in model[-1]):
        out.add(" ".join([*model[:-1], model[-1][:-1]]))
    if model[0].isdigit() and maker and maker[0][:1].isalpha():
        out |= {" ".join([maker[0][0] + model[0], *model[1:]]), " ".join([*maker, maker[0][0] + model[0], *model[1:]])}
    return out


_APART = 2  # reports naming one full name alone with the short form, and how many times more than any other


def _named_apart(i: int, fits: set[int], arts: Sequence[set[str]]) -> set[int]:
    """Of several full names a short form fits, the one it stands for in the reports that write one of them only.

    "Apple" with "Apple Computer" and "Apple Corps": where a report names
    only one of the two next to "Apple", that is the one it means. When one
    full name is so named at least ``_APART`` times as often as each other
    one (and in ``_APART`` reports or more), the short form is that name;
    otherwise all stay candidates.
    """
    alone: dict[int, int] = {}
    for j in fits:
        others = set().union(*(arts[k] for k in fits if k != j))
        alone[j] = len((arts[i] & arts[j]) - others)
    best = max(fits, key=lambda j: (alone[j], -j))
    rest = max((alone[j] for j in fits if j != best), default=0)
    if alone[best] >= _APART and alone[best] >= _APART * rest:
        return {best}
    return fits


def _product_like(unit: _Unit) -> bool:
    """A product's name: tagged PRODUCT, camel-case ("vPhone"), or with a designation ("Velora V90")."""
    words = unit.surface.split()
    return unit.label == "PRODUCT" or bool(words and _CAMEL.fullmatch(words[0])) or any(_MODEL.fullmatch(w) for w in words)


def _nearest_before(m: Mention, cids: list[int], members: list[list[Mention]]) -> int | None:
    """The candidate cluster named in the same report, nearest before ``m``."""
    best: tuple[int, int] | None = None
    present = []
    for cid in cids:
        starts = [x.start for x in members[cid] if x.article_id == m.article_id]
        if not starts:
            continue
        present.append(cid)
        before = [s for s in starts if s < m.start]
        if before and (best is None or max(before) > best[0]):
            best = (max(before), cid)
    if len(present) == 1:
        return present[0]
    return best[1] if best else None


def _blocking_keys(unit: _Unit) -> set[str]:
    keys: set[str] = set()
    info = _info(unit.surface)
    for variant in info.variants:
        for t in variant:
            if len(t) > 1:
                keys.add("s:" + skeleton(t, True)[:3])
                keys.add("t:" + t[:3])
    words = info.words
    if len(words) == 1:
        keys.add("a:" + words[0])
    else:
        keys.add("a:" + "".join(w[0] for w in words))
        keys.add("a:" + "".join(w[0] for w in words if w not in {"the", "of", "and", "for", "a", "an", "in", "on", "at", "to"}))
    return keys


_OTHER_WORD = 0.8  # a word this far from its counterpart (``_sim``) is another word, not a respelling


def _abbreviates(short: str, long_: str) -> bool:
    """``short`` could be written for ``long_``: same first letter, its letters in order ("ne", "northeast")."""
    if not short or short[0] != long_[:1]:
        return False
    pos = 0
    for ch in short:
        pos = long_.find(ch, pos) + 1
        if not pos:
            return False
    return True


def _distinct(a: _Unit, b: _Unit) -> bool:
    """Two names that plainly name two things, however alike they look.

    * Same words but one, and that one another word rather than a respelling:
      "Air Canada" / "Air India", "China Eastern Airlines" / "China Southern Airlines".
    * A place and a longer name that holds it: "China" / "Air China",
      "London" / "London Heathrow" (a body or site of the place, not the place).
    """
    ta, tb = a.tokens, b.tokens
    # (persons are left to ``name_similarity``: "Alexis" may be "Alexandros")
    if len(ta) == len(tb) >= 2 and not (a.garbled or b.garbled) and "P" not in (a.cls, b.cls):
        diff = [(x, y) for x, y in zip(ta, tb) if x != y]
        if len(diff) == 1:
            x, y = sorted(diff[0], key=len)
            # not an inflection ("Picture" / "Pictures"), an abbreviation ("NE" / "Northeast")
            # nor a number ("737" / "747")
            if (
                _sim(x, y) < _OTHER_WORD
                and not y.startswith(x)
                and not _abbreviates(x, y)
                and not any(ch.isdigit() for ch in x + y)
            ):
                return True
    return _holds_place(a, b) or _holds_place(b, a)


# Words that complete the name of a natural feature rather than name another thing ("Mediterranean Sea").
_FEATURE_WORDS = frozenset(
    ["sea", "ocean", "river", "lake", "gulf", "bay", "strait", "straits", "channel", "desert", "mountains",
     "mountain", "mount", "range", "hills", "island", "islands", "peninsula", "valley", "coast", "basin"]
)


def _holds_place(short: _Unit, long_: _Unit) -> bool:
    """``long_`` is a longer name that holds the place ``short`` and names something else:
    "Air Norland", "Norland Harbour", "East Tillbury, Norland" (not "Tillbury, Norland"
    for "Tillbury", nor "Norland Sea", nor "Republic of Norland")."""
    if short.cls != "L" or short.garbled or _is_acronym_like(long_.surface):
        return False
    st, lt = short.tokens, long_.tokens
    n = len(st)
    if len(lt) <= n or not any(lt[i : i + n] == st for i in range(len(lt) - n + 1)):
        return False
    if "of" in _info(long_.surface).words or normalize_name(long_.surface.split(",")[0]) == short.key:
        return False
    rest = list(lt)
    for t in st:
        rest.remove(t)
    return not all(t in _FEATURE_WORDS for t in rest)


_SHORT_GIVEN = (3, 5)  # length of a short given name ("Fred", "Alex") that a longer one may stand behind
_VARIANT_SIM = 0.9  # similarity given to two forms of one person's full name


def _given_fits(short: str, long_: str) -> bool:
    """A given name written for another: the same, or a short form it begins ("Fred" / "Frederick")."""
    if short == long_:
        return True
    return _SHORT_GIVEN[0] <= len(short) <= _SHORT_GIVEN[1] and len(long_) >= len(short) + 2 and long_.startswith(short)


def _person_variant(short: Sequence[str], long_: Sequence[str]) -> bool:
    """``short`` and ``long_`` (name tokens) are two forms of one person's full name.

    The same surname, and the given names of ``short`` found in order among
    those of ``long_``, each the same or a short form it begins, while
    ``long_`` may add names and initials: "Fred Roe" / "Frederick C. Roe",
    "Mark Roe" / "W. Mark Roe", "Diane Ann Roe" / "Sharon Diane Ann Roe",
    "Lo Presti" / "Gianni Lo Presti". A lone surname is left to the surname rule.
    """
    if len(short) < 2 or len(long_) < len(short) or short[-1] != long_[-1] or list(short) == list(long_):
        return False
    pos = 0
    given = long_[:-1]
    for t in short[:-1]:
        if len(t) < 2:
            return False  # initials are ``name_similarity``'s
        while pos < len(given) and not _given_fits(t, given[pos]):
            pos += 1
        if pos == len(given):
            return False
        pos += 1
    return True


def _person_variants(keys: Sequence[str], units: Mapping[str, _Unit]) -> set[tuple[str, str]]:
    """Pairs of full names (sorted keys) of one person (``_person_variant``), where the
    shorter form fits no other person: every longer form it fits is a close spelling of the others."""
    persons = [
        k for k in keys
        if units[k].cls == "P" and not units[k].garbled and len(units[k].tokens) >= 2 and _info(units[k].surface).personlike
    ]
    by_surname: dict[str, list[str]] = defaultdict(list)
    for k in persons:
        by_surname[units[k].tokens[-1]].append(k)
    out: set[tuple[str, str]] = set()
    for a in persons:
        ta = units[a].tokens
        fits = [b for b in by_surname[ta[-1]] if b != a and _person_variant(ta, units[b].tokens)]
        if not fits or any(name_similarity(units[x].surface, units[y].surface) < _SIM_THRESHOLD for x, y in itertools.combinations(fits, 2)):
            continue
        if not all(len(units[b].tokens) > len(ta) or _one_report_apart(units[a], units[b]) for b in fits):
            continue
        out |= {(min(a, b), max(a, b)) for b in fits}
    return out


def _one_report_apart(a: _Unit, b: _Unit) -> bool:
    """No report writes both: "Dan Roe" and "Daniel Roe" in one report are two people."""
    return not {m.article_id for m in a.mentions} & {m.article_id for m in b.mentions}


def _cluster(initial: list[list[str]], units: Mapping[str, _Unit]) -> list[list[str]]:
    """Average-link agglomerative clustering with cannot-link constraints."""
    all_keys = [k for c in initial for k in c]
    index: dict[str, set[str]] = defaultdict(set)
    for k in all_keys:
        for b in _blocking_keys(units[k]):
            index[b].add(k)
    sims: dict[tuple[str, str], float] = {}
    for bucket in index.values():
        if len(bucket) > 200:
            continue
        ordered = sorted(bucket)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if (a, b) not in sims and _compatible(units[a].match_cls, units[b].match_cls):
                    sims[(a, b)] = 0.0 if _distinct(units[a], units[b]) else name_similarity(units[a].surface, units[b].surface)

    for pair in _person_variants(all_keys, units):
        sims[pair] = max(sims.get(pair, 0.0), _VARIANT_SIM)

    def sim(a: str, b: str) -> float:
        return sims.get((a, b) if a < b else (b, a), 0.0)

    clusters: dict[int, list[str]] = dict(enumerate(initial))
    cls = {i: Counter(units[k].match_cls for k in c for _ in units[k].mentions) for i, c in clusters.items()}
    cluster_of = {k: i for i, c in clusters.items() for k in c}
    # Sum of pairwise similarity between clusters that share any candidate pair.
    link: dict[tuple[int, int], float] = defaultdict(float)
    for (a, b), s in sims.items():
        i, j = cluster_of[a], cluster_of[b]
        if i != j and s > 0:
            link[(min(i, j), max(i, j))] += s

    def allowed(i: int, j: int) -> bool:
        if not _compatible(_main_cls(cls[i]), _main_cls(cls[j])):
            return False
        for a in clusters[i]:
            if not units[a].multi:
                continue
            for b in clusters[j]:
                if units[b].multi and sim(a, b) < _CANNOT:
                    return False
        return True

    blocked: set[tuple[int, int]] = set()
    while True:
        best: tuple[float, int, int] | None = None
        for (i, j), total in link.items():
            if (i, j) in blocked:
                continue
            avg = total / (len(clusters[i]) * len(clusters[j]))
            if avg >= _SIM_THRESHOLD and (best is None or (avg, -i, -j) > (best[0], -best[1], -best[2])):
                best = (avg, i, j)
        if best is None:
            break
        _, i, j = best
        if not allowed(i, j):
            blocked.add((i, j))
            continue
        clusters[i].extend(clusters.pop(j))
        cls[i] += cls.pop(j)
        for k in clusters[i]:
            cluster_of[k] = i
        new_link: dict[tuple[int, int], float] = defaultdict(float)
        for (a, b), total in link.items():
            a2 = i if a == j else a
            b2 = i if b == j else b
            if a2 != b2:
                new_link[(min(a2, b2), max(a2, b2))] += total
        link = new_link
        blocked = {p for p in blocked if i not in p and j not in p}
    return [clusters[i] for i in sorted(clusters)]


_RESPELL_SIM = 0.8  # name similarity a respelling needs to its aligned counterpart
_SHARED = 0.5  # share of entities two reports must have in common to align their mentions


def _neighbours(members: list[list[Mention]]) -> dict[tuple[str, int, int], tuple[int | None, int | None]]:
    """For each mention, the entity of the nearest other-entity mention before and after it in its report."""
    by_article: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for cid, ms in enumerate(members):
        for m in ms:
            by_article[m.article_id].append((m.start, m.end, cid))
    out: dict[tuple[str, int, int], tuple[int | None, int | None]] = {}
    for aid, seq in by_article.items():
        seq.sort()
        for p, (s, e, cid) in enumerate(seq):
            prev = next((c for _, _, c in reversed(seq[:p]) if c != cid), None)
            nxt = next((c for _, _, c in seq[p + 1 :] if c != cid), None)
            out[(aid, s, e)] = (prev, nxt)
    return out


def _join_aligned_respellings(members: list[list[Mention]], weights: Mapping[str, float]) -> list[list[Mention]]:
    """A respelled name joins its counterpart in a near-copy report, whatever the model's label.

    A spelling ("Boeyng") joins an entity of another report when its name is
    a close respelling of the entity's main spelling (same number of words,
    ``name_similarity`` at least ``_RESPELL_SIM``), the two never share a
    report, the two reports have most of their entities in common, and at one
    place at least both sit between the same two entities (the same context).
    The less-attested side joins the better-attested one and takes its type
    (across types only when that spelling is one report's); it joins only
    when a single entity qualifies, and an entity that joins
    another cannot take a third, so look-alikes do not chain.
    """
    n = len(members)
    if n < 2:
        return members
    arts = [{m.article_id for m in ms} for ms in members]

    def main_surface(ms: list[Mention]) -> str:
        c = Counter(_clean_surface(m.text) for m in ms)
        return min(c, key=lambda t: (-c[t], t))

    surface = [main_surface(ms) for ms in members]
    ntok = [len(name_tokens(t)) for t in surface]
    cls = [_CLASS.get(lab, lab) for lab in (_majority(Counter(m.label for m in ms)) for ms in members)]
    attest = [sum(max(0.0, min(1.0, float(weights.get(m.article_id, 1.0)))) + 1e-6 for m in ms) for ms in members]
    ents_of: dict[str, set[int]] = defaultdict(set)
    for cid, a in enumerate(arts):
        for aid in a:
            ents_of[aid].add(cid)
    near = _neighbours(members)

    def shares_text(a: str, b: str, i: int, j: int) -> bool:
        ea, eb = ents_of[a] - {i, j}, ents_of[b] - {i, j}
        small = min(len(ea), len(eb))
        return small >= 2 and len(ea & eb) >= _SHARED * max(len(ea), len(eb))

    # Mentions indexed by the entity before them and by the entity after them, then by entity.
    by_side: dict[tuple[int, int], dict[int, set[tuple[str, int | None, int | None]]]] = defaultdict(dict)
    for cid, ms in enumerate(members):
        for m in ms:
            prev, nxt = near[(m.article_id, m.start, m.end)]
            for side, c in enumerate((prev, nxt)):
                if c is not None:
                    by_side[(side, c)].setdefault(cid, set()).add((m.article_id, prev, nxt))

    def same_place(x: tuple[int | None, int | None], y: tuple[int | None, int | None]) -> bool:
        # Compared where both reports have a neighbour; one side at least must be compared.
        sides = [(p, q) for p, q in zip(x, y) if p is not None and q is not None]
        return bool(sides) and all(p == q for p, q in sides)

    candidates: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        if not ntok[i]:
            continue
        seen: set[int] = set()
        for m in members[i]:
            ctx = near[(m.article_id, m.start, m.end)]
            sides = [by_side[(side, c)] for side, c in enumerate(ctx) if c is not None and (side, c) in by_side]
            for j in sorted(set().union(*sides)):
                # Only a better-attested entity with as many words, never in the same report, can
                # take this one, at a place where both sit between the same entities.
                if j == i or j in seen or ntok[j] != ntok[i] or (attest[j], -j) <= (attest[i], -i):
                    continue
                if not arts[i].isdisjoint(arts[j]):
                    continue
                if len(arts[i]) > 1 and not _compatible(cls[i], cls[j]):
                    continue  # a type given consistently by several reports is not one copy's slip
                places = set().union(*(found.get(j, ()) for found in sides))
                for b, prev, nxt in sorted(places, key=lambda t: (t[0], str(t[1]), str(t[2]))):
                    if same_place(ctx, (prev, nxt)) and shares_text(m.article_id, b, i, j):
                        seen.add(j)
                        if name_similarity(surface[i], surface[j]) >= _RESPELL_SIM:
                            candidates[i].append(j)
                        break
    joins = {i: cs[0] for i, cs in candidates.items() if len(cs) == 1}
    joins = {i: j for i, j in joins.items() if j not in joins}
    if not joins:
        return members
    out = [list(ms) for ms in members]
    for i, j in sorted(joins.items()):
        labels: Counter[str] = Counter()
        for m in members[j]:
            labels[m.label] += max(0.0, min(1.0, float(weights.get(m.article_id, 1.0)))) + 1e-6
        label = _majority(labels)
        out[j].extend(m if m.label == label else Mention(m.article_id, m.start, m.end, m.text, label) for m in members[i])
        out[i] = []
    return [ms for ms in out if ms]


_ALIGN_CONTEXT = 3  # tokens each side that must read the same in both reports
_ALIGN_MAX_WORDS = 6  # longest mention projected onto another report
_ALIGN_SIM = 0.6  # normalised edit similarity of a respelled word to the word it stands for
_ALIGN_MIN_LEN = 4  # shorter words differ too easily to be called respellings
_ALIGN_TOKEN = re.compile(r"\w+(?:['’.\-]\w+)*|[^\w\s]")
_PAD = "\x00"
_Place = tuple[tuple[str, ...], tuple[str, ...], int]  # tokens before, tokens after, length in tokens


def _respelled(a: Sequence[str], b: Sequence[str]) -> bool:
    """Two word sequences that differ only by respelled capitalised words ("Air France" / "Air Franca")."""
    if len(a) != len(b):
        return False
    differ = False
    for x, y in zip(a, b):
        if x.casefold() == y.casefold():
            continue
        if not (x.isalpha() and y.isalpha() and x[0].isupper() and y[0].isupper()):
            return False
        if min(len(x), len(y)) < _ALIGN_MIN_LEN:
            return False
        if Levenshtein.normalized_similarity(x.casefold(), y.casefold()) < _ALIGN_SIM:
            return False
        differ = True
    return differ


def _aligned_respellings(
    mentions: Sequence[Mention], texts: Mapping[str, str], weights: Mapping[str, float]
) -> tuple[list[Mention], list[tuple[Mention, Mention]]]:
    """Respellings that near-copy reports write at the place where another report names an entity.

    A mention's *place* is the ``_ALIGN_CONTEXT`` tokens before it and after
    it (punctuation included, case ignored). Where another report reads the
    same on both sides and, in between, the same number of tokens that differ
    from the mention only by respelled capitalised words ("Boeyng" for
    "Boeing", "Air Franca" for "Air France"), that span names the same thing:
    if the model tagged nothing there it becomes a mention with the first
    report's label (returned in the first list), unless the first report
    reads less clean than the other (an MT copy's "Januarry" tagged as
    a person tags no "January"); if the model tagged exactly
    that span, the two mentions are linked (the second list) whatever their
    labels or their ``name_similarity``. A span the model tagged with other
    bounds is left alone.
    """
    if not mentions:
        return [], []

    def weight(aid: str) -> float:
        return max(0.0, min(1.0, float(weights.get(aid, 1.0))))

    toks: dict[str, list[tuple[int, int, str]]] = {}
    for aid, text in texts.items():
        if isinstance(text, str):
            toks[aid] = [(m.start(), m.end(), m.group().casefold()) for m in _ALIGN_TOKEN.finditer(text)]
    if len(toks) < 2:
        return [], []
    k = _ALIGN_CONTEXT
    # Per report, the k tokens before position i (left[i]) and from position i on (right[i]).
    left: dict[str, list[tuple[str, ...]]] = {}
    right: dict[str, list[tuple[str, ...]]] = {}
    for aid, ts in toks.items():
        words = [_PAD] * k + [w for _s, _e, w in ts] + [_PAD] * k
        left[aid] = [tuple(words[i : i + k]) for i in range(len(ts) + 1)]
        right[aid] = [tuple(words[i + k : i + 2 * k]) for i in range(len(ts) + 1)]
    starts = {aid: {s: i for i, (s, _e, _w) in enumerate(ts)} for aid, ts in toks.items()}
    ends = {aid: {e: i for i, (_s, e, _w) in enumerate(ts)} for aid, ts in toks.items()}

    def surface(aid: str, i: int, n: int) -> tuple[str, ...]:
        return tuple(texts[aid][s:e] for s, e, _w in toks[aid][i : i + n])

    wanted: dict[_Place, dict[tuple[str, ...], list[Mention]]] = defaultdict(lambda: defaultdict(list))
    by_article: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_article[m.article_id].append(m)
        if m.article_id not in toks or texts[m.article_id][m.start : m.end] != m.text:
            continue
        i, j = starts[m.article_id].get(m.start), ends[m.article_id].get(m.end)
        if i is None or j is None or not 0 < j - i + 1 <= _ALIGN_MAX_WORDS:
            continue
        n = j - i + 1
        wanted[(left[m.article_id][i], right[m.article_id][i + n], n)][surface(m.article_id, i, n)].append(m)
    if not wanted:
        return [], []
    lefts = {key[0] for key in wanted}
    sizes = sorted({key[2] for key in wanted})
    found: dict[_Place, dict[tuple[str, ...], list[tuple[str, int]]]] = defaultdict(lambda: defaultdict(list))
    for aid, ts in toks.items():
        for i in range(len(ts)):
            if left[aid][i] not in lefts:
                continue
            for n in sizes:
                if i + n <= len(ts) and (key := (left[aid][i], right[aid][i + n], n)) in wanted:
                    found[key][surface(aid, i, n)].append((aid, i))

    added: dict[tuple[str, int, int], Mention] = {}
    links: list[tuple[Mention, Mention]] = []
    for key in sorted(found, key=lambda x: (x[2], x[0], x[1])):
        n = key[2]
        for words, sources in sorted(wanted[key].items()):
            for other, places in sorted(found[key].items()):
                if not _respelled(words, other):
                    continue
                for aid, i in places:
                    # The cleanest report that names it there speaks for it.
                    m = max((x for x in sources if x.article_id != aid), key=lambda x: (weight(x.article_id), x.article_id), default=None)
                    if m is None:
                        continue
                    s, e = toks[aid][i][0], toks[aid][i + n - 1][1]
                    there = [x for x in by_article[aid] if x.start < e and s < x.end]
                    if not there:
                        if weight(m.article_id) < weight(aid):
                            continue
                        new = added.setdefault((aid, s, e), Mention(aid, s, e, texts[aid][s:e], m.label))
                        links.append((m, new))
                    elif len(there) == 1 and (there[0].start, there[0].end) == (s, e):
                        links.append((m, there[0]))
    return list(added.values()), links


def _join_linked(
    members: list[list[Mention]], links: Sequence[tuple[Mention, Mention]], weights: Mapping[str, float]
) -> list[list[Mention]]:
    """Put linked spellings in one entity: each report's mentions of a linked name go where most of the story's are.

    Linked names (a report's name and its respelling in a near-copy) form
    groups; a group's mentions, in every report that writes those names,
    move to the best-attested entity holding any of them (mentions weighted
    by their report's cleanness) and take its type.
    """
    def atom(m: Mention) -> tuple[str, str]:
        return m.article_id, normalize_name(_core_name(m.text))

    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(a: tuple[str, str]) -> tuple[str, str]:
        parent.setdefault(a, a)
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for x, y in links:
        ax, ay = atom(x), atom(y)
        if ax[1] and ay[1]:
            parent[find(ax)] = find(ay)
    if not parent:
        return members

    def attest(c: int) -> float:
        return sum(max(0.0, min(1.0, float(weights.get(m.article_id, 1.0)))) + 1e-6 for m in members[c])

    groups: dict[tuple[str, str], list[tuple[int, Mention]]] = defaultdict(list)
    for cid, ms in enumerate(members):
        for m in ms:
            a = atom(m)
            if a in parent:
                groups[find(a)].append((cid, m))
    out = [list(ms) for ms in members]
    for root in sorted(groups):
        held = groups[root]
        cids = {cid for cid, _m in held}
        if len(cids) < 2:
            continue
        target = max(cids, key=lambda c: (attest(c), len({m.article_id for m in members[c]}), -c))
        moving = {id(m) for cid, m in held if cid != target}
        labels: Counter[str] = Counter()
        for m in members[target]:
            labels[m.label] += max(0.0, min(1.0, float(weights.get(m.article_id, 1.0)))) + 1e-6
        label = _majority(labels)
        for cid in cids - {target}:
            out[cid] = [m for m in out[cid] if id(m) not in moving]
        out[target].extend(
            m if m.label == label else Mention(m.article_id, m.start, m.end, m.text, label)
            for cid, m in held
            if cid != target
        )
    return [ms for ms in out if ms]


def _entity(ms: list[Mention], weights: Mapping[str, float]) -> Entity:
    ms = sorted(ms, key=lambda m: (m.article_id, m.start, m.end))
    score: dict[str, float] = defaultdict(float)
    spelled: dict[str, Counter[str]] = defaultdict(Counter)
    first: dict[str, int] = {}
    for n, m in enumerate(ms):
        surface = _clean_surface(m.text)
        if not surface:
            continue
        w = max(0.0, min(1.0, float(weights.get(m.article_id, 1.0))))
        spelled[surface.casefold()][surface] += 1
        first.setdefault(surface.casefold(), n)
        score[surface.casefold()] += w * w + 1e-6

    def form(key: str) -> str:
        c = spelled[key]
        return min(c, key=lambda s: (-c[s], s.isupper(), s))

    def quality(key: str) -> tuple[Any, ...]:
        surface = form(key)
        info = _info(surface)
        titled = len(info.words) < len(re.findall(r"[^\W_]+", surface))
        return (
            # a name of two words or more ("Ada Quill-Marsh", not the bare "Quill-Marsh")
            len(surface.split()) >= 2 and len(name_tokens(surface)) >= 2 and not _is_acronym_like(surface),
            not titled,
            round(score[key], 6),
            len(name_tokens(surface)),
            not surface.isupper(),
            -first[key],  # ties: the form attested first
        )

    best = max(sorted(score), key=quality) if score else ms[0].text.casefold()
    name = form(best) if score else ms[0].text
    seen = {name.casefold()}
    aliases: list[str] = []
    for m in ms:
        surface = _clean_surface(m.text)
        if surface and surface.casefold() not in seen:
            seen.add(surface.casefold())
            aliases.append(form(surface.casefold()))
    # The type as the cleaner reports give it: a garbled copy's labels count little.
    labels: Counter[str] = Counter()
    for m in ms:
        labels[m.label] += max(0.0, min(1.0, float(weights.get(m.article_id, 1.0)))) ** 2 + 1e-6
    return Entity(id="", name=name, type=_majority(labels), aliases=aliases, mentions=ms)


# --------------------------------------------------------------------------- across stories


def _link_keys(name: str, normalized: str) -> set[tuple[str, str]]:
    """Blocking keys of a canonical name: the whole normalised name, each word's first three
    letters and its sound (metaphone), and the initials of a name of several words or a one-word
    name itself (so an acronym meets its expansion)."""
    words = normalized.split()
    tokens = name_tokens(name) or words
    keys = {("n", normalized)}
    for t in set(tokens) | set(words):
        keys.add(("p", t[:3]))
        keys.add(("m", _sound(t)))
    for seq in (tokens, words):
        if len(seq) >= 2:
            keys.add(("i", "".join(t[:1] for t in seq)))
        elif seq:
            keys.add(("i", seq[0]))
    return keys


def _sound(token: str) -> str:
    try:
        return str(_metaphone(token))[:4]
    except Exception:  # noqa: BLE001 - odd input: its first letters are key enough
        return token[:3]


def link_entities_across_stories(groups: Sequence[Sequence[Entity]], *, threshold: float = 0.9) -> dict[tuple[int, str], str]:
    """Map (story index, local entity id) to a report-wide id ("e1", "e2", ...).

    Conservative: the same type (places and facilities may meet) and canonical
    names that ``name_similarity`` scores at ``threshold`` or more; a one-word
    person name links only on an exact match, and two entities of one story
    never share an id.
    """
    canon: list[tuple[str, str, str]] = []  # (global id, name, type class)
    # Blocking: a name is compared only with earlier canonical names sharing a key (a word's
    # first letters or sound, or the initials an acronym is made of), never with all of them.
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    out: dict[tuple[int, str], str] = {}
    for s, entities in enumerate(groups):
        taken: set[str] = set()
        for e in entities:
            cls = _CLASS.get(e.type, e.type)
            key = normalize_name(e.name)
            keys = _link_keys(e.name, key)
            one_word_person = e.type == "PERSON" and len(name_tokens(e.name)) < 2
            best: tuple[float, str] | None = None
            for c in sorted({c for k in keys for c in index.get(k, ())}):
                gid, name, gcls = canon[c]
                if gid in taken or not _compatible(cls, gcls):
                    continue
                if normalize_name(name) == key and key:
                    score = 1.0
                elif one_word_person:
                    continue
                else:
                    score = name_similarity(e.name, name)
                if score >= threshold and (best is None or score > best[0]):
                    best = (score, gid)
            if best is None:
                gid = f"e{len(canon) + 1}"
                for k in keys:
                    index[k].append(len(canon))
                canon.append((gid, e.name, cls))
            else:
                gid = best[1]
            taken.add(gid)
            out[(s, e.id)] = gid
    return out
