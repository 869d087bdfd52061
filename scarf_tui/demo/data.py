"""The deterministic demo dataset: users, organizations, members, packages, permissions,
routes, domains and pixels, plus the hash helpers every generator in this package uses.

Nothing here depends on the clock or on global random state: uuids are uuid5 of stable keys,
timestamps are fixed strings, and "random" choices come from blake2b of a key.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from dataclasses import dataclass, field

from scarf_tui.demo import DEMO_TOKEN, DEMO_USER, NOEXPORT_TOKEN, NOEXPORT_USER

DEMO_NAMESPACE = uuid.UUID("5ca4f000-7e57-4d3a-9b1e-000000000001")


# --- deterministic hashing ---------------------------------------------------------------------


def h64(*parts: object) -> int:
    """A stable 64-bit hash of the parts (independent of PYTHONHASHSEED)."""
    key = "\x1f".join(str(p) for p in parts).encode()
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big")


def unit(*parts: object) -> float:
    """A stable float in [0, 1) derived from the parts."""
    return h64(*parts) / 2**64


def rng(*parts: object) -> random.Random:
    """A private Random seeded from the parts (never the module-level generator)."""
    return random.Random(h64(*parts))


def stable_uuid(*parts: object) -> str:
    return str(uuid.uuid5(DEMO_NAMESPACE, "/".join(str(p) for p in parts)))


# --- specs ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UserSpec:
    username: str
    email: str
    token: str | None
    export_access: bool = True


@dataclass(frozen=True, slots=True)
class OrgSpec:
    name: str
    description: str
    billing_email: str
    created_at: str
    updated_at: str
    website: str | None = None


@dataclass(frozen=True, slots=True)
class PackageSpec:
    owner: str
    name: str
    library_type: str | None
    short_description: str
    created_at: str
    long_description: str | None = None
    website: str | None = None
    # When True the optional keys are absent from the wire dict (rather than null), so clients
    # meet both shapes the seed allows.
    omit_optional: bool = False
    popularity: float | None = None  # typical downloads per day; None -> derived from the uuid
    launch_days_ago: int | None = None  # data starts this many days before "today"; None -> 400
    settings: dict[str, str] = field(default_factory=dict)  # backendUrl/publicUrl/repositoryURL

    @property
    def key(self) -> str:
        return f"{self.owner}/{self.name}/{self.library_type or 'none'}"

    @property
    def uuid(self) -> str:
        return stable_uuid("package", self.key)


USERS: tuple[UserSpec, ...] = (
    UserSpec(DEMO_USER, "maintainer@example.com", DEMO_TOKEN, True),
    UserSpec(NOEXPORT_USER, "visitor@example.com", NOEXPORT_TOKEN, False),
    UserSpec("grace", "grace@example.com", "grace-token"),
    UserSpec("alan", "alan@example.com", "alan-token"),
    UserSpec("ada", "ada@example.org", "ada-token"),
    UserSpec("linus", "linus@example.net", "linus-token"),
    UserSpec("margaret", "margaret@example.com", "margaret-token"),
    UserSpec("ken", "ken@example.com", "ken-token", False),
    UserSpec("barbara", "barbara@example.org", "barbara-token"),
    UserSpec("dennis", "dennis@example.net", "dennis-token"),
    UserSpec("edsger", "edsger@example.com", "edsger-token"),
)

ORGS: tuple[OrgSpec, ...] = (
    OrgSpec(
        "acme",
        "Acme builds command-line widgets, SDKs and the installers that ship them.",
        "billing@acme.example",
        "2023-02-14T09:30:00Z",
        "2025-06-01T16:45:10Z",
        "https://acme.example",
    ),
    OrgSpec(
        "openlab",
        "An open research lab publishing notebooks, datasets and the tools around them.",
        "finance@openlab.example",
        "2023-05-02T11:00:00Z",
        "2025-09-12T08:20:00Z",
        "https://openlab.example",
    ),
    OrgSpec(
        "tinytools",
        "Small, sharp utilities.",
        "tinytools@example.com",
        "2024-01-20T18:05:00Z",
        "2024-01-20T18:05:00Z",
    ),
    OrgSpec(
        "hidden-labs",
        "An organization the demo maintainer is not a member of.",
        "ops@hidden-labs.example",
        "2023-11-30T07:00:00Z",
        "2025-02-28T13:13:13Z",
        "https://hidden-labs.example",
    ),
)

# org -> username -> role. The maintainer is owner of acme, admin of openlab, member of tinytools.
MEMBERS: dict[str, dict[str, str]] = {
    "acme": {DEMO_USER: "owner", "grace": "admin", "alan": "member", "ken": "member"},
    "openlab": {"ada": "owner", DEMO_USER: "admin", "margaret": "admin", "linus": "member", NOEXPORT_USER: "member"},
    "tinytools": {"dennis": "owner", "barbara": "admin", DEMO_USER: "member", "edsger": "member"},
    "hidden-labs": {"barbara": "owner", "edsger": "member"},
}

LONG_WIDGET = (
    "widget-cli scaffolds, lints and publishes widgets.\n\n"
    "It ships a project generator, a plugin system with lazy loading, a fast incremental "
    "builder and a release command that signs artifacts. Configuration lives in widget.toml; "
    "every option can be overridden from the environment. See the website for the full manual, "
    "migration guides from 1.x and the changelog."
)

PACKAGES: tuple[PackageSpec, ...] = (
    # --- acme (maintainer is owner) ---
    PackageSpec("acme", "widget-cli", "npm", "Scaffold, lint and publish widgets", "2023-02-20T10:00:00Z",
                LONG_WIDGET, "https://widget.acme.example", popularity=2400),
    PackageSpec("acme", "widget", "docker", "The widget server image", "2023-03-01T08:15:00Z",
                "Multi-arch image of the widget server.", "https://hub.acme.example/widget",
                popularity=5200, settings={"backendUrl": "https://ghcr.io/acme/widget",
                                           "publicUrl": "https://docker.acme.example/acme/widget"}),
    PackageSpec("acme", "acme-sdk", "pypi", "Python SDK for the Acme API", "2023-04-11T12:00:00Z",
                None, "https://pypi.org/project/acme-sdk/", popularity=900),
    PackageSpec("acme", "acme-downloads", "file", "Release binaries of the widget toolchain",
                "2023-06-05T09:00:00Z", "Tarballs and zips for every platform, served through Scarf.",
                "https://acme.example/downloads", popularity=650),
    PackageSpec("acme", "acme-py", "python", "Acme's private Python index", "2023-07-19T15:30:00Z",
                settings={"repositoryURL": "https://pypi.org/simple/"}, popularity=300),
    PackageSpec("acme", "rocket-hs", "hackage", "Rocket-powered Haskell bindings", "2023-08-08T08:08:08Z",
                omit_optional=True, popularity=45),
    PackageSpec("acme", "acme-docs", "other", "Documentation site assets", "2023-09-01T00:00:00Z",
                None, "https://docs.acme.example", popularity=120),
    PackageSpec("acme", "anvil-server", "docker", "Anvil: heavy-duty job runner", "2024-01-15T10:10:00Z",
                "Runs anvils. Drops them on schedule.", None, popularity=800,
                settings={"backendUrl": "https://registry-1.docker.io/acme/anvil-server"}),
    PackageSpec("acme", "acme-installer", "file", "One-line installer script", "2024-05-05T05:05:05Z",
                popularity=210),
    PackageSpec("acme", "roadrunner", "npm", "Fast HTTP router", "2025-08-01T09:00:00Z",
                "A router that never gets caught.", "https://roadrunner.acme.example",
                popularity=160, launch_days_ago=110),
    PackageSpec("acme", "@acme/ui-kit", "npm", "Scoped npm package: widgets for the web", "2024-10-01T10:00:00Z",
                "A scoped name with a slash; clients must percent-encode it in URLs.", None, popularity=340),
    # --- openlab (maintainer is admin) ---
    PackageSpec("openlab", "labkit", "pypi", "Lab utilities for reproducible research", "2023-05-10T10:00:00Z",
                "labkit bundles experiment tracking, dataset loaders and plotting helpers.",
                "https://labkit.openlab.example", popularity=1300),
    PackageSpec("openlab", "labkit", "docker", "labkit in a container with Jupyter", "2023-06-10T10:00:00Z",
                None, "https://labkit.openlab.example/docker", popularity=700,
                settings={"backendUrl": "https://ghcr.io/openlab/labkit",
                          "publicUrl": "https://containers.openlab.example/openlab/labkit"}),
    PackageSpec("openlab", "open-notebook", "npm", "Notebook front-end components", "2023-07-01T10:00:00Z",
                popularity=420),
    PackageSpec("openlab", "datasets", "file", "Open datasets mirror", "2023-08-20T10:00:00Z",
                "Large CSV and Parquet files mirrored for the community.", "https://data.openlab.example",
                popularity=350),
    PackageSpec("openlab", "lab-index", "python", "Simple index for lab wheels", "2024-02-02T10:00:00Z",
                settings={"repositoryURL": "https://wheels.openlab.example/simple/"}, popularity=90),
    PackageSpec("openlab", "opencompute", "hackage", "Distributed compute primitives", "2024-03-03T10:00:00Z",
                omit_optional=True, popularity=30),
    PackageSpec("openlab", "openlab-assets", "other", "Logos and brand assets", "2024-04-04T10:00:00Z",
                popularity=25),
    PackageSpec("openlab", "lab-runner", "docker", "CI runner image for lab pipelines", "2024-06-06T10:00:00Z",
                None, "https://openlab.example/runner", popularity=1100,
                settings={"backendUrl": "https://ghcr.io/openlab/lab-runner"}),
    # --- tinytools (maintainer is member) ---
    PackageSpec("tinytools", "tiny-json", "npm", "A 1kB JSON helper", "2024-01-21T10:00:00Z",
                popularity=3100),
    PackageSpec("tinytools", "tinyhttp", "hackage", "Minimal HTTP client", "2024-01-22T10:00:00Z",
                popularity=15, omit_optional=True),
    PackageSpec("tinytools", "tiny-img", "docker", "Distroless base image", "2024-02-01T10:00:00Z",
                "A very small base image.", None, popularity=450,
                settings={"backendUrl": "https://quay.io/tinytools/tiny-img"}),
    PackageSpec("tinytools", "tinyfmt", "pypi", "Tiny formatter", "2024-03-01T10:00:00Z",
                None, "https://tinyfmt.example", popularity=260),
    PackageSpec("tinytools", "tiny-releases", "file", "Release artifacts of all tiny tools",
                "2024-03-15T10:00:00Z", popularity=140),
    PackageSpec("tinytools", "tinylog", "other", "Structured logging spec", "2024-04-01T10:00:00Z",
                popularity=8, launch_days_ago=60),
    # --- hidden-labs (maintainer is not a member) ---
    PackageSpec("hidden-labs", "secret-sauce", "docker", "Shared with a few outside collaborators",
                "2024-05-01T10:00:00Z", popularity=75,
                settings={"backendUrl": "https://ghcr.io/hidden-labs/secret-sauce"}),
    PackageSpec("hidden-labs", "nightshade", "npm", "Not visible to the demo maintainer",
                "2024-05-02T10:00:00Z", popularity=55),
    # --- personal packages of the maintainer ---
    PackageSpec(DEMO_USER, "widget", "pypi", "Python bindings for widget (same name as acme's image)",
                "2023-10-10T10:00:00Z", None, "https://pypi.org/project/widget/", popularity=230),
    PackageSpec(DEMO_USER, "dotfiles", "other", "My dotfiles installer", "2023-11-11T11:11:11Z",
                omit_optional=True, popularity=12),
    PackageSpec(DEMO_USER, "maintainer-tools", "npm", "Release helpers I use everywhere",
                "2024-02-29T12:00:00Z", "Changelog, version bump and tag helpers.", None, popularity=95),
    PackageSpec(DEMO_USER, "mirror", "python", "Personal PyPI mirror", "2024-07-07T07:07:07Z",
                settings={"repositoryURL": "https://pypi.org/simple/"}, popularity=40),
    PackageSpec(DEMO_USER, "blog-assets", "file", "Images and slides from my blog",
                "2024-08-08T08:08:08Z", None, "https://maintainer.example/blog", popularity=60),
    PackageSpec(DEMO_USER, "hs-utils", "hackage", "Assorted Haskell utilities", "2024-09-09T09:09:09Z",
                popularity=20),
    PackageSpec(DEMO_USER, "legacy-thing", None, "Created before package types existed",
                "2022-12-31T23:59:59Z", popularity=5),
    # --- other users' personal packages ---
    PackageSpec(NOEXPORT_USER, "visitor-notes", "other", "The visitor's own notes", "2025-01-01T10:00:00Z",
                popularity=3),
    PackageSpec("grace", "grace-lib", "pypi", "Grace's numerical library", "2023-12-09T10:00:00Z",
                "Compilers for numbers.", "https://grace.example/lib", popularity=180),
)

PACKAGE_BY_KEY: dict[str, PackageSpec] = {p.key: p for p in PACKAGES}

# package key -> username -> level. Explicit grants; org members derive access from their role.
PERMISSIONS: dict[str, dict[str, str]] = {
    "acme/widget-cli/npm": {"linus": "admin", "margaret": "member", NOEXPORT_USER: "default", "dennis": "blocked"},
    "acme/widget/docker": {"ada": "member", "edsger": "default"},
    "acme/acme-downloads/file": {"barbara": "admin", "ken": "blocked"},
    "openlab/labkit/pypi": {"grace": "member", "alan": "default"},
    "openlab/datasets/file": {"edsger": "admin", "dennis": "blocked"},
    "tinytools/tiny-json/npm": {DEMO_USER: "admin", "ada": "member"},
    "tinytools/tiny-releases/file": {"grace": "default"},
    "hidden-labs/secret-sauce/docker": {DEMO_USER: "default", "linus": "member"},
    f"{DEMO_USER}/widget/pypi": {"grace": "admin", NOEXPORT_USER: "member", "ken": "default", "alan": "blocked"},
    f"{DEMO_USER}/blog-assets/file": {"margaret": "member"},
    "grace/grace-lib/pypi": {DEMO_USER: "member"},
}

# package key -> [(templatePath, outgoingUrl)]
ROUTES: dict[str, list[tuple[str, str]]] = {
    "acme/acme-downloads/file": [
        ("/project/{platform}/{version}/file.tar.gz", "https://example.com/downloads/{platform}/project-{version}.tar.gz"),
        ("/widget/{version}/widget-{platform}.zip", "https://github.com/acme/widget/releases/download/v{version}/widget-{platform}.zip"),
        ("/mirror/{+path}", "https://mirror.acme.example/{+path}"),
    ],
    "acme/acme-installer/file": [
        ("/install.sh", "https://raw.githubusercontent.com/acme/installer/main/install.sh"),
        ("/install/{version}.sh", "https://raw.githubusercontent.com/acme/installer/v{version}/install.sh"),
    ],
    "openlab/datasets/file": [
        ("/data/{+path}", "https://storage.openlab.example/public/{+path}"),
        ("/snapshots/{version}/{platform}.parquet", "https://storage.openlab.example/snapshots/{version}/{platform}.parquet"),
    ],
    "tinytools/tiny-releases/file": [
        ("/{version}/tiny-{platform}", "https://github.com/tinytools/releases/download/{version}/tiny-{platform}"),
    ],
    f"{DEMO_USER}/blog-assets/file": [
        ("/img/{+path}", "https://maintainer.example/static/{+path}"),
    ],
}

# package key -> domain names (file and python packages only)
DOMAINS: dict[str, list[str]] = {
    "acme/acme-downloads/file": ["downloads.acme.example", "get.acme.example"],
    "acme/acme-installer/file": ["install.acme.example"],
    "acme/acme-py/python": ["py.acme.example"],
    "openlab/datasets/file": ["data.openlab.example"],
    "openlab/lab-index/python": ["wheels.openlab.example"],
    "tinytools/tiny-releases/file": ["releases.tinytools.example"],
    f"{DEMO_USER}/mirror/python": ["pypi.maintainer.example"],
}


@dataclass(frozen=True, slots=True)
class PixelSpec:
    owner: str
    name: str
    package_key: str | None  # the package whose events include this pixel's fetches
    docs_url: str

    @property
    def id(self) -> str:
        return stable_uuid("pixel", self.owner, self.name)


PIXELS: tuple[PixelSpec, ...] = (
    PixelSpec("acme", "widget-docs", "acme/widget-cli/npm", "https://docs.acme.example/widget"),
    PixelSpec("acme", "acme-readme", None, "https://github.com/acme/widget"),
    PixelSpec("openlab", "labkit-docs", "openlab/labkit/pypi", "https://labkit.openlab.example/docs"),
    PixelSpec(DEMO_USER, "blog", f"{DEMO_USER}/blog-assets/file", "https://maintainer.example/blog"),
    PixelSpec("hidden-labs", "hidden-pixel", None, "https://hidden-labs.example"),
)


# --- hostile extras (build_demo_store(hostile=True)) ----------------------------------------------
# Text a client must show literally: markup, ANSI escapes, control characters, wide and RTL text.
# Names that travel in URL path segments avoid "/" so every endpoint stays reachable.

HOSTILE_MARKUP = "[@click=app.quit]x[/]"
HOSTILE_BOLD = "[bold red]boom[/]"
HOSTILE_ANSI = "\x1b[31mred\x1b[0m"
HOSTILE_CONTROL = "bell\x07back\x08nul\x00cr\rtab\tdel\x7f"
HOSTILE_WIDE = "漢字"
HOSTILE_RTL = "שלום"

HOSTILE_ORG = OrgSpec(
    f"[bold red]boom-{HOSTILE_WIDE}",
    f"{HOSTILE_BOLD} {HOSTILE_ANSI} {HOSTILE_CONTROL} {HOSTILE_WIDE} {HOSTILE_RTL} {HOSTILE_MARKUP}",
    "boom@hostile.example",
    "2024-04-01T00:00:00Z",
    "2024-04-01T00:00:00Z",
    f"https://hostile.example/{HOSTILE_MARKUP}",
)
HOSTILE_MEMBER = UserSpec(HOSTILE_BOLD, "boom@hostile.example", "hostile-token")
HOSTILE_PERMISSION_USER = UserSpec(
    f"{HOSTILE_ANSI}{HOSTILE_RTL}{HOSTILE_WIDE}\x07", "rtl@hostile.example", "rtl-token"
)
HOSTILE_PACKAGE = PackageSpec(
    HOSTILE_ORG.name,
    HOSTILE_MARKUP,
    "file",
    f"{HOSTILE_BOLD} {HOSTILE_ANSI} {HOSTILE_WIDE}{HOSTILE_RTL}",
    "2024-04-02T00:00:00Z",
    f"{HOSTILE_CONTROL}\n{HOSTILE_MARKUP}\n{HOSTILE_RTL} {HOSTILE_WIDE}",
    f"https://hostile.example/{HOSTILE_BOLD}",
    popularity=77,
)
HOSTILE_ROUTE = (f"/{HOSTILE_MARKUP}/{{version}}/{HOSTILE_WIDE}", f"https://hostile.example/{HOSTILE_ANSI}/{{version}}")
HOSTILE_DOMAIN = f"{HOSTILE_WIDE}.{HOSTILE_RTL}.hostile.example"
HOSTILE_COMPANY = (f"{HOSTILE_BOLD}, {HOSTILE_ANSI}\n{HOSTILE_RTL} Ltd.", "hostile.example")
