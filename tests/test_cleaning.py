from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.cleaning import (
    clean_text,
    clean_title,
    content_hash,
    normalize_whitespace,
    rejoin_paragraphs,
    repair_mojibake,
    strip_chrome,
)


def test_repair_mojibake_fixes_utf8_read_as_latin1() -> None:
    original = "Café Zürich – “quoted” it’s"
    broken = original.encode("utf-8").decode("latin-1")
    assert broken != original
    assert repair_mojibake(broken) == original


def test_repair_mojibake_fixes_cp1252_mojibake() -> None:
    original = "The union’s statement — ‘as educators’ said"
    broken = original.encode("utf-8").decode("cp1252")
    assert repair_mojibake(broken) == original


def test_repair_mojibake_keeps_curly_quotes_and_clean_text() -> None:
    text = "“Hello,” she said. ‘Fine’ — ﬁnal ＡＢＣ"
    assert repair_mojibake(text) == text
    assert repair_mojibake("plain ascii") == "plain ascii"


CHROME_SAMPLE = """Harbor Bridge Reopens After Two-Year Repair

(Maria Lopez/Coastal Gazette)

Harbor Bridge Reopens After Two-Year Repair

City, Transport

Tom Reyes

March 3, 2025

The Harbor Bridge reopened to traffic on Monday after a two-year repair that cost the city $48 million.

Facebook Twitter Email

Advertisement

The mayor cut a ribbon at noon. The first cars crossed shortly after.

But that didn't stop the complaints.

Photo: Dana Kim / Harbor Press

Subscribe to our newsletter for daily updates

We use cookies to improve your experience. By using this site you accept our cookie policy.

Read more: Ferry service to end next month

Share this article

By Tom Reyes

Drivers said the new lanes were wider than before.

Please enter your comment!
Please enter your name here
Leave a reply

Hot Topics

Related Articles

Ferry service to end next month
Council votes on new parking rules
"""


def test_strip_chrome_drops_page_furniture_and_keeps_news() -> None:
    title = "Harbor Bridge Reopens After Two-Year Repair"
    body = CHROME_SAMPLE.split("\n", 1)[1]
    out = clean_text(body, title=title)
    lines = out.split("\n")
    assert lines == [
        "March 3, 2025",
        "The Harbor Bridge reopened to traffic on Monday after a two-year repair that cost the city $48 million.",
        "The mayor cut a ribbon at noon. The first cars crossed shortly after.",
        "But that didn't stop the complaints.",
        "Drivers said the new lanes were wider than before.",
    ]


def test_strip_chrome_without_title_keeps_first_line_and_drops_repeat() -> None:
    out = strip_chrome(CHROME_SAMPLE)
    kept = [line for line in out.split("\n") if line.strip()]
    assert kept[0] == "Harbor Bridge Reopens After Two-Year Repair"
    assert kept.count("Harbor Bridge Reopens After Two-Year Repair") == 1
    assert "City, Transport" not in kept and "Tom Reyes" not in kept


def test_strip_chrome_keeps_short_real_paragraphs() -> None:
    text = (
        "The council met on Tuesday to discuss the budget for next year.\n"
        "But that didn't stop the outrage.\n"
        "By then it was over.\n"
        "Share prices fell.\n"
        "Comments were closed by the moderators after an hour.\n"
        "The final decision came Monday evening."
    )
    assert strip_chrome(text) == text


def test_rejoin_paragraphs_joins_mid_sentence_breaks() -> None:
    text = (
        "A Title Line\n\n"
        "One post that drew criticism was the mayor\n\n\n"
        "praise for a plan to close the harbor.\n\n"
        "The district\n\n"
        "includes many voters; the plan was rejected by\n\n"
        "The Council in March.\n\n"
        "A heading without a period\n\n"
        "The next paragraph starts here."
    )
    assert rejoin_paragraphs(text).split("\n") == [
        "A Title Line",
        "One post that drew criticism was the mayor praise for a plan to close the harbor.",
        "The district includes many voters; the plan was rejected by The Council in March.",
        "A heading without a period",
        "The next paragraph starts here.",
    ]


def test_rejoin_keeps_title_alone_and_quote_endings() -> None:
    text = "Mayor Wins Vote\nThe mayor won.\n“We did it,”\nshe said."
    # the quote ends with a comma inside the quote: the sentence goes on
    assert rejoin_paragraphs(text).split("\n") == ["Mayor Wins Vote", "The mayor won.", "“We did it,” she said."]
    assert rejoin_paragraphs("“It is done.”\nlater text") == "“It is done.”\nlater text"


def test_rejoin_hard_wrapped_text() -> None:
    text = (
        "The city council voted on Tuesday to approve a new budget that\n"
        "includes money for schools, roads and the harbor after a debate\n"
        "that lasted until midnight, officials said on Wednesday morning.\n"
        "\n"
        "Members of the public were allowed to speak for two minutes each\n"
        "and many of them criticised the plan for cutting library hours.\n"
    )
    out = rejoin_paragraphs(text).split("\n")
    assert len(out) == 2
    assert out[0].startswith("The city council") and out[0].endswith("Wednesday morning.")


def test_normalize_whitespace() -> None:
    assert normalize_whitespace("  a \t b\u00a0 c \n\n\n d  \n") == "a b c\nd"


def test_clean_text_conventions() -> None:
    raw = "\ufeff  First\x00 para\u200bgraph   here.\r\n\r\n\r\nSecond\x07 one.  \n"
    assert clean_text(raw) == "First paragraph here.\nSecond one."
    broken = "Caf\u00c3\u00a9 owners in Z\u00c3\u00bcrich said the rent was too high this year."
    assert clean_text(broken) == "Café owners in Zürich said the rent was too high this year."


def test_clean_title() -> None:
    assert clean_title("  Big \n News\x00 ") == "Big News"
    assert clean_title("   ") is None
    assert clean_title(None) is None


def test_content_hash_ignores_trivial_differences() -> None:
    a = "The union’s “statement” — said   it.\nNext line…"
    b = "the union's \"statement\" - said it. next LINE..."
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash(a + " More.")
    assert len(content_hash("")) == 64


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_clean_text_never_crashes(raw: str) -> None:
    out = clean_text(raw)
    assert out == out.strip()
    assert "\n\n" not in out
    assert not any(ord(ch) < 32 and ch != "\n" for ch in out)
    content_hash(out)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["Advertisement", "", "the end", "Share", "A line.", "(A/B)", "by X"]), max_size=20))
def test_clean_text_is_idempotent_on_line_soup(lines: list[str]) -> None:
    once = clean_text("\n".join(lines))
    assert clean_text(once) == once
