"""pypicloud dialogs: grant to a user or group not listed yet, create a group, and pick
memberships (a user's groups, or a group's members). Each one validates what was typed and
returns the changes; the pane that opened it confirms (before → after) and sends them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Select, SelectionList, Static

from scarf_tui.sources.pypicloud import GrantChange, MembershipChange, Permission, PrincipalKind
from scarf_tui.tui.common.fields import FieldError, FormField
from scarf_tui.tui.common.form import EditorForm
from scarf_tui.tui.common.styles import style_path
from scarf_tui.tui.common.text import safe_str, safe_text, shown
from scarf_tui.tui.pypicloud.base import pypicloud_of
from scarf_tui.tui.session import session_of

KEYS_HINT = "enter/ctrl+s done · esc cancel"


class AddGrantForm(ModalScreen[list[GrantChange] | None]):
    """A user or group (by exact name, which must exist) and the permissions to grant."""

    CSS_PATH = style_path("pypicloud.tcss")
    BINDINGS = [
        Binding("ctrl+s,f2", "done", "Done", id="pypicloud_grant.done"),
        Binding("escape", "cancel", "Cancel", id="pypicloud_grant.cancel"),
    ]

    def __init__(self, package: str, known: Mapping[PrincipalKind, Sequence[str]], listed: set[str]) -> None:
        super().__init__(classes="pypicloud-dialog")
        self.package = package
        self.known = known
        self.listed = listed

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Static(Text.assemble(("Grant access to ", "bold"), safe_text(self.package, style="bold")),
                         id="dialog-title")
            yield FormField("Who", Select([("user", "user"), ("group", "group")], value="user", allow_blank=False,
                                          id="grant-kind"))
            yield FormField("Name (exactly as on the server)", Input(placeholder="user or group name", id="grant-name"))
            with Horizontal(id="grant-permissions"):
                yield Checkbox("read", value=True, id="grant-read")
                yield Checkbox("write", id="grant-write")
            yield FieldError(id="dialog-error")
            yield Static(KEYS_HINT, id="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#grant-name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_done()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_done(self) -> None:
        kind = PrincipalKind(str(self.query_one("#grant-kind", Select).value))
        name = self.query_one("#grant-name", Input).value.strip()
        error = self.query_one("#grant-name-error", FieldError)
        wanted = [p for p, box in ((Permission.READ, "#grant-read"), (Permission.WRITE, "#grant-write"))
                  if self.query_one(box, Checkbox).value]
        problem = None
        if not name:
            problem = f"Type the {kind.value}'s name."
        elif name not in self.known.get(kind, ()):
            problem = f"There is no {kind.value} named {safe_str(name)!r} on this server."
        elif f"{kind.value}:{name}" in self.listed:
            problem = f"{kind.value.capitalize()} {safe_str(name)!r} is listed already: use v and w on its row."
        error.show(problem)
        if problem:
            return
        if not wanted:
            self.query_one("#dialog-error", FieldError).show("Tick read, write or both.")
            return
        self.dismiss([GrantChange(self.package, kind, name, p, True) for p in wanted])


class CreateGroupForm(EditorForm[bool, str]):
    form_title = "Create a pypicloud group"
    confirm_title = "Create this group?"

    def __init__(self, existing: Sequence[str]) -> None:
        super().__init__()
        self.existing = set(existing)

    def compose_fields(self) -> ComposeResult:
        yield FormField("Group name", Input(placeholder="e.g. releasers", id="group-name"))

    def collect(self) -> str | None:
        name = self.value("group-name").strip()
        problem = None
        if not name:
            problem = "Type a name for the group."
        elif name in self.existing:
            problem = f"A group named {safe_str(name)!r} exists already."
        elif "/" in name:
            problem = "A group name cannot contain /."
        if not self.check_fields({"group-name": problem}):
            return None
        return name

    def changes(self, draft: str) -> list[tuple[str, str, str]]:
        return [("group", "(none)", draft)]

    async def submit(self, draft: str) -> bool:
        await pypicloud_of(session_of(self)).create_group(draft)
        return True


class MembershipDialog(ModalScreen[list[MembershipChange] | None]):
    """Tick the groups a user is in (or the users a group holds). Returns the adds/removes."""

    CSS_PATH = style_path("pypicloud.tcss")
    BINDINGS = [
        Binding("ctrl+s,f2,enter", "done", "Done", id="pypicloud_members.done", priority=True),
        Binding("escape", "cancel", "Cancel", id="pypicloud_members.cancel"),
    ]

    def __init__(self, title: str, *, user: str | None = None, group: str | None = None,
                 choices: Sequence[str], current: Sequence[str]) -> None:
        super().__init__(classes="pypicloud-dialog")
        if (user is None) == (group is None):
            raise ValueError("give either user or group")
        self._title = title
        self.user = user
        self.group = group
        self.choices = list(choices)
        self.current = set(current)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Static(safe_text(self._title, style="bold"), id="dialog-title")
            if self.choices:
                yield SelectionList[str](
                    *((safe_text(c), c, c in self.current) for c in self.choices), id="membership-list"
                )
            else:
                yield Static(Text("Nothing to choose from.", style="dim"))
            yield Static(f"space ticks · {KEYS_HINT}", id="dialog-keys")
            with Horizontal(id="dialog-buttons"):
                yield Button("Done", id="dialog-done", variant="primary", compact=True)
                yield Button("Cancel", id="dialog-cancel", compact=True)

    def on_mount(self) -> None:
        for widget in self.query(SelectionList):
            widget.focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "dialog-done":
            self.action_done()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_done(self) -> None:
        lists = list(self.query(SelectionList))
        chosen = set(lists[0].selected) if lists else set(self.current)
        changes: list[MembershipChange] = []
        for name in self.choices:
            if (name in chosen) == (name in self.current):
                continue
            user, group = (self.user, name) if self.user is not None else (name, self.group or "")
            changes.append(MembershipChange(user or "", group, name in chosen))
        self.dismiss(changes)


def membership_row(label: str, before: Sequence[str], changes: Sequence[MembershipChange]) -> tuple[str, str, str]:
    """One before → after row: a user's groups (label "user …"), or a group's members
    (label "group …"), around the changes."""
    after = list(before)
    for change in changes:
        other = change.group if label.startswith("user ") else change.username
        if change.add and other not in after:
            after.append(other)
        elif not change.add and other in after:
            after.remove(other)
    return (label, ", ".join(map(shown, before)) or "(none)", ", ".join(map(shown, after)) or "(none)")
