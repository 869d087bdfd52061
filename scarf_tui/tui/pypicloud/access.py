"""A pypicloud package's access: users and groups × read/write, toggled with single keys.

`v` toggles read, `w` toggles write on the cursor row, or on every row marked with `space`
(granted to the rows that lack it, else revoked from all); esc drops the marks. `n`/`+` grants to a user or group
not listed yet. Each edit is validated, confirmed (before → after), sent as one request per
grant, then re-read. When some grants fail, the failures are listed and stay marked: only what
failed is still unapplied. (`r` is reload, as everywhere.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding

from scarf_tui.sources.pypicloud import BulkResult, GrantChange, Permission, PrincipalKind
from scarf_tui.tui.common.confirm import ConfirmDialog
from scarf_tui.tui.common.text import safe_str, safe_text, shown
from scarf_tui.tui.pypicloud.base import SourcePane, yes_no

MARK = "✓"


@dataclass(frozen=True)
class AccessRow:
    kind: PrincipalKind
    name: str
    permissions: frozenset[Permission]

    @property
    def key(self) -> str:
        return f"{self.kind.value}:{self.name}"

    @property
    def label(self) -> str:
        return f"{self.kind.value} {safe_str(self.name)}"

    def has(self, permission: Permission) -> bool:
        return permission in self.permissions


def permissions_text(permissions: frozenset[Permission]) -> str:
    names = [p.value for p in Permission if p in permissions]
    return ", ".join(names) if names else "(none)"


def describe_failures(result: BulkResult) -> str:
    lines = [result.summary()]
    lines += [f"• {safe_str(f.change.describe())}: {safe_str(f.message)}" for f in result.failed]
    return "\n".join(lines)


class AccessPane(SourcePane[AccessRow]):
    BINDINGS = [
        Binding("v", "flip('read')", "Read", id="pypicloud_access.read"),
        Binding("w", "flip('write')", "Write", id="pypicloud_access.write"),
        Binding("space", "toggle_mark", "Mark", id="pypicloud_access.mark"),
        Binding("n,plus", "add", "Add", id="pypicloud_access.add"),
        Binding("r", "refresh", "Reload", id="pypicloud_access.refresh"),
    ]
    COLUMNS = (("mark", " "), ("kind", "kind"), ("name", "name"), ("read", "read"), ("write", "write"))
    WRITE_ACTIONS = frozenset({"flip", "toggle_mark", "add"})
    ADMIN_WRITES = WRITE_ACTIONS
    EMPTY_TEXT = "No user or group holds a grant on this package. Press n to add one."
    HINT = "v read · w write · space mark · n add · r reload"

    def __init__(self, package: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.package = package
        self.marked: set[str] = set()
        self.last_result: BulkResult | None = None
        self.known: dict[PrincipalKind, list[str]] = {PrincipalKind.USER: [], PrincipalKind.GROUP: []}

    def title(self) -> Text:
        text = Text("Access · ", style="bold")
        text.append_text(safe_text(self.package))
        return text

    async def read(self) -> Sequence[AccessRow]:
        access = await self.service.package_access(self.package)
        users = await self.service.list_users()
        groups = await self.service.list_groups()
        self.known = {PrincipalKind.USER: [u.username for u in users], PrincipalKind.GROUP: list(groups)}
        rows = [AccessRow(e.kind, e.name, e.permissions) for e in (*access.users, *access.groups)]
        return sorted(rows, key=lambda r: (r.kind.value != "user", r.name.casefold(), r.name))

    def row_key(self, item: AccessRow) -> str:
        return item.key

    def cells(self, item: AccessRow) -> Sequence[object]:
        mark = Text(MARK, style="bold") if item.key in self.marked else Text(" ")
        return (
            mark,
            Text(item.kind.value, style="dim"),
            safe_text(item.name, style="bold"),
            yes_no(item.has(Permission.READ)),
            yes_no(item.has(Permission.WRITE)),
        )

    def items_loaded(self) -> None:
        self.marked &= {row.key for row in self.items}

    def status_text(self) -> Text:
        result = self.last_result
        if result is not None and result.failed:
            return Text(describe_failures(result) + "\nThe failed rows stay marked: press v or w to try again.",
                        style="bold red")
        if self.marked and not self.not_admin:
            return Text(f"{len(self.marked)} marked: v or w changes all of them.", style="bold")
        return super().status_text()

    def has_layer(self) -> bool:
        return bool(self.marked) or super().has_layer()

    def action_peel(self) -> None:
        """esc: the marks (and a listed failure) go first, then the filter, then the screen."""
        if self.marked:
            self.marked.clear()
            self.last_result = None
            self.refresh_rows()
        else:
            super().action_peel()

    def targets(self) -> list[AccessRow]:
        if self.marked:
            return [row for row in self.items if row.key in self.marked]
        row = self.cursor_item()
        return [row] if row is not None else []

    # --- actions -------------------------------------------------------------------------------
    def action_toggle_mark(self) -> None:
        row = self.cursor_item()
        if row is None:
            return
        self.marked ^= {row.key}
        self.refresh_rows()
        if self.table.cursor_row < self.table.row_count - 1:
            self.table.move_cursor(row=self.table.cursor_row + 1, animate=False)

    def action_flip(self, permission: str) -> None:
        if not self.may_admin():
            return
        rows = self.targets()
        if not rows:
            self.app.notify("No row to change. Press n to add a user or group.", severity="warning")
            return
        perm = Permission(permission)
        grant = any(not row.has(perm) for row in rows)
        changes = [
            GrantChange(self.package, row.kind, row.name, perm, grant) for row in rows if row.has(perm) != grant
        ]
        self.confirm_and_apply(changes)

    def confirm_and_apply(self, changes: list[GrantChange]) -> None:
        """Validate -> confirm (before -> after) -> one request per grant -> re-read."""
        if not changes:
            self.app.notify("Nothing to change.")
            return
        rows = []
        for kind, name in dict.fromkeys((c.kind, c.name) for c in changes):
            current = next((r for r in self.items if r.kind is kind and r.name == name), None)
            before = current.permissions if current is not None else frozenset()
            after = set(before)
            for change in changes:
                if change.kind is kind and change.name == name:
                    (after.add if change.grant else after.discard)(change.permission)
            label = f"{kind.value} {safe_str(name)}"
            rows.append((label, permissions_text(before), permissions_text(frozenset(after))))
        count = len(changes)
        title = f"Change {count} grant{'s' if count != 1 else ''} on {shown(self.package)}?"

        def confirmed(ok: bool | None) -> None:
            if ok:
                self.apply(changes)

        self.app.push_screen(ConfirmDialog(title, rows), confirmed)

    def apply(self, changes: list[GrantChange]) -> None:
        service = self.service

        async def request() -> None:
            self.last_result = await service.apply_grant_changes(changes)

        self.write(request, after=self._after_apply)

    def _after_apply(self) -> None:
        result = self.last_result
        if result is None:
            return
        failed_keys = {f"{c.kind.value}:{c.name}" for c in result.unapplied if isinstance(c, GrantChange)}
        self.marked = failed_keys
        if result.failed:
            self.app.notify(describe_failures(result), title="Some grants were not applied", severity="error",
                            markup=False)
        else:
            self.app.notify(result.summary(), markup=False)

    def action_add(self) -> None:
        if not self.may_admin():
            return
        from scarf_tui.tui.pypicloud.forms import AddGrantForm

        def added(changes: list[GrantChange] | None) -> None:
            if changes:
                self.confirm_and_apply(changes)

        self.app.push_screen(AddGrantForm(self.package, self.known, {r.key for r in self.items}), added)
