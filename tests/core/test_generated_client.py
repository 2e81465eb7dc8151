"""A client generated from the served schema by a tool nobody here wrote (openapi-python-client)
imports, and mirrors a county's households through the change feed against a live server.

Every request body was offered as JSON, form and multipart: the generated modules of 38 operations
failed on import (`NameError: Unset`). A body is now JSON, or multipart only where a file is uploaded.
The client is generated once for the module (it takes seconds), offline: no formatter post-hooks.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
import time
from urllib.parse import urlencode

import pytest
from django.test import Client

from core.models import ApiToken
from households.models import Household
from tests.factories.households import first_village, household_with_members

PACKAGE = "fupin_client"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def served_schema(django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.fixture(scope="module")
def generated(served_schema, tmp_path_factory):
    """The client package generated from the served schema, importable while the module runs."""
    root = tmp_path_factory.mktemp("client")
    (root / "schema.json").write_text(json.dumps(served_schema), encoding="utf-8")
    # No post-hooks (they run ruff on the output); the workbooks are downloaded as bytes.
    config = {"post_hooks": [], "package_name_override": PACKAGE, "content_type_overrides": {XLSX: "application/octet-stream"}}  # fmt: skip
    (root / "config.json").write_text(json.dumps(config), encoding="utf-8")
    run = subprocess.run(  # noqa: S603 - our own interpreter and the tool's module
        [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(root / "schema.json"),
         "--output-path", str(root / "out" / PACKAGE), "--config", str(root / "config.json"), "--meta", "none"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "WARNING" not in run.stdout + run.stderr, run.stdout + run.stderr  # no operation left out
    sys.path.insert(0, str(root / "out"))
    importlib.invalidate_caches()
    yield root / "out" / PACKAGE
    sys.path.remove(str(root / "out"))
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]


def test_each_request_body_is_offered_in_one_content_type(served_schema):
    """JSON, or multipart/form-data where the body carries a file (a `format: binary` property)."""
    components = served_schema["components"]["schemas"]

    def has_file(schema) -> bool:
        if "$ref" in schema:
            schema = components[schema["$ref"].rsplit("/", 1)[-1]]
        return "binary" in json.dumps(schema)  # a property, or an array's items, of format binary

    bodies = {
        f"{method.upper()} {path}": op["requestBody"]["content"]
        for path, methods in served_schema["paths"].items()
        for method, op in methods.items()
        if "requestBody" in op
    }
    wrong = {
        operation: sorted(content)
        for operation, content in bodies.items()
        if len(content) != 1
        or ("multipart/form-data" if has_file(next(iter(content.values()))["schema"]) else "application/json")
        not in content
    }
    assert not wrong
    multipart = sorted(op for op, content in bodies.items() if "multipart/form-data" in content)
    assert "POST /api/v1/households/imports/" in multipart
    assert "POST /api/v1/households/{id}/guarantees/appraisal/" in multipart
    assert "POST /api/v1/households/{id}/guarantees/{what}/" not in multipart  # the facts without a photo
    assert "POST /api/v1/inspections/answers/{id}/" not in multipart  # a review, an answer with its items
    assert len(bodies) - len(multipart) > 50  # the rest are JSON


@pytest.mark.django_db
def test_a_form_body_is_refused_where_json_is_expected(api_as, clerk):
    household = household_with_members()
    api = api_as(clerk)
    url = f"/api/v1/households/{household.pk}/guarantees/statement/"
    body = {"date": "2024-03-01", "stated_by": "户主", "food_secure": "true", "clothing_secure": "true"}
    assert api.post(url, body, format="multipart").status_code == 415  # before the body is read
    form = api.post(url, urlencode(body), content_type="application/x-www-form-urlencoded")
    assert (form.status_code, form.json()["code"]) == (415, "unsupported_media_type")
    assert api.post(url, body, format="json").status_code == 201


def test_every_generated_module_imports(generated):
    modules = [m.name for m in pkgutil.walk_packages([str(generated)], f"{PACKAGE}.")]
    assert len(modules) > 400
    failed = {}
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as error:  # every failure is reported, not the first
            failed[name] = repr(error)
    assert not failed


@pytest.mark.django_db(transaction=True)
def test_a_county_is_mirrored_through_the_generated_client_and_the_feed(generated, live_server, clerk):
    """The 修武县 clerk's token, the generated client's feed operation, followed until `more` is false:
    every household of the county, and none of another's."""
    from fupin_client import AuthenticatedClient
    from fupin_client.api.households import households_feed
    from fupin_client.models import FeedPage

    mine = {household_with_members().pk for _ in range(7)}
    household_with_members(village=first_village("410822"))  # 博爱县
    county = set(Household.objects.filter(village__code__startswith="410821").values_list("pk", flat=True))
    assert mine <= county
    _token, raw = ApiToken.issue(user=clerk, name="mirror")
    client = AuthenticatedClient(
        base_url=live_server.url, token=raw, prefix="Token", raise_on_unexpected_status=True
    )

    mirror: set[int] = set()
    token, pages = "", 0
    deadline = time.monotonic() + 10  # the feed waits for transactions still open in the cluster
    with client:
        while True:
            page = households_feed.sync(client=client, token=token, page_size=3)
            assert isinstance(page, FeedPage), page
            assert not page.resync
            pages += 1
            for change in page.changes:
                if change.kind == "household":
                    assert change.household.id == change.id
                    mirror.add(change.id)
                else:
                    mirror.discard(change.id)
            token = page.token
            if not page.more and (mirror >= county or time.monotonic() > deadline):
                break
            if not page.more:
                time.sleep(0.2)
    assert mirror == county
    assert pages >= 3  # walked page by page with the tokens
