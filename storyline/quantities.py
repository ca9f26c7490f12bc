"""Figures stated in news text: money, percentages and counts.

Rule-based (compiled regular expressions); a spaCy ``Doc`` is optional and only
refines what a figure is about (:func:`quantity_context`).

For each figure we record:

- ``value`` as a plain number ("$4.2m" -> 4200000.0) and ``unit``: an ISO
  currency code for money, ``"%"`` for percentages, the counted noun's
  singular for counts ("35,000 educators" -> ``"educator"``; "250-member
  House" -> ``"member"``, counted ``"House"``);
- ``qualifier`` from the words just before the figure ("nearly", "more than",
  "about", "at least", "up to", ...), with the figure's ``text``/``start``/``end``
  covering those words too ("nearly $650,000");
- ``counted``: what is counted, or for money the governing verb as written plus
  the prepositional phrase that says what the money is for ("spent on an
  independent campaign in support of X"; "raised");
- ``as_of``/``as_of_text`` when the sentence anchors the figure in time
  ("through Tuesday" -> the resolved date; "as of the last reporting period" ->
  text only, ``as_of`` ``None``); otherwise both ``None``;
- ``sentence_start``/``sentence_end`` of the containing sentence.

Not figures: years, dates, times and durations (anything inside a date
mention), ordinals ("3rd"), designators ("District 1", "No. 7", "Route 66"),
phone numbers, and bare numbers without a counted noun.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .model import DateMention, Quantity
from .nlp import doc_text
from .sentences import sentence_at, split_sentences
from .temporal import extract_dates

__all__ = ["extract_quantities", "quantity_context", "parse_number", "CURRENCY_CODES"]

_SCALES: dict[str, float] = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "mln": 1e6, "mil": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "t": 1e12,
}
_SYMBOLS: dict[str, str] = {
    "$": "USD", "us$": "USD", "u.s.$": "USD", "c$": "CAD", "ca$": "CAD", "a$": "AUD", "au$": "AUD",
    "nz$": "NZD", "hk$": "HKD", "s$": "SGD", "r$": "BRL", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR",
    "₩": "KRW", "₽": "RUB", "₺": "TRY", "₪": "ILS",
}
CURRENCY_CODES = frozenset(
    "USD EUR GBP JPY CAD AUD CHF CNY INR NZD HKD SGD BRL KRW RUB MXN ZAR SEK NOK DKK PLN TRY ILS".split()
)
_CURRENCY_WORDS: dict[str, str] = {
    "dollar": "USD", "dollars": "USD", "us dollars": "USD", "u.s. dollars": "USD", "euro": "EUR", "euros": "EUR",
    "pound": "GBP", "pounds": "GBP", "pounds sterling": "GBP", "yen": "JPY", "rupee": "INR", "rupees": "INR",
    "yuan": "CNY", "renminbi": "CNY", "swiss francs": "CHF", "pesos": "MXN", "rand": "ZAR", "shekels": "ILS",
    "canadian dollars": "CAD", "australian dollars": "AUD",
}
_WORD_NUMBERS: dict[str, int] = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_UNITS_WORD = "one|two|three|four|five|six|seven|eight|nine"
_TENS_WORD = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_WORDNUM = (
    rf"(?:(?:{_TENS_WORD})(?:-(?:{_UNITS_WORD}))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen"
    rf"|eighteen|nineteen|two|three|four|five|six|seven|eight|nine)(?:\s+(?:hundred|thousand|million|billion))?"
    r"|(?:a|one)\s+(?:hundred|thousand|million|billion)|hundreds?|thousands?"
)
_NUM = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_SCALE_WORD = r"(?:thousand|million|billion|trillion)"
_SCALE_ABBR = r"(?:bn|mn|mln|tn|[mMbBkK])"
_NOT_BEFORE = r"(?<![\w.,$€£¥₹-])"

_MONEY_SYMBOL = re.compile(
    rf"(?<![\w$])(?P<sym>(?:US|U\.S\.|CA|AU|NZ|HK)\s?\$|[CASR]\$|\$|€|£|¥|₹|₩|₽|₺|₪)\s?(?P<num>{_NUM})"
    rf"(?:\s?(?P<scale>{_SCALE_WORD})|(?P<abbr>{_SCALE_ABBR}))?(?![\w])",
)
_MONEY_CODE = re.compile(
    rf"(?<![\w])(?P<code>{'|'.join(sorted(CURRENCY_CODES))})\s?(?P<num>{_NUM})"
    rf"(?:\s?(?P<scale>{_SCALE_WORD})|(?P<abbr>{_SCALE_ABBR}))?(?![\w])",
)
_MONEY_WORD = re.compile(
    rf"{_NOT_BEFORE}(?P<num>{_NUM}|{_WORDNUM})(?:\s?(?P<scale>{_SCALE_WORD})|(?P<abbr>{_SCALE_ABBR}))?\s+"
    rf"(?P<cur>(?:U\.S\.\s+|US\s+|Canadian\s+|Australian\s+)?dollars?|euros?|pounds(?:\s+sterling)?|yen|rupees?|yuan|"
    rf"renminbi|Swiss\s+francs|pesos|rand|shekels|{'|'.join(sorted(CURRENCY_CODES))})(?![\w])",
    re.IGNORECASE,
)
_PERCENT = re.compile(
    rf"{_NOT_BEFORE}(?P<num>{_NUM}|{_WORDNUM})\s?(?P<pct>%|percent(?:age\s+points?)?|per\s?cent|pct\.?)(?![\w])",
    re.IGNORECASE,
)
_COUNT = re.compile(
    rf"{_NOT_BEFORE}(?P<num>{_NUM}(?:\s+(?P<scale>{_SCALE_WORD}))?|(?i:{_WORDNUM}))"
    r"(?:-(?P<hnoun>[A-Za-z]+))?(?![\w:/%$-])(?!\.\d)(?!,\d)"
)
_PHONE = re.compile(r"(?:\(\d{3}\)\s?|\b\d{3}[-.\s])\d{3}[-.]\d{4}\b")
# An age ("52 years old", "a 6-month-old"): not a figure (dates no longer cover it).
_AGE = re.compile(r"\b\d+(?:\.\d+)?[\s-]+(?:years?|months?|weeks?|days?)[\s-]+old\b", re.IGNORECASE)
_WORD = re.compile(r"\s*([A-Za-z][\w'’.-]*[\w]|[A-Za-z])")

_DESIGNATORS = frozenset(
    """
    district section sec article art chapter ch proposition prop measure amendment route highway interstate
    no number item precinct ward room suite flight unit apartment apt grade level phase title rule clause
    step page p pp vol volume episode season game week day year class floor gate terminal platform lane
    exit bus line train box lot block pier bay zone sector region area stage round term row seat table
    channel version model type category tier division group pool council
    """.split()
)
_HYPHEN_NOUNS = frozenset(
    """
    member seat person strong bed room unit nation country state county city school candidate vehicle car
    page story storey mile acre officer officers worker employee student
    """.split()
)
_COUNT_STOP = frozenset(
    """
    a an the of and or but nor to in on at by for from with without as than that which who whom whose this
    these those there here it its is are was were be been being has have had will would shall should can
    could may might must do does did not no so if then when while where after before since until because
    per said says say told tells according about over under more less up down out off into onto upon
    during within across through among including following amid despite against via near around like
    toward towards behind beyond between inside outside throughout whether how why what
    also just only even still yet again already ago later earlier each every some any all both either neither
    he she they we you i him her them us me his hers their our your my
    percent times time
    """.split()
)
_PLURAL_IRREGULAR = {
    "people": "person", "children": "child", "men": "man", "women": "woman", "police": "police",
    "staff": "staff", "personnel": "personnel", "cattle": "cattle", "feet": "foot", "teeth": "tooth",
    "mice": "mouse", "geese": "goose", "data": "data", "media": "media", "crew": "crew", "sheep": "sheep",
    "fish": "fish", "deer": "deer", "aircraft": "aircraft", "series": "series", "species": "species",
}
_QUALIFIERS: list[tuple[str, str]] = [
    ("no more than", "at_most"), ("no fewer than", "at_least"), ("no less than", "at_least"),
    ("not more than", "at_most"), ("not less than", "at_least"),
    ("more than", "more_than"), ("upwards of", "more_than"), ("in excess of", "more_than"), ("over", "more_than"),
    ("above", "more_than"), ("exceeding", "more_than"), ("greater than", "more_than"),
    ("just under", "nearly"), ("just shy of", "nearly"), ("close to", "nearly"), ("nearly", "nearly"),
    ("almost", "nearly"), ("approaching", "nearly"), ("just below", "nearly"),
    ("an estimated", "about"), ("approximately", "about"), ("roughly", "about"), ("around", "about"),
    ("about", "about"), ("some", "about"), ("circa", "about"), ("approx.", "about"), ("estimated", "about"),
    ("less than", "less_than"), ("fewer than", "less_than"), ("under", "less_than"), ("below", "less_than"),
    ("at least", "at_least"), ("a minimum of", "at_least"), ("at most", "at_most"), ("up to", "at_most"),
    ("as many as", "at_most"), ("as much as", "at_most"), ("a maximum of", "at_most"),
]
_QUALIFIER_RE = re.compile(
    r"(?<![\w-])(?P<q>" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w, _ in _QUALIFIERS) + r")\s+$",
    re.IGNORECASE,
)
_QUALIFIER_OF = {w: q for w, q in _QUALIFIERS}

# Anchoring a figure in time.
_AS_OF_PREP = re.compile(
    r"(?<![\w-])(?P<prep>as\s+of|through|thru|until|till|up\s+to|by|since|ending|ended|at\s+the\s+end\s+of|"
    r"as\s+at)\s+$",
    re.IGNORECASE,
)
_AS_OF_PERIOD = re.compile(
    r"(?<![\w-])(?P<t>(?:as\s+of|in|during|for|through|at\s+the\s+end\s+of|by)\s+(?:the\s+)?"
    r"(?:last|latest|most\s+recent|previous|current|recent|final|first|second|third|fourth|past|same)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:reporting\s+period|filing\s+period|period|quarter|filing|report|deadline|count|"
    r"tally|update|campaign\s+finance\s+report|disclosure|accounting))(?![\w-])",
    re.IGNORECASE,
)
_AS_OF_LOOSE = re.compile(r"(?<![\w-])(?P<t>as\s+of\s+[^,.;:()\n]{1,40}?|so\s+far|to\s+date|thus\s+far)(?=[,.;:()\n]|$)", re.IGNORECASE)

_MONEY_VERBS: dict[str, str] = {}
for _lemma, _forms in {
    "spend": "spend spends spent spending", "raise": "raise raises raised raising",
    "pay": "pay pays paid paying", "cost": "cost costs costing", "donate": "donate donates donated donating",
    "contribute": "contribute contributes contributed contributing", "receive": "receive receives received",
    "collect": "collect collects collected", "earn": "earn earns earned", "lose": "lose loses lost",
    "invest": "invest invests invested investing", "pledge": "pledge pledges pledged",
    "owe": "owe owes owed", "give": "give gives gave given", "total": "total totals totaled totalled totaling",
    "reach": "reach reaches reached", "amount": "amount amounts amounted", "budget": "budget budgeted",
    "allocate": "allocate allocates allocated", "award": "award awards awarded", "approve": "approve approved",
    "borrow": "borrow borrowed", "lend": "lend lent", "sell": "sell sold", "buy": "buy bought",
    "charge": "charge charged", "fine": "fine fined", "seek": "seek seeks sought", "request": "request requested",
    "secure": "secure secured", "grant": "grant granted", "win": "win won", "bring": "bring brought",
    "generate": "generate generated", "save": "save saved", "cut": "cut cuts", "fund": "fund funded",
    "pour": "pour poured", "put": "put puts", "offer": "offer offered", "post": "post posted",
    "report": "report reported", "estimate": "estimate estimated", "value": "value valued",
    "worth": "worth", "rise": "rise rose risen", "fall": "fall fell fallen", "grow": "grow grew grown",
    "increase": "increase increased", "decrease": "decrease decreased", "drop": "drop dropped",
    "kill": "kill killed", "injure": "injure injured", "arrest": "arrest arrested", "employ": "employ employs employed",
    "represent": "represent represents represented", "serve": "serve serves served", "have": "has have had",
    "be": "is are was were", "include": "include includes included", "attend": "attend attended",
    "sign": "sign signed", "register": "register registered", "vote": "vote voted", "evacuate": "evacuate evacuated",
}.items():
    for _f in _forms.split():
        _MONEY_VERBS[_f] = _lemma
_CLAUSE_LEFT = re.compile(r"[,;:()“”\"—–]|\b(?:that|which|who|while|whereas|and|but)\b", re.IGNORECASE)
_PREP_PHRASE = re.compile(
    r"\s+(?P<pp>(?:on\s+behalf\s+of|in\s+support\s+of|in\s+favou?r\s+of|on|for|to|toward|towards|against|into|"
    r"from|in|over|under)\s+[^,;:.()\"“”—–\n]+)",
    re.IGNORECASE,
)
_PP_CUT = re.compile(
    r"\s+(?:and|but|or|while|which|who|that|according\s+to|as\s+of|through|by|since|during)\s"
    r"|\s+in\s+the\s+(?:last|latest|most|previous|current|first|second|third|fourth|past)\b",
    re.IGNORECASE,
)
_DETERMINERS = re.compile(r"^(?:the|a|an|its|his|her|their|this|that|these|those|our|your)\s+", re.IGNORECASE)


@dataclass(slots=True)
class _Fig:
    start: int  # figure start (without qualifier)
    end: int
    kind: str
    value: float
    unit: str | None
    counted: str | None
    priority: int


# ---------------------------------------------------------------- numbers


def parse_number(token: str) -> float | None:
    """A written number as a float: "650,000", "4.2", "seven", "twenty-five", "two hundred"."""
    t = token.strip().casefold().replace(",", "")
    if not t:
        return None
    try:
        return float(t)
    except ValueError:
        pass
    total = 0.0
    current = 0.0
    seen = False
    for part in re.split(r"[\s-]+", t):
        if part in ("a", "one"):
            current += 1
        elif part in _WORD_NUMBERS:
            current += _WORD_NUMBERS[part]
        elif part in ("hundred", "hundreds"):
            current = (current or 1) * 100
        elif part in ("thousand", "thousands", "million", "billion"):
            total += (current or 1) * {"thousand": 1e3, "thousands": 1e3, "million": 1e6, "billion": 1e9}[part]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def _scaled(num: str, scale: str | None, abbr: str | None) -> float | None:
    v = parse_number(num)
    if v is None:
        return None
    if scale:
        v *= _SCALES[scale.casefold()]
    elif abbr:
        v *= _SCALES[abbr.casefold()]
    return v


def _singular(word: str) -> str:
    w = word.casefold().strip("'’")
    if w in _PLURAL_IRREGULAR:
        return _PLURAL_IRREGULAR[w]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and re.search(r"(?:ss|x|ch|sh)es$", w):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _looks_plural(word: str) -> bool:
    w = word.casefold().strip("'’")
    return w in _PLURAL_IRREGULAR or (len(w) > 2 and w.endswith("s") and not w.endswith(("ss", "us", "is", "'s", "’s")))


# ---------------------------------------------------------------- candidates


def _money(text: str, out: list[_Fig]) -> None:
    for m in _MONEY_SYMBOL.finditer(text):
        v = _scaled(m["num"], m["scale"], m["abbr"])
        sym = re.sub(r"\s", "", m["sym"]).casefold()
        if v is not None:
            out.append(_Fig(m.start(), m.end(), "money", v, _SYMBOLS.get(sym, "USD"), None, 0))
    for m in _MONEY_CODE.finditer(text):
        v = _scaled(m["num"], m["scale"], m["abbr"])
        if v is not None:
            out.append(_Fig(m.start(), m.end(), "money", v, m["code"], None, 0))
    for m in _MONEY_WORD.finditer(text):
        v = _scaled(m["num"], m["scale"], m["abbr"])
        cur = " ".join(m["cur"].split())
        code = cur.upper() if cur.upper() in CURRENCY_CODES else _CURRENCY_WORDS.get(cur.casefold())
        if code is None:
            code = "USD" if "dollar" in cur.casefold() else None
        if v is not None and code is not None:
            out.append(_Fig(m.start(), m.end(), "money", v, code, None, 0))


def _percents(text: str, out: list[_Fig]) -> None:
    for m in _PERCENT.finditer(text):
        v = parse_number(m["num"])
        if v is None:
            continue
        counted = "percentage points" if m["pct"].casefold().startswith("percentage") else None
        out.append(_Fig(m.start(), m.end(), "percent", v, "%", counted, 1))


def _counted_run(text: str, pos: int, allow_capital_head: bool) -> tuple[str, str, int] | None:
    """The counted noun phrase right after ``pos``: (phrase, head word, end offset)."""
    words: list[tuple[str, int, int]] = []
    cur = pos
    for _ in range(4):
        m = _WORD.match(text, cur)
        if m is None or "\n" in text[cur : m.start(1)]:
            break
        w = m.group(1)
        low = w.casefold()
        if low in _COUNT_STOP or w.endswith(("'s", "’s")) or "." in w.rstrip("."):
            break
        if w.endswith(".") and len(w) <= 4:
            break  # an abbreviation, or the sentence's end
        w = w.rstrip(".")
        if words and allow_capital_head and words[0][0][0].isupper() and not w[0].isupper():
            break  # "250-member House during ...": a proper-noun head ends at the first common word
        words.append((w, m.start(1), m.start(1) + len(w)))
        cur = m.start(1) + len(w)
        if _looks_plural(w) and w[0].islower():
            break
        if w[0].islower() and not low.endswith(("ed", "ing", "al", "ic", "ive", "ous", "ful", "ary", "ern", "er")) and low not in ("other", "more", "new", "old", "top", "full", "extra", "additional", "million", "thousand"):
            # a singular common noun ends the phrase unless the next word is a plural noun
            nxt = _WORD.match(text, cur)
            if not (nxt and nxt.group(1)[0].islower() and _looks_plural(nxt.group(1)) and nxt.group(1).casefold() not in _COUNT_STOP):
                break
    if not words:
        return None
    # Trim a trailing capitalised run unless capitals are allowed as the head (hyphenated "250-member House").
    while words and not allow_capital_head and not words[-1][0][0].islower():
        words.pop()
    if not words:
        return None
    phrase = text[words[0][1] : words[-1][2]]
    return phrase, words[-1][0], words[-1][2]


def _counts(text: str, out: list[_Fig]) -> None:
    for m in _COUNT.finditer(text):
        num = m["num"]
        if m["scale"]:
            v = parse_number(num[: m.start("scale") - m.start("num")])
            v = None if v is None else v * _SCALES[m["scale"].casefold()]
        else:
            v = parse_number(num)
        if v is None:
            continue
        s = m.start()
        before = text[max(0, s - 24) : s]
        prev = re.search(r"([A-Za-z][\w.]*)\s*#?\s*$", before)
        if prev:
            pw = prev.group(1)
            if pw.rstrip(".").casefold() in _DESIGNATORS:
                continue
            if pw[0].isupper() and not _sentence_initial(text, s - len(before) + prev.start(1)) and pw.casefold() not in _QUALIFIER_OF and pw.casefold() not in ("the", "some", "about", "over", "nearly", "almost", "only", "all", "just"):
                continue  # "Windows 11", "Kids First 2"
        if re.search(r"#\s*$", before):
            continue
        if num[0].isalpha() and num.casefold() in ("hundreds", "thousands"):
            continue  # vague
        hnoun = m["hnoun"]
        if hnoun:
            h = hnoun.casefold()
            if h not in _HYPHEN_NOUNS:
                continue
            run = _counted_run(text, m.end(), allow_capital_head=True)
            counted = run[0] if run else None
            out.append(_Fig(s, m.end(), "count", v, _singular(h), counted, 3))
            continue
        run = _counted_run(text, m.end(), allow_capital_head=False)
        if run is None:
            continue
        phrase, head, _end = run
        if v != 1 and not _looks_plural(head):
            continue
        if v == 1:
            continue  # "one post": too vague to be a claim
        out.append(_Fig(s, m.end(), "count", v, _singular(head), phrase, 3))


def _sentence_initial(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \t\"“‘'(")
    return not before or before[-1] in ".!?\n:;”\"" or before.endswith("—")


def _select(figs: list[_Fig], blocked: list[tuple[int, int]], size: int) -> list[_Fig]:
    """Non-overlapping figures, outside ``blocked`` spans; money and percentages before counts."""
    cover = bytearray(size)
    for s, e in blocked:
        cover[s:e] = b"\x01" * (e - s)
    chosen: list[_Fig] = []
    for f in sorted(figs, key=lambda f: (f.priority, -(f.end - f.start), f.start)):
        if cover.find(b"\x01", f.start, f.end) != -1:
            continue
        chosen.append(f)
        cover[f.start : f.end] = b"\x01" * (f.end - f.start)
    return sorted(chosen, key=lambda f: f.start)


# ---------------------------------------------------------------- context


def _qualifier(text: str, start: int, floor: int) -> tuple[str, int]:
    window = text[max(floor, start - 30) : start]
    m = _QUALIFIER_RE.search(window)
    if not m:
        return "exact", start
    q = _QUALIFIER_OF.get(" ".join(m["q"].casefold().split()), "exact")
    return q, start - len(window) + m.start("q")


def _as_of(
    text: str, start: int, end: int, sent: tuple[int, int], dates: Sequence[DateMention]
) -> tuple[str | None, str | None]:
    """(as_of ISO value or None, anchoring words or None) for a figure at start..end."""
    s_lo, s_hi = sent
    best: tuple[int, str | None, str] | None = None

    def consider(a: int, b: int, value: str | None) -> None:
        nonlocal best
        if a < end and start < b:
            return
        dist = start - b if b <= start else a - end
        if best is None or dist < best[0]:
            best = (dist, value, text[a:b])

    in_sentence = [d for d in dates if s_lo <= d.start < s_hi]
    for d in in_sentence:
        if d.kind not in ("DATE", "TIME"):
            continue
        pm = _AS_OF_PREP.search(text, max(s_lo, d.start - 40), d.start)
        if pm is None:
            continue
        value = d.value
        if value is not None:
            value = value.split("T", 1)[0]
            if not re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", value):
                value = None
        consider(pm.start(), d.end, value)
    sentence = text[s_lo:s_hi]
    for pattern in (_AS_OF_PERIOD, _AS_OF_LOOSE):
        for m in pattern.finditer(sentence):
            a, b = s_lo + m.start("t"), s_lo + m.end("t")
            inner = [d for d in in_sentence if a <= d.start and d.end <= b and d.kind in ("DATE", "TIME") and d.value]
            value = inner[0].value.split("T", 1)[0] if inner and inner[0].value else None
            if value is not None and not re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", value):
                value = None  # "as of now": no calendar value
            if best is not None and best[2] and text[a:b] in best[2]:
                continue
            consider(a, b, value)
    if best is None:
        return None, None
    return best[1], best[2]


def _money_counted(text: str, start: int, end: int, sent: tuple[int, int], as_of_text: str | None) -> str | None:
    """Governing verb as written + what the money is for, read off the words around the figure."""
    ctx = _regex_context(text, start, end, sent, as_of_text)
    verb_text, pp, subject = ctx["verb_text"], ctx["prep_phrase"], ctx["subject_text"]
    if ctx["verb"] == "be" and subject:
        head = _DETERMINERS.sub("", subject)
        return f"{head} {pp}".strip() if pp else head
    parts = [p for p in (verb_text, pp) if p]
    return " ".join(parts) if parts else None


def _regex_context(
    text: str, start: int, end: int, sent: tuple[int, int], as_of_text: str | None
) -> dict[str, Any]:
    s_lo, s_hi = sent
    left = text[s_lo:start]
    # the clause before the figure
    cut = 0
    for m in _CLAUSE_LEFT.finditer(left):
        if m.end() < len(left) - 1:
            cut = m.end()
    clause = left[cut:]
    verb_lemma: str | None = None
    verb_text: str | None = None
    subject: str | None = None
    tokens = list(re.finditer(r"[A-Za-z][\w'’-]*", clause))
    for i in range(len(tokens) - 1, -1, -1):
        w = tokens[i].group(0)
        low = w.casefold()
        if low in _MONEY_VERBS:
            verb_lemma = _MONEY_VERBS[low]
            verb_text = w
            # "has spent": take the lexical verb, skip auxiliaries before it
            subj_end = tokens[i].start()
            j = i - 1
            while j >= 0 and tokens[j].group(0).casefold() in ("has", "have", "had", "is", "are", "was", "were", "be", "been", "will", "would", "also", "already", "reportedly", "now", "just", "only"):
                subj_end = tokens[j].start()
                j -= 1
            subject_raw = clause[:subj_end].strip()
            subject = subject_raw or None
            break
        if re.fullmatch(r"[a-z]+ed", w) and i > 0 and tokens[i - 1].group(0).casefold() in ("has", "have", "had", "was", "were"):
            verb_lemma = low[:-3] + "y" if low.endswith("ied") else low[:-2]
            verb_text = w
            subject = clause[: tokens[i - 1].start()].strip() or None
            break
    pp: str | None = None
    m = _PREP_PHRASE.match(text, end, s_hi)
    if m:
        phrase = m["pp"]
        c = _PP_CUT.search(phrase)
        if c:
            phrase = phrase[: c.start()]
        phrase = phrase.strip()
        words = phrase.split()
        if len(words) > 12:
            phrase = " ".join(words[:12])
        if len(words) >= 2 and not (as_of_text and phrase in as_of_text) and not re.match(
            r"(?i)(?:in|on|by|for)\s+(?:the\s+)?(?:last|past|latest|first|next|previous)\b", phrase
        ):
            pp = phrase
    noun = None
    return {"verb": verb_lemma, "verb_text": verb_text, "noun": noun, "prep_phrase": pp, "subject_text": subject}


def quantity_context(q: Quantity, text: str, doc: Any = None) -> dict[str, Any]:
    """What a figure is about: ``verb`` (lemma of the governing verb), ``noun`` (counted noun lemma),
    ``prep_phrase`` (what the money is for) and ``subject_text`` (the clause's subject).

    With a spaCy ``doc`` of ``text`` the parse is used; otherwise word rules.
    """
    sent = (q.sentence_start, q.sentence_end) if q.sentence_end > q.sentence_start else sentence_at(
        split_sentences(text), q.start
    )
    ctx = _regex_context(text, q.start, q.end, sent, q.as_of_text)
    noun = q.unit if q.kind == "count" else None
    result: dict[str, Any] = {
        "verb": ctx["verb"], "noun": noun, "prep_phrase": ctx["prep_phrase"], "subject_text": ctx["subject_text"],
    }
    if doc is not None:
        try:
            result.update({k: v for k, v in _parse_context(doc, q).items() if v})
        except Exception:  # noqa: BLE001 - a parse that does not fit the text falls back on the rules
            pass
    return result


def _parse_context(doc: Any, q: Quantity) -> dict[str, Any]:
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return {}
    head = span.root
    verb = None
    for _ in range(6):
        if head.pos_ in ("VERB", "AUX"):
            verb = head
            break
        if head.head is head:
            break
        head = head.head
    out: dict[str, Any] = {}
    if verb is not None:
        out["verb"] = verb.lemma_.casefold()
        subj = [t for t in verb.children if t.dep_ in ("nsubj", "nsubjpass", "csubj")]
        if subj:
            sub = subj[0]
            out["subject_text"] = doc_text(doc)[sub.left_edge.idx : sub.right_edge.idx + len(sub.right_edge)]
        preps = [
            t for t in list(verb.children) + list(span.root.children)
            if t.dep_ == "prep" and t.idx >= q.end and t.lower_ in ("on", "for", "to", "toward", "towards", "against", "into")
        ]
        if preps:
            p = min(preps, key=lambda t: t.i)
            out["prep_phrase"] = doc_text(doc)[p.idx : p.right_edge.idx + len(p.right_edge)]
    if q.kind == "count":
        root = span.root
        if root.pos_ in ("NOUN", "PROPN") and not root.like_num:
            out["noun"] = root.lemma_.casefold()
        elif root.head.pos_ in ("NOUN", "PROPN"):
            out["noun"] = root.head.lemma_.casefold()
    return out


# ---------------------------------------------------------------- entry point


def extract_quantities(
    text: str,
    article_id: str,
    *,
    dates: Sequence[DateMention] = (),
    anchor: str | None = None,
    doc: Any = None,
) -> list[Quantity]:
    """Money amounts, percentages and counts stated in ``text``.

    ``dates`` are the article's date mentions (found here when not given): numbers
    inside them are not figures, and they resolve "as of" phrases. ``doc`` (a
    spaCy Doc of ``text``) refines ``counted`` for money when given.
    """
    if not text:
        return []
    if not dates:
        dates = extract_dates(text, article_id, anchor)
    blocked = [(d.start, d.end) for d in dates]
    blocked += [(m.start(), m.end()) for m in _PHONE.finditer(text)]
    blocked += [(m.start(), m.end()) for m in _AGE.finditer(text)]
    figs: list[_Fig] = []
    _money(text, figs)
    _percents(text, figs)
    _counts(text, figs)
    chosen = _select(figs, blocked, len(text))
    sents = split_sentences(text)
    sorted_dates = sorted(dates, key=lambda d: d.start)
    date_starts = [d.start for d in sorted_dates]
    out: list[Quantity] = []
    for f in chosen:
        sent = sentence_at(sents, f.start)
        floor = sent[0] if sent[0] <= f.start else 0
        qualifier, q_start = _qualifier(text, f.start, floor)
        lo_i, hi_i = bisect_left(date_starts, sent[0]), bisect_left(date_starts, sent[1])
        as_of, as_of_text = _as_of(text, q_start, f.end, sent, sorted_dates[lo_i:hi_i])
        counted = f.counted
        if f.kind == "money":
            counted = _money_counted(text, q_start, f.end, sent, as_of_text)
        q = Quantity(
            article_id=article_id,
            start=q_start,
            end=f.end,
            text=text[q_start : f.end],
            kind=f.kind,
            value=float(f.value),
            unit=f.unit,
            qualifier=qualifier,
            counted=counted,
            as_of=as_of,
            as_of_text=as_of_text,
            sentence_start=sent[0],
            sentence_end=max(sent[1], f.end),
        )
        if doc is not None and f.kind == "money":
            ctx = quantity_context(q, text, doc)
            if ctx.get("verb") in ("be", "have", None):
                out.append(q)  # a copula: the subject, read by the word rules, says what the money is
                continue
            verb_text = _verb_surface(text, sent, ctx.get("verb"))
            parts = [p for p in (verb_text, ctx.get("prep_phrase")) if p]
            if parts:
                q = _replace_counted(q, " ".join(parts))
        out.append(q)
    return out


def _verb_surface(text: str, sent: tuple[int, int], lemma: str | None) -> str | None:
    if not lemma or lemma in ("be", "have"):
        return None
    for form, lem in _MONEY_VERBS.items():
        if lem == lemma and re.search(rf"\b{re.escape(form)}\b", text[sent[0] : sent[1]]):
            return form
    return lemma


def _replace_counted(q: Quantity, counted: str) -> Quantity:
    from dataclasses import replace

    return replace(q, counted=counted)
