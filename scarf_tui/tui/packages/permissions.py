"""PermissionsPane: who may do what on one package, edited with single keys.

Cursor on a row, `a`, `y` makes that user an admin. `space` marks rows; a level key then sets
every marked row at once. `enter` picks a level from a list; `n`/`+` grants a level to a user.
The levels follow the API version (service.capabilities): v1 offers blocked/default/member/admin
(keys b d m a), v2 member/admin/owner (m a o) plus removing a user's access (ctrl+d).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Select

from scarf_tui.domain import Grant, GrantChange, Package, PermissionLevel, validate_user_query
from scarf_tui.tui.common.editor_pane import EditorPane, level_text
from scarf_tui.tui.common.fields import ChoicePicker, FormField
from scarf_tui.tui.common.form import EditorForm
from scarf_tui.tui.common.text import safe_text, shown
from scarf_tui.tui.session import session_of

LEVEL_STYLES = {"blocked": "bold red", "admin": "bold", "owner": "bold", "default": "dim"}
LEVEL_KEYS = {"admin": "a", "member": "m", "owner": "o", "default": "d", "blocked": "b"}  # hint order
MARK = "✓"


def level_of(grant: Grant) -> str:
    return str(getattr(grant.level, "value", grant.level))


def as_level(text: str) -> PermissionLevel | str:
    """The domain's level for a v1 name, the plain name for a level only v2 has ("owner")."""
    try:
        return PermissionLevel(text)
    except ValueError:
        return text


class GrantForm(EditorForm[bool, GrantChange]):
    """Give a user (email or username) a permission level on the package."""

    form_title = "Grant a permission"
    confirm_title = "Set this permission?"
    field_names = {"userQuery": "grant-user", "permissionLevel": "grant-level"}

    def __init__(
        self,
        package: Package,
        current: dict[str, str],
        on_failure: Callable[[], object] | None = None,
        *,
        levels: Sequence[str] = ("member", "admin"),
    ) -> None:
        super().__init__(on_failure=on_failure)
        self.package = package
        self.current = current
        self.levels = list(levels)
        self.form_title = f"Grant a permission on {shown(package.name)}"

    def compose_fields(self) -> ComposeResult:
        yield FormField(
            "User (email or username)",
            Input(placeholder="someone@example.com or username", id="grant-user"),
        )
        yield FormField(
            "Level",
            Select([(lvl, lvl) for lvl in self.levels], value="member", allow_blank=False, id="grant-level"),
        )

    def collect(self) -> GrantChange | None:
        query = self.value("grant-user").strip()
        if not self.check_fields({"grant-user": validate_user_query(query)}):
            return None
        level = self.query_one("#grant-level", Select).value
        return GrantChange(user_query=query, level=as_level(str(level)))

    def changes(self, draft: GrantChange) -> list[tuple[str, str, str]]:
        before = self.current.get(draft.user_query, "(no grant)")
        return [(draft.user_query, before, str(draft.level))]

    async def submit(self, draft: GrantChange) -> bool:
        await session_of(self).api.set_permissions(self.package.uuid, [draft])
        return True


class PermissionsPane(EditorPane[Grant]):
    """Username + level for one package. Blocked users stand out in red."""

    BINDINGS = [
        Binding("a", "set_level('admin')", "Admin", id="permissions.level_admin"),
        Binding("m", "set_level('member')", "Member", id="permissions.level_member"),
        Binding("d", "set_level('default')", "Default", id="permissions.level_default"),
        Binding("b", "set_level('blocked')", "Block", id="permissions.level_blocked"),
        Binding("o", "set_level('owner')", "Owner", id="permissions.level_owner"),
        Binding("ctrl+d", "remove_access", "Remove access", id="permissions.remove"),
        # priority: the table's own enter (select cursor) would otherwise take the key.
        Binding("enter", "pick_level", "Level…", id="permissions.pick_level", priority=True),
        Binding("space", "toggle_mark", "Mark", id="permissions.mark"),
        Binding("n,plus", "add_user", "Add user", id="permissions.add_user"),
        Binding("r", "refresh", "Reload", id="permissions.refresh"),
    ]
    COLUMNS = (("mark", " "), ("username", "username"), ("level", "level"))
    WRITE_ACTIONS = frozenset({"set_level", "pick_level", "toggle_mark", "add_user", "remove_access"})
    EMPTY_TEXT = "No permissions on this package yet. Press n to grant one."

    def __init__(self, package: Package, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.package = package
        self.marked: set[str] = set()

    def title(self) -> Text:
        text = Text("Permissions · ", style="bold")
        text.append(safe_text(self.package.name))
        return text

    async def fetch(self) -> list[Grant]:
        grants = await self.service.list_permissions(self.package.uuid)
        return sorted(grants, key=lambda g: (g.username.casefold(), g.username))

    def row_key(self, item: Grant) -> str:
        return item.username

    def cells(self, item: Grant) -> Sequence[object]:
        mark = Text(MARK, style="bold") if item.username in self.marked else Text(" ")
        return (mark, safe_text(item.username), level_text(level_of(item), styles=LEVEL_STYLES))

    def items_loaded(self) -> None:
        # A mark on a user the server no longer lists would silently shrink the next change.
        self.marked &= {g.username for g in self.items}

    @property
    def offered_levels(self) -> tuple[str, ...]:
        return self.service.capabilities.permission_levels

    def hint(self) -> str:
        keys = "/".join(key for level, key in LEVEL_KEYS.items() if level in self.offered_levels)
        remove = " · ^d remove" if self.service.capabilities.can_remove_access else ""
        return f"{keys} set level · enter pick · space mark{remove} · n add user · r reload"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = super().check_action(action, parameters)
        if not allowed:
            return allowed
        if action == "set_level" and parameters and parameters[0] not in self.offered_levels:
            return False  # a level this API version does not have: hidden, and the key does nothing
        if action == "remove_access" and not self.service.capabilities.can_remove_access:
            return False
        return True

    def has_layer(self) -> bool:
        return bool(self.marked) or super().has_layer()

    def action_peel(self) -> None:
        """esc: the marks go first, then the filter, then (the app's esc) the screen."""
        if self.marked:
            self.marked.clear()
            self.refresh_rows()
        else:
            super().action_peel()

    def status_text(self) -> Text:
        if self.marked:
            return Text(f"{len(self.marked)} marked: a level key sets all of them at once.", style="bold")
        return super().status_text()

    def levels(self) -> dict[str, str]:
        return {g.username: level_of(g) for g in self.items}

    def targets(self) -> list[Grant]:
        """The marked rows, or the cursor row when none is marked."""
        if self.marked:
            return [g for g in self.items if g.username in self.marked]
        grant = self.cursor_item()
        return [grant] if grant is not None else []

    # --- actions -------------------------------------------------------------------------------
    def action_toggle_mark(self) -> None:
        grant = self.cursor_item()
        if grant is None:
            return
        self.marked ^= {grant.username}
        self.refresh_rows()
        if self.table.cursor_row < self.table.row_count - 1:
            self.table.move_cursor(row=self.table.cursor_row + 1, animate=False)

    def action_set_level(self, level: str) -> None:
        if not self.may_write():
            return
        targets = self.targets()
        if not targets:
            self.app.notify("No row to change.", severity="warning")
            return
        changes = [g for g in targets if level_of(g) != level]
        if not changes:
            self.app.notify(f"Already {level}: nothing to change.")
            return
        rows = [(g.username, level_of(g), level) for g in changes]
        grants = [GrantChange(user_query=g.username, level=as_level(level)) for g in changes]
        title = (
            f"Set {len(grants)} permissions on {shown(self.package.name)}?"
            if len(grants) > 1
            else f"Set permission on {shown(self.package.name)}?"
        )

        self.confirm_write(
            title, rows, lambda: self.service.set_permissions(self.package.uuid, grants), after=self._clear_marks
        )

    def _clear_marks(self) -> None:
        self.marked.clear()

    def action_pick_level(self) -> None:
        if not self.may_write():
            return
        targets = self.targets()
        if not targets:
            return
        current = level_of(targets[0]) if len(targets) == 1 else None
        who = shown(targets[0].username) if len(targets) == 1 else f"{len(targets)} marked users"

        def picked(level: str | None) -> None:
            if level:
                self.action_set_level(level)

        self.app.push_screen(ChoicePicker(f"Level for {who}", list(self.offered_levels), current), picked)

    def action_remove_access(self) -> None:
        """v2: take the permission away (marked rows, or the cursor row)."""
        if not self.may_write():
            return
        targets = self.targets()
        if not targets:
            self.app.notify("No row to change.", severity="warning")
            return
        rows = [(g.username, level_of(g), "(no access)") for g in targets]
        names = [g.username for g in targets]
        title = f"Remove {len(names)} users' access to {shown(self.package.name)}?" if len(names) > 1 else (
            f"Remove access to {shown(self.package.name)}?"
        )

        async def remove() -> None:
            for name in names:
                await self.service.remove_permission(self.package.uuid, name)

        self.confirm_write(title, rows, remove, after=self._clear_marks)

    def action_add_user(self) -> None:
        if not self.may_write():
            return
        self.app.push_screen(
            GrantForm(self.package, self.levels(), on_failure=self.reload, levels=self.offered_levels),
            self.after_form,
        )
