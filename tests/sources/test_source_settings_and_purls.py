"""[pypicloud] and [purldb] settings (file, environment, secrets), and purl mapping."""

from __future__ import annotations

import pytest

from scarf_tui.config import ConfigError
from scarf_tui.sources.purldb.purl import (
    Purl,
    parse_purl,
    purl_for_pypicloud_package,
    purl_for_scarf_package,
    purl_typed_by_user,
)
from scarf_tui.sources.settings import DEFAULT_PURLDB_URL, load_purldb_settings, load_pypicloud_settings


def test_pypicloud_from_the_file():
    config = {"pypicloud": {"url": "https://pypi.example.com", "username": "me", "password": " Zq9 p@ss 7Kx"}}
    settings = load_pypicloud_settings(config, env={})
    assert settings.url == "https://pypi.example.com" and settings.username == "me"
    assert settings.password is not None and settings.password.reveal() == " Zq9 p@ss 7Kx"
    assert "p@ss 7Kx" not in repr(settings) and "p@ss 7Kx" not in str(settings)


def test_pypicloud_env_wins():
    config = {"pypicloud": {"url": "https://a.example", "username": "a", "password": "file-secret-9Q"}}
    env = {"PYPICLOUD_URL": "https://b.example", "PYPICLOUD_USERNAME": "b", "PYPICLOUD_PASSWORD": "env-secret-7Z"}
    settings = load_pypicloud_settings(config, env=env)
    assert (settings.url, settings.username) == ("https://b.example", "b")
    assert settings.password is not None and settings.password.reveal() == "env-secret-7Z"


def test_pypicloud_absent():
    settings = load_pypicloud_settings({}, env={})
    assert settings.url is None and settings.password is None and not settings.configured


def test_pypicloud_bad_values():
    with pytest.raises(ConfigError) as caught:
        load_pypicloud_settings({"pypicloud": {"password": 1234}}, env={}, where="/c/config.toml")
    assert str(caught.value) == "In /c/config.toml, [pypicloud] password must be a string, not int."
    with pytest.raises(ConfigError) as caught:
        load_pypicloud_settings({"pypicloud": {"pasword": "x"}}, env={}, where="/c/config.toml")
    assert str(caught.value) == (
        "In /c/config.toml, [pypicloud] has unknown setting 'pasword' (known: url, username, password)."
    )
    with pytest.raises(ConfigError) as caught:
        load_pypicloud_settings({"pypicloud": "https://x"}, env={}, where="/c/config.toml")
    assert str(caught.value) == "In /c/config.toml, [pypicloud] must be a table."


def test_purldb_defaults_and_env():
    settings = load_purldb_settings({}, env={})
    assert settings.url == DEFAULT_PURLDB_URL and settings.api_key is None
    assert not settings.enabled("scarf") and settings.enabled("manual")
    env = {"PURLDB_URL": "https://purldb.example", "PURLDB_API_KEY": "k-123456789"}
    settings = load_purldb_settings({"purldb": {"api_key": "file-key", "enabled_for": ["scarf", "docker"]}}, env=env)
    assert settings.url == "https://purldb.example"
    assert settings.api_key is not None and settings.api_key.reveal() == "k-123456789"
    assert "k-123456789" not in repr(settings)
    assert settings.enabled("docker") and not settings.enabled("pypicloud")


def test_purldb_enabled_for_is_checked():
    with pytest.raises(ConfigError) as caught:
        load_purldb_settings({"purldb": {"enabled_for": ["npm"]}}, env={}, where="config.toml")
    assert str(caught.value) == "In config.toml, [purldb] enabled_for has 'npm'; known: scarf, docker, pypicloud."
    with pytest.raises(ConfigError) as caught:
        load_purldb_settings({"purldb": {"enabled_for": "scarf"}}, env={}, where="config.toml")
    assert str(caught.value) == 'In config.toml, [purldb] enabled_for must be a list of names, e.g. ["scarf"].'


@pytest.mark.parametrize(
    ("kind", "owner", "name", "image", "expected", "origin"),
    [
        ("pypi", "acme", "acme-sdk", None, "pkg:pypi/acme-sdk", "scarf"),
        ("python", "acme", "Acme_Py", None, "pkg:pypi/acme-py", "scarf"),
        ("npm", "acme", "@acme/ui-kit", None, "pkg:npm/%40acme/ui-kit", "scarf"),
        ("npm", "acme", "widget-cli", None, "pkg:npm/widget-cli", "scarf"),
        ("docker", "acme", "widget", "https://ghcr.io/acme/widget", "pkg:docker/acme/widget", "docker"),
        ("docker", "tinytools", "tiny-img", "https://quay.io/tinytools/tiny-img", "pkg:docker/tinytools/tiny-img",
         "docker"),
        ("docker", "acme", "anvil-server", None, "pkg:docker/acme/anvil-server", "docker"),
    ],
)
def test_scarf_packages_map_to_purls(kind, owner, name, image, expected, origin):
    ref = purl_for_scarf_package(kind, owner, name, image_url=image)
    assert ref is not None
    assert (str(ref.purl), ref.origin) == (expected, origin)


@pytest.mark.parametrize("kind", ["file", "hackage", "other", None])
def test_kinds_purldb_does_not_key(kind):
    assert purl_for_scarf_package(kind, "acme", "x") is None


def test_pypicloud_packages_are_pypi():
    ref = purl_for_pypicloud_package("Internal_Tools")
    assert (str(ref.purl), ref.origin) == ("pkg:pypi/internal-tools", "pypicloud")


def test_parse_purls():
    assert parse_purl("pkg:npm/%40acme/ui-kit@1.0.0") == Purl("npm", "ui-kit", "@acme", "1.0.0")
    assert parse_purl("pkg:npm/@acme/ui-kit") == Purl("npm", "ui-kit", "@acme")
    maven = parse_purl("pkg:maven/org.elasticsearch/elasticsearch-cli@7.17.9?classifier=sources#src/main")
    assert maven == Purl("maven", "elasticsearch-cli", "org.elasticsearch", "7.17.9", "classifier=sources", "src/main")
    assert str(maven) == "pkg:maven/org.elasticsearch/elasticsearch-cli@7.17.9?classifier=sources#src/main"
    assert purl_typed_by_user("pkg:npm/foo@1.2.0").origin == "manual"


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("npm/foo", "'npm/foo' is not a package URL; it should look like pkg:npm/left-pad@1.3.0."),
        ("pkg:foo", "'pkg:foo' has no package type; it should look like pkg:npm/left-pad@1.3.0."),
        ("pkg:npm/", "'pkg:npm/' has no package name; it should look like pkg:npm/name@version."),
        ("", "'(empty)' is not a package URL; it should look like pkg:npm/left-pad@1.3.0."),
    ],
)
def test_bad_purls_are_one_sentence(text, sentence):
    with pytest.raises(ValueError) as caught:
        parse_purl(text)
    assert str(caught.value) == sentence
