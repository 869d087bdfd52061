"""Pilot: the access matrix against the embedded server, on API v1 and v2.

Every assertion on a write reads what the server holds (the demo store), not what the screen
wished for.
"""

from __future__ import annotations

import asyncio

from textual.worker import WorkerState

from scarf_tui.tui.access.grid import AccessGrid
from scarf_tui.tui.access.model import NONE, PENDING
from scarf_tui.tui.access.screen import AccessScreen
from scarf_tui.tui.common.confirm import ConfirmDialog
from scarf_tui.tui.common.fields import ChoicePicker
from scarf_tui.tui.help import HelpScreen
from scarf_tui.tui.organizations.organization_screen import OrganizationScreen
from scarf_tui.tui.session import offline_sentence, read_only_sentence
from tests.tui.helpers import make_app, press, settle

from .helpers import grid_lines, notifications, open_matrix, uuid_of

V2_LEVELS = ("member", "admin")  # what v2 lists of an organization's package (no owner: the org owns it)


def served_level(store, uuid: str, user: str, version: str) -> str:  # noqa: ANN001
    level = store.permissions[uuid].get(user, NONE)
    if version == "v2" and level not in V2_LEVELS:
        return NONE
    return level


def cell(screen: AccessScreen, package_name: str, user: str) -> str:
    matrix = screen.matrix
    assert matrix is not None
    index = next(i for i, p in enumerate(matrix.packages) if p.name == package_name)
    return matrix.level_by_name(index, user)


async def test_cells_fill_in_with_what_the_server_lists(versioned_service, demo_store) -> None:
    version = versioned_service.capabilities.version
    app = make_app(versioned_service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_matrix(pilot, "acme")
        matrix = screen.matrix
        assert matrix is not None
        listed = {p["name"] for p in demo_store.org_packages("acme")}
        assert {p.name for p in matrix.packages} <= listed
        assert set(demo_store.members["acme"]) <= set(matrix.users)
        for index, package in enumerate(matrix.packages):
            for user in matrix.users:
                assert matrix.level_by_name(index, user) == served_level(demo_store, package.uuid, user, version)
        total = len(matrix.packages)
        assert f"permissions {total}/{total}" in str(screen.progress_text())
        # The grid draws them: widget-cli's row names linus's admin grant, v1 shows dennis blocked.
        assert cell(screen, "widget-cli", "linus") == "admin"
        assert cell(screen, "widget-cli", "dennis") == ("blocked" if version == "v1" else NONE)
        assert any(line.startswith(" widget-cli") for line in grid_lines(screen))


async def test_rows_fill_in_as_answers_arrive_and_leaving_cancels_the_rest(service, demo_store) -> None:
    """Two packages answer, the others wait on the server: the progress line says 2 of N, the
    waiting rows show as not read, and esc cancels the reading worker."""
    original = service.list_permissions
    gate = asyncio.Event()
    answered: list[str] = []
    # The matrix reads in row order (by name), so the first two rows answer.
    names = sorted((p["name"] for p in demo_store.org_packages("acme")), key=str.casefold)[:2]
    first = {uuid_of(demo_store, "acme", name) for name in names}

    async def held(uuid: str, owner: str | None = None):  # noqa: ANN202
        if uuid not in first:
            await gate.wait()
        answered.append(uuid)
        return await original(uuid, owner=owner)

    service.list_permissions = held
    app = make_app(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("colon", *"matrix acme", "enter")
        for _ in range(200):  # pauses, not time: until the two answers are drawn
            await pilot.pause()
            screen = app.screen
            if isinstance(screen, AccessScreen) and screen.matrix and screen.matrix.read_count == 2:
                break
        screen = app.screen
        assert isinstance(screen, AccessScreen) and screen.matrix is not None
        total = len(screen.matrix.packages)
        assert f"permissions 2/{total}…" in str(screen.progress_text())
        assert cell(screen, names[0], "linus") == NONE
        assert cell(screen, "widget-cli", "linus") == PENDING
        assert " widget-cli      …" in "\n".join(grid_lines(screen))
        workers = [w for w in screen.workers if w.group == "access-load"]
        assert workers and workers[0].state == WorkerState.RUNNING
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, AccessScreen)
        await workers[0].wait() if workers[0].state == WorkerState.RUNNING else None
        assert workers[0].state == WorkerState.CANCELLED
        gate.set()
        await pilot.pause()
        assert len(answered) == 2


async def test_a_cell_changes_in_place_and_shows_what_the_server_holds(versioned_service, demo_store) -> None:
    """Filter both axes down to one cell (widget-cli × margaret), `a`, confirm: the server holds
    admin, the cell shows the re-read level and the success line names the change."""
    uuid = uuid_of(demo_store, "acme", "widget-cli")
    app = make_app(versioned_service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_matrix(pilot, "acme")
        await press(pilot, "slash", *"widget-cli", "enter", "u", *"margaret", "enter")
        assert screen.matrix is not None
        assert [screen.matrix.package_name(i) for i in screen.matrix.rows] == ["widget-cli"]
        assert [screen.matrix.users[i] for i in screen.matrix.cols] == ["margaret"]
        assert demo_store.permissions[uuid]["margaret"] == "member"
        await press(pilot, "a")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.changes == [("widget-cli · margaret", "member", "admin")]
        await press(pilot, "y")
        assert app.screen is screen
        assert demo_store.permissions[uuid]["margaret"] == "admin"
        assert cell(screen, "widget-cli", "margaret") == "admin"
        assert "Saved: widget-cli · margaret: member → admin" in notifications(app)
        assert not screen.matrix.marks


async def test_the_level_picker_sets_the_cursor_cell(versioned_service, demo_store) -> None:
    uuid = uuid_of(demo_store, "acme", "widget-cli")
    app = make_app(versioned_service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_matrix(pilot, "acme")
        await press(pilot, "slash", *"widget-cli", "enter", "u", *"linus", "enter", "enter")
        picker = app.screen
        assert isinstance(picker, ChoicePicker)
        await press(pilot, "home", "enter")  # the first level offered: blocked on v1, member on v2
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "y")
        expected = "blocked" if versioned_service.capabilities.version == "v1" else "member"
        assert demo_store.permissions[uuid]["linus"] == expected
        assert cell(screen, "widget-cli", "linus") == expected


async def test_bulk_apply_lists_every_change_and_keeps_only_the_failed_cells_marked(
    versioned_service, demo_store
) -> None:
    """tinytools: the maintainer is an admin of tiny-json (an explicit grant) and only a member
    of tinyhttp, so the server refuses that package's change and accepts the other."""
    json_uuid = uuid_of(demo_store, "tinytools", "tiny-json")
    http_uuid = uuid_of(demo_store, "tinytools", "tinyhttp")
    app = make_app(versioned_service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_matrix(pilot, "tinytools")
        await press(pilot, "u", *"edsger", "enter", "slash", *"tiny-json", "enter", "space")
        assert screen.matrix is not None and len(screen.matrix.marks) == 1
        await press(pilot, "slash", "ctrl+u", *"tinyhttp", "enter", "space")  # marks outlive a filter
        assert len(screen.matrix.marks) == 2
        await press(pilot, "a")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.changes == [
            ("tiny-json · edsger", "(no access)", "admin"),
            ("tinyhttp · edsger", "(no access)", "admin"),
        ]
        await press(pilot, "y")
        assert demo_store.permissions[json_uuid]["edsger"] == "admin"
        assert "edsger" not in demo_store.permissions[http_uuid]
        assert cell(screen, "tiny-json", "edsger") == "admin"
        assert cell(screen, "tinyhttp", "edsger") == NONE
        assert screen.matrix.marks == {(http_uuid, "edsger")}
        [failure] = screen.failures
        assert failure.startswith("tinyhttp · edsger: (no access) → admin: ")
        assert "403" in failure or "permission" in failure.casefold() or "admin" in failure.casefold()
        assert "Saved: tiny-json · edsger: (no access) → admin" in notifications(app)
        panel = str(screen.query_one("#access-failures").render())
        assert "1 of the changes were not applied (they stay marked):" in panel
        assert failure in panel


async def test_v2_removes_access_and_v1_has_no_such_key(versioned_service, demo_store) -> None:
    uuid = uuid_of(demo_store, "acme", "widget-cli")
    v2 = versioned_service.capabilities.version == "v2"
    app = make_app(versioned_service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_matrix(pilot, "acme")
        await press(pilot, "slash", *"widget-cli", "enter", "u", *"linus", "enter", "ctrl+d")
        if not v2:
            assert app.screen is screen  # hidden and inert on v1
            assert demo_store.permissions[uuid]["linus"] == "admin"
            return
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.changes == [("widget-cli · linus", "admin", "(no access)")]
        await press(pilot, "y")
        assert "linus" not in demo_store.permissions[uuid]
        assert cell(screen, "widget-cli", "linus") == NONE


async def test_read_only_and_offline_refuse_writes_with_the_session_sentence(service, demo_store) -> None:
    for session, sentence in (
        ({"read_only": True}, read_only_sentence("“Admin” (a)")),
        ({"offline": True}, offline_sentence("“Admin” (a)")),
    ):
        before = {u: dict(g) for u, g in demo_store.permissions.items()}
        app = make_app(service, **session)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_matrix(pilot, "acme")
            await press(pilot, "a")
            assert app.screen is screen
            assert notifications(app)[-1] == sentence
            await press(pilot, "space")
            assert screen.matrix is not None and not screen.matrix.marks
            assert "Read-only mode: changes are switched off" in str(screen.query_one("#access-hint").render())
        assert demo_store.permissions == before


async def test_filters_narrow_both_axes_and_esc_peels_marks_then_filters(service, demo_store) -> None:
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_matrix(pilot, "acme")
        matrix = screen.matrix
        assert matrix is not None
        await press(pilot, "slash", *"widget", "enter")
        assert sorted(matrix.package_name(i) for i in matrix.rows) == ["widget", "widget-cli"]
        await press(pilot, "u", *"!a", "enter")  # users without an "a"
        assert all("a" not in matrix.users[i].casefold() for i in matrix.cols)
        assert "ken" in [matrix.users[i] for i in matrix.cols]
        assert "showing 2×" in str(screen.progress_text())
        await press(pilot, "space")
        assert len(matrix.marks) == 1
        await press(pilot, "escape")
        assert not matrix.marks and matrix.package_filter == "widget"
        await press(pilot, "escape")
        assert matrix.package_filter == "" and matrix.user_filter == ""
        assert len(matrix.rows) == len(matrix.packages) and len(matrix.cols) == len(matrix.users)
        await press(pilot, "escape")
        assert not isinstance(app.screen, AccessScreen)


async def test_hostile_names_show_literally(hostile_service, hostile_store) -> None:
    from scarf_tui.demo.data import HOSTILE_ORG

    app = make_app(hostile_service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = AccessScreen(HOSTILE_ORG.name)
        await app.push_screen(screen)
        await settle(pilot)
        assert screen.matrix is not None and screen.matrix.packages
        text = "\n".join(grid_lines(screen))
        assert "\x1b" not in text and "\x07" not in text
        assert " [@click=app.quit]x[/]" in text  # markup characters stay characters
        assert "[bold red]boo…" in text.splitlines()[0]
        assert app.is_running


async def test_reached_from_the_organization_screen_and_by_a_picker(service) -> None:
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.nav.open_org("acme")
        await settle(pilot)
        assert isinstance(app.screen, OrganizationScreen)
        await press(pilot, "x")
        assert isinstance(app.screen, AccessScreen) and app.screen.org == "acme"
        await press(pilot, "escape", "escape")  # back to the packages list
        # The cursor on one of the user's own packages: no organization in view, so a picker asks.
        await press(pilot, "slash", *"dotfiles", "enter", "colon", *"access", "enter")
        picker = app.screen
        assert isinstance(picker, ChoicePicker)
        await press(pilot, "home", "enter")
        assert isinstance(app.screen, AccessScreen)


async def test_help_lists_the_matrix_keys(service) -> None:
    app = make_app(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_matrix(pilot, "acme")
        await press(pilot, "question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        ids = {entry.binding_id for entry in help_screen.entries}
        assert {"access.filter_packages", "access.filter_users", "access.mark", "access.pick_level",
                "access.level_admin", "access_grid.left", "access_grid.down"} <= ids


async def test_the_cursor_moves_by_cell_and_the_headers_stay(service) -> None:
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_matrix(pilot, "acme")
        grid = screen.query_one(AccessGrid)
        await press(pilot, "l", "l", "j")
        assert (grid.row, grid.col) == (1, 2)
        await press(pilot, "dollar_sign", "G")
        assert screen.matrix is not None
        assert (grid.row, grid.col) == (len(screen.matrix.rows) - 1, len(screen.matrix.cols) - 1)
        lines = grid_lines(screen)
        assert lines[0].startswith(" package \\ user")
        last = screen.matrix.package_name(screen.matrix.rows[-1])
        assert any(line.startswith(" " + last[:8]) for line in lines[1:])


async def test_filters_typed_in_one_burst_land_in_the_fields(service, demo_store) -> None:
    """"uedsger⏎/tiny⏎" arriving at once (a paste, SSH): "d" and "e" must not reach the grid,
    where "d" would start a change."""
    from textual import events

    before = {u: dict(g) for u, g in demo_store.permissions.items()}
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_matrix(pilot, "tinytools")
        keys = ["u", *"edsger", "enter", "slash", *"tiny", "enter"]
        for key in keys:
            app.post_message(events.Key(key, {"slash": "/", "enter": "\r"}.get(key, key)))
        await settle(pilot)
        assert app.screen is screen
        assert screen.matrix is not None
        assert (screen.matrix.user_filter, screen.matrix.package_filter) == ("edsger", "tiny")
    assert demo_store.permissions == before


async def test_rows_scrolled_into_view_are_read_next() -> None:
    """60 packages, every read held: after G the bottom rows are the next ones asked for."""
    import httpx

    from scarf_tui.api import make_service
    from scarf_tui.demo import DEMO_TOKEN
    from scarf_tui.demo.app import create_app
    from scarf_tui.demo.scale import SCALE_ORG, add_scaled_org
    from scarf_tui.demo.store import build_demo_store
    from tests.conftest import FIXED_TODAY

    store = build_demo_store(today=FIXED_TODAY)
    add_scaled_org(store, 60)
    service = make_service("http://demo.invalid/api", DEMO_TOKEN,
                           transport=httpx.ASGITransport(app=create_app(store)), backoff=0.0)
    original, gate, asked = service.list_permissions, asyncio.Event(), []

    async def held(uuid: str, owner: str | None = None):  # noqa: ANN202
        asked.append(uuid)
        await gate.wait()
        return await original(uuid, owner=owner)

    service.list_permissions = held
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("colon", *f"matrix {SCALE_ORG.name}", "enter")
        for _ in range(200):
            await pilot.pause()
            if len(asked) == service.concurrency:
                break
        screen = app.screen
        assert isinstance(screen, AccessScreen) and screen.matrix is not None
        await pilot.press("G")
        await pilot.pause()
        gate.set()
        await settle(pilot)
        matrix = screen.matrix
        bottom = {matrix.packages[i].uuid for i in matrix.rows[-5:]}
        assert bottom <= set(asked[service.concurrency : service.concurrency + 20])
        assert matrix.read_count == len(matrix.packages)
    await service.aclose()
