"""Temporal expressions: spans and values (invented sentences; seeds read from ../shared when present)."""

from __future__ import annotations


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.sentences import split_sentences
from storyline.temporal import extract_dates, infer_anchor

TUESDAY = "2024-03-05"  # a Tuesday
from _shared import read_seed as _seed


def dates(text: str, anchor: str | None = TUESDAY) -> dict[str, str | None]:
    found = extract_dates(text, "a", anchor)
    for d in found:
        assert text[d.start : d.end] == d.text
    return {d.text: d.value for d in found}


def kinds(text: str, anchor: str | None = TUESDAY) -> dict[str, str]:
    return {d.text: d.kind for d in extract_dates(text, "a", anchor)}


# ---------------------------------------------------------------- absolute dates


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("The council voted on June 7, 2021 to close it.", "June 7, 2021", "2021-06-07"),
        ("The council voted on 7 June 2021 to close it.", "7 June 2021", "2021-06-07"),
        ("Filed 2021-06-07 in county court.", "2021-06-07", "2021-06-07"),
        ("The deadline passed at 2021-06-07T18:30 local time.", "2021-06-07T18:30", "2021-06-07T18:30"),
        ("Ballots were mailed Feb. 12 to voters.", "Feb. 12", "2024-02-12"),
        ("The report came out Sept. 30, 2019.", "Sept. 30, 2019", "2019-09-30"),
        ("The plant reopened in August 2020.", "August 2020", "2020-08"),
        ("A bridge was built in 1957 and rebuilt since 1998.", "1957", "1957"),
        ("Turnout peaked on the 3rd of November, 2020.", "the 3rd of November, 2020", "2020-11-03"),
        ("The memo is dated 11/14/2023.", "11/14/2023", "2023-11-14"),
        ("Prices soared in the 1970s.", "the 1970s", "197"),
        ("The festival returns in summer 2025.", "summer 2025", "2025-SU"),
    ],
)
def test_absolute_dates(text: str, span: str, value: str) -> None:
    assert dates(text)[span] == value


def test_month_day_without_year_takes_the_nearest_year() -> None:
    assert dates("Ballots were mailed Feb. 12.")["Feb. 12"] == "2024-02-12"
    assert dates("The gala was held December 28.")["December 28"] == "2023-12-28"
    assert dates("The gala was held December 28.", "2024-12-20")["December 28"] == "2024-12-28"
    # a future clause looks forward
    assert dates("The runoff will be held on November 5.")["November 5"] == "2024-11-05"


def test_weekday_with_explicit_date_is_one_mention_with_the_date() -> None:
    found = extract_dates("The board acted late Friday, March 1, after a long debate.", "a", TUESDAY)
    assert [(d.text, d.value) for d in found] == [("late Friday, March 1", "2024-03-01")]
    # the year is the one where the weekday fits
    assert dates("It opened Sunday, March 3.", "2024-06-01")["Sunday, March 3"] == "2024-03-03"


def test_month_qualifiers_are_in_the_span_and_keep_the_month() -> None:
    v = dates("Trouble began in late January and peaked by mid-February; it eased in early March.")
    assert v == {"late January": "2024-01", "mid-February": "2024-02", "early March": "2024-03"}
    assert dates("It closed at the end of October.")["the end of October"] == "2023-10"


def test_bare_months_need_a_preposition_or_qualifier() -> None:
    assert dates("Sales dropped in February.")["February"] == "2024-02"
    assert dates("He visited last April.")["last April"] == "2023-04"
    assert "March" not in dates("Thousands joined the March for Science.")


# ---------------------------------------------------------------- relative to the anchor


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("The mayor resigned Monday.", "Monday", "2024-03-04"),
        ("The mayor resigned late Monday.", "late Monday", "2024-03-04"),
        ("The mayor resigned Monday night.", "Monday night", "2024-03-04"),
        ("The final decision came Sunday evening.", "Sunday evening", "2024-03-03"),
        ("She could not be reached early Tuesday.", "early Tuesday", "2024-03-05"),
        ("The agency said on Tuesday it had finished.", "Tuesday", "2024-03-05"),
        ("Crews left Wednesday.", "Wednesday", "2024-02-28"),
        ("Crews left last Friday.", "last Friday", "2024-03-01"),
        ("Crews return next Wednesday.", "next Wednesday", "2024-03-06"),
        ("The council will vote Thursday.", "Thursday", "2024-03-07"),
        ("The ruling is expected Friday.", "Friday", "2024-03-08"),
        ("Officials plan to reopen the road on Saturday.", "Saturday", "2024-03-09"),
        ("Polls closed on the eve of Tuesday's vote.", "Tuesday", "2024-03-05"),
    ],
)
def test_weekdays(text: str, span: str, value: str) -> None:
    assert dates(text)[span] == value


def test_future_cue_is_local_to_the_clause() -> None:
    text = "Reached Monday evening, the director said she would not comment but is expected to speak Wednesday."
    v = dates(text)
    assert v["Monday evening"] == "2024-03-04"
    assert v["Wednesday"] == "2024-03-06"
    # "said Monday it will ..." : Monday is when it was said
    assert dates("The company said Monday it will close two plants.")["Monday"] == "2024-03-04"
    # clause-initial weekday takes the tense of the rest of the sentence
    assert dates("On Friday, the board will meet again.")["Friday"] == "2024-03-08"


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("Officials met today.", "today", "2024-03-05"),
        ("Officials met yesterday.", "yesterday", "2024-03-04"),
        ("Officials meet tomorrow.", "tomorrow", "2024-03-06"),
        ("Officials meet tonight.", "tonight", "2024-03-05"),
        ("Storms hit last night.", "last night", "2024-03-04TNI"),
        ("The fund grew this week.", "this week", "2024-W10"),
        ("The fund grew last week.", "last week", "2024-W09"),
        ("The fund will grow next week.", "next week", "2024-W11"),
        ("Rents rose last month.", "last month", "2024-02"),
        ("Rents rose this month.", "this month", "2024-03"),
        ("Rents rise next month.", "next month", "2024-04"),
        ("Rents rose last year.", "last year", "2023"),
        ("Rents rise next year.", "next year", "2025"),
        ("Rents rose earlier this year.", "earlier this year", "2024"),
        ("The plant closed three days ago.", "three days ago", "2024-03-02"),
        ("The plant closed two weeks ago.", "two weeks ago", "2024-02-20"),
        ("Protests spread over the weekend.", "the weekend", "2024-W09-WE"),
    ],
)
def test_relative_days_weeks_months_years(text: str, span: str, value: str) -> None:
    assert dates(text)[span] == value


def test_no_anchor_leaves_relative_values_empty() -> None:
    v = dates("The mayor resigned Monday, two days after a vote on March 2, 2024; the audit ran two weeks.", None)
    assert v["Monday"] is None
    assert v["March 2, 2024"] == "2024-03-02"
    assert v["two weeks"] == "P2W"
    assert dates("It happened on Feb. 12.", None)["Feb. 12"] is None


# ---------------------------------------------------------------- durations, sets, times


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("The review lasted about two weeks.", "two weeks", "P2W"),
        ("The strike lasted three days.", "three days", "P3D"),
        ("She served 12 years on the bench.", "12 years", "P12Y"),
        ("The reply came eight minutes later.", "eight minutes", "PT8M"),
        ("Talks ran for 36 hours.", "36 hours", "PT36H"),
        ("A two-week delay followed.", "two-week", "P2W"),
        ("The feud has gone on for decades.", "decades", "PXDE"),
        ("After weeks of talks, they agreed.", "weeks", "PXW"),
        ("It was a decades-long fight.", "decades-long", "PXDE"),
    ],
)
def test_durations(text: str, span: str, value: str) -> None:
    assert dates(text)[span] == value
    assert kinds(text)[span] == "DURATION"


def test_quarters_and_decades() -> None:
    assert dates("Profit rose in the third quarter.")["the third quarter"] == "2023-Q3"
    assert dates("First-quarter sales fell.")["First-quarter"] == "2024-Q1"
    assert dates("Sales in Q2 2022 fell.")["Q2 2022"] == "2022-Q2"
    assert dates("The feud lasted two decades.")["two decades"] == "P20Y"


def test_sets() -> None:
    v = dates("The council meets every Monday and publishes weekly minutes.")
    assert v == {"every Monday": "XXXX-WXX-1", "weekly": "P1W"}
    assert kinds("It is held every year.")["every year"] == "SET"


def test_times_take_their_day() -> None:
    found = extract_dates("The statement arrived at 12:32 p.m. on Monday.", "a", TUESDAY)
    assert [(d.text, d.value, d.kind) for d in found] == [("12:32 p.m. on Monday", "2024-03-04T12:32", "TIME")]
    found = extract_dates("On March 1, 2024, polls closed at 8 p.m. sharp.", "a", TUESDAY)
    assert {d.text: d.value for d in found}["8 p.m."] == "2024-03-01T20:00"
    # no day known at all
    assert dates("Polls close at 8 p.m.", None)["8 p.m."] is None
    assert dates("The vote ended at noon.")["noon"] == "2024-03-05T12:00"


# ---------------------------------------------------------------- negatives


def test_money_counts_and_designators_are_not_dates() -> None:
    text = "The 250-member panel in District 1 gave $24 to 7 groups and 2,024 people."
    assert extract_dates(text, "a", TUESDAY) == []


def test_may_the_modal_is_not_a_month() -> None:
    assert dates("You may be right. May I ask a question? Officials may meet.") == {}
    assert dates("Voting opens May 6.")["May 6"] == "2024-05-06"
    assert dates("He quit in May 2023.")["May 2023"] == "2023-05"
    assert dates("The law takes effect in May.")["May"] == "2024-05"


def test_lowercase_month_words_are_not_months() -> None:
    assert dates("Protesters march 3 miles; they may also march again.") == {}


def test_plain_numbers_are_not_years() -> None:
    assert dates("The petition gathered 2000 signatures.") == {}


# ---------------------------------------------------------------- anchor inference


def test_infer_anchor_takes_the_latest_full_date() -> None:
    text = "Filed June 3, 2023. Updated March 4, 2024 after a hearing on Feb. 2."
    assert infer_anchor(text) == "2024-03-04"
    assert infer_anchor("No dates at all, just Monday.") is None
    assert infer_anchor("Posted 2022-11-09 by staff.") == "2022-11-09"


def test_bad_anchor_is_treated_as_missing() -> None:
    assert dates("They met Monday.", "not-a-date")["Monday"] is None
    assert dates("They met Monday.", "2024-03-05T09:00:00Z")["Monday"] == "2024-03-04"


# ---------------------------------------------------------------- properties


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_arbitrary_text_gives_valid_spans(text: str) -> None:
    for d in extract_dates(text, "a", TUESDAY):
        assert 0 <= d.start < d.end <= len(text)
        assert text[d.start : d.end] == d.text


_WORDS = st.sampled_from(
    "Monday late early March 4 , 2024 May may on the last next week month year today two weeks ago "
    "$ 12:30 p.m. . in mid- February decades for every 1990s 3rd of June 2/14/2024 District 250-member".split()
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, max_size=25), st.sampled_from([None, "2024-03-05", "2023-12-31", "2024-02-29"]))
def test_date_like_text_gives_valid_spans_and_values(words: list[str], anchor: str | None) -> None:
    text = " ".join(words)
    found = extract_dates(text, "a", anchor)
    prev_end = 0
    for d in found:
        assert text[d.start : d.end] == d.text
        assert d.start >= prev_end  # no overlaps, sorted
        prev_end = d.end
        assert d.kind in ("DATE", "TIME", "DURATION", "SET")
        if d.value is not None:
            assert d.value.strip() == d.value and d.value


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_sentences_cover_text_in_order(text: str) -> None:
    prev = 0
    for s, e in split_sentences(text):
        assert prev <= s < e <= len(text)
        assert text[s:e].strip() == text[s:e]
        prev = e


# ---------------------------------------------------------------- seeds




def test_seed_000_dates() -> None:
    text = _seed("000")
    v = dates(text, "2024-03-05")
    assert v["late Monday, March 4"] == "2024-03-04"
    assert v["Monday evening"] == "2024-03-04"
    assert v["late February"] == "2024-02"


def test_seed_003_dates() -> None:
    text = _seed("003")
    found = extract_dates(text, "a", "2024-03-05")
    by_text = {d.text: d.value for d in found}
    assert by_text["Monday night"] == "2024-03-04"
    tuesday = [d for d in found if d.text == "Tuesday" and text[d.start - 3 : d.start] == "on "]
    assert tuesday and all(d.value == "2024-03-05" for d in tuesday)


def test_seed_002_dates_and_anchor() -> None:
    text = _seed("002")
    assert infer_anchor(text) == "2024-02-21"
    found = extract_dates(text, "a", "2024-02-21")
    tuesdays = [d for d in found if d.text == "Tuesday"]
    assert tuesdays and all(d.value == "2024-02-20" for d in tuesdays)
    assert {d.text: d.value for d in found}["October 2022"] == "2022-10"


def test_words_pointing_at_present_past_or_future_get_reference_values():
    from storyline.temporal import extract_dates

    text = ("Prices are now rising; she recently left and currently advises the board. In the past the "
            "plant closed twice, and in the near future it may again. Now that it has reopened, rates hold.")
    got = {(d.text, d.value) for d in extract_dates(text, "a", "2024-03-05")}
    assert {("now", "PRESENT_REF"), ("recently", "PAST_REF"), ("currently", "PRESENT_REF"),
            ("the past", "PAST_REF"), ("the near future", "FUTURE_REF")} <= got
    assert not any(t.startswith("Now") for t, _ in got)  # "Now that ..." joins clauses
    # A longer expression wins: "the past week" is a week, not a reference.
    assert [d.value for d in extract_dates("Sales fell in the past week.", "b", "2024-03-05")] != ["PAST_REF"]


def test_as_of_now_gives_a_figure_no_calendar_date():
    from storyline.quantities import extract_quantities
    from storyline.temporal import extract_dates

    text = "The fund has raised $2.4 million as of now, the campaign said."
    qs = extract_quantities(text, "a", dates=extract_dates(text, "a", "2024-03-05"), anchor="2024-03-05")
    money = [q for q in qs if q.kind == "money"]
    assert money and all(q.as_of is None or q.as_of[:1].isdigit() for q in money)


def test_reporting_periods_resolve_against_the_quarter_named_or_the_latest_one():
    from storyline.temporal import extract_dates

    def values(text: str) -> dict[str, str | None]:
        return {d.text: d.value for d in extract_dates(text, "a", "1989-10-30")}

    got = values("Profit rose in the third quarter. In the quarter, sales fell from a year earlier, "
                 "and the year-ago quarter had a charge.")
    assert got["the third quarter"] == "1989-Q3" and got["the quarter"] == "1989-Q3"
    assert got["a year earlier"] == "1988-Q3" and got["the year-ago quarter"] == "1988-Q3"
    got = values("In the latest quarter, the bank lost money; year-earlier profit was higher. "
                 "The current quarter looks better.")
    assert got["the latest quarter"] == "1989-Q3"  # the last quarter completed by October 30
    assert got["year-earlier"] == "1988" and got["The current quarter"] == "1989-Q4"
    assert {d.value for d in extract_dates("In the quarter, sales fell.", "b", None)} == {None}
    got = values("Net rose in the third quarter from the 1988 quarter and the 1988 second quarter.")
    assert got["the 1988 quarter"] == "1988-Q3" and got["the 1988 second quarter"] == "1988-Q2"


def test_the_past_with_a_period_is_a_duration_and_a_year_ago_follows_the_quarter_in_view():
    from storyline.temporal import extract_dates

    vals = {d.text: d.value for d in extract_dates("Sales fell over the past three months.", "a", "1989-10-30")}
    assert "the past" not in vals
    text = "Third-quarter profit rose 5% from a year ago."
    assert {d.text: d.value for d in extract_dates(text, "b", "1989-10-30")}.get("a year ago") == "1988-Q3"
    assert {d.text: d.value for d in extract_dates("He left a year ago.", "c", "1989-10-30")}["a year ago"] == "1988"
