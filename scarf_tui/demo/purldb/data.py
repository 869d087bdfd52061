"""The embedded PurlDB's deterministic records, named after the demo's Scarf packages.

Every demo package of type pypi, python, npm or docker has one record per version, except the
few left out on purpose so that "not in PurlDB" shows too (NOT_IN_PURLDB). The reference's own
example (elasticsearch-cli 7.17.9, with its uuid) is there as well. Nothing depends on the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from scarf_tui.demo import data as scarf_data
from scarf_tui.demo.data import HOSTILE_ANSI, HOSTILE_BOLD, HOSTILE_MARKUP, HOSTILE_RTL, h64, stable_uuid

# Scarf demo packages (owner/name/type keys) that PurlDB does not know.
NOT_IN_PURLDB = frozenset({
    "hidden-labs/nightshade/npm",
    f"{scarf_data.DEMO_USER}/maintainer-tools/npm",
    f"{scarf_data.DEMO_USER}/mirror/python",
    "hidden-labs/secret-sauce/docker",
})
# Versions shared with the embedded pypicloud, so both sources tell the same story.
KNOWN_VERSIONS = {
    "acme-sdk": ["1.0.0", "1.1.0", "1.2.0", "2.0.0rc1"],
    "labkit": ["0.9.0", "1.0.0", "1.0.1"],
    "widget": ["3.1.0", "3.2.0"],
}
LICENSES = ("MIT", "Apache-2.0", "BSD-3-Clause", "GPL-3.0-only", "MPL-2.0")
LANGUAGES = {"pypi": "Python", "npm": "JavaScript", "docker": None}
BIG_PACKAGE = "pkg:pypi/acme-sdk@1.2.0"  # has many resources (several pages)
EXAMPLE_UUID = "0bbdcf88-ad07-4970-9272-7d5f4c82cc7b"
BASE_DATE = datetime(2023, 3, 1, 12, 0, tzinfo=UTC)


@dataclass
class Record:
    fields: dict
    history: list[dict] = field(default_factory=list)
    resource_count: int = 0


def _purl_parts(spec: scarf_data.PackageSpec) -> tuple[str, str, str]:
    """(type, namespace, name) as PurlDB keys the demo package."""
    kind = spec.library_type or ""
    if kind in ("pypi", "python"):
        return "pypi", "", spec.name.lower().replace("_", "-")
    if kind == "npm":
        if spec.name.startswith("@") and "/" in spec.name:
            scope, _, bare = spec.name.partition("/")
            return "npm", scope, bare
        return "npm", "", spec.name
    backend = spec.settings.get("backendUrl", "")
    path = backend.split("//", 1)[-1].partition("/")[2].strip("/") if backend else f"{spec.owner}/{spec.name}"
    namespace, _, name = path.rpartition("/")
    return "docker", namespace, name


def purl_text(kind: str, namespace: str, name: str, version: str = "") -> str:
    ns = namespace.replace("@", "%40")
    text = f"pkg:{kind}/{ns + '/' if ns else ''}{name}"
    return f"{text}@{version}" if version else text


def _versions(key: str, name: str) -> list[str]:
    if name in KNOWN_VERSIONS:
        return KNOWN_VERSIONS[name]
    count = 2 + h64("purldb-versions", key) % 3
    major = h64("purldb-major", key) % 4
    return [f"{major}.{minor}.0" for minor in range(count)]


def _download_url(kind: str, namespace: str, name: str, version: str) -> str | None:
    if kind == "pypi":
        return f"https://files.pythonhosted.org/packages/source/{name[0]}/{name}/{name}-{version}.tar.gz"
    if kind == "npm":
        full = f"{namespace}/{name}" if namespace else name
        return f"https://registry.npmjs.org/{full}/-/{name}-{version}.tgz"
    return None


def _dependencies(kind: str, name: str, version: str) -> list[dict]:
    deps = {
        "pypi": [("pkg:pypi/httpx@0.28.1", ">=0.28"), ("pkg:pypi/widget@3.2.0", ">=3.1")],
        "npm": [("pkg:npm/tiny-json@1.0.0", "^1.0.0")],
        "docker": [],
    }[kind]
    chosen = [d for i, d in enumerate(deps) if h64("purldb-dep", name, version, i) % 3 != 0 and name not in d[0]]
    return [
        {"purl": purl, "extracted_requirement": req, "scope": "install", "is_runtime": True,
         "is_optional": False, "is_resolved": True}
        for purl, req in chosen
    ]


def record_for(spec: scarf_data.PackageSpec, version: str, index: int) -> Record:
    kind, namespace, name = _purl_parts(spec)
    purl = purl_text(kind, namespace, name, version)
    uuid = stable_uuid("purldb", purl)
    released = BASE_DATE + timedelta(days=int(h64("purldb-day", spec.key) % 200) + 45 * index)
    download = _download_url(kind, namespace, name, version)
    fields: dict[str, Any] = {
        "uuid": uuid,
        "filename": download.rsplit("/", 1)[-1] if download else None,
        "package_sets": [],
        "package_content": "source_archive" if kind != "docker" else "binary",
        "purl": purl,
        "type": kind,
        "namespace": namespace,
        "name": name,
        "version": version,
        "qualifiers": "",
        "subpath": "",
        "primary_language": LANGUAGES[kind],
        "description": spec.long_description or spec.short_description,
        "release_date": released.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "parties": [{"type": "person", "role": "author", "name": spec.owner,
                     "email": f"dev@{spec.owner}.example", "url": None}],
        "keywords": [spec.library_type or "", spec.owner],
        "homepage_url": spec.website or f"https://{name}.example",
        "download_url": download,
        "bug_tracking_url": f"https://github.com/{spec.owner}/{name}/issues",
        "code_view_url": f"https://github.com/{spec.owner}/{name}",
        "vcs_url": f"git+https://github.com/{spec.owner}/{name}.git",
        "repository_homepage_url": None,
        "repository_download_url": None,
        "api_data_url": None,
        "size": int(1000 + h64("purldb-size", purl) % 90_000),
        "md5": None,
        "sha1": f"{h64('sha1', purl):016x}" * 2 + f"{h64('sha1b', purl):08x}"[:8],
        "sha256": "".join(f"{h64('sha256', purl, i):016x}" for i in range(4)),
        "sha512": None,
        "copyright": f"Copyright (c) {spec.owner}",
        "holder": spec.owner,
        "declared_license_expression": LICENSES[h64("lic", spec.key) % len(LICENSES)].lower(),
        "declared_license_expression_spdx": LICENSES[h64("lic", spec.key) % len(LICENSES)],
        "license_detections": [],
        "other_license_expression": None,
        "other_license_expression_spdx": None,
        "other_license_detections": [],
        "extracted_license_statement": None,
        "notice_text": None,
        "source_packages": [],
        "extra_data": {},
        "package_uid": f"{purl}?uuid={uuid}",
        "datasource_id": None,
        "file_references": [],
        "dependencies": _dependencies(kind, name, version),
    }
    stamp = released + timedelta(days=2, hours=3)
    history = [{"message": f"New Package created from ResourceURI: {download or purl} via map_uri().",
                "timestamp": stamp.strftime("%Y-%m-%d-%H:%M:%S")}]
    if index % 2 == 1:
        later = stamp + timedelta(days=30)
        history.append({"message": "Package field values have been updated.",
                        "timestamp": later.strftime("%Y-%m-%d-%H:%M:%S")})
    resources = 57 if purl == BIG_PACKAGE else int(3 + h64("purldb-res", purl) % 8)
    return Record(fields, history, resources)


def example_record() -> Record:
    """The PurlDB reference's own example package (trimmed to what the client reads)."""
    purl = "pkg:maven/org.elasticsearch/elasticsearch-cli@7.17.9"
    fields: dict[str, Any] = {
        "uuid": EXAMPLE_UUID, "filename": "elasticsearch-cli-7.17.9.jar", "package_sets": [],
        "package_content": "binary", "purl": purl, "type": "maven", "namespace": "org.elasticsearch",
        "name": "elasticsearch-cli", "version": "7.17.9", "qualifiers": "", "subpath": "",
        "primary_language": "Java",
        "description": "elasticsearch-cli\nElasticsearch subproject :libs:elasticsearch-cli",
        "release_date": "2023-02-01T00:27:00Z",
        "parties": [{"type": "person", "role": "developper", "name": "Elastic", "email": None,
                     "url": "https://www.elastic.co"}],
        "keywords": [], "homepage_url": "https://github.com/elastic/elasticsearch.git",
        "download_url": "https://repo1.maven.org/maven2/org/elasticsearch/elasticsearch-cli/7.17.9/"
                        "elasticsearch-cli-7.17.9.jar",
        "bug_tracking_url": None, "code_view_url": "https://github.com/elastic/elasticsearch.git",
        "vcs_url": "https://github.com/elastic/elasticsearch.git", "repository_homepage_url": None,
        "repository_download_url": None, "api_data_url": None, "size": None, "md5": None,
        "sha1": "9cb255ad91d178f39b2bffc9635c46caeffbd344", "sha256": None, "sha512": None,
        "copyright": None, "holder": None,
        "declared_license_expression": "elastic-license-v2 AND mongodb-sspl-1.0",
        "declared_license_expression_spdx": "Elastic-2.0 AND SSPL-1.0",
        "license_detections": [], "other_license_expression": None, "other_license_expression_spdx": None,
        "other_license_detections": [], "extracted_license_statement": None, "notice_text": None,
        "source_packages": [f"{purl}?classifier=sources"], "extra_data": {},
        "package_uid": f"{purl}?uuid={EXAMPLE_UUID}", "datasource_id": None, "file_references": [],
        "dependencies": [
            {"purl": "pkg:maven/net.sf.jopt-simple/jopt-simple@5.0.2", "extracted_requirement": "5.0.2",
             "scope": "compile", "is_runtime": False, "is_optional": True, "is_resolved": True},
        ],
    }
    history = [{"message": "New Package created from ResourceURI: "
                           "https://repo1.maven.org/maven2/org/elasticsearch/elasticsearch-cli/7.17.9/"
                           "elasticsearch-cli-7.17.9.jar via map_uri().",
                "timestamp": "2023-04-28-20:55:59"}]
    return Record(fields, history, 4)


def hostile_record() -> Record:
    """Text a client must show literally."""
    spec = scarf_data.PackageSpec("hostile", f"{HOSTILE_MARKUP}", "npm",
                                  f"{HOSTILE_BOLD} {HOSTILE_ANSI} {HOSTILE_RTL}", "2024-04-02T00:00:00Z")
    record = record_for(spec, "1.0.0", 0)
    record.fields["homepage_url"] = f"https://hostile.example/{HOSTILE_BOLD}"
    record.fields["declared_license_expression_spdx"] = HOSTILE_BOLD
    record.history.append({"message": f"{HOSTILE_ANSI} {HOSTILE_MARKUP}", "timestamp": "not-a-time"})
    return record


def build_records(*, hostile: bool = False) -> list[Record]:
    records = []
    for spec in scarf_data.PACKAGES:
        if spec.library_type not in ("pypi", "python", "npm", "docker") or spec.key in NOT_IN_PURLDB:
            continue
        for index, version in enumerate(_versions(spec.key, spec.name)):
            records.append(record_for(spec, version, index))
    records.append(example_record())
    if hostile:
        records.append(hostile_record())
    return records
