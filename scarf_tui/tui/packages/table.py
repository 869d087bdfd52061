"""The package list used by the Packages screen and an organization's Packages tab.

The list loads first; the last-30-days sparkline column fills in afterwards from a separate
worker, so a slow (or forbidden) export never delays the list.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import timedelta

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.message import Message

from scarf_tui.api.errors import ExportNotEnabled
from scarf_tui.api.saved import OFFLINE_NOTHING_SAVED, stale_marker
from scarf_tui.domain import LibraryType, Package
from scarf_tui.tui.common.errors import describe_error
from scarf_tui.tui.common.resource_table import Column, ResourceTable, Row
from scarf_tui.tui.common.text import safe, safe_str
from scarf_tui.tui.packages import actions
from scarf_tui.tui.packages.domains_column import DOMAINS_WIDTH, domains_cell, owner_domains
from scarf_tui.tui.packages.trend import CELL_WIDTH, trend_cells, unavailable_cell
from scarf_tui.tui.session import session_of

MAX_TREND_PACKAGES = 2_000
TREND_DAYS = 30

COLUMNS = (
    Column("name", "Name", width=16),
    Column("type", "Type", width=7),
    Column("owner", "Owner", width=9),
    Column("created", "Created", width=10),
    Column("description", "Description", flex=True),
    Column("trend", "30 days", width=CELL_WIDTH),  # sparkline and total (trend.py)
    Column("domains", "Domains", width=DOMAINS_WIDTH),  # API v2's overview (domains_column.py)
)
TYPE_ORDER = [t.value for t in LibraryType]


def package_cells(pkg: Package) -> dict[str, Text]:
    """A package's cells, made when its row is drawn (the trend and domains come later)."""
    return {
        "name": safe(pkg.name, style="bold"),
        "type": safe(pkg.library_type or ""),
        "owner": safe(pkg.owner),
        "created": Text(_created(pkg)),
        "description": safe(pkg.short_description),
        "trend": Text(""),
        "domains": Text(""),
    }


def _created(pkg: Package) -> str:
    return pkg.created_at.date().isoformat() if pkg.created_at else ""


def package_row(pkg: Package) -> Row:
    kind = pkg.library_type or ""
    return Row(
        key=pkg.uuid,
        item=pkg,
        build=package_cells,
        sort_values={
            "name": safe_str(pkg.name).casefold(),
            "type": safe_str(kind).casefold(),
            "owner": safe_str(pkg.owner).casefold(),
            "created": _created(pkg),
            "description": safe_str(pkg.short_description).casefold(),
            "trend": -1,
        },
        search_text=" ".join(safe_str(s) for s in (pkg.name, pkg.owner, kind)),
    )


class PackageTable(ResourceTable):
    """Packages of the user (org=None) or of one organization."""

    BINDINGS = [
        Binding("N", "sort('name')", "Sort name", show=False, id="packages.sort_name"),
        Binding("T", "sort('type')", "Sort type", show=False, id="packages.sort_type"),
        Binding("O", "sort('owner')", "Sort owner", show=False, id="packages.sort_owner"),
        Binding("C", "sort('created')", "Sort created", show=False, id="packages.sort_created"),
        Binding("D", "sort('trend')", "Sort 30 days", show=False, id="packages.sort_trend"),
        Binding("t", "cycle_type", "Type", id="packages.type_cycle"),
        Binding("n", "new_package", "New", id="packages.new"),
        Binding("ctrl+d", "delete_package", "Delete", id="packages.delete"),
    ]
    WRITE_ACTIONS = frozenset({"new_package", "delete_package"})

    class Changed(Message):
        """Packages were created or deleted here (the org screen refreshes its counts)."""

    def __init__(self, org: str | None = None, *, id: str | None = None) -> None:
        super().__init__(COLUMNS, noun="packages", id=id)
        self.org = org
        self.type_filter: str | None = None
        self.packages: list[Package] = []
        self.loaded = False
        self.trend_notice = ""
        self.domains_notice = ""  # why the Domains column is blank (API v1, an owner's overview failed)
        self._select_after_load: str | None = None
        self.trend_exceptions: dict[str, Exception] = {}  # owner -> why its trend is blank
        self.stale_notice = ""  # "cached 3 h ago · refreshing…" while the saved list shows

    def on_mount(self) -> None:
        self.load()

    # --- loading ------------------------------------------------------------------------------
    def load(self) -> None:
        # The last-known list paints at once (marked stale); the server's answer replaces it.
        if not (not self.loaded and self._paint_saved()):
            self.set_loading(True)
        self.call_after_refresh(self._load_packages)  # paint first, then connect and ask

    def _paint_saved(self) -> bool:
        session = session_of(self)
        hit = session.saved.packages(self.org) if session.saved is not None else None
        if hit is None:
            return False
        self.stale_notice = stale_marker(hit.age, offline=session.offline)
        self._show(hit.packages)
        return True

    @work(exclusive=True, group="package-table-load", exit_on_error=False)
    async def _load_packages(self) -> None:
        session = session_of(self)
        if session.offline:
            if not self.packages:
                self.set_error(OFFLINE_NOTHING_SAVED)
            self.call_after_refresh(session.first_list_shown)
            return
        try:
            packages: list[Package] = []
            painted = 0
            # Cursor pages (API v2) carry no total: the first page paints at once, then each time
            # the list has doubled (repainting every page would cost rows²), with the count
            # marked partial until the last page is in, so sorting and filtering see it all.
            async for page in session.package_pages(self.org):
                packages.extend(page.items)
                if not page.done and (painted == 0 or len(packages) >= 2 * painted):
                    self.stale_notice = page.status
                    self._show(list(packages))
                    painted = len(packages)
        except Exception as err:  # noqa: BLE001 - any failure becomes the inline error state
            message = describe_error(err)
            self.app.notify(message, severity="error", markup=False)
            self.set_error(message)
            self.call_after_refresh(session.first_list_shown)
            return
        self.stale_notice = ""
        self._show(packages)
        # Start-up work that waited for the first list (the service building, the other sources)
        # starts once the list's frame is drawn: its threads would share the interpreter with it.
        self.call_after_refresh(session.first_list_shown)
        if session.saved is not None:
            await asyncio.to_thread(session.saved.remember_packages, self.org, packages)
        self._load_trends(packages)
        self._load_domains(packages)

    def _show(self, packages: list[Package]) -> None:
        session = session_of(self)
        self.packages = packages
        self.loaded = True
        session.remember_names("package", (p.name for p in packages))
        session.remember_names("org", (p.owner for p in packages if not session.is_me(p.owner)))
        self.extra_status = self._extra_status_text()
        self.set_rows([package_row(p) for p in packages])
        if self._select_after_load is not None:
            self.select_key(self._select_after_load)
            self._select_after_load = None
        elif self.table.row_count and self.table.cursor_row < 0:
            self.table.move_cursor(row=0)

    @work(exclusive=True, group="package-table-trends", exit_on_error=False)
    async def _load_trends(self, packages: list[Package]) -> None:
        from scarf_tui.analytics import last_n_days_by_package  # pydantic_core: not before first paint

        session = session_of(self)
        if len(packages) > MAX_TREND_PACKAGES:
            # One aggregates stream per owner holds every package's rows: for a very big list
            # that is minutes of download for a column, so it stays off and says why.
            self.trend_notice = f"30-day trend off above {MAX_TREND_PACKAGES:,} packages"
            self._update_extra_status()
            return
        service, today = await session.ready_api(), session.today
        start, end = today - timedelta(days=TREND_DAYS), today
        owners: dict[str, list[Package]] = defaultdict(list)
        for pkg in packages:
            owners[pkg.owner].append(pkg)

        async def fetch(owner: str) -> tuple[str, dict[str, list[int]] | Exception]:
            try:
                rows = service.owner_aggregates(owner, start, end, breakdowns=["total"])
                collected = [row async for row in rows if row.breakdown == "total"]
                return owner, last_n_days_by_package(collected, end, TREND_DAYS)
            except asyncio.CancelledError:
                raise
            except Exception as err:  # noqa: BLE001 - the column stays blank, the status line says why
                return owner, err

        failures: list[str] = []
        self.trend_exceptions = {}
        series: dict[str, list[int]] = {}
        for owner, result in await asyncio.gather(*(fetch(o) for o in owners)):
            if isinstance(result, Exception):
                failures.append(safe_str(owner))
                self.trend_exceptions[owner] = result
                for pkg in owners[owner]:
                    self.update_cell(pkg.uuid, "trend", unavailable_cell(result), sort_value=-1)
                continue
            series.update({pkg.uuid: result.get(pkg.uuid, [0] * TREND_DAYS) for pkg in owners[owner]})
        # One scale for every row (trend.py), so packages compare; known only once all are in.
        for uuid, (cell, total) in trend_cells(series).items():
            self.update_cell(uuid, "trend", cell, sort_value=total)
        # A one-line notice in the status bar, not a toast: a missing trend is not an error
        # the user must act on (no export access, or an owner we cannot read).
        if any(isinstance(err, ExportNotEnabled) for err in self.trend_exceptions.values()):
            self.trend_notice = "30-day trend needs data export access"
        elif failures:
            self.trend_notice = f"30 days n/a for {', '.join(failures)}"
        else:
            self.trend_notice = ""
        self._update_extra_status()

    @work(exclusive=True, group="package-table-domains", exit_on_error=False)
    async def _load_domains(self, packages: list[Package]) -> None:
        service = await session_of(self).ready_api()
        found, self.domains_notice = await owner_domains(service, (p.owner for p in packages))
        for pkg in packages:
            if found.get(pkg.uuid):
                cell = domains_cell(found[pkg.uuid])
                self.update_cell(pkg.uuid, "domains", cell, sort_value=cell.plain.casefold())
        self._update_extra_status()

    # --- filter by type -----------------------------------------------------------------------
    def _type_matches(self, row: Row) -> bool:
        return self.type_filter is None or (row.item.library_type or "") == self.type_filter

    def action_cycle_type(self) -> None:
        present = {p.library_type or "" for p in self.packages}
        kinds = [t for t in TYPE_ORDER if t in present] + sorted(present - set(TYPE_ORDER))
        cycle: list[str | None] = [None, *kinds]
        index = cycle.index(self.type_filter) if self.type_filter in cycle else 0
        self.type_filter = cycle[(index + 1) % len(cycle)]
        # No filter function at all when every type shows: filtering 20,000 rows calls it per row.
        self.extra_filter = None if self.type_filter is None else self._type_matches
        self._update_extra_status()
        if self.visible_rows:
            self.table.move_cursor(row=0)

    def _update_extra_status(self) -> None:
        self.extra_status = self._extra_status_text()
        self.refresh_rows()

    def _extra_status_text(self) -> str:
        parts = [f"type: {self.type_filter}" if self.type_filter is not None else "", self.stale_notice,
                 self.trend_notice, self.domains_notice]
        return " · ".join(p for p in parts if p)

    def action_sort(self, column: str) -> None:
        self.sort_by(column)

    # --- writes -------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.WRITE_ACTIONS and session_of(self).read_only:
            return False
        if action == "delete_package" and self.selected is None:
            return None
        return super().check_action(action, parameters)

    def action_new_package(self) -> None:
        actions.create_package(self, org=self.org, done=self._after_create)

    def _after_create(self, result: Package | None) -> None:
        if result is None:
            return
        self._select_after_load = result.uuid  # land on the new package once listed
        self.load()
        self.post_message(PackageTable.Changed())

    def action_delete_package(self) -> None:
        pkg = self.selected
        if pkg is None:
            return

        def done(deleted: bool) -> None:
            # Deleted or not, show what the server now holds.
            self.load()
            self.post_message(PackageTable.Changed())

        actions.delete_package(self, pkg, done=done)
