"""CollectionForm: create a docker collection, or edit its pattern and domains.

A collection serves every image whose name matches its pattern ("acme/*") on a public domain,
pulling from a backend registry. The form checks what it can before asking (a pattern with a
'*', host names without scheme or path); the server's sentence covers the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from textual.app import ComposeResult
from textual.widgets import Input

from scarf_tui.api.models import Collection, CollectionDraft
from scarf_tui.tui.common.fields import FormField
from scarf_tui.tui.common.form import EditorForm
from scarf_tui.tui.common.text import safe_str, shown
from scarf_tui.tui.session import session_of

NEW = "(new collection)"
_HOST = re.compile(r"[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?")


def pattern_problem(pattern: str) -> str | None:
    if not pattern:
        return "Enter a docker name pattern, e.g. acme/*."
    if "*" not in pattern:
        return "A pattern matches many images: put a '*' in it, e.g. acme/*."
    if any(ch.isspace() for ch in pattern):
        return "A pattern has no spaces."
    return None


def host_problem(host: str, *, what: str, required: bool, port: bool = True, example: str = "ghcr.io") -> str | None:
    if not host:
        return f"Enter the {what}, e.g. {example}." if required else None
    if "://" in host or "/" in host:
        return f"The {what} is a host name only, without scheme or path (e.g. {example})."
    if not _HOST.fullmatch(host) or (not port and ":" in host):
        return f"{host} is not a host name: use letters, digits, '-' and '.'."
    return None


class CollectionForm(EditorForm[Collection, CollectionDraft]):
    """CollectionForm(owner) creates; CollectionForm(owner, collection) edits."""

    field_names = {
        "pattern": "collection-pattern",
        "backend_domain": "collection-backend",
        "backend_registry": "collection-backend",
        "public_domain": "collection-public",
    }

    def __init__(
        self, owner: str, collection: Collection | None = None, *, on_failure: Callable[[], object] | None = None
    ) -> None:
        super().__init__(on_failure=on_failure)
        self.owner = owner
        self.collection = collection
        if collection is None:
            self.form_title = f"New docker collection of {shown(owner)}"
            self.confirm_title = "Create this collection?"
        else:
            self.form_title = f"Edit collection {shown(collection.pattern)}"
            self.confirm_title = "Save this collection?"

    def compose_fields(self) -> ComposeResult:
        current = self.collection
        yield FormField(
            "Pattern: the docker image names it serves ('*' matches the rest)",
            Input(value=safe_str(current.pattern) if current else "", placeholder="acme/*", id="collection-pattern"),
        )
        yield FormField(
            "Backend registry: where the images are pulled from",
            Input(
                value=safe_str(current.backend_domain) if current else "", placeholder="ghcr.io",
                id="collection-backend",
            ),
        )
        yield FormField(
            "Public domain: where users pull them" + ("" if current else " (empty: Scarf picks one)"),
            Input(
                value=safe_str(current.public_domain) if current else "", placeholder="cr.example.com",
                id="collection-public",
            ),
        )

    def _problems(self, pattern: str, backend: str, public: str) -> dict[str, str | None]:
        return {
            "collection-pattern": pattern_problem(pattern),
            "collection-backend": host_problem(backend, what="backend registry", required=True),
            "collection-public": host_problem(
                public, what="public domain", required=self.collection is not None, port=False,
                example="cr.example.com",
            ),
        }

    def on_input_changed(self, event: Input.Changed) -> None:
        values = {key: self.value(key).strip() for key in ("collection-pattern", "collection-backend",
                                                           "collection-public")}
        problems = self._problems(values["collection-pattern"], values["collection-backend"],
                                  values["collection-public"])
        for input_id, text in values.items():  # judge only what has been typed; empty ones on save
            self.set_field_error(input_id, problems[input_id] if text else None)

    def collect(self) -> CollectionDraft | None:
        pattern = self.value("collection-pattern").strip()
        backend = self.value("collection-backend").strip()
        public = self.value("collection-public").strip()
        if not self.check_fields(self._problems(pattern, backend, public)):
            return None
        return CollectionDraft(pattern=pattern, backend_domain=backend, public_domain=public or None)

    def changes(self, draft: CollectionDraft) -> list[tuple[str, str, str]]:
        current = self.collection
        if current is None:
            return [
                ("pattern", NEW, draft.pattern),
                ("backend registry", NEW, draft.backend_domain),
                ("public domain", NEW, draft.public_domain or "(chosen by Scarf)"),
            ]
        rows = []
        for what, before, after in (
            ("pattern", current.pattern, draft.pattern),
            ("backend registry", current.backend_domain, draft.backend_domain),
            ("public domain", current.public_domain, draft.public_domain or ""),
        ):
            if before != after:
                rows.append((what, before, after))
        return rows

    async def submit(self, draft: CollectionDraft) -> Collection:
        service = session_of(self).api
        if self.collection is None:
            return await service.create_collection(self.owner, draft)
        return await service.update_collection(self.owner, self.collection.id, draft)
