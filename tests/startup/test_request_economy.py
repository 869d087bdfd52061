"""Request economy (issue 11): opening an organization costs the same requests whatever its size,
plus API v2's extra pages; moving around does not fetch again; `r` does.

Every request the real service sends to the real demo app is recorded by the transport."""

from __future__ import annotations

import math
from collections import Counter
from urllib.parse import parse_qs

import httpx
import pytest

from scarf_tui.api import make_service
from scarf_tui.api.pages import MAX_PER_PAGE
from scarf_tui.config import Settings
from scarf_tui.demo import DEMO_TOKEN
from scarf_tui.demo.app import create_app
from scarf_tui.demo.faults import Faults
from scarf_tui.demo.scale import SCALE_ORG, add_scaled_org
from scarf_tui.demo.store import build_demo_store
from scarf_tui.tui.app import ScarfApp
from scarf_tui.tui.packages.table import PackageTable
from scarf_tui.tui.session import Session
from tests.pane_host import FIXED_TODAY
from tests.tui.helpers import press, settle


class RecordingTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.sent: list[httpx.URL] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request.url)
        return await self.inner.handle_async_request(request)


def is_next_page(url: httpx.URL) -> bool:
    return "after" in parse_qs(url.query.decode())


async def open_org(size: int, version: str) -> tuple[list[httpx.URL], RecordingTransport, ScarfApp]:
    store = build_demo_store()
    add_scaled_org(store, size)
    transport = RecordingTransport(httpx.ASGITransport(app=create_app(store, Faults())))
    base = "http://demo.invalid/v2" if version == "v2" else "http://demo.invalid/api"
    service = make_service(base, DEMO_TOKEN, transport=transport, backoff=0.0, api_version=version,
                           username="maintainer")
    app = ScarfApp(Session(settings=Settings(), service=service, username="maintainer", org=SCALE_ORG.name,
                           today=FIXED_TODAY))
    return transport.sent, transport, app


async def requests_to_open(size: int, version: str) -> tuple[list[httpx.URL], int]:
    sent, _, app = await open_org(size, version)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        rows = len(app.screen.query_one(PackageTable).rows)
    return list(sent), rows


@pytest.mark.parametrize("version", ["v1", "v2"])
async def test_a_bigger_organization_costs_only_more_pages(version: str) -> None:
    small, small_rows = await requests_to_open(20, version)
    big, big_rows = await requests_to_open(350, version)
    assert (small_rows, big_rows) == (20, 350)
    # The same requests, in number, apart from the pages after the first one.
    assert len([u for u in big if not is_next_page(u)]) == len([u for u in small if not is_next_page(u)])
    small_pages = Counter(u.path for u in small if is_next_page(u))
    big_pages = Counter(u.path for u in big if is_next_page(u))
    if version == "v1":
        assert not small_pages and not big_pages  # v1 lists come whole
    else:
        # The organization's package list (and its overview, for the domains column) page on.
        assert not small_pages
        assert big_pages[f"/v2/packages/{SCALE_ORG.name}"] == math.ceil(350 / MAX_PER_PAGE) - 1
        assert all(count <= math.ceil(350 / MAX_PER_PAGE) - 1 for count in big_pages.values())


@pytest.mark.parametrize("version", ["v1", "v2"])
async def test_moving_around_fetches_nothing_again_until_r(version: str) -> None:
    sent, _, app = await open_org(30, version)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        after_open = Counter(u.path for u in sent)
        assert after_open, "opening the organization asked the server"
        # Members tab, packages tab, the charts tab once, back to packages: each list was read.
        await press(pilot, "1", "2")
        seen = Counter(u.path for u in sent)
        await press(pilot, "1", "2", "1", "2")
        assert Counter(u.path for u in sent) == seen, "switching tabs again fetched again"
        before_r = len(sent)
        await press(pilot, "r")
        repeated = Counter(u.path for u in sent[before_r:])
        org = SCALE_ORG.name
        package_list = next(p for p in after_open if p.endswith((f"/{org}/packages", f"/packages/{org}")))
        assert repeated[package_list] >= 1, "r reads the list again"
