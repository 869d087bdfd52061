"""The charts pane: download trends of an org or a user (optionally one package of it).

Rows stream in through `ScarfService.org_aggregates` / `user_aggregates` in a worker, are folded
by `scarf_tui.analytics` as they arrive (the pane shows how many rows came so far), and are then
drawn: the time series (day/week/month) with plotext, the top-N of a breakdown as text bars
(bars.py: plotext cannot measure wide labels), or the same numbers as a table (tables.py).
After the range is drawn, the previous period of equal length is fetched for the growth figure
in the header and the period comparison (comparison.py). Weekly and monthly uniques come from
the server where the API version counts them (v2; rollups.py), else are sums of days.

Keys (each binding has an id, so config.toml can remap it): v view, u day/week/month,
l table, c period comparison, R date range, r reload.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import ContentSwitcher, Static
from textual_plotext import PlotextPlot

from scarf_tui.analytics import (
    BREAKDOWNS,
    AggregateFold,
    Bucket,
    Comparison,
    Rollup,
    TopN,
    compare_periods,
    previous_period,
    uniques_label,
)
from scarf_tui.api.errors import ScarfError
from scarf_tui.tui.charts.bars import ChartBars
from scarf_tui.tui.charts.comparison import comparison_rows, comparison_title, fill_comparison
from scarf_tui.tui.charts.format import format_growth
from scarf_tui.tui.charts.loading import failure_sentence, fold_range
from scarf_tui.tui.charts.plot import draw_series
from scarf_tui.tui.charts.range_dialog import (
    DEFAULT_PRESET,
    PRESETS,
    ChartRangeDialog,
    DateRange,
    preset_range,
)
from scarf_tui.tui.charts.rollups import Key, RollupCache, server_counts
from scarf_tui.tui.charts.tables import BREAKDOWN_TITLES, fill_breakdown, fill_series
from scarf_tui.tui.common.fields import ChoicePicker
from scarf_tui.tui.common.styles import read_style
from scarf_tui.tui.common.text import safe_str
from scarf_tui.tui.common.virtual_table import VirtualTable
from scarf_tui.tui.session import session_of

TOP_N = 10

SERIES = "series"

ROLLUP_ORDER = (Rollup.DAY, Rollup.WEEK, Rollup.MONTH)
CUSTOM_RANGE = "custom…"


class ChartPane(Vertical, can_focus=True):
    """Download charts for scope_kind "org" or "user" named scope_name; with package_uuid, the
    same scope's rows filtered to that package (API v1 has no per-package aggregates)."""

    DEFAULT_CSS = read_style("charts.tcss")  # selectors start with ChartPane, so scoping leaves them as written

    # Keys are letters no other tab of the package or organization screen uses (digits switch
    # tabs; a m d b o are permission levels and roles; t s n are the package list's), so a key
    # means one thing wherever the pane is shown.
    BINDINGS = [
        Binding("v", "pick_view", "view", id="charts.pick_view"),
        Binding("u", "next_rollup", "day/week/month", id="charts.next_rollup"),
        Binding("l", "toggle_table", "table", id="charts.toggle_table"),
        Binding("R", "pick_range", "range", id="charts.pick_range"),
        Binding("c", "compare", "compare", id="charts.compare"),
        Binding("r", "reload", "reload", id="charts.reload", show=False),
    ]

    view: reactive[str] = reactive(SERIES, init=False)
    rollup: reactive[Rollup] = reactive(Rollup.DAY, init=False)
    show_table: reactive[bool] = reactive(False, init=False)
    comparing: reactive[bool] = reactive(False, init=False)

    def __init__(
        self,
        scope_kind: str,
        scope_name: str,
        package_uuid: str | None = None,
        *,
        package_name: str | None = None,
        preset: str = DEFAULT_PRESET,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's name
        classes: str | None = None,
    ) -> None:
        if scope_kind not in ("org", "user"):
            raise ValueError(f"scope_kind must be 'org' or 'user', not {scope_kind!r}.")
        super().__init__(name=name, id=id, classes=classes)
        self.scope_kind = scope_kind
        self.scope_name = scope_name
        self.package_uuid = package_uuid
        self.package_name = package_name
        self._preset = preset
        self._range: DateRange | None = None
        self.fold: AggregateFold | None = None
        self.comparison: Comparison | None = None
        self.previous: AggregateFold | None = None  # the previous period of equal length
        self.previous_error = ""
        self.rows_received = 0
        self.state = "idle"  # idle | loading | ready | empty | error
        self.message = ""
        self._variable_index = 0
        self.rollups = RollupCache()  # per range: its folds, and (API v2) the server's week/month uniques

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="charts-header")
        yield Static(id="charts-subheader")
        with ContentSwitcher(initial="charts-message", id="charts-body"):
            yield PlotextPlot(id="charts-plot")
            yield ChartBars(id="charts-bars")
            yield VirtualTable(id="charts-table")
            yield Static(id="charts-message")

    def on_mount(self) -> None:
        self._range = preset_range(self._preset, self.today)
        self.load()

    @property
    def today(self) -> date:
        return session_of(self).today

    @property
    def date_range(self) -> DateRange:
        return self._range or preset_range(self._preset, self.today)

    # -- actions --------------------------------------------------------------------------------

    def action_show_view(self, view: str) -> None:
        self.view = view

    def action_rollup(self, unit: str) -> None:
        self.rollup = Rollup(unit)

    def action_toggle_table(self) -> None:
        self.show_table = not self.show_table

    def action_compare(self) -> None:
        self.comparing = not self.comparing

    def action_next_rollup(self) -> None:
        self.rollup = ROLLUP_ORDER[(ROLLUP_ORDER.index(self.rollup) + 1) % len(ROLLUP_ORDER)]

    def view_choices(self) -> dict[str, tuple[str, int]]:
        """Label -> (view, variable index): the series, each breakdown, and each variable."""
        choices: dict[str, tuple[str, int]] = {"series": (SERIES, 0)}
        for name in BREAKDOWNS:
            if name != "variable":
                choices[BREAKDOWN_TITLES[name]] = (name, 0)
        names = self.fold.variable_names() if self.fold is not None else []
        for index, variable in enumerate(names):
            choices[f"variable {safe_str(variable)}"] = ("variable", index)
        if not names:
            choices["variable"] = ("variable", 0)
        return choices

    def current_view_label(self) -> str:
        for label, (view, index) in self.view_choices().items():
            if view == self.view and (view != "variable" or index == self._variable_index):
                return label
        return "series"

    def action_pick_view(self) -> None:
        choices = self.view_choices()

        def picked(label: str | None) -> None:
            if label in choices:
                self.show_choice(label)

        self.app.push_screen(ChoicePicker("Show downloads by", list(choices), self.current_view_label()), picked)

    def show_choice(self, label: str) -> None:
        """Show the view a picker label names ("series", "country", "variable platform")."""
        view, index = self.view_choices()[label]
        self._variable_index = index
        if self.view == view:
            self.redraw()
        self.view = view

    def action_pick_range(self) -> None:
        def picked(name: str | None) -> None:
            if name == CUSTOM_RANGE:
                self.app.push_screen(ChartRangeDialog(self.date_range), chosen)
            elif name in PRESETS:
                self.set_range(preset_range(name, self.today))

        def chosen(custom: DateRange | None) -> None:
            if custom is not None:
                self.set_range(custom)

        current = self.date_range.name if self.date_range.name in PRESETS else CUSTOM_RANGE
        self.app.push_screen(ChoicePicker("Date range", [*PRESETS, CUSTOM_RANGE], current), picked)

    def action_reload(self) -> None:
        self.rollups.clear()
        self.load()

    def set_range(self, new_range: DateRange) -> None:
        self._range = new_range
        if new_range.name in PRESETS:
            self._preset = new_range.name
        self.load()

    def watch_view(self) -> None:
        self.redraw()

    def watch_rollup(self) -> None:
        self.redraw()

    def watch_comparing(self) -> None:
        self.watch_show_table(self.show_table)

    def watch_show_table(self, show: bool) -> None:
        self.redraw()
        table = self.query_one("#charts-table", VirtualTable)
        show = show or self.comparing
        if show and self.has_focus:
            table.focus()
        elif not show and table.has_focus:
            self.focus()

    # -- loading --------------------------------------------------------------------------------

    def load(self) -> None:
        rng = self.date_range
        self.fold = None
        self.comparison = self.previous = None
        self.previous_error = ""
        self.rows_received = 0
        if rng.days <= 0:
            self._show_message("empty", f"No downloads in {rng.name} yet: it has no complete day.")
            return
        if (held := self.rollups.folds.get((rng.start, rng.end))) is not None:  # back to a range seen
            self.workers.cancel_group(self, "charts")  # a range still loading must not land over it
            self.fold, self.previous, self.comparison = held
            self.state = "ready"
            self.redraw()
            return
        self.state = "loading"
        self._update_header()
        self._show_progress()
        self._load(rng)

    @work(exclusive=True, group="charts", exit_on_error=False)
    async def _load(self, rng: DateRange) -> None:
        try:
            fold = await self._fold(rng.start, rng.end, progress=True)
        except Exception as err:  # noqa: BLE001 - a bug or odd data must not take the app down
            self.notify(safe_str(err), title="Charts", severity="error", markup=False)
            self._show_message("error", failure_sentence(err, self.rows_received))
            return
        self.fold = fold
        if fold.is_empty:
            self._show_message("empty", f"No downloads in {self._scope_text()} for {rng.describe()}.")
            return
        self.state = "ready"
        self.redraw()
        # The growth figure needs the previous period; a failure there only blanks the figure.
        prev_start, prev_end = previous_period(rng.start, rng.end)
        try:
            previous = await self._fold(prev_start, prev_end, progress=False)
        except ScarfError as err:
            self.comparison = None
            self.previous_error = f"The previous period could not be loaded. {safe_str(err)}"
        else:
            self.previous = previous
            self.comparison = compare_periods({**previous.daily_totals, **fold.daily_totals}, rng.start, rng.end)
            self.rollups.folds[(rng.start, rng.end)] = (fold, previous, self.comparison)
        self._update_header()
        if self.comparing:
            self.redraw()

    def _server_uniques_ready(self, fold: AggregateFold) -> bool:
        """True when the series can be drawn (days, API v1, or the server's count is in);
        else the body says it is loading (asked for once) or why it failed."""
        rng, unit = self.date_range, self.rollup
        if not server_counts(session_of(self).api, unit):
            return True
        key = (rng.start, rng.end, unit)
        if (counted := self.rollups.counted.get(key)) is not None:
            fold.period_uniques[unit] = counted
            return True
        self._subheader(f"Downloads per {unit.value}")
        self._set_body("charts-message", Text(self.rollups.message(key, rng.describe())))
        if self.rollups.should_load(key):
            self._load_rollup(key)
        return False

    @work(exclusive=True, group="charts-rollup", exit_on_error=False)
    async def _load_rollup(self, key: Key) -> None:
        await self.rollups.load(session_of(self).api, self.scope_name, self.package_uuid, key)
        if (self.date_range.start, self.date_range.end, self.rollup) == key:
            self.redraw()

    async def _fold(self, start: date, end: date, *, progress: bool) -> AggregateFold:
        def received(rows: int) -> None:
            self.rows_received = rows
            self._show_progress()

        service, kind, name = session_of(self).api, self.scope_kind, self.scope_name
        return await fold_range(service, kind, name, self.package_uuid, start, end, received if progress else None)

    # -- drawing --------------------------------------------------------------------------------

    def _scope_text(self) -> str:
        scope = f"{self.scope_kind} {safe_str(self.scope_name)}"
        if self.package_uuid:
            scope += f" · package {safe_str(self.package_name or self.package_uuid[:8])}"
        return scope

    def _update_header(self) -> None:
        rng = self.date_range
        parts = [self._scope_text(), rng.describe()]
        if self.fold is not None and self.state == "ready":
            parts.append(f"{self.fold.total:,} downloads")
            if self.comparison is not None:
                parts.append(format_growth(self.comparison))
        self.query_one("#charts-header", Static).update(Text(" · ".join(parts)))

    def _show_progress(self) -> None:
        self.query_one("#charts-subheader", Static).update(Text(""))
        rows = f"{self.rows_received:,} rows received"
        self._set_body("charts-message", Text(f"Loading downloads for {self.date_range.describe()} … {rows}"))

    def _show_message(self, state: str, message: str) -> None:
        self.state = state
        self.message = message
        self._update_header()
        self.query_one("#charts-subheader", Static).update(Text(""))
        self._set_body("charts-message", Text(message))

    def _set_body(self, which: str, message: Text | None = None) -> None:
        if message is not None:
            self.query_one("#charts-message", Static).update(message)
        self.query_one("#charts-body", ContentSwitcher).current = which

    def _uniques_label(self) -> str:
        counted = self.fold is not None and self.fold.counts_uniques(self.rollup)
        return uniques_label(self.rollup, self._package_count(), counted=counted)

    def _package_count(self) -> int:
        """How many packages the uniques were added over (1 when scoped to one package)."""
        if self.package_uuid or self.fold is None:
            return 1
        return len(self.fold.package_totals)

    def redraw(self) -> None:
        if not self.is_mounted or self.state != "ready" or self.fold is None:
            return
        self._update_header()
        fold = self.fold
        if self.comparing:
            self._draw_comparison(fold)
            return
        if self.view == SERIES:
            if not self._server_uniques_ready(fold):
                return
            buckets = fold.series(self.rollup)
            partial = [b.label for b in buckets if b.partial]
            note = f" · {' and '.join(partial)} partial" if partial else ""
            self._subheader(f"Downloads per {self.rollup.value} · total and {self._uniques_label()}{note}")
            if self.show_table:
                self._series_table(buckets)
            else:
                self._series_plot(buckets)
            return
        top = self._top(fold)
        if top is None or not top.total:
            what = BREAKDOWN_TITLES.get(self.view, self.view)
            self._subheader(f"{what.capitalize()} · no data")
            self._set_body("charts-message", Text(f"No {what} breakdown in this range."))
            return
        self._subheader(self._breakdown_title(top))
        if self.show_table:
            self._breakdown_table(top)
        else:
            self._breakdown_plot(top)

    def _top(self, fold: AggregateFold) -> TopN | None:
        if self.view != "variable":
            return fold.top(self.view, TOP_N)
        names = fold.variable_names()
        if not names:
            return None
        return fold.top_variable(names[self._variable_index % len(names)], TOP_N)

    def _breakdown_title(self, top: TopN) -> str:
        if self.view == "variable":
            assert self.fold is not None
            names = self.fold.variable_names()
            name = names[self._variable_index % len(names)]
            more = f" {self._variable_index % len(names) + 1}/{len(names)} (v: another)" if len(names) > 1 else ""
            return f"Variable {safe_str(name)}{more} · {top.total:,} · not summed across variables"
        return f"{BREAKDOWN_TITLES[self.view].capitalize()} · top {TOP_N} · {top.total:,} downloads"

    def _draw_comparison(self, fold: AggregateFold) -> None:
        if self.comparison is None or self.previous is None:
            self._subheader("Period comparison")
            rng = self.date_range
            waiting = f"Loading the previous {rng.days} days to compare with …"
            self._set_body("charts-message", Text(self.previous_error or waiting))
            return
        self._subheader(comparison_title(self.comparison))
        names = fold.variable_names()
        variable = names[self._variable_index % len(names)] if names and self.view == "variable" else None
        rows = comparison_rows(
            fold, self.previous, self.comparison, self.view, variable=variable, titles=BREAKDOWN_TITLES
        )
        fill_comparison(self.query_one("#charts-table", VirtualTable), rows, self.comparison)
        self._set_body("charts-table")

    def _subheader(self, text: str) -> None:
        self.query_one("#charts-subheader", Static).update(Text(text))

    def _series_plot(self, buckets: list[Bucket]) -> None:
        draw_series(self.query_one("#charts-plot", PlotextPlot), buckets, self._uniques_label())
        self._set_body("charts-plot")

    def _breakdown_plot(self, top: TopN) -> None:  # text bars: plotext measures labels with len()
        self.query_one("#charts-bars", ChartBars).set_rows(top.rows(), other_last=bool(top.other_labels))
        self._set_body("charts-bars")

    def _series_table(self, buckets: list[Bucket]) -> None:
        table = self.query_one("#charts-table", VirtualTable)
        fill_series(table, buckets, self.rollup.value, self._uniques_label())
        self._set_body("charts-table")

    def _breakdown_table(self, top: TopN) -> None:
        what = BREAKDOWN_TITLES[self.view] if self.view != "variable" else "value"
        fill_breakdown(self.query_one("#charts-table", VirtualTable), top, what)
        self._set_body("charts-table")
