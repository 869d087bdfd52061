"""pypicloud users: the list with pending registrations, approve, make or unmake admin, delete
(type the name), and the groups a user is in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding

from scarf_tui.sources.pypicloud import BulkResult, MembershipChange
from scarf_tui.tui.common.confirm import ConfirmDialog, TypeToConfirm
from scarf_tui.tui.common.text import safe_text, shown
from scarf_tui.tui.pypicloud.base import SourcePane, yes_no


@dataclass(frozen=True)
class UserRow:
    username: str
    admin: bool
    pending: bool = False


class UsersPane(SourcePane[UserRow]):
    BINDINGS = [
        Binding("a", "approve", "Approve", id="pypicloud_users.approve"),
        Binding("m", "toggle_admin", "Admin on/off", id="pypicloud_users.admin"),
        # e, not g: list tables take g/G for the first/last row.
        Binding("e", "groups", "Groups…", id="pypicloud_users.groups"),
        Binding("ctrl+d,delete", "delete_user", "Delete", id="pypicloud_users.delete"),
        Binding("r", "refresh", "Reload", id="pypicloud_users.refresh"),
    ]
    COLUMNS = (("username", "user"), ("admin", "admin"), ("state", "state"))
    WRITE_ACTIONS = frozenset({"approve", "toggle_admin", "groups", "delete_user"})
    ADMIN_WRITES = WRITE_ACTIONS
    EMPTY_TEXT = "No users."
    HINT = "a approve · m admin on/off · e groups · ctrl+d delete · r reload"

    def title(self) -> Text:
        return Text("pypicloud · users", style="bold")

    async def read(self) -> Sequence[UserRow]:
        users = await self.service.list_users()
        pending = await self.service.pending_users()
        rows = [UserRow(u.username, u.admin) for u in users if u.username not in pending]
        rows += [UserRow(name, False, True) for name in pending]
        return sorted(rows, key=lambda r: (not r.pending, r.username.casefold(), r.username))

    def row_key(self, item: UserRow) -> str:
        return item.username

    def cells(self, item: UserRow) -> Sequence[object]:
        state = Text("pending approval", style="bold yellow") if item.pending else Text("active", style="dim")
        return (safe_text(item.username, style="bold"), yes_no(item.admin), state)

    def status_text(self) -> Text:
        waiting = sum(1 for row in self.items if row.pending)
        if waiting and not self.not_admin and not self.session.read_only:
            return Text(f"{waiting} registration(s) waiting for approval · {self.HINT}", style="bold")
        return super().status_text()

    def _confirm(self, title: str, rows: list[tuple[str, str, str]], request, done: str) -> None:  # noqa: ANN001
        def confirmed(ok: bool | None) -> None:
            if ok:
                self.write(request, after=lambda: self.app.notify(done, markup=False))

        self.app.push_screen(ConfirmDialog(title, rows), confirmed)

    def action_approve(self) -> None:
        if not self.may_admin() or (row := self.cursor_item()) is None:
            return
        if not row.pending:
            self.app.notify(f"{shown(row.username)} is not waiting for approval.", markup=False)
            return
        service, name = self.service, row.username
        self._confirm(f"Approve {shown(name)}?", [(f"user {shown(name)}", "pending approval", "active")],
                      lambda: service.approve_user(name), f"Approved {shown(name)}.")

    def action_toggle_admin(self) -> None:
        if not self.may_admin() or (row := self.cursor_item()) is None:
            return
        if row.pending:
            self.app.notify("Approve the registration first.", severity="warning")
            return
        service, name, admin = self.service, row.username, not row.admin
        verb = "Make" if admin else "Unmake"
        self._confirm(
            f"{verb} {shown(name)} an admin?",
            [(f"user {shown(name)}", "admin" if row.admin else "not an admin", "admin" if admin else "not an admin")],
            lambda: service.set_admin(name, admin),
            f"{shown(name)} is {'now' if admin else 'no longer'} an admin.",
        )

    def action_delete_user(self) -> None:
        if not self.may_admin() or (row := self.cursor_item()) is None:
            return
        service, name = self.service, row.username

        async def delete() -> None:
            await service.delete_user(name)

        self.app.push_screen(
            TypeToConfirm(f"Delete pypicloud user {shown(name)}? Their grants go too.", name, action=delete,
                          on_failure=self.reload),
            lambda _deleted: self.reload(),
        )

    def action_groups(self) -> None:
        if not self.may_admin() or (row := self.cursor_item()) is None:
            return
        self._open_groups(row.username)

    def _open_groups(self, username: str) -> None:
        self.run_worker(self._groups_dialog(username), group="pypicloud-user-groups", exclusive=True,
                        exit_on_error=False)

    async def _groups_dialog(self, username: str) -> None:
        from scarf_tui.api.errors import ScarfError
        from scarf_tui.tui.common.errors import notify_error
        from scarf_tui.tui.pypicloud.forms import MembershipDialog, membership_row

        service = self.service
        try:
            detail = await service.get_user(username)
            groups = await service.list_groups()
        except ScarfError as err:
            notify_error(self, err)
            return
        label = f"user {shown(username)}"

        def chosen(changes: list[MembershipChange] | None) -> None:
            if not changes:
                return
            row = membership_row(label, detail.groups, changes)
            result: list[BulkResult] = []

            async def request() -> None:
                result.append(await service.apply_memberships(changes))

            def after() -> None:
                outcome = result[0]
                self.app.notify(outcome.summary(), severity="error" if outcome.failed else "information",
                                markup=False)

            def confirmed(ok: bool | None) -> None:
                if ok:
                    self.write(request, after=after)

            self.app.push_screen(ConfirmDialog(f"Change the groups of {shown(username)}?", [row]), confirmed)

        self.app.push_screen(
            MembershipDialog(f"Groups of {shown(username)}", user=username, choices=groups, current=detail.groups),
            chosen,
        )
