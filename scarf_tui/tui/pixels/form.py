"""PixelForm: create a tracking pixel, or rename one and change the package it counts for."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.widgets import Input

from scarf_tui.api.errors import ValidationFailed
from scarf_tui.api.models import TrackingPixel, TrackingPixelDraft
from scarf_tui.tui.common.fields import FormField
from scarf_tui.tui.common.form import EditorForm
from scarf_tui.tui.common.text import safe_str, shown
from scarf_tui.tui.session import session_of

NAME_MISSING = "A tracking pixel needs a name."
NEW = "(new pixel)"


def package_label(pixel: TrackingPixel | None) -> str:
    """The pixel's package as the form shows it: its name (the id when the name is unknown)."""
    if pixel is None or pixel.package is None:
        return ""
    return safe_str(pixel.package.name or pixel.package.id)


class PixelForm(EditorForm[TrackingPixel, TrackingPixelDraft]):
    """PixelForm(owner) creates; PixelForm(owner, pixel) edits. Dismisses with the pixel the
    server answered, or None."""

    field_names = {"name": "pixel-name", "package_id": "pixel-package", "package": "pixel-package"}

    def __init__(
        self, owner: str, pixel: TrackingPixel | None = None, *, on_failure: Callable[[], object] | None = None
    ) -> None:
        super().__init__(on_failure=on_failure)
        self.owner = owner
        self.pixel = pixel
        if pixel is None:
            self.form_title = f"New tracking pixel of {shown(owner)}"
            self.confirm_title = "Create this tracking pixel?"
        else:
            self.form_title = f"Edit tracking pixel {shown(pixel.name)}"
            self.confirm_title = "Save this tracking pixel?"

    def compose_fields(self) -> ComposeResult:
        pixel = self.pixel
        yield FormField(
            "Name",
            Input(value=safe_str(pixel.name) if pixel else "", placeholder="docs-home", id="pixel-name"),
        )
        yield FormField(
            "Package (optional): a package name or id of this owner",
            Input(value=package_label(pixel), placeholder="widget-cli", id="pixel-package"),
            hint="Its events then count for that package. Leave empty for none.",
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "pixel-name" and event.value.strip():
            self.set_field_error("pixel-name", None)

    def collect(self) -> TrackingPixelDraft | None:
        name = self.value("pixel-name").strip()
        if not self.check_fields({"pixel-name": None if name else NAME_MISSING, "pixel-package": None}):
            return None
        return TrackingPixelDraft(name=name, package_id=self.value("pixel-package").strip() or None)

    def changes(self, draft: TrackingPixelDraft) -> list[tuple[str, str, str]]:
        if self.pixel is None:
            rows = [("name", NEW, draft.name)]
            if draft.package_id:
                rows.append(("package", NEW, draft.package_id))
            return rows
        rows = []
        if draft.name != self.pixel.name:
            rows.append(("name", self.pixel.name, draft.name))
        before = package_label(self.pixel)
        if (draft.package_id or "") != before and (draft.package_id or "") != self._package_id():
            rows.append(("package", before, draft.package_id or ""))
        return rows

    def _package_id(self) -> str:
        package = self.pixel.package if self.pixel else None
        return package.id if package else ""

    async def _resolve_package(self, text: str | None) -> str | None:
        """A package name or id of the owner -> its id (an unknown one goes as typed, and the
        server says what is wrong with it)."""
        if not text:
            return None
        if text == package_label(self.pixel) and self._package_id():
            return self._package_id()
        packages = await session_of(self).api.list_owner_packages(self.owner)
        if any(p.uuid == text for p in packages):
            return text
        named = [p for p in packages if safe_str(p.name) == text]
        if len(named) > 1:
            kinds = ", ".join(sorted(str(p.library_type) for p in named))
            raise ValidationFailed(
                f"Several packages of {self.owner} are named {text} ({kinds}): enter the package id instead.",
                field_errors={"package_id": ["Several packages have this name; enter the id."]},
            )
        return named[0].uuid if named else text

    async def submit(self, draft: TrackingPixelDraft) -> TrackingPixel:
        service = session_of(self).api
        resolved = TrackingPixelDraft(name=draft.name, package_id=await self._resolve_package(draft.package_id))
        if self.pixel is None:
            return await service.create_pixel(self.owner, resolved)
        return await service.update_pixel(self.owner, self.pixel.id, resolved)
