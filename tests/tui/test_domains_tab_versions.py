"""The Domains tab follows the API version's Capabilities: API v2 has domains for a package of
any type (its domain endpoints name no type), API v1 for file and python packages only."""

from __future__ import annotations

from scarf_tui.api.models import V1_CAPABILITIES, V2_CAPABILITIES
from scarf_tui.tui.packages.domains import DomainsPane
from scarf_tui.tui.packages.package_screen import PackageScreen, tab_available, unavailable_reason

from .helpers import make_app, press, settle


def test_the_rule_is_the_capabilities():
    for kind in ("docker", "npm", "hackage", "file", "python"):
        assert tab_available("domains", kind, V2_CAPABILITIES)
    assert [k for k in ("docker", "npm", "file", "python", "pypi") if tab_available("domains", k, V1_CAPABILITIES)] == [
        "file", "python",
    ]
    assert unavailable_reason("domains", V1_CAPABILITIES) == (
        "API v1 keeps domains for file and python packages only; API v2 has them for every package."
    )


async def test_a_docker_package_has_domains_on_v2_only(versioned_service, demo_store) -> None:
    (uuid,) = [u for u, p in demo_store.packages.items() if (p["owner"], p["name"]) == ("acme", "anvil-server")]
    app = make_app(versioned_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "colon", *"pkg anvil-server", "enter")
        screen = app.screen
        assert isinstance(screen, PackageScreen) and screen.package.library_type == "docker"
        await press(pilot, "4")
        if versioned_service.api_version == "v1":
            assert screen.active_tab == "overview" and not screen.has_tab("domains")
            return
        assert screen.active_tab == "domains"
        await press(pilot, "n", *"cdn.anvil.example", "enter", "y")
        assert [d["name"] for d in demo_store.domains[uuid]][-1] == "cdn.anvil.example"
        table = screen.query_one(DomainsPane).table
        shown = [cell.plain for row in table.rows for cell in row.cells]
        assert "cdn.anvil.example" in shown
