"""The package list's Domains column: on API v2 it fills from one overview request per owner
after the list has painted; on v1, or when an owner's overview fails, it stays blank and the
status line says why. Expected domains come from raw HTTP to the same demo server."""

from __future__ import annotations

from collections import Counter

import httpx

from scarf_tui.api import make_service
from scarf_tui.demo import DEMO_TOKEN
from scarf_tui.tui.packages.domains_column import DOMAINS_WIDTH, domains_cell
from scarf_tui.tui.packages.table import PackageTable

from .helpers import make_app, settle


class Counting:
    """The demo app, counting the overview requests it answers per owner."""

    def __init__(self, app) -> None:  # noqa: ANN001
        self.app = app
        self.overviews: Counter = Counter()

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001
        parts = scope.get("path", "").split("/")
        if scope["type"] == "http" and parts[-1] == "overview" and "after=" not in scope["query_string"].decode():
            self.overviews[parts[-2]] += 1
        await self.app(scope, receive, send)


def v2_service(app):  # noqa: ANN001, ANN201
    return make_service("http://demo.invalid/v2", DEMO_TOKEN, transport=httpx.ASGITransport(app=app), backoff=0.0,
                        api_version="v2", username="maintainer")


async def served_domains(demo_app, owners: set[str]) -> dict[str, list[str]]:
    """Package id -> domain names, every page of each owner's overview."""
    found: dict[str, list[str]] = {}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=demo_app), base_url="http://demo.invalid",
                                 headers={"Authorization": f"Bearer {DEMO_TOKEN}"}) as http:
        for owner in owners:
            url: str | None = f"/v2/packages/{owner}/overview?per_page=100"
            while url:
                page = (await http.get(url)).json()
                found.update({i["package"]["id"]: [d["name"] for d in i["domains"]] for i in page["results"]})
                url = page.get("_links", {}).get("next")
    return found


async def test_v2_domains_fill_from_one_overview_per_owner(demo_app):
    counting = Counting(demo_app)
    app = make_app(v2_service(counting), close_service_on_exit=True)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PackageTable)
        cells = {row.key: row.cells["domains"].plain for row in table.rows}
        names = {row.key: row.item.name for row in table.rows}
        owners = {row.item.owner for row in table.rows}
        assert "domains" not in table.extra_status
    served = await served_domains(demo_app, owners)
    assert cells == {key: domains_cell(served.get(key, [])).plain for key in cells}
    filled = {names[key]: text for key, text in cells.items() if text}
    assert filled["acme-downloads"] == "downloads.acme.exampl…"  # two domains, cut to the column
    assert len(filled["acme-downloads"]) == DOMAINS_WIDTH
    assert len(filled) >= 3
    assert counting.overviews == Counter(dict.fromkeys(owners, 1))


async def test_v1_leaves_the_column_blank_and_says_why(service):
    app = make_app(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PackageTable)
        assert {row.cells["domains"].plain for row in table.rows} == {""}
        assert table.extra_status.endswith("domains need API v2")


async def test_a_failing_overview_leaves_blank_cells_and_a_status_sentence(demo_app, demo_faults):
    service = v2_service(demo_app)
    await service.list_packages()  # the list is in the service's cache: the app paints it without asking
    demo_faults.error_rate = 1.0  # every request from here on answers 500 or 503
    app = make_app(service, close_service_on_exit=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PackageTable)
        assert len(table.rows) > 10
        assert {row.cells["domains"].plain for row in table.rows} == {""}
        owners = sorted({row.item.owner for row in table.rows})
        assert f"domains n/a for {', '.join(f'{o} (error)' for o in owners)}" in table.extra_status


def test_domain_names_are_data_not_markup():
    cell = domains_cell(["[b]x[/b].example", "\x1b[31mred.example"])
    assert cell.plain.startswith("[b]x[/b].example, ")
    assert "\x1b" not in cell.plain and not cell.spans


def overview_text(app) -> str:  # noqa: ANN001

    return "\n".join(str(s.render()) for s in app.screen.query("#fields Static"))


async def test_package_overview_shows_its_domains_on_v2(demo_app):
    app = make_app(v2_service(demo_app), close_service_on_exit=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        (pkg,) = [p for p in app.screen.query_one(PackageTable).packages if p.name == "acme-downloads"]
        app.nav.open_package(pkg)
        await settle(pilot)
        text = overview_text(app)
    assert "Domains\ndownloads.acme.example, get.acme.example" in text


async def test_package_overview_has_no_domains_line_on_v1(service):
    app = make_app(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        (pkg,) = [p for p in app.screen.query_one(PackageTable).packages if p.name == "acme-downloads"]
        app.nav.open_package(pkg)
        await settle(pilot)
        text = overview_text(app)
    assert "Created" in text and "Domains" not in text


def test_snapshot_v2_package_list_with_domains(snap_compare) -> None:
    from scarf_tui.demo.app import create_app
    from scarf_tui.demo.store import build_demo_store

    from .helpers import FIXED_TODAY
    from .test_snapshots import _go

    app = make_app(v2_service(create_app(build_demo_store(today=FIXED_TODAY))), close_service_on_exit=True)
    assert snap_compare(app, terminal_size=(120, 40), run_before=_go())
