"""Language guesses: plain English takes the function-word fast path; other languages still get lingua."""

from __future__ import annotations

from storyline.language import _plainly_english, detect_language

ENGLISH = (
    "Mayor Ann Okafor ordered the evacuation of 1,200 residents from Port Ardent after the river rose two "
    "metres overnight. Engineers said the levee was holding, but the weather office warned that more rain "
    "would fall on Thursday and that the valley road had been cut."
)
FRENCH = (
    "Le gouvernement a annoncé mardi que les prix de l'énergie resteront stables pour les ménages, selon le "
    "ministre qui était en visite à Lyon avec le président et la délégation."
)
MIXED = (
    'Le président a dit: "the talks were good and the deal is close", selon le ministre qui était à Paris '
    "avec la délégation pour les négociations sur le commerce."
)


def test_plain_english_is_recognised_without_lingua() -> None:
    assert _plainly_english(ENGLISH)
    assert detect_language(ENGLISH) == "en"


def test_other_languages_and_mixed_text_go_to_lingua() -> None:
    assert not _plainly_english(FRENCH) and detect_language(FRENCH) == "fr"
    assert not _plainly_english(MIXED) and detect_language(MIXED) == "fr"
    assert not _plainly_english("Floods cut the valley road.")  # too few words to be sure


def test_too_little_text_gives_no_guess() -> None:
    assert detect_language("12 34 — !!") is None
