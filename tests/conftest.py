"""Shared fixtures: the real embedded Scarf server, in-process and on a loopback socket."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import date

import httpx
import pytest

from scarf_tui.api import make_service
from scarf_tui.api.service import ScarfService
from scarf_tui.demo import DEMO_TOKEN
from scarf_tui.demo.app import create_app
from scarf_tui.demo.faults import Faults
from scarf_tui.demo.server import running_server
from scarf_tui.demo.store import DemoStore, build_demo_store
from scarf_tui.redaction import scoped_secrets

FIXED_TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _secrets_stay_in_their_test() -> Iterator[None]:
    """Tokens a test registers for redaction are forgotten after it (the registry lasts for the
    process by design), so a made-up token cannot redact later tests' demo data."""
    with scoped_secrets():
        yield


@pytest.fixture
def demo_store() -> DemoStore:
    return build_demo_store(today=FIXED_TODAY)


@pytest.fixture
def demo_faults() -> Faults:
    return Faults()


@pytest.fixture
def demo_app(demo_store: DemoStore, demo_faults: Faults):
    return create_app(demo_store, demo_faults)


@pytest.fixture
async def service(demo_app) -> AsyncIterator[ScarfService]:
    svc = make_service(
        "http://demo.invalid/api",
        DEMO_TOKEN,
        transport=httpx.ASGITransport(app=demo_app),
        backoff=0.0,
    )
    yield svc
    await svc.aclose()


@pytest.fixture(params=["v1", "v2"])
async def versioned_service(request, demo_app):  # noqa: ANN001, ANN201
    """A service over the in-process demo server, speaking each API version in turn."""
    service = make_service(
        f"http://demo.invalid/{'api' if request.param == 'v1' else 'v2'}",
        DEMO_TOKEN,
        transport=httpx.ASGITransport(app=demo_app),
        backoff=0.0,
        api_version=request.param,
        username="maintainer",
    )
    yield service
    await service.aclose()


@pytest.fixture
def hostile_store() -> DemoStore:
    """The demo data plus records with markup, ANSI and control characters in their names."""
    return build_demo_store(hostile=True, today=FIXED_TODAY)


@pytest.fixture
def live_server(demo_app) -> Iterator[str]:
    with running_server(demo_app) as base_url:
        yield base_url


@pytest.fixture
async def live_service(live_server: str) -> AsyncIterator[ScarfService]:
    svc = make_service(live_server, DEMO_TOKEN, backoff=0.0)
    yield svc
    await svc.aclose()
