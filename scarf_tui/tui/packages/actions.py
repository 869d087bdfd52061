"""Package create, edit and delete: each flow lives here once, and every screen calls it.

Each flow checks the read-only gate, opens its dialog (the dialog validates, confirms and sends
the request; a refusal stays inside it with the server's sentence), then drops the service's
cache so the caller's re-read shows what the server now holds.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import Widget

from scarf_tui.domain import Package
from scarf_tui.tui.common.text import safe_str
from scarf_tui.tui.session import session_of

Node = Widget  # a screen or a widget on one


def create_package(node: Node, *, org: str | None, done: Callable[[Package | None], None]) -> None:
    """The create form (owned by `org`, or by the user). `done` gets the new package, or None
    when the user cancelled."""
    from scarf_tui.tui.packages.form import PackageFormScreen

    session = session_of(node)
    if session.refuses_write(node):
        return

    def created(result: object) -> None:
        if result:
            session.api.invalidate()
        done(result if isinstance(result, Package) else None)

    node.app.push_screen(PackageFormScreen(org=org) if org else PackageFormScreen(), created)


def edit_package(node: Node, package: Package, *, done: Callable[[Package | None], None]) -> None:
    """The edit form (the type stays locked). `done` gets the saved package, or None."""
    from scarf_tui.tui.packages.form import PackageFormScreen

    session = session_of(node)
    if session.refuses_write(node):
        return

    def edited(result: object) -> None:
        if result:
            session.api.invalidate()
        done(result if isinstance(result, Package) else None)

    node.app.push_screen(PackageFormScreen(existing=package), edited)


def delete_package(node: Node, package: Package, *, done: Callable[[bool], None]) -> None:
    """Ask for the package's name, delete it. `done(True)` once the server deleted it;
    `done(False)` when cancelled or refused (the caller re-reads either way)."""
    from scarf_tui.tui.packages.form import DeletePackageScreen

    session = session_of(node)
    if session.refuses_write(node):
        return

    def finished(deleted: bool | None) -> None:
        session.api.invalidate()
        if deleted:
            node.app.notify(f"Deleted package {safe_str(package.name)}.", markup=False)
        done(bool(deleted))

    node.app.push_screen(DeletePackageScreen(package), finished)
