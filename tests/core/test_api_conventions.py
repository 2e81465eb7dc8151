"""API conventions every endpoint shares: schema, error body, incremental pulls, tokens."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openapi_spec_validator import validate

from core.models import ApiToken

pytestmark = pytest.mark.django_db


def test_schema_validates_as_openapi_3(api_client):
    response = api_client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    validate(spec)
    assert "/api/v1/officers/" in spec["paths"]


def test_one_canonical_schema_whatever_the_language_asked(api_client):
    """A client generated from the schema comes out the same whoever downloads it: the text does
    not follow Accept-Language or ?lang=, the file name is plain ASCII (no RFC 2047 header), and
    every operation id is an identifier a generated client can name a function after."""
    from core.api import schema as schema_module

    answers = []
    for headers, query in (({"HTTP_ACCEPT_LANGUAGE": "en"}, {}), ({"HTTP_ACCEPT_LANGUAGE": "zh-hans"}, {}), ({}, {"lang": "en"})):  # fmt: skip
        schema_module._GENERATED.clear()  # each answer generated afresh in its request's language
        answers.append(api_client.get("/api/schema/", {"format": "json", **query}, **headers))
    assert {a.status_code for a in answers} == {200}
    assert answers[0].content == answers[1].content == answers[2].content
    disposition = answers[0]["Content-Disposition"]
    assert disposition == 'inline; filename="fupin-api.json"'
    spec = answers[0].json()
    ids = [op["operationId"] for methods in spec["paths"].values() for op in methods.values()]
    bad = [i for i in ids if not i.isidentifier() or not i.isascii()]
    assert not bad
    assert len(ids) == len(set(ids))
    assert "inspections_items_export_xlsx_retrieve" in ids  # was inspections_items_export.xlsx_retrieve
    # The changelog's newest entry is the schema's version.
    changelog = (Path(settings.BASE_DIR) / "docs" / "API-CHANGELOG.md").read_text(encoding="utf-8")
    newest = next(line for line in changelog.splitlines() if line.startswith("## "))
    assert newest.split()[1] == spec["info"]["version"]


def test_the_schema_is_generated_once_per_process_until_a_setting_changes(api_client, client, monkeypatch):
    """Generating it took about 1.2 s a request; the public schema is the same for every caller
    (a session, a token, nobody), so the process keeps it, and forgets it when a setting changes."""
    from django.test import override_settings
    from drf_spectacular.generators import SchemaGenerator

    from core.api import schema as schema_module

    made = []
    generate = SchemaGenerator.get_schema

    def counted(self, *args, **kwargs):
        made.append(1)
        return generate(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counted)
    schema_module._GENERATED.clear()
    first = api_client.get("/api/schema/", {"format": "json"})
    assert (first.status_code, len(made)) == (200, 1)
    again = [
        client.get("/api/schema/", {"format": "json"}),
        api_client.get("/api/schema/", {"format": "yaml"}),
    ]
    assert len(made) == 1
    assert again[0].content == first.content
    assert again[1]["Content-Disposition"].endswith('fupin-api.yaml"')
    with override_settings(SPECTACULAR_SETTINGS={**settings.SPECTACULAR_SETTINGS, "VERSION": "9.9.9"}):
        changed = api_client.get("/api/schema/", {"format": "json"})
    assert len(made) == 2  # generated again (drf-spectacular itself keeps its settings as they were)
    assert changed.status_code == 200


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_api_docs_load_without_internet(client, path):
    body = client.get(path).content.decode()
    assert "/static/drf_spectacular_sidecar/" in body
    for external in ("cdn.jsdelivr.net", "unpkg.com", "cdnjs", "googleapis"):
        assert external not in body


def test_unauthenticated_gets_standard_error_body(api_client):
    response = api_client.get("/api/v1/officers/")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "not_authenticated"
    assert set(body) == {"code", "message", "errors"}


def test_validation_error_names_the_field(api_as, clerk, xiuwu_officer):
    response = api_as(clerk).patch(f"/api/v1/officers/{xiuwu_officer.pk}/", {"name": "x" * 51}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "name" in body["errors"]


def test_updated_after_returns_only_later_changes(api_as, clerk, xiuwu_officer):
    from tests.factories.core import OfficerFactory

    later = OfficerFactory(unit=xiuwu_officer.unit, region=xiuwu_officer.region)
    cutoff = xiuwu_officer.updated_at
    rows = api_as(clerk).get("/api/v1/officers/", {"updated_after": cutoff.isoformat()}).json()["results"]
    ids = [r["id"] for r in rows]
    assert later.pk in ids
    assert xiuwu_officer.pk not in ids


def test_list_walks_forward_with_cursor_and_stable_order(api_as, clerk, xiuwu):
    from tests.factories.core import OfficerFactory, UnitFactory

    unit = UnitFactory(region=xiuwu)
    created = {OfficerFactory(unit=unit, region=xiuwu).pk for _ in range(7)}
    client = api_as(clerk)
    seen, url = [], "/api/v1/officers/?page_size=3"
    while url:
        page = client.get(url).json()
        seen += [r["id"] for r in page["results"]]
        url = page["next"]
    assert created <= set(seen)
    assert len(seen) == len(set(seen))


def test_token_authenticates_until_revoked(api_client, clerk):
    token, raw = ApiToken.issue(user=clerk, name="village sync")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert api_client.get("/api/v1/me/").json()["username"] == clerk.username
    token.revoked_at = timezone.now()
    token.save()
    assert api_client.get("/api/v1/me/").status_code == 401


def test_expired_token_is_refused(api_client, clerk):
    token, raw = ApiToken.issue(user=clerk, name="old", days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api_client.get("/api/v1/me/").status_code == 401


def test_token_key_is_shown_once_and_stored_hashed(client, api_as, clerk):
    """Issued on the tokens page (password re-entered), shown once, stored as a hash, never listed."""
    client.force_login(clerk)
    page = reverse("accounts:token_list")
    response = client.post(page, {"name": "sync", "days": 30, "password": "Pass-word-123"})
    assert response.status_code == 200
    key = response.context["key"]
    stored = ApiToken.objects.get(user=clerk)
    assert key not in stored.key_hash
    assert key not in client.get(page).content.decode()
    assert "key" not in api_as(clerk).get("/api/v1/tokens/").json()[0]
