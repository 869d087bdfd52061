"""pypicloud packages: the list (stable and unstable versions), and one package's files by
version. Deleting a file asks the user to type its name first."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.binding import Binding
from textual.message import Message

from scarf_tui.sources.pypicloud import PackageFile, PackageSummary
from scarf_tui.tui.common.confirm import TypeToConfirm
from scarf_tui.tui.common.text import format_when, safe_text, shown
from scarf_tui.tui.pypicloud.base import SourcePane


class PackagesPane(SourcePane[PackageSummary]):
    BINDINGS = [
        # priority: the table's own enter (select cursor) would otherwise take the key.
        Binding("enter", "open", "Open", id="pypicloud_packages.open", priority=True),
        Binding("r", "refresh", "Reload", id="pypicloud_packages.refresh"),
    ]
    COLUMNS = (("name", "package"), ("stable", "stable"), ("unstable", "unstable"), ("modified", "last modified"))
    EMPTY_TEXT = "No packages on this server (or none this account may read)."
    HINT = "enter files, access and details · r reload"

    def title(self) -> Text:
        return Text("pypicloud · packages", style="bold")

    async def read(self) -> Sequence[PackageSummary]:
        packages = await self.service.list_packages()
        return sorted(packages, key=lambda p: (p.name.casefold(), p.name))

    def row_key(self, item: PackageSummary) -> str:
        return item.name

    def items_loaded(self) -> None:
        # `:pypicloud ` completes these (and the tab names).
        self.session.remember_names("pypicloud", ["users", "groups", *(p.name for p in self.items)])

    def cells(self, item: PackageSummary) -> Sequence[object]:
        return (
            safe_text(item.name, style="bold"),
            safe_text(item.stable or "—"),
            safe_text(item.unstable or "—"),
            Text(format_when(item.last_modified)),
        )

    class Open(Message):
        """Open one package (the pypicloud screen pushes its package screen)."""

        def __init__(self, package: str) -> None:
            super().__init__()
            self.package = package

    def action_open(self) -> None:
        item = self.cursor_item()
        if item is not None:
            self.post_message(PackagesPane.Open(item.name))


class FilesPane(SourcePane[PackageFile]):
    """Every uploaded file of one package, newest first; ctrl+d deletes one (typed name)."""

    BINDINGS = [
        Binding("ctrl+d,delete", "delete_file", "Delete file", id="pypicloud_files.delete"),
        Binding("r", "refresh", "Reload", id="pypicloud_files.refresh"),
    ]
    COLUMNS = (("version", "version"), ("filename", "file"), ("modified", "last modified"))
    WRITE_ACTIONS = frozenset({"delete_file"})
    EMPTY_TEXT = "This package has no files."
    HINT = "ctrl+d delete file · r reload"

    def __init__(self, package: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.package = package
        self.can_write: bool | None = None

    def title(self) -> Text:
        text = Text("Files · ", style="bold")
        text.append_text(safe_text(self.package))
        return text

    async def read(self) -> Sequence[PackageFile]:
        versions = await self.service.package_versions(self.package)
        self.can_write = versions.can_write
        return versions.files

    def row_key(self, item: PackageFile) -> str:
        return item.filename

    def cells(self, item: PackageFile) -> Sequence[object]:
        return (safe_text(item.version, style="bold"), safe_text(item.filename), Text(format_when(item.last_modified)))

    def status_text(self) -> Text:
        if self.loaded and self.items and self.can_write is False and not self.session.read_only:
            versions = len({f.version for f in self.items})
            return Text(
                f"{versions} version(s), {len(self.items)} file(s) · this account may only read this package",
                style="dim",
            )
        if self.loaded and self.items and not self.session.read_only:
            versions = len({f.version for f in self.items})
            return Text(f"{versions} version(s), {len(self.items)} file(s) · {self.HINT}", style="dim")
        return super().status_text()

    def action_delete_file(self) -> None:
        if not self.may_write():
            return
        item = self.cursor_item()
        if item is None:
            self.app.notify("No file to delete.", severity="warning")
            return
        if self.can_write is False:
            self.app.notify(
                f"pypicloud: this account may not change {shown(self.package)} (read only).", severity="warning",
                markup=False,
            )
            return
        service, package, filename = self.service, self.package, item.filename

        async def delete() -> None:
            await service.delete_file(package, filename)

        def done(deleted: bool | None) -> None:
            if deleted:
                self.app.notify(f"Deleted {shown(filename)}.", markup=False)
            self.reload()

        self.app.push_screen(
            TypeToConfirm(f"Delete {shown(filename)} from {shown(package)}? This cannot be undone.", filename,
                          action=delete, on_failure=self.reload),
            done,
        )
