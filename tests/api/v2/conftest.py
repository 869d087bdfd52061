"""Fixtures for the tests that run on both API versions: the embedded server with the "fleet"
organization (120+ packages), and services for v1 and v2 on it, in-process."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import date

import httpx
import pytest

from scarf_tui.api import make_service
from scarf_tui.api.service import ScarfService
from scarf_tui.demo import DEMO_TOKEN, DEMO_USER
from scarf_tui.demo.app import create_app
from scarf_tui.demo.faults import Faults
from scarf_tui.demo.store import DemoStore, build_demo_store

TODAY = date(2026, 11, 20)
BASE = {"v1": "http://demo.invalid/api", "v2": "http://demo.invalid/v2"}


@pytest.fixture
def store() -> DemoStore:
    return build_demo_store(today=TODAY, fleet=True)


@pytest.fixture
def faults() -> Faults:
    return Faults()


@pytest.fixture
def app(store: DemoStore, faults: Faults):
    return create_app(store, faults)


@pytest.fixture
async def make(app) -> AsyncIterator[Callable[..., ScarfService]]:
    """make(version, token=DEMO_TOKEN, **kw) -> a service on the shared app, closed afterwards."""
    made: list[ScarfService] = []

    def build(version: str, token: str | None = DEMO_TOKEN, **kw) -> ScarfService:
        kw.setdefault("backoff", 0.0)
        kw.setdefault("username", DEMO_USER)
        svc = make_service(BASE[version], token, transport=httpx.ASGITransport(app=app), api_version=version, **kw)
        made.append(svc)
        return svc

    yield build
    for svc in made:
        await svc.aclose()


@pytest.fixture(params=["v1", "v2"])
def version(request) -> str:
    return request.param


@pytest.fixture
def service(make, version) -> ScarfService:
    return make(version)


@pytest.fixture
def v2(make) -> ScarfService:
    return make("v2")


def uuid_of(store: DemoStore, owner: str, name: str, kind: str | None = None) -> str:
    (found,) = [
        u for u, p in store.packages.items()
        if p["owner"] == owner and p["name"] == name and (kind is None or p.get("libraryType") == kind)
    ]
    return found
