"""Entity mentions and their resolution into entities (invented names; seeds read-only)."""

from __future__ import annotations

import pytest
from _shared import SEEDS

from storyline.entities import (
    _possessed,
    add_story_mentions,
    extract_mentions,
    link_entities_across_stories,
    resolve_entities,
)
from storyline.model import Entity, Mention


class _Span:
    def __init__(self, text: str, start: int, end: int, label: str) -> None:
        self.start_char, self.end_char, self.label_ = start, end, label
        self.text = text[start:end]


class _Doc:
    """A stand-in for a spaCy Doc: ``text`` and ``ents`` are all extraction reads."""

    def __init__(self, text: str, ents: list[tuple[str, str]], *, occurrence: dict[str, int] | None = None) -> None:
        self.text = text
        self.ents = []
        seen: dict[str, int] = {}
        for surface, label in ents:
            pos = -1
            for _ in range(seen.get(surface, 0) + 1):
                pos = text.index(surface, pos + 1)
            seen[surface] = seen.get(surface, 0) + 1
            self.ents.append(_Span(text, pos, pos + len(surface), label))
        self.ents.sort(key=lambda e: e.start_char)


def _m(article: str, text: str, label: str, start: int = 0) -> Mention:
    return Mention(article, start, start + len(text), text, label)


def _entity_of(entities: list[Entity], surface: str) -> Entity:
    for e in entities:
        if any(m.text == surface for m in e.mentions):
            return e
    raise AssertionError(f"{surface!r} not in {[(e.name, e.aliases) for e in entities]}")


# --------------------------------------------------------------------------- extraction


def test_spans_are_tidied_and_offsets_stay_true() -> None:
    text = "The board met. Later the Tillbury Harbour Trust said Osei’s plan failed, per Osei's aide."
    doc = _Doc(text, [("the Tillbury Harbour Trust", "ORG"), ("Osei’s", "PERSON"), ("Osei's", "PERSON")])
    ms = extract_mentions(doc, "a1")
    assert [m.text for m in ms] == ["Tillbury Harbour Trust", "Osei", "Osei"]
    for m in ms:
        assert text[m.start : m.end] == m.text
        assert m.article_id == "a1"


def test_non_names_are_dropped() -> None:
    text = "the union and anti-Gravity folks met 2024 in x with Supt. and Mira Osei."
    doc = _Doc(text, [("the union", "ORG"), ("anti-Gravity", "NORP"), ("2024", "ORG"), ("x", "GPE"), ("Supt", "PERSON"), ("Mira Osei", "PERSON")])
    assert [m.text for m in extract_mentions(doc, "a")] == ["Mira Osei"]


def test_product_names_are_mentions_and_stay_apart_from_their_maker() -> None:
    """Products (aircraft, phones) are named entities of news too; a product is not its maker."""
    text = "Velora Aero delivered the first Velora V90 on Monday. The V90 seats 300; Velora Aero said more would follow."
    doc = _Doc(text, [("Velora Aero", "ORG"), ("Velora V90", "PRODUCT"), ("Velora Aero", "ORG")], occurrence=None)
    ms = extract_mentions(doc, "a")
    assert [(m.text, m.label) for m in ms] == [("Velora Aero", "ORG"), ("Velora V90", "PRODUCT"), ("Velora Aero", "ORG")]
    ents = resolve_entities(ms)
    assert sorted((e.name, e.type) for e in ents) == [("Velora Aero", "ORG"), ("Velora V90", "PRODUCT")]


def test_span_across_a_line_break_is_split() -> None:
    text = "Hot Spots\n\nOther Things"
    doc = _Doc(text, [(text, "ORG")])
    assert [m.text for m in extract_mentions(doc, "a")] == ["Hot Spots", "Other Things"]


def test_split_name_rejoined_when_written_whole_elsewhere() -> None:
    text = (
        "Greater Tillbury Workers Union said it would strike. "
        "Later, Greater Tillbury Workers Union leaders met the mayor."
    )
    # The model split the second occurrence in two.
    doc = _Doc(text, [("Greater Tillbury Workers Union", "ORG"), ("Greater Tillbury", "GPE"), ("Workers Union", "ORG")])
    doc.ents = [e for e in doc.ents if not (e.label_ == "GPE" and e.start_char == 0)]
    doc.ents.append(_Span(text, text.index("Greater", 10), text.index("Greater", 10) + len("Greater Tillbury"), "GPE"))
    doc.ents.append(_Span(text, text.index("Workers Union", 40), text.index("Workers Union", 40) + len("Workers Union"), "ORG"))
    doc.ents = [e for e in doc.ents if not (e.start_char == text.index("Workers Union") and e.label_ == "ORG" and e.end_char - e.start_char == 13)]
    doc.ents.sort(key=lambda e: e.start_char)
    ms = extract_mentions(doc, "a")
    assert [(m.text, m.label) for m in ms] == [
        ("Greater Tillbury Workers Union", "ORG"),
        ("Greater Tillbury Workers Union", "ORG"),
    ]


def test_missed_occurrence_of_a_known_name_is_found() -> None:
    text = "Mira Osei spoke first. Reporters asked Mira Osei again."
    doc = _Doc(text, [("Mira Osei", "PERSON")])
    ms = extract_mentions(doc, "a")
    assert [(m.text, m.start) for m in ms] == [("Mira Osei", 0), ("Mira Osei", text.rindex("Mira Osei"))]


def test_acronym_defined_in_text_becomes_an_org_mention() -> None:
    text = "The Greater Tillbury Workers Union (GTWU) voted. GTWU then marched; the GTWU office closed."
    doc = _Doc(text, [("The Greater Tillbury Workers Union", "ORG")])
    ms = extract_mentions(doc, "a")
    assert [(m.text, m.label) for m in ms] == [
        ("Greater Tillbury Workers Union", "ORG"),
        ("GTWU", "ORG"),
        ("GTWU", "ORG"),
        ("GTWU", "ORG"),
    ]


def test_acronym_defined_after_untagged_words() -> None:
    text = "Members of the Coastal Rangers Guild (CRG) met. CRG said no."
    doc = _Doc(text, [])
    ms = extract_mentions(doc, "a")
    assert ("Coastal Rangers Guild", "ORG") in [(m.text, m.label) for m in ms]
    assert [m.text for m in ms].count("CRG") == 2


def test_majority_label_within_a_document() -> None:
    text = "Pembrook spoke. Pembrook left. Pembrook returned."
    doc = _Doc(text, [("Pembrook", "PERSON"), ("Pembrook", "LOC"), ("Pembrook", "PERSON")])
    assert {m.label for m in extract_mentions(doc, "a")} == {"PERSON"}


def test_lone_surname_of_named_person_is_person() -> None:
    text = "Dodi Wattis runs. Supporters of Wattis cheered."
    doc = _Doc(text, [("Dodi Wattis", "PERSON")])
    doc.ents.append(_Span(text, text.rindex("Wattis"), len(text) - len(" cheered."), "GPE"))
    ms = extract_mentions(doc, "a")
    assert [(m.text, m.label) for m in ms] == [("Dodi Wattis", "PERSON"), ("Wattis", "PERSON")]


def test_place_before_any_same_named_person_stays_a_place() -> None:
    text = "Trade with Norland grew. Later Pia Norland spoke."
    doc = _Doc(text, [("Norland", "GPE"), ("Pia Norland", "PERSON")])
    ms = extract_mentions(doc, "a")
    assert [(m.text, m.label) for m in ms] == [("Norland", "GPE"), ("Pia Norland", "PERSON")]


def _found(text: str, ents: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(m.text, m.label) for m in extract_mentions(_Doc(text, ents), "a")]


def test_untagged_surname_and_one_word_name_recur_as_mentions() -> None:
    text = "Mira Osei met officials in Tillbury. Later Osei said Tillbury would vote, and Osei left."
    assert _found(text, [("Mira Osei", "PERSON"), ("Tillbury", "GPE")]) == [
        ("Mira Osei", "PERSON"), ("Tillbury", "GPE"), ("Osei", "PERSON"), ("Tillbury", "GPE"), ("Osei", "PERSON"),
    ]


def test_recurring_word_capitalised_by_position_or_inside_a_longer_name_is_not_a_mention() -> None:
    # "Young" opens a sentence and the text also writes "young"; "Osei Street" is another name.
    text = "Dodi Young spoke. Young voters and young families cheered on Osei Street. Mira Osei agreed."
    found = _found(text, [("Dodi Young", "PERSON"), ("Mira Osei", "PERSON")])
    assert found == [("Dodi Young", "PERSON"), ("Mira Osei", "PERSON")]


def test_camel_case_names_are_products_unless_the_model_says_otherwise() -> None:
    text = "Velora unveiled the vPhone and vTunes. The vPhone sells well; eKart buyers liked vTunes."
    found = _found(text, [("Velora", "ORG"), ("vTunes", "NORP"), ("eKart", "ORG")])
    assert found == [
        ("Velora", "ORG"), ("vPhone", "PRODUCT"), ("vTunes", "PRODUCT"), ("vPhone", "PRODUCT"), ("eKart", "ORG"), ("vTunes", "PRODUCT"),
    ]


def test_model_designations_are_products_and_the_maker_stays_apart() -> None:
    text = (
        "Norvane Air flies the Harlow 550 and Harlow's 720. The vPhone 4 ships soon. "
        "The 550s and a T340 landed; 550 fans cheered."
    )
    found = _found(text, [("Norvane Air", "ORG"), ("Harlow", "ORG"), ("Harlow", "ORG")])
    assert found == [
        ("Norvane Air", "ORG"), ("Harlow", "ORG"), ("550", "PRODUCT"), ("Harlow", "ORG"), ("720", "PRODUCT"),
        ("vPhone 4", "PRODUCT"), ("550s", "PRODUCT"), ("T340", "PRODUCT"), ("550", "PRODUCT"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Harlow 2019 results were weak.",  # a year
        "They paid Harlow 300 million.",  # an amount
        "Harlow 150 jobs went.",  # a count
        "Harlow Flight 447 was lost.",  # a flight number
    ],
)
def test_numbers_after_a_maker_are_not_products(text: str) -> None:
    assert [label for _, label in _found(text, [("Harlow", "ORG")])] == ["ORG"]


def test_place_and_number_word_make_a_team() -> None:
    text = "The Marston 49ers won. Marston is quiet."
    assert _found(text, [("Marston", "GPE"), ("Marston", "GPE")]) == [("Marston 49ers", "ORG"), ("Marston", "GPE")]


def test_headline_words_glued_to_a_known_name_are_dropped() -> None:
    text = "Mira Osei Returns To Tillbury Council\nMira Osei returns to Tillbury on Monday, the council said."
    found = _found(text, [("Mira Osei Returns", "PERSON"), ("Tillbury Council", "ORG"), ("Mira Osei", "PERSON"), ("Tillbury", "GPE")])
    assert found[0] == ("Mira Osei", "PERSON")
    assert ("Tillbury Council", "ORG") in found  # "Council" heads a name: not split off


def test_word_heading_a_name_is_not_split_off_in_a_headline() -> None:
    text = "New Tillbury Times Wins Award\nNew Tillbury grew three times over."
    doc = _Doc(text, [("New Tillbury Times", "ORG")])
    doc.ents.append(_Span(text, text.rindex("New Tillbury"), text.rindex(" grew"), "GPE"))
    found = [(m.text, m.label) for m in extract_mentions(doc, "a")]
    assert found == [("New Tillbury Times", "ORG"), ("New Tillbury", "GPE")]


def test_span_across_a_spaced_dash_is_split() -> None:
    text = "Based in Tillbury - Velora Aero makes jets."
    assert _found(text, [("Tillbury - Velora Aero", "ORG")]) == [("Tillbury", "ORG"), ("Velora Aero", "ORG")]


def test_name_tagged_in_one_report_is_found_in_the_others_of_the_story() -> None:
    texts = {
        "a1": "Fans of the Rovers met in Fall River. The Rovers won.",
        "a2": "Rovers Win Again\nThe Rovers' coach said Rovers Stadium was full; leaves fall early.",
        "a3": "Fall Brings Rain\nThe Rovers lost; Marston Rovers fans left.",
    }
    tagged = [_m("a1", "Rovers", "ORG", texts["a1"].index("Rovers")), _m("a1", "Fall", "GPE", texts["a1"].index("Fall"))]
    grown = add_story_mentions(texts, tagged)
    found = sorted((m.article_id, m.start, m.text, m.label) for m in grown)
    for aid, start, surface, _ in found:
        assert texts[aid][start : start + len(surface)] == surface
    assert [(a, t, lab) for a, _, t, lab in found] == [
        ("a1", "Rovers", "ORG"),
        ("a1", "Fall", "GPE"),
        ("a1", "Rovers", "ORG"),  # a second occurrence in the same report
        ("a2", "Rovers", "ORG"),  # headline: the story never writes "rovers"
        ("a2", "Rovers", "ORG"),  # possessive
        ("a3", "Rovers", "ORG"),
    ]  # not "Rovers Stadium", "Marston Rovers" (longer names), nor the headline "Fall" ("fall" is a word here)
    assert add_story_mentions({}, []) == []


def test_with_spacy_pipeline() -> None:
    nlp = pytest.importorskip("storyline.nlp").english()
    text = (
        "Mayor Jonah Pembrook of Tillbury met officials from the Greater Tillbury Workers Union (GTWU) "
        "on Monday. Pembrook said GTWU members would vote."
    )
    ms = extract_mentions(nlp(text), "a1")
    for m in ms:
        assert text[m.start : m.end] == m.text
    texts = [m.text for m in ms]
    assert "GTWU" in texts
    assert not any(t.lower().startswith("the ") for t in texts)


# --------------------------------------------------------------------------- resolution


def test_transliterated_person_is_one_entity_with_clean_canonical_name() -> None:
    mentions = [
        _m("a1", "Faris Al-Nadim", "PERSON", 0),
        _m("a1", "Al-Nadim", "PERSON", 100),
        _m("a1", "Al-Nadim’s", "PERSON", 200),
        _m("a2", "Faris Al-Nadim", "PERSON", 0),
        _m("a2", "Al-Nadim", "PERSON", 50),
        _m("a3", "Fares Al-Nadeem", "PERSON", 0),
        _m("a3", "Fares Al-Nadeem", "PERSON", 60),
        _m("a3", "Al-Nadeem", "PERSON", 120),
        _m("a3", "Nadeem", "PERSON", 180),
        _m("a3", "Al-Nadeem", "PERSON", 240),
    ]
    ents = resolve_entities(mentions, article_weights={"a1": 1.0, "a2": 0.9, "a3": 0.2})
    assert len(ents) == 1
    e = ents[0]
    assert e.name == "Faris Al-Nadim"
    assert e.type == "PERSON"
    assert e.id == "e1"
    assert set(e.aliases) == {"Al-Nadim", "Fares Al-Nadeem", "Al-Nadeem", "Nadeem"}
    assert len(e.mentions) == len(mentions)


def test_garbled_report_cannot_make_its_spelling_canonical_by_repetition() -> None:
    mentions = [_m("a1", "Faris Al-Nadim", "PERSON", 0)] + [
        _m("mt", "Fares Al-Nadeem", "PERSON", 10 * i) for i in range(5)
    ]
    ents = resolve_entities(mentions, article_weights={"a1": 1.0, "mt": 0.2})
    assert len(ents) == 1 and ents[0].name == "Faris Al-Nadim"


def test_garbled_copy_wrong_label_joins_the_clean_entity() -> None:
    """A respelled name that the garbled copy tags NORP / ORG is the clean report's person, not a new entity."""
    mentions = [
        _m("a1", "Faris Al-Nadim", "PERSON", 0),
        _m("a1", "Tessa Grunwald", "PERSON", 40),
        _m("mt", "Fares Al-Nadeem", "NORP", 0),
        _m("mt", "Tessa Grünwalt", "ORG", 40),
    ]
    ents = resolve_entities(mentions, article_weights={"a1": 1.0, "mt": 0.2})
    assert len(ents) == 2
    assert {e.name for e in ents} == {"Faris Al-Nadim", "Tessa Grunwald"}
    assert all(e.type == "PERSON" for e in ents)


def test_clean_reports_keep_types_apart() -> None:
    """Between clean reports a type clash still blocks the merge (and a garbled label only relaxes, never forces)."""
    mentions = [
        _m("a1", "Faris Al-Nadim", "PERSON", 0),
        _m("a2", "Fares Al-Nadeem", "NORP", 0),
    ]
    assert len(resolve_entities(mentions, article_weights={"a1": 1.0, "a2": 0.9})) == 2
    garbled = [_m("a1", "Faris Al-Nadim", "PERSON", 0), _m("mt", "Mara Holloway", "ORG", 0)]
    assert len(resolve_entities(garbled, article_weights={"a1": 1.0, "mt": 0.1})) == 2


def test_aliases_deduplicated_case_insensitively_without_possessives() -> None:
    mentions = [
        _m("a1", "Dodi Wattis", "PERSON", 0),
        _m("a1", "Wattis", "PERSON", 20),
        _m("a1", "WATTIS", "PERSON", 40),
        _m("a2", "Wattis’", "PERSON", 40),
        _m("a2", "Dede Wattis", "PERSON", 0),
    ]
    (e,) = resolve_entities(mentions)
    assert e.name == "Dodi Wattis"
    assert e.aliases == ["Wattis", "Dede Wattis"]


def test_acronym_and_expansion_one_org_but_look_alike_body_apart() -> None:
    mentions = [
        _m("a1", "Greater Tillbury Workers Union", "ORG", 0),
        _m("a1", "GTWU", "ORG", 100),
        _m("a1", "GTWU", "ORG", 200),
        _m("a2", "GTWU", "ORG", 0),
        _m("a1", "Tillbury County Federation of Labor", "ORG", 300),
        _m("a3", "Tillbury Federation of Teachers", "ORG", 0),
        _m("a3", "Tillbury County Federation of Labor", "ORG", 100),
    ]
    ents = resolve_entities(mentions)
    union = _entity_of(ents, "GTWU")
    assert _entity_of(ents, "Greater Tillbury Workers Union") is union
    assert union.name == "Greater Tillbury Workers Union"
    assert union.type == "ORG"
    federation = _entity_of(ents, "Tillbury County Federation of Labor")
    assert federation is not union
    assert _entity_of(ents, "Tillbury Federation of Teachers") not in (union, federation)


def test_acronym_defined_in_text_ties_even_without_matching_initials() -> None:
    # "Kestrel Aid (KAID)" : not the initials, but defined right after the name.
    mentions = [
        _m("a1", "Kestrel Aid", "ORG", 0),
        _m("a1", "KAID", "ORG", 13),
        _m("a2", "KAID", "ORG", 0),
    ]
    ents = resolve_entities(mentions)
    assert len(ents) == 1
    assert ents[0].name == "Kestrel Aid"


def test_person_and_org_never_merge() -> None:
    mentions = [_m("a1", "Brightwater", "PERSON", 0), _m("a1", "Brightwater Inc", "ORG", 50), _m("a2", "Brightwater Inc.", "ORG", 0)]
    ents = resolve_entities(mentions)
    types = {e.type for e in ents}
    assert types == {"PERSON", "ORG"}
    assert len(ents) == 2


def test_places_may_merge_across_gpe_and_loc() -> None:
    mentions = [_m("a1", "North Tillbury", "GPE", 0), _m("a2", "North Tillbury", "LOC", 0), _m("a3", "N. Tillbury", "LOC", 0)]
    ents = resolve_entities(mentions)
    assert len(ents) == 1 and ents[0].type in ("GPE", "LOC")


def test_different_given_names_stay_apart_and_ambiguous_surname_uses_context() -> None:
    mentions = [
        _m("a1", "Jonah Pembrook", "PERSON", 0),
        _m("a1", "Pembrook", "PERSON", 50),
        _m("a2", "Miriam Pembrook", "PERSON", 0),
        _m("a2", "Pembrook", "PERSON", 40),
        _m("a3", "Pembrook", "PERSON", 0),  # no full name in this report: stays apart
    ]
    ents = resolve_entities(mentions)
    jonah = _entity_of(ents, "Jonah Pembrook")
    miriam = _entity_of(ents, "Miriam Pembrook")
    assert jonah is not miriam
    assert {(m.article_id, m.start) for m in jonah.mentions} == {("a1", 0), ("a1", 50)}
    assert {(m.article_id, m.start) for m in miriam.mentions} == {("a2", 0), ("a2", 40)}
    lone = [e for e in ents if e not in (jonah, miriam)]
    assert len(lone) == 1 and lone[0].name == "Pembrook"


def test_no_chained_merge_through_a_middle_name() -> None:
    # A ~ B and B ~ C but A and C are clearly different bodies.
    a = "Tillbury County Federation of Labor"
    b = "Tillbury Federation of Labor"
    c = "Tillbury Federation of Teachers"
    mentions = [_m("a1", a, "ORG"), _m("a2", b, "ORG"), _m("a3", c, "ORG")]
    ents = resolve_entities(mentions)
    assert _entity_of(ents, a) is not _entity_of(ents, c)


def test_ambiguous_surname_goes_to_the_dominant_person_when_its_report_names_neither() -> None:
    mentions = [
        _m("a1", "Jonah Pembrook", "PERSON", 0),
        _m("a2", "Jonah Pembrook", "PERSON", 0),
        _m("a3", "Jonah Pembrook", "PERSON", 0),
        _m("a3", "Jonah Pembrook", "PERSON", 60),
        _m("a4", "Miriam Pembrook", "PERSON", 0),
        _m("a5", "Pembrook", "PERSON", 0),  # a report naming neither in full
    ]
    ents = resolve_entities(mentions)
    assert ("a5", 0) in {(m.article_id, m.start) for m in _entity_of(ents, "Jonah Pembrook").mentions}
    assert _entity_of(ents, "Miriam Pembrook") is not _entity_of(ents, "Jonah Pembrook")


def test_surname_with_a_noisy_label_in_another_report_joins_the_person() -> None:
    mentions = [
        _m("a1", "Torvald Brenning", "PERSON", 0),
        _m("a1", "Brenning", "PERSON", 40),
        _m("a2", "Brenning", "ORG", 0),  # the model's label; this report never names him in full
    ]
    ents = resolve_entities(mentions)
    assert len(ents) == 1 and ents[0].type == "PERSON" and ents[0].name == "Torvald Brenning"


@pytest.mark.parametrize(
    ("described", "name"),
    [
        ("shipbuilder Colefax", "Colefax"),
        ("Tillbury shipbuilder Colefax", "Colefax"),
        ("Dr. Marisol Quaye, M. D.", "Marisol Quaye"),
        ("Harbour Trust chairman, Marisol Quaye", "Marisol Quaye"),
        ("Marisol Quaye, chairman of the Harbour Trust", "Marisol Quaye"),
        ("Colefax Ltd, a Tillbury shipbuilder", "Colefax Ltd"),
        ("Senator Hal Brisco (D-TB", "Hal Brisco"),
    ],
)
def test_description_around_a_name_is_not_part_of_it(described: str, name: str) -> None:
    label = "ORG" if "Colefax" in name else "PERSON"
    ents = resolve_entities([_m("a1", name, label, 0), _m("a2", described, label, 0)])
    assert len(ents) == 1
    assert ents[0].name == name


def test_short_form_of_a_body_joins_its_full_name() -> None:
    mentions = [
        _m("a1", "Colefax Maritime", "ORG", 0),
        _m("a2", "Colefax", "ORG", 0),
        _m("a3", "Tillbury", "GPE", 0),
        _m("a3", "Tillbury Harriers", "ORG", 20),
        _m("a4", "Harriers", "ORG", 0),
    ]
    ents = resolve_entities(mentions)
    assert _entity_of(ents, "Colefax") is _entity_of(ents, "Colefax Maritime")
    assert _entity_of(ents, "Harriers") is _entity_of(ents, "Tillbury Harriers")
    assert _entity_of(ents, "Tillbury") is not _entity_of(ents, "Tillbury Harriers")


@pytest.mark.parametrize(
    "mentions",
    [
        # two full names fit: the short form stays alone
        [("Colefax Maritime", "ORG"), ("Colefax Logistics", "ORG"), ("Colefax", "ORG")],
        # a model number makes another thing, an administrative word another place
        [("Colefax C40", "ORG"), ("Colefax", "ORG")],
        [("Tillbury County", "GPE"), ("Tillbury", "GPE")],
    ],
)
def test_short_form_stays_apart_when_it_could_be_something_else(mentions: list[tuple[str, str]]) -> None:
    ents = resolve_entities([_m(f"a{i}", t, lab) for i, (t, lab) in enumerate(mentions)])
    short = mentions[-1][0]
    assert [m.text for m in _entity_of(ents, short).mentions] == [short]


def test_ids_ordered_by_mention_count_and_prefix() -> None:
    mentions = [
        _m("a1", "Brightwater", "ORG", 0),
        _m("a1", "Colefax", "ORG", 20),
        _m("a1", "Colefax", "ORG", 40),
        _m("a2", "Colefax", "ORG", 0),
    ]
    ents = resolve_entities(mentions, id_prefix="s1e")
    assert [(e.id, e.name) for e in ents] == [("s1e1", "Colefax"), ("s1e2", "Brightwater")]


def test_empty_input() -> None:
    assert resolve_entities([]) == []


# --------------------------------------------------------------------------- across stories


def test_link_entities_across_stories() -> None:
    story0 = resolve_entities([
        _m("a1", "Faris Al-Nadim", "PERSON"), _m("a1", "GTWU", "ORG", 30), _m("a1", "Pembrook", "PERSON", 60),
    ])
    story1 = resolve_entities([
        _m("b1", "Fares Al-Nadim", "PERSON"), _m("b1", "Brightwater", "ORG", 30), _m("b1", "Pembrook", "PERSON", 60),
        _m("b1", "Al-Nadim", "ORG", 90),
    ])
    mapping = link_entities_across_stories([story0, story1])
    assert set(mapping) == {(0, e.id) for e in story0} | {(1, e.id) for e in story1}
    gid = {(s, e.name, e.type): mapping[(s, e.id)] for s, st in enumerate((story0, story1)) for e in st}
    assert gid[(0, "Faris Al-Nadim", "PERSON")] == gid[(1, "Fares Al-Nadim", "PERSON")]
    assert gid[(0, "Pembrook", "PERSON")] == gid[(1, "Pembrook", "PERSON")]  # exact one-word match
    assert gid[(1, "Brightwater", "ORG")] not in {gid[(0, "GTWU", "ORG")], gid[(0, "Faris Al-Nadim", "PERSON")]}
    assert gid[(1, "Al-Nadim", "ORG")] != gid[(1, "Fares Al-Nadim", "PERSON")]  # other type
    assert sorted(set(mapping.values()), key=lambda g: int(g[1:])) == [f"e{i}" for i in range(1, len(set(mapping.values())) + 1)]


def test_link_is_conservative_for_one_word_persons() -> None:
    s0 = [Entity("e1", "Jonah Pembrook", "PERSON")]
    s1 = [Entity("e1", "Pembrook", "PERSON")]
    mapping = link_entities_across_stories([s0, s1])
    assert mapping[(0, "e1")] != mapping[(1, "e1")]


# --------------------------------------------------------------------------- the real seeds


@pytest.fixture(scope="module")
def seed_entities() -> tuple[list[Entity], list[Mention]]:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not available")
    paths = sorted(SEEDS.glob("*.txt"))
    if len(paths) < 3:
        pytest.skip("seed reports missing")
    nlp = pytest.importorskip("storyline.nlp").english()
    mentions: list[Mention] = []
    weights: dict[str, float] = {}
    for i, path in enumerate(paths):
        text = path.read_text(encoding="utf-8")
        aid = f"a{i}"
        found = extract_mentions(nlp(text), aid)
        for m in found:
            assert text[m.start : m.end] == m.text
        mentions.extend(found)
        weights[aid] = 0.3 if path.name.startswith("003") else 1.0
    return resolve_entities(mentions, article_weights=weights), mentions


@pytest.mark.parametrize("weighted", [True, False])
def test_seed_candidate_is_one_person(weighted: bool) -> None:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not available")
    nlp = pytest.importorskip("storyline.nlp").english()
    mentions: list[Mention] = []
    weights: dict[str, float] = {}
    for i, path in enumerate(sorted(SEEDS.glob("*.txt"))):
        mentions.extend(extract_mentions(nlp(path.read_text(encoding="utf-8")), f"a{i}"))
        weights[f"a{i}"] = 0.3 if path.name.startswith("003") else 1.0
    ents = resolve_entities(mentions, article_weights=weights if weighted else None)
    spellings = ["Kahllid Al-Alim", "Al-Alim", "Khaled Al-Aleem", "Al-Aleem", "Aleem"]
    found = [s for s in spellings if any(m.text == s for m in mentions)]
    assert "Kahllid Al-Alim" in found and "Khaled Al-Aleem" in found
    owners = {id(_entity_of(ents, s)) for s in found}
    assert len(owners) == 1
    person = _entity_of(ents, "Kahllid Al-Alim")
    assert person.type == "PERSON"
    assert person.name == "Kahllid Al-Alim"


def test_seed_watts_is_one_entity(seed_entities: tuple[list[Entity], list[Mention]]) -> None:
    ents, _ = seed_entities
    watts = _entity_of(ents, "Didi Watts")
    assert _entity_of(ents, "Dede Watts") is watts
    assert watts.type == "PERSON"


def test_seed_union_is_one_org_apart_from_labor_federation(seed_entities: tuple[list[Entity], list[Mention]]) -> None:
    ents, _ = seed_entities
    union = _entity_of(ents, "United Teachers Los Angeles")
    assert _entity_of(ents, "UTLA") is union
    assert union.type == "ORG"
    federation = next(e for e in ents if any("County Federation" in m.text for m in e.mentions))
    assert federation is not union


def _report(article: str, names: list[tuple[str, str]]) -> list[Mention]:
    """Mentions in reading order, 30 characters apart."""
    return [_m(article, text, label, 30 * n) for n, (text, label) in enumerate(names)]


_SHARED_NAMES = [("Kelmark", "ORG"), ("Ostria", "GPE"), ("Tarmo Lind", "PERSON"), ("Vossberg", "GPE")]


def _with(name: tuple[str, str], at: int, others: list[tuple[str, str]] = _SHARED_NAMES) -> list[tuple[str, str]]:
    return others[:at] + [name] + others[at:]


def test_respelling_at_the_same_place_of_a_near_copy_joins_whatever_its_label() -> None:
    mentions = (
        _report("a", _with(("Brenwick", "ORG"), 2))
        + _report("c", _with(("Brenwick", "ORG"), 2))
        + _report("b", _with(("Brenwyck", "GPE"), 2))  # respelled, and the model calls it a place
    )
    ents = resolve_entities(mentions)
    e = _entity_of(ents, "Brenwick")
    assert {m.text for m in e.mentions} == {"Brenwick", "Brenwyck"}
    assert e.name == "Brenwick" and e.type == "ORG"  # name and type of the better-attested spelling
    assert all(m.label == "ORG" for m in e.mentions)


def test_respelling_needs_the_same_place_and_a_shared_text() -> None:
    # Elsewhere in the report (different neighbours): not evidence of the same name.
    moved = _report("a", _with(("Brenwick", "ORG"), 2)) + _report("b", _with(("Brenwyck", "GPE"), 4))
    ents = resolve_entities(moved)
    assert {m.text for m in _entity_of(ents, "Brenwick").mentions} == {"Brenwick"}
    # Same neighbours, but the reports otherwise name different things: not a near copy.
    other = [("Kelmark", "ORG"), ("Ostria", "GPE"), ("Pavel Orn", "PERSON"), ("Lisemund", "GPE"), ("Dravik", "ORG")]
    apart = _report("a", _with(("Brenwick", "ORG"), 2)) + _report("b", _with(("Brenwyck", "GPE"), 2, other))
    ents = resolve_entities(apart)
    assert {m.text for m in _entity_of(ents, "Brenwick").mentions} == {"Brenwick"}


def test_aligned_different_given_name_stays_apart() -> None:
    mentions = _report("a", _with(("Joran Vesk", "PERSON"), 2)) + _report("b", _with(("Mikel Vesk", "ORG"), 2))
    ents = resolve_entities(mentions)
    assert {m.text for m in _entity_of(ents, "Joran Vesk").mentions} == {"Joran Vesk"}
    assert {m.text for m in _entity_of(ents, "Mikel Vesk").mentions} == {"Mikel Vesk"}


def test_respelling_between_two_candidates_joins_neither_and_bridges_nothing() -> None:
    # "Halvag" sits where one report has the body "Halvig" and another the person "Helvog".
    mentions = (
        _report("a", _with(("Halvig", "ORG"), 2))
        + _report("a2", _with(("Halvig", "ORG"), 2))
        + _report("c", _with(("Helvog", "PERSON"), 2))
        + _report("c2", _with(("Helvog", "PERSON"), 2))
        + _report("b", _with(("Halvag", "GPE"), 2))
    )
    ents = resolve_entities(mentions)
    assert {m.text for m in _entity_of(ents, "Halvag").mentions} == {"Halvag"}
    assert {m.text for m in _entity_of(ents, "Halvig").mentions} == {"Halvig"}
    assert {m.text for m in _entity_of(ents, "Helvog").mentions} == {"Helvog"}


def test_link_across_stories_blocks_but_still_finds_variants_and_acronyms() -> None:
    """Names are compared only within blocking keys; transliteration variants, particles and an
    acronym against its expansion still share one, and a story's many unrelated names do not
    get compared (or linked) with them."""
    fillers = [Entity(f"e{k}", name, "ORG") for k, name in enumerate(
        ["Harbour Board", "Valley Cooperative", "Northern Ferries", "Marlow Holdings"], start=10)]
    s0 = [Entity("e1", "Khaled Al-Alim", "PERSON"), Entity("e2", "United Teachers Los Angeles", "ORG"),
          Entity("e3", "Hossein Rahimi", "PERSON"), *fillers]
    s1 = [Entity("e1", "Kahllid Al Alim", "PERSON"), Entity("e2", "UTLA", "ORG"),
          Entity("e3", "Hussein Rahimi", "PERSON"), Entity("e4", "Hussein Karimi", "PERSON")]
    mapping = link_entities_across_stories([s0, s1])
    assert mapping[(0, "e1")] == mapping[(1, "e1")]
    assert mapping[(0, "e2")] == mapping[(1, "e2")]
    assert mapping[(0, "e3")] == mapping[(1, "e3")]
    assert mapping[(1, "e4")] not in {mapping[(0, e.id)] for e in s0}


def _at(aid: str, text: str, surface: str, label: str) -> Mention:
    s = text.index(surface)
    return Mention(aid, s, s + len(surface), surface, label)


_CLEAN = "Shares of Korvanta rose on Monday after the carrier agreed to buy twelve jets from Pellmark Industries in Ostrava."
_RESPELT = _CLEAN.replace("Korvanta", "Korwanta")


def test_untagged_respelling_in_a_near_copy_joins_the_entity() -> None:
    """The model tags "Korvanta" in one report and misses "Korwanta" at the same place in a near-copy."""
    mentions = [
        _at("a1", _CLEAN, "Korvanta", "ORG"),
        _at("a1", _CLEAN, "Pellmark Industries", "ORG"),
        _at("a2", _RESPELT, "Pellmark Industries", "ORG"),
    ]
    without = resolve_entities(mentions)
    assert not any(m.article_id == "a2" and m.text == "Korwanta" for e in without for m in e.mentions)
    ents = resolve_entities(mentions, texts={"a1": _CLEAN, "a2": _RESPELT})
    (korvanta,) = [e for e in ents if e.name == "Korvanta"]
    assert {(m.article_id, m.text) for m in korvanta.mentions} == {("a1", "Korvanta"), ("a2", "Korwanta")}
    assert korvanta.type == "ORG"


def test_tagged_respelling_with_another_label_joins_at_the_aligned_place() -> None:
    """Tagged as a person in the copy and scored unlike by name similarity, the aligned respelling still joins."""
    respelt = _CLEAN.replace("Ostrava", "Ostrafa")
    mentions = [
        _at("a1", _CLEAN, "Ostrava", "GPE"),
        _at("a1", _CLEAN, "Korvanta", "ORG"),
        _at("a2", respelt, "Ostrafa", "PERSON"),
        _at("a2", respelt, "Korvanta", "ORG"),
    ]
    ents = resolve_entities(mentions, article_weights={"a1": 1.0, "a2": 0.9}, texts={"a1": _CLEAN, "a2": respelt})
    (place,) = [e for e in ents if e.name in ("Ostrava", "Ostrafa")]
    assert len(place.mentions) == 2 and place.type == "GPE"


def test_aligned_place_with_another_name_or_other_context_stays_apart() -> None:
    """A different name at the same place, or a look-alike in another sentence, is not a respelling."""
    other = _CLEAN.replace("Korvanta", "Brightwell")
    mentions = [_at("a1", _CLEAN, "Korvanta", "ORG"), _at("a2", other, "Brightwell", "PERSON")]
    assert len(resolve_entities(mentions, texts={"a1": _CLEAN, "a2": other})) == 2
    elsewhere = "Korwanta was not mentioned in the filing, a lawyer said on Tuesday."
    ents = resolve_entities([_at("a1", _CLEAN, "Korvanta", "ORG")], texts={"a1": _CLEAN, "a2": elsewhere})
    assert [m.article_id for e in ents for m in e.mentions] == ["a1"]


def test_garbled_copy_does_not_tag_the_clean_report() -> None:
    """A machine-translated copy's tag on a respelled word does not add a mention to a cleaner report."""
    garbled = _CLEAN.replace("Monday", "Mondday")
    mentions = [_at("mt", garbled, "Mondday", "PERSON")]
    ents = resolve_entities(mentions, article_weights={"a1": 1.0, "mt": 0.2}, texts={"a1": _CLEAN, "mt": garbled})
    assert [m.article_id for e in ents for m in e.mentions] == ["mt"]
    same = resolve_entities(mentions, article_weights={"a1": 0.2, "mt": 0.2}, texts={"a1": _CLEAN, "mt": garbled})
    assert sorted(m.article_id for e in same for m in e.mentions) == ["a1", "mt"]


def test_bad_texts_do_not_raise() -> None:
    mentions = [_at("a1", _CLEAN, "Korvanta", "ORG")]
    assert len(resolve_entities(mentions, texts={"a1": "short", "a2": ""})) == 1
    assert len(resolve_entities(mentions, texts={"a1": None, "a2": _RESPELT})) == 1  # type: ignore[dict-item]


def test_a_name_cut_at_a_hyphen_takes_the_part_after_it():
    from storyline.entities import _hyphenated_end

    text = "Mayor Ada Quill-Marsh said so; the Quill-Marsh-Ode family and Paris-based firms agreed."
    cut = text.index("-Marsh said")
    assert text[6:_hyphenated_end(text, cut)] == "Ada Quill-Marsh"
    family = text.index("Quill-Marsh-Ode")
    assert text[family:_hyphenated_end(text, family + 5)] == "Quill-Marsh-Ode"
    start = text.index("Paris")
    assert _hyphenated_end(text, start + 5) == start + 5  # a lower-case part is not a name's


def test_a_place_named_like_a_place_is_not_an_organisation():
    from storyline.entities import _consistent_labels, _place_like

    assert _place_like("Port Ardent") and _place_like("Fort St Clair")
    assert not _place_like("Port Authority") and not _place_like("Fort Lacey Hospital")
    assert not _place_like("Port") and not _place_like("Harlow Valley Water Authority")
    text = "Port Ardent residents queued. The Port Authority said Port Ardent would reopen."
    spans = [(0, 11), (text.index("Port Authority"), text.index(" said")), (text.rindex("Port Ardent"), text.rindex(" would"))]
    ms = [Mention("a", s, e, text[s:e], "ORG") for s, e in spans]
    assert [text[m.start:m.end] for m in ms] == ["Port Ardent", "Port Authority", "Port Ardent"]
    assert [m.label for m in _consistent_labels(ms)] == ["GPE", "ORG", "GPE"]


# --------------------------------------------------------------------------- spans the model gets wrong in news text


def test_span_across_an_open_parenthesis_is_cut_and_the_acronym_stays_a_mention() -> None:
    text = "Velora released the Harbour Trust Software Kit (HTSK) today; the HTSK is free."
    found = _found(text, [("Harbour Trust Software Kit (HTSK", "ORG")])
    assert ("Harbour Trust Software Kit", "ORG") in found
    assert [t for t, _ in found].count("HTSK") == 2  # in the parenthesis and where it recurs
    assert not any("(" in t for t, _ in found)
    # a parenthesis the span holds whole stays inside it
    text = "Colefax (Tillbury) Ltd said so."
    assert _found(text, [("Colefax (Tillbury) Ltd", "ORG")]) == [("Colefax (Tillbury) Ltd", "ORG")]


def test_flight_number_is_not_part_of_the_airline_name() -> None:
    text = "The loss of Norvane Air Flight 212 and of Skyroute Flight shook the industry."
    found = _found(text, [("Norvane Air Flight 212", "ORG"), ("Skyroute Flight", "ORG")])
    assert found == [("Norvane Air", "ORG"), ("Skyroute", "ORG")]


def test_degrees_after_a_person_are_part_of_the_mention_not_a_place() -> None:
    text = "Obama Names Mira Osei, MD to Serve\nThe nominee, Dodi Young, M. D., M. B. A, spoke. Mira Osei thanked Dodi Young, UN envoy."
    found = _found(text, [("Mira Osei", "PERSON"), ("MD", "GPE"), ("Dodi Young", "PERSON"), ("M. D.", "ORG"), ("Mira Osei", "PERSON"), ("Dodi Young", "PERSON"), ("UN", "ORG")])
    assert found == [
        ("Mira Osei, MD", "PERSON"), ("Dodi Young, M. D., M. B. A", "PERSON"), ("Mira Osei", "PERSON"), ("Dodi Young", "PERSON"), ("UN", "ORG"),
    ]
    ms = extract_mentions(_Doc(text, [("Mira Osei", "PERSON"), ("MD", "GPE"), ("Mira Osei", "PERSON")]), "a")
    ents = resolve_entities(ms)
    assert len(ents) == 1 and ents[0].name == "Mira Osei"


def test_designation_the_model_reads_as_a_shorter_number_is_a_product() -> None:
    text = "Norvane Air said the Harlow 550-800 has the best record."
    doc = _Doc(text, [("Norvane Air", "ORG"), ("Harlow", "ORG"), ("550", "CARDINAL")])
    assert ("550-800", "PRODUCT") in [(m.text, m.label) for m in extract_mentions(doc, "a")]


def test_inflected_headline_word_glued_to_a_name_is_split_off() -> None:
    # "Nominates" in the headline; the text writes "nominated" only
    text = "Council Nominates Mira Osei\nMira Osei was nominated on Monday, the council said."
    doc = _Doc(text, [("Nominates Mira Osei", "PERSON")])
    doc.ents.append(_Span(text, text.index("\n") + 1, text.index(" was"), "PERSON"))
    found = [(m.start, m.text, m.label) for m in extract_mentions(doc, "a")]
    assert found == [(text.index("Mira"), "Mira Osei", "PERSON"), (text.index("\n") + 1, "Mira Osei", "PERSON")]


def test_later_words_of_a_known_name_written_in_lower_case() -> None:
    text = "Velora opened the vTunes Store in May. Sales at the vTunes store rose; the vTunes app did not."
    found = _found(text, [("Velora", "ORG"), ("vTunes Store", "ORG")])
    assert found == [("Velora", "ORG"), ("vTunes Store", "ORG"), ("vTunes store", "ORG"), ("vTunes", "PRODUCT")]


def test_words_glued_to_names_the_story_tags_alone_are_split_off() -> None:
    texts = {
        "a1": "Comedian Mira Osei to host gala\nComedian Mira Osei will host the gala, organisers said.",
        "a2": "The comedian Mira Osei was picked. Mark Osei, her brother, made his mark; Osei and Tillbury agreed.",
        "a3": "Hire Dodi Young\nTillbury and Young were hired on Monday, and Tillbury Times said so.",
    }
    tagged = [
        ("a1", "Comedian Mira Osei", "PERSON", 0), ("a1", "Comedian Mira Osei", "PERSON", 1),
        ("a2", "Mira Osei", "PERSON", 0), ("a2", "Mark Osei", "PERSON", 0), ("a2", "Osei and Tillbury", "ORG", 0),
        ("a3", "Hire Dodi Young", "PERSON", 0), ("a3", "Tillbury", "GPE", 0), ("a3", "Tillbury Times", "ORG", 0),
        ("a3", "Dodi Young", "PERSON", 0),
    ]
    ms = []
    for aid, surface, label, nth in tagged:
        pos = -1
        for _ in range(nth + 1):
            pos = texts[aid].index(surface, pos + 1)
        ms.append(_m(aid, surface, label, pos))
    ms.append(_m("a2", "Osei", "PERSON", texts["a2"].rindex("Osei and")))  # so "Osei" is known alone
    ms = [m for m in ms if m.text != "Osei and Tillbury"] + [_m("a2", "Osei and Tillbury", "ORG", texts["a2"].index("Osei and"))]
    grown = add_story_mentions(texts, ms)
    for m in grown:
        assert texts[m.article_id][m.start : m.end] == m.text
    by_article = {aid: sorted((m.start, m.text) for m in grown if m.article_id == aid) for aid in texts}
    assert [t for _, t in by_article["a1"]] == ["Mira Osei", "Mira Osei"]
    assert "Dodi Young" in [t for _, t in by_article["a3"]] and "Hire Dodi Young" not in [t for _, t in by_article["a3"]]
    a2 = [t for _, t in by_article["a2"]]
    assert "Mark Osei" in a2  # a word before a lone surname is a given name, even one written in lower case
    assert "Osei and Tillbury" not in a2 and a2.count("Osei") >= 1 and "Tillbury" in a2
    assert "Tillbury Times" in [t for _, t in by_article["a3"]]  # names side by side stay one name


def test_name_the_story_writes_whole_takes_the_pieces_another_report_tagged() -> None:
    texts = {"a1": "The Tillbury Harbour Trust met.", "a2": "Later the Tillbury Harbour Trust said no."}
    ms = [
        _m("a1", "Tillbury Harbour Trust", "ORG", 4),
        _m("a2", "Tillbury", "GPE", 10),
        _m("a2", "Harbour Trust", "ORG", 19),
    ]
    grown = add_story_mentions(texts, ms)
    assert sorted((m.article_id, m.text, m.label) for m in grown) == [("a1", "Tillbury Harbour Trust", "ORG"), ("a2", "Tillbury Harbour Trust", "ORG")]


def test_one_word_name_with_an_inner_capital_in_other_capitals() -> None:
    texts = {"a1": "Velora sells the VeloBook now.", "a2": "Velora releases Velobook\nThe Velobook ships; a velobook-style case and Velobook Pro too."}
    ms = [_m("a1", "VeloBook", "PRODUCT", texts["a1"].index("VeloBook"))]
    grown = add_story_mentions(texts, ms)
    found = sorted((m.start, m.text, m.label) for m in grown if m.article_id == "a2")
    assert [(t, lab) for _, t, lab in found] == [("Velobook", "PRODUCT"), ("Velobook", "PRODUCT")]
    for m in grown:
        assert texts[m.article_id][m.start : m.end] == m.text


def test_product_plural_short_form_and_mislabelled_name_join_the_product() -> None:
    texts = {
        "a1": "Velora unveiled the 990 Skyliner. Airlines ordered 990s and more 990 Skyliners; the 990 flies far.",
        "a2": "The Skyliner first flew on Monday, a developer said.",
    }
    ms = [
        _m("a1", "Velora", "ORG", 0),
        _m("a1", "990 Skyliner", "ORG", 20),
        _m("a1", "990s", "PRODUCT", texts["a1"].index("990s")),
        _m("a1", "990 Skyliners", "PRODUCT", texts["a1"].index("990 Skyliners")),
        _m("a1", "990", "PRODUCT", texts["a1"].rindex("990")),
        _m("a2", "Skyliner", "PERSON", 4),
    ]
    ents = resolve_entities(ms, texts=texts)
    product = _entity_of(ents, "990 Skyliner")
    assert {m.text for m in product.mentions} == {"990 Skyliner", "990s", "990 Skyliners", "990", "Skyliner"}
    assert product.type in ("ORG", "PRODUCT")  # not the person the model took "Skyliner" for
    assert _entity_of(ents, "Velora") is not product
    # without a product in sight, a lone person's name stays a person
    alone = resolve_entities([_m("a1", "Tillbury Harriers", "ORG", 0), _m("a2", "Harriers", "PERSON", 0)])
    assert _entity_of(alone, "Harriers") is not _entity_of(alone, "Tillbury Harriers")


def test_product_name_going_on_into_another_thing_stays_apart() -> None:
    texts = {"a1": "The vPhone Developer Program opened; every developer with a program joined.", "a2": "The vPhone sold well."}
    ms = [_m("a1", "vPhone Developer Program", "ORG", 4), _m("a2", "vPhone", "ORG", 4)]
    for given in (texts, None):
        ents = resolve_entities(ms, texts=given)
        assert _entity_of(ents, "vPhone") is not _entity_of(ents, "vPhone Developer Program")
    # a body's short form still joins its full name
    ents = resolve_entities([_m("a1", "Colefax Maritime", "ORG", 0), _m("a2", "Colefax", "ORG", 0)], texts={"a1": "Colefax Maritime grew.", "a2": "Colefax grew."})
    assert _entity_of(ents, "Colefax") is _entity_of(ents, "Colefax Maritime")


def test_nationality_and_title_before_a_full_name_are_split_off_anywhere() -> None:
    texts = {
        "a1": "Mira Osei beat the American Dodi Young. The American crowd cheered Senior Trooper Ada Quill in Tillbury.",
        "a2": "A trooper said Ada Quill and Dodi Young met; American fans came.\nDodi Young Checks Into Hotel\nYoung checked in.",
        "a3": "Dodi Young Checks Out\nShe went out early.",
    }
    spans = [
        ("a1", "Mira Osei", "PERSON"), ("a1", "American Dodi Young", "ORG"), ("a1", "American", "NORP"),
        ("a1", "Trooper Ada Quill", "PERSON"), ("a1", "Tillbury", "GPE"),
        ("a2", "Ada Quill", "PERSON"), ("a2", "Dodi Young", "PERSON"), ("a2", "American", "NORP"), ("a2", "Dodi Young Checks", "PERSON"),
        ("a3", "Dodi Young Checks Out", "PERSON"),
    ]
    ms = [_m(aid, t, lab, texts[aid].index(t)) for aid, t, lab in spans]
    grown = add_story_mentions(texts, ms)
    for m in grown:
        assert texts[m.article_id][m.start : m.end] == m.text
    a1 = [(m.text, m.label) for m in sorted(grown, key=lambda m: m.start) if m.article_id == "a1"]
    assert ("Dodi Young", "PERSON") in a1 and ("Ada Quill", "PERSON") in a1
    assert not any(t in ("American Dodi Young", "Trooper Ada Quill") for t, _ in a1)
    a2 = [m.text for m in grown if m.article_id == "a2"]
    assert "Dodi Young Checks" not in a2 and a2.count("Dodi Young") == 2
    # a known name that is glued itself ("Dodi Young Checks") gives its names
    assert [m.text for m in grown if m.article_id == "a3"] == ["Dodi Young"]


def test_surname_tagged_as_a_nationality_after_the_full_name_is_the_person() -> None:
    text = "Anri Ketsoyan spoke first. Later Ketsoyan said the Armenian team would win."
    doc = _Doc(text, [("Anri Ketsoyan", "PERSON"), ("Armenian", "NORP")])
    doc.ents.append(_Span(text, text.index("Later") + 6, text.index(" said"), "NORP"))
    doc.ents.sort(key=lambda e: e.start_char)
    found = [(m.text, m.label) for m in extract_mentions(doc, "a")]
    assert found == [("Anri Ketsoyan", "PERSON"), ("Ketsoyan", "PERSON"), ("Armenian", "NORP")]
    # before the full name it stays what the model said
    text = "Ketsoyan fans met. Anri Ketsoyan spoke."
    assert _found(text, [("Ketsoyan", "NORP"), ("Anri Ketsoyan", "PERSON")])[0] == ("Ketsoyan", "NORP")


# --------------------------------------------------------------------------- names in descriptions, products, look-alikes


@pytest.mark.parametrize(
    ("described", "name"),
    [
        ("Velora's newest jet, the 990 Skyliner", "990 Skyliner"),
        ("their new 990 Skyliner", "990 Skyliner"),
        ("Pia Norland, minister of trade for Tillbury", "Pia Norland"),
        ("Harbour Hall in Tillbury", "Harbour Hall"),
    ],
)
def test_description_before_or_after_a_name_is_set_apart(described: str, name: str) -> None:
    label = "PERSON" if name.startswith("Pia") else "ORG"
    ents = resolve_entities([_m("a1", name, label, 0), _m("a2", described, label, 0), _m("a3", "Colefax Maritime", "ORG", 0)])
    assert _entity_of(ents, described) is _entity_of(ents, name)
    assert _entity_of(ents, name) is not _entity_of(ents, "Colefax Maritime")


def test_possessor_named_by_the_story_is_not_part_of_the_name() -> None:
    mentions = [
        _m("a1", "Tillbury", "GPE", 0),
        _m("a1", "Tillbury's Harbour Airport", "FAC", 20),
        _m("a2", "Harbour Airport", "FAC", 0),
        _m("a3", "Velora", "ORG", 0),
        _m("a3", "Velora's 990", "PRODUCT", 20),
        _m("a4", "990", "PRODUCT", 0),
    ]
    ents = resolve_entities(mentions)
    assert _entity_of(ents, "Tillbury's Harbour Airport") is _entity_of(ents, "Harbour Airport")
    assert _entity_of(ents, "Tillbury") is not _entity_of(ents, "Harbour Airport")
    assert _entity_of(ents, "Velora's 990") is _entity_of(ents, "990")


def test_possessor_the_story_does_not_name_or_a_generic_rest_stays_in_the_name() -> None:
    assert _possessed("Tillbury's Harbour Airport", {"tillbury"}) == "Harbour Airport"
    assert _possessed("People's Harbour", {"tillbury", "harbour"}) == "People's Harbour"
    assert _possessed("Macbeth's Corp", {"macbeth"}) == "Macbeth's Corp"


def test_acronym_defined_inside_one_mention_joins_the_name() -> None:
    ents = resolve_entities([_m("a1", "Norland Air Lines (NAL", "ORG", 0), _m("a2", "NAL", "ORG", 0), _m("a3", "Norland Air Lines", "ORG", 0)])
    assert len(ents) == 1
    assert ents[0].name == "Norland Air Lines"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (("Air Norland", "ORG"), ("Air Ostavia", "ORG")),  # one word differs, and it is another word
        (("Norland Eastern Airways", "ORG"), ("Norland Southern Airways", "ORG")),
        (("Norland", "GPE"), ("Air Norland", "ORG")),  # a place and a body named after it
        (("Norland", "GPE"), ("Norland Harbour", "GPE")),
    ],
)
def test_look_alike_names_of_two_things_stay_apart(a: tuple[str, str], b: tuple[str, str]) -> None:
    ents = resolve_entities([_m("a1", *a), _m("a2", *b), _m("a3", *a, 20), _m("a4", *b, 20)])
    assert _entity_of(ents, a[0]) is not _entity_of(ents, b[0])


def test_one_word_inflected_still_joins() -> None:
    ents = resolve_entities([_m("a1", "Museum of Motion Picture Arts", "ORG"), _m("a2", "Museum of Motion Pictures Arts", "ORG")])
    assert len(ents) == 1


def test_short_form_goes_to_the_full_name_the_reports_write_alone_with_it() -> None:
    mentions = [_m(f"a{i}", "Quillon", "ORG", 0) for i in range(5)]
    mentions += [_m(f"a{i}", "Quillon Computer", "ORG", 30) for i in range(4)]
    # one report names both full names; the other full name is never written alone with the short form
    mentions += [_m("a3", "Quillon Records", "ORG", 60), _m("a9", "Quillon Records", "ORG", 0)]
    ents = resolve_entities(mentions)
    assert _entity_of(ents, "Quillon") is _entity_of(ents, "Quillon Computer")
    assert _entity_of(ents, "Quillon Records") is not _entity_of(ents, "Quillon")


def test_short_form_between_full_names_each_written_alone_with_it_stays_apart() -> None:
    mentions = [_m(f"a{i}", "Quillon", "ORG", 0) for i in range(4)]
    mentions += [_m(f"a{i}", "Quillon Computer", "ORG", 30) for i in (0, 1)]
    mentions += [_m(f"a{i}", "Quillon Records", "ORG", 30) for i in (2, 3)]
    ents = resolve_entities(mentions)
    assert [m.text for m in _entity_of(ents, "Quillon").mentions] == ["Quillon"] * 4


def test_model_after_its_maker_is_the_model() -> None:
    mentions = [
        _m("a1", "Velora", "ORG", 0),
        _m("a1", "Velora V90", "ORG", 20),
        _m("a2", "V90", "PRODUCT", 0),
        _m("a3", "Velora 90", "ORG", 0),
        _m("a4", "V90s", "PRODUCT", 0),
        _m("a5", "Velora 990 Skyliner", "ORG", 0),
        _m("a6", "990 Skyliner", "PRODUCT", 0),
        _m("a7", "Skyliner", "ORG", 0),
        _m("a8", "Skyliners", "ORG", 0),
    ]
    ents = resolve_entities(mentions)
    v90 = _entity_of(ents, "V90")
    assert {m.text for m in v90.mentions} == {"Velora V90", "V90", "Velora 90", "V90s"}
    skyliner = _entity_of(ents, "990 Skyliner")
    assert {m.text for m in skyliner.mentions} == {"Velora 990 Skyliner", "990 Skyliner", "Skyliner", "Skyliners"}
    assert _entity_of(ents, "Velora") not in (v90, skyliner)


def test_model_after_its_maker_written_apart_is_the_model() -> None:
    # "Velora" and "90" as two mentions, one space apart
    ents = resolve_entities([_m("a1", "Velora", "ORG", 0), _m("a1", "90", "PRODUCT", 7), _m("a2", "V90", "PRODUCT", 0)])
    assert _entity_of(ents, "90") is _entity_of(ents, "V90")
    assert _entity_of(ents, "Velora") is not _entity_of(ents, "V90")


def test_acronym_short_form_joins_only_a_name_with_generic_words_added() -> None:
    ents = resolve_entities([_m("a1", "QRX Group", "ORG", 0), _m("a2", "QRX", "ORG", 0), _m("a3", "QRX Logistics", "ORG", 0)])
    assert _entity_of(ents, "QRX") is _entity_of(ents, "QRX Group")
    assert _entity_of(ents, "QRX Logistics") is not _entity_of(ents, "QRX")


def test_short_form_joins_a_body_the_model_once_called_a_person() -> None:
    mentions = [_m("a1", "Tarvek Marlin", "ORG", 0), _m("a2", "Tarvek Marlin", "PERSON", 0), _m("a1", "Tarvek", "ORG", 30)]
    ents = resolve_entities(mentions)
    assert len(ents) == 1


def test_place_written_before_a_same_named_person_stays_a_place_later_too() -> None:
    text = "Flights to Norland stopped, said Garo Norland of Norland Aero. Norland officials agreed."
    doc = _Doc(text, [("Norland", "GPE"), ("Garo Norland", "PERSON")])
    start = text.index("Norland officials")
    doc.ents.append(_Span(text, start, start + len("Norland"), "GPE"))
    ms = extract_mentions(doc, "a")
    assert [m.label for m in ms if m.text == "Norland"] == ["GPE", "GPE"]


def test_a_span_holding_a_name_and_its_longer_form_is_two_names_but_a_name_with_and_stays_one():
    text = "The range includes the Corvan and Corvan Max. Hollis and Hollis and Procter and Gamble also sell."
    doc = _Doc(text, [("the Corvan and Corvan Max", "PRODUCT"), ("Hollis and Hollis", "ORG"), ("Procter and Gamble", "ORG")])
    got = [(m.text, m.label) for m in extract_mentions(doc, "a")]
    assert ("Corvan", "PRODUCT") in got and ("Corvan Max", "PRODUCT") in got
    assert ("Hollis and Hollis", "ORG") in got and ("Procter and Gamble", "ORG") in got
    assert not any("Corvan and" in t for t, _ in got)


def test_a_possessor_inside_a_span_is_its_own_name_when_the_report_writes_it_alone():
    text = "Tillbury Motors said on Monday that Tillbury Motors's Velora Drive will ship in May."
    doc = _Doc(text, [("Tillbury Motors", "ORG"), ("Tillbury Motors's Velora Drive", "ORG")])
    got = [m.text for m in extract_mentions(doc, "a")]
    assert got.count("Tillbury Motors") == 2 and "Velora Drive" in got
    # Never written alone: the possessive is part of the name.
    text = "Marlow's Kitchen Group opened two shops."
    doc = _Doc(text, [("Marlow's Kitchen Group", "ORG")])
    assert [m.text for m in extract_mentions(doc, "a")] == ["Marlow's Kitchen Group"]


# --------------------------------------------------------------------------- cross-report resolution (issue 4)


def test_a_name_in_capitals_somewhere_is_not_taken_for_an_acronym() -> None:
    mentions = [
        _m("a1", "HARRIERS", "ORG", 0),  # a headline in capitals, seen first
        _m("a2", "Harriers", "ORG", 0),
        _m("a3", "North Tillbury", "GPE", 0),
        _m("a3", "North Tillbury Harriers", "ORG", 20),
    ]
    ents = resolve_entities(mentions)
    assert _entity_of(ents, "HARRIERS") is _entity_of(ents, "North Tillbury Harriers")
    assert _entity_of(ents, "North Tillbury") is not _entity_of(ents, "North Tillbury Harriers")


def test_surname_tagged_person_beside_the_full_name_and_otherwise_elsewhere_joins_the_person() -> None:
    mentions = [
        _m("a1", "Torvald Brenning", "PERSON", 0),
        _m("a1", "Brenning", "PERSON", 40),  # tagged right where he is named in full
        _m("a2", "Brenning", "ORG", 0),  # reports that never name him in full
        _m("a3", "Brenning", "ORG", 0),
    ]
    ents = resolve_entities(mentions)
    assert len(ents) == 1 and ents[0].type == "PERSON" and ents[0].name == "Torvald Brenning"
    # ... but a label kept beside the full name still means another thing
    ents = resolve_entities([*mentions[:1], _m("a1", "Brenning", "ORG", 40), *mentions[2:]])
    assert _entity_of(ents, "Brenning") is not _entity_of(ents, "Torvald Brenning")


def test_team_nickname_taken_for_a_person_joins_the_team_of_a_place_of_the_story() -> None:
    mentions = [
        _m("a1", "Tillbury", "GPE", 0),
        _m("a1", "Tillbury Harriers", "ORG", 20),
        _m("a2", "Harriers", "PERSON", 0),
        _m("a3", "Harriers", "PERSON", 0),
    ]
    ents = resolve_entities(mentions)
    team = _entity_of(ents, "Harriers")
    assert team is _entity_of(ents, "Tillbury Harriers") and team.type == "ORG"
    assert {m.label for m in team.mentions} == {"ORG"}
    assert _entity_of(ents, "Tillbury") is not team
    # A surname of a person of the story is left to the surname rule; a singular word is no team.
    ents = resolve_entities([*mentions[:2], _m("a2", "Ada Harriers", "PERSON", 0), _m("a3", "Harriers", "PERSON", 0)])
    assert _entity_of(ents, "Harriers") is _entity_of(ents, "Ada Harriers")
    ents = resolve_entities([_m("a1", "Tillbury", "GPE", 0), _m("a1", "Tillbury Harrier", "ORG", 20), _m("a2", "Harrier", "PERSON", 0)])
    assert _entity_of(ents, "Harrier") is not _entity_of(ents, "Tillbury Harrier")


@pytest.mark.parametrize(
    ("short", "long_"),
    [
        ("Alf Brenning", "Alfredo K. Brenning"),  # a short given name and an added initial
        ("Jonah Pembrook", "T. Jonah Pembrook"),  # a leading initial
        ("Sanz Ortega", "Ines Sanz Ortega"),  # a double surname without the given name
        ("Lia Maren Osei", "Ada Lia Maren Osei"),  # a leading given name
    ],
)
def test_two_forms_of_one_full_name_are_one_person(short: str, long_: str) -> None:
    ents = resolve_entities([_m("a1", long_, "PERSON", 0), _m("a2", short, "PERSON", 0), _m("a3", "Mira Quaye", "PERSON", 0)])
    assert _entity_of(ents, short) is _entity_of(ents, long_)
    assert _entity_of(ents, "Mira Quaye") is not _entity_of(ents, short)


@pytest.mark.parametrize(
    "mentions",
    [
        # one report names both: two people
        [("a1", "Alf Brenning", 0), ("a1", "Alfredo Brenning", 30)],
        # the short form fits two unlike full names: it stays alone
        [("a1", "Alf Brenning", 0), ("a2", "Alfredo Brenning", 0), ("a3", "Alfonso Brenning", 0)],
        # another given name, not a short form of it
        [("a1", "Alf Brenning", 0), ("a2", "Albert Brenning", 0)],
    ],
)
def test_full_names_that_may_be_two_people_stay_apart(mentions: list[tuple[str, str, int]]) -> None:
    ents = resolve_entities([_m(a, t, "PERSON", s) for a, t, s in mentions])
    assert [m.text for m in _entity_of(ents, "Alf Brenning").mentions] == ["Alf Brenning"]


def test_surname_tagged_as_a_nationality_in_another_report_joins_the_person() -> None:
    mentions = [
        _m("a1", "Anri Ketsoyan", "PERSON", 0),
        _m("a2", "Ketsoyan", "NORP", 0),  # a report that never names him in full
        _m("a3", "Armenian", "NORP", 0),
    ]
    ents = resolve_entities(mentions)
    assert _entity_of(ents, "Ketsoyan") is _entity_of(ents, "Anri Ketsoyan")
    assert _entity_of(ents, "Armenian") is not _entity_of(ents, "Anri Ketsoyan")


def test_surname_in_the_headline_above_the_full_name_is_the_person() -> None:
    text = "Ketsoyan Wins Again\nAnri Ketsoyan won the final."
    assert _found(text, [("Ketsoyan", "NORP"), ("Anri Ketsoyan", "PERSON")])[0] == ("Ketsoyan", "PERSON")
    text = "KETSOYAN WINS AGAIN\nAnri Ketsoyan won the final."
    assert _found(text, [("KETSOYAN", "ORG"), ("Anri Ketsoyan", "PERSON")])[0] == ("KETSOYAN", "PERSON")
    # a first paragraph that ends a sentence is no headline: before the full name it stays what the model said
    text = "Ketsoyan fans met. Anri Ketsoyan spoke.\nThe final is on Sunday."
    assert _found(text, [("Ketsoyan", "NORP"), ("Anri Ketsoyan", "PERSON")])[0] == ("Ketsoyan", "NORP")


def test_full_name_found_in_another_report_makes_its_surname_there_a_person() -> None:
    texts = {"a1": "Anri Ketsoyan won the final.", "a2": "The final went on. Anri Ketsoyan won it, and Ketsoyan smiled."}
    tagged = [
        _m("a1", "Anri Ketsoyan", "PERSON", 0),
        _m("a2", "Ketsoyan", "NORP", texts["a2"].rindex("Ketsoyan")),  # the model missed the full name here
    ]
    grown = add_story_mentions(texts, tagged)
    assert sorted((m.article_id, m.text, m.label) for m in grown) == [
        ("a1", "Anri Ketsoyan", "PERSON"), ("a2", "Anri Ketsoyan", "PERSON"), ("a2", "Ketsoyan", "PERSON"),
    ]


def test_name_in_a_headline_in_capitals_is_found_from_another_report() -> None:
    texts = {
        "a1": "The Harriers won in Tillbury.",
        "a2": "HARRIERS ROUT ROVERS\nFans cheered them.",  # as long as "Harriers Park"
        "a3": "LET US IN, SAYS FAN\nThe US office opened.",  # "us" is written in lower case here
    }
    texts["a1"] += " Harriers Park was full."
    tagged = [
        _m("a1", "Harriers", "ORG", texts["a1"].index("Harriers")),
        _m("a1", "Harriers Park", "FAC", texts["a1"].index("Harriers Park")),
        _m("a3", "US", "GPE", texts["a3"].rindex("US")),
    ]
    grown = add_story_mentions(texts, tagged)
    found = sorted((m.article_id, m.start, m.text, m.label) for m in grown)
    assert [(t, lab) for a, _, t, lab in found if a == "a2"] == [("HARRIERS", "ORG")]
    assert [(a, t) for a, _, t, _ in found if a == "a3"] == [("a3", "US")]
    for aid, start, surface, _ in found:
        assert texts[aid][start : start + len(surface)] == surface


def test_place_after_a_comma_is_where_the_place_lies_not_a_short_form() -> None:
    mentions = [
        _m("a1", "Tillbury, Norland", "GPE", 0),
        _m("a1", "Tillbury", "GPE", 40),
        _m("a2", "Norland", "GPE", 0),
    ]
    ents = resolve_entities(mentions)
    assert _entity_of(ents, "Norland") is not _entity_of(ents, "Tillbury, Norland")


@pytest.mark.parametrize(("described", "name"), [("30GB vPod", "vPod"), ("150px Velora", "Velora"), ("new vPod", "vPod")])
def test_measure_or_description_before_a_name_is_set_apart(described: str, name: str) -> None:
    ents = resolve_entities([_m("a1", name, "ORG", 0), _m("a2", described, "ORG", 0)])
    assert len(ents) == 1 and ents[0].name == name


def test_nickname_made_of_the_starts_of_a_full_name_is_that_person() -> None:
    mentions = [_m("a1", "Lindy Marlowe", "PERSON", 0), _m("a2", "LiMa", "PERSON", 0)]
    assert len(resolve_entities(mentions)) == 1
    # fits two people: stays apart
    ents = resolve_entities([*mentions, _m("a3", "Lisa Maddox", "PERSON", 0)])
    assert [m.text for m in _entity_of(ents, "LiMa").mentions] == ["LiMa"]


def test_short_form_is_not_claimed_by_a_thing_of_it_in_lower_case() -> None:
    mentions = [
        _m("a1", "Velora Air", "ORG", 0),
        _m("a2", "Velora Air Lines", "ORG", 0),
        _m("a3", "Velora Air's board of directors", "ORG", 0),
    ]
    ents = resolve_entities(mentions)
    assert _entity_of(ents, "Velora Air") is _entity_of(ents, "Velora Air Lines")


def test_place_written_for_its_team_joins_the_team_but_not_where_it_is_the_place() -> None:
    texts = {
        "a1": "The Tillbury Harriers won again. The Harriers lead the league.",
        "a2": "Marston lost to Tillbury 20-13. Fans in Tillbury, Norland cheered. Tillbury (11-4) made the playoffs.",
    }
    mentions = [
        _m("a1", "Tillbury Harriers", "ORG", texts["a1"].index("Tillbury")),
        _m("a1", "Harriers", "ORG", texts["a1"].rindex("Harriers")),
        _m("a2", "Marston", "GPE", 0),
        *(_m("a2", "Tillbury", "GPE", i) for i in (texts["a2"].index("Tillbury"), texts["a2"].index("in Tillbury") + 3, texts["a2"].rindex("Tillbury"))),
    ]
    assert all(texts[m.article_id][m.start : m.end] == m.text for m in mentions)
    ents = resolve_entities(mentions, texts=texts)
    team = _entity_of(ents, "Harriers")
    assert sorted(m.start for m in team.mentions if m.text == "Tillbury") == [texts["a2"].index("Tillbury"), texts["a2"].rindex("Tillbury")]
    assert team.type == "ORG" and {m.label for m in team.mentions} == {"ORG"}
    assert [m.start for m in _entity_of(ents, "Marston").mentions] == [0]
    place = [e for e in ents if e is not team and any(m.text == "Tillbury" for m in e.mentions)]
    assert len(place) == 1 and [m.start for m in place[0].mentions] == [texts["a2"].index("in Tillbury") + 3]
    # without the texts, or when the story never writes the nickname alone, the place stays a place
    assert all(m.text != "Tillbury" for m in _entity_of(resolve_entities(mentions), "Harriers").mentions)
    ents = resolve_entities([m for m in mentions if m.text != "Harriers"], texts=texts)
    assert all(m.text != "Tillbury" for m in _entity_of(ents, "Tillbury Harriers").mentions)


def _story(texts: dict[str, str], tagged: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """``add_story_mentions`` over mentions given as (article, surface, label), each at its first
    occurrence ("^" before the surface: its last)."""
    ms = [
        _m(aid, surface.lstrip("^"), label, texts[aid].rindex(surface[1:]) if surface[:1] == "^" else texts[aid].index(surface))
        for aid, surface, label in tagged
    ]
    grown = add_story_mentions(texts, ms)
    for m in grown:
        assert texts[m.article_id][m.start : m.end] == m.text
    return sorted((m.article_id, m.text, m.label) for m in sorted(grown, key=lambda m: (m.article_id, m.start)))


def test_laws_are_mentions_found_across_the_story_and_an_entity_of_their_own() -> None:
    text = "Critics said the Tillbury Water Act of 1990 failed."
    assert _found(text, [("the Tillbury Water Act of 1990", "LAW")]) == [("Tillbury Water Act of 1990", "LAW")]
    texts = {"a1": "Velora broke the Coastal Waters Act, critics said.", "a2": "Under the Coastal Waters Act Velora must pay."}
    found = _story(texts, [("a1", "Velora", "ORG"), ("a1", "Coastal Waters Act", "LAW"), ("a2", "Velora", "ORG")])
    assert ("a2", "Coastal Waters Act", "LAW") in found
    ms = [_m(aid, "Coastal Waters Act", "LAW", texts[aid].index("Coastal")) for aid in texts] + [_m("a1", "Velora", "ORG", 0)]
    law = _entity_of(resolve_entities(ms), "Coastal Waters Act")
    assert law.type == "LAW" and len(law.mentions) == 2


@pytest.mark.parametrize(
    ("text", "ents"),
    [
        ("Marston beat Harlow 91-73 on Friday.", [("Harlow 91-73", "PRODUCT")]),
        ("Marston defeated Harlow 51 - 50 on Friday.", [("Harlow 51 - 50", "PRODUCT")]),
        ("Marston beat Harlow 91-73 on Friday.", [("Harlow", "ORG")]),
    ],
)
def test_score_after_a_team_is_no_part_of_a_name_nor_a_product(text: str, ents: list[tuple[str, str]]) -> None:
    assert _found(text, ents) == [("Harlow", "ORG")]


def test_model_with_three_digits_each_side_of_a_hyphen_is_still_a_product() -> None:
    assert _found("The Harlow 737-800 landed.", [("Harlow", "ORG")]) == [("Harlow", "ORG"), ("737-800", "PRODUCT")]


def test_name_with_later_words_in_lower_case_found_across_the_story() -> None:
    texts = {"a1": "The vTunes Store opened on Monday.", "a2": "Songs sold on the vTunes store rose, Velora said."}
    found = _story(texts, [("a1", "vTunes Store", "ORG"), ("a2", "Velora", "ORG")])
    assert ("a2", "vTunes store", "ORG") in found
    # a name starting with a capital needs its first word as written
    texts = {"a1": "The Harbour Trust met.", "a2": "The harbour trust met."}
    assert _story(texts, [("a1", "Harbour Trust", "ORG")]) == [("a1", "Harbour Trust", "ORG")]


def test_headline_word_the_story_capitalises_nowhere_else_is_split_off() -> None:
    texts = {
        "a1": "Velora Unveils Skyliner Jet At Tillbury Show\nVelora showed its jet on Monday.",
        "a2": "Premier Snubs Osei Over Harbour Deal\nMira Osei met the premier. Osei left early.",
    }
    tagged = [
        ("a1", "Velora Unveils Skyliner", "ORG"), ("a1", "Tillbury", "GPE"), ("a1", "^Velora", "ORG"),
        ("a2", "Snubs Osei", "PERSON"), ("a2", "Mira Osei", "PERSON"), ("a2", "^Osei", "PERSON"),
    ]
    found = _story(texts, tagged)
    assert ("a1", "Velora", "ORG") in found and not any(t.startswith("Velora Unveils") for _, t, _ in found)
    # before a lone surname in a headline, a word capitalised only there is no given name
    assert ("a2", "Osei", "PERSON") in found and ("a2", "Snubs Osei", "PERSON") not in found


def test_headline_split_keeps_surnames_papers_and_words_written_elsewhere() -> None:
    texts = {
        # "Hartwell" only in the headline, after a given name the story tags alone: a surname
        "a1": "Dodi Hartwell Wins Tillbury Prize\nDodi was delighted, Tillbury said.",
        # "Herald" heads a paper's name
        "a2": "Tillbury Herald Wins Award\nThe paper won in Tillbury.",
        # "Unveils" is written capitalised in the text too: not a headline's word alone
        "a3": "Velora Unveils Jet\nThe show's banner read Unveils Today, Velora said.",
    }
    tagged = [
        ("a1", "Dodi Hartwell", "PERSON"), ("a1", "^Dodi", "PERSON"), ("a1", "^Tillbury", "GPE"),
        ("a2", "Tillbury Herald", "ORG"), ("a2", "^Tillbury", "GPE"), ("a3", "Velora Unveils", "ORG"), ("a3", "^Velora", "ORG"),
    ]
    found = _story(texts, tagged)
    assert ("a1", "Dodi Hartwell", "PERSON") in found
    assert ("a2", "Tillbury Herald", "ORG") in found
    assert ("a3", "Velora Unveils", "ORG") in found


def test_person_name_standing_where_a_place_would_is_the_building_named_after_it() -> None:
    def resolve(first: str) -> list[Entity]:
        texts = {"a1": first, "a2": "The Mira Osei Clinic in Tillbury treats addiction."}
        ms = [
            _m("a1", "Mira Osei", "PERSON", texts["a1"].index("Mira")),
            _m("a2", "Mira Osei Clinic", "ORG", texts["a2"].index("Mira")),
            _m("a2", "Tillbury", "GPE", texts["a2"].index("Tillbury")),
        ]
        return resolve_entities(ms, texts=texts)

    clinic = _entity_of(resolve("The singer checked into Mira Osei on Monday, her agent said."), "Mira Osei")
    assert {m.text for m in clinic.mentions} == {"Mira Osei", "Mira Osei Clinic"} and clinic.type == "ORG"
    # written where a person stands, the name stays the person's
    person = _entity_of(resolve("The singer met Mira Osei on Monday, her agent said."), "Mira Osei")
    assert {m.text for m in person.mentions} == {"Mira Osei"} and person.type == "PERSON"


def test_name_ending_in_an_institution_word_is_no_person() -> None:
    text = "The Mira Osei Foundation gave money. Mira Osei Airport reopened."
    found = _found(text, [("The Mira Osei Foundation", "PERSON"), ("Mira Osei Airport", "PERSON")])
    assert found == [("Mira Osei Foundation", "ORG"), ("Mira Osei Airport", "FAC")]
    # a surname that is also a word for a building stays a person's
    assert _found("Dodi Hall spoke.", [("Dodi Hall", "PERSON")]) == [("Dodi Hall", "PERSON")]


def test_short_form_joins_the_shortest_of_nested_full_names() -> None:
    texts = {
        "a1": "She checked into Harwick on Monday.",
        "a2": "Harwick Recovery said she left. The Harwick Recovery Center is private.",
    }
    ms = [
        _m("a1", "Harwick", "ORG", texts["a1"].index("Harwick")),
        _m("a2", "Harwick Recovery", "ORG", texts["a2"].index("Harwick Recovery")),
        _m("a2", "Harwick Recovery Center", "ORG", texts["a2"].index("Harwick Recovery Center")),
    ]
    ents = resolve_entities(ms, texts=texts)
    assert len(ents) == 1 and len(ents[0].mentions) == 3
    # two full names neither of which begins the other: the short form stays apart
    texts2 = {"a1": texts["a1"], "a2": "Harwick Recovery said she left. The Harwick Bank is private."}
    ms2 = [ms[0], ms[1], _m("a2", "Harwick Bank", "ORG", texts2["a2"].index("Harwick Bank"))]
    assert len(_entity_of(resolve_entities(ms2, texts=texts2), "Harwick").mentions) == 1


def test_cluster_written_as_an_acronym_is_a_short_form_by_its_spelled_out_name() -> None:
    texts = {
        "a1": "The Norland Federation (NF) said the NF would act. The NF has ships. NF officials agreed.",
        "a2": "The ship reached the Norland Federation of States on Monday.",
        "a3": "The Norland Federation Navy ordered ships.",
    }
    ms = [
        _m("a1", "Norland Federation", "GPE", texts["a1"].index("Norland")),
        *[_m("a1", "NF", "GPE", i) for i in (texts["a1"].index("NF"), texts["a1"].index("NF would"), texts["a1"].index("NF has"), texts["a1"].index("NF off"))],
        _m("a2", "Norland Federation of States", "GPE", texts["a2"].index("Norland")),
        _m("a3", "Norland Federation Navy", "ORG", texts["a3"].index("Norland")),
    ]
    ents = resolve_entities(ms, texts=texts)
    assert {m.text for m in _entity_of(ents, "NF").mentions} == {"NF", "Norland Federation", "Norland Federation of States"}
    assert {m.text for m in _entity_of(ents, "Norland Federation Navy").mentions} == {"Norland Federation Navy"}


def test_headline_word_beginning_one_body_name_below_is_that_body() -> None:
    text = "Tarsk buys Norland jets\nMay 2, 2026\nTarsk Airways has ordered ten jets from Norland. The Tarsk Airways fleet will grow."
    ents = [("Tarsk", "GPE"), ("Norland", "GPE"), ("Tarsk Airways", "ORG"), ("Norland", "GPE"), ("Tarsk Airways", "ORG")]
    ms = extract_mentions(_Doc(text, ents), "a1")
    assert [(m.text, m.label) for m in ms[:2]] == [("Tarsk", "ORG"), ("Norland", "GPE")]
    tarsk = _entity_of(resolve_entities(ms, texts={"a1": text}), "Tarsk")
    assert {m.text for m in tarsk.mentions} == {"Tarsk", "Tarsk Airways"}
    # a word the text below also writes alone keeps its label
    text2 = text.replace("from Norland.", "from Tarsk.")
    ents2 = [("Tarsk", "GPE"), ("Norland", "GPE"), ("Tarsk Airways", "ORG"), ("Tarsk", "GPE"), ("Tarsk Airways", "ORG")]
    assert extract_mentions(_Doc(text2, ents2), "a1")[0].label == "GPE"


def test_number_beginning_a_variant_designation_is_the_model_family() -> None:
    text = "Velora unveils long-range 990\nVelora showed a version of its 990 airliner. The 990-300ER flies far."
    found = _found(text, [("Velora", "ORG"), ("Velora", "ORG"), ("990-300ER", "PRODUCT"), ("990", "CARDINAL")])
    assert [(t, lab) for t, lab in found if lab == "PRODUCT"] == [("990", "PRODUCT"), ("990", "PRODUCT"), ("990-300ER", "PRODUCT")]
    # a count ("990 seats") is not the model; without a variant, a bare number is no model
    counted = _found("The 990-300ER flies far; 990 seats were sold.", [("990-300ER", "PRODUCT")])
    assert counted == [("990-300ER", "PRODUCT")]
    assert ("990", "PRODUCT") not in _found("Velora showed its 990 airliner.", [("Velora", "ORG")])


def test_acronym_next_to_a_tagged_name_is_found_in_the_story() -> None:
    texts = {
        "a1": "Velora wins NR NAF tanker deal\nThe NR government picked Velora. The NAF will fly them.",
        "a2": "Officials in the NR said the NAF had chosen Velora.",
    }
    ms = [
        _m("a1", "Velora", "ORG", texts["a1"].index("Velora")),
        _m("a1", "NAF", "ORG", texts["a1"].index("NAF")),
        _m("a1", "NAF", "ORG", texts["a1"].index("NAF will")),
        _m("a2", "NR", "GPE", texts["a2"].index("NR")),
        _m("a2", "NAF", "ORG", texts["a2"].index("NAF")),
        _m("a2", "Velora", "ORG", texts["a2"].index("Velora")),
    ]
    grown = add_story_mentions(texts, ms)
    found = sorted((m.start, m.text) for m in grown if m.article_id == "a1" and m.text == "NR")
    # "NR NAF": two names side by side (the model tagged "NAF"); "NR government" stays a name too
    assert found == [(texts["a1"].index("NR"), "NR"), (texts["a1"].index("NR gov"), "NR")]
    # next to an untagged capitalised word, the acronym may be a piece of a longer name
    texts["a1"] = texts["a1"].replace("NR NAF tanker", "NR Defence tanker")
    ms = [m for m in ms if not (m.article_id == "a1" and m.start < texts["a1"].index("\n"))]
    grown = add_story_mentions(texts, ms)
    assert [m.start for m in grown if m.article_id == "a1" and m.text == "NR"] == [texts["a1"].index("NR gov")]


def test_capitalised_word_before_a_place_mid_sentence_names_a_body() -> None:
    text = "Jets go to three airlines - Air Norland, Tarsk Airways and Velora. Rain hit Northern Norland. Visit Norland said so."
    ents = [("Norland", "GPE"), ("Tarsk Airways", "ORG"), ("Velora", "ORG"), ("Norland", "GPE"), ("Norland", "GPE")]
    found = _found(text, ents)
    assert ("Air Norland", "ORG") in found
    # a word that makes a place of a place, and a word capitalised by its place in the sentence, stay out
    assert [t for t, lab in found if lab == "GPE"] == ["Norland", "Norland"]
    assert _found("Tarsk Airways flies to Norland.", [("Tarsk Airways", "ORG"), ("Norland", "GPE")])[-1] == ("Norland", "GPE")


def test_building_after_the_place_it_is_in_is_found_in_the_story() -> None:
    texts = {
        "a1": "The jet landed at Harrow airport on Monday. The Sheriff said it was safe.",
        "a2": "It will fly out of Tillbury Harrow from May, and Tillbury Sheriff's deputies watched.",
    }
    ms = [
        _m("a1", "Harrow", "FAC", texts["a1"].index("Harrow")),
        _m("a1", "Sheriff", "ORG", texts["a1"].index("Sheriff")),
        _m("a2", "Tillbury", "GPE", texts["a2"].index("Tillbury")),
        _m("a2", "Tillbury", "GPE", texts["a2"].index("Tillbury Sh")),
    ]
    grown = add_story_mentions(texts, ms)
    # not "Sheriff" before a possessive: a title of the place's
    assert [(m.text, m.label) for m in grown if m.article_id == "a2" and m.text != "Tillbury"] == [("Harrow", "FAC")]
