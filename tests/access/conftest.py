"""The access matrix against the real embedded server, on each API version in turn."""

from __future__ import annotations

import httpx
import pytest

from scarf_tui.api import make_service
from scarf_tui.demo import DEMO_TOKEN


@pytest.fixture(params=["v1", "v2"])
async def versioned_service(request, demo_app):  # noqa: ANN001, ANN201
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
def hostile_store():  # noqa: ANN201
    from scarf_tui.demo.store import build_demo_store
    from tests.conftest import FIXED_TODAY

    return build_demo_store(hostile=True, today=FIXED_TODAY)


@pytest.fixture
async def hostile_service(hostile_store):  # noqa: ANN001, ANN201
    from scarf_tui.demo.app import create_app

    service = make_service(
        "http://demo.invalid/api", DEMO_TOKEN, transport=httpx.ASGITransport(app=create_app(hostile_store)), backoff=0.0
    )
    yield service
    await service.aclose()
