"""Money, percentages and counts (invented sentences; seeds read from ../shared when present)."""

from __future__ import annotations


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.model import Quantity
from storyline.quantities import extract_quantities, parse_number, quantity_context
from storyline.temporal import extract_dates

ANCHOR = "2024-03-05"  # a Tuesday
from _shared import read_seed as _seed


def figures(text: str, anchor: str | None = ANCHOR) -> list[Quantity]:
    found = extract_quantities(text, "a", dates=extract_dates(text, "a", anchor), anchor=anchor)
    for q in found:
        assert text[q.start : q.end] == q.text
        assert q.sentence_start <= q.start < q.end <= q.sentence_end <= len(text)
    return found


def one(text: str, anchor: str | None = ANCHOR) -> Quantity:
    found = figures(text, anchor)
    assert len(found) == 1, found
    return found[0]


# ---------------------------------------------------------------- money


@pytest.mark.parametrize(
    ("text", "figure", "value", "unit"),
    [
        ("The city paid $650,000 for the land.", "$650,000", 650000, "USD"),
        ("The bond raised $1.2 million last year.", "$1.2 million", 1_200_000, "USD"),
        ("The startup raised $4.2m from investors.", "$4.2m", 4_200_000, "USD"),
        ("The bank lost €3 billion in the crash.", "€3 billion", 3e9, "EUR"),
        ("A ticket costs £200 at the door.", "£200", 200, "GBP"),
        ("The estate was valued at 650,000 dollars by the court.", "650,000 dollars", 650000, "USD"),
        ("Investors put in USD 5 million.", "USD 5 million", 5e6, "USD"),
        ("The mill sold for C$2.5bn to a rival.", "C$2.5bn", 2.5e9, "CAD"),
        ("Fines reached 40,000 euros for the firm.", "40,000 euros", 40000, "EUR"),
    ],
)
def test_money(text: str, figure: str, value: float, unit: str) -> None:
    q = one(text)
    assert (q.text, q.kind, q.value, q.unit) == (figure, "money", value, unit)


@pytest.mark.parametrize(
    ("prefix", "qualifier"),
    [
        ("nearly", "nearly"), ("almost", "nearly"), ("close to", "nearly"),
        ("about", "about"), ("around", "about"), ("approximately", "about"), ("roughly", "about"),
        ("some", "about"), ("an estimated", "about"),
        ("more than", "more_than"), ("over", "more_than"), ("upwards of", "more_than"),
        ("less than", "less_than"), ("under", "less_than"),
        ("at least", "at_least"), ("at most", "at_most"), ("up to", "at_most"), ("no more than", "at_most"),
        ("", "exact"),
    ],
)
def test_qualifiers(prefix: str, qualifier: str) -> None:
    text = f"The committee has spent {prefix} $48,000 on mailers.".replace("  ", " ")
    q = one(text)
    assert q.qualifier == qualifier
    assert q.text == f"{prefix} $48,000".strip()


def test_counted_for_money_is_verb_plus_what_it_is_for() -> None:
    q = one("The nurses union has spent nearly $910,000 on an independent campaign in support of Ruiz.")
    assert q.counted == "spent on an independent campaign in support of Ruiz"
    q = one("The challenger's own campaign had raised $18,240 in the last reporting period.")
    assert q.counted == "raised"
    q = one("The largest outside effort is $305,000 on behalf of Dana Pike, filings show.")
    assert q.counted == "largest outside effort on behalf of Dana Pike"


def test_quantity_context_without_a_parse() -> None:
    text = "The nurses union has spent nearly $910,000 on an independent campaign in support of Ruiz."
    ctx = quantity_context(one(text), text)
    assert ctx["verb"] == "spend"
    assert ctx["prep_phrase"] == "on an independent campaign in support of Ruiz"
    assert ctx["subject_text"] == "The nurses union"
    assert ctx["noun"] is None
    text = "The district employs 4,300 bus drivers."
    ctx = quantity_context(one(text), text)
    assert ctx["noun"] == "driver" and ctx["verb"] == "employ"


def test_quantity_context_with_a_parse() -> None:
    spacy_nlp = pytest.importorskip("storyline.nlp")
    try:
        nlp = spacy_nlp.english()
    except Exception:  # noqa: BLE001
        pytest.skip("spaCy model not installed")
    text = "The nurses union has spent nearly $910,000 on an independent campaign in support of Ruiz."
    doc = nlp(text)
    q = extract_quantities(text, "a", anchor=ANCHOR, doc=doc)[0]
    ctx = quantity_context(q, text, doc)
    assert ctx["verb"] == "spend"
    assert "union" in (ctx["subject_text"] or "")
    assert q.counted and q.counted.startswith("spent on an independent campaign")


# ---------------------------------------------------------------- percentages


@pytest.mark.parametrize(
    ("text", "figure", "value"),
    [
        ("Turnout fell 12% in the district.", "12%", 12),
        ("Turnout fell 12 percent in the district.", "12 percent", 12),
        ("Turnout fell 12 per cent in the district.", "12 per cent", 12),
        ("Turnout fell 3.5% in the district.", "3.5%", 3.5),
        ("Turnout fell about 12 percent in the district.", "about 12 percent", 12),
    ],
)
def test_percentages(text: str, figure: str, value: float) -> None:
    q = one(text)
    assert (q.text, q.kind, q.value, q.unit) == (figure, "percent", value, "%")


# ---------------------------------------------------------------- counts


@pytest.mark.parametrize(
    ("text", "figure", "value", "unit", "counted"),
    [
        ("The union represents more than 41,000 county nurses.", "more than 41,000", 41000, "nurse", "county nurses"),
        ("Nine candidates are running for the seat.", "Nine", 9, "candidate", "candidates"),
        ("The blackout hit 48,000 households on Sunday.", "48,000", 48000, "household", "households"),
        ("Its 120-member council voted on the plan.", "120-member", 120, "member", "council"),
        ("Its 120-member Senate voted on the plan.", "120-member", 120, "member", "Senate"),
        ("About 1.5 million people fled the region.", "About 1.5 million", 1_500_000, "person", "people"),
        ("Twenty-five volunteers joined the search.", "Twenty-five", 25, "volunteer", "volunteers"),
        ("Officials counted three hundred ballots by hand.", "three hundred", 300, "ballot", "ballots"),
    ],
)
def test_counts(text: str, figure: str, value: float, unit: str, counted: str) -> None:
    q = one(text)
    assert (q.text, q.kind, q.value, q.unit, q.counted) == (figure, "count", value, unit, counted)


@pytest.mark.parametrize(
    "text",
    [
        "The race in District 1 is close.",
        "She was born in 1987 and moved in 2019.",
        "Polls close at 8 p.m. on March 5, 2024.",
        "He finished 3rd in the 2nd round.",
        "Call 555-123-4567 or (555) 123-4567 for details.",
        "The vote lasted two weeks and three days.",
        "Route 66 and Proposition 13 were on the ballot.",
        "It was one of the worst storms.",
        "Dozens of residents and hundreds of workers came.",
        "A 45-year-old man was arrested.",
        "They voted 7 to 2.",
    ],
)
def test_not_figures(text: str) -> None:
    assert figures(text) == []


def test_numbers_inside_quotations_are_kept() -> None:
    q = one("“We lost 300 members this year,” the director said.")
    assert q.value == 300 and q.unit == "member"


# ---------------------------------------------------------------- as of


def test_as_of_resolved_from_a_date() -> None:
    text = "Filings reported through Monday show the group has spent about $75,000 on ads."
    q = one(text)
    assert q.as_of == "2024-03-04"
    assert q.as_of_text == "through Monday"
    q = one("As of March 1, the fund had collected $2.1 million.")
    assert (q.as_of, q.as_of_text) == ("2024-03-01", "As of March 1")
    q = one("The drive had raised $90,000 by Friday.")
    assert q.as_of == "2024-03-01"


def test_as_of_a_period_without_a_date() -> None:
    q = one("Her campaign had raised $18,240 in the last reporting period.")
    assert q.as_of is None
    assert q.as_of_text is not None and "last reporting period" in q.as_of_text
    q = one("His campaign had raised $21,900 as of the latest filing.")
    assert q.as_of is None and q.as_of_text == "as of the latest filing"


def test_no_as_of_when_nothing_anchors_the_figure() -> None:
    q = one("The union spent more than $700,000 on the race, records show.")
    assert q.as_of is None and q.as_of_text is None


def test_sentence_bounds() -> None:
    text = "Mr. Ortiz spoke first. The U.S. agency then paid $3.5 million to Acme Corp. in fees. Nobody objected."
    q = one(text)
    assert text[q.sentence_start : q.sentence_end] == "The U.S. agency then paid $3.5 million to Acme Corp. in fees."


def test_parse_number() -> None:
    assert parse_number("650,000") == 650000
    assert parse_number("twenty-five") == 25
    assert parse_number("two hundred") == 200
    assert parse_number("three million") == 3e6
    assert parse_number("lots") is None


# ---------------------------------------------------------------- properties


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_gives_valid_figures(text: str) -> None:
    for q in extract_quantities(text, "a", anchor=ANCHOR):
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start : q.end] == q.text
        assert q.kind in ("money", "count", "percent")


_TOKENS = st.sampled_from(
    "$ $1.2 million 650,000 nearly more than about 12% percent seven candidates 250-member House District 1 "
    "through Tuesday as of the last reporting period spent on raised . , € £ 2024 3rd 8 p.m. USD 5 m bn".split()
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TOKENS, max_size=30))
def test_figure_like_text_gives_valid_figures(tokens: list[str]) -> None:
    text = " ".join(tokens)
    for q in extract_quantities(text, "a", anchor=ANCHOR):
        assert text[q.start : q.end] == q.text
        assert q.value == q.value  # not NaN
        assert q.qualifier in ("exact", "about", "nearly", "more_than", "less_than", "at_least", "at_most")
        if q.as_of is not None:
            assert q.as_of[:4].isdigit()


# ---------------------------------------------------------------- seeds




def _by_value(found: list[Quantity], value: float) -> Quantity:
    matches = [q for q in found if q.value == value]
    assert matches, [q.text for q in found]
    return matches[0]


def test_seed_002_figures() -> None:
    found = figures(_seed("002"), "2024-02-21")
    spend = _by_value(found, 650000)
    assert (spend.text, spend.qualifier, spend.unit, spend.as_of) == ("nearly $650,000", "nearly", "USD", "2024-02-20")
    raised = _by_value(found, 24302)
    assert raised.as_of_text and "last reporting period" in raised.as_of_text


def test_seed_003_figures() -> None:
    found = figures(_seed("003"), "2024-03-05")
    assert _by_value(found, 690000).qualifier == "more_than"
    house = _by_value(found, 250)
    assert house.kind == "count" and house.counted == "House"


def test_seed_000_figures() -> None:
    found = figures(_seed("000"), "2024-03-05")
    members = _by_value(found, 35000)
    assert (members.kind, members.qualifier) == ("count", "more_than")
    assert _by_value(found, 250).kind == "count"
    assert not any(q.value == 1 for q in found)  # "District 1"
