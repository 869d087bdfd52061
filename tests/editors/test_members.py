"""MembersPane against the real demo server."""

from __future__ import annotations

from scarf_tui.tui.common.confirm import ConfirmDialog
from scarf_tui.tui.common.fields import ChoicePicker
from scarf_tui.tui.organizations.members import MemberForm, MembersPane

from .conftest import notifications, settle, table_rows
from .host import EditorHost


def shown_roles(app) -> dict[str, str]:
    return {row[0]: row[1] for row in table_rows(app.query_one(MembersPane).table)}


def open_pane(service, org="acme", **kwargs) -> EditorHost:
    return EditorHost(service, lambda: MembersPane(org), **kwargs)


async def test_change_role_with_a_key(service, demo_store):
    app = open_pane(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert shown_roles(app) == demo_store.members["acme"]
        # rows: alan, grace, ken, maintainer
        await pilot.press("a")
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.changes == [("alan", "member", "admin")]
        await pilot.press("y")
        await settle(pilot)
        assert demo_store.members["acme"]["alan"] == "admin"
        assert shown_roles(app) == demo_store.members["acme"]


async def test_pick_role_from_list(service, demo_store):
    app = open_pane(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # ken
        assert isinstance(app.screen, ChoicePicker)
        await pilot.press("end", "enter")  # owner
        assert app.screen.changes == [("ken", "member", "owner")]
        await pilot.press("y")
        await settle(pilot)
        assert demo_store.members["acme"]["ken"] == "owner"


async def test_add_member(service, demo_store):
    app = open_pane(service)
    assert "edsger" not in demo_store.members["acme"]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, MemberForm)
        await pilot.press(*"edsger", "enter")
        assert app.screen.changes == [("edsger", "(not a member)", "member")]
        await pilot.press("y")
        await settle(pilot)
        assert demo_store.members["acme"]["edsger"] == "member"
        assert shown_roles(app) == demo_store.members["acme"]


async def test_remove_member(service, demo_store):
    app = open_pane(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "ctrl+d")  # ken
        assert app.screen.changes == [("ken", "member", "(removed)")]
        await pilot.press("y")
        await settle(pilot)
        assert "ken" not in demo_store.members["acme"]
        assert shown_roles(app) == demo_store.members["acme"]


async def test_unknown_user_422_keeps_form(service, demo_store):
    app = open_pane(service)
    before = dict(demo_store.members["acme"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n", *"nosuchuser", "enter", "y")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, MemberForm)
        assert form.value("member-username") == "nosuchuser"
        assert "nosuchuser" in form.field_error("member-username").message
        assert "422" in form.query_one("#form-error").message
        assert demo_store.members["acme"] == before


async def test_removing_last_owner_is_refused_by_server(service, demo_store):
    app = open_pane(service)
    before = dict(demo_store.members["acme"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down", "ctrl+d", "y")  # maintainer, the only owner
        await settle(pilot)
        pane = app.query_one(MembersPane)
        assert pane.status_error is not None and "last owner" in pane.status_error
        assert any(sev == "error" and "last owner" in msg for sev, msg in notifications(app))
        assert demo_store.members["acme"] == before
        assert shown_roles(app) == demo_store.members["acme"]


async def test_server_error_leaves_server_state(service, demo_store, demo_faults):
    app = open_pane(service)
    before = dict(demo_store.members["acme"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        demo_faults.error_rate = 1.0
        await pilot.press("o", "y")
        await settle(pilot)
        assert app.query_one(MembersPane).status_error is not None
        assert demo_store.members["acme"] == before
        assert shown_roles(app) == demo_store.members["acme"]


async def test_read_only_refuses(service, demo_store):
    app = open_pane(service, read_only=True)
    before = dict(demo_store.members["acme"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in ("m", "a", "o", "enter", "n", "x", "ctrl+d"):
            await pilot.press(key)
            await settle(pilot)
            assert not isinstance(app.screen, (ConfirmDialog, MemberForm, ChoicePicker)), key
        assert demo_store.members["acme"] == before


async def test_hostile_member_renders_literally(hostile_store):
    from .host import in_process_service

    service = in_process_service(hostile_store)
    org = next(name for name in hostile_store.orgs if name.startswith("[bold red]"))
    app = EditorHost(service, lambda: MembersPane(org))
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        pane = app.query_one(MembersPane)
        assert "[bold red]boom[/]" in [row[0] for row in table_rows(pane.table)]
        assert org in pane.query_one(".pane-title").content.plain
        assert app.is_running
    await service.aclose()
