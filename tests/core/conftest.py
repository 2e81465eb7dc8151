"""Fixtures of the core tests."""

import pytest


@pytest.fixture(scope="module")
def spec(django_db_setup, django_db_blocker) -> dict:
    """The schema `/api/schema/` serves, once per module."""
    from rest_framework.test import APIClient

    with django_db_blocker.unblock():
        return APIClient().get("/api/schema/", {"format": "json"}).json()
