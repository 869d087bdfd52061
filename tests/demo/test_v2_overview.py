"""The embedded server's GET /v2/packages/{owner}/overview, over raw HTTP, against the spec:
a cursor page of {package, domains}, the default page small, ?type= and ?permission= filters."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from scarf_tui.demo import DEMO_TOKEN
from scarf_tui.demo.app import create_app
from scarf_tui.demo.faults import Faults
from scarf_tui.demo.store import DemoStore, build_demo_store


@pytest.fixture
def fleet_store(demo_store: DemoStore) -> DemoStore:
    return build_demo_store(today=demo_store.today, fleet=True)


@pytest.fixture
async def http(fleet_store) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(fleet_store, Faults())),
                                 base_url="http://demo.invalid",
                                 headers={"Authorization": f"Bearer {DEMO_TOKEN}"}) as client:
        yield client


async def every_page(http: httpx.AsyncClient, url: str) -> tuple[list[dict], int]:
    items, pages = [], 0
    while url:
        page = (await http.get(url)).json()
        items += page["results"]
        pages += 1
        url = page.get("_links", {}).get("next")
    return items, pages


async def test_overview_pages_hold_packages_with_their_domains(http, fleet_store):
    items, pages = await every_page(http, "/v2/packages/fleet/overview")
    assert pages == 12  # 120 packages at the default page of 10: a client that forgets `next` misses rows
    assert all(set(item) == {"package", "domains"} for item in items)
    listed, _ = await every_page(http, "/v2/packages/fleet?per_page=100")
    assert [i["package"] for i in items] == listed
    for item in items:
        held = fleet_store.domains.get(item["package"]["id"], [])
        assert [d["name"] for d in item["domains"]] == [d["name"] for d in held]
        assert all({"id", "name"} <= set(d) for d in item["domains"])


async def test_overview_filters_by_type_and_permission(http):
    files, _ = await every_page(http, "/v2/packages/acme/overview?type=file&per_page=100")
    assert files and {i["package"]["type"] for i in files} == {"file"}
    assert any(i["domains"] for i in files)
    owned, _ = await every_page(http, "/v2/packages/acme/overview?permission=owner&per_page=100")
    every, _ = await every_page(http, "/v2/packages/acme/overview?per_page=100")
    assert 0 < len(owned) <= len(every)
    bad = await http.get("/v2/packages/acme/overview", params={"permission": "blocked"})
    assert bad.status_code == 400
    assert (await http.get("/v2/packages/nobody-here/overview")).status_code == 404
