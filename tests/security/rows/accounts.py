"""Accounts: one's own password and tokens (/accounts/), the accounts and service accounts an
administrator manages (/org/users/, /org/service-accounts/) (issue 15.8); the reveal log of
administrators and auditors, page and API (issue 15.11)."""

from __future__ import annotations

from core.models import ApiToken, Role, SensitiveAccess
from tests.conftest import make_user
from tests.security.authz_matrix import (
    BAD_REQUEST,
    FORBIDDEN,
    HIDDEN,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    SHOWN,
    UNAUTHORIZED,
    Case,
    detail,
    expect,
    fixed,
    listing,
    owned,
    row,
    unique,
)
from tests.security.rows._common import sided_case

TEMPORARY = "Temp-pass-2026-matrix"


def person_in(place):
    return make_user(Role.COUNTY_CLERK, place.county.code, username=unique("person"))


def service_account_in(place):
    return make_user(Role.INTEGRATION, place.county.code, username=unique("svc"), is_service_account=True)


def service_token_in(place):
    account = service_account_in(place)
    token, _ = ApiToken.issue(user=account, name=unique("token"))
    return Case(kwargs={"pk": account.pk, "token_pk": token.pk})


def reveal_in(place):
    """A full ID number shown of a member in the place's village (by a clerk of 修武县)."""
    return SensitiveAccess.objects.create(
        user=place.world.other_user(), object_type="households.member", object_id=unique("rv"),
        field="id_number", channel="page", region_id=place.village.code, household_id=1,
    )  # fmt: skip


# Only administrators manage accounts (the admin persona: the whole city); everybody else 403.
ADMIN_ONLY_GET = expect(anonymous=LOGIN, default=FORBIDDEN, admin=OK)
ADMIN_ONLY_POST = expect(anonymous=LOGIN, default=FORBIDDEN, admin=REDIRECT)
ADMIN_POST_ONLY_GET = expect(anonymous=LOGIN, default=FORBIDDEN, admin=NOT_ALLOWED)
# The county administrator (县级管理员, issue 17.2) manages their own county's accounts: another
# county's are not found. The same answers with its cells.
CA = "county_admin"
ACCOUNTS_GET = expect(anonymous=LOGIN, default=FORBIDDEN, admin=OK, county_admin=OK)
ACCOUNTS_POST = expect(anonymous=LOGIN, default=FORBIDDEN, admin=REDIRECT, county_admin=REDIRECT)
ACCOUNT_GET = expect(anonymous=LOGIN, default=FORBIDDEN, admin=OK, county_admin=(OK, NOT_FOUND))
ACCOUNT_POST = expect(anonymous=LOGIN, default=FORBIDDEN, admin=REDIRECT, county_admin=(REDIRECT, NOT_FOUND))
ACCOUNT_POST_ONLY_GET = expect(
    anonymous=LOGIN, default=FORBIDDEN, admin=NOT_ALLOWED, county_admin=NOT_ALLOWED
)

ROWS = [
    # --- one's own account ----------------------------------------------------------------------
    row(
        "accounts:password_change",
        case=fixed(data={"old_password": "not-the-password", "new_password1": "x", "new_password2": "x"}),
        GET=expect(anonymous=LOGIN, default=OK),
        POST=expect(anonymous=LOGIN, default=BAD_REQUEST),
        note="everyone changes their own password (a wrong current password: 400, nothing changed)",
    ),
    row(
        "accounts:token_list",
        case=fixed(data={"name": "village sync", "days": 30, "password": "not-the-password"}),
        GET=expect(anonymous=LOGIN, default=OK),
        POST=expect(anonymous=LOGIN, default=BAD_REQUEST),
        note="a token is issued only with the password re-entered (wrong: 400, no token)",
    ),
    row(
        "accounts:token_revoke",
        case=owned(lambda user: ApiToken.issue(user=user, name=unique("token"))[0]),
        GET=expect(anonymous=LOGIN, default=NOT_ALLOWED),
        POST=expect(anonymous=LOGIN, default=(REDIRECT, NOT_FOUND)),
        note="another user's token is 404, even for an administrator",
    ),
    # --- accounts an administrator manages ------------------------------------------------------
    row(
        "core:user_list",
        case=listing(person_in, marker=lambda u: u.username),
        GET=expect(anonymous=LOGIN, default=FORBIDDEN, admin=SHOWN, county_admin=(SHOWN, HIDDEN)),
        note="a county administrator sees their county's accounts only (tests/core/test_passwords_and_tokens.py)",
    ),
    row(
        "core:user_create",
        case=fixed(
            data={
                "username": "matrix_new_person",
                "region": "410821000000",
                "roles": [Role.COUNTY_CLERK.value],
                "password1": TEMPORARY,
                "password2": TEMPORARY,
            }
        ),
        GET=ACCOUNTS_GET,
        POST=ACCOUNTS_POST,
    ),
    row("core:user_detail", case=detail(person_in), GET=ACCOUNT_GET),
    row(
        "core:user_password_reset",
        case=detail(person_in, data={"password1": TEMPORARY, "password2": TEMPORARY}),
        GET=ACCOUNT_POST_ONLY_GET,
        POST=ACCOUNT_POST,
    ),
    row(
        "core:user_active",
        case=detail(person_in, data={"active": "0"}),
        GET=ACCOUNT_POST_ONLY_GET,
        POST=ACCOUNT_POST,
    ),
    row(
        "core:service_account_list",
        case=listing(service_account_in, marker=lambda u: u.username),
        GET=expect(anonymous=LOGIN, default=FORBIDDEN, admin=SHOWN, county_admin=(SHOWN, HIDDEN)),
    ),
    row(
        "core:service_account_create",
        case=fixed(data={"username": "matrix_new_service", "region": "410821000000"}),
        GET=ACCOUNTS_GET,
        POST=ACCOUNTS_POST,
    ),
    row(
        "core:service_account_detail",
        case=detail(service_account_in, data={"name": "sync", "days": 30, "password": "not-the-password"}),
        GET=ACCOUNT_GET,
        POST=expect(
            anonymous=LOGIN, default=FORBIDDEN, admin=BAD_REQUEST, county_admin=(BAD_REQUEST, NOT_FOUND)
        ),
        note="an administrator issues a service account's token with their own password re-entered",
    ),
    row(
        "core:service_account_token_revoke",
        case=sided_case(service_token_in),
        GET=ACCOUNT_POST_ONLY_GET,
        POST=ACCOUNT_POST,
    ),
    # --- the reveal log: administrators and auditors (their county) ---------------------------------
    row(
        "core:reveal_list",
        case=listing(reveal_in, marker=lambda r: r.object_id),
        GET=expect(anonymous=LOGIN, default=FORBIDDEN, auditor=(SHOWN, HIDDEN), admin=SHOWN),
    ),
    row(
        "api:reveal_list",
        case=listing(reveal_in, marker=lambda r: r.object_id),
        GET=expect(anonymous=UNAUTHORIZED, default=FORBIDDEN, auditor=(SHOWN, HIDDEN), admin=SHOWN),
        POST=expect(anonymous=UNAUTHORIZED, default=FORBIDDEN, admin=NOT_ALLOWED),
    ),
]
