"""A fast, rule-based sentence splitter for news text.

Spans are ``(start, end)`` character offsets into the text, end exclusive,
with surrounding whitespace trimmed. A line break always ends a sentence (in
cleaned articles a newline separates paragraphs). Inside a line, a sentence
ends at ``.``, ``!``, ``?`` or ``…`` (possibly followed by closing quotes or
brackets) when the next word starts like a sentence: an upper-case letter, a
digit or an opening quote. Periods that belong to abbreviations ("Mr.",
"Supt.", "Jan."), initials ("George W. Bush", "U.S.") and decimals ("1.2")
do not end a sentence.
"""

from __future__ import annotations

import re

__all__ = ["split_sentences", "sentence_at", "ABBREVIATIONS"]

# Lower-cased, without the final period.
ABBREVIATIONS = frozenset(
    """
    mr mrs ms mx dr prof supt sen rep gov lt col gen maj capt cpt sgt cmdr adm st ste jr sr
    rev hon pres atty insp det ofc cpl pvt fr msgr sec asst assoc dept univ
    inc corp co ltd llc bros plc no nos vol vs v approx est fig ed eds ave blvd rd hwy mt ft
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    ala ariz ark calif colo conn del fla ga ill ind kan kans ky la md mass mich minn miss mo mont
    neb nebr nev okla ore pa penn tenn tex va vt wash wis wisc wyo
    """.split()
)

# Words after "a.m."/"p.m." that continue the sentence ("at 3 p.m. Monday").
_TIME_CONTINUATIONS = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday today tonight tomorrow yesterday
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    et est edt ct cst cdt mt mst mdt pt pst pdt gmt utc bst cet
    """.split()
)

# Sentence starters that mark the end of a dotted acronym ("... in the U.S. The ...").
_STARTERS = frozenset(
    """
    the a an he she it they we i you his her its their our but and so yet this that these those
    there here in on at after before when while if as however meanwhile still then
    """.split()
)

_CANDIDATE = re.compile(r"(?:[.!?]+|…)[\"'”’»)\]]*(?=\s)")
_NEXT_WORD = re.compile(r"\s+([\"'“‘«(\[]*)([^\s]*)")
_WORD_BEFORE = re.compile(r"([\w.'’-]*)$")


def _ends_sentence(text: str, m: re.Match[str]) -> bool:
    end = m.end()
    nxt = _NEXT_WORD.match(text, end)
    if nxt is None:
        return True
    if "\n" in text[end : nxt.start(2)]:
        return True  # the line break ends it anyway
    opener, word = nxt.group(1), nxt.group(2)
    if not word:
        return bool(opener)
    first = word[0]
    if not (first.isupper() or first.isdigit() or opener):
        return False
    punct = m.group(0)
    if punct[0] != ".":
        return True  # ! ? …
    if punct.startswith(".."):
        return True  # an ellipsis before a capital
    before = _WORD_BEFORE.search(text, max(0, m.start() - 40), m.start())
    token = before.group(1) if before else ""
    bare = token.strip("'’-").rstrip(".")
    low = bare.casefold()
    if not bare:
        return True
    if low in ("a.m", "p.m"):
        nw = re.sub(r"\W+$", "", word).casefold()
        return nw not in _TIME_CONTINUATIONS
    if low in ABBREVIATIONS and punct == ".":
        return False
    if re.fullmatch(r"[A-Za-z]", bare):
        return False  # an initial: "George W. Bush"
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", bare):
        # "U.S." / "D.C.": ends the sentence only before a typical sentence starter
        nw = re.sub(r"\W+$", "", word).casefold()
        return nw in _STARTERS
    return True


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` over ``text`` (whitespace trimmed, none empty)."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        ls, le = line.start(), line.end()
        start = ls
        for m in _CANDIDATE.finditer(text, ls, le):
            if _ends_sentence(text, m):
                _add(text, start, m.end(), spans)
                start = m.end()
        _add(text, start, le, spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def sentence_at(spans: list[tuple[int, int]], offset: int) -> tuple[int, int]:
    """The span holding ``offset`` (or the nearest one before it); ``(offset, offset)`` if none."""
    best: tuple[int, int] | None = None
    for s, e in spans:
        if s <= offset < e:
            return (s, e)
        if s <= offset:
            best = (s, e)
        else:
            break
    return best if best is not None else (offset, offset)
