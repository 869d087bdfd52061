"""The editor panes inside the real ScarfApp: its screens and app-wide keys (r refresh, y copy,
escape back) must not steal the pane's or the dialog's keys."""

from __future__ import annotations

from scarf_tui.tui.app import ScarfApp
from scarf_tui.tui.common.confirm import ConfirmDialog
from scarf_tui.tui.organizations.members import MembersPane
from scarf_tui.tui.packages.permissions import PermissionsPane
from scarf_tui.tui.packages.routes import RoutesPane
from tests.tui.helpers import make_app

from .conftest import package_uuid, settle


def scarf_app(service, **kwargs) -> ScarfApp:
    return make_app(service, **kwargs)


async def test_permission_a_y_inside_package_screen(service, demo_store):
    uuid = package_uuid(demo_store, "acme", "widget-cli", "npm")
    package = await service.get_package(uuid)
    app = scarf_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.nav.open_package(package, tab="permissions")
        await settle(pilot)
        pane = app.screen.query_one(PermissionsPane)
        assert app.focused is pane.table
        await pilot.press("down", "down", "a")  # margaret
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")  # the dialog's yes, not the app's copy
        await settle(pilot)
        assert demo_store.permissions[uuid]["margaret"] == "admin"
        table = pane.table
        rows = (tuple(str(getattr(c, "plain", c)) for c in table.row_cells(i)) for i in range(table.row_count))
        assert {r[1]: r[2] for r in rows} == demo_store.permissions[uuid]


async def test_route_delete_inside_package_screen(service, demo_store):
    uuid = package_uuid(demo_store, "acme", "acme-downloads", "file")
    package = await service.get_package(uuid)
    first = demo_store.routes[uuid][0]["id"]
    app = scarf_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.nav.open_package(package, tab="routes")
        await settle(pilot)
        assert app.focused is app.screen.query_one(RoutesPane).table
        # ctrl+d on the routes table deletes the route, not the package
        await pilot.press("ctrl+d")
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.changes[0][0] == "templatePath"
        await pilot.press("escape")  # the dialog's no, not the app's back
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmDialog)
        assert app.screen.query_one(RoutesPane)
        await pilot.press("ctrl+d", "y")
        await settle(pilot)
        assert first not in [r["id"] for r in demo_store.routes[uuid]]
        assert uuid in demo_store.packages


async def test_read_only_scarf_app_refuses(service, demo_store):
    uuid = package_uuid(demo_store, "acme", "widget-cli", "npm")
    package = await service.get_package(uuid)
    before = dict(demo_store.permissions[uuid])
    app = scarf_app(service, read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.nav.open_package(package, tab="permissions")
        await settle(pilot)
        for key in ("a", "b", "space", "n"):
            await pilot.press(key)
            await settle(pilot)
            assert not isinstance(app.screen, ConfirmDialog)
        assert demo_store.permissions[uuid] == before


async def test_members_inside_organization_screen(service, demo_store):
    app = scarf_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        from scarf_tui.tui.organizations.organization_screen import OrganizationScreen

        app.push_screen(OrganizationScreen("acme"))
        await settle(pilot)
        panes = list(app.screen.query(MembersPane))
        assert panes, "the organization screen mounts the members pane"
        panes[0].focus_table()
        await pilot.press("a", "y")  # alan: member -> admin
        await settle(pilot)
        assert demo_store.members["acme"]["alan"] == "admin"
