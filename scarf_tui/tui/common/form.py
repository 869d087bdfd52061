"""EditorForm, the base of every create/edit form: validate -> confirm -> request in a worker
-> dismiss with the result.

A form never throws away what the user typed: client-side problems show under the field, and a
refused request shows the server's sentence inside the still-open form.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from scarf_tui.api.errors import ValidationFailed
from scarf_tui.tui.common.confirm import Change, ConfirmDialog, change_summary
from scarf_tui.tui.common.errors import WRITE_FAILED, describe_error, notify_error
from scarf_tui.tui.common.fields import FieldError
from scarf_tui.tui.common.styles import style_path
from scarf_tui.tui.common.text import safe_text
from scarf_tui.tui.session import session_of

T = TypeVar("T")
D = TypeVar("D")


class EditorForm(ModalScreen[T], Generic[T, D]):
    """Base of every create/edit form.

    Subclasses give `compose_fields()`, `collect()` (a draft, or None after showing inline
    messages), `changes(draft)` (the before -> after rows the confirm dialog shows) and
    `submit(draft)` (the request). `field_names` maps wire field names from a 422 to input ids.
    """

    CSS_PATH = style_path("forms.tcss")
    BINDINGS = [
        Binding("ctrl+s,f2", "save", "Save", id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    form_title: str = "Edit"
    confirm_title: str = "Save this change?"
    field_names: Mapping[str, str] = {}

    def __init__(self, *, on_failure: Callable[[], object] | None = None) -> None:
        super().__init__(classes="editor-form")
        self._on_failure = on_failure
        self._busy = False

    # --- what subclasses provide ---------------------------------------------------------------
    def compose_fields(self) -> ComposeResult:
        yield from ()

    def collect(self) -> D | None:
        raise NotImplementedError

    def changes(self, draft: D) -> list[tuple[str, str, str]]:
        raise NotImplementedError

    async def submit(self, draft: D) -> T:
        raise NotImplementedError

    def extra(self) -> ComposeResult:
        """Anything shown between the fields and the buttons (e.g. a live preview)."""
        yield from ()

    # --- layout --------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical(id="form-box"):
            yield Static(safe_text(self.form_title), id="form-title")
            with VerticalScroll(id="form-body"):
                yield from self.compose_fields()
                yield from self.extra()
            yield FieldError(id="form-error")
            with Horizontal(id="form-buttons"):
                yield Button("Save", id="form-save", variant="primary", compact=True)
                yield Button("Cancel", id="form-cancel", compact=True)
            yield Static(Text("enter/ctrl+s/f2 save · esc cancel"), id="form-keys")

    # Rows the box needs besides its body: border 2, title 2, form error up to 3, buttons 1,
    # key hint 1, one spare.
    CHROME_ROWS: ClassVar[int] = 10

    def on_mount(self) -> None:
        self._fit_body()
        first = next((w for w in self.query(Input) if not w.disabled), None)
        if first is not None:
            first.focus()

    def on_resize(self) -> None:
        self._fit_body()

    def _fit_body(self) -> None:
        """Cap the scrolling body in cells so buttons and messages stay on screen. (A `vh`
        max-height is not honoured when the auto-height box sums its children.)"""
        height = self.size.height or self.app.size.height
        self.query_one("#form-body").styles.max_height = max(4, height - self.CHROME_ROWS)

    # --- helpers for subclasses ----------------------------------------------------------------
    def value(self, input_id: str) -> str:
        return self.query_one(f"#{input_id}", Input).value

    def field_error(self, input_id: str) -> FieldError:
        return self.query_one(f"#{input_id}-error", FieldError)

    def set_field_error(self, input_id: str, message: str | None) -> None:
        self.field_error(input_id).show(message)
        widget = self.query_one(f"#{input_id}")
        widget.set_class(bool(message), "-invalid")

    def check_fields(self, problems: Mapping[str, str | None]) -> bool:
        """Show each field's problem (or clear it). True when all are fine; focuses the first bad one."""
        first_bad = None
        for input_id, problem in problems.items():
            self.set_field_error(input_id, problem)
            if problem and first_bad is None:
                first_bad = input_id
        if first_bad is not None:
            # Focus without its (animated) scroll; the message below the field is brought into
            # view instead, which also shows the field.
            self.query_one(f"#{first_bad}").focus(scroll_visible=False)
            self.field_error(first_bad).show(problems[first_bad], reveal=True)
            self.show_form_error("Fix the marked fields, then save again.")
            return False
        self.show_form_error(None)
        return True

    def show_form_error(self, message: str | None) -> None:
        self.query_one("#form-error", FieldError).show(message)

    @property
    def busy(self) -> bool:
        return self._busy

    # --- flow ----------------------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "form-save":
            self.action_save()
        elif event.button.id == "form-cancel":
            self.action_cancel()

    def action_cancel(self) -> None:
        if not self._busy:
            self.dismiss(None)

    def action_save(self) -> None:
        if self._busy:
            self.app.notify("Still saving the previous request.", severity="warning")
            return
        if session_of(self).refuses_write(self):
            return
        draft = self.collect()
        if draft is None:
            return
        rows = self.changes(draft)
        if not rows:
            self.show_form_error("Nothing changed.")
            return
        def confirmed(ok: bool | None) -> None:
            if ok:
                self._send(draft, rows)

        self.app.push_screen(ConfirmDialog(self.confirm_title, rows), confirmed)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.query_one("#form-box").loading = busy

    @work(exclusive=True, group="editor-form-submit", exit_on_error=False)
    async def _send(self, draft: D, rows: list[Change]) -> None:
        self._set_busy(True)
        try:
            result = await self.submit(draft)
        except Exception as err:  # noqa: BLE001 - every failure becomes a shown sentence
            self._set_busy(False)
            self._show_failure(err)
            return
        self._set_busy(False)
        self.app.notify(change_summary(rows), markup=False)
        self.dismiss(result)

    def _show_failure(self, err: BaseException) -> None:
        sentence = describe_error(err)
        self.show_form_error(sentence)
        notify_error(self, sentence, title=WRITE_FAILED)
        if isinstance(err, ValidationFailed):
            for wire_name, problems in err.field_errors.items():
                input_id = self.field_names.get(wire_name)
                if input_id and problems:
                    self.set_field_error(input_id, "; ".join(problems))
        service = session_of(self).service
        if service is not None:
            # A timeout or 5xx may still have changed something: forget what we had cached.
            service.invalidate()
        if self._on_failure is not None:
            self._on_failure()

