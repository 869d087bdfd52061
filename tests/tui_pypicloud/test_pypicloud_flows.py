"""The pypicloud screens in the real app, against the embedded pypicloud server: each test
does what a user would and then checks what the server's store holds."""

from __future__ import annotations

from textual.widgets import SelectionList

from scarf_tui.tui.common.confirm import ConfirmDialog, TypeToConfirm
from scarf_tui.tui.common.virtual_table import VirtualTable
from scarf_tui.tui.pypicloud.access import AccessPane
from scarf_tui.tui.pypicloud.forms import MembershipDialog
from scarf_tui.tui.pypicloud.groups import GroupsPane
from scarf_tui.tui.pypicloud.home_screen import PypicloudScreen
from scarf_tui.tui.pypicloud.package_screen import PypicloudPackageScreen
from scarf_tui.tui.pypicloud.packages import FilesPane, PackagesPane
from scarf_tui.tui.pypicloud.users import UsersPane
from tests.tui.helpers import press, settle

from .helpers import sources_app


def _rows(table: VirtualTable) -> list[list[str]]:
    return [[getattr(c, "plain", str(c)) for c in table.row_cells(i)] for i in range(table.row_count)]


async def _cursor_to(pilot, pane, key: str) -> None:  # noqa: ANN001
    keys = [pane.row_key(item) for item in pane.items]
    pane.table.move_cursor(row=keys.index(key), animate=False)
    await settle(pilot)


async def test_command_opens_packages_and_enter_opens_files():
    s = sources_app()
    async with s.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        s.app.nav.run_command("pypicloud")
        await settle(pilot)
        assert isinstance(s.app.screen, PypicloudScreen)
        pane = s.app.screen.query_one(PackagesPane)
        assert [p.name for p in pane.items] == sorted(s.pypi.packages, key=str.casefold)
        await _cursor_to(pilot, pane, "labkit")
        await press(pilot, "enter")
        assert isinstance(s.app.screen, PypicloudPackageScreen)
        files = s.app.screen.query_one(FilesPane)
        assert {f.filename for f in files.items} == {f.filename for f in s.pypi.packages["labkit"]}
        assert {row[0] for row in _rows(files.table)} == {"0.9.0", "1.0.0", "1.0.1"}


async def test_grant_write_with_one_key_reaches_the_server():
    s = sources_app()
    async with s.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        s.app.push_screen(PypicloudPackageScreen("acme-sdk", tab="pp-access"))
        await settle(pilot)
        pane = s.app.screen.query_one(AccessPane)
        assert [r.key for r in pane.items] == ["user:grace", "user:viewer", "group:acme-devs", "group:readers"]
        await _cursor_to(pilot, pane, "user:viewer")
        await press(pilot, "w")
        dialog = s.app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.changes == [("user viewer", "read", "read, write")]
        await press(pilot, "y")
        assert s.pypi.user_grants["acme-sdk"]["viewer"] == {"read", "write"}
        assert next(r for r in pane.items if r.key == "user:viewer").permissions == {"read", "write"}
        # `r` is reload, never a permission toggle.
        await press(pilot, "r")
        assert s.pypi.user_grants["acme-sdk"]["viewer"] == {"read", "write"}
        # Revoking read from the group: the same key toggles it off.
        await _cursor_to(pilot, pane, "group:readers")
        await press(pilot, "v")
        assert s.app.screen.changes == [("group readers", "read", "(none)")]
        await press(pilot, "y")
        assert "readers" not in s.pypi.group_grants["acme-sdk"]


async def test_cancelled_confirm_sends_nothing():
    s = sources_app()
    async with s.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        s.app.push_screen(PypicloudPackageScreen("acme-sdk", tab="pp-access"))
        await settle(pilot)
        pane = s.app.screen.query_one(AccessPane)
        await _cursor_to(pilot, pane, "user:viewer")
        await press(pilot, "w", "n")
        assert s.pypi.user_grants["acme-sdk"]["viewer"] == {"read"}


async def test_bulk_change_lists_failures_and_keeps_only_them_marked():
    s = sources_app()
    async with s.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        s.app.push_screen(PypicloudPackageScreen("acme-sdk", tab="pp-access"))
        await settle(pilot)
        pane = s.app.screen.query_one(AccessPane)
        await _cursor_to(pilot, pane, "user:viewer")
        await press(pilot, "space")
        await _cursor_to(pilot, pane, "group:readers")
        await press(pilot, "space")
        assert pane.marked == {"user:viewer", "group:readers"}
        # Someone removes the group meanwhile (its grant row is still listed by the server).
        del s.pypi.groups["readers"]
        await press(pilot, "w")
        assert s.app.screen.changes == [
            ("user viewer", "read", "read, write"),
            ("group readers", "read", "read, write"),
        ]
        await press(pilot, "y")
        assert s.pypi.user_grants["acme-sdk"]["viewer"] == {"read", "write"}
        assert s.pypi.group_grants["acme-sdk"]["readers"] == {"read"}
        assert pane.marked == {"group:readers"}
        result = pane.last_result
        assert result is not None and len(result.applied) == 1 and len(result.failed) == 1
        status = str(pane.query_one(".pane-status").content)
        assert status == (
            "pypicloud: 1 of 2 changes applied; could not grant write for group 'readers' on 'acme-sdk': "
            "group 'readers' or package 'acme-sdk' was not found (404).\n"
            "• grant write for group 'readers' on 'acme-sdk': pypicloud: group 'readers' or package 'acme-sdk' "
            "was not found (404).\n"
            "The failed rows stay marked: press v or w to try again."
        )


async def test_add_a_grant_validates_the_name_first():
    s = sources_app()
    async with s.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        s.app.push_screen(PypicloudPackageScreen("labkit", tab="pp-access"))
        await settle(pilot)
        await press(pilot, "n", *"nobody", "enter")
        error = s.app.screen.query_one("#grant-name-error")
        assert str(error.content) == "There is no user named 'nobody' on this server."
        await press(pilot, *["backspace"] * 6, *"alan", "enter")
        assert s.app.screen.changes == [("user alan", "(none)", "read")]
        await press(pilot, "y")
        assert s.pypi.user_grants["labkit"]["alan"] == {"read"}


async def test_group_members_change_reaches_the_server():
    s = sources_app()
    async with s.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        s.app.push_screen(PypicloudScreen("groups"))
        await settle(pilot)
        pane = s.app.screen.query_one(GroupsPane)
        await _cursor_to(pilot, pane, "release-bots")
        await press(pilot, "enter")
        dialog = s.app.screen
        assert isinstance(dialog, MembershipDialog)
        dialog.query_one(SelectionList).select("ada")
        await press(pilot, "enter")
        assert s.app.screen.changes == [("group release-bots", "(none)", "ada")]
        await press(pilot, "y")
        assert s.pypi.groups["release-bots"] == ["ada"]
        assert next(g for g in pane.items if g.name == "release-bots").members == ("ada",)


async def test_user_groups_and_admin_and_approve():
    s = sources_app()
    async with s.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        s.app.push_screen(PypicloudScreen("users"))
        await settle(pilot)
        pane = s.app.screen.query_one(UsersPane)
        assert [r.username for r in pane.items if r.pending] == ["newcomer", "Wat"]
        await _cursor_to(pilot, pane, "linus")
        await press(pilot, "e")
        s.app.screen.query_one(SelectionList).deselect("openlab")
        s.app.screen.query_one(SelectionList).select("readers")
        await press(pilot, "enter")
        assert s.app.screen.changes == [("user linus", "openlab", "readers")]
        await press(pilot, "y")
        assert "linus" not in s.pypi.groups["openlab"] and "linus" in s.pypi.groups["readers"]
        await _cursor_to(pilot, pane, "linus")
        await press(pilot, "m")
        assert s.app.screen.changes == [("user linus", "not an admin", "admin")]
        await press(pilot, "y")
        assert s.pypi.users["linus"].admin is True
        await _cursor_to(pilot, pane, "newcomer")
        await press(pilot, "a", "y")
        assert s.pypi.users["newcomer"].pending is False


async def test_deleting_a_file_asks_for_its_name():
    s = sources_app()
    async with s.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        s.app.push_screen(PypicloudPackageScreen("tinyfmt"))
        await settle(pilot)
        pane = s.app.screen.query_one(FilesPane)
        target = "tinyfmt-0.1.0.tar.gz"
        await _cursor_to(pilot, pane, target)
        await press(pilot, "ctrl+d")
        assert isinstance(s.app.screen, TypeToConfirm) and s.app.screen.expected == target
        await press(pilot, *"tinyfmt", "enter")
        error = str(s.app.screen.query_one("#type-confirm-error").content)
        assert error == f"That does not match. Type {target} exactly."
        assert target in {f.filename for f in s.pypi.packages["tinyfmt"]}
        await press(pilot, *"-0.1.0.tar.gz", "enter")
        assert target not in {f.filename for f in s.pypi.packages["tinyfmt"]}
        assert target not in {f.filename for f in pane.items}


async def test_not_an_admin_gets_a_read_only_view_with_a_sentence():
    s = sources_app(username="viewer", password="viewer")
    async with s.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        s.app.push_screen(PypicloudScreen("users"))
        await settle(pilot)
        pane = s.app.screen.query_one(UsersPane)
        status = str(pane.query_one(".pane-status").content)
        assert status == "pypicloud: 'viewer' is not an admin, so this view is read-only (403). " \
                         "Nothing here can be changed from this account."
        assert s.app.session.pypicloud_not_admin is not None
        await press(pilot, "1")
        packages = s.app.screen.query_one(PackagesPane)
        assert [p.name for p in packages.items] == ["acme-sdk", "internal-tools", "labkit", "widget"]


async def test_create_and_delete_a_group():
    s = sources_app()
    async with s.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        s.app.push_screen(PypicloudScreen("groups"))
        await settle(pilot)
        pane = s.app.screen.query_one(GroupsPane)
        await press(pilot, "n", *"openlab", "enter")
        assert str(s.app.screen.query_one("#group-name-error").content) == "A group named 'openlab' exists already."
        await press(pilot, *["backspace"] * 7, *"testers", "enter")
        assert s.app.screen.changes == [("group", "(none)", "testers")]
        await press(pilot, "y")
        assert s.pypi.groups["testers"] == []
        assert "testers" in [g.name for g in pane.items]
        await _cursor_to(pilot, pane, "testers")
        await press(pilot, "ctrl+d", *"testers", "enter")
        assert "testers" not in s.pypi.groups
        assert "testers" not in [g.name for g in pane.items]


async def test_delete_a_user_asks_for_the_name():
    s = sources_app()
    async with s.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        s.app.push_screen(PypicloudScreen("users"))
        await settle(pilot)
        pane = s.app.screen.query_one(UsersPane)
        await _cursor_to(pilot, pane, "linus")
        await press(pilot, "ctrl+d")
        assert isinstance(s.app.screen, TypeToConfirm) and s.app.screen.expected == "linus"
        await press(pilot, "escape")
        assert "linus" in s.pypi.users
        await press(pilot, "ctrl+d", *"linus", "enter")
        assert "linus" not in s.pypi.users and "linus" not in s.pypi.groups["openlab"]
        assert "linus" not in [u.username for u in pane.items]


async def test_pypicloud_url_at_start_opens_it_first():
    s = sources_app()
    s.app.session.pypicloud_at_start = True
    async with s.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(s.app.screen, PypicloudScreen)
        s.app.nav.run_command("pypicloud widget")
        await settle(pilot)
        assert isinstance(s.app.screen, PypicloudPackageScreen) and s.app.screen.package == "widget"


async def test_a_server_error_on_the_access_list_is_one_sentence():
    s = sources_app()
    s.pypi_faults.error_rate = 1.0
    async with s.app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        s.app.push_screen(PypicloudPackageScreen("acme-sdk", tab="pp-access"))
        await settle(pilot)
        pane = s.app.screen.query_one(AccessPane)
        status = str(pane.query_one(".pane-status").content)
        assert status == (
            "Could not load: pypicloud: the server had an error (500); try again shortly: Internal server error. "
            "Press r to retry."
        )


async def test_esc_drops_the_marks_before_leaving():
    s = sources_app()
    async with s.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        s.app.push_screen(PypicloudPackageScreen("acme-sdk", tab="pp-access"))
        await settle(pilot)
        pane = s.app.screen.query_one(AccessPane)
        await press(pilot, "space", "space")
        assert pane.marked == {"user:grace", "user:viewer"}
        await press(pilot, "escape")
        assert pane.marked == set() and isinstance(s.app.screen, PypicloudPackageScreen)
        await press(pilot, "escape")
        assert not isinstance(s.app.screen, PypicloudPackageScreen)


async def test_the_command_bar_completes_pypicloud_package_names():
    from scarf_tui.tui.common.command_bar import CommandSuggester

    s = sources_app()
    async with s.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        s.app.nav.run_command("pypicloud")
        await settle(pilot)
        suggester = CommandSuggester(s.app.session.known_names)
        assert await suggester.get_suggestion("pypicloud lab") == "pypicloud lab-secrets"
        assert await suggester.get_suggestion("pypicloud gr") == "pypicloud grace-lib"
        assert await suggester.get_suggestion("pypicloud us") == "pypicloud users"
