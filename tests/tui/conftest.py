"""Fixtures for the TUI tests (helpers live in helpers.py)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from scarf_tui.api import make_service
from scarf_tui.demo import DEMO_TOKEN
from scarf_tui.demo.store import DemoStore, build_demo_store
from scarf_tui.tui.app import ScarfApp

from .helpers import FIXED_TODAY, make_app


@pytest.fixture
def app_factory(service) -> Callable[..., ScarfApp]:  # noqa: ANN001
    def factory(**kwargs) -> ScarfApp:  # noqa: ANN003
        return make_app(service, **kwargs)

    return factory


@pytest.fixture
def hostile_store() -> DemoStore:
    return build_demo_store(hostile=True, today=FIXED_TODAY)


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
