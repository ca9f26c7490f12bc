"""The fast attribute ruler and lemmatizer (storyline.fast_components) against spaCy's own: every
token attribute must come out the same."""

from __future__ import annotations

import random

import pytest

spacy = pytest.importorskip("spacy")

from spacy.tokens import Doc

from storyline.fast_components import FastAttributeRuler, compile_ruler, install
from storyline.nlp import PARAGRAPH_BREAKS


def _attrs(doc: Doc) -> list[tuple[object, ...]]:
    return [
        (
            t.i, t.text, t.whitespace_, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i,
            t.ent_iob_, t.ent_type_, t.is_sent_start, t.norm_, t.lower_,
        )
        for t in doc
    ]


# ---------------------------------------------------------------- a rule set of our own (no model)

WORDS = ["the", "saw", "Saw", "sees", "seen", "is", "are", "there", "y'", "y", "all", "it", "do", "not", "  ", "\n", "."]
TAGS = ["NN", "VBD", "VBZ", "EX", "PRP", "DT", "RB", "_SP", ".", "IN", ""]
DEPS = ["ROOT", "expl", "aux", "nsubj", "dobj", "det", "dep", "punct"]


def _ruler(nlp):
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"TAG": "NN"}]], {"POS": "NOUN", "MORPH": "Number=Sing"})
    ruler.add([[{"LOWER": "saw", "TAG": "NN"}]], {"LEMMA": "saw", "MORPH": "Number=Sing|Foo=Bar"})
    ruler.add([[{"TAG": "VBD"}]], {"POS": "VERB", "MORPH": "Tense=Past|VerbForm=Fin"})
    ruler.add([[{"LOWER": {"IN": ["saw", "seen"]}}], [{"LOWER": "sees"}]], {"LEMMA": "see", "POS": "AUX"})
    ruler.add([[{"DEP": "expl"}, {"LOWER": {"IN": ["is", "are"]}}]], {"POS": "VERB", "LEMMA": "be"}, index=1)
    ruler.add([[{"LOWER": {"REGEX": "^y'?$"}}, {"LOWER": "all"}]], {"LEMMA": "you"}, index=-2)
    ruler.add([[{"IS_SPACE": True}]], {"TAG": "_SP", "POS": "SPACE", "MORPH": "_"})
    ruler.add([[{"TAG": "NN"}]], {"POS": "PROPN"})  # a later tag rule overrides the first's POS only
    ruler.add([[{"TAG": {"NOT_IN": ["NN", ""]}, "DEP": {"IN": ["aux", "expl"]}}]], {"POS": "AUX"})
    ruler.add([[{"TAG": "_SP", "IS_SPACE": False}]], {"POS": "X"})
    ruler.add([[{"IS_SPACE": True, "DEP": {"NOT_IN": [""]}}]], {"DEP": "dep"})
    ruler.add([[{"ORTH": "Saw"}, {"TAG": "DT"}, {"LOWER": "all"}]], {"MORPH": "Case=Nom"}, index=2)
    return ruler


def _random_doc(vocab, rng: random.Random, *, parsed: bool) -> Doc:
    n = rng.randint(1, 12)
    words = [rng.choice(WORDS) for _ in range(n)]
    kwargs = {"tags": [rng.choice(TAGS) for _ in range(n)]}
    if parsed:
        kwargs["heads"] = list(range(n))
        kwargs["deps"] = [rng.choice(DEPS) for _ in range(n)]
    return Doc(vocab, words=words, spaces=[rng.random() < 0.7 for _ in range(n)], **kwargs)


def test_compiled_rules_match_the_stock_ruler_on_random_docs():
    nlp = spacy.blank("en")
    ruler = _ruler(nlp)
    fast = compile_ruler(ruler)
    assert isinstance(fast, FastAttributeRuler)
    rng = random.Random(20261124)
    changed = 0
    for k in range(1500):
        doc = _random_doc(nlp.vocab, rng, parsed=k % 3 != 0)
        before = _attrs(doc)
        expected = _attrs(ruler(doc.copy()))
        got = _attrs(fast(doc.copy()))
        assert got == expected, [t.text for t in doc]
        changed += expected != before
    assert changed > 1000  # the rules did fire: the comparison is not between two no-ops


def test_a_rule_set_with_unsupported_features_keeps_the_stock_component():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"TAG": "NN"}]], {"POS": "NOUN"})
    ruler.add([[{"LOWER": "a", "OP": "+"}]], {"POS": "DET"})
    assert compile_ruler(ruler) is None
    assert install(nlp) == []
    assert nlp.get_pipe("attribute_ruler") is ruler


# ---------------------------------------------------------------- the real model

SENTENCES = [
    "The council said it would raise water rates by 9% next year.",
    "There are three candidates, and there's a fourth who ain't running.",
    "Y'all know nothin' about it, she told me. I gave it to you.",
    "He doesn't have the money; she has had it since Monday, hasn't she?",
    "That is what they did. All of those were sold, and which one is yours?",
    "Gets better every day: he got the job because he'd asked whether it was open.",
    "Double  spaces,\n\nnewlines\tand tabs   stay   space tokens.",
    "I'm sure you're right, but we've been told they'd left.",
    "UNITED TEACHERS LOS ANGELES SPENT NEARLY $650,000 ON THE RACE.",
    "the mayor's office didn't respond; neither did the police.",
    "Das ist kein englischer Satz, aber er wird trotzdem verarbeitet.",
    "Le conseil municipal a voté mardi.",
    "42",
    " ",
    "",
    "Whether or not it rains, the game will be played unless it's cancelled.",
    "Is it true? Was there ever a doubt? Are there any left?",
    "Smith, 54, of Springfield, was arrested Tuesday and charged with theft.",
    "Do it now. Don't do that. Did you do your homework? I did.",
    "It's been a long time -- nearly 20 years -- since the plant closed.",
]


@pytest.fixture(scope="module")
def pipelines():
    from storyline.nlp import MODEL_NAMES, english

    for name in MODEL_NAMES:
        try:
            stock = spacy.load(name)
            break
        except OSError:
            continue
    else:
        pytest.skip("spaCy's English model is not installed")
    fast = english().language  # the components themselves, whole texts at a time
    stock.add_pipe(PARAGRAPH_BREAKS, before="parser")  # ours too: sentences start at line breaks
    return stock, fast


def test_storyline_loads_the_fast_components(pipelines):
    stock, fast = pipelines
    assert fast.pipe_names == stock.pipe_names
    assert type(fast.get_pipe("attribute_ruler")).__name__ == "FastAttributeRuler"
    assert type(fast.get_pipe("lemmatizer")).__name__ == "FastLemmatizer"


def test_fast_components_give_the_stock_token_attributes(pipelines):
    stock, fast = pipelines
    texts = [*SENTENCES, " ".join(SENTENCES), *(s.lower() for s in SENTENCES), *(s.upper() for s in SENTENCES)]
    for expected, got in zip(stock.pipe(texts), fast.pipe(texts)):
        assert _attrs(got) == _attrs(expected)
        assert got.to_bytes() == expected.to_bytes()
    # one at a time too (Language.__call__ rather than pipe), the lemma memo now warm
    for text in SENTENCES:
        assert _attrs(fast(text)) == _attrs(stock(text))
