"""ctrl+p: jump to any package or organization by name (Textual command-palette providers)."""

from __future__ import annotations

import contextlib

from textual.command import Hit, Hits, Provider

from scarf_tui.api.errors import ScarfError
from scarf_tui.domain import Package
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
        for pkg in self._packages:
            label = safe(f"package {safe_str(pkg.name)}  ({pkg.library_type or '?'}, {safe_str(pkg.owner)})")
            score = max(matcher.match(safe_str(pkg.name)), matcher.match(label.plain))
            if score > 0:
                yield Hit(score, label, lambda pkg=pkg: self._open(pkg), text=label.plain, help="Open this package")

    async def discover(self) -> Hits:
        for pkg in self._packages[:20]:
            label = safe(f"package {safe_str(pkg.name)}  ({safe_str(pkg.owner)})")
            yield Hit(0.5, label, lambda pkg=pkg: self._open(pkg), text=label.plain)


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
