"""PurlDB's JSON answers (as the PurlDB REST API reference shows them) -> models.

Lenient where the reference shows nulls (most fields may be null or absent), strict about
types: a field that is present must have the documented type, else ShapeProblem.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from scarf_tui.sources.purldb.models import Dependency, HistoryEntry, Page, Party, PurlPackage, Resource


class ShapeProblem(ValueError):
    """The JSON is not the documented shape; str() says where."""


def _obj(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise ShapeProblem(f"{where} is not an object")
    return value


def _list(value: Any, where: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ShapeProblem(f"{where} is not a list")
    return value


def _text(row: dict, key: str) -> str | None:
    value = row.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ShapeProblem(f"'{key}' is not a string")
    return value or None


def _required(row: dict, key: str, where: str) -> str:
    value = row.get(key)
    if not isinstance(value, str):
        raise ShapeProblem(f"{where} has no '{key}' string")
    return value


def _int(row: dict, key: str) -> int | None:
    value = row.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ShapeProblem(f"'{key}' is not a whole number")
    return value


def _flag(row: dict, key: str) -> bool | None:
    value = row.get(key)
    if value is None:
        return None
    if not isinstance(value, bool):
        raise ShapeProblem(f"'{key}' is not true or false")
    return value


def parse_datetime(text: str | None) -> datetime | None:
    """ISO 8601 ("2023-02-01T00:27:00Z") or PurlDB's history form ("2023-04-28-20:55:59");
    None when absent or unreadable (the raw text is kept by the caller where it matters)."""
    if not text:
        return None
    candidate = text.strip()
    if candidate.endswith("Z"):
        candidate = candidate[:-1] + "+00:00"
    for parse in (datetime.fromisoformat, lambda s: datetime.strptime(s, "%Y-%m-%d-%H:%M:%S")):
        try:
            value = parse(candidate)
        except ValueError:
            continue
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None


def _dependency(item: Any) -> Dependency:
    row = _obj(item, "a dependency")
    return Dependency(
        purl=_required(row, "purl", "a dependency"),
        requirement=_text(row, "extracted_requirement"),
        scope=_text(row, "scope"),
        is_runtime=_flag(row, "is_runtime"),
        is_optional=_flag(row, "is_optional"),
        is_resolved=_flag(row, "is_resolved"),
    )


def _party(item: Any) -> Party:
    row = _obj(item, "a party")
    return Party(_text(row, "name"), _text(row, "role"), _text(row, "type"), _text(row, "email"), _text(row, "url"))


def package(data: Any) -> PurlPackage:
    """A package record: an item of the list, the details, or the enhanced data (which has
    no uuid of its own: it is taken from ``package_uid`` when missing)."""
    row = _obj(data, "a package")
    uuid = _text(row, "uuid")
    if uuid is None:
        uid = _text(row, "package_uid") or ""
        uuid = uid.partition("uuid=")[2].partition("&")[0] or ""
    keywords = tuple(k for k in _list(row.get("keywords"), "'keywords'") if isinstance(k, str))
    return PurlPackage(
        uuid=uuid,
        purl=_required(row, "purl", "a package"),
        type=_required(row, "type", "a package"),
        name=_required(row, "name", "a package"),
        namespace=_text(row, "namespace") or "",
        version=_text(row, "version") or "",
        release_date=parse_datetime(_text(row, "release_date")),
        description=_text(row, "description"),
        primary_language=_text(row, "primary_language"),
        declared_license=_text(row, "declared_license_expression_spdx") or _text(row, "declared_license_expression"),
        homepage_url=_text(row, "homepage_url"),
        repository_url=_text(row, "vcs_url") or _text(row, "code_view_url") or _text(row, "repository_homepage_url"),
        download_url=_text(row, "download_url"),
        repository_download_url=_text(row, "repository_download_url"),
        bug_tracking_url=_text(row, "bug_tracking_url"),
        filename=_text(row, "filename"),
        size=_int(row, "size"),
        sha1=_text(row, "sha1"),
        sha256=_text(row, "sha256"),
        keywords=keywords,
        parties=tuple(_party(p) for p in _list(row.get("parties"), "'parties'")),
        dependencies=tuple(_dependency(d) for d in _list(row.get("dependencies"), "'dependencies'")),
        details_url=_text(row, "url"),
        history_url=_text(row, "history"),
        resources_url=_text(row, "resources"),
    )


def _page(data: Any, item: Any) -> Page:
    row = _obj(data, "the answer")
    count = row.get("count")
    if isinstance(count, bool) or not isinstance(count, int):
        raise ShapeProblem("'count' is not a whole number")
    results = row.get("results")
    if not isinstance(results, list):
        raise ShapeProblem("'results' is not a list")
    return Page(count, tuple(item(r) for r in results), _text(row, "next"), _text(row, "previous"))


def package_page(data: Any) -> Page[PurlPackage]:
    return _page(data, package)


def _resource(item: Any) -> Resource:
    row = _obj(item, "a resource")
    return Resource(
        path=_required(row, "path", "a resource"),
        type=_text(row, "type"),
        name=_text(row, "name"),
        size=_int(row, "size"),
        sha1=_text(row, "sha1"),
        mime_type=_text(row, "mime_type"),
        programming_language=_text(row, "programming_language"),
        license=_text(row, "detected_license_expression_spdx") or _text(row, "detected_license_expression"),
    )


def resource_page(data: Any) -> Page[Resource]:
    return _page(data, _resource)


def history(data: Any) -> list[HistoryEntry]:
    row = _obj(data, "the answer")
    entries = []
    for item in _list(row.get("history"), "'history'"):
        entry = _obj(item, "a history entry")
        raw = _text(entry, "timestamp")
        entries.append(HistoryEntry(_text(entry, "message") or "", parse_datetime(raw), raw))
    return entries


def status(data: Any) -> str:
    return _text(_obj(data, "the answer"), "status") or ""


__all__ = ["ShapeProblem", "history", "package", "package_page", "parse_datetime", "resource_page", "status"]
