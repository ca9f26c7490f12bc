"""Temporal expressions: the clause's tense picks the direction of a date without a year, and
further English patterns of news text (invented sentences)."""

from __future__ import annotations

import pytest
from test_temporal import TUESDAY, dates, kinds

from storyline.quantities import extract_quantities
from storyline.temporal import _easter, extract_dates

# ---------------------------------------------------------------- weekdays: which way


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        # future cues without "will"
        ("The hearing, set to resume Thursday in the capital, drew crowds.", "Thursday", "2024-03-07"),
        ("The bank is to reopen its branches Friday.", "Friday", "2024-03-08"),
        ("The envoy could arrive as early as Saturday.", "Saturday", "2024-03-09"),
        ("The judge postponed until Monday morning any ruling on the case.", "Monday morning", "2024-03-11"),
        ("The mayor has scheduled a briefing Thursday to explain the plan.", "Thursday", "2024-03-07"),
        ("The party expects to name its candidate Friday.", "Friday", "2024-03-08"),
        # past cues win over a "would" further away
        ("The council decided on Monday that the road would close.", "Monday", "2024-03-04"),
        ("The offer had been due to expire Friday.", "Friday", "2024-03-01"),
        # a possessive names a day already past, even after "would"
        ("The tenants said they would appeal Saturday's ruling.", "Saturday", "2024-03-02"),
        # "next to" is a place, not the future
        ("A bomb exploded next to the station on Sunday.", "Sunday", "2024-03-03"),
    ],
)
def test_weekday_direction_follows_the_nearest_verb(text: str, span: str, value: str) -> None:
    assert dates(text)[span] == value


# ---------------------------------------------------------------- months and days without a year


@pytest.mark.parametrize(
    ("text", "span", "anchor", "value"),
    [
        # past tense: the latest such day, even when another year is nearer
        ("The surgeon was shot on Oct. 23 at his home.", "Oct. 23", "2024-05-06", "2023-10-23"),
        ("The index reached its record on Aug. 6.", "Aug. 6", "2024-02-06", "2023-08-06"),
        ("The chairman stepped down as chairman, president and chief executive in March.", "March", "2024-11-02",
         "2024-03"),
        ("In March, the firm received a bid.", "March", "2024-10-27", "2024-03"),
        ("He arrived in the city in late November.", "late November", "2024-04-05", "2023-11"),
        # future tense: the next one
        ("The plant will reopen on Oct. 23.", "Oct. 23", "2024-05-06", "2024-10-23"),
        ("The accession was planned for early March.", "early March", "2024-02-10", "2024-03"),
        # a day set for a later act, or the end of a state, is not pushed back by a past verb
        ("The board declared a dividend, payable Dec. 15 to holders.", "Dec. 15", "2024-10-26", "2024-12-15"),
        ("The bank extended the credit line through January.", "January", "2024-10-27", "2025-01"),
        ("The regulator extended to Nov. 20 its review of the merger.", "Nov. 20", "2024-11-02", "2024-11-20"),
        ("The minister invited her colleagues to a summit on March 12.", "March 12", "2024-02-16", "2024-03-12"),
        ("The firm said it is calling for a vote on Dec. 7.", "Dec. 7", "2024-10-30", "2024-12-07"),
        # a late anchor: a past day just after it keeps its year
        ("The gala was held December 28.", "December 28", "2024-12-20", "2024-12-28"),
    ],
)
def test_year_of_a_day_or_month_follows_the_tense(text: str, span: str, anchor: str, value: str) -> None:
    assert dates(text, anchor)[span] == value


def test_month_with_a_relative_year_is_one_mention() -> None:
    v = dates("In June last year the talks failed; the vote comes in April next year, after a truce in early October "
              "this year.", "2024-02-19")
    assert v["June last year"] == "2023-06"
    assert v["April next year"] == "2025-04"
    assert v["early October this year"] == "2024-10"
    assert "last year" not in v


def test_bare_months_before_a_noun_or_after_for() -> None:
    v = dates("Figures for January rose, after a revision to December's data and a June agreement.", "2024-02-06")
    assert v == {"January": "2024-01", "December": "2023-12", "June": "2023-06"}
    assert "March" not in dates("Thousands joined the March for Science.")


# ---------------------------------------------------------------- reporting periods


def test_possessive_years_and_year_ago_quarters() -> None:
    v = dates("Sales in this year's third quarter rose; last year's quarter was weaker, and the year-ago "
              "second quarter weaker still. A merger could close in next year's first quarter.", "2024-10-30")
    assert v["this year's third quarter"] == "2024-Q3"
    assert v["last year's quarter"] == "2023-Q3"
    assert v["the year-ago second quarter"] == "2023-Q2"
    assert v["next year's first quarter"] == "2025-Q1"


def test_year_end_the_full_year_and_the_year_ended() -> None:
    v = dates("The deal should close by year-end. For the year ended Sept. 30, profit rose; it sees growth for "
              "the full year. The index is up since year-end.", "2024-10-30")
    assert v["the year"] == "P1Y" and kinds("For the year ended Sept. 30, profit rose.")["the year"] == "DURATION"
    assert v["Sept. 30"] == "2024-09-30"
    assert v["the full year"] == "2024"
    ends = [d.value for d in extract_dates("It closes by year-end. The index is up since year-end.", "a", "2024-10-30")]
    assert ends == ["2024", "2023"]
    assert dates("Sales in the current fiscal year will rise.", "2024-10-30")["the current fiscal year"] == "2024"


# ---------------------------------------------------------------- years, decades, centuries, seasons, holidays


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("In nineteen ninety-one the bank failed.", "nineteen ninety-one", "1991"),
        ("Prices fell in the winter of nineteen eighty-four.", "the winter of nineteen eighty-four", "1984-WI"),
        ("January nineteen ninety-seven. A second blast.", "January nineteen ninety-seven", "1997-01"),
        ("He vowed to halve unemployment by the year two thousand.", "the year two thousand", "2000"),
        ("A nineteen seventy-nine treaty still holds.", "nineteen seventy-nine", "1979"),
        ("The town was founded in nineteen oh five.", "nineteen oh five", "1905"),
    ],
)
def test_years_said_in_words(text: str, span: str, value: str) -> None:
    assert dates(text)[span] == value


def test_counts_in_words_are_not_years() -> None:
    assert dates("They sent two thousand troops and nineteen hundred trucks.") == {}
    assert "two thousand" not in " ".join(dates("The craft is more than two thousand years old."))


def test_decade_words_centuries_and_mid_decades() -> None:
    v = dates("Crime fell through the nineties and in the late '80s; a 12th century fort and the 20th century "
              "saw wars; growth resumed by the mid-1990s.")
    assert v["the nineties"] == "199"
    assert v["the late '80s"] == "198"
    assert v["12th century"] == "11"
    assert v["the 20th century"] == "19"
    assert v["the mid-1990s"] == "199"


def test_seasons_without_a_year_follow_the_tense() -> None:
    assert dates("Over the summer, rivals cut prices.", "2024-10-26")["the summer"] == "2024-SU"
    assert dates("Demand will stay weak into the summer.", "2024-10-26")["the summer"] == "2025-SU"
    assert dates("Sales slumped during the winter.", "2024-10-26")["the winter"] == "2024-WI"


def test_easter_dates() -> None:
    assert [_easter(y).isoformat() for y in (1998, 2000, 2024, 2025)] == [
        "1998-04-12", "2000-04-23", "2024-03-31", "2025-04-20"]


@pytest.mark.parametrize(
    ("text", "anchor", "span", "value"),
    [
        ("The boy was rescued on Thanksgiving Day.", "2000-01-07", "Thanksgiving Day", "1999-11-25"),
        ("Last Thanksgiving he left.", "2000-02-10", "Last Thanksgiving", "1999-11-25"),
        ("The family will gather at Christmas.", "2024-03-05", "Christmas", "2024-12-25"),
        ("Easter 2019 was cold.", "2024-03-05", "Easter 2019", "2019-04-21"),
        ("The debate ends on Election Day.", "2024-10-26", "Election Day", "2024-11-05"),
        ("Crowds marched on Memorial Day.", "2024-06-10", "Memorial Day", "2024-05-27"),
    ],
)
def test_holidays(text: str, anchor: str, span: str, value: str) -> None:
    assert dates(text, anchor)[span] == value


# ---------------------------------------------------------------- durations and references


def test_ages_are_not_durations_nor_figures() -> None:
    text = "A 6-year-old boy, his 44-year-old uncle and Mr. Ames, 52 years old, met at the 50-year-old hall."
    assert dates(text) == {}
    assert extract_quantities(text, "a", anchor=TUESDAY) == []
    assert dates("The 8-month truce held for 52 years.") == {"8-month": "P8M", "52 years": "P52Y"}


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("Stocks hit a five year low.", "five year", "P5Y"),
        ("The envoy ended a three hour meeting.", "three hour", "PT3H"),
        ("Nothing will change for a couple of years.", "a couple of years", "P2Y"),
        ("The strike could last a couple of decades.", "a couple of decades", "P20Y"),
        ("He may stay two more weeks.", "two more weeks", "P2W"),
        ("The lease runs for at least 20 additional years.", "at least 20 additional years", "P20Y"),
        ("Officials will decide over the next few days.", "the next few days", "PXD"),
    ],
)
def test_more_durations(text: str, span: str, value: str) -> None:
    assert dates(text)[span] == value
    assert kinds(text)[span] == "DURATION"


def test_a_number_and_a_singular_unit_alone_is_no_duration() -> None:
    assert dates("In five year terms, it wins.") == {"five year": "P5Y"}
    assert dates("Rates rose by five year on year.") == {}


def test_current_points_at_the_present_and_titles_are_not_weeks() -> None:
    v = dates("The current system works; sales in the current year rose.")
    assert v["current"] == "PRESENT_REF" and v["the current year"] == "2024"
    assert "current" not in dates("The then current price was low.")
    assert dates('She spoke on "This Week With Ann Lee," a show.') == {}
    assert dates("This week, prices fell.")["This week"] == "2024-W10"


def test_a_comma_inside_a_number_does_not_end_the_clause() -> None:
    assert dates("The drive will have raised $90,000 by Friday.")["Friday"] == "2024-03-08"
    assert dates("The drive had raised $90,000 by Friday.")["Friday"] == "2024-03-01"


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("The minister spoke this morning.", "this morning", "2024-03-05TMO"),
        ("The council will vote later this afternoon.", "later this afternoon", "2024-03-05TAF"),
        ("The mayor will speak this evening.", "this evening", "2024-03-05TEV"),
        ("Storms hit the coast yesterday afternoon.", "yesterday afternoon", "2024-03-04TAF"),
        ("Talks resume tomorrow morning.", "tomorrow morning", "2024-03-06TMO"),
    ],
)
def test_a_part_of_a_named_day_keeps_its_timeml_suffix(text: str, span: str, value: str) -> None:
    assert dates(text)[span] == value


def test_a_weekday_with_its_part_of_day_and_tonight_stay_plain_days() -> None:
    assert dates("Rebels attacked the town Sunday night.")["Sunday night"] == "2024-03-03"
    assert dates("The band plays tonight.")["tonight"] == "2024-03-05"
    # a clock time still joins the day it names, part of day or not
    assert dates("The vote was held this morning at 9 a.m.")["this morning at 9 a.m."] == "2024-03-05T09:00"


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("For the year, pet food volume was flat.", "the year", "2024"),
        ("Revenue rose through the first nine months of the year.", "the year", "2024"),
        ("Use of the drug was delayed earlier in the year by rain.", "earlier in the year", "2024"),
        ("Profit should rise throughout the fiscal year.", "the fiscal year", "2024"),
        ("He fled to Spain in June 2009 and came back later that year.", "later that year", "2009"),
        ("The firm was founded in 1995, and the following year it went public.", "the following year", "1996"),
        ("Imports reached $1 billion in 1987, and exports fell the previous year.", "the previous year", "1986"),
        ("The approach of the year two thousand has many groups worried.", "the year two thousand", "2000"),
    ],
)
def test_the_year_is_the_anchors_and_that_year_the_one_last_named(text: str, span: str, value: str) -> None:
    assert dates(text)[span] == value


def test_the_year_ended_and_that_year_without_a_year_named() -> None:
    assert dates("For the year ended June 30, sales rose.")["the year"] == "P1Y"
    assert dates("Sales rose that year.")["that year"] == "2024"
    assert dates("Sales rose that year.", None)["that year"] is None
    assert "the year" not in dates("She won the Player of the Year award in the year 2010 draft.")


def test_a_clause_initial_date_reads_the_main_verb_past_names_and_abbreviations() -> None:
    # "and" inside a name does not end the clause that tells the tense
    text = "On Friday, the Workers and Farmers League plans to hold a rally."
    assert dates(text)["Friday"] == "2024-03-08"
    # nor does the period of an abbreviation ("vs."): "killed" is the verb of "In January"
    text = "In January, a week after the Smith vs. Jones ruling, a bomb killed a guard."
    assert dates(text, "2024-10-25")["January"] == "2024-01"


def test_a_present_perfect_invitation_points_at_a_later_day() -> None:
    text = "The minister has invited his peers to a ceremony in Rome on March 12 to mark the pact."
    assert dates(text, "2024-02-16")["March 12"] == "2024-03-12"
    assert dates("The minister attended a ceremony in Rome on March 12.", "2024-02-16")["March 12"] == "2023-03-12"


def test_an_hour_before_a_weekday_does_not_hide_the_words_before_it() -> None:
    text = "The agency extended its deadline until 9 a.m. EST Thursday."
    assert dates(text)["9 a.m. EST Thursday"] == "2024-03-07T09:00"


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("Rates may fall in the coming weeks.", "the coming weeks", "PXW"),
        ("Rates may fall in coming months.", "coming months", "PXM"),
        ("The firm will sell assets in the years ahead.", "the years ahead", "PXY"),
        ("We face challenges in the near term.", "the near term", "FUTURE_REF"),
        ("The plan placates holders in the short term.", "the short term", "FUTURE_REF"),
    ],
)
def test_stretches_ahead_and_the_near_term(text: str, span: str, value: str) -> None:
    assert dates(text)[span] == value


def test_a_long_term_adjective_is_no_reference() -> None:
    assert dates("It expects the long-term savings to grow.") == {}


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("They lived in camps for 2 1/2 years.", "2 1/2 years", "P2Y6M"),
        ("She spent about 5 1/2 hours in Nairobi.", "5 1/2 hours", "PT5H30M"),
        ("The strike lasted 1.5 days.", "1.5 days", "P1DT12H"),
        ("The talk ran 2.5 minutes.", "2.5 minutes", "PT2M30S"),
        ("The case dragged on for 3.5 weeks.", "3.5 weeks", "P3.5W"),
    ],
)
def test_a_fraction_of_a_unit_is_written_in_the_next_smaller_one(text: str, span: str, value: str) -> None:
    assert dates(text)[span] == value


# ---------------------------------------------------------------- TimeML extents and sets


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        # the article and the ordering word belong to a duration
        ("Orders fell over the past three months.", "the past three months", "P3M"),
        ("Prices doubled in the first nine months of the year.", "the first nine months", "P9M"),
        ("For the nine months, the mill earned more.", "the nine months", "P9M"),
        ("Output will rise over the next couple of years.", "the next couple of years", "P2Y"),
        ("The club won the title in each of the last three seasons and the last five years.",
         "the last five years", "P5Y"),
        ("The firm grew in its first two years.", "first two years", "P2Y"),
        # an approximation too; "about" and "over" stay outside
        ("Talks have stalled for nearly two years.", "nearly two years", "P2Y"),
        ("She testified for more than four hours.", "more than four hours", "PT4H"),
        ("The deal caps the stay at up to 180 days.", "up to 180 days", "P180D"),
        ("Shares have lagged for at least the past 18 months.", "at least the past 18 months", "P18M"),
        ("The crew rested for about two weeks.", "two weeks", "P2W"),
        # a verb "last" is no ordering word; a hyphenated or unhyphenated modifier keeps "the" out
        ("The strike could last five years.", "five years", "P5Y"),
        ("Crowds came for the two day festival.", "two day", "P2D"),
        ("He signed the 30-day lease.", "30-day", "P30D"),
        ("Output will stay flat over the next two years or so.", "the next two years or so", "P2Y"),
    ],
)
def test_duration_extents_follow_timeml(text: str, span: str, value: str) -> None:
    assert dates(text)[span] == value


def test_an_approximation_belongs_to_an_ago_expression() -> None:
    v = dates("The rebels seized the town nearly four years ago, and a week or so ago they left.")
    assert v["nearly four years ago"] == "2020"
    assert v["a week or so ago"] == "2024-02-27"


def test_decades_keep_the_article_and_fiscal_years_the_word_fiscal() -> None:
    v = dates("Prices peaked in the early 1980s and fell through the 1990s; in fiscal 1989 the firm lost money.")
    assert v["the early 1980s"] == "198" and v["the 1990s"] == "199"
    assert v["fiscal 1989"] == "1989"


def test_relative_periods_keep_the_article() -> None:
    v = dates("Sales in the current year beat the past year; this past spring was wet, unlike the last decade.")
    assert v["the current year"] == "2024"
    assert v["the past year"] == "P1Y"
    assert v["this past spring"] == "2023-SP"
    assert v["the last decade"] == "201"
    assert dates("Rates have risen over the past decade.")["the past decade"] == "P10Y"
    # "the previous year" stays the year before the one last named
    assert dates("Exports rose in 1987 after falling the previous year.")["the previous year"] == "1986"


def test_a_quarter_modifier_leaves_the_article_out() -> None:
    v = dates("A major factor in the third-quarter loss was a charge. The year-ago results were restated.", "1989-10-30")
    assert v["third-quarter"] == "1989-Q3"
    assert "year-ago" in v and "The year-ago" not in v
    # as a noun, the quarter keeps its article
    assert dates("Profit rose in the third quarter.", "1989-10-30")["the third quarter"] == "1989-Q3"


def test_plural_quarters_are_durations_but_fractions_are_not() -> None:
    v = dates("The unit lost money in the past two quarters after several quarters of gains.")
    assert v["the past two quarters"] == "P2Q" and v["several quarters"] == "PXQ"
    assert dates("Iraq imports three quarters of its food.") == {}
    assert dates("Three quarters agreed with the plan.") == {}
    assert dates("Sales rose for three quarters.")["three quarters"] == "P3Q"
    assert dates("Sales fell two quarters ago.", "1989-10-30")["two quarters ago"] == "1989-Q2"


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("Marchers parade each July through the town.", "each July", "XXXX-07"),
        ("The fair returns every summer.", "every summer", "XXXX-SU"),
        ("Interest is paid every quarter.", "every quarter", "P1Q"),
        ("The census runs every ten years.", "every ten years", "P10Y"),
        ("Average hourly earnings rose.", "hourly", "PT1H"),
        ("Buses leave every hour.", "every hour", "PT1H"),
    ],
)
def test_more_sets(text: str, span: str, value: str) -> None:
    assert dates(text)[span] == value
    assert kinds(text)[span] == "SET"


def test_parts_of_a_day_without_a_clock_take_the_day_in_view() -> None:
    v = dates("In Lisbon at mid-afternoon yesterday, the index rose.")
    assert v["mid-afternoon yesterday"] == "2024-03-04TAF"
    assert dates("By mid afternoon, rebels held the bridge.")["mid afternoon"] == "2024-03-05TAF"
    assert dates("The court sits at midday on Monday.")["midday on Monday"] == "2024-03-04T12:00"
    assert dates("The ferry leaves at 4 in the morning.")["4 in the morning"] == "2024-03-05T04:00"
    assert dates("She runs in the morning.") == {}  # a habit, not a day
    assert kinds("By mid afternoon, rebels held the bridge.")["mid afternoon"] == "TIME"
    assert dates("She watched the evening news in the midmorning lull.")["midmorning"] == "2024-03-05TMO"


def test_days_and_months_counted_from_the_date_last_named() -> None:
    v = dates("The mill shut on March 3, 2021. The following month, workers left; the next morning was calm.")
    assert v["The following month"] == "2021-04"
    assert v["the next morning"] == "2021-03-04"
    assert dates("He fell ill on Oct. 23, 2019. Earlier that day, he had spoken.")["Earlier that day"] == "2019-10-23"
    assert dates("Talks began on June 2, 2022, and broke down the previous day.")["the previous day"] == "2022-06-01"
    # nothing named before: counted from the anchor
    assert dates("Police returned the next day.")["the next day"] == "2024-03-06"
    # a month named without its day: "that same day" is only that month
    assert dates("The site went down last October and was restored that same day.")["that same day"] == "2023-10"
    # "the next week" still looks ahead from the anchor
    assert dates("Prices fell on March 3, 2021, and may rise the next week.")["the next week"] == "2024-W11"


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("The crew waited half an hour for the ferry.", "half an hour", "PT30M"),
        ("The vote took a minute and a half.", "a minute and a half", "PT1M30S"),
        ("The strike lasted two and a half years.", "two and a half years", "P2Y6M"),
        ("She lived abroad for a year and a half.", "a year and a half", "P1Y6M"),
        ("The siege went on for nearly an hour and a half.", "nearly an hour and a half", "PT1H30M"),
        ("The dynasty ruled for half a century.", "half a century", "P50Y"),
        ("The hearing took half a day.", "half a day", "PT12H"),
    ],
)
def test_durations_with_a_half(text: str, span: str, value: str) -> None:
    assert dates(text)[span] == value
    assert kinds(text)[span] == "DURATION"


def test_half_a_day_before_a_possessive_is_no_duration() -> None:
    assert "half a day" not in dates("The plant ran at half a day's output.")


def test_halves_of_a_year() -> None:
    v = dates("Sales fell in the second half of 2019 and should recover in the first half of next year.")
    assert v["the second half of 2019"] == "2019-H2"
    assert v["the first half of next year"] == "2025-H1"
    assert dates("Output slowed in the latter half of last year.")["the latter half of last year"] == "2023-H2"


def test_a_day_after_planned_to_is_the_later_act() -> None:
    # the weekday follows "planned to ...": the act planned, ahead of the anchor
    assert dates("The team planned to leave the capital on Thursday.")["Thursday"] == "2024-03-07"
    # the weekday comes first: when the plan stood, the day just past
    assert dates("On Friday, the ministry planned to pay the first claims.")["Friday"] == "2024-03-01"
    # "had planned to": a plan of the past
    assert dates("The team had planned to leave on Thursday.")["Thursday"] == "2024-02-29"


def test_set_on_is_no_future_but_set_for_is() -> None:
    # "a record set on Aug. 6": a participle of the past; "set for": a day fixed ahead
    assert dates("Shares closed near the record high set on Aug. 6.")["Aug. 6"] == "2023-08-06"
    assert dates("The vote, set for Thursday, drew crowds.")["Thursday"] == "2024-03-07"


def test_the_week_of_a_day_is_that_week() -> None:
    assert dates("A hearing is planned for the week of March 18.")["the week of March 18"] == "2024-W12"
    assert dates("In the week of Jan. 8, 2024, sales fell.")["the week of Jan. 8, 2024"] == "2024-W02"
    assert dates("The court ruled on March 18.")["March 18"] == "2024-03-18"  # no week without "the week of"


def test_a_clock_time_takes_the_day_written_just_after_it() -> None:
    # "(0735 GMT)" between the hour and the day; the abbreviation's period does not cut them apart
    v = dates("The blast occurred at about 10:35 a.m. (0735 GMT) Friday, toppling a building.")
    assert v["10:35 a.m."] == "2024-03-01T10:35"
    assert dates("The blast occurred at 10:35 a.m. local time Friday.")["10:35 a.m."] == "2024-03-01T10:35"


def test_todays_before_a_generic_noun_is_the_present_age() -> None:
    assert "today" not in {k.casefold() for k in dates("Music shapes today's youth.")}
    assert dates("Today's personal computers are fast.") == {}
    # a day's own event keeps the day
    assert dates("Today's vote was close.")["Today"] == "2024-03-05"


def test_one_day_after_a_modal_is_some_day_ahead() -> None:
    assert dates("Solar power will one day be the largest source.")["one day"] == "FUTURE_REF"
    assert kinds("She may one day run for office.")["one day"] == "DATE"
    assert dates("The strike lasted one day.")["one day"] == "P1D"


def test_a_unit_between_two_events_is_a_duration() -> None:
    assert dates("A day earlier, troops moved north.")["A day"] == "P1D"
    assert dates("The cut came barely a month after the crash.")["a month"] == "P1M"
    assert dates("A few days later, the firm sold.")["A few days"] == "PXD"
    assert dates("Several weeks later, it sold.")["Several weeks"] == "PXW"
    assert "a day" not in dates("A day's pay is owed.")  # a measure, no stretch of time


def test_a_duration_at_the_start_of_a_paragraph_starts_at_its_word() -> None:
    found = extract_dates("He left.\n\nFive years later it sold.", "a", TUESDAY)
    assert [(d.text, d.value) for d in found] == [("Five years", "P5Y")]


def test_rates_and_line_breaks_keep_their_old_reading() -> None:
    assert dates("Take the pill twice a day before meals.") == {}  # a rate, not a stretch
    # a day on the next line is not the hour's day
    assert dates("The blast came at 10 p.m.\nFriday was calm.")["10 p.m."] == "2024-03-05T22:00"


def test_the_previous_weekday_counts_from_the_day_last_named() -> None:
    v = dates("Shares fell on Friday, down 4% from the previous Friday.")
    assert v["Friday"] == "2024-03-01"
    assert v["the previous Friday"] == "2024-02-23"
    # no day named before: from the anchor, as "last Friday"
    assert dates("Shares fell 4% from the previous Friday.")["the previous Friday"] == "2024-03-01"
