from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from storyline.cleaning import content_hash
from storyline.ingest import (
    IngestOptions,
    IngestResult,
    infer_published_at,
    read_inputs,
)
from storyline.model import InputProblem

from _shared import SEEDS

BODY = (
    "The city council voted on Tuesday to approve the new harbor budget after a long debate.\n"
    "Members said the plan would pay for dredging, new cranes and a wider ferry terminal.\n"
)


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def reasons(result: IngestResult) -> dict[str, str]:
    return {p.input: p.reason for p in result.problems}


# --- .txt ---------------------------------------------------------------------


def test_txt_title_and_dateline(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", "Council Approves Harbor Budget\n\nMarch 5, 2024\n\n" + BODY)
    result = read_inputs([f])
    assert result.problems == [] and result.files_read == 1
    (art,) = result.articles
    assert art.title == "Council Approves Harbor Budget"
    assert not art.text.startswith("Council Approves")
    assert art.text.split("\n")[0] == "March 5, 2024"
    assert art.published_at == "2024-03-05" and art.published_inferred
    assert art.language == "en"
    assert art.origin == str(f)
    assert art.content_hash == content_hash(art.text)
    assert art.id == "a" + art.content_hash[:10]


def test_txt_first_line_sentence_is_not_a_title(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", BODY)
    (art,) = read_inputs([f]).articles
    assert art.title is None
    assert art.text == BODY.strip()
    assert art.published_at is None and not art.published_inferred


def test_txt_mojibake_is_repaired(tmp_path: Path) -> None:
    text = "Café Zürich Reopens\nThe café in Zürich reopened on Monday, the owner’s family said."
    f = write(tmp_path / "m.txt", text.encode("utf-8").decode("latin-1"))  # written as UTF-8 again
    (art,) = read_inputs([f]).articles
    assert art.title == "Café Zürich Reopens"
    assert art.text == "The café in Zürich reopened on Monday, the owner’s family said."


def test_txt_cp1252_file_is_read(tmp_path: Path) -> None:
    f = write(tmp_path / "w.txt", "The café’s owner said the rent had doubled since last year.".encode("cp1252"))
    result = read_inputs([f])
    assert result.problems == []
    assert result.articles[0].text == "The café’s owner said the rent had doubled since last year."


def test_txt_few_bad_utf8_bytes_are_replaced(tmp_path: Path) -> None:
    data = ("Zürich " * 50).encode("utf-8") + b"\xff" + b" the council met again on Monday."
    result = read_inputs([write(tmp_path / "b.txt", data)])
    assert result.problems == []
    assert "Zürich" in result.articles[0].text and "\ufffd" in result.articles[0].text


def test_txt_utf16_with_bom(tmp_path: Path) -> None:
    f = write(tmp_path / "u.txt", BODY.encode("utf-16"))
    assert read_inputs([f]).articles[0].text == BODY.strip()


# --- HTML ---------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head><title>Harbor budget approved | Daily Planet</title>
<meta property="og:site_name" content="Daily Planet">
<meta property="og:title" content="Harbor budget approved">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<link rel="canonical" href="https://planet.example/harbor-budget">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Harbor budget approved</h1>
<p>The city council voted on Tuesday to approve the new harbor budget after a long debate that lasted
until midnight, officials said.</p>
<p>Members said the plan would pay for dredging, new cranes and a wider ferry terminal over the next
two years.</p>
<p>Opponents said the cost was too high and promised to raise the issue again at the next meeting.</p>
</article><footer>Copyright Daily Planet. All rights reserved.</footer></body></html>"""


def test_html_extraction_with_metadata(tmp_path: Path) -> None:
    f = write(tmp_path / "page.html", PAGE)
    result = read_inputs([f])
    assert result.problems == []
    (art,) = result.articles
    assert art.title == "Harbor budget approved"
    assert art.source == "Daily Planet"
    assert art.url == "https://planet.example/harbor-budget"
    assert art.published_at == "2024-03-05" and not art.published_inferred
    assert art.text.startswith("The city council voted on Tuesday")
    assert "Copyright" not in art.text and "Home" not in art.text


def test_broken_html_still_yields_text(tmp_path: Path) -> None:
    broken = (
        "<html><body><div><p>The harbor bridge reopened on Monday after two years of repairs, the city said"
        "<p>Drivers crossed it in the morning <b>without delays<div></span></table>"
    )
    result = read_inputs([write(tmp_path / "broken.htm", broken)])
    assert result.problems == []
    assert "harbor bridge reopened" in result.articles[0].text


def test_html_without_text_is_a_problem(tmp_path: Path) -> None:
    f = write(tmp_path / "empty.html", "<html><head><script>var x = 1;</script></head><body>   </body></html>")
    result = read_inputs([f])
    assert result.articles == []
    assert reasons(result) == {str(f): "no article text found in the HTML"}


# --- JSON / JSONL -------------------------------------------------------------


def test_json_object_and_list(tmp_path: Path) -> None:
    one = write(
        tmp_path / "one.json",
        json.dumps(
            {
                "id": "x1",
                "text": BODY,
                "title": "Budget",
                "source": "Daily Planet",
                "url": "https://planet.example/b",
                "published_at": "2024-03-05T10:00:00+00:00",
                "language": "EN-us",
                "section": "Local",
            }
        ),
    )
    many = write(
        tmp_path / "many.json",
        json.dumps([{"text": "The ferry service will end next month, the operator announced."}, {"text": "Le conseil municipal a voté mardi le nouveau budget du port après un long débat."}]),
    )
    result = read_inputs([one, many])
    assert result.problems == [] and result.files_read == 2
    a, b, c = result.articles
    assert (a.id, a.title, a.source, a.url, a.language) == ("x1", "Budget", "Daily Planet", "https://planet.example/b", "en")
    assert a.published_at == "2024-03-05T10:00:00+00:00" and not a.published_inferred
    assert a.metadata == {"section": "Local"}
    assert b.origin == f"{many}#1" and c.origin == f"{many}#2"
    assert b.language == "en" and c.language == "fr"


def test_json_invalid_date_keeps_article_without_date(tmp_path: Path) -> None:
    f = write(tmp_path / "d.json", json.dumps({"text": "March 5, 2024\n" + BODY, "published_at": "yesterday"}))
    result = read_inputs([f])
    (art,) = result.articles
    assert art.published_at is None
    (problem,) = result.problems
    assert problem.input == str(f) and "invalid published_at 'yesterday'" in problem.reason


def test_json_bad_items(tmp_path: Path) -> None:
    f = write(tmp_path / "bad.json", json.dumps([{"title": "no text"}, 42, {"text": 5}, {"text": BODY, "id": [1]}]))
    result = read_inputs([f])
    assert len(result.articles) == 1
    assert reasons(result) == {
        f"{f}#1": "missing required field 'text'",
        f"{f}#2": "expected an article object, got a number",
        f"{f}#3": "field 'text' must be a string, got a number",
        f"{f}#4": "field 'id' must be a string or an integer, got a list; ignored",
    }


def test_malformed_json(tmp_path: Path) -> None:
    f = write(tmp_path / "bad.json", '{"text": "abc", ')
    result = read_inputs([f])
    assert result.articles == []
    assert reasons(result)[str(f)].startswith("malformed JSON:")
    g = write(tmp_path / "num.json", "3")
    assert reasons(read_inputs([g]))[str(g)] == "expected an article object or a list of them, got a number"


def test_jsonl_bad_line_does_not_stop_the_others(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": 7, "text": "The ferry service will end next month, the operator announced."}),
        "{not json",
        "",
        json.dumps({"text": BODY}),
        json.dumps(["a list"]),
    ]
    f = write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    result = read_inputs([f])
    assert [a.origin for a in result.articles] == [f"{f}:1", f"{f}:4"]
    assert result.articles[0].id == "7"
    got = reasons(result)
    assert set(got) == {f"{f}:2", f"{f}:5"}
    assert got[f"{f}:2"].startswith("malformed JSON:")
    assert got[f"{f}:5"] == "expected an article object, got a list"


# --- WARC ---------------------------------------------------------------------


def make_warc(path: Path, pages: list[tuple[str, str, bytes, str]], *, gz: bool = True) -> Path:
    """Write a WARC file: pages are (uri, http status line, payload, content type)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        for uri, status, payload, ctype in pages:
            http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                uri,
                "response",
                payload=io.BytesIO(payload),
                http_headers=http,
                warc_headers_dict={"WARC-Date": "2024-03-06T08:00:00Z"},
            )
            writer.write_record(record)
        req = writer.create_warc_record("https://planet.example/", "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
        writer.write_record(req)
    return path


UNDATED_PAGE = (
    "<html><head><title>Ferry service to end</title></head><body><article><h1>Ferry service to end</h1>"
    "<p>The ferry service between the two islands will end next month, the operator announced on Friday.</p>"
    "<p>About 400 people use the boat every day, most of them commuters and students.</p></article></body></html>"
)


def test_warc_gz_html_responses(tmp_path: Path) -> None:
    f = make_warc(
        tmp_path / "crawl.warc.gz",
        [
            ("https://planet.example/harbor", "200 OK", PAGE.encode(), "text/html; charset=utf-8"),
            ("https://planet.example/logo.png", "200 OK", b"\x89PNG....", "image/png"),
            ("https://planet.example/missing", "404 Not Found", b"<html><body>Not found</body></html>", "text/html"),
            ("https://news.example/ferry", "200 OK", UNDATED_PAGE.encode(), "text/html"),
        ],
    )
    result = read_inputs([f])
    assert result.problems == []
    a, b = result.articles
    assert a.url == "https://planet.example/harbor" and a.published_at == "2024-03-05"
    assert a.origin == f"{f}#1"
    assert b.url == "https://news.example/ferry" and b.title == "Ferry service to end"
    assert b.published_at == "2024-03-06" and b.published_inferred  # from WARC-Date
    assert b.source == "news.example"  # trafilatura's sitename falls back to the host name


def test_plain_warc_and_damaged_warc(tmp_path: Path) -> None:
    f = make_warc(tmp_path / "plain.warc", [("https://news.example/ferry", "200 OK", UNDATED_PAGE.encode(), "text/html")], gz=False)
    plain = read_inputs([f])
    assert len(plain.articles) == 1 and plain.problems == []
    bad = write(tmp_path / "bad.warc.gz", gzip.compress(b"this is not a warc file at all\n" * 10))
    result = read_inputs([bad])
    assert result.articles == []
    assert reasons(result)[str(bad)].startswith("not a readable WARC file")
    good = make_warc(tmp_path / "t.warc.gz", [("https://news.example/ferry", "200 OK", UNDATED_PAGE.encode(), "text/html")] * 3)
    data = good.read_bytes()
    truncated = write(tmp_path / "trunc.warc.gz", data[: len(data) * 2 // 3])
    result = read_inputs([truncated])
    assert len(result.articles) == 1  # the same page three times: kept once
    assert [p.reason for p in result.problems] == [
        "WARC file is truncated or damaged after record 2; earlier records were read"
    ]


def test_warc_decompression_cap(tmp_path: Path) -> None:
    filler = b"<html><body>" + b"<p>padding padding padding</p>" * 50_000 + b"</body></html>"
    f = make_warc(tmp_path / "bomb.warc.gz", [(f"https://x.example/{i}", "200 OK", filler, "text/html") for i in range(5)])
    assert f.stat().st_size < 200_000
    result = read_inputs([f], IngestOptions(max_decompressed_bytes=3_000_000))
    assert any("decompression bomb" in p.reason for p in result.problems)
    assert len(result.articles) <= 1


# --- bad input ----------------------------------------------------------------


def test_missing_unsupported_empty_binary(tmp_path: Path) -> None:
    empty = write(tmp_path / "empty.txt", "")
    blank = write(tmp_path / "blank.txt", "  \n\n \t\n")
    binary = write(tmp_path / "bin.txt", b"\x00\x01\x02abc\x00" * 100)
    pdf = write(tmp_path / "doc.json", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    other = write(tmp_path / "notes.docx", b"PK\x03\x04")
    noext = write(tmp_path / "README", "hello")
    missing = tmp_path / "nope.txt"
    result = read_inputs([empty, blank, binary, pdf, other, noext, missing])
    assert result.articles == [] and result.files_read == 0
    accepted = ".txt, .html, .htm, .json, .jsonl, .warc, .warc.gz"
    assert reasons(result) == {
        str(empty): "file is empty",
        str(blank): "file has no text (only whitespace)",
        str(binary): "binary file (contains NUL bytes), not text",
        str(pdf): "binary file (PDF data), not text",
        str(other): f"unsupported file type '.docx' (accepted: {accepted})",
        str(noext): f"unsupported file type (no extension) (accepted: {accepted})",
        str(missing): "no such file or directory",
    }


def test_file_over_limit_is_not_read(tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    with f.open("wb") as fh:
        fh.truncate(5_000)  # sparse
    result = read_inputs([f], IngestOptions(max_file_bytes=1_000))
    assert result.problems == [
        InputProblem(str(f), "file is 5 KB, over the 1 KB limit (raise it with --max-file-size)")
    ]


def test_100_mb_file_with_default_limit(tmp_path: Path) -> None:
    f = tmp_path / "huge.txt"
    with f.open("wb") as fh:
        fh.truncate(100 * 1024 * 1024)  # sparse: nothing is written to disk
    result = read_inputs([f])
    assert result.problems == [
        InputProblem(str(f), "file is 104.9 MB, over the 25 MB limit (raise it with --max-file-size)")
    ]


def test_text_length_limits(tmp_path: Path) -> None:
    short = write(tmp_path / "short.txt", "Too short.")
    long = write(tmp_path / "long.txt", "word " * 500)
    result = read_inputs([short, long], IngestOptions(max_article_chars=1_000))
    assert reasons(result) == {
        str(short): "too little text (10 characters after cleaning, at least 20 needed)",
        str(long): "article text is 2,500 characters, over the 1,000 limit",
    }


def test_unreadable_file(tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root can read any file")
    f = write(tmp_path / "secret.txt", BODY)
    f.chmod(0)
    assert reasons(read_inputs([f])) == {str(f): "permission denied"}


# --- folders, de-duplication, ids ---------------------------------------------


def test_folder_recursive_sorted_hidden_skipped(tmp_path: Path) -> None:
    root = tmp_path / "in"
    write(root / "b.txt", "Second report on the harbor budget, which the council approved.")
    write(root / "a" / "z.txt", "First report: the ferry service will end next month, the operator said.")
    write(root / ".hidden.txt", "Hidden notes that should never be read by the tool at all.")
    write(root / ".git" / "x.txt", "Inside a hidden folder, which is skipped as well.")
    (tmp_path / "empty").mkdir()
    result = read_inputs([root, tmp_path / "empty"])
    assert [Path(a.origin or "").name for a in result.articles] == ["z.txt", "b.txt"]
    assert reasons(result) == {str(tmp_path / "empty"): "folder contains no files"}


def test_duplicates_and_id_collisions(tmp_path: Path) -> None:
    a = write(tmp_path / "a.txt", BODY)
    b = write(tmp_path / "b.json", json.dumps([{"text": BODY.replace("'", "’") + "  "}, {"id": "dup", "text": "The ferry service will end next month."}, {"id": "dup", "text": "The harbor bridge reopened on Monday morning."}]))
    result = read_inputs([a, b])
    assert result.problems == []
    ids = [x.id for x in result.articles]
    assert len(ids) == 3 and len(set(ids)) == 3
    third = result.articles[2]
    assert ids[1] == "dup" and third.id == "dup-" + third.content_hash[:8]


# --- datelines ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("February 21, 2024\nBody text here.", "2024-02-21"),
        ("Title\nBy someone\n21 Feb 2024\nBody.", "2024-02-21"),
        ("LOS ANGELES, March 5, 2024 — The union said on Monday that it would act.", "2024-03-05"),
        ("PARIS, 4 March 2024 (AFP) - Officials met today to discuss the plan for the city.", "2024-03-04"),
        ("Published Wed, Feb. 21, 2024 10:30 a.m.\nBody.", "2024-02-21"),
        ("Updated 2024-02-21\nBody.", "2024-02-21"),
        ("In an October 2022 post he said the book should be required reading in schools.", None),
        ("The council will meet on March 5, 2024 to discuss the plan for the harbor and the ferries.", None),
        ("The vote is on March 5, 2024.", None),
        ("February 30, 2024\nBody.", None),
        ("a\nb\nc\nd\ne\nf\nFebruary 21, 2024", None),
        ("", None),
    ],
)
def test_infer_published_at(text: str, expected: str | None) -> None:
    assert infer_published_at(text) == expected


# --- the seed report with page chrome -----------------------------------------


def test_seed_002_chrome_broken_paragraphs_and_dateline() -> None:
    seeds = sorted(SEEDS.glob("002_*.txt")) if SEEDS.is_dir() else []
    if not seeds:
        pytest.skip("../shared/seeds/002_*.txt not available")
    result = read_inputs([seeds[0]])
    assert result.problems == []
    (art,) = result.articles
    lines = art.text.split("\n")
    for chrome in ("Please enter your comment!", "Please enter your name here", "Related Articles", "Hot Topics"):
        assert chrome not in lines
    assert not any(line.startswith("(") and line.endswith(")") for line in lines)  # photo credit
    assert art.title and art.title not in lines  # the repeated headline
    assert lines[0] == "February 21, 2024"  # section line and byline before it are gone
    assert "was Al-Alim praise for" in art.text  # re-joined paragraph
    assert "\npraise for" not in art.text
    assert "But the criticism doesn’t just come" in art.text
    assert art.published_at == "2024-02-21" and art.published_inferred
    assert art.language == "en"
