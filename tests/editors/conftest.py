"""Fixtures for the editor tests: services over the real demo server, a request log, helpers
to wait for workers and to read what a pane's table shows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.worker import WorkerState

from scarf_tui.api import make_service
from scarf_tui.api.service import ScarfService
from scarf_tui.demo import DEMO_TOKEN
from scarf_tui.demo.store import DemoStore, build_demo_store
from scarf_tui.tui.common.virtual_table import VirtualTable

from .host import FIXED_TODAY


class RequestLog:
    """Wraps the demo ASGI app and notes (method, path) of every request - an observer, not a mock."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.requests: list[tuple[str, str]] = []

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.requests.append((scope["method"], scope["path"]))
        await self.app(scope, receive, send)

    def count(self, method: str, suffix: str) -> int:
        return sum(1 for m, p in self.requests if m == method and p.endswith(suffix))


@pytest.fixture
def request_log(demo_app) -> RequestLog:
    return RequestLog(demo_app)


@pytest.fixture
async def logged_service(request_log: RequestLog) -> AsyncIterator[ScarfService]:
    svc = make_service(
        "http://demo.invalid/api", DEMO_TOKEN, transport=httpx.ASGITransport(app=request_log), backoff=0.0
    )
    yield svc
    await svc.aclose()


@pytest.fixture
async def impatient_service(live_server: str) -> AsyncIterator[ScarfService]:
    """A client that gives up after 0.2 s and does not retry. Over a real socket: httpx's
    ASGITransport does not enforce timeouts."""
    svc = make_service(live_server, DEMO_TOKEN, timeout=0.2, max_retries=0, backoff=0.0)
    yield svc
    await svc.aclose()


@pytest.fixture
def hostile_store() -> DemoStore:
    return build_demo_store(hostile=True, today=FIXED_TODAY)


def package_uuid(store: DemoStore, owner: str, name: str, library_type: str | None = None) -> str:
    for uuid, pkg in store.packages.items():
        if pkg["owner"] == owner and pkg["name"] == name and (
            library_type is None or pkg.get("libraryType") == library_type
        ):
            return uuid
    raise LookupError(f"no package {owner}/{name}/{library_type}")


def _busy(app: Any) -> bool:
    return any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers)


async def settle(pilot: Pilot) -> None:
    """Wait until no worker runs (a finished worker may start the next: write -> re-read)."""
    app = pilot.app
    for _ in range(50):
        await pilot.pause()
        if not _busy(app):
            await pilot.pause()
            if not _busy(app):
                return
        await app.workers.wait_for_complete()
    raise AssertionError("workers never settled")


def table_rows(table: VirtualTable) -> list[tuple[str, ...]]:
    rows = []
    for row_index in range(table.row_count):
        rows.append(tuple(str(getattr(c, "plain", c)) for c in table.row_cells(row_index)))
    return rows


def notifications(app: Any) -> list[tuple[str, str]]:
    """(severity, message) of the notifications currently shown."""
    return [(n.severity, n.message) for n in app._notifications]
