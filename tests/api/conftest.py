"""Fixtures for the API tests: services signed in as other demo users, the hostile dataset."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from scarf_tui.api import make_service
from scarf_tui.api.service import ScarfService
from scarf_tui.demo import DEMO_TOKEN
from scarf_tui.demo.app import create_app
from scarf_tui.demo.faults import Faults
from scarf_tui.demo.store import DemoStore, build_demo_store


@pytest.fixture
async def service_as(demo_app) -> AsyncIterator[Callable[..., ScarfService]]:
    """make(token, **kw) -> an in-process service on the shared demo app, closed afterwards."""
    made: list[ScarfService] = []

    def make(token: str | None, **kw) -> ScarfService:
        kw.setdefault("backoff", 0.0)
        svc = make_service("http://demo.invalid/api", token, transport=httpx.ASGITransport(app=demo_app), **kw)
        made.append(svc)
        return svc

    yield make
    for svc in made:
        await svc.aclose()


@pytest.fixture
def hostile_store(demo_store: DemoStore) -> DemoStore:
    return build_demo_store(hostile=True, today=demo_store.today)


@pytest.fixture
async def hostile_service(hostile_store: DemoStore) -> AsyncIterator[ScarfService]:
    app = create_app(hostile_store, Faults())
    svc = make_service("http://demo.invalid/api", DEMO_TOKEN, transport=httpx.ASGITransport(app=app), backoff=0.0)
    yield svc
    await svc.aclose()


@pytest.fixture
def find_uuid(demo_store: DemoStore) -> Callable[..., str]:
    def find(owner: str, name: str, library_type: str | None = None) -> str:
        (uuid,) = [
            u
            for u, p in demo_store.packages.items()
            if p["owner"] == owner and p["name"] == name and (library_type is None or p["libraryType"] == library_type)
        ]
        return uuid

    return find
