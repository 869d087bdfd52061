"""Package permissions, file-package routes, and file/python package domains."""

from __future__ import annotations

import pytest

from scarf_tui.demo import DEMO_USER


async def test_permissions_list(client, uuid_of):
    response = await client.get(f"/packages/{uuid_of('acme', 'widget-cli')}/permissions")
    assert response.status_code == 200
    grants = response.json()
    assert {g["permissionLevel"] for g in grants} == {"blocked", "default", "member", "admin"}
    assert all(set(g) == {"username", "permissionLevel"} for g in grants)


async def test_permissions_set_single_object_by_email(client, demo_store, uuid_of):
    uuid = uuid_of("acme", "widget-cli")
    response = await client.post(f"/packages/{uuid}/permissions",
                                 json={"userQuery": "grace@example.com", "permissionLevel": "member"})
    assert response.status_code == 200
    assert demo_store.permissions[uuid]["grace"] == "member"
    assert {"username": "grace", "permissionLevel": "member"} in response.json()


async def test_permissions_set_array(client, demo_store, uuid_of):
    uuid = uuid_of("acme", "widget-cli")
    body = [{"userQuery": "linus", "permissionLevel": "blocked"},
            {"userQuery": "EDSGER@example.com", "permissionLevel": "admin"}]
    assert (await client.post(f"/packages/{uuid}/permissions", json=body)).status_code == 200
    assert demo_store.permissions[uuid]["linus"] == "blocked"
    assert demo_store.permissions[uuid]["edsger"] == "admin"
    listed = (await client.get(f"/packages/{uuid}/permissions")).json()
    assert {"username": "edsger", "permissionLevel": "admin"} in listed


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"userQuery": "nobody@example.com", "permissionLevel": "member"}, "userQuery"),
        ({"userQuery": "grace", "permissionLevel": "owner"}, "permissionLevel"),
        ({"permissionLevel": "member"}, "userQuery"),
        ({"userQuery": "grace"}, "permissionLevel"),
        ([{"userQuery": "grace", "permissionLevel": "admin"}, {"userQuery": "ghost", "permissionLevel": "admin"}],
         "userQuery"),
    ],
)
async def test_permissions_validation_is_all_or_nothing(client, demo_store, uuid_of, body, field):
    uuid = uuid_of("acme", "widget-cli")
    before = dict(demo_store.permissions[uuid])
    response = await client.post(f"/packages/{uuid}/permissions", json=body)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert demo_store.permissions[uuid] == before


async def test_unknown_user_error_names_the_query(client, uuid_of):
    response = await client.post(f"/packages/{uuid_of('acme', 'widget-cli')}/permissions",
                                 json={"userQuery": "ghost@example.com", "permissionLevel": "member"})
    assert "ghost@example.com" in response.json()["errors"]["userQuery"][0]


async def test_permissions_of_personal_owner_cannot_change(client, uuid_of):
    response = await client.post(f"/packages/{uuid_of(DEMO_USER, 'dotfiles')}/permissions",
                                 json={"userQuery": DEMO_USER, "permissionLevel": "blocked"})
    assert response.status_code == 422


async def test_permissions_write_needs_admin(client, uuid_of, demo_store):
    uuid = uuid_of("hidden-labs", "secret-sauce")
    assert (await client.get(f"/packages/{uuid}/permissions")).status_code == 200
    response = await client.post(
        f"/packages/{uuid}/permissions", json={"userQuery": "grace", "permissionLevel": "admin"}
    )
    assert response.status_code == 403
    assert "grace" not in demo_store.permissions[uuid]


# --- routes ---


async def test_routes_list_has_template_variables(client, uuid_of):
    response = await client.get(f"/packages/{uuid_of('acme', 'acme-downloads')}/routes")
    assert response.status_code == 200
    routes = response.json()
    assert all(set(r) == {"id", "outgoingUrl", "templatePath"} for r in routes)
    assert {"templatePath": "/project/{platform}/{version}/file.tar.gz",
            "outgoingUrl": "https://example.com/downloads/{platform}/project-{version}.tar.gz"} in [
        {k: r[k] for k in ("templatePath", "outgoingUrl")} for r in routes]
    assert any("{+path}" in r["templatePath"] for r in routes)


async def test_create_and_delete_route(client, demo_store, uuid_of):
    uuid = uuid_of("acme", "acme-downloads")
    body = {"templatePath": "/nightly/{platform}.tgz", "outgoingUrl": "https://ci.acme.example/{platform}/latest.tgz"}
    response = await client.post(f"/packages/{uuid}/routes", json=body)
    assert response.status_code == 201
    route = response.json()
    assert route in demo_store.routes[uuid]
    again = await client.post(f"/packages/{uuid}/routes", json=body)
    assert again.status_code == 422 and "templatePath" in again.json()["errors"]
    assert (await client.delete(f"/packages/{uuid}/routes/{route['id']}")).status_code == 204
    assert route not in demo_store.routes[uuid]
    assert (await client.delete(f"/packages/{uuid}/routes/{route['id']}")).status_code == 404


async def test_route_missing_variables_code(client, demo_store, uuid_of):
    uuid = uuid_of("acme", "acme-downloads")
    count = len(demo_store.routes[uuid])
    body = {"templatePath": "/dl/{version}", "outgoingUrl": "https://x.example/{platform}/{version}"}
    response = await client.post(f"/packages/{uuid}/routes", json=body)
    assert response.status_code == 422
    payload = response.json()
    assert payload["code"] == "incoming-path-missing-variables"
    assert "{platform}" in payload["message"]
    assert len(demo_store.routes[uuid]) == count


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"templatePath": "dl/{v}", "outgoingUrl": "https://x.example/{v}"}, "templatePath"),
        ({"templatePath": "/dl/{v", "outgoingUrl": "https://x.example/"}, "templatePath"),
        ({"templatePath": "/dl", "outgoingUrl": "ftp://x.example/file"}, "outgoingUrl"),
        ({"templatePath": "/dl"}, "outgoingUrl"),
        ({"outgoingUrl": "https://x.example/"}, "templatePath"),
    ],
)
async def test_route_validation(client, uuid_of, body, field):
    response = await client.post(f"/packages/{uuid_of('acme', 'acme-downloads')}/routes", json=body)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]


@pytest.mark.parametrize(("owner", "name"), [("acme", "widget-cli"), ("acme", "acme-py")])
async def test_routes_only_for_file_packages(client, uuid_of, owner, name):
    uuid = uuid_of(owner, name)
    assert (await client.get(f"/packages/{uuid}/routes")).status_code == 400
    response = await client.post(f"/packages/{uuid}/routes", json={"templatePath": "/a", "outgoingUrl": "https://a.example/"})
    assert response.status_code == 400
    assert "file" in response.json()["error"]


async def test_route_write_needs_admin(client, uuid_of):
    uuid = uuid_of("tinytools", "tiny-releases")
    assert (await client.get(f"/packages/{uuid}/routes")).status_code == 200
    response = await client.post(f"/packages/{uuid}/routes", json={"templatePath": "/a", "outgoingUrl": "https://a.example/"})
    assert response.status_code == 403


# --- domains ---


@pytest.mark.parametrize(("owner", "name"), [("acme", "acme-downloads"), ("acme", "acme-py")])
async def test_domains_list(client, uuid_of, owner, name):
    response = await client.get(f"/packages/{uuid_of(owner, name)}/domains")
    assert response.status_code == 200
    domains = response.json()
    assert domains and all(set(d) == {"id", "name"} for d in domains)


async def test_create_and_delete_domain(client, demo_store, uuid_of):
    uuid = uuid_of("acme", "acme-py")
    response = await client.post(f"/packages/{uuid}/domains", json={"name": "Pkgs.Acme.example "})
    assert response.status_code == 201
    domain = response.json()
    assert domain["name"] == "pkgs.acme.example"
    assert domain in demo_store.domains[uuid]
    assert (await client.delete(f"/packages/{uuid}/domains/{domain['id']}")).status_code == 204
    assert domain not in demo_store.domains[uuid]
    assert (await client.delete(f"/packages/{uuid}/domains/{domain['id']}")).status_code == 404


@pytest.mark.parametrize(
    ("name", "message"),
    [("not a domain", "is not a valid domain name"), ("downloads.acme.example", "is already used by a package"),
     (None, "is required")],
)
async def test_domain_validation(client, uuid_of, name, message):
    response = await client.post(f"/packages/{uuid_of('acme', 'acme-installer')}/domains", json={"name": name})
    assert response.status_code == 422
    assert message in response.json()["errors"]["name"][0]


async def test_domains_not_for_npm(client, uuid_of):
    uuid = uuid_of("acme", "widget-cli")
    assert (await client.get(f"/packages/{uuid}/domains")).status_code == 400
    assert (await client.post(f"/packages/{uuid}/domains", json={"name": "w.example.com"})).status_code == 400
