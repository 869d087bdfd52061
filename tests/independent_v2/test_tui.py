"""The real app, driven with Pilot, against the independent v2 server as a new user would see it:
every screen loads, the 128-package organization shows all 128, hostile names stay literal, and
a 429 or a cut stream is retried or reported, never shown as complete."""

from __future__ import annotations

import html
import re

from scarf_tui.tui.packages.package_screen import PackageScreen
from scarf_tui.tui.packages.table import PackageTable
from tests.tui.helpers import make_app, press, settle

from .conftest import Served, make_v2_service
from .data import ORG, PACKAGE_COUNT, USERNAME

SIZE = (120, 40)


def screen_text(app) -> str:  # noqa: ANN001
    """What the terminal shows, line by line, read from the app's own screenshot."""
    rows: dict[float, list[str]] = {}
    for y, body in re.findall(r'<text[^>]*\by="([\d.]+)"[^>]*>(.*?)</text>', app.export_screenshot(), flags=re.S):
        rows.setdefault(float(y), []).append(html.unescape(body))
    return "\n".join("".join(parts).replace("\xa0", " ") for _, parts in sorted(rows.items()))


def assert_no_error_state(app) -> None:  # noqa: ANN001
    shown = screen_text(app)
    errors = [w for w in app.screen.query(".-error") if w.display]
    assert not errors and "⚠" not in shown, shown
    assert "\x1b" not in shown and "\u202e" not in shown


def tui(served: Served, **session):  # noqa: ANN003, ANN201
    return make_app(make_v2_service(served.url), username=USERNAME, close_service_on_exit=True, **session)


async def test_the_organization_shows_all_128_and_hostile_names_literally(served):
    app = tui(served, org=ORG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PackageTable)
        assert len(table.packages) == PACKAGE_COUNT
        shown = screen_text(app)
        assert f"{PACKAGE_COUNT} of {PACKAGE_COUNT} packages" in shown and "so far" not in shown
        assert "About  [link=https://evil.example]click me[/link]" in shown
        assert "[@click=app.qui…" in shown and "[bold red]not b…" in shown
        assert_no_error_state(app)
        await press(pilot, "slash", *"click", "enter")
        assert "1 of 128 packages" in screen_text(app)
        await press(pilot, "enter")
        if not isinstance(app.screen, PackageScreen):
            await press(pilot, "enter")
        assert isinstance(app.screen, PackageScreen)
        shown = screen_text(app)
        assert "Name[@click=app.quit]x[/]" in shown.replace(" ", "") and "[reverse]desc[/reverse]" in shown
        await pilot.click(offset=(10, 6))  # on the hostile name
        await settle(pilot)
        assert app.is_running


async def test_every_package_tab_loads_against_the_other_server(served):
    app = tui(served, org=ORG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"fleet-file-001", "enter", "enter")
        if not isinstance(app.screen, PackageScreen):
            await press(pilot, "enter")
        expected = {
            "2": ["[b]mallory[/b]  member", "grace           admin"],
            "3": ["/[red]x[/red]/{+path}", "https://files.example/{version}/tool.tar.gz"],
            "4": [".fleet.example"],
            "5": ["downloads", "vs prev 30d"],
        }
        for key, needles in expected.items():
            await press(pilot, key)
            shown = screen_text(app)
            for needle in needles:
                assert needle in shown, (key, shown)
            assert_no_error_state(app)


async def test_pixels_and_collections_load(served):
    app = tui(served, org=ORG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "colon", *f"pixels {ORG}", "enter")
        shown = screen_text(app)
        assert "12 pixels" in shown and "[@click=app.quit]pixel[/]" in shown
        assert_no_error_state(app)
        await press(pilot, "colon", *f"collections {ORG}", "enter")
        shown = screen_text(app)
        assert "3 collections" in shown and "[b]literal[/b]/*" in shown
        assert_no_error_state(app)
        assert app.is_running


async def test_a_passing_429_still_ends_with_all_128(served):
    served.faults.rate_limit[f"/v2/packages/{ORG}"] = (2, 2)
    app = tui(served, org=ORG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert f"{PACKAGE_COUNT} of {PACKAGE_COUNT} packages" in screen_text(app)


async def test_a_429_that_stays_is_reported_not_shown_complete(served):
    served.faults.rate_limit[f"/v2/packages/{ORG}"] = (3, 10_000)
    app = tui(served, org=ORG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert "⚠" in shown and "429" in shown, shown
        assert f"{PACKAGE_COUNT} of {PACKAGE_COUNT}" not in shown


async def test_a_cut_aggregates_stream_is_an_error_in_the_charts(served):
    app = tui(served, org=ORG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"fleet-file-001", "enter", "enter")
        if not isinstance(app.screen, PackageScreen):
            await press(pilot, "enter")
        path = f"/v2/packages/{ORG}/aggregates"
        served.faults.cut_after[path] = (served.faults.seen[path] + 1, 2000)
        await press(pilot, "5")
        shown = screen_text(app)
        assert "cut" in shown and "No downloads" not in shown and "vs prev" not in shown, shown


async def test_the_charts_breakdown_views_have_the_servers_rows(served):
    app = tui(served, org=ORG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"fleet-file-001", "enter", "enter")
        if not isinstance(app.screen, PackageScreen):
            await press(pilot, "enter")
        await press(pilot, "5", "v", "down", "enter")  # "Show downloads by" → company
        shown = screen_text(app)
        assert "Initech" in shown, shown
        assert_no_error_state(app)


async def test_orgs_lists_every_organization_the_server_says_the_user_is_in(served):
    app = tui(served)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "colon", *"orgs", "enter")
        shown = screen_text(app)
        assert_no_error_state(app)
        assert "11 of 11 organizations" in shown, shown


async def test_a_permission_change_from_the_keyboard_lands_on_the_server(served):
    (pid,) = [p["id"] for p in served.store.packages.values() if p["name"] == "fleet-file-001"]
    app = tui(served, org=ORG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"fleet-file-001", "enter", "enter")
        if not isinstance(app.screen, PackageScreen):
            await press(pilot, "enter")
        await press(pilot, "2", "slash", *"linus", "enter", "a", "y")
        assert served.store.permissions[pid]["linus"] == "admin"
        shown = screen_text(app)
        assert re.search(r"linus +admin", shown), shown
        assert_no_error_state(app)


async def test_the_palette_search_shows_hostile_hits_literally(served):
    app = tui(served, org=ORG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+p", *"click")
        shown = screen_text(app)
        assert "package [@click=app.quit]x[/]  (docker, fleet)" in shown
        assert "tracking pixel [@click=app.quit]pixel[/]" in shown and app.is_running


async def test_a_docker_package_has_its_domains_tab_on_v2(served):
    (pkg,) = [p for p in served.store.packages.values() if p["name"] == "fleet-docker-000"]
    app = tui(served, org=ORG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"fleet-docker-000", "enter", "enter")
        if not isinstance(app.screen, PackageScreen):
            await press(pilot, "enter")
        await press(pilot, "4")
        shown = screen_text(app)
        assert "Domains · fleet-docker-000" in shown and served.store.domains[pkg["id"]][0]["name"] in shown
