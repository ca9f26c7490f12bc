"""Hostile and broken input: every reader either yields articles or names the file and the reason."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.ingest import IngestOptions, read_inputs

SUFFIXES = [".txt", ".html", ".json", ".jsonl", ".warc", ".warc.gz"]


def _read_one(path: Path, options: IngestOptions | None = None) -> tuple[list, list]:
    result = read_inputs([path], options)
    return result.articles, result.problems


def _check(path: Path, articles: list, problems: list) -> None:
    assert articles or problems, f"{path.name}: neither an article nor a problem"
    for problem in problems:
        assert path.name in str(problem), f"problem does not name the input: {problem}"
    for article in articles:
        assert article.text.strip()
        assert "\x00" not in article.text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_arbitrary_bytes_never_crash_a_reader(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    _check(path, *_read_one(path))


_WORDS = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=200
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=st.dictionaries(
        st.sampled_from(["text", "title", "source", "url", "published_at", "language", "id", "extra"]),
        st.one_of(_WORDS, st.integers(), st.none(), st.lists(_WORDS, max_size=3)),
        max_size=8,
    )
)
def test_arbitrary_article_objects_are_read_or_reported(tmp_path: Path, fields: dict) -> None:
    path = tmp_path / "items.jsonl"
    path.write_text(json.dumps(fields) + "\n", encoding="utf-8")
    _check(path, *_read_one(path))


def test_deeply_nested_json_is_reported_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    articles, problems = _read_one(path)
    assert not articles and problems and "deep.json" in str(problems[0])


def test_deeply_nested_html_still_yields_its_text(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    body = "<div>" * 20_000 + "<p>" + "The council voted on the budget after a long debate. " * 8 + "</p>" + "</div>" * 20_000
    path.write_text(f"<html><head><title>Budget vote</title></head><body>{body}</body></html>", encoding="utf-8")
    articles, problems = _read_one(path)
    if articles:
        assert "council voted" in articles[0].text
    else:
        assert "deep.html" in str(problems[0])


def test_nul_bytes_right_to_left_and_combining_marks(tmp_path: Path) -> None:
    text = (
        "Mayor\x00 Amira Haddad said on Monday that the council approved the plan. "
        "\u202eReversed run\u202c and Arabic \u0645\u062f\u064a\u0646\u0629 and Hebrew \u05e2\u05d9\u05e8. "
        "Cafe\u0301 owners (Zoe\u0308) welcomed the decision, which covers 1,200 homes."
    )
    path = tmp_path / "mixed.txt"
    path.write_text(text, encoding="utf-8")
    articles, problems = _read_one(path)
    assert len(articles) == 1, problems
    assert "\x00" not in articles[0].text
    assert "\u0645\u062f\u064a\u0646\u0629" in articles[0].text


def test_mixed_encodings_in_one_file_are_read(tmp_path: Path) -> None:
    path = tmp_path / "mixed-encoding.txt"
    path.write_bytes(
        "The caf\u00e9 on Main Street reopened on Friday after repairs.\n".encode("utf-8")
        + "Its owner, Ren\u00e9e Dupr\u00e9, thanked the neighbours for their patience.\n".encode("cp1252")
    )
    articles, problems = _read_one(path)
    assert len(articles) == 1, problems
    assert "caf\u00e9" in articles[0].text and "Main Street" in articles[0].text


def test_gzip_bomb_is_capped(tmp_path: Path) -> None:
    path = tmp_path / "bomb.warc.gz"
    with gzip.open(path, "wb", compresslevel=9) as fh:
        chunk = b"\x00" * (1 << 20)
        for _ in range(300):  # 300 MB of zeros, about 300 KB on disk
            fh.write(chunk)
    assert path.stat().st_size < 2_000_000
    articles, problems = _read_one(path, IngestOptions(max_file_bytes=5_000_000))
    assert not articles and problems and "bomb.warc.gz" in str(problems[0])


@pytest.mark.parametrize("suffix", [".txt", ".jsonl"])
def test_one_huge_line_over_the_article_limit_is_reported(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"huge{suffix}"
    line = "word " * 600_000
    path.write_text(line if suffix == ".txt" else json.dumps({"text": line}), encoding="utf-8")
    articles, problems = _read_one(path)
    assert not articles and problems
    assert "huge" in str(problems[0]) and "limit" in str(problems[0])
