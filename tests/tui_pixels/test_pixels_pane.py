"""PixelsPane and PixelForm against the real demo server over API v2: each write is checked
against what the server's store holds afterwards."""

from __future__ import annotations

import asyncio

from scarf_tui.demo.store import DemoStore, Pixel
from scarf_tui.tui.common.confirm import ConfirmDialog, TypeToConfirm
from scarf_tui.tui.common.virtual_table import VirtualTable
from scarf_tui.tui.pixels.form import NAME_MISSING, PixelForm
from scarf_tui.tui.pixels.screen import PixelsPane
from tests.pane_host import PaneHost
from tests.tui.helpers import settle

from .conftest import versioned_service


def rows(table: VirtualTable) -> list[tuple[str, ...]]:
    return [tuple(str(getattr(c, "plain", c)) for c in table.row_cells(i)) for i in range(table.row_count)]


def store_pixels(store: DemoStore, owner: str) -> list[tuple[str, str | None]]:
    """(name, package name) of the owner's pixels, as the server holds them, by name."""
    out = []
    for px in store.pixels.values():
        if px.owner == owner:
            pkg = store.packages.get(px.package) if px.package else None
            out.append((px.name, pkg["name"] if pkg else None))
    return sorted(out, key=lambda r: r[0].casefold())


def shown_pixels(pane: PixelsPane) -> list[tuple[str, str | None]]:
    return [(r[0], None if r[1] == "—" else r[1]) for r in rows(pane.table)]


def host(service, owner="acme", **kwargs) -> PaneHost:  # noqa: ANN001, ANN003
    return PaneHost(service, lambda: PixelsPane(owner), **kwargs)


def notices(app) -> list[str]:  # noqa: ANN001
    return [n.message for n in app._notifications]


async def test_lists_every_pixel_of_the_owner_as_the_server_holds_them(v2, store):
    app = host(v2)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        pane = app.query_one(PixelsPane)
        expected = [("acme-readme", None), ("widget-docs", "widget-cli")]
        assert shown_pixels(pane) == store_pixels(store, "acme") == expected
        assert "2 pixels" in pane.query_one(".pane-status").content.plain


async def test_create_a_pixel_linked_by_package_name(v2, store):
    app = host(v2)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, PixelForm)
        await pilot.press(*"rocket-pixel", "tab", *"rocket-hs", "enter")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.changes == [("name", "(new pixel)", "rocket-pixel"), ("package", "(new pixel)", "rocket-hs")]
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, PixelForm)
        assert ("rocket-pixel", "rocket-hs") in store_pixels(store, "acme")
        assert shown_pixels(app.query_one(PixelsPane)) == store_pixels(store, "acme")


async def test_an_empty_name_is_refused_in_the_form_and_nothing_is_sent(v2, store, request_log):
    app = host(v2)
    before = store_pixels(store, "acme")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n", "tab", *"widget-cli", "enter")
        form = app.screen
        assert isinstance(form, PixelForm)
        assert form.field_error("pixel-name").message == NAME_MISSING
        assert form.value("pixel-package") == "widget-cli"
        assert not any(method == "POST" for method, _ in request_log)
    assert store_pixels(store, "acme") == before


async def test_a_duplicate_name_shows_the_servers_sentence_in_the_open_form(v2, store):
    app = host(v2)
    before = store_pixels(store, "acme")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n", *"widget-docs", "enter", "y")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, PixelForm)
        sentence = "This owner already has one with that name: choose another name."
        assert sentence in form.query_one("#form-error").message
        assert form.field_error("pixel-name").message
        assert form.value("pixel-name") == "widget-docs"
    assert store_pixels(store, "acme") == before


async def test_edit_renames_and_unlinks_the_package(v2, store):
    app = host(v2)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        pane = app.query_one(PixelsPane)
        pane.table.move_cursor(row=1)  # widget-docs, linked to widget-cli
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, PixelForm)
        assert form.value("pixel-name") == "widget-docs"
        assert form.value("pixel-package") == "widget-cli"
        form.query_one("#pixel-name").value = "widget-handbook"
        form.query_one("#pixel-package").value = ""
        await pilot.press("ctrl+s")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.changes == [("name", "widget-docs", "widget-handbook"), ("package", "widget-cli", "")]
        await pilot.press("y")
        await settle(pilot)
        assert store_pixels(store, "acme") == [("acme-readme", None), ("widget-handbook", None)]
        assert shown_pixels(pane) == store_pixels(store, "acme")


async def test_a_shared_package_name_asks_for_the_id(v2, store):
    acme_npm = next(p for p in store.packages.values() if p["owner"] == "acme" and p["name"] == "widget-cli")
    twin = dict(acme_npm, uuid="twin-widget-cli", libraryType="docker")
    store.packages["twin-widget-cli"] = twin
    app = host(v2)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n", *"twin-pixel", "tab", *"widget-cli", "enter", "y")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, PixelForm)
        assert "Several packages of acme are named widget-cli (docker, npm): enter the package id instead." in (
            form.query_one("#form-error").message
        )
    assert "twin-pixel" not in [name for name, _ in store_pixels(store, "acme")]


async def test_delete_needs_the_name_typed(v2, store):
    app = host(v2)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+d")
        dialog = app.screen
        assert isinstance(dialog, TypeToConfirm)
        assert dialog.expected == "acme-readme"
        await pilot.press(*"acme", "enter")
        assert app.screen is dialog
        assert "That does not match. Type acme-readme exactly." in dialog.query_one("#type-confirm-error").message
        assert ("acme-readme", None) in store_pixels(store, "acme")
        dialog.query_one("#type-confirm-input").value = "acme-readme"
        await pilot.press("enter")
        await settle(pilot)
        assert store_pixels(store, "acme") == [("widget-docs", "widget-cli")]
        assert shown_pixels(app.query_one(PixelsPane)) == store_pixels(store, "acme")


async def test_a_refused_delete_keeps_the_dialog_with_the_servers_sentence(v2, store):
    app = host(v2, owner="tinytools")  # the maintainer is only a member there: no writes
    store.pixels["tiny"] = Pixel("tiny", "tinytools", "tiny-px", None, "x")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+d", *"tiny-px", "enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, TypeToConfirm)
        sentence = "This account is not allowed to access tracking pixel 'tiny' (403)."
        assert dialog.query_one("#type-confirm-error").message == sentence
        await pilot.press("escape")
        await settle(pilot)
        assert shown_pixels(app.query_one(PixelsPane)) == [("tiny-px", None)]
    assert "tiny" in store.pixels


async def test_read_only_refuses_every_write_key(v2, store, request_log):
    app = host(v2, read_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for key in ("n", "e", "x"):
            await pilot.press(key)
        assert app.screen is app.screen_stack[0]
        assert not any(method in ("POST", "PUT", "DELETE") for method, _ in request_log)
        status = app.query_one(PixelsPane).query_one(".pane-status").content.plain
        assert status == "2 pixels · Read-only mode: changes are switched off · r reload"


async def test_hostile_pixel_names_stay_literal(v2, store):
    store.pixels["h1"] = Pixel("h1", "acme", "[@click=app.quit]x[/]", None, "x")
    store.pixels["h2"] = Pixel("h2", "acme", "\x1b[31mred\x1b[0m bell\x07", None, "x")
    app = host(v2)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        names = [r[0] for r in rows(app.query_one(PixelsPane).table)]
        assert "[@click=app.quit]x[/]" in names
        assert "red bell" in names
        await pilot.press("ctrl+d")  # the delete dialog names it literally too
        dialog = app.screen
        assert isinstance(dialog, TypeToConfirm)
        assert dialog.expected == "[@click=app.quit]x[/]"
        dialog.query_one("#type-confirm-input").value = "[@click=app.quit]x[/]"
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running  # the markup never ran
        assert "h1" not in store.pixels
        assert "red bell" in [r[0] for r in rows(app.query_one(PixelsPane).table)]


async def test_the_first_page_is_painted_at_once_and_the_count_stays_partial_until_the_last(store):
    """130 pixels take two pages of 100. While the second page is held back by the server, the
    first 100 rows are on screen and the status says they are not all; then all 130 are."""
    for n in range(128):
        store.pixels[f"bulk-{n:03}"] = Pixel(f"bulk-{n:03}", "acme", f"bulk-{n:03}", None, "x")
    gate = asyncio.Event()
    service = versioned_service(store, "v2", gate=gate)
    app = host(service)
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.query_one(PixelsPane)
        for _ in range(500):  # until the first page has been painted (no clock involved)
            if pane.table.row_count:
                break
            await pilot.pause()
        assert pane.table.row_count == 100
        assert pane.query_one(".pane-status").content.plain.startswith("100 so far… (more pages coming)")
        gate.set()
        await settle(pilot)
        assert shown_pixels(pane) == store_pixels(store, "acme")
        assert len(shown_pixels(pane)) == 130
        assert pane.query_one(".pane-status").content.plain.startswith("130 pixels · ")
    await service.aclose()
