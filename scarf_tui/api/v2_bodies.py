"""Scarf API v2 request bodies (snake_case) built from the domain drafts, the v2 enumerations,
and the v2 aggregate names (breakdowns, rollups) mapped to the ones the UI knows.
"""

from __future__ import annotations

from enum import Enum
from typing import Any
from urllib.parse import urlsplit

from scarf_tui.api.errors import ValidationFailed, sanitize
from scarf_tui.api.models import CollectionDraft, TrackingPixelDraft
from scarf_tui.domain import MemberRole, OrganizationDraft, PackageDraft, PermissionLevel, RouteDraft, validate_url

PACKAGE_TYPES = ("docker", "file", "python", "npm", "hackage")
PERMISSION_LEVELS = ("member", "admin", "owner")
MEMBER_ROLES = ("member", "admin", "owner")
ROLLUPS = ("daily", "weekly", "monthly", "yearly")

# v2 breakdown names -> the AggregateRow.breakdown the UI knows (the seven of v1 and total),
# then the ones only v2 has, kept under their own names.
BREAKDOWN_FROM_V2 = {
    "by-total": "total",
    "by-company": "company",
    "by-cloudprovider": "cloud_provider",
    "by-country": "country",
    "by-platform": "platform",
    "by-version": "version",
    "by-client": "client",
    "by-variable": "variable",
    "by-referer": "referer",
    "by-domain": "domain",
    "by-total-do-not-track": "do_not_track",
    "by-educational-organization": "educational",
    "by-govermental-organization": "governmental",  # the spec's spelling
}
BREAKDOWN_TO_V2 = {ui: wire for wire, ui in BREAKDOWN_FROM_V2.items()}


def _text(value: Any) -> str:
    return value.value if isinstance(value, Enum) else str(value)


# --- converters: drafts -> request bodies ------------------------------------------------------------


def _raise(problems: dict[str, list[str]]) -> None:
    if problems:
        raise ValidationFailed(" ".join(p for ps in problems.values() for p in ps), field_errors=problems)


def organization_to_v2(draft: OrganizationDraft) -> dict[str, Any]:
    problems: dict[str, list[str]] = {}
    if not draft.name.strip():
        problems["name"] = ["The organization name must not be empty."]
    if not draft.billing_email.strip():
        problems["billing_email"] = ["The billing email must not be empty."]
    if draft.website and (problem := validate_url(draft.website, what="website")):
        problems["website"] = [problem]
    _raise(problems)
    body: dict[str, Any] = {"name": draft.name, "billing_email": draft.billing_email.strip()}
    body["description"] = draft.description
    # The spec types website as a string, never null: "" says "no website" (so clearing it in
    # the form clears it on the server; leaving it out could keep the old one).
    body["website"] = draft.website or ""
    return body


def _host(url: str) -> str:
    """The host of a URL, or the text itself when it is already a bare host ("docker.io")."""
    text = url.strip()
    parts = urlsplit(text if "://" in text else f"https://{text}")
    return parts.netloc or text


def package_type_of(draft: PackageDraft) -> str:
    kind = _text(draft.library_type) if draft.library_type else ""
    if kind not in PACKAGE_TYPES:
        shown = sanitize(kind, limit=40) or "no type"
        raise ValidationFailed(
            f"API v2 packages are docker, file, python, npm or hackage; {shown!r} can't be used.",
            field_errors={"type": ["Must be docker, file, python, npm or hackage."]},
        )
    return kind


def package_to_v2(
    draft: PackageDraft, *, creating: bool, route: RouteDraft | None = None, domain: str | None = None
) -> dict[str, Any]:
    """The CreatePackage/UpdatePackage body for a draft, with each type's own fields:
    docker ``backend_registry`` (from the draft's backend URL host) and ``domain`` (the public
    URL's host), file ``incoming_path``/``outgoing_url`` (its first route, on create), python
    ``repository_url``."""
    kind = package_type_of(draft)
    problems: dict[str, list[str]] = {}
    if not draft.name.strip():
        problems["name"] = ["The package name must not be empty."]
    body: dict[str, Any] = {"name": draft.name, "type": kind, "short_description": draft.short_description}
    # An update always names both (a string, never null, as the spec types them): "" clears a
    # field the user emptied, where leaving it out kept the old value.
    if draft.long_description or not creating:
        body["long_description"] = draft.long_description or ""
    if draft.website or not creating:
        body["website"] = draft.website or ""
    if kind == "docker":
        if not draft.backend_url:
            problems["backend_registry"] = ["A docker package needs its backend registry, e.g. docker.io."]
        else:
            body["backend_registry"] = _host(draft.backend_url)
        if creating and (domain or draft.public_url):
            body["domain"] = domain or _host(draft.public_url or "")
    elif kind == "python":
        if draft.repository_url:
            body["repository_url"] = draft.repository_url
        elif not creating:
            problems["repository_url"] = ["A python package needs its repository URL, e.g. https://pypi.org/simple/."]
        if creating and domain:
            body["domain"] = domain
    elif kind == "file" and creating:
        if route is None:
            problems["incoming_path"] = ["A new file package needs its first route: an incoming path and outgoing URL."]
        else:
            body["incoming_path"] = route.template_path
            body["outgoing_url"] = route.outgoing_url
        if domain:
            body["domain"] = domain
    _raise(problems)
    return body


def member_role_to_v2(role: MemberRole | str) -> str:
    text = _text(role)
    if text not in MEMBER_ROLES:
        raise ValidationFailed(
            f"{sanitize(text, limit=40)!r} is not a member role (member, admin, owner).",
            field_errors={"role": ["Must be member, admin or owner."]},
        )
    return text


def level_to_v2(level: PermissionLevel | str) -> str:
    text = _text(level)
    if text not in PERMISSION_LEVELS:
        raise ValidationFailed(
            f"API v2 permission levels are member, admin and owner; {sanitize(text, limit=40)!r} is not one "
            "(to take access away, remove the user's permission).",
            field_errors={"permission_level": ["Must be member, admin or owner."]},
        )
    return text


def route_to_v2(draft: RouteDraft) -> dict[str, str]:
    return {"incoming_path": draft.template_path, "outgoing_url": draft.outgoing_url}


def pixel_to_v2(draft: TrackingPixelDraft) -> dict[str, Any]:
    if not draft.name.strip():
        raise ValidationFailed("The pixel name must not be empty.", field_errors={"name": ["Must not be empty."]})
    body: dict[str, Any] = {"name": draft.name}
    if draft.package_id:
        body["package_id"] = draft.package_id
    return body


def collection_to_v2(draft: CollectionDraft, *, creating: bool) -> dict[str, Any]:
    problems: dict[str, list[str]] = {}
    if not draft.pattern.strip():
        problems["pattern"] = ["The pattern must not be empty, e.g. acme/*."]
    if not draft.backend_domain.strip():
        problems["backend_domain"] = ["The backend registry must not be empty, e.g. docker.io."]
    _raise(problems)
    body: dict[str, Any] = {"pattern": draft.pattern.strip(), "backend_domain": _host(draft.backend_domain)}
    if draft.public_domain:
        body["public_domain"] = _host(draft.public_domain)
    if creating:
        body["type"] = "docker"
    return body


# --- aggregates ---------------------------------------------------------------------------------------


def breakdown_params(breakdowns: tuple[str, ...] | list[str] | None) -> list[str]:
    """UI breakdown names (or v2 names) -> the v2 ``breakdown`` query values."""
    if not breakdowns:
        return []
    out = []
    for name in breakdowns:
        wire = BREAKDOWN_TO_V2.get(name, name)
        if wire not in BREAKDOWN_FROM_V2:
            raise ValidationFailed(
                f"{sanitize(name, limit=40)!r} is not a breakdown the Scarf API v2 knows.",
                field_errors={"breakdown": [f"Must be one of {', '.join(BREAKDOWN_TO_V2)}."]},
            )
        out.append(wire)
    return out


def aggregate_v2_to_v1_shape(obj: Any) -> Any:
    """A v2 Aggregate object rewritten in place to the keys the shared row reader takes:
    ``artifact`` is the package, ``total_unique`` the unique count, ``by-country`` is
    ``country`` and so on; the extra v2 breakdowns keep their key in ``value``."""
    if not isinstance(obj, dict):
        return obj
    if "package" not in obj and "artifact" in obj:
        obj["package"] = obj["artifact"]
    if "unique_total" not in obj and "total_unique" in obj:
        obj["unique_total"] = obj["total_unique"]
    wire = obj.get("breakdown")
    if isinstance(wire, str):
        ui = BREAKDOWN_FROM_V2.get(wire, wire)
        obj["breakdown"] = ui
        if ui == "referer" and obj.get("value") is None:
            obj["value"] = obj.get("referer")
        elif ui == "domain" and obj.get("value") is None:
            obj["value"] = obj.get("domain")
        elif ui in ("educational", "governmental") and obj.get("value") is None:
            obj["value"] = obj.get("company_name") or obj.get("company_domain")
    return obj
