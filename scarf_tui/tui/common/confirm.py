"""Confirmation dialogs: every write shows its exact change first.

ConfirmDialog(title, changes) lists (what, before, after) rows; `y`/enter confirms, `n`/esc
cancels. TypeToConfirm(prompt, expected) asks the user to type a name before something is
destroyed; given an `action`, it runs it and stays open with the server's sentence on failure.
All server text is shown literally (never markup, no terminal escapes).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from scarf_tui.tui.common.errors import WRITE_FAILED, describe_error, notify_error
from scarf_tui.tui.common.fields import FieldError
from scarf_tui.tui.common.styles import style_path
from scarf_tui.tui.common.text import safe_str, safe_text, typed_form
from scarf_tui.tui.session import session_of

Change = tuple[str, str, str]
SUMMARY_ROWS = 3  # a success line names this many changes, then counts the rest


def change_summary(changes: Sequence[Change]) -> str:
    """The one-line success after a write: "margaret: member → admin" (server text made safe)."""
    parts = [f"{safe_str(what)}: {safe_str(before)} → {safe_str(after)}" for what, before, after in changes]
    if len(parts) > SUMMARY_ROWS:
        parts = [*parts[:SUMMARY_ROWS], f"and {len(parts) - SUMMARY_ROWS} more"]
    return "Saved: " + "; ".join(parts)


def changes_table(changes: Sequence[Change]) -> Table:
    table = Table(box=None, expand=True, show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("what", max_width=24, overflow="fold")
    table.add_column("before", ratio=3, overflow="fold")
    table.add_column("", width=1)
    table.add_column("after", ratio=3, overflow="fold")
    for what, before, after in changes:
        table.add_row(
            safe_text(what, style="bold"),
            safe_text(before if before != "" else "—", style="red"),
            Text("→"),
            safe_text(after if after != "" else "—", style="green"),
        )
    return table


class ConfirmDialog(ModalScreen[bool]):
    """Shows the exact change and asks yes or no. Dismisses True only on an explicit yes."""

    CSS_PATH = style_path("confirm.tcss")
    BINDINGS = [
        Binding("y,enter", "confirm", "Yes", id="confirm.yes"),
        Binding("n,escape", "cancel", "No", id="confirm.no"),
    ]

    def __init__(self, title: str, changes: Sequence[Change]) -> None:
        super().__init__(classes="confirm-dialog")
        self._title = title
        self._changes = [(str(w), "" if b is None else str(b), "" if a is None else str(a)) for w, b, a in changes]

    @property
    def changes(self) -> list[Change]:
        return list(self._changes)

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(safe_text(self._title), id="confirm-title")
            with VerticalScroll(id="confirm-changes"):
                yield Static(changes_table(self._changes), id="confirm-table")
            with Horizontal(id="confirm-buttons"):
                yes = Button("Yes (y)", id="confirm-yes", variant="primary", compact=True)
                no = Button("No (n)", id="confirm-no", compact=True)
                # Keys belong to the dialog, not to a focused button: enter always means yes.
                yes.can_focus = False
                no.can_focus = False
                yield yes
                yield no

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class TypeToConfirm(ModalScreen[bool]):
    """Asks the user to type `expected` exactly. Without `action`, dismisses True on a match.

    With `action` (an async callable), a match runs it in a worker; success dismisses True,
    a failure shows the sentence inline (and as a notification) and keeps the dialog open.
    Control characters cannot be typed, so the comparison uses the printable form of `expected`.
    """

    CSS_PATH = style_path("confirm.tcss")
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="type_confirm.cancel"),
    ]

    def __init__(
        self,
        prompt: str,
        expected: str,
        *,
        action: Callable[[], Awaitable[object]] | None = None,
        on_failure: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(classes="type-to-confirm")
        self._prompt = prompt
        self._expected = safe_str(expected).strip()
        self._action = action
        self._on_failure = on_failure
        self._busy = False

    @property
    def expected(self) -> str:
        return self._expected

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(safe_text(self._prompt), id="confirm-title")
            line = Text("Type ")
            line.append(Text(self._expected, style="bold"))
            line.append(" to confirm, then press enter (esc cancels).")
            yield Static(line, id="type-confirm-hint")
            yield Input(placeholder=self._expected, id="type-confirm-input")
            yield FieldError(id="type-confirm-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._busy:
            return
        error = self.query_one("#type-confirm-error", FieldError)
        typed = event.value.strip()
        # Zero-width and bidi characters show as ⍽ and can't be typed: leaving them out matches.
        loose = typed_form(self._expected)
        if typed != self._expected and not (loose and typed_form(typed) == loose):
            error.show(f"That does not match. Type {self._expected} exactly.")
            return
        error.show(None)
        if self._action is None:
            self.dismiss(True)
        else:
            self._run_action()

    def action_cancel(self) -> None:
        if not self._busy:
            self.dismiss(False)

    @work(exclusive=True, group="type-confirm-action", exit_on_error=False)
    async def _run_action(self) -> None:
        assert self._action is not None
        box = self.query_one("#confirm-box")
        self._busy = True
        box.loading = True
        try:
            await self._action()
        except Exception as err:  # noqa: BLE001 - every failure becomes a shown sentence
            self._busy = False
            box.loading = False
            sentence = describe_error(err)
            self.query_one("#type-confirm-error", FieldError).show(sentence)
            notify_error(self, sentence, title=WRITE_FAILED)
            service = session_of(self).service
            if service is not None:
                service.invalidate()
            if self._on_failure is not None:
                self._on_failure()
            return
        self._busy = False
        box.loading = False
        self.dismiss(True)
