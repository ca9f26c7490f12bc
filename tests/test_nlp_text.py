"""storyline.nlp.doc_text: a Doc's text joined once, and only the string the Doc was made from."""

import pytest

from storyline.nlp import Paragraphwise, doc_text, paragraphs, remember_text

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


# ---------------------------------------------------------------- paragraph by paragraph

TEXTS = [
    "Acme wins contract\n\nBy Jo Smith\n\nAcme Corp said on Monday it won a contract.\n\nSubscribe to our newsletter\n",
    "\n\n  Leading blank lines.\nOne line break only.\n   \n\nIndented paragraph after spaces.",
    "No line break at all, one paragraph.",
    "Trailing spaces before a break.   \nNext line\t\n\n\n",
    "",
    "\n",
]


@pytest.mark.parametrize("text", TEXTS)
def test_paragraphs_join_back_to_the_text(text):
    pieces = paragraphs(text)
    assert "".join(pieces) == text
    assert all(pieces)
    for piece in pieces[:-1]:  # every piece but the last ends in its line break(s)
        assert "\n" in piece and not piece.rstrip("\n \t").count("\n")


_SEEN: dict[int, list[str]] = {}  # the texts each counting pipeline analysed, by its vocabulary's id


@spacy.Language.component("storyline_test_counter")
def _counter(doc):
    _SEEN.setdefault(id(doc.vocab), []).append(doc.text)
    return doc


def _counting_pipeline():
    """A blank English pipeline that tags names by rule and counts the Docs its components see."""
    nlp = spacy.blank("en")
    seen = _SEEN.setdefault(id(nlp.vocab), [])
    seen.clear()
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "ORG", "pattern": "Acme Corp"}, {"label": "PERSON", "pattern": "Jo Smith"}])
    nlp.add_pipe("storyline_test_counter")
    return nlp, seen


def _tokens(doc):
    return [(t.text, t.whitespace_, t.ent_iob_, t.ent_type_, t.is_sent_start) for t in doc]


def test_paragraphwise_docs_have_the_whole_texts_tokens_and_entities():
    nlp, _ = _counting_pipeline()
    para = Paragraphwise(nlp)
    for text, doc in zip(TEXTS, para.pipe(TEXTS)):
        whole = nlp(text)
        assert doc.text == text
        assert doc_text(doc) is text
        assert [t.text for t in doc] == [t.text for t in whole]
        assert [(e.text, e.label_, e.start_char) for e in doc.ents] == [
            (e.text, e.label_, e.start_char) for e in whole.ents
        ]


def test_a_repeated_paragraph_is_analysed_once_and_gives_the_same_doc():
    nlp, seen = _counting_pipeline()
    para = Paragraphwise(nlp)
    wire = "Acme Corp said on Monday it won a contract worth $5 million.\n\n"
    first = para(f"Daily Ledger\n\n{wire}Copyright Daily Ledger\n")
    second = para(f"Northern Courier\n\n{wire}Subscribe now\n")
    assert seen.count(wire) == 1
    assert para.reused == 1
    # the same text analysed by a pipeline that never saw the wire paragraph
    fresh_nlp, _ = _counting_pipeline()
    alone = Paragraphwise(fresh_nlp)(f"Northern Courier\n\n{wire}Subscribe now\n")
    assert _tokens(second) == _tokens(alone)
    assert [e.text for e in first.ents] == [e.text for e in second.ents] == ["Acme Corp"]


def test_repeats_within_one_batch_are_analysed_once():
    nlp, seen = _counting_pipeline()
    para = Paragraphwise(nlp)
    texts = ["Jo Smith reports.\n\nSame footer line.", "Other news.\n\nSame footer line."] * 3
    docs = list(para.pipe(texts))
    assert [d.text for d in docs] == texts
    assert sorted(seen) == sorted({"Jo Smith reports.\n\n", "Other news.\n\n", "Same footer line."})
    assert para.analysed == 3 and para.reused == 9


def test_changing_a_returned_doc_does_not_change_the_remembered_paragraph():
    nlp, _ = _counting_pipeline()
    para = Paragraphwise(nlp)
    text = "Acme Corp hired Jo Smith."
    doc = para(text)
    doc.ents = []
    doc.user_data["note"] = 1
    again = para(text)
    assert [e.text for e in again.ents] == ["Acme Corp", "Jo Smith"]
    assert "note" not in again.user_data


def test_the_cache_stays_within_its_token_budget():
    nlp, seen = _counting_pipeline()
    para = Paragraphwise(nlp, max_tokens=12)
    texts = [f"Paragraph number {i} has six tokens.\n" for i in range(5)]  # 8 tokens each with the break
    list(para.pipe(texts))
    assert para._tokens <= 12
    seen.clear()
    para(texts[0])  # evicted: analysed again
    assert seen == [texts[0]]
    para(texts[0])  # now remembered
    assert seen == [texts[0]]


def test_without_reuse_every_paragraph_is_analysed():
    nlp, seen = _counting_pipeline()
    para = Paragraphwise(nlp, reuse=False)
    list(para.pipe(["A.\n\nB.", "A.\n\nC."]))
    assert seen == ["A.\n\n", "B.", "A.\n\n", "C."]


def test_other_attributes_are_the_pipelines():
    nlp, _ = _counting_pipeline()
    para = Paragraphwise(nlp)
    assert para.pipe_names == nlp.pipe_names
    assert para.vocab is nlp.vocab


def test_the_model_analyses_each_paragraph_as_it_would_alone():
    nlp_mod = pytest.importorskip("storyline.nlp")
    try:
        para = nlp_mod.english()
    except Exception:  # noqa: BLE001 - model not installed
        pytest.skip("spaCy's English model is not installed")
    text = (
        "Council approves budget\n\nSPRINGFIELD (AP) - The city council voted 7-2 on Tuesday to approve "
        "a $40 million budget, Mayor Ann Lee said.\n\n\"We kept every promise,\" she told reporters.\n"
    )
    doc = para(text)
    assert doc.text == text
    assert doc.has_annotation("DEP") and doc.has_annotation("TAG") and doc.has_annotation("LEMMA")
    start = 0
    for piece in paragraphs(text):
        alone = para.language(piece)
        span = doc.char_span(start, start + len(piece), alignment_mode="expand")
        start += len(piece)
        assert [(t.text, t.tag_, t.lemma_, t.dep_, t.head.i - span.start, t.ent_iob_, t.ent_type_) for t in span] == [
            (t.text, t.tag_, t.lemma_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_) for t in alone
        ]
        assert span[0].is_sent_start


def test_a_paragraph_over_the_limit_is_cut_after_a_sentence_else_a_space():
    sentence = "The board met on Tuesday and approved the plan. "  # 48 characters
    text = sentence * 10 + "\n\nShort closing line."
    pieces = paragraphs(text, longest=100)
    assert "".join(pieces) == text
    assert all(len(p) <= 100 for p in pieces)
    assert all(p.endswith(". ") for p in pieces[:-2])  # each cut after a sentence's end
    words = "word " * 50  # no sentence end: cut after a space
    pieces = paragraphs(words, longest=33)
    assert "".join(pieces) == words and all(p.endswith(" ") and len(p) <= 33 for p in pieces)
    assert paragraphs("x" * 70, longest=30) == ["x" * 30, "x" * 30, "x" * 10]  # nowhere else to cut


def test_a_text_longer_than_the_pipelines_limit_is_analysed_in_pieces():
    nlp, _ = _counting_pipeline()
    nlp.max_length = 400  # spaCy refuses a longer Doc
    text = "Acme Corp hired Jo Smith on Monday. " * 40  # one line, 1,440 characters
    with pytest.raises(ValueError):
        nlp(text)
    doc = Paragraphwise(nlp)(text)
    assert doc.text == text
    assert [e.text for e in doc.ents].count("Acme Corp") == 40


def test_threads_sharing_the_pipeline_get_their_own_texts_back():
    import threading

    nlp, _ = _counting_pipeline()
    para = Paragraphwise(nlp)
    results: dict[int, list[str]] = {}

    def texts_of(k):
        return [f"Report {k}-{i}: Acme Corp hired Jo Smith.\n\nSame footer line." for i in range(30)]

    def work(k):
        results[k] = [d.text for d in para.pipe(texts_of(k), batch_size=4)]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [0, 1, 2, 3]
    assert all(results[k] == texts_of(k) for k in results)
