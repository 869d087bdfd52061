"""RoutesPane: a file package's routes (template path -> outgoing URL).

`n` opens a form that validates as you type (the template path starts with '/', every variable
the outgoing URL uses is defined by the template path) and previews one example request path and
the URL it is sent to. `ctrl+d` deletes the cursor row after a confirmation.

The columns share the width: the id keeps its full 36 characters from 110 columns up, the
template path and the outgoing URL split the rest, and a clipped cell ends in "…". The line
under the table shows the cursor row's route in full (wrapped), however long its URL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from scarf_tui.domain import Package, Route, RouteDraft, example_route, validate_route
from scarf_tui.tui.common.editor_pane import EditorPane
from scarf_tui.tui.common.fields import FormField
from scarf_tui.tui.common.form import EditorForm
from scarf_tui.tui.common.text import safe_text, shown
from scarf_tui.tui.common.virtual_table import TableColumn, VirtualTable
from scarf_tui.tui.session import session_of

ID_WIDTH = 36  # a UUID
NARROW_ID_WIDTH = 13  # below WIDE_PANE: "a63324d6-b39…"
WIDE_PANE = 110

# A URL that passes every check, to tell template-path problems from outgoing-URL problems.
_NEUTRAL_URL = "https://example.invalid/"


def route_problems(template_path: str, outgoing_url: str) -> dict[str, str | None]:
    """Each field's own problem (None when fine), via domain.validate_route."""
    template_problem = validate_route(template_path, _NEUTRAL_URL)
    # Judge the outgoing URL against the template as it would be once it starts with '/', so
    # both fields can say what is wrong at the same time.
    as_path = template_path if template_path.startswith("/") else "/" + template_path
    outgoing_problem = validate_route(as_path, outgoing_url)
    if outgoing_problem and outgoing_problem == validate_route(as_path, _NEUTRAL_URL):
        outgoing_problem = None  # the template's own problem, already shown there
    return {"route-template": template_problem, "route-outgoing": outgoing_problem}


def preview_text(template_path: str, outgoing_url: str) -> Text:
    text = Text("Example: ", style="bold")
    if not template_path.strip() or not outgoing_url.strip():
        text.append("fill in both fields to see a request and where it goes.", style="dim")
        return text
    request_path, target = example_route(template_path.strip(), outgoing_url.strip())
    text.append(safe_text(request_path))
    text.append("\n     → ", style="bold")
    text.append(safe_text(target))
    return text


class RouteForm(EditorForm[bool, RouteDraft]):
    confirm_title = "Create this route?"
    field_names = {"templatePath": "route-template", "outgoingUrl": "route-outgoing"}

    def __init__(self, package: Package, on_failure: Callable[[], object] | None = None) -> None:
        super().__init__(on_failure=on_failure)
        self.package = package
        self.form_title = f"New route for {shown(package.name)}"

    def compose_fields(self) -> ComposeResult:
        yield FormField(
            "Template path: starts with '/'; {name} is one segment, {+path} several",
            Input(placeholder="/project/{platform}/{version}/file.tar.gz", id="route-template"),
        )
        yield FormField(
            "Outgoing URL: may use only the template path's variables",
            Input(placeholder="https://example.com/downloads/{platform}/project-{version}.tar.gz", id="route-outgoing"),
        )

    def extra(self) -> ComposeResult:
        yield Static(preview_text("", ""), classes="form-preview", id="route-preview")

    def on_input_changed(self, event: Input.Changed) -> None:
        template, outgoing = self.value("route-template"), self.value("route-outgoing")
        self.query_one("#route-preview", Static).update(preview_text(template, outgoing))
        problems = route_problems(template, outgoing)
        # Live: only judge what has been typed; an empty field is judged on save.
        for input_id, text in (("route-template", template), ("route-outgoing", outgoing)):
            self.set_field_error(input_id, problems[input_id] if text.strip() else None)

    def collect(self) -> RouteDraft | None:
        template, outgoing = self.value("route-template").strip(), self.value("route-outgoing").strip()
        if not self.check_fields(route_problems(template, outgoing)):
            return None
        return RouteDraft(template_path=template, outgoing_url=outgoing)

    def changes(self, draft: RouteDraft) -> list[tuple[str, str, str]]:
        return [
            ("templatePath", "(new route)", draft.template_path),
            ("outgoingUrl", "(new route)", draft.outgoing_url),
        ]

    async def submit(self, draft: RouteDraft) -> bool:
        await session_of(self).api.create_route(self.package.uuid, draft)
        return True


def clipped(text: Text) -> Text:
    """`text` drawn on one line, ending in "…" when its column is narrower (the cell keeps the
    whole value, so a copy or a test reads it in full)."""
    text = text.copy()
    text.no_wrap, text.overflow = True, "ellipsis"
    return text


def route_detail(route: Route | None) -> Text:
    """The cursor row's route in full: template path, outgoing URL, id."""
    if route is None:
        return Text("")
    text = Text("Route ", style="bold")
    text.append(safe_text(route.template_path))
    text.append(" → ", style="bold")
    text.append(safe_text(route.outgoing_url))
    text.append("  id ", style="dim")
    text.append_text(safe_text(route.id))
    return text


class RoutesPane(EditorPane[Route]):
    DEFAULT_CSS = """
    RoutesPane > .route-detail {
        height: auto;
        max-height: 4;
        padding: 0 1;
        border-top: solid $panel;
    }
    """
    BINDINGS = [
        Binding("n,plus", "new_route", "New route", id="routes.new"),
        Binding("ctrl+d", "delete_route", "Delete", id="routes.delete"),
        Binding("r", "refresh", "Reload", id="routes.refresh"),
    ]
    # The id is last: it is long and the least telling at 80 columns.
    COLUMNS = (("template", "templatePath"), ("outgoing", "outgoingUrl"), ("id", "id"))
    WRITE_ACTIONS = frozenset({"new_route", "delete_route"})
    EMPTY_TEXT = "No routes yet. Press n to add one."
    HINT = "n new route · ^d delete · r reload"

    def __init__(self, package: Package, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.package = package

    def title(self) -> Text:
        text = Text("Routes · ", style="bold")
        text.append(safe_text(self.package.name))
        if self.package.library_type not in (None, "file"):
            text.append(f"  (routes apply to file packages; this is {shown(self.package.library_type)})", style="dim")
        return text

    async def fetch(self) -> list[Route]:
        return list(await self.service.list_routes(self.package.uuid))

    def row_key(self, item: Route) -> str:
        return str(item.id)

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Static("", classes="route-detail")

    def column_widths(self) -> tuple[int, int, int]:
        """Template path, outgoing URL and id widths for the pane's current width."""
        total = self.size.width or 80
        id_width = ID_WIDTH if total >= WIDE_PANE else NARROW_ID_WIDTH
        free = max(20, total - id_width - 2 * len(self.COLUMNS) - 2)  # cell padding, scrollbar
        template = max(10, free * 2 // 5)
        return template, free - template, id_width

    def cells(self, item: Route) -> Sequence[object]:
        return tuple(clipped(safe_text(value)) for value in (item.template_path, item.outgoing_url, item.id))

    def on_resize(self) -> None:
        widths = self.column_widths()
        self.table.set_columns([TableColumn(key, label, width)
                                for (key, label), width in zip(self.COLUMNS, widths, strict=True)])
        if self.items:
            self.refresh_rows()  # redrawn at the new widths
        self._show_detail()

    def on_virtual_table_row_highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        self._show_detail()

    def refresh_rows(self) -> None:
        super().refresh_rows()
        self._show_detail()

    def items_loaded(self) -> None:
        self.call_after_refresh(self._show_detail)

    def _show_detail(self) -> None:
        self.query_one(".route-detail", Static).update(route_detail(self.cursor_item()))

    def action_new_route(self) -> None:
        if not self.may_write():
            return
        self.app.push_screen(RouteForm(self.package, on_failure=self.reload), self.after_form)

    def action_delete_route(self) -> None:
        if not self.may_write():
            return
        route = self.cursor_item()
        if route is None:
            self.app.notify("No route to delete.", severity="warning")
            return
        route_id = str(route.id)

        self.confirm_write(
            f"Delete route {shown(route_id)} of {shown(self.package.name)}?",
            [("templatePath", route.template_path, "(deleted)"), ("outgoingUrl", route.outgoing_url, "(deleted)")],
            lambda: self.service.delete_route(self.package.uuid, route_id),
        )
