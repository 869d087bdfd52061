"""Packages: listing, lookup by uuid or name, create/update/delete and their validation."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from scarf_tui.demo import DEMO_USER

PACKAGE_REQUIRED = {"uuid", "owner", "name", "shortDescription", "createdAt"}


async def test_list_packages_is_what_the_caller_can_see(client, demo_store):
    response = await client.get("/packages")
    assert response.status_code == 200
    packages = response.json()
    assert all(PACKAGE_REQUIRED <= set(p) for p in packages)
    by_name = {(p["owner"], p["name"]) for p in packages}
    assert ("acme", "widget-cli") in by_name  # org owner
    assert ("tinytools", "tinylog") in by_name  # org member
    assert (DEMO_USER, "dotfiles") in by_name  # personal
    assert ("hidden-labs", "secret-sauce") in by_name  # explicit "default" grant
    assert ("grace", "grace-lib") in by_name  # explicit "member" grant
    assert ("hidden-labs", "nightshade") not in by_name
    assert ("visitor", "visitor-notes") not in by_name
    assert len(packages) == len(demo_store.visible_packages(DEMO_USER)) >= 30


async def test_every_library_type_is_listed(client):
    types = {p.get("libraryType") for p in (await client.get("/packages")).json()}
    assert {"docker", "npm", "hackage", "pypi", "python", "other", "file"} <= types


async def test_optional_fields_absent_or_null(client, uuid_of):
    rocket = (await client.get(f"/packages/{uuid_of('acme', 'rocket-hs')}")).json()
    assert "website" not in rocket and "longDescription" not in rocket
    sdk = (await client.get(f"/packages/{uuid_of('acme', 'acme-sdk')}")).json()
    assert sdk["longDescription"] is None and sdk["website"].startswith("https://")


async def test_get_by_uuid(client, uuid_of):
    uuid = uuid_of("acme", "widget-cli")
    response = await client.get(f"/packages/{uuid}")
    assert response.status_code == 200
    assert response.json()["name"] == "widget-cli"
    assert "\n" in response.json()["longDescription"]


async def test_get_by_unique_name(client):
    response = await client.get("/packages/widget-cli")
    assert response.status_code == 200
    assert response.json()["owner"] == "acme"


async def test_ambiguous_name_needs_package_type(client, uuid_of):
    response = await client.get("/packages/widget")
    assert response.status_code == 409
    assert "packageType" in response.json()["error"]
    docker = await client.get("/packages/widget", params={"packageType": "docker"})
    assert docker.status_code == 200 and docker.json()["uuid"] == uuid_of("acme", "widget", "docker")
    pypi = await client.get("/packages/widget", params={"packageType": "pypi"})
    assert pypi.json()["owner"] == DEMO_USER


async def test_name_shared_within_one_org_is_disambiguated_by_type(client):
    assert (await client.get("/packages/labkit")).status_code == 409
    assert (await client.get("/packages/labkit?packageType=docker")).json()["libraryType"] == "docker"


async def test_package_type_errors(client):
    assert (await client.get("/packages/widget?packageType=npm")).status_code == 404
    response = await client.get("/packages/widget?packageType=rpm")
    assert response.status_code == 400
    assert "packageType" in response.json()["error"]


async def test_scoped_name_with_slash(client):
    response = await client.get("/packages/" + quote("@acme/ui-kit", safe=""))
    assert response.status_code == 200
    assert response.json()["name"] == "@acme/ui-kit"


async def test_invisible_packages_are_404(client, uuid_of):
    assert (await client.get(f"/packages/{uuid_of('hidden-labs', 'nightshade')}")).status_code == 404
    assert (await client.get("/packages/nightshade")).status_code == 404
    assert (await client.get("/packages/00000000-0000-0000-0000-000000000000")).status_code == 404


async def test_blocked_user_cannot_see_package(client_for, uuid_of):
    async with client_for("dennis-token") as dennis:  # blocked on acme/widget-cli
        assert (await dennis.get(f"/packages/{uuid_of('acme', 'widget-cli')}")).status_code == 404
        names = {p["name"] for p in (await dennis.get("/packages")).json()}
        assert "widget-cli" not in names and "tiny-json" in names


async def test_create_personal_package(client, demo_store):
    body = {"name": "new-thing", "shortDescription": "New", "libraryType": "hackage",
            "website": "https://new.example", "extra": {"ignored": True}}
    response = await client.post("/packages", json=body)
    assert response.status_code == 201
    pkg = response.json()
    assert pkg["owner"] == DEMO_USER and pkg["libraryType"] == "hackage" and pkg["longDescription"] is None
    assert set(pkg) == PACKAGE_REQUIRED | {"longDescription", "website", "libraryType"}
    assert demo_store.packages[pkg["uuid"]] == pkg
    assert (await client.get(f"/packages/{pkg['uuid']}")).json() == pkg


async def test_create_package_required_fields(client):
    response = await client.post("/packages", json={"libraryType": "npm"})
    assert response.status_code == 422
    assert response.json() == {"errors": {"name": ["is required"], "shortDescription": ["is required"]}}


async def test_create_package_wrong_types(client):
    response = await client.post("/packages", json={"name": 3, "shortDescription": "x", "libraryType": "rpm"})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["name"] == ["must be a string"]
    assert errors["libraryType"] == ["must be one of docker, npm, hackage, pypi, python, file, other"]


async def test_duplicate_package_name_per_owner_and_type(client):
    response = await client.post(
        "/packages", json={"name": "dotfiles", "shortDescription": "x", "libraryType": "other"}
    )
    assert response.status_code == 422
    assert "name" in response.json()["errors"]
    ok = await client.post("/packages", json={"name": "dotfiles", "shortDescription": "x", "libraryType": "npm"})
    assert ok.status_code == 201


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"backendUrl": "https://ghcr.io/"}, "backendUrl"),  # no path component
        ({"backendUrl": "https://ghcr.io/Acme/Widget"}, "backendUrl"),  # uppercase component
        ({"backendUrl": "ghcr.io/acme/widget"}, "backendUrl"),  # not a URL
        ({"backendUrl": "https://ghcr.io/acme/widget", "publicUrl": "https://d.example/acme/other"}, "publicUrl"),
        ({"publicUrl": "https://d.example/acme/widget"}, "backendUrl"),  # public without backend
    ],
)
async def test_docker_url_rules(client, extra, field):
    body = {"name": "img", "shortDescription": "x", "libraryType": "docker", **extra}
    response = await client.post("/packages", json=body)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]


async def test_docker_urls_accepted_and_kept_out_of_package_v1(client, demo_store):
    body = {"name": "img", "shortDescription": "x", "libraryType": "docker",
            "backendUrl": "https://ghcr.io/acme/img", "publicUrl": "https://docker.acme.example/acme/img"}
    response = await client.post("/packages", json=body)
    assert response.status_code == 201
    assert "backendUrl" not in response.json()
    assert demo_store.package_settings[response.json()["uuid"]]["publicUrl"] == body["publicUrl"]


async def test_docker_urls_refused_for_other_types(client):
    body = {"name": "x", "shortDescription": "x", "libraryType": "npm", "backendUrl": "https://ghcr.io/a/b"}
    response = await client.post("/packages", json=body)
    assert response.status_code == 422
    assert response.json()["errors"]["backendUrl"] == ["is only allowed for docker packages"]


async def test_python_repository_url(client):
    bad = {"name": "py", "shortDescription": "x", "libraryType": "python", "repositoryURL": "pypi simple"}
    response = await client.post("/packages", json=bad)
    assert response.status_code == 422
    assert "repositoryURL" in response.json()["errors"]
    good = dict(bad, repositoryURL="https://pypi.org/simple/")
    assert (await client.post("/packages", json=good)).status_code == 201


async def test_update_package(client, demo_store, uuid_of):
    uuid = uuid_of("acme", "widget-cli")
    website = demo_store.packages[uuid]["website"]
    body = {"name": "widget-cli", "shortDescription": "Changed", "libraryType": "npm", "longDescription": None}
    response = await client.put(f"/packages/{uuid}", json=body)
    assert response.status_code == 200
    stored = demo_store.packages[uuid]
    assert stored["shortDescription"] == "Changed"
    assert stored["longDescription"] is None  # explicit null clears
    assert stored["website"] == website  # absent keeps
    assert response.json() == stored


async def test_library_type_cannot_change(client, demo_store, uuid_of):
    uuid = uuid_of("acme", "widget-cli")
    response = await client.put(
        f"/packages/{uuid}", json={"name": "widget-cli", "shortDescription": "x", "libraryType": "docker"}
    )
    assert response.status_code == 422
    assert response.json()["errors"]["libraryType"] == ["can't be changed after package creation"]
    assert demo_store.packages[uuid]["libraryType"] == "npm"
    assert demo_store.packages[uuid]["shortDescription"] != "x"


async def test_update_requires_admin(client, demo_store, uuid_of):
    uuid = uuid_of("tinytools", "tinyfmt")  # maintainer is only a member of tinytools
    response = await client.put(f"/packages/{uuid}", json={"name": "tinyfmt", "shortDescription": "x"})
    assert response.status_code == 403
    assert demo_store.packages[uuid]["shortDescription"] == "Tiny formatter"
    granted = uuid_of("tinytools", "tiny-json")  # ... but holds an explicit admin grant here
    response = await client.put(f"/packages/{granted}", json={"name": "tiny-json", "shortDescription": "y"})
    assert response.status_code == 200


async def test_delete_package(client, demo_store, uuid_of):
    uuid = uuid_of("acme", "acme-downloads")
    response = await client.delete(f"/packages/{uuid}")
    assert response.status_code == 204
    assert uuid not in demo_store.packages and uuid not in demo_store.routes
    assert (await client.get(f"/packages/{uuid}")).status_code == 404
    assert (await client.delete(f"/packages/{uuid}")).status_code == 404


async def test_delete_requires_admin(client, demo_store, uuid_of):
    uuid = uuid_of("hidden-labs", "secret-sauce")
    assert (await client.delete(f"/packages/{uuid}")).status_code == 403
    assert uuid in demo_store.packages
