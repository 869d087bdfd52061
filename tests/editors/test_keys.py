"""The keyboard grammar every list shares: vim/k9s motions, `/` in every pane, esc peels one
layer at a time (marks, then the filter, then the screen), one delete key."""

from __future__ import annotations

from scarf_tui.tui.common.confirm import ConfirmDialog
from scarf_tui.tui.organizations.members import MembersPane
from scarf_tui.tui.packages.domains import DomainsPane
from scarf_tui.tui.packages.permissions import PermissionsPane
from scarf_tui.tui.packages.routes import RoutesPane

from .conftest import package_uuid, settle, table_rows
from .host import EditorHost


async def permissions_host(service, store):  # noqa: ANN001, ANN201
    package = await service.get_package(package_uuid(store, "acme", "widget-cli", "npm"))
    return EditorHost(service, lambda: PermissionsPane(package))


async def test_vim_motions_move_the_cursor(service, demo_store):
    app = await permissions_host(service, demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one(PermissionsPane).table
        last = table.row_count - 1
        assert last >= 2
        await pilot.press("j")
        assert table.cursor_row == 1
        await pilot.press("k")
        assert table.cursor_row == 0
        await pilot.press("G")
        assert table.cursor_row == last
        await pilot.press("g")
        assert table.cursor_row == 0
        await pilot.press("end")
        assert table.cursor_row == last
        await pilot.press("home")
        assert table.cursor_row == 0
        await pilot.press("ctrl+f")
        assert table.cursor_row == last  # fewer rows than a page
        await pilot.press("ctrl+b")
        assert table.cursor_row == 0


async def test_slash_filters_a_pane_and_esc_clears_it(service, demo_store):
    app = await permissions_host(service, demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.query_one(PermissionsPane)
        everyone = [row[1] for row in table_rows(pane.table)]
        await pilot.press("slash", *"marg", "enter")
        assert [row[1] for row in table_rows(pane.table)] == ["margaret"]
        assert str(pane.status_text()) == f"filter: marg · 1 of {len(everyone)} · esc clears"
        assert app.focused is pane.table
        await pilot.press("slash", "ctrl+u", *"!marg", "enter")
        assert [row[1] for row in table_rows(pane.table)] == [n for n in everyone if n != "margaret"]
        await pilot.press("escape")
        assert [row[1] for row in table_rows(pane.table)] == everyone


async def test_esc_peels_marks_then_filter_then_leaves(service, demo_store):
    app = await permissions_host(service, demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.query_one(PermissionsPane)
        await pilot.press("slash", "!", "x", "enter", "space", "space")
        assert len(pane.marked) == 2 and pane.filter_text == "!x"
        await pilot.press("escape")
        assert pane.marked == set() and pane.filter_text == "!x"  # the marks went first
        await pilot.press("escape")
        assert pane.filter_text == ""  # then the filter
        assert pane.check_action("peel", ()) is False  # the next esc is the screen's (back)


async def test_one_delete_key_in_every_pane(service, demo_store):
    for pane in (RoutesPane, DomainsPane, MembersPane):
        keys = {b.key for b in pane.BINDINGS if b.action.startswith(("delete_", "remove_"))}
        assert keys == {"ctrl+d"}, pane
    assert {b.key for b in PermissionsPane.BINDINGS if b.action == "remove_access"} == {"ctrl+d"}
    uuid = package_uuid(demo_store, "acme", "acme-downloads", "file")
    package = await service.get_package(uuid)
    app = EditorHost(service, lambda: DomainsPane(package))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        assert not isinstance(app.screen, ConfirmDialog)  # x no longer deletes
        await pilot.press("ctrl+d")
        assert isinstance(app.screen, ConfirmDialog)


async def test_a_saved_change_is_named_in_one_line(service, demo_store):
    app = await permissions_host(service, demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down")  # dennis, linus -> margaret (member)
        await pilot.press("a", "y")
        await settle(pilot)
        assert demo_store.permissions[package_uuid(demo_store, "acme", "widget-cli", "npm")]["margaret"] == "admin"
        assert "Saved: margaret: member → admin" in [n.message for n in app._notifications]
