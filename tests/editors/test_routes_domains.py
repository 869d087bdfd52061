"""RoutesPane and DomainsPane against the real demo server."""

from __future__ import annotations

from scarf_tui.tui.common.confirm import ConfirmDialog
from scarf_tui.tui.packages.domains import DomainForm, DomainsPane
from scarf_tui.tui.packages.routes import RouteForm, RoutesPane

from .conftest import RequestLog, notifications, package_uuid, settle, table_rows
from .host import EditorHost


async def open_routes(service, store, name="acme-downloads", **kwargs):
    uuid = package_uuid(store, "acme", name, "file")
    package = await service.get_package(uuid)
    return EditorHost(service, lambda: RoutesPane(package), **kwargs), uuid


async def open_domains(service, store, name="acme-downloads", kind="file", **kwargs):
    uuid = package_uuid(store, "acme", name, kind)
    package = await service.get_package(uuid)
    return EditorHost(service, lambda: DomainsPane(package), **kwargs), uuid


def route_rows(store, uuid):
    return [(r["templatePath"], r["outgoingUrl"], r["id"]) for r in store.routes[uuid]]


def domain_rows(store, uuid):
    return [(d["name"], d["id"]) for d in store.domains[uuid]]


# --- routes ----------------------------------------------------------------------------------


async def test_create_route_with_live_preview(service, demo_store):
    app, uuid = await open_routes(service, demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert table_rows(app.query_one(RoutesPane).table) == route_rows(demo_store, uuid)
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, RouteForm)
        await pilot.press(*"/cli/{version}/{os}.tgz", "tab", *"https://cdn.acme.example/{os}/cli-{version}.tgz")
        preview = form.query_one("#route-preview").content.plain
        assert "/cli/1.2.3/linux.tgz" in preview
        assert "https://cdn.acme.example/linux/cli-1.2.3.tgz" in preview
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, RouteForm)
        assert ("/cli/{version}/{os}.tgz", "https://cdn.acme.example/{os}/cli-{version}.tgz") in [
            (r["templatePath"], r["outgoingUrl"]) for r in demo_store.routes[uuid]
        ]
        assert table_rows(app.query_one(RoutesPane).table) == route_rows(demo_store, uuid)


async def test_invalid_template_path_keeps_text_and_sends_nothing(logged_service, request_log: RequestLog, demo_store):
    app, uuid = await open_routes(logged_service, demo_store)
    before = route_rows(demo_store, uuid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n", *"cli/{version}", "tab", *"https://cdn.acme.example/{version}/{arch}")
        form = app.screen
        assert isinstance(form, RouteForm)
        # live: both fields already say what is wrong
        assert "must start with '/'" in form.field_error("route-template").message
        assert "{arch}" in form.field_error("route-outgoing").message
        await pilot.press("enter")
        assert app.screen is form  # no confirm: nothing is sent
        assert form.value("route-template") == "cli/{version}"
        assert form.value("route-outgoing") == "https://cdn.acme.example/{version}/{arch}"
        assert request_log.count("POST", "/routes") == 0
        assert route_rows(demo_store, uuid) == before


async def test_duplicate_route_422_from_server(service, demo_store):
    app, uuid = await open_routes(service, demo_store)
    before = route_rows(demo_store, uuid)
    existing = demo_store.routes[uuid][0]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        app.screen.query_one("#route-template").value = existing["templatePath"]
        app.screen.query_one("#route-outgoing").value = "https://other.example/{platform}/{version}"
        await pilot.press("enter", "y")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RouteForm)
        assert "already has a route" in form.field_error("route-template").message
        assert "422" in form.query_one("#form-error").message
        assert form.value("route-template") == existing["templatePath"]
        assert route_rows(demo_store, uuid) == before


async def test_delete_route(service, demo_store):
    app, uuid = await open_routes(service, demo_store)
    first = demo_store.routes[uuid][0]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+d")
        assert isinstance(app.screen, ConfirmDialog)
        assert ("templatePath", first["templatePath"], "(deleted)") in app.screen.changes
        await pilot.press("y")
        await settle(pilot)
        assert first["id"] not in [r["id"] for r in demo_store.routes[uuid]]
        assert table_rows(app.query_one(RoutesPane).table) == route_rows(demo_store, uuid)


async def test_delete_route_server_error(service, demo_store, demo_faults):
    app, uuid = await open_routes(service, demo_store)
    before = route_rows(demo_store, uuid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        demo_faults.error_rate = 1.0
        await pilot.press("ctrl+d", "y")
        await settle(pilot)
        pane = app.query_one(RoutesPane)
        assert pane.status_error is not None and "server error" in pane.status_error
        assert any(sev == "error" for sev, _ in notifications(app))
        assert route_rows(demo_store, uuid) == before
        assert table_rows(pane.table) == before


async def test_routes_read_only(service, demo_store):
    app, uuid = await open_routes(service, demo_store, read_only=True)
    before = route_rows(demo_store, uuid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in ("n", "x", "ctrl+d", "plus"):
            await pilot.press(key)
            await settle(pilot)
            assert not isinstance(app.screen, (ConfirmDialog, RouteForm)), key
        assert route_rows(demo_store, uuid) == before


# --- domains ---------------------------------------------------------------------------------


async def test_create_domain(service, demo_store):
    app, uuid = await open_domains(service, demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n", *"cdn.acme.example", "enter")
        assert app.screen.changes == [("domain", "(none)", "cdn.acme.example")]
        await pilot.press("y")
        await settle(pilot)
        assert "cdn.acme.example" in [d["name"] for d in demo_store.domains[uuid]]
        assert table_rows(app.query_one(DomainsPane).table) == domain_rows(demo_store, uuid)


async def test_python_package_domains(service, demo_store):
    app, uuid = await open_domains(service, demo_store, name="acme-py", kind="python")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert table_rows(app.query_one(DomainsPane).table) == domain_rows(demo_store, uuid)
        await pilot.press("n", *"simple.acme.example", "enter", "y")
        await settle(pilot)
        assert "simple.acme.example" in [d["name"] for d in demo_store.domains[uuid]]


async def test_invalid_domain_refused_client_side(logged_service, request_log, demo_store):
    app, uuid = await open_domains(logged_service, demo_store)
    before = domain_rows(demo_store, uuid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n", *"not a domain", "enter")
        form = app.screen
        assert isinstance(form, DomainForm)
        assert "not a valid domain name" in form.field_error("domain-name").message
        assert form.value("domain-name") == "not a domain"
        assert request_log.count("POST", "/domains") == 0
        assert domain_rows(demo_store, uuid) == before


async def test_domain_in_use_422(service, demo_store):
    app, uuid = await open_domains(service, demo_store, name="acme-installer")
    before = domain_rows(demo_store, uuid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n", *"get.acme.example", "enter", "y")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DomainForm)
        assert "already used" in form.field_error("domain-name").message
        assert any(sev == "error" and "422" in msg for sev, msg in notifications(app))
        assert domain_rows(demo_store, uuid) == before
        await pilot.press("escape")
        await settle(pilot)
        assert table_rows(app.query_one(DomainsPane).table) == domain_rows(demo_store, uuid)


async def test_delete_domain(service, demo_store):
    app, uuid = await open_domains(service, demo_store)
    second = demo_store.domains[uuid][1]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "ctrl+d")
        assert app.screen.changes == [("domain", second["name"], "(deleted)")]
        await pilot.press("y")
        await settle(pilot)
        assert second["id"] not in [d["id"] for d in demo_store.domains[uuid]]
        assert table_rows(app.query_one(DomainsPane).table) == domain_rows(demo_store, uuid)


async def test_domains_read_only(service, demo_store):
    app, uuid = await open_domains(service, demo_store, read_only=True)
    before = domain_rows(demo_store, uuid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in ("n", "x", "ctrl+d"):
            await pilot.press(key)
            await settle(pilot)
            assert not isinstance(app.screen, (ConfirmDialog, DomainForm)), key
        assert domain_rows(demo_store, uuid) == before


async def test_hostile_route_and_domain_render_literally(hostile_store):
    from .host import in_process_service

    service = in_process_service(hostile_store)
    uuid = next(u for u, p in hostile_store.packages.items() if p["name"] == "[@click=app.quit]x[/]")
    package = await service.get_package(uuid)
    app = EditorHost(service, lambda: RoutesPane(package))
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot)
        templates = [row[0] for row in table_rows(app.query_one(RoutesPane).table)]
        assert any("[@click=app.quit]x[/]" in t for t in templates)
        outgoing = [row[1] for row in table_rows(app.query_one(RoutesPane).table)]
        assert all("\x1b" not in o for o in outgoing)
        await pilot.press("ctrl+d")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert app.is_running
    app = EditorHost(service, lambda: DomainsPane(package))
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot)
        names = [row[0] for row in table_rows(app.query_one(DomainsPane).table)]
        assert any("漢字" in n and "שלום" in n for n in names)
    await service.aclose()
