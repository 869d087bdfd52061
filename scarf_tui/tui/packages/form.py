"""Create or edit a package, and delete one by typing its name.

PackageFormScreen(org=None, existing=None) -> Package | None (None when cancelled).
Creating posts to the organization's packages when `org` is given, else to the user's.
Editing PUTs the changed fields; libraryType is shown but locked (the spec: it can't change).
Docker packages get backendUrl/publicUrl, python packages a repositoryURL, each checked by the
domain rules before anything is sent.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Select, TextArea

from scarf_tui.domain import (
    LibraryType,
    Package,
    PackageDraft,
    validate_docker_urls,
    validate_name,
    validate_required,
    validate_url,
)
from scarf_tui.tui.common.confirm import TypeToConfirm
from scarf_tui.tui.common.fields import FormField
from scarf_tui.tui.common.form import EditorForm
from scarf_tui.tui.common.text import safe_str, shown
from scarf_tui.tui.session import session_of

LIBRARY_TYPES = [t.value for t in LibraryType]
PYPI_SIMPLE = "https://pypi.org/simple/"
UNKNOWN_BEFORE = "(not returned by the API)"


def keep_original(original: str | None, typed: str, *, multiline: bool = False) -> str:
    """The form shows server text cleaned of escapes; if the user left it as shown, send the
    server's own value back rather than silently changing it."""
    if original is not None and typed == safe_str(original, multiline=multiline):
        return original
    return typed


class PackageFormScreen(EditorForm[Package, PackageDraft]):
    field_names = {
        "name": "pkg-name",
        "shortDescription": "pkg-short",
        "longDescription": "pkg-long",
        "website": "pkg-website",
        "libraryType": "pkg-type",
        "backendUrl": "pkg-backend",
        "publicUrl": "pkg-public",
        "repositoryURL": "pkg-repo",
        "repositoryUrl": "pkg-repo",
    }

    def __init__(
        self,
        org: str | None = None,
        existing: Package | None = None,
        on_failure: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(on_failure=on_failure)
        self.org = org
        self.existing = existing
        if existing is not None:
            self.form_title = f"Edit package {shown(existing.name)}"
            self.confirm_title = f"Save changes to {shown(existing.name)}?"
        elif org:
            self.form_title = f"New package in {shown(org)}"
            self.confirm_title = f"Create this package in {shown(org)}?"
        else:
            self.form_title = "New package"
            self.confirm_title = "Create this package?"

    # --- layout --------------------------------------------------------------------------------
    def _initial(self, attr: str, *, multiline: bool = False) -> str:
        value = getattr(self.existing, attr, None) if self.existing is not None else None
        return safe_str(value, multiline=multiline) if value else ""

    def compose_fields(self) -> ComposeResult:
        existing_type = self.existing.library_type if self.existing is not None else None
        types = list(LIBRARY_TYPES)
        if existing_type and existing_type not in types:
            types.append(existing_type)  # an unknown kind is kept as text, still shown
        type_select: Select[str] = Select(
            [(Text(safe_str(t)), t) for t in types],  # an unknown type came from the server: never markup
            prompt="Choose a type",
            value=existing_type if existing_type else Select.NULL,
            disabled=self.existing is not None,
            id="pkg-type",
        )
        yield FormField("Name", Input(self._initial("name"), placeholder="my-package", id="pkg-name"))
        yield FormField(
            "Short description",
            Input(self._initial("short_description"), placeholder="One line about the package", id="pkg-short"),
        )
        yield FormField(
            "Library type",
            type_select,
            hint="Locked: the type can't change after creation." if self.existing is not None else None,
        )
        website = Input(self._initial("website"), placeholder="https://example.com", id="pkg-website")
        yield FormField("Website (optional)", website)
        yield FormField(
            "Long description (optional)",
            TextArea(self._initial("long_description", multiline=True), id="pkg-long", soft_wrap=True),
        )
        keep_hint = " Leave empty to keep the current value." if self.existing is not None else ""
        with Vertical(id="docker-fields", classes="type-fields"):
            yield FormField(
                "Docker backendUrl",
                Input(placeholder="https://registry-1.docker.io/org/image", id="pkg-backend"),
                hint="Where the image really lives; path parts like org/image." + keep_hint,
            )
            yield FormField(
                "Docker publicUrl",
                Input(placeholder="https://docker.example.com/org/image", id="pkg-public"),
                hint="The URL users pull from; same path parts as backendUrl." + keep_hint,
            )
        with Vertical(id="python-fields", classes="type-fields"):
            yield FormField(
                "Python repositoryURL",
                Input(placeholder=PYPI_SIMPLE, id="pkg-repo"),
                hint=f"A Simple Repository URL; for PyPI use {PYPI_SIMPLE}" + keep_hint,
            )

    def on_mount(self) -> None:
        super().on_mount()
        self._show_type_fields(self.library_type())

    def library_type(self) -> str | None:
        value = self.query_one("#pkg-type", Select).value
        return None if value is Select.NULL else str(value)

    def _show_type_fields(self, library_type: str | None) -> None:
        self.query_one("#docker-fields").display = library_type == LibraryType.DOCKER.value
        self.query_one("#python-fields").display = library_type == LibraryType.PYTHON.value

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "pkg-type":
            self._show_type_fields(self.library_type())

    # --- validation ----------------------------------------------------------------------------
    def _judge(self, attr: str, typed: str, problem: str | None) -> str | None:
        """A value the server already holds and the user left alone is not ours to refuse."""
        if problem and self.existing is not None and typed == self._initial(attr).strip():
            return None
        return problem

    def collect(self) -> PackageDraft | None:
        name = self.value("pkg-name").strip()
        short = self.value("pkg-short").strip()
        website = self.value("pkg-website").strip()
        long_text = self.query_one("#pkg-long", TextArea).text
        library_type = self.library_type()
        backend = self.value("pkg-backend").strip()
        public = self.value("pkg-public").strip()
        repo = self.value("pkg-repo").strip()

        problems: dict[str, str | None] = {
            "pkg-name": self._judge("name", name, validate_name(name, what="The name")),
            "pkg-short": self._judge(
                "short_description", short, validate_required(short, what="The short description")
            ),
            "pkg-type": None,
            # Always judged: the API layer refuses a bad website even when the server holds it.
            "pkg-website": validate_url(website, what="The website") if website else None,
            "pkg-backend": None,
            "pkg-public": None,
            "pkg-repo": None,
        }
        if self.existing is None and library_type is None:
            problems["pkg-type"] = "Choose a library type."
        if library_type == LibraryType.DOCKER.value:
            docker_problem = validate_docker_urls(backend or None, public or None)
            if docker_problem:
                target = "pkg-public" if docker_problem.startswith("publicUrl") else "pkg-backend"
                problems[target] = docker_problem
        if library_type == LibraryType.PYTHON.value and repo:
            problems["pkg-repo"] = validate_url(repo, what="The repositoryURL")
        if not self.check_fields(problems):
            return None

        existing = self.existing
        is_docker = library_type == LibraryType.DOCKER.value
        is_python = library_type == LibraryType.PYTHON.value
        return PackageDraft(
            name=keep_original(existing.name if existing else None, name),
            short_description=keep_original(existing.short_description if existing else None, short),
            long_description=keep_original(existing.long_description if existing else None, long_text, multiline=True)
            or None,
            website=keep_original(existing.website if existing else None, website) or None,
            library_type=library_type,
            backend_url=(backend or None) if is_docker else None,
            public_url=(public or None) if is_docker else None,
            repository_url=(repo or None) if is_python else None,
        )

    def changes(self, draft: PackageDraft) -> list[tuple[str, str, str]]:
        old = self.existing
        before = "(new)" if old is None else None
        rows: list[tuple[str, str, str]] = []
        plain_fields = (
            ("name", "name", draft.name),
            ("shortDescription", "short_description", draft.short_description),
            ("longDescription", "long_description", draft.long_description),
            ("website", "website", draft.website),
        )
        for label, attr, after in plain_fields:
            was = getattr(old, attr, None) if old is not None else None
            if old is not None and (was or None) == (after or None):
                continue
            if old is None and not after:
                continue
            rows.append((label, before or (was or ""), after or ""))
        if old is None and draft.library_type:
            rows.append(("libraryType", "(new)", draft.library_type))
        for label, after in (
            ("backendUrl", draft.backend_url),
            ("publicUrl", draft.public_url),
            ("repositoryURL", draft.repository_url),
        ):
            if after:
                rows.append((label, before or UNKNOWN_BEFORE, after))
        return rows

    async def submit(self, draft: PackageDraft) -> Package:
        service = session_of(self).api
        if self.existing is not None:
            return await service.update_package(self.existing.uuid, draft)
        if self.org:
            return await service.create_org_package(self.org, draft)
        return await service.create_package(draft)


class DeletePackageScreen(TypeToConfirm):
    """Type the package's name, then it is deleted; a refusal keeps the dialog open with the
    server's sentence. Dismisses True once the server deleted it."""

    def __init__(self, package: Package) -> None:
        async def delete() -> None:
            await session_of(self).api.delete_package(package.uuid)

        super().__init__(
            f"Delete package {shown(package.name)} ({shown(package.library_type, empty='no type')}, "
            f"owner {shown(package.owner)})? This cannot be undone.",
            package.name,
            action=delete,
        )
        self.package = package
