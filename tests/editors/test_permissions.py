"""PermissionsPane against the real demo server: every flow ends by reading what the store holds."""

from __future__ import annotations

from scarf_tui.demo.store import DemoStore
from scarf_tui.tui.common.confirm import ConfirmDialog
from scarf_tui.tui.common.fields import ChoicePicker
from scarf_tui.tui.packages.permissions import GrantForm, PermissionsPane

from .conftest import RequestLog, notifications, package_uuid, settle, table_rows
from .host import EditorHost


async def open_pane(service, store: DemoStore, owner="acme", name="widget-cli", kind="npm", **host_kwargs):
    uuid = package_uuid(store, owner, name, kind)
    package = await service.get_package(uuid)
    app = EditorHost(service, lambda: PermissionsPane(package), **host_kwargs)
    return app, uuid


def shown_levels(app) -> dict[str, str]:
    return {row[1]: row[2] for row in table_rows(app.query_one(PermissionsPane).table)}


async def test_cursor_row_a_y_makes_admin(service, demo_store):
    app, uuid = await open_pane(service, demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert shown_levels(app) == demo_store.permissions[uuid]
        await pilot.press("down", "down")  # dennis, linus, -> margaret
        await pilot.press("a")
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.changes == [("margaret", "member", "admin")]
        await pilot.press("y")
        await settle(pilot)
        assert demo_store.permissions[uuid]["margaret"] == "admin"
        assert shown_levels(app) == demo_store.permissions[uuid]


async def test_cancel_changes_nothing(service, demo_store):
    app, uuid = await open_pane(service, demo_store)
    before = dict(demo_store.permissions[uuid])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a", "n")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmDialog)
        assert demo_store.permissions[uuid] == before


async def test_bulk_marks_set_in_one_post(logged_service, request_log: RequestLog, demo_store):
    app, uuid = await open_pane(logged_service, demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.query_one(PermissionsPane)
        # space marks and moves down: dennis, linus, margaret marked
        await pilot.press("space", "space", "space")
        assert pane.marked == {"dennis", "linus", "margaret"}
        assert [r[0] for r in table_rows(pane.table)] == ["✓", "✓", "✓", " "]
        posts_before = request_log.count("POST", "/permissions")
        await pilot.press("m")
        assert isinstance(app.screen, ConfirmDialog)
        # margaret is already a member: only the two real changes are listed and sent
        assert app.screen.changes == [("dennis", "blocked", "member"), ("linus", "admin", "member")]
        await pilot.press("y")
        await settle(pilot)
        assert request_log.count("POST", "/permissions") == posts_before + 1
        assert demo_store.permissions[uuid]["dennis"] == "member"
        assert demo_store.permissions[uuid]["linus"] == "member"
        assert pane.marked == set()
        assert shown_levels(app) == demo_store.permissions[uuid]


async def test_enter_picks_a_level_from_a_list(service, demo_store):
    app, uuid = await open_pane(service, demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down")  # linus (admin)
        await pilot.press("enter")
        assert isinstance(app.screen, ChoicePicker)
        await pilot.press("home", "enter")  # "blocked" is first
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.changes == [("linus", "admin", "blocked")]
        await pilot.press("enter")
        await settle(pilot)
        assert demo_store.permissions[uuid]["linus"] == "blocked"


async def test_add_user_by_email(service, demo_store):
    app, uuid = await open_pane(service, demo_store)
    assert "ada" not in demo_store.permissions[uuid]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, GrantForm)
        app.screen.query_one("#grant-level").value = "admin"
        await pilot.press(*"ada@example.org", "enter")
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.changes == [("ada@example.org", "(no grant)", "admin")]
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, GrantForm)
        assert demo_store.permissions[uuid]["ada"] == "admin"
        assert shown_levels(app) == demo_store.permissions[uuid]


async def test_invalid_user_query_is_refused_client_side(logged_service, request_log, demo_store):
    app, uuid = await open_pane(logged_service, demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n", *"not an@address", "enter")
        form = app.screen
        assert isinstance(form, GrantForm)
        assert "not an email address" in form.field_error("grant-user").message
        assert form.value("grant-user") == "not an@address"
        assert request_log.count("POST", "/permissions") == 0


async def test_unknown_user_422_keeps_form_and_text(service, demo_store):
    app, uuid = await open_pane(service, demo_store)
    before = dict(demo_store.permissions[uuid])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n", *"nobody@nowhere.example", "enter", "y")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, GrantForm)
        assert form.value("grant-user") == "nobody@nowhere.example"
        message = form.query_one("#form-error").message
        assert "422" in message and "nobody@nowhere.example" in message
        assert any(sev == "error" and "422" in msg for sev, msg in notifications(app))
        assert demo_store.permissions[uuid] == before
        await pilot.press("escape")
        await settle(pilot)
        assert shown_levels(app) == demo_store.permissions[uuid]


async def test_server_error_shows_sentence_and_server_state(service, demo_store, demo_faults):
    app, uuid = await open_pane(service, demo_store)
    before = dict(demo_store.permissions[uuid])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        demo_faults.error_rate = 1.0
        await pilot.press("a", "y")
        await settle(pilot)
        pane = app.query_one(PermissionsPane)
        assert pane.status_error is not None and "server error" in pane.status_error
        assert any(sev == "error" for sev, _ in notifications(app))
        assert demo_store.permissions[uuid] == before
        assert shown_levels(app) == demo_store.permissions[uuid]
        # once the server recovers, r re-reads and the error line clears
        demo_faults.error_rate = 0.0
        await pilot.press("r")
        await settle(pilot)
        assert pane.status_error is None


async def test_timeout_shows_sentence_and_rereads_server_state(impatient_service, demo_store, demo_faults):
    app, uuid = await open_pane(impatient_service, demo_store)
    before = dict(demo_store.permissions[uuid])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        demo_faults.latency_s = 1.0
        await pilot.press("d", "y")  # dennis: blocked -> default
        await settle(pilot)
        pane = app.query_one(PermissionsPane)
        assert pane.status_error is not None
        assert "did not answer" in pane.status_error and "press r" in pane.status_error
        assert any(sev == "error" for sev, _ in notifications(app))
        # the re-read timed out too, so the table still shows the last rows read, not a wish
        assert shown_levels(app) == before
        # the server gave up on the request when the client hung up (it reads the body after
        # the delay), so nothing changed; once it answers again, r shows what it holds
        demo_faults.latency_s = 0.0
        await pilot.press("r")
        await settle(pilot)
        assert pane.status_error is None
        assert demo_store.permissions[uuid] == before
        assert shown_levels(app) == demo_store.permissions[uuid]


async def test_read_only_refuses_every_write(service, demo_store):
    app, uuid = await open_pane(service, demo_store, read_only=True)
    before = dict(demo_store.permissions[uuid])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown_ids = {b.binding.id for b in app.active_bindings.values()}
        assert "permissions.level_admin" not in shown_ids
        assert "permissions.add_user" not in shown_ids
        assert "permissions.refresh" in shown_ids
        for key in ("a", "m", "d", "b", "space", "n", "plus", "enter"):
            await pilot.press(key)
            await settle(pilot)
            assert not isinstance(app.screen, (ConfirmDialog, GrantForm, ChoicePicker)), key
        # even an action run directly (palette, keymap) is refused
        pane = app.query_one(PermissionsPane)
        pane.action_set_level("admin")
        await settle(pilot)
        assert app.refused >= 1
        assert not isinstance(app.screen, ConfirmDialog)
        assert demo_store.permissions[uuid] == before


async def test_blocked_rows_stand_out(service, demo_store):
    app, uuid = await open_pane(service, demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one(PermissionsPane).table
        level_cell = table.row_cells(0)[2]  # dennis: blocked
        assert level_cell.plain == "blocked"
        assert any("red" in str(span.style) for span in level_cell.spans)


async def test_hostile_text_renders_literally(hostile_store):
    from .host import in_process_service

    service = in_process_service(hostile_store)
    uuid = next(u for u, p in hostile_store.packages.items() if p["name"] == "[@click=app.quit]x[/]")
    package = await service.get_package(uuid)
    app = EditorHost(service, lambda: PermissionsPane(package))
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        pane = app.query_one(PermissionsPane)
        usernames = [row[1] for row in table_rows(pane.table)]
        assert "[bold red]boom[/]" in usernames
        assert "redשלום漢字" in usernames  # ANSI and the bell are gone, letters kept
        assert "[@click=app.quit]x[/]" in pane.query_one(".pane-title").content.plain
        await pilot.click(".pane-title")
        await settle(pilot)
        assert app.is_running
        # the hostile user's level can still be changed (the raw name goes to the server)
        hostile_name = next(u for u in hostile_store.permissions[uuid] if u.startswith("\x1b"))
        row = [r[1] for r in table_rows(pane.table)].index("redשלום漢字")
        pane.table.move_cursor(row=row)
        await pilot.press("b", "y")
        await settle(pilot)
        assert hostile_store.permissions[uuid][hostile_name] == "blocked"
    await service.aclose()


async def test_read_only_says_so(service, demo_store):
    app, _ = await open_pane(service, demo_store, read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        status = app.query_one(PermissionsPane).query_one(".pane-status").content.plain
        assert "Read-only" in status
