"""MembersPane: an organization's members and their roles.

`m`/`a`/`o` set the cursor row's role, `enter` picks one from a list, `n` adds a member,
`x`/`ctrl+d` removes one. Each change is confirmed first and re-read from the server after.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Select

from scarf_tui.domain import Member, MemberRole, validate_username
from scarf_tui.tui.common.editor_pane import EditorPane, level_text
from scarf_tui.tui.common.fields import ChoicePicker, FormField
from scarf_tui.tui.common.form import EditorForm
from scarf_tui.tui.common.text import safe_text, shown
from scarf_tui.tui.session import session_of

ROLES = [role.value for role in MemberRole]
ROLE_STYLES = {"owner": "bold", "admin": "bold"}


def role_of(member: Member) -> str:
    return str(getattr(member.role, "value", member.role))


class MemberForm(EditorForm[bool, tuple[str, MemberRole]]):
    """Add a member (or change one's role) by username."""

    confirm_title = "Change this membership?"
    field_names = {"username": "member-username", "role": "member-role"}

    def __init__(self, org: str, current: dict[str, str], on_failure: Callable[[], object] | None = None) -> None:
        super().__init__(on_failure=on_failure)
        self.org = org
        self.current = current
        self.form_title = f"Add a member to {shown(org)}"

    def compose_fields(self) -> ComposeResult:
        yield FormField("Username", Input(placeholder="username", id="member-username"))
        yield FormField(
            "Role",
            Select([(r, r) for r in ROLES], value="member", allow_blank=False, id="member-role"),
        )

    def collect(self) -> tuple[str, MemberRole] | None:
        username = self.value("member-username").strip()
        if not self.check_fields({"member-username": validate_username(username)}):
            return None
        return username, MemberRole(str(self.query_one("#member-role", Select).value))

    def changes(self, draft: tuple[str, MemberRole]) -> list[tuple[str, str, str]]:
        username, role = draft
        before = self.current.get(username, "(not a member)")
        if before == role.value:
            return []
        return [(username, before, role.value)]

    async def submit(self, draft: tuple[str, MemberRole]) -> bool:
        username, role = draft
        await session_of(self).api.upsert_member(self.org, username, role)
        return True


class MembersPane(EditorPane[Member]):
    BINDINGS = [
        Binding("m", "set_role('member')", "Member", id="members.role_member"),
        Binding("a", "set_role('admin')", "Admin", id="members.role_admin"),
        Binding("o", "set_role('owner')", "Owner", id="members.role_owner"),
        Binding("enter", "pick_role", "Role…", id="members.pick_role", priority=True),
        Binding("n,plus", "add_member", "Add", id="members.add"),
        Binding("ctrl+d", "remove_member", "Remove", id="members.remove"),
        Binding("r", "refresh", "Reload", id="members.refresh"),
    ]
    COLUMNS = (("username", "username"), ("role", "role"))
    WRITE_ACTIONS = frozenset({"set_role", "pick_role", "add_member", "remove_member"})
    EMPTY_TEXT = "No members. Press n to add one."
    HINT = "m/a/o set role · enter pick · n add · ^d remove · r reload"

    def __init__(self, org: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.org = org

    def title(self) -> Text:
        text = Text("Members · ", style="bold")
        text.append(safe_text(self.org))
        return text

    async def fetch(self) -> list[Member]:
        members = await self.service.list_members(self.org)
        return sorted(members, key=lambda m: (m.username.casefold(), m.username))

    def row_key(self, item: Member) -> str:
        return item.username

    def cells(self, item: Member) -> Sequence[object]:
        return (safe_text(item.username), level_text(role_of(item), styles=ROLE_STYLES))

    def roles(self) -> dict[str, str]:
        return {m.username: role_of(m) for m in self.items}

    # --- actions -------------------------------------------------------------------------------
    def action_set_role(self, role: str) -> None:
        if not self.may_write():
            return
        member = self.cursor_item()
        if member is None:
            self.app.notify("No member to change.", severity="warning")
            return
        if role_of(member) == role:
            self.app.notify(f"Already {role}: nothing to change.")
            return
        username = member.username

        self.confirm_write(
            f"Change a role in {shown(self.org)}?",
            [(username, role_of(member), role)],
            lambda: self.service.upsert_member(self.org, username, MemberRole(role)),
        )

    def action_pick_role(self) -> None:
        if not self.may_write():
            return
        member = self.cursor_item()
        if member is None:
            return

        def picked(role: str | None) -> None:
            if role:
                self.action_set_role(role)

        self.app.push_screen(ChoicePicker(f"Role for {shown(member.username)}", ROLES, role_of(member)), picked)

    def action_add_member(self) -> None:
        if not self.may_write():
            return
        self.app.push_screen(MemberForm(self.org, self.roles(), on_failure=self.reload), self.after_form)

    def action_remove_member(self) -> None:
        if not self.may_write():
            return
        member = self.cursor_item()
        if member is None:
            self.app.notify("No member to remove.", severity="warning")
            return
        username = member.username

        self.confirm_write(
            f"Remove a member from {shown(self.org)}?",
            [(username, role_of(member), "(removed)")],
            lambda: self.service.remove_member(self.org, username),
        )
