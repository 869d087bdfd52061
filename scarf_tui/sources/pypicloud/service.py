"""PypicloudService: the pypicloud HTTP API (as the pypicloud API reference describes it) as
models and one-sentence errors.

Paths go out in the reference's form, trailing slash included; names are one percent-encoded
path segment each. Parameters are form-encoded, as in the reference's curl examples. GET
answers are cached for the session; every write drops the cache, so the re-read after a write
comes from the server. The password lives only inside the httpx client's Basic auth.

Failures: 401 -> BadCredentials (sign in again); 403 on an /admin/ path -> NotAdmin (the view
goes read-only); other statuses as in scarf_tui.sources.errors, each starting "pypicloud: ".
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import httpx

from scarf_tui.api.errors import sanitize
from scarf_tui.api.http import TokenLike, reveal_token
from scarf_tui.config import Token
from scarf_tui.sources.errors import SourceError, SourceInvalidResponse, error_from_response, shape_error
from scarf_tui.sources.http import (
    DEFAULT_MAX_BODY,
    DEFAULT_TIMEOUT,
    ErrorMapper,
    ErrorWording,
    SourceClient,
    decode_json,
    seg,
)
from scarf_tui.sources.pypicloud import wire
from scarf_tui.sources.pypicloud.models import (
    Acl,
    BulkResult,
    FailedChange,
    GrantChange,
    GroupDetail,
    MembershipChange,
    PackageAccess,
    PackageGrant,
    PackageSummary,
    PackageVersions,
    User,
    UserDetail,
)

SOURCE = "pypicloud"
T = TypeVar("T")
MAX_ACL_GZ = 32 * 1024 * 1024
MAX_ACL_JSON = 256 * 1024 * 1024


def q(value: str) -> str:
    """A name quoted for a sentence."""
    return repr(sanitize(value, limit=80))


class PypicloudService:
    """Build it with ``make_pypicloud_service``."""

    def __init__(self, client: SourceClient, username: str | None) -> None:
        self._client = client
        self.username = username
        self._cache: dict[tuple[str, tuple[tuple[str, str], ...]], Any] = {}
        self._generation = 0

    def __repr__(self) -> str:
        return f"PypicloudService(base_url={self.base_url!r}, username={self.username!r}, password='***')"

    @property
    def base_url(self) -> str:
        return self._client.base_url

    async def __aenter__(self) -> PypicloudService:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    def invalidate(self) -> None:
        self._cache.clear()
        self._generation += 1

    # --- plumbing -----------------------------------------------------------------------------

    async def _get(
        self, path: str, parse: Callable[[Any], T], *, what: str, params: Mapping[str, str] | None = None
    ) -> T:
        key = (path, tuple(sorted((params or {}).items())))
        if key in self._cache:
            return self._cache[key]
        generation = self._generation
        wording = ErrorWording(what, admin=path.startswith("/admin/"))
        _, body = await self._client.request("GET", path, params=params, wording=wording)
        data = decode_json(SOURCE, "GET", path, body)
        try:
            result = parse(data)
        except wire.ShapeProblem as problem:
            raise shape_error(SOURCE, "GET", path, str(problem)) from None
        if generation == self._generation:
            self._cache[key] = result
        return result

    async def _write(self, method: str, path: str, *, what: str, data: Mapping[str, str] | None = None) -> None:
        """Send one write; the cache is dropped whether or not it succeeded (a failed write may
        still have changed something, and the screen re-reads either way)."""
        try:
            await self._client.request(method, path, data=data, wording=ErrorWording(what, path.startswith("/admin/")))
        finally:
            self.invalidate()

    # --- packages -----------------------------------------------------------------------------

    async def list_packages(self) -> list[PackageSummary]:
        """Every package with its stable/unstable version (``?verbose=true``)."""
        result = await self._get(
            "/api/package/", wire.package_summaries, what="the package list", params={"verbose": "true"}
        )
        return list(result)

    async def package_names(self) -> list[str]:
        return list(await self._get("/api/package/", wire.package_names, what="the package list"))

    async def package_versions(self, package: str) -> PackageVersions:
        return await self._get(
            f"/api/package/{seg(package)}/",
            lambda data: wire.package_versions(package, data),
            what=f"package {q(package)}",
        )

    async def delete_file(self, package: str, filename: str) -> None:
        await self._write("DELETE", f"/api/package/{seg(package)}/{seg(filename)}", what=f"file {q(filename)}")

    # --- users --------------------------------------------------------------------------------

    async def list_users(self) -> list[User]:
        return list(await self._get("/admin/user/", wire.users, what="the user list"))

    async def get_user(self, username: str) -> UserDetail:
        return await self._get(f"/admin/user/{seg(username)}/", wire.user_detail, what=f"user {q(username)}")

    async def user_permissions(self, username: str) -> list[PackageGrant]:
        return list(
            await self._get(
                f"/admin/user/{seg(username)}/permissions/", wire.package_grants, what=f"user {q(username)}"
            )
        )

    async def pending_users(self) -> list[str]:
        return list(
            await self._get("/admin/pending_users/", lambda d: wire.names(d, "user name"), what="pending users")
        )

    async def approve_user(self, username: str) -> None:
        await self._write("POST", f"/admin/user/{seg(username)}/approve/", what=f"user {q(username)}")

    async def set_admin(self, username: str, admin: bool) -> None:
        await self._write(
            "POST",
            f"/admin/user/{seg(username)}/admin/",
            what=f"user {q(username)}",
            data={"admin": "true" if admin else "false"},
        )

    async def create_user(self, username: str, password: TokenLike) -> None:
        """Create a user with a password (``PUT /admin/user/<username>/``)."""
        secret = reveal_token(password) or ""
        if secret:
            Token(secret)  # the new user's password is a secret too (registered for redaction)
        await self._write("PUT", f"/admin/user/{seg(username)}/", what=f"user {q(username)}", data={"password": secret})

    async def delete_user(self, username: str) -> None:
        await self._write("DELETE", f"/admin/user/{seg(username)}/", what=f"user {q(username)}")

    async def add_to_group(self, username: str, group: str) -> None:
        await self._write(
            "PUT", f"/admin/user/{seg(username)}/group/{seg(group)}/", what=f"user {q(username)} or group {q(group)}"
        )

    async def remove_from_group(self, username: str, group: str) -> None:
        await self._write(
            "DELETE", f"/admin/user/{seg(username)}/group/{seg(group)}/", what=f"user {q(username)} or group {q(group)}"
        )

    async def apply_memberships(self, changes: Sequence[MembershipChange]) -> BulkResult:
        """One request per change, in order; failures are collected, not raised."""

        async def one(change: MembershipChange) -> None:
            if change.add:
                await self.add_to_group(change.username, change.group)
            else:
                await self.remove_from_group(change.username, change.group)

        return await self._bulk(changes, one)

    async def set_registration(self, allow: bool) -> None:
        await self._write("POST", "/admin/register/", what="registration", data={"allow": "true" if allow else "false"})

    async def rebuild(self) -> None:
        """Flush the server's cache database and rebuild it from storage (``GET /admin/rebuild/``)."""
        try:
            await self._client.request("GET", "/admin/rebuild/", wording=ErrorWording("the cache rebuild", admin=True))
        finally:
            self.invalidate()

    # --- groups -------------------------------------------------------------------------------

    async def list_groups(self) -> list[str]:
        return list(await self._get("/admin/group/", lambda d: wire.names(d, "group name"), what="the group list"))

    async def get_group(self, group: str) -> GroupDetail:
        return await self._get(
            f"/admin/group/{seg(group)}/", lambda d: wire.group_detail(group, d), what=f"group {q(group)}"
        )

    async def create_group(self, group: str) -> None:
        await self._write("PUT", f"/admin/group/{seg(group)}/", what=f"group {q(group)}")

    async def delete_group(self, group: str) -> None:
        await self._write("DELETE", f"/admin/group/{seg(group)}/", what=f"group {q(group)}")

    # --- package access -----------------------------------------------------------------------

    async def package_access(self, package: str) -> PackageAccess:
        return await self._get(
            f"/admin/package/{seg(package)}/",
            lambda d: wire.package_access(package, d),
            what=f"package {q(package)}",
        )

    async def set_grant(self, change: GrantChange) -> None:
        """Grant or revoke one permission: exactly one PUT or DELETE."""
        path = (
            f"/admin/package/{seg(change.package)}/{change.kind.value}/{seg(change.name)}/{change.permission.value}/"
        )
        what = f"{change.kind.value} {q(change.name)} or package {q(change.package)}"
        await self._write("PUT" if change.grant else "DELETE", path, what=what)

    async def apply_grant_changes(self, changes: Sequence[GrantChange]) -> BulkResult:
        """One request per grant, in order. A failure does not stop the rest; the result lists
        what was applied and what failed (with its sentence), so only the failures stay marked."""
        return await self._bulk(changes, self.set_grant)

    async def _bulk(self, changes: Sequence[Any], one: Callable[[Any], Any]) -> BulkResult:
        applied: list[Any] = []
        failed: list[FailedChange] = []
        try:
            for change in changes:
                try:
                    await one(change)
                except SourceError as error:
                    failed.append(FailedChange(change, str(error)))
                else:
                    applied.append(change)
        finally:
            self.invalidate()
        return BulkResult(tuple(applied), tuple(failed))

    # --- ACL export -----------------------------------------------------------------------------

    async def download_acl(self) -> Acl:
        """``/admin/acl.json.gz``, unpacked and parsed (admins only)."""
        path = "/admin/acl.json.gz"
        _, body = await self._client.request(
            "GET", path, wording=ErrorWording("the access-control list", admin=True), max_bytes=MAX_ACL_GZ
        )
        text = gunzip_limited(body, MAX_ACL_JSON)
        data = decode_json(SOURCE, "GET", path, text)
        if not isinstance(data, dict):
            raise shape_error(SOURCE, "GET", path, "the access-control list is not a JSON object")
        return Acl(data)


def gunzip_limited(body: bytes, limit: int) -> bytes:
    """Unpack a gzip body, refusing more than ``limit`` bytes of output (a small file that
    unpacks to gigabytes must not fill the memory)."""
    source = SOURCE
    if not body.startswith(b"\x1f\x8b"):
        raise SourceInvalidResponse(f"{source}: the access-control list was not gzip-compressed.", source=source)
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, limit + 1)
    except zlib.error:
        damaged = f"{source}: the access-control list is a damaged gzip file."
        raise SourceInvalidResponse(damaged, source=source) from None
    if len(out) > limit:
        raise SourceInvalidResponse(
            f"{source}: the access-control list unpacks to more than {limit // (1024 * 1024)} MB; it was not read.",
            source=source,
        )
    if not inflater.eof:
        raise SourceInvalidResponse(f"{source}: the access-control list download was cut short.", source=source)
    return out


def _error_mapper(username: str | None, has_password: bool, secrets: Sequence[str]) -> ErrorMapper:
    who = q(username) if username else "this account"

    def mapper(status: int, headers: Mapping[str, str], body: bytes, method: str, wording: ErrorWording) -> SourceError:
        if has_password and username:
            unauthorized = f"the user name or password for {who} was rejected (401); sign in again"
        else:
            unauthorized = "this server needs a user name and password (401); sign in"
        not_admin = None
        forbidden = None
        if status == 403:
            if wording.admin:
                not_admin = f"{who} is not an admin, so this view is read-only (403)"
            elif method != "GET":
                forbidden = f"{who} may not change {wording.what} (403)"
        return error_from_response(
            SOURCE,
            status,
            headers,
            body,
            method=method,
            what=wording.what,
            secrets=secrets,
            unauthorized=unauthorized,
            forbidden=forbidden,
            not_admin=not_admin,
        )

    return mapper


def make_pypicloud_service(
    url: str,
    username: str | None,
    password: TokenLike,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_retries: int = 2,
    backoff: float = 0.5,
    concurrency: int = 4,
    max_body_bytes: int = DEFAULT_MAX_BODY,
) -> PypicloudService:
    """A PypicloudService for the server at ``url`` (its root, e.g. https://pypi.example.com).

    ``password`` is a str or config.Token. HTTP Basic auth is sent only with both a user name
    and a password. Raises SourceInsecureURL for plain http to a non-loopback host."""
    secret = reveal_token(password)
    if secret:
        Token(secret)  # registers the password with scarf_tui.redaction, like every secret in use
    auth = httpx.BasicAuth(username, secret) if username and secret else None
    secrets: list[str] = []
    if username and secret:
        secrets = [secret, base64.b64encode(f"{username}:{secret}".encode()).decode()]
    client = SourceClient(
        SOURCE,
        url,
        error_mapper=_error_mapper(username, bool(secret), secrets),
        auth=auth,
        secrets=secrets,
        secret_kind="password",
        transport=transport,
        timeout=timeout,
        max_retries=max_retries,
        backoff=backoff,
        concurrency=concurrency,
        max_body_bytes=max_body_bytes,
    )
    return PypicloudService(client, username)


def acl_json_bytes(acl: Acl) -> bytes:
    """The ACL as pretty, stable JSON (what ``export acl`` writes)."""
    return (json.dumps(acl.data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


__all__ = ["PypicloudService", "acl_json_bytes", "gunzip_limited", "make_pypicloud_service"]
