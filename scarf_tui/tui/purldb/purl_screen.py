"""`:purl pkg:npm/foo@1.2.0`: any purl's PurlDB details on a screen of its own."""

from __future__ import annotations

from textual.app import ComposeResult

from scarf_tui.sources.purldb import PurlRef
from scarf_tui.tui.common.base_screen import BaseScreen
from scarf_tui.tui.purldb.details import DetailsPane


class PurlScreen(BaseScreen):
    def __init__(self, ref: PurlRef) -> None:
        super().__init__()
        self.ref = ref

    def compose_body(self) -> ComposeResult:
        yield DetailsPane(self.ref, id="purl-pane")

    def on_mount(self) -> None:
        self.update_crumbs()
        self.query_one(DetailsPane).focus()

    def crumbs(self) -> list[str]:
        return ["purl", str(self.ref.purl)]

    def reload(self) -> None:
        self.query_one(DetailsPane).reload()

    def copy_target(self) -> str | None:
        pane = self.query_one(DetailsPane)
        return pane.selected.purl if pane.selected is not None else str(self.ref.purl)
