"""One base exception for everything Storyline raises on purpose.

Library code raises these; the CLI and API turn them into exit codes and
messages. Each message says what went wrong and, where it can, how to fix it.
"""

from __future__ import annotations


class StorylineError(Exception):
    """Base class of Storyline's own errors."""


class InputError(StorylineError):
    """An input could not be read or parsed. The message names the input and the reason."""

    def __init__(self, input_name: str, reason: str) -> None:
        super().__init__(f"{input_name}: {reason}")
        self.input_name = input_name
        self.reason = reason


class StoreError(StorylineError):
    """The store (DuckDB file) cannot be opened or written."""


class ModelMissingError(StorylineError):
    """A language model that a stage needs is not installed."""


class ExtraMissingError(StorylineError):
    """An optional extra (e.g. ``storyline[spark]``) is needed but not installed."""
