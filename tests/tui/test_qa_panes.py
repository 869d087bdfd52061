"""QA regressions in the tabbed screens: hidden panes never take focus, the charts pane names
the package, the export dialog borrows the charts range."""

from __future__ import annotations

from textual.widgets import Input

from scarf_tui.tui.charts.pane import ChartPane
from scarf_tui.tui.export_screen import ExportScreen
from scarf_tui.tui.organizations.organization_screen import OrganizationScreen
from scarf_tui.tui.packages.package_screen import PackageScreen

from .helpers import press, settle


async def test_a_pane_mounting_in_a_hidden_tab_does_not_switch_to_it(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.nav.open_org("openlab", tab="packages")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OrganizationScreen) and screen.active_tab == "org-packages"
        # Nothing focused (e.g. the packages table still loading) while the members pane mounts
        # behind its hidden tab: it must not grab focus, which would switch the tab under the user.
        screen.set_focus(None)
        screen._ensure_pane("members", focus=False)
        await settle(pilot)
        assert screen.active_tab == "org-packages"


async def test_charts_pane_names_the_package(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"widget-cli", "enter", "enter", "5")
        assert isinstance(app.screen, PackageScreen) and app.screen.active_tab == "charts"
        pane = app.screen.query_one(ChartPane)
        assert pane.package_name == "widget-cli"
        assert "package widget-cli" in str(pane.query_one("#charts-header").render())


async def test_export_from_the_charts_tab_uses_the_charts_range(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"widget-cli", "enter", "enter", "5", "p")  # next range preset
        pane = app.screen.query_one(ChartPane)
        wanted = pane.date_range
        await press(pilot, "colon", *"export", "enter")
        assert isinstance(app.screen, ExportScreen)
        assert app.screen.query_one("#export-start", Input).value == wanted.start.isoformat()
        assert app.screen.query_one("#export-end", Input).value == wanted.end.isoformat()
