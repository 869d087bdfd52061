"""The API URL check: one parser (httpx's, the one the client connects with), one sentence per
problem, and the plain-http guard (only a literal loopback IP or exactly "localhost")."""

from __future__ import annotations

import ipaddress
import re

import httpx
import idna

from scarf_tui.api.errors import InsecureURL, sanitize
from scarf_tui.config import DEFAULT_API_URL


def is_loopback_host(host: str) -> bool:
    """A literal loopback IP (127.0.0.0/8, ::1) or exactly "localhost". Not "localhost." nor
    "*.localhost": a resolver may send those to DNS, and the answer could point anywhere."""
    host = host.lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_in_process(transport: httpx.AsyncBaseTransport | None) -> bool:
    """True for a transport that never touches the network (httpx.ASGITransport, a test's
    MockTransport): no byte of the request leaves the process."""
    return transport is not None and not isinstance(transport, httpx.AsyncHTTPTransport)


# One DNS label (ASCII form): letters, digits, "-" and "_", at most 63 characters.
_LABEL = re.compile(r"(?!-)[a-z0-9_-]{1,63}(?<!-)")


_IDNA_PROBLEM = "its host is not a valid international domain name"


def _url_problem(url: httpx.URL, host: str, text: str) -> str | None:
    """Why ``url`` (parsed by httpx, as it will be connected to) cannot be an API URL."""
    if url.userinfo:
        return "userinfo"
    if url.port is not None and not 1 <= url.port <= 65535:
        return f"its port {url.port} is not between 1 and 65535"
    if url.query or url.fragment or "?" in text or "#" in text:
        return "it has a query or fragment; give the API's base URL only"
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    ascii_host = url.raw_host.decode("ascii", "replace").lower()
    labels = ascii_host[:-1].split(".") if ascii_host.endswith(".") else ascii_host.split(".")
    if len(ascii_host) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        return f"its host {sanitize(host, limit=80)!r} is not a valid host name"
    for label in labels:
        if label.startswith("xn--"):
            try:
                idna.decode(label)
            except (idna.IDNAError, UnicodeError):
                return _IDNA_PROBLEM
    return None


def _parse_url(text: str, shown: str) -> tuple[httpx.URL, str]:
    """``text`` parsed by httpx's own parser (the one the client connects with), and its host;
    or InsecureURL."""
    if re.search(r"[\s\x00-\x1f\x7f]", text):
        raise InsecureURL(f"The API URL {shown!r} is not a valid URL: it contains a space or control character.")
    authority = text.split("://", 1)[-1].split("/", 1)[0]
    if "[" in authority and "]" not in authority:
        raise InsecureURL(f"The API URL {shown!r} is not a valid URL: its IPv6 address has no closing ']'.")
    try:
        parsed = httpx.URL(text)
        return parsed, parsed.host  # .host decodes an "xn--" name, and may fail doing so
    except httpx.InvalidURL as exc:
        reason = str(exc)
        if reason.startswith("Invalid port:"):
            port = sanitize(reason.partition(":")[2].strip().strip("'"), limit=20)
            raise InsecureURL(f"The API URL {shown!r} is not a valid URL: its port {port!r} is not a number.") from None
        raise InsecureURL(f"The API URL {shown!r} is not a valid URL ({sanitize(reason, limit=80)}).") from None
    except (ValueError, UnicodeError):  # idna's errors when the host is an invalid "xn--" name
        raise InsecureURL(f"The API URL {shown!r} is not a valid URL: {_IDNA_PROBLEM}.") from None


def check_base_url(url: str, *, transport: httpx.AsyncBaseTransport | None = None) -> str:
    """Return the base URL without a trailing slash, or raise InsecureURL with one sentence.

    The URL is parsed with httpx's parser, so the host checked is the host connected to. Plain
    http:// is allowed only to a literal loopback IP or exactly "localhost", or when an explicit
    non-network transport is given (the in-process demo: ``http://demo.invalid/api`` over
    httpx.ASGITransport), since then no byte leaves the process."""
    text = (url or "").strip()
    shown = sanitize(text, limit=80) or "(empty)"
    if not re.match(r"https?://[^/?#]", text, re.IGNORECASE):
        raise InsecureURL(f"The API URL {shown!r} is not an http(s) URL with a host, e.g. {DEFAULT_API_URL}.")
    parsed, host = _parse_url(text, shown)
    if not host:
        raise InsecureURL(f"The API URL {shown!r} is not an http(s) URL with a host, e.g. {DEFAULT_API_URL}.")
    problem = _url_problem(parsed, host, text)
    if problem == "userinfo":
        raise InsecureURL("The API URL must not contain a user name or password; use a token.")
    if problem:
        raise InsecureURL(f"The API URL {shown!r} is not a valid URL: {problem}.")
    if parsed.scheme == "http" and not (is_in_process(transport) or is_loopback_host(host)):
        raise InsecureURL(
            f"Refusing to send the API token over plain http:// to {sanitize(host, limit=80)}; "
            "use https:// (plain http is allowed only for localhost)."
        )
    return text.rstrip("/")
