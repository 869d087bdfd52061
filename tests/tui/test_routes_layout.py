"""The routes table shares the width: the id is whole at 120 columns, clipped cells end in "…",
and the line under the table shows the cursor row's route in full."""

from __future__ import annotations

import html
import re

from textual.widgets import Static

from scarf_tui.demo.store import build_demo_store
from scarf_tui.tui.common.virtual_table import VirtualTable
from scarf_tui.tui.packages.routes import RoutesPane

from .helpers import FIXED_TODAY, make_app, press, service_for, settle

LONG_URL = "https://github.com/acme/widget/releases/download/v{version}/widget-{platform}.zip"


def _routes_of(store, name: str) -> list[dict]:  # noqa: ANN001
    uuid = next(u for u, p in store.packages.items() if p["name"] == name)
    return list(store.routes[uuid])


async def _open_routes(pilot) -> RoutesPane:  # noqa: ANN001
    await settle(pilot)
    pilot.app.nav.open_package("acme-downloads", "routes")
    await settle(pilot)
    return pilot.app.screen.query_one(RoutesPane)


def _cells(pane: RoutesPane) -> list[list[str]]:
    table = pane.query_one(VirtualTable)
    return [[str(cell) for cell in table.row_cells(i)] for i in range(table.row_count)]


def _detail(pane: RoutesPane) -> str:
    return str(pane.query_one(".route-detail", Static).render())


def _screen_text(app) -> str:  # noqa: ANN001
    """The screen as the terminal shows it (the SVG export's text, spaces restored)."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def test_at_120_columns_the_id_is_whole_and_the_detail_line_shows_the_route() -> None:
    store = build_demo_store(today=FIXED_TODAY)
    routes = _routes_of(store, "acme-downloads")
    app = make_app(service_for(store), close_service_on_exit=True)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await _open_routes(pilot)
        cells = _cells(pane)
        assert sorted(row[2] for row in cells) == sorted(r["id"] for r in routes)
        screen = _screen_text(app)
        first = next(r for r in routes if r["id"] == cells[0][2])
        for route in routes:  # whole in its column (and the cursor row's again in the detail line)
            assert screen.count(route["id"]) == (2 if route is first else 1)
        assert _detail(pane) == f"Route {first['templatePath']} → {first['outgoingUrl']}  id {first['id']}"


async def test_at_80_columns_a_long_url_is_clipped_with_an_ellipsis_and_readable_below() -> None:
    store = build_demo_store(today=FIXED_TODAY)
    routes = _routes_of(store, "acme-downloads")
    long_route = next(r for r in routes if r["outgoingUrl"] == LONG_URL)
    app = make_app(service_for(store), close_service_on_exit=True)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await _open_routes(pilot)
        screen = _screen_text(app)
        assert LONG_URL not in screen
        shown = re.search(r"https://github\.com/acme/\S*…", screen)
        assert shown is not None and LONG_URL.startswith(shown.group(0)[:-1])
        index = next(i for i, row in enumerate(_cells(pane)) if row[2] == long_route["id"])
        pane.query_one(VirtualTable).focus()
        await press(pilot, "home", *("j",) * index)  # the cursor onto that route
        detail = _detail(pane).replace("\n", "")
        assert LONG_URL in detail and long_route["id"] in detail
