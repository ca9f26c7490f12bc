"""Shared by the benches that build reports from ECB+ tokens."""

from __future__ import annotations

import re


def detokenise(tokens: list[str]) -> str:
    """Join ECB+ tokens back into plain text (punctuation, clitics and quotes re-attached)."""
    text = " ".join(tokens)
    text = re.sub(r" ([,.;:!?%)\]}])", r"\1", text)
    text = re.sub(r"([(\[{$]) ", r"\1", text)
    text = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m|')(?=\W|$)", r"\1", text)
    return text.replace("`` ", '"').replace(" ''", '"').replace("``", '"').replace("''", '"')
