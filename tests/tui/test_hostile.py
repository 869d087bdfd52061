"""Server text is data: hostile names render literally and clicking or typing over them runs
nothing (a markup action like @click=app.quit would end the app)."""

from __future__ import annotations

from scarf_tui.demo import data
from scarf_tui.tui.common.breadcrumbs import Breadcrumbs
from scarf_tui.tui.common.resource_table import ResourceDataTable
from scarf_tui.tui.organizations.organization_screen import OrganizationScreen
from scarf_tui.tui.packages.package_screen import Overview, PackageScreen
from scarf_tui.tui.packages.table import PackageTable

from .helpers import make_app, press, service_for, settle

CLICK = "[@click=app.quit]x[/]"


def rendered(widget) -> str:  # noqa: ANN001
    return str(widget.render())


async def test_hostile_names_render_literally_and_do_nothing(hostile_store) -> None:
    service = service_for(hostile_store)
    app = make_app(service)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            table = app.screen.query_one(PackageTable)
            hostile_rows = [r for r in table.visible_rows if CLICK in r.item.name]
            assert hostile_rows, "the hostile demo store has a package named like markup"
            row = hostile_rows[0]
            assert CLICK in row.cells["name"].plain
            # The Name column is 18 cells wide: the shown cell is the literal text, cut with "…".
            shown = table.table.shown_cells(table.table.index_of(row.key))["name"]
            assert shown.endswith("…") and CLICK.startswith(shown[:-1])
            assert "\x1b" not in "".join(c.plain for c in row.cells.values())

            # Bring it to the top, then click on its name (clicking the selected row opens it).
            await press(pilot, "slash", *"click", "enter")
            assert table.visible_rows[0].key == row.key
            await pilot.click(ResourceDataTable, offset=(3, 1))
            await settle(pilot)
            assert app.is_running
            if not isinstance(app.screen, PackageScreen):
                await press(pilot, "enter")
            assert isinstance(app.screen, PackageScreen)
            assert CLICK in app.screen.query_one(Breadcrumbs).path
            overview = app.screen.query_one(Overview)
            texts = " ".join(rendered(w) for w in overview.query("Static"))
            assert CLICK in texts
            assert "[bold red]boom[/]" in texts
            assert "\x1b" not in texts and "\x07" not in texts

            # Clicks and keys over the hostile text: still running, nothing quit.
            await pilot.click(Overview, offset=(22, 0))
            await pilot.click(Breadcrumbs, offset=(30, 0))
            await press(pilot, "2", "down", "5", "1", "y")
            assert app.is_running
            assert app.clipboard == row.key

            app.nav.open_org(data.HOSTILE_ORG.name)
            await settle(pilot)
            assert isinstance(app.screen, OrganizationScreen)
            details = rendered(app.screen.query_one("#details"))
            assert data.HOSTILE_ORG.name in app.screen.query_one(Breadcrumbs).path
            await pilot.click("#details", offset=(16, 0))
            await press(pilot, "2", "enter")
            assert app.is_running
            assert details  # the details panel rendered something for the hostile org
    finally:
        await service.aclose()
