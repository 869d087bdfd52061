"""Routing, auth and parameters for the embedded pypicloud server.

Paths are matched segment by segment on the raw (still percent-encoded) path, each segment
decoded on its own, so a name holding "/" (sent as %2F) stays one name. A trailing slash is
optional everywhere. More literal segments win over parameters.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import parse_qsl, unquote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from scarf_tui.demo.pypicloud.store import PUser, PypicloudStore

ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"]
MAX_BODY = 8 * 1024 * 1024
REALM = {"WWW-Authenticate": 'Basic realm="pypicloud"'}


class Fail(Exception):
    def __init__(self, status: int, payload: dict, headers: dict | None = None) -> None:
        super().__init__(status)
        self.status, self.payload, self.headers = status, payload, headers


def fail(status: int, message: str, **extra: str) -> Fail:
    return Fail(status, {"error": message, **extra})


def not_found(resource: str) -> Fail:
    return Fail(404, {"resource": resource, "error": "not found"})


@dataclass
class Ctx:
    request: Request
    store: PypicloudStore
    user: PUser | None
    params: dict[str, str]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)

    def param(self, name: str) -> str:
        if name not in self.params:
            raise Fail(422, {"errors": {name: ["missing field"]}})
        return self.params[name]

    def flag(self, name: str) -> bool:
        value = self.param(name).strip().lower()
        if value not in ("true", "false", "1", "0", "yes", "no", "on", "off"):
            raise Fail(422, {"errors": {name: ["must be true or false"]}})
        return value in ("true", "1", "yes", "on")

    @property
    def me(self) -> PUser:
        if self.user is None:  # only routes registered with auth=False run without a user
            raise fail(401, "Authentication required.")
        return self.user


Handler = Callable[..., Awaitable[Response]]
ROUTES: list[tuple[str, tuple[str, ...], Handler, bool]] = []  # method, pattern, handler, needs auth


def route(method: str, pattern: str, *, auth: bool = True) -> Callable[[Handler], Handler]:
    parts = tuple(p for p in pattern.strip("/").split("/") if p)

    def register(handler: Handler) -> Handler:
        ROUTES.append((method, parts, handler, auth))
        return handler

    return register


def base_url(request: Request) -> str:
    """This app's own root URL, mount prefix included (no trailing slash)."""
    root = (request.scope.get("root_path") or "").rstrip("/")
    return f"{request.url.scheme}://{request.url.netloc}{root}"


def form_file(ctx: Ctx) -> tuple[str, bytes]:
    if "content" not in ctx.files:
        raise Fail(422, {"errors": {"content": ["missing file"]}})
    return ctx.files["content"]


def path_segments(request: Request) -> list[str]:
    raw = request.scope.get("raw_path") or request.scope["path"].encode("utf-8")
    text = raw.decode("latin-1").split("?", 1)[0]
    segments = [s for s in text.split("/") if s]
    root = [s for s in (request.scope.get("root_path") or "").split("/") if s]
    decoded = [unquote(s, errors="replace") for s in segments]
    if root and decoded[: len(root)] == root:
        decoded = decoded[len(root):]
    return decoded


def _match(segments: list[str], method: str) -> tuple[Handler, bool, dict[str, str]] | None | bool:
    """(handler, needs auth, params) of the best route; False when the path exists for other
    methods only; None when no route has this path."""
    best: tuple[int, Handler, bool, dict[str, str]] | None = None
    path_known = False
    for route_method, pattern, handler, auth in ROUTES:
        if len(pattern) != len(segments):
            continue
        params: dict[str, str] = {}
        literals = 0
        for want, got in zip(pattern, segments, strict=True):
            if want.startswith("{"):
                params[want[1:-1]] = got
            elif want == got:
                literals += 1
            else:
                break
        else:
            path_known = True
            if route_method == method and (best is None or literals > best[0]):
                best = (literals, handler, auth, params)
    if best is not None:
        return best[1], best[2], best[3]
    return False if path_known else None


def basic_user(request: Request, store: PypicloudStore) -> PUser | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, sep, password = decoded.partition(":")
    return store.authenticate(username, password) if sep else None


async def _params(request: Request) -> tuple[dict[str, str], dict[str, tuple[str, bytes]]]:
    params = dict(request.query_params)
    files: dict[str, tuple[str, bytes]] = {}
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise fail(413, "The request body is too large.")
    body = await request.body()
    if len(body) > MAX_BODY:
        raise fail(413, "The request body is too large.")
    kind = request.headers.get("content-type", "").lower()
    if not body.strip():
        return params, files
    if kind.startswith("application/json"):
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise fail(400, "There was a problem in the JSON you submitted.") from None
        if not isinstance(data, dict):
            raise fail(400, "The JSON body must be an object.")
        params.update({str(k): v if isinstance(v, str) else json.dumps(v) for k, v in data.items()})
    elif kind.startswith("multipart/form-data"):
        head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(head + body)
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if not isinstance(name, str):
                continue
            payload = part.get_payload(decode=True)
            content = payload if isinstance(payload, bytes) else b""
            filename = part.get_filename()
            if filename is not None:
                files[name] = (filename, content)
            else:
                params[name] = content.decode("utf-8", errors="replace")
    else:
        params.update(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))
    return params, files


async def dispatch(request: Request) -> Response:
    store: PypicloudStore = request.app.state.store
    method = "GET" if request.method == "HEAD" else request.method
    segments = path_segments(request)
    found = _match(segments, method)
    if found is None:
        return JSONResponse({"resource": "path", "error": "not found"}, status_code=404)
    if found is False:
        return JSONResponse({"error": "Method not allowed."}, status_code=405)
    assert not isinstance(found, bool)
    handler, needs_auth, path_params = found
    try:
        user = basic_user(request, store)
        if needs_auth and user is None:
            raise Fail(401, {"error": "Authentication required: send a valid user name and password."}, REALM)
        if segments and segments[0] == "admin" and user is not None and not user.admin:
            raise fail(403, "You must be an admin to do that.")
        params, files = await _params(request)
        return await handler(Ctx(request, store, user, params, files), **path_params)
    except Fail as problem:
        return JSONResponse(problem.payload, status_code=problem.status, headers=problem.headers)
