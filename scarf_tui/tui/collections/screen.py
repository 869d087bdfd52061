"""CollectionsScreen: one owner's docker collections (API v2).

Keys: `n` new collection, `e`/enter edit its pattern and domains, `x`/`ctrl+d` delete (type the
pattern to confirm), `r` reload. Every write re-reads the list, so the table shows what the
server holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.binding import Binding

from scarf_tui.api.models import Collection
from scarf_tui.tui.collections.form import CollectionForm
from scarf_tui.tui.common.confirm import TypeToConfirm
from scarf_tui.tui.common.editor_pane import EditorPane
from scarf_tui.tui.common.styles import style_path
from scarf_tui.tui.common.text import safe_str, safe_text, shown
from scarf_tui.tui.common.virtual_table import VirtualTable
from scarf_tui.tui.pixels.owner_screen import OwnerPane, OwnerResourceScreen
from scarf_tui.tui.session import session_of


def _order(item: Collection) -> tuple[str, str]:
    return (safe_str(item.pattern).casefold(), item.id)


class CollectionsPane(OwnerPane[Collection]):
    NOUN = "collection"
    BINDINGS = [
        Binding("n,plus", "new_collection", "New collection", id="collections.new"),
        Binding("e", "edit_collection", "Edit", id="collections.edit"),
        Binding("ctrl+d", "delete_collection", "Delete", id="collections.delete"),
        Binding("r", "refresh", "Reload", id="collections.refresh"),
    ]
    COLUMNS = (("pattern", "pattern"), ("public", "public domain"), ("backend", "backend registry"), ("id", "id"))
    WRITE_ACTIONS = frozenset({"new_collection", "edit_collection", "delete_collection"})
    EMPTY_TEXT = "No collections yet. Press n to create one."
    HINT = "n new · e edit pattern and domains · ^d delete · r reload"

    def title(self) -> Text:
        text = Text("Docker collections · ", style="bold")
        text.append(safe_text(self.owner))
        return text

    async def fetch(self) -> list[Collection]:
        return await self.read_pages(self.service.iter_collection_pages(self.owner), _order)

    def items_loaded(self) -> None:
        self.items.sort(key=_order)

    def row_key(self, item: Collection) -> str:
        return item.id

    def cells(self, item: Collection) -> Sequence[object]:
        return (
            safe_text(item.pattern), safe_text(item.public_domain), safe_text(item.backend_domain), safe_text(item.id)
        )

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        if not session_of(self).read_only:
            self.action_edit_collection()

    def _selected(self, verb: str) -> Collection | None:
        collection = self.cursor_item()
        if collection is None:
            self.app.notify(f"No collection to {verb}.", severity="warning")
        return collection

    def action_new_collection(self) -> None:
        if self.may_write():
            self.app.push_screen(CollectionForm(self.owner, on_failure=self.reload), self.after_form)

    def action_edit_collection(self) -> None:
        if not self.may_write() or (collection := self._selected("edit")) is None:
            return
        self.app.push_screen(CollectionForm(self.owner, collection, on_failure=self.reload), self.after_form)

    def action_delete_collection(self) -> None:
        if not self.may_write() or (collection := self._selected("delete")) is None:
            return
        owner, collection_id = self.owner, collection.id
        dialog = TypeToConfirm(
            f"Delete collection {shown(collection.pattern)} of {shown(owner)}? "
            f"{shown(collection.public_domain)} stops serving its images.",
            collection.pattern,
            action=lambda: self.service.delete_collection(owner, collection_id),
            on_failure=self.reload,
        )
        self.app.push_screen(dialog, self.after_form)


class CollectionsScreen(OwnerResourceScreen):
    CSS_PATH = style_path("collections.tcss")
    CAPABILITY = "collections"
    NOUN = "collections"
    COMMAND = "collections"

    def make_pane(self, owner: str) -> EditorPane[Any]:
        return CollectionsPane(owner, id="collections-pane")


__all__ = ["CollectionsPane", "CollectionsScreen"]
