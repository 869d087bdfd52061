"""Raw-HTTP fixtures for the demo server tests (no ScarfService: these test the server itself)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from scarf_tui.demo import DEMO_TOKEN, NOEXPORT_TOKEN
from scarf_tui.demo.store import DemoStore

BASE = "http://demo.invalid/api/v1"


def make_client(app, token: str | None) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE, headers=headers)


@pytest.fixture
async def client(demo_app) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(demo_app, DEMO_TOKEN) as c:
        yield c


@pytest.fixture
async def visitor(demo_app) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(demo_app, NOEXPORT_TOKEN) as c:
        yield c


@pytest.fixture
async def anonymous(demo_app) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(demo_app, None) as c:
        yield c


def find_uuid(store: DemoStore, owner: str, name: str, library_type: str | None = None) -> str:
    matches = [
        p["uuid"] for p in store.packages.values()
        if p["owner"] == owner and p["name"] == name
        and (library_type is None or p.get("libraryType") == library_type)
    ]
    assert len(matches) == 1, (owner, name, library_type, matches)
    return matches[0]


@pytest.fixture
def uuid_of(demo_store: DemoStore):
    """uuid_of(owner, name, library_type=None) -> the package's uuid in the demo store."""
    return lambda owner, name, library_type=None: find_uuid(demo_store, owner, name, library_type)


@pytest.fixture
def client_for(demo_app):
    """client_for(token) -> an AsyncClient (use `async with`) signed in with that token."""
    return lambda token: make_client(demo_app, token)
