"""The charts pane's table views: the series, a breakdown, each row as numbers with a percent
column. Server text (breakdown labels) is shown as data, never as markup."""

from __future__ import annotations

from rich.text import Text

from scarf_tui.analytics import Bucket, TopN
from scarf_tui.tui.charts.format import numbers, pct
from scarf_tui.tui.common.text import safe_str
from scarf_tui.tui.common.virtual_table import TableColumn, TableRow, VirtualTable

BREAKDOWN_TITLES: dict[str, str] = {
    "company": "company",
    "cloud_provider": "cloud provider",
    "country": "country",
    "platform": "platform",
    "version": "version",
    "client": "client",
    "variable": "variable",
}


def fill_table(table: VirtualTable, columns: tuple[str, ...], rows: list[tuple[Text, ...]]) -> None:
    """Give `table` these columns (the first left-aligned, the rest right-aligned) and rows."""
    table.set_columns([TableColumn(f"c{i}", column, justify="left" if i == 0 else "right")
                       for i, column in enumerate(columns)])
    table.set_rows([TableRow(str(i), cells) for i, cells in enumerate(rows)])


def fill_series(table: VirtualTable, buckets: list[Bucket], unit: str, uniques: str) -> None:
    grand = sum(b.total for b in buckets)
    rows = []
    for b in buckets:
        share = 100.0 * b.total / grand if grand else 0.0
        label = b.label + (" (partial)" if b.partial else "")
        rows.append((Text(label), *numbers(b.total, b.uniques), pct(share)))
    fill_table(table, (unit, "total", uniques, "% of total"), rows)


def fill_breakdown(table: VirtualTable, top: TopN, what: str) -> None:
    rows = [(Text(safe_str(label)), *numbers(n), pct(share)) for label, n, share in top.rows()]
    fill_table(table, (what, "downloads", "%"), rows)
