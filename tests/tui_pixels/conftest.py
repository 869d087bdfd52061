"""Fixtures for the tracking-pixel screens: the real demo server in-process, spoken to as v2 (or v1)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from scarf_tui.api import make_service
from scarf_tui.api.service import ScarfService
from scarf_tui.demo import DEMO_TOKEN
from scarf_tui.demo.app import create_app
from scarf_tui.demo.faults import Faults
from scarf_tui.demo.store import DemoStore, build_demo_store
from tests.pane_host import FIXED_TODAY

DEMO_ORIGIN = "http://demo.invalid"


def versioned_service(
    store: DemoStore,
    version: str = "v2",
    log: list[tuple[str, str]] | None = None,
    gate: asyncio.Event | None = None,
    username: str | None = "maintainer",
) -> ScarfService:
    """A service over the real demo app; `log` collects (method, path) of every request; with
    `gate`, a request for a later page (one with an `after` cursor) waits until it is set."""
    app = create_app(store, Faults())
    transport: httpx.AsyncBaseTransport = httpx.ASGITransport(app=app)
    if log is not None or gate is not None:
        transport = _Logging(transport, log if log is not None else [], gate)
    base = f"{DEMO_ORIGIN}/v2" if version == "v2" else f"{DEMO_ORIGIN}/api"
    return make_service(base, DEMO_TOKEN, transport=transport, backoff=0.0, api_version=version, username=username)


class _Logging(httpx.AsyncBaseTransport):
    def __init__(
        self, inner: httpx.AsyncBaseTransport, log: list[tuple[str, str]], gate: asyncio.Event | None = None
    ) -> None:
        self._inner = inner
        self._log = log
        self._gate = gate

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self._log.append((request.method, request.url.path))
        if self._gate is not None and "after" in request.url.params:
            await self._gate.wait()
        return await self._inner.handle_async_request(request)


@pytest.fixture
def store() -> DemoStore:
    return build_demo_store(today=FIXED_TODAY)


@pytest.fixture
def request_log() -> list[tuple[str, str]]:
    return []


@pytest.fixture
async def v2(store: DemoStore, request_log: list[tuple[str, str]]) -> AsyncIterator[ScarfService]:
    service = versioned_service(store, "v2", request_log)
    yield service
    await service.aclose()


@pytest.fixture
async def v1(store: DemoStore, request_log: list[tuple[str, str]]) -> AsyncIterator[ScarfService]:
    service = versioned_service(store, "v1", request_log)
    yield service
    await service.aclose()
