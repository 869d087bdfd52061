"""Navigation requests. Screens and widgets post these; they bubble up to the app, which owns
the screen stack. Nothing below tui/app.py needs to import the app to move the user around."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from scarf_tui.domain import Package

if TYPE_CHECKING:
    from scarf_tui.api.service import ScarfService


class OpenPackages(Message):
    def __init__(self, org: str | None = None) -> None:
        super().__init__()
        self.org = org


class OpenPackage(Message):
    """Open a package (a model, or an id or name to look up) on one of its tabs."""

    def __init__(self, target: Package | str, tab: str = "overview") -> None:
        super().__init__()
        self.target = target
        self.tab = tab


class OpenOrgs(Message):
    pass


class OpenOrg(Message):
    def __init__(self, name: str, tab: str = "members") -> None:
        super().__init__()
        self.name = name
        self.tab = tab


class GoBack(Message):
    """Leave the current screen; with reload, the screen below re-reads from the server."""

    def __init__(self, *, reload: bool = False) -> None:
        super().__init__()
        self.reload = reload


class ServiceReady(Message):
    """Signed in (or the demo started): browse with this service from now on."""

    def __init__(self, service: ScarfService, username: str | None) -> None:
        super().__init__()
        self.service = service
        self.username = username
