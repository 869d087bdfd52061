"""ChartPane with Pilot against the real demo server (in-process). Expected numbers come from
the demo's own row generator (conftest.server_rows), never from the pane."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from textual.widgets import ContentSwitcher, Input, Static

from scarf_tui.analytics import BREAKDOWNS
from scarf_tui.demo import DEMO_USER, NOEXPORT_TOKEN
from scarf_tui.demo.app import create_app
from scarf_tui.demo.data import HOSTILE_ORG
from scarf_tui.demo.store import build_demo_store
from scarf_tui.tui.charts.bars import ChartBars
from scarf_tui.tui.charts.pane import ChartPane
from scarf_tui.tui.charts.range_dialog import PRESETS, ChartRangeDialog, preset_range
from scarf_tui.tui.common.virtual_table import VirtualTable

from .conftest import server_rows, settle
from .host_app import ChartHostApp

VIEW_LABELS = ["series", "company", "cloud provider", "country", "platform", "version", "client"]


def view_keys(label: str, labels: list[str] | None = None) -> tuple[str, ...]:
    """`v` opens the view picker; home, then down to the label, then enter."""
    index = (labels or VIEW_LABELS).index(label)
    return ("v", "home", *("down",) * index, "enter")


def range_keys(name: str) -> tuple[str, ...]:
    index = [*PRESETS, "custom…"].index(name)
    return ("R", "home", *("down",) * index, "enter")




def pane_of(app) -> ChartPane:
    return app.query_one(ChartPane)


def body(app) -> str | None:
    return app.query_one("#charts-body", ContentSwitcher).current


def text_of(app, selector: str) -> str:
    return str(app.query_one(selector, Static).render())


def table_cells(app) -> list[list[str]]:
    table = app.query_one("#charts-table", VirtualTable)
    return [[str(cell) for cell in table.row_cells(i)] for i in range(table.row_count)]


def expected_30d(store, org: str = "acme") -> tuple[date, date, list[dict]]:
    rng = preset_range("30d", store.today)
    return rng.start, rng.end, server_rows(store, store.org_packages(org), rng.start, rng.end)


async def test_series_shows_the_servers_daily_totals(chart_app, demo_store):
    start, end, rows = expected_30d(demo_store)
    daily = Counter()
    for r in rows:
        if r["breakdown"] == "total":
            daily[r["date"]] += r["total"]
    app = chart_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = pane_of(app)
        assert pane.state == "ready"
        assert body(app) == "charts-plot"
        assert pane.fold.total == sum(daily.values()) > 0
        assert f"{sum(daily.values()):,} downloads" in text_of(app, "#charts-header")
        # Table view of the series: one row per day of the range, same numbers as the server.
        await pilot.press("l")
        cells = table_cells(app)
        assert len(cells) == (end - start).days == 30
        assert {c[0]: int(c[1].replace(",", "")) for c in cells} == {
            (start + timedelta(days=i)).isoformat(): daily.get((start + timedelta(days=i)).isoformat(), 0)
            for i in range(30)
        }
        # Uniques are per package per day: an organization's day adds several packages' uniques,
        # and the column header says so.
        table = app.query_one("#charts-table", VirtualTable)
        assert [c.label for c in table.columns][2] == "sum of package uniques"
        await pilot.press("u")  # day -> week
        assert [c.label for c in table.columns][2] == "sum of daily uniques"


async def test_growth_against_the_previous_period(chart_app, demo_store):
    start, end, rows = expected_30d(demo_store)
    prev = server_rows(demo_store, demo_store.org_packages("acme"), start - (end - start), start)
    current = sum(r["total"] for r in rows if r["breakdown"] == "total")
    previous = sum(r["total"] for r in prev if r["breakdown"] == "total")
    app = chart_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        cmp = pane_of(app).comparison
        assert (cmp.current, cmp.previous) == (current, previous)
        assert f"{100 * (current - previous) / previous:+.1f}% vs prev 30d" in text_of(app, "#charts-header")


async def test_breakdown_keys_switch_views_with_the_servers_numbers(chart_app, demo_store):
    _, _, rows = expected_30d(demo_store)
    countries = Counter()
    for r in rows:
        if r["breakdown"] == "country":
            countries[r.get("country") or "unknown"] += r["total"]
    app = chart_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key, name in enumerate(BREAKDOWNS, 1):
            labels = list(pane_of(app).view_choices())
            label = labels[key]  # the picker lists the series, the breakdowns, then each variable
            await pilot.press(*view_keys(label, labels))
            await settle(pilot)
            assert pane_of(app).view == name
            title = "Variable" if name == "variable" else name.replace("_", " ").capitalize()
            assert text_of(app, "#charts-subheader").startswith(title)
            assert body(app) in ("charts-bars", "charts-message")
        await pilot.press(*view_keys("country"))
        await settle(pilot)
        bars = app.query_one("#charts-bars", ChartBars).rows
        top = sorted(countries.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
        assert [(label, n) for label, n, _ in bars[: len(top)]] == top
        assert sum(n for _, n, _ in bars) == sum(countries.values())
        await pilot.press(*view_keys("series"))
        await settle(pilot)
        assert body(app) == "charts-plot"


async def test_table_percent_column_sums_to_100(chart_app):
    app = chart_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in ("company", "country", "client", "series"):
            await pilot.press(*view_keys(key), "l")
            await settle(pilot)
            cells = table_cells(app)
            assert cells, key
            shares = [float(row[-1].rstrip("%")) for row in cells]
            assert abs(sum(shares) - 100.0) <= 0.05 * len(shares), key
            await pilot.press("l")
            assert body(app) != "charts-table"


async def test_variable_view_never_adds_variables_together(chart_app, demo_store):
    _, _, rows = expected_30d(demo_store)
    per_variable = Counter()
    for r in rows:
        if r["breakdown"] == "variable":
            per_variable[r["variable"]] += r["total"]
    assert len(per_variable) >= 2  # acme has file packages with several template variables
    app = chart_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        labels = list(pane_of(app).view_choices())
        variables = [label for label in labels if label.startswith("variable ")]
        assert len(variables) == len(per_variable)  # the picker offers each variable on its own
        seen = {}
        for label in variables:
            await pilot.press(*view_keys(label, labels))
            await settle(pilot)
            bars = app.query_one("#charts-bars", ChartBars).rows
            name = text_of(app, "#charts-subheader").split()[1]
            seen[name] = sum(n for _, n, _ in bars)
        assert seen == dict(per_variable)
        assert str(sum(per_variable.values())) not in text_of(app, "#charts-subheader")


async def test_rollup_keys(chart_app):
    app = chart_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l", "u", "u")  # day -> week -> month
        months = [row[0] for row in table_cells(app)]
        assert months[0].startswith("2026-10") and months[-1].startswith("2026-11")
        await pilot.press("u", "u")  # month -> day -> week
        weeks = [row[0] for row in table_cells(app)]
        # 2026-10-21 (Wed, W43) .. 2026-11-19 (Thu, W47): five ISO weeks, both ends partial.
        assert weeks == ["2026-W43 (partial)", "2026-W44", "2026-W45", "2026-W46", "2026-W47 (partial)"]


async def test_range_presets_from_app_today(chart_app, demo_store):
    """R opens one picker with every preset and a custom range."""
    app = chart_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        seen = []
        for name in PRESETS:
            await pilot.press(*range_keys(name))
            await settle(pilot)
            rng = pane_of(app).date_range
            seen.append((rng.name, rng.start, rng.end))
        assert ("90d", date(2026, 8, 22), date(2026, 11, 20)) in seen
        assert ("this quarter", date(2026, 10, 1), date(2026, 11, 20)) in seen
        assert ("last quarter", date(2026, 7, 1), date(2026, 10, 1)) in seen
        assert ("12 months", date(2025, 11, 20), date(2026, 11, 20)) in seen
        assert [name for name, _, _ in seen] == list(PRESETS)
        assert pane_of(app).state == "ready"


async def test_custom_range_with_no_data_says_so(chart_app):
    app = chart_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*range_keys("custom…"))
        await pilot.pause()
        assert isinstance(app.screen, ChartRangeDialog)
        app.screen.query_one("#range-start", Input).value = "2020-01-01"
        app.screen.query_one("#range-end", Input).value = "2020-02-01"
        await pilot.press("enter")
        await settle(pilot)
        pane = pane_of(app)
        assert pane.state == "empty"
        assert body(app) == "charts-message"
        assert text_of(app, "#charts-message") == (
            "No downloads in org acme for custom 2020-01-01–2020-01-31."
        )


async def test_custom_range_invalid_input_keeps_what_was_typed(chart_app):
    app = chart_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*range_keys("custom…"))
        await pilot.pause()
        dialog = app.screen
        start = dialog.query_one("#range-start", Input)
        end = dialog.query_one("#range-end", Input)
        start.value, end.value = "2026-11-10", "2026-11-01"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog
        assert str(dialog.query_one("#range-error", Static).render()) == (
            "The end date 2026-11-01 must be after the start date 2026-11-10."
        )
        assert (start.value, end.value) == ("2026-11-10", "2026-11-01")
        end.value = "2026-13-01"
        await pilot.press("enter")
        await pilot.pause()
        assert "'2026-13-01' is not a date in YYYY-MM-DD form" in str(dialog.query_one("#range-error", Static).render())
        assert end.value == "2026-13-01"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not dialog
        assert pane_of(app).date_range.name == "30d"


async def test_export_not_enabled_shows_a_message(chart_app):
    app = chart_app(token=NOEXPORT_TOKEN, scope_kind="user", scope_name="visitor")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = pane_of(app)
        assert pane.state == "error"
        assert body(app) == "charts-message"
        assert text_of(app, "#charts-message").startswith("Data export is not enabled for this account")


async def test_cut_stream_is_reported_and_nothing_partial_is_drawn(chart_app, demo_faults):
    demo_faults.cut_stream = True
    app = chart_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = pane_of(app)
        assert pane.state == "error"
        assert pane.fold is None
        message = text_of(app, "#charts-message")
        assert message.startswith("The download stream broke off. ")
        assert "cut" in message and "were discarded" in message
        # The server heals; r loads again.
        demo_faults.cut_stream = False
        await pilot.press("r")
        await settle(pilot)
        assert pane.state == "ready"


async def test_one_package_of_an_org(chart_app, demo_store):
    start, end, rows = expected_30d(demo_store)
    uuid = demo_store.org_packages("acme")[0]["uuid"]
    expected = sum(r["total"] for r in rows if r["breakdown"] == "total" and r["package"] == uuid)
    app = chart_app(package_uuid=uuid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = pane_of(app)
        assert pane.fold.total == expected > 0
        assert set(pane.fold.package_totals) == {uuid}
        assert f"package {uuid[:8]}" in text_of(app, "#charts-header")


async def test_user_scope(chart_app, demo_store):
    rng = preset_range("30d", demo_store.today)
    rows = server_rows(demo_store, demo_store.personal_packages(DEMO_USER), rng.start, rng.end)
    app = chart_app(scope_kind="user", scope_name=DEMO_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert pane_of(app).fold.total == sum(r["total"] for r in rows if r["breakdown"] == "total")


async def test_other_server_errors_show_the_servers_sentence(chart_app):
    app = chart_app(scope_name="no-such-org")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert pane_of(app).state == "error"
        message = text_of(app, "#charts-message")
        assert message.startswith("Could not load the downloads. ") and "not found" in message


async def test_hostile_company_names_are_data():
    store = build_demo_store(hostile=True, today=date(2026, 11, 20))
    app = ChartHostApp.over_demo(create_app(store), "demo", today=store.today, scope_name=HOSTILE_ORG.name)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press(*view_keys("company"), "l")
        await settle(pilot)
        labels = [row[0] for row in table_cells(app)]
        hostile = [label for label in labels if "[bold red]" in label]
        assert hostile, labels  # shown literally, not styled away
        assert all("\x1b" not in label and "\n" not in label for label in labels)
        assert app.is_running  # no markup action ran
        assert "[bold red]boom-" in text_of(app, "#charts-header")


async def test_bindings_have_ids_and_can_be_remapped(chart_app):
    ids = [b.id for b in ChartPane.BINDINGS]
    assert all(i and i.startswith("charts.") for i in ids) and len(set(ids)) == len(ids)
    app = chart_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.set_keymap({"charts.next_rollup": "f"})
        await pilot.press("f")
        assert pane_of(app).rollup.value == "week"


def test_chart_keys_are_letters_no_other_tab_uses():
    """Digits switch tabs and a/m/d/b/o/t/s/n/p belong to other tabs of the same screens: the
    pane binds none of them (one meaning per key on a screen)."""
    keys = {key for b in ChartPane.BINDINGS for key in b.key.split(",")}
    assert not keys & {*"0123456789", *"amdbotsnpxe"}


async def test_progress_is_shown_while_rows_arrive_over_a_socket(live_server, demo_faults, demo_store):
    """Over a real loopback socket the rows trickle in; the pane counts them as they come."""
    from scarf_tui.api import make_service
    from scarf_tui.demo import DEMO_TOKEN

    demo_faults.chunk_delay_s = 0.004  # the demo sleeps between (day, package) chunks
    service = make_service(live_server, DEMO_TOKEN, backoff=0.0)
    app = ChartHostApp(service, today=demo_store.today, owns_service=True)
    seen: list[tuple[int, str]] = []
    async with app.run_test(size=(80, 24)) as pilot:
        pane = pane_of(app)
        while pane.state in ("idle", "loading"):
            seen.append((pane.rows_received, text_of(app, "#charts-message")))
            await pilot.pause(0.02)
        await settle(pilot)
        assert pane.state == "ready"
        final = pane.fold.rows
    progress = [(n, msg) for n, msg in seen if n > 0]
    assert progress, seen[-3:]
    n, msg = progress[0]
    assert 0 < n < final
    assert msg.endswith(f"{n:,} rows received")
