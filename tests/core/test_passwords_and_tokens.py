"""Passwords and tokens (issue 15.8).

An officer changes their own password (the configured validators apply); an account an
administrator made or reset must change it at first log-in; an administrator of a county resets
passwords and deactivates accounts of that county only. API tokens are minted only on the tokens
page of a logged-in session with the password re-entered — never by a token; integrators get
read-only service accounts that cannot log in.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import ApiToken, Role, User
from tests.conftest import BOAI, CITY, XIUWU, make_user
from tests.factories.core import OfficerFactory, UnitFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Pass-word-123"  # tests.factories.core.UserFactory
NEW_PASSWORD = "Qiu-shi-2026-xiuwu"


@pytest.fixture
def county_admin(regions):
    """The 县级管理员 of 修武县: the admin role, not a superuser."""
    return make_user(Role.ADMIN, XIUWU, username="admin_xiuwu")


def log_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def token_header(raw):
    return {"HTTP_AUTHORIZATION": f"Token {raw}"}


# --- one's own password ----------------------------------------------------------------------------


def test_an_officer_changes_their_password_under_the_configured_rules(client, clerk):
    client.force_login(clerk)
    assert client.get(reverse("accounts:password_change")).status_code == 200

    weak = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert weak.status_code == 400
    assert "new_password1" in weak.context["form"].errors
    clerk.refresh_from_db()
    assert clerk.check_password(PASSWORD)

    wrong_old = client.post(
        reverse("accounts:password_change"),
        {"old_password": "not-my-password", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong_old.status_code == 400
    assert "old_password" in wrong_old.context["form"].errors

    done = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password(NEW_PASSWORD)
    assert client.get(reverse("home")).status_code == 200  # this session goes on


# --- accounts an administrator manages -------------------------------------------------------------


def _create(client, **extra):
    data = {
        "username": "new_clerk",
        "full_name": "新科员",
        "region": XIUWU,
        "roles": [Role.COUNTY_CLERK],
        "password1": "Temp-pass-2026-a",
        "password2": "Temp-pass-2026-a",
    }
    data.update(extra)
    return client.post(reverse("core:user_create"), data)


def test_an_account_an_administrator_creates_must_change_its_password_first(client, county_admin):
    client.force_login(county_admin)
    assert _create(client).status_code == 302
    person = User.objects.get(username="new_clerk")
    assert person.must_change_password
    assert person.has_role(Role.COUNTY_CLERK)
    assert person.region_id == XIUWU

    client.logout()
    assert log_in(client, "new_clerk", "Temp-pass-2026-a").status_code == 302
    for url in (reverse("home"), reverse("households:list"), reverse("accounts:token_list")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:password_change")
    api = client.get(reverse("api:me"))  # the browser's session on the API is refused too
    assert api.status_code == 403
    assert api.json()["code"] == "password_change_required"

    client.post(
        reverse("accounts:password_change"),
        {"old_password": "Temp-pass-2026-a", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    person.refresh_from_db()
    assert not person.must_change_password
    assert client.get(reverse("home")).status_code == 200


def test_an_administrators_temporary_password_obeys_the_validators(client, county_admin):
    client.force_login(county_admin)
    response = _create(client, password1="123456789", password2="123456789")
    assert response.status_code == 400
    assert "password1" in response.context["form"].errors
    assert not User.objects.filter(username="new_clerk").exists()


def test_a_county_administrator_manages_only_their_county(client, county_admin, other_clerk):
    client.force_login(county_admin)
    response = _create(client, region=BOAI)
    assert response.status_code == 400
    assert "region" in response.context["form"].errors
    assert not User.objects.filter(username="new_clerk").exists()
    assert client.get(reverse("core:user_detail", args=[other_clerk.pk])).status_code == 404
    reset = client.post(
        reverse("core:user_password_reset", args=[other_clerk.pk]),
        {"password1": "Temp-pass-2026-b", "password2": "Temp-pass-2026-b"},
    )
    assert reset.status_code == 404
    assert client.post(reverse("core:user_active", args=[other_clerk.pk]), {"active": "0"}).status_code == 404
    other_clerk.refresh_from_db()
    assert other_clerk.is_active
    assert other_clerk.check_password(PASSWORD)
    assert other_clerk.username not in client.get(reverse("core:user_list")).content.decode()


def test_an_administrator_cannot_give_the_administrator_role(client, county_admin):
    client.force_login(county_admin)
    response = _create(client, roles=[Role.ADMIN])
    assert response.status_code == 400
    assert not User.objects.filter(username="new_clerk").exists()


def test_an_administrator_resets_a_password_and_the_officer_must_change_it(client, county_admin, clerk):
    officer = client.__class__()
    officer.force_login(clerk)
    assert officer.get(reverse("home")).status_code == 200

    client.force_login(county_admin)
    response = client.post(
        reverse("core:user_password_reset", args=[clerk.pk]),
        {"password1": "Temp-pass-2026-c", "password2": "Temp-pass-2026-c"},
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.must_change_password
    assert clerk.check_password("Temp-pass-2026-c")
    assert officer.get(reverse("home")).status_code == 302  # the old session ended

    fresh = client.__class__()
    log_in(fresh, clerk.username, "Temp-pass-2026-c")
    assert fresh.get(reverse("home"))["Location"] == reverse("accounts:password_change")


def test_an_administrator_deactivates_an_officer(client, county_admin, clerk):
    _, raw = ApiToken.issue(user=clerk, name="sync")
    officer = client.__class__()
    officer.force_login(clerk)

    client.force_login(county_admin)
    assert client.post(reverse("core:user_active", args=[clerk.pk]), {"active": "0"}).status_code == 302
    clerk.refresh_from_db()
    assert not clerk.is_active
    assert officer.get(reverse("home")).status_code == 302  # sent to log in
    assert client.__class__().get(reverse("api:me"), **token_header(raw)).status_code == 401
    assert ApiToken.objects.get(user=clerk).revoked_at is not None  # reactivating does not revive it
    fresh = client.__class__()
    assert log_in(fresh, clerk.username).status_code == 200  # the form again: no log-in


def test_a_clerk_cannot_manage_accounts(client, clerk, other_clerk):
    client.force_login(clerk)
    assert client.get(reverse("core:user_list")).status_code == 403
    assert client.post(reverse("core:user_active", args=[other_clerk.pk]), {"active": "0"}).status_code == 403


# --- tokens ----------------------------------------------------------------------------------------


def test_a_token_cannot_mint_a_token(client, clerk):
    _, raw = ApiToken.issue(user=clerk, name="parent")
    response = client.post(
        reverse("api:token_list"),
        {"name": "child", "days": 30},
        content_type="application/json",
        **token_header(raw),
    )
    assert response.status_code == 405
    assert ApiToken.objects.filter(user=clerk).count() == 1
    listed = client.get(reverse("api:token_list"), **token_header(raw))
    assert [t["name"] for t in listed.json()] == ["parent"]


def test_the_browser_session_cannot_mint_a_token_through_the_api_either(client, clerk):
    client.force_login(clerk)
    response = client.post(reverse("api:token_list"), {"name": "x"}, content_type="application/json")
    assert response.status_code in (403, 405)
    assert not ApiToken.objects.filter(user=clerk).exists()


def test_tokens_are_issued_on_the_page_with_the_password_re_entered(client, clerk):
    client.force_login(clerk)
    wrong = client.post(
        reverse("accounts:token_list"), {"name": "village sync", "days": 30, "password": "nope"}
    )
    assert wrong.status_code == 400
    assert "password" in wrong.context["form"].errors
    assert not ApiToken.objects.filter(user=clerk).exists()

    issued = client.post(
        reverse("accounts:token_list"), {"name": "village sync", "days": 30, "password": PASSWORD}
    )
    assert issued.status_code == 200
    raw = issued.context["key"]
    assert raw.startswith("fp_")
    assert raw in issued.content.decode()
    assert client.__class__().get(reverse("api:me"), **token_header(raw)).json()["username"] == clerk.username

    page = client.get(reverse("accounts:token_list")).content.decode()
    assert "village sync" in page
    assert raw not in page

    token = ApiToken.objects.get(user=clerk)
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert client.__class__().get(reverse("api:me"), **token_header(raw)).status_code == 401


def test_one_cannot_revoke_another_persons_token_on_the_page(client, clerk, other_clerk):
    token, _ = ApiToken.issue(user=other_clerk, name="theirs")
    client.force_login(clerk)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


# --- service accounts ------------------------------------------------------------------------------


@pytest.fixture
def service_account(client, county_admin):
    client.force_login(county_admin)
    response = client.post(
        reverse("core:service_account_create"),
        {"username": "xiuwu_bank", "full_name": "县农商行对接", "region": XIUWU},
    )
    assert response.status_code == 302
    account = User.objects.get(username="xiuwu_bank")
    issued = client.post(
        reverse("core:service_account_detail", args=[account.pk]),
        {"name": "bank sync", "days": 30, "password": PASSWORD},
    )
    assert issued.status_code == 200
    client.logout()
    return account, issued.context["key"]


def test_a_service_account_reads_its_region_only_through_its_token(client, service_account):
    account, raw = service_account
    assert account.is_service_account
    assert account.has_role(Role.INTEGRATION)
    assert not account.has_usable_password()
    own = OfficerFactory(unit=UnitFactory(region_id=XIUWU), region_id=XIUWU, name="修武干部甲")
    other = OfficerFactory(unit=UnitFactory(region_id=BOAI), region_id=BOAI, name="博爱干部乙")

    listed = client.get(reverse("api:officer_list"), **token_header(raw))
    assert listed.status_code == 200
    names = {o["name"] for o in listed.json()["results"]}
    assert own.name in names
    assert other.name not in names
    assert client.get(reverse("api:officer_detail", args=[other.pk]), **token_header(raw)).status_code == 404
    write = client.patch(
        reverse("api:officer_detail", args=[own.pk]),
        {"phone": "1"},
        content_type="application/json",
        **token_header(raw),
    )
    assert write.status_code == 403


def test_a_service_account_cannot_log_in_nor_use_a_session(client, service_account):
    account, _ = service_account
    account.set_password("Even-if-it-had-one-1")  # no password log-in, whatever its hash
    account.save()
    assert log_in(client, account.username, "Even-if-it-had-one-1").status_code == 200  # the form again
    client.force_login(account)
    assert client.get(reverse("home")).status_code == 302  # its session is anonymous
    assert client.get(reverse("api:me")).status_code == 401


def test_an_administrator_revokes_a_service_accounts_token(client, county_admin, service_account):
    account, raw = service_account
    client.force_login(county_admin)
    token = ApiToken.objects.get(user=account)
    client.post(reverse("core:service_account_token_revoke", args=[account.pk, token.pk]))
    assert client.__class__().get(reverse("api:me"), **token_header(raw)).status_code == 401


def test_a_service_account_lies_within_its_administrators_region(client, county_admin):
    client.force_login(county_admin)
    response = client.post(
        reverse("core:service_account_create"), {"username": "boai_bank", "full_name": "", "region": BOAI}
    )
    assert response.status_code == 400
    assert "region" in response.context["form"].errors
    assert not User.objects.filter(username="boai_bank").exists()


def test_a_city_administrator_reaches_every_county(client, regions):
    admin = make_user(Role.ADMIN, CITY, username="admin_city_plain")
    client.force_login(admin)
    assert _create(client, region=BOAI).status_code == 302
