"""The scorer of bench/actions_meantime.py (actions vs MEANTIME gold events) on hand-made cases."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import actions_meantime as am


def test_events_match_one_to_one_by_head():
    gold = [(10, 17), (30, 45), (60, 66)]
    predicted = [(31, 36), (10, 17), (40, 44), (50, 55)]
    # (40, 44) lies in the event (30, 45) already taken by (31, 36); (50, 55) lies in no event.
    assert am.match_events(predicted, gold) == {1: 0, 0: 1}
    assert am.match_events([(5, 5)], [(0, 10)]) == {}
    assert am.match_events([], gold) == {}


def test_a_verb_takes_the_shortest_event_it_lies_in():
    # a discontinuous mention ("comes in two colors ... and will cost") is read as one long span;
    # the verb inside it ("cost") takes its own event, and the long one stays for its own head
    gold = [(0, 40), (35, 39)]
    assert am.match_events([(35, 39)], gold) == {0: 1}
    assert am.match_events([(0, 5), (35, 39)], gold) == {0: 0, 1: 1}
    assert am.match_events([(10, 10)], gold) == {}  # an empty span matches nothing


def test_roles_follow_the_voice():
    roles = {"Arg0": [(0, 6)], "Arg1": [(20, 30)]}
    assert am.role_spans(False, roles) == ([(0, 6)], [(20, 30)])
    assert am.role_spans(True, roles) == ([(20, 30)], [])
    assert am.role_spans(False, {"Arg1": [(0, 6)]}) == ([(0, 6)], [])  # "prices rose"
    assert am.role_spans(False, {}) == ([], [])
    # used with an object, a verb without a marked Arg0 is no unaccusative: its Arg1 is the object
    assert am.role_spans(False, {"Arg1": [(0, 6)]}, transitive=True) == ([], [(0, 6)])
    assert am.role_spans(False, roles, transitive=True) == ([(0, 6)], [(20, 30)])


def test_participant_agrees_on_overlap():
    assert am.span_agrees((0, 10), [(20, 30), (8, 12)])
    assert not am.span_agrees((0, 10), [(10, 20)])
    assert not am.span_agrees(None, [(0, 5)])


def test_date_agrees_at_the_gold_precision():
    assert am.date_agrees("2014-03-02", "2014")
    assert am.date_agrees("2014-03-02", "2014-03")
    assert am.date_agrees("2014-03", "2014-03")
    assert not am.date_agrees("2014", "2014-03")  # the prediction is coarser than the gold
    assert not am.date_agrees("2014-03-02", "2014-03-01")
    assert not am.date_agrees(None, "2014")
    assert not am.date_agrees("2014-03-02", "PRESENT_REF")


def test_anchored_value_prefers_a_time_of_the_text_and_reads_links_both_ways():
    timex = {"t1": "2008-03-06", "t2": "2007-11", "t3": "P1Y", "t4": "2006"}
    links = [("e1", "t1", "IS_INCLUDED"), ("e1", "t2", "SIMULTANEOUS")]
    assert am.anchored_value("e1", links, timex, dct="t1") == "2007-11"
    assert am.anchored_value("e1", [("t4", "e1", "INCLUDES")], timex, dct="t1") == "2006"
    assert am.anchored_value("e1", [("e1", "t4", "INCLUDES")], timex, dct="t1") is None  # the event spans the year
    assert am.anchored_value("e1", [("e1", "t2", "BEFORE")], timex, dct="t1") is None
    assert am.anchored_value("e1", [("e1", "t3", "SIMULTANEOUS")], timex, dct="t1") is None  # a duration
    assert am.anchored_value("e2", links, timex, dct="t1") is None


def test_score_counts_precision_only_in_annotated_sentences():
    text = "Acme bought Zeta on May 2.\n\nIt rained."
    gold = am.GoldDoc(
        "d", text, "2020-05-04",
        [am.GoldEvent(span=(5, 11), verbal=True, action_like=True, roles={"Arg0": [(0, 4)], "Arg1": [(12, 16)]}, date="2020-05-02")],
        sentences=[(0, 26)],
    )
    predicted = [
        am.Predicted((5, 11), "buy", False, (0, 4), (12, 16), "2020-05-02", "text"),
        am.Predicted((31, 37), "rain", False, (28, 30), None, "2020-05-04", "published"),  # unannotated sentence
    ]
    t = am.Tally()
    am.score(gold, predicted, t)
    assert (t.predicted, t.matched) == (1, 1)
    assert t.subject == [1, 1] and t.obj == [1, 1] and t.date == [1, 1] and t.date_text == [1, 1]
    wrong = [am.Predicted((5, 11), "buy", False, (12, 16), None, "2020-05-04", "published")]  # roles swapped
    t2 = am.Tally()
    am.score(gold, wrong, t2)
    assert t2.subject == [0, 1] and t2.obj == [0, 0] and t2.date == [0, 1]


def test_text_rebuilt_from_tokens_keeps_offsets():
    text, offsets = am.build_text([[("1", "``"), ("2", "Hi"), ("3", "''"), ("4", ","), ("5", "she"), ("6", "said")], [("7", "Ok")]])
    assert text == '"Hi", she said\n\nOk'
    assert text[slice(*offsets["5"])] == "she" and text[slice(*offsets["7"])] == "Ok"


def test_meantime_gold_reads_events_roles_and_dates():
    if not am.MEANTIME.is_dir():
        pytest.skip("../shared/data/meantime is not available")
    path = min((am.MEANTIME / "corpus_apple").glob("*.xml"))
    doc = am.load_doc(path)
    assert doc is not None and doc.events and doc.sentences
    assert all(doc.text[s:e].strip() for s, e in (g.span for g in doc.events))
    assert any(g.roles.get("Arg0") for g in doc.events)
    assert all(g.date is None or am._CALENDAR.match(g.date) for g in doc.events)


def test_a_passive_subject_is_compared_with_the_patient():
    gold = am.GoldDoc(
        "d", "Zeta was bought by Acme.", "2020-05-04",
        [am.GoldEvent(span=(9, 15), verbal=True, action_like=True, roles={"Arg0": [(19, 23)], "Arg1": [(0, 4)]})],
        sentences=[(0, 24)],
    )
    t = am.Tally()
    am.score(gold, [am.Predicted((9, 15), "buy", True, (0, 4), None, None, "published")], t)
    assert t.subject == [1, 1] and t.date == [0, 0]


_XML = """<Document doc_name="t">
<token t_id="1" sentence="0" number="0">Acme</token>
<token t_id="2" sentence="0" number="1">,</token>
<token t_id="3" sentence="0" number="2">which</token>
<token t_id="4" sentence="0" number="3">makes</token>
<token t_id="5" sentence="0" number="4">jets</token>
<token t_id="6" sentence="0" number="5">,</token>
<token t_id="7" sentence="0" number="6">grew</token>
<token t_id="8" sentence="0" number="7">.</token>
<token t_id="9" sentence="1" number="0">Acme</token>
<token t_id="10" sentence="1" number="1">rose</token>
<token t_id="11" sentence="1" number="2">.</token>
<Markables>
<TIMEX3 m_id="90" functionInDocument="CREATION_TIME" value="2020-05-04" type="DATE"/>
<ENTITY_MENTION m_id="1"><token_anchor t_id="1"/></ENTITY_MENTION>
<ENTITY_MENTION m_id="2"><token_anchor t_id="3"/></ENTITY_MENTION>
<ENTITY_MENTION m_id="3"><token_anchor t_id="5"/></ENTITY_MENTION>
<ENTITY_MENTION m_id="4"><token_anchor t_id="9"/></ENTITY_MENTION>
<EVENT_MENTION m_id="10" pos="VERB"><token_anchor t_id="4"/></EVENT_MENTION>
<ENTITY m_id="50" ent_type="ORG"/>
</Markables>
<Relations>
<HAS_PARTICIPANT r_id="1" sem_role="Arg0"><source m_id="10"/><target m_id="2"/></HAS_PARTICIPANT>
<HAS_PARTICIPANT r_id="2" sem_role="Arg1"><source m_id="10"/><target m_id="3"/></HAS_PARTICIPANT>
<REFERS_TO r_id="3"><source m_id="1"/><source m_id="2"/><source m_id="4"/><target m_id="50"/></REFERS_TO>
</Relations>
</Document>"""


def test_a_relative_pronoun_participant_is_named_by_its_antecedent_in_the_sentence(tmp_path):
    path = tmp_path / "1_t.xml"
    path.write_text(_XML)
    doc = am.load_doc(path)
    (event,) = doc.events
    spans = [doc.text[a:b] for a, b in event.roles["Arg0"]]
    # the pronoun itself, and the mention of the same entity in its sentence (not the one in the next sentence)
    assert spans == ["which", "Acme"] and event.roles["Arg0"][1] == (0, 4)
    assert [doc.text[a:b] for a, b in event.roles["Arg1"]] == ["jets"]  # no pronoun: no antecedent added
