"""Fixtures: the embedded pypicloud and PurlDB servers, in-process, and services signed in to them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from scarf_tui.demo.faults import Faults
from scarf_tui.demo.purldb import PurldbStore, build_purldb_store, create_purldb_app
from scarf_tui.demo.pypicloud import (
    PYPICLOUD_ADMIN,
    PYPICLOUD_ADMIN_PASSWORD,
    PypicloudStore,
    build_pypicloud_store,
    create_pypicloud_app,
)
from scarf_tui.sources.purldb import PurldbService, make_purldb_service
from scarf_tui.sources.pypicloud import PypicloudService, make_pypicloud_service

PYPICLOUD_URL = "http://pypicloud.invalid"
PURLDB_URL = "http://purldb.invalid"
ALL_ORIGINS = ("scarf", "docker", "pypicloud")


class RecordingTransport(httpx.ASGITransport):
    """The in-process transport, remembering each request's method and raw path (with query)."""

    def __init__(self, app) -> None:
        super().__init__(app=app)
        self.sent: list[tuple[str, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((request.method, request.url.raw_path.decode("ascii")))
        return await super().handle_async_request(request)


@pytest.fixture
def pypi_store() -> PypicloudStore:
    return build_pypicloud_store(hostile=True)


@pytest.fixture
def pypi_faults() -> Faults:
    return Faults()


@pytest.fixture
def pypi_transport(pypi_store, pypi_faults) -> RecordingTransport:
    return RecordingTransport(create_pypicloud_app(pypi_store, pypi_faults))


@pytest.fixture
async def pypi_as(pypi_transport) -> AsyncIterator[Callable[..., PypicloudService]]:
    made: list[PypicloudService] = []

    def make(username: str | None, password: str | None, **kw) -> PypicloudService:
        kw.setdefault("backoff", 0.0)
        svc = make_pypicloud_service(PYPICLOUD_URL, username, password, transport=pypi_transport, **kw)
        made.append(svc)
        return svc

    yield make
    for svc in made:
        await svc.aclose()


@pytest.fixture
def pypi(pypi_as) -> PypicloudService:
    """Signed in as the demo admin."""
    return pypi_as(PYPICLOUD_ADMIN, PYPICLOUD_ADMIN_PASSWORD)


@pytest.fixture
def purl_store() -> PurldbStore:
    return build_purldb_store(hostile=True)


@pytest.fixture
def purl_faults() -> Faults:
    return Faults()


@pytest.fixture
def purl_transport(purl_store, purl_faults) -> RecordingTransport:
    return RecordingTransport(create_purldb_app(purl_store, purl_faults))


@pytest.fixture
async def purldb_as(purl_transport) -> AsyncIterator[Callable[..., PurldbService]]:
    made: list[PurldbService] = []

    def make(api_key: str | None = None, **kw) -> PurldbService:
        kw.setdefault("backoff", 0.0)
        kw.setdefault("enabled_for", ALL_ORIGINS)
        svc = make_purldb_service(PURLDB_URL, api_key, transport=purl_transport, **kw)
        made.append(svc)
        return svc

    yield make
    for svc in made:
        await svc.aclose()


@pytest.fixture
def purldb(purldb_as) -> PurldbService:
    return purldb_as()
