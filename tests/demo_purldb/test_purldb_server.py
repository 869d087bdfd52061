"""The embedded PurlDB server over raw HTTP: list shape and page-number pagination, filters,
details at both documented paths, actions, the API key, and faults."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from scarf_tui.demo.faults import Faults
from scarf_tui.demo.purldb import PurldbStore, build_purldb_store, create_purldb_app
from scarf_tui.demo.purldb.data import EXAMPLE_UUID, NOT_IN_PURLDB


@pytest.fixture
def store() -> PurldbStore:
    return build_purldb_store()


@pytest.fixture
def faults() -> Faults:
    return Faults()


@pytest.fixture
async def http(store, faults) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_purldb_app(store, faults))
    async with httpx.AsyncClient(transport=transport, base_url="http://purldb.test") as client:
        yield client


async def test_list_shape_and_links(http, store):
    first = (await http.get("/api/packages/")).json()
    assert first["count"] == len(store.records) and first["previous"] is None
    assert first["next"] == "http://purldb.test/api/packages/?page=2"
    item = first["results"][0]
    assert item["url"] == f"http://purldb.test/api/packages/{item['uuid']}/"
    assert item["history"] == item["url"] + "history/" and item["resources"] == item["url"] + "resources/"
    second = (await http.get("/api/packages/?page=2")).json()
    assert second["previous"] == "http://purldb.test/api/packages/"
    third = (await http.get("/api/packages/?page=3")).json()
    assert third["previous"] == "http://purldb.test/api/packages/?page=2"


async def test_walk_every_page(http, store):
    url: str | None = "/api/packages/?type=pypi&page_size=3"
    names = []
    while url:
        page = (await http.get(url)).json()
        names.extend(r["purl"] for r in page["results"])
        url = page["next"]
    assert len(names) == sum(1 for r in store.records if r.fields["type"] == "pypi")
    assert all(n.startswith("pkg:pypi/") for n in names)


async def test_invalid_page(http):
    for query in ("page=0", "page=999", "page=two"):
        answer = await http.get(f"/api/packages/?{query}")
        assert answer.status_code == 404 and answer.json() == {"detail": "Invalid page."}


async def test_filters(http):
    scoped = (await http.get("/api/packages/", params={"namespace": "@acme", "name": "ui-kit"})).json()
    assert [r["purl"] for r in scoped["results"]] == ["pkg:npm/%40acme/ui-kit@1.0.0", "pkg:npm/%40acme/ui-kit@1.1.0"]
    day = (await http.get("/api/packages/", params={"release_date": "2023-02-01"})).json()
    assert EXAMPLE_UUID in [r["uuid"] for r in day["results"]]
    by_purl = (await http.get("/api/packages/", params={"package_url": "pkg:npm/%40acme/ui-kit"})).json()
    assert by_purl["count"] == 2
    ignored = (await http.get("/api/packages/", params={"colour": "red"})).json()
    assert ignored["count"] > 2
    bad = await http.get("/api/packages/", params={"size": "big"})
    assert bad.status_code == 400 and bad.json() == {"errors": {"size": ["Enter a whole number."]}}


async def test_not_in_purldb_names_are_absent(http):
    for key in NOT_IN_PURLDB:
        name = key.split("/")[1]
        answer = (await http.get("/api/packages/", params={"name": name})).json()
        assert answer["count"] == 0, key


async def test_details_at_both_paths_and_slash_forms(http):
    packages = (await http.get(f"/api/packages/{EXAMPLE_UUID}/")).json()
    assert packages["purl"] == "pkg:maven/org.elasticsearch/elasticsearch-cli@7.17.9"
    assert (await http.get(f"/api/packages/{EXAMPLE_UUID}")).json() == packages
    assert (await http.get(f"/api/projects/{EXAMPLE_UUID}/")).json() == packages
    missing = await http.get("/api/packages/nope/")
    assert missing.status_code == 404 and missing.json() == {"detail": "Not found."}


async def test_actions(http, store):
    base = f"/api/packages/{EXAMPLE_UUID}"
    history = (await http.get(base + "/history/")).json()
    assert history["history"][0]["timestamp"] == "2023-04-28-20:55:59"
    resources = (await http.get(base + "/resources/")).json()
    assert resources["count"] == 4 and resources["next"] is None
    enhanced = (await http.get(base + "/get_enhanced_package_data/")).json()
    assert "uuid" not in enhanced and enhanced["purl"].startswith("pkg:maven/")
    status = (await http.get(base + "/reindex_package/")).json()
    assert status == {"status": "pkg:maven/org.elasticsearch/elasticsearch-cli@7.17.9 has been queued for reindexing"}
    assert store.reindexed == [EXAMPLE_UUID]
    assert (await http.get("/api/")).json() == {"packages": "http://purldb.test/api/packages/"}


async def test_api_key(http, store):
    store.api_key = "key-abcdef123456"
    missing = await http.get("/api/packages/")
    assert missing.status_code == 401 and missing.json() == {"detail": "Authentication credentials were not provided."}
    wrong = await http.get("/api/packages/", headers={"Authorization": "Token nope"})
    assert wrong.status_code == 401 and wrong.json() == {"detail": "Invalid token."}
    right = await http.get("/api/packages/", headers={"Authorization": "Token key-abcdef123456"})
    assert right.status_code == 200


async def test_faults(http, faults):
    faults.error_rate = 1.0
    answer = await http.get("/api/packages/")
    assert answer.status_code in (500, 503)
    assert answer.json()["error"] in ("Internal server error.", "Service temporarily unavailable.")
