"""Settings: file + environment, token redaction, mode 0600, one-sentence errors."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from scarf_tui.config import (
    ConfigError,
    Limits,
    Settings,
    Token,
    config_path,
    load_settings,
    save_settings,
    save_values,
)

SECRET = "tok-0123456789-secret"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "absent.toml", env={})
    assert settings == Settings()
    assert settings.api_url == "https://scarf.sh/api"
    assert settings.token is None and settings.read_only is False


def test_file_values_are_read(tmp_path: Path) -> None:
    file = write(
        tmp_path / "config.toml",
        f'api_url = "http://127.0.0.1:8765/api"\ntoken = "{SECRET}"\nusername = "maintainer"\n'
        'orgs = ["acme", "globex"]\nread_only = true\n'
        '[keymap]\n"permissions.set_admin" = "ctrl+a"\n"app.quit" = "q,ctrl+q"\n',
    )
    s = load_settings(file, env={})
    assert s.api_url == "http://127.0.0.1:8765/api"
    assert s.token is not None and s.token.reveal() == SECRET
    assert s.username == "maintainer"
    assert s.orgs == ["acme", "globex"]
    assert s.read_only is True
    assert s.keymap == {"permissions.set_admin": "ctrl+a", "app.quit": "q,ctrl+q"}


def test_environment_overrides_file(tmp_path: Path) -> None:
    file = write(tmp_path / "config.toml", 'token = "from-file"\napi_url = "https://a.example/api"\nusername = "a"\n')
    env = {"SCARF_API_TOKEN": SECRET, "SCARF_API_URL": "https://b.example/api", "SCARF_USERNAME": "b"}
    s = load_settings(file, env=env)
    assert s.token.reveal() == SECRET
    assert s.api_url == "https://b.example/api"
    assert s.username == "b"


def test_config_path_default_and_override(tmp_path: Path) -> None:
    assert config_path({}).name == "config.toml"
    assert "scarf-tui" in str(config_path({}))
    assert config_path({"SCARF_TUI_CONFIG": str(tmp_path / "x.toml")}) == tmp_path / "x.toml"


def test_token_is_redacted_everywhere() -> None:
    token = Token(SECRET)
    settings = Settings(token=token, username="u")
    for text in (repr(token), str(token), f"{token}", repr(settings), str(settings)):
        assert SECRET not in text
    assert repr(token) == "Token('***')"
    assert token.reveal() == SECRET
    # A plain string is wrapped on the way in.
    assert isinstance(Settings(token=SECRET).token, Token)
    assert SECRET not in repr(Settings(token=SECRET))


def test_save_writes_mode_0600_and_round_trips(tmp_path: Path) -> None:
    target = tmp_path / "nested" / "config.toml"
    original = Settings(
        api_url="https://scarf.sh/api",
        token=Token(SECRET),
        username="maintainer",
        orgs=["acme"],
        keymap={"permissions.set_admin": "ctrl+a"},
        read_only=True,
    )
    written = save_settings(original, target)
    assert written == target
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert load_settings(target, env={}) == original


def test_save_tightens_an_existing_world_readable_file(tmp_path: Path) -> None:
    target = write(tmp_path / "config.toml", "")
    os.chmod(target, 0o644)
    save_settings(Settings(token=Token(SECRET)), target)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert SECRET in target.read_text()  # it is the file's job to hold it, and only the file's


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("api_url = ", "is not valid TOML"),
        ("token = 5\n", "'token' must be a string, not int"),
        ("orgs = \"acme\"\n", "'orgs' must be a list of organization names"),
        ("orgs = [1]\n", "'orgs' must be a list of organization names"),
        ("read_only = \"yes\"\n", "'read_only' must be true or false"),
        ("keymap = 3\n", "'keymap' must be a table"),
        ("[keymap]\n\"a.b\" = 1\n", "'keymap.a.b' must be a key string"),
        # A misspelt key is named, never silently ignored.
        (
            'tokn = "abc"\n',
            "'tokn' is not a known setting "
            "(known: api_url, api_version, token, username, orgs, read_only, keymap, limits, pypicloud, purldb, theme, "
            "concurrency)",
        ),
        ('url = "x"\nreadonly = true\n', "'url', 'readonly' are not known settings"),
        ("concurrency = 0\n", "'concurrency' must be from 1 to 64, not 0"),
        ('concurrency = "8"\n', "'concurrency' must be a whole number from 1 to 64, not str"),
    ],
)
def test_bad_files_give_one_sentence(tmp_path: Path, text: str, fragment: str) -> None:
    file = write(tmp_path / "config.toml", text)
    with pytest.raises(ConfigError) as info:
        load_settings(file, env={})
    message = str(info.value)
    assert fragment in message
    assert str(file) in message
    assert "\n" not in message


def test_unreadable_path_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is a directory"):
        load_settings(tmp_path, env={})
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_settings(bad, env={})


def test_save_creates_a_private_directory_and_leaves_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "fresh" / "config.toml"
    save_settings(Settings(token=Token(SECRET)), target)
    save_settings(Settings(token=Token(SECRET), username="again"), target)  # a rewrite keeps 0600
    assert stat.S_IMODE(os.stat(target.parent).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["config.toml"]
    assert load_settings(target, env={}).username == "again"


def test_a_config_error_never_shows_the_token(tmp_path: Path) -> None:
    file = write(tmp_path / "config.toml", f'token = "{SECRET}"\nread_only = "{SECRET}"\nextra = 1\n')
    with pytest.raises(ConfigError) as info:
        load_settings(file, env={})
    assert SECRET not in str(info.value)
    file = write(tmp_path / "config.toml", f'token = "{SECRET}\n')  # unterminated string
    with pytest.raises(ConfigError) as info:
        load_settings(file, env={})
    assert SECRET not in str(info.value)


# --- [limits] and api_version --------------------------------------------------------------------


def test_limits_have_documented_defaults_and_are_read_from_the_table(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "absent.toml", env={}).limits == Limits(
        max_body_mb=64, max_line_kb=1024, stall_seconds=30, max_windows=100
    )
    file = write(
        tmp_path / "config.toml",
        "[limits]\nmax_body_mb = 0.5\nmax_line_kb = 8\nstall_seconds = 2.5\nmax_windows = 400\n",
    )
    limits = load_settings(file, env={}).limits
    assert limits == Limits(max_body_mb=0.5, max_line_kb=8, stall_seconds=2.5, max_windows=400)
    assert (limits.max_body_bytes, limits.max_line_bytes) == (512 * 1024, 8 * 1024)


def test_api_version_is_v1_or_v2(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "absent.toml", env={}).api_version is None  # the URL decides
    assert load_settings(write(tmp_path / "config.toml", 'api_version = "v2"\n'), env={}).api_version == "v2"


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("[limits]\nmax_body = 1\n", "'limits.max_body' is not a known setting (known: limits.max_body_mb, "
         "limits.max_line_kb, limits.stall_seconds, limits.max_windows)."),
        ("[limits]\nmax_line_kb = 1.5\n", "'limits.max_line_kb' must be a whole number above 0, not float."),
        ("[limits]\nmax_windows = 0\n", "'limits.max_windows' must be above 0 and finite, not 0."),
        ("[limits]\nstall_seconds = -1\n", "'limits.stall_seconds' must be above 0 and finite, not -1."),
        ("[limits]\nmax_body_mb = inf\n", "'limits.max_body_mb' must be above 0 and finite, not inf."),
        ("[limits]\nstall_seconds = true\n", "'limits.stall_seconds' must be a number above 0, not bool."),
        ("limits = 3\n", "'limits' must be a table of limits, not int."),
        ('api_version = "v3"\n', "'api_version' must be \"v1\" or \"v2\", not 'v3'."),
        ("api_version = 2\n", "'api_version' must be \"v1\" or \"v2\", not int."),
    ],
)
def test_bad_limits_and_versions_are_one_sentence(tmp_path: Path, text: str, sentence: str) -> None:
    file = write(tmp_path / "config.toml", text)
    with pytest.raises(ConfigError) as info:
        load_settings(file, env={})
    assert str(info.value) == f"In {file}, {sentence}"


@pytest.mark.parametrize("nested", ["a = " + "[" * 5000 + "]" * 5000, "a = " + "{b = " * 3000 + "1" + "}" * 3000])
def test_a_deeply_nested_config_is_one_sentence(tmp_path: Path, nested: str) -> None:
    file = write(tmp_path / "config.toml", nested + "\n")
    with pytest.raises(ConfigError) as info:
        load_settings(file, env={})
    assert str(info.value) == f"The config file {file} is nested too deeply to read."


# --- save_values: the file is the user's -----------------------------------------------------------

USER_FILE = """\
# my scarf settings
api_url = "https://scarf.sh/api"  # the real one
orgs = ["acme", "globex"]   # the ones I watch

[keymap]
# quit with Q too
"app.quit" = "q,Q"
"""


def test_save_values_edits_only_the_given_keys_and_keeps_comments(tmp_path: Path) -> None:
    file = write(tmp_path / "config.toml", USER_FILE)
    written = save_values(file, {"token": Token(SECRET), "username": "maintainer"})
    assert written == file
    assert file.read_text() == USER_FILE.replace(
        'orgs = ["acme", "globex"]   # the ones I watch\n',
        f'orgs = ["acme", "globex"]   # the ones I watch\ntoken = "{SECRET}"\nusername = "maintainer"\n',
    )
    assert stat.S_IMODE(os.stat(file).st_mode) == 0o600


def test_save_values_replaces_a_value_in_place_and_merges_tables(tmp_path: Path) -> None:
    file = write(tmp_path / "config.toml", USER_FILE)
    save_values(file, {"api_url": "https://scarf.example/api", "keymap": {"app.back": "b"}, "orgs": None})
    assert file.read_text() == (
        "# my scarf settings\n"
        'api_url = "https://scarf.example/api"  # the real one\n'
        "\n"
        "[keymap]\n"
        "# quit with Q too\n"
        '"app.quit" = "q,Q"\n'
        '"app.back" = "b"\n'
    )


def test_save_values_writes_through_a_symlink_to_its_target(tmp_path: Path) -> None:
    (tmp_path / "dotfiles").mkdir()
    real = write(tmp_path / "dotfiles" / "scarf.toml", USER_FILE)
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    assert save_values(link, {"username": "ada"}) == real
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert 'username = "ada"\n' in real.read_text() and "# my scarf settings\n" in real.read_text()
    assert stat.S_IMODE(os.stat(real).st_mode) == 0o600


@pytest.mark.parametrize("umask", [0o022, 0o277, 0o000])
def test_new_directories_are_0700_and_the_file_0600_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    target = tmp_path / "a" / "b" / "config.toml"
    old = os.umask(umask)
    try:
        save_values(target, {"token": Token(SECRET)})
    finally:
        os.umask(old)
    assert [stat.S_IMODE(os.stat(d).st_mode) for d in (tmp_path / "a", tmp_path / "a" / "b")] == [0o700, 0o700]
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert target.read_text() == f'token = "{SECRET}"\n'


def test_save_values_refuses_what_would_not_load_and_leaves_the_file_alone(tmp_path: Path) -> None:
    file = write(tmp_path / "config.toml", USER_FILE)
    with pytest.raises(ConfigError) as info:
        save_values(file, {"orgs": "acme"})
    assert str(info.value) == f"In {file}, 'orgs' must be a list of organization names, not str."
    with pytest.raises(ConfigError) as info:
        save_values(file, {"read-only": True})
    assert str(info.value).startswith(f"In {file}, 'read-only' is not a known setting")
    assert file.read_text() == USER_FILE


def test_save_values_does_not_overwrite_a_broken_file(tmp_path: Path) -> None:
    file = write(tmp_path / "config.toml", 'api_url = "https://x\n# half-edited\n')
    with pytest.raises(ConfigError) as info:
        save_values(file, {"token": Token(SECRET)})
    assert str(info.value).startswith(f"The config file {file} is not valid TOML: ")
    assert file.read_text() == 'api_url = "https://x\n# half-edited\n'
    with pytest.raises(ConfigError) as info:
        save_values(tmp_path, {"username": "x"})
    assert str(info.value) == f"The config path {tmp_path} is not a regular file; nothing was written."


def test_save_settings_leaves_out_defaults_and_flags_it_was_not_given(tmp_path: Path) -> None:
    target = tmp_path / "config.toml"
    save_settings(Settings(api_url="https://scarf.sh/api", token=Token(SECRET)), target)
    assert target.read_text() == f'api_url = "https://scarf.sh/api"\ntoken = "{SECRET}"\n'
