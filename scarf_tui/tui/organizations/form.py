"""Create or edit an organization: name, description, website, billingEmail.

OrganizationFormScreen(existing) -> Organization | None. With `existing`, the change is a PUT to
the organization's current name; without, a POST that makes the user its owner.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.widgets import Input

from scarf_tui.domain import Organization, OrganizationDraft, validate_email, validate_name, validate_url
from scarf_tui.tui.common.fields import FormField
from scarf_tui.tui.common.form import EditorForm
from scarf_tui.tui.common.text import safe_str, shown
from scarf_tui.tui.packages.form import keep_original
from scarf_tui.tui.session import session_of


class OrganizationFormScreen(EditorForm[Organization, OrganizationDraft]):
    field_names = {
        "name": "org-name",
        "description": "org-description",
        "website": "org-website",
        "billingEmail": "org-billing",
    }

    def __init__(self, existing: Organization | None = None, on_failure: Callable[[], object] | None = None) -> None:
        super().__init__(on_failure=on_failure)
        self.existing = existing
        if existing is not None:
            self.form_title = f"Edit organization {shown(existing.name)}"
            self.confirm_title = f"Save changes to {shown(existing.name)}?"
        else:
            self.form_title = "New organization"
            self.confirm_title = "Create this organization? You become its owner."

    def _initial(self, attr: str) -> str:
        value = getattr(self.existing, attr, None) if self.existing is not None else None
        return safe_str(value) if value else ""

    def compose_fields(self) -> ComposeResult:
        yield FormField("Name", Input(self._initial("name"), placeholder="my-org", id="org-name"))
        yield FormField(
            "Description",
            Input(self._initial("description"), placeholder="What the organization does", id="org-description"),
        )
        yield FormField(
            "Website (optional)",
            Input(self._initial("website"), placeholder="https://example.com", id="org-website"),
        )
        yield FormField(
            "Billing email",
            Input(self._initial("billing_email"), placeholder="billing@example.com", id="org-billing"),
        )

    def _judge(self, attr: str, typed: str, problem: str | None) -> str | None:
        """A value the server already holds and the user left alone is not ours to refuse."""
        if problem and self.existing is not None and typed == self._initial(attr).strip():
            return None
        return problem

    def collect(self) -> OrganizationDraft | None:
        name = self.value("org-name").strip()
        description = self.value("org-description").strip()
        website = self.value("org-website").strip()
        billing = self.value("org-billing").strip()
        problems = {
            "org-name": self._judge("name", name, validate_name(name, what="The name")),
            "org-description": None,
            # Always judged: the API layer refuses a bad website even when the server holds it.
            "org-website": validate_url(website, what="The website") if website else None,
            "org-billing": self._judge(
                "billing_email", billing, validate_email(billing, what="The billing email")
            ),
        }
        if not self.check_fields(problems):
            return None
        old = self.existing
        return OrganizationDraft(
            name=keep_original(old.name if old else None, name),
            description=keep_original(old.description if old else None, description),
            billing_email=keep_original(old.billing_email if old else None, billing),
            website=keep_original(old.website if old else None, website) or None,
        )

    def changes(self, draft: OrganizationDraft) -> list[tuple[str, str, str]]:
        old = self.existing
        rows: list[tuple[str, str, str]] = []
        for label, attr in (
            ("name", "name"),
            ("description", "description"),
            ("website", "website"),
            ("billingEmail", "billing_email"),
        ):
            after = getattr(draft, attr) or ""
            if old is None:
                if after:
                    rows.append((label, "(new)", after))
                continue
            before = getattr(old, attr) or ""
            if before != after:
                rows.append((label, before, after))
        return rows

    async def submit(self, draft: OrganizationDraft) -> Organization:
        service = session_of(self).api
        if self.existing is not None:
            return await service.update_organization(self.existing.name, draft)
        return await service.create_organization(draft)
