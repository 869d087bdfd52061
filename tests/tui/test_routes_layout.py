"""The routes table shares the width: the id is whole at 120 columns, clipped cells end in "…",
and the line under the table shows the cursor row's route in full."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from scarf_tui.demo.store import build_demo_store
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
    table = pane.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def _detail(pane: RoutesPane) -> str:
    return str(pane.query_one(".route-detail", Static).render())


async def test_at_120_columns_the_id_is_whole_and_the_detail_line_shows_the_route() -> None:
    store = build_demo_store(today=FIXED_TODAY)
    routes = _routes_of(store, "acme-downloads")
    app = make_app(service_for(store), close_service_on_exit=True)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await _open_routes(pilot)
        cells = _cells(pane)
        assert sorted(row[2] for row in cells) == sorted(r["id"] for r in routes)
        first = next(r for r in routes if r["id"] == cells[0][2])
        assert _detail(pane) == f"Route {first['templatePath']} → {first['outgoingUrl']}  id {first['id']}"


async def test_at_80_columns_a_long_url_is_clipped_with_an_ellipsis_and_readable_below() -> None:
    store = build_demo_store(today=FIXED_TODAY)
    routes = _routes_of(store, "acme-downloads")
    long_route = next(r for r in routes if r["outgoingUrl"] == LONG_URL)
    app = make_app(service_for(store), close_service_on_exit=True)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await _open_routes(pilot)
        cells = _cells(pane)
        index = next(i for i, row in enumerate(cells) if long_route["id"].startswith(row[2].rstrip("…")))
        shown_url = cells[index][1]
        assert shown_url.endswith("…") and LONG_URL.startswith(shown_url[:-1]) and shown_url != LONG_URL
        pane.query_one(DataTable).focus()
        await press(pilot, "home", *("j",) * index)  # the cursor onto that route
        assert LONG_URL in _detail(pane).replace("\n", "")
        assert long_route["id"] in _detail(pane).replace("\n", "")
