"""The one-line bar at the top of every screen: where you are, who you are, and read-only mode."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from scarf_tui.tui.common.text import safe_str
from scarf_tui.tui.session import session_of

SEPARATOR = " › "


def crumbs_text(parts: Sequence[str], *, user: str | None = None, read_only: bool = False) -> Text:
    text = Text(" scarf", style="bold")
    for part in parts:
        text.append(SEPARATOR, style="dim")
        text.append(safe_str(part))
    tail = Text()
    if user:
        tail.append(f"  {safe_str(user)}", style="dim")
    if read_only:
        tail.append("  READ-ONLY ", style="bold reverse")
    text.append_text(tail)
    return text


class Breadcrumbs(Static):
    """Shows e.g. "scarf › acme › widget-cli › permissions"."""

    DEFAULT_CSS = """
    Breadcrumbs { dock: top; height: 1; background: $panel; color: $text; }
    """

    def __init__(self, *, id: str | None = "breadcrumbs") -> None:
        super().__init__("", id=id)
        self.parts: list[str] = []

    def set_parts(self, parts: Sequence[str]) -> None:
        self.parts = list(parts)
        session = session_of(self)
        self.update(crumbs_text(self.parts, user=session.username, read_only=session.read_only))

    @property
    def path(self) -> str:
        """Plain text of the trail, for tests and the help screen."""
        return SEPARATOR.join(["scarf", *self.parts])
