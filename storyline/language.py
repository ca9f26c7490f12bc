"""Guess the language of a report (ISO 639-1 code).

Plain English prose, by far the commonest input, is recognised by its function
words alone (a few microseconds); anything else goes to lingua in its fast
low-accuracy mode (milliseconds per report, the bulk of ingest time when every
report is checked).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingua import LanguageDetector

__all__ = ["detect_language"]

SAMPLE_CHARS = 2000  # only the start of the text is looked at
MIN_LETTERS = 20  # fewer letters than this: no guess

# Function words that are common in English and rare as words of other languages.
_ENGLISH = frozenset(
    ["the", "and", "of", "to", "is", "was", "were", "that", "with", "for", "are", "has", "have", "had", "been", "which", "this", "from", "by", "it", "its", "he", "she", "they", "their", "his", "her", "who", "would", "will", "not", "but", "said", "after", "about", "there", "than", "when", "what"]
)
# Function words of other languages (mostly European) that English prose hardly uses.
_FOREIGN = frozenset(
    ["de", "la", "le", "les", "des", "et", "est", "une", "du", "dans", "que", "qui", "pour", "pas", "sur", "au", "avec", "il", "der", "das", "und", "ist", "nicht", "mit", "von", "den", "dem", "sich", "auch", "ein", "eine", "zu", "el", "los", "las", "del", "y", "por", "con", "una", "es", "para", "se", "su", "het", "een", "niet", "op", "dat", "zijn", "voor", "di", "che", "della", "per", "non", "sono", "gli", "da", "em", "não", "uma", "com", "ao", "dos", "das", "och", "att", "är", "som", "för", "på", "og", "er", "til", "ikke", "na", "się", "że", "nie", "jest", "ng", "mga"]
)
ENGLISH_SHARE = 0.1  # share of a sample's words that must be English function words
ENGLISH_MIN_HITS = 5  # and at least this many of them
FOREIGN_RATIO = 4  # and at least this many times the foreign function words
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def _plainly_english(sample: str) -> bool:
    words = _WORD.findall(sample.lower())
    hits = sum(1 for w in words if w in _ENGLISH)
    if hits < ENGLISH_MIN_HITS or hits < ENGLISH_SHARE * len(words):
        return False
    return hits >= FOREIGN_RATIO * sum(1 for w in words if w in _FOREIGN)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code (lowercase) of the text's language, or None when there is too little to tell."""
    sample = text[:SAMPLE_CHARS]
    if sum(1 for ch in sample if ch.isalpha()) < MIN_LETTERS:
        return None
    if _plainly_english(sample):
        return "en"
    language = _detector().detect_language_of(sample)
    if language is None:
        return None
    return language.iso_code_639_1.name.lower()
