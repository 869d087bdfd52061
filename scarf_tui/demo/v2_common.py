"""Plumbing of the embedded server's Scarf API v2: error bodies, cursor pages, the v2 shapes of
the store's (v1-shaped) records, and the access questions v2 asks.

Error bodies follow the Scarf API v2 OpenAPI spec: ``{"code", "message"}`` where the spec lists
a code, ``{"message"}`` where it lists only the Error schema, and no body at all for most
403/404 answers (as the live service does).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from datetime import date
from urllib.parse import quote, unquote, urlencode, urlsplit

from starlette.requests import Request

from scarf_tui.demo import data
from scarf_tui.demo.common import ApiError, faults_of, store_of
from scarf_tui.demo.data_v2 import PIXEL_CREATED_AT
from scarf_tui.demo.store import DemoStore, DemoUser, Pixel
from scarf_tui.domain import MAX_EVENT_WINDOW_DAYS

V2_TYPES = ("docker", "file", "python", "npm", "hackage")
V2_LEVELS = ("member", "admin", "owner")
LEVEL_RANK_V2 = {"member": 1, "admin": 2, "owner": 3}
DEFAULT_PER_PAGE = 10  # small on purpose: a client that forgets `next` visibly misses rows
MAX_PER_PAGE = 100
RESERVED = ("overview", "aggregates", "events")  # words under /v2/packages/{owner}/ that are not ids


def coded(status: int, code: str, message: str) -> ApiError:
    return ApiError(status, {"code": code, "message": message})


def message(status: int, text: str) -> ApiError:
    return ApiError(status, {"message": text})


def empty(status: int) -> ApiError:
    """403/404 without a body, as the live service answers most of them."""
    return ApiError(status, None)


def seg(value: str) -> str:
    return quote(value, safe="")


def path_segments(request: Request, prefix: str) -> list[str]:
    """The percent-decoded segments of the request path after ``prefix``, split on the raw
    path so that an encoded '/' inside a name stays inside its segment."""
    raw = request.scope.get("raw_path")
    text = raw.decode("latin-1") if isinstance(raw, bytes) else quote(request.url.path)
    text = text.split("?", 1)[0]
    rest = text[len(prefix):] if text.startswith(prefix) else text
    return [unquote(s) for s in rest.strip("/").split("/")] if rest.strip("/") else []


# --- cursor pages ----------------------------------------------------------------------------------


def per_page_of(request: Request) -> int:
    text = request.query_params.get("per_page")
    if text is None:
        return DEFAULT_PER_PAGE
    if not text.isdigit() or int(text) < 1:
        raise message(400, "per_page must be a positive whole number.")
    return min(int(text), MAX_PER_PAGE)


def paginate(
    request: Request, items: Sequence[dict], key: Callable[[dict], str], *, keys: Sequence[str] | None = None
) -> dict:
    """One cursor page of ``items`` (ordered by ``key``): ``after`` is the key of the last item
    the client has; ``_links.next`` is root-relative (absolute, or on another host, when the
    faults say so) and carries ``per_page`` only when the client sent it. ``keys``: ``items``
    are already ordered and these are their keys (a big list's page is then found by bisection)."""
    per_page = per_page_of(request)
    after = request.query_params.get("after")
    if keys is not None:
        rest: Sequence[dict] = items[bisect.bisect_right(keys, after) if after is not None else 0 :]
    else:
        ordered = sorted(items, key=key)
        rest = [item for item in ordered if after is None or key(item) > after]
    page = list(rest[:per_page])
    links: dict[str, str] = {"self": str(request.url.path)}
    if len(rest) > per_page:
        query = [(k, v) for k, v in request.query_params.multi_items() if k not in ("after",)]
        query.append(("after", key(page[-1])))
        link = request.url.path + "?" + urlencode(query)
        faults = faults_of(request)
        if faults.foreign_next:
            link = "https://elsewhere.example" + link
        elif faults.absolute_next:
            parts = urlsplit(str(request.url))
            link = f"{parts.scheme}://{parts.netloc}{link}"
        links["next"] = link
    return {"results": page, "_links": links}


def bare_page(request: Request, items: Sequence[dict], cursor: str) -> list[dict]:
    """A bare-array list the spec pages with ``after``/``per_page`` (a package's permissions,
    routes and tracking pixels): the items after the one whose ``cursor`` field is ``after``, in
    the store's order, at most ``per_page`` of them (10 by default, like every demo list). No
    links: the spec gives these answers none, so a client learns the end from an empty page."""
    after = request.query_params.get("after")
    start = 0
    if after is not None:
        keys = [str(item.get(cursor)) for item in items]
        if after not in keys:
            raise message(400, f"after {after!r} is not in this list.")
        start = keys.index(after) + 1
    return list(items[start : start + per_page_of(request)])


# --- dates of exports ------------------------------------------------------------------------------


def v2_date(request: Request, key: str) -> date:
    text = (request.query_params.get(key) or "").strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise message(400, f"{key} is required, as YYYY-MM-DD.")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise message(400, f"{key} {text!r} is not a date.") from None


def v2_range(request: Request, *, max_days: int | None) -> tuple[date, date]:
    start, end = v2_date(request, "start_date"), v2_date(request, "end_date")
    if end <= start:
        raise message(400, "end_date must be after start_date (end_date is exclusive).")
    if max_days is not None and (end - start).days > max_days:
        raise coded(400, "range-too-long", f"The range covers {(end - start).days} days; at most {max_days}.")
    return start, end


EVENTS_MAX_DAYS = MAX_EVENT_WINDOW_DAYS


def require_pro(user: DemoUser) -> None:
    if not user.export_access:
        raise coded(403, "not-a-pro-member", "Exporting needs a paid plan.")


# --- owners and access -------------------------------------------------------------------------------


def owner_exists(store: DemoStore, owner: str) -> bool:
    return owner in store.orgs or owner in store.users


def level_v2(store: DemoStore, pkg: dict, username: str) -> str | None:
    """The v2 level of ``username`` on a package: owner (the personal owner, or an owner of the
    owning organization), admin, member (v1 member or default), or None (no access)."""
    owner = pkg["owner"]
    if owner == username or store.org_role(owner, username) == "owner":
        return "owner"
    access = store.package_access(pkg["uuid"], username)
    if access == "admin":
        return "admin"
    return "member" if access in ("member", "default") else None


def v2_package(store: DemoStore, owner: str, ident: str, user: DemoUser, *, write: bool = False) -> dict:
    """A package of ``owner`` by id that the user may see (404 without a body otherwise; 403
    without a body for a write without admin)."""
    pkg = store.packages.get(ident)
    if pkg is None or pkg["owner"] != owner or pkg.get("libraryType") not in V2_TYPES:
        raise empty(404)
    level = level_v2(store, pkg, user.username)
    if level is None:
        raise empty(404)
    if write and level not in ("admin", "owner"):
        raise empty(403)
    return pkg


def can_manage_owner(store: DemoStore, owner: str, username: str) -> bool:
    return owner == username or store.org_role(owner, username) in ("admin", "owner")


def can_see_owner(store: DemoStore, owner: str, username: str) -> bool:
    return owner == username or store.org_role(owner, username) is not None


# --- the v2 shapes of the store's records ---------------------------------------------------------------


def _host_and_path(url: str) -> tuple[str, str]:
    parts = urlsplit(url if "://" in url else f"https://{url}")
    return parts.netloc, parts.path.strip("/")


def package_v2(store: DemoStore, pkg: dict) -> dict:
    uuid, owner, kind = pkg["uuid"], pkg["owner"], pkg.get("libraryType")
    body: dict = {
        "id": uuid, "name": pkg["name"], "owner": owner, "type": kind,
        "short_description": pkg.get("shortDescription") or "",
        "created_at": pkg["createdAt"], "updated_at": pkg.get("updatedAt") or pkg["createdAt"],
        "_links": {"self": f"/v2/packages/{seg(owner)}/{uuid}", "domains": f"/v2/packages/{seg(owner)}/{uuid}/domains"},
    }
    for wire, key in (("long_description", "longDescription"), ("website", "website")):
        if pkg.get(key) is not None:
            body[wire] = pkg[key]
    settings = store.package_settings.get(uuid, {})
    if kind == "docker":
        registry, path = _host_and_path(settings.get("backendUrl") or f"https://docker.io/{pkg['name']}")
        body["backend_registry"] = registry
        body["repository_name"] = path or pkg["name"]
    elif kind == "python":
        body["repository_url"] = settings.get("repositoryURL") or "https://pypi.org/simple/"
    return body


def package_ref(pkg: dict) -> dict:
    return {"id": pkg["uuid"], "name": pkg["name"], "owner": pkg["owner"], "type": pkg.get("libraryType")}


def domain_v2(pkg: dict, domain: dict) -> dict:
    return {
        "id": domain["id"], "name": domain["name"], "owner": pkg["owner"], "package_id": pkg["uuid"],
        "created_at": pkg["createdAt"],
        "_links": {"self": f"/v2/packages/{seg(pkg['owner'])}/{pkg['uuid']}/domains/{domain['id']}"},
    }


def route_v2(pkg: dict, route: dict) -> dict:
    return {
        "id": route["id"], "incoming_path": route["templatePath"], "outgoing_url": route["outgoingUrl"],
        "owner": pkg["owner"], "package_id": pkg["uuid"], "created_at": pkg["createdAt"],
        "_links": {"self": f"/v2/packages/{seg(pkg['owner'])}/{pkg['uuid']}/routes/{route['id']}"},
    }


def pixel_package_ref(store: DemoStore, px: Pixel) -> dict | None:
    """The PackageIdentifier of a pixel's package, or None: no package, or one of a type v2
    lacks (pypi, other), which v2 does not serve, so its pixels show no package there."""
    pkg = store.packages.get(px.package) if px.package else None
    return package_ref(pkg) if pkg is not None and pkg.get("libraryType") in V2_TYPES else None


def pixel_v2(store: DemoStore, px: Pixel) -> dict:
    body: dict = {"id": px.id, "owner": px.owner, "name": px.name,
                  "created_at": PIXEL_CREATED_AT, "updated_at": PIXEL_CREATED_AT}
    if (ref := pixel_package_ref(store, px)) is not None:
        body["package"] = ref
    return body


def user_v2(store: DemoStore, name: str) -> dict | None:
    if name in store.orgs:
        org = store.orgs[name]
        return {"id": data.stable_uuid("org", name), "name": name, "type": "organization",
                "created_at": org["createdAt"], "updated_at": org["updatedAt"]}
    if name in store.users:
        return {"id": data.stable_uuid("user", name), "name": name, "type": "user",
                "created_at": "2023-01-01T00:00:00Z", "updated_at": "2023-01-01T00:00:00Z"}
    return None


def org_v2(org: dict) -> dict:
    """The v2 Organization; no website is "" (the spec's website is a string, never null)."""
    return {
        "id": data.stable_uuid("org", org["name"]), "name": org["name"], "description": org.get("description") or "",
        "billing_email": org.get("billingEmail") or "", "website": org.get("website") or "",
        "created_at": org["createdAt"], "updated_at": org["updatedAt"],
    }


def member_v2(store: DemoStore, username: str, role: str) -> dict:
    return {"user_id": data.stable_uuid("user", username), "username": username, "role": role}


def the_store(request: Request) -> DemoStore:
    return store_of(request)


def owner_list(store: DemoStore, owner: str, user: DemoUser, request: Request) -> list[dict]:
    """The owner's v2 packages this user can see, filtered by ?type= and ?permission=."""
    if not owner_exists(store, owner):
        raise empty(404)
    types = request.query_params.getlist("type")
    wanted = request.query_params.get("permission")
    if wanted is not None and wanted not in V2_LEVELS:
        raise message(400, "permission must be member, admin or owner.")
    out = []
    for pkg in store.packages.values():
        if pkg["owner"] != owner or pkg.get("libraryType") not in V2_TYPES:
            continue
        level = level_v2(store, pkg, user.username)
        if level is None or (types and pkg.get("libraryType") not in types):
            continue
        if wanted is not None and LEVEL_RANK_V2[level] < LEVEL_RANK_V2[wanted]:
            continue
        out.append(pkg)
    return out


BIG_STORE = 1000  # packages; from here on an owner's ordered list is memoized between pages


def ordered_owner_list(store: DemoStore, owner: str, user: DemoUser, request: Request) -> tuple[list[dict], list[str]]:
    """``owner_list`` in cursor order with its keys; memoized in a big store (`--demo-scale`)
    until the next write, so reading 20,000 packages page by page stays linear."""
    memo_key = ("owner_list", owner, user.username, tuple(request.query_params.getlist("type")),
                request.query_params.get("permission"))
    hit = store.memo.get(memo_key)
    if hit is not None and hit[0] == store.generation:
        return hit[1], hit[2]
    ordered = sorted(owner_list(store, owner, user, request), key=cursor_key)
    keys = [cursor_key(p) for p in ordered]
    if len(store.packages) >= BIG_STORE:
        store.memo[memo_key] = (store.generation, ordered, keys)
    return ordered, keys


def cursor_key(pkg: dict) -> str:
    return f"{pkg['name']}\t{pkg.get('libraryType')}\t{pkg['uuid']}"
