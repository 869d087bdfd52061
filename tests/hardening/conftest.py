"""The hostile server on a loopback socket (real streaming: httpx.ASGITransport would collect
a whole body first, and an endless one never), and services that talk to it with a secret token."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator

import pytest

from scarf_tui.api import make_service
from scarf_tui.api.service import ScarfService
from scarf_tui.config import Limits, Token
from scarf_tui.demo.server import running_server
from tests.hardening.hostile import Hostile, create_hostile_app

SECRET = "Zq81vX0r-5150-kPw7-tOk3-9fJd2Lm"


@pytest.fixture
def hostile() -> Hostile:
    return Hostile()


@pytest.fixture
def hostile_url(hostile: Hostile) -> Iterator[str]:
    with running_server(create_hostile_app(hostile)) as base_url:
        yield base_url


@pytest.fixture
async def connect(hostile_url: str) -> AsyncIterator[Callable[..., ScarfService]]:
    """connect(**limits, timeout=..., ...) -> a service on the hostile server, closed afterwards."""
    made: list[ScarfService] = []

    def make(*, timeout: float = 15.0, max_retries: int = 0, **limits: float) -> ScarfService:
        service = make_service(
            hostile_url, Token(SECRET), timeout=timeout, max_retries=max_retries, backoff=0.0, limits=Limits(**limits)
        )
        made.append(service)
        return service

    yield make
    for service in made:
        await service.aclose()
