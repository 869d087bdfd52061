"""The requirement: from launch, change one user's permission on a package with the filter plus
at most 6 further keystrokes."""

from __future__ import annotations

from scarf_tui.tui.common.confirm import ConfirmDialog
from scarf_tui.tui.common.virtual_table import VirtualTable
from scarf_tui.tui.packages.package_screen import PackageScreen
from scarf_tui.tui.packages.permissions import PermissionsPane

from .helpers import make_app, press, settle

LEVEL_KEYS = {"admin": "a", "member": "m", "default": "d", "blocked": "b"}


async def test_permission_change_in_six_keystrokes_after_the_filter(versioned_service, demo_store) -> None:
    """On API v1 and v2 alike (a and m exist on both)."""
    uuid = next(u for u, p in demo_store.packages.items() if p["name"] == "widget-cli")
    grants = demo_store.permissions[uuid]
    app = make_app(versioned_service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"widget-cli")  # the filter

        keys: list[str] = []

        async def key(k: str) -> None:
            keys.append(k)
            await press(pilot, k)

        await key("enter")  # accept the filter
        await key("enter")  # open the package
        assert isinstance(app.screen, PackageScreen)
        assert app.screen.package.uuid == uuid
        await key("p")  # permissions tab, focus in its table
        assert app.screen.active_tab == "permissions"
        table = app.focused
        assert isinstance(table, VirtualTable)
        await key("down")  # the second user
        username = app.screen.query_one(PermissionsPane).cursor_item().username
        current = grants[username]
        target = "member" if current == "admin" else "admin"
        await key(LEVEL_KEYS[target])  # a single key sets the level ...
        assert isinstance(app.screen, ConfirmDialog)  # ... after showing before -> after
        await key("y")  # confirm

        assert len(keys) <= 6, keys
        assert demo_store.permissions[uuid][username] == target
        assert isinstance(app.screen, PackageScreen)


async def open_permissions(pilot, app) -> PermissionsPane:  # noqa: ANN001
    await settle(pilot)
    await press(pilot, "slash", *"widget-cli", "enter", "enter", "p")
    assert isinstance(app.screen, PackageScreen) and app.screen.active_tab == "permissions"
    return app.screen.query_one(PermissionsPane)


def footer_keys(app) -> set[str]:  # noqa: ANN001
    return {b.binding.action for b in app.screen.active_bindings.values() if b.binding.show}


async def test_v2_offers_its_own_levels_and_removes_access(versioned_service, demo_store) -> None:
    """v1: blocked/default/member/admin, no removal. v2: member/admin/owner and ctrl+d removes."""
    uuid = next(u for u, p in demo_store.packages.items() if p["name"] == "widget-cli")
    v2 = versioned_service.capabilities.version == "v2"
    app = make_app(versioned_service)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_permissions(pilot, app)
        shown = footer_keys(app)
        assert ("set_level('owner')" in shown) is v2
        assert ("set_level('default')" in shown) is not v2
        assert ("remove_access" in shown) is v2
        assert str(pane.status_text()).startswith("a/m/o set level" if v2 else "a/m/d/b set level")
        await press(pilot, "down")
        username = pane.cursor_item().username
        before = dict(demo_store.permissions[uuid])
        await press(pilot, "d")  # v2 has no "default": the key does nothing there
        if v2:
            assert not isinstance(app.screen, ConfirmDialog)
            assert demo_store.permissions[uuid] == before
            await press(pilot, "ctrl+d")
            assert isinstance(app.screen, ConfirmDialog)
            await press(pilot, "y")
            assert username not in demo_store.permissions[uuid]
            assert username not in {g.username for g in pane.items}  # the pane re-read the server
        else:
            assert isinstance(app.screen, ConfirmDialog)
            await press(pilot, "y")
            assert demo_store.permissions[uuid][username] == "default"
