"""The pypicloud screen: packages, users and groups of one pypicloud server (`:pypicloud`,
`scarf-tui --pypicloud URL`). Enter on a package opens its files, access and details."""

from __future__ import annotations

from textual import on
from textual.widget import Widget

from scarf_tui.tui.common.styles import style_path
from scarf_tui.tui.pypicloud.package_screen import PypicloudPackageScreen
from scarf_tui.tui.pypicloud.packages import PackagesPane
from scarf_tui.tui.pypicloud.tabs import SourceTabs

TABS = (("pp-packages", "Packages"), ("pp-users", "Users"), ("pp-groups", "Groups"))
TAB_ALIASES = {"packages": "pp-packages", "users": "pp-users", "groups": "pp-groups"}


class PypicloudScreen(SourceTabs):
    """Tab keys: 1 packages, 2 users, 3 groups, [ / ] previous / next tab."""

    CSS_PATH = style_path("pypicloud.tcss")
    TABS = TABS
    DEFAULT_TAB = "pp-packages"

    def __init__(self, tab: str | None = None) -> None:
        super().__init__(tab=TAB_ALIASES.get(tab or "", tab))

    def crumbs(self) -> list[str]:
        service = self.session.pypicloud
        where = f"{service.username or 'anonymous'} @ {service.base_url}" if service is not None else "not signed in"
        names = dict(TABS)
        return ["pypicloud", where, names.get(self.active_tab, "").lower()]

    def make_pane(self, tab: str) -> Widget:
        if tab == "pp-users":
            from scarf_tui.tui.pypicloud.users import UsersPane

            return UsersPane()
        if tab == "pp-groups":
            from scarf_tui.tui.pypicloud.groups import GroupsPane

            return GroupsPane()
        return PackagesPane()

    @on(PackagesPane.Open)
    def _open_package(self, message: PackagesPane.Open) -> None:
        message.stop()
        self.app.push_screen(PypicloudPackageScreen(message.package))
