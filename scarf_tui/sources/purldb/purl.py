"""Package URLs (purls): parse and print them, and map a Scarf or pypicloud package to one.

    pkg:type/namespace/name@version?qualifiers#subpath

Only what the Details tab needs: type, namespace, name, version (qualifiers and subpath are
kept as text). Names are normalized the way the purl specification asks for the types we
produce: pypi lowercased with "_" as "-", npm lowercased; namespace and name segments are
percent-encoded, so an npm scope "@acme" prints as "%40acme".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from scarf_tui.api.errors import sanitize

_TYPE = re.compile(r"[a-z][a-z0-9.+-]*")
ORIGINS = ("scarf", "docker", "pypicloud", "manual")


@dataclass(frozen=True, slots=True)
class Purl:
    type: str
    name: str
    namespace: str = ""
    version: str = ""
    qualifiers: str = ""
    subpath: str = ""

    def __str__(self) -> str:
        parts = [quote(p, safe="") for p in self.namespace.split("/") if p] if self.namespace else []
        text = f"pkg:{self.type}/" + "/".join([*parts, quote(self.name, safe="")])
        if self.version:
            text += "@" + quote(self.version, safe="+")
        if self.qualifiers:
            text += "?" + self.qualifiers
        if self.subpath:
            text += "#" + self.subpath
        return text

    def without_version(self) -> Purl:
        return Purl(self.type, self.name, self.namespace)


@dataclass(frozen=True, slots=True)
class PurlRef:
    """A purl to look up, and where its name came from ("scarf", "docker", "pypicloud", or
    "manual" for one the user typed), which decides whether it may be sent to PurlDB."""

    purl: Purl
    origin: str


def parse_purl(text: str) -> Purl:
    """A Purl from its text; ValueError with one sentence when it is not one."""
    raw = (text or "").strip()
    shown = sanitize(raw, limit=80) or "(empty)"
    if not raw.lower().startswith("pkg:"):
        raise ValueError(f"{shown!r} is not a package URL; it should look like pkg:npm/left-pad@1.3.0.")
    rest = raw[4:].lstrip("/")
    rest, _, subpath = rest.partition("#")
    rest, _, qualifiers = rest.partition("?")
    kind, sep, path = rest.partition("/")
    kind = kind.lower()
    if not sep or not _TYPE.fullmatch(kind):
        raise ValueError(f"{shown!r} has no package type; it should look like pkg:npm/left-pad@1.3.0.")
    version = ""
    head, slash, last = path.rpartition("/")
    if "@" in last[1:]:  # a leading "@" is an npm scope written without %40, not a version
        at = last.index("@", 1)
        last, version = last[:at], last[at + 1 :]
        path = head + slash + last
    segments = [unquote(s) for s in path.strip("/").split("/") if s]
    if not segments:
        raise ValueError(f"{shown!r} has no package name; it should look like pkg:{kind}/name@version.")
    return Purl(kind, segments[-1], "/".join(segments[:-1]), unquote(version), qualifiers, subpath.strip("/"))


def pypi_purl(name: str, version: str = "") -> Purl:
    return Purl("pypi", name.strip().lower().replace("_", "-"), version=version)


def npm_purl(name: str, version: str = "") -> Purl:
    """``@scope/name`` -> namespace "@scope" (printed %40scope), name "name"."""
    text = name.strip().lower()
    if text.startswith("@") and "/" in text:
        scope, _, bare = text.partition("/")
        return Purl("npm", bare, scope, version)
    return Purl("npm", text, version=version)


def docker_repository(owner: str, name: str, image_url: str | None = None) -> str:
    """The image's repository name: the path of its backend (or public) URL when known
    ("https://ghcr.io/acme/widget" -> "acme/widget"), else "<owner>/<name>"."""
    if image_url:
        path = urlsplit(image_url if "//" in image_url else f"//{image_url}").path.strip("/")
        if path:
            return path
    if "/" in name:
        return name.strip("/")
    return f"{owner}/{name}" if owner else name


def docker_purl(repository: str, version: str = "") -> Purl:
    parts = [p for p in repository.strip("/").split("/") if p]
    return Purl("docker", parts[-1], "/".join(parts[:-1]), version)


def purl_for_scarf_package(
    library_type: str | None, owner: str, name: str, *, image_url: str | None = None
) -> PurlRef | None:
    """The purl of a Scarf package, or None for kinds PurlDB does not key (file, hackage,
    other, none). Scarf "python" and "pypi" are pkg:pypi; docker uses the image's repository
    name (``image_url``: the package's backend or public URL, when the caller knows it)."""
    kind = (library_type or "").lower()
    if kind in ("pypi", "python"):
        return PurlRef(pypi_purl(name), "scarf")
    if kind == "npm":
        return PurlRef(npm_purl(name), "scarf")
    if kind == "docker":
        return PurlRef(docker_purl(docker_repository(owner, name, image_url)), "docker")
    return None


def purl_for_pypicloud_package(name: str) -> PurlRef:
    return PurlRef(pypi_purl(name), "pypicloud")


def purl_typed_by_user(text: str) -> PurlRef:
    """What ``:purl pkg:npm/foo@1.2.0`` opens; ValueError with one sentence if it is no purl."""
    return PurlRef(parse_purl(text), "manual")


__all__ = [
    "ORIGINS",
    "Purl",
    "PurlRef",
    "docker_purl",
    "docker_repository",
    "npm_purl",
    "parse_purl",
    "purl_for_pypicloud_package",
    "purl_for_scarf_package",
    "purl_typed_by_user",
    "pypi_purl",
]
