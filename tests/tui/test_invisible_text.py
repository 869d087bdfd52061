"""Zero-width and bidi control characters in server text show as ⍽ (scarf_tui.tui.common.text),
so two names that differ only by one look different; what a user types is compared without them."""

from __future__ import annotations

import html
import re

import pytest
from rich.cells import cell_len

from scarf_tui.demo.data import PackageSpec
from scarf_tui.demo.store import build_demo_store
from scarf_tui.tui.common.confirm import TypeToConfirm
from scarf_tui.tui.common.text import INVISIBLE_MARK, safe, safe_str, typed_form
from scarf_tui.tui.packages.table import PackageTable
from tests.editors.test_confirm_hostile import DialogHost

from .helpers import FIXED_TODAY, make_app, press, service_for, settle

TWIN = "widget\u200b-cli"  # widget-cli with a zero-width space inside


@pytest.mark.parametrize(
    "char",
    ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u200f", "\u061c",
     "\u202a", "\u202e", "\u2066", "\u2069", "\u180e"],
)
def test_each_invisible_character_shows_as_the_mark(char):
    assert safe_str(f"a{char}b") == "a⍽b" and safe(f"a{char}b").plain == "a⍽b"
    assert cell_len(safe_str(f"a{char}b")) == 3


def test_two_names_that_differ_by_a_zero_width_space_look_different():
    assert safe_str(TWIN) != safe_str("widget-cli") and safe_str(TWIN) == "widget⍽-cli"
    assert safe_str("\u202eexe.txt\u202c") == "⍽exe.txt⍽"  # an override can't reverse what follows
    assert typed_form(TWIN) == "widget-cli" and typed_form("a ⍽ b") == "a  b"
    assert safe_str("漢字 שלום") == "漢字 שלום" and INVISIBLE_MARK == "⍽"


async def test_the_package_list_shows_the_twin_marked():
    store = build_demo_store(today=FIXED_TODAY)
    store.add_package(PackageSpec("acme", TWIN, "npm", "not the real widget-cli", "2024-01-02T00:00:00Z"))
    app = make_app(service_for(store), org="acme", close_service_on_exit=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"widget", "enter")
        assert len(app.screen.query_one(PackageTable).packages) > 2
        svg = app.export_screenshot()
        shown = html.unescape(" ".join(re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S))).replace("\xa0", " ")
        assert "widget⍽-cli" in shown and "widget-cli" in shown and "\u200b" not in shown


@pytest.mark.parametrize(("typed", "confirmed"), [("widget-cli", True), ("widget⍽-cli", True), ("", False)])
async def test_type_to_confirm_takes_the_name_without_the_invisible_character(service, typed, confirmed):
    dialog = TypeToConfirm("Delete it?", TWIN)
    assert dialog.expected == "widget⍽-cli"
    app = DialogHost(service, dialog)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*typed, "enter")
        await pilot.pause()
        assert app.results == ([True] if confirmed else [])


def test_plain_printable_text_skips_the_pattern_work(monkeypatch):
    """Most names and descriptions are printable ASCII: nothing to strip or mark, so no pattern
    runs; anything else still goes through every rule."""
    import scarf_tui.tui.common.text as text

    class Refuse:
        def sub(self, *args: object) -> str:
            raise AssertionError("a pattern ran on plain printable text")

    for pattern in ("_ANSI", "_CONTROL", "_NEWLINES", "INVISIBLE"):
        monkeypatch.setattr(text, pattern, Refuse())
    assert safe_str("labkit [@click=app.quit]x[/] ~!") == "labkit [@click=app.quit]x[/] ~!"
    assert safe_str(42) == "42"
    monkeypatch.undo()
    for raw, clean in [("a\tb\nc", "a b c"), ("x\x1b[31my\x7f", "xy"), ("zero\u200bwidth", "zero⍽width"), ("é", "é")]:
        assert safe_str(raw) == clean
