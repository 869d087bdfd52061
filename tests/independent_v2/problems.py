"""Error answers of the independent v2 server (a Problem becomes the spec's `{code, message}`
body, or an empty body when it has no code), and the request checks that raise them."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from .data import Store


class Problem(Exception):
    def __init__(self, status: int, code: str | None = None, message: str = "") -> None:
        self.status, self.code, self.message = status, code, message


def err(status: int, code: str | None = None, message: str = "") -> Problem:
    return Problem(status, code, message or (code or ""))


async def body(request: Request) -> dict[str, Any]:
    try:
        data = await request.json()
    except ValueError:
        raise err(422, "invalid-body", "The body is not JSON.") from None
    if not isinstance(data, dict):
        raise err(422, "invalid-body", "The body is not an object.")
    return data


def owner_or_404(store: Store, owner: str) -> None:
    if not store.owner_exists(owner):
        raise err(404)


def package_or_404(store: Store, owner: str, pid: str) -> dict[str, Any]:
    pkg = store.packages.get(pid)
    if pkg is None or pkg["owner"] != owner:
        raise err(404)
    return pkg
