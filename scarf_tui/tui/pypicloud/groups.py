"""pypicloud groups: the list with members, create, delete (type the name), and members."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from rich.text import Text
from textual.binding import Binding

from scarf_tui.sources.pypicloud import BulkResult, GroupDetail, MembershipChange
from scarf_tui.tui.common.confirm import ConfirmDialog, TypeToConfirm
from scarf_tui.tui.common.text import safe_str, safe_text, shown
from scarf_tui.tui.pypicloud.base import SourcePane


class GroupsPane(SourcePane[GroupDetail]):
    BINDINGS = [
        Binding("enter", "members", "Members…", id="pypicloud_groups.members", priority=True),
        Binding("n,plus", "create", "New group", id="pypicloud_groups.create"),
        Binding("ctrl+d,delete", "delete_group", "Delete", id="pypicloud_groups.delete"),
        Binding("r", "refresh", "Reload", id="pypicloud_groups.refresh"),
    ]
    COLUMNS = (("name", "group"), ("count", "members"), ("members", "who"))
    WRITE_ACTIONS = frozenset({"members", "create", "delete_group"})
    ADMIN_WRITES = WRITE_ACTIONS
    EMPTY_TEXT = "No groups yet. Press n to create one."
    HINT = "enter members · n new group · ctrl+d delete · r reload"

    def title(self) -> Text:
        return Text("pypicloud · groups", style="bold")

    async def read(self) -> Sequence[GroupDetail]:
        service = self.service
        names = await service.list_groups()
        details = await asyncio.gather(*(service.get_group(name) for name in names))
        return sorted(details, key=lambda g: (g.name.casefold(), g.name))

    def row_key(self, item: GroupDetail) -> str:
        return item.name

    def cells(self, item: GroupDetail) -> Sequence[object]:
        who = ", ".join(safe_str(m) for m in item.members)
        return (safe_text(item.name, style="bold"), Text(str(len(item.members))), safe_text(who[:120]))

    def action_create(self) -> None:
        if not self.may_admin():
            return
        from scarf_tui.tui.pypicloud.forms import CreateGroupForm

        self.app.push_screen(CreateGroupForm([g.name for g in self.items]), lambda _created: self.reload())

    def action_delete_group(self) -> None:
        if not self.may_admin() or (group := self.cursor_item()) is None:
            return
        service, name = self.service, group.name

        async def delete() -> None:
            await service.delete_group(name)

        self.app.push_screen(
            TypeToConfirm(f"Delete pypicloud group {shown(name)}? Its grants go too.", name, action=delete,
                          on_failure=self.reload),
            lambda _deleted: self.reload(),
        )

    def action_members(self) -> None:
        if not self.may_admin() or (group := self.cursor_item()) is None:
            return
        self.run_worker(self._members_dialog(group), group="pypicloud-group-members", exclusive=True,
                        exit_on_error=False)

    async def _members_dialog(self, group: GroupDetail) -> None:
        from scarf_tui.api.errors import ScarfError
        from scarf_tui.tui.common.errors import notify_error
        from scarf_tui.tui.pypicloud.forms import MembershipDialog, membership_row

        service = self.service
        try:
            users = [u.username for u in await service.list_users()]
        except ScarfError as err:
            notify_error(self, err)
            return
        choices = sorted(set(users) | set(group.members), key=lambda n: (n.casefold(), n))
        label = f"group {shown(group.name)}"

        def chosen(changes: list[MembershipChange] | None) -> None:
            if not changes:
                return
            result: list[BulkResult] = []

            async def request() -> None:
                result.append(await service.apply_memberships(changes))

            def after() -> None:
                outcome = result[0]
                self.app.notify(outcome.summary(), severity="error" if outcome.failed else "information",
                                markup=False)

            def confirmed(ok: bool | None) -> None:
                if ok:
                    self.write(request, after=after)

            rows = [membership_row(label, group.members, changes)]
            self.app.push_screen(ConfirmDialog(f"Change the members of {shown(group.name)}?", rows), confirmed)

        self.app.push_screen(
            MembershipDialog(f"Members of {shown(group.name)}", group=group.name, choices=choices,
                             current=group.members),
            chosen,
        )
