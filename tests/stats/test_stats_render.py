"""How stats prints server text: literally (never as Rich markup), without control characters."""

from __future__ import annotations

import io
import json
from datetime import date

from scarf_tui.analytics import Folder
from scarf_tui.domain import AggregateRow
from scarf_tui.stats_cli import Stats, StatsRequest
from scarf_tui.stats_render import render

DAY = date(2026, 11, 1)
HOSTILE = "[bold red]Evil|Corp[/]\x1b[31m\x07"


def hostile_stats(fmt: str) -> Stats:
    folder = Folder()
    folder.add_row(AggregateRow("total", DAY, "p", 7, unique_total=3))
    folder.add_row(AggregateRow("company", DAY, "p", 5, company_name=HOSTILE))
    folder.add_row(AggregateRow("company", DAY, "p", 2, company_name="Plain"))
    request = StatsRequest(None, "acme", DAY, date(2026, 11, 2), "custom", "company", "day", fmt, False, None)
    return Stats(request, "organization acme", folder.result(DAY, date(2026, 11, 2)), meta={"org": "acme"})


def rendered(fmt: str, terminal: bool = False) -> str:
    out = io.StringIO()
    render(hostile_stats(fmt), out, terminal=terminal)
    return out.getvalue()


def test_rich_table_prints_markup_literally_and_drops_control_characters():
    text = rendered("table", terminal=True)
    assert "[bold red]Evil|Corp[/]" in text
    assert "\x1b" not in text and "\x07" not in text


def test_plain_table_and_csv_drop_control_characters():
    lines = rendered("table").splitlines()
    assert lines[4].split() == ["[bold", "red]Evil|Corp[/]", "5", "71.43%"]
    assert "\x1b" not in "".join(lines) and "\x07" not in "".join(lines)
    assert rendered("csv") == "company,downloads,percent\n[bold red]Evil|Corp[/],5,71.43\nPlain,2,28.57\n"


def test_markdown_escapes_pipes_and_emphasis():
    lines = rendered("markdown").splitlines()
    assert lines[4] == "| [bold red]Evil\\|Corp[/] | 5 | 71.43% |"
    assert lines[-1] == "| **Total** | **7** | **100.00%** |"


def test_json_keeps_the_label_exactly_escaped():
    doc = json.loads(rendered("json"))
    assert doc["rows"][0] == {"company": HOSTILE, "downloads": 5, "percent": 71.43}
    assert "\x1b" not in rendered("json")  # json escapes it as \u001b
