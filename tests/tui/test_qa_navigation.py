"""QA regressions: `--org`, tab focus, keys that arrive in one burst, `:export`, loading status."""

from __future__ import annotations

from textual import events
from textual.widgets import Input, Tab

from scarf_tui.tui.common.command_bar import CommandBar, parse_command
from scarf_tui.tui.common.virtual_table import VirtualTable
from scarf_tui.tui.export_screen import ExportScreen
from scarf_tui.tui.organizations.organization_screen import OrganizationScreen
from scarf_tui.tui.packages.form import PackageFormScreen
from scarf_tui.tui.packages.list_screen import PackagesScreen
from scarf_tui.tui.packages.package_screen import PackageScreen
from scarf_tui.tui.packages.table import PackageTable

from .helpers import press, settle

CHARACTERS = {"colon": ":", "slash": "/", "tab": "\t", "space": " ", "minus": "-", "enter": "\r"}


async def burst(pilot, *keys: str) -> None:  # noqa: ANN001
    """Post every key at once, as a terminal does for a paste, fast typing or keystrokes
    batched over SSH: nothing runs between them (pilot.press waits after each key)."""
    for key in keys:
        pilot.app.post_message(events.Key(key, CHARACTERS.get(key, key)))
    await settle(pilot)


def package_names(app) -> list[str]:  # noqa: ANN001
    return [r.item.name for r in app.screen.query_one(PackageTable).visible_rows]


# --- --org NAME -------------------------------------------------------------------------------


async def test_org_option_lands_on_that_organizations_packages(app_factory, demo_store) -> None:
    app = app_factory(org="openlab")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, OrganizationScreen)
        assert app.screen.org_name == "openlab" and app.screen.active_tab == "org-packages"
        expected = sorted(p["name"] for p in demo_store.packages.values() if p["owner"] == "openlab")
        assert sorted(package_names(app)) == expected
        assert isinstance(app.focused, VirtualTable)
        # Only the tab shown was mounted: the members pane (a request of its own, and a table
        # that could grab focus and switch the tab back) waits for a visit.
        assert "members" not in app.screen._mounted_panes
        await press(pilot, "escape")
        assert isinstance(app.screen, PackagesScreen) and app.screen.org is None


# --- focus after a tab change ---------------------------------------------------------------


async def test_clicking_a_package_tab_focuses_its_table(app_factory, demo_store) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"widget-cli", "enter", "enter")
        assert isinstance(app.screen, PackageScreen)
        await pilot.click("Tab#--content-tab-permissions")
        await settle(pilot)
        assert app.screen.active_tab == "permissions"
        assert isinstance(app.focused, VirtualTable) and not isinstance(app.focused, Tab)
        # keys work at once: move to linus (admin) and make him a member
        uuid = app.screen.package.uuid
        assert demo_store.permissions[uuid]["linus"] == "admin"
        await press(pilot, "down", "m", "y")
        assert demo_store.permissions[uuid]["linus"] == "member"


async def test_clicking_an_organization_tab_focuses_its_table(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.nav.open_org("openlab")
        await settle(pilot)
        await pilot.click("Tab#--content-tab-org-packages")
        await settle(pilot)
        assert app.screen.active_tab == "org-packages"
        assert isinstance(app.focused, VirtualTable)


# --- keys that arrive in one burst --------------------------------------------------------


async def test_command_typed_in_one_burst_is_not_lost(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, "colon", *"orgs")
        assert isinstance(app.screen, CommandBar)
        assert app.screen.query_one(Input).value == "orgs"
        await press(pilot, "escape")
        await burst(pilot, "colon", *"org", "space", *"acme", "enter")
        assert isinstance(app.screen, OrganizationScreen) and app.screen.org_name == "acme"


async def test_filter_typed_in_one_burst_is_not_lost(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, "slash", *"labkit")
        table = app.screen.query_one(PackageTable)
        assert table.filter_input.value == "labkit"
        assert package_names(app) == ["labkit", "labkit"]


async def test_tab_in_a_burst_moves_to_the_next_field_first(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "n")
        assert isinstance(app.screen, PackageFormScreen)
        await burst(pilot, *"qa-pkg", "tab", *"QA", "space", *"test")
        assert app.screen.query_one("#pkg-name", Input).value == "qa-pkg"
        assert app.screen.query_one("#pkg-short", Input).value == "QA test"


async def test_tab_still_completes_in_the_command_bar(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "colon", *"or", "tab")
        assert app.screen.query_one(Input).value == "orgs"


# --- :export ----------------------------------------------------------------------------------


def test_export_is_a_command() -> None:
    assert parse_command("export widget-cli").name == "export"
    assert parse_command("exp").name == "export"


async def test_export_command_opens_the_export_dialog_prefilled(app_factory, demo_store) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"widget-cli", "enter", "enter")
        assert isinstance(app.screen, PackageScreen)
        uuid = app.screen.package.uuid
        await press(pilot, "colon", *"export", "enter")
        assert isinstance(app.screen, ExportScreen)
        assert app.screen.query_one("#export-scope", Input).value == uuid
        await press(pilot, "escape")
        assert isinstance(app.screen, PackageScreen)
        app.nav.open_org("acme")
        await settle(pilot)
        await press(pilot, "colon", *"export", "enter")
        assert isinstance(app.screen, ExportScreen)
        assert app.screen.query_one("#export-scope", Input).value == "acme"
        assert app.screen.query_one("#export-what").value == "org"


# --- loading status -----------------------------------------------------------------------------


async def test_status_says_loading_not_empty_before_the_first_read(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PackageTable)
        table.rows = []
        table.set_loading(True)
        table.refresh_rows()  # what a resize does while the first read is under way
        await pilot.pause()
        assert "loading packages" in str(table.query_one("#status").render())


async def test_fixed_width_cells_that_do_not_fit_end_with_an_ellipsis(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PackageTable)
        mine = next(r for r in table.visible_rows if r.item.owner == "maintainer")
        cells = table.table.shown_cells(table.table.index_of(mine.key))
        assert cells["owner"] == "maintain…"  # the Owner column is 9 cells wide
        assert mine.cells["owner"].plain == "maintainer"  # the row keeps the whole name


async def test_org_option_also_applies_after_the_welcome_screen(live_server, tmp_path, monkeypatch) -> None:
    from scarf_tui.config import Settings
    from scarf_tui.tui.welcome import WelcomeScreen

    from .helpers import make_app

    monkeypatch.setenv("SCARF_TUI_CONFIG", str(tmp_path / "config.toml"))
    app = make_app(None, settings=Settings(api_url=live_server), username=None, org="openlab")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press(*"demo")
        await press(pilot, "tab", *"maintainer", "enter")
        assert isinstance(app.screen, OrganizationScreen)
        assert app.screen.org_name == "openlab" and app.screen.active_tab == "org-packages"
        await press(pilot, "escape")
        assert isinstance(app.screen, PackagesScreen)


async def test_text_typed_right_after_a_key_that_opens_a_form_lands_in_the_form(app_factory, demo_store) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, "n", *"qa-pkg")
        assert isinstance(app.screen, PackageFormScreen)
        assert app.screen.query_one("#pkg-name", Input).value == "qa-pkg"
        await press(pilot, "escape")
        # In an editor pane: "n", the domain, enter, and "y" to confirm, all in one burst.
        await press(pilot, "colon", *"domains acme-py", "enter")
        uuid = app.screen.package.uuid
        before = {d["name"] for d in demo_store.domains[uuid]}
        await burst(pilot, "n", *"files.acme.example", "enter")
        await press(pilot, "y")
        after = {d["name"] for d in demo_store.domains[uuid]}
        assert after - before == {"files.acme.example"}


async def test_read_only_still_refuses_write_keys_with_a_message(app_factory, demo_store) -> None:
    app = app_factory(read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "n")
        assert isinstance(app.screen, PackagesScreen)
        assert any("Read-only" in str(n.message) for n in app._notifications)
