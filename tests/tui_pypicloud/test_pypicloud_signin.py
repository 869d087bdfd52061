"""Signing in to pypicloud: a 401 opens the sign-in dialog with the server's sentence; a good
password replaces the service and the screen reads again. Over a loopback socket, because the
dialog builds its own client. Also: hostile names stay literal, read-only mode refuses writes."""

from __future__ import annotations

import contextlib

from textual.widgets import Input, Static

from scarf_tui.demo.loopback import running_server
from scarf_tui.demo.pypicloud import build_pypicloud_store, create_pypicloud_app
from scarf_tui.demo.pypicloud.store import HOSTILE_GROUP, HOSTILE_PACKAGE, HOSTILE_USER
from scarf_tui.demo.store import build_demo_store
from scarf_tui.sources.pypicloud import make_pypicloud_service
from scarf_tui.tui import session as session_module
from scarf_tui.tui.pypicloud.access import AccessPane
from scarf_tui.tui.pypicloud.home_screen import PypicloudScreen
from scarf_tui.tui.pypicloud.login import PypicloudLogin
from scarf_tui.tui.pypicloud.package_screen import PypicloudPackageScreen
from scarf_tui.tui.pypicloud.packages import PackagesPane
from tests.tui.helpers import FIXED_TODAY, make_app, press, service_for, settle

from .helpers import sources_app


def _refusal(what: str) -> str:
    """The read-only gate's sentence (naming the refused key where the app does so)."""
    name = getattr(session_module, "read_only_sentence", None)
    return name(what) if callable(name) else session_module.READ_ONLY_SENTENCE


def _status(widget) -> str:  # noqa: ANN001
    return str(widget.query_one("#login-status", Static).content)


async def test_a_401_asks_again_and_a_good_password_reloads():
    store = build_pypicloud_store()
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(running_server(create_pypicloud_app(store))).removesuffix("/api")
        wrong = make_pypicloud_service(url, "maintainer", "not-the-password", backoff=0.0)
        app = make_app(service_for(build_demo_store(today=FIXED_TODAY)), close_service_on_exit=True,
                       pypicloud=wrong, pypicloud_url=url)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            app.nav.run_command("pypicloud")
            await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, PypicloudLogin)
            assert _status(dialog) == (
                "⚠ pypicloud: the user name or password for 'maintainer' was rejected (401); sign in again."
            )
            assert dialog.query_one("#login-url", Input).value == url
            assert dialog.query_one("#login-username", Input).value == "maintainer"
            assert dialog.query_one("#login-password", Input).has_focus
            await press(pilot, *"wrong-again", "enter")
            assert isinstance(app.screen, PypicloudLogin)
            assert _status(app.screen).startswith("⚠ pypicloud: the user name or password for 'maintainer'")
            field = app.screen.query_one("#login-password", Input)
            field.value = ""
            await press(pilot, *"demo", "enter")
            assert isinstance(app.screen, PypicloudScreen)
            assert app.session.pypicloud is not wrong and app.session.pypicloud is not None
            pane = app.screen.query_one(PackagesPane)
            assert [p.name for p in pane.items] == sorted(store.packages, key=str.casefold)
            await app.session.pypicloud.aclose()
            await wrong.aclose()


async def test_no_account_asks_to_sign_in_first_and_cancel_stays_put():
    s = sources_app(signed_in=False)
    async with s.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = len(s.app.screen_stack)
        s.app.nav.run_command("pypicloud users")
        await settle(pilot)
        assert isinstance(s.app.screen, PypicloudLogin)
        await press(pilot, "enter")
        assert _status(s.app.screen) == "⚠ Type a user name and the password first."
        await press(pilot, "escape")
        assert len(s.app.screen_stack) == before and s.app.session.pypicloud is None


async def test_hostile_pypicloud_names_stay_literal():
    s = sources_app(hostile=True)
    async with s.app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        s.app.push_screen(PypicloudPackageScreen(HOSTILE_PACKAGE, tab="pp-access"))
        await settle(pilot)
        assert s.app.is_running
        pane = s.app.screen.query_one(AccessPane)
        cells = [[getattr(c, "plain", c) for c in pane.table.row_cells(i)] for i in range(pane.table.row_count)]
        assert [row[1:] for row in cells] == [
            ["user", HOSTILE_USER, "yes", "yes"],
            ["group", HOSTILE_GROUP, "yes", "no"],
        ]
        title = str(pane.query_one(".pane-title", Static).content)
        assert title.startswith("Access · [@click=app.quit]x[/]-漢字שלום")
        await press(pilot, "w")
        assert s.app.screen.changes == [(f"user {HOSTILE_USER}", "read, write", "read")]
        await press(pilot, "y")
        assert s.pypi.user_grants[HOSTILE_PACKAGE][HOSTILE_USER] == {"read"}
        assert s.app.is_running


async def test_hostile_user_and_group_names_stay_literal_in_lists_and_dialogs():
    from scarf_tui.tui.pypicloud.forms import MembershipDialog
    from scarf_tui.tui.pypicloud.groups import GroupsPane
    from scarf_tui.tui.pypicloud.users import UsersPane

    s = sources_app(hostile=True)
    async with s.app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        s.app.nav.run_command("pypicloud users")
        await settle(pilot)
        users = s.app.screen.query_one(UsersPane)
        names = [users.table.row_cells(i)[0].plain for i in range(users.table.row_count)]
        assert HOSTILE_USER in names
        await press(pilot, "3")
        groups = s.app.screen.query_one(GroupsPane)
        row = next(i for i, g in enumerate(groups.items) if g.name == HOSTILE_GROUP)
        cells = [getattr(c, "plain", c) for c in groups.table.row_cells(row)]
        assert cells == [HOSTILE_GROUP, "2", f"{HOSTILE_USER}, viewer"]
        groups.table.move_cursor(row=row)
        await press(pilot, "enter")
        dialog = s.app.screen
        assert isinstance(dialog, MembershipDialog)
        assert str(dialog.query_one("#dialog-title", Static).content) == f"Members of {HOSTILE_GROUP}"
        await press(pilot, "escape")
        assert s.app.is_running and s.pypi.groups[HOSTILE_GROUP] == [HOSTILE_USER, "viewer"]


async def test_read_only_mode_refuses_grant_changes():
    s = sources_app(read_only=True)
    async with s.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        s.app.push_screen(PypicloudPackageScreen("acme-sdk", tab="pp-access"))
        await settle(pilot)
        await press(pilot, "w")
        assert isinstance(s.app.screen, PypicloudPackageScreen)
        assert [n.message for n in s.app._notifications][-1] == _refusal("“Write” (w)")
        assert s.pypi.user_grants["acme-sdk"]["grace"] == {"read", "write"}


async def test_the_welcome_screens_demo_serves_pypicloud_and_purldb_too():
    app = make_app(None, username=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "f2")
        await settle(pilot)
        assert app.session.service is not None
        assert app.session.pypicloud is not None and app.session.pypicloud.username == "maintainer"
        assert app.session.purldb is not None
        assert app.session.purldb.enabled_for == frozenset({"scarf", "docker", "pypicloud"})
        app.nav.run_command("pypicloud")
        await settle(pilot)
        assert isinstance(app.screen, PypicloudScreen)
        assert "labkit" in [p.name for p in app.screen.query_one(PackagesPane).items]
