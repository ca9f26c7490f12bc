"""Faster stand-ins for two of spaCy's rule-based components that leave every token exactly as they would.

Installed by :func:`install` when Storyline loads the model (:func:`storyline.nlp.english`).

The attribute ruler
-------------------

spaCy's AttributeRuler runs a Matcher over each Doc and applies, in the order of the rules,
the attributes of every rule that matched. In en_core_web_sm most rules map one fine-grained
tag to its POS and morphology; the rest are word exceptions (a lower-cased form, sometimes with
a tag, a dependency label or a neighbour). The Matcher tries every rule at every token, with
the ``IN``/``NOT_IN`` predicates evaluated in Python, which costs more than the parser.

:class:`FastAttributeRuler` is compiled from a loaded AttributeRuler and keeps its semantics:

* the matches are found on the Doc as it comes in (the stock component matches once, then sets);
* a token matched by several rules receives their attributes in the rules' order, a later rule
  overriding an earlier one's value of the same attribute (the stock component sorts its matches
  by rule and sets them one by one);
* attributes are written with the same spaCy function the stock component uses.

Tag-only rules become a table from the tag to its rules; every other rule is looked up through
one of its token conditions (the lower-cased word, the tag, a flag) and then checked in full.
:func:`compile_ruler` returns None for a rule set it cannot reproduce exactly (operators,
regular expressions on a flag, fuzzy matches, extension attributes, attributes a rule writes
onto the shared lexeme), and :func:`install` then keeps the stock component.

The lemmatizer
--------------
spaCy's rule lemmatizer is a pure function of a token's form, POS and morphology: it computes it
for each token (its own cache skips only part of the work). :class:`FastLemmatizer` reads those
three columns at once and remembers the stock lemmatizer's answer per combination, asking it
only for combinations not seen yet; a token that already has a lemma keeps it, as with the
stock component (which does not overwrite).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from spacy.attrs import DEP, IDS, LEMMA, LOWER, MORPH, NORM, ORTH, POS, TAG
from spacy.errors import Errors
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

# Attributes a rule may set: each is written on the token only (set_token_attrs also writes every
# attribute onto the lexeme, where these have no field, so the order across tokens does not matter).
_SETTABLE = frozenset({POS, TAG, MORPH, LEMMA, DEP})
# Token attributes a rule may test, read with Doc.to_array exactly as the Matcher reads them;
# the lexical flags (IS_SPACE, IS_PUNCT, ...) have ids below 64.
_TESTABLE = frozenset({ORTH, LOWER, NORM, TAG, POS, DEP, LEMMA})
_FLAG_LIMIT = 64
# Which condition of a pattern to index it by, most selective first.
_ANCHOR_RANK = {ORTH: 0, LOWER: 0, NORM: 0, LEMMA: 1, TAG: 2, DEP: 3, POS: 4}


class Unsupported(ValueError):
    """The rule set uses a feature the fast component does not reproduce."""


# A condition on one token: (attribute, "eq" | "in" | "not_in" | "regex", a value, a frozenset of
# values, or (compiled regex, string store, memo of results by value)).
Condition = tuple[int, str, Any]


def _conditions(spec: Any, strings: Any) -> tuple[Condition, ...]:
    """A Matcher token spec as conditions, converted as spaCy's Matcher converts them."""
    if not isinstance(spec, dict):
        raise Unsupported(f"token spec {spec!r}")
    out: list[Condition] = []
    for key, value in spec.items():
        if not isinstance(key, str):
            raise Unsupported(f"attribute key {key!r}")
        name = key.upper()
        name = {"TEXT": "ORTH"}.get(name, name)
        attr = IDS.get(name)
        if attr is None or not (attr in _TESTABLE or 0 < attr < _FLAG_LIMIT):
            raise Unsupported(f"attribute {key!r}")
        if isinstance(value, bool):
            out.append((attr, "eq", int(value)))
        elif isinstance(value, str):
            out.append((attr, "eq", strings.add(value)))
        elif isinstance(value, int):
            out.append((attr, "eq", value))
        elif isinstance(value, dict):
            for pred, items in value.items():
                if pred == "REGEX" and isinstance(items, str) and attr >= _FLAG_LIMIT:
                    out.append((attr, "regex", (re.compile(items), strings, {})))
                    continue
                if pred not in ("IN", "NOT_IN") or not isinstance(items, (list, tuple)):
                    raise Unsupported(f"predicate {pred!r}")
                if not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in items):
                    raise Unsupported(f"predicate values {items!r}")
                out.append((attr, "in" if pred == "IN" else "not_in", frozenset(get_string_id(v) for v in items)))
        else:
            raise Unsupported(f"value {value!r}")
    return tuple(out)


def _holds(cond: Condition, value: int) -> bool:
    _attr, op, want = cond
    if op == "eq":
        return value == want
    if op == "in":
        return value in want
    if op == "not_in":
        return value not in want
    # "regex": searched in the attribute's string, as the Matcher does; remembered per value
    rx, strings, seen = want
    found = seen.get(value)
    if found is None:
        if len(seen) > 100_000:
            seen.clear()
        found = seen[value] = bool(rx.search(strings[value]))
    return found


class FastAttributeRuler:
    """Sets the attributes of a compiled AttributeRuler's rules; see the module docstring."""

    def __init__(self, vocab: Any, name: str = "attribute_ruler") -> None:
        self.vocab = vocab
        self.name = name
        self.columns: list[int] = [TAG]
        self.by_tag: dict[int, tuple[int, ...]] = {}
        # attribute -> value -> [(rule, conditions per token, anchor position, target index)]
        self.anchored: dict[int, dict[int, list[tuple[int, tuple[tuple[Condition, ...], ...], int, int]]]] = {}
        self.unanchored: list[tuple[int, tuple[tuple[Condition, ...], ...], int]] = []
        self.attrs: list[dict[int, Any]] = []
        self._merged: dict[tuple[int, ...], dict[int, Any]] = {}

    # ------------------------------------------------------------ compiling

    def compile(self, ruler: Any) -> FastAttributeRuler:
        """Take over ``ruler``'s rules (a spaCy AttributeRuler); :class:`Unsupported` if it cannot."""
        strings = self.vocab.strings
        self.attrs = [dict(a) for a in ruler.attrs]
        by_tag: dict[int, list[int]] = {}
        used = {TAG}
        for rule, (attrs, index) in enumerate(zip(ruler.attrs, ruler.indices)):
            if not set(attrs) <= _SETTABLE:
                raise Unsupported(f"rule {rule} sets {sorted(attrs)}")
            _key, patterns = ruler.matcher.get(str(rule))
            if not patterns:
                raise Unsupported(f"rule {rule} has no pattern")
            for pattern in patterns:
                if not isinstance(pattern, list) or not pattern:
                    raise Unsupported(f"rule {rule}: pattern {pattern!r}")
                specs = tuple(_conditions(spec, strings) for spec in pattern)
                if not -len(specs) <= index < len(specs):
                    raise Unsupported(f"rule {rule}: index {index} outside its pattern")
                target = index if index >= 0 else len(specs) + index
                if len(specs) == 1 and len(specs[0]) == 1 and specs[0][0][0] == TAG and specs[0][0][1] == "eq":
                    by_tag.setdefault(specs[0][0][2], []).append(rule)
                    continue
                used.update(attr for spec in specs for attr, _op, _v in spec)
                anchor = self._anchor(specs)
                if anchor is None:
                    self.unanchored.append((rule, specs, target))
                    continue
                pos, (attr, op, want) = anchor
                index_of = self.anchored.setdefault(attr, {})
                for value in (want,) if op == "eq" else want:
                    index_of.setdefault(value, []).append((rule, specs, pos, target))
        self.by_tag = {tag: tuple(sorted(set(rules))) for tag, rules in by_tag.items()}
        self.columns = sorted(used)
        return self

    @staticmethod
    def _anchor(specs: tuple[tuple[Condition, ...], ...]) -> tuple[int, Condition] | None:
        """The position and condition to index a pattern by: a word, else a tag or label, else a set flag."""
        best: tuple[int, int, Condition] | None = None
        for pos, spec in enumerate(specs):
            for cond in spec:
                attr, op, want = cond
                if op in ("not_in", "regex") or (op == "eq" and attr < _FLAG_LIMIT and want == 0):
                    continue
                rank = _ANCHOR_RANK.get(attr, 5)
                if best is None or rank < best[0]:
                    best = (rank, pos, cond)
        return None if best is None else (best[1], best[2])

    # ------------------------------------------------------------ applying

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        cols = self.columns
        table = doc.to_array(cols).T.tolist() if len(cols) > 1 else [doc.to_array(cols).tolist()]
        column = dict(zip(cols, table))
        extra: dict[int, set[int]] = {}

        def check(rule: int, specs: tuple[tuple[Condition, ...], ...], start: int, target: int) -> None:
            if start < 0 or start + len(specs) > n:
                return
            for offset, spec in enumerate(specs):
                for cond in spec:
                    if not _holds(cond, column[cond[0]][start + offset]):
                        return
            extra.setdefault(start + target, set()).add(rule)

        for attr, index_of in self.anchored.items():
            for i, value in enumerate(column[attr]):
                hits = index_of.get(value)
                if hits:
                    for rule, specs, pos, target in hits:
                        check(rule, specs, i - pos, target)
        for rule, specs, target in self.unanchored:
            for start in range(n - len(specs) + 1):
                check(rule, specs, start, target)

        by_tag, merged = self.by_tag, self._merged
        empty: tuple[int, ...] = ()
        for i, tag in enumerate(column[TAG]):
            rules = by_tag.get(tag, empty)
            more = extra.get(i)
            if more:
                rules = tuple(sorted(more.union(rules)))
            if not rules:
                continue
            attrs = merged.get(rules)
            if attrs is None:
                attrs = {}
                for rule in rules:  # later rules override earlier ones, as when set one by one
                    attrs.update(self.attrs[rule])
                merged[rules] = attrs
            set_token_attrs(doc[i], attrs)
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in stream:
            yield self(doc)


@Language.factory("storyline_attribute_ruler")
def _make_fast_attribute_ruler(nlp: Language, name: str) -> FastAttributeRuler:
    return FastAttributeRuler(nlp.vocab, name)


def compile_ruler(ruler: Any) -> FastAttributeRuler | None:
    """A fast component doing what ``ruler`` does, or None if its rules use unsupported features."""
    try:
        return FastAttributeRuler(ruler.vocab, getattr(ruler, "name", "attribute_ruler")).compile(ruler)
    except Unsupported:
        return None


class FastLemmatizer:
    """The stock rule lemmatizer's lemmas, remembered per (form, POS, morphology); see the module docstring."""

    def __init__(self, vocab: Any, name: str = "lemmatizer") -> None:
        self.vocab = vocab
        self.name = name
        self.stock: Any = None
        self.memo: dict[tuple[int, int, int], int] = {}

    def wrap(self, stock: Any) -> FastLemmatizer:
        self.stock = stock
        return self

    def __call__(self, doc: Doc) -> Doc:
        stock = self.stock
        if not stock._validated:
            stock._validate_tables(Errors.E1004)
        memo, strings = self.memo, self.vocab.strings
        for i, (orth, pos, morph, lemma) in enumerate(doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()):
            if lemma != 0:
                continue
            key = (orth, pos, morph)
            value = memo.get(key)
            if value is None:
                value = strings.add(stock.lemmatize(doc[i])[0])
                if pos != 0:  # without a POS the stock lemmatizer warns each time: let it
                    if len(memo) > 500_000:
                        memo.clear()
                    memo[key] = value
            doc[i].lemma = value
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in stream:
            yield self(doc)


@Language.factory("storyline_lemmatizer")
def _make_fast_lemmatizer(nlp: Language, name: str) -> FastLemmatizer:
    return FastLemmatizer(nlp.vocab, name)


def install(nlp: Language) -> list[str]:
    """Replace ``nlp``'s stock attribute ruler and rule lemmatizer by the fast ones (same names and
    places) where they reproduce them; the names of the components replaced."""
    from spacy.pipeline import AttributeRuler, Lemmatizer

    done = []
    if "attribute_ruler" in nlp.component_names:
        ruler = nlp.get_pipe("attribute_ruler")
        if type(ruler) is AttributeRuler and compile_ruler(ruler) is not None:
            nlp.replace_pipe("attribute_ruler", "storyline_attribute_ruler").compile(ruler)
            done.append("attribute_ruler")
    if "lemmatizer" in nlp.component_names:
        lemmatizer = nlp.get_pipe("lemmatizer")
        if (
            isinstance(lemmatizer, Lemmatizer)
            and lemmatizer.mode == "rule"
            and not lemmatizer.overwrite
            and lemmatizer.lemmatize == lemmatizer.rule_lemmatize
            and type(lemmatizer).__call__ is Lemmatizer.__call__
        ):
            nlp.replace_pipe("lemmatizer", "storyline_lemmatizer").wrap(lemmatizer)
            done.append("lemmatizer")
    return done
