"""The three real seed reports (../shared/seeds, read only; skipped where absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

import storyline

from _shared import SEEDS
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not available")


@pytest.fixture(scope="module")
def report():
    return storyline.analyze([p for p in sorted(SEEDS.glob("*.txt"))])


def _entity_with(story, surface):
    for e in story["entities"]:
        if surface == e["name"] or surface in e["aliases"] or any(m["text"] == surface for m in e["mentions"]):
            return e
    raise AssertionError(f"{surface!r} not found among {[e['name'] for e in story['entities']]}")


def test_three_seeds_are_one_story(report):
    assert len(report["articles"]) == 3
    assert len(report["stories"]) == 1


def test_candidate_spellings_are_one_entity(report):
    story = report["stories"][0]
    ids = {_entity_with(story, s)["id"] for s in ("Kahllid Al-Alim", "Al-Alim", "Khaled Al-Aleem", "Al-Aleem")}
    assert len(ids) == 1
    person = next(e for e in story["entities"] if e["id"] in ids)
    assert person["type"] == "PERSON"
    assert person["name"] == "Kahllid Al-Alim"


def test_union_apart_from_county_labor_federation(report):
    story = report["stories"][0]
    union = _entity_with(story, "United Teachers Los Angeles")
    assert _entity_with(story, "UTLA")["id"] == union["id"]
    federation = next(
        e for e in story["entities"]
        if any("County Federation" in m["text"] for m in e["mentions"])
    )
    assert federation["id"] != union["id"]


def _claim_with(story, *figures):
    for c in story["claims"]:
        texts = " | ".join(v["text"] for v in c["values"])
        if all(f in texts for f in figures):
            return c
    raise AssertionError(f"no claim holds {figures}: {[[v['text'] for v in c['values']] for c in story['claims']]}")


@pytest.mark.parametrize(
    "figures",
    [("650,000", "690,000"), ("24,302", "31,736"), ("280,515", "520,493")],
)
def test_differing_figures_are_grouped_and_not_agreed(report, figures):
    claim = _claim_with(report["stories"][0], *figures)
    assert claim["status"] in ("updated", "conflict")


def test_machine_translated_copy_reads_as_garbled(report):
    mt = [a["quality"]["garble"] for a in report["articles"] if "Khaled" in a["text"]]
    clean = [a["quality"]["garble"] for a in report["articles"] if "Khaled" not in a["text"]]
    assert len(mt) == 1 and len(clean) == 2
    assert mt[0] > max(clean) + 0.2


@pytest.mark.parametrize(
    ("figures", "measured"),
    [(("650,000", "690,000"), "spent"), (("24,302", "31,736"), "raised"), (("280,515", "520,493"), "funding")],
)
def test_differing_figures_are_described_and_told_in_the_summary(report, figures, measured):
    story = report["stories"][0]
    claim = _claim_with(story, *figures)
    assert measured in claim["description"]
    told = [s for s in story["summary"] if all(f in s["text"] for f in figures)]
    assert len(told) == 1
    if claim["status"] == "updated":
        assert told[0]["text"].count(" as of ") == 2 and not told[0]["contradicted_by"]
    else:
        assert "disagree" in told[0]["text"] and told[0]["contradicted_by"]


def test_timeline_tells_the_endorsement_being_pulled(report):
    story = report["stories"][0]
    days = [e["date"] for e in story["timeline"]]
    assert days == sorted(days)
    assert all(len(e["description"].split()) <= 16 for e in story["timeline"])
    assert any("endorsement" in e["description"] and "Kahllid Al-Alim" in e["description"] for e in story["timeline"])
