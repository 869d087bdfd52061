"""`scarf-tui keys`: every binding id of the TUI with its keys in force, as a table or TOML."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from scarf_tui.cli import main
from scarf_tui.exit_codes import EXIT_BAD_INPUT, EXIT_OK
from scarf_tui.keys_cli import render_table
from scarf_tui.tui.keymap_table import KeyBinding, default_bindings

TUI = Path(__file__).resolve().parents[2] / "scarf_tui" / "tui"


@pytest.fixture(autouse=True)
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "config.toml"  # not there yet: the defaults
    monkeypatch.setenv("SCARF_TUI_CONFIG", str(config))
    return config


def keys(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["keys", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def ids_in_the_source() -> set[str]:
    """Every `id="group.name"` in scarf_tui/tui, read as text (a widget's id has no dot, so these
    are the bindings')."""
    found: set[str] = set()
    for path in TUI.rglob("*.py"):
        found.update(re.findall(r'\bid="([a-z_]+\.[a-z0-9_]+)"', path.read_text(encoding="utf-8")))
    return found


# --- the table ---------------------------------------------------------------------------------


def test_table_lists_each_binding_id_once_with_keys_and_description(capsys):
    code, out, err = keys(capsys)

    assert (code, err) == (EXIT_OK, "")
    lines = out.splitlines()
    assert lines[0] == "  ID                                KEYS                    WHAT"
    assert "app (ScarfApp)" in lines
    assert "permissions (PermissionsPane)" in lines
    assert "charts (ChartPane)" in lines
    assert "table (FilterInput, ResourceTable, VirtualTable)" in lines
    assert "  app.help                          question_mark           Help" in lines
    assert "  app.command_bar                   colon                   Command" in lines
    assert "  permissions.level_admin           a                       Admin" in lines
    assert "  charts.pick_view                  v                       view" in lines
    assert "  table.first_row                   g,home                  First row" in lines
    listed = [line.split()[0] for line in lines[1:] if line.startswith("  ")]
    assert len(listed) == len(set(listed))
    assert set(listed) == ids_in_the_source()


def test_groups_follow_the_id_prefix_with_the_app_first(capsys):
    _code, out, _err = keys(capsys)

    headers = [line for line in out.splitlines() if line and not line.startswith(" ")]
    groups = [header.split(" ")[0] for header in headers]
    assert groups[0] == "app"
    assert groups[1:] == sorted(groups[1:])
    assert len(groups) == len(set(groups))
    assert {"app", "table", "permissions", "charts", "members", "package", "pypicloud_access"} <= set(groups)


def test_an_id_declared_twice_is_one_row_with_both_classes():
    bindings = {b.binding_id: b for b in default_bindings()}

    clear = bindings["table.filter_clear"]
    assert clear.keys == ("escape",)
    assert clear.declared_by == ("FilterInput", "ResourceTable")
    assert bindings["help.close"].keys == ("escape", "q", "question_mark")


def test_the_table_is_plain_text_never_markup():
    hostile = KeyBinding("x.y", ("[b]a[/b]",), ("[b]a[/b]",), "[bold red]boom[/]\x1b[2J\nnext", ("X",))

    assert render_table([hostile]).splitlines()[2:] == [
        "x (X)",
        "  x.y                               [b]a[/b]                [bold red]boom[/]\\u001b[2J\\u000anext",
    ]


# --- TOML ----------------------------------------------------------------------------------------


def test_toml_parses_and_maps_every_id_to_its_keys(capsys):
    code, out, err = keys(capsys, "--format", "toml")

    assert (code, err) == (EXIT_OK, "")
    keymap = tomllib.loads(out)["keymap"]
    assert keymap["app.help"] == "question_mark"
    assert keymap["permissions.level_admin"] == "a"
    assert keymap["charts.pick_view"] == "v"
    assert keymap["table.first_row"] == "g,home"
    assert set(keymap) == ids_in_the_source()
    lines = out.splitlines()
    assert '"app.help" = "question_mark"  # Help' in lines
    assert '"permissions.level_admin" = "a"  # Admin' in lines
    assert '"charts.pick_view" = "v"  # view' in lines
    assert "# permissions" in lines


def test_the_toml_pasted_into_config_toml_is_accepted_as_it_is(capsys, no_user_config):
    _code, pasted, _err = keys(capsys, "--format", "toml")
    no_user_config.write_text(pasted, encoding="utf-8")

    code, out, err = keys(capsys, "--format", "toml")

    assert (code, err) == (EXIT_OK, "")
    assert out == pasted


# --- [keymap] applied ----------------------------------------------------------------------------


REMAP = '[keymap]\n"permissions.level_admin" = "A"\n"app.command_bar" = "colon, semicolon"\n'


def test_a_remap_in_the_config_shows_in_the_table_and_the_toml(capsys, tmp_path):
    config = tmp_path / "other.toml"
    config.write_text(REMAP, encoding="utf-8")

    code, out, err = keys(capsys, "--config", str(config))
    assert (code, err) == (EXIT_OK, "")
    assert "  permissions.level_admin           A                       Admin  (default a)" in out.splitlines()
    assert "  app.command_bar                   colon,semicolon         Command  (default colon)" in out.splitlines()
    assert "  permissions.level_member          m                       Member" in out.splitlines()

    code, out, err = keys(capsys, "--format", "toml", "--config", str(config))
    keymap = tomllib.loads(out)["keymap"]
    assert (keymap["permissions.level_admin"], keymap["app.command_bar"]) == ("A", "colon,semicolon")
    assert keymap["permissions.level_member"] == "m"


def test_the_config_named_by_scarf_tui_config_and_before_the_command_applies(capsys, no_user_config, tmp_path):
    no_user_config.write_text(REMAP, encoding="utf-8")
    code, out, _err = keys(capsys)
    assert code == EXIT_OK
    assert "  permissions.level_admin           A                       Admin  (default a)" in out.splitlines()

    other = tmp_path / "plain.toml"
    other.write_text('[keymap]\n"charts.pick_view" = "V"\n', encoding="utf-8")
    assert main(["--config", str(other), "keys", "--format", "toml"]) == EXIT_OK
    keymap = tomllib.loads(capsys.readouterr().out)["keymap"]
    assert (keymap["charts.pick_view"], keymap["permissions.level_admin"]) == ("V", "a")


def test_an_unknown_id_is_a_sentence_and_exit_2(capsys, no_user_config):
    no_user_config.write_text('[keymap]\n"perms.admin" = "A"\n"app.help" = "f1"\n', encoding="utf-8")

    code, out, err = keys(capsys)

    assert code == EXIT_BAD_INPUT
    assert err == (
        f'scarf-tui keys: [keymap] in {no_user_config} names "perms.admin", which is no binding id '
        '(did you mean "permissions.level_admin"?); it was not applied.\n'
    )
    remapped = "  app.help                          f1                      Help  (default question_mark)"
    assert remapped in out.splitlines()


def test_each_unknown_id_gets_its_sentence_and_control_characters_stay_escaped(capsys, no_user_config):
    no_user_config.write_text('[keymap]\n"zz" = "x"\n"bad\\u001b[31m" = "y"\n', encoding="utf-8")

    code, out, err = keys(capsys, "--format", "toml")

    assert code == EXIT_BAD_INPUT
    assert err.splitlines() == [
        f'scarf-tui keys: [keymap] in {no_user_config} names "zz", which is no binding id; it was not applied.',
        f'scarf-tui keys: [keymap] in {no_user_config} names "bad\\u001b[31m", which is no binding id; '
        "it was not applied.",
    ]
    assert "\x1b" not in out + err
    assert set(tomllib.loads(out)["keymap"]) == ids_in_the_source()


def test_a_broken_config_file_is_exit_2_with_the_config_sentence(capsys, no_user_config):
    no_user_config.write_text('[keymap]\n"app.help" = 3\n', encoding="utf-8")

    code, out, err = keys(capsys)

    assert (code, out) == (EXIT_BAD_INPUT, "")
    assert err.startswith("scarf-tui: ") and "keymap.app.help" in err and "Traceback" not in err


def test_help_of_the_command_line_does_not_load_the_tui():
    probe = (
        "import sys; from scarf_tui.cli import build_parser; build_parser(['keys']); "
        "print(sorted(m for m in sys.modules if m.startswith(('textual', 'scarf_tui.tui'))))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120)
    assert result.stdout.strip() == "[]"
