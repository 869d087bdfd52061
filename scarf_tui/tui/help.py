"""`?`: every binding active on the screen below (focused widget, screen and app), with its
id (the name to use in config.toml's [keymap]) and its key."""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from scarf_tui.tui.common.styles import style_path
from scarf_tui.tui.common.virtual_table import TableColumn, TableRow, VirtualTable

HELP_FOOT = (
    'Remap a key in config.toml: [keymap] "<id>" = "keys".  esc closes.\n'
    "Commands: :pkgs [ORG] :pkg NAME :orgs :org NAME :perms :routes :domains :charts :members :export :q\n"
    "API v2: :pixels [OWNER] tracking pixels, :collections [OWNER] docker collections; ctrl+p searches the server\n"
    "Other sources: :pypicloud [users|groups|PKG] your pypicloud, :purl pkg:TYPE/NAME[@VERSION] PurlDB details"
)


@dataclass(frozen=True)
class HelpEntry:
    key: str
    binding_id: str
    description: str
    where: str
    enabled: bool


def help_entries(app, active: dict[str, ActiveBinding]) -> list[HelpEntry]:  # noqa: ANN001
    """The app's own bindings the user can press now (those with an id, which config.toml can
    remap), each once with all of its keys, most specific first. Textual's built-in keys (cursor
    movement, scrolling, the clipboard) have no id and are left out."""
    entries: dict[str, HelpEntry] = {}
    for key, active_binding in active.items():  # most specific (focused widget) first
        binding: Binding = active_binding.binding
        if not binding.id:
            continue
        shown = app.get_key_display(binding.with_key(key)) if key else ""
        seen = entries.get(binding.id)
        if seen is not None:
            if shown and shown not in seen.key.split(" "):
                entries[binding.id] = replace(seen, key=f"{seen.key} {shown}")
            continue
        entries[binding.id] = HelpEntry(
            key=shown,
            binding_id=binding.id,
            description=binding.description or binding.action,
            where=short_where(active_binding.node),
            enabled=active_binding.enabled,
        )
    return list(entries.values())


def short_where(node) -> str:  # noqa: ANN001
    """Where a binding comes from, in a word: app, screen, or the widget's kind."""
    from textual.app import App
    from textual.screen import Screen

    if isinstance(node, App):
        return "app"
    if isinstance(node, Screen):
        return "screen"
    name = type(node).__name__
    for suffix in ("DataTable", "Table", "Pane", "Screen"):
        name = name.removesuffix(suffix)
    return name.lower() or "table"


class HelpScreen(ModalScreen[None]):
    CSS_PATH = style_path("help.tcss")

    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close", id="help.close"),
    ]

    def __init__(self, title: str, entries: list[HelpEntry]) -> None:
        super().__init__()
        self.help_title = title
        self.entries = entries

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(Text(f"Keys · {self.help_title}", style="bold"), id="help-title")
            yield VirtualTable(
                [TableColumn("key", "Key", 9), TableColumn("description", "Action", 20),
                 TableColumn("id", "Id (for [keymap])")],
                id="help-table",
            )
            yield Static(HELP_FOOT, id="help-foot", markup=False)

    def on_mount(self) -> None:
        table = self.query_one("#help-table", VirtualTable)
        rows = []
        for index, entry in enumerate(self.entries):
            style = "" if entry.enabled else "dim"
            rows.append(TableRow(str(index), (
                Text(entry.key, style="bold " + style),
                Text(entry.description, style=style),
                Text(entry.binding_id, style="dim"),
            )))
        table.set_rows(rows)
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
