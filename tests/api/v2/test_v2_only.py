"""What only the Scarf API v2 offers, through the service against the embedded server, each
write checked in the store; and what v1 answers instead (a sentence, never a 404)."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from scarf_tui.api import Unsupported, make_service
from scarf_tui.api.errors import InvalidResponse, NotFound, ValidationFailed
from scarf_tui.api.models import CollectionDraft, TrackingPixelDraft
from scarf_tui.demo import DEMO_TOKEN, DEMO_USER, data
from scarf_tui.demo.app import create_app
from scarf_tui.demo.faults import Faults
from scarf_tui.demo.store import build_demo_store
from scarf_tui.domain import PackageDraft, RouteDraft

from .conftest import TODAY, uuid_of


async def test_users_and_memberships(v2):
    me = await v2.get_user(DEMO_USER)
    assert (me.name, me.kind) == (DEMO_USER, "user")
    assert (await v2.get_user("acme")).kind == "organization"
    memberships = {m.organization: m.role for m in await v2.user_organizations(DEMO_USER)}
    assert memberships == {"acme": "owner", "openlab": "admin", "tinytools": "member", "fleet": "admin"}
    with pytest.raises(NotFound) as caught:
        await v2.get_user("nobody")
    assert str(caught.value) == "User 'nobody' was not found (404)."


async def test_get_member(v2):
    member = await v2.get_member("acme", "grace")
    assert (member.organization, member.username, member.role) == ("acme", "grace", "admin")


async def test_tracking_pixels_crud(v2, store):
    widget = uuid_of(store, "acme", "widget-cli", "npm")
    created = await v2.create_pixel("acme", TrackingPixelDraft("release-notes", package_id=widget))
    held = store.pixels[created.id]
    assert (held.owner, held.name, held.package) == ("acme", "release-notes", widget)
    assert created.package is not None and created.package.name == "widget-cli"
    assert created.id in {p.id for p in await v2.list_pixels("acme")}
    assert created.id in {p.id for p in await v2.package_pixels(widget)}
    renamed = await v2.update_pixel("acme", created.id, TrackingPixelDraft("changelog"))
    assert renamed.name == "changelog" and store.pixels[created.id].name == "changelog"
    assert store.pixels[created.id].package is None
    await v2.delete_pixel("acme", created.id)
    assert created.id not in store.pixels


async def test_a_pixel_linked_to_another_owners_package_is_refused(v2, store):
    (pixel,) = [p for p in store.pixels.values() if p.owner == "acme" and p.name == "acme-readme"]
    foreign = uuid_of(store, "openlab", "labkit", "docker")
    with pytest.raises(ValidationFailed) as caught:
        await v2.update_pixel("acme", pixel.id, TrackingPixelDraft("acme-readme", package_id=foreign))
    assert str(caught.value) == "That package belongs to another owner: link a package of the pixel's owner."
    assert store.pixels[pixel.id].package is None


async def test_collections_crud(v2, store):
    created = await v2.create_collection("acme", CollectionDraft("acme-beta/*", "ghcr.io", "beta.cr.acme.example"))
    assert store.collections[created.id]["pattern"] == "acme-beta/*"
    assert store.collections[created.id]["public_domain"] == "beta.cr.acme.example"
    updated = await v2.update_collection("acme", created.id, CollectionDraft("acme-beta/tools-*", "quay.io"))
    assert (updated.pattern, updated.backend_domain) == ("acme-beta/tools-*", "quay.io")
    assert store.collections[created.id]["backend_domain"] == "quay.io"
    assert created.id in {c.id for c in await v2.list_collections("acme")}
    await v2.delete_collection("acme", created.id)
    assert created.id not in store.collections


async def test_search_and_overview(v2, store):
    hits = await v2.search("widget", context="acme")
    assert {(h.kind, h.name) for h in hits} == {
        ("package", "widget-cli"), ("package", "widget"), ("tracking-pixel", "widget-docs"),
    }
    overview = {o.package.name: [d.name for d in o.domains] for o in await v2.packages_overview("acme")}
    assert overview["acme-downloads"] == ["downloads.acme.example", "get.acme.example"]
    assert len(overview) == len([p for p in store.org_packages("acme") if p["libraryType"] not in ("pypi", "other")])


async def test_file_package_create_carries_its_first_route_and_domain(v2, store):
    draft = PackageDraft(name="nightly", short_description="Nightly builds", library_type="file")
    with pytest.raises(ValidationFailed) as caught:
        await v2.create_org_package("acme", draft)
    assert str(caught.value) == "A new file package needs its first route: an incoming path and outgoing URL."
    created = await v2.create_org_package(
        "acme", draft, route=RouteDraft("/nightly/{version}.tgz", "https://dl.example/{version}.tgz"),
        domain="nightly.acme.example",
    )
    assert [r["templatePath"] for r in store.routes[created.uuid]] == ["/nightly/{version}.tgz"]
    assert [d["name"] for d in store.domains[created.uuid]] == ["nightly.acme.example"]


async def test_docker_package_fields_travel(v2, store):
    draft = PackageDraft(name="acme/relay", short_description="Relay", library_type="docker",
                         backend_url="https://ghcr.io/acme/relay")
    created = await v2.create_org_package("acme", draft)
    assert store.package_settings[created.uuid]["backendUrl"] == "https://ghcr.io/acme/relay"


async def test_rollups_and_extra_breakdowns(v2):
    rows = [r async for r in v2.owner_aggregates("tinytools", date(2026, 10, 1), date(2026, 11, 1), rollup="monthly",
                                                breakdowns=["total", "referer", "educational"])]
    assert {r.breakdown for r in rows} == {"total", "referer", "educational"}
    assert {r.date for r in rows} == {date(2026, 10, 1)}
    assert all(r.unique_total is not None and r.unique_total <= r.total for r in rows if r.breakdown == "total")
    assert {r.value for r in rows if r.breakdown == "referer"} == {"github.com", "pypi.org", "(direct)"}
    assert {r.value for r in rows if r.breakdown == "educational"} == {"University of Example"}


async def test_event_exports_per_owner_and_pixel(v2, store):
    owner_events = [e async for e in v2.owner_events("tinytools", date(2026, 11, 1), date(2026, 11, 2))]
    tiny = {p["name"] for p in store.org_packages("tinytools") if p["libraryType"] not in ("pypi", "other")}
    assert owner_events and {e.package for e in owner_events} <= tiny
    (pixel,) = [p for p in store.pixels.values() if p.owner == "acme" and p.name == "widget-docs"]
    lines = [line async for line in v2.stream_pixel_events_csv(date(2026, 11, 1), date(2026, 11, 2),
                                                               owner="acme", pixel_id=pixel.id)]
    assert lines[0].startswith(b"type,") and len(lines) > 1
    assert all(pixel.id.encode() in line for line in lines[1:])
    acme_pixels = {p.id for p in store.pixels.values() if p.owner == "acme"}
    events = [e async for e in v2.pixel_events(date(2026, 11, 1), date(2026, 11, 2), owner="acme")]
    assert events and {e.extra["pixel_id"] for e in events} == acme_pixels


async def test_v1_answers_with_sentences(make):
    v1 = make("v1")
    for call, sentence in (
        (lambda: v1.search("x"), "Search needs the Scarf API v2; this account uses v1 (use / to filter the list)."),
        (lambda: v1.list_collections("acme"), "Collections exist only in the Scarf API v2; this account uses v1."),
        (lambda: v1.packages_overview("acme"), "API v1 has no package overview; open a package to see its domains."),
    ):
        with pytest.raises(Unsupported) as caught:
            await call()
        assert str(caught.value) == sentence
    with pytest.raises(Unsupported) as caught:
        await anext(v1.owner_aggregates("acme", date(2026, 11, 1), date(2026, 11, 2), rollup="weekly"))
    assert str(caught.value) == "API v1 sends daily rows only; weekly and monthly unique counts need API v2."
    pages = [p async for p in v1.iter_package_pages("fleet")]
    assert [(len(p.items), p.status) for p in pages] == [(126, "126")]


async def test_v2_without_a_username_says_what_to_set(make):
    anonymous = make("v2", username=None)
    anonymous.username = None
    with pytest.raises(ValidationFailed) as caught:
        await anonymous.list_packages()
    assert str(caught.value) == (
        "API v2 lists packages per owner: set your Scarf username (username in config.toml, "
        "SCARF_USERNAME, or the welcome screen)."
    )


async def test_rate_limits_are_retried_across_pages(make, faults):
    faults.rate_limit_every = 2
    faults.retry_after_s = 0
    assert len(await make("v2").list_org_packages("fleet")) == 120


async def test_a_cut_stream_is_never_complete(make, faults):
    faults.cut_stream = True
    faults.cut_after_rows = 5
    with pytest.raises(InvalidResponse) as caught:
        _ = [r async for r in make("v2").owner_aggregates("acme", date(2026, 11, 1), date(2026, 11, 3))]
    assert str(caught.value) == (
        "The stream was cut in the middle of a line of the aggregates of 'acme'; the data is incomplete."
    )


async def test_hostile_names_stay_literal_on_v2():
    store = build_demo_store(today=TODAY, hostile=True, fleet=True)
    app = create_app(store, Faults())
    service = make_service("http://demo.invalid/v2", DEMO_TOKEN, transport=httpx.ASGITransport(app=app),
                           api_version="v2", username=DEMO_USER, orgs=[data.HOSTILE_ORG.name], backoff=0.0)
    try:
        packages = await service.list_org_packages(data.HOSTILE_ORG.name)
        assert [p.name for p in packages] == [data.HOSTILE_MARKUP]
        members = {m.username for m in await service.list_members(data.HOSTILE_ORG.name)}
        assert data.HOSTILE_MEMBER.username in members
        await service.remove_member(data.HOSTILE_ORG.name, data.HOSTILE_MEMBER.username)
        assert data.HOSTILE_MEMBER.username not in store.members[data.HOSTILE_ORG.name]
        routes = await service.list_routes(packages[0].uuid)
        assert [(r.template_path, r.outgoing_url) for r in routes] == [data.HOSTILE_ROUTE]
    finally:
        await service.aclose()


async def test_single_reads(v2, store):
    uuid = uuid_of(store, "acme", "acme-downloads", "file")
    first_route, first_domain = store.routes[uuid][0], store.domains[uuid][0]
    route = await v2.get_route(uuid, first_route["id"])
    assert (route.template_path, route.outgoing_url) == (first_route["templatePath"], first_route["outgoingUrl"])
    assert (await v2.get_domain(uuid, first_domain["id"])).name == first_domain["name"]
    (collection_id,) = [c for c, v in store.collections.items() if v["pattern"] == "acme/*"]
    assert (await v2.get_collection("acme", collection_id)).public_domain == "cr.acme.example"
    package = await v2.get_package(uuid, owner="acme")
    assert (package.name, package.library_type) == ("acme-downloads", "file")
    with pytest.raises(NotFound) as caught:
        await v2.get_route(uuid, "no-such-route")
    assert str(caught.value) == f"Route 'no-such-route' of package '{uuid}' was not found (404)."
