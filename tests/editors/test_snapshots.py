"""SVG snapshots of every pane, form and dialog at 80x24 and 120x40.

Deterministic: a fresh demo store with a fixed today, the in-process server, and every worker
finished before the picture is taken. Regenerate with `--snapshot-update` after a deliberate
change, look at the SVGs, then run again without it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, Select

from scarf_tui.demo.store import build_demo_store
from scarf_tui.domain import Organization, Package
from scarf_tui.tui.organizations.form import OrganizationFormScreen
from scarf_tui.tui.organizations.members import MembersPane
from scarf_tui.tui.packages.domains import DomainsPane
from scarf_tui.tui.packages.form import DeletePackageScreen, PackageFormScreen
from scarf_tui.tui.packages.permissions import PermissionsPane
from scarf_tui.tui.packages.routes import RoutesPane

from .conftest import package_uuid, settle
from .host import FIXED_TODAY, EditorHost, in_process_service

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def package_from_store(store, owner: str, name: str, kind: str) -> Package:
    """A Package model straight from the store's wire dict (no request needed outside a loop)."""
    uuid = package_uuid(store, owner, name, kind)
    p = store.packages[uuid]
    return Package(
        uuid=uuid,
        owner=p["owner"],
        name=p["name"],
        short_description=p["shortDescription"],
        long_description=p.get("longDescription"),
        website=p.get("website"),
        library_type=p.get("libraryType"),
    )


def org_from_store(store, name: str) -> Organization:
    o = store.orgs[name]
    return Organization(
        name=o["name"], description=o["description"], billing_email=o["billingEmail"], website=o.get("website")
    )


def host(body=None, *, hostile: bool = False) -> tuple[EditorHost, object]:
    store = build_demo_store(today=FIXED_TODAY, hostile=hostile)
    app = EditorHost(in_process_service(store), body(store) if body else None, close_service=True)
    return app, store


def steps(*actions: Callable[[Pilot], Awaitable[None]]) -> Callable[[Pilot], Awaitable[None]]:
    async def run(pilot: Pilot) -> None:
        await settle(pilot)
        for action in actions:
            await action(pilot)
            await settle(pilot)
        # A scroll that followed a late layout (an inline message appearing) can leave the
        # scrollbar a frame behind; one more full layout makes the picture deterministic.
        await pilot.wait_for_animation()
        # A blinking cursor is on or off depending on how long the steps took on a busy
        # machine: hold it steadily on so the picture doesn't depend on timing.
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        pilot.app.screen.refresh(layout=True)
        await pilot.pause()
        await pilot.pause()

    return run


def press(*keys: str):
    async def run(pilot: Pilot) -> None:
        await pilot.press(*keys)

    return run


def push(make_screen):
    async def run(pilot: Pilot) -> None:
        await pilot.app.push_screen(make_screen(pilot.app))

    return run


def fill(input_id: str, text: str):
    async def run(pilot: Pilot) -> None:
        widget = pilot.app.screen.query_one(f"#{input_id}", Input)
        widget.focus(scroll_visible=False)  # no animated scroll in a snapshot
        widget.scroll_visible(animate=False)
        widget.value = text
        widget.cursor_position = len(text)

    return run


def choose(select_id: str, value: str):
    async def run(pilot: Pilot) -> None:
        pilot.app.screen.query_one(f"#{select_id}", Select).value = value

    return run


def snap(snap_compare, app: App, size, run_before) -> None:
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_permissions_pane(snap_compare, size):
    app, _ = host(lambda s: (lambda: PermissionsPane(package_from_store(s, "acme", "widget-cli", "npm"))))
    snap(snap_compare, app, size, steps(press("down", "space")))


@pytest.mark.parametrize("size", SIZES)
def test_permissions_bulk_confirm(snap_compare, size):
    app, _ = host(lambda s: (lambda: PermissionsPane(package_from_store(s, "acme", "widget-cli", "npm"))))
    snap(snap_compare, app, size, steps(press("space", "space"), press("m")))


@pytest.mark.parametrize("size", SIZES)
def test_permissions_hostile(snap_compare, size):
    def body(store):
        uuid = next(u for u, p in store.packages.items() if p["name"] == "[@click=app.quit]x[/]")
        p = store.packages[uuid]
        return lambda: PermissionsPane(Package(uuid, p["owner"], p["name"], p["shortDescription"], library_type="file"))

    app, _ = host(body, hostile=True)
    snap(snap_compare, app, size, steps())


@pytest.mark.parametrize("size", SIZES)
def test_routes_pane(snap_compare, size):
    app, _ = host(lambda s: (lambda: RoutesPane(package_from_store(s, "acme", "acme-downloads", "file"))))
    snap(snap_compare, app, size, steps())


@pytest.mark.parametrize("size", SIZES)
def test_route_form_invalid(snap_compare, size):
    app, _ = host(lambda s: (lambda: RoutesPane(package_from_store(s, "acme", "acme-downloads", "file"))))
    snap(
        snap_compare,
        app,
        size,
        steps(
            press("n"),
            fill("route-template", "cli/{version}"),
            fill("route-outgoing", "https://cdn.acme.example/{version}/{arch}"),
            press("enter"),
        ),
    )


@pytest.mark.parametrize("size", SIZES)
def test_domains_pane(snap_compare, size):
    app, _ = host(lambda s: (lambda: DomainsPane(package_from_store(s, "acme", "acme-downloads", "file"))))
    snap(snap_compare, app, size, steps())


@pytest.mark.parametrize("size", SIZES)
def test_domain_form_invalid(snap_compare, size):
    app, _ = host(lambda s: (lambda: DomainsPane(package_from_store(s, "acme", "acme-downloads", "file"))))
    snap(snap_compare, app, size, steps(press("n"), fill("domain-name", "not a domain"), press("enter")))


@pytest.mark.parametrize("size", SIZES)
def test_members_pane(snap_compare, size):
    app, _ = host(lambda s: (lambda: MembersPane("acme")))
    snap(snap_compare, app, size, steps())


@pytest.mark.parametrize("size", SIZES)
def test_member_form(snap_compare, size):
    app, _ = host(lambda s: (lambda: MembersPane("acme")))
    snap(snap_compare, app, size, steps(press("n"), fill("member-username", "edsger")))


@pytest.mark.parametrize("size", SIZES)
def test_package_form_create_docker_invalid(snap_compare, size):
    app, _ = host()
    snap(
        snap_compare,
        app,
        size,
        steps(
            push(lambda a: PackageFormScreen(org="acme")),
            fill("pkg-name", "gizmo"),
            fill("pkg-short", "The gizmo image"),
            choose("pkg-type", "docker"),
            fill("pkg-backend", "https://ghcr.io/Acme/Gizmo"),
            press("enter"),
        ),
    )


@pytest.mark.parametrize("size", SIZES)
def test_package_form_edit_locked_type(snap_compare, size):
    store = build_demo_store(today=FIXED_TODAY)
    package = package_from_store(store, "acme", "widget-cli", "npm")
    app = EditorHost(in_process_service(store), close_service=True)
    snap(snap_compare, app, size, steps(push(lambda a: PackageFormScreen(existing=package))))


@pytest.mark.parametrize("size", SIZES)
def test_package_edit_confirm(snap_compare, size):
    store = build_demo_store(today=FIXED_TODAY)
    package = package_from_store(store, "acme", "widget-cli", "npm")
    app = EditorHost(in_process_service(store), close_service=True)
    snap(
        snap_compare,
        app,
        size,
        steps(
            push(lambda a: PackageFormScreen(existing=package)),
            fill("pkg-short", "Scaffold and ship widgets"),
            fill("pkg-website", "https://widgets.acme.example"),
            press("enter"),
        ),
    )


@pytest.mark.parametrize("size", SIZES)
def test_delete_package_dialog(snap_compare, size):
    store = build_demo_store(today=FIXED_TODAY)
    package = package_from_store(store, "acme", "roadrunner", "npm")
    app = EditorHost(in_process_service(store), close_service=True)
    snap(
        snap_compare,
        app,
        size,
        steps(push(lambda a: DeletePackageScreen(package)), press(*"roadrun", "enter")),
    )


@pytest.mark.parametrize("size", SIZES)
def test_org_form_edit(snap_compare, size):
    store = build_demo_store(today=FIXED_TODAY)
    org = org_from_store(store, "acme")
    app = EditorHost(in_process_service(store), close_service=True)
    snap(
        snap_compare,
        app,
        size,
        steps(push(lambda a: OrganizationFormScreen(org)), fill("org-billing", "billing at acme"), press("enter")),
    )
