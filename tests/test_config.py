"""Settings: file + environment, token redaction, mode 0600, one-sentence errors."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from scarf_tui.config import (
    ConfigError,
    Settings,
    Token,
    config_path,
    load_settings,
    save_settings,
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
        ('tokn = "abc"\n', "'tokn' is not a known setting (known: api_url, token, username, orgs, read_only, keymap)"),
        ('url = "x"\nreadonly = true\n', "'url', 'readonly' are not known settings"),
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
