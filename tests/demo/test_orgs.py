"""Organizations, their packages and their members."""

from __future__ import annotations

import pytest

from scarf_tui.demo import DEMO_USER

ORG_FIELDS = {"name", "description", "website", "billingEmail", "createdAt", "updatedAt"}


async def test_get_org_has_every_field(client):
    response = await client.get("/organizations/acme")
    assert response.status_code == 200
    org = response.json()
    assert set(org) == ORG_FIELDS
    assert org["name"] == "acme" and org["billingEmail"] == "billing@acme.example"


async def test_org_without_website_has_null(client):
    assert (await client.get("/organizations/tinytools")).json()["website"] is None


@pytest.mark.parametrize("name", ["hidden-labs", "no-such-org"])
async def test_orgs_you_are_not_in_look_missing(client, name):
    response = await client.get(f"/organizations/{name}")
    assert response.status_code == 404
    assert name in response.json()["error"]


async def test_create_org_makes_caller_owner(client, demo_store):
    body = {"name": "newco", "description": "A new company", "billingEmail": "pay@newco.example",
            "website": "https://newco.example", "unexpected": "ignored"}
    response = await client.post("/organizations", json=body)
    assert response.status_code == 201
    assert response.json()["name"] == "newco"
    assert "unexpected" not in response.json()
    assert demo_store.orgs["newco"]["billingEmail"] == "pay@newco.example"
    assert demo_store.members["newco"] == {DEMO_USER: "owner"}
    assert (await client.get("/organizations/newco")).status_code == 200


async def test_create_org_reports_each_missing_field(client):
    response = await client.post("/organizations", json={"website": "https://x.example"})
    assert response.status_code == 422
    assert response.json() == {"errors": {
        "name": ["is required"], "description": ["is required"], "billingEmail": ["is required"],
    }}


async def test_create_org_rejects_taken_name_and_bad_email(client):
    response = await client.post(
        "/organizations", json={"name": "acme", "description": "", "billingEmail": "not-an-email"}
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["name"] == ["is already taken"]
    assert errors["billingEmail"] == ["is not a valid email address"]


async def test_bad_json_body_is_400(client):
    response = await client.post("/organizations", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["error"]


async def test_non_object_body_is_400(client):
    response = await client.post("/organizations", json=["acme"])
    assert response.status_code == 400


async def test_update_org(client, demo_store):
    before = dict(demo_store.orgs["acme"])
    body = {"name": "acme", "description": "Changed", "billingEmail": "billing@acme.example"}
    response = await client.put("/organizations/acme", json=body)
    assert response.status_code == 200
    assert demo_store.orgs["acme"]["description"] == "Changed"
    assert demo_store.orgs["acme"]["website"] == before["website"]  # absent key keeps its value
    assert demo_store.orgs["acme"]["updatedAt"] != before["updatedAt"]


async def test_update_org_rename_moves_packages_and_members(client, demo_store):
    body = {"name": "acme2", "description": "x", "billingEmail": "billing@acme.example"}
    assert (await client.put("/organizations/acme", json=body)).status_code == 200
    assert "acme" not in demo_store.orgs and "acme2" in demo_store.orgs
    assert demo_store.members["acme2"][DEMO_USER] == "owner"
    names = {p["name"] for p in (await client.get("/organizations/acme2/packages")).json()}
    assert "widget-cli" in names


async def test_plain_member_cannot_update_org(client, demo_store):
    body = {"name": "tinytools", "description": "mine now", "billingEmail": "a@b.example"}
    response = await client.put("/organizations/tinytools", json=body)
    assert response.status_code == 403
    assert demo_store.orgs["tinytools"]["description"] == "Small, sharp utilities."


async def test_update_org_validates(client):
    response = await client.put("/organizations/acme", json={"name": "acme", "billingEmail": "x@y.example"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"description": ["is required"]}


async def test_list_org_packages(client):
    response = await client.get("/organizations/openlab/packages")
    assert response.status_code == 200
    packages = response.json()
    assert {p["owner"] for p in packages} == {"openlab"}
    assert {"labkit", "datasets", "lab-index"} <= {p["name"] for p in packages}


async def test_create_org_package(client, demo_store):
    body = {"name": "gizmo", "shortDescription": "Gizmos", "libraryType": "npm"}
    response = await client.post("/organizations/acme/packages", json=body)
    assert response.status_code == 201
    pkg = response.json()
    assert pkg["owner"] == "acme" and pkg["libraryType"] == "npm"
    assert demo_store.packages[pkg["uuid"]]["name"] == "gizmo"


async def test_member_cannot_create_org_package(client):
    response = await client.post("/organizations/tinytools/packages", json={"name": "x", "shortDescription": "y"})
    assert response.status_code == 403


async def test_list_members(client):
    response = await client.get("/organizations/acme/users")
    assert response.status_code == 200
    members = response.json()
    assert {"organizationName": "acme", "username": DEMO_USER, "role": "owner"} in members
    assert {m["role"] for m in members} == {"owner", "admin", "member"}


async def test_upsert_member_adds_and_changes_role(client, demo_store):
    response = await client.post("/organizations/acme/users", json={"username": "edsger", "role": "member"})
    assert response.status_code == 200
    assert response.json() == {"organizationName": "acme", "username": "edsger", "role": "member"}
    assert demo_store.members["acme"]["edsger"] == "member"
    await client.post("/organizations/acme/users", json={"username": "edsger", "role": "admin"})
    assert demo_store.members["acme"]["edsger"] == "admin"


async def test_upsert_member_by_email(client, demo_store):
    response = await client.post("/organizations/acme/users", json={"username": "ada@example.org", "role": "member"})
    assert response.status_code == 200
    assert demo_store.members["acme"]["ada"] == "member"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"username": "grace", "role": "boss"}, "role", "must be one of member, admin, owner"),
        ({"username": "nobody", "role": "member"}, "username", "no Scarf user is named 'nobody'"),
        ({"role": "member"}, "username", "is required"),
        ({"username": "grace"}, "role", "is required"),
    ],
)
async def test_upsert_member_validation(client, demo_store, body, field, message):
    response = await client.post("/organizations/acme/users", json=body)
    assert response.status_code == 422
    assert response.json()["errors"][field] == [message]
    assert demo_store.members["acme"]["grace"] == "admin"


async def test_last_owner_cannot_be_demoted_or_removed(client, demo_store):
    response = await client.post("/organizations/acme/users", json={"username": DEMO_USER, "role": "admin"})
    assert response.status_code == 422
    assert (await client.delete(f"/organizations/acme/users/{DEMO_USER}")).status_code == 409
    assert demo_store.members["acme"][DEMO_USER] == "owner"


async def test_admin_cannot_touch_owners(client, demo_store):
    response = await client.post("/organizations/openlab/users", json={"username": "linus", "role": "owner"})
    assert response.status_code == 403
    assert (await client.delete("/organizations/openlab/users/ada")).status_code == 403
    assert demo_store.members["openlab"]["linus"] == "member"


async def test_remove_member(client, demo_store):
    response = await client.delete("/organizations/acme/users/alan")
    assert response.status_code == 204
    assert response.content == b""
    assert "alan" not in demo_store.members["acme"]
    assert (await client.delete("/organizations/acme/users/alan")).status_code == 404
