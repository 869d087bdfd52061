"""The service interface on both API versions against the embedded server: every read matches
what the store holds, every write is checked in the store afterwards."""

from __future__ import annotations

from datetime import date

import pytest

from scarf_tui.api import Unsupported
from scarf_tui.api.errors import ValidationFailed
from scarf_tui.demo import DEMO_USER
from scarf_tui.demo.v2_common import V2_TYPES, level_v2
from scarf_tui.domain import (
    GrantChange,
    MemberRole,
    OrganizationDraft,
    PackageDraft,
    PermissionLevel,
    RouteDraft,
)

from .conftest import uuid_of


def expected_packages(store, version: str) -> set[str]:
    if version == "v1":
        return {p["uuid"] for p in store.visible_packages(DEMO_USER)}
    owners = {DEMO_USER} | {org for org, members in store.members.items() if DEMO_USER in members}
    return {
        u for u, p in store.packages.items()
        if p["owner"] in owners and p.get("libraryType") in V2_TYPES and level_v2(store, p, DEMO_USER)
    }


async def test_list_packages_is_what_the_store_shows(service, store, version):
    packages = await service.list_packages()
    assert {p.uuid for p in packages} == expected_packages(store, version)
    assert len(packages) == len({p.uuid for p in packages})


async def test_the_fleet_organization_lists_every_package(service, store, version):
    packages = await service.list_org_packages("fleet")
    in_store = [p for p in store.org_packages("fleet") if version == "v1" or p.get("libraryType") in V2_TYPES]
    assert {p.uuid for p in packages} == {p["uuid"] for p in in_store}
    assert len(packages) == (126 if version == "v1" else 120)


async def test_get_package_by_name_and_type(service, store):
    package = await service.get_package("widget", "docker")
    assert (package.owner, package.name, package.library_type) == ("acme", "widget", "docker")
    assert package.uuid == uuid_of(store, "acme", "widget", "docker")


async def test_owner_kind_and_known_organizations(service, version):
    assert await service.owner_kind("acme") == "organization"
    assert await service.owner_kind(DEMO_USER) == "user"
    known = await service.known_organizations(["extra-org"])
    # v1 can't tell "grace" (a person sharing a package) or "hidden-labs" (an organization this
    # account is not in) from an organization; v2 asks users/{name} and knows.
    expected = ["acme", "fleet", "openlab", "tinytools"] + (["grace", "hidden-labs"] if version == "v1" else [])
    assert known == ["extra-org"] + sorted(expected)


async def test_update_organization_reaches_the_store(service, store):
    draft = OrganizationDraft("openlab", "Smaller tools than ever.", "money@openlab.example", "https://open.example")
    org = await service.update_organization("openlab", draft)
    assert org.description == "Smaller tools than ever."
    held = store.orgs["openlab"]
    assert (held["description"], held["billingEmail"], held["website"]) == (
        "Smaller tools than ever.", "money@openlab.example", "https://open.example",
    )


async def test_members_add_change_and_remove(service, store):
    await service.upsert_member("openlab", "dennis", MemberRole.MEMBER)
    assert store.members["openlab"]["dennis"] == "member"
    await service.change_member_role("openlab", "dennis", MemberRole.ADMIN)
    assert store.members["openlab"]["dennis"] == "admin"
    members = {m.username: m.role for m in await service.list_members("openlab")}
    assert members["dennis"] == MemberRole.ADMIN
    await service.remove_member("openlab", "dennis")
    assert "dennis" not in store.members["openlab"]


async def test_package_create_update_delete(service, store):
    draft = PackageDraft(name="fresh-cli", short_description="Fresh", library_type="npm")
    created = await service.create_org_package("openlab", draft)
    assert store.packages[created.uuid]["name"] == "fresh-cli"
    assert store.packages[created.uuid]["libraryType"] == "npm"
    update = PackageDraft(name="fresh-cli", short_description="Fresher", library_type="npm", website="https://f.example")
    updated = await service.update_package(created.uuid, update)
    assert updated.short_description == "Fresher"
    assert store.packages[created.uuid]["shortDescription"] == "Fresher"
    assert store.packages[created.uuid]["website"] == "https://f.example"
    # Emptied in the form: the server no longer holds a website.
    cleared = await service.update_package(created.uuid, PackageDraft(name="fresh-cli", short_description="Fresher",
                                                                      library_type="npm", website=None))
    assert store.packages[created.uuid]["website"] is None and not cleared.website
    await service.delete_package(created.uuid)
    assert created.uuid not in store.packages


async def test_permissions_set_and_remove(service, store, version):
    uuid = uuid_of(store, "acme", "acme-downloads", "file")
    await service.set_permissions(uuid, [GrantChange("alan", PermissionLevel.ADMIN)])
    assert store.permissions[uuid]["alan"] == "admin"
    grants = {g.username: g.level for g in await service.list_permissions(uuid)}
    assert grants["alan"] == PermissionLevel.ADMIN
    if version == "v2":
        assert "ken" not in grants  # v1 "blocked" is no v2 grant
        await service.remove_permission(uuid, "alan")
        assert "alan" not in store.permissions[uuid]
    else:
        assert grants["ken"] == PermissionLevel.BLOCKED
        with pytest.raises(Unsupported) as caught:
            await service.remove_permission(uuid, "alan")
        assert str(caught.value) == "API v1 has no 'remove access': set the level to 'blocked' or 'default' instead."


async def test_routes_and_domains_writes(service, store):
    uuid = uuid_of(store, "acme", "acme-downloads", "file")
    await service.create_route(uuid, RouteDraft("/new/{version}.zip", "https://example.com/{version}.zip"))
    (route,) = [r for r in store.routes[uuid] if r["templatePath"] == "/new/{version}.zip"]
    assert route["outgoingUrl"] == "https://example.com/{version}.zip"
    assert any(r.id == route["id"] for r in await service.list_routes(uuid))
    await service.delete_route(uuid, route["id"])
    assert all(r["id"] != route["id"] for r in store.routes[uuid])

    await service.create_domain(uuid, "more.acme.example")
    (domain,) = [d for d in store.domains[uuid] if d["name"] == "more.acme.example"]
    assert any(d.id == domain["id"] for d in await service.list_domains(uuid))
    await service.delete_domain(uuid, domain["id"])
    assert all(d["id"] != domain["id"] for d in store.domains[uuid])


async def test_aggregates_agree_across_versions(make, store):
    start, end = date(2026, 11, 1), date(2026, 11, 4)
    v2_uuids = {p["uuid"] for p in store.org_packages("tinytools") if p.get("libraryType") in V2_TYPES}
    rows = {}
    for version in ("v1", "v2"):
        found = set()
        async for row in make(version).org_aggregates("tinytools", start, end):
            if row.package in v2_uuids and row.breakdown in ("total", "country", "platform"):
                found.add((row.breakdown, row.date, row.package, row.label, row.total, row.unique_total))
        rows[version] = found
    assert rows["v1"] and rows["v1"] == rows["v2"]


async def test_package_events_agree_across_versions(make, store):
    uuid = uuid_of(store, "acme", "widget-cli", "npm")
    counts = []
    for version in ("v1", "v2"):
        events = [e async for e in make(version).package_events(uuid, date(2026, 11, 1), date(2026, 11, 3))]
        counts.append(len(events))
        assert all(e.package for e in events)
    assert counts[0] == counts[1] > 0


async def test_capabilities_follow_the_version(service, version):
    caps = service.capabilities
    assert caps.version == version
    if version == "v2":
        assert caps.permission_levels == ("member", "admin", "owner") and caps.can_remove_access
        assert caps.pixels and caps.collections and caps.search
    else:
        assert caps.permission_levels == ("blocked", "default", "member", "admin")
        assert not caps.can_remove_access
        with pytest.raises(Unsupported) as caught:
            await service.list_pixels("acme")
        assert str(caught.value) == "Tracking pixels are managed through the Scarf API v2; this account uses v1."


async def test_v2_refuses_a_v1_only_level_other_than_blocked_or_default(v2, store):
    uuid = uuid_of(store, "acme", "acme-downloads", "file")
    with pytest.raises(ValidationFailed) as caught:
        await v2.set_permissions(uuid, [GrantChange("alan", "superuser")])  # type: ignore[arg-type]
    assert str(caught.value) == (
        "API v2 permission levels are member, admin and owner; 'superuser' is not one "
        "(to take access away, remove the user's permission)."
    )
    await v2.set_permissions(uuid, [GrantChange("barbara", PermissionLevel.DEFAULT)])
    assert "barbara" not in store.permissions[uuid]  # "default" means no v2 grant: removed


async def test_v2_asks_for_a_username_where_v1_takes_an_email(make, store):
    uuid = uuid_of(store, "acme", "acme-downloads", "file")
    await make("v1").set_permissions(uuid, [GrantChange("alan@example.com", PermissionLevel.MEMBER)])
    assert store.permissions[uuid]["alan"] == "member"
    with pytest.raises(ValidationFailed) as caught:
        await make("v2").set_permissions(uuid, [GrantChange("ada@example.org", PermissionLevel.MEMBER)])
    assert str(caught.value) == "API v2 finds users by username only, not by email: enter the Scarf username."
    assert "ada" not in store.permissions[uuid]


async def test_clearing_an_organizations_website(service, store, version):
    assert store.orgs["openlab"].get("website")
    draft = OrganizationDraft("openlab", "No site now.", "money@openlab.example", None)
    org = await service.update_organization("openlab", draft)
    assert org.website is None and store.orgs["openlab"]["website"] is None
    assert (await service.get_organization("openlab")).website is None


def test_a_v2_organization_body_never_holds_null():
    from scarf_tui.api.v2_bodies import organization_to_v2

    body = organization_to_v2(OrganizationDraft("openlab", "", "money@openlab.example", None))
    assert body == {"name": "openlab", "billing_email": "money@openlab.example", "description": "", "website": ""}
