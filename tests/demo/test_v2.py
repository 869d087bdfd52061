"""The embedded server's Scarf API v2, over raw HTTP: the paths and shapes of the Scarf API v2
OpenAPI spec, and how one store serves both versions."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from urllib.parse import quote

import httpx
import pytest

from scarf_tui.demo import DEMO_TOKEN, DEMO_USER
from scarf_tui.demo.app import create_app
from scarf_tui.demo.faults import Faults
from scarf_tui.demo.store import DemoStore, build_demo_store


def find_uuid(store: DemoStore, owner: str, name: str, kind: str) -> str:
    (found,) = [u for u, p in store.packages.items()
                if (p["owner"], p["name"], p.get("libraryType")) == (owner, name, kind)]
    return found


@pytest.fixture
def fleet_store(demo_store: DemoStore) -> DemoStore:
    return build_demo_store(today=demo_store.today, fleet=True)


@pytest.fixture
async def http(fleet_store) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(fleet_store, Faults())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://demo.invalid",
                                 headers={"Authorization": f"Bearer {DEMO_TOKEN}"}) as client:
        yield client


async def test_v1_only_types_are_not_served_by_v2(http, fleet_store):
    listed = []
    url = "/v2/packages/fleet?per_page=100"
    while url:
        page = (await http.get(url)).json()
        listed += page["results"]
        url = page["_links"].get("next")
    assert len(listed) == 120 and {p["type"] for p in listed} == {"docker", "npm", "file", "python", "hackage"}
    v1 = (await http.get("/api/v1/organizations/fleet/packages")).json()
    assert len(v1) == 126
    pypi = find_uuid(fleet_store, "fleet", "fleet-legacy-sdk", "pypi")
    assert (await http.get(f"/v2/packages/fleet/{pypi}")).status_code == 404


async def test_package_type_segment_selects_by_name_and_reserved_words(http, fleet_store):
    answer = await http.get("/v2/packages/acme/npm/@acme/ui-kit")
    assert answer.status_code == 200
    assert answer.json()["id"] == find_uuid(fleet_store, "acme", "@acme/ui-kit", "npm")
    encoded = await http.get("/v2/packages/acme/npm/" + quote("@acme/ui-kit", safe=""))
    assert encoded.json()["id"] == answer.json()["id"]
    overview = (await http.get("/v2/packages/acme/overview", params={"per_page": 100})).json()
    by_name = {item["package"]["name"]: item["domains"] for item in overview["results"]}
    assert [d["name"] for d in by_name["acme-downloads"]] == ["downloads.acme.example", "get.acme.example"]
    no_dates = await http.get("/v2/packages/acme/aggregates")
    assert (no_dates.status_code, no_dates.json()) == (400, {"message": "start_date is required, as YYYY-MM-DD."})
    events = await http.get("/v2/packages/acme/events", params={"start_date": "2026-11-01", "end_date": "2026-11-02"})
    assert events.status_code == 200 and events.text.startswith("type,package,version,time")


async def test_docker_and_python_fields(http, fleet_store):
    docker = (await http.get(f"/v2/packages/acme/{find_uuid(fleet_store, 'acme', 'widget', 'docker')}")).json()
    assert {"backend_registry", "repository_name"} <= set(docker)
    python = (await http.get(f"/v2/packages/acme/{find_uuid(fleet_store, 'acme', 'acme-py', 'python')}")).json()
    assert python["repository_url"].startswith("https://")


async def test_permission_levels_map_between_versions(http, fleet_store):
    uuid = find_uuid(fleet_store, "acme", "acme-downloads", "file")
    grants = (await http.get(f"/v2/packages/acme/{uuid}/permissions")).json()
    levels = {g["username"]: g["permission_level"] for g in grants}
    assert levels == {"barbara": "admin"}  # ken is v1 "blocked": no v2 grant
    personal = find_uuid(fleet_store, DEMO_USER, "blog-assets", "file")
    levels = {g["username"]: g["permission_level"]
              for g in (await http.get(f"/v2/packages/{DEMO_USER}/{personal}/permissions")).json()}
    assert levels == {DEMO_USER: "owner", "margaret": "member"}
    refused = await http.delete(f"/v2/packages/{DEMO_USER}/{personal}/permissions/{DEMO_USER}")
    assert refused.status_code == 422 and refused.json()["code"] == "cannot-delete-owner"
    assert (await http.delete(f"/v2/packages/{DEMO_USER}/{personal}/permissions/margaret")).status_code == 204
    assert "margaret" not in fleet_store.permissions[personal]
    answer = await http.post(f"/v2/packages/{DEMO_USER}/{personal}/permissions",
                             json={"username": "grace", "permission_level": "owner"})
    assert answer.status_code == 204
    assert fleet_store.packages[personal]["owner"] == "grace"
    assert fleet_store.permissions[personal][DEMO_USER] == "admin"


async def test_a_v2_write_is_seen_by_v1(http, fleet_store):
    uuid = find_uuid(fleet_store, "acme", "acme-downloads", "file")
    created = await http.post(f"/v2/packages/acme/{uuid}/routes",
                              json={"incoming_path": "/v2/{version}", "outgoing_url": "https://e.example/{version}"})
    assert created.status_code == 201
    v1 = (await http.get(f"/api/v1/packages/{uuid}/routes")).json()
    expected = {"templatePath": "/v2/{version}", "outgoingUrl": "https://e.example/{version}"}
    assert {"id": created.json()["id"], **expected} in v1


async def test_empty_bodies_for_hidden_things(http):
    for path in ("/v2/organizations/hidden-labs", "/v2/users/nobody", "/v2/tracking-pixels/hidden-labs/x"):
        answer = await http.get(path)
        assert (answer.status_code, answer.content) == (404, b"")


async def test_aggregates_roll_up_and_rename(http, fleet_store):
    params = [("start_date", "2026-10-01"), ("end_date", "2026-11-01"), ("rollup", "monthly"),
              ("breakdown", "by-total"), ("breakdown", "by-referer")]
    answer = await http.get("/v2/packages/tinytools/aggregates", params=params)
    rows = [json.loads(line) for line in answer.text.splitlines()]
    assert {r["breakdown"] for r in rows} == {"by-total", "by-referer"}
    assert {r["rollup"] for r in rows} == {"monthly"} and {r["date"] for r in rows} == {"2026-10-01"}
    totals = [r for r in rows if r["breakdown"] == "by-total"]
    assert all("artifact" in r and r["total_unique"] <= r["total"] for r in totals)


async def test_bare_lists_the_spec_pages_take_after_and_per_page(http, fleet_store):
    uuid = find_uuid(fleet_store, "acme", "acme-downloads", "file")
    base = f"/v2/packages/acme/{uuid}"
    routes = (await http.get(f"{base}/routes")).json()
    assert isinstance(routes, list) and len(routes) == 3
    first = (await http.get(f"{base}/routes", params={"per_page": 2})).json()
    rest = (await http.get(f"{base}/routes", params={"per_page": 2, "after": first[-1]["id"]})).json()
    end = (await http.get(f"{base}/routes", params={"per_page": 2, "after": rest[-1]["id"]})).json()
    assert [r["id"] for r in first + rest] == [r["id"] for r in routes] and end == []
    grants = (await http.get(f"{base}/permissions")).json()
    after = (await http.get(f"{base}/permissions", params={"after": grants[0]["user_id"]})).json()
    assert after == grants[1:]
    unknown = await http.get(f"{base}/permissions", params={"after": "nobody-here"})
    assert unknown.status_code == 400 and unknown.json() == {"message": "after 'nobody-here' is not in this list."}


async def test_a_pixel_of_a_v1_only_package_shows_no_package_on_v2(http, fleet_store):
    (pixel,) = [px for px in fleet_store.pixels.values() if px.name == "labkit-docs"]
    assert fleet_store.packages[pixel.package]["libraryType"] == "pypi"
    listed = {p["id"]: p for p in (await http.get("/v2/tracking-pixels/openlab")).json()["results"]}
    one = (await http.get(f"/v2/tracking-pixels/openlab/{pixel.id}")).json()
    hits = (await http.post("/v2/search", json={"query": "labkit"})).json()["results"]
    (hit,) = [h["tracking-pixel"] for h in hits if h["type"] == "tracking-pixel"]
    assert "package" not in listed[pixel.id] and "package" not in one and "package" not in hit
    assert all(h["package"]["type"] != "pypi" for h in hits if h["type"] == "package")
    refused = await http.post("/v2/tracking-pixels/openlab", json={"name": "new", "package_id": pixel.package})
    assert refused.status_code == 422 and refused.json() == {"message": "package_id is not a package of this owner."}
