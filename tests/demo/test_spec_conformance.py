"""Every endpoint of the v1 seed, walked once over the demo server: method, path, status and the
exact field names of every answer (required fields present, nothing outside the seed's table).

The field tables below are copied from seeds/000 by hand, on purpose: they are the spec, not our
code, so a renamed or extra field in the server fails here.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from scarf_tui.demo.store import DemoStore

from .test_export import BREAKDOWN_FIELDS  # the fields each breakdown may carry

# (required, optional) field names of each v1 object, as the seed's tables list them.
ORGANIZATION_V1 = ({"name", "description", "billingEmail", "createdAt", "updatedAt"}, {"website"})
MEMBER_V1 = ({"organizationName", "username", "role"}, set())
PACKAGE_V1 = (
    {"uuid", "owner", "name", "shortDescription", "createdAt"},
    {"longDescription", "website", "libraryType"},
)
PERMISSION_GET_V1 = ({"username", "permissionLevel"}, set())
ROUTE_V1 = ({"id", "outgoingUrl", "templatePath"}, set())
DOMAIN_V1 = ({"id", "name"}, set())
AGGREGATE_V1 = (
    {"breakdown", "date", "package", "total"},
    {
        "company_name", "company_domain", "cloud_provider_name", "cloud_provider_domain", "country",
        "platform", "version", "client", "client_version", "variable", "value", "unique_total",
    },
)  # fmt: skip
EVENT_CSV_LEADING = [
    "type", "package", "version", "time", "referer", "user_agent", "variables", "origin_id",
    "origin_latitude", "origin_longitude", "origin_country", "origin_city", "origin_postal",
    "origin_company", "origin_domain", "origin_connection_type",
]  # fmt: skip
LIBRARY_TYPES = {"docker", "npm", "hackage", "pypi", "other", "python", "file"}
PERMISSION_LEVELS = {"blocked", "default", "member", "admin"}
ROLES = {"member", "admin", "owner"}


def assert_shape(obj: object, shape: tuple[set[str], set[str]]) -> None:
    required, optional = shape
    assert isinstance(obj, dict), obj
    assert required <= obj.keys(), required - obj.keys()
    assert obj.keys() <= required | optional, obj.keys() - required - optional


def assert_list_of(answer: list, shape: tuple[set[str], set[str]]) -> None:
    assert isinstance(answer, list) and answer
    for item in answer:
        assert_shape(item, shape)


def package_uuid(store: DemoStore, owner: str, kind: str) -> str:
    return next(u for u, p in store.packages.items() if p["owner"] == owner and p["libraryType"] == kind)


async def test_organization_endpoints(client) -> None:
    got = await client.get("/organizations/acme")
    assert got.status_code == 200
    assert_shape(got.json(), ORGANIZATION_V1)

    body = {"name": "spec-org", "description": "d", "billingEmail": "b@spec.example"}
    created = await client.post("/organizations", json=body)
    assert created.status_code == 201
    assert_shape(created.json(), ORGANIZATION_V1)

    updated = await client.put("/organizations/spec-org", json={**body, "website": "https://spec.example"})
    assert updated.status_code == 200
    assert_shape(updated.json(), ORGANIZATION_V1)
    assert updated.json()["website"] == "https://spec.example"

    packages = await client.get("/organizations/acme/packages")
    assert packages.status_code == 200
    assert_list_of(packages.json(), PACKAGE_V1)

    new_package = await client.post(
        "/organizations/spec-org/packages", json={"name": "spec-pkg", "shortDescription": "s", "libraryType": "npm"}
    )
    assert new_package.status_code == 201
    assert_shape(new_package.json(), PACKAGE_V1)
    assert new_package.json()["owner"] == "spec-org"


async def test_membership_endpoints(client, demo_store: DemoStore) -> None:
    members = await client.get("/organizations/acme/users")
    assert members.status_code == 200
    assert_list_of(members.json(), MEMBER_V1)
    assert {m["role"] for m in members.json()} <= ROLES

    upserted = await client.post("/organizations/acme/users", json={"username": "ada", "role": "member"})
    assert upserted.status_code in (200, 201)
    assert demo_store.members["acme"]["ada"] == "member"

    removed = await client.delete("/organizations/acme/users/ada")
    assert removed.status_code in (200, 204)
    assert "ada" not in demo_store.members["acme"]


async def test_package_endpoints(client, demo_store: DemoStore) -> None:
    listed = await client.get("/packages")
    assert listed.status_code == 200
    assert_list_of(listed.json(), PACKAGE_V1)
    assert {p.get("libraryType") for p in listed.json()} - {None} <= LIBRARY_TYPES

    docker = package_uuid(demo_store, "acme", "docker")
    by_uuid = await client.get(f"/packages/{docker}")
    assert by_uuid.status_code == 200 and by_uuid.json()["uuid"] == docker
    name = demo_store.packages[docker]["name"]
    by_name_and_type = await client.get(f"/packages/{name}", params={"packageType": "docker"})
    assert by_name_and_type.status_code == 200
    assert by_name_and_type.json()["uuid"] == docker

    created = await client.post(
        "/packages",
        json={
            "name": "spec-image",
            "shortDescription": "s",
            "libraryType": "docker",
            "backendUrl": "https://ghcr.io/spec/image",
            "publicUrl": "https://docker.spec.example/spec/image",
        },
    )
    assert created.status_code == 201
    assert_shape(created.json(), PACKAGE_V1)  # backendUrl/publicUrl are upsert-only
    uuid = created.json()["uuid"]

    updated = await client.put(f"/packages/{uuid}", json={"name": "spec-image", "shortDescription": "s2"})
    assert updated.status_code == 200 and updated.json()["shortDescription"] == "s2"

    deleted = await client.delete(f"/packages/{uuid}")
    assert deleted.status_code in (200, 204)
    assert uuid not in demo_store.packages


async def test_permission_endpoints_take_one_object_or_an_array(client, demo_store: DemoStore) -> None:
    uuid = package_uuid(demo_store, "acme", "docker")
    listed = await client.get(f"/packages/{uuid}/permissions")
    assert listed.status_code == 200
    assert_list_of(listed.json(), PERMISSION_GET_V1)
    assert {g["permissionLevel"] for g in listed.json()} <= PERMISSION_LEVELS

    single = await client.post(f"/packages/{uuid}/permissions", json={"userQuery": "ken", "permissionLevel": "member"})
    assert single.status_code in (200, 201, 204)
    assert demo_store.permissions[uuid]["ken"] == "member"

    several = await client.post(
        f"/packages/{uuid}/permissions",
        json=[{"userQuery": "ken", "permissionLevel": "blocked"}, {"userQuery": "alan", "permissionLevel": "admin"}],
    )
    assert several.status_code in (200, 201, 204)
    assert (demo_store.permissions[uuid]["ken"], demo_store.permissions[uuid]["alan"]) == ("blocked", "admin")

    for level in sorted(PERMISSION_LEVELS):
        answer = await client.post(f"/packages/{uuid}/permissions", json={"userQuery": "ken", "permissionLevel": level})
        assert answer.status_code in (200, 201, 204), level
    refused = await client.post(f"/packages/{uuid}/permissions", json={"userQuery": "ken", "permissionLevel": "owner"})
    assert refused.status_code == 422  # owner is a member role, not a permission level


async def test_route_and_domain_endpoints(client, demo_store: DemoStore) -> None:
    file_package = package_uuid(demo_store, "acme", "file")
    routes = await client.get(f"/packages/{file_package}/routes")
    assert routes.status_code == 200
    assert_list_of(routes.json(), ROUTE_V1)
    route = await client.post(
        f"/packages/{file_package}/routes",
        json={"templatePath": "/spec/{version}/x.tgz", "outgoingUrl": "https://spec.example/{version}/x.tgz"},
    )
    assert route.status_code == 201
    assert_shape(route.json(), ROUTE_V1)
    gone = await client.delete(f"/packages/{file_package}/routes/{route.json()['id']}")
    assert gone.status_code in (200, 204)

    for kind in ("file", "python"):  # the seed lists domains under file and python packages
        uuid = package_uuid(demo_store, "acme", kind)
        domains = await client.get(f"/packages/{uuid}/domains")
        assert domains.status_code == 200
        assert_list_of(domains.json(), DOMAIN_V1)
        domain = await client.post(f"/packages/{uuid}/domains", json={"name": f"{kind}.spec.example"})
        assert domain.status_code == 201
        assert_shape(domain.json(), DOMAIN_V1)
        gone = await client.delete(f"/packages/{uuid}/domains/{domain.json()['id']}")
        assert gone.status_code in (200, 204)


async def test_aggregates_endpoints_and_breakdown_fields(client, demo_store: DemoStore) -> None:
    start = demo_store.today - timedelta(days=3)
    params = {"startDate": start.isoformat(), "endDate": demo_store.today.isoformat()}
    rows = []
    for path in ("/organizations/acme/aggregates", "/users/maintainer/aggregates"):
        answer = await client.get(path, params=params)
        assert answer.status_code == 200
        rows += [json.loads(line) for line in answer.text.splitlines() if line.strip()]
    breakdowns = {row["breakdown"] for row in rows}
    assert breakdowns == set(BREAKDOWN_FIELDS)
    for row in rows:
        assert_shape(row, AGGREGATE_V1)
        assert row.keys() - {"breakdown", "date", "package", "total"} <= BREAKDOWN_FIELDS[row["breakdown"]], row
        kind = demo_store.packages[row["package"]]["libraryType"]
        if row["breakdown"] == "version":
            assert kind == "docker"  # "docker packages only"
        if row["breakdown"] == "variable":
            assert kind == "file"  # "file packages only"
    # startDate inclusive, endDate exclusive.
    assert {row["date"] for row in rows} == {(start + timedelta(days=i)).isoformat() for i in range(3)}


async def test_event_paths_share_the_seed_header_and_the_date_rules(client, demo_store: DemoStore) -> None:
    uuid = package_uuid(demo_store, "acme", "docker")
    owner = demo_store.packages[uuid]["owner"]
    day = demo_store.today - timedelta(days=2)
    params = {"startDate": day.isoformat(), "endDate": (day + timedelta(days=1)).isoformat()}
    for path in (
        f"/packages/{uuid}/events/anything.csv",  # the Scarf API v1 reference
        f"/packages/{owner}/{uuid}/events/anything.csv",  # the later v1 page's path with {ownerName}
        "/pixels/events/anything.csv",
    ):
        answer = await client.get(path, params=params)
        assert answer.status_code == 200, path
        rows = list(csv.reader(io.StringIO(answer.text)))
        assert rows[0][: len(EVENT_CSV_LEADING)] == EVENT_CSV_LEADING
        times = {row[rows[0].index("time")][:10] for row in rows[1:]}
        assert times == {day.isoformat()}, path  # only the start day: the end is exclusive

        wide = {"startDate": day.isoformat(), "endDate": (day + timedelta(days=32)).isoformat()}
        assert (await client.get(path, params=wide)).status_code == 400  # at most 31 days
