"""Pilot: start-up paints the saved list at once, marked stale with its age, then the server's
answer replaces it; --offline browses the saved lists and refuses writes; a corrupt cache file
is a notice, never a crash."""

from __future__ import annotations

import asyncio
import copy
import threading
import time
from pathlib import Path

from scarf_tui.api.offline import make_offline_service
from scarf_tui.api.saved import OFFLINE_NOTHING_SAVED, SavedLists
from scarf_tui.cache import ListCache, cache_file, record_to_json
from scarf_tui.config import Settings
from scarf_tui.demo.store import DemoStore
from scarf_tui.domain import Package
from scarf_tui.tui.app import ScarfApp
from scarf_tui.tui.packages.table import PackageTable
from scarf_tui.tui.session import OFFLINE_SENTENCE, Session
from tests.pane_host import FIXED_TODAY
from tests.tui.helpers import press, settle

URL = "http://demo.invalid/api (v1)"
CACHED = Package("cached-uuid", "maintainer", "only-in-the-cache", "Saved last time", None, None, None, "npm")


def saved_lists(directory: Path, *, hours_ago: float | None = 3.0, offline: bool = False) -> SavedLists:
    path = cache_file(URL, "maintainer", directory)
    if hours_ago is not None:
        old = ListCache(path, api_url=URL, account="maintainer", clock=lambda: time.time() - hours_ago * 3600)
        old.put("packages", [record_to_json(CACHED)])
    return SavedLists(ListCache(path, api_url=URL, account="maintainer"), offline=offline)


def status(app: ScarfApp) -> str:
    return str(app.screen.query_one(PackageTable).query_one("#status").render())


def names(app: ScarfApp) -> list[str]:
    return sorted(r.item.name for r in app.screen.query_one(PackageTable).visible_rows)


async def test_saved_list_paints_stale_then_refreshes(service, demo_store: DemoStore, tmp_path: Path) -> None:  # noqa: ANN001
    gate = threading.Event()

    def connect():  # noqa: ANN202 - the service arrives only when the test says so
        gate.wait(30)
        return service

    saved = saved_lists(tmp_path)
    session = Session(settings=Settings(), username="maintainer", today=FIXED_TODAY, connect=connect, saved=saved)
    app = ScarfApp(session)
    async with app.run_test(size=(120, 30)) as pilot:
        for _ in range(200):  # the server is held back by the gate: wait for the saved list's paint
            await pilot.pause()
            if names(app):
                break
        assert names(app) == ["only-in-the-cache"]
        assert status(app) == "1 of 1 packages · cached 3 h ago · refreshing…"
        gate.set()
        await settle(pilot)
        expected = sorted(p["name"] for p in demo_store.visible_packages("maintainer"))
        assert names(app) == expected
        assert "cached" not in status(app)
    # The server's list is what the next start-up paints.
    again = saved_lists(tmp_path, hours_ago=None).packages(None)
    assert again is not None and sorted(p.name for p in again.packages) == expected


async def test_offline_browses_the_saved_list_and_refuses_writes(live_server: str, demo_store: DemoStore,
                                                                tmp_path: Path) -> None:
    settings = Settings(api_url=live_server, token="demo")
    saved = saved_lists(tmp_path, offline=True)
    session = Session(settings=settings, username="maintainer", today=FIXED_TODAY, offline=True, saved=saved,
                      connect=lambda: make_offline_service(settings, api_version="v1", username="maintainer"))
    before = copy.deepcopy((demo_store.packages, demo_store.permissions))
    app = ScarfApp(session, close_service_on_exit=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert names(app) == ["only-in-the-cache"]
        assert status(app) == "1 of 1 packages · cached 3 h ago · offline"
        await press(pilot, "n")
        await press(pilot, "ctrl+d")
        assert [n.message for n in app._notifications] == [
            "Offline: “New” (n) was refused. Start scarf-tui without --offline to make changes.",
            "Offline: “Delete” (ctrl+d) was refused. Start scarf-tui without --offline to make changes.",
        ]
        assert OFFLINE_SENTENCE == (
            "Offline: this change was refused. Start scarf-tui without --offline to make changes."
        )
    assert (demo_store.packages, demo_store.permissions) == before


async def test_offline_without_a_saved_list_says_so(tmp_path: Path) -> None:
    settings = Settings(api_url="https://api.scarf.sh", token="demo")
    saved = saved_lists(tmp_path, hours_ago=None, offline=True)
    session = Session(settings=settings, username="maintainer", today=FIXED_TODAY, offline=True, saved=saved,
                      connect=lambda: make_offline_service(settings, username="maintainer"))
    app = ScarfApp(session, close_service_on_exit=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert names(app) == []
        assert status(app) == f"⚠ {OFFLINE_NOTHING_SAVED}  (r: retry)"


async def test_a_corrupt_cache_is_a_notice(service, tmp_path: Path) -> None:  # noqa: ANN001
    path = cache_file(URL, "maintainer", tmp_path)
    path.write_bytes(b"\x00\xffnot json at all")
    saved = SavedLists(ListCache(path, api_url=URL, account="maintainer"))
    app = ScarfApp(Session(settings=Settings(), username="maintainer", today=FIXED_TODAY, service=service,
                           saved=saved))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert [n.message for n in app._notifications] == [
            f"The saved lists in {path} were ignored (it is not valid JSON); they will be saved again."
        ]
        assert "widget-cli" in names(app)
    assert path.read_bytes().startswith(b'{"format":"scarf-tui-lists"')


async def test_every_screen_waits_for_the_one_service(service, demo_store: DemoStore) -> None:  # noqa: ANN001
    """`--org acme` opens two screens at start-up, each asking for the service while it is
    still being built (slowly, in a thread): it is built once, and nobody is told "Not
    connected yet"."""
    calls: list[int] = []

    def connect():  # noqa: ANN202
        calls.append(1)
        time.sleep(0.2)  # a slow build, so the second screen asks while the first one waits
        return service

    session = Session(settings=Settings(), username="maintainer", today=FIXED_TODAY, connect=connect, org="acme")
    app = ScarfApp(session)
    first = asyncio.ensure_future(session.ready_api())  # a build in flight before any screen asks
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert await first is service
        table = app.screen.query_one(PackageTable)
        assert table.org == "acme"
        expected = sorted(p["name"] for p in demo_store.org_packages("acme"))
        assert sorted(r.item.name for r in table.visible_rows) == expected
        assert app.screen.organization is not None and app.screen.organization.name == "acme"
        assert [n.message for n in app._notifications] == []
    assert calls == [1]


async def test_saved_organizations_paint_stale_then_refresh(service, tmp_path: Path) -> None:  # noqa: ANN001
    from scarf_tui.api.saved import SavedOrganization
    from scarf_tui.domain import Organization
    from scarf_tui.tui.organizations.list_screen import OrganizationsScreen

    gate = threading.Event()

    def connect():  # noqa: ANN202
        gate.wait(30)
        return service

    path = cache_file(URL, "maintainer", tmp_path)
    old = ListCache(path, api_url=URL, account="maintainer", clock=lambda: time.time() - 2 * 86400 - 60)
    SavedLists(old).remember_organizations(
        [SavedOrganization("gone-org", "packages", 3, Organization("gone-org", "Saved", "b@x.example"), None)]
    )
    saved = SavedLists(ListCache(path, api_url=URL, account="maintainer"))
    session = Session(settings=Settings(), username="maintainer", today=FIXED_TODAY, connect=connect, saved=saved)
    app = ScarfApp(session)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        app.nav.open_orgs()
        await pilot.pause()
        assert isinstance(app.screen, OrganizationsScreen)
        table = app.screen.table
        assert [r.key for r in table.visible_rows] == ["gone-org"]
        assert str(table.query_one("#status").render()) == "1 of 1 organizations · cached 2 days ago · refreshing…"
        gate.set()
        await settle(pilot)
        names = [r.key for r in table.visible_rows]
        assert "gone-org" not in names and {"acme", "openlab", "tinytools"} <= set(names)
        assert "cached" not in str(table.query_one("#status").render())
    again = SavedLists(ListCache(path, api_url=URL, account="maintainer")).organizations()
    assert again is not None and {"acme", "openlab", "tinytools"} <= {r.name for r in again.rows}
