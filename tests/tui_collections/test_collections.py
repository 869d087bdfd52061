"""CollectionsPane, CollectionForm and CollectionsScreen against the real demo server: every
write is checked against what the server's store holds afterwards."""

from __future__ import annotations

from textual.widgets import Static

from scarf_tui.api.models import V1_MISSING
from scarf_tui.demo.store import DemoStore
from scarf_tui.tui.collections.form import CollectionForm
from scarf_tui.tui.collections.screen import CollectionsPane, CollectionsScreen
from scarf_tui.tui.common.confirm import ConfirmDialog, TypeToConfirm
from scarf_tui.tui.common.virtual_table import VirtualTable
from tests.pane_host import PaneHost
from tests.tui.helpers import make_app, press, settle

from .conftest import versioned_service


def rows(table: VirtualTable) -> list[tuple[str, ...]]:
    return [tuple(str(getattr(c, "plain", c)) for c in table.row_cells(i)) for i in range(table.row_count)]


def held(store: DemoStore, owner: str) -> list[tuple[str, str, str, str]]:
    """(pattern, public domain, backend, id) of the owner's collections as the server holds them."""
    found = [c for c in store.collections.values() if c["owner"] == owner]
    found.sort(key=lambda c: (c["pattern"].casefold(), c["id"]))
    return [(c["pattern"], c["public_domain"], c["backend_domain"], c["id"]) for c in found]


def host(service, owner="acme", **kwargs) -> PaneHost:  # noqa: ANN001, ANN003
    return PaneHost(service, lambda: CollectionsPane(owner), **kwargs)


async def test_lists_the_owners_collections_as_the_server_holds_them(v2, store):
    app = host(v2)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert rows(app.query_one(CollectionsPane).table) == held(store, "acme")
        assert [r[0] for r in held(store, "acme")] == ["acme-labs/tools-*", "acme/*"]


async def test_create_a_collection_and_scarf_picks_the_public_domain(v2, store):
    app = host(v2)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n", *"acme-edge/*", "tab", *"quay.io", "enter")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.changes == [
            ("pattern", "(new collection)", "acme-edge/*"),
            ("backend registry", "(new collection)", "quay.io"),
            ("public domain", "(new collection)", "(chosen by Scarf)"),
        ]
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, CollectionForm)
        created = [c for c in held(store, "acme") if c[0] == "acme-edge/*"]
        assert [(c[1], c[2]) for c in created] == [("acme.docker.scarf.sh", "quay.io")]
        assert rows(app.query_one(CollectionsPane).table) == held(store, "acme")


async def test_edit_the_pattern_and_both_domains(v2, store):
    app = host(v2)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        pane = app.query_one(CollectionsPane)
        pane.table.move_cursor(row=1)  # acme/*
        target = pane.cursor_item()
        await pilot.press("enter")
        form = app.screen
        assert isinstance(form, CollectionForm)
        values = [form.value(f"collection-{name}") for name in ("pattern", "backend", "public")]
        assert values == ["acme/*", "ghcr.io", "cr.acme.example"]
        form.query_one("#collection-pattern").value = "acme/widgets-*"
        form.query_one("#collection-backend").value = "registry.acme.example:5000"
        form.query_one("#collection-public").value = "images.acme.example"
        await pilot.press("ctrl+s")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.changes == [
            ("pattern", "acme/*", "acme/widgets-*"),
            ("backend registry", "ghcr.io", "registry.acme.example:5000"),
            ("public domain", "cr.acme.example", "images.acme.example"),
        ]
        await pilot.press("y")
        await settle(pilot)
        assert store.collections[target.id]["pattern"] == "acme/widgets-*"
        assert store.collections[target.id]["backend_domain"] == "registry.acme.example:5000"
        assert store.collections[target.id]["public_domain"] == "images.acme.example"
        assert rows(pane.table) == held(store, "acme")


async def test_client_checks_keep_the_text_and_send_nothing(v2, store, request_log):
    app = host(v2)
    before = held(store, "acme")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n", *"acme-all", "tab", *"https://ghcr.io/x", "enter")
        form = app.screen
        assert isinstance(form, CollectionForm)
        assert form.field_error("collection-pattern").message == (
            "A pattern matches many images: put a '*' in it, e.g. acme/*."
        )
        assert form.field_error("collection-backend").message == (
            "The backend registry is a host name only, without scheme or path (e.g. ghcr.io)."
        )
        assert form.value("collection-pattern") == "acme-all"
        assert not any(method == "POST" for method, _ in request_log)
    assert held(store, "acme") == before


async def test_a_duplicated_pattern_shows_the_servers_sentence_under_the_pattern(v2, store):
    app = host(v2)
    before = held(store, "acme")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n", *"acme/*", "tab", *"docker.io", "enter", "y")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CollectionForm)
        sentence = "This owner already has a collection with that pattern: change it."
        assert sentence in form.query_one("#form-error").message
        assert form.field_error("collection-pattern").message == sentence
    assert held(store, "acme") == before


async def test_a_public_domain_in_use_is_refused_by_the_server(v2, store):
    app = host(v2)
    before = held(store, "acme")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n", *"acme-new/*", "tab", *"docker.io", "tab", *"cr.openlab.example", "enter", "y")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CollectionForm)
        sentence = "That public domain is already used by another package or collection: choose another."
        assert form.field_error("collection-public").message == sentence
    assert held(store, "acme") == before


async def test_delete_needs_the_pattern_typed(v2, store):
    app = host(v2)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+d")
        dialog = app.screen
        assert isinstance(dialog, TypeToConfirm)
        assert dialog.expected == "acme-labs/tools-*"
        await pilot.press(*"acme-labs/tools-*", "enter")
        await settle(pilot)
        assert [c[0] for c in held(store, "acme")] == ["acme/*"]
        assert rows(app.query_one(CollectionsPane).table) == held(store, "acme")


async def test_read_only_hides_the_write_keys(v2, store, request_log):
    app = host(v2, read_only=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        for key in ("n", "e", "x", "enter"):
            await pilot.press(key)
        assert app.screen is app.screen_stack[0]
        assert not any(method in ("POST", "PUT", "DELETE") for method, _ in request_log)


async def test_the_collections_command_and_api_v1s_sentence(v1, request_log):
    app = make_app(v1)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        request_log.clear()
        await press(pilot, "colon", *"collections acme", "enter")
        screen = app.screen
        assert isinstance(screen, CollectionsScreen)
        assert screen.query_one("#owner-missing", Static).content.plain == V1_MISSING["collections"]
        assert request_log == []


async def test_the_collections_command_on_v2(v2, store):
    app = make_app(v2)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "colon", *"cols openlab", "enter")
        screen = app.screen
        assert isinstance(screen, CollectionsScreen)
        assert screen.crumbs() == ["openlab", "collections"]
        assert rows(screen.query_one(CollectionsPane).table) == held(store, "openlab")


async def test_hostile_collection_text_stays_literal(v2, store):
    store.collections["hostile"] = {
        "id": "hostile", "owner": "acme", "type": "docker", "pattern": "[@click=app.quit]x[/]*",
        "public_domain": "\x1b[31mred.example", "backend_domain": "[bold]ghcr.io[/]",
        "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z",
    }
    app = host(v2)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        shown = rows(app.query_one(CollectionsPane).table)
        assert ("[@click=app.quit]x[/]*", "red.example", "[bold]ghcr.io[/]", "hostile") in shown
        await pilot.press("enter")  # the first row: its edit form shows the text as typed
        form = app.screen
        assert isinstance(form, CollectionForm)
        assert form.value("collection-pattern") == "[@click=app.quit]x[/]*"
        assert app.is_running


async def test_without_a_username_the_screen_asks_whose(store, request_log):
    service = versioned_service(store, "v2", request_log, username=None)
    app = PaneHost(service, username=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        request_log.clear()
        app.push_screen(CollectionsScreen())
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CollectionsScreen)
        assert screen.query_one("#owner-missing", Static).content.plain == (
            "Whose collections? Type :collections OWNER, or set your username in config.toml."
        )
        assert request_log == []
    await service.aclose()


async def test_an_edit_cannot_empty_the_public_domain(v2, store, request_log):
    app = host(v2)
    before = held(store, "acme")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, CollectionForm)
        form.query_one("#collection-public").value = ""
        await pilot.press("ctrl+s")
        assert app.screen is form
        assert form.field_error("collection-public").message == "Enter the public domain, e.g. cr.example.com."
        assert not any(method == "PUT" for method, _ in request_log)
    assert held(store, "acme") == before
