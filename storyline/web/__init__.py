"""The web app and JSON API (``storyline serve``); needs the ``web`` extra (FastAPI, uvicorn)."""

from __future__ import annotations

__all__ = ["Settings", "create_app"]


def __getattr__(name: str):  # lazy: importing storyline.web must not need FastAPI until it is used
    if name in __all__:
        from . import app

        return getattr(app, name)
    raise AttributeError(name)
