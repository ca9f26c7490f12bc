"""Turn raw report text into clean article text.

Conventions of the cleaned text (what ``clean_text`` returns):

* one paragraph per line, paragraphs separated by a single ``"\\n"``;
* no blank lines, no leading/trailing whitespace, runs of spaces collapsed;
* no NUL or other control characters (``\\n`` is the only one left);
* the title is *not* part of the text when it is passed as ``title`` (a line
  repeating it is dropped as page chrome).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import ftfy

__all__ = [
    "clean_text",
    "clean_title",
    "content_hash",
    "is_chrome_line",
    "normalize_newlines",
    "normalize_whitespace",
    "rejoin_paragraphs",
    "remove_control_chars",
    "repair_mojibake",
    "strip_chrome",
]

# --- mojibake ----------------------------------------------------------------

_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=True,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=True,
    remove_control_chars=False,
    normalization="NFC",
    explain=False,
)


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as Latin-1/cp1252 ("CafÃ©" -> "Café").

    Quotes, ligatures and character widths are left as they are.
    """
    if not text or text.isascii():
        return text
    return ftfy.fix_text(text, _FTFY_CONFIG)


# --- control characters and whitespace --------------------------------------

# Control characters except \t and \n, C1 controls, lone surrogates, and invisible junk
# (zero-width space, BOM, soft hyphen, object replacement character).
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u200b\u00ad\ufeff\ufffc]")
_SPACES_RE = re.compile(r"[^\S\n]+")  # any whitespace except newline
_LINE_BREAKS_RE = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")


def normalize_newlines(text: str) -> str:
    """``\r\n``, ``\r`` and other line/paragraph separators to ``\n``."""
    return _LINE_BREAKS_RE.sub("\n", text)


def remove_control_chars(text: str) -> str:
    """Normalise line breaks to ``\\n`` and drop NUL, control and invisible characters."""
    text = _LINE_BREAKS_RE.sub("\n", text)
    return _CONTROL_RE.sub("", text)


def normalize_whitespace(text: str) -> str:
    """Collapse spaces inside lines, strip lines, drop blank lines (one paragraph per line)."""
    lines = (_SPACES_RE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def clean_title(title: str | None) -> str | None:
    """A title on one line, repaired and trimmed; None when nothing is left."""
    if title is None:
        return None
    cleaned = _SPACES_RE.sub(" ", remove_control_chars(repair_mojibake(title)).replace("\n", " ")).strip()
    return cleaned or None


# --- page chrome --------------------------------------------------------------

_SHARE_WORDS = {
    "facebook", "twitter", "x", "email", "e-mail", "mail", "linkedin", "whatsapp", "pinterest",
    "reddit", "telegram", "print", "share", "copy", "link", "tumblr", "messenger", "sms",
    "flipboard", "threads", "bluesky", "pocket", "tweet", "comment", "comments", "google+",
}
_SHARE_SEP_RE = re.compile(r"[\s|,·•/]+")

_CHROME_PATTERNS = [
    # comment forms
    r"(please )?(enter|leave|post|add|write|submit) (your|a) (comment|reply|name|e-?mail( address)?|website)( here)?",
    r"(cancel|post|submit) (reply|comment)",
    r"\d* ?comments?( \(\d+\))?",
    r"(view|show|load|hide) (all )?(\d+ )?comments?",
    r"join the (conversation|discussion)",
    r"save my name,? e-?mail,? and website in this browser.*",
    r"you must be logged in to post a comment.*",
    r"your e-?mail address will not be published.*",
    # related / trending link lists
    r"(related|recommended|more|latest|popular|trending|top|similar)"
    + r" (articles?|stories|posts|news|reads?|content|coverage|links|videos?)",
    r"(hot|trending) (topics|now|stories)",
    r"most (read|popular|viewed|shared|emailed)",
    r"(you|you might|you may) (also|might also|may also) (like|enjoy|be interested in)",
    r"don'?t miss",
    r"more from [^.!?]{1,40}",
    # sharing
    r"share( this| the)?( article| story| post| page| on \w+)?",
    r"(share|tweet|email|post) (on|via|to) \w+",
    r"click to (share|email|print)[^.]*",
    # ads, subscriptions, cookies
    r"advertisement( - scroll to continue)?",
    r"(sponsored|paid)( content| post)?",
    r"(story|article) continues (below|after)( advertisement| the ad| this ad)?",
    r"continue reading( below| the main story)?",
    r"skip (advertisement|ad)",
    r"subscribe\b.{0,120}",
    r"sign up\b.{0,150}\bnewsletters?\b.{0,80}",
    r"(accept|reject|manage|allow) (all )?cookies.*",
    r"(we|this (web)?site) uses? cookies\b.{0,300}",
    r"(cookie|privacy) (policy|settings|preferences|notice)",
    # "read more" teasers
    r"read (more|also|next)",
    r"(read (more|also|next)|see also|also read|related|watch|listen)\s*[:|»>-]\s*.{0,200}",
    r"click here\b.{0,120}",
    r"(staff|senior|contributing) (writer|reporter|correspondent)",
]
_CHROME_RE = re.compile("(?:" + "|".join(_CHROME_PATTERNS) + r")[\s!.:…»>|-]*", re.IGNORECASE)

# "By Jane Doe", "By Jane Doe and John Roe, Daily Planet": names are capitalised words.
_NAME = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
_NOT_NAMES = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May"
    r"|June|July|August|September|October|November|December|The|This|That|Then|Now|Late|Early|Last|Next"
    r"|Today|Tonight|Tomorrow|Yesterday|Noon|Midnight|Law|Contrast|Comparison|Far|Design|Default)"
)
_BYLINE_RE = re.compile(
    rf"(?:[Bb]y|BY|[Ww]ritten by|[Rr]eporting by|[Ss]tory by|[Ww]ords by)\s+(?!{_NOT_NAMES}\b){_NAME}"
    rf"(?:(?:\s*,\s*|\s+and\s+){_NAME})*(?:\s*[,|/–—-]\s*{_NAME})?"
)
_PHOTO_LABEL_RE = re.compile(
    r"(?:photo|photograph|picture|image|credit|photo credit|illustration|file photo|video)s?\s*(:|by\b)",
    re.IGNORECASE,
)

# A line that is only "(Name/Outlet)" or "(Photo: ...)" or "Name Name/Agency".
_PAREN_CREDIT_RE = re.compile(r"\(\s*([^()]{2,100})\s*\)")
_CREDIT_WORDS_RE = re.compile(
    r"\b(photo|photograph|image|picture|credit|courtesy|getty|reuters|afp|associated press|ap|epa"
    r"|shutterstock|file|pool|handout)\b",
    re.IGNORECASE,
)
_SLASH_CREDIT_RE = re.compile(r"[A-Z][\w.'’-]*(\s+[A-Z][\w.'’-]*){0,4}\s*/\s*[A-Z][\w.&'’-]*(\s+[A-Z][\w.&'’-]*){0,5}")

# Markers after which a page lists other stories' headlines.
_TAIL_MARKER_RE = re.compile(
    r"(related|recommended|more|latest|popular|trending|similar) (articles?|stories|posts|news|reads?)"
    r"|(hot|trending) (topics|now|stories)|most (read|popular|viewed)|leave a (reply|comment)"
    r"|(please )?enter your (comment|name)( here)?",
    re.IGNORECASE,
)

# A sentence end: punctuation (maybe inside closing quotes/brackets), or a closing quote not after a comma.
_TERMINAL_RE = re.compile(r"[.!?…:;][\"”’'»)\]]*$|(?<![,\s])[\"”»]$|\s[”»]$")
_MONTHS = (
    r"(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?"
    r"|nov(ember)?|dec(ember)?)\.?"
)
_DATE_IN_LINE_RE = re.compile(
    rf"\b({_MONTHS}\s+\d{{1,2}}(st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(st|nd|rd|th)?\s+{_MONTHS},?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2})\b",
    re.IGNORECASE,
)


def _norm_line(line: str) -> str:
    """A line reduced to lowercase letters and digits, for comparing with the title."""
    return re.sub(r"[\W_]+", " ", line.casefold()).strip()


def _word_count(line: str) -> int:
    return len(line.split())


def _is_share_row(line: str) -> bool:
    tokens = [t for t in _SHARE_SEP_RE.split(line.casefold()) if t]
    if not tokens or len(tokens) > 12 or not all(t in _SHARE_WORDS for t in tokens):
        return False
    return len(tokens) >= 2 or tokens[0] not in {"x", "link", "copy", "mail"}


def _is_photo_credit(line: str) -> bool:
    label = _PHOTO_LABEL_RE.match(line)
    if label:
        limit = 15 if label.group(1) == ":" else 8
        return _word_count(line) <= limit and (label.group(1) == ":" or not _TERMINAL_RE.search(line))
    paren = _PAREN_CREDIT_RE.fullmatch(line)
    if paren:
        inner = paren.group(1)
        return _word_count(inner) <= 14 and ("/" in inner or bool(_CREDIT_WORDS_RE.search(inner)))
    return _word_count(line) <= 10 and not _TERMINAL_RE.search(line) and bool(_SLASH_CREDIT_RE.fullmatch(line))


def is_chrome_line(line: str) -> bool:
    """True for a line that is page furniture wherever it appears."""
    if _is_share_row(line) or _is_photo_credit(line):
        return True
    if _word_count(line) <= 12 and _BYLINE_RE.fullmatch(line):
        return True
    if _word_count(line) > 60:
        return False
    return bool(_CHROME_RE.fullmatch(line))


def _is_body_line(line: str) -> bool:
    """A line that reads like article prose (ends a sentence or is long)."""
    return bool(_TERMINAL_RE.search(line)) or _word_count(line) >= 8


def _is_header_label(line: str) -> bool:
    """A section/category line or a bare byline: 1-4 short words, no sentence punctuation."""
    words = line.replace(",", " ").replace("|", " ").split()
    if not 1 <= len(words) <= 4 or _TERMINAL_RE.search(line) or _DATE_IN_LINE_RE.search(line):
        return False
    return all(len(w) <= 15 for w in words)


def _is_link_list_line(line: str) -> bool:
    """A headline-like line in a list of links (short, no sentence end)."""
    return _word_count(line) <= 25 and not _TERMINAL_RE.search(line)


def strip_chrome(text: str, *, title: str | None = None) -> str:
    """Drop page-chrome lines (comment forms, share rows, credits, ads, bylines, repeated title...).

    Lines are the units; blank lines are kept so paragraph breaks survive. ``title`` (or, when
    not given, the first line) is used to recognise a repeated headline near the top.
    """
    lines = text.split("\n")
    stripped = [line.strip() for line in lines]
    non_empty = [i for i, s in enumerate(stripped) if s]
    if not non_empty:
        return ""
    first = -1  # index of the title line when the text starts with one
    if title is None:
        first = next((i for i in non_empty if not is_chrome_line(stripped[i])), -1)
        if first >= 0 and _TERMINAL_RE.search(stripped[first]):
            first = -1
    title_key = _norm_line(title) if title else (_norm_line(stripped[first]) if first >= 0 else "")
    keep = [True] * len(lines)
    in_header = True
    in_tail_list = False
    kept = 0  # lines kept so far
    half = len(non_empty) // 2
    for rank, i in enumerate(non_empty):
        line = stripped[i]
        if is_chrome_line(line):
            keep[i] = False
            if rank >= half and _TAIL_MARKER_RE.fullmatch(line.rstrip(" !.:…»>|-")):
                in_tail_list = True
            continue
        if in_tail_list and _is_link_list_line(line):
            keep[i] = False
            continue
        in_tail_list = False
        is_first_title = i == first
        if not is_first_title and title_key and (in_header or kept < 6) and _norm_line(line) == title_key:
            keep[i] = False
            continue
        if in_header and not is_first_title:
            if _is_body_line(line):
                in_header = False
            elif _is_header_label(line):
                keep[i] = False
                continue
        kept += 1
    return "\n".join(line for line, k in zip(lines, keep) if k)


# --- broken paragraphs --------------------------------------------------------

_DANGLING_WORDS = {
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "and", "or", "but",
    "nor", "as", "that", "which", "who", "whose", "whom", "than", "into", "onto", "about", "its",
    "his", "her", "their", "our", "your", "my", "is", "are", "was", "were", "be", "been", "has",
    "have", "had", "will", "would", "could", "should", "said", "says", "this", "these", "those",
}


def _continues(prev: str, nxt: str) -> bool:
    """Whether paragraph ``nxt`` continues the unfinished sentence of ``prev``."""
    if _TERMINAL_RE.search(prev):
        return False
    head = nxt[:1]
    if head.islower():
        return True
    last_word = prev.rsplit(None, 1)[-1].casefold() if prev.split() else ""
    return prev.endswith(",") or (last_word in _DANGLING_WORDS and (head.isalnum() or head in "\"“‘'("))


def _looks_hard_wrapped(lines: list[str]) -> bool:
    """Text wrapped at a fixed width (e-mail style): most long lines stop mid-sentence."""
    long_lines = [s for s in lines if len(s) >= 40]
    if len(long_lines) < 4 or max(len(s) for s in lines) > 100:
        return False
    unfinished = sum(1 for s in long_lines if not _TERMINAL_RE.search(s))
    return unfinished / len(long_lines) >= 0.6


def rejoin_paragraphs(text: str) -> str:
    """Re-join paragraphs broken mid-sentence; return one paragraph per line.

    A paragraph that does not end a sentence is joined (with a space) to the next one when the
    next starts in lowercase, or when the first ends with a comma or a word that cannot end a
    sentence ("of", "the", ...). A first line that looks like a title stays alone.
    """
    lines = [line.strip() for line in text.split("\n")]
    if _looks_hard_wrapped([s for s in lines if s]):
        blocks = re.split(r"\n\s*\n", text)
        lines = [" ".join(b.split()) for b in blocks]
    out: list[list[str]] = []  # each paragraph as the pieces to join
    for para in (p for p in lines if p):
        if out and _continues(out[-1][-1], para) and not (len(out) == 1 and _is_title_like(out[0], para)):
            out[-1].append(para)
        else:
            out.append([para])
    return "\n".join(" ".join(pieces) for pieces in out)


def _is_title_like(first: list[str], nxt: str) -> bool:
    return len(first) == 1 and len(first[0]) < 200 and not nxt[:1].islower() and not first[0].endswith(",")


# --- composition --------------------------------------------------------------


def clean_text(raw: str, *, title: str | None = None) -> str:
    """Repair, strip chrome, re-join broken paragraphs and normalise whitespace.

    The result has one paragraph per line (single ``\\n`` between paragraphs).
    """
    text = remove_control_chars(repair_mojibake(normalize_newlines(raw.replace("\x00", ""))))
    text = _SPACES_RE.sub(" ", text)
    text = strip_chrome(text, title=clean_title(title))
    text = rejoin_paragraphs(text)
    return normalize_whitespace(text)


# --- hashing ------------------------------------------------------------------

_QUOTE_DASH_TABLE = str.maketrans(
    {
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "´": "'",
        "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
        "…": "...",
    }
)


def content_hash(text: str) -> str:
    """SHA-256 (hex) of the text with case, whitespace, quote and dash differences removed."""
    norm = unicodedata.normalize("NFKC", text).casefold().translate(_QUOTE_DASH_TABLE)
    norm = " ".join(norm.split())
    return hashlib.sha256(norm.encode("utf-8", "surrogatepass")).hexdigest()
