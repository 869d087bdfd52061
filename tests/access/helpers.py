"""Opening the matrix and reading what it shows."""

from __future__ import annotations

from scarf_tui.demo.store import DemoStore
from scarf_tui.tui.access.grid import AccessGrid
from scarf_tui.tui.access.screen import AccessScreen
from tests.tui.helpers import press, settle


async def open_matrix(pilot, org: str) -> AccessScreen:  # noqa: ANN001
    await settle(pilot)
    await press(pilot, "colon", *f"matrix {org}", "enter")
    screen = pilot.app.screen
    assert isinstance(screen, AccessScreen), type(screen).__name__
    return screen


def uuid_of(store: DemoStore, org: str, name: str) -> str:
    return next(u for u, p in store.packages.items() if p["owner"] == org and p["name"] == name)


def grid_lines(screen: AccessScreen) -> list[str]:
    grid = screen.query_one(AccessGrid)
    return [grid.render_line(y).text for y in range(grid.size.height)]


def notifications(app) -> list[str]:  # noqa: ANN001
    return [str(n.message) for n in app._notifications]
