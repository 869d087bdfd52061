"""API v2 lists arrive in cursor pages: the package list paints each page as it comes, marks the
count as partial, and ends with every package of a 120+ package organization."""

from __future__ import annotations

import httpx

from scarf_tui.api import make_service
from scarf_tui.demo import DEMO_TOKEN
from scarf_tui.demo.app import create_app
from scarf_tui.demo.store import build_demo_store
from scarf_tui.tui.packages.table import PackageTable

from .helpers import FIXED_TODAY, make_app, settle


async def test_a_big_v2_organization_is_listed_whole_page_by_page() -> None:
    store = build_demo_store(today=FIXED_TODAY, fleet=True)
    # v2 has no pypi or other packages: those are listed by API v1 only.
    fleet = [p for p in store.packages.values() if p["owner"] == "fleet" and p["libraryType"] not in ("pypi", "other")]
    assert len(fleet) >= 120
    service = make_service(
        "http://demo.invalid/v2", DEMO_TOKEN, transport=httpx.ASGITransport(app=create_app(store)),
        backoff=0.0, api_version="v2", username="maintainer",
    )
    app = make_app(service, org="fleet", close_service_on_exit=True)
    painted: list[tuple[int, str]] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PackageTable)
        assert {p.name for p in table.packages} == {p["name"] for p in fleet}
        assert "so far" not in table.extra_status
        # Reload, watching what each paint showed: the first page alone, marked partial.
        show = table._show

        def spy(packages):  # noqa: ANN001, ANN202
            painted.append((len(packages), table.stale_notice))
            show(packages)

        table._show = spy  # type: ignore[method-assign]
        app.session.api.invalidate()  # r does this: the pages come from the server again
        table.load()
        await settle(pilot)
    assert painted[0][0] < len(fleet) and painted[0][1] == f"{painted[0][0]} so far…"
    assert painted[-1] == (len(fleet), "")


async def test_the_trend_column_stays_off_for_a_very_big_list_and_says_why() -> None:
    from scarf_tui.demo.scale import add_scaled_org

    store = build_demo_store(today=FIXED_TODAY)
    add_scaled_org(store, 2_100)
    service = make_service(
        "http://demo.invalid/api", DEMO_TOKEN, transport=httpx.ASGITransport(app=create_app(store)), backoff=0.0,
    )
    app = make_app(service, org="atlas", close_service_on_exit=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PackageTable)
        assert len(table.packages) == 2_100
        assert table.trend_notice == "30-day trend off above 2,000 packages"
        assert "30-day trend off above 2,000 packages" in table.extra_status
