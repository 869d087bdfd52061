"""Choosing the API version: --api, then $SCARF_API_VERSION, then config api_version, then the
URL; the origin is kept; the old default URL reads as the live v2 service."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from scarf_tui.api import make_service_for
from scarf_tui.api.service_v1 import ScarfServiceV1
from scarf_tui.api.service_v2 import ScarfServiceV2
from scarf_tui.api.version import (
    LIVE_V2_URL,
    UnknownApiVersion,
    api_base_url,
    choose_version,
    effective_api_url,
    version_for_url,
)
from scarf_tui.cli import build_parser


@pytest.mark.parametrize(
    ("url", "version"),
    [
        ("https://api.scarf.sh", "v2"),
        ("https://API.scarf.sh/", "v2"),
        ("https://scarf.example/v2", "v2"),
        ("http://127.0.0.1:8765/v2/", "v2"),
        ("https://scarf.sh/api", "v1"),
        ("https://scarf.sh/api/v1", "v1"),
        ("http://127.0.0.1:8765/api", "v1"),
        ("http://127.0.0.1:8765", "v2"),
        ("https://proxy.example/scarf", "v2"),
    ],
)
def test_the_url_decides_when_nothing_else_does(url, version):
    assert version_for_url(url) == version
    assert choose_version(url, env={}) == version


def test_precedence_flag_then_env_then_config():
    env = {"SCARF_API_VERSION": "v1"}
    assert choose_version("https://api.scarf.sh", flag="v2", env=env, config_value="v1") == "v2"
    assert choose_version("https://api.scarf.sh", env=env, config_value="v2") == "v1"
    assert choose_version("https://scarf.sh/api", env={}, config_value="v2") == "v2"
    assert choose_version("https://scarf.sh/api", env={"SCARF_API_VERSION": ""}, config_value=None) == "v1"


def test_a_bad_version_is_one_sentence():
    with pytest.raises(UnknownApiVersion) as caught:
        choose_version("https://api.scarf.sh", env={"SCARF_API_VERSION": "v3"})
    assert str(caught.value) == "SCARF_API_VERSION must be v1 or v2, not 'v3'."


@pytest.mark.parametrize(
    ("url", "v1", "v2"),
    [
        ("https://api.scarf.sh", "https://api.scarf.sh/api", "https://api.scarf.sh"),
        ("https://scarf.sh/api", "https://scarf.sh/api", "https://scarf.sh"),
        ("http://127.0.0.1:8765/api/v1", "http://127.0.0.1:8765/api", "http://127.0.0.1:8765"),
        ("http://127.0.0.1:8765/v2", "http://127.0.0.1:8765/api", "http://127.0.0.1:8765"),
    ],
)
def test_the_origin_is_kept(url, v1, v2):
    assert api_base_url(url, "v1") == v1
    assert api_base_url(url, "v2") == v2


def test_the_old_default_reads_as_the_live_service():
    assert effective_api_url("https://scarf.sh/api") == LIVE_V2_URL
    assert effective_api_url("https://scarf.sh/api/") == LIVE_V2_URL
    assert effective_api_url(None) == LIVE_V2_URL
    assert effective_api_url("https://scarf.sh/api/v1") == "https://scarf.sh/api/v1"  # chosen on purpose


async def test_make_service_for_settings():
    settings = SimpleNamespace(api_url="https://scarf.sh/api", token="t0k", username="me", orgs=["acme"])
    service = make_service_for(settings, env={})
    assert isinstance(service, ScarfServiceV2) and service.base_url == "https://api.scarf.sh"
    assert (service.username, service.configured_orgs) == ("me", ["acme"])
    await service.aclose()
    settings.api_version = "v1"
    settings.api_url = "https://api.scarf.sh"
    service = make_service_for(settings, env={})
    assert isinstance(service, ScarfServiceV1) and service.base_url == "https://api.scarf.sh/api"
    await service.aclose()
    service = make_service_for(settings, api_version="v2", env={"SCARF_API_VERSION": "v1"})
    assert isinstance(service, ScarfServiceV2)
    await service.aclose()


def test_the_cli_takes_api_and_no_abbreviations():
    parser = build_parser()
    assert parser.parse_args(["--api", "v2"]).api == "v2"
    assert parser.parse_args(["--api", "V1"]).api == "v1"
    assert parser.parse_args([]).api is None
    with pytest.raises(SystemExit):
        parser.parse_args(["--api-u", "https://x.example"])
    with pytest.raises(SystemExit):
        parser.parse_args(["--api", "v3"])
    for sub in ("demo-server", "login"):
        with pytest.raises(SystemExit):
            parser.parse_args([sub, "--po" if sub == "demo-server" else "--no-ver", "1"])


async def test_make_service_for_a_real_settings_object():
    from scarf_tui.config import Settings

    settings = Settings(username="me", orgs=["acme"])  # a new user: the default URL
    service = make_service_for(settings, env={})
    try:
        assert isinstance(service, ScarfServiceV2) and service.base_url == LIVE_V2_URL
    finally:
        await service.aclose()


def test_the_demo_speaks_v2_unless_the_flag_or_the_environment_says_v1() -> None:
    from scarf_tui.api.version import demo_version

    assert demo_version(None, env={}) == "v2"
    assert demo_version(None, env={"SCARF_API_VERSION": "v1"}) == "v1"
    assert demo_version("v2", env={"SCARF_API_VERSION": "v1"}) == "v2"  # --api wins
    assert demo_version("v1", env={}) == "v1"
    with pytest.raises(UnknownApiVersion) as raised:
        demo_version(None, env={"SCARF_API_VERSION": "v3"})
    assert "SCARF_API_VERSION" in str(raised.value)
