"""Scarf API v2 error answers as one sentence each.

v2 errors carry ``{"code", "message"}``; every code the Scarf API v2 OpenAPI spec lists gets a
sentence here that says what went wrong and what to do. Empty-body 401/403/404 answers keep the
wording of scarf_tui.api.errors (which knows what the request was about).
"""

from __future__ import annotations

import json
from typing import Any

from scarf_tui.api.errors import (
    AuthError,
    ExportNotEnabled,
    NotFound,
    ScarfError,
    ValidationFailed,
    sanitize,
)

# code -> (field the problem belongs to, or "" for none; the sentence)
CODE_SENTENCES: dict[str, tuple[str, str]] = {
    # packages (create and update) and collections
    "backend-registry-is-empty": (
        "backend_registry", "The backend registry is empty: enter the registry that hosts the images, e.g. docker.io."),
    "backend-registry-has-invalid-characters": (
        "backend_registry", "The backend registry is not a host name: enter one such as ghcr.io or docker.io."),
    "public-domain-is-empty": (
        "public_domain", "The public domain is empty: enter the domain users pull from, e.g. cr.example.com."),
    "public-domain-is-already-in-use": (
        "public_domain", "That public domain is already used by another package or collection: choose another."),
    "public-domain-has-invalid-characters": (
        "public_domain", "The public domain may use only letters, digits, '-' and '.': correct it."),
    "public-domain-is-invalid-scarf-domain": (
        "public_domain", "That public domain is not one Scarf can serve: use a domain you own or one Scarf gave you."),
    "docker-image-name-is-longer-than-255-characters": (
        "name", "The image name is longer than 255 characters: shorten it."),
    "docker-image-name-has-empty-segments": (
        "name", "The image name has an empty segment (a leading, trailing or doubled '/'): remove it."),
    "docker-image-name-has-invalid-characters": (
        "name", "The image name may use only lowercase letters, digits, '.', '_', '-' and '/': correct it."),
    "package-is-conflicting": (
        "name", "The package conflicts with another package or collection of this owner: choose another name."),
    "package-already-exists": (
        "name", "This owner already has a package with this name and type: choose another name."),
    "package-name-is-empty": ("name", "The package name is empty: enter a name."),
    "invalid-python-project-name": (
        "name", "That is not a valid Python project name: use letters, digits, '.', '_' and '-', "
        "starting and ending with a letter or digit."),
    "repository-url-invalid": (
        "repository_url", "The repository URL is not a valid URL: enter one such as https://pypi.org/simple/."),
    "repository-url-not-https": ("repository_url", "The repository URL must start with https://: change it."),
    "repository-url-missing-trailing-slash": (
        "repository_url", "The repository URL must end with '/': add the trailing slash."),
    # file packages: routes
    "outgoing-url-invalid-url-template": (
        "outgoing_url", "The outgoing URL is not a valid URL template: check its braces, "
        "e.g. https://example.com/{version}/file.tar.gz."),
    "outgoing-url-must-be-absolute": ("outgoing_url", "The outgoing URL must be a full URL: start it with https://."),
    "outgoing-url-must-not-be-empty": ("outgoing_url", "The outgoing URL is empty: enter where downloads go."),
    "incoming-path-invalid-url-template": (
        "incoming_path", "The incoming path is not a valid URL template: check its braces, "
        "e.g. /project/{version}/file.tar.gz."),
    "incoming-path-must-be-relative": (
        "incoming_path", "The incoming path must be a path, not a full URL: start it with '/'."),
    "incoming-path-must-not-be-empty": ("incoming_path", "The incoming path is empty: enter a path starting with '/'."),
    "incoming-path-must-start-with-slash": ("incoming_path", "The incoming path must start with '/': add it."),
    "incoming-path-missing-variables": (
        "outgoing_url", "The outgoing URL uses a variable the incoming path does not define: "
        "add every {variable} of the outgoing URL to the incoming path."),
    "not-a-file-package": ("", "Routes exist only for file packages: open a file package to edit routes."),
    # domains
    "domain-is-empty": ("name", "The domain is empty: enter one such as files.example.com."),
    "domain-is-already-in-use": ("name", "That domain is already used by another package: choose another."),
    "domain-has-invalid-characters": ("name", "The domain may use only letters, digits, '-' and '.': correct it."),
    "domain-is-invalid-scarf-domain": (
        "name", "That domain is not one Scarf can serve: use a domain you own or one Scarf gave you."),
    "package-must-have-one-domain": (
        "", "A package must keep at least one domain: add another domain before removing this one."),
    # permissions and members
    "cannot-delete-owner": (
        "", "An owner can't be removed: change their role, or give ownership to someone else, first."),
    "cannot-revoke-ownership": ("role", "The last owner can't stop being owner: make another member owner first."),
    "billing-error": ("", "Scarf's billing refused the change: check the organization's plan and payment on scarf.sh."),
    "max-organization-members-reached": (
        "username", "The organization has as many members as its plan allows: upgrade the plan or remove a member."),
    # organizations
    "invalid-organization-name": (
        "name", "That organization name is not allowed: use letters, digits, '-' and '_'."),
    "entity-already-exists": ("name", "That name is already taken by another user or organization: choose another."),
    "invalid-billing-email": ("billing_email", "The billing email is not a valid email address: correct it."),
    "invalid-website-url": ("website", "The website is not a valid URL: enter one such as https://example.com."),
    # tracking pixels
    "name-is-empty": ("name", "The name is empty: enter a name."),
    "name-already-exists": ("name", "This owner already has one with that name: choose another name."),
    "invalid-package-owner": (
        "package_id", "That package belongs to another owner: link a package of the pixel's owner."),
    # collections
    "collection-is-conflicting": (
        "pattern", "The collection overlaps another collection or package of this owner: change its pattern."),
    "pattern-is-empty": ("pattern", "The pattern is empty: enter a docker name pattern such as acme/*."),
    "pattern-is-invalid": ("pattern", "The pattern is not a docker name pattern: use a form such as acme/*."),
    "pattern-is-duplicated": ("pattern", "This owner already has a collection with that pattern: change it."),
    "pattern-has-invalid-characters": (
        "pattern", "The pattern may use only lowercase letters, digits, '.', '_', '-', '/' and '*': correct it."),
    "type-is-invalid": ("type", "Collections can only be of type docker: create a docker collection."),
    # event and aggregate exports
    "not-found": ("", "Scarf found nothing under that owner or package: check the names."),
    "not-a-pro-member": (
        "", "Exporting events needs a paid Scarf plan: upgrade the account on scarf.sh, or export aggregates."),
    "range-too-long": (
        "end_date", "The date range is too long: one events download covers at most 31 days, so choose a shorter "
        "range (scarf-tui splits longer exports for you)."),
    "invalid-package-query": ("query", "The package filter is not a valid query: correct or clear it."),
}

EXPORT_CODES = frozenset({"not-a-pro-member"})


def error_code(body: bytes) -> tuple[str, str] | None:
    """(code, message) of a v2 error body, or None when it has no string ``code``."""
    if not body or not body.strip():
        return None
    try:
        data: Any = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: nested too deeply
        return None
    if not isinstance(data, dict) or not isinstance(data.get("code"), str) or not data["code"].strip():
        return None
    message = data.get("message")
    return data["code"].strip(), message if isinstance(message, str) else ""


def error_for_code(status: int, code: str, message: str = "", *, redact: str | None = None) -> ScarfError:
    """The ScarfError for one v2 ``{"code", "message"}`` answer."""
    shown_code = sanitize(code, limit=60)
    known = CODE_SENTENCES.get(code)
    if known is not None:
        field, sentence = known
    else:
        detail = sanitize(message.replace(redact, "***") if redact and message else message, limit=200)
        field = ""
        sentence = (
            f"The server refused the request ({status}, {shown_code})"
            + (f": {detail.rstrip('.')}." if detail else ".")
        )
    if code in EXPORT_CODES or (status == 403 and code != "cannot-delete-owner" and known is None):
        cls: type[ScarfError] = ExportNotEnabled if code in EXPORT_CODES else AuthError
        return cls(sentence, status=status)
    if code == "not-found" or status == 404:
        return NotFound(sentence, status=status)
    return ValidationFailed(sentence, field_errors={field: [sentence]}, status=status)


def error_from_v2_body(status: int, body: bytes, *, redact: str | None = None) -> ScarfError | None:
    """The ScarfError for a v2 error answer that carries a code; None when it carries none (an
    empty 401/403/404 body, plain text...), which the general wording of api.errors covers."""
    found = error_code(body)
    if found is None:
        return None
    return error_for_code(status, found[0], found[1], redact=redact)


__all__ = ["CODE_SENTENCES", "error_code", "error_for_code", "error_from_v2_body"]
