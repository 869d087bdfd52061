"""The browse screens open the editors' forms and dialogs, and show the server's state after."""

from __future__ import annotations

from scarf_tui.tui.organizations.form import OrganizationFormScreen
from scarf_tui.tui.organizations.organization_screen import OrganizationScreen
from scarf_tui.tui.packages.form import DeletePackageScreen, PackageFormScreen
from scarf_tui.tui.packages.list_screen import PackagesScreen
from scarf_tui.tui.packages.package_screen import PackageScreen
from scarf_tui.tui.packages.table import PackageTable

from .helpers import press, settle


async def test_delete_from_the_list_needs_the_typed_name(app_factory, demo_store) -> None:
    uuid = next(u for u, p in demo_store.packages.items() if p["name"] == "roadrunner")
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"roadrunner", "enter", "ctrl+d")
        assert isinstance(app.screen, DeletePackageScreen)
        await pilot.press(*"roadrunne")
        await press(pilot, "enter")  # wrong name: nothing deleted, dialog stays
        assert uuid in demo_store.packages
        await press(pilot, "r", "enter")
        assert uuid not in demo_store.packages
        assert isinstance(app.screen, PackagesScreen)
        names = [r.item.name for r in app.screen.query_one(PackageTable).rows]
        assert "roadrunner" not in names


async def test_delete_from_the_package_screen_goes_back_to_a_fresh_list(app_factory, demo_store) -> None:
    uuid = next(u for u, p in demo_store.packages.items() if p["name"] == "dotfiles")
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"dotfiles", "enter", "enter")
        assert isinstance(app.screen, PackageScreen)
        await press(pilot, "ctrl+d")
        assert isinstance(app.screen, DeletePackageScreen)
        await pilot.press(*"dotfiles")
        await press(pilot, "enter")
        assert uuid not in demo_store.packages
        assert isinstance(app.screen, PackagesScreen)
        assert "dotfiles" not in [r.item.name for r in app.screen.query_one(PackageTable).rows]


async def test_write_keys_open_the_editor_forms(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "n")
        assert isinstance(app.screen, PackageFormScreen) and app.screen.existing is None
        await press(pilot, "escape")
        assert isinstance(app.screen, PackagesScreen)
        await press(pilot, "enter", "e")
        assert isinstance(app.screen, PackageFormScreen)
        assert app.screen.existing is not None and app.screen.existing.name == "widget-cli"
        await press(pilot, "escape")
        app.nav.open_org("acme")
        await settle(pilot)
        assert isinstance(app.screen, OrganizationScreen)
        await press(pilot, "e")
        assert isinstance(app.screen, OrganizationFormScreen)
        await press(pilot, "escape")
        await press(pilot, "2", "n")
        assert isinstance(app.screen, PackageFormScreen) and app.screen.org == "acme"
