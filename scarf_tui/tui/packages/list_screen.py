"""Packages: every package the user can see, or one organization's."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult

from scarf_tui.domain import Package
from scarf_tui.tui.common.base_screen import BaseScreen
from scarf_tui.tui.common.messages import OpenPackage
from scarf_tui.tui.common.resource_table import ResourceTable
from scarf_tui.tui.common.styles import style_path
from scarf_tui.tui.packages.table import PackageTable


class PackagesScreen(BaseScreen):
    CSS_PATH = style_path("packages.tcss")

    def __init__(self, org: str | None = None) -> None:
        super().__init__()
        self.org = org

    def compose_body(self) -> ComposeResult:
        yield PackageTable(self.org, id="packages")

    @property
    def table(self) -> PackageTable:
        return self.query_one("#packages", PackageTable)

    def on_mount(self) -> None:
        self.update_crumbs()
        self.table.table.focus()

    def crumbs(self) -> list[str]:
        return [self.org, "packages"] if self.org else ["packages"]

    def reload(self) -> None:
        self.table.load()

    def copy_target(self) -> str | None:
        pkg = self.table.selected
        return pkg.uuid if pkg else None

    def context_package(self) -> Package | None:
        return self.table.selected

    def context_org(self) -> str | None:
        if self.org:
            return self.org
        pkg = self.table.selected
        if pkg is not None and pkg.owner != self.session.username:
            return pkg.owner
        return None

    @on(ResourceTable.Opened, "#packages")
    def _open(self, event: ResourceTable.Opened) -> None:
        self.post_message(OpenPackage(event.item))
