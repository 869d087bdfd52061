"""How `scarf-tui stats` prints a fold: a table (Rich on a terminal, plain aligned text
otherwise), Markdown, JSON or CSV.

Server-given labels are printed literally: never as Rich markup (Text objects, markup off), with
control characters and ANSI sequences removed (in JSON they are escaped instead), and Markdown
metacharacters escaped.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import IO, Any

LABEL_LIMIT = 200  # characters of one server-given label


@dataclass(frozen=True)
class StatsRequest:
    package: str | None
    org: str | None
    start: date
    end: date  # exclusive
    range_name: str
    by: str | None  # an analytics breakdown name
    rollup: str
    fmt: str
    compare: bool
    top: int | None
    package_type: str | None = None


@dataclass
class Stats:
    """What gets printed: the scope, the fold of the range and (with --compare) the previous one."""

    request: StatsRequest
    scope: str  # "package widget-cli (acme)" or "organization acme"
    fold: Any  # analytics.AggregateFold
    previous: Any = None  # analytics.AggregateFold of the previous period, with --compare
    packages: int = 1
    meta: dict[str, Any] = field(default_factory=dict)


def _clean(text: object) -> str:
    from scarf_tui.api.errors import sanitize

    return sanitize(text, limit=LABEL_LIMIT) or "(blank)"


def table_rows(stats: Stats) -> tuple[list[str], list[list[Any]], list[Any] | None]:
    """(header, rows, total row or None), numbers as numbers; labels as the server sent them."""
    from scarf_tui.analytics import uniques_label

    req, fold = stats.request, stats.fold
    prev = stats.previous
    if req.by is None:
        counted = fold.counts_uniques(req.rollup)
        header = ["period", "downloads", uniques_label(req.rollup, stats.packages, counted=counted)]
        buckets = fold.series(req.rollup)
        rows = [[b.label, b.total, b.uniques] for b in buckets]  # the server's count per bucket on API v2
        # --compare puts the previous period in the summary (buckets of two periods don't pair up).
        return header, rows, ["Total", fold.total, None]
    if req.by == "variable":
        header = ["variable", "value", "downloads", "percent"]
        rows = []
        for name in fold.variable_names():
            top = fold.top_variable(name, req.top or len(fold.variables[name]))
            rows += [[name, label, n, round(pct, 2)] for label, n, pct in top.rows()]
        return header, rows, None  # one event can carry several variables: no grand total
    top = fold.top(req.by, req.top or max(1, len(fold.breakdowns.get(req.by, {}))))
    header = [req.by.replace("_", " "), "downloads", "percent"]
    rows = [[label, n, round(pct, 2)] for label, n, pct in top.rows()]
    total: list[Any] = ["Total", top.total, 100.0 if top.total else 0.0]
    if prev is not None:
        header.append("previous")
        before = prev.breakdowns.get(req.by, {})
        for row in rows:
            row.append(before.get(row[0]) if not str(row[0]).startswith("other (") else None)
        total.append(sum(before.values()))
    return header, rows, total


def summary_line(stats: Stats) -> str:
    req, fold = stats.request, stats.fold
    last_day = req.end - timedelta(days=1)
    parts = [stats.scope, f"{req.range_name} {req.start.isoformat()} to {last_day.isoformat()}",
             f"{fold.total:,} downloads"]
    if stats.previous is not None:
        comparison = _comparison(stats)
        if comparison.growth_pct is None:
            parts.append(f"none in the previous {(req.end - req.start).days} days")
        else:
            parts.append(f"{comparison.growth_pct:+.1f}% vs the previous {(req.end - req.start).days} days")
    return " · ".join(parts)


def _comparison(stats: Stats) -> Any:
    from scarf_tui.analytics import compare_periods

    merged = {**stats.previous.daily_totals, **stats.fold.daily_totals}
    return compare_periods(merged, stats.request.start, stats.request.end)


def _cell(value: Any, column: str) -> str:
    if value is None:
        return ""
    if column == "percent" and isinstance(value, float):
        return f"{value:.2f}%"
    if isinstance(value, int):
        return f"{value:,}"
    return _clean(value)


def render(stats: Stats, out: IO[str], *, terminal: bool) -> None:
    header, rows, total = table_rows(stats)
    fmt = stats.request.fmt
    if fmt == "json":
        json.dump(_json_document(stats, header, rows, total), out, indent=2, ensure_ascii=False)
        out.write("\n")
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if v is None else (_clean(v) if isinstance(v, str) else v) for v in row])
    elif fmt == "markdown":
        out.write(f"{_md(summary_line(stats))}\n\n")
        numeric = [not isinstance(v, str) for v in (rows[0] if rows else [""] * len(header))]
        out.write("| " + " | ".join(_md(h) for h in header) + " |\n")
        out.write("|" + "|".join("---:" if n else ":---" for n in numeric) + "|\n")
        for row in [*rows, *([total] if total else [])]:
            cells = [_md(_cell(v, h)) for v, h in zip(row, header, strict=True)]
            if row is total:
                cells = [f"**{c}**" if c else c for c in cells]
            out.write("| " + " | ".join(cells) + " |\n")
    elif terminal:
        _rich_table(stats, header, rows, total, out)
    else:
        out.write(summary_line(stats) + "\n\n")
        body = [[_cell(v, h) for v, h in zip(row, header, strict=True)] for row in rows]
        if total:
            body.append([_cell(v, h) for v, h in zip(total, header, strict=True)])
        widths = [max([len(h), *(len(r[i]) for r in body)]) for i, h in enumerate(header)]
        numeric = [not isinstance(v, str) for v in (rows[0] if rows else [""] * len(header))]

        def line(cells: list[str]) -> str:
            return "  ".join(c.rjust(w) if n else c.ljust(w) for c, w, n in zip(cells, widths, numeric, strict=True))

        out.write(line(header).rstrip() + "\n")
        out.write("  ".join("-" * w for w in widths) + "\n")
        for i, cells in enumerate(body):
            if total and i == len(body) - 1:
                out.write("  ".join("-" * w for w in widths) + "\n")
            out.write(line(cells).rstrip() + "\n")


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def _rich_table(stats: Stats, header: list[str], rows: list[list[Any]], total: list[Any] | None, out: IO[str]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    numeric = [not isinstance(v, str) for v in (rows[0] if rows else [""] * len(header))]
    table = Table(title=Text(summary_line(stats)), show_footer=total is not None)
    for i, (name, is_number) in enumerate(zip(header, numeric, strict=True)):
        foot = Text(_cell(total[i], name), style="bold") if total else Text("")
        table.add_column(Text(name), justify="right" if is_number else "left", footer=foot)
    for row in rows:
        table.add_row(*(Text(_cell(v, h)) for v, h in zip(row, header, strict=True)))
    Console(file=out, highlight=False, markup=False, emoji=False).print(table)


def _json_document(stats: Stats, header: list[str], rows: list[list[Any]], total: list[Any] | None) -> dict[str, Any]:
    req = stats.request
    doc: dict[str, Any] = {
        **stats.meta,
        "start": req.start.isoformat(),
        "end": req.end.isoformat(),
        "range": req.range_name,
        "by": req.by,
        "rollup": req.rollup if req.by is None else None,
        "downloads": stats.fold.total,
        "rows": [dict(zip(header, row, strict=True)) for row in rows],
    }
    if total is not None:
        doc["total"] = dict(zip(header, total, strict=True))
    if stats.previous is not None:
        comparison = _comparison(stats)
        doc["comparison"] = {
            "previous_start": comparison.previous_start.isoformat(),
            "previous_downloads": comparison.previous,
            "growth_pct": None if comparison.growth_pct is None else round(comparison.growth_pct, 2),
        }
    return doc


__all__ = ["Stats", "StatsRequest", "render", "summary_line", "table_rows"]
