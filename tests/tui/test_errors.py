"""A failing server becomes a message and an inline error state with retry, never a crash."""

from __future__ import annotations

from scarf_tui.tui.common.resource_table import ResourceTable
from scarf_tui.tui.organizations.list_screen import OrganizationsScreen
from scarf_tui.tui.organizations.organization_screen import OrganizationScreen
from scarf_tui.tui.packages.list_screen import PackagesScreen
from scarf_tui.tui.packages.table import PackageTable

from .helpers import make_app, press, service_for, settle


def status_text(table: ResourceTable) -> str:
    return str(table.query_one("#status").render())


async def test_server_errors_show_a_message_and_retry_recovers(app_factory, demo_faults) -> None:
    demo_faults.error_rate = 1.0
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.is_running
        assert isinstance(app.screen, PackagesScreen)
        table = app.screen.query_one(PackageTable)
        assert table.error is not None
        assert "⚠" in status_text(table) and "retry" in status_text(table)
        assert any(n.severity == "error" for n in app._notifications)

        demo_faults.error_rate = 0.0
        await press(pilot, "r")
        assert table.error is None
        assert table.visible_rows


async def test_errors_on_every_browse_screen_keep_the_app_alive(app_factory, demo_faults) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        demo_faults.error_rate = 1.0
        app.nav.open_orgs()
        await settle(pilot)
        assert isinstance(app.screen, OrganizationsScreen)
        await press(pilot, "r")  # refresh drops the cache, so the list request fails too
        assert "⚠" in status_text(app.screen.query_one(ResourceTable))
        app.nav.open_org("acme")
        await settle(pilot)
        assert isinstance(app.screen, OrganizationScreen)
        assert "⚠" in str(app.screen.query_one("#details").render())
        await press(pilot, "2", "3", "1", "r", "escape", "r")
        assert app.is_running


async def test_invalid_json_is_reported_not_raised(demo_store) -> None:
    from scarf_tui.demo.faults import Faults

    service = service_for(demo_store, Faults(invalid_json=True))
    app = make_app(service)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            table = app.screen.query_one(PackageTable)
            assert app.is_running and table.error
    finally:
        await service.aclose()


async def test_no_export_access_marks_the_trend_na_with_a_notice(demo_store) -> None:
    import httpx

    from scarf_tui.api import make_service
    from scarf_tui.demo import NOEXPORT_TOKEN
    from scarf_tui.demo.app import create_app

    service = make_service(
        "http://demo.invalid/api",
        NOEXPORT_TOKEN,
        transport=httpx.ASGITransport(app=create_app(demo_store)),
        backoff=0.0,
    )
    app = make_app(service, username="visitor")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            table = app.screen.query_one(PackageTable)
            assert table.visible_rows and table.error is None
            # Each cell says why in a few words; the status line says it in full.
            assert {r.cells["trend"].plain for r in table.visible_rows} == {"n/a: no export"}
            assert "export" in table.trend_notice
            assert "export" in status_text(table)
            assert not any(n.severity == "error" for n in app._notifications)
    finally:
        await service.aclose()
