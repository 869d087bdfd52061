"""API v2's opening list: every owner is asked at once (the user's own list goes out with the
organizations request), and the pages still come in owner order."""

from __future__ import annotations

import asyncio

import httpx

from scarf_tui.api import make_service
from scarf_tui.demo import DEMO_TOKEN
from scarf_tui.demo.app import create_app
from scarf_tui.demo.faults import Faults
from scarf_tui.demo.store import build_demo_store
from tests.pane_host import FIXED_TODAY


class OrganizationsWaitForOwnList(httpx.AsyncBaseTransport):
    """The organizations answer is held until the user's own package list has been asked for:
    a service that asks one after the other never gets it (and the test times out)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.own_list_asked = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v2/packages/maintainer":
            self.own_list_asked.set()
        if request.url.path.endswith("/organizations"):
            await asyncio.wait_for(self.own_list_asked.wait(), timeout=20)
        return await self.inner.handle_async_request(request)


async def test_the_own_list_and_the_organizations_are_asked_for_together() -> None:
    app = create_app(build_demo_store(today=FIXED_TODAY), Faults())
    held = make_service("http://demo.invalid/v2", DEMO_TOKEN, api_version="v2", username="maintainer", backoff=0.0,
                        transport=OrganizationsWaitForOwnList(httpx.ASGITransport(app=app)))
    plain = make_service("http://demo.invalid/v2", DEMO_TOKEN, api_version="v2", username="maintainer", backoff=0.0,
                         transport=httpx.ASGITransport(app=app))
    try:
        pages = [page async for page in held.iter_package_pages()]
        owners = [p.owner for page in pages for p in page.items]
        expected = await plain.list_packages()
    finally:
        await held.aclose()
        await plain.aclose()
    assert [p.uuid for page in pages for p in page.items] == [p.uuid for p in expected]
    assert owners[0] == "maintainer" and len(set(owners)) > 1
    # Owner order: each owner's packages together, in the order the owners were first met.
    assert owners == sorted(owners, key=list(dict.fromkeys(owners)).index)
    assert pages[-1].done and not any(page.done for page in pages[:-1])
