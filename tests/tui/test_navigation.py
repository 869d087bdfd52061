"""Pilot flows over the real app and the embedded demo server."""

from __future__ import annotations

from scarf_tui.config import Settings
from scarf_tui.tui.common.breadcrumbs import Breadcrumbs
from scarf_tui.tui.common.command_bar import CommandBar, UnknownCommand, parse_command
from scarf_tui.tui.help import HelpScreen
from scarf_tui.tui.organizations.list_screen import OrganizationsScreen
from scarf_tui.tui.organizations.organization_screen import OrganizationScreen
from scarf_tui.tui.packages.list_screen import PackagesScreen
from scarf_tui.tui.packages.package_screen import PackageScreen
from scarf_tui.tui.packages.table import PackageTable

from .helpers import press, settle


def crumbs(app) -> str:  # noqa: ANN001
    return app.screen.query_one(Breadcrumbs).path


def package_table(app) -> PackageTable:  # noqa: ANN001
    return app.screen.query_one(PackageTable)


async def command(pilot, text: str) -> None:  # noqa: ANN001
    await press(pilot, "colon")
    assert isinstance(pilot.app.screen, CommandBar)
    await pilot.press(*text)
    await press(pilot, "enter")


async def test_launch_shows_the_users_packages(app_factory, demo_store) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PackagesScreen)
        assert crumbs(app) == "scarf › packages"
        names = sorted(r.item.name for r in package_table(app).visible_rows)
        expected = sorted(p["name"] for p in demo_store.visible_packages("maintainer"))
        assert names == expected


async def test_sparkline_column_fills_after_the_list(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rows = {r.item.name: r for r in package_table(app).visible_rows}
        spark, _, total = rows["widget-cli"].cells["trend"].plain.partition(" ")
        assert len(spark) == 6 and set(spark) <= set("▁▂▃▄▅▆▇█")
        assert int(total.strip().replace(",", "")) > 0  # the 30-day total beside it


async def test_filter_open_and_switch_tabs(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"widget-cli", "enter")
        assert [r.item.name for r in package_table(app).visible_rows] == ["widget-cli"]
        await press(pilot, "enter")
        assert isinstance(app.screen, PackageScreen)
        assert app.screen.package.name == "widget-cli"
        assert crumbs(app) == "scarf › acme › widget-cli › overview"
        await press(pilot, "2")
        assert crumbs(app) == "scarf › acme › widget-cli › permissions"
        await press(pilot, "5")
        assert app.screen.active_tab == "charts"
        # the charts pane owns the digits; ] (next tab) wraps around to the overview
        await press(pilot, "right_square_bracket")
        assert app.screen.active_tab == "overview"
        await press(pilot, "left_square_bracket")
        assert app.screen.active_tab == "charts"
        await press(pilot, "left_square_bracket", "1")
        assert app.screen.active_tab == "overview"
        # widget-cli is an npm package: no routes or domains tab, the key does nothing
        await press(pilot, "3")
        assert app.screen.active_tab == "overview"


async def test_inverse_filter_sort_and_type_cycle(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = package_table(app)
        total = len(table.visible_rows)
        await press(pilot, "slash", *"!acme", "enter")
        assert table.visible_rows and all("acme" not in r.search_text for r in table.visible_rows)
        assert len(table.visible_rows) < total
        await press(pilot, "escape")  # clears the filter first, stays on the screen
        assert len(table.visible_rows) == total and isinstance(app.screen, PackagesScreen)
        await press(pilot, "N")
        names = [r.item.name for r in table.visible_rows]
        assert names == sorted(names, key=str.casefold)
        await press(pilot, "N")
        assert [r.item.name for r in table.visible_rows] == names[::-1]
        await press(pilot, "t")
        kinds = {r.item.library_type for r in table.visible_rows}
        assert len(kinds) == 1 and len(table.visible_rows) < total


async def test_escape_walks_back_through_history(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await command(pilot, "orgs")
        assert isinstance(app.screen, OrganizationsScreen)
        await press(pilot, "enter")
        assert isinstance(app.screen, OrganizationScreen)
        await command(pilot, "pkg widget-cli")
        assert isinstance(app.screen, PackageScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, OrganizationScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, OrganizationsScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, PackagesScreen)
        await press(pilot, "escape")  # nothing further back: stays
        assert isinstance(app.screen, PackagesScreen)
        assert app.is_running


async def test_command_bar_aliases(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await command(pilot, "org acme")
        assert isinstance(app.screen, OrganizationScreen) and app.screen.org_name == "acme"
        assert crumbs(app) == "scarf › organizations › acme › members"
        await command(pilot, "pkgs acme")
        assert isinstance(app.screen, PackagesScreen) and app.screen.org == "acme"
        assert {r.item.owner for r in package_table(app).visible_rows} == {"acme"}
        await command(pilot, "perms")  # the selected package's permissions tab
        assert isinstance(app.screen, PackageScreen)
        assert app.screen.active_tab == "permissions"
        await command(pilot, "charts")
        assert app.screen.active_tab == "charts"
        await command(pilot, "members")  # the package's owner organization
        assert isinstance(app.screen, OrganizationScreen) and app.screen.active_tab == "members"
        await command(pilot, "pkgs")
        assert isinstance(app.screen, PackagesScreen) and app.screen.org is None
        await command(pilot, "nonsense")
        assert isinstance(app.screen, PackagesScreen)
        await command(pilot, "q")
    assert not app.is_running


async def test_command_bar_tab_completes(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "colon", *"pkg widget-c", "tab")
        assert app.screen.query_one("#command").value == "pkg widget-cli"
        await press(pilot, "enter")
        assert isinstance(app.screen, PackageScreen) and app.screen.package.name == "widget-cli"


def test_parse_command() -> None:
    assert parse_command(":pkg widget-cli").argument == "widget-cli"
    assert parse_command("permissions").name == "perms"
    assert parse_command("q").name == "quit"
    try:
        parse_command("frobnicate")
    except UnknownCommand as err:
        assert "frobnicate" in str(err)
    else:  # pragma: no cover
        raise AssertionError("unknown commands must be refused")


async def test_help_lists_the_screens_bindings(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        ids = {e.binding_id: e.key for e in app.screen.entries}
        assert ids["app.command_bar"] == ":"
        assert ids["packages.new"] == "n"
        assert ids["table.filter"] == "/"
        assert "packages.delete" in ids and "app.quit" in ids
        await press(pilot, "escape")
        assert isinstance(app.screen, PackagesScreen)


async def test_keymap_from_settings_remaps_by_binding_id(app_factory) -> None:
    app = app_factory(settings=Settings(keymap={"app.help": "f1"}))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, PackagesScreen)
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)


async def test_copy_puts_the_selected_uuid_on_the_clipboard(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        selected = package_table(app).selected
        await press(pilot, "y")
        assert app.clipboard == selected.uuid


async def test_refresh_rereads_from_the_server(app_factory, demo_store) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        uuid = next(u for u, p in demo_store.packages.items() if p["name"] == "widget-cli")
        demo_store.packages[uuid]["shortDescription"] = "Changed on the server"
        await press(pilot, "r")
        row = next(r for r in package_table(app).visible_rows if r.key == uuid)
        assert row.cells["description"].plain == "Changed on the server"


async def test_read_only_hides_and_refuses_writes(app_factory, demo_store) -> None:
    app = app_factory(read_only=True)
    before = set(demo_store.packages)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "READ-ONLY" in str(app.screen.query_one(Breadcrumbs).render())
        shown = {b.binding.id for b in app.screen.active_bindings.values()}
        assert "packages.new" not in shown and "packages.delete" not in shown
        await press(pilot, "n")
        assert isinstance(app.screen, PackagesScreen)
        assert [n.message for n in app._notifications] == [
            "Read-only mode: “New” (n) was refused. Start scarf-tui without --read-only "
            "(and without read_only = true in config.toml) to make changes."
        ]
        await press(pilot, "ctrl+d")
        assert isinstance(app.screen, PackagesScreen)
        await press(pilot, "enter")
        assert isinstance(app.screen, PackageScreen)
        assert "package.edit" not in {b.binding.id for b in app.screen.active_bindings.values()}
        await press(pilot, "e")
        assert isinstance(app.screen, PackageScreen)
        assert any("Read-only mode" in n.message for n in app._notifications)  # e refused
        assert app.session.refuses_write(app) is True
    assert set(demo_store.packages) == before


async def test_command_palette_jumps_to_a_package(app_factory) -> None:
    from textual.command import CommandList, CommandPalette

    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"package roadrunner")
        hits = app.screen.query_one(CommandList)
        for _ in range(200):  # wait for the palette's search to deliver hits
            if hits.option_count:
                break
            await pilot.pause(0.01)
        assert hits.option_count
        await press(pilot, "down", "enter")
        assert isinstance(app.screen, PackageScreen)
        assert app.screen.package.name == "roadrunner"


async def test_copy_in_the_permissions_tab_takes_the_selected_username(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"widget-cli", "enter", "enter", "y")
        assert app.clipboard == app.screen.package.uuid  # overview: the package id
        await press(pilot, "p", "down", "y")
        from scarf_tui.tui.packages.permissions import PermissionsPane

        assert app.clipboard == app.screen.query_one(PermissionsPane).cursor_item().username


async def test_org_command_for_an_unknown_organization_stays_put(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = app.screen
        await press(pilot, "colon", *"org no-such-org", "enter")
        assert app.screen is before
        assert "No organization named no-such-org is visible to you." in [n.message for n in app._notifications]
        await press(pilot, "colon", *"org acme", "enter")
        assert crumbs(app) == "scarf › organizations › acme › members"


async def test_palette_entries_that_look_alike_show_type_and_owner(app_factory) -> None:
    """Several packages share a name (widget, widget-cli): each entry names its type and owner."""
    from textual.command import CommandList, CommandPalette

    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"widget")
        hits = app.screen.query_one(CommandList)
        for _ in range(200):  # wait for the palette's search to deliver hits
            if hits.option_count >= 2:
                break
            await pilot.pause(0.01)
        prompts = [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]
        assert any("package widget  (docker, acme)" in p for p in prompts), prompts
        assert any("package widget-cli  (npm, acme)" in p for p in prompts), prompts
