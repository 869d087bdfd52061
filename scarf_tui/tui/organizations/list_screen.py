"""Organizations the user works with.

--org and the `orgs` setting ("config"), the owners of the user's packages other than the user
("packages"), and whatever else the service's known_organizations finds: on API v2 the
organizations users/{username}/organizations names ("member"), even those without packages; API
v1 has no such endpoint, so there the list is what the packages imply. Each is then read with
GET /organizations/{name}; one that cannot be read still shows, with the reason.
"""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding

from scarf_tui.api.errors import NotFound
from scarf_tui.api.saved import OFFLINE_NOTHING_SAVED, SavedOrganization, stale_marker
from scarf_tui.domain import Organization
from scarf_tui.tui.common.base_screen import BaseScreen
from scarf_tui.tui.common.errors import describe_error
from scarf_tui.tui.common.messages import OpenOrg
from scarf_tui.tui.common.resource_table import Column, ResourceTable, Row
from scarf_tui.tui.common.styles import style_path
from scarf_tui.tui.common.text import safe, safe_str

COLUMNS = (
    Column("name", "Name", width=18),
    Column("description", "Description", flex=True),
    Column("website", "Website", width=24),
    Column("packages", "Packages", width=8),
    Column("source", "From", width=8),
)


def known_org_names(
    package_owners: list[str], username: str | None, extra: list[str]
) -> dict[str, str]:
    """name -> how we know it, in first-seen order."""
    names: dict[str, str] = {}
    for name in extra:
        if name and name not in names:
            names[name] = "config"
    for owner in package_owners:
        if owner and owner != username and owner not in names:
            names[owner] = "packages"
    return names


def org_row(name: str, source: str, count: int, org: Organization | None, problem: str | None) -> Row:
    if org is not None:
        description = safe(org.description)
        website = safe(org.website or "")
    else:
        description = Text("⚠ ", style="bold")
        description.append_text(safe(problem or "not readable"))
        website = Text("")
    return Row(
        key=name,
        item=name,
        cells={
            "name": safe(name, style="bold"),
            "description": description,
            "website": website,
            "packages": Text(str(count), justify="right"),
            "source": Text(source),
        },
        sort_values={"name": safe_str(name).casefold(), "packages": count},
        search_text=safe_str(name),
    )


class OrganizationsScreen(BaseScreen):
    CSS_PATH = style_path("organizations.tcss")

    BINDINGS = [
        Binding("n", "new_org", "New org", id="organizations.new"),
    ]
    WRITE_ACTIONS = frozenset({"new_org"})

    def compose_body(self) -> ComposeResult:
        yield ResourceTable(COLUMNS, noun="organizations", id="orgs")

    @property
    def table(self) -> ResourceTable:
        return self.query_one("#orgs", ResourceTable)

    def on_mount(self) -> None:
        self.update_crumbs()
        self.table.table.focus()
        self.reload()

    def crumbs(self) -> list[str]:
        return ["organizations"]

    def copy_target(self) -> str | None:
        return self.table.selected

    def context_org(self) -> str | None:
        return self.table.selected

    def reload(self) -> None:
        # The last-known table paints at once (marked stale) the first time; then the server's.
        saved = self.session.saved
        hit = saved.organizations() if saved is not None and not self.table.rows else None
        if hit is not None:
            self.table.extra_status = stale_marker(hit.age, offline=self.session.offline)
            self.table.set_rows([org_row(r.name, r.source, r.count, r.org, r.problem) for r in hit.rows])
        else:
            self.table.set_loading(True)
        self._load()

    @work(exclusive=True, group="orgs-load", exit_on_error=False)
    async def _load(self) -> None:
        session = self.session
        if session.offline:
            if not self.table.rows:
                self.table.set_error(OFFLINE_NOTHING_SAVED)
            return
        configured = session.configured_orgs()
        try:
            service = await session.ready_api()
            packages = await service.list_packages()
            known = await service.known_organizations(configured)
        except Exception as err:  # noqa: BLE001 - shown as the table's error state
            self.table.set_error(self.show_error(err))
            return
        names = known_org_names([p.owner for p in packages], session.username, configured)
        for name in known:  # v2: organizations the server says the user is in, packages or not
            if not session.is_me(name):  # the user's own name owns packages but is no organization
                names.setdefault(name, "member")
        counts = {name: sum(1 for p in packages if p.owner == name) for name in names}

        async def read(name: str) -> tuple[Organization | None, str | None, bool]:
            try:
                return await service.get_organization(name), None, False
            except asyncio.CancelledError:
                raise
            except NotFound as err:
                return None, describe_error(err), True
            except Exception as err:  # noqa: BLE001 - shown in the row
                return None, describe_error(err), False

        results = await asyncio.gather(*(read(n) for n in names))
        kept = [
            SavedOrganization(name, source, counts[name], org, problem)
            for (name, source), (org, problem, missing) in zip(names.items(), results, strict=True)
            # an owner that is no organization is another user who shared a package
            if not (missing and source == "packages")
        ]
        rows = [org_row(r.name, r.source, r.count, r.org, r.problem) for r in kept]
        session.remember_names("org", names)
        self.table.extra_status = ""
        self.table.set_rows(rows)
        if session.saved is not None:
            await asyncio.to_thread(session.saved.remember_organizations, kept)
        if rows:
            self.table.table.move_cursor(row=0)

    @on(ResourceTable.Opened, "#orgs")
    def _open(self, event: ResourceTable.Opened) -> None:
        self.post_message(OpenOrg(event.item))

    def action_new_org(self) -> None:
        if self.session.refuses_write(self):
            return
        from scarf_tui.tui.organizations.form import OrganizationFormScreen

        def created(result: object) -> None:
            if result:
                name = getattr(result, "name", None)
                if name:
                    self.session.extra_orgs.append(name)
                self.session.api.invalidate()
                self.reload()

        self.app.push_screen(OrganizationFormScreen(), created)
