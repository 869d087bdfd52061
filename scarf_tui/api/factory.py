"""Building a ScarfService: the adapter for the chosen API version on a client for its base URL.

    service = make_service("https://api.scarf.sh", token, username="me")     # v2 by the URL
    service = make_service_for(settings, api_version=args.api)              # what the CLI does

The version rules live in scarf_tui.api.version.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from scarf_tui.api.http import DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT, MAX_RETRY_AFTER, ApiClient, TokenLike
from scarf_tui.api.pages import V2ApiClient
from scarf_tui.api.service import ScarfService
from scarf_tui.api.service_v1 import ScarfServiceV1
from scarf_tui.api.service_v2 import ScarfServiceV2
from scarf_tui.api.urls import check_base_url
from scarf_tui.api.version import api_base_url, choose_version, effective_api_url, version_for_url
from scarf_tui.config import Limits


def make_service(
    base_url: str,
    token: TokenLike,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_retries: int = 3,
    backoff: float = 0.5,
    max_retry_after: float = MAX_RETRY_AFTER,
    concurrency: int = DEFAULT_CONCURRENCY,
    limits: Limits | None = None,
    api_version: str | None = None,
    username: str | None = None,
    orgs: Sequence[str] = (),
) -> ScarfService:
    """A ScarfService for ``base_url``. ``api_version`` "v1" or "v2"; None lets the URL decide
    (see scarf_tui.api.version.version_for_url: "https://scarf.sh/api" and the demo's
    "<origin>/api" are v1, "https://api.scarf.sh" and "<origin>/v2" are v2).

    ``token`` is a str or config.Token (or None). ``transport`` is for the in-process demo
    (httpx.ASGITransport) and tests. ``username`` is the token's user (v2 has no "who am I";
    it is the default owner), ``orgs`` the configured organizations.
    Raises InsecureURL for plain http to a non-loopback host."""
    # The URL as given is checked first (one sentence for a malformed one); the per-version
    # base URL built from it is checked again by the client.
    check_base_url(base_url, transport=transport)
    version = api_version or version_for_url(base_url)
    kwargs: dict[str, Any] = dict(
        transport=transport,
        timeout=timeout,
        max_retries=max_retries,
        backoff=backoff,
        max_retry_after=max_retry_after,
        concurrency=concurrency,
        limits=limits,
    )
    if version == "v2":
        return ScarfServiceV2(V2ApiClient(api_base_url(base_url, "v2"), token, **kwargs), username=username, orgs=orgs)
    return ScarfServiceV1(ApiClient(api_base_url(base_url, "v1"), token, **kwargs), username=username, orgs=orgs)


def make_service_for(
    settings: Any,
    *,
    api_version: str | None = None,
    token: TokenLike = None,
    env: Mapping[str, str] | None = None,
    username: str | None = None,
    orgs: Sequence[str] | None = None,
    **kwargs: Any,
) -> ScarfService:
    """A ScarfService for a Settings object (scarf_tui.config.Settings or anything with
    ``api_url``, ``token``, ``username``, ``orgs`` and optionally ``api_version``, ``limits``,
    ``concurrency``):
    the version chosen by ``choose_version`` (``api_version`` is the --api flag), the URL read
    through ``effective_api_url``. Extra keyword arguments go to make_service."""
    url = effective_api_url(getattr(settings, "api_url", None))
    if getattr(settings, "limits", None) is not None:
        kwargs.setdefault("limits", settings.limits)
    if getattr(settings, "concurrency", None):
        kwargs.setdefault("concurrency", settings.concurrency)
    version = choose_version(url, flag=api_version, env=env, config_value=getattr(settings, "api_version", None))
    kwargs.setdefault("limits", getattr(settings, "limits", None))  # the [limits] table
    return make_service(
        url,
        token if token is not None else getattr(settings, "token", None),
        api_version=version,
        username=username or getattr(settings, "username", None),
        orgs=list(orgs if orgs is not None else getattr(settings, "orgs", None) or ()),
        **kwargs,
    )


def make_service_for_version(base_url: str, token: TokenLike, api_version: str, **kwargs: Any) -> ScarfService:
    """make_service with an explicit version (used by the demo start-up)."""
    return make_service(base_url, token, api_version=api_version, **kwargs)


__all__ = ["make_service", "make_service_for", "make_service_for_version"]
