"""The requirement: from launch, change one user's permission on a package with the filter plus
at most 6 further keystrokes."""

from __future__ import annotations

from textual.widgets import DataTable

from scarf_tui.tui.common.confirm import ConfirmDialog
from scarf_tui.tui.packages.package_screen import PackageScreen
from scarf_tui.tui.packages.permissions import PermissionsPane

from .helpers import press, settle

LEVEL_KEYS = {"admin": "a", "member": "m", "default": "d", "blocked": "b"}


async def test_permission_change_in_six_keystrokes_after_the_filter(app_factory, demo_store) -> None:
    uuid = next(u for u, p in demo_store.packages.items() if p["name"] == "widget-cli")
    grants = demo_store.permissions[uuid]
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"widget")  # the filter (widget-cli is the first match)

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
        assert isinstance(table, DataTable)
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
