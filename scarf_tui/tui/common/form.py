"""Shared pieces of the write-side editors: safe text, inline field errors, a choice picker and
the EditorForm base (validate -> confirm -> request in a worker -> dismiss with the result).

A form never throws away what the user typed: client-side problems show under the field, and a
refused request shows the server's sentence inside the still-open form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from scarf_tui.api.errors import ScarfError, ValidationFailed
from scarf_tui.tui.common.text import safe, safe_str

T = TypeVar("T")
D = TypeVar("D")

# A deliberately loose check: the server is the judge of who exists; this only catches typos
# that can never be an address (no '@', spaces, no dot in the host).
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
USERNAME = re.compile(r"^[^\s@/]+$")


def style_file(name: str) -> str:
    """Path of one of our .tcss files, installed or in a checkout."""
    try:
        from scarf_tui.tui.common.styles import style_path

        path = style_path(name)
        if Path(path).exists():
            return path
    except Exception:  # noqa: BLE001 - fall back to the checkout layout below
        pass
    return str(Path(__file__).resolve().parents[2] / "styles" / name)


def read_style(name: str) -> str:
    """The text of a .tcss file, for widgets (which take DEFAULT_CSS, not CSS_PATH)."""
    try:
        return Path(style_file(name)).read_text(encoding="utf-8")
    except OSError:
        return ""


def safe_text(value: object, *, style: str = "") -> Text:
    """Server text as a literal, escape-free rich Text (never markup)."""
    return safe("" if value is None else value, style=style)


def shown(value: object, *, empty: str = "—") -> str:
    """Server text as a printable one-line str, with a visible stand-in for nothing."""
    text = safe_str(value)
    return text if text.strip() else empty


def read_only(node: DOMNode) -> bool:
    return bool(getattr(node.app, "read_only", False))


def refuse_write(node: DOMNode) -> bool:
    """True (and the user is told) when the app runs read-only and no write may start."""
    app = node.app
    refuse = getattr(app, "refuse_if_read_only", None)
    if callable(refuse):
        return bool(refuse())
    if getattr(app, "read_only", False):
        app.notify("Read-only mode: changes are switched off.", severity="warning")
        return True
    return False


def error_sentence(err: BaseException) -> str:
    """The one sentence a failure is shown as."""
    if isinstance(err, ScarfError):
        return str(err)
    return f"Unexpected {type(err).__name__}: {safe_str(err)}"


def notify_error(node: DOMNode, err: BaseException | str) -> None:
    message = err if isinstance(err, str) else error_sentence(err)
    node.app.notify(message, severity="error", markup=False, title="Change not saved")


def validate_user_query(query: str) -> str | None:
    """A permission's userQuery is an email or a username."""
    query = query.strip()
    if not query:
        return "Enter an email address or a username."
    if "@" in query:
        return None if EMAIL.fullmatch(query) else f"{query} is not an email address."
    if not USERNAME.fullmatch(query):
        return "A username has no spaces or slashes."
    return None


def validate_username(name: str) -> str | None:
    name = name.strip()
    if not name:
        return "Enter a username."
    if not USERNAME.fullmatch(name):
        return "A username has no spaces, '@' or slashes."
    return None


def validate_email(value: str, *, what: str = "The email") -> str | None:
    value = value.strip()
    if not value:
        return f"{what} is required."
    if not EMAIL.fullmatch(value):
        return f"{what} {value!r} is not an email address."
    return None


def validate_required(value: str, *, what: str) -> str | None:
    if not value.strip():
        return f"{what} is required."
    if any(ch in value for ch in "\x1b\x00\r\n"):
        return f"{what} must not contain control characters."
    return None


def validate_name(value: str, *, what: str) -> str | None:
    if problem := validate_required(value, what=what):
        return problem
    if any(ch.isspace() for ch in value.strip()):
        return f"{what} must not contain spaces."
    return None


class FieldError(Static):
    """The inline message under a field. Empty (and zero height) when the field is fine."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, classes="field-error", markup=False)
        self._reveal_pending = False

    def show(self, message: str | None, *, reveal: bool = False) -> None:
        was_visible = self.has_class("-visible") and self.size.height > 0
        self.update(Text(message or ""))
        self.set_class(bool(message), "-visible")
        if message and reveal:
            if was_visible:
                self.call_after_refresh(self.scroll_visible, animate=False)
            else:
                # Not laid out yet: scroll once it has its size (see on_resize).
                self._reveal_pending = True

    def on_resize(self) -> None:
        if self._reveal_pending and self.has_class("-visible"):
            self._reveal_pending = False
            self.scroll_visible(animate=False)

    @property
    def message(self) -> str:
        return str(self.content) if self.has_class("-visible") else ""


class FormField(Vertical):
    """Label, input widget, optional hint, inline error - one block per field."""

    def __init__(self, label: str, widget: Widget, *, hint: str | None = None, id: str | None = None) -> None:
        super().__init__(id=id, classes="form-field")
        self._label = label
        self._widget = widget
        self._hint = hint

    def compose(self) -> ComposeResult:
        yield Label(Text(self._label), classes="field-label")
        yield self._widget
        if self._hint:
            yield Static(Text(self._hint), classes="field-hint")
        yield FieldError(id=f"{self._widget.id}-error" if self._widget.id else None)

    @property
    def error(self) -> FieldError:
        return self.query_one(FieldError)


class ChoicePicker(ModalScreen[str | None]):
    """A small list of choices (permission levels, member roles). Enter picks, escape cancels."""

    CSS_PATH = style_file("forms.tcss")
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
    ]

    def __init__(self, title: str, choices: Sequence[str], current: str | None = None) -> None:
        super().__init__(classes="choice-picker")
        self._title = title
        self._choices = list(choices)
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Static(safe_text(self._title), id="picker-title")
            yield OptionList(*(Option(c, id=c) for c in self._choices), id="picker-options")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self._current in self._choices:
            options.highlighted = self._choices.index(self._current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class EditorForm(ModalScreen[T], Generic[T, D]):
    """Base of every create/edit form.

    Subclasses give `compose_fields()`, `collect()` (a draft, or None after showing inline
    messages), `changes(draft)` (the before -> after rows the confirm dialog shows) and
    `submit(draft)` (the request). `field_names` maps wire field names from a 422 to input ids.
    """

    CSS_PATH = style_file("forms.tcss")
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
        if refuse_write(self):
            return
        draft = self.collect()
        if draft is None:
            return
        rows = self.changes(draft)
        if not rows:
            self.show_form_error("Nothing changed.")
            return
        from scarf_tui.tui.common.confirm import ConfirmDialog

        def confirmed(ok: bool | None) -> None:
            if ok:
                self._send(draft)

        self.app.push_screen(ConfirmDialog(self.confirm_title, rows), confirmed)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.query_one("#form-box").loading = busy

    @work(exclusive=True, group="editor-form-submit", exit_on_error=False)
    async def _send(self, draft: D) -> None:
        self._set_busy(True)
        try:
            result = await self.submit(draft)
        except Exception as err:  # noqa: BLE001 - every failure becomes a shown sentence
            self._set_busy(False)
            self._show_failure(err)
            return
        self._set_busy(False)
        self.dismiss(result)

    def _show_failure(self, err: BaseException) -> None:
        sentence = error_sentence(err)
        self.show_form_error(sentence)
        notify_error(self, sentence)
        if isinstance(err, ValidationFailed):
            for wire_name, problems in err.field_errors.items():
                input_id = self.field_names.get(wire_name)
                if input_id and problems:
                    self.set_field_error(input_id, "; ".join(problems))
        service = getattr(self.app, "service", None)
        if service is not None:
            # A timeout or 5xx may still have changed something: forget what we had cached.
            service.invalidate()
        if self._on_failure is not None:
            self._on_failure()

