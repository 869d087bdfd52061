"""The in-memory dataset of the independent v2 server (tests/independent_v2/server.py).

Written from the API v2 OpenAPI document alone: every record has the fields
the spec's schemas require, with the spec's names. One organization, `fleet`, holds exactly
128 packages, some of whose names are hostile (markup, ANSI escapes, RTL and zero-width
characters, a very long name): the spec types every name as a plain string.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

TOKEN = "indie-8f3c2a91d7e4b6a0-secret"
USERNAME = "ada"
ORG = "fleet"
PACKAGE_COUNT = 128
STAMP = "2025-03-04T05:06:07Z"

# Names a TUI must show literally: each one is a valid spec `name` (any string).
HOSTILE_NAMES = [
    "[@click=app.quit]x[/]",
    "[bold red]not bold[/bold red]",
    "\x1b[31mansi-red\x1b[0m",
    "\u202eevil-rtl\u202c",
    "zero\u200bwidth",
    "全角パッケージ",
    "long-" + "n" * 200,
]
TYPES = ["docker", "file", "python", "npm", "hackage"]
CROWDED = "fleet-python-002"


def uid(*parts: object) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "indie/" + "/".join(map(str, parts))))


def package_record(owner: str, name: str, ptype: str, description: str = "") -> dict[str, Any]:
    pid = uid("pkg", owner, ptype, name)
    rec: dict[str, Any] = {
        "id": pid,
        "name": name,
        "owner": owner,
        "type": ptype,
        "short_description": description or f"{ptype} package {name}",
        "long_description": "",
        "website": "https://example.org/",
        "created_at": STAMP,
        "updated_at": STAMP,
    }
    if ptype == "docker":
        rec["repository_name"] = name
        rec["backend_registry"] = "docker.io"
    if ptype == "python":
        rec["repository_url"] = "https://pypi.org/simple/"
    return rec


@dataclass
class Store:
    """What the server holds; tests read it after each write."""

    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    orgs: dict[str, dict[str, Any]] = field(default_factory=dict)
    members: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    packages: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> Package
    permissions: dict[str, dict[str, str]] = field(default_factory=dict)  # package id -> username -> level
    routes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    domains: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    pixels: dict[str, dict[str, Any]] = field(default_factory=dict)
    collections: dict[str, dict[str, Any]] = field(default_factory=dict)

    def owned(self, owner: str) -> list[dict[str, Any]]:
        return sorted((p for p in self.packages.values() if p["owner"] == owner), key=lambda p: (p["name"], p["id"]))

    def owner_exists(self, owner: str) -> bool:
        return owner in self.users or owner in self.orgs

    def user_id(self, username: str) -> str:
        return self.users[username]["id"] if username in self.users else uid("user", username)


def fleet_names() -> list[tuple[str, str]]:
    names = [(n, TYPES[i % len(TYPES)]) for i, n in enumerate(HOSTILE_NAMES)]
    i = 0
    while len(names) < PACKAGE_COUNT:
        ptype = TYPES[i % len(TYPES)]
        names.append((f"fleet-{ptype}-{i:03d}", ptype))
        i += 1
    return names


def build_store() -> Store:
    s = Store()
    people = [USERNAME, "grace", "linus", "[b]mallory[/b]", "\u202eeve"]
    people += [f"crew{i:02d}" for i in range(30)]
    for name in people:
        s.users[name] = {
            "id": uid("user", name),
            "name": name,
            "type": "user",
            "created_at": STAMP,
            "updated_at": STAMP,
        }
    # Eleven organizations: one page of users/{username}/organizations is ten.
    org_names = [ORG] + [f"org-{i:02d}" for i in range(1, 11)]
    for name in org_names:
        s.orgs[name] = {
            "id": uid("org", name),
            "name": name,
            "description": "[link=https://evil.example]click me[/link]" if name == ORG else f"organization {name}",
            "billing_email": f"billing@{name}.example",
            "website": f"https://{name}.example/",
            "created_at": STAMP,
            "updated_at": STAMP,
        }
        s.members[name] = [{"user_id": s.user_id(USERNAME), "username": USERNAME, "role": "owner"}]
    for name in people[1:]:
        s.members[ORG].append({"user_id": s.user_id(name), "username": name, "role": "member"})
    s.members[ORG][1]["role"] = "admin"
    for name, ptype in fleet_names():
        rec = package_record(
            ORG, name, ptype, description="\x1b[2J[reverse]desc[/reverse]" if name in HOSTILE_NAMES else ""
        )
        s.packages[rec["id"]] = rec
    for name, ptype in [("ada-tool", "npm"), ("ada-files", "file")]:
        rec = package_record(USERNAME, name, ptype)
        s.packages[rec["id"]] = rec
    for pid, rec in s.packages.items():
        perms = {USERNAME: "owner"}
        if rec["owner"] == ORG:
            perms.update({"grace": "admin", "linus": "member", "[b]mallory[/b]": "member"})
        if rec["name"] == CROWDED:  # more grants than one page of the server holds
            perms.update({u: "member" for u in people if u.startswith("crew")})
        s.permissions[pid] = perms
        s.domains[pid] = [domain_record(rec, f"{abs(hash_name(rec['name'])) % 10_000}.{rec['owner']}.example")]
        s.routes[pid] = []
        if rec["type"] == "file":
            s.routes[pid] = [
                route_record(rec, "/dl/{version}/tool.tar.gz", "https://files.example/{version}/tool.tar.gz", 0),
                route_record(rec, "/[red]x[/red]/{+path}", "https://mirror.example/{+path}", 1),
            ]
    pkgs = s.owned(ORG)
    for i in range(12):
        pid = uid("pixel", ORG, i)
        pkg = pkgs[i]
        s.pixels[pid] = {
            "id": pid,
            "owner": ORG,
            "name": "[@click=app.quit]pixel[/]" if i == 0 else f"docs pixel {i:02d}",
            "package": {k: pkg[k] for k in ("id", "name", "owner", "type")},
            "created_at": STAMP,
            "updated_at": STAMP,
        }
    for i, pattern in enumerate(["fleet/*", "fleet-tools/*", "[b]literal[/b]/*"]):
        cid = uid("collection", ORG, i)
        s.collections[cid] = {
            "id": cid,
            "owner": ORG,
            "pattern": pattern,
            "public_domain": f"cr{i}.fleet.example",
            "backend_domain": "docker.io",
            "type": "docker",
            "created_at": STAMP,
            "updated_at": STAMP,
        }
    return s


def hash_name(name: str) -> int:
    return int(uuid.uuid5(uuid.NAMESPACE_URL, name).int % 1_000_003)


def domain_record(pkg: dict[str, Any], name: str) -> dict[str, Any]:
    did = uid("domain", pkg["id"], name)
    return {
        "id": did,
        "name": name,
        "owner": pkg["owner"],
        "package_id": pkg["id"],
        "created_at": STAMP,
        "_links": {"self": f"/v2/packages/{pkg['owner']}/{pkg['id']}/domains/{did}"},
    }


def route_record(pkg: dict[str, Any], incoming: str, outgoing: str, n: int | str) -> dict[str, Any]:
    rid = uid("route", pkg["id"], n)
    return {
        "id": rid,
        "incoming_path": incoming,
        "outgoing_url": outgoing,
        "owner": pkg["owner"],
        "package_id": pkg["id"],
        "created_at": STAMP,
        "_links": {"self": f"/v2/packages/{pkg['owner']}/{pkg['id']}/routes/{rid}"},
    }
