"""Temporal expressions in news text: find them and resolve them to calendar values.

Rule-based and fast (compiled regular expressions, no parser). Values follow
CONTRACT.md section 2 and TimeML habits:

- calendar dates at the precision written: ``2024-03-04``, ``2024-03``, ``2024``;
  a decade is ``199`` ("the 1990s"), a season ``2024-SU``, a week ``2024-W09``,
  a weekend ``2024-W09-WE``;
- times ``2024-03-04T12:32`` (kind ``TIME``); a time whose day is unknown has
  value ``None``;
- durations ``P2W``, ``P3D``, ``PT8M``; vague ones ``PXW`` ("for weeks",
  "decades-long") (kind ``DURATION``);
- sets ``P1W`` ("weekly"), ``XXXX-WXX-1`` ("every Monday") (kind ``SET``);
- ``PRESENT_REF``, ``PAST_REF``, ``FUTURE_REF`` for "now", "recently", "the future" and the
  like (kind ``DATE``, no calendar value: consumers that need a day skip them).

Relative expressions ("Monday", "yesterday", "last month", "March 4" without a
year) are resolved against ``anchor``, the publication date. Without an anchor
their value is ``None``; :func:`infer_anchor` gives the latest full date
written in the text, which a caller may use as the anchor instead.

Conventions for relative weekdays: a bare weekday ("Monday", "late Monday",
"Monday night", "on Tuesday") means the nearest such day on or before the
anchor (the anchor's own weekday is the anchor date), unless its clause
speaks of the future ("will", "is expected to", "plans to", ...), in which
case it is the nearest such day on or after the anchor. "last Friday" is
strictly before the anchor, "next Wednesday" strictly after, "this Friday"
the one in the anchor's ISO week. A weekday written with an explicit date
("late Monday, March 4") is one mention whose value is the explicit date; a
missing year is the one nearest the anchor, preferring a year in which the
weekday matches. Qualifiers ("late", "early", "mid-", "the end of") are part
of the span and do not change the value. Prepositions ("on", "in", "by") are
not part of the span.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from .model import DateMention
from .sentences import split_sentences

__all__ = ["extract_dates", "infer_anchor", "parse_anchor", "WEEKDAYS", "MONTHS"]

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}
NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a": 1, "an": 1,
}
_VAGUE = ("several", "many", "a few", "few", "a couple of", "couple of")

# ---------------------------------------------------------------- building blocks

_MONTH_FULL = r"January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH_ABBR = r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
# Capitalised month names (lower-case "may"/"march" are ordinary words); all-caps accepted too.
_MON = rf"(?P<mon>(?:{_MONTH_FULL}|{_MONTH_FULL.upper()})(?![\w'’-])|(?:{_MONTH_ABBR})(?:\.|(?![\w'’-])))"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?![\d%])(?![.,:]\d)(?!-\w)"
_YEAR = r"(?P<year>1[0-9]{3}|2[01][0-9]{2})(?![\d%])(?![.,]\d)"
_WD = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|MONDAY|TUESDAY|WEDNESDAY|THURSDAY|FRIDAY|SATURDAY|SUNDAY)(?![\w-])"
_QUAL = (
    r"(?P<qual>(?:[Ee]arly|[Ll]ate|[Mm]id)(?:-|\s+)|[Mm]id-?|(?:[Tt]he\s+)?(?:end|start|beginning|middle)\s+of\s+)?"
)
_PART = r"(?:\s+(?P<part>morning|afternoon|evening|night|overnight))?"
_NUMW = (
    r"(?:\d+(?:\.\d+)?|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|hundred|a|an)"
)
_NUMW_CAP = _NUMW.replace("(?:one|two", "(?:[Oo]ne|[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Ss]even|[Ee]ight|[Nn]ine|[Tt]en|one|two")
_UNIT = r"(?P<unit>seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|century|centuries)"
_NOT_NUM_BEFORE = r"(?<![\w$€£¥#.,:/-])"

_F = re.IGNORECASE


def _c(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


# Each pattern has a ``core`` group: the mention's span.
_ISO = _c(r"(?<![\w-])(?P<core>(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:T(?P<hh>\d{2}):(?P<mm>\d{2}))?)(?![\w-])")
_SLASH = _c(r"(?<![\w/.-])(?P<core>(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}))(?![\w/])")
_WD_PREFIX = rf"(?:{_WD}{_PART},?\s+(?:the\s+)?)?"
_MONTH_DAY = _c(
    rf"(?<![\w$€£¥#.-])(?P<core>{_QUAL}{_WD_PREFIX}{_MON}\s*{_DAY}(?:,?\s+{_YEAR})?)"
)
_DAY_MONTH = _c(
    rf"{_NOT_NUM_BEFORE}(?P<core>{_QUAL}{_WD_PREFIX}(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MON}(?:,?\s+{_YEAR})?)"
)
_MONTH_YEAR = _c(rf"(?<![\w-])(?P<core>{_QUAL}{_MON},?\s+(?:of\s+)?{_YEAR})")
_MAY_MODAL = r"(?!(?<=May)\s+(?:be|have|not|also|well|never|soon|still|need|or|and)\b)"
_BARE_MONTH_PREP = _c(
    rf"(?P<prep>\b(?:[Ii]n|[Ss]ince|[Uu]ntil|[Tt]ill|[Bb]y|[Tt]hrough|[Ff]rom|[Dd]uring|[Bb]efore|[Aa]fter|[Oo]f|"
    rf"[Ss]tarting|[Bb]eginning|[Ee]nding)\s+)(?P<core>{_QUAL}{_MON}){_MAY_MODAL}"
)
_BARE_MONTH_REL = _c(
    rf"(?<![\w-])(?P<core>(?:(?P<rel>[Ll]ast|[Nn]ext|[Tt]his)\s+|(?P<qual>(?:[Ee]arly|[Ll]ate|[Mm]id)(?:-|\s+)|[Mm]id-?|"
    rf"(?:[Tt]he\s+)?(?:end|start|beginning|middle)\s+of\s+)){_MON}){_MAY_MODAL}"
)
_YEAR_ONLY = _c(
    rf"(?P<prep>\b(?:[Ii]n|[Ss]ince|[Uu]ntil|[Bb]y|[Tt]hrough|[Ff]rom|[Dd]uring|[Bb]efore|[Aa]fter|[Oo]f|[Ff]or|"
    rf"[Tt]he|[Ff]iscal|[Ee]lection|[Cc]lass\s+of)\s+)?(?<![\w$€£¥#.,:/-])(?P<core>{_QUAL}{_YEAR})(?![\w'’-])"
)
_DECADE = _c(r"\b(?:the|[Tt]he|early|late|mid-?)\s+(?P<core>(?P<dec>1[0-9]{2}|20[0-9])0s)(?![\w'’])")
_SEASON_YEAR = _c(
    rf"(?<![\w-])(?P<core>{_QUAL}(?P<season>[Ss]pring|[Ss]ummer|[Ff]all|[Aa]utumn|[Ww]inter)(?:\s+of)?,?\s+{_YEAR})"
)
_WEEKDAY = _c(
    rf"(?<![\w-])(?P<core>(?:(?P<rel>[Ll]ast|[Nn]ext|[Tt]his|[Pp]ast|[Cc]oming|[Pp]revious)\s+)?"
    rf"(?:(?P<qual>[Ee]arly|[Ll]ate)\s+)?{_WD}{_PART})"
)
_RELDAY = _c(
    r"(?<![\w-])(?P<core>(?:(?P<qual>early|late|earlier|later)\s+)?"
    r"(?P<word>today|tonight|yesterday|tomorrow|this\s+(?:morning|afternoon|evening)|last\s+night)"
    r"(?:\s+(?P<part>morning|afternoon|evening|night))?)(?![\w-])",
    _F,
)
_AGO = _c(rf"{_NOT_NUM_BEFORE}(?P<core>(?P<n>{_NUMW_CAP}|An?)[\s-]{_UNIT}\s+ago)(?![\w-])")
_RELPERIOD = _c(
    r"(?<![\w-])(?P<core>(?:(?P<qual>early|late|earlier|later|mid-?)\s*)?"
    r"(?P<rel>this|last|next|previous|coming|past)\s+"
    r"(?P<unit>week|weekend|month|year|spring|summer|fall|autumn|winter))(?![\w-])",
    _F,
)
_WEEKEND = _c(r"(?<![\w-])(?:over|during|on|at|this|last|past)\s+(?P<core>the\s+weekend)(?![\w-])", _F)
_DURATION = _c(
    rf"(?P<prep>\b(?:for|within|over|in|after|about|around|nearly|almost|than|just|only|lasting|last|past|first|"
    rf"next|least)\s+)?{_NOT_NUM_BEFORE}(?P<core>(?P<n>{_NUMW_CAP}|(?:several|many|a\s+few|a\s+couple\s+of))"
    rf"[\s-]{_UNIT}(?P<long>-long|-old)?)(?![\w-])"
)
_VAGUE_DURATION = _c(
    r"(?:(?P<prep>\b(?:[Ff]or|[Aa]fter|[Oo]ver|[Ww]ithin|[Ii]n\s+recent|[Ff]or\s+many|[Ff]or\s+several)\s+)"
    r"(?P<core>(?:several\s+|many\s+|a\s+few\s+)?(?P<unit>days|weeks|months|years|decades|centuries)(?:-long)?)"
    r"|(?P<core2>(?P<unit2>days|weeks|months|years|decades)-long))(?![\w-])"
)
_TIME = _c(
    r"(?<![\w$€£:.,-])(?P<core>(?P<h>[01]?\d)(?::(?P<mi>[0-5]\d))?\s*"
    r"(?P<ap>[ap]\.m\.|[ap]\.m(?![\w.])|[ap]m(?![\w.])|[AP]M(?![\w.]))"
    r"(?:\s+(?P<tz>ET|EST|EDT|CT|CST|CDT|MT|MST|MDT|PT|PST|PDT|GMT|UTC|BST|CET))?(?![\w-])"
    r"|(?P<word>noon|midnight)(?![\w-]))"
)
_SET = _c(
    rf"(?<![\w-])(?P<core>(?:[Ee]very|[Ee]ach)\s+(?:(?P<unit>day|week|month|year|morning|night|evening)|{_WD})"
    r"|(?P<adv>daily|weekly|monthly|annually|yearly))(?![\w-])"
)

_QUARTER = _c(
    rf"(?<![\w-])(?P<core>(?:[Tt]he\s+)?(?:(?P<rel>latest|last|current|next|previous|past|fiscal)\s+)?"
    rf"(?:(?P<ord>[Ff]irst|[Ss]econd|[Tt]hird|[Ff]ourth|1st|2nd|3rd|4th)[\s-]quarter(?:\s+of\s+{_YEAR})?"
    rf"|Q(?P<qn>[1-4])(?:\s+{_YEAR.replace('year', 'year2')})?))(?![\w-])"
)

# A clause speaking of the future.
_FUTURE = re.compile(
    r"\b(?:will|won't|shall|would|'ll|’ll|is\s+(?:expected|scheduled|set|due|slated|poised|going)\s+to|"
    r"are\s+(?:expected|scheduled|set|due|slated|poised|going)\s+to|(?:is|are|was|were)\s+(?:expected|scheduled|due|set|slated)\b|"
    r"plans?\s+to|planning\s+to|intends?\s+to|upcoming|next|hopes?\s+to|aims?\s+to)\b",
    _F,
)
_PAST_SPEECH = re.compile(
    r"\b(?:said|announced|told|reported|confirmed|revealed|wrote|tweeted|posted|stated|declared|added)\s+(?:on\s+)?$",
    _F,
)
_CLAUSE_BREAK = re.compile(r"[;:—–()\"“”]|,|\band\b|\bbut\b|\bwhile\b|\bwhen\b|(?<=[.!?])\s")
_LEAD_PREP = re.compile(r"^\s*(?:[Oo]n|[Bb]y|[Uu]ntil|[Ss]tarting|[Bb]eginning|[Ff]rom|[Ll]ate|[Ee]arly|[Ss]ince|[Aa]s\s+of)?\s*$")
_SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_UNIT_CODES = {
    "second": ("T", "S"), "minute": ("T", "M"), "hour": ("T", "H"), "day": ("", "D"), "week": ("", "W"),
    "month": ("", "M"), "year": ("", "Y"), "decade": ("", "DE"), "century": ("", "CE"), "centurie": ("", "CE"),
}
_PART_CODES = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI"}


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    value: str | None
    kind: str
    priority: int  # lower wins among equally long candidates


# ---------------------------------------------------------------- helpers


def parse_anchor(anchor: str | None) -> date | None:
    """``YYYY-MM-DD`` (or a longer ISO datetime) as a date; ``None`` when absent or malformed."""
    if not anchor:
        return None
    try:
        return date.fromisoformat(anchor.strip()[:10])
    except ValueError:
        return None


def _month_num(token: str) -> int:
    return MONTHS[token.rstrip(".").casefold()]


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _number(token: str) -> float | None:
    t = token.casefold().replace("-", " ").strip()
    if not t:
        return None
    try:
        return float(t)
    except ValueError:
        pass
    parts = t.split()
    if all(p in NUMBER_WORDS for p in parts):
        if parts == ["hundred"]:
            return 100.0
        return float(sum(NUMBER_WORDS[p] for p in parts))
    return None


def _fmt_num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _iso_week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _shift_month(y: int, m: int, delta: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + delta
    return k // 12, k % 12 + 1


class _Sentences:
    """Sentence bounds of one text, looked up by offset."""

    def __init__(self, text: str) -> None:
        self.spans = split_sentences(text)
        self.starts = [s for s, _ in self.spans]
        self.size = len(text)

    def bounds(self, pos: int) -> tuple[int, int]:
        i = bisect_right(self.starts, pos) - 1
        if i >= 0 and self.spans[i][0] <= pos < self.spans[i][1]:
            return self.spans[i]
        lo = self.spans[i][1] if i >= 0 else 0
        hi = self.starts[i + 1] if i + 1 < len(self.starts) else self.size
        return lo, hi


_LOCAL = threading.local()  # the sentence index of the text being processed (per thread)


def _sentences_of(text: str) -> _Sentences:
    cached = getattr(_LOCAL, "sents", None)
    if cached is not None and getattr(_LOCAL, "text", None) is text:
        return cached  # type: ignore[no-any-return]
    sents = _Sentences(text)
    _LOCAL.text, _LOCAL.sents = text, sents
    return sents


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    return _sentences_of(text).bounds(pos)


def _clause(text: str, start: int, end: int) -> tuple[str, str]:
    """The words of the clause before and after a mention (within its sentence)."""
    s_lo, s_hi = _sentence_bounds(text, start)
    before = text[s_lo:start]
    after = text[end:s_hi]
    b_cut = 0
    for m in _CLAUSE_BREAK.finditer(before):
        b_cut = m.end()
    left = before[b_cut:]
    m2 = _CLAUSE_BREAK.search(after)
    right = after[: m2.start()] if m2 else after
    if _LEAD_PREP.match(left):
        # Clause-initial ("On Monday, the board will vote"): the rest of the sentence tells the tense.
        right = after
        m3 = re.search(r"[;.!?]|\band\b|\bbut\b", after)
        if m3:
            right = after[: m3.start()]
    return left, right


def _is_future(text: str, start: int, end: int) -> bool:
    left, right = _clause(text, start, end)
    if _PAST_SPEECH.search(text[max(0, start - 30) : start]):
        return False
    return bool(_FUTURE.search(left) or _FUTURE.search(right))


def _resolve_weekday(anchor: date, wd: int, rel: str | None, future: bool) -> date:
    diff = (wd - anchor.weekday()) % 7  # days forward to the next such weekday (0 = today)
    back = (anchor.weekday() - wd) % 7  # days back to the previous (0 = today)
    rel = (rel or "").casefold()
    if rel in ("last", "past", "previous"):
        return anchor - timedelta(days=back or 7)
    if rel in ("next", "coming"):
        return anchor + timedelta(days=diff or 7)
    if rel == "this":
        monday = anchor - timedelta(days=anchor.weekday())
        return monday + timedelta(days=wd)
    if future:
        return anchor + timedelta(days=diff)
    return anchor - timedelta(days=back)


def _nearest_year(anchor: date | None, month: int, day: int | None, weekday: int | None = None) -> int | None:
    if anchor is None:
        return None
    best: tuple[tuple[int, int, int], int] | None = None
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        d = _safe_date(y, month, day or 15)
        if d is None:
            continue
        mismatch = 0 if weekday is None or day is None or d.weekday() == weekday else 1
        key = (mismatch, abs((d - anchor).days), -y)
        if best is None or key < best[0]:
            best = (key, y)
    return best[1] if best else None


# ---------------------------------------------------------------- matchers


def _core(m: re.Match[str]) -> tuple[int, int] | None:
    for name in ("core", "core2", "core3"):
        if name in m.re.groupindex and m.group(name) is not None:
            return m.start(name), m.end(name)
    return None


def _iter(pattern: re.Pattern[str], text: str) -> Iterator[tuple[re.Match[str], int, int]]:
    for m in pattern.finditer(text):
        span = _core(m)
        if span is not None and span[1] > span[0]:
            yield m, span[0], span[1]


def _iter_all(patterns: tuple[re.Pattern[str], ...], text: str) -> Iterator[tuple[re.Match[str], int, int]]:
    for p in patterns:
        yield from _iter(p, text)


def _full_dates(text: str, anchor: date | None, out: list[_Cand]) -> None:
    for m, s, e in _iter(_ISO, text):
        d = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
        if d is None:
            continue
        if m["hh"] is not None and int(m["hh"]) < 24:
            out.append(_Cand(s, e, f"{d.isoformat()}T{m['hh']}:{m['mm']}", "TIME", 0))
        else:
            out.append(_Cand(s, s + 10, d.isoformat(), "DATE", 0))
    for m, s, e in _iter(_SLASH, text):
        d = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
        if d is not None:
            out.append(_Cand(s, e, d.isoformat(), "DATE", 0))
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        for m, s, e in _iter(pattern, text):
            month = _month_num(m["mon"])
            day = int(m["day"])
            if not 1 <= day <= 31:
                continue
            wd = WEEKDAYS[m["wd"].casefold()] if m["wd"] else None
            if m["year"] is not None:
                d = _safe_date(int(m["year"]), month, day)
                if d is None:
                    continue
                value: str | None = d.isoformat()
            else:
                y = _nearest_year(anchor, month, day, wd)
                if y is not None and anchor is not None and wd is None and _is_future(text, s, e):
                    first = _safe_date(anchor.year, month, day)
                    if first is not None and first < anchor:
                        y = anchor.year + 1
                    elif first is not None:
                        y = anchor.year
                if y is None:
                    if _safe_date(2024, month, day) is None:
                        continue
                    value = None
                else:
                    d = _safe_date(y, month, day)
                    if d is None:
                        continue
                    value = d.isoformat()
            out.append(_Cand(s, e, value, "DATE", 1))


def _months_years(text: str, anchor: date | None, out: list[_Cand]) -> None:
    for m, s, e in _iter(_MONTH_YEAR, text):
        out.append(_Cand(s, e, f"{int(m['year']):04d}-{_month_num(m['mon']):02d}", "DATE", 2))
    for m, s, e in _iter(_SEASON_YEAR, text):
        out.append(_Cand(s, e, f"{int(m['year']):04d}-{_SEASONS[m['season'].casefold()]}", "DATE", 2))
    for m, s, e in _iter_all((_BARE_MONTH_PREP, _BARE_MONTH_REL), text):
        month = _month_num(m["mon"])
        value = None
        if anchor is not None:
            rel = (m.groupdict().get("rel") or "").casefold()
            if rel == "last":
                y = anchor.year if month < anchor.month else anchor.year - 1
            elif rel == "next":
                y = anchor.year if month > anchor.month else anchor.year + 1
            elif rel == "this":
                y = anchor.year
            elif _is_future(text, s, e):
                y = anchor.year if month >= anchor.month else anchor.year + 1
            else:
                y = _nearest_year(anchor, month, None) or anchor.year
            value = f"{y:04d}-{month:02d}"
        out.append(_Cand(s, e, value, "DATE", 3))
    for m, s, e in _iter(_YEAR_ONLY, text):
        year = int(m["year"])
        has_prep = m["prep"] is not None or m["qual"] is not None
        if not has_prep and not 1900 <= year <= 2099:
            continue
        after = text[e : e + 24]
        if not has_prep and re.match(r"\s+[a-z]+s\b", after) and not re.match(r"\s+(?:was|has|is|as|his|its)\b", after):
            continue  # "2000 signatures": a count
        if re.match(r"\s*(?:%|percent|per\s+cent)", after, _F):
            continue
        if m["prep"] and m["prep"].strip().casefold() == "the" and not re.match(r"\s+(?:election|season|race|campaign|budget|census|games|olympics|vote|primary|midterms?)\b", after, _F):
            if not 1900 <= year <= 2099:
                continue
        out.append(_Cand(s, e, f"{year:04d}", "DATE", 4))
    for m, s, e in _iter(_DECADE, text):
        out.append(_Cand(s, e, m["dec"], "DATE", 4))


def _weekdays(text: str, anchor: date | None, out: list[_Cand]) -> None:
    for m, s, e in _iter(_WEEKDAY, text):
        value = None
        if anchor is not None:
            wd = WEEKDAYS[m["wd"].casefold()]
            rel = m["rel"]
            future = False if rel else _is_future(text, s, e)
            value = _resolve_weekday(anchor, wd, rel, future).isoformat()
        out.append(_Cand(s, e, value, "DATE", 5))


def _relative(text: str, anchor: date | None, out: list[_Cand]) -> None:
    for m, s, e in _iter(_RELDAY, text):
        value = None
        if anchor is not None:
            word = " ".join(m["word"].casefold().split())
            offset = {"yesterday": -1, "tomorrow": 1, "last night": -1}.get(word, 0)
            value = (anchor + timedelta(days=offset)).isoformat()
        out.append(_Cand(s, e, value, "DATE", 5))
    for m, s, e in _iter(_AGO, text):
        n = _number(m["n"])
        unit = m["unit"].casefold().rstrip("s")
        value = None
        if anchor is not None and n is not None and float(n).is_integer():
            k = int(n)
            if unit == "day":
                value = (anchor - timedelta(days=k)).isoformat()
            elif unit == "week":
                value = (anchor - timedelta(weeks=k)).isoformat()
            elif unit == "month":
                y, mo = _shift_month(anchor.year, anchor.month, -k)
                value = f"{y:04d}-{mo:02d}"
            elif unit == "year":
                value = f"{anchor.year - k:04d}"
            elif unit == "decade":
                value = f"{(anchor.year - 10 * k) // 10:03d}"
            elif unit in ("hour", "minute", "second"):
                value = anchor.isoformat()
        out.append(_Cand(s, e, value, "DATE", 1))
    for m, s, e in _iter(_RELPERIOD, text):
        rel = m["rel"].casefold()
        unit = m["unit"].casefold()
        value = None
        if rel == "past" and unit in ("week", "month", "year"):
            code = {"week": "W", "month": "M", "year": "Y"}[unit]
            out.append(_Cand(s, e, f"P1{code}", "DURATION", 3))
            continue
        delta = {"this": 0, "last": -1, "previous": -1, "past": -1, "next": 1, "coming": 1}[rel]
        if anchor is not None:
            if unit == "week":
                value = _iso_week(anchor + timedelta(weeks=delta))
            elif unit == "weekend":
                sat = anchor + timedelta(days=(5 - anchor.weekday()) % 7)
                if delta < 0 or (delta == 0 and anchor.weekday() < 5 and not _is_future(text, s, e)):
                    sat -= timedelta(days=7)
                elif delta > 0 and anchor.weekday() >= 5:
                    sat += timedelta(days=7)
                value = _iso_week(sat) + "-WE"
            elif unit == "month":
                y, mo = _shift_month(anchor.year, anchor.month, delta)
                value = f"{y:04d}-{mo:02d}"
            elif unit == "year":
                value = f"{anchor.year + delta:04d}"
            else:
                season_month = {"spring": 4, "summer": 7, "fall": 10, "autumn": 10, "winter": 1}[unit]
                y = anchor.year
                if delta < 0 and season_month >= anchor.month:
                    y -= 1
                elif delta > 0 and season_month <= anchor.month:
                    y += 1
                value = f"{y:04d}-{_SEASONS[unit]}"
        out.append(_Cand(s, e, value, "DATE", 3))
    for m, s, e in _iter(_WEEKEND, text):
        value = None
        if anchor is not None:
            sat = anchor + timedelta(days=(5 - anchor.weekday()) % 7)
            if anchor.weekday() < 5 and not _is_future(text, s, e):
                sat -= timedelta(days=7)
            value = _iso_week(sat) + "-WE"
        out.append(_Cand(s, e, value, "DATE", 6))


def _quarters(text: str, anchor: date | None, out: list[_Cand]) -> None:
    """"the third quarter", "fourth-quarter", "Q2 2023": ``YYYY-Qn``; the year defaults to the latest
    such quarter that has begun by the anchor."""
    for m, s, e in _iter(_QUARTER, text):
        if m["ord"]:
            n = {"f": 1, "s": 2, "t": 3, "1": 1, "2": 2, "3": 3, "4": 4}[m["ord"][0].casefold()]
            if m["ord"].casefold().startswith("fo"):
                n = 4
            year = m["year"]
        else:
            n = int(m["qn"])
            year = m["year2"]
        if year:
            value: str | None = f"{int(year):04d}-Q{n}"
        elif anchor is not None:
            current = (anchor.month - 1) // 3 + 1
            value = f"{anchor.year if n <= current else anchor.year - 1:04d}-Q{n}"
        else:
            value = None
        out.append(_Cand(s, e, value, "DATE", 3))


def _durations(text: str, out: list[_Cand]) -> None:
    for m, s, e in _iter(_DURATION, text):
        n_text = m["n"]
        unit = m["unit"].casefold()
        plural = unit.endswith("s")
        base = "century" if unit.startswith("centur") else unit.rstrip("s")
        low = n_text.casefold()
        if low in ("a", "an") and (plural or (not m["prep"] and not m["long"])):
            continue  # "once a year", "a day's pay", "a decades-long career"
        if not plural and not m["long"] and low not in ("a", "an", "one", "1") and "-" not in text[s:e]:
            continue
        if m["long"] == "-old" and low in ("a", "an"):
            continue
        if any(low.startswith(v) for v in _VAGUE):
            n_str = "X"
        else:
            n = _number(n_text)
            if n is None:
                continue
            if base == "decade":
                n, base = n * 10, "year"  # "two decades" -> P20Y, as TimeBank writes it
            n_str = _fmt_num(n)
        t, code = _UNIT_CODES[base]
        out.append(_Cand(s, e, f"P{t}{n_str}{code}", "DURATION", 7))
    for m, s, e in _iter(_VAGUE_DURATION, text):
        unit = (m["unit"] or m["unit2"]).casefold()
        base = "century" if unit.startswith("centur") else unit.rstrip("s")
        t, code = _UNIT_CODES[base]
        out.append(_Cand(s, e, f"P{t}X{code}", "DURATION", 8))


def _times(text: str, out: list[_Cand]) -> None:
    for m, s, e in _iter(_TIME, text):
        if m["word"]:
            hh, mi = (12, 0) if m["word"].casefold() == "noon" else (0, 0)
        else:
            hh = int(m["h"])
            mi = int(m["mi"] or 0)
            if not 1 <= hh <= 12:
                continue
            pm = m["ap"][0] in "pP"
            hh = (hh % 12) + (12 if pm else 0)
        out.append(_Cand(s, e, f"T{hh:02d}:{mi:02d}", "TIME", 2))


def _sets(text: str, out: list[_Cand]) -> None:
    for m, s, e in _iter(_SET, text):
        if m["adv"]:
            value = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y"}[m["adv"]]
        elif m["wd"]:
            value = f"XXXX-WXX-{WEEKDAYS[m['wd'].casefold()] + 1}"
        else:
            unit = m["unit"].casefold()
            value = {"day": "P1D", "week": "P1W", "month": "P1M", "year": "P1Y"}.get(unit, f"T{_PART_CODES.get(unit, 'DT')}")
        out.append(_Cand(s, e, value, "SET", 6))


# ---------------------------------------------------------------- assembly


# Reporting periods: "the quarter", "the latest quarter", "the latest period"; and the same period
# a year before: "a year earlier", "year-earlier", "the year-ago quarter".
_PERIOD = _c(
    r"(?<![\w-])(?:(?P<now>[Tt]he\s+(?:(?P<which>latest|most\s+recent|current)\s+(?:fiscal\s+)?(?:quarter|period)|"
    r"(?:fiscal\s+)?quarter))"
    r"|(?P<before>[Aa]\s+year\s+(?:earlier|before|(?P<ago>ago))|(?:[Tt]he\s+)?year-(?:earlier|ago)"
    r"(?P<noun>\s+(?:quarter|period))?)"
    r"|(?P<dated>[Tt]he\s+(?P<yr>(?:19|20)\d\d)\s+(?:(?:fiscal\s+)?(?P<ord>first|second|third|fourth)\s+)?"
    r"(?:quarter|period)))"
    r"(?![\w-])"
)
_QUARTER_VALUE = re.compile(r"(\d{4})-Q([1-4])$")


def _periods(text: str, anchor: date | None, cands: list[_Cand]) -> None:
    """Values of reporting-period phrases. "the latest quarter" is the last quarter completed by the
    anchor, "the current quarter" the anchor's; "the quarter" the quarter the text last named (else
    the latest); "a year earlier" and "the year-ago quarter" that quarter a year before, the bare
    modifier "year-earlier" its year a year before (a year before the anchor's year when the text
    names no quarter); "a year ago" too, once the text has named a quarter."""
    named = sorted((c.start, m) for c in cands if c.value and (m := _QUARTER_VALUE.match(c.value)))
    latest: tuple[int, int] | None = None
    if anchor is not None:
        done = (anchor.month - 1) // 3
        latest = (anchor.year, done) if done else (anchor.year - 1, 4)
    for m in _PERIOD.finditer(text):
        before = [(int(q.group(1)), int(q.group(2))) for start, q in named if start < m.start()]
        if m["ago"] and not before:
            continue  # "a year ago" without a quarter in view: a year before the anchor (_relative)
        ref = before[-1] if before else latest
        value: str | None = None
        if m["dated"]:
            # "the 1988 third quarter"; "the 1988 quarter": the quarter in view, in that year
            n = ("first", "second", "third", "fourth").index(m["ord"].casefold()) + 1 if m["ord"] else (ref[1] if ref else 0)
            value = f"{int(m['yr']):04d}-Q{n}" if n else m["yr"]
            cands.append(_Cand(m.start(), m.end(), value, "DATE", 0))
            continue
        if m["now"]:
            which = (m["which"] or "").casefold()
            if which == "current" and anchor is not None:
                value = f"{anchor.year:04d}-Q{(anchor.month - 1) // 3 + 1}"
            elif which and latest is not None:
                value = f"{latest[0]:04d}-Q{latest[1]}"
            elif ref is not None:
                value = f"{ref[0]:04d}-Q{ref[1]}"
        elif ref is not None:
            quarterly = bool(m["noun"]) or (m.group().casefold().startswith("a") and bool(before))
            value = f"{ref[0] - 1:04d}-Q{ref[1]}" if quarterly else f"{ref[0] - 1:04d}"
        cands.append(_Cand(m.start(), m.end(), value, "DATE", 0 if m["ago"] else 8))


# Words that point at the present, past or future without a date: TimeML's reference values.
_REFERENCE = _c(
    r"(?<![\w-])(?:(?P<present>now(?!\s+that\b)|Now(?![,\s]+(?:that|for|then|and|but)\b)|[Cc]urrently|"
    r"[Aa]t\s+present|these\s+days|nowadays)"
    r"|(?P<past>[Rr]ecently|the\s+past(?!\s+(?:[\w-]+\s+)?(?:days?|weeks?|months?|years?|decades?|centur(?:y|ies)|"
    r"summers?|winters?|springs?|autumns?|seasons?|quarters?|hours?|weekends?)\b))"
    r"|(?P<future>the\s+(?:near\s+|distant\s+)?future))(?![\w-])"
)


def _references(text: str, out: list[_Cand]) -> None:
    """"now", "currently", "recently", "the past", "the future": ``PRESENT_REF``,
    ``PAST_REF``, ``FUTURE_REF`` (no calendar value; longer expressions such as "the past week" win)."""
    for m in _REFERENCE.finditer(text):
        kind = "PRESENT" if m["present"] else "PAST" if m["past"] else "FUTURE"
        out.append(_Cand(m.start(), m.end(), f"{kind}_REF", "DATE", 9))


def _select(cands: list[_Cand], size: int) -> list[_Cand]:
    """Non-overlapping candidates, longest first (then by priority)."""
    cover = bytearray(size)
    chosen: list[_Cand] = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.priority, c.start)):
        if cover.find(b"\x01", c.start, c.end) != -1:
            continue
        chosen.append(c)
        cover[c.start : c.end] = b"\x01" * (c.end - c.start)
    return sorted(chosen, key=lambda c: c.start)


_JOIN_DATE_TIME = re.compile(r"^(?:,?\s*(?:at|around|about|by|shortly\s+(?:before|after))?\s*|\s*,\s*)$")
_JOIN_TIME_DATE = re.compile(r"^(?:\s*,?\s*(?:on\s+)?|\s*)$")


def _attach_times(text: str, cands: list[_Cand], anchor: date | None) -> list[_Cand]:
    """Give times their day: merge "Monday at 8 p.m." into one mention, else borrow a nearby date."""
    out: list[_Cand] = []
    i = 0
    while i < len(cands):
        c = cands[i]
        nxt = cands[i + 1] if i + 1 < len(cands) else None
        if (
            nxt is not None
            and {c.kind, nxt.kind} == {"DATE", "TIME"}
            and (c.value or "T").startswith("T") != (nxt.value or "T").startswith("T")
        ):
            date_c, time_c = (c, nxt) if c.kind == "DATE" else (nxt, c)
            gap = text[c.end : nxt.start]
            join = _JOIN_DATE_TIME if c.kind == "DATE" else _JOIN_TIME_DATE
            if (
                join.match(gap)
                and "\n" not in gap
                and time_c.value is not None
                and date_c.value is not None
                and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date_c.value)
            ):
                out.append(_Cand(c.start, nxt.end, date_c.value + time_c.value, "TIME", 0))
                i += 2
                continue
        out.append(c)
        i += 1
    result: list[_Cand] = []
    for k, c in enumerate(out):
        if c.kind == "TIME" and c.value is not None and c.value.startswith("T"):
            day = _day_for_time(text, out, k, anchor)
            c = _Cand(c.start, c.end, day + c.value if day else None, "TIME", c.priority)
        result.append(c)
    return result


def _day_for_time(text: str, cands: list[_Cand], k: int, anchor: date | None) -> str | None:
    c = cands[k]
    lo, hi = _sentence_bounds(text, c.start)
    days = [
        d for d in cands
        if d is not c and d.value and re.match(r"\d{4}-\d{2}-\d{2}", d.value) and d.kind in ("DATE", "TIME")
    ]
    same = [d for d in days if lo <= d.start < hi]
    if same:
        best = min(same, key=lambda d: abs(d.start - c.start))
        return (best.value or "")[:10]
    para_lo = text.rfind("\n", 0, c.start) + 1
    before = [d for d in days if para_lo <= d.start < c.start]
    if before:
        return (before[-1].value or "")[:10]
    return anchor.isoformat() if anchor else None


def extract_dates(text: str, article_id: str, anchor: str | None) -> list[DateMention]:
    """Temporal expressions in ``text`` with their values resolved against ``anchor`` (ISO date)."""
    if not text:
        return []
    a = parse_anchor(anchor)
    cands: list[_Cand] = []
    _full_dates(text, a, cands)
    _months_years(text, a, cands)
    _weekdays(text, a, cands)
    _relative(text, a, cands)
    _quarters(text, a, cands)
    _durations(text, cands)
    _times(text, cands)
    _sets(text, cands)
    _periods(text, a, cands)
    _references(text, cands)
    chosen = _attach_times(text, _select(cands, len(text)), a)
    mentions: list[DateMention] = []
    for c in chosen:
        s, e = c.start, c.end
        while e > s and text[e - 1] in " ,\t":
            e -= 1
        if e <= s:
            continue
        mentions.append(DateMention(article_id, s, e, text[s:e], c.value, c.kind))
    return mentions


def infer_anchor(text: str) -> str | None:
    """The latest full date (with a year) written in ``text``, as ``YYYY-MM-DD``; ``None`` if none."""
    cands: list[_Cand] = []
    _full_dates(text, None, cands)
    days = [
        c.value[:10] for c in cands
        if c.value and re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2})?", c.value)
    ]
    return max(days) if days else None
