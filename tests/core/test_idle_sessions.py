"""Idle sessions: activity keeps a session alive, but its row is written at most once a minute."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import Role
from tests.conftest import XIUWU, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_in(regions):
    client = Client()
    client.force_login(make_user(Role.COUNTY_CLERK, XIUWU, username="idle_clerk"))
    return client


def _session_writes(ctx) -> list[str]:
    return [
        q["sql"]
        for q in ctx.captured_queries
        if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")
    ]


def test_requests_within_the_minute_do_not_write_the_session(client_in):
    client_in.get("/")
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(3):
            assert client_in.get("/api/v1/households/").status_code == 200
    assert _session_writes(ctx) == []


def test_a_request_after_the_minute_pushes_the_expiry(client_in, settings):
    key = client_in.session.session_key
    aged = timezone.now() + dt.timedelta(
        seconds=settings.SESSION_COOKIE_AGE - settings.SESSION_REFRESH_SECONDS - 5
    )
    Session.objects.filter(pk=key).update(expire_date=aged)
    assert client_in.get("/api/v1/households/").status_code == 200
    remaining = (Session.objects.get(pk=key).expire_date - timezone.now()).total_seconds()
    assert remaining > settings.SESSION_COOKIE_AGE - 5


def test_an_expired_session_is_not_revived(client_in):
    key = client_in.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client_in.get("/api/v1/households/")
    assert response.status_code in (401, 403)
    assert Session.objects.get(pk=key).expire_date < timezone.now()


def test_anonymous_requests_create_no_session(db):
    client = Client()
    before = Session.objects.count()
    client.get("/healthz")
    client.get("/accounts/login/")
    assert Session.objects.count() == before


def test_short_idle_time_still_refreshes(client_in, settings):
    settings.SESSION_COOKIE_AGE = 60
    key = client_in.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + dt.timedelta(seconds=20))
    client_in.get("/api/v1/households/")
    remaining = (Session.objects.get(pk=key).expire_date - timezone.now()).total_seconds()
    assert remaining > 50
