"""The independent v2 server on a loopback socket (uvicorn in a thread), and our real service on it."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import pytest
import uvicorn

from scarf_tui.api import make_service
from scarf_tui.api.service import ScarfService

from .data import TOKEN, USERNAME, Store, build_store
from .server import Faults, make_app


@dataclass
class Served:
    url: str
    store: Store
    faults: Faults


@pytest.fixture
def served() -> Iterator[Served]:
    store, faults = build_store(), Faults()
    config = uvicorn.Config(make_app(store, faults), host="127.0.0.1", port=0, log_level="critical", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    started = threading.Event()
    while not started.wait(0.01):
        if server.started:
            started.set()
        elif not thread.is_alive():
            raise RuntimeError("the independent v2 server did not start")
    port = server.servers[0].sockets[0].getsockname()[1]
    yield Served(f"http://127.0.0.1:{port}", store, faults)
    server.should_exit = True
    thread.join(timeout=10)


def make_v2_service(url: str, **kw: object) -> ScarfService:
    kw.setdefault("backoff", 0.0)
    return make_service(url, TOKEN, api_version="v2", username=USERNAME, **kw)  # type: ignore[arg-type]


@pytest.fixture
async def service(served: Served) -> AsyncIterator[ScarfService]:
    svc = make_v2_service(served.url)
    yield svc
    await svc.aclose()
    await asyncio.sleep(0)
