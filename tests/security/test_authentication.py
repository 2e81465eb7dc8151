"""Log-in lockout, password strength, idle sessions, CSRF and API tokens."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import ApiToken

pytestmark = pytest.mark.django_db

PASSWORD = "Pass-word-123"  # tests/factories/core.py
LOGIN = "/accounts/login/"


def _login(client, username, password, address, forwarded=None):
    extra = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def _fail_five_times(username, address, forwarded=None):
    for _ in range(5):
        response = _login(Client(), username, "wrong-password", address, forwarded)
    return response


# --- lockout (django-axes) ---------------------------------------------------------------------


def test_five_failures_lock_the_user_name_from_that_address(clerk):
    _fail_five_times(clerk.username, "10.1.1.1")
    locked = _login(Client(), clerk.username, PASSWORD, "10.1.1.1")
    assert locked.status_code == 429
    assert "locked" in locked.content.decode().lower() or "锁定" in locked.content.decode()
    assert "_auth_user_id" not in locked.wsgi_request.session


def test_four_failures_do_not_lock(clerk):
    for _ in range(4):
        _login(Client(), clerk.username, "wrong-password", "10.1.1.1")
    assert _login(Client(), clerk.username, PASSWORD, "10.1.1.1").status_code == 302


def test_nobody_can_lock_an_officer_out_from_elsewhere(clerk):
    """The lock is on user name + address: the officer's own machine still logs in."""
    _fail_five_times(clerk.username, "10.6.6.6")
    response = _login(Client(), clerk.username, PASSWORD, "10.2.2.2")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_cool_off_lifts_the_lock(clerk, settings):
    _fail_five_times(clerk.username, "10.1.1.1")
    assert _login(Client(), clerk.username, PASSWORD, "10.1.1.1").status_code == 429
    # The cool-off (AXES_COOLOFF_MINUTES, 15) passes.
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert _login(Client(), clerk.username, PASSWORD, "10.1.1.1").status_code == 302


def test_behind_the_proxy_the_lock_is_on_the_real_client_address(clerk, settings):
    """Production runs behind nginx: REMOTE_ADDR is always 127.0.0.1, the client is in
    X-Forwarded-For. A lock must not spread to everyone behind the proxy, and a forged header
    (the left-most entries, written by the client) must not dodge it."""
    settings.TRUSTED_PROXY_COUNT = 1
    _fail_five_times(clerk.username, "127.0.0.1", forwarded="203.0.113.9")
    assert _login(Client(), clerk.username, PASSWORD, "127.0.0.1", "203.0.113.9").status_code == 429
    forged = _login(Client(), clerk.username, PASSWORD, "127.0.0.1", "198.51.100.1, 203.0.113.9")
    assert forged.status_code == 429
    assert _login(Client(), clerk.username, PASSWORD, "127.0.0.1", "198.51.100.7").status_code == 302


# --- passwords ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weak", "why"),
    [
        ("Ab1-xyz", "too short"),
        ("password123", "too common"),
        ("3141592653589", "entirely numeric"),
        ("clerk_xiuwu2017", "too similar to the user name"),
    ],
)
def test_password_change_refuses_a_weak_password(client, clerk, weak, why):
    """The officer's own change page (/accounts/password/) runs AUTH_PASSWORD_VALIDATORS."""
    client.force_login(clerk)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak},
    )
    assert response.status_code == 400, why
    assert "new_password1" in response.context["form"].errors
    clerk.refresh_from_db()
    assert clerk.check_password(PASSWORD)


def test_a_strong_password_is_accepted(client, clerk):
    strong = "Huai-river-bend-2017"
    client.force_login(clerk)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": strong, "new_password2": strong},
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password(strong)


# --- sessions ----------------------------------------------------------------------------------


def _session(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_idle_session_expires(clerk, settings):
    client = Client()
    assert _login(client, clerk.username, PASSWORD, "10.3.3.3").status_code == 302
    assert client.get("/").status_code == 200
    # Nothing happens for longer than SESSION_IDLE_SECONDS.
    Session.objects.filter(pk=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_activity_keeps_the_session_alive(clerk, settings):
    client = Client()
    _login(client, clerk.username, PASSWORD, "10.3.3.3")
    Session.objects.filter(pk=client.session.session_key).update(
        expire_date=timezone.now() + dt.timedelta(seconds=5)
    )
    assert client.get("/").status_code == 200
    remaining = (_session(client).expire_date - timezone.now()).total_seconds()
    assert settings.SESSION_COOKIE_AGE - 60 < remaining <= settings.SESSION_COOKIE_AGE


def test_session_cookie_ends_with_the_browser_and_is_http_only(clerk):
    client = Client()
    response = _login(client, clerk.username, PASSWORD, "10.3.3.3")
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["expires"] == ""  # a browser-session cookie
    assert cookie["samesite"] == "Lax"


# --- CSRF --------------------------------------------------------------------------------------


def test_pages_refuse_a_post_without_csrf_token(clerk, xiuwu_officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk)
    url = reverse("core:officer_edit", args=[xiuwu_officer.pk])
    response = client.post(url, {"name": "改名", "position": "科员"})
    assert response.status_code == 403
    xiuwu_officer.refresh_from_db()
    assert xiuwu_officer.name != "改名"


def test_api_with_session_needs_csrf_but_token_does_not(clerk, xiuwu_officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk)
    url = f"/api/v1/officers/{xiuwu_officer.pk}/"
    refused = client.patch(url, {"phone": "1"}, content_type="application/json")
    assert refused.status_code == 403
    _, raw = ApiToken.issue(user=clerk, name="sync")
    allowed = Client(enforce_csrf_checks=True).patch(
        url, {"phone": "1"}, content_type="application/json", HTTP_AUTHORIZATION=f"Token {raw}"
    )
    assert allowed.status_code == 200


# --- API tokens --------------------------------------------------------------------------------


def test_token_revoked_through_the_api_stops_working(clerk):
    _, raw = ApiToken.issue(user=clerk, name="village sync")
    auth = {"HTTP_AUTHORIZATION": f"Token {raw}"}
    client = Client()
    token_id = client.get("/api/v1/tokens/", **auth).json()[0]["id"]
    assert client.post(f"/api/v1/tokens/{token_id}/revoke/", **auth).status_code == 200
    assert client.get("/api/v1/me/", **auth).status_code == 401


def test_token_of_a_deactivated_user_is_refused(clerk):
    _, raw = ApiToken.issue(user=clerk, name="sync")
    clerk.is_active = False
    clerk.save()
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {raw}").status_code == 401


def test_token_lifetime_is_bounded(client, clerk):
    """Tokens are issued on the tokens page only (password re-entered): at most 365 days, 90 by default."""
    client.force_login(clerk)
    url = reverse("accounts:token_list")
    response = client.post(url, {"name": "forever", "days": 3650, "password": PASSWORD})
    assert response.status_code == 400
    assert "days" in response.context["form"].errors
    assert client.post(url, {"name": "default", "password": PASSWORD}).status_code == 200
    expires = ApiToken.objects.get(user=clerk).expires_at
    assert expires - timezone.now() <= dt.timedelta(days=90)
