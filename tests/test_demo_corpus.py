"""Golden test: the bundled demo corpus (our own invented reports) gives the planted results.

The expected values are the facts planted in examples/ (see docs/demo-corpus.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import storyline
from storyline.report import validate_report

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def report():
    return storyline.analyze([EXAMPLES])


def _article(report, *, source=None, text_has=None, aid=None):
    for a in report["articles"]:
        if aid and a["id"] == aid:
            return a
        if source and a["source"] == source:
            return a
        if text_has and text_has in a["text"]:
            return a
    raise AssertionError(f"no article for {source or text_has or aid}")


def _story_of(report, article_id):
    return next(s for s in report["stories"] if article_id in s["article_ids"])


def _entity(story, name):
    for e in story["entities"]:
        if e["name"] == name or name in e["aliases"]:
            return e
    raise AssertionError(f"no entity {name!r} in {[e['name'] for e in story['entities']]}")


def _claim_with(story, *texts):
    for c in story["claims"]:
        found = {v["text"] for v in c["values"]}
        if all(any(t in f for f in found) for t in texts):
            return c
    raise AssertionError(f"no claim with {texts}: {[[v['text'] for v in c['values']] for c in story['claims']]}")


def test_report_meets_the_contract(report):
    validate_report(report)
    assert report["schema_version"] == "1"
    assert len(report["articles"]) == 8


def test_two_stories_six_and_two(report):
    sizes = sorted(len(s["article_ids"]) for s in report["stories"])
    assert sizes == [2, 6]
    crisis = _story_of(report, "vpr-0617")
    assert {"ledger-0610", "herald-0610"} <= set(crisis["article_ids"])
    rates = _story_of(report, "ledger-0420")
    assert rates["id"] != crisis["id"]


def test_entities_join_variants_and_keep_lookalikes_apart(report):
    crisis = _story_of(report, "vpr-0617")
    director = _entity(crisis, "Reza Hosseini")
    assert director["type"] == "PERSON" and director["name"] == "Reza Hosseini"
    assert "Riza Husseini" in director["aliases"]
    mayor = _entity(crisis, "Marguerite Oyelaran-Pike")
    assert mayor["name"] == "Marguerite Oyelaran-Pike"
    authority = _entity(crisis, "Harlow Valley Water Authority")
    assert authority["type"] == "ORG"
    assert "HVWA" in authority["aliases"]  # defined in the text as "Harlow Valley Water Authority (HVWA)"
    users = _entity(crisis, "Harlow Valley Water Users Association")
    assert users["id"] != authority["id"]
    # The same bodies keep one id across the two stories.
    rates = _story_of(report, "ledger-0420")
    assert _entity(rates, "Harlow Valley Water Users Association")["id"] == users["id"]


def test_planted_figures_get_their_status(report):
    crisis = _story_of(report, "vpr-0617")
    assert _claim_with(crisis, "84,000", "48,000")["status"] == "conflict"
    assert _claim_with(crisis, "$6.8 million", "$4.2 million")["status"] == "updated"
    assert _claim_with(crisis, "210,000")["status"] == "agreed"
    assert _claim_with(crisis, "120,000")["status"] == "single_source"
    assert _claim_with(crisis, "$250,000")["status"] == "single_source"
    rates = _story_of(report, "ledger-0420")
    assert _claim_with(rates, "$3.1 million")["status"] == "agreed"


def test_respelled_body_and_shared_rate_are_joined(report):
    crisis = _story_of(report, "vpr-0617")
    authority = _entity(crisis, "Harlow Valley Water Authority")
    assert "Harlow Valley Water Agency" in authority["aliases"]
    rates = _story_of(report, "ledger-0420")
    assert _claim_with(rates, "9%")["status"] == "agreed"


def test_update_carries_its_as_of_dates(report):
    crisis = _story_of(report, "vpr-0617")
    claim = _claim_with(crisis, "$6.8 million")
    as_of = {v["text"]: v["as_of"] for v in claim["values"]}
    assert any(d == "2025-06-16" for t, d in as_of.items() if "6.8" in t)
    assert all(d and d < "2025-06-16" for t, d in as_of.items() if "4.2" in t)


def test_relative_dates_are_resolved(report):
    original = _article(report, source="Harlow Valley Courier", text_has="late Monday")
    values = {d["text"]: d["value"] for d in original["dates"]}
    assert any("late Monday" in t and v == "2025-06-09" for t, v in values.items())
    herald = _article(report, aid="herald-0610")
    assert any("Monday night" in d["text"] and d["value"] == "2025-06-09" for d in herald["dates"])
    vpr = _article(report, aid="vpr-0617")
    assert any("Sunday" in d["text"] and d["value"] == "2025-06-15" for d in vpr["dates"])


def test_timeline_and_summary_cite_reports(report):
    crisis = _story_of(report, "vpr-0617")
    days = [e["date"] for e in crisis["timeline"]]
    assert days == sorted(days)
    assert "2025-06-09" in days and "2025-06-15" in days
    notice = [e for e in crisis["timeline"] if e["date"] == "2025-06-09"]
    assert any(len(e["article_ids"]) >= 2 for e in notice)
    assert crisis["summary"]
    for sentence in crisis["summary"]:
        assert sentence["supported_by"]
        assert set(sentence["supported_by"]) <= set(crisis["article_ids"])
    assert any(s["contradicted_by"] for s in crisis["summary"])


def test_copies_and_translations(report):
    crisis = _story_of(report, "vpr-0617")
    prov = {p["article_id"]: p for p in crisis["provenance"]}
    repost = next(a for a in report["articles"] if a["source"] is None and a["published_at"] == "2025-06-10")
    assert prov[repost["id"]]["relation"] == "copy"
    mt = _article(report, text_has="Riza Husseini")
    assert prov[mt["id"]]["relation"] == "translation"
    assert prov[mt["id"]]["derived_from"] == "ledger-0610"
    assert prov["herald-0610"]["relation"] in ("independent", "original")
    garble = {a["id"]: a["quality"]["garble"] for a in report["articles"]}
    assert garble[mt["id"]] > max(garble["ledger-0610"], garble["herald-0610"]) + 0.2


def test_quotes_group_versions_with_drift(report):
    crisis = _story_of(report, "vpr-0617")
    director = _entity(crisis, "Reza Hosseini")
    apology = [q for q in crisis["quotes"] if any("take full responsibility" in v["text"] for v in q["versions"])]
    assert len(apology) == 1
    q = apology[0]
    assert q["speaker"] == director["id"]
    assert len(q["versions"]) >= 3
    assert q["status"] == "drift"


def test_clean_reports_using_an_acronym_are_not_scored_as_garbled(report):
    garble = {a["id"]: a["quality"]["garble"] for a in report["articles"]}
    translated = max(garble, key=garble.get)
    assert garble[translated] > 0.7
    assert all(v < 0.3 for k, v in garble.items() if k != translated)


def test_timeline_entries_are_short_merged_clauses(report):
    crisis = _story_of(report, "vpr-0617")
    entries = crisis["timeline"]
    sentences = {s.strip() for a in report["articles"] for s in a["text"].replace("\n", " ").split(". ")}
    for e in entries:
        assert 2 <= len(e["description"].split()) <= 16, e
        assert e["description"] not in sentences and not e["description"].endswith(".")
    keys = [(e["date"], e["description"]) for e in entries]
    assert len(keys) == len(set(keys))
    lifted = [e for e in entries if e["date"] == "2025-06-15"]
    assert any("lifts" in e["description"] and "notice" in e["description"] for e in lifted)
    # The Courier and its repost state the notice: one entry citing both.
    repost = next(a["id"] for a in report["articles"] if a["source"] is None and a["published_at"] == "2025-06-10")
    courier = next(a["id"] for a in report["articles"] if a["source"] == "Harlow Valley Courier" and "2025" in a["published_at"])
    issued = [e for e in entries if "issues" in e["description"] and "notice" in e["description"]]
    assert len(issued) == 1 and {repost, courier} <= set(issued[0]["article_ids"])
    assert issued[0]["date"] == "2025-06-09"


def test_claim_descriptions_say_what_the_figure_measures(report):
    crisis = _story_of(report, "vpr-0617")
    assert "households" in _claim_with(crisis, "84,000", "48,000")["description"]
    assert "spending" in _claim_with(crisis, "$6.8 million", "$4.2 million")["description"]
    assert "bottles of water" in _claim_with(crisis, "120,000")["description"]
    assert "fine" in _claim_with(crisis, "$250,000")["description"]
    rates = _story_of(report, "ledger-0420")
    assert "rate" in _claim_with(rates, "9%")["description"]
    for story in report["stories"]:
        for c in story["claims"]:
            assert not c["description"].startswith(("amount ", "share ", "number ")), c["description"]


def test_summary_reads_as_an_account(report):
    crisis = _story_of(report, "vpr-0617")
    texts = [s["text"] for s in crisis["summary"]]
    assert texts[0].startswith("On ") and "2025" in texts[0]
    conflict = next(s for s in crisis["summary"] if "84,000" in s["text"])
    assert "disagree" in conflict["text"] and "48,000" in conflict["text"]
    assert "herald-0610" in conflict["contradicted_by"] and "herald-0610" not in conflict["supported_by"]
    update = next(s for s in crisis["summary"] if "$6.8 million" in s["text"] and "$4.2 million" in s["text"])
    assert "$4.2 million as of June 9, 2025" in update["text"] and "$6.8 million as of June 16, 2025" in update["text"]
    assert not update["contradicted_by"]
    single = next(s for s in crisis["summary"] if "single source" in s["text"] and "$250,000" in s["text"])
    assert "vpr-0617" in single["supported_by"]
    # Planned events read as plans, not as things that happened.
    rates = _story_of(report, "ledger-0420")
    assert any("is set" in s["text"] or "scheduled" in s["text"] for s in rates["summary"])
