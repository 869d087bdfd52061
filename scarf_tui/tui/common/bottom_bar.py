"""The bottom line: Textual's footer for the focused widget's keys, and on its right the two
keys a lost user needs, `? Help` and `esc Back`, which a narrow terminal must never clip."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Footer, Static


class KeyHint(Static):
    """`? Help  esc Back` (Back only when there is a screen to go back to)."""

    def show(self, *, can_go_back: bool) -> None:
        text = Text.assemble((" ?", "bold"), " Help ")
        if can_go_back:
            text.append_text(Text.assemble((" esc", "bold"), " Back "))
        self.update(text)


class BottomBar(Horizontal):
    DEFAULT_CSS = """
    BottomBar { dock: bottom; height: 1; width: 1fr; }
    BottomBar > Footer { dock: none; width: 1fr; }
    BottomBar > KeyHint { width: auto; height: 1; background: $footer-background; }
    """

    def compose(self) -> ComposeResult:
        yield Footer()
        yield KeyHint()

    def show_hint(self, *, can_go_back: bool) -> None:
        self.query_one(KeyHint).show(can_go_back=can_go_back)
