"""PixelsScreen: one owner's tracking pixels (API v2).

Keys: `n` new pixel, `e`/enter edit (name, package), `x`/`ctrl+d` delete (type the name to
confirm), `E` export the selected pixel's events, `r` reload. Every write re-reads the list, so
the table shows what the server holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.binding import Binding

from scarf_tui.api.models import TrackingPixel
from scarf_tui.tui.common.confirm import TypeToConfirm
from scarf_tui.tui.common.editor_pane import EditorPane
from scarf_tui.tui.common.text import safe_str, safe_text, shown
from scarf_tui.tui.common.virtual_table import VirtualTable
from scarf_tui.tui.pixels.form import PixelForm
from scarf_tui.tui.pixels.owner_screen import OwnerPane, OwnerResourceScreen
from scarf_tui.tui.session import session_of


def _order(item: TrackingPixel) -> tuple[str, str]:
    return (safe_str(item.name).casefold(), item.id)


class PixelsPane(OwnerPane[TrackingPixel]):
    NOUN = "pixel"
    BINDINGS = [
        Binding("n,plus", "new_pixel", "New pixel", id="pixels.new"),
        Binding("e", "edit_pixel", "Edit", id="pixels.edit"),
        Binding("ctrl+d", "delete_pixel", "Delete", id="pixels.delete"),
        Binding("E", "export_pixel", "Export events", id="pixels.export"),
        Binding("r", "refresh", "Reload", id="pixels.refresh"),
    ]
    COLUMNS = (("name", "name"), ("package", "package"), ("created", "created"), ("id", "id"))
    WRITE_ACTIONS = frozenset({"new_pixel", "edit_pixel", "delete_pixel"})
    EMPTY_TEXT = "No tracking pixels yet. Press n to create one."
    HINT = "n new · e edit · ^d delete · E export events · r reload"

    def title(self) -> Text:
        text = Text("Tracking pixels · ", style="bold")
        text.append(safe_text(self.owner))
        return text

    async def fetch(self) -> list[TrackingPixel]:
        return await self.read_pages(self.service.iter_pixel_pages(self.owner), _order)

    def items_loaded(self) -> None:
        self.items.sort(key=_order)

    def row_key(self, item: TrackingPixel) -> str:
        return item.id

    def cells(self, item: TrackingPixel) -> Sequence[object]:
        package = item.package
        package_cell = safe_text(package.name or package.id) if package else Text("—", style="dim")
        created = Text(item.created_at.date().isoformat() if item.created_at else "")  # the day: fits 80 columns
        return (safe_text(item.name), package_cell, created, safe_text(item.id))

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        if not session_of(self).read_only:
            self.action_edit_pixel()

    # --- actions -------------------------------------------------------------------------------
    def _selected(self, verb: str) -> TrackingPixel | None:
        pixel = self.cursor_item()
        if pixel is None:
            self.app.notify(f"No tracking pixel to {verb}.", severity="warning")
        return pixel

    def action_new_pixel(self) -> None:
        if self.may_write():
            self.app.push_screen(PixelForm(self.owner, on_failure=self.reload), self.after_form)

    def action_edit_pixel(self) -> None:
        if not self.may_write() or (pixel := self._selected("edit")) is None:
            return
        self.app.push_screen(PixelForm(self.owner, pixel, on_failure=self.reload), self.after_form)

    def action_delete_pixel(self) -> None:
        if not self.may_write() or (pixel := self._selected("delete")) is None:
            return
        owner, pixel_id = self.owner, pixel.id
        dialog = TypeToConfirm(
            f"Delete tracking pixel {shown(pixel.name)} of {shown(owner)}? Its id stops counting events.",
            pixel.name,
            action=lambda: self.service.delete_pixel(owner, pixel_id),
            on_failure=self.reload,
        )
        self.app.push_screen(dialog, self.after_form)

    def action_export_pixel(self) -> None:
        if (pixel := self._selected("export")) is None:
            return
        from scarf_tui.tui.export_screen import ExportScreen

        self.app.push_screen(ExportScreen("events", pixel.id, scope_type="pixel", owner=self.owner))


class PixelsScreen(OwnerResourceScreen):
    CAPABILITY = "pixels"
    NOUN = "tracking pixels"
    COMMAND = "pixels"

    def make_pane(self, owner: str) -> EditorPane[Any]:
        return PixelsPane(owner, id="pixels-pane")


__all__ = ["PixelsPane", "PixelsScreen"]
