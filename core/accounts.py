"""Log-in hooks of the accounts: a forced password change, log-out that leaves nothing behind, and
officers' accounts made in bulk (`officer_accounts_create`).

`PasswordChangeRequiredMiddleware`: an account an administrator created (or whose password an
administrator reset) carries `must_change_password`; until the person has chosen their own,
every page sends them to the change page and the API refuses their session. API tokens are
not affected (a token was issued by the person themselves, with their own password).

`LogoutView`: Django's, plus `Clear-Site-Data: "cache", "storage"` so the browser drops the
service worker's caches (the inspector's plans) and local storage (drafts) of the site.
The page's script does the same before posting the form (static/js/app.js), for browsers
that ignore the header.
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# Paths a user who must change their password may still open.
_ALWAYS_ALLOWED = ("/static/", "/i18n/", "/healthz", "/accounts/logout/")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            change = reverse("accounts:password_change")
            path = request.path
            if path != change and not path.startswith(_ALWAYS_ALLOWED):
                if path.startswith("/api/"):
                    if "HTTP_AUTHORIZATION" not in request.META:  # a session, not a token
                        message = _("Change your password before using the API in the browser.")
                        return JsonResponse(
                            {"code": "password_change_required", "message": message, "errors": {}},
                            status=403,
                        )
                else:
                    return redirect(change)
        return self.get_response(request)


CLEAR_SITE_DATA = '"cache", "storage"'


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response


# --- accounts for officers, in bulk ------------------------------------------------------------

# No 0/O, 1/l/I: the password is read off a sheet and typed on a phone.
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 - an alphabet


def initial_password(length: int = 12) -> str:
    """A random first password with letters and digits (the person changes it at first log-in)."""
    import secrets

    while True:
        password = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


def _free_username(base: str) -> str:
    from .models import User

    name, n = base, 1
    while User.objects.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def officer_accounts_create(*, actor, officers, role: str) -> list[tuple]:
    """One log-in per officer without one, linked to the officer record, in the officer's region,
    with `role` and a generated first password the person must change at first log-in.

    Returns [(officer, user, password)]: the passwords exist nowhere else (shown once, or written
    to the workbook the administrator downloads). All or nothing: one refusal creates no account.
    """
    from django.db import transaction

    from .audit import actor_context
    from .exceptions import DomainError
    from .services import user_create

    out = []
    with transaction.atomic():
        for officer in officers:
            if type(officer).objects.filter(pk=officer.pk, user__isnull=False).exists():
                raise DomainError(
                    _("%(name)s already has an account.") % {"name": officer.name}, field="officers"
                )
            password = initial_password()
            user = user_create(
                actor=actor, username=_free_username(f"o{officer.pk}"), full_name=officer.name,
                region=officer.region, roles=[role], password=password,
            )  # fmt: skip
            user.officer = officer
            with actor_context(actor):
                user.save(update_fields=["officer"])
            out.append((officer, user, password))
    return out
