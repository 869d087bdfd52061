"""The PurlDB Details tab and `:purl`, in the real app against the embedded PurlDB server."""

from __future__ import annotations

import io

from rich.console import Console
from textual.widgets import Static

from scarf_tui.demo.data import HOSTILE_ANSI, HOSTILE_BOLD, HOSTILE_MARKUP
from scarf_tui.sources.purldb import Purl, PurlRef
from scarf_tui.tui.common.virtual_table import VirtualTable
from scarf_tui.tui.packages.package_screen import PackageScreen
from scarf_tui.tui.purldb.details import DetailsPane
from scarf_tui.tui.purldb.purl_screen import PurlScreen
from tests.tui.helpers import press, settle
from tests.tui_pypicloud.helpers import sources_app


def text_of(widget: Static) -> str:
    console = Console(width=160, file=io.StringIO(), record=True, color_system=None)
    console.print(widget.content)
    return console.export_text()


async def _details(pilot, app, name: str) -> DetailsPane:  # noqa: ANN001
    await settle(pilot)
    app.nav.open_package(name, tab="details")
    await settle(pilot)
    assert isinstance(app.screen, PackageScreen)
    return app.screen.query_one(DetailsPane)


async def test_details_tab_shows_purldb_data_for_a_demo_package():
    s = sources_app()
    async with s.app.run_test(size=(120, 40)) as pilot:
        pane = await _details(pilot, s.app, "acme-sdk")
        assert pane.state == "found"
        assert text_of(pane.query_one("#purl-state", Static)).strip() == "PurlDB knows 4 versions of pkg:pypi/acme-sdk."
        table = pane.query_one("#purl-versions", VirtualTable)
        versions = [table.row_cells(i)[0].plain for i in range(table.row_count)]
        assert versions == ["2.0.0rc1", "1.2.0", "1.1.0", "1.0.0"]
        details = text_of(pane.query_one("#purl-details", Static))
        assert "pkg:pypi/acme-sdk@2.0.0rc1" in details
        assert "git+https://github.com/acme/acme-sdk.git" in details
        assert "https://files.pythonhosted.org/packages/source/a/acme-sdk/acme-sdk-2.0.0rc1.tar.gz" in details
        assert "New Package created from ResourceURI" in details  # history
        assert "Dependencies (" in details
        # Another version: its own record.
        await press(pilot, "down")
        assert pane.selected is not None and pane.selected.version == "1.2.0"
        assert "pkg:pypi/acme-sdk@1.2.0" in text_of(pane.query_one("#purl-details", Static))
        # Resources only on demand, page by page (1.2.0 has 57).
        assert text_of(pane.query_one("#purl-resources", Static)).strip() == ""
        await press(pilot, "f")
        first = text_of(pane.query_one("#purl-resources", Static))
        assert "Resources (" in first and "of 57) · m loads more" in first
        while pane.resource_pages[-1].has_more:
            await press(pilot, "m")
        assert "Resources (57 of 57)" in text_of(pane.query_one("#purl-resources", Static))


async def test_details_tab_says_not_in_purldb_for_an_unknown_package():
    s = sources_app()
    async with s.app.run_test(size=(120, 40)) as pilot:
        pane = await _details(pilot, s.app, "maintainer-tools")
        assert pane.state == "not_found"
        assert text_of(pane.query_one("#purl-state", Static)).strip() == "pkg:npm/maintainer-tools is not in PurlDB."
        assert not pane.query_one("#purl-versions", VirtualTable).display


async def test_lookups_are_opt_in_and_the_tab_offers_to_enable_them():
    s = sources_app(enabled_for=())
    async with s.app.run_test(size=(160, 40)) as pilot:
        pane = await _details(pilot, s.app, "acme-sdk")
        assert pane.state == "not_enabled"
        assert " ".join(text_of(pane.query_one("#purl-state", Static)).split()) == (
            "PurlDB look-ups are off for scarf packages: looking pkg:pypi/acme-sdk up would send its name to a "
            "third party. Enable PurlDB for scarf packages to look it up. Press e to enable PurlDB look-ups for "
            "scarf packages in this session, or E to also save it (enabled_for under [purldb] in config.toml)."
        )
        assert s.purl_faults.requests_seen == 0  # nothing was sent to PurlDB
        await press(pilot, "e")
        assert pane.state == "found" and s.purl_faults.requests_seen > 0
        assert s.app.session.purldb is not None and "scarf" in s.app.session.purldb.enabled_for
        assert "docker" not in s.app.session.purldb.enabled_for


async def test_enable_and_save_keeps_the_choice_in_config(tmp_path):  # noqa: ANN001
    config = tmp_path / "config.toml"
    config.write_text('# mine\n[purldb]\nurl = "https://purldb.example.com"\n', encoding="utf-8")
    s = sources_app(enabled_for=(), config_path=config)
    async with s.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        s.app.nav.open_package("tiny-img", tab="details")
        await settle(pilot)
        pane = s.app.screen.query_one(DetailsPane)
        assert pane.state == "not_enabled" and pane.ref is not None and pane.ref.origin == "docker"
        await press(pilot, "E")
        assert pane.state == "found"
    from scarf_tui.config import load_settings

    assert load_settings(config, env={}).sources["purldb"] == {
        "url": "https://purldb.example.com", "enabled_for": ["docker"],
    }
    assert config.read_text(encoding="utf-8").startswith("# mine\n")
    assert config.stat().st_mode & 0o777 == 0o600


async def test_details_tab_only_on_the_kinds_purldb_keys():
    s = sources_app()
    async with s.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        s.app.nav.open_package("acme-downloads")
        await settle(pilot)
        assert isinstance(s.app.screen, PackageScreen)
        await press(pilot, "6")
        assert s.app.screen.active_tab == "overview"
        assert not s.app.screen.query("#details")


async def test_purl_command_opens_any_purl_and_explains_a_bad_one():
    s = sources_app()
    async with s.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        s.app.nav.run_command("purl pkg:npm/foo@1.2.0")
        await settle(pilot)
        assert isinstance(s.app.screen, PurlScreen)
        pane = s.app.screen.query_one(DetailsPane)
        assert text_of(pane.query_one("#purl-state", Static)).strip() == "pkg:npm/foo@1.2.0 is not in PurlDB."
        s.app.nav.run_command("purl pkg:npm/%40acme/ui-kit")
        await settle(pilot)
        pane = s.app.screen.query_one(DetailsPane)
        assert pane.state == "found" and pane.selected is not None and pane.selected.namespace == "@acme"
        screens = len(s.app.screen_stack)
        s.app.nav.run_command("purl left-pad")
        await settle(pilot)
        assert len(s.app.screen_stack) == screens
        assert [n.message for n in s.app._notifications][-1] == (
            "'left-pad' is not a package URL; it should look like pkg:npm/left-pad@1.3.0."
        )


async def test_hostile_purldb_text_stays_literal():
    s = sources_app(hostile=True)
    async with s.app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        s.app.push_screen(PurlScreen(PurlRef(Purl("npm", HOSTILE_MARKUP), "manual")))
        await settle(pilot)
        pane = s.app.screen.query_one(DetailsPane)
        assert pane.state == "found"
        details = text_of(pane.query_one("#purl-details", Static))
        assert f"https://hostile.example/{HOSTILE_BOLD}" in details
        assert HOSTILE_BOLD in details  # the license, as sent
        assert f"red {HOSTILE_MARKUP}" in details  # history: escape codes dropped, markup kept as text
        assert "\x1b" not in details and HOSTILE_ANSI not in details
        assert s.app.is_running  # the [@click=app.quit] name did nothing


async def test_a_failing_purldb_is_one_sentence_naming_it():
    s = sources_app()
    s.purl_faults.invalid_json = True
    async with s.app.run_test(size=(160, 40)) as pilot:
        pane = await _details(pilot, s.app, "acme-py")
        assert pane.state == "error"
        state = text_of(pane.query_one("#purl-state", Static)).strip()
        assert state == f"⚠ {pane.error}  (r: retry)"
        assert pane.error == "PurlDB: the answer to GET /api/packages/ was not valid JSON."
        s.purl_faults.invalid_json = False
        await press(pilot, "r")
        assert pane.state == "found"
