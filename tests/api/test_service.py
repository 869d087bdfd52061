"""Every ScarfService method against the embedded server (in-process), checked against what
the server's store holds."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import httpx
import pytest

from scarf_tui.api import make_service
from scarf_tui.api.errors import AuthError, NotFound, ValidationFailed
from scarf_tui.domain import (
    GrantChange,
    MemberRole,
    OrganizationDraft,
    PackageDraft,
    PermissionLevel,
    RouteDraft,
)

# --- organizations -------------------------------------------------------------------------------


async def test_get_organization(service, demo_store) -> None:
    org = await service.get_organization("acme")
    wire = demo_store.orgs["acme"]
    assert (org.name, org.description, org.billing_email, org.website) == (
        wire["name"], wire["description"], wire["billingEmail"], wire.get("website"),
    )
    assert org.created_at is not None and org.updated_at is not None


async def test_create_organization(service, demo_store) -> None:
    draft = OrganizationDraft(name="newco", description="New company", billing_email="pay@newco.example")
    org = await service.create_organization(draft)
    assert org.name == "newco" and org.billing_email == "pay@newco.example"
    assert demo_store.orgs["newco"]["description"] == "New company"
    assert demo_store.members["newco"] == {"maintainer": "owner"}


async def test_update_organization_and_clear_website(service, demo_store) -> None:
    assert demo_store.orgs["acme"].get("website")
    before = await service.get_organization("acme")
    draft = OrganizationDraft(name="acme", description="Changed", billing_email=before.billing_email, website=None)
    org = await service.update_organization("acme", draft)
    assert org.description == "Changed" and org.website is None
    assert demo_store.orgs["acme"]["description"] == "Changed"
    assert demo_store.orgs["acme"]["website"] is None
    # The cache was dropped: a fresh read shows the server's new state.
    assert (await service.get_organization("acme")).description == "Changed"


async def test_list_org_packages(service, demo_store) -> None:
    packages = await service.list_org_packages("acme")
    expected = {u for u, p in demo_store.packages.items() if p["owner"] == "acme"}
    assert {p.uuid for p in packages} == expected
    assert all(p.owner == "acme" for p in packages)


async def test_create_org_package(service, demo_store) -> None:
    draft = PackageDraft(name="fresh-tool", short_description="Fresh", library_type="npm", website="https://f.example")
    package = await service.create_org_package("acme", draft)
    stored = demo_store.packages[package.uuid]
    assert stored["owner"] == "acme" and stored["name"] == "fresh-tool" and stored["libraryType"] == "npm"
    assert package.website == "https://f.example"


async def test_members_list_upsert_remove(service, demo_store) -> None:
    members = await service.list_members("acme")
    assert {m.username: m.role.value for m in members} == demo_store.members["acme"]
    assert all(m.organization == "acme" for m in members)

    await service.upsert_member("acme", "ada", MemberRole.ADMIN)
    assert demo_store.members["acme"]["ada"] == "admin"
    assert {m.username for m in await service.list_members("acme")} >= {"ada"}

    await service.remove_member("acme", "ada")
    assert "ada" not in demo_store.members["acme"]
    assert "ada" not in {m.username for m in await service.list_members("acme")}


async def test_upsert_member_unknown_user_is_a_field_error(service, demo_store) -> None:
    with pytest.raises(ValidationFailed) as info:
        await service.upsert_member("acme", "nobody-here", MemberRole.MEMBER)
    assert "username" in info.value.field_errors
    assert str(info.value) == "The server rejected the request (422): username: no Scarf user is named 'nobody-here'."
    assert "nobody-here" not in demo_store.members["acme"]


# --- packages ------------------------------------------------------------------------------------


async def test_list_packages(service, demo_store) -> None:
    packages = await service.list_packages()
    assert {p.uuid for p in packages} == {p["uuid"] for p in demo_store.visible_packages("maintainer")}


async def test_get_package_by_uuid_name_and_type(service, demo_store, find_uuid) -> None:
    uuid = find_uuid("acme", "widget-cli")
    by_uuid = await service.get_package(uuid)
    assert by_uuid.name == "widget-cli" and by_uuid.library_type == "npm"
    assert (await service.get_package("widget-cli")).uuid == uuid
    # Scoped npm names contain "/": the segment is escaped and still found.
    assert (await service.get_package("@acme/ui-kit")).uuid == find_uuid("acme", "@acme/ui-kit")
    docker = await service.get_package("labkit", package_type="docker")
    assert docker.uuid == find_uuid("openlab", "labkit", "docker")


async def test_get_package_ambiguous_name_is_explained(service) -> None:
    with pytest.raises(ValidationFailed) as info:
        await service.get_package("labkit")
    assert "Several packages are named 'labkit'" in str(info.value)
    assert "packageType" in str(info.value)


async def test_create_update_delete_package(service, demo_store) -> None:
    created = await service.create_package(
        PackageDraft(
            name="my-image",
            short_description="An image",
            library_type="docker",
            long_description="Long text",
            backend_url="https://ghcr.io/maintainer/my-image",
            public_url="https://docker.example.com/maintainer/my-image",
        )
    )
    assert demo_store.packages[created.uuid]["owner"] == "maintainer"
    assert demo_store.package_settings[created.uuid]["backendUrl"] == "https://ghcr.io/maintainer/my-image"

    updated = await service.update_package(
        created.uuid,
        PackageDraft(name="my-image", short_description="Renamed text", library_type="docker"),
    )
    assert updated.short_description == "Renamed text"
    assert updated.long_description is None  # cleared by the update
    assert demo_store.packages[created.uuid]["shortDescription"] == "Renamed text"

    await service.delete_package(created.uuid)
    assert created.uuid not in demo_store.packages
    with pytest.raises(NotFound) as info:
        await service.get_package(created.uuid)
    assert str(info.value) == f"Package '{created.uuid}' was not found (404)."


async def test_library_type_cannot_change(service, find_uuid) -> None:
    uuid = find_uuid("acme", "widget-cli")
    with pytest.raises(ValidationFailed) as info:
        await service.update_package(uuid, PackageDraft(name="widget-cli", short_description="x", library_type="pypi"))
    assert "libraryType" in info.value.field_errors


async def test_client_side_rules_stop_a_bad_draft_before_any_request(service, demo_faults) -> None:
    seen = demo_faults.requests_seen
    with pytest.raises(ValidationFailed) as info:
        await service.create_package(
            PackageDraft(name="img", short_description="d", library_type="docker", backend_url="https://ghcr.io/Bad/Name")
        )
    assert "backendUrl" in info.value.field_errors
    assert demo_faults.requests_seen == seen


# --- permissions ---------------------------------------------------------------------------------


async def test_permissions_list_and_set(service, demo_store, find_uuid) -> None:
    uuid = find_uuid("acme", "widget-cli")
    grants = await service.list_permissions(uuid)
    assert {g.username: g.level.value for g in grants} == demo_store.permissions[uuid]

    await service.set_permissions(
        uuid,
        [
            GrantChange("margaret", PermissionLevel.ADMIN),
            GrantChange("ada@example.org", PermissionLevel.BLOCKED),  # by email
        ],
    )
    assert demo_store.permissions[uuid]["margaret"] == "admin"
    assert demo_store.permissions[uuid]["ada"] == "blocked"
    after = {g.username: g.level for g in await service.list_permissions(uuid)}
    assert after["margaret"] is PermissionLevel.ADMIN and after["ada"] is PermissionLevel.BLOCKED


async def test_permissions_are_all_or_nothing(service, demo_store, find_uuid) -> None:
    uuid = find_uuid("acme", "widget-cli")
    before = dict(demo_store.permissions[uuid])
    with pytest.raises(ValidationFailed) as info:
        await service.set_permissions(
            uuid, [GrantChange("margaret", PermissionLevel.ADMIN), GrantChange("ghost", PermissionLevel.MEMBER)]
        )
    assert "userQuery" in info.value.field_errors
    assert demo_store.permissions[uuid] == before


# --- routes and domains --------------------------------------------------------------------------


async def test_routes_list_create_delete(service, demo_store, find_uuid) -> None:
    uuid = find_uuid("acme", "acme-downloads")
    routes = await service.list_routes(uuid)
    assert [(r.id, r.template_path, r.outgoing_url) for r in routes] == [
        (r["id"], r["templatePath"], r["outgoingUrl"]) for r in demo_store.routes[uuid]
    ]
    created = await service.create_route(
        uuid, RouteDraft("/tool/{platform}/{version}.tgz", "https://dl.acme.example/{platform}/tool-{version}.tgz")
    )
    assert created is not None
    assert created.id in {r["id"] for r in demo_store.routes[uuid]}
    assert created.id in {r.id for r in await service.list_routes(uuid)}

    await service.delete_route(uuid, created.id)
    assert created.id not in {r["id"] for r in demo_store.routes[uuid]}
    with pytest.raises(NotFound):
        await service.delete_route(uuid, created.id)


async def test_domains_list_create_delete(service, demo_store, find_uuid) -> None:
    uuid = find_uuid("acme", "acme-downloads")
    domains = await service.list_domains(uuid)
    assert [(d.id, d.name) for d in domains] == [(d["id"], d["name"]) for d in demo_store.domains[uuid]]
    created = await service.create_domain(uuid, "get.newdomain.example")
    assert created is not None and created.name == "get.newdomain.example"
    assert "get.newdomain.example" in {d["name"] for d in demo_store.domains[uuid]}
    await service.delete_domain(uuid, created.id)
    assert "get.newdomain.example" not in {d["name"] for d in demo_store.domains[uuid]}


# --- the three 422/400 body shapes from the real server -------------------------------------------


async def test_errors_object_shape(service) -> None:
    with pytest.raises(ValidationFailed) as info:
        await service.create_organization(
            OrganizationDraft(name="has space", description="", billing_email="x@y.example")
        )
    assert list(info.value.field_errors) == ["name"]
    assert str(info.value).startswith("The server rejected the request (422): name: may contain only letters")


async def test_code_message_shape(service, find_uuid) -> None:
    uuid = find_uuid("acme", "acme-downloads")
    with pytest.raises(ValidationFailed) as info:
        await service.create_route(uuid, RouteDraft("/tool/{version}.tgz", "https://dl.example/{platform}/{version}"))
    assert info.value.status == 422
    assert "{platform}" in str(info.value)
    assert info.value.field_errors[""][0].startswith("The outgoing URL uses {platform}")


async def test_error_string_shape(service, find_uuid) -> None:
    uuid = find_uuid("acme", "widget-cli")  # an npm package has no routes
    with pytest.raises(ValidationFailed) as info:
        await service.list_routes(uuid)
    assert str(info.value) == (
        "The server rejected the request (400): Routes are only available for file packages; this package is npm."
    )


# --- who may do what -----------------------------------------------------------------------------


async def test_wrong_token(service_as) -> None:
    svc = service_as("not-a-real-token")
    with pytest.raises(AuthError) as info:
        await svc.list_packages()
    assert str(info.value) == "The API token was rejected (401): check SCARF_API_TOKEN or the token in config.toml."
    assert "not-a-real-token" not in str(info.value) + repr(info.value)


async def test_no_token(service_as) -> None:
    with pytest.raises(AuthError, match="No API token is set"):
        await service_as(None).list_packages()


async def test_forbidden_write_names_what(service_as, demo_store, find_uuid) -> None:
    ken = service_as("ken-token")  # a plain member of acme: may read, not change
    uuid = find_uuid("acme", "widget-cli")
    assert (await ken.get_package(uuid)).name == "widget-cli"
    with pytest.raises(AuthError) as info:
        await ken.set_permissions(uuid, [GrantChange("ada", PermissionLevel.ADMIN)])
    assert str(info.value) == (
        f"This account is not allowed to access package '{uuid}' (403): "
        "You need admin permission on this package to change it."
    )
    assert "ada" not in demo_store.permissions[uuid]


async def test_hidden_org_is_not_found(service) -> None:
    with pytest.raises(NotFound) as info:
        await service.list_members("hidden-labs")
    assert str(info.value) == "Organization 'hidden-labs' was not found (404)."


async def test_remove_non_member_names_both(service) -> None:
    with pytest.raises(NotFound) as info:
        await service.remove_member("acme", "edsger")
    assert str(info.value) == (
        "Member 'edsger' of organization 'acme' was not found (404): 'edsger' is not a member of 'acme'."
    )


# --- cache ---------------------------------------------------------------------------------------


async def test_gets_are_cached_until_invalidated(service, demo_store, demo_faults) -> None:
    first = await service.list_packages()
    seen = demo_faults.requests_seen
    demo_store.packages.pop(first[0].uuid)  # the server changes behind our back
    again = await service.list_packages()
    assert demo_faults.requests_seen == seen  # answered from the cache
    assert [p.uuid for p in again] == [p.uuid for p in first]
    again.clear()  # callers may mutate what they got without hurting the cache
    assert len(await service.list_packages()) == len(first)

    service.invalidate()
    fresh = await service.list_packages()
    assert demo_faults.requests_seen == seen + 1
    assert len(fresh) == len(first) - 1


async def test_write_drops_the_cache(service, demo_store, find_uuid) -> None:
    uuid = find_uuid("acme", "widget-cli")
    await service.list_permissions(uuid)
    demo_store.permissions[uuid]["alan"] = "member"  # changed elsewhere
    await service.set_permissions(uuid, [GrantChange("margaret", PermissionLevel.DEFAULT)])
    levels = {g.username: g.level for g in await service.list_permissions(uuid)}
    assert levels["alan"] is PermissionLevel.MEMBER and levels["margaret"] is PermissionLevel.DEFAULT


async def test_failed_write_also_drops_the_cache(service, demo_store) -> None:
    await service.list_members("acme")
    demo_store.members["acme"]["linus"] = "member"
    with pytest.raises(ValidationFailed):
        await service.upsert_member("acme", "nobody", MemberRole.MEMBER)
    assert "linus" in {m.username for m in await service.list_members("acme")}


# --- concurrency ---------------------------------------------------------------------------------


async def test_concurrent_reads_are_limited_and_all_answered() -> None:
    in_flight = 0
    peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        name = request.url.path.rsplit("/", 1)[-1]
        return httpx.Response(
            200,
            json={
                "uuid": name, "owner": "o", "name": name, "shortDescription": "", "createdAt": "2026-01-01T00:00:00Z"
            },
        )

    svc = make_service("https://scarf.example/api", "t", transport=httpx.MockTransport(handler), concurrency=6)
    names = [f"p{i}" for i in range(30)]
    packages = await asyncio.gather(*(svc.get_package(n) for n in names))
    await svc.aclose()
    assert [p.name for p in packages] == names
    assert 1 < peak <= 6


# --- data export in-process (the socket suite covers real streaming) --------------------------------


async def test_org_aggregates_in_process(service, demo_store) -> None:
    end = demo_store.today
    start = end - timedelta(days=3)
    rows = [r async for r in service.org_aggregates("acme", start, end)]
    acme = {u for u, p in demo_store.packages.items() if p["owner"] == "acme"}
    assert rows and {r.package for r in rows} <= acme
    assert all(start <= r.date <= end for r in rows)
    assert {r.breakdown for r in rows} >= {"total", "country", "platform", "company"}


async def test_user_aggregates_in_process(service, demo_store) -> None:
    end = demo_store.today
    rows = [r async for r in service.user_aggregates("maintainer", end - timedelta(days=2), end)]
    mine = {u for u, p in demo_store.packages.items() if p["owner"] == "maintainer"}
    assert rows and {r.package for r in rows} <= mine


async def test_pixel_events_in_process(service, demo_store) -> None:
    end = demo_store.today
    events = [e async for e in service.pixel_events(end - timedelta(days=2), end)]
    assert events and all(e.type and e.time for e in events)
    assert {"id", "pixel_id"} <= set(events[0].extra)


async def test_package_events_with_owner_path_agree(service, demo_store, find_uuid) -> None:
    uuid = find_uuid("acme", "acme-downloads")
    end = demo_store.today
    start = end - timedelta(days=3)
    plain = [e async for e in service.package_events(uuid, start, end)]
    scoped = [e async for e in service.package_events(uuid, start, end, owner="acme")]
    assert plain and plain == scoped
    assert any(e.type == "file-download" and e.variables for e in plain)


async def test_events_owner_path_for_missing_package(service) -> None:
    end = date(2026, 11, 20)
    with pytest.raises(NotFound):
        [e async for e in service.package_events("nope", end - timedelta(days=1), end, owner="acme")]


async def test_aggregates_range_is_checked_before_asking(service, demo_faults) -> None:
    day = date(2026, 11, 1)
    with pytest.raises(ValidationFailed, match="must be after the start date"):
        [r async for r in service.org_aggregates("acme", day, day)]
    assert demo_faults.requests_seen == 0


async def test_aggregates_of_another_user_not_found(service, demo_store) -> None:
    end = demo_store.today
    with pytest.raises(NotFound) as info:
        [r async for r in service.user_aggregates("grace", end - timedelta(days=1), end)]
    assert str(info.value) == "User 'grace' was not found (404)."
