"""Run the app with uvicorn in a background thread (for tests, scripts and embedding)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from .app import Settings, create_app

__all__ = ["background_server", "free_port"]


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


@contextmanager
def background_server(settings: Settings, port: int | None = None, *, wait: float = 30.0) -> Iterator[str]:
    """Serve ``settings`` on loopback until the block ends; yields the base URL (``http://127.0.0.1:PORT``)."""
    app = create_app(settings)
    port = port or free_port(settings.host)
    config = uvicorn.Config(
        app, host=settings.host, port=port, log_level="warning", proxy_headers=False, server_header=False,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="storyline-web", daemon=True)
    thread.start()
    started = threading.Event()

    def watch() -> None:
        while thread.is_alive() and not server.started:
            started.wait(0.05)
        started.set()

    watch()
    if not server.started:
        raise RuntimeError(f"the web server did not start on {settings.host}:{port}")
    try:
        yield f"http://{settings.host}:{port}"
    finally:
        server.should_exit = True
        thread.join(wait)
