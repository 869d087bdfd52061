"""Confirm dialogs and forms show server text literally, and never rewrite it by accident."""

from __future__ import annotations

import io

from rich.console import Console

from scarf_tui.tui.common.confirm import ConfirmDialog, TypeToConfirm, changes_table
from scarf_tui.tui.packages.form import PackageFormScreen

from .conftest import settle
from .host import EditorHost, in_process_service

MARKUP = "[@click=app.quit]x[/]"
BOLD = "[bold red]boom[/]"
ANSI = "\x1b[31mred\x1b[0m"


def rendered(renderable) -> str:
    out = io.StringIO()
    Console(file=out, width=100, color_system=None).print(renderable)
    return out.getvalue()


def test_changes_table_is_literal():
    text = rendered(changes_table([(MARKUP, BOLD, f"{ANSI}\x07漢字 שלום")]))
    assert MARKUP in text
    assert BOLD in text
    assert "red漢字 שלום" in text
    assert "\x1b" not in text and "\x07" not in text


class DialogHost(EditorHost):
    def __init__(self, service, dialog) -> None:
        super().__init__(service)
        self.dialog = dialog
        self.results: list[object] = []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.results.append)


async def test_confirm_dialog_keys(service):
    for keys, expected in ((["y"], True), (["enter"], True), (["n"], False), (["escape"], False)):
        app = DialogHost(service, ConfirmDialog(f"Change {MARKUP}?", [(BOLD, "a", "b")]))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press(*keys)
            await pilot.pause()
            assert app.results == [expected], keys
            assert app.is_running


async def test_confirm_dialog_mouse(service):
    app = DialogHost(service, ConfirmDialog("Sure?", [("x", "1", "2")]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click("#confirm-no")
        await pilot.pause()
        assert app.results == [False]


async def test_type_to_confirm_with_escapes_in_expected(service):
    dialog = TypeToConfirm(f"Delete {ANSI}?", f"{ANSI}\x07")
    assert dialog.expected == "red"
    app = DialogHost(service, dialog)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("r", "e", "enter")
        assert app.results == []
        await pilot.press("d", "enter")
        await pilot.pause()
        assert app.results == [True]


async def test_editing_hostile_package_keeps_raw_server_text(hostile_store):
    service = in_process_service(hostile_store)
    uuid = next(u for u, p in hostile_store.packages.items() if p["name"] == MARKUP)
    raw_long = hostile_store.packages[uuid]["longDescription"]
    assert "\x07" in raw_long
    package = await service.get_package(uuid)
    app = EditorHost(service)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        form = PackageFormScreen(existing=package)
        app.push_screen(form)
        await pilot.pause()
        # shown cleaned: no escapes reach the terminal
        assert form.value("pkg-name") == MARKUP
        assert "\x1b" not in form.value("pkg-short")
        widget = form.query_one("#pkg-short")
        widget.focus()
        widget.value = "calm now"
        await pilot.press("enter")
        # the stored website has spaces: the form says so (the API layer would refuse it)
        assert app.screen is form
        assert "must not contain spaces" in form.field_error("pkg-website").message
        form.query_one("#pkg-website").value = "https://hostile.example/fixed"
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmDialog)
        # only the fields the user changed are listed ...
        assert [row[0] for row in app.screen.changes] == ["shortDescription", "website"]
        await pilot.press("y")
        await settle(pilot)
        assert app.is_running
        assert app.screen is not form, form.query_one("#form-error").message
    # ... and the fields shown cleaned were sent back as the server had them
    stored = hostile_store.packages[uuid]
    assert stored["shortDescription"] == "calm now"
    assert stored["name"] == MARKUP
    assert stored["longDescription"] == raw_long
    await service.aclose()


async def test_editing_hostile_organization_server_refuses_its_own_name(hostile_store):
    """The demo server holds an organization name it would not accept in a PUT: the form
    shows the server's 422 sentence on the name field and keeps what was typed."""
    from scarf_tui.tui.organizations.form import OrganizationFormScreen

    service = in_process_service(hostile_store)
    name = next(n for n in hostile_store.orgs if n.startswith("[bold red]"))
    before = dict(hostile_store.orgs[name])
    org = await service.get_organization(name)
    app = EditorHost(service)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        form = OrganizationFormScreen(org)
        app.push_screen(form)
        await pilot.pause()
        assert form.value("org-name") == name  # a space in the stored name is not refused here
        form.query_one("#org-description").value = "plain words"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ConfirmDialog)
        assert [row[0] for row in app.screen.changes] == ["description"]
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is form
        assert "422" in form.query_one("#form-error").message
        assert "may contain only" in form.field_error("org-name").message
        assert form.value("org-description") == "plain words"
        assert app.is_running
    assert hostile_store.orgs[name] == before
    await service.aclose()
