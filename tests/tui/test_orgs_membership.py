""":orgs on API v2 lists every organization users/{username}/organizations names, including one
without packages; API v1 has no such endpoint, so there the list is what the packages imply."""

from __future__ import annotations

import httpx
import pytest

from scarf_tui.api import make_service
from scarf_tui.demo import DEMO_TOKEN
from scarf_tui.demo.app import create_app
from scarf_tui.demo.data import OrgSpec
from scarf_tui.demo.store import build_demo_store
from scarf_tui.tui.organizations.list_screen import OrganizationsScreen

from .helpers import FIXED_TODAY, make_app, press, settle

QUIET = OrgSpec("quiet-org", "no packages yet", "billing@quiet.example", "2024-01-01T00:00:00Z",
                "2024-01-01T00:00:00Z")


@pytest.mark.parametrize("version", ["v1", "v2"])
async def test_orgs_shows_a_membership_without_packages_on_v2_only(version) -> None:
    store = build_demo_store(today=FIXED_TODAY)
    store.add_org(QUIET)
    store.members["quiet-org"]["maintainer"] = "member"
    base = {"v1": "http://demo.invalid/api", "v2": "http://demo.invalid/v2"}[version]
    service = make_service(base, DEMO_TOKEN, transport=httpx.ASGITransport(app=create_app(store)), backoff=0.0,
                           api_version=version, username="maintainer")
    app = make_app(service, close_service_on_exit=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "colon", *"orgs", "enter")
        assert isinstance(app.screen, OrganizationsScreen)
        rows = {row.key: row for row in app.screen.table.rows}
        member_orgs = {org for org, members in store.members.items() if "maintainer" in members}
        if version == "v2":
            assert set(rows) == member_orgs
            quiet = rows["quiet-org"]
            assert quiet.cells["source"].plain == "member" and quiet.cells["packages"].plain == "0"
            assert quiet.cells["description"].plain == "no packages yet"
        else:
            assert "quiet-org" not in rows and set(rows) <= member_orgs
