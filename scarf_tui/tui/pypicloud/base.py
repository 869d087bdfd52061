"""What every pypicloud pane shares: the service from the Session, the "not an admin" read-only
state, and the sign-in prompt when the server answers 401.

A 401 means the user name or password were rejected: the login dialog opens and, once it
succeeds, the pane reads again. A 403 on an /admin/ path means the account is not an admin:
the session remembers the sentence, admin writes are refused with it, and the pane says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, TypeVar

from rich.text import Text

from scarf_tui.sources.errors import BadCredentials, NotAdmin
from scarf_tui.sources.pypicloud import PypicloudService
from scarf_tui.tui.common.editor_pane import EditorPane
from scarf_tui.tui.session import Session, session_of

Item = TypeVar("Item")
NOT_CONNECTED = "pypicloud: not signed in yet. Type :pypicloud to sign in."


def pypicloud_of(session: Session) -> PypicloudService:
    if session.pypicloud is None:
        raise RuntimeError(NOT_CONNECTED)
    return session.pypicloud


class SourcePane(EditorPane[Item]):
    """An EditorPane over pypicloud. Subclasses implement `read()` instead of `fetch()`;
    ADMIN_WRITES are the write actions that need an admin (refused once one was refused)."""

    ADMIN_WRITES: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.not_admin: str | None = None

    @property
    def service(self) -> PypicloudService:  # type: ignore[override]  # this pane's source is pypicloud
        return pypicloud_of(session_of(self))

    @property
    def session(self) -> Session:
        return session_of(self)

    async def read(self) -> Sequence[Item]:
        raise NotImplementedError

    async def fetch(self) -> list[Item]:
        try:
            items = list(await self.read())
        except NotAdmin as err:
            self.session.pypicloud_not_admin = str(err)
            self.not_admin = str(err)
            return []
        except BadCredentials as err:
            self.ask_to_sign_in(str(err))
            raise
        self.not_admin = None
        return items

    def ask_to_sign_in(self, sentence: str) -> None:
        from scarf_tui.tui.pypicloud.login import ask_to_sign_in

        ask_to_sign_in(self, sentence, self.reload)

    def admin_refusal(self) -> str | None:
        return self.not_admin or self.session.pypicloud_not_admin

    def status_text(self) -> Text:
        refusal = self.not_admin
        if refusal:
            return Text(f"{refusal.rstrip('.')}. Nothing here can be changed from this account.", style="bold yellow")
        return super().status_text()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.ADMIN_WRITES and self.admin_refusal():
            return False
        return super().check_action(action, parameters)

    def may_admin(self) -> bool:
        """may_write, and the account is not known to be a non-admin."""
        refusal = self.admin_refusal()
        if refusal:
            self.app.notify(refusal, severity="warning", markup=False)
            return False
        return self.may_write()


def yes_no(value: bool) -> Text:
    return Text("yes", style="bold green") if value else Text("no", style="dim")
