"""Inputs the fuzzer found or that any client may send: answered in the API's error body, never 500."""

import pytest

pytestmark = pytest.mark.django_db


def test_updated_after_with_an_offset_postgresql_refuses_still_works(api_as, clerk, xiuwu_officer):
    # Python accepts offsets up to ±23:59, PostgreSQL only ±15:59: the filter queries in UTC.
    response = api_as(clerk).get("/api/v1/officers/", {"updated_after": "0119-02-14T21:51:41-22:52"})
    assert response.status_code == 200
    assert xiuwu_officer.pk in [r["id"] for r in response.json()["results"]]


def test_updated_after_before_year_one_in_utc_names_the_field(api_as, clerk):
    response = api_as(clerk).get("/api/v1/officers/", {"updated_after": "0001-01-01T00:00:00+23:00"})
    assert response.status_code == 400
    assert "updated_after" in response.json()["errors"]


def test_a_mangled_cursor_names_the_field(api_as, clerk):
    response = api_as(clerk).get("/api/v1/officers/", {"cursor": "not-a-cursor"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["cursor"]


def test_unknown_api_url_answers_in_the_error_body(api_as, clerk):
    response = api_as(clerk).get("/api/v1/officers/not-a-number/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": response.json()["message"], "errors": {}}
