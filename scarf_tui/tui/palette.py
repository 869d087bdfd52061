"""ctrl+p: jump to any package or organization by name (Textual command-palette providers).

The package provider matches the loaded list and, on API v2 (``capabilities.search``), also asks
the server (``POST /v2/search``), which finds tracking pixels and packages of owners not listed.
"""

from __future__ import annotations

import contextlib

from rich.text import Text
from textual.app import App
from textual.command import Hit, Hits, Provider

from scarf_tui.api.errors import ScarfError
from scarf_tui.api.models import SearchHit
from scarf_tui.domain import Package
from scarf_tui.tui.common.errors import notify_error
from scarf_tui.tui.common.messages import OpenOrg, OpenPackage
from scarf_tui.tui.common.text import safe, safe_str
from scarf_tui.tui.session import session_of


async def _packages(provider: Provider) -> list[Package]:
    session = session_of(provider.app)
    if session.service is None:
        return []
    with contextlib.suppress(ScarfError):  # the palette stays usable without the list
        return await session.service.list_packages()
    return []


class PackageJumpProvider(Provider):
    """"widget" finds every package whose name matches; enter opens it."""

    async def startup(self) -> None:
        self._packages = await _packages(self)

    def _open(self, pkg: Package) -> None:
        self.app.post_message(OpenPackage(pkg))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        listed: set[str] = set()
        for pkg in self._packages:
            label = safe(f"package {safe_str(pkg.name)}  ({pkg.library_type or '?'}, {safe_str(pkg.owner)})")
            score = max(matcher.match(safe_str(pkg.name)), matcher.match(label.plain))
            if score > 0:
                listed.add(pkg.uuid)
                yield Hit(score, label, lambda pkg=pkg: self._open(pkg), text=label.plain, help="Open this package")
        # The server also finds tracking pixels and packages of owners the app has not listed.
        for hit in await _server_search(self, query) or []:
            if hit.id in listed:
                continue
            label = _hit_label(hit)
            score = max(matcher.match(safe_str(hit.name)), matcher.match(label.plain), 0.1)
            yield Hit(score, label, lambda hit=hit: self._open_hit(hit), text=label.plain, help=_hit_help(hit))

    def _open_hit(self, hit: SearchHit) -> None:
        if hit.kind == "package":
            known = next((p for p in self._packages if p.uuid == hit.id), None)
            if known is not None:
                self._open(known)
            else:
                self.app.run_worker(_open_found(self.app, hit), group="palette-open", exit_on_error=False)
        else:
            from scarf_tui.tui.pixels.screen import PixelsScreen

            self.app.push_screen(PixelsScreen(hit.owner))

    async def discover(self) -> Hits:
        for pkg in self._packages[:20]:
            label = safe(f"package {safe_str(pkg.name)}  ({pkg.library_type or '?'}, {safe_str(pkg.owner)})")
            yield Hit(0.5, label, lambda pkg=pkg: self._open(pkg), text=label.plain)


SEARCH_KIND_WORDS = ("package", "pixel", "tracking")


async def _server_search(provider: Provider, query: str) -> list[SearchHit] | None:
    """The server's hits for ``query`` on API v2; None when the server is not asked (API v1, no
    service, nothing but a kind word typed) or the search fails."""
    service = session_of(provider.app).service
    words = query.split()
    while words and words[0].casefold() in SEARCH_KIND_WORDS:  # "package widget": the labels' first words
        words = words[1:]
    if service is None or not service.capabilities.search or not words:
        return None
    try:
        return await service.search(" ".join(words))
    except ScarfError:  # the loaded list still answers
        return None


async def _open_found(app: App[object], hit: SearchHit) -> None:
    """A package the search found under an owner the app has not listed: read it there."""
    service = session_of(app).service
    if service is None:
        return
    try:
        package = await service.get_package(hit.id, hit.package_type, owner=hit.owner)
    except ScarfError as err:
        notify_error(app, err)
        return
    app.post_message(OpenPackage(package))


def _hit_label(hit: SearchHit) -> Text:
    if hit.kind == "package":
        return safe(f"package {safe_str(hit.name)}  ({hit.package_type or '?'}, {safe_str(hit.owner)})")
    linked = f", for {safe_str(hit.package.name)}" if hit.package else ""
    return safe(f"tracking pixel {safe_str(hit.name)}  ({safe_str(hit.owner)}{linked})")


def _hit_help(hit: SearchHit) -> str:
    return "Open this package" if hit.kind == "package" else "Open the owner's tracking pixels"


class OrganizationJumpProvider(Provider):
    """Jump to an organization: the owners of your packages plus the configured ones."""

    async def startup(self) -> None:
        session = session_of(self.app)
        self._names: list[str] = session.configured_orgs()
        if session.service is not None:
            with contextlib.suppress(ScarfError):  # the configured ones are still offered
                self._names = await session.service.known_organizations(self._names)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name in self._names:
            plain = safe_str(name)
            label = safe(f"organization {plain}")
            score = max(matcher.match(plain), matcher.match(label.plain))
            if score > 0:
                yield Hit(
                    score, label, lambda name=name: self.app.post_message(OpenOrg(name)),
                    text=label.plain, help="Open this organization",
                )
