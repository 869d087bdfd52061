"""DomainsPane: a file or python package's domains. `n` adds one, `x`/`ctrl+d` deletes one."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input

from scarf_tui.domain import Domain, Package, validate_domain_name
from scarf_tui.tui.common.editor_pane import EditorPane
from scarf_tui.tui.common.fields import FormField
from scarf_tui.tui.common.form import EditorForm
from scarf_tui.tui.common.text import safe_text, shown
from scarf_tui.tui.session import session_of


class DomainForm(EditorForm[bool, str]):
    confirm_title = "Add this domain?"
    field_names = {"name": "domain-name"}

    def __init__(self, package: Package, on_failure: Callable[[], object] | None = None) -> None:
        super().__init__(on_failure=on_failure)
        self.package = package
        self.form_title = f"New domain for {shown(package.name)}"

    def compose_fields(self) -> ComposeResult:
        yield FormField(
            "Domain name",
            Input(placeholder="files.example.com", id="domain-name"),
            hint="The full domain name; point its DNS at Scarf's gateway.",
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        value = event.value.strip()
        self.set_field_error("domain-name", validate_domain_name(value) if value else None)

    def collect(self) -> str | None:
        name = self.value("domain-name").strip()
        if not self.check_fields({"domain-name": validate_domain_name(name)}):
            return None
        return name

    def changes(self, draft: str) -> list[tuple[str, str, str]]:
        return [("domain", "(none)", draft)]

    async def submit(self, draft: str) -> bool:
        await session_of(self).api.create_domain(self.package.uuid, draft)
        return True


class DomainsPane(EditorPane[Domain]):
    BINDINGS = [
        Binding("n,plus", "new_domain", "New domain", id="domains.new"),
        Binding("ctrl+d", "delete_domain", "Delete", id="domains.delete"),
        Binding("r", "refresh", "Reload", id="domains.refresh"),
    ]
    COLUMNS = (("name", "name"), ("id", "id"))
    WRITE_ACTIONS = frozenset({"new_domain", "delete_domain"})
    EMPTY_TEXT = "No domains yet. Press n to add one."
    HINT = "n new domain · ^d delete · r reload"

    def __init__(self, package: Package, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.package = package

    def title(self) -> Text:
        text = Text("Domains · ", style="bold")
        text.append(safe_text(self.package.name))
        return text

    async def fetch(self) -> list[Domain]:
        return list(await self.service.list_domains(self.package.uuid))

    def row_key(self, item: Domain) -> str:
        return str(item.id)

    def cells(self, item: Domain) -> Sequence[object]:
        return (safe_text(item.name), safe_text(item.id))

    def action_new_domain(self) -> None:
        if not self.may_write():
            return
        self.app.push_screen(DomainForm(self.package, on_failure=self.reload), self.after_form)

    def action_delete_domain(self) -> None:
        if not self.may_write():
            return
        domain = self.cursor_item()
        if domain is None:
            self.app.notify("No domain to delete.", severity="warning")
            return
        domain_id = str(domain.id)

        self.confirm_write(
            f"Delete a domain of {shown(self.package.name)}?",
            [("domain", domain.name, "(deleted)")],
            lambda: self.service.delete_domain(self.package.uuid, domain_id),
        )
