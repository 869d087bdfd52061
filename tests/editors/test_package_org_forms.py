"""PackageFormScreen, the delete flow and OrganizationFormScreen against the real demo server."""

from __future__ import annotations

from textual.widgets import Input, Select

from scarf_tui.tui.common.confirm import ConfirmDialog
from scarf_tui.tui.organizations.form import OrganizationFormScreen
from scarf_tui.tui.packages import actions
from scarf_tui.tui.packages.form import DeletePackageScreen, PackageFormScreen

from .conftest import RequestLog, notifications, package_uuid, settle
from .host import EditorHost


async def type_into(pilot, form, input_id: str, text: str) -> None:
    """Focus a field and replace its text (Input.Changed fires as for typing; key-by-key typing
    is exercised by the pane tests)."""
    widget = form.query_one(f"#{input_id}", Input)
    widget.focus()
    widget.value = text
    await pilot.pause()


async def test_create_docker_package_in_org_with_url_rule(logged_service, request_log: RequestLog, demo_store):
    app = EditorHost(logged_service)
    results = []
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        form = PackageFormScreen(org="acme")
        app.push_screen(form, results.append)
        await pilot.pause()
        await type_into(pilot, form, "pkg-name", "gizmo")
        await type_into(pilot, form, "pkg-short", "The gizmo image")
        form.query_one("#pkg-type", Select).value = "docker"
        await pilot.pause()
        assert form.query_one("#docker-fields").display
        assert not form.query_one("#python-fields").display
        await type_into(pilot, form, "pkg-backend", "https://ghcr.io/Acme/Gizmo")
        await pilot.press("enter")
        assert app.screen is form
        assert "must match [a-z0-9]+" in form.field_error("pkg-backend").message
        assert form.value("pkg-backend") == "https://ghcr.io/Acme/Gizmo"
        assert form.value("pkg-name") == "gizmo"
        assert request_log.count("POST", "/packages") == 0
        await type_into(pilot, form, "pkg-backend", "https://ghcr.io/acme/gizmo")
        await type_into(pilot, form, "pkg-public", "https://docker.acme.example/other/gizmo")
        await pilot.press("enter")
        assert "publicUrl's path must match" in form.field_error("pkg-public").message
        await type_into(pilot, form, "pkg-public", "https://docker.acme.example/acme/gizmo")
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmDialog)
        assert ("libraryType", "(new)", "docker") in app.screen.changes
        assert ("backendUrl", "(new)", "https://ghcr.io/acme/gizmo") in app.screen.changes
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is not form
    uuid = package_uuid(demo_store, "acme", "gizmo", "docker")
    assert demo_store.packages[uuid]["shortDescription"] == "The gizmo image"
    assert demo_store.package_settings[uuid]["backendUrl"] == "https://ghcr.io/acme/gizmo"
    assert demo_store.package_settings[uuid]["publicUrl"] == "https://docker.acme.example/acme/gizmo"
    assert results and results[0].uuid == uuid


async def test_create_personal_python_package(service, demo_store):
    app = EditorHost(service)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        form = PackageFormScreen()
        app.push_screen(form)
        await pilot.pause()
        await type_into(pilot, form, "pkg-name", "my-index")
        await type_into(pilot, form, "pkg-short", "My wheels")
        form.query_one("#pkg-type", Select).value = "python"
        await pilot.pause()
        assert form.query_one("#python-fields").display
        assert not form.query_one("#docker-fields").display
        await type_into(pilot, form, "pkg-repo", "pypi.org/simple")
        await pilot.press("enter")
        assert "http(s) URL" in form.field_error("pkg-repo").message
        await type_into(pilot, form, "pkg-repo", "https://pypi.org/simple/")
        await pilot.press("enter", "y")
        await settle(pilot)
    uuid = package_uuid(demo_store, "maintainer", "my-index", "python")
    assert demo_store.package_settings[uuid]["repositoryURL"] == "https://pypi.org/simple/"


async def test_create_requires_type_and_name(logged_service, request_log, demo_store):
    app = EditorHost(logged_service)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        form = PackageFormScreen(org="acme")
        app.push_screen(form)
        await pilot.pause()
        await type_into(pilot, form, "pkg-short", "no name yet")
        await pilot.press("enter")
        assert "name is required" in form.field_error("pkg-name").message
        assert "Choose a library type" in form.field_error("pkg-type").message
        assert form.value("pkg-short") == "no name yet"
        assert request_log.count("POST", "/packages") == 0


async def test_name_taken_422_keeps_form(service, demo_store):
    app = EditorHost(service)
    count = len(demo_store.packages)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        form = PackageFormScreen(org="acme")
        app.push_screen(form)
        await pilot.pause()
        await type_into(pilot, form, "pkg-name", "widget-cli")
        await type_into(pilot, form, "pkg-short", "again")
        form.query_one("#pkg-type", Select).value = "npm"
        await pilot.press("enter", "y")
        await settle(pilot)
        assert app.screen is form
        assert "already taken" in form.field_error("pkg-name").message
        assert "422" in form.query_one("#form-error").message
        assert any(sev == "error" for sev, _ in notifications(app))
        assert form.value("pkg-name") == "widget-cli"
    assert len(demo_store.packages) == count


async def test_create_server_error_keeps_form(service, demo_store, demo_faults):
    app = EditorHost(service)
    count = len(demo_store.packages)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        form = PackageFormScreen(org="acme")
        app.push_screen(form)
        await pilot.pause()
        await type_into(pilot, form, "pkg-name", "doomed")
        await type_into(pilot, form, "pkg-short", "never lands")
        form.query_one("#pkg-type", Select).value = "npm"
        demo_faults.error_rate = 1.0
        await pilot.press("enter", "y")
        await settle(pilot)
        assert app.screen is form
        assert "server error" in form.query_one("#form-error").message
        assert form.value("pkg-name") == "doomed"
    assert len(demo_store.packages) == count


async def test_edit_package_type_locked(service, demo_store):
    uuid = package_uuid(demo_store, "acme", "widget-cli", "npm")
    package = await service.get_package(uuid)
    app = EditorHost(service)
    results = []
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        form = PackageFormScreen(existing=package)
        app.push_screen(form, results.append)
        await pilot.pause()
        type_select = form.query_one("#pkg-type", Select)
        assert type_select.disabled and type_select.value == "npm"
        assert form.value("pkg-name") == "widget-cli"
        await type_into(pilot, form, "pkg-short", "Scaffold and ship widgets")
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.changes == [
            ("shortDescription", "Scaffold, lint and publish widgets", "Scaffold and ship widgets")
        ]
        await pilot.press("y")
        await settle(pilot)
    stored = demo_store.packages[uuid]
    assert stored["shortDescription"] == "Scaffold and ship widgets"
    assert stored["libraryType"] == "npm"
    assert stored["longDescription"] == package.long_description  # untouched fields kept
    assert results[0].short_description == "Scaffold and ship widgets"


async def test_edit_nothing_changed_sends_nothing(logged_service, request_log, demo_store):
    uuid = package_uuid(demo_store, "acme", "widget-cli", "npm")
    package = await logged_service.get_package(uuid)
    app = EditorHost(logged_service)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        form = PackageFormScreen(existing=package)
        app.push_screen(form)
        await pilot.pause()
        await pilot.press("ctrl+s")
        assert app.screen is form
        assert form.query_one("#form-error").message == "Nothing changed."
        assert request_log.count("PUT", f"/packages/{uuid}") == 0


async def test_delete_package_by_typing_its_name(service, demo_store):
    uuid = package_uuid(demo_store, "acme", "roadrunner", "npm")
    package = await service.get_package(uuid)
    app = EditorHost(service)
    results = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dialog = DeletePackageScreen(package)
        app.push_screen(dialog, results.append)
        await pilot.pause()
        await pilot.press(*"roadrunne", "enter")
        assert app.screen is dialog
        assert "does not match" in dialog.query_one("#type-confirm-error").message
        assert uuid in demo_store.packages
        await pilot.press("r", "enter")
        await settle(pilot)
    assert uuid not in demo_store.packages
    assert results == [True]


async def test_delete_flow_in_a_worker_and_cancel(service, demo_store):
    uuid = package_uuid(demo_store, "acme", "roadrunner", "npm")
    package = await service.get_package(uuid)
    app = EditorHost(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        results: list[bool] = []
        actions.delete_package(app.screen, package, done=results.append)
        await pilot.pause()
        assert isinstance(app.screen, DeletePackageScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert results == [False]
        assert uuid in demo_store.packages
        actions.delete_package(app.screen, package, done=results.append)
        await pilot.pause()
        await pilot.press(*"roadrunner", "enter")
        await settle(pilot)
        assert results == [False, True]
    assert uuid not in demo_store.packages


async def test_delete_server_error_keeps_dialog(service, demo_store, demo_faults):
    uuid = package_uuid(demo_store, "acme", "roadrunner", "npm")
    package = await service.get_package(uuid)
    app = EditorHost(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dialog = DeletePackageScreen(package)
        app.push_screen(dialog)
        await pilot.pause()
        demo_faults.error_rate = 1.0
        await pilot.press(*"roadrunner", "enter")
        await settle(pilot)
        assert app.screen is dialog
        assert "server error" in dialog.query_one("#type-confirm-error").message
    assert uuid in demo_store.packages


async def test_read_only_refuses_package_writes(service, demo_store):
    uuid = package_uuid(demo_store, "acme", "roadrunner", "npm")
    package = await service.get_package(uuid)
    app = EditorHost(service, read_only=True)
    count = len(demo_store.packages)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        form = PackageFormScreen(existing=package)
        app.push_screen(form)
        await pilot.pause()
        await type_into(pilot, form, "pkg-short", "changed")
        await pilot.press("enter")
        assert app.screen is form  # no confirm dialog
        assert app.refused == 1
        await pilot.press("escape")
        results: list[bool] = []
        actions.delete_package(app.screen, package, done=results.append)
        await settle(pilot)
        assert results == []  # refused before the dialog: nothing to report
        assert app.refused == 2
        assert not isinstance(app.screen, DeletePackageScreen)
    assert len(demo_store.packages) == count
    assert demo_store.packages[uuid]["shortDescription"] == package.short_description


# --- organizations -----------------------------------------------------------------------------


async def test_edit_organization(service, demo_store):
    org = await service.get_organization("acme")
    app = EditorHost(service)
    results = []
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        form = OrganizationFormScreen(org)
        app.push_screen(form, results.append)
        await pilot.pause()
        assert form.value("org-billing") == "billing@acme.example"
        await type_into(pilot, form, "org-description", "Acme builds widgets.")
        await type_into(pilot, form, "org-website", "https://www.acme.example")
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.changes == [
            ("description", org.description, "Acme builds widgets."),
            ("website", "https://acme.example", "https://www.acme.example"),
        ]
        await pilot.press("y")
        await settle(pilot)
    assert demo_store.orgs["acme"]["description"] == "Acme builds widgets."
    assert demo_store.orgs["acme"]["website"] == "https://www.acme.example"
    assert demo_store.orgs["acme"]["billingEmail"] == "billing@acme.example"
    assert results[0].description == "Acme builds widgets."


async def test_org_invalid_billing_email_sends_nothing(logged_service, request_log, demo_store):
    org = await logged_service.get_organization("acme")
    app = EditorHost(logged_service)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        form = OrganizationFormScreen(org)
        app.push_screen(form)
        await pilot.pause()
        await type_into(pilot, form, "org-billing", "billing at acme")
        await pilot.press("enter")
        assert app.screen is form
        assert "not an email address" in form.field_error("org-billing").message
        assert form.value("org-billing") == "billing at acme"
        assert request_log.count("PUT", "/organizations/acme") == 0
    assert demo_store.orgs["acme"]["billingEmail"] == "billing@acme.example"


async def test_org_server_error(service, demo_store, demo_faults):
    org = await service.get_organization("acme")
    app = EditorHost(service)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        form = OrganizationFormScreen(org)
        app.push_screen(form)
        await pilot.pause()
        await type_into(pilot, form, "org-description", "lost?")
        demo_faults.error_rate = 1.0
        await pilot.press("enter", "y")
        await settle(pilot)
        assert app.screen is form
        assert "server error" in form.query_one("#form-error").message
        assert form.value("org-description") == "lost?"
    assert demo_store.orgs["acme"]["description"] == org.description


async def test_edit_untyped_legacy_package(service, demo_store):
    uuid = package_uuid(demo_store, "maintainer", "legacy-thing", None)
    package = await service.get_package(uuid)
    assert package.library_type is None
    app = EditorHost(service)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        form = PackageFormScreen(existing=package)
        app.push_screen(form)
        await pilot.pause()
        assert form.query_one("#pkg-type", Select).disabled
        await type_into(pilot, form, "pkg-short", "Still here")
        await pilot.press("enter", "y")
        await settle(pilot)
        assert app.screen is not form
    assert demo_store.packages[uuid]["shortDescription"] == "Still here"
    assert demo_store.packages[uuid].get("libraryType") is None
