"""An integrator's client handles every API error the same way: one body, the HTTP status as HTTP means it.

`{"code": "...", "message": "...", "errors": {field: [messages]}}` for 400, 401, 403, 404, 405, 409,
413 and 429 — also for paths and methods the API does not have, and for a body too large to read.
"""

import pytest
from django.test import override_settings

from tests.factories.households import HouseholdFactory

pytestmark = pytest.mark.django_db


def _one_shape(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "errors"}, body
    assert isinstance(body["code"], str)
    assert body["code"]
    assert isinstance(body["message"], str)
    assert body["message"]
    assert isinstance(body["errors"], dict)
    assert all(
        isinstance(msgs, list) and all(isinstance(m, str) for m in msgs) for msgs in body["errors"].values()
    )
    if code:
        assert body["code"] == code, body
    return body


def test_bad_input_is_400_naming_the_field(api_as, clerk, xiuwu_officer):
    body = _one_shape(
        api_as(clerk).patch(f"/api/v1/officers/{xiuwu_officer.pk}/", {"name": "x" * 51}, format="json"),
        400,
        "invalid",
    )
    assert "name" in body["errors"]


def test_no_credentials_is_401(api_client):
    _one_shape(api_client.get("/api/v1/officers/"), 401, "not_authenticated")


def test_a_role_without_the_permission_is_403(api_as, leader, xiuwu_officer):
    _one_shape(
        api_as(leader).patch(f"/api/v1/officers/{xiuwu_officer.pk}/", {"name": "王五"}, format="json"), 403
    )


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing/", "/api/v1/households/no-such-thing/", "/api/v9/"])
def test_an_unknown_path_is_404(api_as, clerk, path):
    _one_shape(api_as(clerk).get(path), 404, "not_found")


def test_a_record_outside_the_region_is_404(api_as, clerk, boai_village):
    household = HouseholdFactory(village=boai_village)
    _one_shape(api_as(clerk).get(f"/api/v1/households/{household.pk}/"), 404, "not_found")


@pytest.mark.parametrize("method", ["put", "delete"])
def test_a_method_the_endpoint_does_not_have_is_405(api_as, clerk, method):
    _one_shape(getattr(api_as(clerk), method)("/api/v1/me/"), 405, "method_not_allowed")


def test_a_move_the_status_map_refuses_is_409(api_as, clerk, xiuwu_village):
    household = HouseholdFactory(village=xiuwu_village)  # 在册: 返贫 only follows 已脱贫
    response = api_as(clerk).post(
        f"/api/v1/households/{household.pk}/status/",
        {"action": "return", "reason": "再次返贫"},
        format="json",
    )
    body = _one_shape(response, 409, "transition_not_allowed")
    assert "status" in body["errors"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_a_body_too_large_to_read_is_413(api_as, clerk, xiuwu_officer):
    response = api_as(clerk).patch(
        f"/api/v1/officers/{xiuwu_officer.pk}/", {"name": "王五", "position": "x" * 4000}, format="json"
    )
    _one_shape(response, 413, "too_large")


def test_over_the_daily_cap_is_429(api_client, leader, settings):
    settings.ID_PROBE_DAILY_LIMIT = 1
    api_client.force_authenticate(leader)
    for _ in range(2):
        response = api_client.post(
            "/api/v1/households/search/", {"id_number": "410821199001011234"}, format="json"
        )
    _one_shape(response, 429)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_a_page_given_a_body_too_large_says_so_in_chinese_with_413(client, clerk):
    client.force_login(clerk)
    response = client.post("/households/", {"q": "x" * 4000})
    assert response.status_code == 413
    assert "请求内容过大" in response.content.decode()
