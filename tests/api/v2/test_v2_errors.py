"""v2 error answers become one sentence each: every code the Scarf API v2 OpenAPI spec lists,
the codes the embedded server produces (checked through the service), and empty 403/404."""

from __future__ import annotations

import json
from datetime import date

import httpx
import pytest

from scarf_tui.api.errors import AuthError, ExportNotEnabled, NotFound, ValidationFailed
from scarf_tui.api.models import CollectionDraft, TrackingPixelDraft
from scarf_tui.api.v2_errors import CODE_SENTENCES, error_for_code, error_from_v2_body
from scarf_tui.domain import OrganizationDraft, PackageDraft, RouteDraft

from .conftest import uuid_of

# Every `code` enumerated by the error schemas of the Scarf API v2 OpenAPI spec.
SPEC_CODES = {
    "backend-registry-is-empty", "backend-registry-has-invalid-characters", "public-domain-is-empty",
    "public-domain-is-already-in-use", "public-domain-has-invalid-characters", "public-domain-is-invalid-scarf-domain",
    "docker-image-name-is-longer-than-255-characters", "docker-image-name-has-empty-segments",
    "docker-image-name-has-invalid-characters", "package-is-conflicting", "package-already-exists",
    "package-name-is-empty", "outgoing-url-invalid-url-template", "outgoing-url-must-be-absolute",
    "incoming-path-invalid-url-template", "incoming-path-must-be-relative", "outgoing-url-must-not-be-empty",
    "incoming-path-must-not-be-empty", "incoming-path-must-start-with-slash", "incoming-path-missing-variables",
    "invalid-python-project-name", "repository-url-invalid", "repository-url-not-https",
    "repository-url-missing-trailing-slash", "domain-is-empty", "domain-is-already-in-use",
    "domain-has-invalid-characters", "domain-is-invalid-scarf-domain", "package-must-have-one-domain",
    "cannot-delete-owner", "not-a-file-package", "invalid-organization-name", "entity-already-exists",
    "invalid-billing-email", "invalid-website-url", "name-is-empty", "name-already-exists", "invalid-package-owner",
    "billing-error", "cannot-revoke-ownership", "max-organization-members-reached", "collection-is-conflicting",
    "pattern-is-empty", "pattern-is-invalid", "pattern-is-duplicated", "pattern-has-invalid-characters",
    "type-is-invalid", "not-found", "not-a-pro-member", "range-too-long", "invalid-package-query",
}


def test_every_spec_code_has_a_sentence_that_says_what_to_do():
    assert SPEC_CODES <= set(CODE_SENTENCES)
    for code in SPEC_CODES:
        sentence = CODE_SENTENCES[code][1]
        assert sentence.endswith(".") and (":" in sentence or ";" in sentence), code
        assert code not in sentence  # no wire jargon in what the user reads


@pytest.mark.parametrize("code", sorted(SPEC_CODES))
def test_each_code_becomes_its_sentence(code):
    status = 403 if code == "not-a-pro-member" else 404 if code == "not-found" else 422
    error = error_from_v2_body(status, json.dumps({"code": code, "message": "server words"}).encode())
    assert error is not None
    assert str(error) == CODE_SENTENCES[code][1]
    expected = ExportNotEnabled if code == "not-a-pro-member" else NotFound if code == "not-found" else ValidationFailed
    assert type(error) is expected


@pytest.mark.parametrize(
    ("code", "sentence"),
    [
        ("incoming-path-missing-variables", "The outgoing URL uses a variable the incoming path does not define: "
         "add every {variable} of the outgoing URL to the incoming path."),
        ("package-must-have-one-domain",
         "A package must keep at least one domain: add another domain before removing this one."),
        ("range-too-long", "The date range is too long: one events download covers at most 31 days, so choose a "
         "shorter range (scarf-tui splits longer exports for you)."),
        ("not-a-pro-member",
         "Exporting events needs a paid Scarf plan: upgrade the account on scarf.sh, or export aggregates."),
    ],
)
def test_the_issue_codes_read_as_written(code, sentence):
    assert str(error_for_code(422, code)) == sentence


def test_an_unknown_code_keeps_the_server_message_without_the_token():
    error = error_for_code(422, "brand-new-code", "Token sekret123 \x1b[31mrejected", redact="sekret123")
    assert str(error) == "The server refused the request (422, brand-new-code): Token *** rejected."
    assert error_from_v2_body(404, b"") is None and error_from_v2_body(422, b"not json") is None


async def test_missing_variables_from_the_server(v2, store):
    uuid = uuid_of(store, "acme", "acme-downloads", "file")
    with pytest.raises(ValidationFailed) as caught:
        await v2.create_route(uuid, RouteDraft("/x/{version}", "https://example.com/{platform}"))
    assert str(caught.value) == CODE_SENTENCES["incoming-path-missing-variables"][1]
    assert caught.value.field_errors == {"outgoing_url": [CODE_SENTENCES["incoming-path-missing-variables"][1]]}


async def test_the_last_domain_stays(v2, store):
    uuid = uuid_of(store, "acme", "acme-installer", "file")
    (only,) = store.domains[uuid]
    with pytest.raises(ValidationFailed) as caught:
        await v2.delete_domain(uuid, only["id"])
    assert str(caught.value) == CODE_SENTENCES["package-must-have-one-domain"][1]
    assert store.domains[uuid] == [only]


async def test_range_too_long_from_the_server(app, store):
    uuid = uuid_of(store, "acme", "widget-cli", "npm")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://demo.invalid",
                                 headers={"Authorization": "Bearer demo"}) as client:
        answer = await client.get(f"/v2/packages/acme/{uuid}/events",
                                  params={"start_date": "2026-09-01", "end_date": "2026-10-15"})
    assert answer.status_code == 400 and answer.json()["code"] == "range-too-long"
    assert str(error_from_v2_body(400, answer.content)) == CODE_SENTENCES["range-too-long"][1]


async def test_not_a_pro_member_from_the_server(make, store):
    visitor = make("v2", token="noexport", username="visitor")
    with pytest.raises(ExportNotEnabled) as caught:
        await anext(visitor.pixel_events(date(2026, 11, 1), date(2026, 11, 2)))
    assert str(caught.value) == CODE_SENTENCES["not-a-pro-member"][1]


async def test_owner_member_pixel_and_collection_codes(v2, store):
    with pytest.raises(ValidationFailed) as caught:
        await v2.remove_member("acme", "maintainer")
    assert str(caught.value) == CODE_SENTENCES["cannot-delete-owner"][1]
    with pytest.raises(ValidationFailed) as caught:
        await v2.create_pixel("acme", TrackingPixelDraft("widget-docs"))
    assert str(caught.value) == CODE_SENTENCES["name-already-exists"][1]
    with pytest.raises(ValidationFailed) as caught:
        await v2.create_collection("acme", CollectionDraft("acme/*", "docker.io"))
    assert str(caught.value) == CODE_SENTENCES["pattern-is-duplicated"][1]
    with pytest.raises(ValidationFailed) as caught:
        await v2.update_organization("acme", OrganizationDraft("acme", "d", "not-an-email"))
    assert str(caught.value) == CODE_SENTENCES["invalid-billing-email"][1]
    with pytest.raises(ValidationFailed) as caught:
        await v2.create_org_package("acme", PackageDraft("widget-cli", "dup", library_type="npm"))
    assert str(caught.value) == CODE_SENTENCES["package-already-exists"][1]
    assert len([p for p in store.org_packages("acme") if p["name"] == "widget-cli"]) == 1


async def test_empty_403_and_404_become_sentences(v2, make):
    with pytest.raises(NotFound) as missing:
        await v2.get_pixel("acme", "nope")
    assert str(missing.value) == "Tracking pixel 'nope' of 'acme' was not found (404)."
    linus = make("v2", token="linus-token", username="linus")
    with pytest.raises(AuthError) as refused:
        await linus.update_organization("fleet", OrganizationDraft("fleet", "d", "a@b.example"))
    assert str(refused.value) == "This account is not allowed to access organization 'fleet' (403)."


async def test_a_server_that_echoes_the_token_never_shows_it():
    """A fault shape the embedded server can't produce: an error message quoting the token."""
    secret = "tok-very-secret-123"

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(422, json={"code": "shiny-new-code", "message": f"bad token {secret}"})

    from scarf_tui.api import make_service

    service = make_service("https://api.scarf.sh", secret, transport=httpx.MockTransport(answer),
                           api_version="v2", username="me", backoff=0.0, max_retries=0)
    try:
        with pytest.raises(ValidationFailed) as caught:
            await service.list_org_packages("acme")
    finally:
        await service.aclose()
    assert secret not in str(caught.value) and secret not in repr(caught.value)
    assert str(caught.value).startswith("The server refused the request (422, shiny-new-code): bad token ")
    assert secret not in repr(service)
