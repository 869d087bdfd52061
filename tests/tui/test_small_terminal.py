"""At 60×20 and 80×24 nothing important is out of reach: help and back stay on the bottom line
whatever the footer has to clip, and `?` opens the help."""

from __future__ import annotations

import pytest

from scarf_tui.tui.common.bottom_bar import KeyHint
from scarf_tui.tui.help import HelpScreen
from scarf_tui.tui.packages.package_screen import PackageScreen

from .helpers import press, settle


@pytest.mark.parametrize("size", [(60, 20), (80, 24)], ids=["60x20", "80x24"])
async def test_help_and_back_stay_on_screen(app_factory, size) -> None:  # noqa: ANN001
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert str(app.screen.query_one(KeyHint).render()).strip() == "? Help"  # nothing to go back to yet
        await press(pilot, "slash", *"widget-cli", "enter", "enter", "2")
        assert isinstance(app.screen, PackageScreen) and app.screen.active_tab == "permissions"
        hint = app.screen.query_one(KeyHint)
        assert str(hint.render()).strip() == "? Help  esc Back"
        assert hint.region.right <= size[0] and hint.region.y == size[1] - 1  # on screen, bottom line
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await press(pilot, "escape", "escape")
        assert not isinstance(app.screen, PackageScreen)
