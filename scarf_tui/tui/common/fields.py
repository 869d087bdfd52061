"""Form building blocks: a labelled field with its inline error, and a small choice picker."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from scarf_tui.tui.common.styles import style_path
from scarf_tui.tui.common.text import safe_text


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

    CSS_PATH = style_path("forms.tcss")
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
