"""Period comparison for the charts pane (key `c`): the current range and the previous period of
equal length side by side, with the growth of each row.

The "all downloads" row is `compare_periods` over both periods' daily totals (the figure the
pane's header shows as "vs prev"); the rows under it come from the two periods' folds: for the
series view, the largest labels of every breakdown, for a breakdown view, that breakdown's.
Labels are ranked by the current period, then the previous one, so a label that vanished still
shows (at -100%) and a new one shows as "new".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from rich.text import Text

from scarf_tui.analytics import BREAKDOWNS, AggregateFold, Comparison, growth_pct
from scarf_tui.tui.charts.tables import fill_table
from scarf_tui.tui.common.text import safe_str
from scarf_tui.tui.common.virtual_table import VirtualTable

ALL_DOWNLOADS = "all downloads"
PER_BREAKDOWN = 5  # labels per breakdown when every breakdown is listed (the series view)
ONE_BREAKDOWN = 10  # labels when one breakdown is chosen


@dataclass(frozen=True, slots=True)
class PeriodRow:
    """One line of the comparison; a heading names a breakdown and carries no numbers."""

    label: str
    current: int = 0
    previous: int = 0
    heading: bool = False

    @property
    def growth(self) -> float | None:
        return growth_pct(self.current, self.previous)


def growth_text(row: PeriodRow) -> str:
    if row.heading:
        return ""
    if row.previous == 0:
        return "new" if row.current else "–"
    growth = row.growth
    return f"{growth:+.1f}%" if growth is not None else "–"


def compare_labels(current: Mapping[str, int], previous: Mapping[str, int], n: int) -> list[PeriodRow]:
    """The `n` largest labels of either period (by current, then previous, then name), and one
    "other (k)" row summing the rest of both periods."""
    labels = sorted(set(current) | set(previous), key=lambda k: (-current.get(k, 0), -previous.get(k, 0), k))
    rows = [PeriodRow(label, current.get(label, 0), previous.get(label, 0)) for label in labels[:n]]
    rest = labels[n:]
    if rest:
        rows.append(
            PeriodRow(
                f"other ({len(rest)})",
                sum(current.get(k, 0) for k in rest),
                sum(previous.get(k, 0) for k in rest),
            )
        )
    return rows


def _totals(fold: AggregateFold, view: str, variable: str | None) -> dict[str, int]:
    if view == "variable":
        return dict(fold.variables.get(variable or "", {}))
    return dict(fold.breakdowns.get(view, {}))


def comparison_rows(
    current: AggregateFold,
    previous: AggregateFold,
    comparison: Comparison,
    view: str,
    *,
    variable: str | None = None,
    titles: Mapping[str, str] | None = None,
) -> list[PeriodRow]:
    """The rows of the comparison for `view` ("series", a breakdown, or "variable" with the
    variable's name)."""
    titles = titles or {}
    rows = [PeriodRow(ALL_DOWNLOADS, comparison.current, comparison.previous)]
    if view in BREAKDOWNS:
        kinds = [view]
    else:
        kinds = [name for name in BREAKDOWNS if name != "variable"]
    for kind in kinds:
        now, before = _totals(current, kind, variable), _totals(previous, kind, variable)
        if not (now or before):
            continue
        title = f"variable {variable}" if kind == "variable" else titles.get(kind, kind)
        rows.append(PeriodRow(title, heading=True))
        rows.extend(compare_labels(now, before, ONE_BREAKDOWN if len(kinds) == 1 else PER_BREAKDOWN))
    return rows


def short_period(start: date, end: date) -> str:
    last = end - timedelta(days=1)
    return f"{start:%m-%d}–{last:%m-%d}" if start.year == last.year else f"{start:%y-%m-%d}–{last:%y-%m-%d}"


def comparison_title(comparison: Comparison) -> str:
    """Short enough for 80 columns; the header above names the range in full."""
    days = (comparison.end - comparison.start).days
    now = short_period(comparison.start, comparison.end)
    before = short_period(comparison.previous_start, comparison.start)
    return f"Period comparison · {days} days each · now {now} vs prev {before}"


def fill_comparison(table: VirtualTable, rows: list[PeriodRow], comparison: Comparison) -> None:
    """The rows as a table: label, previous period, current period, growth."""
    cells: list[tuple[Text, ...]] = []
    for row in rows:
        if row.heading:
            cells.append((Text(safe_str(row.label), style="bold"), Text(""), Text(""), Text("")))
            continue
        label = row.label if row.label == ALL_DOWNLOADS else f"  {safe_str(row.label)}"
        cells.append((
            Text(label, style="bold" if row.label == ALL_DOWNLOADS else ""),
            Text(f"{row.previous:,}", justify="right"),
            Text(f"{row.current:,}", justify="right"),
            Text(growth_text(row), justify="right"),
        ))
    columns = (
        "",
        f"prev {short_period(comparison.previous_start, comparison.start)}",
        f"now {short_period(comparison.start, comparison.end)}",
        "growth",
    )
    fill_table(table, columns, cells)
