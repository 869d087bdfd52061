"""Running the demo app on a real socket in a background thread (uvicorn), for start_demo,
demo-server and the tests that need real streaming."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

STARTUP_TIMEOUT_S = 10.0


@contextmanager
def running_server(
    app: Any, host: str = "127.0.0.1", port: int = 0, *, listener: socket.socket | None = None
) -> Iterator[str]:
    """Serve `app` with uvicorn in a daemon thread; yield "http://<host>:<port>/api" (the v1 URL;
    the same origin serves v2 under /v2). `listener` is a socket already bound and listening
    (--demo's parent binds it), served instead of host and port."""
    if listener is not None:
        host, port = listener.getsockname()[:2]
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off",
                            access_log=False, timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    sockets = {"sockets": [listener]} if listener is not None else {}
    thread = threading.Thread(target=server.run, kwargs=sockets, name="scarf-demo-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError(f"The demo server could not start on {host}:{port}.")
        if time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError("The demo server did not start in time.")
        time.sleep(0.01)
    real_port = listener.getsockname()[1] if listener is not None else server.servers[0].sockets[0].getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    try:
        yield f"http://{shown}:{real_port}/api"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
