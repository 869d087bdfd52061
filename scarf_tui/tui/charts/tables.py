"""The charts pane's table views: the series, a breakdown, each row as numbers with a percent
column. Server text (breakdown labels) is shown as data, never as markup."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from scarf_tui.analytics import Bucket, TopN
from scarf_tui.tui.charts.format import numbers, pct
from scarf_tui.tui.common.text import safe_str

BREAKDOWN_TITLES: dict[str, str] = {
    "company": "company",
    "cloud_provider": "cloud provider",
    "country": "country",
    "platform": "platform",
    "version": "version",
    "client": "client",
    "variable": "variable",
}


def reset_table(table: DataTable, columns: tuple[str, ...]) -> DataTable:
    """Clear `table` and give it `columns`: the first left-aligned, the rest right-aligned."""
    table.clear(columns=True)
    for i, column in enumerate(columns):
        table.add_column(Text(column, justify="left" if i == 0 else "right"), key=f"c{i}")
    return table


def fill_series(table: DataTable, buckets: list[Bucket], unit: str, uniques: str) -> None:
    reset_table(table, (unit, "total", uniques, "% of total"))
    grand = sum(b.total for b in buckets)
    for b in buckets:
        share = 100.0 * b.total / grand if grand else 0.0
        label = b.label + (" (partial)" if b.partial else "")
        table.add_row(Text(label), *numbers(b.total, b.uniques), pct(share))


def fill_breakdown(table: DataTable, top: TopN, what: str) -> None:
    reset_table(table, (what, "downloads", "%"))
    for label, n, share in top.rows():
        table.add_row(Text(safe_str(label)), *numbers(n), pct(share))
