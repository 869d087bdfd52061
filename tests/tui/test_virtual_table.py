"""VirtualTable (the table every list uses) and ResourceTable's filtering on top of it."""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.geometry import Region

from scarf_tui.tui.common.resource_table import Column, ResourceTable, Row, narrows, text_matches
from scarf_tui.tui.common.virtual_table import TableColumn, TableRow, VirtualTable

BIG = 20_000
COLUMNS = [TableColumn("name", "Name", 12), TableColumn("n", "N", 6), TableColumn("note", "Note", flex=True)]


def make_rows(n: int) -> list[TableRow]:
    return [TableRow(f"k{i}", (Text(f"row-{i:05d}"), Text(str(i)), Text("x" * (i % 50)))) for i in range(n)]


class TableApp(App[None]):
    def __init__(self, rows: Sequence[TableRow]) -> None:
        super().__init__()
        self.rows = rows
        self.fetched: list[str] = []  # keys whose cells were asked for
        self.events: list[tuple[str, int, str | None]] = []

    def compose(self) -> ComposeResult:
        def cells(row: TableRow) -> Sequence[Text]:
            self.fetched.append(row.key)
            return row.cells

        yield VirtualTable(COLUMNS, cells=cells, id="t")

    def on_mount(self) -> None:
        table = self.query_one(VirtualTable)
        table.set_rows(self.rows)
        table.focus()

    def on_virtual_table_row_highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        self.events.append(("highlighted", event.cursor_row, event.row_key))

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        self.events.append(("selected", event.cursor_row, event.row_key))


async def test_only_the_rows_on_screen_are_drawn() -> None:
    app = TableApp(make_rows(BIG))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        assert table.row_count == BIG
        drawn = set(app.fetched)
        # 19 body lines on a 20-line screen (one is the header), not 20,000.
        assert 0 < len(drawn) <= 20
        assert "k0" in drawn and f"k{BIG - 1}" not in drawn

        app.fetched.clear()
        await pilot.press("G")
        await pilot.pause()
        assert table.cursor_row == BIG - 1 and table.cursor_key == f"k{BIG - 1}"
        assert f"k{BIG - 1}" in app.fetched and "k0" not in app.fetched
        assert len(set(app.fetched)) <= 20


async def test_motions_scroll_to_keep_the_cursor_on_screen() -> None:
    app = TableApp(make_rows(500))
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        body = table.scrollable_content_region.height - 1  # lines under the header
        for key in ("j", "j", "down"):
            await pilot.press(key)
        assert table.cursor_row == 3
        await pilot.press("k")
        assert table.cursor_row == 2
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert table.cursor_row == 2 + body - 1
        assert table.scroll_offset.y <= table.cursor_row < table.scroll_offset.y + body
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == 499 and table.scroll_offset.y == 500 - body
        await pilot.press("ctrl+b")
        assert table.cursor_row == 499 - (body - 1)
        await pilot.press("g")
        await pilot.pause()
        assert table.cursor_row == 0 and table.scroll_offset.y == 0
        assert ("highlighted", 0, "k0") in app.events


async def test_enter_and_a_click_on_the_cursor_row_select_it() -> None:
    app = TableApp(make_rows(30))
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        await pilot.press("j", "enter")
        assert app.events[-1] == ("selected", 1, "k1")
        # A click on another row moves the cursor there; a second click selects it.
        await pilot.click(VirtualTable, offset=(2, 4))  # line 4 = row 3 (line 0 is the header)
        assert app.events[-1] == ("highlighted", 3, "k3")
        await pilot.click(VirtualTable, offset=(2, 4))
        assert app.events[-1] == ("selected", 3, "k3")
        await pilot.click(VirtualTable, offset=(2, 0))  # the header selects nothing
        assert app.events[-1] == ("selected", 3, "k3")


async def test_new_rows_keep_the_cursor_on_its_row_or_clamp_it() -> None:
    rows = make_rows(100)
    app = TableApp(rows)
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        table.move_cursor(row=40)
        table.set_rows(rows[30:], cursor_key="k40")
        assert table.cursor_key == "k40" and table.cursor_row == 10
        table.set_rows(rows[:5], cursor_key="k40")  # gone: the same line, clamped to the last row
        assert table.cursor_row == 4 and table.cursor_key == "k4"
        table.set_rows([])
        assert table.row_count == 0 and table.cursor_key is None
        await pilot.press("j", "G", "enter")  # nothing to move to or open
        assert not any(kind == "selected" for kind, _, _ in app.events)


async def test_cells_wider_than_their_column_end_with_an_ellipsis() -> None:
    rows = [TableRow("long", (Text("a-very-long-package-name"), Text("1234567890"), Text("note")))]
    app = TableApp(rows)
    async with app.run_test(size=(60, 8)) as pilot:
        await pilot.pause()
        shown = app.query_one(VirtualTable).shown_cells(0)
        assert shown["name"] == "a-very-long…" and shown["n"] == "12345…"
        assert shown["note"] == "note"


def test_a_filter_only_narrows_when_every_new_match_matched_before() -> None:
    assert narrows("ab", "abc")
    assert not narrows("", "a")  # nothing was filtered: every row must be tested
    assert not narrows("abc", "ab")  # a backspace widens
    assert not narrows("!ab", "!abc")  # an inverted filter widens as it grows
    assert not narrows("ab", "xab")


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ResourceTable([Column("name", "Name", width=20), Column("kind", "Kind", flex=True)], noun="things")

    def on_mount(self) -> None:
        words = ("alpha", "beta", "gamma", "delta", "alphabet", "Alp")
        self.query_one(ResourceTable).set_rows([
            Row(key=f"r{i}", item=i, cells={"name": Text(f"{words[i % 6]}-{i}"), "kind": Text("k")})
            for i in range(3_000)
        ])


async def test_typing_a_filter_shows_exactly_the_rows_that_match() -> None:
    app = ListApp()
    async with app.run_test(size=(60, 16)) as pilot:
        await pilot.pause()
        table = app.query_one(ResourceTable)
        table.sort_by("name")
        await pilot.press("slash")
        typed = ""
        for key in ["a", "l", "p", "h", "a", "backspace", "backspace", "backspace", "exclamation_mark"]:
            await pilot.press(key)
            typed = typed[:-1] if key == "backspace" else typed + ("!" if key == "exclamation_mark" else key)
            expected = [r.key for r in sorted(table.rows, key=lambda r: r.sort_value("name"))
                        if text_matches(typed, r.search_text or " ".join(c.plain for c in r.cells.values()))]
            assert [r.key for r in table.visible_rows] == expected, typed
        assert typed == "al!"
        assert table.visible_rows == [] and "0 of 3000 things" in str(table.query_one("#status").render())


async def test_keys_after_enter_in_one_burst_go_to_the_table() -> None:
    """tmux, a paste or a fast typist deliver `/al⏎G` in one read: the keys are queued before
    any of them is handled, and G must still reach the table, not the filter."""
    app = ListApp()
    async with app.run_test(size=(60, 16)) as pilot:
        await pilot.pause()
        table = app.query_one(ResourceTable)
        for key, char in [("slash", "/"), ("a", "a"), ("l", "l"), ("enter", "\r"), ("G", "G")]:
            app.post_message(events.Key(key, char))
        await pilot.pause()
        await pilot.pause()
        assert table.filter_text == "al"
        assert app.focused is table.table
        assert table.table.cursor_row == len(table.visible_rows) - 1 > 0


async def test_new_rows_under_a_still_cursor_are_announced() -> None:
    rows = make_rows(10)
    app = TableApp(rows)
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        app.events.clear()
        table.set_rows(rows[5:])  # the cursor stays on line 0, which now holds k5
        await pilot.pause()
        assert app.events == [("highlighted", 0, "k5")]
        table.set_rows(rows[5:])  # the same row under the cursor: nothing to say
        await pilot.pause()
        assert app.events == [("highlighted", 0, "k5")]


async def test_a_line_asks_for_its_row_cells_once() -> None:
    """Owners may build a row's cells on every call (ResourceTable's rows do): drawing a line
    asks once, not once per column, and measuring auto-width columns asks once per row."""
    app = TableApp(make_rows(30))
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        app.fetched.clear()
        table._lines.clear()
        table.render_line(1)
        assert app.fetched == ["k0"]
        app.fetched.clear()
        table.set_columns([TableColumn("name", "Name"), TableColumn("n", "N"), TableColumn("note", "Note")])
        assert len(app.fetched) == 30
        assert table.shown_cells(29) == {"name": "row-00029", "n": "29", "note": "x" * 29}


class StyleCountingTable(VirtualTable):
    asked = 0

    @property
    def rich_style(self) -> Style:
        StyleCountingTable.asked += 1
        return super().rich_style


async def test_a_frame_works_out_the_table_style_once() -> None:
    """rich_style walks every ancestor's styles: a frame asks once, not twice per line."""

    class StyleApp(App[None]):
        def compose(self) -> ComposeResult:
            yield StyleCountingTable(COLUMNS, id="t")

        def on_mount(self) -> None:
            self.query_one(StyleCountingTable).set_rows(make_rows(100))

    app = StyleApp()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        table = app.query_one(StyleCountingTable)
        table._lines.clear()
        table._styles_cache.clear()
        StyleCountingTable.asked = 0
        strips = table.render_lines(Region(0, 0, 60, 20))
        assert len(strips) == 20 and "row-00000" in "".join(s.text for s in strips[1])
        assert StyleCountingTable.asked == 1


async def test_the_spinner_row_is_built_when_a_load_first_shows_it() -> None:
    """A list painted from rows it already has never builds the spinner (start-up from saved
    lists); the first load mounts it between the table and the status line."""
    app = ListApp()
    async with app.run_test(size=(60, 16)) as pilot:
        await pilot.pause()
        table = app.query_one(ResourceTable)
        assert not table.query("#spinner")
        table.set_loading(True)
        await pilot.pause()
        assert [child.id for child in table.children][-3:] == ["table", "spinner", "status"]
        assert table.query_one("#spinner").display
        table.set_loading(False)
        await pilot.pause()
        assert not table.query_one("#spinner").display and len(table.query("#spinner")) == 1


async def test_the_filter_bar_is_built_when_first_asked_for() -> None:
    """Start-up builds no filter prompt (an Input); `/` mounts it above the table, focused."""
    app = ListApp()
    async with app.run_test(size=(60, 16)) as pilot:
        await pilot.pause()
        table = app.query_one(ResourceTable)
        assert not table.query("#filter-bar") and not table.query("#filter")
        table.clear_filter()  # nothing to clear: still nothing built
        await pilot.pause()
        assert not table.query("#filter-bar")
        await pilot.press("slash", "g", "a")
        await pilot.pause()
        assert [child.id for child in table.children][:2] == ["filter-bar", "table"]
        assert app.focused is table.filter_input and table.filter_text == "ga"
        assert {r.item % 6 for r in table.visible_rows} == {2}  # "gamma-…"
