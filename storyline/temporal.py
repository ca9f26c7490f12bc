"""Temporal expressions in news text: find them and resolve them to calendar values.

Rule-based and fast (compiled regular expressions, no parser). Values follow
CONTRACT.md section 2 and TimeML habits:

- calendar dates at the precision written: ``2024-03-04``, ``2024-03``, ``2024``;
  a decade is ``199`` ("the 1990s"), a season ``2024-SU``, a week ``2024-W09``,
  a weekend ``2024-W09-WE``;
- times ``2024-03-04T12:32`` (kind ``TIME``); a time whose day is unknown has
  value ``None``; a part of a day named from the anchor ("this morning", "last
  night", "yesterday afternoon") keeps TimeML's suffix: ``2024-03-04TMO``, ``...TNI``
  (a weekday with its part, "Friday night", stays the day);
- durations ``P2W``, ``P3D``, ``PT8M``; vague ones ``PXW`` ("for weeks",
  "decades-long") (kind ``DURATION``);
- sets ``P1W`` ("weekly"), ``XXXX-WXX-1`` ("every Monday"), ``XXXX-07`` ("each July"),
  ``P1Q`` ("every quarter") (kind ``SET``);
- ``PRESENT_REF``, ``PAST_REF``, ``FUTURE_REF`` for "now", "recently", "the future" and the
  like (kind ``DATE``, no calendar value: consumers that need a day skip them).

Relative expressions ("Monday", "yesterday", "last month", "March 4" without a
year) are resolved against ``anchor``, the publication date. Without an anchor
their value is ``None``; :func:`infer_anchor` gives the latest full date
written in the text, which a caller may use as the anchor instead.

"the year", "the fiscal year" and "earlier in the year" are the anchor's year; "that year",
"later that year", "the following year" and "the previous year" count from the year the text
last named before them.

Conventions for relative weekdays: a bare weekday ("Monday", "late Monday",
"Monday night", "on Tuesday") means the nearest such day on or before the
anchor (the anchor's own weekday is the anchor date), unless the verb
nearest to it in its clause (else in the sentence before it) speaks of the
future ("will", "is expected to", "set to", "as early as", "postponed
until", ...), in which case it is the nearest such day on or after the
anchor; a possessive ("Saturday's ruling") ignores a mere "would". A month,
a day of a month or a season without a year follows the same tense: the
latest one in a past clause ("was shot on Oct. 23"), the next one in a
future clause, else the nearest one; a day set for a later act ("payable
Dec. 15") or the end of a state ("through January") takes the nearest. "last Friday" is
strictly before the anchor, "next Wednesday" strictly after, "this Friday"
the one in the anchor's ISO week. A weekday written with an explicit date
("late Monday, March 4") is one mention whose value is the explicit date; a
missing year is the one nearest the anchor, preferring a year in which the
weekday matches. Qualifiers ("late", "early", "mid-", "the end of") are part
of the span and do not change the value. Extents follow TimeML's annotation: a
duration keeps its article, ordering word and approximation ("the past three
months", "the first nine months", "nearly two years", "more than four hours",
"the next year or so"), but not "about", "over" or "within"; a decade keeps its
article ("the early 1980s"), a fiscal year its word ("fiscal 1989"); an ordinal
quarter used as a modifier leaves the article out ("the third-quarter loss").
"The following month", "the next morning", "earlier that day" count from the
date the text last named (the anchor when none). Ages ("a 6-year-old", "52 years
old") are not durations and give no mention. Prepositions ("on", "in", "by") are
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
_VAGUE = ("several", "many", "a few", "few")

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
    r"(?:\d+(?:\.\d+|\s+1/2)?|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|hundred|a|an)"
)
_NUMW_CAP = _NUMW.replace("(?:one|two", "(?:[Oo]ne|[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Ss]even|[Ee]ight|[Nn]ine|[Tt]en|one|two")
_UNIT = r"(?P<unit>seconds?|minutes?|hours?|days?|weeks?|months?|quarters|years?|decades?|century|centuries)"
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
# "June last year", "early October this year", "March 3 next year": the year is the relative one.
_MONTH_REL_YEAR = _c(
    rf"(?<![\w-])(?P<core>{_QUAL}{_MON}(?:\s*{_DAY})?,?\s+(?P<rel>[Tt]his|[Ll]ast|[Nn]ext)\s+year)(?![\w'’-])"
)
# Years said in words, as broadcast transcripts write them: "nineteen ninety-six", "the year two thousand".
_UNITS_W = r"one|two|three|four|five|six|seven|eight|nine"
_TEENS_W = r"ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS_W = r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_SAID_YEAR = (
    rf"(?P<sy>(?P<cen>[Ee]ighteen|[Nn]ineteen)[\s-](?:(?P<tens>{_TENS_W})(?:[\s-](?P<unit1>{_UNITS_W}))?"
    rf"|(?P<teen>{_TEENS_W})|(?P<hundred>hundred)|oh[\s-](?P<oh>{_UNITS_W}))"
    rf"|(?P<k2>[Tt]wo\s+thousand)(?:\s+(?:and\s+)?(?:(?P<unit2>{_UNITS_W})|(?P<teen2>{_TEENS_W})))?)(?![\w-])"
)
_SAID_YEAR_RE = _c(
    rf"(?<![\w-])(?P<core>(?:(?P<mon2>{_MONTH_FULL})\s+|(?:[Tt]he\s+)?(?P<season>spring|summer|fall|autumn|winter)\s+(?:of\s+)?"
    rf"|(?:[Tt]he\s+)?year\s+)?{_SAID_YEAR})"
)
_SAID_PREP = re.compile(r"\b(?:in|since|until|by|from|of|before|after|through|during|year)\s+$", _F)


def _said_year(m: re.Match[str]) -> int | None:
    words = {w: i for i, w in enumerate(_UNITS_W.split("|"), 1)}
    teens = {w: i for i, w in enumerate(_TEENS_W.split("|"), 10)}
    tens = {w: i * 10 for i, w in enumerate(_TENS_W.split("|"), 2)}
    if m["k2"]:
        return 2000 + (words.get((m["unit2"] or "").casefold(), 0) or teens.get((m["teen2"] or "").casefold(), 0))
    base = 1800 if m["cen"].casefold() == "eighteen" else 1900
    if m["tens"]:
        return base + tens[m["tens"].casefold()] + words.get((m["unit1"] or "").casefold(), 0)
    if m["teen"]:
        return base + teens[m["teen"].casefold()]
    if m["oh"]:
        return base + words[m["oh"].casefold()]
    return base


_MAY_MODAL = r"(?!(?<=May)\s+(?:be|have|not|also|well|never|soon|still|need|or|and)\b)"
_BARE_MONTH_PREP = _c(
    rf"(?P<prep>\b(?:[Ii]n|[Ss]ince|[Uu]ntil|[Tt]ill|[Bb]y|[Tt]hrough|[Ff]rom|[Dd]uring|[Bb]efore|[Aa]fter|[Oo]f|"
    rf"[Ss]tarting|[Bb]eginning|[Ee]nding|[Ff]or)\s+)(?P<core>{_QUAL}{_MON}){_MAY_MODAL}"
)
# A month that names a time of something: "December's figures", "a June agreement", "the October vote".
_BARE_MONTH_POSS = _c(rf"(?<![\w-])(?P<core>(?P<mon>{_MONTH_FULL}))(?=['’]s\s+[a-z])")
_BARE_MONTH_ATTR = _c(
    rf"\b(?:[Tt]he|[Aa]n?|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir|[Oo]ur)\s+(?P<core>{_MON})"
    rf"(?=\s+(?!(?:for|of|and|or|to|in|on|at|by|with|from|is|was|will|be|the|a)\b)[a-z]{{3,}}\b)"
)
_BARE_MONTH_REL = _c(
    rf"(?<![\w-])(?P<core>(?:(?P<rel>[Ll]ast|[Nn]ext|[Tt]his)\s+|(?P<qual>(?:[Ee]arly|[Ll]ate|[Mm]id)(?:-|\s+)|[Mm]id-?|"
    rf"(?:[Tt]he\s+)?(?:end|start|beginning|middle)\s+of\s+)){_MON}){_MAY_MODAL}"
)
_YEAR_ONLY = _c(
    rf"(?P<prep>\b(?:[Ii]n|[Ss]ince|[Uu]ntil|[Bb]y|[Tt]hrough|[Ff]rom|[Dd]uring|[Bb]efore|[Aa]fter|[Oo]f|[Ff]or|"
    rf"[Tt]he|[Ff]iscal|[Ee]lection|[Cc]lass\s+of)\s+)?(?<![\w$€£¥#.,:/-])(?P<core>{_QUAL}{_YEAR})(?![\w'’-])"
)
# "the 1990s", "the early 1980s", "mid-1990s": TimeML's extent keeps the article and the qualifier.
_DECADE_QUAL = r"(?:[Tt]he\s+(?:(?:early|late|mid)(?:\s+|-))?|(?:[Ee]arly|[Ll]ate)\s+|[Mm]id(?:-|\s+))"
_DECADE = _c(rf"(?=[TtEeLlMm])(?<![\w-])(?P<core>{_DECADE_QUAL}(?P<dec>1[0-9]{{2}}|20[0-9])0s)(?![\w'’])")
# "the nineties", "the '80s": a decade of the 1900s.
_DECADE_WORD = _c(
    rf"(?=[TtEeLlMm])(?<![\w-])(?P<core>{_DECADE_QUAL}(?:(?P<word>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)"
    r"|['’](?P<dig>[2-9])0s))(?![\w'’])"
)
# "the summer", "over the winter", "the early spring": a season without a year.
_SEASON_BARE = _c(
    r"\b(?:[Ii]n|[Oo]ver|[Dd]uring|[Tt]hrough|[Ii]nto|[Uu]ntil|[Bb]y|[Ss]ince|[Oo]f|[Aa]fter|[Bb]efore)\s+"
    r"(?P<core>the\s+(?:(?P<qual>early|late|mid-?)\s*)?(?P<season>spring|summer|fall|autumn|winter))(?![\w'’-])"
)
_CENTURY = _c(r"(?<![\w-])(?P<core>(?:[Tt]he\s+)?(?P<n>[1-9]|1[0-9]|2[01])(?:st|nd|rd|th)[\s-]century)(?![\w'’-])")
# The end of the year and the business year: "by year-end", "by the end of the year", "the full year";
# "for the year ended Sept. 30" is the twelve months up to that day.
_YEAR_END = _c(
    r"(?<![\w-])(?P<core>(?:[Tt]he\s+)?(?:year[\s-]end|year['’]s\s+end|end\s+of\s+the\s+year)|[Tt]he\s+full\s+year)(?![\w-])"
)
# "the year", "the fiscal year", "earlier in the year": the anchor's year; "that year", "later that year",
# "the following year", "the previous year": the year the text last named (a year before or after it).
_THE_YEAR = _c(
    r"(?<![\w-])(?P<core>(?:(?P<qual>[Ee]arlier|[Ll]ater)\s+(?:in\s+)?)?(?:(?P<that>[Tt]hat)|[Tt]he"
    r"(?:\s+(?P<rel>following|previous|preceding|same))?)\s+(?:fiscal\s+)?year)(?![\w'’-])"
    r"(?!\s+(?:\d|end(?:ed|ing)?\b|earlier|ago|before|after|later|two\s+thousand|nineteen|eighteen))"
)
_YEAR_ENDED = _c(r"(?<![\w-])(?P<core>[Tt]he\s+(?:fiscal\s+)?year)\s+end(?:ed|ing)\b")
_SEASON_YEAR = _c(
    rf"(?<![\w-])(?P<core>{_QUAL}(?P<season>[Ss]pring|[Ss]ummer|[Ff]all|[Aa]utumn|[Ww]inter)(?:\s+of)?,?\s+{_YEAR})"
)
_WEEKDAY = _c(
    rf"(?=[LlNnTtPpCcEeMWFS])(?<![\w-])(?P<core>(?:(?:[Tt]he\s+(?=(?:[Pp]revious|[Cc]oming|[Pp]ast)\s)|[Tt]his\s+(?=(?:[Pp]ast|[Cc]oming)\s))?"
    rf"(?P<rel>[Ll]ast|[Nn]ext|[Tt]his|[Pp]ast|[Cc]oming|[Pp]revious)\s+)?"
    rf"(?:(?P<qual>[Ee]arly|[Ll]ate)\s+)?{_WD}{_PART})"
)
_RELDAY = _c(
    r"(?<![\w-])(?P<core>(?:(?P<qual>early|late|earlier|later)\s+)?"
    r"(?P<word>today|tonight|yesterday|tomorrow|this\s+(?:morning|afternoon|evening)|last\s+night)"
    r"(?:\s+(?P<part>morning|afternoon|evening|night))?)(?![\w-])",
    _F,
)
_AGO = _c(rf"{_NOT_NUM_BEFORE}(?P<core>(?P<n>{_NUMW_CAP}|An?)[\s-]{_UNIT}(?:\s+or\s+so)?\s+ago)(?![\w-])")
_RELPERIOD = _c(
    r"(?=[tlnpcem])(?<![\w-])(?P<core>(?:the\s+(?=(?:last|next|coming|past|current)\s)|this\s+(?=(?:past|coming)\s))?"
    r"(?:(?P<qual>early|late|earlier|later|mid-?)\s*)?"
    r"(?P<rel>this|last|next|previous|coming|past|current)\s+(?:fiscal\s+)?"
    r"(?P<unit>week|weekend|month|year|decade|spring|summer|fall|autumn|winter)(?:\s+or\s+so)?)(?![\w-])",
    _F,
)
_WEEKEND = _c(r"(?<![\w-])(?:over|during|on|at|this|last|past)\s+(?P<core>the\s+weekend)(?![\w-])", _F)
_DURATION = _c(
    rf"(?P<prep>\b(?:for|within|over|in|after|about|around|nearly|almost|than|just|only|lasting|last|past|first|"
    rf"next|least)\s+)?{_NOT_NUM_BEFORE}(?P<core>(?P<n>{_NUMW_CAP}|An?(?=\s)|(?:[Ss]everal|[Mm]any|[Aa]\s+few|(?<=next\s|past\s|last\s)few|(?:a\s+)?couple\s+of))"
    rf"(?P<more>\s+(?:more|additional|further|extra))?[\s-]{_UNIT}(?P<long>-long|-old)?(?:\s+or\s+so\b)?)(?![\w-])"
)
# Words TimeML keeps in a duration's extent: the article and the ordering word ("the past three months",
# "the first nine months", "the next few days") and an approximation ("nearly two years", "more than four
# hours", "at least the past 18 months"); not "about", "over", "within" (prepositions in most annotation).
_DURATION_LEAD = re.compile(
    r"(?:(?<![\w-])(?:[Nn]early|[Aa]lmost|[Mm]ore\s+than|[Ll]ess\s+than|[Ff]ewer\s+than|[Aa]t\s+least|[Aa]t\s+most|"
    r"[Nn]o\s+(?:more|less)\s+than|[Uu]p\s+to|[Rr]oughly|[Aa]pproximately)\s+)?"
    r"(?:(?<![\w-])[Tt]he\s+(?:(?:past|last|next|first|final|latest|previous|coming|remaining|initial|following|"
    r"preceding|entire|whole)\s+)?"
    r"|(?:(?<=its\s)|(?<=his\s)|(?<=her\s)|(?<=their\s)|(?<=our\s))(?:first|last|next|past|final)\s+"
    r"|(?<![\w-])(?:[Pp]ast|[Nn]ext)\s+)?$"
)
_APPROX_LEAD = re.compile(
    r"(?<![\w-])(?:[Nn]early|[Aa]lmost|[Mm]ore\s+than|[Ll]ess\s+than|[Aa]t\s+least|[Rr]oughly|[Aa]pproximately)\s+$"
)


def _lead_start(pattern: re.Pattern[str], text: str, s: int) -> int:
    """Where a mention starting at ``s`` starts once the words ``pattern`` allows before it are included."""
    m = pattern.search(text, max(0, s - 48), s)
    # "$" also matches before a final newline: a match of only that newline adds nothing
    return m.start() if m and not text[m.start() : s].isspace() else s


_VAGUE_DURATION = _c(
    r"(?:(?P<prep>\b(?:[Ff]or|[Aa]fter|[Oo]ver|[Ww]ithin|[Ii]n(?=\s+recent\s)|[Ff]or\s+many|[Ff]or\s+several)\s+)"
    r"(?P<core>(?:(?<=[Ii]n\s)recent\s+|several\s+|many\s+|a\s+few\s+)?(?P<unit>days|weeks|months|quarters|years|decades|centuries)(?:-long)?)"
    r"|(?P<core2>(?P<unit2>days|weeks|months|years|decades)-long)"
    # "in the coming weeks", "in coming months", "the years ahead", "the months to come": some stretch ahead
    r"|(?P<core3>(?<![\w-])(?:[Tt]he\s+)?coming\s+(?P<unit3>days|weeks|months|quarters|years|decades)"
    r"|[Tt]he\s+(?P<unit4>days|weeks|months|years|decades)\s+(?:ahead|to\s+come)))(?![\w-])"
)
_TIME = _c(
    r"(?<![\w$€£:.,-])(?P<core>(?P<h>[01]?\d)(?::(?P<mi>[0-5]\d))?\s*"
    r"(?P<ap>[ap]\.m\.|[ap]\.m(?![\w.])|[ap]m(?![\w.])|[AP]M(?![\w.]))"
    r"(?:\s+(?P<tz>ET|EST|EDT|CT|CST|CDT|MT|MST|MDT|PT|PST|PDT|GMT|UTC|BST|CET))?(?![\w-])"
    r"|(?P<word>noon|midnight)(?![\w-]))"
)
# Clock words and parts of a day without a clock: "4 in the morning", "mid-afternoon", "midday"; the day
# comes from the text around them (_attach_times). Found from the part's word (a fast literal scan), then
# the words before it. A bare "in the morning" is left out: often a habit ("she runs in the morning").
_DAYPART_WORD = _c(r"(?:morning|afternoon|evening|midday)(?![\w-])")
_DAYPART_LEFT = _c(
    r"(?:(?<![\w$€£:.,-])(?P<h>[1-9]|1[0-2]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
    r"(?:o['’]clock\s+)?in\s+the\s+|(?<![\w-])(?P<mid>[Mm]id-?\s*))$"
)
_SET = _c(
    rf"(?=[EeDdWwMmAaYyHh])(?<![\w-])(?P<core>(?:[Ee]very|[Ee]ach)\s+(?:(?P<unit>hour|day|week|month|quarter|year|morning|afternoon|night|evening)"
    rf"|(?P<season>spring|summer|fall|autumn|winter)|(?P<mon>{_MONTH_FULL})|{_WD}"
    r"|(?P<n>two|three|four|five|six|ten|[2-9]|1[0-9])\s+(?P<units>hours|days|weeks|months|years))"
    r"|(?P<adv>hourly|daily|weekly|monthly|annually|yearly))(?![\w-])"
)

_QUARTER = _c(
    rf"(?<![\w-])(?P<core>(?:[Tt]he\s+)?(?:(?P<rel>latest|last|current|next|previous|past|fiscal)\s+)?"
    rf"(?:(?P<ord>[Ff]irst|[Ss]econd|[Tt]hird|[Ff]ourth|1st|2nd|3rd|4th)[\s-]quarter(?:\s+of\s+{_YEAR})?"
    rf"|Q(?P<qn>[1-4])(?:\s+{_YEAR.replace('year', 'year2')})?))(?![\w-])"
)

# A clause speaking of the future.
_FUTURE = re.compile(
    r"\b(?:(?:will|won't|shall|would|'ll|’ll)(?:\s+(?:not|also|still|likely|probably|then|now))?"
    r"(?:\s+(?:be|have)(?:\s+been)?)?(?:\s+[a-z]+(?=\s))?|"
    r"(?<!been\s)(?:is|are|was|were)\s+(?:expected|scheduled|set|due|slated|poised|going)\s+to|"
    r"(?<!been\s)(?:is|are|was|were)\s+(?:expected|scheduled|due|set|slated)\b|"
    r"(?:is|are)\s+to\s+[a-z]+|(?<!been\s)(?:expected|scheduled|due|set|slated|poised)\s+to|"
    r"(?<!been\s)(?:(?:planned|scheduled|slated|expected)\s+(?:for|on)|set\s+for)|(?<!been\s)scheduled|"
    r"plans?\s+to|planning\s+to|intends?\s+to|intended\s+to|upcoming|next(?!\s+to\b)|hopes?\s+to|aims?\s+to|expects?\s+to|"
    r"as\s+(?:soon|early)\s+as|(?:postponed|delayed|adjourned|deferred|put\s+off|extended)\s+(?:\w+\s+)?(?:until|till))\b",
    _F,
)
# A verb in the past tense (or present perfect): the mention most likely lies before the anchor.
_PAST = re.compile(
    r"(?<![\w'’-])(?:was|were|had|did|said|told|went|came|took|made|began|rose|fell|met|left|gave|got|held|won|"
    r"lost|saw|found|sent|spent|paid|sold|bought|brought|thought|kept|led|ran|wrote|spoke|became|struck|shot|"
    r"broke|fled|flew|drove|chose|stood|sat|hit|quit|cut|set|put|hung|arose|swore|withdrew|overtook|"
    r"(?:has|have)\s+(?:not\s+)?(?:been|[a-z]+ed|[a-z]+en)|[a-z]{2,}[^e\W]ed|[a-z]{2,}ied|[a-z]{2,}[^e\W]eed)(?![\w'’-])"
)
# An intention told in the past ("planned to leave on Thursday"): the day after it is the later act's;
# a day before it ("On Friday, the government planned to pay") is when the plan stood.
_PLANNED_TO = re.compile(r"(?<!had\s)(?<!been\s)\b(?:planned|intended|hoped|wanted|prepared)\s+to\s+(?!have\b)[a-z]+", _F)
# The present progressive ("is calling for a vote on Dec. 7"): neither past nor future; the nearest date.
_PRESENT = re.compile(r"\b(?:is|are|am)\s+(?:now\s+|still\s+)?[a-z]{2,}ing\b(?!\s+to\b)", _F)
# Words before a participle that make it no past tense ("is closed", "to be held", "could have") or an
# adjective ("the reduced dividend", "a still unspecified date").
_NOT_PAST = re.compile(
    r"\b(?:is|are|am|be|being|to|will|would|shall|could|can|may|might|must|should|a|an|the|its|his|her|their|"
    r"our|this|that|these|those|still|newly|recently|previously|already|once|yet)\s+(?:not\s+)?(?:\w+ly\s+)?$",
    _F,
)
# An end point ("until Tuesday", "through January") outlasts a past act: the clause's past tense says nothing.
_UNTIL = re.compile(r"\b(?:until|till|through|thru|by)\s+(?:the\s+)?$", _F)
# An hour written just before a day ("until 9 a.m. EST Tuesday", "at noon Saturday").
_CLOCK_BEFORE = re.compile(
    r"(?<![\w:.])(?:noon|midnight|[01]?\d(?::[0-5]\d)?\s*[ap]\.?m\.?)\s+(?:[A-Z]{2,3}\s+)?$", _F
)
# A day set for a later act: "payable Dec. 15", "effective Feb. 1".
_DUE = re.compile(r"\b(?:payable|effective|starting|beginning|due)\s+(?:on\s+)?$", _F)
# A deadline moved to the mention: "extended to Nov. 20", "postponed until Tuesday".
_MOVED_TO = re.compile(
    r"\b(?:extended|postponed|delayed|moved|pushed\s+back|put\s+off|adjourned|deferred)\s+(?:\w+\s+){0,2}?(?:to|until|till)\s+$",
    _F,
)
_PAST_SPEECH = re.compile(
    r"\b(?:said|announced|told|reported|confirmed|revealed|wrote|tweeted|posted|stated|declared|added)\s+(?:on\s+)?$",
    _F,
)
_CLAUSE_BREAK = re.compile(r"[;:—–()\"“”]|,(?!\d)|\band\b|\bbut\b|\bwhile\b|\bwhen\b|(?<=[.!?])\s")
_LEAD_PREP = re.compile(
    r"^\s*(?:[Oo]n|[Bb]y|[Uu]ntil|[Ss]tarting|[Bb]eginning|[Ff]rom|[Ll]ate|[Ee]arly|[Ss]ince|[Aa]s\s+of|[Ii]n|[Dd]uring|"
    r"[Aa]fter|[Bb]efore|[Tt]hrough)?\s*$"
)
# The end of the main clause after a clause-initial date: not an "and" inside a name ("the National
# Abortion and Reproductive Rights League plans to ...") nor the period of an abbreviation ("Roe vs. Wade").
# (The sentence bounds the search already, so a period inside it ends no clause.)
_LEAD_CLAUSE_END = re.compile(r"[;!?]|,?\s+and\s+(?=[a-z])|\bbut\b")
_SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_UNIT_CODES = {
    "second": ("T", "S"), "minute": ("T", "M"), "hour": ("T", "H"), "day": ("", "D"), "week": ("", "W"),
    "month": ("", "M"), "quarter": ("", "Q"), "year": ("", "Y"), "decade": ("", "DE"), "century": ("", "CE"), "centurie": ("", "CE"),
}
# A fraction of a unit written in the next smaller one (TimeML's habit): per unit, how many and the code.
_SMALLER_UNIT = {"year": (12, "M"), "day": (24, "H"), "hour": (60, "M"), "minute": (60, "S")}
_PART_CODES = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI"}


def _part_code(part: str | None) -> str:
    """TimeML's part-of-day suffix of a day value: "Friday morning" is ``YYYY-MM-DDTMO``, "last night" ``...TNI``."""
    return f"T{_PART_CODES[part.casefold()]}" if part else ""


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
    if t.endswith(" 1/2") and t[:-4].isdigit():
        return int(t[:-4]) + 0.5  # "2 1/2"
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
        m3 = _LEAD_CLAUSE_END.search(after)
        if m3:
            right = after[: m3.start()]
    return left, right


def _tense(text: str, start: int, end: int, *, weak_future: bool = True) -> str | None:
    """``"future"``, ``"past"`` or ``None``: the tense of the verb nearest the mention in its clause
    ("will meet on Tuesday", "met on Tuesday"), else in the sentence before it ("stepped down as
    chairman, president and chief executive in March"). ``weak_future=False`` ignores "would" (a
    possessive "Tuesday's ruling" in "said they would appeal Tuesday's ruling" names a past day)."""
    clock = _CLOCK_BEFORE.search(text, max(0, start - 24), start)
    lead = clock.start() if clock else start  # "until 9 a.m. Tuesday": the words before the hour
    if _PAST_SPEECH.search(text[max(0, lead - 30) : lead]):
        return "past"
    if _MOVED_TO.search(text[max(0, lead - 60) : lead]):
        return "future"
    ends_state = bool(_UNTIL.search(text[max(0, lead - 20) : lead]))
    if _DUE.search(text[max(0, lead - 20) : lead]):
        return None
    left, right = _clause(text, start, end)
    best: tuple[int, str] | None = None
    reported = prospective = False
    chunks = [("l", left), ("r", right)]
    s_lo = _sentence_bounds(text, start)[0]
    wider = text[s_lo:start]
    if len(wider) > len(left):
        chunks.append(("l", wider))
    for k, (side, chunk) in enumerate(chunks):
        if k == 2 and best is not None:
            break  # the clause told the tense
        futures = [
            (m.start(), m.end()) for m in _FUTURE.finditer(chunk)
            if weak_future or not m.group().casefold().startswith("would")
        ]
        if side == "l":
            futures += [(m.start(), m.end()) for m in _PLANNED_TO.finditer(chunk)]
        for a, b in futures:
            dist = len(chunk) - b if side == "l" else a
            if best is None or dist < best[0]:
                best = (dist, "future")
        for m in _PRESENT.finditer(chunk):
            if any(a <= m.start() < b for a, b in futures):
                continue
            dist = len(chunk) - m.end() if side == "l" else m.start()
            if best is None or dist < best[0]:
                best = (dist, "present")
        for m in _PAST.finditer(chunk):
            word = m.group().casefold()
            if any(a <= m.start() < b for a, b in futures) or _NOT_PAST.search(chunk[: m.start()]):
                continue
            if word in _NOT_PAST_WORDS or ends_state:
                continue
            if word in _REPORTING:
                reported = True
                continue
            if side == "l" and (word.split()[-1] in _PROSPECTIVE or _INFINITIVE.search(chunk, m.end())):
                prospective = True
                continue
            dist = len(chunk) - m.end() if side == "l" else m.start()
            if best is None or dist < best[0]:
                best = (dist, "past")
    if best is None and reported and not ends_state and not prospective:
        return "past"
    return best[1] if best and best[1] != "present" else None


_NOT_PAST_WORDS = frozenset({
    "expected", "scheduled", "slated", "planned", "proposed", "intended", "needed", "hundred", "united", "based",
    "set", "speed", "indeed", "proceed", "exceed", "succeed", "agreed", "preferred", "limited", "related",
    "associated", "armed", "detailed", "unidentified", "interested", "concerned", "advanced", "qualified",
})
# Verbs whose object is a later act ("invited them to a ceremony on March 12"): no tense for the day.
_PROSPECTIVE = frozenset({"invited", "urged", "asked", "summoned", "ordered", "proposed", "requested"})
# Reporting verbs: their tense is the report's, which tells about the event only when nothing else does.
_REPORTING = frozenset({"said", "told"})
# An infinitive after the past verb ("asked him to testify on Feb. 10"): the day is the infinitive's.
_INFINITIVE = re.compile(r"\bto\s+(?!the\b|a\b|an\b|his\b|her\b|its\b|their\b)[a-z]+\b")


def _is_future(text: str, start: int, end: int) -> bool:
    return _tense(text, start, end) == "future"


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


_PAST_SLACK = timedelta(days=14)  # a past-tense day may lie a little after the anchor (a late or inferred anchor)
_FUTURE_SLACK = timedelta(days=7)  # and a future one a little before it


def _year_by_tense(anchor: date, month: int, day: int | None, tense: str | None) -> int | None:
    """The year of a month (and day) written without one, from the tense of its clause: the next such
    day on or after the anchor in a future clause, the latest one not after the anchor in a past clause
    ("was held December 28"); ``None`` when the clause gives no tense (the nearest year is used then)."""
    if tense is None:
        return None
    for y in ((anchor.year, anchor.year + 1) if tense == "future" else (anchor.year + 1, anchor.year, anchor.year - 1)):
        if day is None:
            first = date(y, month, 1)
            last = _shift_month(y, month, 1)
            last_day = date(last[0], last[1], 1) - timedelta(days=1)
            if (tense == "future" and last_day >= anchor) or (tense == "past" and first <= anchor):
                return y
            continue
        d = _safe_date(y, month, day)
        if d is None:
            continue
        if (tense == "future" and d >= anchor - _FUTURE_SLACK) or (tense == "past" and d <= anchor + _PAST_SLACK):
            return y
    return None


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
                if y is not None and anchor is not None and wd is None:
                    y = _year_by_tense(anchor, month, day, _tense(text, s, e)) or y
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
    for m, s, e in _iter(_SAID_YEAR_RE, text):
        year = _said_year(m)
        if year is None:
            continue
        plain = not (m["mon2"] or m["season"] or re.match(r"(?:the\s+)?year\b", text[s:e], _F))
        if plain and (m["k2"] or m["hundred"]) and not _SAID_PREP.search(text[max(0, s - 12) : s]):
            continue  # "two thousand troops", "nineteen hundred people": counts
        if m["k2"] and plain and re.match(r"\s+[a-z]", text[e : e + 2]):
            continue  # "two thousand troops"; but "the year two thousand has come" is a year
        if m["mon2"]:
            value = f"{year:04d}-{MONTHS[m['mon2'].casefold()]:02d}"
        elif m["season"]:
            value = f"{year:04d}-{_SEASONS[m['season'].casefold()]}"
        else:
            value = f"{year:04d}"
        out.append(_Cand(s, e, value, "DATE", 2))
    for m, s, e in _iter(_MONTH_REL_YEAR, text):
        value = None
        if anchor is not None:
            y = anchor.year + {"this": 0, "last": -1, "next": 1}[m["rel"].casefold()]
            month = _month_num(m["mon"])
            if m["day"]:
                d = _safe_date(y, month, int(m["day"]))
                if d is None:
                    continue
                value = d.isoformat()
            else:
                value = f"{y:04d}-{month:02d}"
        out.append(_Cand(s, e, value, "DATE", 1))
    for m, s, e in _iter(_SEASON_YEAR, text):
        out.append(_Cand(s, e, f"{int(m['year']):04d}-{_SEASONS[m['season'].casefold()]}", "DATE", 2))
    for m, s, e in _iter_all((_BARE_MONTH_PREP, _BARE_MONTH_REL, _BARE_MONTH_POSS, _BARE_MONTH_ATTR), text):
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
            else:
                y = _year_by_tense(anchor, month, None, _tense(text, s, e)) or _nearest_year(anchor, month, None) or anchor.year
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
        if m["prep"] and m["prep"].strip().casefold() == "fiscal" and not m["qual"]:
            s = m.start("prep")  # "fiscal 1989": the word is part of the expression
        out.append(_Cand(s, e, f"{year:04d}", "DATE", 4))
    for m, s, e in _iter(_DECADE, text):
        out.append(_Cand(s, e, m["dec"], "DATE", 4))
    tens = ("twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties")
    for m, s, e in _iter(_DECADE_WORD, text):
        digit = tens.index(m["word"].casefold()) + 2 if m["word"] else int(m["dig"])
        out.append(_Cand(s, e, f"19{digit}", "DATE", 4))
    for m, s, e in _iter(_SEASON_BARE, text):
        value = None
        season = m["season"].casefold()
        if anchor is not None:
            middle = {"spring": 4, "summer": 7, "fall": 10, "autumn": 10, "winter": 1}[season]
            if _tense(text, s, e) == "future":
                y = anchor.year if middle + 1 >= anchor.month else anchor.year + 1
            else:  # a season named without a year is most often the latest one
                y = anchor.year if middle - 1 <= anchor.month else anchor.year - 1
            value = f"{y:04d}-{_SEASONS[season]}"
        out.append(_Cand(s, e, value, "DATE", 4))
    for m, s, e in _iter(_CENTURY, text):
        out.append(_Cand(s, e, f"{int(m['n']) - 1:02d}", "DATE", 4))
    for m, s, e in _iter(_THE_YEAR, text):
        value = None
        if m["that"] or m["rel"]:
            value = _ANAPHORIC  # resolved once the mentions before it are known (_anaphoric_years)
        elif anchor is not None:
            value = f"{anchor.year:04d}"
        out.append(_Cand(s, e, value, "DATE", 5))
    for m, s, e in _iter(_YEAR_ENDED, text):
        out.append(_Cand(s, e, "P1Y", "DURATION", 4))
    for m, s, e in _iter(_YEAR_END, text):
        value = None
        if anchor is not None:
            since = re.search(r"\bsince\s+$", text[max(0, s - 8) : s], _F)
            value = f"{anchor.year - (1 if since else 0):04d}"
        out.append(_Cand(s, e, value, "DATE", 4))


def _weekdays(text: str, anchor: date | None, out: list[_Cand]) -> None:
    for m, s, e in _iter(_WEEKDAY, text):
        value = None
        if anchor is not None:
            wd = WEEKDAYS[m["wd"].casefold()]
            rel = m["rel"]
            # a possessive ("Wednesday's ruling") is a day already named: only a firm future cue moves it forward
            possessive = text[e : e + 2] in ("'s", "’s")
            future = False if rel else _tense(text, s, e, weak_future=not possessive) == "future"
            value = _resolve_weekday(anchor, wd, rel, future).isoformat()
        out.append(_Cand(s, e, value, "DATE", 5))


# "today's youth", "today's personal computers": the present age, not the day.
_TODAY_GENERIC = re.compile(
    r"['’]s\s+(?:[a-z]+\s+)?(?:world|youth|society|generations?|children|kids|teenagers|teens|young|parents|families|"
    r"students|workers|consumers|standards|technology|computers|culture|economy|politics)\b"
)


def _relative(text: str, anchor: date | None, out: list[_Cand]) -> None:
    for m, s, e in _iter(_RELDAY, text):
        if m["word"].casefold() == "today" and not m["part"] and _TODAY_GENERIC.match(text, e):
            continue
        value = None
        if anchor is not None:
            word = " ".join(m["word"].casefold().split())
            offset = {"yesterday": -1, "tomorrow": 1, "last night": -1}.get(word, 0)
            part = m["part"] or ("night" if word == "last night" else word[5:] if word.startswith("this ") else None)
            value = (anchor + timedelta(days=offset)).isoformat() + _part_code(part)
        out.append(_Cand(s, e, value, "DATE", 5))
    for m, s, e in _iter(_AGO, text):
        s = _lead_start(_APPROX_LEAD, text, s)  # "nearly four years ago"
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
            elif unit == "quarter":
                y, mo = _shift_month(anchor.year, anchor.month, -3 * k)
                value = f"{y:04d}-Q{(mo - 1) // 3 + 1}"
            elif unit == "year":
                value = f"{anchor.year - k:04d}"
            elif unit == "decade":
                value = f"{(anchor.year - 10 * k) // 10:03d}"
            elif unit in ("hour", "minute", "second"):
                value = anchor.isoformat()
        out.append(_Cand(s, e, value, "DATE", 1))
    for m, s, e in _iter(_RELPERIOD, text):
        if m["unit"][0].isupper() and m["rel"][0].isupper():
            continue  # "This Week", "Next Year": a title (a date would read "This week")
        rel = m["rel"].casefold()
        unit = m["unit"].casefold()
        value = None
        if rel == "past" and unit in ("week", "month", "year", "decade"):
            code = {"week": "1W", "month": "1M", "year": "1Y", "decade": "10Y"}[unit]
            out.append(_Cand(s, e, f"P{code}", "DURATION", 3))
            continue
        delta = {"this": 0, "current": 0, "last": -1, "previous": -1, "past": -1, "next": 1, "coming": 1}[rel]
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
            elif unit == "decade":
                value = f"{anchor.year // 10 + delta:03d}"
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
        if m["ord"] and text[m.end("ord")] == "-" and (lead := _ARTICLE.match(text, s)):
            s = lead.end()  # "the third-quarter loss": the modifier is the expression, not "the"
        out.append(_Cand(s, e, value, "DATE", 3))


# Halves of a year: "the first half of 1990", "the second half of next year" (TimeML ``YYYY-H1``/``-H2``).
_HALF_YEAR = _c(
    rf"(?<![\w-])(?P<core>(?:[Tt]he\s+)?(?P<which>[Ff]irst|[Ss]econd|[Ll]ast|[Ll]atter)[\s-]half\s+of\s+"
    rf"(?:{_YEAR}|(?P<rel>this|last|next)\s+year)(?![\w'’-]))"
)
# A unit and a half, half a unit: "two and a half years", "a year and a half", "half an hour".
_HALF_DURATION = _c(
    rf"{_NOT_NUM_BEFORE}(?P<core>(?P<n>{_NUMW_CAP}|An?)\s+and\s+a\s+half\s+(?P<unit>years|months|days|hours|minutes)"
    r"|(?P<n2>[Aa]n?|[Oo]ne)\s+(?P<unit2>year|day|hour|minute)\s+and\s+a\s+half"
    r"|[Hh]alf\s+an?\s+(?P<unit3>year|day|hour|minute|decade|century))(?![\w'’-])"
)


def _halves(text: str, anchor: date | None, out: list[_Cand]) -> None:
    if "half" not in text:
        return
    for m, s, e in _iter(_HALF_YEAR, text):
        n = 1 if m["which"].casefold() == "first" else 2
        if m["year"]:
            y: int | None = int(m["year"])
        elif anchor is not None:
            y = anchor.year + {"this": 0, "last": -1, "next": 1}[m["rel"].casefold()]
        else:
            y = None
        out.append(_Cand(s, e, f"{y:04d}-H{n}" if y is not None else None, "DATE", 3))


def _fraction_value(n: float, base: str) -> str | None:
    """A duration of ``n`` units: ``P2Y``; a fraction in the next smaller unit, as TimeML writes it
    ("2 1/2 years" P2Y6M, "5 1/2 hours" PT5H30M, "1.5 days" P1DT12H); ``None`` if that has no smaller unit."""
    if base == "decade":
        n, base = n * 10, "year"  # "two decades" -> P20Y, as TimeBank writes it
    elif base == "century" and not float(n).is_integer():
        n, base = n * 100, "year"  # "half a century" -> P50Y
    t, code = _UNIT_CODES[base]
    whole, frac = divmod(n, 1)
    if not frac:
        return f"P{t}{_fmt_num(n)}{code}"
    if base not in _SMALLER_UNIT:
        return None
    per, small = _SMALLER_UNIT[base]
    rest = _fmt_num(round(frac * per, 3))
    head = f"P{t}{_fmt_num(whole)}{code}" if whole else f"P{t}"
    sep = "T" if base == "day" else ""  # "1.5 days": P1DT12H
    return f"{head}{sep}{rest}{small}"


_AGE_AFTER = re.compile(r"[\s-]+old\b")
_FRACTION_OF = re.compile(r"\s+of\s+(?![12]\d{3}\b)(?!(?:losses|gains|growth|profits?|declines?|decline)\b)", _F)
# The noun a number-and-unit modifier stands before (written without the hyphen): "a five year low".
_COMPOUND_HEAD = re.compile(
    r"\s+(?!(?:of|and|or|in|on|at|to|for|the|a|an|ago|later|earlier|before|after|old|from|since|until|when|that|"
    r"which|who|is|was|were|are|has|had|have|will|would|by|with|as|than|period|term)\b)[a-z]{3,}\b"
)


# A stretch between two events: "a day earlier", "a month after the crash".
_SPAN_AFTER = re.compile(r"\s+(?:later|earlier|after|before)\b")
_RATE_BEFORE = re.compile(r"\b(?:once|twice|times)\s+$", _F)
_SOMEDAY_BEFORE = re.compile(r"\b(?:will|would|shall|could|might|may|can|['’]ll)\s+$", _F)


def _durations(text: str, out: list[_Cand]) -> None:
    for m, s, e in _iter(_DURATION, text):
        n_text = m["n"]
        unit = m["unit"].casefold()
        plural = unit.endswith("s")
        base = "century" if unit.startswith("centur") else unit.rstrip("s")
        low = n_text.casefold()
        span = _SPAN_AFTER.match(text, e) and not _RATE_BEFORE.search(text, max(0, s - 8), s)
        if low in ("a", "an") and (plural or (not m["prep"] and not m["long"] and not span)):
            continue  # "once a year", "a day's pay", "a decades-long career"
        bare_singular = not plural and not m["long"] and low not in ("a", "an", "one", "1") and "-" not in text[s:e]
        if bare_singular and not _COMPOUND_HEAD.match(text, e):
            continue  # "five year low", "a three hour meeting" are durations; "five year" alone is not
        if m["long"] == "-old" or _AGE_AFTER.match(text, e):
            continue  # an age ("a 52-year-old", "52 years old"), not a stretch of time
        if low == "one" and unit == "day" and not m["prep"] and _SOMEDAY_BEFORE.search(text, max(0, s - 12), s):
            out.append(_Cand(s, e, "FUTURE_REF", "DATE", 7))  # "will one day be": some day ahead, not a day long
            continue
        start = s
        if not m["long"] and not bare_singular and text[m.start("unit") - 1] != "-":
            s = _lead_start(_DURATION_LEAD, text, s)  # "the past three months", "nearly two years"
        if base == "quarter" and (
            _FRACTION_OF.match(text, e) or not (m["prep"] or s < start or any(low.startswith(v) for v in _VAGUE))
        ):
            continue  # "three quarters of voters", "Three quarters agreed": a fraction, not business quarters
        if any(low.startswith(v) for v in _VAGUE):
            n_str = "X"
        else:
            n = 2.0 if "couple" in low else _number(n_text)  # "a couple of years": two, as TimeML counts it
            if n is None:
                continue
            if base == "decade":
                n, base = n * 10, "year"  # "two decades" -> P20Y, as TimeBank writes it
            n_str = _fmt_num(n)
            if not float(n).is_integer() and base in _SMALLER_UNIT:
                # "2 1/2 years" is two years and six months: P2Y6M; "5 1/2 hours" PT5H30M
                out.append(_Cand(s, e, _fraction_value(n, base), "DURATION", 7))
                continue
        t, code = _UNIT_CODES[base]
        out.append(_Cand(s, e, f"P{t}{n_str}{code}", "DURATION", 7))
    for m, s, e in _iter(_HALF_DURATION, text) if "half" in text or "Half" in text else ():
        if m["unit3"]:
            n, unit = 0.5, m["unit3"]
        else:
            n_text, unit = (m["n"], m["unit"]) if m["unit"] else (m["n2"], m["unit2"])
            whole = _number(n_text)
            if whole is None:
                continue
            n = whole + 0.5
        value = _fraction_value(n, unit.casefold().rstrip("s"))
        if value is not None:
            out.append(_Cand(_lead_start(_DURATION_LEAD, text, s), e, value, "DURATION", 7))
    for m, s, e in _iter(_VAGUE_DURATION, text):
        unit = (m["unit"] or m["unit2"] or m["unit3"] or m["unit4"]).casefold()
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
    for m in _DAYPART_WORD.finditer(text):
        s, e = m.start(), m.end()
        word = m.group()
        left = _DAYPART_LEFT.search(text, max(0, s - 32), s)
        if word == "midday":
            if s and (text[s - 1].isalnum() or text[s - 1] == "-"):
                continue
            left, value = None, "T12:00"  # as "noon"
        elif left is None:
            continue
        elif left["h"]:
            hh = int(_number(left["h"]) or 0) % 12 + (0 if word == "morning" else 12)
            value = f"T{hh:02d}:00"  # "4 in the morning", "8 in the evening"
        else:
            value = f"T{_PART_CODES[word]}"  # "mid-afternoon": ...TAF once its day is known
        out.append(_Cand(left.start() if left else s, e, value, "TIME", 2))


def _sets(text: str, out: list[_Cand]) -> None:
    for m, s, e in _iter(_SET, text):
        if m["adv"]:
            value = {"hourly": "PT1H", "daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y"}[
                m["adv"]
            ]
        elif m["season"]:
            value = f"XXXX-{_SEASONS[m['season']]}"  # "each summer"
        elif m["mon"]:
            value = f"XXXX-{_month_num(m['mon']):02d}"  # "every July"
        elif m["units"]:
            t, code = _UNIT_CODES[m["units"].rstrip("s")]
            value = f"P{t}{_fmt_num(_number(m['n']) or 0)}{code}"  # "every two weeks"
        elif m["wd"]:
            value = f"XXXX-WXX-{WEEKDAYS[m['wd'].casefold()] + 1}"
        else:
            unit = m["unit"].casefold()
            value = {"hour": "PT1H", "day": "P1D", "week": "P1W", "month": "P1M", "quarter": "P1Q", "year": "P1Y"}.get(
                unit, f"T{_PART_CODES.get(unit, 'DT')}"
            )
        out.append(_Cand(s, e, value, "SET", 6))


# Holidays that fall on one day each year.
_HOLIDAY = _c(
    rf"(?<![\w-])(?P<core>(?:(?P<rel>[Ll]ast|[Nn]ext|[Tt]his)\s+)?(?P<name>New\s+Year['’]s\s+(?:Day|Eve)|"
    rf"Christmas(?:\s+(?:Day|Eve))?|Thanksgiving(?:\s+Day)?|Independence\s+Day|(?:the\s+)?Fourth\s+of\s+July|"
    rf"Valentine['’]s\s+Day|Halloween|Labor\s+Day|Memorial\s+Day|Veterans\s+Day|Election\s+Day|Easter(?:\s+Sunday)?|"
    rf"Good\s+Friday)(?:,?\s+{_YEAR})?)(?![\w'’-])"
)


def _nth_weekday(y: int, month: int, wd: int, n: int) -> date:
    """The ``n``-th weekday ``wd`` (0 = Monday) of a month; ``n = -1`` is the last one."""
    if n > 0:
        first = date(y, month, 1)
        return first + timedelta(days=(wd - first.weekday()) % 7 + 7 * (n - 1))
    nxt = _shift_month(y, month, 1)
    last = date(nxt[0], nxt[1], 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - wd) % 7)


def _easter(y: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = y % 19, y // 100, y % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(y, month, day + 1)


def _holiday_date(name: str, y: int) -> date:
    key = " ".join(name.casefold().replace("’", "'").split())
    fixed = {
        "new year's day": (1, 1), "new year's eve": (12, 31), "christmas": (12, 25), "christmas day": (12, 25),
        "christmas eve": (12, 24), "independence day": (7, 4), "fourth of july": (7, 4),
        "the fourth of july": (7, 4), "valentine's day": (2, 14), "halloween": (10, 31), "veterans day": (11, 11),
    }
    if key in fixed:
        return date(y, *fixed[key])
    if key.startswith("thanksgiving"):
        return _nth_weekday(y, 11, 3, 4)
    if key == "labor day":
        return _nth_weekday(y, 9, 0, 1)
    if key == "memorial day":
        return _nth_weekday(y, 5, 0, -1)
    if key == "election day":  # the Tuesday after the first Monday of November
        return _nth_weekday(y, 11, 0, 1) + timedelta(days=1)
    if key == "good friday":
        return _easter(y) - timedelta(days=2)
    return _easter(y)


def _holidays(text: str, anchor: date | None, out: list[_Cand]) -> None:
    """"Thanksgiving Day", "last Christmas", "Easter 1998": the holiday's day in the year written, else
    the one the tense (or "last"/"next") points at, else the nearest one."""
    for m, s, e in _iter(_HOLIDAY, text):
        value = None
        if m["year"]:
            value = _holiday_date(m["name"], int(m["year"])).isoformat()
        elif anchor is not None:
            days = [_holiday_date(m["name"], y) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
            rel = (m["rel"] or "").casefold()
            tense = {"last": "past", "next": "future"}.get(rel) or (None if rel else _tense(text, s, e))
            if tense == "past":
                pick = [d for d in days if d < anchor] if rel else [d for d in days if d <= anchor + _PAST_SLACK]
                day = pick[-1] if pick else days[0]
            elif tense == "future":
                pick = [d for d in days if d > anchor] if rel else [d for d in days if d >= anchor - _FUTURE_SLACK]
                day = pick[0] if pick else days[-1]
            elif rel == "this":
                day = days[1]
            else:
                day = min(days, key=lambda d: abs((d - anchor).days))
            value = day.isoformat()
        out.append(_Cand(s, e, value, "DATE", 1))


# ---------------------------------------------------------------- assembly


# Reporting periods: "the quarter", "the latest quarter", "the latest period"; and the same period
# a year before: "a year earlier", "year-earlier", "the year-ago quarter".
_PERIOD = _c(
    r"(?<![\w-])(?:(?P<now>[Tt]he\s+(?:(?P<which>latest|most\s+recent|current)\s+(?:fiscal\s+)?(?:quarter|period)|"
    r"(?:fiscal\s+)?quarter))"
    r"|(?P<before>[Aa]\s+year\s+(?:earlier|before|(?P<ago>ago))|(?:[Tt]he\s+)?(?:comparable\s+)?year-(?:earlier|ago)"
    r"(?P<noun>\s+(?:(?P<ord2>first|second|third|fourth)\s+)?(?:quarter|period))?)"
    r"|(?P<relyear>(?P<rel>[Tt]his|[Ll]ast|[Nn]ext)\s+year['’]s\s+(?:(?P<ord3>first|second|third|fourth)\s+)?(?:fiscal\s+)?"
    r"(?:quarter|period))"
    r"|(?P<dated>[Tt]he\s+(?P<yr>(?:19|20)\d\d)\s+(?:(?:fiscal\s+)?(?P<ord>first|second|third|fourth)\s+)?"
    r"(?:quarter|period)))"
    r"(?![\w-])"
)
_QUARTER_VALUE = re.compile(r"(\d{4})-Q([1-4])$")
_ARTICLE = re.compile(r"[Tt]he\s+(?:fiscal\s+)?(?=\S)")
_ORDINALS = ("first", "second", "third", "fourth")


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
        if m["relyear"]:
            # "last year's third quarter"; "this year's quarter": the quarter in view, in that year
            shift = {"this": 0, "last": -1, "next": 1}[m["rel"].casefold()]
            n = _ORDINALS.index(m["ord3"].casefold()) + 1 if m["ord3"] else (ref[1] if ref else 0)
            if anchor is not None and n:
                value = f"{anchor.year + shift:04d}-Q{n}"
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
            n = _ORDINALS.index(m["ord2"].casefold()) + 1 if m["ord2"] else ref[1]
            value = f"{ref[0] - 1:04d}-Q{n}" if quarterly else f"{ref[0] - 1:04d}"
        start = m.start()
        if m["before"] and not m["noun"] and (lead := _ARTICLE.match(text, start)):
            start = lead.end()  # "the year-earlier results": the modifier alone
        cands.append(_Cand(start, m.end(), value, "DATE", 0 if m["ago"] else 8))


# Words that point at the present, past or future without a date: TimeML's reference values.
_REFERENCE = _c(
    r"(?<![\w-])(?:(?P<present>now(?!\s+that\b)|Now(?![,\s]+(?:that|for|then|and|but)\b)|[Cc]urrently|"
    r"(?<!then\s)[Cc]urrent(?=\s+[a-z])|"
    r"[Aa]t\s+present|these\s+days|nowadays)"
    r"|(?P<past>[Rr]ecently|the\s+past(?!\s+(?:[\w-]+\s+)?(?:days?|weeks?|months?|years?|decades?|centur(?:y|ies)|"
    r"summers?|winters?|springs?|autumns?|seasons?|quarters?|hours?|weekends?)\b))"
    r"|(?P<future>the\s+(?:near\s+|distant\s+)?future|the\s+(?:near|short|long)\s+term))(?![\w-])"
)


def _references(text: str, out: list[_Cand]) -> None:
    """"now", "currently", "recently", "the past", "the future": ``PRESENT_REF``,
    ``PAST_REF``, ``FUTURE_REF`` (no calendar value; longer expressions such as "the past week" win)."""
    for m in _REFERENCE.finditer(text):
        kind = "PRESENT" if m["present"] else "PAST" if m["past"] else "FUTURE"
        out.append(_Cand(m.start(), m.end(), f"{kind}_REF", "DATE", 9))


_ANAPHORIC = "ANAPHORIC_YEAR"  # placeholder value of "that year", "the following year"
_YEAR_VALUE = re.compile(r"(\d{4})(?:$|-(?:\d{2}|Q[1-4]|H[12]|SP|SU|FA|WI|W\d{2}))")


def _anaphoric_years(text: str, chosen: list[_Cand], anchor: date | None) -> None:
    """"that year", "later that year": the year of the last date named before it (else the anchor's);
    "the following year" the one after it, "the previous year" the one before."""
    last: int | None = None
    for c in chosen:
        if c.value == _ANAPHORIC:
            ref = last if last is not None else (anchor.year if anchor is not None else None)
            if ref is None:
                c.value = None
                continue
            words = text[c.start : c.end].casefold()
            shift = 1 if "following" in words else -1 if ("previous" in words or "preceding" in words) else 0
            c.value = f"{ref + shift:04d}"
            last = ref + shift
        elif c.value and c.kind in ("DATE", "TIME") and (m := _YEAR_VALUE.match(c.value)):
            last = int(m.group(1))


# Days, weeks and months counted from the date the text last named: "the following month", "the next
# morning", "the previous day", "earlier that day", "that same day" (from the anchor when none was named).
_ANAPHORIC_REL = _c(
    r"(?:Earlier|earlier|Later|later|That|that|The|the)\s+(?:that|same|(?P<rel>following|previous|preceding|prior"
    r"|next(?=\s+(?:day|morning|afternoon|evening|night)\b)))\s+(?P<unit>day|morning|afternoon|evening|night|week|month)"
    r"(?![\w'’-])"
)
_ANAPHORIC_DAY = "ANAPHORIC_REL"  # placeholder value, resolved by _anaphoric_days
_DAY_VALUE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?(?:$|T)")


def _anaphoric_relatives(text: str, out: list[_Cand]) -> None:
    for m in _ANAPHORIC_REL.finditer(text):
        s, e = m.start(), m.end()
        if s and (text[s - 1].isalnum() or text[s - 1] in "-_"):
            continue  # inside a word ("bathe same day")
        first, second = m.group().split(None, 2)[:2]
        if (first.casefold() in ("earlier", "later")) != (second.casefold() == "that") or (
            first.casefold() == "that" and second.casefold() != "same"
        ):
            continue  # "earlier that day", "that same day", "the same day", "the following month"; not "later same"
        out.append(_Cand(s, e, _ANAPHORIC_DAY, "DATE", 4))


_PREVIOUS_WEEKDAY = re.compile(rf"[Tt]he\s+(?:previous|preceding)\s+{_WD}")


def _anaphoric_days(text: str, chosen: list[_Cand], anchor: date | None) -> None:
    """Values of "the following month", "the next morning", "earlier that day": the day (or month) of the
    last date named before the mention, moved by one when the words say so; the anchor when none."""
    last_day: date | None = anchor
    last_month: tuple[int, int] | None = (anchor.year, anchor.month) if anchor else None
    for c in chosen:
        if c.value == _ANAPHORIC_DAY:
            m = _ANAPHORIC_REL.match(text, c.start)
            value: str | None = None
            if m is not None:
                rel = (m["rel"] or "").casefold()
                shift = 1 if rel in ("following", "next") else -1 if rel else 0
                unit = m["unit"].casefold()
                if unit == "month" and last_month is not None:
                    y, mo = _shift_month(last_month[0], last_month[1], shift)
                    value = f"{y:04d}-{mo:02d}"
                elif unit == "week" and last_day is not None:
                    value = _iso_week(last_day + timedelta(weeks=shift))
                elif unit not in ("month", "week") and last_day is not None and (
                    last_month is None or (last_day.year, last_day.month) == last_month
                ):
                    value = (last_day + timedelta(days=shift)).isoformat()
                elif unit not in ("month", "week") and last_month is not None and shift == 0:
                    value = f"{last_month[0]:04d}-{last_month[1]:02d}"  # "that same day" after "last October"
            c.value = value
            if value and len(value) == 10:
                last_day = date.fromisoformat(value)
                last_month = (last_day.year, last_day.month)
        elif c.value and c.kind in ("DATE", "TIME") and (m2 := _DAY_VALUE.match(c.value)):
            if last_day is not None and (m3 := _PREVIOUS_WEEKDAY.match(text, c.start)):
                # "the previous Friday": the Friday before the day last named, not before the anchor
                back = (last_day.weekday() - WEEKDAYS[m3["wd"].casefold()]) % 7 or 7
                c.value = (last_day - timedelta(days=back)).isoformat() + c.value[10:]
                m2 = _DAY_VALUE.match(c.value)
            last_month = (int(m2.group(1)), int(m2.group(2)))
            if m2.group(3):
                last_day = _safe_date(last_month[0], last_month[1], int(m2.group(3))) or last_day


_WEEK_OF = re.compile(r"(?<![\w-])(?:[Tt]he\s+)?week\s+of\s+$")


def _weeks_of(text: str, cands: list[_Cand]) -> None:
    """"the week of March 6": the week holding that day (``YYYY-Www``), the words before it included."""
    for c in cands:
        if c.kind != "DATE" or not c.value or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", c.value):
            continue
        m = _WEEK_OF.search(text, max(0, c.start - 13), c.start)
        if m is None:
            continue
        d = _safe_date(int(c.value[:4]), int(c.value[5:7]), int(c.value[8:10]))
        if d is not None:
            c.start, c.value = m.start(), _iso_week(d)


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
                and re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:T[A-Z]{2})?", date_c.value)
            ):
                out.append(_Cand(c.start, nxt.end, date_c.value[:10] + time_c.value, "TIME", 0))
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


_TIME_THEN_DAY = re.compile(r"[ \t]*(?:\([^()\n]{1,16}\)[ \t]*|local[ \t]+time[ \t]*)?,?[ \t]*(?:on[ \t]+)?\Z")


def _day_for_time(text: str, cands: list[_Cand], k: int, anchor: date | None) -> str | None:
    c = cands[k]
    lo, hi = _sentence_bounds(text, c.start)
    days = [
        d for d in cands
        if d is not c and d.value and re.match(r"\d{4}-\d{2}-\d{2}", d.value) and d.kind in ("DATE", "TIME")
    ]
    after = next((d for d in days if c.end <= d.start <= c.end + 24), None)
    if after is not None and _TIME_THEN_DAY.match(text, c.end, after.start):
        return (after.value or "")[:10]  # "10:35 a.m. (0735 GMT) Friday": the day written just after
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
    _halves(text, a, cands)
    _holidays(text, a, cands)
    _durations(text, cands)
    _times(text, cands)
    _sets(text, cands)
    _periods(text, a, cands)
    _references(text, cands)
    _anaphoric_relatives(text, cands)
    selected = _select(cands, len(text))
    _anaphoric_years(text, selected, a)
    _anaphoric_days(text, selected, a)
    _weeks_of(text, selected)
    chosen = _attach_times(text, selected, a)
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
