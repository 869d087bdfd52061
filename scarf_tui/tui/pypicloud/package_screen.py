"""One pypicloud package: its files by version, who may read or write it, and its PurlDB
details (looked up only when PurlDB is enabled for pypicloud names)."""

from __future__ import annotations

from textual.widget import Widget

from scarf_tui.tui.common.styles import style_path
from scarf_tui.tui.pypicloud.tabs import SourceTabs

TABS = (("pp-files", "Files"), ("pp-access", "Access"), ("pp-details", "Details"))


class PypicloudPackageScreen(SourceTabs):
    """Tab keys: 1 files, 2 access, 3 details, [ / ] previous / next tab."""

    CSS_PATH = style_path("pypicloud.tcss")
    TABS = TABS
    DEFAULT_TAB = "pp-files"

    def __init__(self, package: str, *, tab: str | None = None) -> None:
        self.package = package
        super().__init__(tab=tab)

    def crumbs(self) -> list[str]:
        return ["pypicloud", self.package, dict(TABS).get(self.active_tab, "").lower()]

    def copy_target(self) -> str | None:
        return super().copy_target() or self.package

    def make_pane(self, tab: str) -> Widget:
        if tab == "pp-access":
            from scarf_tui.tui.pypicloud.access import AccessPane

            return AccessPane(self.package)
        if tab == "pp-details":
            from scarf_tui.sources.purldb import purl_for_pypicloud_package
            from scarf_tui.tui.purldb.details import DetailsPane

            return DetailsPane(purl_for_pypicloud_package(self.package))
        from scarf_tui.tui.pypicloud.packages import FilesPane

        return FilesPane(self.package)
