"""storyline.nlp.doc_text: a Doc's text joined once, and only the string the Doc was made from."""

import pytest

from storyline.nlp import doc_text, remember_text

spacy = pytest.importorskip("spacy")


def test_doc_text_is_the_docs_text_and_is_joined_once():
    nlp = spacy.blank("en")
    doc = nlp("The council voted 7-2 on Tuesday.\n\nIt meets again in May.  ")
    first = doc_text(doc)
    assert first == doc.text
    assert doc_text(doc) is first  # cached on the Doc, not rebuilt from its tokens


def test_remember_text_keeps_the_source_string():
    nlp = spacy.blank("en")
    text = "Rescuers pulled 14 people from the river, officials said."
    doc = nlp(text)
    remember_text(doc, text)
    assert doc_text(doc) is text


def test_remember_text_ignores_a_string_the_doc_was_not_made_from():
    nlp = spacy.blank("en")
    doc = nlp("Short text.")
    remember_text(doc, "A much longer text that this Doc was never made from.")
    assert doc_text(doc) == "Short text."
    empty = nlp("")
    remember_text(empty, "anything")
    assert doc_text(empty) == ""
